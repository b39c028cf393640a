"""The code editor: Textual's TextArea with the two habits every Python editor has.

Enter keeps the line's indentation and adds one level after a `:`; ctrl+/ comments or
uncomments the selected lines. Highlighting comes from tree-sitter (`textual[syntax]`); without
the grammar the editor still works, uncoloured.
"""

from __future__ import annotations

from typing import Any

from textual import events
from textual.binding import Binding
from textual.widgets import TextArea
from textual.widgets.text_area import Selection

INDENT = "    "


def indent_after(line_before_cursor: str) -> str:
    """The indentation a new line gets: the same as this line, one more after a `:`."""
    stripped = line_before_cursor.rstrip()
    lead = line_before_cursor[: len(line_before_cursor) - len(line_before_cursor.lstrip())]
    code = stripped.split("#", 1)[0].rstrip() if "#" in stripped else stripped
    if code.endswith(":"):
        return lead + INDENT
    if code.lstrip().startswith(("return", "pass", "raise", "break", "continue")) and lead:
        return lead[: max(0, len(lead) - len(INDENT))]
    return lead


def toggle_comment(lines: list[str]) -> list[str]:
    """Comment the lines (at their common indentation), or uncomment them if all are comments."""
    code = [ln for ln in lines if ln.strip()]
    if not code:
        return lines
    if all(ln.lstrip().startswith("#") for ln in code):
        out = []
        for ln in lines:
            body = ln.lstrip()
            lead = ln[: len(ln) - len(body)]
            if body.startswith("# "):
                body = body[2:]
            elif body.startswith("#"):
                body = body[1:]
            out.append(lead + body)
        return out
    col = min(len(ln) - len(ln.lstrip()) for ln in code)
    return [ln[:col] + "# " + ln[col:] if ln.strip() else ln for ln in lines]


class CodeEditor(TextArea):
    """A Python editor: auto-indent, ctrl+/ comments, soft wrap on request."""

    BINDINGS = [
        # Terminals send ctrl+/ as ctrl+_ (0x1f); both are bound.
        Binding(
            "ctrl+slash,ctrl+underscore", "toggle_comment", "Comment", key_display="^/", show=False
        ),
    ]

    @classmethod
    def python(cls, text: str, **kwargs: Any) -> CodeEditor:
        from textual.widgets.text_area import LanguageDoesNotExist

        try:
            editor = cls.code_editor(text, language="python", **kwargs)
        except LanguageDoesNotExist:  # no tree-sitter grammar installed
            editor = cls.code_editor(text, **kwargs)
        assert isinstance(editor, CodeEditor)
        return editor

    async def _on_key(self, event: events.Key) -> None:
        if event.key == "enter" and not self.read_only:
            event.stop()
            event.prevent_default()
            row, col = self.cursor_location
            before = self.document.get_line(row)[:col]
            start, end = self.selection
            self.replace("\n" + indent_after(before), start, end, maintain_selection_offset=False)
            return
        await super()._on_key(event)

    def action_toggle_comment(self) -> None:
        start, end = sorted(self.selection)
        first, last = start[0], end[0]
        if last > first and end[1] == 0:  # a selection ending at a line start stops above it
            last -= 1
        lines = [self.document.get_line(r) for r in range(first, last + 1)]
        new = toggle_comment(lines)
        if new != lines:
            self.replace("\n".join(new), (first, 0), (last, len(lines[-1])))
            self.selection = Selection((first, 0), (last, len(new[-1])))
