"""A footer that rebuilds its keys only when the keys it shows change.

Why: Textual's Footer rebuilds every key widget each time the screen's bindings are refreshed
(the first layout, the first focus, every focus change), even when the same keys come back. On
the home screen that was two builds of ten key widgets before the first paint, about a sixth of
the start-up work. This one queues one rebuild at a time and skips a refresh that would show
the same keys (key, action, label, enabled, tooltip all equal); what it shows is what Footer
shows.
"""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer


class KeyFooter(Footer):
    _shown: tuple[Any, ...] | None = None
    _rebuild_pending = False

    def _keys_shown(self) -> tuple[Any, ...]:
        palette = self.app.COMMAND_PALETTE_BINDING
        return tuple(
            (key, b.action, b.description, b.key_display, enabled, tooltip)
            for key, (_, b, enabled, tooltip) in self.screen.active_bindings.items()
            if b.show or key == palette
        )

    def compose(self) -> ComposeResult:
        if self._bindings_ready:  # Footer composes nothing until the bindings are known
            self._shown = self._keys_shown()
        for widget in super().compose():
            # Born compact: Footer sets the class after mounting, a second style pass per key.
            widget.set_class(self.compact, "-compact", update=False)
            yield widget

    def bindings_changed(self, screen: Screen[Any]) -> None:
        """As Footer's, but one rebuild at a time, and none for the same keys."""
        self._bindings_ready = True
        if not screen.app.app_focus or not self.is_attached or screen is not self.screen:
            return
        if self._rebuild_pending or self._keys_shown() == self._shown:
            return  # a rebuild already queued reads the bindings when it runs
        self._rebuild_pending = True
        self.call_after_refresh(self._rebuild)

    async def _rebuild(self) -> None:
        self._rebuild_pending = False
        await self.recompose()
