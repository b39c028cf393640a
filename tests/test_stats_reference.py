"""The fast stats (tallies kept by triggers, whole-hour sums) against a straightforward
reference computed in Python from every raw row, on small random stores.

The random stores exercise what the tallies must survive: ratings inserted, undone (deleted)
and rewritten (history import updates `state_before`), reviewed_at off the hour, decks not in
the catalog, a state_before without a state, and time zones whose days start mid-hour
(UTC+5:30, UTC+5:45) or last 23/25 hours (New York). A store migrated from schema 8 with its
history already in it is checked too (the migration fills the tallies from the log).
"""

from __future__ import annotations

import json
import random
import time
from bisect import bisect_right
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from quizapp.catalog import load_catalog
from quizapp.scheduling import Settings, day_bounds, to_ms
from quizapp.stats import compute, day_starts, to_json
from quizapp.store import MIGRATIONS, Store

MINI = Path(__file__).parent / "fixtures" / "decks"
NOW = datetime(2026, 3, 9, 15, 17, 23, 456000, tzinfo=UTC)  # just after New York's DST start
ZONES = ("UTC", "Asia/Kolkata", "Asia/Kathmandu", "America/New_York")


@pytest.fixture(params=ZONES)
def zone(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.setenv("TZ", request.param)
    time.tzset()
    yield request.param
    monkeypatch.undo()
    time.tzset()


def _state(n: int | None) -> str:
    return json.dumps({"card_id": "x", "deck_id": "d"} if n is None else {"state": n, "reps": 1})


def fill(store: Store, rng: random.Random, card_ids: list[str], n_logs: int) -> None:
    """Random reviews (some undone, some rewritten), card states and quizzes."""
    now_ms = to_ms(NOW)
    decks = ["mini", "mini", "other", "gone"]
    hour = 3_600_000
    conn = store.conn

    def when() -> int:
        kind = rng.random()
        if kind < 0.2:  # exactly on an hour or a half / quarter hour
            return now_ms - rng.randint(0, 400 * 24) * hour + rng.choice((0, hour // 2, 900_000))
        if kind < 0.3:  # today, to the millisecond
            return now_ms - rng.randint(0, 30 * hour)
        return now_ms - rng.randint(0, 400 * 86_400_000)

    rows = [
        (
            rng.choice(card_ids),
            rng.choice(decks),
            rng.randint(1, 4),
            when(),
            rng.choice((None, rng.randint(500, 60_000))),
            _state(rng.choice((0, 1, 2, 2, 2, 3, None))),
            _state(2),
        )
        for _ in range(n_logs)
    ]
    with store.transaction():
        conn.executemany(
            "INSERT INTO review_log (card_id, deck_id, rating, reviewed_at, duration_ms, "
            "state_before, state_after) VALUES (?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
    ids = [r[0] for r in conn.execute("SELECT id FROM review_log")]
    for log_id in rng.sample(ids, len(ids) // 10):  # undo
        with store.transaction():
            conn.execute("DELETE FROM review_log WHERE id = ?", (log_id,))
    ids = [r[0] for r in conn.execute("SELECT id FROM review_log")]
    with store.transaction():  # history import replays states; a sync may move a review
        for log_id in rng.sample(ids, len(ids) // 10):
            conn.execute(
                "UPDATE review_log SET state_before = ?, rating = ?, reviewed_at = ? WHERE id = ?",
                (_state(rng.choice((1, 2, 3))), rng.randint(1, 4), when(), log_id),
            )
    with store.transaction():
        for cid in card_ids:
            state = rng.choice((0, 1, 2, 2, 3))
            conn.execute(
                "UPDATE card SET state = ?, stability = ?, difficulty = 5, due = ?, "
                "last_review = ?, lapses = ?, suspended = ? WHERE card_id = ?",
                (
                    state,
                    rng.uniform(0.5, 100) if state else None,
                    now_ms + rng.randint(-20, 40) * 86_400_000 + rng.randint(0, 86_399_999)
                    if state
                    else None,
                    now_ms - rng.randint(0, 90) * 86_400_000 if state else None,
                    rng.randint(0, 12),
                    int(rng.random() < 0.3),
                    cid,
                ),
            )
    for _ in range(rng.randint(0, 25)):
        quiz = store.start_quiz(
            rng.choice((None, ["mini"])), rng.randint(1, 8), None, now_ms - rng.randint(0, 10**9)
        )
        for _ in range(rng.randint(0, 8)):
            store.record_quiz_answer(
                quiz, rng.choice(card_ids), "mini", "basic", rng.random() < 0.6, "x", 1000
            )
        if rng.random() < 0.7:
            store.finish_quiz(quiz, now_ms)


def reference(store: Store, catalog: Any, settings: Settings, now: datetime) -> dict[str, Any]:
    """Every stat from the raw rows, the obvious way."""
    conn = store.conn
    logs = [
        (cid, deck, rating, at, ms or 0, json.loads(before).get("state"))
        for cid, deck, rating, at, ms, before in conn.execute(
            "SELECT card_id, deck_id, rating, reviewed_at, duration_ms, state_before "
            "FROM review_log"
        )
    ]
    start, end = (to_ms(t) for t in day_bounds(now, settings.rollover_hour))
    today = [lg for lg in logs if start <= lg[3] < end]
    by_state = {s: sum(1 for lg in today if lg[5] == s) for s in (0, 1, 2, 3)}
    starts = day_starts(now, settings.rollover_hour, -364, 0)
    bounds = [to_ms(s) for s in starts]
    heat = [0] * 365
    for lg in logs:
        i = bisect_right(bounds, lg[3]) - 1
        if 0 <= i < 365:
            heat[i] += 1
    month_start = to_ms(day_starts(now, settings.rollover_hour, -29, -29)[0])

    def retention(rows: list[Any]) -> dict[str, list[int]]:
        out: dict[str, list[int]] = {}
        for lg in rows:
            if lg[5] == 2:
                r = out.setdefault(lg[1], [0, 0])
                r[0] += lg[2] > 1
                r[1] += 1
        return out

    def rj(r: list[int] | None) -> dict[str, Any]:
        p, n = r or [0, 0]
        return {"passed": p, "total": n, "rate": p / n if n else None}

    every = retention(logs)
    month = retention([lg for lg in logs if month_start <= lg[3] < end])
    deck_ids = [d.id for d in catalog.decks] + sorted(
        (set(every) | set(month)) - {d.id for d in catalog.decks}
    )
    cards = conn.execute(
        "SELECT card_id, deck_id, state, due, lapses, suspended, present FROM card"
    ).fetchall()
    fbounds = [to_ms(s) for s in day_starts(now, settings.rollover_hour, 0, 29)]
    forecast = [0] * 30
    for _cid, _deck, state, due, _lapses, suspended, present in cards:
        if present and not suspended and state in (1, 2, 3) and due is not None:
            i = max(0, bisect_right(fbounds, due) - 1)
            if due < fbounds[-1]:
                forecast[i] += 1
    leech = settings.leech_threshold
    leeches = sorted(
        (
            {"card_id": c, "deck_id": d, "lapses": lapses, "suspended": bool(s)}
            for c, d, _st, _due, lapses, s, present in cards
            if present and leech >= 1 and lapses >= leech
        ),
        key=lambda x: (-x["lapses"], x["card_id"]),
    )
    quizzes = []
    for qid, started, finished, decks, planned in conn.execute(
        "SELECT id, started_at, finished_at, decks, planned FROM quiz ORDER BY id DESC LIMIT 20"
    ):
        answers = [
            c for (c,) in conn.execute("SELECT correct FROM quiz_answer WHERE quiz_id = ?", (qid,))
        ]
        quizzes.append(
            {
                "id": qid,
                "started_at": started,
                "finished_at": finished,
                "decks": json.loads(decks),
                "planned": planned,
                "answered": len(answers),
                "correct": sum(answers),
                "score": sum(answers) / planned if planned else None,
            }
        )
    return {
        "today": {
            "new": by_state[0],
            "learning": by_state[1] + by_state[3],
            "review": by_state[2],
            "again": sum(1 for lg in today if lg[2] == 1),
            "cards": len({lg[0] for lg in today}),
            "time_ms": sum(lg[4] for lg in today),
            "total": by_state[0] + by_state[1] + by_state[2] + by_state[3],
        },
        "heatmap": [
            {"day": s.astimezone().date().isoformat(), "reviews": n}
            for s, n in zip(starts, heat, strict=False)
        ],
        "retention": {
            "all": rj([sum(r[0] for r in every.values()), sum(r[1] for r in every.values())]),
            "month": rj([sum(r[0] for r in month.values()), sum(r[1] for r in month.values())]),
            "decks": {
                d: {"all": rj(every.get(d)), "month": rj(month.get(d))}
                for d in deck_ids
                if d in every or d in month
            },
        },
        "forecast": forecast,
        "leeches": leeches,
        "quiz_history": quizzes,
    }


def reference_mastery(store: Store, catalog: Any, settings: Settings) -> dict[str, Any]:
    """Retrievability per deck and tag, card by card with FSRS itself, running totals."""
    from quizapp.scheduling import fsrs_retrievability

    sched = settings.scheduler()
    r = {}
    for row in store.cards([c for d in catalog.decks for c in d.card_ids]):
        if row.present and row.state and (row.stability or 0) > 0 and row.last_review:
            r[row.card_id] = fsrs_retrievability(sched, row, NOW)
    decks = {}
    tags: dict[str, list[Any]] = {}
    for deck in catalog.decks:
        rs = [r[c] for c in deck.card_ids if c in r]
        decks[deck.id] = {
            "cards": len(deck.card_ids),
            "studied": len(rs),
            "retrievability": sum(rs) / len(rs) if rs else None,
        }
        for cid in deck.card_ids:
            for tag in catalog.card(cid).tags:
                if tag.startswith("note:"):
                    continue
                t = tags.setdefault(tag, [0, 0, 0.0])
                t[0] += 1
                if cid in r:
                    t[1] += 1
                    t[2] += r[cid]
    return {
        "decks": decks,
        "tags": {
            k: {"cards": c, "studied": n, "retrievability": total / n if n else None}
            for k, (c, n, total) in tags.items()
        },
    }


def check(store: Store, catalog: Any, settings: Settings) -> None:
    got = to_json(compute(store, catalog, settings, NOW, task_ids=[]))
    mastery = reference_mastery(store, catalog, settings)
    # The same counts; the means to the rounding: SQLite sums each layout group (in index
    # order, compensated from SQLite 3.43), the reference adds card by card.
    for kind in ("decks", "tags"):
        assert got["mastery"][kind].keys() == mastery[kind].keys()
        for key, m in mastery[kind].items():
            g = got["mastery"][kind][key]
            assert (g["cards"], g["studied"]) == (m["cards"], m["studied"]), (kind, key)
            if m["retrievability"] is None:
                assert g["retrievability"] is None
            else:
                assert g["retrievability"] == pytest.approx(m["retrievability"], rel=1e-12)
    want = reference(store, catalog, settings, NOW)
    assert got["today"] == want["today"]
    assert got["heatmap"] == want["heatmap"]
    assert got["retention"] == want["retention"]
    assert [f["due"] for f in got["forecast"]] == want["forecast"]
    assert got["leeches"] == want["leeches"]
    assert got["quiz_history"] == want["quiz_history"]


@pytest.mark.parametrize("seed", range(3))
def test_stats_match_the_reference_on_random_stores(seed: int, zone: str, tmp_path: Path) -> None:
    rng = random.Random(f"{seed}-{zone}")
    catalog = load_catalog([MINI], tmp_path / "cache")
    store = Store.open(tmp_path / "q.db")
    try:
        store.sync_cards(catalog.fingerprint, catalog.sync_rows())
        card_ids = [c for d in catalog.decks for c in d.card_ids]
        fill(store, rng, card_ids, rng.randint(300, 1500))
        for rollover in (0, 4, rng.randint(1, 23)):
            settings = Settings(rollover_hour=rollover, leech_threshold=rng.randint(0, 8))
            check(store, catalog, settings)
    finally:
        store.close()


def test_migration_fills_the_tallies_from_an_existing_log(tmp_path: Path) -> None:
    """A store with its history written before the tallies existed (schema 8)."""
    rng = random.Random(99)
    catalog = load_catalog([MINI], tmp_path / "cache")
    path = tmp_path / "old.db"
    store = Store.open(path, migrate=False)
    store.migrate(target=8)
    with store.transaction():  # the cards as that schema's sync wrote them
        store.conn.executemany(
            "INSERT INTO card (card_id, deck_id, position) VALUES (?, ?, ?)",
            [row[:3] for row in catalog.sync_rows()],
        )
    store.set_setting("decks_fingerprint", catalog.fingerprint)
    fill(store, rng, [c for d in catalog.decks for c in d.card_ids], 800)
    store.close()
    store = Store.open(path)
    try:
        assert store.schema_version() == len(MIGRATIONS)
        check(store, catalog, Settings(rollover_hour=4))
    finally:
        store.close()


def test_a_rating_and_its_undo_move_the_tallies(tmp_path: Path) -> None:
    """Through the store's own write path: record_review then undo_review."""
    catalog = load_catalog([MINI], tmp_path / "cache")
    store = Store.open(tmp_path / "q.db")
    try:
        store.sync_cards(catalog.fingerprint, catalog.sync_rows())
        settings = Settings(rollover_hour=4)
        row = store.card("mini-basic")
        assert row is not None
        from dataclasses import replace

        before = replace(row, state=2, stability=3.0, due=to_ms(NOW), last_review=to_ms(NOW))
        store.record_review(row, before, rating=3, reviewed_at=to_ms(NOW) - 1, duration_ms=1)
        log_id = store.record_review(
            before, before, rating=1, reviewed_at=to_ms(NOW), duration_ms=5
        )
        got = to_json(compute(store, catalog, settings, NOW + timedelta(seconds=1), task_ids=[]))
        assert got["retention"]["all"] == {"passed": 0, "total": 1, "rate": 0.0}
        assert got["heatmap"][-1]["reviews"] == 2
        store.undo_review(log_id)
        got = to_json(compute(store, catalog, settings, NOW + timedelta(seconds=1), task_ids=[]))
        assert got["retention"]["all"] == {"passed": 0, "total": 0, "rate": None}
        assert got["heatmap"][-1]["reviews"] == 1
        check(store, catalog, settings)
    finally:
        store.close()
