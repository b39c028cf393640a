"""The workload simulation is bounded: a deck bigger than the cards a run can introduce
simulates exactly as its cap, and the stats screen's sample (deck, daily limits and the daily
time budget scaled by one factor) stays close to the full run."""

from __future__ import annotations

from pathlib import Path

from quizapp.fitting import DEFAULT_PARAMETERS, _rs
from quizapp.scheduling import Settings
from quizapp.store import Store
from quizapp.workload import SEEDS, fsrs_summary, simulator_config, workload


def _store(tmp_path: Path, n_cards: int) -> Store:
    store = Store.open(tmp_path / "w.db")
    store.sync_cards("w", ((f"c{i}", "deck", i) for i in range(n_cards)))
    return store


def test_a_deck_beyond_what_a_run_can_introduce_is_capped_without_changing_a_number(
    tmp_path: Path,
) -> None:
    store = _store(tmp_path, 400)
    try:
        settings = Settings(new_per_day=3, reviews_per_day=50)
        config, scale = simulator_config(store, settings, 40)
        assert config.deck_size == 3 * 40 and scale == 1.0
        got = workload(store, settings, days=40, retentions=(0.8, 0.9))
        assert got.cards == 400 and got.sample_scale == 1.0
        config.deck_size = 400  # the uncapped run
        rs = _rs()
        for row, r in zip(got.rows, (0.8, 0.9), strict=True):
            reviews = 0.0
            for seed in SEEDS:
                result = rs.simulate(list(DEFAULT_PARAMETERS), r, config, seed)
                reviews += sum(result.review_cnt_per_day) + sum(result.learn_cnt_per_day)
            assert row.reviews_per_day == reviews / (len(SEEDS) * 40)
    finally:
        store.close()


def test_the_sample_is_scaled_back_and_close_to_the_full_run(tmp_path: Path) -> None:
    store = _store(tmp_path, 5000)
    try:
        settings = Settings(new_per_day=20, reviews_per_day=200)
        full = workload(store, settings, days=90, retentions=(0.85, 0.95))
        sample = workload(store, settings, days=90, retentions=(0.85, 0.95), max_cards=450)
        assert full.sample_scale == 1.0 and sample.sample_scale == 4.0
        for a, b in zip(full.rows, sample.rows, strict=True):
            assert abs(b.reviews_per_day - a.reviews_per_day) <= 0.15 * a.reviews_per_day
            assert abs(b.minutes_per_day - a.minutes_per_day) <= 0.15 * a.minutes_per_day
        text = fsrs_summary(store, settings, days=90, max_cards=450)
        assert "simulated on 1 card in 4" in text
        assert "simulated on" not in fsrs_summary(store, settings, days=90, max_cards=None)
    finally:
        store.close()
