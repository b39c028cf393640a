"""Quiz from home: `q` asks what to quiz; the header names it; Escape asks; results reach
`quizapp stats --json`; the mistakes keep numeric steps as a list."""

from __future__ import annotations

import asyncio
import io
import json
import os
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import DataTable, Input, Markdown, RadioButton
from textual.widgets._footer import FooterKey

from quizapp.app import build_app
from quizapp.cli import main
from quizapp.cli.env import Environment
from quizapp.screens.quiz import QuizScreen, verdict
from quizapp.screens.quiz_setup import QuizSetupScreen
from quizapp.session import open_session
from quizapp.widgets.confirm import ConfirmScreen
from tests.ui.test_quiz_pilot import answer

QUIZ_DECKS = Path(__file__).parent.parent / "fixtures" / "quizdecks"
SIZE = (80, 24)


@pytest.fixture
def quiz_session(db_path: Path, tmp_path: Path) -> Any:
    session = open_session(db_path, deck_dirs=[QUIZ_DECKS], cache_dir=tmp_path / "c")
    yield session
    session.close()


async def footer(app: Any) -> list[str]:
    """The footer's key descriptions, once the footer has recomposed (slow on a busy machine)."""
    for _ in range(50):
        keys = [str(k.description) for k in app.screen.query(FooterKey)]
        if keys:
            return keys
        await asyncio.sleep(0.05)
    return []


async def test_q_asks_what_to_quiz_and_the_header_names_it(quiz_session: Any) -> None:
    app = build_app(quiz_session)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        table = app.screen.query_one("#decks", DataTable)
        table.move_cursor(row=1)  # the second deck, "Numbers"
        await pilot.press("q")
        await pilot.pause()
        setup = app.screen
        assert isinstance(setup, QuizSetupScreen)
        assert setup.query_one("#quiz-all", RadioButton).value  # all decks by default
        count = setup.query_one("#quiz-count", Input)
        assert count.has_focus and count.value == "20"
        await pilot.press("backspace", "backspace", "x", "enter")  # not a number: says so
        await pilot.pause()
        assert isinstance(app.screen, QuizSetupScreen)
        setup.query_one("#quiz-one", RadioButton).value = True
        count.value = ""
        await pilot.press("2", "enter")
        await pilot.pause()
        quiz = app.screen
        assert isinstance(quiz, QuizScreen)
        assert quiz.deck_ids == ["numbers"] and len(quiz.questions) == 2
        assert "Quiz · Numbers · 1/2" in str(quiz.query_one("#quiz-label").render())


async def test_escape_asks_before_ending_then_footer_says_home(quiz_session: Any) -> None:
    app = build_app(quiz_session)
    async with app.run_test(size=SIZE) as pilot:
        app.push_screen(QuizScreen(None, count=3, types=("multiple_choice",), seed=4))
        await pilot.pause()
        quiz = app.screen
        assert "all decks" in str(quiz.query_one("#quiz-label").render())
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        box = app.screen.query_one("Vertical")
        assert box.size.width >= 40 and box.size.height >= 3  # the question can be read
        await pilot.press("n")  # keep going
        await pilot.pause()
        assert app.screen is quiz and quiz.phase == "question"
        await pilot.press("escape", "y")
        await pilot.pause()
        assert app.screen is quiz and quiz.phase == "done"
        keys = await footer(app)
        assert "Home" in keys and "Answer / next" not in keys and "End quiz" not in keys
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, QuizScreen)


