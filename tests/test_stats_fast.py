"""The grouped mastery (SQLite sums the retrievability of each layout group over a covering
index; decks and tags add up their groups from the cached deck layout) against the computation
it replaced (`mastery_by_id`: every card by id, the curve in Python), on random stores: equal
but for the rounding of the sums. Also the cases where it must step aside (another deck set
synced, groups that are not the catalog's, a store synced before it had groups, a damaged
layout file), a last_review that is not an integer, `quizapp stats --json` from the cached
layout against a full load, and the constants that spare it importing fsrs and the grader.
"""

from __future__ import annotations

import io
import json
import os
import random
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quizapp import deck_layout
from quizapp.catalog import Catalog, DeckInfo, load_catalog
from quizapp.cli import main
from quizapp.cli.env import Environment
from quizapp.scheduling import Settings, to_ms
from quizapp.stats import (
    DEFAULT_DECAY,
    Mastery,
    compute,
    curve_constants,
    group_sums,
    mastery,
    mastery_by_id,
    stats_layout,
    to_json,
)
from quizapp.store import MIGRATIONS, Store
from tests.test_stats_reference import MINI, NOW, fill

TAGS = ["l1", "l2", "dropout", "note:x", "note:y", "ridge"]


def synthetic_catalog(rng: random.Random) -> Catalog:
    """A few decks of random size with random tags (some `note:` tags, some cards untagged)."""
    decks, raw = [], {}
    for d in range(rng.randint(1, 5)):
        ids = tuple(f"d{d}-c{i}" for i in range(rng.randint(0, 120)))
        decks.append(DeckInfo(f"deck{d}", f"Deck {d}", "", "", ids, ("basic",) * len(ids)))
        for cid in ids:
            tags = rng.sample(
                ["l1", "l2", "dropout", "note:x", "note:y", "ridge"], rng.randint(0, 3)
            )
            raw[cid] = {"id": cid, "type": "basic", "tags": tags}
    return Catalog(decks, [], f"synthetic-{rng.random()}", _raw=raw)


def _store(tmp_path: Path, seed: int) -> tuple[Store, Any]:
    rng = random.Random(seed)
    catalog = load_catalog([MINI], tmp_path / "cache") if seed % 4 == 0 else synthetic_catalog(rng)
    store = Store.open(tmp_path / f"q{seed}.db")
    store.sync_cards(catalog.fingerprint, catalog.sync_rows())
    fill(store, rng, [c for d in catalog.decks for c in d.card_ids], rng.randint(100, 600))
    return store, catalog


def _both(store: Store, catalog: Any) -> tuple[Any, Any]:
    sched = Settings().scheduler()
    return mastery(store, catalog, sched, NOW), mastery_by_id(store, catalog, sched, NOW)


def _ran_grouped(store: Store, catalog: Any) -> bool:
    layout = stats_layout(catalog)
    sched = Settings().scheduler()
    args = (float(sched._FACTOR), float(sched._DECAY), to_ms(NOW))
    return group_sums(store, layout, *args) is not None


def _grouped_equals_by_id(store: Store, catalog: Any) -> tuple[list[Mastery], list[Mastery]]:
    """The grouped path ran, and its decks and tags equal the by-id computation's; returns
    (decks, the by-id decks)."""
    assert _ran_grouped(store, catalog)
    (decks, tags), (want_decks, want_tags) = _both(store, catalog)
    _same(decks, want_decks)
    _same(tags, want_tags)
    return decks, want_decks


def _same(got: list[Mastery], want: list[Mastery]) -> None:
    """The same rows (tags: the same set, weakest first) with means equal to the rounding."""
    assert {m.key: (m.cards, m.studied) for m in got} == {m.key: (m.cards, m.studied) for m in want}
    by_key = {m.key: m.retrievability for m in want}
    for m in got:
        if by_key[m.key] is None:
            assert m.retrievability is None
        else:
            assert m.retrievability == pytest.approx(by_key[m.key], rel=1e-12, abs=0)
    ranked = [(m.retrievability is None, m.retrievability or 0.0) for m in got]
    assert ranked == sorted(ranked) or [m.key for m in got] == [m.key for m in want]


