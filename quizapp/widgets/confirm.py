"""A yes/no question over the current screen: `y`/enter confirms, `n`/escape keeps going."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static


class ConfirmScreen(ModalScreen[bool]):
    """Dismisses with True (yes) or False (no). The question is plain text, never markup."""

    DEFAULT_CSS = """
    ConfirmScreen {
        align: center middle;
    }
    ConfirmScreen > Vertical {
        width: 64;
        max-width: 90%;
        height: auto;
        border: round $warning;
        background: $surface;
        padding: 0 1;
    }
    ConfirmScreen .confirm-keys {
        color: $text-muted;
        margin: 1 0 0 0;
    }
    """
    BINDINGS = [
        Binding("y,enter", "answer(True)", "Yes"),
        Binding("n,escape", "answer(False)", "No"),
    ]

    def __init__(self, question: str, yes: str = "yes", no: str = "no") -> None:
        super().__init__()
        self.question = question
        self.yes = yes
        self.no = no

    def compose(self) -> ComposeResult:
        from textual.content import Content

        with Vertical():
            yield Static(Content(self.question))
            yield Static(
                Content.from_markup(
                    "[b]y[/b] / enter: $yes  ·  [b]n[/b] / escape: $no", yes=self.yes, no=self.no
                ),
                classes="confirm-keys",
            )

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
