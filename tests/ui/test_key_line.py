"""KeyLine: the screen's keys in one widget, as a compact Footer draws them; a click on a key
presses it; the line follows the bindings as they change."""

from __future__ import annotations

from typing import Any

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Static
from textual.widgets._footer import FooterKey

from quizapp.widgets.key_line import KeyLine


class Keys(Screen[None]):
    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("r", "refresh_it", "Refresh"),
        Binding("x", "extra", "Extra"),
        Binding("h", "hidden", "Hidden", show=False),
    ]

    def __init__(self, footer: Any) -> None:
        super().__init__()
        self.footer = footer
        self.pressed: list[str] = []
        self.extra = True

    def compose(self) -> ComposeResult:
        yield Static("body")
        yield self.footer

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.extra if action == "extra" else True

    def action_back(self) -> None:
        self.pressed.append("back")

    def action_refresh_it(self) -> None:
        self.pressed.append("refresh")

    def action_extra(self) -> None:
        self.pressed.append("extra")


class KeysApp(App[None]):
    BINDINGS = [Binding("ctrl+q", "quit", "Quit")]

    def __init__(self, footer: Any) -> None:
        super().__init__()
        self.keys_screen = Keys(footer)

    def on_mount(self) -> None:
        self.push_screen(self.keys_screen)


async def test_the_line_is_what_a_compact_footer_shows() -> None:
    """The same keys, labels and order as Footer(compact=True), one space apart, and the
    palette's key last, after its rule, one cell from the right edge."""
    footer_app = KeysApp(Footer(compact=True))
    async with footer_app.run_test(size=(80, 10)) as pilot:
        await pilot.pause(0.1)
        footer_keys = [
            (k.key_display, k.description)
            for k in footer_app.screen.query(FooterKey)
            if "-command-palette" not in k.classes
        ]
        palette = [k.key_display for k in footer_app.screen.query(".-command-palette")]
    app = KeysApp(KeyLine())
    async with app.run_test(size=(80, 10)) as pilot:
        await pilot.pause()
        line = app.screen.query_one(KeyLine)
        assert [(k.display, k.description) for k in line.keys] == footer_keys
        assert line.palette is not None and [line.palette.display] == palette
        text = line.render().plain
        keys = " ".join(f"{d} {desc}" for d, desc in footer_keys)
        assert text.startswith(keys + " ")
        assert text.endswith(f"▏{line.palette.display} {line.palette.description} ")
        tail = f"▏{line.palette.display} {line.palette.description} "
        assert len(text) == 80 and line.needed_width() == len(keys) + 1 + len(tail)


async def test_a_click_on_a_key_presses_it() -> None:
    app = KeysApp(KeyLine())
    async with app.run_test(size=(80, 10)) as pilot:
        await pilot.pause()
        line = app.screen.query_one(KeyLine)
        text = line.render().plain
        await pilot.click(KeyLine, offset=(text.index("Refresh"), 0))
        await pilot.click(KeyLine, offset=(0, 0))  # "esc"
        await pilot.click(KeyLine, offset=(text.index("Refresh") - 3, 0))  # the gap: nothing
        await pilot.pause()
        assert app.keys_screen.pressed == ["refresh", "back"]
        assert line.key_at(text.index("Refresh")) == "r"
        assert line.key_at(text.index("▏")) is None  # the rule before the palette's key


async def test_the_line_follows_the_bindings() -> None:
    app = KeysApp(KeyLine())
    async with app.run_test(size=(80, 10)) as pilot:
        await pilot.pause()
        line = app.screen.query_one(KeyLine)
        assert "Extra" in line.render().plain and "Hidden" not in line.render().plain
        app.keys_screen.extra = False  # check_action now hides it
        app.keys_screen.refresh_bindings()
        await pilot.pause()
        assert [k.description for k in line.keys] == ["Back", "Refresh", "Quit"]
        assert "Extra" not in line.render().plain
