"""Personal FSRS: the log -> items conversion, the fit, the CLI, and py-fsrs vs fsrs-rs."""

from __future__ import annotations

import io
import json
import math
import sqlite3
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

import fsrs_rs_python as rs
import pytest
from fsrs import Card, Rating, Scheduler
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarks._fsrs_synth import TRUE_PARAMETERS, synthetic_reviews
from quizapp import fitting
from quizapp.cli import main
from quizapp.cli.env import Environment
from quizapp.fitting import DEFAULT_PARAMETERS, Review, training_items
from quizapp.planning import Model
from quizapp.scheduling import Settings
from quizapp.store import Store

DAY = 86_400_000
T0 = int(datetime(2026, 3, 2, 12, tzinfo=UTC).timestamp() * 1000)  # noon UTC


def write_history(path: Path, reviews: Sequence[Review]) -> None:
    """Put reviews into a real store's review_log, as rating them would have."""
    Store.open(path).close()
    conn = sqlite3.connect(path)
    with conn:
        conn.executemany(
            "INSERT INTO review_log (card_id, deck_id, rating, reviewed_at, duration_ms, "
            "state_before, state_after) VALUES (?, 'synthetic', ?, ?, 8000, ?, '{}')",
            (
                (r.card_id, r.rating, r.reviewed_at, json.dumps({"state": r.state_before}))
                for r in reviews
            ),
        )
    conn.close()


def run_cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), Environment(stdout=out, stderr=err, environ={}))
    return code, out.getvalue(), err.getvalue()


# ---------------------------------------------------------------------- log -> items


def test_items_follow_anki_same_day_and_restarts(utc_tz: None) -> None:
    r = [
        # card a: learned (Again, then Good 10 min later), reviewed 1 and 4 days later
        Review("a", T0, 1, 0),
        Review("a", T0 + 600_000, 3, 1),
        Review("a", T0 + DAY, 3, 2),
        Review("a", T0 + DAY + 3_600_000, 3, 2),  # the same day again: history, not an item
        Review("a", T0 + 5 * DAY, 2, 2),
        # card b: no first rating as new (imported half-way): left out
        Review("b", T0, 3, 2),
        Review("b", T0 + 3 * DAY, 3, 2),
        # card c: reset to new on day 2, only what follows counts
        Review("c", T0, 3, 0),
        Review("c", T0 + 2 * DAY, 3, 2),
        Review("c", T0 + 3 * DAY, 4, 0),
        Review("c", T0 + 6 * DAY, 3, 2),
    ]
    items, used = training_items(r, rollover_hour=4)
    seqs = [seq for _, seq in items]
    assert [(1, 0), (3, 0), (3, 1)] in seqs
    assert [(1, 0), (3, 0), (3, 1), (3, 0), (2, 4)] in seqs
    assert [(4, 0), (3, 3)] in seqs
    assert len(items) == 3  # nothing from b, nothing ending on a same-day review
    assert used == 5 + 2  # a's five ratings and c's last two
    times = [t for t, _ in items]
    assert times == sorted(times)


def test_study_days_start_at_the_rollover_hour(utc_tz: None) -> None:
    late = int(datetime(2026, 3, 2, 23, tzinfo=UTC).timestamp() * 1000)
    early_next = late + 4 * 3_600_000  # 3 am the next calendar day: still the same study day
    items, _ = training_items(
        [Review("a", late, 3, 0), Review("a", early_next, 3, 1), Review("a", late + DAY, 3, 2)],
        rollover_hour=4,
    )
    assert [seq for _, seq in items] == [[(3, 0), (3, 0), (3, 1)]]


def test_too_little_history_is_refused_with_a_clear_message() -> None:
    with pytest.raises(fitting.NotEnoughHistory, match="at least 400"):
        fitting.fit(synthetic_reviews(200))


# ---------------------------------------------------------------------- the fit


def _predicted(
    parameters: Sequence[float], items: list[tuple[int, list[tuple[int, int]]]]
) -> list[float]:
    """Recall predicted for each item's last review (its history before it, then the delay)."""
    model = rs.FSRS(list(parameters))
    histories = [rs.FSRSItem([rs.FSRSReview(r, d) for r, d in seq[:-1]]) for _, seq in items]
    states = model.memory_state_batch(histories)
    m = Model(parameters)
    return [
        float(m.recall(seq[-1][1], st.stability))
        for (_, seq), st in zip(items, states, strict=True)
    ]


