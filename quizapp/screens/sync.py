"""Sync from the TUI: the same `quizapp.sync.sync` as `quizapp sync`, in a worker, with progress.

Why it works this way:
- The sync runs in a thread worker on its own SQLite connection (as "Fit FSRS" does), so the
  screen keeps drawing and the session's connection is never shared across threads; WAL lets
  both work on the file at once.
- Progress comes from the sync's own callback (rows pushed / pulled per table, cards rebuilt),
  handed to the UI thread with `call_from_thread`.
- Every failure is a `QuizappError` with a message that says what to do (server down, wrong
  learner, damaged file); the sync changes nothing it has not committed batch by batch, so a
  failure leaves local data as it was or consistently merged. Anything else is shown, not
  raised: the TUI never ends in a traceback because a server misbehaved.
- The modal cannot be closed while the sync runs (a thread cannot be stopped halfway through
  a batch); it says so, and closes with escape or enter once the result is shown.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any, cast

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

if TYPE_CHECKING:
    from quizapp.screens.host import AppHost
    from quizapp.sync import SyncReport


def _label(done: int, total: int | None, what: str) -> str:
    verb, _, table = what.partition(" ")
    nouns = {"review_log": "reviews", "quiz_answer": "quiz answers", "code_attempt": "attempts"}
    if total is not None:
        return f"{verb} {done:,} of {total:,} {table}"
    return f"{verb}ed {done:,} {nouns.get(table, table)}" if verb in ("push", "pull") else what


class SyncScreen(ModalScreen[bool]):
    """Dismisses with True when the sync finished, False when it failed or never started."""

    DEFAULT_CSS = """
    SyncScreen { align: center middle; }
    SyncScreen > Vertical {
        width: 72; max-width: 95%; height: auto;
        border: round $primary; background: $surface; padding: 0 1;
    }
    SyncScreen #sync-progress { color: $text-muted; }
    SyncScreen #sync-result.error { color: $text-error; text-style: bold; }
    SyncScreen #sync-result.ok { color: $text-success; }
    SyncScreen #sync-keys { color: $text-muted; margin-top: 1; }
    """
    BINDINGS = [Binding("escape,enter", "close", "Close")]

    def __init__(self) -> None:
        super().__init__()
        self.done: bool | None = None  # None while running, then whether it succeeded
        self.message = ""

    @property
    def quiz_app(self) -> AppHost:
        return cast("AppHost", self.app)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("[b]Sync[/b]", id="sync-title")
            yield Static("", id="sync-progress")
            yield Static("", id="sync-result")
            yield Static("", id="sync-keys")

    def on_mount(self) -> None:
        from quizapp.sync import configured_target
        from quizapp.web.auth import LEARNER_ID_RULE, valid_learner_id

        store = self.quiz_app.session.store
        url, learner = configured_target(store, os.environ)
        if not url:
            self._finish(False, "No sync server set: open Settings (o) and fill in Sync server.")
            return
        if not learner or not valid_learner_id(learner):
            why = (
                f"'{learner}' is not a valid learner id: {LEARNER_ID_RULE}"
                if learner
                else ("No learner id set")
            )
            self._finish(False, f"{why}. Open Settings (o) and fill in Learner id.")
            return
        from quizapp.store_pg import describe_dsn

        self.query_one("#sync-title", Static).update(
            f"[b]Sync[/b] learner [b]{learner}[/b] with {describe_dsn(url)}"
        )
        self._progress("connecting…")
        self.query_one("#sync-keys", Static).update(
            "Syncing; this closes when it is done (each batch is committed as it goes)."
        )
        self._run(url, learner)

    def _progress(self, text: str) -> None:
        self.query_one("#sync-progress", Static).update(text)

    def _run(self, url: str, learner: str) -> None:
        path = self.quiz_app.session.store.path
        self.run_worker(
            lambda: self._sync(path, url, learner),
            thread=True,
            exclusive=True,
            exit_on_error=False,
            group="sync",
        )

    def _sync(self, path: Any, url: str, learner: str) -> SyncReport:
        """In the worker thread, on its own connection."""
        from quizapp.store import Store
        from quizapp.store_pg import PgServer
        from quizapp.sync import sync

        def say(done: int, total: int | None, what: str) -> None:
            self.app.call_from_thread(self._progress, _label(done, total, what))

        store = Store.open(path)
        try:
            with PgServer.connect(url) as server:
                self.app.call_from_thread(self._progress, f"connected to {server.where}")
                return sync(store, server, learner=learner, progress=say)
        finally:
            store.close()

    def on_worker_state_changed(self, event: Any) -> None:
        if event.worker.group != "sync" or not event.worker.is_finished:
            return
        from quizapp.errors import QuizappError

        error = event.worker.error
        if error is not None:
            if isinstance(error, QuizappError):
                text = str(error)
            else:  # not ours: still a message, never a traceback
                text = f"Sync failed ({type(error).__name__}: {error}); local data is as it was."
            self._finish(False, text)
            return
        report = event.worker.result
        pushed, pulled = sum(report.pushed.values()), sum(report.pulled.values())
        self._finish(
            True,
            f"Synced: pushed {pushed:,} rows, pulled {pulled:,} rows, "
            f"rebuilt {report.rebuilt_cards:,} cards.",
        )

    def _finish(self, ok: bool, message: str) -> None:
        from textual.content import Content

        self.done, self.message = ok, message
        result = self.query_one("#sync-result", Static)
        result.update(Content(message))  # plain text: a server's message is never markup
        result.set_class(not ok, "error")
        result.set_class(ok, "ok")
        self.query_one("#sync-keys", Static).update("[b]esc[/b] / [b]enter[/b] close")
        self.app.notify(message, severity="information" if ok else "error", markup=False)

    def action_close(self) -> None:
        if self.done is None:
            self.app.notify("The sync is still running; it closes when it is done.")
            return
        self.dismiss(self.done)
