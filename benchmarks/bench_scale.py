"""Scale: a synthetic store of 100,000 cards and 1,000,000 review logs, and deck files that
hold those 100,000 cards (20 files).

Measures what a user waits for: building today's queue and the home-screen counts (target
≤ 20 ms), committing one rating then fetching the next card (target ≤ 5 ms), computing every
statistic (`quizapp stats --json`, in-process and as a whole command; target ≤ 300 ms), the
stats screen (push → the first frame with the numbers, Pilot headless; target ≤ 300 ms),
browse's first page (push → the first frame with the first rows laid out and rendered; target
≤ 200 ms; then the preview, which comes after them), and the TUI start (process start
→ home screen ready, headless) at this scale against the start with the bundled decks and a
fresh database, measured alternately in the same run (target ≤ 1.3×). A primary-key lookup
on the same file is timed in the same run as the machine's baseline. A screen's frame counts
once it is encoded as a terminal would be sent it; the time to the app idle, as Pilot's
pause() detects it, is printed after it (it polls in 20 ms windows of CPU time).

    python benchmarks/bench_scale.py [--cards 100000] [--logs 1000000] [--starts 5]
        [--keep DIR] [--only stats]

`--keep DIR` builds the store and the deck files (and their validation cache) in DIR once and
reuses them in later runs with the same --cards/--logs: each run copies the pristine store, so
the ratings one run commits never reach the next. `--only stats` times the statistics only.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from quizapp.scheduling import Settings, build_queue, home_counts, preview, to_ms
from quizapp.store import Store

ROOT = Path(__file__).resolve().parent.parent
STARTUP_CHILD = Path(__file__).with_name("_startup_app.py")
N_DECKS = 20


def write_decks(folder: Path, n_cards: int) -> None:
    """The store's cards as deck files: card c{i} in deck{i % 20}, as `build` files them."""
    folder.mkdir(parents=True, exist_ok=True)
    for f in range(N_DECKS):
        cards = "".join(
            f"  - id: c{i:06d}\n    type: basic\n    tags: [t{i % 7}, d{f}]\n"
            f'    prompt: "Question {i}?"\n    answer: "Answer {i}"\n'
            f'    explanation: "Because {i}."\n    source: {{beyond: "synthetic"}}\n'
            for i in range(f, n_cards, N_DECKS)
        )
        (folder / f"deck{f:02d}.yaml").write_text(
            f"deck: deck{f:02d}\ntitle: Deck {f}\ncards:\n{cards}"
        )


def build(path: Path, n_cards: int, n_logs: int, now: datetime) -> None:
    rng = random.Random(7)
    store = Store.open(path)
    decks = [f"deck{i:02d}" for i in range(N_DECKS)]
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
    """Seconds for the app's deck load (`load_catalog`: validation plus the catalog's index)
    of `n_cards` cards in `n_files` deck files cold, then after editing one file (per-file
    cache), and again with nothing changed."""
    from quizapp.catalog import load_catalog

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
    load_catalog([folder], cache)
    cold = time.perf_counter() - t0
    edited = folder / "d00.yaml"
    edited.write_text(edited.read_text() + "# edited\n")
    t0 = time.perf_counter()
    load_catalog([folder], cache)
    one = time.perf_counter() - t0
    t0 = time.perf_counter()
    load_catalog([folder], cache)
    none = time.perf_counter() - t0
    return cold, one, none


