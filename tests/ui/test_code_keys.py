"""The code screen with real keys: layout toggle, editor habits, reference in front, a
scratch call run in the sandbox, and a report whose columns and caret stay aligned."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from textual.app import App
from textual.widgets import Input, Markdown, Static, TextArea

from quizapp.screens.code import CodePracticeScreen, ReferenceScreen
from quizapp.store import Store
from quizapp.widgets.editor import CodeEditor, indent_after, toggle_comment


class _Harness(App[None]):
    def __init__(self, store: Store, screen: Any) -> None:
        super().__init__()
        self.store = store
        self._first = screen

    def on_mount(self) -> None:
        self.push_screen(self._first)


@pytest.fixture
def store(tmp_path: Path) -> Any:
    s = Store.open(tmp_path / "quizapp.db")
    yield s
    s.close()


def test_indent_and_comment_rules() -> None:
    assert indent_after("def f(x):") == "    "
    assert indent_after("    if x:  # note") == "        "
    assert indent_after("        return x") == "    "
    assert indent_after("    y = 1") == "    "
    assert toggle_comment(["    a = 1", "", "    b = 2"]) == ["    # a = 1", "", "    # b = 2"]
    assert toggle_comment(["    # a = 1", "    #b"]) == ["    a = 1", "    b"]


async def _until(pilot: Any, cond: Any, what: str) -> None:
    deadline = time.monotonic() + 20
    while not cond():
        assert time.monotonic() < deadline, (
            what,
            str(pilot.app.screen.query("#results").first().render()),
        )
        await pilot.pause(0.05)


async def test_editor_auto_indents_comments_and_highlights(store: Store) -> None:
    screen = CodePracticeScreen("l1_penalty")
    app = _Harness(store, screen)
    async with app.run_test(size=(100, 30)) as pilot:
        editor = screen.query_one("#editor", CodeEditor)
        assert editor.language == "python"  # tree-sitter (textual[syntax]) is installed
        editor.load_text("def f(w):")
        editor.move_cursor((0, 9))
        await pilot.press("enter", *"if w:", "enter", *"return 1")
        await pilot.pause()
        assert editor.text == "def f(w):\n    if w:\n        return 1"
        await pilot.press("ctrl+underscore")  # what a terminal sends for ctrl+/
        await pilot.pause()
        assert editor.text.splitlines()[2] == "        # return 1"
        assert not editor.soft_wrap
        await pilot.press("f2")
        assert editor.soft_wrap


async def test_layout_cycles_and_reference_is_in_front(store: Store) -> None:
    screen = CodePracticeScreen("l1_penalty")
    app = _Harness(store, screen)
    async with app.run_test(size=(100, 30)) as pilot:
        left, right = screen.query_one("#code-left"), screen.query_one("#code-editor")
        split = left.size.width
        assert 30 <= split < 60
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert not left.display or left.size.width == 0
        assert right.size.width >= 95  # the editor takes the whole width
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert left.size.width >= 95  # the statement, read at full width
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert left.size.width == split
        screen.attempted = True  # as after a run
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert isinstance(app.screen, ReferenceScreen)
        shown = str(app.screen.query_one("#reference-text", Markdown).source)
        assert "def l1_penalty" in shown
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen


async def test_scratch_call_runs_in_the_sandbox(store: Store) -> None:
    screen = CodePracticeScreen("l1_penalty")
    app = _Harness(store, screen)
    async with app.run_test(size=(100, 30)) as pilot:
        screen.query_one("#editor", TextArea).load_text(
            "import numpy as np\n\ndef l1_penalty(w, lam):\n"
            "    print('seen', len(w))\n    return float(lam * np.abs(w).sum())\n"
        )
        await pilot.press("ctrl+g")
        await pilot.pause()
        box = screen.query_one("#scratch", Input)
        assert box.has_focus and box.value == "l1_penalty("
        await pilot.press(*"np.array([0.5, -1.5]), 2)", "enter")
        results = screen.query_one("#results", Static)
        await _until(pilot, lambda: "value:" in str(results.render()), "scratch did not finish")
        text = str(results.render())
        assert "value:  4.0" in text and "| seen 2" in text
        await pilot.press("escape")  # out of the box, not off the screen
        await pilot.pause()
        assert app.screen is screen and screen.query_one("#editor").has_focus
    assert store.attempts("l1_penalty") == []  # nothing was graded


async def test_report_keeps_columns_and_caret_aligned(store: Store) -> None:
    screen = CodePracticeScreen("l1_penalty")
    app = _Harness(store, screen)
    async with app.run_test(size=(80, 24)) as pilot:
        screen.query_one("#editor", TextArea).load_text(
            "import numpy as np\n\ndef l1_penalty(w, lam):\n    x = (1,\n"
        )
        await pilot.press("ctrl+r")
        await _until(pilot, lambda: bool(store.attempts("l1_penalty")), "grading did not finish")
        await pilot.pause()
        lines = str(screen.query_one("#results", Static).render()).splitlines()
        caret = next(i for i, ln in enumerate(lines) if ln.strip() == "^")
        code_line = lines[caret - 1]
        assert code_line.strip() == "x = (1,"
        assert lines[caret].index("^") == code_line.index("(")  # under the bracket
        results = screen.query_one("#results", Static)
        box = screen.query_one("#report-box")
        assert results.size.width >= box.size.width  # not squeezed: it scrolls instead


async def test_a_wide_code_block_in_the_statement_scrolls_with_keys(store: Store) -> None:
    from quizapp.widgets.code_markdown import ScrollableFence

    screen = CodePracticeScreen("label_smoothing_cross_entropy")  # a 69-column code line
    app = _Harness(store, screen)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        fences = list(screen.query_one("#statement").query(ScrollableFence))
        wide = [f for f in fences if f.max_scroll_x > 0]
        assert wide, [f.max_scroll_x for f in fences]
        block = wide[0]
        assert all(f.allow_focus() == (f.max_scroll_x > 0) for f in fences)
        assert screen.query_one("#editor", CodeEditor).has_focus
        await pilot.press("f6")  # tab indents in the editor: f6 goes to the statement
        await pilot.pause()
        assert screen.query_one("#code-left").has_focus
        for _ in range(len(wide)):  # then tab reaches the wide blocks, in order
            if block.has_focus:
                break
            await pilot.press("tab")
            await pilot.pause()
        assert block.has_focus
        assert block.scroll_x == 0
        await pilot.press("right", "right")
        await pilot.pause()
        assert block.scroll_x > 0
        await pilot.press("end")
        await pilot.pause()
        assert block.scroll_x == block.max_scroll_x
        await pilot.press("left")
        await pilot.pause()
        assert 0 < block.scroll_x < block.max_scroll_x
        await pilot.press("home")
        await pilot.pause()
        assert block.scroll_x == 0
        editor = screen.query_one("#editor", CodeEditor)
        assert editor.text == screen.coding_task.starter  # no key reached the editor
        await pilot.press("f6")
        await pilot.pause()
        assert editor.has_focus


@pytest.mark.parametrize("size", [(80, 24), (100, 30)])
async def test_task_list_columns_fit_without_sideways_scrolling(
    store: Store, size: tuple[int, int]
) -> None:
    from textual.widgets import DataTable

    from quizapp.screens.code import TaskListScreen

    screen = TaskListScreen()
    app = _Harness(store, screen)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        table = screen.query_one(DataTable)
        assert table.max_scroll_x == 0  # "attempts" is on screen, nothing hides to the right
        widths = [c.get_render_width(table) for c in table.ordered_columns]
        assert sum(widths) <= table.scrollable_content_region.width
        from quizapp.grading.catalog import all_tasks

        width = table.ordered_columns[2].width
        long = [t.title for t in all_tasks()[: table.size.height - 1] if len(t.title) > width]
        lines = [table.render_line(y).text for y in range(1, table.size.height)]
        if size == (80, 24):
            assert long  # some titles on screen are wider than their column here: cut with …
        for title in long:
            assert any(title[: width - 1] + "…" in line for line in lines), title
        assert all(line.rstrip().endswith("0") for line in lines if line.strip())  # attempts
