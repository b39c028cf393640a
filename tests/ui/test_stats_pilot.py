"""Stats, card info, browse and settings through real keys; then read the SQLite file."""

from __future__ import annotations

import contextlib
import json
import sqlite3
import sys
import threading
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Input, Select, Static

from quizapp.app import build_app
from quizapp.scheduling import day_bounds, to_ms, utcnow
from quizapp.screens.browse import (
    BrowseScreen,
    ConfirmScreen,
    build_entries,
    editor_command,
    parse_query,
)
from quizapp.screens.card_info import CardInfoScreen
from quizapp.screens.review import ReviewScreen
from quizapp.screens.settings import SettingsScreen, apply_saved_theme, parse_steps
from quizapp.screens.stats import ForecastChart, Heatmap, StatsScreen
from quizapp.stats import CodingProgress
from quizapp.store import CardRow
from quizapp.widgets.key_line import KeyLine
from quizapp.widgets.title_bar import TitleBar

SIZE = (80, 24)


def db_row(db: Path, sql: str, *args: Any) -> Any:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql, args).fetchone()
    finally:
        conn.close()


def text(widget: Static) -> str:
    return str(widget.render())


def seed(session: Any) -> None:
    """Today, minutes after the rollover (never yesterday, whenever the test runs):
    mini-basic: two ratings (new→learning→review), due in 3 days; mini-mc: Again, due now."""
    store = session.store
    now = utcnow()
    start, _ = day_bounds(now, session.settings.rollover_hour)
    row = store.card("mini-basic")
    for minutes, rating, after in (
        (1, 3, {"state": 1, "stability": 1.0, "difficulty": 5.0}),
        (2, 3, {"state": 2, "stability": 4.0, "due": to_ms(start + timedelta(days=3, minutes=2))}),
    ):
        when = start + timedelta(minutes=minutes)
        new = CardRow(**{**row.__dict__, **after, "last_review": to_ms(when), "reps": row.reps + 1})
        store.record_review(row, new, rating=rating, reviewed_at=to_ms(when), duration_ms=4000)
        row = new
    mc = store.card("mini-mc")
    new = CardRow(
        **{
            **mc.__dict__,
            "state": 2,
            "stability": 2.0,
            "difficulty": 4.0,
            "due": to_ms(now - timedelta(hours=1)),
            "reps": 1,
            "last_review": to_ms(now - timedelta(days=2)),
        }
    )
    store.record_review(
        mc, new, rating=1, reviewed_at=to_ms(start + timedelta(minutes=3)), duration_ms=6000
    )


async def open_screen(app: Any, pilot: Any, screen: Any) -> None:
    app.push_screen(screen)
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


# ---------------------------------------------------------------------- stats


async def test_stats_screen_shows_today_heatmap_forecast(mini_session: Any) -> None:
    seed(mini_session)
    app = build_app(mini_session)
    async with app.run_test(size=SIZE) as pilot:
        await open_screen(app, pilot, StatsScreen())
        screen = app.screen
        assert isinstance(screen, StatsScreen)
        today = text(screen.query_one("#stats-today", Static))
        assert "3 ratings on 2 cards" in today and "2 new" in today and "1 again" in today
        heat = screen.query_one(Heatmap)
        assert heat.days[-1].reviews == 3
        assert 26 <= heat.weeks_that_fit() <= 40  # ~half a year at 80 columns
        rendered = str(heat.render()).splitlines()
        assert rendered[0] == "Reviews per day" and rendered[2].startswith("Mon")
        assert "3 reviews in" in rendered[-1]
        chart = screen.query_one(ForecastChart)
        assert chart.values[0] == 1 and sum(chart.values) == 2
        drawn = str(chart.render()).splitlines()
        assert drawn[0] == "Due in the next 30 days" and "today" in drawn[-2]
        assert drawn[-1].startswith("1 due today (overdue included) · 0 tomorrow · 2 this week")
        decks = text(screen.query_one("#stats-decks", Static)).splitlines()
        head = "Deck Cards Studied Recall now Ret. 30d Ret. all"
        assert decks[0] == "Decks" and " ".join(decks[2].split()) == head
        assert decks[3].split()[:4] == ["Mini", "deck", "4", "2"]  # title, cards, studied
        data = screen.stats_json()
        assert data is not None and data["today"]["total"] == 3
        # `r` recomputes after new work; escape goes back.
        mini_session.store.set_suspended("mini-mc", True)
        await pilot.press("r")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.query_one(ForecastChart).values[0] == 0
        await pilot.press("escape")
        assert not isinstance(app.screen, StatsScreen)


