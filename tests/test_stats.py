"""Stats on a store with a known history at fixed UTC times: exact numbers."""

from __future__ import annotations

import io
import json
import os
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from quizapp.catalog import Catalog, DeckInfo
from quizapp.cli import main
from quizapp.cli.env import Environment
from quizapp.scheduling import Settings, fsrs_retrievability, to_ms
from quizapp.siblings import siblings_to_bury
from quizapp.stats import (
    Retention,
    compute,
    day_starts,
    due_forecast,
    quiz_history,
    review_heatmap,
    to_json,
)
from quizapp.store import CardRow, Store

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
MINI = Path(__file__).parent / "fixtures" / "decks"


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """A UTC time `day` days from NOW's date."""
    return datetime(2026, 3, 10, hour, minute, tzinfo=UTC) + timedelta(days=day)


def rate(
    store: Store,
    card_id: str,
    when: datetime,
    rating: int,
    before_state: int,
    after: dict[str, Any],
    duration_ms: int = 10_000,
) -> None:
    before = store.card(card_id)
    assert before is not None
    before = CardRow(**{**before.__dict__, "state": before_state})
    new = CardRow(**{**before.__dict__, **after, "last_review": to_ms(when)})
    store.record_review(
        before, new, rating=rating, reviewed_at=to_ms(when), duration_ms=duration_ms
    )


@pytest.fixture
def history(mini_session: Any, utc_tz: None) -> Any:
    """basic: learnt 2 days ago, lapsed and relearnt today; mc: learnt at 03:00 today UTC
    (before the 4 am rollover, so yesterday); typed: reviewed 40 days ago, now overdue;
    cloze: new."""
    s = mini_session.store
    rate(
        s,
        "mini-basic",
        at(-2, 10),
        3,
        0,
        {"state": 1, "stability": 1.0, "difficulty": 5.0, "due": to_ms(at(-2, 10, 10))},
    )
    rate(s, "mini-basic", at(-2, 10, 10), 3, 1, {"state": 2, "due": to_ms(at(0, 1))})
    rate(s, "mini-basic", at(0, 5), 1, 2, {"state": 3, "due": to_ms(at(0, 5, 10))})
    rate(
        s,
        "mini-basic",
        at(0, 5, 10),
        3,
        3,
        {"state": 2, "stability": 10.0, "due": to_ms(at(3, 5, 10))},
        duration_ms=5_000,
    )
    rate(
        s,
        "mini-mc",
        at(0, 3),
        4,
        0,
        {"state": 2, "stability": 2.0, "difficulty": 3.0, "due": to_ms(at(1, 10))},
    )
    rate(
        s,
        "mini-typed",
        at(-40, 9),
        2,
        2,
        {"state": 2, "stability": 20.0, "difficulty": 6.0, "due": to_ms(at(-5, 9))},
    )
    return mini_session


def test_today_heatmap_retention_forecast(history: Any) -> None:
    st = compute(history.store, history.catalog, history.settings, NOW, task_ids=[])
    assert st.day == date(2026, 3, 10)
    t = st.today
    assert (t.new, t.learning, t.review, t.again, t.cards, t.time_ms) == (0, 1, 1, 1, 1, 15_000)
    heat = {d.day: d.reviews for d in st.heatmap}
    assert len(st.heatmap) == 365 and st.heatmap[-1].day == date(2026, 3, 10)
    assert st.heatmap[0].day == date(2025, 3, 11)
    assert heat[date(2026, 3, 10)] == 2
    assert heat[date(2026, 3, 9)] == 1  # 03:00 UTC is before the rollover
    assert heat[date(2026, 3, 8)] == 2
    assert heat[date(2026, 1, 29)] == 1
    assert sum(heat.values()) == 6
    assert st.streak == 3
    assert st.retention == Retention(1, 2) and st.retention.rate == 0.5
    assert st.retention_month == Retention(0, 1)
    assert [(r.deck_id, r.month, r.all) for r in st.retention_decks] == [
        ("mini", Retention(0, 1), Retention(1, 2))
    ]
    assert st.forecast[:5] == [1, 1, 0, 1, 0] and sum(st.forecast) == 3


def test_rollover_hour_moves_the_day(history: Any) -> None:
    settings = Settings(rollover_hour=2)  # 03:00 now belongs to today
    heat = review_heatmap(history.store, settings, NOW, days=3)
    assert [(d.day.day, d.reviews) for d in heat] == [(8, 2), (9, 0), (10, 3)]


