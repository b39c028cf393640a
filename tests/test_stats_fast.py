"""The fast mastery (store positions, pow() in SQLite, the cached deck layout) against the
computation it replaced (`mastery_by_id`: every card by id, the curve in Python), on random
stores: the same floats, not approximately. Also the cases where the fast path must step
aside (another deck set synced, positions that are not the catalog's, a last_review that is
not an integer, a damaged layout file), `quizapp stats --json` from the cached layout against
a full load, and the constants that spare it importing fsrs and the grader.
"""

from __future__ import annotations

import io
import json
import os
import random
import shutil
from pathlib import Path
from typing import Any

import pytest

from quizapp import deck_layout
from quizapp.catalog import Catalog, DeckInfo, load_catalog
from quizapp.cli import main
from quizapp.cli.env import Environment
from quizapp.scheduling import Settings, to_ms
from quizapp.stats import (
    DEFAULT_DECAY,
    _retrievability_by_position,
    compute,
    curve_constants,
    mastery,
    mastery_by_id,
    stats_layout,
    to_json,
)
from quizapp.store import Store
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


@pytest.mark.parametrize("seed", range(12))
def test_fast_mastery_equals_the_by_id_computation(seed: int, tmp_path: Path) -> None:
    store, catalog = _store(tmp_path, seed)
    try:
        layout = stats_layout(catalog)
        assert layout.unique and store.get_setting("decks_fingerprint") == layout.fingerprint
        sched = Settings().scheduler()
        args = (layout.cards, float(sched._FACTOR), float(sched._DECAY), to_ms(NOW))
        assert _retrievability_by_position(store, *args) is not None  # the fast path ran
        fast, by_id = _both(store, catalog)
        assert fast == by_id
        assert any(m.studied for m in fast[0])  # the random store studied something
    finally:
        store.close()


def test_the_fast_path_steps_aside_when_positions_are_not_the_catalogs(tmp_path: Path) -> None:
    store, catalog = _store(tmp_path, 13)
    try:
        want = _both(store, catalog)[1]
        conn = store.conn
        # Another deck set synced last: the by-id path (same numbers for this catalog).
        store.set_setting("decks_fingerprint", "another deck set")
        assert _both(store, catalog)[0] == want
        store.set_setting("decks_fingerprint", catalog.fingerprint)
        with store.transaction():  # two studied cards at one position
            conn.execute(
                "UPDATE card SET position = 0 WHERE card_id IN "
                "(SELECT card_id FROM card WHERE state != 0 AND stability > 0 LIMIT 2)"
            )
        assert _both(store, catalog)[0] == want
        with store.transaction():  # a position past the catalog's end
            conn.execute("UPDATE card SET position = 10000 WHERE position = 0")
        assert _both(store, catalog)[0] == want
        with store.transaction():
            for cid, _, pos in catalog.sync_rows():
                conn.execute("UPDATE card SET position = ? WHERE card_id = ?", (pos, cid))
            # A last_review stored as a REAL (never written by quizapp): evaluated in Python.
            conn.execute(
                "UPDATE card SET last_review = last_review + 0.5 WHERE card_id = "
                "(SELECT card_id FROM card WHERE state != 0 AND stability > 0 LIMIT 1)"
            )
        fast, by_id = _both(store, catalog)
        assert fast == by_id
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
        assert (got.fingerprint, got.cards, got.decks, got.unique) == (
            layout.fingerprint,
            layout.cards,
            layout.decks,
            layout.unique,
        )
        assert {t: list(p) for t, p in got.tags.items()} == {
            t: list(p) for t, p in layout.tags.items()
        }
        full = to_json(compute(store, catalog, settings, NOW, task_ids=[]))
        assert to_json(compute(store, light, settings, NOW, task_ids=[])) == full
        assert deck_layout.read_cache(cache, "another fingerprint") is None
        # The store synced with other decks since: the light catalog cannot answer.
        store.set_setting("decks_fingerprint", "another deck set")
        with pytest.raises(deck_layout.StaleLayout):
            compute(store, light, settings, NOW, task_ids=[])
        # Damaged files are a miss, never an error.
        (entry,) = cache.glob("stats-layout-*.bin")
        data = entry.read_bytes()
        for broken in (b"", b"{not json\n", data[:-3], data.replace(b'"cards": ', b'"cards": -')):
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
    assert list(cache.glob("stats-layout-*.bin"))  # kept for the next run
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


def test_a_layout_with_positions_past_the_end_steps_aside(tmp_path: Path) -> None:
    """read_cache does not scan every position; mastery notices one past the last card."""
    store, catalog = _store(tmp_path, 8)
    try:
        layout = stats_layout(catalog)
        tag = next(iter(layout.tags))
        broken = deck_layout.Layout(
            layout.fingerprint,
            layout.cards,
            layout.decks,
            {**layout.tags, tag: [*layout.tags[tag], layout.cards + 5]},
            layout.unique,
        )
        cache = tmp_path / "layout"
        deck_layout.write_cache(cache, broken, {d.id: d.title for d in catalog.decks})
        light = deck_layout.read_cache(cache, catalog.fingerprint)
        assert light is not None  # not checked when read ...
        sched = Settings().scheduler()
        with pytest.raises(deck_layout.StaleLayout):  # ... but when used: the CLI loads decks
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
