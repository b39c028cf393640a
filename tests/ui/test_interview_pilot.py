"""Interview mode in the TUI: set the date in Settings with real keys, see the home line."""

from __future__ import annotations

import json
import sqlite3
from datetime import timedelta
from pathlib import Path
from typing import Any

from textual.widgets import Input, Static

from quizapp.app import build_app
from quizapp.planning import study_date
from quizapp.scheduling import to_ms, utcnow
from quizapp.screens.settings import SettingsScreen

SIZE = (80, 24)
DAY_MS = 86_400_000


async def _set(pilot: Any, app: Any, key: str, value: str) -> None:
    field = app.screen.query_one(f"#set-{key}", Input)
    field.focus()
    await pilot.pause()
    await pilot.press("end", *["backspace"] * (len(field.value) + 1), *value)


async def test_interview_date_setting_shows_the_home_line(mini_session: Any, db_path: Path) -> None:
    today = study_date(utcnow(), mini_session.settings.rollover_hour)
    interview = (today + timedelta(days=12)).isoformat()
    app = build_app(mini_session)
    async with app.run_test(size=SIZE) as pilot:
        home_before = str(app.screen.query_one("#today", Static).render())
        assert "interview" not in home_before
        app.push_screen(SettingsScreen())
        await pilot.pause()
        await _set(pilot, app, "interview_date", "2026-02-30")
        await pilot.press("ctrl+s")
        await pilot.pause()
        note = app.screen.query_one("#note-interview_date", Static)
        assert "YYYY-MM-DD" in str(note.render()) and note.has_class("error")
        await _set(pilot, app, "interview_date", interview)
        await _set(pilot, app, "minutes_per_day", "45")
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        line = str(app.screen.query_one("#today", Static).render())
        assert "12 days to your interview — readiness 0 %" in line
    conn = sqlite3.connect(db_path)
    saved = json.loads(
        conn.execute("SELECT value FROM setting WHERE key='scheduling'").fetchone()[0]
    )
    conn.close()
    assert saved["interview_date"] == interview and saved["minutes_per_day"] == 45


async def test_stats_screen_shows_the_workload_by_retention(mini_session: Any) -> None:
    from dataclasses import replace

    from quizapp.screens.stats import WORKLOAD_DELAY_S, StatsScreen

    today = study_date(utcnow(), mini_session.settings.rollover_hour)
    interview = (today + timedelta(days=5)).isoformat()
    mini_session.settings = replace(mini_session.settings, interview_date=interview)
    app = build_app(mini_session)
    async with app.run_test(size=SIZE) as pilot:
        app.push_screen(StatsScreen())
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause(WORKLOAD_DELAY_S + 0.2)  # the simulation starts after the numbers
        await app.workers.wait_for_complete()
        await pilot.pause()
        shown = str(app.screen.query_one("#stats-fsrs", Static).render())
    assert "Default parameters" in shown and "Workload by desired retention" in shown
    assert "70%" in shown and "97%" in shown and "90%" in shown and "<- yours" in shown
    assert f"Interview {interview} in 5 day(s): readiness 0% now" in shown
    lines = shown.split("\n")
    curve = lines[next(i for i, line in enumerate(lines) if line.startswith("Interview")) + 1]
    assert len(curve) == 5 and curve[-1] != " "  # one mark per planned day, rising above 0


async def test_settings_fit_fsrs_button(mini_session: Any, db_path: Path, utc_tz: None) -> None:
    from textual.widgets import Button

    from benchmarks._fsrs_synth import synthetic_reviews

    app = build_app(mini_session)
    async with app.run_test(size=(100, 40)) as pilot:
        app.push_screen(SettingsScreen())
        await pilot.pause()
        app.screen.query_one("#settings-optimize", Button).press()
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        note = str(app.screen.query_one("#note-optimize", Static).render())
        assert "not enough review history" in note  # a new collection: said, not crashed
        conn = sqlite3.connect(db_path)
        with conn:
            conn.executemany(
                "INSERT INTO review_log (card_id, deck_id, rating, reviewed_at, duration_ms, "
                "state_before, state_after) VALUES (?, 'x', ?, ?, 8000, ?, '{}')",
                [
                    (r.card_id, r.rating, r.reviewed_at, json.dumps({"state": r.state_before}))
                    for r in synthetic_reviews(5_000, seed=9)
                ],
            )
        conn.close()
        app.screen.query_one("#settings-optimize", Button).press()
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        note = str(app.screen.query_one("#note-optimize", Static).render())
    assert "; saved" in note, note
    assert mini_session.settings.parameters is not None  # the running session uses them


