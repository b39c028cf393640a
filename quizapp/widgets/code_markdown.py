"""Markdown whose code blocks can be scrolled sideways from the keyboard.

Why: a task statement's code does not wrap (wrapping would break the indentation it teaches),
so a line wider than the pane scrolls inside its block. Textual's blocks scroll only with the
mouse; here a block that is wider than its pane takes focus (tab reaches it), shows that it
has it, and scrolls with left / right (home / end to either edge).
"""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.widgets import Markdown
from textual.widgets.markdown import MarkdownBlock, MarkdownFence

SCROLL_STEP = 4  # columns per left / right press


class ScrollableFence(MarkdownFence):
    """A code block: focusable when its code is wider than the block."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("right", "code_right", "Scroll code →", show=False),
        Binding("left", "code_left", "Scroll code ←", show=False),
        Binding("end", "code_end", "Code: line ends", show=False),
        Binding("home", "code_home", "Code: line starts", show=False),
    ]
    DEFAULT_CSS = """
    ScrollableFence:focus { background-tint: $foreground 8%; }
    """

    def allow_focus(self) -> bool:
        return self.max_scroll_x > 0

    def action_code_right(self) -> None:
        self.scroll_relative(x=SCROLL_STEP, animate=False)

    def action_code_left(self) -> None:
        self.scroll_relative(x=-SCROLL_STEP, animate=False)

    def action_code_end(self) -> None:
        self.scroll_to(x=self.max_scroll_x, animate=False)

    def action_code_home(self) -> None:
        self.scroll_to(x=0, animate=False)


class CodeMarkdown(Markdown):
    """Markdown with `ScrollableFence` code blocks."""

    BLOCKS: dict[str, type[MarkdownBlock]] = {
        **Markdown.BLOCKS,
        "fence": ScrollableFence,
        "code_block": ScrollableFence,
    }
