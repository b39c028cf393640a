"""The Textual app: screens, global bindings, the command palette.

`build_app()` is the one factory used by the CLI and by the tests. The session (store + decks)
is opened before the app starts, so a bad database is reported by the CLI with an exit code
instead of inside a half-drawn screen.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from quizapp.session import Session

if TYPE_CHECKING:
    from quizapp.store import Store


class QuizApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "quizapp"
    SUB_TITLE = "regularization, for ML interviews"
    BINDINGS = [
        Binding("question_mark", "help", "Help", key_display="?"),
        Binding("ctrl+q", "quit", "Quit", priority=True),
    ]

    def __init__(
        self,
        session: Session,
        *,
        start: str | None = None,
        start_decks: list[str] | None = None,
    ) -> None:
        super().__init__()
        self.session = session
        self._start = start
        self._start_decks = start_decks

    @property
    def store(self) -> Store:
        return self.session.store

    def on_mount(self) -> None:
        from quizapp.screens.home import HomeScreen

        self.push_screen(HomeScreen())
        if self._start == "review":
            self.action_review(self._start_decks)

    # ----------------------------------------------------------------- actions
    def action_help(self) -> None:
        from quizapp.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_review(self, deck_ids: list[str] | None = None) -> None:
        from quizapp.screens.review import ReviewScreen

        self.push_screen(ReviewScreen(deck_ids))

    def action_tasks(self) -> None:
        try:
            from quizapp.screens.code import TaskListScreen
        except ImportError:
            self.notify("Coding tasks are not available in this build.", severity="warning")
            return
        self.push_screen(TaskListScreen())

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        yield SystemCommand("Review all due cards", "Start a review session", self.action_review)
        for deck in self.session.catalog.decks:
            yield SystemCommand(
                f"Review deck: {deck.title}",
                f"Only cards from `{deck.id}`",
                lambda d=deck.id: self.action_review([d]),
                discover=False,
            )
        yield SystemCommand("Coding tasks", "Implement regularizers; graded", self.action_tasks)
        yield SystemCommand("Help", "Keys and how review works", self.action_help)
        yield from super().get_system_commands(screen)


def build_app(
    session: Session, *, start: str | None = None, deck_ids: list[str] | None = None
) -> QuizApp:
    return QuizApp(session, start=start, start_decks=deck_ids)
