"""A whole quiz with real keys: every auto-graded type, self-grading, a time-out, results."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Markdown

from quizapp.app import build_app
from quizapp.cardtext import format_value
from quizapp.screens.drill import DrillScreen
from quizapp.screens.quiz import OPTION_KEYS, QuizScreen
from quizapp.session import open_session

QUIZ_DECKS = Path(__file__).parent.parent / "fixtures" / "quizdecks"
SIZE = (80, 24)


@pytest.fixture
def quiz_session(db_path: Path, tmp_path: Path) -> Any:
    session = open_session(db_path, deck_dirs=[QUIZ_DECKS], cache_dir=tmp_path / "c")
    yield session
    session.close()


async def answer(pilot: Any, screen: QuizScreen, right: bool) -> None:
    """Answer the current question the way a user would type it."""
    q = screen.question
    assert q is not None
    if q.type == "multiple_choice":
        positions = (
            sorted(q.correct_positions)
            if right
            else [p for p in range(len(q.options)) if p not in q.correct_positions][:1]
        )
        await pilot.press(*[OPTION_KEYS[p] for p in positions], "enter")
    elif q.type == "typed":
        text = q.card.accept[-1] if right else "nonsense"
        await pilot.press(*text.upper(), "enter")
    elif q.type == "cloze":
        await pilot.press(*("; ".join(q.card.gaps()) if right else "wrong"), "enter")
    elif q.type == "numeric":
        text = format_value(q.face.example.answer) if right else "12345"
        await pilot.press(*text, "enter")
    elif q.type == "basic":
        await pilot.press("space", "y" if right else "n")
    await pilot.pause()


async def test_full_quiz_scores_and_reviews_mistakes(quiz_session: Any, db_path: Path) -> None:
    app = build_app(quiz_session)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.push_screen(QuizScreen(None, count=7, seed=11))
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, QuizScreen)
        assert len(screen.questions) == 7
        types = {q.type for q in screen.questions}
        assert types == {"basic", "multiple_choice", "typed", "cloze", "numeric"}
        wrong_card = screen.questions[2].card_id
        for i in range(7):
            await answer(pilot, screen, right=(i != 2))
            assert screen.phase == "feedback"
            await pilot.press("enter")
            await pilot.pause()
        assert screen.phase == "done"
        results = str(screen.query_one("#quiz-front", Markdown).source)
        assert "**Score: 6/7** (86%)" in results
        assert "## Your mistakes" in results and "| Mini deck |" in results
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, QuizScreen)
    conn = sqlite3.connect(db_path)
    rows = conn.execute("SELECT card_id, correct FROM quiz_answer ORDER BY id").fetchall()
    finished = conn.execute("SELECT finished_at FROM quiz").fetchone()[0]
    reviews = conn.execute("SELECT count(*) FROM review_log").fetchone()[0]
    conn.close()
    assert len(rows) == 7 and [c for c, ok in rows if not ok] == [wrong_card]
    assert finished is not None
    assert reviews == 0  # a quiz is a cram: the FSRS schedule is untouched


async def test_typo_in_a_word_is_tolerated_not_in_numbers(quiz_session: Any) -> None:
    app = build_app(quiz_session)
    async with app.run_test(size=SIZE) as pilot:
        app.push_screen(QuizScreen(["numbers"], count=3, types=("typed",), seed=1))
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, QuizScreen) and len(screen.questions) == 1
        await pilot.press(*"soft tresholding", "enter")
        await pilot.pause()
        assert screen.result.answers[-1].correct
        assert "watch the spelling" in str(screen.query_one("#quiz-verdict").render())


async def test_unparseable_numeric_answer_asks_again(quiz_session: Any) -> None:
    app = build_app(quiz_session)
    async with app.run_test(size=SIZE) as pilot:
        app.push_screen(QuizScreen(["numbers"], count=1, types=("numeric",), seed=1))
        await pilot.pause()
        screen = app.screen
        await pilot.press(*"about two", "enter")
        await pilot.pause()
        assert screen.phase == "question" and not screen.result.answers
        assert "cannot read" in str(screen.query_one("#quiz-verdict").render())


async def test_time_out_ends_the_quiz(quiz_session: Any, db_path: Path) -> None:
    app = build_app(quiz_session)
    async with app.run_test(size=SIZE) as pilot:
        # 4 s: room for one answer even on a loaded machine; then wait for the clock to run out
        app.push_screen(QuizScreen(None, count=5, time_limit_min=4 / 60, seed=2))
        await pilot.pause()
        screen = app.screen
        await answer(pilot, screen, right=True)
        for _ in range(120):
            if screen.phase == "done":
                break
            await pilot.pause(0.25)
        assert screen.phase == "done" and screen.result.timed_out
        results = str(screen.query_one("#quiz-front", Markdown).source)
        assert "time ran out" in results and "4 questions not answered" in results
        assert "**Score: 1/5**" in results


async def test_quiz_can_count_as_reviews(quiz_session: Any, db_path: Path) -> None:
    quiz_session.store.set_setting("quiz.counts_as_review", True)
    app = build_app(quiz_session)
    async with app.run_test(size=SIZE) as pilot:
        app.push_screen(QuizScreen(["mini"], count=2, types=("typed", "cloze"), seed=5))
        await pilot.pause()
        screen = app.screen
        for _ in range(2):
            await answer(pilot, screen, right=True)
            await pilot.press("enter")
    conn = sqlite3.connect(db_path)
    rows = conn.execute("SELECT rating, origin FROM review_log").fetchall()
    conn.close()
    assert rows == [(3, "quiz"), (3, "quiz")]


async def test_drill_session(quiz_session: Any) -> None:
    app = build_app(quiz_session)
    async with app.run_test(size=SIZE) as pilot:
        app.push_screen(DrillScreen("l1_penalty", seed=7))
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, DrillScreen)
        problem = str(screen.query_one("#drill-problem", Markdown).source)
        assert "seed 7" in problem or "--seed 7" in problem
        await pilot.press(*format_value(screen.example.answer), "enter")
        await pilot.pause()
        assert screen.solved == 1 and screen.revealed
        solution = str(screen.query_one("#drill-solution", Markdown).source)
        assert "Worked solution" in solution and "1. " in solution
        first = screen.example
        await pilot.press("n")
        await pilot.pause()
        assert screen.example.seed != first.seed or screen.example.problem != first.problem
        await pilot.press(*"999999", "enter")
        await pilot.pause()
        assert (screen.solved, screen.tried) == (1, 2)


async def test_quiz_counts_as_review_is_a_setting(quiz_session: Any) -> None:
    from textual.widgets import Switch

    app = build_app(quiz_session)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("o")
        await pilot.pause()
        switch = app.screen.query_one("#set-quiz-review", Switch)
        assert switch.value is False
        switch.focus()
        await pilot.press("space", "ctrl+s")
        await pilot.pause()
    assert quiz_session.store.get_setting("quiz.counts_as_review") is True


async def test_drill_vector_answer_typed_as_scalar_asks_again(quiz_session: Any) -> None:
    app = build_app(quiz_session)
    async with app.run_test(size=SIZE) as pilot:
        app.push_screen(DrillScreen("dropout_forward_mask", seed=3))
        await pilot.pause()
        screen = app.screen
        await pilot.press(*"0.5", "enter")
        await pilot.pause()
        assert screen.tried == 0 and not screen.revealed
        assert "expected a list of" in str(screen.query_one("#drill-verdict").render())


async def test_empty_answer_is_a_skip_counted_wrong(quiz_session: Any) -> None:
    app = build_app(quiz_session)
    async with app.run_test(size=SIZE) as pilot:
        app.push_screen(QuizScreen(["numbers"], count=1, types=("numeric",), seed=1))
        await pilot.pause()
        screen = app.screen
        await pilot.press("enter")
        await pilot.pause()
        assert screen.phase == "feedback" and screen.result.answers[-1].correct is False
        assert screen.query_one("#quiz-back").display  # the worked solution is shown


@pytest.mark.parametrize("counts_as_review", [False, True])
async def test_wrong_answer_can_be_counted_as_right(
    quiz_session: Any, db_path: Path, counts_as_review: bool
) -> None:
    quiz_session.store.set_setting("quiz.counts_as_review", counts_as_review)
    app = build_app(quiz_session)
    async with app.run_test(size=SIZE) as pilot:
        app.push_screen(QuizScreen(["mini"], count=2, types=("typed", "cloze"), seed=5))
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, QuizScreen)
        kinds = [q.type for q in screen.questions]
        for _ in range(2):
            q = screen.question
            assert q is not None
            await pilot.press(*"least absolute", "enter")  # wrong by every rule
            await pilot.pause()
            verdict = str(screen.query_one("#quiz-verdict").render())
            expected = q.card.accept[0] if q.type == "typed" else q.card.gaps()[0]
            assert "✘" in verdict and f"expected {expected}" in verdict
            assert "press o" in verdict.lower()
            if q.type == "typed":
                await pilot.press("o")
                await pilot.pause()
                assert "counted as right" in str(screen.query_one("#quiz-verdict").render())
            await pilot.press("enter")
            await pilot.pause()
        assert screen.phase == "done"
        assert screen.result.correct == 1
    conn = sqlite3.connect(db_path)
    rows = conn.execute(
        "SELECT card_type, correct, overridden FROM quiz_answer ORDER BY id"
    ).fetchall()
    reviews = conn.execute(
        "SELECT card_id, rating, answer_check FROM review_log ORDER BY id"
    ).fetchall()
    conn.close()
    assert sorted(rows) == [("cloze", 0, 0), ("typed", 1, 1)]
    if counts_as_review:
        assert sorted(reviews) == [("mini-cloze", 1, "wrong"), ("mini-typed", 3, "overridden")]
    else:
        assert reviews == []
    assert sorted(kinds) == ["cloze", "typed"]
