"""The screen's title line, drawn as Textual's Header draws it, by a single widget.

Why: Header is four widgets (itself, the icon, the title and the clock's space), each styled,
laid out and painted on every screen push, and it sets its title only once mounted, which lays
the screen out once more (seen on the stats screen: a third layout before the numbers). This
one draws the same line: the icon in the first
eight cells (`app.command_palette` on a click, shaded under the mouse), the title and
sub-title as `App.format_title` formats them, centred between the icon and the ten cells
Header keeps for its clock, cut with an ellipsis when too long; a click elsewhere makes it
three lines tall and back, as Header does. It follows the app's and the screen's title and
sub-title, repainting only itself. It has no clock (no screen of ours shows one).
"""

from __future__ import annotations

from typing import Any

from textual import events
from textual.app import RenderResult
from textual.content import Content
from textual.dom import NoScreen
from textual.widget import Widget

ICON = "⭘"
ICON_WIDTH = 8  # Header's icon: 8 cells with a cell of padding on each side
CLOCK_WIDTH = 10  # the space Header leaves on the right for its clock, shown or not
PALETTE_TOOLTIP = "Open the command palette"


class TitleBar(Widget, can_focus=False):
    ALLOW_SELECT = False
    DEFAULT_CSS = """
    TitleBar {
        dock: top;
        width: 100%;
        height: 1;
        background: $panel;
        color: $foreground;
    }
    TitleBar.-tall {
        height: 3;
    }
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._icon_hover = False

    def on_mount(self) -> None:
        for node in (self.app, self.screen):
            for name in ("title", "sub_title"):
                self.watch(node, name, self._title_changed, init=False)

    def _title_changed(self) -> None:
        self.refresh()

    @property
    def palette_enabled(self) -> bool:
        return bool(self.app.ENABLE_COMMAND_PALETTE)

    def title_content(self) -> Content:
        """The title and sub-title as Header shows them (`App.format_title`)."""
        try:
            screen = self.screen
        except NoScreen:
            return Content("")
        title = screen.title if screen.title is not None else self.app.title
        sub = screen.sub_title if screen.sub_title is not None else self.app.sub_title
        return self.app.format_title(title, sub)

    def _icon_end(self) -> int:
        """Where the icon's cells end: Header's clock space, docked right, covers them on a
        screen narrower than both."""
        return max(0, min(ICON_WIDTH, self.size.width - CLOCK_WIDTH))

    def render(self) -> RenderResult:
        width, height = self.size
        icon_w = min(ICON_WIDTH, width)
        shown = self._icon_end()
        hover = self._icon_hover and self.palette_enabled

        def icon_cells(text: str) -> Content:
            cells = Content(text).truncate(shown, pad=True).pad_right(icon_w - shown)
            return cells.stylize("on $foreground 10%", 0, shown) if hover else cells

        middle = max(0, width - ICON_WIDTH - CLOCK_WIDTH)
        title = self.title_content().rstrip().truncate(middle, ellipsis=True)
        left = max(0, middle - title.cell_length) // 2
        rest = " " * max(0, width - icon_w)
        titled = Content.assemble(
            " " * left, title, " " * max(0, width - icon_w - left - title.cell_length)
        )
        # Tall, as Header is: the title on the top line (its widget is one line high), the
        # icon on the middle line, and the icon's cells shaded on every line under the mouse.
        icon_row = (height - 1) // 2
        lines = [
            Content.assemble(
                icon_cells(f" {ICON}" if row == icon_row else ""), titled if row == 0 else rest
            )
            for row in range(max(1, height))
        ]
        return lines[0] if len(lines) == 1 else Content("\n").join(lines)

    def on_mouse_move(self, event: events.MouseMove) -> None:
        hover = event.x < ICON_WIDTH
        if hover != self._icon_hover:
            self._icon_hover = hover
            self.tooltip = PALETTE_TOOLTIP if hover and self.palette_enabled else None
            self.refresh()

    def on_leave(self, event: events.Leave) -> None:
        if self._icon_hover:
            self._icon_hover = False
            self.tooltip = None
            self.refresh()

    async def on_click(self, event: events.Click) -> None:
        event.stop()
        if event.x < ICON_WIDTH and self.palette_enabled:
            await self.run_action("app.command_palette")
        else:
            self.toggle_class("-tall")