@pytest.mark.parametrize("seed", range(12))
def test_grouped_mastery_equals_the_by_id_computation(seed: int, tmp_path: Path) -> None:
    store, catalog = _store(tmp_path, seed)
    try:
        layout = stats_layout(catalog)
        assert layout.unique and store.get_setting("decks_fingerprint") == layout.fingerprint
        decks, want_decks = _grouped_equals_by_id(store, catalog)
        assert [m.key for m in decks] == [m.key for m in want_decks]  # catalog order
        assert any(m.studied for m in decks)  # the random store studied something
        assert sum(n for _, _, n in layout.groups) == layout.cards
    finally:
        store.close()


def test_the_grouped_path_steps_aside_when_groups_are_not_the_catalogs(tmp_path: Path) -> None:
    store, catalog = _store(tmp_path, 13)
    try:
        want = _both(store, catalog)[1]
        conn = store.conn
        # Another deck set synced last: the by-id path (the very same numbers).
        store.set_setting("decks_fingerprint", "another deck set")
        assert _both(store, catalog)[0] == want
        store.set_setting("decks_fingerprint", catalog.fingerprint)
        studied = "SELECT card_id FROM card WHERE state != 0 AND stability > 0"
        with store.transaction():  # a group past the layout's last
            conn.execute(
                f"UPDATE card SET layout_group = 10000 WHERE card_id = ({studied} LIMIT 1)"
            )
        assert not _ran_grouped(store, catalog)
        assert _both(store, catalog)[0] == want
        layout = stats_layout(catalog)
        with store.transaction():  # every studied card in one group: more than it holds
            conn.execute(f"UPDATE card SET layout_group = 0 WHERE card_id IN ({studied})")
        assert layout.groups[0][2] < conn.execute(f"SELECT count(*) FROM ({studied})").fetchone()[0]
        assert not _ran_grouped(store, catalog)
        assert _both(store, catalog)[0] == want
        with store.transaction():  # synced before cards had groups
            conn.execute("UPDATE card SET layout_group = NULL")
        assert not _ran_grouped(store, catalog)
        assert _both(store, catalog)[0] == want
    finally:
        store.close()


def test_a_last_review_that_is_not_an_integer_is_floored_as_in_python(tmp_path: Path) -> None:
    store, catalog = _store(tmp_path, 14)
    try:
        with store.transaction():  # a REAL last_review (never written by quizapp)
            store.conn.execute(
                "UPDATE card SET last_review = last_review + 0.5 WHERE card_id IN "
                "(SELECT card_id FROM card WHERE state != 0 AND stability > 0 LIMIT 5)"
            )
        _grouped_equals_by_id(store, catalog)
    finally:
        store.close()


def test_a_store_from_before_groups_is_synced_again(tmp_path: Path) -> None:
    """The migration that adds the groups drops the decks' fingerprint, so the next start
    syncs and gives every card its group; until then the stats look cards up by id."""
    catalog = load_catalog([MINI], tmp_path / "cache")
    db = tmp_path / "old.db"
    old = Store.open(db)
    old.sync_cards(catalog.fingerprint, catalog.sync_rows())
    fill(old, random.Random(3), [c for d in catalog.decks for c in d.card_ids], 200)
    old.close()
    conn = sqlite3.connect(db)  # the schema before the groups' migration, as it was left
    conn.executescript(
        "DROP INDEX card_mastery; ALTER TABLE card DROP COLUMN layout_group; "
        f"PRAGMA user_version = {len(MIGRATIONS) - 1};"
    )
    conn.close()
    store = Store.open(db)
    try:
        assert store.get_setting("decks_fingerprint") is None
        want = mastery_by_id(store, catalog, Settings().scheduler(), NOW)
        assert _both(store, catalog)[0] == want  # not synced yet: by id
        assert store.sync_cards(catalog.fingerprint, catalog.sync_rows())
        assert _ran_grouped(store, catalog)
        got = _both(store, catalog)[0]
        _same(got[0], want[0])
        _same(got[1], want[1])
    finally:
        store.close()


