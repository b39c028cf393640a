"""Reviewed SVG snapshots at 80×24 and 100×30 (`pytest --snapshot-update`, then look)."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from quizapp.app import build_app
from quizapp.scheduling import Settings
from quizapp.session import open_session

MINI = Path(__file__).parent.parent / "fixtures" / "decks"


@pytest.fixture
def app(db_path: Path, tmp_path: Path) -> Any:
    session = open_session(db_path, deck_dirs=[MINI], cache_dir=tmp_path / "c")
    Settings(enable_fuzzing=False).save(session.store)  # intervals on the buttons are fixed
    session.reload_settings()
    yield build_app(session)
    session.close()


def test_home(app: Any, snap_compare: Any) -> None:
    assert snap_compare(app, terminal_size=(80, 24))


def test_review_answer_side(app: Any, snap_compare: Any) -> None:
    assert snap_compare(app, terminal_size=(80, 24), press=["r", "space"])


def test_multiple_choice_checked(app: Any, snap_compare: Any) -> None:
    assert snap_compare(app, terminal_size=(80, 24), press=["r", "space", "3", "a", "enter"])


def test_help(app: Any, snap_compare: Any) -> None:
    assert snap_compare(app, terminal_size=(80, 24), press=["question_mark"])


def test_review_answer_side_100x30(app: Any, snap_compare: Any) -> None:
    assert snap_compare(app, terminal_size=(100, 30), press=["r", "space"])


def test_quiz_setup(app: Any, snap_compare: Any) -> None:
    assert snap_compare(app, terminal_size=(80, 24), press=["q"])


def test_browse_preview(app: Any, snap_compare: Any) -> None:
    async def preview_shown(pilot: Any) -> None:  # it follows the cursor after PREVIEW_DELAY
        await pilot.press("b", "down")
        for _ in range(100):
            await pilot.pause()
            if not pilot.app.screen.preview_pending:
                return
            await asyncio.sleep(0.05)
        raise AssertionError("the preview never caught up with the cursor")

    assert snap_compare(app, terminal_size=(80, 24), run_before=preview_shown)


def test_help_100x30(app: Any, snap_compare: Any) -> None:
    assert snap_compare(app, terminal_size=(100, 30), press=["question_mark"])


def test_session_summary(app: Any, snap_compare: Any) -> None:
    assert snap_compare(app, terminal_size=(80, 24), press=["r", "space", "3", "escape"])