def test_fit_recovers_known_parameters_better_than_the_defaults(utc_tz: None) -> None:
    reviews = synthetic_reviews(30_000, TRUE_PARAMETERS, seed=3)
    report = fitting.fit(reviews)
    assert len(report.parameters) == 21
    assert report.after.log_loss < report.before.log_loss
    assert report.better

    # closer to the truth in parameter space (initial stabilities, on a log scale) ...
    def dist(p: Sequence[float]) -> float:
        return math.dist([math.log(x) for x in p[:4]], [math.log(x) for x in TRUE_PARAMETERS[:4]])

    assert dist(report.parameters) < dist(DEFAULT_PARAMETERS) / 2
    # ... and in what matters: the recall predicted for every review of the log
    items, _ = training_items(reviews)
    truth = _predicted(TRUE_PARAMETERS, items)
    fitted = _predicted(report.parameters, items)
    default = _predicted(DEFAULT_PARAMETERS, items)
    err_fit = sum(abs(a - b) for a, b in zip(fitted, truth, strict=True)) / len(truth)
    err_def = sum(abs(a - b) for a, b in zip(default, truth, strict=True)) / len(truth)
    assert err_fit < err_def / 2


def test_the_true_parameters_are_not_replaced_by_a_worse_fit(utc_tz: None) -> None:
    report = fitting.fit(synthetic_reviews(20_000, seed=5), TRUE_PARAMETERS)
    assert report.before.log_loss <= report.after.log_loss
    assert not report.better


# ---------------------------------------------------------------------- the CLI


def test_optimize_json_saves_better_parameters(db_path: Path, utc_tz: None) -> None:
    reviews = synthetic_reviews(10_000, seed=2)
    write_history(db_path, reviews)
    code, out, err = run_cli("--db", str(db_path), "optimize", "--json")
    assert code == 0, err
    data = json.loads(out)
    assert set(data) == {"reviews", "before", "after", "parameters", "saved"}
    assert set(data["before"]) == set(data["after"]) == {"log_loss", "rmse_bins"}
    assert len(data["parameters"]) == 21 and all(isinstance(p, float) for p in data["parameters"])
    assert data["saved"] is True and data["after"]["log_loss"] < data["before"]["log_loss"]
    assert data["reviews"] == len(reviews)  # every synthetic card starts as new
    with Store.open(db_path) as store:
        saved = Settings.from_store(store).parameters
    assert saved is not None
    assert [round(p, 6) for p in saved] == data["parameters"]
    # the scheduler now uses them
    assert tuple(Settings(parameters=saved).scheduler().parameters) == pytest.approx(saved)


def test_optimize_dry_run_saves_nothing(db_path: Path, utc_tz: None) -> None:
    write_history(db_path, synthetic_reviews(5_000, seed=4))
    code, out, _ = run_cli("--db", str(db_path), "optimize", "--json", "--dry-run")
    assert code == 0 and json.loads(out)["saved"] is False
    with Store.open(db_path) as store:
        assert Settings.from_store(store).parameters is None


def test_optimize_on_a_new_collection_says_why_not(db_path: Path) -> None:
    code, out, err = run_cli("--db", str(db_path), "optimize")
    assert code == 1 and out == ""
    assert "not enough review history" in err and "Traceback" not in err


def test_workload_grows_with_desired_retention(db_path: Path) -> None:
    code, out, err = run_cli("--db", str(db_path), "workload", "--json", "--days", "120")
    assert code == 0, err
    data = json.loads(out)
    rows = data["rows"]
    assert [r["desired_retention"] for r in rows] == [0.7, 0.75, 0.8, 0.85, 0.9, 0.93, 0.95, 0.97]
    assert rows[-1]["minutes_per_day"] > rows[0]["minutes_per_day"] * 1.5
    assert rows[-1]["reviews_per_day"] > rows[0]["reviews_per_day"]
    assert data["cards"] > 100 and data["parameters"] == "default"


# ---------------------------------------------------------------------- py-fsrs vs fsrs-rs


HISTORY = [(3, 0), (3, 3), (1, 9), (3, 2), (4, 5), (2, 20), (3, 40), (1, 90), (3, 1)]


