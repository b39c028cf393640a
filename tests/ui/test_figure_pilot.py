"""The figure screen in the real app: opened from a card's ctrl+f, moved with the arrow keys."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.widgets import Static

from quizapp.app import build_app
from quizapp.screens.figure import FigureScreen
from quizapp.screens.review import ReviewScreen
from quizapp.session import Session, open_session

FIXTURES = Path(__file__).parent.parent / "fixtures"


@pytest.fixture
def session(tmp_path: Path) -> Iterator[Session]:
    """The figure-card fixture decks in a fresh database."""
    opened = open_session(
        tmp_path / "q.db", deck_dirs=[FIXTURES / "figuredecks"], cache_dir=tmp_path / "c"
    )
    yield opened
    opened.close()


async def test_card_figure_opens_after_the_answer_and_moves(session: Session) -> None:
    app = build_app(session)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        await pilot.press("ctrl+f")  # the figure is the answer: not before it is shown
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        await pilot.press("space", "ctrl+f")
        await pilot.pause()
        assert isinstance(app.screen, FigureScreen)
        note = str(app.screen.query_one("#figure-note", Static).render())
        assert "corner" in note
        await pilot.press("k")  # next kind: early stopping
        await pilot.pause()
        assert app.screen.kind == "early_stopping"
        await pilot.press("k", "k", "k", "k", "k")  # wraps to lasso_path
        await pilot.pause()
        assert app.screen.kind == "lasso_path"
        before = app.screen.figure.markers[0].x
        await pilot.press("right", "right")
        await pilot.pause()
        assert app.screen.params["marker"] == 0.6
        assert app.screen.figure.markers[0].x < before  # λ grid decreases
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)


async def test_drill_shows_the_figure_of_its_problem(session: Session) -> None:
    app = build_app(session, start="drill", options={"kind": "early_stopping_trace", "seed": 7})
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+f")
        await pilot.pause()
        assert isinstance(app.screen, FigureScreen)
        assert app.screen.kind == "early_stopping" and app.screen.seed == 7


async def test_card_info_draws_the_cards_forgetting_curve(session: Session) -> None:
    app = build_app(session)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("r")
        await pilot.pause()
        await pilot.press("space", "3")  # rate Good: the card now has a stability
        await pilot.pause()
        from quizapp.screens.card_info import CardInfoScreen

        app.push_screen(CardInfoScreen("pics-ball"))
        await pilot.pause()
        await pilot.press("f")
        await pilot.pause()
        assert isinstance(app.screen, FigureScreen)
        assert app.screen.kind == "forgetting_curve"
        row = session.store.card("pics-ball")
        assert row is not None and row.stability is not None
        assert app.screen.params["stability"] == round(row.stability, 2)


async def test_stats_draws_the_workload_figure(session: Session) -> None:
    app = build_app(session)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("s")
        await pilot.pause()
        await pilot.press("w")
        for _ in range(120):  # the simulator runs in a worker
            await pilot.pause(0.25)
            if isinstance(app.screen, FigureScreen):
                break
        assert isinstance(app.screen, FigureScreen)
        assert app.screen.kind == "workload" and app.screen.fixed
        await pilot.press("k")  # a data figure has no other kinds to cycle to
        await pilot.pause()
        assert app.screen.kind == "workload"
