"""Browse's table cells (quizapp/widgets/table_cell.py): one line, never wider than the column,
cut with "…" exactly where rich's Text cuts, whatever the text holds; the table that draws
them itself draws what DataTable draws."""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from rich.cells import cell_len
from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.widgets import DataTable

from quizapp.widgets.table_cell import Cell, CellTable

CONSOLE = Console(width=200, color_system=None, legacy_windows=False)


def rendered(renderable: object, width: int) -> list[str]:
    options = CONSOLE.options.update_dimensions(width, 1).update(no_wrap=True)
    lines = CONSOLE.render_lines(renderable, options, pad=False)
    return ["".join(s.text for s in line) for line in lines]


@given(st.text(max_size=60), st.integers(min_value=1, max_value=40))
def test_one_line_never_wider_than_the_column(text: str, width: int) -> None:
    cell = Cell(text)
    (line,) = rendered(cell, width)
    assert "\n" not in line and cell_len(line) <= width
    if cell_len(cell.text) <= width:
        assert line == cell.text
    else:
        assert line.endswith("…") and cell_len(line) == width


@given(st.text(st.characters(codec="ascii", categories=["L", "N", "P", "Zs"]), max_size=60))
def test_cut_as_rich_text_cuts(text: str) -> None:
    for width in (1, 5, 12, 30):
        text_line = rendered(Text(text, overflow="ellipsis", no_wrap=True), width)[0].rstrip()
        assert rendered(Cell(text), width)[0].rstrip() == text_line


def test_control_characters_become_spaces_and_width_is_measured() -> None:
    cell = Cell("a\nb\tc\x1b[31md")
    assert str(cell) == "a b c [31md"
    wide = Cell("λ‖w‖² 日本")
    assert CONSOLE.measure(wide).maximum == cell_len("λ‖w‖² 日本") == 10
    (line,) = rendered(wide, 8)
    assert cell_len(line) == 8 and line.endswith("…")


def test_style_is_kept() -> None:
    options = CONSOLE.options.update_dimensions(10, 1)
    (line,) = CONSOLE.render_lines(Cell("susp.", "dim"), options, pad=False)
    assert any(s.style is not None and s.style.dim for s in line)


def _chars(lines: list[list[Segment]]) -> list[list[tuple[str, Style | None]]]:
    return [[(ch, s.style) for s in line for ch in s.text] for line in lines]


async def test_the_table_draws_cells_as_datatable_draws_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """CellTable's own cell rendering gives, character for character and style for style, what
    DataTable's Rich rendering gives: with and without the cursor and the mouse over the row,
    zebra stripes, styled and cut cells, wide characters, an empty cell, a narrow column."""
    from textual.app import App, ComposeResult

    class TableApp(App[None]):
        def compose(self) -> ComposeResult:
            yield CellTable(cursor_type="row", zebra_stripes=True)

    texts = ["short", "a prompt far longer than its column is wide", "", "λ‖w‖² 日本語", "x"]
    app = TableApp()
    async with app.run_test(size=(100, 20)) as pilot:
        table = app.query_one(CellTable)
        for key, width in (("a", 12), ("b", 5), ("c", 1), ("d", 30)):
            table.add_column(key.upper(), key=key, width=width)
        for i, text in enumerate(texts):
            table.add_row(*(Cell(text, "dim" if i % 2 else "") for _ in range(4)), key=str(i))
        await pilot.pause()
        table.focus()
        await pilot.pause()
        compared = 0
        for row in range(-1, len(texts)):  # -1: the header row
            for column, width in enumerate((12, 5, 1, 30)):
                for cursor, hover in ((False, False), (True, False), (False, True)):
                    style = (
                        table.get_component_styles("datatable--header").rich_style
                        if row == -1
                        else table._get_row_style(row, table.rich_style)
                    )
                    table._cell_render_cache.clear()
                    with monkeypatch.context() as patched:  # not DataTable's own, underneath
                        patched.setattr(DataTable, "_render_cell", None)
                        ours = table._render_cell(row, column, style, width + 2, cursor, hover)
                    table._cell_render_cache.clear()
                    theirs = DataTable._render_cell(
                        table, row, column, style, width + 2, cursor, hover
                    )
                    assert _chars(ours) == _chars(theirs), (row, column, cursor, hover)
                    compared += 1
        assert compared == (len(texts) + 1) * 4 * 3
        # A label too long for its column, a styled one: DataTable's own rendering.
        table.add_column("A label longer than five", key="long", width=5)
        table.add_column(Text("Styled", style="bold"), key="styled", width=8)
        header_style = table.get_component_styles("datatable--header").rich_style
        for column in (4, 5):
            table._cell_render_cache.clear()
            ours = table._render_cell(-1, column, header_style, 7)
            table._cell_render_cache.clear()
            theirs = DataTable._render_cell(table, -1, column, header_style, 7)
            assert _chars(ours) == _chars(theirs)


async def test_the_table_is_sized_as_datatable_sizes_it_without_measuring_fixed_columns(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """With every column of a fixed width the cells are not measured, and the table's
    scrollable size is DataTable's; an auto-width column is measured as DataTable does."""
    from textual.app import App, ComposeResult

    class Tables(App[None]):
        def compose(self) -> ComposeResult:
            yield CellTable(id="ours")
            yield DataTable(id="theirs")

    measured: list[object] = []
    measure = Cell.__rich_measure__

    def counted(self: Cell, console: Console, options: object) -> object:
        measured.append(self)
        return measure(self, console, options)  # type: ignore[arg-type]

    monkeypatch.setattr(Cell, "__rich_measure__", counted)
    app = Tables()
    async with app.run_test(size=(100, 30)) as pilot:
        tables = [app.query_one("#ours", DataTable), app.query_one("#theirs", DataTable)]
        for table in tables:
            table.add_column("Card", key="card", width=8)
            table.add_column("Prompt", key="prompt", width=30)
            for i in range(50):
                table.add_row(Cell(f"c{i}"), Cell("a prompt " * i), key=str(i))
        await pilot.pause()
        ours, theirs = tables
        assert ours.virtual_size == theirs.virtual_size and ours.virtual_size.height == 51
        assert len(measured) == 100  # DataTable's 50 rows x 2 columns; none of CellTable's
        measured.clear()
        ours.add_column("Auto", key="auto")  # takes its width from its cells
        ours.add_row(Cell("a"), Cell("b"), Cell("twenty-two characters"), key="last")
        await pilot.pause()
        assert measured and ours.columns[ours._column_locations.get_key(2)].content_width == 21


@given(
    st.text(st.sampled_from("ab λ‖w‖²₁ᵀ日本\u0301\u200b\u200d"), min_size=0, max_size=300),
    st.integers(min_value=0, max_value=80),
)
@example("a" + "\u0301" * 200 + "bcdefghijklmnop", 10)  # the cut lies past 2 * width characters
@example("日本" * 100, 7)
def test_a_long_cell_is_cut_where_the_whole_text_is_cut(text: str, width: int) -> None:
    """Cut from a prefix for speed: the same as cutting the whole text (wide characters,
    combining and zero-width ones included)."""
    from rich.cells import set_cell_size

    cell = Cell(text)
    text = cell.text  # unprintable characters are spaces by now
    if cell_len(text) <= width:
        expected = text
    elif width <= 1:
        expected = "…"[:width]
    else:
        expected = set_cell_size(text, width - 1) + "…"
    assert cell.fitted(width) == expected
