"""Sync and class report at class scale, against a throwaway local PostgreSQL.

Targets (issue 16): a sync of 100,000 reviews ≤ 10 s (the first push of a device, and a
fresh device pulling them and rebuilding every card), and the class report over
200 learners × 5,000 reviews ≤ 2 s. Baselines measured in the same run on the same server:
a bare COPY of the same 100,000 rows into an unindexed table, and `count(*)` over the class's
review rows.

    python benchmarks/bench_sync.py [--reviews 100000] [--learners 200] [--per-learner 5000]

(`--learners 0` skips the class report part.)
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from quizapp.classroom import class_report
from quizapp.store import CardRow, Store
from quizapp.store_pg import PgServer
from quizapp.sync import sync
from tests.sync.pgcluster import PgCluster, pg_bin

T0 = 1_767_225_600_000  # 2026-01-01
DAY = 86_400_000


def review_rows(n: int, cards: int, seed: int) -> list[tuple[object, ...]]:
    """n plausible reviews over `cards` cards, each card's reviews spaced in time."""
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        card = f"c{i % cards:05d}"
        deck = f"deck{i % cards % 20:02d}"
        at = T0 + (i // cards) * 3 * DAY + rng.randint(0, DAY)
        before = CardRow(card, deck, state=2 if i >= cards else 0, stability=5.0, reps=i // cards)
        after = CardRow(card, deck, state=2, stability=rng.uniform(1, 60), difficulty=5.0,
                        due=at + 5 * DAY, last_review=at, reps=i // cards + 1)  # fmt: skip
        rating = rng.choices((1, 2, 3, 4), (15, 10, 65, 10))[0]
        rows.append((card, deck, rating, at, 4000, before.to_json(), after.to_json()))
    return rows


def build_device(path: Path, n: int, cards: int) -> None:
    rows = review_rows(n, cards, 1)
    with Store.open(path) as store, store.transaction() as conn:
        conn.executemany(
            "INSERT INTO card (card_id, deck_id, position) VALUES (?, ?, ?)",
            [(f"c{i:05d}", f"deck{i % 20:02d}", i) for i in range(cards)],
        )
        conn.executemany(
            "INSERT INTO review_log (card_id, deck_id, rating, reviewed_at, duration_ms, "
            "state_before, state_after) VALUES (?, ?, ?, ?, ?, ?, ?)",
            rows,
        )


def timed(fn):  # type: ignore[no-untyped-def]
    t = time.perf_counter()
    out = fn()
    return time.perf_counter() - t, out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--reviews", type=int, default=100_000)
    ap.add_argument("--cards", type=int, default=2_000)
    ap.add_argument("--learners", type=int, default=200)
    ap.add_argument("--per-learner", type=int, default=5_000)
    args = ap.parse_args()
    bindir = pg_bin()
    if bindir is None:
        print("no PostgreSQL binaries: apt-get install postgresql")
        return 1
    cluster = PgCluster(bindir)
    cluster.start()
    tmp = Path(tempfile.mkdtemp())
    try:
        url = cluster.new_database()
        device = tmp / "laptop.db"
        build_device(device, args.reviews, args.cards)
        with PgServer.connect(url) as server:
            # Baseline: the same rows, bare COPY into an unindexed table, one transaction.
            rows = review_rows(args.reviews, args.cards, 1)
            with server.transaction() as cur:
                cur.execute(
                    "CREATE TABLE bare (card_id text, deck_id text, rating int, at bigint, "
                    "dur int, sb jsonb, sa jsonb)"
                )

            def bare() -> None:
                with server.transaction() as cur, cur.copy("COPY bare FROM STDIN") as copy:
                    for r in rows:
                        copy.write_row(r)

            t_bare, _ = timed(bare)
            with Store.open(device) as store:
                t_push, rep = timed(lambda: sync(store, server, learner="ann"))
            assert rep.pushed["review_log"] == args.reviews
            fresh = tmp / "phone.db"
            with Store.open(fresh) as store:
                t_pull, rep2 = timed(lambda: sync(store, server, learner="ann"))
            assert rep2.pulled["review_log"] == args.reviews
            with Store.open(device) as store:
                t_again, rep3 = timed(lambda: sync(store, server, learner="ann"))
            assert sum(rep3.pushed.values()) + sum(rep3.pulled.values()) == 0
        print(f"sync of {args.reviews:,} reviews over {args.cards:,} cards (target ≤ 10 s each)")
        print(f"  baseline: bare COPY of the same rows   {t_bare:7.2f} s")
        print(f"  first push of a device                 {t_push:7.2f} s  ({t_push / t_bare:.1f}x)")
        print(
            f"  fresh device: pull + rebuild {rep2.rebuilt_cards:,} cards "
            f"{t_pull:7.2f} s  ({t_pull / t_bare:.1f}x)"
        )
        print(f"  second sync (nothing to do)            {t_again:7.2f} s")

        if args.learners <= 0:
            return 0
        url2 = cluster.new_database()
        with PgServer.connect(url2) as server:
            t_fill = time.perf_counter()
            for n in range(args.learners):
                rows = review_rows(args.per_learner, 300, 100 + n)
                for start in range(0, len(rows), 5000):
                    chunk = rows[start : start + 5000]
                    server.push(
                        f"learner{n:03d}",
                        "dev",
                        "review_log",
                        [(start + i + 1, *r, "review", None) for i, r in enumerate(chunk)],
                    )
            t_fill = time.perf_counter() - t_fill

            def baseline() -> int:
                with server.transaction() as cur:
                    cur.execute("SELECT count(*) FROM review_log")
                    return int(cur.fetchone()[0])

            t_count, total = timed(baseline)
            t_report, report = timed(lambda: class_report(server))
        assert len(report["learners"]) == args.learners
        print(
            f"class report over {args.learners} learners x {args.per_learner:,} reviews "
            f"({total:,} rows; target ≤ 2 s)"
        )
        print(f"  (filling the server through push took {t_fill:.1f} s)")
        print(f"  baseline: count(*) over review_log     {t_count:7.2f} s")
        ratio = t_report / t_count
        print(f"  class report                           {t_report:7.2f} s  ({ratio:.1f}x)")
    finally:
        cluster.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