def test_the_cached_layout_gives_the_same_stats(tmp_path: Path) -> None:
    store, catalog = _store(tmp_path, 6)
    try:
        settings = Settings(rollover_hour=4)
        layout = stats_layout(catalog)
        cache = tmp_path / "layout"
        deck_layout.write_cache(cache, layout, {d.id: d.title for d in catalog.decks})
        light = deck_layout.read_cache(cache, catalog.fingerprint)
        assert light is not None
        got = light.stats_layout
        assert got == layout  # fingerprint, cards, decks, tags, groups, unique
        full = to_json(compute(store, catalog, settings, NOW, task_ids=[]))
        assert to_json(compute(store, light, settings, NOW, task_ids=[])) == full
        assert deck_layout.read_cache(cache, "another fingerprint") is None
        # The store synced with other decks since: the light catalog cannot answer.
        store.set_setting("decks_fingerprint", "another deck set")
        with pytest.raises(deck_layout.StaleLayout):
            compute(store, light, settings, NOW, task_ids=[])
        # Damaged files are a miss, never an error.
        (entry,) = cache.glob("stats-layout-*")
        data = json.loads(entry.read_bytes())
        first_group = data["groups"][0]
        broken_data = [
            {**data, "cards": -1},
            {**data, "tags": "l1"},
            {**data, "groups": [[len(data["decks"]), *first_group[1:]], *data["groups"][1:]]},
            {**data, "groups": [[first_group[0], [99], first_group[2]], *data["groups"][1:]]},
            {**data, "groups": [[*first_group[:2], first_group[2] + 1], *data["groups"][1:]]},
            {**data, "groups": data["groups"][1:]},  # a deck's groups no longer add up
            {**data, "decks": [[d, t, a, b + 1] for d, t, a, b in data["decks"]]},
            {**data, "format": 1},
        ]
        raw = entry.read_bytes()
        for broken in (b"", b"{not json", raw[:-3], *(json.dumps(b).encode() for b in broken_data)):
            entry.write_bytes(broken)
            assert deck_layout.read_cache(cache, catalog.fingerprint) is None
    finally:
        store.close()


def _cli(*argv: str) -> tuple[int, dict[str, Any], str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), env=Environment(stdout=out, stderr=err, environ=dict(os.environ)))
    data = json.loads(out.getvalue()) if code == 0 else {}
    data.pop("generated_at", None)
    return code, data, err.getvalue()