async def test_a_quiz_run_in_the_tui_reaches_stats_json(
    quiz_session: Any, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = build_app(quiz_session)
    async with app.run_test(size=SIZE) as pilot:
        app.push_screen(QuizScreen(["mini"], count=3, types=("typed", "cloze", "basic"), seed=3))
        await pilot.pause()
        quiz = app.screen
        for i in range(3):
            await answer(pilot, quiz, right=i != 1)
            await pilot.press("enter")
            await pilot.pause()
        assert quiz.phase == "done"
    monkeypatch.setenv("QUIZAPP_DECKS", str(QUIZ_DECKS))
    out, err = io.StringIO(), io.StringIO()
    code = main(
        ["--db", str(db_path), "stats", "--json"],
        env=Environment(stdout=out, stderr=err, environ=dict(os.environ)),
    )
    assert code == 0, err.getvalue()
    history = json.loads(out.getvalue())["quiz_history"]
    assert len(history) == 1
    q = history[0]
    assert (q["planned"], q["answered"], q["correct"], q["decks"]) == (3, 3, 2, ["mini"])
    assert q["finished_at"] is not None and q["score"] == pytest.approx(2 / 3)


async def test_mistakes_keep_worked_steps_and_whole_prompts(quiz_session: Any) -> None:
    app = build_app(quiz_session)
    async with app.run_test(size=SIZE) as pilot:
        app.push_screen(QuizScreen(["numbers"], count=1, types=("numeric",), seed=1))
        await pilot.pause()
        quiz = app.screen
        problem = quiz.questions[0].face.front
        await pilot.press(*"12345", "enter", "enter")
        await pilot.pause()
        results = str(quiz.query_one("#quiz-front", Markdown).source)
        assert problem.strip() in results  # the whole problem, every line of it
        assert "**Answer:**\n\n1. " in results  # the steps stay a numbered list
        assert "You answered: ` 12345 `" in results


def test_verdict_reads_right() -> None:
    assert verdict(True, "right").plain.startswith("✔ right  — press")
    assert "right right" not in verdict(True, "right — watch the spelling: **L1**").plain
    assert verdict(True, "right — watch the spelling: **L1**").plain.startswith(
        "✔ right — watch the spelling: L1"
    )
    assert verdict(False, "not attempted").plain.startswith("✘ not attempted")
    assert "wrong not" not in verdict(False, "not attempted").plain
    assert verdict(False, "not quite").plain.startswith("✘ wrong  —")


async def test_drill_enter_on_empty_and_give_up_show_the_worked_solution(
    quiz_session: Any,
) -> None:
    from quizapp.screens.drill import DrillScreen

    app = build_app(quiz_session)
    async with app.run_test(size=SIZE) as pilot:
        app.push_screen(DrillScreen("l1_penalty", seed=7))
        await pilot.pause()
        drill = app.screen
        assert "Give up" in (await footer(app)) and "Show solution" not in (await footer(app))
        await pilot.press("enter")  # nothing typed
        await pilot.pause()
        assert drill.revealed and (drill.solved, drill.tried) == (0, 1)
        solution = str(drill.query_one("#drill-solution", Markdown).source)
        assert "Worked solution" in solution and "\n1. " in solution
        assert "Next problem" in (await footer(app)) and "Give up" not in (await footer(app))
        await pilot.press("n")
        await pilot.pause()
        await pilot.press("1", "ctrl+g")  # half an answer, then give up
        await pilot.pause()
        assert drill.revealed and (drill.solved, drill.tried) == (0, 2)


def _answer_rows(db_path: Path) -> list[tuple[str, int]]:
    import sqlite3

    with sqlite3.connect(db_path) as conn:
        return conn.execute("SELECT card_id, correct FROM quiz_answer ORDER BY id").fetchall()


async def test_ctrl_z_takes_back_the_last_answer_and_asks_again(
    quiz_session: Any, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = build_app(quiz_session)
    async with app.run_test(size=SIZE) as pilot:
        app.push_screen(QuizScreen(["mini"], count=2, types=("typed", "cloze"), seed=3))
        await pilot.pause()
        quiz = app.screen
        assert "Undo" not in await footer(app)  # nothing answered yet
        first = quiz.questions[0]
        await answer(pilot, quiz, right=False)
        assert quiz.phase == "feedback" and _answer_rows(db_path) == [(first.card_id, 0)]
        assert "Undo" in await footer(app)
        await pilot.press("ctrl+z")  # the answer box had focus before: the key still works
        await pilot.pause()
        assert quiz.phase == "question" and quiz.question is first
        assert quiz.query_one("#quiz-answer", Input).has_focus
        assert quiz.query_one("#quiz-answer", Input).value == ""
        assert _answer_rows(db_path) == []  # the row is gone
        assert str(quiz.query_one("#quiz-score").render()) == "✔ 0"
        await answer(pilot, quiz, right=True)
        await pilot.press("enter")  # next question
        await pilot.pause()
        assert quiz.question is quiz.questions[1]
        await answer(pilot, quiz, right=True)
        await pilot.press("ctrl+z")  # after moving on, the latest answer is the one undone
        await pilot.pause()
        assert quiz.question is quiz.questions[1] and quiz.phase == "question"
        assert _answer_rows(db_path) == [(first.card_id, 1)]
        await answer(pilot, quiz, right=False)
        await pilot.press("enter")
        await pilot.pause()
        assert quiz.phase == "done" and quiz.result.correct == 1
        assert "Score: 1/2" in str(quiz.query_one("#quiz-front", Markdown).source)
        await pilot.press("ctrl+z")  # the results are final
        await pilot.pause()
        assert quiz.phase == "done"
    assert [c for _, c in _answer_rows(db_path)] == [1, 0]
    monkeypatch.setenv("QUIZAPP_DECKS", str(QUIZ_DECKS))
    out, err = io.StringIO(), io.StringIO()
    code = main(
        ["--db", str(db_path), "stats", "--json"],
        env=Environment(stdout=out, stderr=err, environ=dict(os.environ)),
    )
    assert code == 0, err.getvalue()
    (q,) = json.loads(out.getvalue())["quiz_history"]
    assert (q["answered"], q["correct"]) == (2, 1)  # each question counted once


async def test_quiz_undo_in_the_command_palette(quiz_session: Any) -> None:
    app = build_app(quiz_session)
    async with app.run_test(size=SIZE) as pilot:
        app.push_screen(QuizScreen(["mini"], count=2, types=("typed",), seed=3))
        await pilot.pause()
        quiz = app.screen
        titles = [c.title for c in app.get_system_commands(quiz)]
        assert not any("Undo" in t for t in titles)
        await answer(pilot, quiz, right=True)
        titles = [c.title for c in app.get_system_commands(quiz)]
        assert "Undo the last answer" in titles


async def test_quiz_undo_also_takes_back_the_fsrs_rating_when_quizzes_count(
    quiz_session: Any, db_path: Path
) -> None:
    import sqlite3

    quiz_session.store.set_setting("quiz.counts_as_review", True)
    before = quiz_session.store.card("mini-typed")
    app = build_app(quiz_session)
    async with app.run_test(size=SIZE) as pilot:
        app.push_screen(QuizScreen(["mini"], count=1, types=("typed",), seed=3))
        await pilot.pause()
        quiz = app.screen
        await answer(pilot, quiz, right=True)
        with sqlite3.connect(db_path) as conn:
            assert conn.execute("SELECT count(*) FROM review_log").fetchone()[0] == 1
        await pilot.press("ctrl+z")
        await pilot.pause()
        with sqlite3.connect(db_path) as conn:
            assert conn.execute("SELECT count(*) FROM review_log").fetchone()[0] == 0
        assert quiz_session.store.card("mini-typed") == before
        assert _answer_rows(db_path) == [] and quiz.phase == "question"
