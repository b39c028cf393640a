"""Reviewed SVG snapshots of two figures at 80×24 (`pytest --snapshot-update`, then look)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from quizapp.app import build_app
from quizapp.session import open_session

MINI = Path(__file__).parent.parent / "fixtures" / "decks"


@pytest.fixture
def app(db_path: Path, tmp_path: Path) -> Any:
    session = open_session(db_path, deck_dirs=[MINI], cache_dir=tmp_path / "c")
    yield build_app(session)
    session.close()


@pytest.mark.parametrize(
    ("kind", "params"),
    [("lasso_path", {"marker": 0.4}), ("constraint_regions", {"penalty": "l1"})],
)
def test_figure(app: Any, snap_compare: Any, kind: str, params: dict[str, Any]) -> None:
    async def open_figure(pilot: Any) -> None:
        pilot.app.action_figure(kind, 3, **params)
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=open_figure)
