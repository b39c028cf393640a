"""The screen's keys in one line, drawn as a compact Footer draws them, by a single widget.

Why: Textual's Footer is a scrolling container with one widget per key (each styled, laid out
and painted on its own), rebuilt whenever the bindings change. On the stats screen that was
about 40 ms of the UI thread's work before the numbers show (measured: the screen came up
~45 ms sooner with one widget in its place, medians of 15 opens at 100,000 cards; browse's
first rows ~10 ms sooner). Home, stats and browse use it. This one
reads the same active bindings, draws the same text with the same theme variables (key bold
in `$footer-key-*`, description in `$footer-description-*`, one space between keys, the
command palette's key on the right after a thin rule), repaints only when the keys change,
and turns a click on a key into that key press, as Footer does. It does not combine binding
groups or show tooltips: it is for screens whose keys have neither.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from rich.style import Style
from rich.text import Text
from textual import events
from textual.screen import Screen
from textual.widget import Widget


class ShownKey(NamedTuple):
    key: str
    display: str
    description: str
    enabled: bool


class KeyLine(Widget, can_focus=False):
    ALLOW_SELECT = False
    COMPONENT_CLASSES = {"key-line--key", "key-line--description", "key-line--rule"}
    DEFAULT_CSS = """
    KeyLine {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
        .key-line--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        .key-line--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
        .key-line--rule {
            color: $foreground 20%;
        }
    }
    """

    def __init__(self, *, show_command_palette: bool = True, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.show_command_palette = show_command_palette
        self.keys: list[ShownKey] = []
        self.palette: ShownKey | None = None
        self._spans: list[tuple[int, int, ShownKey]] = []  # x range of each key drawn

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self._read_keys()

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen[Any]) -> None:
        if self.is_attached and screen is self.screen:
            self._read_keys()

    def _read_keys(self) -> None:
        app = self.app
        keys, palette = [], None
        for key, (_, binding, enabled, _) in self.screen.active_bindings.items():
            shown = ShownKey(key, app.get_key_display(binding), binding.description, enabled)
            if key == app.COMMAND_PALETTE_BINDING:
                if self.show_command_palette and app.ENABLE_COMMAND_PALETTE:
                    palette = shown
            elif binding.show:
                keys.append(shown)
        if (keys, palette) != (self.keys, self.palette):
            self.keys, self.palette = keys, palette
            self.refresh()

    def _key_text(self, shown: ShownKey) -> Text:
        key_style = self.get_component_rich_style("key-line--key")
        text = Text()
        text.append(shown.display, style=key_style)  # not Text(style=): that styles it all
        if shown.description:
            description_style = self.get_component_rich_style("key-line--description")
            text.append(" " + shown.description, style=description_style)
        if not shown.enabled:
            text.stylize(Style(dim=True))
        return text

    def needed_width(self) -> int:
        """Cells the whole line takes: the keys, and the palette's key with its rule."""
        widths = [self._key_text(k).cell_len for k in self.keys]
        keys = sum(widths) + len(widths)  # one space after each key
        palette = 2 + self._key_text(self.palette).cell_len if self.palette else 0
        return keys + palette

    def render(self) -> Text:
        width = self.size.width
        line = Text(no_wrap=True, overflow="crop", end="")
        spans = []
        for i, shown in enumerate(self.keys):
            if i:
                line.append(" ")  # the margin after each key (the last one's is the padding)
            start = line.cell_len
            line.append_text(self._key_text(shown))
            spans.append((start, line.cell_len, shown))
        if self.palette is not None:
            palette = self._key_text(self.palette)
            rule = Text("▏", style=self.get_component_rich_style("key-line--rule"))
            right = 1 + palette.cell_len + 1  # the rule, the key, its margin (as Footer's)
            gap = max(0, width - right - line.cell_len)
            line.append(" " * gap)
            line.append_text(rule)
            start = line.cell_len
            line.append_text(palette)
            spans.append((start, line.cell_len, self.palette))
            line.append(" ")
        line.truncate(max(width, 0))
        self._spans = spans
        return line

    def on_mouse_down(self, event: events.MouseDown) -> None:
        for start, end, shown in self._spans:
            if start <= event.x < end:
                if shown.enabled:
                    self.app.simulate_key(shown.key)
                else:
                    self.app.bell()
                return

    def key_at(self, x: int) -> str | None:
        """The key drawn at column x (for tests), or None."""
        return next((s.key for start, end, s in self._spans if start <= x < end), None)