async def test_stats_screen_wide_shows_a_year(mini_session: Any) -> None:
    app = build_app(mini_session)
    async with app.run_test(size=(140, 30)) as pilot:
        await open_screen(app, pilot, StatsScreen())
        assert app.screen.query_one(Heatmap).weeks_that_fit() == 53
        assert "Nothing studied yet" in text(app.screen.query_one("#stats-tags", Static))


async def test_stats_that_fail_are_a_message_and_the_screen_stays(
    mini_session: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from quizapp.screens.stats import WORKLOAD_DELAY_S

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("database disk image is malformed")

    monkeypatch.setattr("quizapp.stats.compute", broken)
    app = build_app(mini_session)
    async with app.run_test(size=SIZE) as pilot:
        await open_screen(app, pilot, StatsScreen())
        await pilot.pause(WORKLOAD_DELAY_S + 0.2)  # the workload still runs: nowhere to show it
        await app.workers.wait_for_complete()
        await pilot.pause()
        shown = text(app.screen.query_one("#stats-today", Static))
        assert "Could not compute the stats" in shown and "malformed" in shown
        await pilot.press("escape")
        assert not isinstance(app.screen, StatsScreen)


def slowed_compute(monkeypatch: pytest.MonkeyPatch) -> threading.Event:
    """`quizapp.stats.compute` waits (in its worker) until the returned event is set."""
    import quizapp.stats

    real = quizapp.stats.compute
    go = threading.Event()

    def slow(*args: Any, **kwargs: Any) -> Any:
        assert go.wait(10), "the test never let the stats finish"
        return real(*args, **kwargs)

    monkeypatch.setattr("quizapp.stats.compute", slow)
    return go


async def test_stats_escape_while_computing_goes_back_and_home_paints(
    mini_session: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`s` then escape before the numbers are in: back on home, which is painted; the late
    result lands nowhere, and the screen opens again with its numbers."""
    go = slowed_compute(monkeypatch)
    app = build_app(mini_session)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("s", "escape")  # before the numbers are in
        assert not isinstance(app.screen, StatsScreen)
        go.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not isinstance(app.screen, StatsScreen)
        assert "Stats" in app.export_screenshot()  # home is painted, its footer too
        await pilot.press("s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, StatsScreen) and app.screen.stats is not None


async def test_stats_keys_work_while_computing_and_the_numbers_fill_the_screen(
    mini_session: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """While the numbers compute, the screen is usable ("Computing…", header, footer keys,
    `r` accepted); the numbers then fill it in once, with the focus on the scroll."""
    seed(mini_session)
    go = slowed_compute(monkeypatch)
    app = build_app(mini_session)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("s")
        screen = app.screen
        assert isinstance(screen, StatsScreen) and screen.stats is None
        await pilot.pause()
        assert "Computing…" in text(screen.query_one("#stats-today", Static))
        assert "Refresh" in app.export_screenshot()  # painted, footer keys included
        await pilot.press("r")  # a refresh meanwhile: the last one wins, nothing breaks
        go.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.stats is not None
        assert "3 ratings on 2 cards" in text(screen.query_one("#stats-today", Static))
        assert len(screen.query("#stats-today")) == 1 and screen.query_one(Heatmap).days
        assert len(screen.query(TitleBar)) == 1 and len(screen.query(KeyLine)) == 1
        keys = [k.key for k in screen.query_one(KeyLine).keys]
        assert keys[:4] == ["escape", "r", "w", "i"]
        assert app.focused is screen.query_one("#stats-body", VerticalScroll)
        await pilot.press("escape")
        assert not isinstance(app.screen, StatsScreen)


def test_deck_table_columns_line_up_whatever_the_titles() -> None:
    """Titles with markup characters are shown as typed, wide characters take two columns,
    and every column starts at the same cell on every line."""
    from rich.cells import cell_len
    from textual.content import Content

    from quizapp.screens.stats import deck_table
    from quizapp.stats import Mastery, Retention, RetentionRow, Stats, Today

    st = Stats(
        generated_at=utcnow(),
        day=utcnow().date(),
        rollover_hour=4,
        today=Today(),
        heatmap=[],
        retention=Retention(),
        retention_month=Retention(),
        retention_decks=[RetentionRow("b", Retention(1, 4), Retention(30, 40))],
        forecast=[0] * 30,
        mastery_decks=[
            Mastery("a", 12345, 0, None),
            Mastery("b", 7, 3, 0.5),
            Mastery("c", 2, 2, 1.0),
        ],
        mastery_tags=[],
        quiz_history=[],
        coding=CodingProgress(0, 0, 0, 0),
        deck_titles={
            "a": "[b]not bold[/b]",
            "b": "正則化 decks",
            "c": "a very long deck title indeed",
        },
    )
    lines = Content.from_markup(deck_table(st)).plain.splitlines()
    assert lines[1].split()[:3] == ["[b]not", "bold[/b]", "12345"]  # as typed
    assert lines[2].split() == ["正則化", "decks", "7", "3", "███░░░", "50%", "25%", "75%"]
    assert lines[3].startswith("a very long deck titl… ")

    def cells(line: str) -> list[str]:  # one entry per terminal cell
        return [c for ch in line for c in (ch, "")[: cell_len(ch)]]

    grid = [cells(line) for line in lines]
    assert len({len(row) for row in grid}) == 1, lines  # every line as wide
    head = "".join(grid[0])
    for label in ("Cards", "Studied", "Ret. 30d", "Ret. all"):  # right-aligned under it
        last = head.index(label) + len(label) - 1
        assert all(row[last] not in ("", " ") for row in grid), (label, lines)


# ---------------------------------------------------------------------- card info


async def test_card_info_shows_state_and_history(mini_session: Any) -> None:
    seed(mini_session)
    app = build_app(mini_session)
    async with app.run_test(size=SIZE) as pilot:
        await open_screen(app, pilot, CardInfoScreen("mini-basic"))
        summary = text(app.screen.query_one("#info-summary", Static))
        assert "State        review" in summary and "Stability    4.00d" in summary
        assert "Recall now   100%" in summary and "(in " in summary
        history = app.screen.query_one("#info-history", DataTable)
        assert history.row_count == 2
        newest = [str(c) for c in history.get_row_at(0)]
        assert newest[1:4] == ["Good", "learn→review", "3d"]
        await pilot.press("escape")
        assert not isinstance(app.screen, CardInfoScreen)


async def test_card_info_unknown_card_is_a_message(mini_session: Any) -> None:
    app = build_app(mini_session)
    async with app.run_test(size=SIZE) as pilot:
        await open_screen(app, pilot, CardInfoScreen("nope"))
        assert "No card with id" in text(app.screen.query_one("#info-summary", Static))


# ---------------------------------------------------------------------- browse


async def search(pilot: Any, query: str) -> None:
    await pilot.press(*query)
    await pilot.pause()


async def test_browse_search_and_controls(mini_session: Any, db_path: Path) -> None:
    seed(mini_session)
    app = build_app(mini_session)
    async with app.run_test(size=SIZE) as pilot:
        await open_screen(app, pilot, BrowseScreen())
        screen = app.screen
        assert isinstance(screen, BrowseScreen)
        table = screen.query_one("#browse-table", DataTable)
        assert table.row_count == 4
        await search(pilot, "tag:l2")
        assert table.row_count == 2
        await pilot.press(*["backspace"] * 6)
        await search(pilot, "gradient")
        assert table.row_count == 1 and screen.selected() == "mini-basic"
        await pilot.press("down")  # into the list
        assert table.has_focus

        await pilot.press("s")
        assert db_row(db_path, "SELECT suspended FROM card WHERE card_id='mini-basic'") == (1,)
        assert "susp." in str(table.get_cell("mini-basic", "state"))
        await pilot.press("s")
        assert db_row(db_path, "SELECT suspended FROM card WHERE card_id='mini-basic'") == (0,)

        await pilot.press("b")
        _, end = day_bounds(utcnow(), mini_session.settings.rollover_hour)
        assert db_row(db_path, "SELECT buried_until FROM card WHERE card_id='mini-basic'") == (
            to_ms(end),
        )
        await pilot.press("b")
        assert db_row(db_path, "SELECT buried_until FROM card WHERE card_id='mini-basic'") == (
            None,
        )

        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")  # cancelled: nothing changes
        assert db_row(db_path, "SELECT state FROM card WHERE card_id='mini-basic'") == (2,)
        await pilot.press("r")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert db_row(db_path, "SELECT state, reps, due FROM card WHERE card_id='mini-basic'") == (
            0,
            0,
            None,
        )
        assert db_row(db_path, "SELECT count(*) FROM review_log WHERE card_id='mini-basic'") == (
            2,
        )  # history kept
        assert str(table.get_cell("mini-basic", "state")) == "new"

        await pilot.press("i")
        await pilot.pause()
        assert isinstance(app.screen, CardInfoScreen) and app.screen.card_id == "mini-basic"
        await pilot.press("escape")
        await pilot.press("slash")
        assert screen.query_one("#browse-search", Input).has_focus


async def test_browse_flags_and_bad_filter(mini_session: Any) -> None:
    seed(mini_session)
    mini_session.store.set_suspended("mini-typed", True)
    app = build_app(mini_session)
    async with app.run_test(size=SIZE) as pilot:
        screen = BrowseScreen("is:suspended")
        await open_screen(app, pilot, screen)
        table = screen.query_one("#browse-table", DataTable)
        assert table.row_count == 1 and screen.selected() == "mini-typed"
        await pilot.press(*["backspace"] * 9)
        await search(pilot, "is:due")
        assert screen.selected() == "mini-mc" and table.row_count == 1
        await pilot.press("down", "v")  # review the card's deck
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen) and app.screen.deck_ids == ["mini"]
        app.pop_screen()
        await pilot.pause()
        app.screen.query_one("#browse-search", Input).focus()
        await pilot.press("end", *["backspace"] * 3)
        await search(pilot, "bogus")
        assert table.row_count == 0  # a filter we cannot read matches nothing, and says why
        assert "unknown is:bogus" in text(app.screen.query_one("#browse-count", Static))


async def test_browse_edit_without_editor_says_how(
    mini_session: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("EDITOR", raising=False)
    monkeypatch.delenv("VISUAL", raising=False)
    app = build_app(mini_session)
    async with app.run_test(size=SIZE) as pilot:
        await open_screen(app, pilot, BrowseScreen())
        await pilot.press("down", "e")
        await pilot.pause()
        messages = [n.message for n in app._notifications]
        assert any("Set $EDITOR" in m and "mini.yaml:5" in m for m in messages)


async def test_browse_edit_opens_editor_at_the_card_line(
    mini_session: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    out = tmp_path / "args.json"
    script = tmp_path / "fake_editor.py"
    script.write_text(f"import json, sys\njson.dump(sys.argv[1:], open({str(out)!r}, 'w'))\n")
    monkeypatch.setenv("EDITOR", f"{sys.executable} {script}")
    monkeypatch.delenv("VISUAL", raising=False)
    app = build_app(mini_session)

    @contextlib.contextmanager
    def fake_suspend() -> Iterator[None]:  # the headless driver cannot suspend
        yield

    monkeypatch.setattr(app, "suspend", fake_suspend)
    async with app.run_test(size=SIZE) as pilot:
        await open_screen(app, pilot, BrowseScreen())
        await search(pilot, "lasso")
        await pilot.press("enter", "e")  # enter moves to the list
        await pilot.pause()
        path = mini_session.catalog.deck("mini").path
        assert json.loads(out.read_text()) == ["+24", path]
        assert any("restart" in n.message for n in app._notifications)


def test_search_entries_hide_cloze_answers_but_find_them(mini_session: Any) -> None:
    entries = {e.card_id: e for e in build_entries(mini_session.catalog)}
    cloze = entries["mini-cloze"]
    assert cloze.prompt == "L2 regularization corresponds to a […] prior on the weights."
    assert "gaussian" in cloze.haystack and cloze.tags == ("l2",) and cloze.type == "cloze"
    assert "x / 0.8" in entries["mini-mc"].haystack  # options are searchable


def test_query_and_editor_helpers() -> None:
    q = parse_query("Dropout tag:L2 deck:mi is:due is:nope")
    assert q.words == ("dropout",) and q.tags == ("l2",) and q.decks == ("mi",)
    assert q.flags == ("due",) and q.problems and "is:nope" in q.problems[0]
    assert editor_command({"EDITOR": "code -w"}, "/d.yaml", 7) == ["code", "-w", "+7", "/d.yaml"]
    assert editor_command({"EDITOR": " "}, "/d.yaml", 7) is None
    assert parse_steps("1m 10m") == (1.0, 10.0) == parse_steps("1 10")
    assert parse_steps("30s 1h 1d") == (0.5, 60.0, 1440.0)
    with pytest.raises(ValueError, match="not a step"):
        parse_steps("ten")


# ---------------------------------------------------------------------- settings


async def set_field(pilot: Any, app: Any, key: str, value: str) -> None:
    field = app.screen.query_one(f"#set-{key}", Input)
    field.focus()
    await pilot.pause()
    await pilot.press("end", *["backspace"] * (len(field.value) + 1), *value)


async def test_settings_saved_and_reloaded(mini_session: Any, db_path: Path) -> None:
    app = build_app(mini_session)
    async with app.run_test(size=SIZE) as pilot:
        await open_screen(app, pilot, SettingsScreen())
        await set_field(pilot, app, "new_per_day", "35")
        await set_field(pilot, app, "learning_steps_min", "2 15m 1h")
        await set_field(pilot, app, "desired_retention", "85%")
        app.screen.query_one("#set-theme", Select).value = "nord"
        await pilot.press("ctrl+s")
        await pilot.pause()
    saved = json.loads(db_row(db_path, "SELECT value FROM setting WHERE key='scheduling'")[0])
    assert saved["new_per_day"] == 35 and saved["desired_retention"] == 0.85
    assert saved["learning_steps_min"] == [2.0, 15.0, 60.0]
    assert mini_session.settings.new_per_day == 35  # the running session reloaded them
    assert db_row(db_path, "SELECT value FROM setting WHERE key='ui.theme'") == ('"nord"',)
    assert app.theme == "nord"
    again = build_app(mini_session)  # the next start uses the saved theme
    async with again.run_test(size=SIZE):
        apply_saved_theme(again)
        assert again.theme == "nord"


async def test_settings_invalid_value_rejected_next_to_field(
    mini_session: Any, db_path: Path
) -> None:
    app = build_app(mini_session)
    async with app.run_test(size=SIZE) as pilot:
        await open_screen(app, pilot, SettingsScreen())
        await set_field(pilot, app, "desired_retention", "0.5")
        await set_field(pilot, app, "rollover_hour", "25")
        await pilot.press("enter")  # enter in a field saves too
        await pilot.pause()
        screen = app.screen
        note = screen.query_one("#note-desired_retention", Static)
        assert "between 70% and 99%" in text(note) and note.has_class("error")
        assert "an hour 0–23" in text(screen.query_one("#note-rollover_hour", Static))
        assert screen.query_one("#set-desired_retention", Input).has_focus
    assert db_row(db_path, "SELECT value FROM setting WHERE key='scheduling'") is None
    assert mini_session.settings.desired_retention == 0.9
