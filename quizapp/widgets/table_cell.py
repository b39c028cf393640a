"""A one-line DataTable cell: plain text, cut with "…" to its column's width.

Why not rich's `Text`: a DataTable measures every cell it is given and renders every visible
one through Rich (padding, the row's and the cursor's styles). A `Text` cell does all of a
paragraph's work there (word splitting to measure, wrapping, justifying, spans) for one short
line; this renders as one segment and measures as its length, about a quarter of the cost.
At 100,000 cards that was a fifth of browse's time to its first rows on screen.

`CellTable` is a DataTable that draws these cells itself: DataTable renders each cell through
Rich (`render_lines` of a `Padding` in a `Styled`, two nested line splits for one short line),
which was still half of the table's first paint; for a `Cell` in a one-line row, and for a
plain header label, the same segments are built directly, with the same styles (a test
compares them with DataTable's own rendering, so a Textual release that renders cells
differently shows up there). Anything else (styled or too long labels, other renderables,
taller rows) goes through DataTable unchanged. Nor does it measure every cell of the rows it
is given when every column has a fixed width (DataTable does, to size auto-width columns).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rich.cells import cell_len, set_cell_size
from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.segment import Segment
from rich.style import Style
from textual.geometry import Size
from textual.widgets import DataTable
from textual.widgets.data_table import RowKey


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
        yield Segment(self.fitted(options.max_width), self._style)

    def fitted(self, width: int) -> str:
        """The text cut with "…" to `width` cells (not padded)."""
        if self._width <= width:
            return self.text
        if width <= 1:
            return "…"[:width]
        # Cut from a prefix that already holds the cut (no character is wider than 2 cells,
        # so 2 * width characters hold width cells unless some take none): set_cell_size
        # measures what it is given, and a prompt holds 300 characters of which 60 show.
        text = self.text
        prefix = text[: 2 * width]
        if len(prefix) < len(text) and cell_len(prefix) >= width:
            text = prefix
        return set_cell_size(text, width - 1) + "…"

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement(self._width, self._width)


_NO_STYLE = Style.null()  # what Padding gives its padding (its default style, "none")


class CellTable(DataTable[Any]):
    """A DataTable that renders `Cell`s in one-line rows without Rich's line machinery."""

    def _render_cell(
        self,
        row_index: int,
        column_index: int,
        base_style: Style,
        width: int,
        cursor: bool = False,
        hover: bool = False,
    ) -> list[list[Segment]]:
        own = super()._render_cell
        if column_index < 0 or self.fixed_rows or self.fixed_columns:
            return own(row_index, column_index, base_style, width, cursor, hover)
        header = row_index == -1
        row_key = self._header_row_key if header else self._row_locations.get_key(row_index)
        column_key = self._column_locations.get_key(column_index)
        if row_key is None or column_key is None:
            return own(row_index, column_index, base_style, width, cursor, hover)
        cache_key = (  # DataTable's own key, so its cache invalidation applies
            row_key,
            column_key,
            base_style,
            cursor,
            hover,
            self._show_hover_cursor,
            self._update_count,
            self._pseudo_class_state,
        )
        cache = self._cell_render_cache
        if cache_key in cache:
            return cache[cache_key]
        pad = self.cell_padding
        inner = max(0, width - 2 * pad)
        if header:  # a plain one-line label that fits: as Text renders it, without its wrap
            label = self.columns[column_key].label
            if (
                self.header_height != 1
                or label.spans
                or label.style
                or not label.plain.isprintable()
                or cell_len(label.plain) > inner
            ):
                return own(row_index, column_index, base_style, width, cursor, hover)
            text, style = label.plain, None
        else:
            row = self.rows.get(row_key)
            cell = self._data.get(row_key, {}).get(column_key)
            if not isinstance(cell, Cell) or row is None or row.height != 1:
                return own(row_index, column_index, base_style, width, cursor, hover)
            text, style = cell.fitted(inner), cell._style
        component_style, post_style = self._get_styles_to_render_cell(
            header,
            False,
            False,
            hover,
            cursor,
            self.show_cursor,
            self._show_hover_cursor,
            self.cursor_foreground_priority == "css",
            self.cursor_background_priority == "css",
        )
        pre_style = (
            base_style + Style.from_meta({"row": row_index, "column": column_index})
        ) + component_style
        raw = [Segment(" " * pad, _NO_STYLE), Segment(text, style)]
        fill = inner - cell_len(text)
        if fill > 0:
            raw.append(Segment(" " * fill, _NO_STYLE))
        raw.append(Segment(" " * pad, _NO_STYLE))
        line = [s for s in Segment.apply_style(raw, pre_style, post_style) if s.text]
        lines = [line]
        cache[cache_key] = lines
        return lines

    def _update_dimensions(self, new_rows: Iterable[RowKey]) -> None:
        """As DataTable's, without measuring every cell of every new row when no column
        takes its width from its cells (each has a width) and the rows are plain one-line
        rows: the measures would change nothing but `content_width`, which fixed-width
        columns do not read."""
        new_rows = list(new_rows)
        if any(column.auto_width for column in self.columns.values()) or any(
            row is not None and (row.label is not None or row.auto_height or row.height != 1)
            for row in map(self.rows.get, new_rows)
        ):
            super()._update_dimensions(new_rows)
            return
        data_cells_width = sum(column.get_render_width(self) for column in self.columns.values())
        header_height = self.header_height if self.show_header else 0
        self.virtual_size = Size(
            data_cells_width + self._row_label_column_width,
            self._total_row_height + header_height,
        )
