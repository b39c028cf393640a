"""FSRS glue with fixed UTC datetimes: previews are what rating commits, limits, the day."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from quizapp.scheduling import (
    Settings,
    build_queue,
    day_bounds,
    format_interval,
    home_counts,
    preview,
    to_ms,
)
from quizapp.store import LEARNING, NEW, REVIEW, Store

T0 = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


@pytest.fixture
def store(db_path: Path) -> Store:
    s = Store.open(db_path)
    s.sync_cards("v1", [(f"c{i:02d}", "d1" if i < 30 else "d2", i) for i in range(40)])
    return s


def rate(store: Store, settings: Settings, card_id: str, rating: int, now: datetime) -> None:
    row = store.card(card_id)
    assert row is not None
    outcome = preview(settings.scheduler(), row, now, settings.leech_threshold)[rating]
    store.record_review(row, outcome.after, rating=rating, reviewed_at=to_ms(now), duration_ms=1)


def test_preview_is_exactly_what_gets_committed(store: Store) -> None:
    settings = Settings()
    row = store.card("c00")
    assert row is not None
    outcomes = preview(settings.scheduler(), row, T0)
    assert set(outcomes) == {1, 2, 3, 4}
    assert outcomes[1].label == "1m" and outcomes[3].label == "10m"
    assert outcomes[4].interval >= timedelta(days=1)
    store.record_review(row, outcomes[4].after, rating=4, reviewed_at=to_ms(T0), duration_ms=1)
    assert store.card("c00") == outcomes[4].after
    assert store.card("c00").state == REVIEW  # type: ignore[union-attr]


def test_intervals_grow_with_rating(store: Store) -> None:
    settings = Settings(enable_fuzzing=False)
    rate(store, settings, "c00", 4, T0)
    row = store.card("c00")
    assert row is not None
    later = T0 + timedelta(days=10)
    out = preview(settings.scheduler(), row, later)
    assert out[1].interval < out[2].interval < out[3].interval < out[4].interval


def test_lapse_counts_and_leech_suspends(store: Store) -> None:
    settings = Settings(enable_fuzzing=False, leech_threshold=2)
    now = T0
    rate(store, settings, "c01", 4, now)
    for _ in range(2):
        now += timedelta(days=30)
        rate(store, settings, "c01", 1, now)  # lapse
        now += timedelta(hours=1)
        rate(store, settings, "c01", 3, now)  # relearned
        now += timedelta(hours=1)
        rate(store, settings, "c01", 3, now)
    row = store.card("c01")
    assert row is not None and row.lapses == 2 and row.suspended == 1


def test_new_card_limit_and_queue_order(store: Store, utc_tz: None) -> None:
    settings = Settings(new_per_day=5, enable_fuzzing=False)
    q = build_queue(store, settings, T0, deck_ids=["d1"])
    assert [r.card_id for r in q.new] == ["c00", "c01", "c02", "c03", "c04"]
    rate(store, settings, "c00", 3, T0)
    rate(store, settings, "c01", 4, T0)
    q = build_queue(store, settings, T0 + timedelta(minutes=1))
    assert len(q.new) == 3  # two new cards were introduced today
    assert [r.card_id for r in q.learning] == ["c00"]  # due in 10 min: within learn-ahead
    counts = home_counts(store, settings, T0 + timedelta(minutes=1), ["d1", "d2"])
    assert counts.decks["d1"] == {"new": 3, "learning": 1, "review": 0}
    assert counts.decks["d2"]["new"] == 3  # the limit is global: each deck shows what's left
    assert counts.total == {"new": 3, "learning": 1, "review": 0}


def test_limits_reset_at_rollover_hour(store: Store, utc_tz: None) -> None:
    settings = Settings(new_per_day=1, rollover_hour=4)
    late = datetime(2026, 3, 2, 3, 30, tzinfo=UTC)  # still "yesterday" until 04:00
    rate(store, settings, "c00", 4, late)
    assert len(build_queue(store, settings, late).new) == 0
    assert len(build_queue(store, settings, late + timedelta(minutes=31)).new) == 1


def test_review_limit(store: Store, utc_tz: None) -> None:
    settings = Settings(reviews_per_day=2, new_per_day=100, enable_fuzzing=False)
    for i in range(5):
        rate(store, settings, f"c{i:02d}", 4, T0)
    q = build_queue(store, settings, T0 + timedelta(days=60))
    assert len(q.review) == 2
    q = build_queue(store, settings, T0 + timedelta(days=60), deck_ids=["d2"])
    assert q.review == [] and all(r.deck_id == "d2" for r in q.new)


def test_suspended_and_buried_cards_are_not_queued(store: Store, utc_tz: None) -> None:
    settings = Settings(new_per_day=100)
    store.conn.execute("UPDATE card SET suspended = 1 WHERE card_id = 'c00'")
    store.conn.execute(
        "UPDATE card SET buried_until = ? WHERE card_id = 'c01'", (to_ms(T0 + timedelta(hours=5)),)
    )
    ids = [r.card_id for r in build_queue(store, settings, T0).new]
    assert "c00" not in ids and "c01" not in ids and "c02" in ids
    later = [r.card_id for r in build_queue(store, settings, T0 + timedelta(hours=6)).new]
    assert "c01" in later


def test_day_bounds_use_local_time_and_rollover(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    try:
        # Clocks spring forward at 02:00 on 2026-03-08, so the study day that starts at
        # 04:00 EST on the 7th ends at 04:00 EDT on the 8th: 23 hours.
        now = datetime(2026, 3, 8, 7, 30, tzinfo=UTC)  # 03:30 EDT on the 8th: before rollover
        start, end = day_bounds(now, 4)
        assert start == datetime(2026, 3, 7, 9, 0, tzinfo=UTC)  # 04:00 EST
        assert end == datetime(2026, 3, 8, 8, 0, tzinfo=UTC)  # 04:00 EDT
        assert end - start == timedelta(hours=23)
        start, end = day_bounds(datetime(2026, 3, 8, 12, 0, tzinfo=UTC), 4)
        assert (start, end - start) == (datetime(2026, 3, 8, 8, 0, tzinfo=UTC), timedelta(days=1))
    finally:
        monkeypatch.undo()
        time.tzset()


def test_new_and_learning_states() -> None:
    assert (NEW, LEARNING, REVIEW) == (0, 1, 2)


@pytest.mark.parametrize(
    "delta, text",
    [
        (timedelta(seconds=10), "<1m"),
        (timedelta(minutes=10), "10m"),
        (timedelta(hours=5), "5h"),
        (timedelta(days=3), "3d"),
        (timedelta(days=45), "1.5mo"),
        (timedelta(days=730), "2y"),
    ],
)
def test_format_interval(delta: timedelta, text: str) -> None:
    assert format_interval(delta) == text


def test_settings_validate_and_persist(store: Store) -> None:
    with pytest.raises(ValueError):
        Settings(desired_retention=1.5)
    with pytest.raises(ValueError):
        Settings(learning_steps_min=(0,))
    Settings(desired_retention=0.85, new_per_day=7).save(store)
    loaded = Settings.from_store(store)
    assert loaded.desired_retention == 0.85 and loaded.new_per_day == 7
    assert loaded.scheduler().desired_retention == 0.85
    store.set_setting("scheduling", {"desired_retention": 7})  # hand-edited garbage
    assert Settings.from_store(store) == Settings()


def test_new_cards_come_from_every_deck_in_turn(store: Store, utc_tz: None) -> None:
    settings = Settings(new_per_day=6)
    q = build_queue(store, settings, T0)  # decks found from the store
    assert [r.card_id for r in q.new] == ["c00", "c30", "c01", "c31", "c02", "c32"]
    q = build_queue(store, settings, T0, deck_ids=["d2", "d1"])  # the caller's deck order
    assert [r.card_id for r in q.new] == ["c30", "c00", "c31", "c01", "c32", "c02"]
    q = build_queue(store, settings, T0, deck_ids=["d2"])
    assert [r.card_id for r in q.new] == ["c30", "c31", "c32", "c33", "c34", "c35"]


@pytest.mark.parametrize("seed", range(25))
def test_new_cards_in_turn_are_what_asking_every_deck_for_the_limit_gives(
    tmp_path: Path, seed: int
) -> None:
    """The queue asks each deck for the rounds the limit takes, and more only of the decks
    that could give more once one runs short: the same cards, in the same order, as taking
    `limit` from every deck (what it did before), for any deck sizes, limits and deck lists."""
    import random

    from quizapp.scheduling import _new_cards_round_robin

    rng = random.Random(seed)
    sizes = [rng.choice((0, 1, 2, 3, 5, 8, 20)) for _ in range(rng.randint(1, 7))]
    rows = [(f"d{d}-c{i}", f"d{d}", 0) for d, n in enumerate(sizes) for i in range(n)]
    rng.shuffle(rows)
    rows = [(cid, deck, pos) for pos, (cid, deck, _) in enumerate(rows)]
    store = Store.open(tmp_path / "q.db")
    try:
        store.sync_cards("v1", rows)
        decks = [f"d{d}" for d in range(len(sizes))]
        asked = rng.choice([None, decks, decks + decks[:2], rng.sample(decks, len(decks))])
        limit = rng.randint(1, 40)
        now_ms = to_ms(T0)
        per_deck = {
            deck: store.due_cards(
                state_in=(NEW,), due_before=None, now_ms=now_ms, deck_ids=[deck], limit=limit
            )
            for deck in (asked if asked is not None else store.decks_with_new())
        }
        want: list[str] = []
        while len(want) < limit and any(per_deck.values()):
            for queue in per_deck.values():
                if queue and len(want) < limit:
                    want.append(queue.pop(0).card_id)
        got = [r.card_id for r in _new_cards_round_robin(store, now_ms, asked, limit)]
        assert got == want
    finally:
        store.close()