def test_stats_command_reads_the_cached_layout_and_notices_deck_edits(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    decks = tmp_path / "decks"
    shutil.copytree(MINI, decks)
    monkeypatch.setenv("QUIZAPP_DECKS", str(decks))
    monkeypatch.setenv("QUIZAPP_DB", str(tmp_path / "cli.db"))
    cache = Path(os.environ["QUIZAPP_CACHE_DIR"])
    code, first, err = _cli("stats", "--json")
    assert code == 0, err
    assert list(cache.glob("stats-layout-*"))  # kept for the next run
    import quizapp.catalog

    def no_decks(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the deck index was loaded")

    with monkeypatch.context() as m:
        m.setattr(quizapp.catalog, "load_catalog", no_decks)
        m.setattr("quizapp.session.load_catalog", no_decks)
        code, second, err = _cli("stats", "--json")
    assert code == 0, err
    assert second == first
    # An edited deck file: a new fingerprint, so the decks are loaded and synced again.
    deck_file = next(decks.glob("*.yaml"))
    text = deck_file.read_text()
    deck_file.write_text(text.replace("deck: mini", "deck: mini2", 1))
    code, third, err = _cli("stats", "--json")
    assert code == 0, err
    assert "mini2" in third["mastery"]["decks"] and "mini" not in third["mastery"]["decks"]


def test_a_layout_with_other_groups_than_the_store_steps_aside(tmp_path: Path) -> None:
    """A layout that reads well but whose groups are not the store's (one group fewer): the
    stats command loads the decks (StaleLayout), the app looks the cards up by id."""
    store, catalog = _store(tmp_path, 8)
    try:
        layout = stats_layout(catalog)
        last = len(layout.groups) - 1
        deck, _, size = layout.groups[last]
        merged = [
            (d, tags, n + size if d == deck and g == layout.deck_groups[deck][0] else n)
            for g, (d, tags, n) in enumerate(layout.groups[:last])
        ]
        assert layout.deck_groups[deck][0] != last, "the fixture's last deck has one group"
        broken = deck_layout.Layout(
            layout.fingerprint, layout.cards, layout.decks, layout.tags, merged, layout.unique
        )
        cache = tmp_path / "layout"
        deck_layout.write_cache(cache, broken, {d.id: d.title for d in catalog.decks})
        light = deck_layout.read_cache(cache, catalog.fingerprint)
        assert light is not None  # a consistent file ...
        studied_in_last = store.conn.execute(
            "SELECT count(*) FROM card WHERE layout_group = ? AND state != 0 AND stability > 0",
            (last,),
        ).fetchone()[0]
        assert studied_in_last, "the random store studied none of the last group's cards"
        sched = Settings().scheduler()
        with pytest.raises(deck_layout.StaleLayout):  # ... but not the store's: decks loaded
            mastery(store, light, sched, NOW)
        catalog._stats_layout = broken  # the app's catalog with that layout: looked up by id
        assert mastery(store, catalog, sched, NOW) == mastery_by_id(store, catalog, sched, NOW)
    finally:
        store.close()


def test_the_default_curve_needs_no_scheduler() -> None:
    """`compute` takes FSRS's default decay without importing fsrs: the very floats its
    Scheduler computes (and a fitted set's, through the Scheduler)."""
    sched = Settings().scheduler()
    assert curve_constants(Settings()) == (sched._FACTOR, sched._DECAY)
    assert DEFAULT_DECAY == -sched._DECAY
    fitted = Settings(parameters=(*Settings().scheduler().parameters[:20], 0.3))
    fs = fitted.scheduler()
    assert curve_constants(fitted) == (fs._FACTOR, fs._DECAY) != (sched._FACTOR, sched._DECAY)
    assert curve_constants(Settings(), fs) == (fs._FACTOR, fs._DECAY)  # a scheduler given


def test_the_task_ids_are_the_grading_catalogs() -> None:
    from quizapp.grading.catalog import task_ids
    from quizapp.grading.task_order import TASK_ORDER
    from quizapp.stats import _catalog_task_ids

    assert list(TASK_ORDER) == task_ids(), "add the task to quizapp/grading/task_order.py"
    assert _catalog_task_ids() == task_ids()


# What `quizapp stats --json` must not import once the decks' layout is cached: the grader's
# task modules (grading.task_order), fsrs (DEFAULT_DECAY), the deck loader.
NOT_FOR_STATS = ("fsrs", "quizapp.grading.catalog", "quizapp.grading.tasks", "quizapp.decks")

STATS_CHILD = """
import io, json, sys
from quizapp.cli import main
from quizapp.cli.env import Environment
out = io.StringIO()
code = main(["stats", "--json"], env=Environment(stdout=out))
print(json.dumps({"code": code, "loaded": [m for m in %r if m in sys.modules]}))
"""


def test_the_stats_command_leaves_fsrs_and_the_grader_unloaded(tmp_path: Path) -> None:
    import subprocess
    import sys

    root = Path(__file__).resolve().parent.parent
    env = {
        **os.environ,
        "QUIZAPP_DB": str(tmp_path / "q.db"),
        "QUIZAPP_CACHE_DIR": str(tmp_path / "cache"),
        "QUIZAPP_DECKS": str(MINI),
        "PYTHONPATH": str(root),
    }
    runs = []
    for _ in range(2):  # the first run loads the decks and caches their layout
        proc = subprocess.run(
            [sys.executable, "-c", STATS_CHILD % (NOT_FOR_STATS,)],
            cwd=root,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert proc.returncode == 0, proc.stderr[-2000:]
        runs.append(json.loads(proc.stdout.strip().splitlines()[-1]))
    assert runs[1] == {"code": 0, "loaded": []}


def test_ratings_and_their_undo_keep_the_cards_groups(tmp_path: Path) -> None:
    """A rating writes the card's whole row: as an upsert, so its layout group stays and the
    stats keep the grouped path (an INSERT OR REPLACE dropped it: every rated card then sent
    the stats to the by-id lookup)."""
    from quizapp.scheduling import preview

    store, catalog = _store(tmp_path, 4)
    try:
        settings = Settings()
        sched = settings.scheduler()
        groups = dict(store.conn.execute("SELECT card_id, layout_group FROM card").fetchall())
        log_ids = []
        picked = [c for d in catalog.decks for c in d.card_ids][:6]
        for cid in picked:  # new cards, which FSRS rates from any state the random fill left
            store.reset_card(cid)
        for row in store.cards(picked):
            after = preview(sched, row, NOW)[3].after
            log_ids.append(
                store.record_review(row, after, rating=3, reviewed_at=to_ms(NOW), duration_ms=1)
            )
        assert store.undo_review(log_ids[-1]) is not None
        assert dict(store.conn.execute("SELECT card_id, layout_group FROM card").fetchall()) == (
            groups
        )
        _grouped_equals_by_id(store, catalog)
    finally:
        store.close()


# Deck ids as a hostile file could spell them: quotes, backslashes, control characters,
# emoji, and ids that look like numbers or JSON.
_DECK_IDS = st.text(st.characters(exclude_categories=("Cs",)), min_size=0, max_size=12)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    logs=st.lists(
        st.tuples(_DECK_IDS, st.integers(1, 4), st.integers(-(2**40), 2**40)), max_size=30
    )
)
def test_retention_read_as_one_json_row_keeps_every_deck_id(
    tmp_path_factory: pytest.TempPathFactory, logs: list[tuple[str, int, int]]
) -> None:
    """The retention rows come packed as one JSON row: every deck id, whatever its characters,
    comes back as it was written, with its counts, as summing the logs in Python gives."""
    from quizapp.stats import true_retention

    store = Store.open(tmp_path_factory.mktemp("packed") / "q.db")
    review = json.dumps({"state": 2, "reps": 1})
    with store.transaction():
        store.conn.executemany(
            "INSERT INTO review_log (card_id, deck_id, rating, reviewed_at, duration_ms, "
            "state_before, state_after) VALUES ('c', ?, ?, ?, NULL, ?, ?)",
            [(deck, rating, when, review, review) for deck, rating, when in logs],
        )
    want: dict[str, list[int]] = {}
    for deck, rating, _ in logs:
        counts = want.setdefault(deck, [0, 0])
        counts[0] += rating > 1
        counts[1] += 1
    got = true_retention(store)
    assert {d: [r.passed, r.total] for d, r in got.items()} == want
    lo, hi = -(2**39) + 1_234, 2**39 - 5_678  # not whole hours: the log itself is read too
    ranged = true_retention(store, lo, hi)
    want_ranged: dict[str, list[int]] = {}
    for deck, rating, when in logs:
        if lo <= when < hi:
            counts = want_ranged.setdefault(deck, [0, 0])
            counts[0] += rating > 1
            counts[1] += 1
    assert {d: [r.passed, r.total] for d, r in ranged.items()} == want_ranged
    store.close()
