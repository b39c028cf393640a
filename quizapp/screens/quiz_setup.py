"""`q` on home: what to quiz — all decks or one, how many questions, which types, a time limit.

The same choices as `quizapp quiz --deck --count --types --time-limit`, checked the same way.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, RadioButton, RadioSet, SelectionList, Static

from quizapp.quiz import ALL_TYPES

TYPE_LABELS = {
    "multiple_choice": "multiple choice",
    "typed": "typed",
    "cloze": "cloze",
    "numeric": "numeric",
    "code": "code",
    "basic": "open (self-graded)",
}


@dataclass(frozen=True)
class QuizChoice:
    deck_ids: list[str] | None  # None: every deck
    count: int
    types: tuple[str, ...]
    time_limit_min: float | None


class QuizSetupScreen(ModalScreen[QuizChoice | None]):
    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "start", "Start", key_display="^s"),
    ]

    def __init__(self, decks: list[tuple[str, str]], cursor_deck: str | None) -> None:
        """`decks` is (id, title) in home's order; `cursor_deck` the one under home's cursor."""
        super().__init__()
        self.decks = decks
        self.cursor_deck = cursor_deck

    def compose(self) -> ComposeResult:
        title = dict(self.decks).get(self.cursor_deck or "", "")
        with Vertical(id="quiz-setup"):
            yield Static("[b]Quiz[/b] — what should it cover?", id="quiz-setup-title")
            with RadioSet(id="quiz-setup-deck"):
                yield RadioButton("All decks", value=True, id="quiz-all")
                if self.cursor_deck:
                    yield RadioButton(f"Only: {title}", id="quiz-one")
            with Horizontal(classes="quiz-setup-row"):
                yield Label("Questions")
                yield Input("20", id="quiz-count", type="integer", max_length=4, compact=True)
                yield Label("Time limit (min)")
                yield Input("", id="quiz-time", placeholder="none", max_length=5, compact=True)
            yield SelectionList[str](
                *[(TYPE_LABELS[t], t, True) for t in ALL_TYPES], id="quiz-types"
            )
            yield Static(id="quiz-setup-error")
            with Horizontal(classes="quiz-setup-row"):
                yield Button("Start", id="quiz-start", variant="primary", compact=True)
                yield Button("Cancel", id="quiz-cancel", compact=True)
                yield Static(
                    "enter starts · esc cancels",
                    id="quiz-setup-keys",
                )

    def on_mount(self) -> None:
        self.query_one("#quiz-count", Input).focus()

    def choice(self) -> QuizChoice | str:
        """The user's choice, or what is wrong with it (one sentence)."""
        text = self.query_one("#quiz-count", Input).value.strip()
        try:
            count = int(text)
        except ValueError:
            return "Questions: type a whole number, e.g. 20."
        if not 1 <= count <= 1000:
            return "Questions: between 1 and 1000."
        limit_text = self.query_one("#quiz-time", Input).value.strip()
        limit: float | None = None
        if limit_text:
            try:
                limit = float(limit_text)
            except ValueError:
                return "Time limit: minutes as a number (e.g. 10), or empty for none."
            if not 0 < limit <= 600:
                return "Time limit: more than 0 and at most 600 minutes, or empty for none."
        types = tuple(self.query_one("#quiz-types", SelectionList).selected)
        if not types:
            return "Pick at least one question type (space toggles)."
        one = self.cursor_deck is not None and self.query_one("#quiz-one", RadioButton).value
        return QuizChoice(
            [self.cursor_deck] if one and self.cursor_deck else None,
            count,
            tuple(t for t in ALL_TYPES if t in types),
            limit,
        )

    def action_start(self) -> None:
        choice = self.choice()
        if isinstance(choice, str):
            from textual.content import Content

            self.query_one("#quiz-setup-error", Static).update(Content(choice))
            return
        self.dismiss(choice)

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_start()

    @on(Button.Pressed, "#quiz-start")
    def _start(self) -> None:
        self.action_start()

    @on(Button.Pressed, "#quiz-cancel")
    def _cancel(self) -> None:
        self.action_cancel()
