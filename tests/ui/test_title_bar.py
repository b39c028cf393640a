"""TitleBar: the screen's title line in one widget, drawn cell for cell as Textual's Header
draws it; a click on the icon opens the command palette, elsewhere it makes the bar tall; it
follows the app's and the screen's titles."""

from __future__ import annotations

from typing import Any

import pytest
from textual.app import App, ComposeResult
from textual.command import CommandPalette
from textual.screen import Screen
from textual.widgets import Header, Static

from quizapp.widgets.title_bar import TitleBar


class Titled(Screen[None]):
    def __init__(self, bar: Any, title: str | None, sub_title: str | None) -> None:
        super().__init__()
        self.bar = bar
        if title is not None:
            self.title = title
        if sub_title is not None:
            self.sub_title = sub_title

    def compose(self) -> ComposeResult:
        yield self.bar
        yield Static("body")


class TitledApp(App[None]):
    TITLE = "quizapp"
    SUB_TITLE = "regularization"

    def __init__(self, bar: Any, title: str | None = None, sub_title: str | None = None) -> None:
        super().__init__()
        self.titled = Titled(bar, title, sub_title)

    def on_mount(self) -> None:
        self.push_screen(self.titled)


def _cells(app: App[Any], rows: int) -> list[list[tuple[str, Any]]]:
    """Each cell of the top rows: its character, and what shows of its style (a space shows
    only its background; the mouse offsets Textual keeps in a style do not show)."""
    out = []
    for strip in app.screen._compositor.render_strips()[:rows]:
        row: list[tuple[str, Any]] = []
        for seg in strip:
            style = seg.style
            for char in seg.text:
                if char == " " and style is not None:
                    row.append((char, style.bgcolor))
                else:
                    row.append((char, style and style.clear_meta_and_links()))
        out.append(row)
    return out


async def _draw(
    bar: Any, size: tuple[int, int], title: str | None, hover: int | None, tall: bool
) -> list[list[tuple[str, Any]]]:
    app = TitledApp(bar, title, title and "a long sub-title that has to be cut")
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        if tall:
            await pilot.click(offset=(size[0] // 2, 0))
            await pilot.pause()
        if hover is not None:
            await pilot.hover(offset=(hover, 1 if tall else 0))
            await pilot.pause()
        return _cells(app, 3)


SIZES = [(80, 10), (100, 10), (24, 6), (13, 6)]
TITLES = [None, "Statistics", "Odd", "A title far too long to fit " * 3]  # both parities of space
MOUSE = [(None, False), (2, False), (30, False), (3, True)]  # hover at x, after a click (tall)
CASES = [
    (size, title, hover, tall)
    for size in SIZES
    for title in TITLES
    for hover, tall in MOUSE
    # the mouse on the screen; and not tall below 18 columns, where Header's icon and clock
    # space overlap and a click in the middle lands on one of them by Textual's dock rules
    if (hover is None or hover < size[0]) and not (tall and size[0] < 18)
]


@pytest.mark.parametrize(("size", "title", "hover", "tall"), CASES)
async def test_drawn_as_header_draws_it(
    size: tuple[int, int], title: str | None, hover: int | None, tall: bool
) -> None:
    want = await _draw(Header(), size, title, hover, tall)
    got = await _draw(TitleBar(), size, title, hover, tall)
    assert got == want


async def test_icon_opens_the_palette_and_a_click_elsewhere_makes_it_tall() -> None:
    app = TitledApp(TitleBar())
    async with app.run_test(size=(80, 10)) as pilot:
        await pilot.pause()
        bar = app.screen.query_one(TitleBar)
        await pilot.click(TitleBar, offset=(40, 0))
        await pilot.pause()
        assert bar.has_class("-tall") and bar.size.height == 3
        await pilot.click(TitleBar, offset=(40, 1))
        await pilot.pause()
        assert not bar.has_class("-tall") and bar.size.height == 1
        await pilot.hover(TitleBar, offset=(1, 0))
        await pilot.pause()
        assert bar.tooltip == "Open the command palette"
        await pilot.click(TitleBar, offset=(1, 0))
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)


async def test_follows_the_titles() -> None:
    app = TitledApp(TitleBar())
    async with app.run_test(size=(80, 10)) as pilot:
        await pilot.pause()
        bar = app.screen.query_one(TitleBar)
        assert "quizapp — regularization" in bar.render().plain
        app.title = "renamed"
        await pilot.pause()
        assert "renamed — regularization" in bar.render().plain
        app.screen.sub_title = "this screen"
        await pilot.pause()
        assert "renamed — this screen" in bar.render().plain
        app.screen.title = "Stats"
        await pilot.pause()
        plain = bar.render().plain
        assert "Stats — this screen" in plain and "renamed" not in plain
