"""Browse's table cells (quizapp/widgets/table_cell.py): one line, never wider than the column,
cut with "…" exactly where rich's Text cuts, whatever the text holds."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len
from rich.console import Console
from rich.text import Text

from quizapp.widgets.table_cell import Cell

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
