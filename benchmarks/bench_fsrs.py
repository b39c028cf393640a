"""Personal FSRS and interview mode at scale.

- `quizapp optimize` on 100,000 reviews (a synthetic history drawn from known parameters, in a
  real store): read the log, build the items, fit, evaluate on the time-series split. Target
  ≤ 10 s. Baseline: one full read of the same review log from SQLite.
- `quizapp plan` on 100,000 cards / 1,000,000 reviews (the store `bench_scale.py` builds), 30
  days to the interview. Target ≤ 0.5 s. Baseline: one full scan of the card table.
- Today's queue in interview mode (the plan's first day + ordering) next to the plain queue.

    python benchmarks/bench_fsrs.py [--reviews 100000] [--cards 100000] [--logs 1000000]
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
import tempfile
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._fsrs_synth import synthetic_reviews
from benchmarks.bench_scale import build
from quizapp import fitting, planning
from quizapp.scheduling import Settings, build_queue, day_bounds, to_ms
from quizapp.store import Store


def timed(fn, runs: int = 1) -> float:  # type: ignore[no-untyped-def]
    best = float("inf")
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def bench_optimize(tmp: Path, n_reviews: int) -> None:
    path = tmp / "fit.db"
    reviews = synthetic_reviews(n_reviews, seed=11)
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
    store = Store.open(path)
    baseline = timed(lambda: sum(1 for _ in store.fsrs_history()), 3)
    report: list[fitting.FitReport] = []
    seconds = timed(lambda: report.append(fitting.optimize(store, Settings(), save=False)[0]))
    store.close()
    r = report[-1]
    print(f"read {len(reviews):,} reviews (baseline)   {baseline * 1000:8.1f} ms")
    print(
        f"optimize {r.reviews:,} reviews            {seconds:8.2f} s    (target <= 10 s)"
        f"  = {seconds / baseline:,.0f}x baseline"
    )
    print(
        f"  log loss {r.before.log_loss:.4f} -> {r.after.log_loss:.4f}, "
        f"RMSE(bins) {r.before.rmse_bins:.4f} -> {r.after.rmse_bins:.4f}"
    )


def bench_plan(tmp: Path, n_cards: int, n_logs: int) -> None:
    path = tmp / "scale.db"
    now = datetime.now(UTC)
    t0 = time.perf_counter()
    build(path, n_cards, n_logs, now)
    print(f"built {n_cards:,} cards / {n_logs:,} logs in {time.perf_counter() - t0:.1f} s")
    store = Store.open(path)
    settings = Settings(new_per_day=20, reviews_per_day=200)
    interview = planning.study_date(now, settings.rollover_hour) + timedelta(days=30)
    baseline = timed(lambda: store.plan_rows(), 3)
    plan: list[planning.Plan] = []
    seconds = timed(
        lambda: plan.append(planning.make_plan(store, None, settings, now, interview)), 3
    )
    p = plan[-1]
    print(f"scan the card table (baseline)    {baseline * 1000:8.1f} ms")
    print(
        f"plan, {p.days_left} days to the interview  {seconds * 1000:8.1f} ms  (target <= 500 ms)"
        f"  = {seconds / baseline:.1f}x baseline"
    )
    decks = [f"deck{i:02d}" for i in range(20)]
    # the synthetic log already has ~2,700 reviews today: leave 200 to do, or the queue is empty
    start, _ = day_bounds(now, settings.rollover_hour)
    done = store.reviewed_since(to_ms(start))["review"]
    queue_settings = replace(settings, reviews_per_day=done + 200)
    plain = timed(lambda: build_queue(store, queue_settings, now, decks), 3)
    mode = replace(queue_settings, interview_date=interview.isoformat())
    followed = timed(lambda: build_queue(store, mode, now, decks), 3)
    due = sum(1 for _ in store.due_memory(state_in=(2,), due_before=to_ms(start) + 86_400_000,
                                          now_ms=to_ms(now), deck_ids=decks))  # fmt: skip
    q = build_queue(store, mode, now, decks)
    print(f"today's queue                     {plain * 1000:8.1f} ms")
    print(
        f"today's queue, interview mode     {followed * 1000:8.1f} ms  "
        f"({len(q.review)} reviews ranked out of {due:,} due, {len(q.new)} new)"
    )
    store.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reviews", type=int, default=100_000)
    parser.add_argument("--cards", type=int, default=100_000)
    parser.add_argument("--logs", type=int, default=1_000_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        bench_optimize(Path(tmp), args.reviews)
        bench_plan(Path(tmp), args.cards, args.logs)


if __name__ == "__main__":
    main()
