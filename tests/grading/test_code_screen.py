"""Pilot tests for the coding screens, inside a tiny App that only provides `.store`."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

import pytest
from textual.app import App
from textual.widgets import DataTable, Markdown, Static, TextArea

from quizapp.grading import get_task
from quizapp.screens.code import CodePracticeScreen, TaskListScreen
from quizapp.store import Store

from .helpers import wait_no_children

CORRECT = get_task("l1_penalty").solution
WRONG = "import numpy as np\n\ndef l1_penalty(w, lam):\n    return float(lam * np.sum(w))\n"
HANG = "def l1_penalty(w, lam):\n    while True:\n        pass\n"


class _Harness(App[None]):
    def __init__(self, store: Store, screen: Any) -> None:
        super().__init__()
        self.store = store
        self._first = screen
        self.result: Any = "not dismissed"

    def on_mount(self) -> None:
        def done(value: Any) -> None:
            self.result = value

        self.push_screen(self._first, done)


@pytest.fixture
def store(tmp_path: Path) -> Any:
    s = Store.open(tmp_path / "quizapp.db")
    yield s
    s.close()


async def _wait_graded(pilot: Any, screen: CodePracticeScreen, attempts: int) -> None:
    """Wait for the grading worker and the message it posts (no fixed sleeps)."""
    deadline = time.monotonic() + 20
    while len(screen.app.store.attempts(screen.coding_task.id)) < attempts:  # type: ignore[attr-defined]
        assert time.monotonic() < deadline, "grading did not finish"
        await pilot.app.workers.wait_for_complete()
        await pilot.pause(0.02)


def _set_code(screen: CodePracticeScreen, code: str) -> None:
    screen.query_one("#editor", TextArea).load_text(code)


async def test_run_records_attempt_and_dismisses_true(store: Store) -> None:
    screen = CodePracticeScreen("l1_penalty")
    app = _Harness(store, screen)
    async with app.run_test() as pilot:
        _set_code(screen, WRONG)
        await pilot.press("ctrl+r")
        await _wait_graded(pilot, screen, 1)
        results = str(screen.query_one("#results", Static).render())
        assert "wrong_answer" in results
        assert screen.query_one("#results").has_class("failed")
        assert screen.outcome is False

        _set_code(screen, CORRECT)
        await pilot.press("ctrl+r")
        await _wait_graded(pilot, screen, 2)
        assert "passed" in str(screen.query_one("#results", Static).render())
        await pilot.press("escape")
        await pilot.pause()
    assert app.result is True
    attempts = store.attempts("l1_penalty")
    assert [a.verdict for a in attempts] == ["wrong_answer", "passed"]
    assert attempts[1].code == CORRECT
    assert store.task_progress()["l1_penalty"].status == "passed"
    assert wait_no_children() == []


async def test_no_attempt_dismisses_none_and_solution_is_locked(store: Store) -> None:
    screen = CodePracticeScreen("soft_threshold")
    app = _Harness(store, screen)
    async with app.run_test() as pilot:
        await pilot.press("ctrl+o")
        assert screen.query_one("#solution").display is False
        await pilot.press("ctrl+t")
        await pilot.press("ctrl+t")
        hints = screen.query_one("#hints", Markdown)
        assert screen.hints_shown == 2
        assert "Hint 2" in hints.source and "Hint 3" not in hints.source
        await pilot.press("escape")
        await pilot.pause()
    assert app.result is None
    assert wait_no_children() == []


async def test_drafts_are_saved_while_typing_and_restored(store: Store) -> None:
    screen = CodePracticeScreen("l2_penalty")
    app = _Harness(store, screen)
    async with app.run_test() as pilot:
        editor = screen.query_one("#editor", TextArea)
        assert editor.text == get_task("l2_penalty").starter
        editor.move_cursor(editor.document.end)
        await pilot.press("#", " ", "h", "i")
        await asyncio.sleep(0.8)  # past the 0.5 s debounce
        await pilot.pause()
        assert (store.load_draft("l2_penalty") or "").endswith("# hi")
        await pilot.press("x")
        await pilot.press("escape")  # leaving saves at once
        await pilot.pause()
    assert (store.load_draft("l2_penalty") or "").endswith("# hix")

    screen2 = CodePracticeScreen("l2_penalty")
    async with _Harness(store, screen2).run_test() as pilot:
        assert screen2.query_one("#editor", TextArea).text.endswith("# hix")


async def test_running_again_cancels_and_kills_the_previous_run(store: Store) -> None:
    screen = CodePracticeScreen("l1_penalty")
    app = _Harness(store, screen)
    async with app.run_test() as pilot:
        _set_code(screen, HANG)
        await pilot.press("ctrl+r")
        await pilot.pause(0.3)
        _set_code(screen, CORRECT)
        start = time.monotonic()
        await pilot.press("ctrl+r")
        await _wait_graded(pilot, screen, 1)
        assert time.monotonic() - start < 3, "the hung run was not cancelled"
        assert screen.outcome is True
    assert [a.verdict for a in store.attempts("l1_penalty")] == ["passed"]
    assert wait_no_children() == []


async def test_task_list_shows_status_and_opens_a_task(store: Store) -> None:
    store.record_attempt("l2_gradient", "x", "wrong_answer", False, 0.1, "{}")
    store.record_attempt("l1_penalty", "x", "passed", True, 0.1, "{}")
    app = _Harness(store, TaskListScreen())
    async with app.run_test() as pilot:
        table = app.screen.query_one(DataTable)
        marks = {str(table.get_row(k)[1]): table.get_row(k)[0] for k in table.rows}
        assert marks["l1_penalty"] == "✔"
        assert marks["l2_gradient"] == "✘"
        assert marks["soft_threshold"] == "·"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CodePracticeScreen)
        assert app.screen.coding_task.id == table.get_row_at(0)[1]
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, TaskListScreen)
    assert wait_no_children() == []


async def test_home_screen_c_opens_the_task_list(mini_session: Any) -> None:
    """The lead's app wires `c` on the home screen to this task list."""
    from quizapp.app import build_app

    app = build_app(mini_session)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, TaskListScreen)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CodePracticeScreen)
        await pilot.press("escape")
        await pilot.pause()
    assert wait_no_children() == []