def test_mastery_matches_fsrs(history: Any) -> None:
    st = compute(history.store, history.catalog, history.settings, NOW, task_ids=[])
    sched = history.settings.scheduler()
    rs = {
        cid: fsrs_retrievability(sched, history.store.card(cid), NOW)
        for cid in ("mini-basic", "mini-mc", "mini-typed")
    }
    (deck,) = st.mastery_decks
    assert (deck.key, deck.cards, deck.studied) == ("mini", 4, 3)
    values = [r for r in rs.values() if r is not None]
    assert deck.retrievability == pytest.approx(sum(values) / 3, abs=1e-12)
    tags = {m.key: m for m in st.mastery_tags}
    assert (tags["l2"].cards, tags["l2"].studied) == (2, 1)
    assert tags["l2"].retrievability == pytest.approx(rs["mini-basic"], abs=1e-12)
    assert tags["l1"].retrievability == pytest.approx(rs["mini-typed"], abs=1e-12)
    weakest = st.mastery_tags[0]
    assert weakest.retrievability == min(m.retrievability or 1 for m in st.mastery_tags)


def test_coding_progress_and_quiz_history(mini_session: Any) -> None:
    s = mini_session.store
    for task, passed in (("a", False), ("a", True), ("b", True), ("c", False)):
        s.record_attempt(task, "code", "passed" if passed else "wrong_answer", passed, 0.1, "{}")
    st = compute(s, mini_session.catalog, mini_session.settings, NOW, task_ids=["a", "b", "c", "d"])
    c = st.coding
    assert (c.total, c.tried, c.passed, c.first_try) == (4, 3, 2, 1)
    assert c.failing == ("c",) and c.untried == ("d",)
    assert st.quiz_history == []
    first = s.start_quiz(None, 2, None, now_ms=1000)
    s.record_quiz_answer(first, "mini-typed", "mini", "typed", True, "L1", 10, now_ms=1100)
    s.finish_quiz(first, now_ms=1200)
    second = s.start_quiz(["mini"], 4, 300, now_ms=2000)  # left unfinished
    history = quiz_history(s)
    assert [q["id"] for q in history] == [second, first]
    assert history[1] == {
        "id": first,
        "started_at": 1000,
        "finished_at": 1200,
        "decks": [],
        "planned": 2,
        "answered": 1,
        "correct": 1,
        "score": 0.5,
    }
    assert history[0]["finished_at"] is None and history[0]["decks"] == ["mini"]


def test_empty_store(mini_session: Any) -> None:
    st = compute(mini_session.store, mini_session.catalog, mini_session.settings, NOW, task_ids=[])
    assert st.today.total == 0 and st.streak == 0 and st.retention.rate is None
    assert st.forecast == [0] * 30 and st.mastery_decks[0].retrievability is None
    data = to_json(st)
    assert data["retention"]["all"] == {"passed": 0, "total": 0, "rate": None}


def test_bad_input_is_a_clear_error(mini_session: Any) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        compute(
            mini_session.store,
            mini_session.catalog,
            mini_session.settings,
            datetime(2026, 1, 1),
            task_ids=[],
        )
    with pytest.raises(ValueError, match="days"):
        due_forecast(mini_session.store, mini_session.settings, NOW, days=0)


