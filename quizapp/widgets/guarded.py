"""The one way a screen writes to the database: `guarded_write_then(screen, what, fn, then)`
(or `guarded_write(screen, what, fn, keep=...)` where the caller needs the result at once).

Why one helper: a locked, full, damaged, moved or replaced file must never end the TUI in a
traceback. `Session.write` turns every failure into a message that says what failed and what
to do; this helper shows it (with what the screen kept for a retry) and returns FAILED, so the
calling screen simply stays where it is. Once the file was moved or replaced, every later write
is refused with the same message, which also stays in the sub-title so it cannot be missed.
"""

from __future__ import annotations

import enum
import time
from collections.abc import Callable
from typing import Any, Literal, TypeVar

T = TypeVar("T")


class _Failed(enum.Enum):
    FAILED = "FAILED"  # an enum member, so `if result is FAILED:` narrows the type for mypy


FAILED: Literal[_Failed.FAILED] = _Failed.FAILED


def guarded_write(node: Any, what: str, fn: Callable[[], T], *, keep: str = "") -> T | _Failed:
    """Run `fn` through the session's guarded path. On failure: notify (error), keep the
    screen as it is, and return FAILED. `keep` tells the user what is kept for a retry."""
    from quizapp.session import WriteFailed, guard_write

    app = node.app
    if _refuse_while_waiting(app):
        return FAILED
    try:
        return guard_write(what, fn)
    except WriteFailed as exc:
        _report(app, exc, keep)
        return FAILED


# First try on the UI thread with this short lock wait (an uncontended write takes ~1 ms); only
# if another writer holds the lock does the write move to a worker with the full busy timeout.
FAST_WAIT_S = 0.15
# The worker then waits in slices of SLICE_S with the connection free for SLICE_GAP_S between
# them, up to the connection's busy timeout (5 s) in all.
SLICE_S = 0.05
SLICE_GAP_S = 0.02
_WAITING = "_quizapp_db_waiting"


def guarded_write_then(
    node: Any,
    what: str,
    fn: Callable[[], T],
    then: Callable[[T], None],
    *,
    keep: str = "",
    failed: Callable[[], None] | None = None,
) -> None:
    """As `guarded_write`, but a locked database does not freeze the UI: the write waits in a
    thread while the screen shows "waiting for the database", and `then(result)` runs on the
    UI thread once it is saved (at once in the usual, uncontended case). Keys pressed while
    waiting run no second write: they are refused with a message. `failed()` runs on the UI
    thread after a failure has been reported (and when the write was refused for waiting)."""
    from quizapp.session import WriteFailed, guard_write

    app = node.app
    if _refuse_while_waiting(app):
        if failed is not None:
            failed()
        return
    try:
        with app.store.busy_timeout(FAST_WAIT_S):
            result = guard_write(what, fn)
    except WriteFailed as exc:
        if not exc.busy:
            _report(app, exc, keep)
            if failed is not None:
                failed()
            return
    else:
        then(result)
        return
    _wait_in_thread(node, what, fn, then, keep, failed)


def database_waiting(app: Any) -> bool:
    """A write is waiting for another writer's lock (autosaves skip their turn then)."""
    return bool(getattr(app, _WAITING, None))


def _refuse_while_waiting(app: Any) -> bool:
    waiting = getattr(app, _WAITING, None)
    if waiting:
        app.notify(
            f"Still waiting for the database to {waiting}; press the key again once it is saved.",
            severity="warning",
        )
    return bool(waiting)


def _wait_in_thread(
    node: Any,
    what: str,
    fn: Callable[[], T],
    then: Callable[[T], None],
    keep: str,
    failed: Callable[[], None] | None,
) -> None:
    from quizapp.session import WriteFailed, guard_write

    app = node.app
    setattr(app, _WAITING, what)
    old_sub_title = app.sub_title
    app.sub_title = "Waiting for the database (another window or command is writing to it)"
    app.notify(
        f"Waiting for the database: another window or command is writing to it. quizapp will "
        f"{what} as soon as it is free.",
        title="Waiting",
        severity="warning",
    )

    def finish(result: Any, error: WriteFailed | None) -> None:
        setattr(app, _WAITING, None)
        if app.sub_title.startswith("Waiting for the database"):
            app.sub_title = old_sub_title
        if error is not None:
            _report(app, error, keep)
            if failed is not None and node.is_attached:
                failed()
        elif node.is_attached:
            then(result)

    store = app.store
    patience_s = int(store.conn.execute("PRAGMA busy_timeout").fetchone()[0]) / 1000

    def work() -> None:
        # In slices: SQLite holds the connection's mutex for the whole of a busy wait, so one
        # long wait would block every read the UI thread makes on the same connection (the
        # browse row, the next card) and freeze the screen after all.
        deadline = time.monotonic() + patience_s
        while True:
            try:
                with store.busy_timeout(min(SLICE_S, patience_s)):
                    result = guard_write(what, fn)
            except WriteFailed as exc:
                if exc.busy and time.monotonic() < deadline and node.is_attached:
                    time.sleep(SLICE_GAP_S)
                    continue
                app.call_from_thread(finish, None, exc)
            else:
                app.call_from_thread(finish, result, None)
            return

    app.run_worker(work, thread=True, group="db-write", exit_on_error=False)


def guarded_read(node: Any, what: str, fn: Callable[[], T]) -> T | _Failed:
    """A read that may hit a damaged page: reported the same way, never a traceback."""
    from quizapp.session import WriteFailed, guard_read

    app = node.app
    try:
        return guard_read(what, fn)
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
