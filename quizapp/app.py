"""The Textual app: screens, global bindings, the command palette.

`build_app()` is the one factory used by the CLI and by the tests. The session (store + decks)
is opened before the app starts, so a bad database is reported by the CLI with an exit code
instead of inside a half-drawn screen.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

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
        start_options: dict[str, Any] | None = None,
    ) -> None:
        super().__init__()
        _freeze_startup_heap()
        self.session = session
        self._start = start
        self._start_decks = start_decks
        self._start_options = start_options or {}

    @property
    def store(self) -> Store:
        return self.session.store

    def get_default_screen(self) -> Screen[Any]:
        """Home is the base screen itself: one screen to lay out at start-up, not two."""
        from quizapp.screens.home import HomeScreen

        return HomeScreen()

    def on_mount(self) -> None:
        self._install_signal_handlers()
        self.call_after_refresh(_freeze_ready_heap)
        # The theme saved by the settings screen (read here: importing that screen costs ~10 ms).
        theme = self.session.store.get_setting("ui.theme")
        if isinstance(theme, str) and theme in self.available_themes:
            self.theme = theme
        # A theme picked anywhere (the palette's "Change theme" included) is remembered.
        self.theme_changed_signal.subscribe(self, self._remember_theme)
        if self._start == "review":
            self.action_review(self._start_decks)
        elif self._start == "quiz":
            self.action_quiz(self._start_decks, **self._start_options)
        elif self._start == "drill":
            self.action_drill(**self._start_options)
        elif self._start == "tasks":
            self.action_tasks()

    def _install_signal_handlers(self) -> None:
        """SIGTERM and SIGHUP (`kill`, a closed terminal, a logout) save what is pending, then
        exit cleanly as ctrl+q does; by default they would end the process on the spot."""
        if self.is_headless:
            return
        import asyncio
        import contextlib
        import signal

        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGHUP):
            # Not every platform or loop has these signals: then the default stays.
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.add_signal_handler(sig, self.save_pending_and_exit)

    def save_pending_and_exit(self) -> None:
        for screen in self.screen_stack:
            save = getattr(screen, "save_draft", None)
            if callable(save):
                save()
        self.exit()

    def _remember_theme(self, theme: Any) -> None:
        import sqlite3

        from quizapp.errors import QuizappError

        if self.session.store.get_setting("ui.theme") == theme.name:
            return
        try:
            self.session.store.set_setting("ui.theme", theme.name)
        except (sqlite3.Error, QuizappError) as exc:
            self.notify(f"Theme not saved: {exc}", severity="warning")

    # ----------------------------------------------------------------- actions
    def action_help(self) -> None:
        from quizapp.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_review(self, deck_ids: list[str] | None = None) -> None:
        from quizapp.screens.review import ReviewScreen

        self.push_screen(ReviewScreen(deck_ids))

    def action_quiz(
        self,
        deck_ids: list[str] | None = None,
        count: int = 20,
        types: tuple[str, ...] | None = None,
        time_limit_min: float | None = None,
    ) -> None:
        from quizapp.screens.quiz import QuizScreen

        self.push_screen(QuizScreen(deck_ids, count, types, time_limit_min))

    def action_drill(self, kind: str | None = None, seed: int | None = None) -> None:
        from quizapp.screens.drill import DrillScreen

        self.push_screen(DrillScreen(kind, seed))

    def action_stats(self) -> None:
        from quizapp.screens.stats import StatsScreen

        self.push_screen(StatsScreen())

    def action_browse(self, query: str = "") -> None:
        from quizapp.screens.browse import BrowseScreen

        self.push_screen(BrowseScreen(query=query))

    def action_settings(self) -> None:
        from quizapp.screens.settings import SettingsScreen

        self.push_screen(SettingsScreen())

    def action_sync(self) -> None:
        from quizapp.screens.sync import SyncScreen

        if not isinstance(self.screen, SyncScreen):
            self.push_screen(SyncScreen())

    def action_figure(self, kind: str = "lasso_path", seed: int = 0, **params: Any) -> None:
        from quizapp.screens.figure import FigureScreen

        self.push_screen(FigureScreen(kind, seed, **params))

    def action_tasks(self) -> None:
        try:
            from quizapp.screens.code import TaskListScreen
        except ImportError:
            self.notify("Coding tasks are not available in this build.", severity="warning")
            return
        self.push_screen(TaskListScreen())

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        undo = getattr(screen, "action_undo", None)
        if undo is not None and screen.check_action("undo", ()):
            title = getattr(screen, "UNDO_TITLE", "Undo the last rating")
            yield SystemCommand(title, getattr(screen, "UNDO_HELP", "Same as ctrl+z (or u)"), undo)
        yield SystemCommand("Review all due cards", "Start a review session", self.action_review)
        for deck in self.session.catalog.decks:
            yield SystemCommand(
                f"Review deck: {deck.title}",
                f"Only cards from `{deck.id}`",
                lambda d=deck.id: self.action_review([d]),
                discover=False,
            )
        yield SystemCommand("Quiz: 20 questions", "Timed, scored, all decks", self.action_quiz)
        for deck in self.session.catalog.decks:
            yield SystemCommand(
                f"Quiz deck: {deck.title}",
                f"20 questions from `{deck.id}`",
                lambda d=deck.id: self.action_quiz([d]),
                discover=False,
            )
        yield SystemCommand("Numeric drills", "Fresh numbers, worked solutions", self.action_drill)
        yield SystemCommand("Coding tasks", "Implement regularizers; graded", self.action_tasks)
        from quizapp.figures import KINDS as FIGURES

        for fig in FIGURES.values():
            yield SystemCommand(
                f"Figure: {fig.name.replace('_', ' ')}",
                fig.description,
                lambda k=fig.name: self.action_figure(k),
                discover=fig.name == "lasso_path",
            )
        yield SystemCommand("Statistics", "Due, retention, heatmap, weak topics", self.action_stats)
        yield SystemCommand(
            "Browse cards", "Search, suspend, bury, reset, edit", self.action_browse
        )
        yield SystemCommand(
            "Settings", "Retention, daily limits, steps, theme", self.action_settings
        )
        yield SystemCommand(
            "Sync with the class server",
            "Push and pull your reviews (Settings: server, id)",
            self.action_sync,
        )
        yield SystemCommand("Help", "Keys and how review works", self.action_help)
        yield from super().get_system_commands(screen)


_FROZEN = False


def _freeze_startup_heap() -> None:
    """Move what exists before the first screen (modules, classes, the deck catalog: all kept
    for the whole run) out of the garbage collector's sight, once per process. Without it the
    first screen's allocations set off a full collection over ~50,000 objects (90-150 ms here,
    a third of quizapp's start-up cost over a bare app); objects freed later are still freed
    by reference counting, only cycles among them stay."""
    global _FROZEN
    if not _FROZEN:
        import gc

        gc.freeze()
        _FROZEN = True


_FROZEN_READY = False


def _freeze_ready_heap() -> None:
    """Once the first screen is painted, freeze again: what the app and its first screen
    built (styles, widgets, caches; alive for the whole run) then leaves the collector's
    sight too. Else each full collection later rescans it: at 100,000 cards one of 40-100 ms
    landed inside opening browse or the stats in about one run in two (measured with
    gc.callbacks). Once per process: a test run builds many apps."""
    global _FROZEN_READY
    if not _FROZEN_READY:
        import gc

        gc.freeze()
        _FROZEN_READY = True


def build_app(
    session: Session,
    *,
    start: str | None = None,
    deck_ids: list[str] | None = None,
    options: dict[str, Any] | None = None,
) -> QuizApp:
    return QuizApp(session, start=start, start_decks=deck_ids, start_options=options)
