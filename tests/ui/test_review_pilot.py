"""Real keys through the real app; then read what landed in the SQLite file."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from textual.widgets import DataTable, Input, Markdown

from quizapp.app import build_app
from quizapp.cardtext import OPTION_KEYS
from quizapp.screens.help import HelpScreen
from quizapp.screens.home import HomeScreen
from quizapp.screens.review import RatingLabel, ReviewScreen

SIZE = (80, 24)


def logs(db: Path) -> list[tuple[str, int]]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT card_id, rating FROM review_log ORDER BY id").fetchall()
    finally:
        conn.close()


def card_state(db: Path, card_id: str) -> tuple[Any, ...]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(
            "SELECT state, reps, due FROM card WHERE card_id = ?", (card_id,)
        ).fetchone()
    finally:
        conn.close()


def mc_key(app: Any, right: bool = True) -> str:
    """The letter of a right (or wrong) option as this review shuffled them."""
    f = app.screen.face
    wrong = set(range(len(f.options))) - set(f.correct)
    return OPTION_KEYS[min(f.correct) if right else min(wrong)]


def front_text(app: Any) -> str:
    return str(app.screen.query_one("#front", Markdown).source)


async def test_home_shows_counts(mini_session: Any) -> None:
    app = build_app(mini_session)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        table = app.screen.query_one("#decks", DataTable)
        assert table.row_count == 2  # the deck and the total
        row = [str(c) for c in table.get_row("mini")]
        assert row == ["Mini deck", "4", "0", "0", "4"]


async def test_review_basic_card_rates_and_persists(mini_session: Any, db_path: Path) -> None:
    app = build_app(mini_session)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        assert "gradient of λ‖w‖²" in front_text(app)
        assert not app.screen.query_one("#ratings").display
        await pilot.press("space")
        await pilot.pause()
        labels = {r.rating: str(r.render()) for r in app.screen.query(RatingLabel)}
        assert "Again" in labels[1] and "1m" in labels[1]
        assert "10m" in labels[3]
        await pilot.press("3")
        await pilot.pause()
    assert logs(db_path) == [("mini-basic", 3)]
    state, reps, _ = card_state(db_path, "mini-basic")
    assert (state, reps) == (1, 1)  # learning, one rep


async def test_multiple_choice_is_checked_and_suggestion_can_be_accepted(
    mini_session: Any, db_path: Path
) -> None:
    app = build_app(mini_session, start="review")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space", "4")  # basic card: Easy
        await pilot.pause()
        assert "inverted dropout" in front_text(app)
        await pilot.pause()
        await pilot.press(mc_key(app, right=False), "enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        assert screen.suggested == 1
        assert screen.query_one("#rate-1", RatingLabel).has_class("suggested")
        await pilot.press("enter")  # accept the suggestion
        await pilot.pause()
    assert logs(db_path) == [("mini-basic", 4), ("mini-mc", 1)]


async def test_typed_answer_right_then_user_overrides(mini_session: Any, db_path: Path) -> None:
    app = build_app(mini_session, start="review")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space", "4")  # basic: Easy
        await pilot.pause()
        await pilot.press(mc_key(app), "enter", "enter")  # MC right → Good
        await pilot.pause()
        assert "Lasso" in front_text(app)
        answer = app.screen.query_one("#answer", Input)
        assert answer.has_focus
        await pilot.press(*"  L1 NORM ", "enter")
        await pilot.pause()
        assert app.screen.suggested == 3
        await pilot.press("2")  # the user knows better: Hard
        await pilot.pause()
        assert "{{" not in front_text(app) and "[…]" in front_text(app)  # cloze
        await pilot.press(*"gaussian", "enter")
        await pilot.pause()
        assert app.screen.suggested == 3
        await pilot.press("3")
    assert logs(db_path) == [
        ("mini-basic", 4),
        ("mini-mc", 3),
        ("mini-typed", 2),
        ("mini-cloze", 3),
    ]


async def test_undo_restores_card_and_log(mini_session: Any, db_path: Path) -> None:
    app = build_app(mini_session, start="review")
    async with app.run_test(size=SIZE) as pilot:
        before = card_state(db_path, "mini-basic")
        await pilot.press("space", "4")
        await pilot.pause()
        assert logs(db_path) == [("mini-basic", 4)]
        await pilot.press("u")
        await pilot.pause()
        assert logs(db_path) == []
        assert card_state(db_path, "mini-basic") == before
        assert "gradient of λ‖w‖²" in front_text(app)  # the same card is back
        await pilot.press("space", "3")
        await pilot.pause()
    assert logs(db_path) == [("mini-basic", 3)]


async def test_empty_answer_reveals_for_self_rating(mini_session: Any, db_path: Path) -> None:
    app = build_app(mini_session, start="review")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space", "4")
        await pilot.pause()
        await pilot.press(mc_key(app), "enter", "enter")
        await pilot.press("enter")  # typed card, nothing typed: "I don't know"
        await pilot.pause()
        assert app.screen.phase == "answer" and app.screen.suggested is None
        assert "rate yourself" in str(app.screen.query_one("#verdict").render())
        await pilot.press("1")
        await pilot.pause()
    assert logs(db_path) == [("mini-basic", 4), ("mini-mc", 3), ("mini-typed", 1)]


async def test_session_summary_and_back_home(mini_session: Any, db_path: Path) -> None:
    app = build_app(mini_session)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r", "space", "4", "escape")
        await pilot.pause()
        assert app.screen.phase == "done"
        assert "You reviewed **1 card** in" in front_text(app)
        assert "**3 cards** still to study today" in front_text(app)
        assert "3 left" in str(app.screen.query_one("#remaining").render())
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        row = [str(c) for c in app.screen.query_one("#decks", DataTable).get_row("mini")]
        assert row[1] == "3"  # one new card fewer


async def test_whole_session_to_the_end(mini_session: Any, db_path: Path) -> None:
    app = build_app(mini_session, start="review")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space", "4")
        await pilot.pause()
        await pilot.press(mc_key(app), "enter", "4")
        await pilot.press(*"L1", "enter", "4", *"Gaussian", "enter", "4")
        await pilot.pause()
        assert app.screen.phase == "done"
        assert "| 0 | 0 | 0 | 4 |" in front_text(app)
        assert "Checked answers right: **3 of 3**" in front_text(app)
        assert "still to study" not in front_text(app)
    assert len(logs(db_path)) == 4


async def test_help_and_command_palette(mini_session: Any) -> None:
    app = build_app(mini_session)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Review all due")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)


async def test_broken_deck_file_is_shown_not_fatal(tmp_path: Path, db_path: Path) -> None:
    from quizapp.session import open_session

    decks = tmp_path / "decks"
    decks.mkdir()
    mini = Path(__file__).parent.parent / "fixtures" / "decks" / "mini.yaml"
    (decks / "mini.yaml").write_text(mini.read_text())
    (decks / "broken.yaml").write_text("deck: broken\ntitle: [oops\n")
    session = open_session(db_path, deck_dirs=[decks], cache_dir=tmp_path / "c")
    app = build_app(session)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        panel = str(app.screen.query_one("#problems").render())
        assert "broken.yaml:2: YAML syntax error" in panel  # its last line, not past it
        assert "started at line 2" in panel
        assert app.screen.query_one("#decks", DataTable).row_count == 2
    session.close()


async def test_a_failed_save_keeps_the_card_and_says_so(mini_session: Any, db_path: Path) -> None:
    app = build_app(mini_session, start="review")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space")
        await pilot.pause()
        blocker = sqlite3.connect(db_path, timeout=0)
        blocker.execute("BEGIN EXCLUSIVE")  # another process holds the write lock
        mini_session.store.conn.execute("PRAGMA busy_timeout = 50")
        await pilot.press("3")
        await pilot.pause()
        assert app.screen.phase == "answer"  # still on the same card, answer shown
        assert app.screen.current.card_id == "mini-basic"
        blocker.rollback()
        blocker.close()
        await pilot.press("3")
        await pilot.pause()
    assert logs(db_path) == [("mini-basic", 3)]


async def test_siblings_are_buried_and_suspend_bury_keys(tmp_path: Path, db_path: Path) -> None:
    from quizapp.session import open_session

    decks = tmp_path / "decks"
    decks.mkdir()
    card = (
        "  - id: {id}\n    type: basic\n    tags: [{tags}]\n    prompt: P{id}\n"
        "    answer: A\n    explanation: E\n    source: {{beyond: b}}\n"
    )
    (decks / "s.yaml").write_text(
        "deck: s\ntitle: S\ncards:\n"
        + card.format(id="s1", tags='"note:x"')
        + card.format(id="s2", tags='"note:x"')
        + card.format(id="s3", tags="t")
        + card.format(id="s4", tags="t")
        + card.format(id="s5", tags="t")
    )
    session = open_session(db_path, deck_dirs=[decks], cache_dir=tmp_path / "c")
    app = build_app(session, start="review")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.screen.current.card_id == "s1"
        await pilot.press("space", "4")  # s2 is its sibling: buried, s3 comes next
        await pilot.pause()
        assert app.screen.current.card_id == "s3"
        await pilot.press("exclamation_mark")  # suspend s3
        await pilot.pause()
        assert app.screen.current.card_id == "s4"
        await pilot.press("minus")  # bury s4
        await pilot.pause()
        assert app.screen.current.card_id == "s5"
    conn = sqlite3.connect(db_path)
    rows = dict(
        conn.execute("SELECT card_id, suspended || '/' || (buried_until IS NOT NULL) FROM card")
    )
    conn.close()
    assert rows == {"s1": "0/0", "s2": "0/1", "s3": "1/0", "s4": "0/1", "s5": "0/0"}
    session.close()


def answer_checks(db: Path) -> list[tuple[str, int, str | None]]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(
            "SELECT card_id, rating, answer_check FROM review_log ORDER BY id"
        ).fetchall()
    finally:
        conn.close()


async def test_wrong_answer_shows_each_gap_and_can_be_counted_as_right(
    mini_session: Any, db_path: Path
) -> None:
    app = build_app(mini_session, start="review")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space", "4", "b", "enter", "enter")  # basic Easy, MC right → Good
        await pilot.pause()
        await pilot.press(*"least absolute", "enter")  # typed: not what the card accepts
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        verdict = str(screen.query_one("#verdict").render())
        assert "✘" in verdict and "expected L1" in verdict and "press o" in verdict.lower()
        assert screen.suggested == 1
        await pilot.press("o")  # the answer no rule foresaw: count it as right
        await pilot.pause()
        assert screen.suggested == 3 and "counted as right" in str(
            screen.query_one("#verdict").render()
        )
        assert screen.query_one("#rate-3", RatingLabel).has_class("suggested")
        await pilot.press("enter")  # accept the suggestion: Good
        await pilot.pause()
        await pilot.press(*"laplace", "enter")  # cloze, wrong: the gap shows what was expected
        await pilot.pause()
        verdict = str(screen.query_one("#verdict").render())
        assert "✘ laplace — expected Gaussian" in verdict
        await pilot.press("1")
        await pilot.pause()
    assert answer_checks(db_path) == [
        ("mini-basic", 4, None),
        ("mini-mc", 3, "right"),
        ("mini-typed", 3, "overridden"),
        ("mini-cloze", 1, "wrong"),
    ]