async def _pilot_ms(
    session: object,
    screen_name: str,
    runs: int,
    preview_ms: list[float] | None = None,
    idle_ms: list[float] | None = None,
) -> list[float]:
    """Push the screen `runs` times; ms from the push to the first frame that shows its content
    (browse: the table's first rows laid out and rendered; stats: the numbers), encoded as a
    terminal would be sent it (headless, Textual skips that step, so it is done here and
    counted). `idle_ms` gets the times from the push to the app idle as Pilot's pause()
    detects it: it polls the process's CPU time in 20 ms windows, so it adds 20-40 ms that no
    user waits. `preview_ms` gets the times from the push to browse's preview shown."""

    from textual.widgets import DataTable

    from quizapp.app import build_app
    from quizapp.screens.browse import BrowseScreen
    from quizapp.screens.stats import ForecastChart, Heatmap, StatsScreen

    app = build_app(session)  # type: ignore[arg-type]
    target: list[Any] = [None]
    shown: list[float | None] = [None]

    def ready(screen: Any) -> bool:
        if screen_name == "browse":
            return _rows_painted(screen)
        if screen.stats is None:
            return False
        return _in_map(screen, next(iter(screen.query(Heatmap)), None))

    def must_show(screen: Any) -> list[str]:
        """Text the frame must hold: the first row's cells, or the charts' titles."""
        if screen_name == "browse":
            table = screen.query_one(DataTable)
            return [str(getattr(c, "text", c))[:8] for c in table.get_row_at(0)[:2]]
        return [Heatmap.TITLE_TEXT, ForecastChart.TITLE_TEXT]

    plain_display = app._display

    def display(screen: Any, renderable: Any) -> None:
        if (
            shown[0] is None
            and renderable is not None
            and screen is target[0]
            and not app._batch_count
            and ready(screen)
        ):
            # What a terminal would be sent; the frame counts if it holds the content.
            sent = renderable.render_segments(app.console)
            if all(text in sent for text in must_show(screen)):
                shown[0] = time.perf_counter()
        plain_display(screen, renderable)

    app._display = display  # type: ignore[method-assign]
    out = []
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        for _ in range(runs):
            shown[0] = None
            target[0] = BrowseScreen() if screen_name == "browse" else StatsScreen()
            t0 = time.perf_counter()
            app.push_screen(target[0])
            while shown[0] is None:
                await asyncio.sleep(0.001)
            out.append((shown[0] - t0) * 1000)
            await pilot.pause()  # nothing queued before that frame still runs
            if idle_ms is not None:
                idle_ms.append((time.perf_counter() - t0) * 1000)
            assert ready(target[0]), "the content shown was taken away again"
            if screen_name == "browse":
                while target[0].preview_pending:
                    await asyncio.sleep(0.001)
                await pilot.pause()
                if preview_ms is not None:
                    preview_ms.append((time.perf_counter() - t0) * 1000)
            await app.workers.wait_for_complete()
            await pilot.pause(0.2)  # the header finishes mounting before the screen goes
            app.pop_screen()
            await pilot.pause(0.2)
    return out


def _beside_a_busy_thread_ms(fn: Any) -> float:
    """ms `fn` takes in a thread while this one runs Python without pause: the worst case of
    the stats screen's UI thread painting while its worker computes. Every time the worker
    gives the GIL back (for each SQLite statement, and for each row it reads) it waits up to
    the interpreter's switch interval to have it again."""
    import threading

    took: list[float] = []

    def run() -> None:
        t = time.perf_counter()
        fn()
        took.append((time.perf_counter() - t) * 1000)

    worker = threading.Thread(target=run)
    worker.start()
    while worker.is_alive():
        x = 0
        for i in range(20_000):  # ~1 ms of bytecode between checks
            x += i
    worker.join()
    return took[0]


def _in_map(screen: Any, widget: Any) -> bool:
    """The widget is laid out: in the compositor's map of what the screen shows."""
    from textual.errors import NoWidget

    if widget is None:
        return False
    try:
        screen.find_widget(widget)
    except NoWidget:
        return False
    return True


def _rows_painted(screen: Any) -> bool:
    """The browse table has rows, is laid out on screen, and has rendered lines."""
    from textual.widgets import DataTable

    table = next(iter(screen.query(DataTable)), None)
    if table is None or not table.row_count or not _in_map(screen, table):
        return False
    lines = getattr(table, "_line_cache", None)  # filled as the table renders its lines
    return lines is None or len(lines) > 0


def start_s(env: dict[str, str]) -> float:
    t0 = time.perf_counter()
    subprocess.run(
        [sys.executable, str(STARTUP_CHILD), "quizapp"],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - t0


def cli_stats_s(env: dict[str, str]) -> float:
    t0 = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "quizapp", "stats", "--json"],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
        cwd=ROOT,
    )
    return time.perf_counter() - t0


