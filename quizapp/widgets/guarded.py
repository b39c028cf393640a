"""The one way a screen writes to the database: `guarded_write(screen, what, fn, keep=...)`.

Why one helper: a locked, full, damaged, moved or replaced file must never end the TUI in a
traceback. `Session.write` turns every failure into a message that says what failed and what
to do; this helper shows it (with what the screen kept for a retry) and returns FAILED, so the
calling screen simply stays where it is. Once the file was moved or replaced, every later write
is refused with the same message, which also stays in the sub-title so it cannot be missed.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from typing import Any, Literal, TypeVar

T = TypeVar("T")


class _Failed(enum.Enum):
    FAILED = "FAILED"  # an enum member, so `if result is FAILED:` narrows the type for mypy


FAILED: Literal[_Failed.FAILED] = _Failed.FAILED


def guarded_write(node: Any, what: str, fn: Callable[[], T], *, keep: str = "") -> T | _Failed:
    """Run `fn` through the session's guarded path. On failure: notify (error), keep the
    screen as it is, and return FAILED. `keep` tells the user what is kept for a retry."""
    from quizapp.session import WriteFailed

    app = node.app
    try:
        return app.session.write(what, fn)
    except WriteFailed as exc:
        _report(app, exc, keep)
        return FAILED


def guarded_read(node: Any, what: str, fn: Callable[[], T]) -> T | _Failed:
    """A read that may hit a damaged page: reported the same way, never a traceback."""
    from quizapp.session import WriteFailed

    app = node.app
    try:
        return app.session.read(what, fn)
    except WriteFailed as exc:
        _report(app, exc, "")
        return FAILED


def _report(app: Any, exc: Exception, keep: str) -> None:
    from quizapp.session import WriteFailed

    text = str(exc)
    if keep:
        text += f"\n{keep}"
    stopped = isinstance(exc, WriteFailed) and exc.stopped
    if stopped:
        app.sub_title = "NOT SAVING: the database file was moved or replaced (see the message)"
    app.notify(text, title="Not saved", severity="error", timeout=30 if stopped else 12)
