"""One injectable environment for the CLI (httpie's idea): tests pass their own streams."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from quizapp.errors import ExitStatus

__all__ = ["Environment", "ExitStatus"]


@dataclass
class Environment:
    stdout: TextIO = field(default_factory=lambda: sys.stdout)
    stderr: TextIO = field(default_factory=lambda: sys.stderr)
    environ: dict[str, str] = field(default_factory=lambda: dict(os.environ))
    db_path: Path | None = None  # --db or QUIZAPP_DB, resolved by the CLI entry point
    debug: bool = False
    # Set by a command that has closed everything it opened: the process may end without the
    # interpreter's teardown (see quizapp/__main__.py).
    fast_exit: bool = False

    @property
    def stdout_isatty(self) -> bool:
        return bool(getattr(self.stdout, "isatty", lambda: False)())

    def console(self, stderr: bool = False):  # type: ignore[no-untyped-def]
        """A rich Console on our stream; imported lazily because rich costs start-up time."""
        from rich.console import Console

        stream = self.stderr if stderr else self.stdout
        return Console(
            file=stream,
            highlight=False,
            soft_wrap=False,
            force_terminal=None if self.stdout_isatty else False,
        )