@pytest.mark.parametrize("parameters", [DEFAULT_PARAMETERS, TRUE_PARAMETERS])
def test_py_fsrs_and_fsrs_rs_agree_on_the_same_parameters(parameters: Sequence[float]) -> None:
    scheduler = Scheduler(
        parameters=parameters, learning_steps=(), relearning_steps=(), enable_fuzzing=False
    )
    model = rs.FSRS(list(parameters))
    card, memory = Card(), None
    now = datetime(2026, 1, 1, 12, tzinfo=UTC)
    for rating, gap in HISTORY:
        now += timedelta(days=gap)
        if memory is not None:
            probe = rs.Card()
            probe.stability, probe.difficulty, probe.last_date = memory.stability, 5.0, 0.0
            probe.parameters = list(parameters)
            assert scheduler.get_card_retrievability(card, now) == pytest.approx(
                probe.retention_on(float(gap)), rel=0.01
            )
        card, _ = scheduler.review_card(card, Rating(rating), now)
        states = model.next_states(memory, 0.9, gap)
        memory = (states.again, states.hard, states.good, states.easy)[rating - 1].memory
        assert card.stability == pytest.approx(memory.stability, rel=0.01)
        assert card.difficulty == pytest.approx(memory.difficulty, rel=0.01)
        interval_days = (card.due - now) / timedelta(days=1)
        assert interval_days == pytest.approx(
            max(1, round(model.next_interval(memory.stability, 0.9, rating))), rel=0.01
        )


@pytest.mark.parametrize("parameters", [DEFAULT_PARAMETERS, TRUE_PARAMETERS])
def test_the_plan_model_matches_fsrs_rs(parameters: Sequence[float]) -> None:
    """planning.Model writes FSRS-6 out in NumPy: it must agree with fsrs-rs' next_states."""
    model, m = rs.FSRS(list(parameters)), Model(parameters)
    for s, d, t in [(1.0, 5.0, 1), (3.5, 2.0, 4), (20.0, 8.5, 30), (150.0, 6.0, 100)]:
        states = model.next_states(rs.MemoryState(s, d), 0.9, t)
        r = float(m.recall(t, s))
        assert float(m.recall_stability(d, s, r, 3)) == pytest.approx(
            states.good.memory.stability, rel=1e-3
        )
        assert float(m.forget_stability(d, s, r)) == pytest.approx(
            states.again.memory.stability, rel=1e-3
        )
        assert float(m.next_difficulty(d, 3)) == pytest.approx(
            states.good.memory.difficulty, rel=1e-3
        )
        assert float(m.interval(s, 0.9)) == pytest.approx(model.next_interval(s, 0.9, 3), rel=1e-3)


# ---------------------------------------------------------------------- hostile logs


_review = st.tuples(
    st.sampled_from(["a", "b", "c"]),
    st.integers(min_value=0, max_value=400 * DAY),
    st.integers(min_value=-3, max_value=9),  # ratings outside 1..4 are ignored
    st.sampled_from([0, 1, 2, 3]),
)


@given(st.lists(_review, max_size=60))
@settings(max_examples=150, deadline=None)
def test_any_log_gives_items_fsrs_rs_accepts(raw: list[tuple[str, int, int, int]]) -> None:
    reviews = [Review(c, T0 + t, r, s) for c, t, r, s in sorted(raw)]
    items, used = training_items(reviews)
    assert used <= sum(1 for r in reviews if 1 <= r.rating <= 4)
    assert [t for t, _ in items] == sorted(t for t, _ in items)
    for _, seq in items:
        assert seq[0][1] == 0 and seq[-1][1] > 0
        assert all(1 <= r <= 4 and d >= 0 for r, d in seq)
    rs_items = fitting.to_rs_items(items)
    if rs_items:
        ev = fitting.evaluate(DEFAULT_PARAMETERS, rs_items)
        assert math.isfinite(ev.log_loss)


def test_saved_parameters_always_make_a_scheduler() -> None:
    wild = list(DEFAULT_PARAMETERS)
    wild[0], wild[20] = -5.0, 99.0  # outside py-fsrs' bounds
    clipped = fitting.scheduler_bounds(wild)
    assert Scheduler(parameters=clipped).parameters == pytest.approx(clipped)
    assert clipped[1:20] == pytest.approx(DEFAULT_PARAMETERS[1:20])
    # a refused set (written by another version) never locks the user out of review
    scheduler = Settings(parameters=tuple(wild)).scheduler()
    assert tuple(scheduler.parameters) == pytest.approx(DEFAULT_PARAMETERS)