@pytest.fixture
def new_york(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_day_starts_follow_dst(new_york: None) -> None:
    # DST starts at 2 am on 2026-03-08 in New York: the study day from 4 am on the 7th
    # (EST) to 4 am on the 8th (EDT) is 23 hours long.
    now = datetime(2026, 3, 8, 12, 0, tzinfo=UTC)
    starts = day_starts(now, 4, -1, 0)
    assert [s.isoformat() for s in starts] == [
        "2026-03-07T09:00:00+00:00",
        "2026-03-08T08:00:00+00:00",
        "2026-03-09T08:00:00+00:00",
    ]


def test_siblings_share_a_note_tag_within_a_deck() -> None:
    raw = {
        "a": {"tags": ["l2", "note:wd"]},
        "b": {"tags": ["note:wd"]},
        "c": {"tags": ["l2"]},
        "x": {"tags": ["note:wd"]},  # same note name, other deck: not a sibling
    }
    catalog = Catalog(
        [
            DeckInfo("d1", "D1", "", "", ("a", "b", "c"), ()),
            DeckInfo("d2", "D2", "", "", ("x",), ()),
        ],
        [],
        "fp",
        _raw=raw,
    )
    assert siblings_to_bury(catalog, "a") == ["b"]
    assert siblings_to_bury(catalog, "b") == ["a"]
    assert siblings_to_bury(catalog, "c") == []
    assert siblings_to_bury(catalog, "nope") == []


# ---------------------------------------------------------------------- CLI


def run_cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), env=Environment(stdout=out, stderr=err, environ=dict(os.environ)))
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def cli_db(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.setenv("QUIZAPP_DECKS", str(MINI))
    db = tmp_path / "cli.db"
    monkeypatch.setenv("QUIZAPP_DB", str(db))
    return db


def test_stats_json_schema(cli_db: Path) -> None:
    code, out, err = run_cli("stats", "--json")
    assert code == 0, err
    data = json.loads(out)
    assert set(data) == {
        "schema",
        "generated_at",
        "day",
        "rollover_hour",
        "today",
        "streak_days",
        "heatmap",
        "retention",
        "forecast",
        "mastery",
        "quiz_history",
        "leeches",
        "coding",
    }
    assert data["schema"] == 1 and data["generated_at"].endswith("Z")
    date.fromisoformat(data["day"])
    assert set(data["today"]) == {"new", "learning", "review", "again", "cards", "time_ms", "total"}
    assert all(isinstance(v, int) for v in data["today"].values())
    assert len(data["heatmap"]) == 365 and set(data["heatmap"][0]) == {"day", "reviews"}
    assert data["heatmap"][-1]["day"] == data["day"]
    assert set(data["retention"]) == {"all", "month", "decks"}
    assert set(data["retention"]["all"]) == {"passed", "total", "rate"}
    assert len(data["forecast"]) == 30 and data["forecast"][0] == {"day": data["day"], "due": 0}
    assert data["mastery"]["decks"]["mini"] == {"cards": 4, "studied": 0, "retrievability": None}
    assert set(data["mastery"]["tags"]) == {"l1", "l2", "dropout"}
    assert data["quiz_history"] == [] and data["leeches"] == []
    assert set(data["coding"]) == {"total", "tried", "passed", "first_try", "failing", "untried"}
    assert data["coding"]["tried"] == 0


def test_stats_text(cli_db: Path) -> None:
    code, out, _ = run_cli("stats")
    assert code == 0
    assert "Today" in out and "True retention" in out and "mini" in out
    assert "(0 days studied)" in out  # a fresh store: counted with its noun in the plural


def test_stats_text_counts_one_day_in_the_singular(cli_db: Path) -> None:
    assert run_cli("stats")[0] == 0  # creates the store and syncs the decks
    store = Store.open(cli_db)
    try:
        row = store.card("mini-basic")
        assert row is not None
        now_ms = to_ms(datetime.now(UTC))
        store.record_review(row, row, rating=3, reviewed_at=now_ms, duration_ms=1)
    finally:
        store.close()
    code, out, _ = run_cli("stats")
    assert code == 0
    assert "(1 day studied)" in out


def test_stats_bad_db_is_a_message_not_a_traceback(tmp_path: Path, cli_db: Path) -> None:
    bad = tmp_path / "bad.db"
    bad.write_text("not sqlite")
    code, out, err = run_cli("--db", str(bad), "stats", "--json")
    assert code == 3 and out == "" and "not an SQLite database" in err
    assert "Traceback" not in err


def test_leeches_are_listed_most_lapses_first(mini_session: Any) -> None:
    s = mini_session.store
    with s.transaction():
        s.conn.execute("UPDATE card SET lapses = 9, suspended = 1 WHERE card_id = 'mini-mc'")
        s.conn.execute("UPDATE card SET lapses = 12 WHERE card_id = 'mini-typed'")
        s.conn.execute("UPDATE card SET lapses = 7 WHERE card_id = 'mini-basic'")  # under 8
    st = compute(s, mini_session.catalog, mini_session.settings, NOW, task_ids=[])
    assert [(x.card_id, x.lapses, x.suspended) for x in st.leeches] == [
        ("mini-typed", 12, False),
        ("mini-mc", 9, True),
    ]
    assert to_json(st)["leeches"][0] == {
        "card_id": "mini-typed",
        "deck_id": "mini",
        "lapses": 12,
        "suspended": False,
    }
