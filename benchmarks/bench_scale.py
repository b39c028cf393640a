"""Scale: a synthetic store of 100,000 cards and 1,000,000 review logs.

Measures what a user waits for: building today's queue and the home-screen counts (target
≤ 20 ms), committing one rating then fetching the next card (target ≤ 5 ms), and computing
every statistic (`quizapp stats --json`; target ≤ 300 ms). A primary-key
lookup on the same file is timed in the same run as the machine's baseline.

    python benchmarks/bench_scale.py [--cards 100000] [--logs 1000000]
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from quizapp.scheduling import Settings, build_queue, home_counts, preview, to_ms
from quizapp.store import Store


def build(path: Path, n_cards: int, n_logs: int, now: datetime) -> None:
    rng = random.Random(7)
    store = Store.open(path)
    decks = [f"deck{i:02d}" for i in range(20)]
    store.sync_cards("synthetic", ((f"c{i:06d}", decks[i % 20], i) for i in range(n_cards)))
    store.close()
    conn = sqlite3.connect(path)
    now_ms = to_ms(now)
    day = 86_400_000
    # 60 % of cards have been studied: review state, due spread over ±60 days.
    studied = int(n_cards * 0.6)
    conn.execute("BEGIN")
    conn.executemany(
        "UPDATE card SET state = ?, stability = ?, difficulty = ?, due = ?, last_review = ?, "
        "reps = ? WHERE card_id = ?",
        (
            (
                2 if i % 50 else 1,
                rng.uniform(1, 200),
                rng.uniform(1, 10),
                now_ms + rng.randint(-60, 60) * day,
                now_ms - rng.randint(1, 90) * day,
                rng.randint(1, 20),
                f"c{i:06d}",
            )
            for i in range(studied)
        ),
    )
    state = json.dumps({"card_id": "x", "deck_id": "d", "state": 2, "reps": 3})
    conn.executemany(
        "INSERT INTO review_log (card_id, deck_id, rating, reviewed_at, duration_ms, "
        "state_before, state_after) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            (
                f"c{rng.randrange(studied):06d}",
                decks[rng.randrange(20)],
                rng.randint(1, 4),
                now_ms - rng.randint(0, 365 * day),
                rng.randint(1000, 30000),
                state,
                state,
            )
            for _ in range(n_logs)
        ),
    )
    conn.execute("COMMIT")
    conn.execute("ANALYZE")
    conn.close()


def median_ms(fn, runs: int = 30) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def deck_edit(folder: Path, n_cards: int, n_files: int = 10) -> tuple[float, float, float]:
    """Seconds to validate `n_cards` cards in `n_files` deck files cold, then after editing one
    file (per-file cache), and again with nothing changed."""
    from quizapp.decks import load_decks

    per = n_cards // n_files
    for f in range(n_files):
        cards = "".join(
            f"  - id: f{f}-c{i}\n    type: basic\n    tags: [t{i % 7}]\n"
            f'    prompt: "Question {i} of file {f}?"\n    answer: "Answer {i}"\n'
            f'    explanation: "Because {i}."\n    source: {{beyond: "synthetic"}}\n'
            for i in range(per)
        )
        (folder / f"d{f:02d}.yaml").write_text(f"deck: d{f}\ntitle: D{f}\ncards:\n{cards}")
    cache = folder / "cache"
    t0 = time.perf_counter()
    load_decks([folder], cache)
    cold = time.perf_counter() - t0
    edited = folder / "d00.yaml"
    edited.write_text(edited.read_text() + "# edited\n")
    t0 = time.perf_counter()
    load_decks([folder], cache)
    one = time.perf_counter() - t0
    t0 = time.perf_counter()
    load_decks([folder], cache)
    none = time.perf_counter() - t0
    return cold, one, none


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cards", type=int, default=100_000)
    parser.add_argument("--logs", type=int, default=1_000_000)
    parser.add_argument("--deck-cards", type=int, default=20_000, help="for the deck-edit run")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        cold, one, none = deck_edit(Path(tmp), args.deck_cards)
    print(
        f"decks: {args.deck_cards:,} cards in 10 files: cold {cold:.2f} s; after editing one "
        f"file {one:.2f} s ({one / cold:.2f}x cold, target ~1/10); unchanged {none:.2f} s"
    )
    now = datetime.now(UTC)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "scale.db"
        t0 = time.perf_counter()
        build(path, args.cards, args.logs, now)
        print(
            f"built {args.cards:,} cards / {args.logs:,} logs in {time.perf_counter() - t0:.1f} s"
        )
        store = Store.open(path)
        settings = Settings(new_per_day=20, reviews_per_day=200)
        decks = [f"deck{i:02d}" for i in range(20)]
        baseline = median_ms(
            lambda: store.conn.execute("SELECT * FROM card WHERE card_id = 'c050000'").fetchone(),
            200,
        )
        counts = median_ms(lambda: home_counts(store, settings, now, decks))
        queue = median_ms(lambda: build_queue(store, settings, now, decks))
        sched = settings.scheduler()
        rows = build_queue(store, settings, now, decks).ordered()
        it = iter(rows)

        def rate_and_next() -> None:
            row = next(it)
            out = preview(sched, row, now)[3]
            store.record_review(row, out.after, rating=3, reviewed_at=to_ms(now), duration_ms=1)
            store.card(rows[0].card_id)  # fetch the next card's state, as review does

        commit = median_ms(rate_and_next, min(100, len(rows) - 1))
        from quizapp import stats as stats_mod
        from quizapp.catalog import load_catalog

        catalog = load_catalog(None, None)  # the bundled decks; the store holds the 100k cards
        stats_ms = median_ms(lambda: stats_mod.compute(store, catalog, settings, now), 3)
        later = now + timedelta(seconds=1)
        both = median_ms(
            lambda: (
                home_counts(store, settings, later, decks),
                build_queue(store, settings, later, decks),
            )
        )
        store.close()
    print(f"baseline primary-key lookup      {baseline:7.3f} ms")
    print(f"home-screen counts               {counts:7.2f} ms")
    print(f"today's queue                    {queue:7.2f} ms")
    print(
        f"queue + counts                   {both:7.2f} ms   (target <= 20 ms)"
        f"  = {both / baseline:,.0f}x baseline"
    )
    print(
        f"rate one card + fetch next       {commit:7.2f} ms   (target <= 5 ms)"
        f"  = {commit / baseline:,.0f}x baseline"
    )
    print(
        f"stats (every figure, as --json)  {stats_ms:7.0f} ms   (target <= 300 ms)"
        f"  = {stats_ms / baseline:,.0f}x baseline"
    )


if __name__ == "__main__":
    main()
