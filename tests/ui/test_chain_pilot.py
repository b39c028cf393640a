"""A chain card in review: follow-ups one at a time, each judged, the rating derived."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from textual.widgets import Markdown

from quizapp.app import build_app
from quizapp.screens.review import ReviewScreen
from quizapp.session import open_session

FIXTURES = Path(__file__).parent.parent / "fixtures"


def back(app: object) -> str:
    return str(app.screen.query_one("#back", Markdown).source)  # type: ignore[attr-defined]


async def test_chain_reveals_steps_one_by_one_and_derives_the_rating(tmp_path: Path) -> None:
    db = tmp_path / "q.db"
    session = open_session(db, deck_dirs=[FIXTURES / "chaindecks"], cache_dir=tmp_path / "c")
    try:
        app = build_app(session)
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.press("r")
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, ReviewScreen)
            assert not screen.query_one("#back", Markdown).display
            await pilot.press("y")  # nothing to judge yet
            await pilot.pause()
            assert screen.chain_known == []
            await pilot.press("space")
            await pilot.pause()
            assert "interval" in back(app) and "identical columns" not in back(app)
            await pilot.press("y")
            await pilot.pause()
            text = back(app)
            assert "Follow-up 1: And with identical columns?" in text
            assert "not unique" not in text  # the follow-up's answer waits for space
            await pilot.press("space", "n")
            await pilot.pause()
            assert "And with p > n?" in back(app) and "At most n" not in back(app)
            assert not screen.query_one("#ratings").display
            await pilot.press("space", "y")
            await pilot.pause()
            assert screen.phase == "answer" and screen.chain_known == [True, False, True]
            assert "2 of 3 steps known" in back(app)
            assert screen.suggested == 2  # Hard: at least half known, not all
            await pilot.press("enter")  # accepts the derived rating
            await pilot.pause()
        conn = sqlite3.connect(db)
        try:
            rows = conn.execute("SELECT card_id, rating FROM review_log").fetchall()
        finally:
            conn.close()
        assert rows == [("ch-one", 2)]
    finally:
        session.close()