def child_env(tmp: Path, db: Path, decks: Path | None, cache: str) -> dict[str, str]:
    # One cache dir per deck set: a deck cache written for one set drops the other's.
    env = {**os.environ, "QUIZAPP_DB": str(db), "QUIZAPP_CACHE_DIR": str(tmp / cache)}
    env.pop("QUIZAPP_DECKS", None)
    if decks is not None:
        env["QUIZAPP_DECKS"] = str(decks)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # as bench_startup: bytecode compiled once
    env["PYTHONPYCACHEPREFIX"] = str(tmp / "pycache")
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH")) if p)
    return env


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cards", type=int, default=100_000)
    parser.add_argument("--logs", type=int, default=1_000_000)
    parser.add_argument("--deck-cards", type=int, default=20_000, help="for the deck-edit run")
    parser.add_argument("--starts", type=int, default=5, help="TUI starts of each kind")
    parser.add_argument("--keep", type=Path, help="build the store and decks here once, reuse")
    parser.add_argument("--only", choices=["stats"], help="time the statistics only")
    args = parser.parse_args()
    if args.only is None:
        with tempfile.TemporaryDirectory() as tmp:
            cold, one, none = deck_edit(Path(tmp), args.deck_cards)
        print(
            f"decks: {args.deck_cards:,} cards in 10 files: cold {cold:.2f} s; after editing one "
            f"file {one:.2f} s ({one / cold:.2f}x cold, target ~1/10); unchanged {none:.2f} s"
        )
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        kept = args.keep.resolve() if args.keep else tmp
        kept.mkdir(parents=True, exist_ok=True)
        pristine = kept / f"scale-{args.cards}-{args.logs}.db"
        stamp = pristine.with_suffix(".json")  # when the kept store was built ("now")
        deck_dir = kept / f"decks-{args.cards}"
        path = tmp / "scale.db"
        if args.keep and stamp.is_file() and pristine.is_file():
            now = datetime.fromisoformat(json.loads(stamp.read_text())["now"])
            print(f"reusing {pristine} (built for {now:%Y-%m-%d %H:%M} UTC)")
        else:
            now = datetime.now(UTC)
            for leftover in (pristine, pristine.with_name(pristine.name + "-wal")):
                leftover.unlink(missing_ok=True)
            t0 = time.perf_counter()
            build(pristine, args.cards, args.logs, now)
            print(
                f"built {args.cards:,} cards / {args.logs:,} logs in "
                f"{time.perf_counter() - t0:.1f} s"
            )
            shutil.rmtree(deck_dir, ignore_errors=True)
            write_decks(deck_dir, args.cards)
            stamp.write_text(json.dumps({"now": now.isoformat()}))
        shutil.copyfile(pristine, path)
        # The deck cache lives with the deck files (keyed on their paths and mtimes).
        if args.keep and (kept / "cache").is_dir():
            shutil.copytree(kept / "cache", tmp / "cache", dirs_exist_ok=True)
        from quizapp.session import open_session

        t0 = time.perf_counter()
        session = open_session(path, deck_dirs=[deck_dir], cache_dir=tmp / "cache")
        session.close()  # as the app does on exit: the file is recorded as checked
        print(
            f"first open with {args.cards:,} cards in {N_DECKS} deck files (validates and "
            f"caches them unless kept, checks the file): {time.perf_counter() - t0:.1f} s"
        )
        if args.keep:
            shutil.copytree(tmp / "cache", kept / "cache", dirs_exist_ok=True)
        store = Store.open(path)
        settings = Settings(new_per_day=20, reviews_per_day=200)
        decks = [f"deck{i:02d}" for i in range(N_DECKS)]
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

        later = now + timedelta(seconds=1)
        both = median_ms(
            lambda: (
                home_counts(store, settings, later, decks),
                build_queue(store, settings, later, decks),
            )
        )
        from quizapp.catalog import load_catalog

        bundled = load_catalog(None, tmp / "cache-small")  # the 1M reviews, a small catalog
        stats_store_ms = median_ms(
            lambda: stats_mod.to_json(stats_mod.compute(store, bundled, settings, now)), 5
        )
        store.close()
        session = open_session(path, deck_dirs=[deck_dir], cache_dir=tmp / "cache")
        stats_ms = median_ms(
            lambda: stats_mod.to_json(
                stats_mod.compute(session.store, session.catalog, session.settings, now)
            ),
            5,
        )
        busy_ms = statistics.median(
            _beside_a_busy_thread_ms(
                lambda: stats_mod.compute(session.store, session.catalog, session.settings, now)
            )
            for _ in range(3)
        )
        full = args.only is None
        idle: list[float] = []
        stats_screen = statistics.median(asyncio.run(_pilot_ms(session, "stats", 3, None, idle)))
        stats_idle = statistics.median(idle)
        if full:
            previews: list[float] = []
            idle = []
            browse = statistics.median(asyncio.run(_pilot_ms(session, "browse", 3, previews, idle)))
            browse_idle = statistics.median(idle)
            browse_preview = statistics.median(previews)
        session.close()
        # The same screens with the bundled decks and a fresh database: the machine's baseline.
        small = open_session(tmp / "small.db", cache_dir=tmp / "cache-small")
        stats_small = statistics.median(asyncio.run(_pilot_ms(small, "stats", 3)))
        if full:
            previews = []
            browse_small = statistics.median(asyncio.run(_pilot_ms(small, "browse", 3, previews)))
            browse_small_preview = statistics.median(previews)
        small.close()
        scale_env = child_env(tmp, path, deck_dir, "cache")
        cli_stats = statistics.median(cli_stats_s(scale_env) for _ in range(3))
        small_env = child_env(tmp, tmp / "small.db", None, "cache-small")
        starts_small, starts_big = [], []
        if full:
            start_s(small_env)  # first start: builds the bundled decks' cache and the database
            start_s(scale_env)
            for _ in range(args.starts):
                starts_small.append(start_s(small_env))
                starts_big.append(start_s(scale_env))
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"load average at the end (1, 5, 15 min): {load} on {os.cpu_count()} cores")
    print(f"baseline primary-key lookup      {baseline:7.3f} ms")
    print(f"home-screen counts               {counts:7.2f} ms")
    print(f"today's queue                    {queue:7.2f} ms")
    print(
        f"queue + counts                   {both:7.2f} ms   (target <= 20 ms)"
        f"  = {both / 20:.2f}x target, {both / baseline:,.0f}x baseline"
    )
    print(
        f"rate one card + fetch next       {commit:7.2f} ms   (target <= 5 ms)"
        f"  = {commit / 5:.2f}x target, {commit / baseline:,.0f}x baseline"
    )
    print(
        f"stats, 1M reviews, bundled decks {stats_store_ms:7.0f} ms   (target <= 300 ms)"
        f"  = {stats_store_ms / 300:.2f}x target, {stats_store_ms / baseline:,.0f}x baseline"
    )
    print(
        f"stats, 1M reviews, 100k-card decks {stats_ms:5.0f} ms   (target <= 300 ms)"
        f"  = {stats_ms / 300:.2f}x target (as --json; mastery per deck and tag over every card)"
    )
    print(
        f"  the same beside a busy thread    {busy_ms:5.0f} ms   (the stats screen's worker while"
        " the UI thread paints, at worst)"
    )
    print(
        f"`quizapp stats --json` command   {cli_stats * 1000:7.0f} ms   (target <= 300 ms)"
        f"  = {cli_stats / 0.3:.2f}x target (whole process: imports, deck index, stats)"
    )
    print(
        f"stats screen, push -> numbers on screen {stats_screen:3.0f} ms  (target <= 300 ms)"
        f"  = {stats_screen / 300:.2f}x target; bundled decks {stats_small:.0f} ms"
        f" = {stats_screen / stats_small:.2f}x that"
    )
    print(f"  then the app idle as Pilot detects it (20 ms windows): {stats_idle:.0f} ms")
    if not full:
        return
    print(
        f"browse, push -> first rows on screen {browse:5.0f} ms  (target <= 200 ms)"
        f"  = {browse / 200:.2f}x target; bundled decks {browse_small:.0f} ms"
        f" = {browse / browse_small:.2f}x that"
    )
    print(f"  then the app idle as Pilot detects it (20 ms windows): {browse_idle:.0f} ms")
    print(
        f"browse, push -> preview shown    {browse_preview:7.0f} ms   (after the first rows, "
        f"PREVIEW_DELAY later); bundled decks {browse_small_preview:.0f} ms"
    )
    b, q = statistics.median(starts_small), statistics.median(starts_big)
    print(
        f"TUI start, bundled decks         {b * 1000:7.0f} ms   (baseline, same run)\n"
        f"TUI start, {args.cards:,} cards / {args.logs:,} reviews {q * 1000:7.0f} ms"
        f"   (target <= 1.3x)  = {q / b:.2f}x"
    )


if __name__ == "__main__":
    main()