async def test_follow_plan_and_cram_settings_through_keys(mini_session: Any, db_path: Path) -> None:
    app = build_app(mini_session)
    async with app.run_test(size=SIZE) as pilot:
        app.push_screen(SettingsScreen())
        await pilot.pause()
        assert app.screen.query_one("#set-follow_plan", Input).value == "on"
        assert app.screen.query_one("#set-cram_reschedules", Input).value == "off"
        await _set(pilot, app, "cram_reschedules", "maybe")
        await pilot.press("ctrl+s")
        await pilot.pause()
        note = app.screen.query_one("#note-cram_reschedules", Static)
        assert "on or off" in str(note.render()) and note.has_class("error")
        await _set(pilot, app, "cram_reschedules", "on")
        await _set(pilot, app, "follow_plan", "OFF")
        await pilot.press("ctrl+s")
        await pilot.pause()
    conn = sqlite3.connect(db_path)
    saved = json.loads(
        conn.execute("SELECT value FROM setting WHERE key='scheduling'").fetchone()[0]
    )
    conn.close()
    assert saved["cram_reschedules"] is True and saved["follow_plan"] is False
    assert mini_session.settings.cram_reschedules and not mini_session.settings.follow_plan


def _study_one(session: Any) -> str:
    """One card in review since yesterday, rated Good after a pass (a true-retention review)."""
    from dataclasses import replace

    from quizapp.store import REVIEW

    now_ms = to_ms(utcnow())
    cid = session.catalog.decks[0].card_ids[0]
    row = session.store.card(cid)
    first = replace(row, state=REVIEW, stability=3.0, difficulty=5.0, reps=1,
                    last_review=now_ms - 2 * DAY_MS, due=now_ms - DAY_MS)  # fmt: skip
    session.store.record_review(
        row, first, rating=3, reviewed_at=now_ms - 2 * DAY_MS, duration_ms=5000
    )
    again = replace(first, stability=8.0, last_review=now_ms - 3_600_000, due=now_ms + 5 * DAY_MS)
    session.store.record_review(
        first, again, rating=3, reviewed_at=now_ms - 3_600_000, duration_ms=5000
    )
    return str(cid)


async def test_stats_shows_true_vs_desired_retention_parameters_and_cram(
    mini_session: Any,
) -> None:
    from dataclasses import replace

    from quizapp.fitting import DEFAULT_PARAMETERS
    from quizapp.screens.stats import WORKLOAD_DELAY_S, StatsScreen

    cid = _study_one(mini_session)
    today = study_date(utcnow(), mini_session.settings.rollover_hour)
    fitted = tuple(round(w * 1.01, 4) for w in DEFAULT_PARAMETERS)
    mini_session.settings = replace(
        mini_session.settings,
        interview_date=(today + timedelta(days=9)).isoformat(),
        desired_retention=0.85,
        parameters=fitted,
    )
    app = build_app(mini_session)
    async with app.run_test(size=(100, 40)) as pilot:
        app.push_screen(StatsScreen())
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause(WORKLOAD_DELAY_S + 0.2)  # the simulation starts after the numbers
        await app.workers.wait_for_complete()
        await pilot.pause()
        shown = " ".join(str(app.screen.query_one("#stats-fsrs", Static).render()).split())
    assert "True retention 100% over the last 30 days (1 review) vs desired 85%" in shown
    assert "scheduled with the fitted parameters: " + ", ".join(f"{w:.4g}" for w in fitted) in shown
    assert f"Cram for the last days (lowest recall on the day): {cid} " in shown


async def test_stats_i_draws_the_readiness_curve(mini_session: Any) -> None:
    from dataclasses import replace

    from quizapp.screens.figure import FigureScreen
    from quizapp.screens.stats import StatsScreen

    app = build_app(mini_session)
    async with app.run_test(size=(100, 30)) as pilot:
        app.push_screen(StatsScreen())
        await pilot.pause()
        await pilot.press("i")  # no date set: said, no figure
        await pilot.pause()
        assert isinstance(app.screen, StatsScreen)
        assert any("No interview date" in n.message for n in app._notifications)
        today = study_date(utcnow(), mini_session.settings.rollover_hour)
        mini_session.settings = replace(
            mini_session.settings, interview_date=(today + timedelta(days=6)).isoformat()
        )
        await pilot.press("i")
        for _ in range(60):  # the plan runs in a worker
            await pilot.pause(0.1)
            if isinstance(app.screen, FigureScreen):
                break
        assert isinstance(app.screen, FigureScreen)
        assert app.screen.kind == "readiness" and app.screen.fixed
        series = app.screen.figure.series[0]
        assert len(series.x) == 6 and series.y[-1] > 0  # one point per day left, rising above 0
