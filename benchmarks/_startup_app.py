"""Child process for bench_startup: start quizapp's home screen headless, exit when ready."""

from __future__ import annotations

import sys
from typing import Any

if sys.argv[1] == "bare":
    from textual.app import App, ComposeResult
    from textual.widgets import DataTable, Footer, Header

    class Bare(App[None]):
        def compose(self) -> ComposeResult:
            yield Header()
            yield DataTable()
            yield Footer()

    app: Any = Bare()
else:
    from quizapp.app import build_app
    from quizapp.session import open_session

    session = open_session(None)
    app = build_app(session)


async def _ready(pilot: Any) -> None:
    await pilot.pause()
    pilot.app.exit()


app.run(headless=True, auto_pilot=_ready)
if sys.argv[1] != "bare":
    session.close()  # as `quizapp` does on exit (records the file as checked)
