"""A one-line DataTable cell: plain text, cut with "…" to its column's width.

Why not rich's `Text`: a DataTable measures every cell it is given and renders every visible
one through Rich (padding, the row's and the cursor's styles). A `Text` cell does all of a
paragraph's work there (word splitting to measure, wrapping, justifying, spans) for one short
line; this renders as one segment and measures as its length, about a quarter of the cost.
At 100,000 cards that was a fifth of browse's time to its first rows on screen.
"""

from __future__ import annotations

from rich.cells import cell_len, set_cell_size
from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.segment import Segment
from rich.style import Style


class Cell:
    """`text` on one line (characters that would break the line become spaces), in `style`."""

    __slots__ = ("_style", "_width", "text")

    def __init__(self, text: str, style: str = "") -> None:
        if not text.isprintable():
            text = "".join(c if c.isprintable() else " " for c in text)
        self.text = text
        self._style = Style.parse(style) if style else None
        self._width = cell_len(text)

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return f"Cell({self.text!r})"

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = options.max_width
        text = self.text
        if self._width > width:
            text = set_cell_size(text, width - 1) + "…" if width > 1 else "…"[:width]
        yield Segment(text, self._style)

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement(self._width, self._width)
