"""Home: every deck with its new / learning / due counts, and where to go next."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Static
from textual.widgets.data_table import ColumnKey

from quizapp.widgets.key_line import KeyLine
from quizapp.widgets.title_bar import TitleBar
from quizapp.wording import plural

if TYPE_CHECKING:
    from quizapp.screens.host import AppHost


class HomeScreen(Screen[None]):
    BINDINGS = [
        Binding("r", "review_all", "Review"),
        # Not in the footer: the focused table's own enter (select) hides it there anyway, and
        # showing it only until the table takes focus cost a second footer build at start-up.
        Binding("enter", "review_deck", "Review deck", show=False),
        Binding("q", "quiz", "Quiz"),
        Binding("d", "app.drill", "Drills"),
        Binding("c", "app.tasks", "Code"),
        Binding("s", "app.stats", "Stats"),
        Binding("b", "app.browse", "Browse"),
        Binding("o", "app.settings", "Settings"),
    ]

    @property
    def quiz_app(self) -> AppHost:
        return cast("AppHost", self.app)

    def compose(self) -> ComposeResult:
        yield TitleBar()  # one widget, not Header's four (quizapp/widgets/title_bar.py)
        with Vertical(id="home"):
            yield Static(id="today")
            yield DataTable(id="decks", cursor_type="row", zebra_stripes=True)
            yield Static(id="problems")
        # The palette hint moves into the intro line: at 80 columns every key must fit.
        yield KeyLine(show_command_palette=False)

    def on_mount(self) -> None:
        table = self.query_one("#decks", DataTable)
        # Text labels, not markup strings: markup would import rich's emoji table (~5 ms).
        table.add_column(Text("Deck"), key="deck", width=self._deck_width())
        for label in ("New", "Learn", "Due", "Cards"):
            table.add_column(Text(label), key=label.lower(), width=6)
        # The counts are filled by on_screen_resume, which follows the mount (and every return
        # to home): filling them here too cost a second pass over every row at start-up.
        problems = self.quiz_app.session.catalog.problem_lines()
        panel = self.query_one("#problems", Static)
        if problems:
            shown = "\n".join(problems[:5])
            more = f"\n… and {len(problems) - 5} more" if len(problems) > 5 else ""
            panel.update(
                f"[b]Some deck files have problems[/b] (their valid cards are loaded):\n"
                f"{shown}{more}\nRun `quizapp decks check` for the full list."
            )
            panel.add_class("visible")
            self.notify(f"{plural(len(problems), 'problem')} in deck files", severity="warning")

    def on_screen_resume(self) -> None:
        self.refresh_counts()

    def _deck_width(self) -> int:
        """The title column takes what the four number columns leave, so 80 columns fit."""
        return max(16, self.app.size.width - 4 * 8 - 6)

    def on_resize(self) -> None:
        table = self.query_one("#decks", DataTable)
        column = table.columns.get(ColumnKey("deck"))
        if column is not None and column.width != self._deck_width():
            column.width = self._deck_width()
            self.refresh_counts()

    def refresh_counts(self) -> None:
        session = self.quiz_app.session
        counts = session.home_counts()
        table = self.query_one("#decks", DataTable)
        cursor = table.cursor_row
        table.clear()
        n_cards = 0
        for deck in session.catalog.decks:
            c = counts.decks.get(deck.id, {"new": 0, "learning": 0, "review": 0})
            n_cards += len(deck.card_ids)
            table.add_row(
                Text(deck.title, overflow="ellipsis", no_wrap=True),
                self._num(c["new"], "new"),
                self._num(c["learning"], "learn"),
                self._num(c["review"], "due"),
                Text(str(len(deck.card_ids)), justify="right"),
                key=deck.id,
            )
        total = counts.total
        table.add_row(
            Text("Total", style="bold"),
            self._num(total["new"], "new"),
            self._num(total["learning"], "learn"),
            self._num(total["review"], "due"),
            Text(str(n_cards), justify="right"),
            key="__total__",
        )
        if table.row_count:
            table.move_cursor(row=min(cursor, table.row_count - 1))
        todo = total["new"] + total["learning"] + total["review"]
        interview = ""
        if session.settings.interview_date:  # interview mode: NumPy, only when a date is set
            from quizapp.planning import home_line
            from quizapp.scheduling import utcnow

            line = home_line(session.store, session.catalog, session.settings, utcnow())
            interview = f"[b]{line}[/b]\n" if line else ""
        self.query_one("#today", Static).update(
            interview
            + (
                f"[b]{plural(todo, 'card')}[/b] to study today — press [b]r[/b] to review them "
                "all, [b]enter[/b] for the deck under the cursor."
                if todo
                else "Nothing due today: quiz yourself ([b]q[/b]), drill numbers ([b]d[/b]) "
                "or code ([b]c[/b])."
            )
            + " [dim]? help · ctrl+p all commands[/dim]"
        )

    def _num(self, n: int, kind: str) -> Text:
        """DataTable cells are rich renderables: take the colour from the current theme."""
        if not n:
            return Text("0", style="dim", justify="right")
        colour = self.app.theme_variables.get(_COLOURS[kind], "")
        return Text(str(n), style=f"bold {colour}".strip(), justify="right")

    def _selected_deck(self) -> str | None:
        table = self.query_one("#decks", DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return None if key in (None, "__total__") else str(key)

    def action_review_all(self) -> None:
        self.quiz_app.action_review(None)

    def action_quiz(self) -> None:
        """Ask what to quiz (all decks by default, or the deck under the cursor), then start."""
        from quizapp.screens.quiz_setup import QuizChoice, QuizSetupScreen

        def start(choice: QuizChoice | None) -> None:
            if choice is not None:
                self.quiz_app.action_quiz(
                    choice.deck_ids, choice.count, choice.types, choice.time_limit_min
                )

        decks = [(d.id, d.title) for d in self.quiz_app.session.catalog.decks]
        self.app.push_screen(QuizSetupScreen(decks, self._selected_deck()), start)

    def action_review_deck(self) -> None:
        deck = self._selected_deck()
        self.quiz_app.action_review([deck] if deck else None)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_review_deck()


_COLOURS = {"new": "accent", "learn": "warning", "due": "success"}
