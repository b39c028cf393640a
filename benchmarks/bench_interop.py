"""Interop at scale: history import (replay) and Anki export, each against its bare core.

- history import of N reviews (CSV parse + replay + one transaction) vs the bare FSRS
  `review_card` loop over the same reviews, timed in the same run: the ratio is our overhead.
- `export anki` of M basic cards (Markdown → HTML, fields, zip) vs genanki writing the same
  notes with plain-text fields: the ratio is what our mapping costs.

    python benchmarks/bench_interop.py [--cards 10000] [--reviews-per-card 10] [--notes 10000]
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from quizapp.decks import BasicCard, Source
from quizapp.interop.history_csv import COLUMNS, read_history, rebuild
from quizapp.scheduling import Settings, from_ms, to_fsrs
from quizapp.store import Store


def bench_history(tmp: Path, n_cards: int, per_card: int) -> None:
    store = Store.open(tmp / "h.db")
    ids = [f"c{i:06d}" for i in range(n_cards)]
    store.sync_cards("bench", ((cid, "deck", i) for i, cid in enumerate(ids)))
    t0 = 1_700_000_000_000
    lines = [",".join(COLUMNS)]
    for i, cid in enumerate(ids):
        t = t0 + i
        for k in range(per_card):
            lines.append(f"{cid},{t},{(i + k) % 4 + 1},0,3000")
            t += 86_400_000 * (k + 1)
    text = "\n".join(lines) + "\n"
    scheduler = dataclasses.replace(Settings(), enable_fuzzing=False).scheduler()

    from fsrs import Rating

    read = read_history(Path("bench.csv"), set(ids), 2_000_000_000_000, text=text)
    by_card: dict[str, list[tuple[int, int]]] = {}
    for rec in read.records:
        by_card.setdefault(rec.card_id, []).append((rec.review_time, rec.rating))
    base_start = time.perf_counter()
    for cid, revs in by_card.items():
        card = to_fsrs(store.card(cid), from_ms(revs[0][0]))  # type: ignore[arg-type]
        for t, r in revs:
            card, _ = scheduler.review_card(card, Rating(r), review_datetime=from_ms(t))
    baseline = time.perf_counter() - base_start

    start = time.perf_counter()
    read = read_history(Path("bench.csv"), set(ids), 2_000_000_000_000, text=text)
    current = {r.card_id: r for r in store.cards(ids)}
    existing = store.logs_by_card(ids)
    states, logs, summary = rebuild(read.records, current, existing, scheduler)
    store.apply_history(states, logs)
    ours = time.perf_counter() - start
    store.close()
    n = len(read.records)
    print(
        f"history import, {n:,} reviews / {n_cards:,} cards: {ours:.2f} s "
        f"({n / ours:,.0f} reviews/s); bare FSRS replay {baseline:.2f} s; "
        f"ratio {ours / baseline:.2f}×  [{summary.imported:,} imported]"
    )


def bench_export(tmp: Path, n_notes: int) -> None:
    import genanki

    from quizapp.interop.anki import DeckData, write_apkg

    src = Source(beyond="bench")
    cards = [
        BasicCard(
            id=f"b{i:06d}",
            type="basic",
            prompt=f"What is **term {i}** in $x_{i}$?",
            answer=f"Answer {i}\n\n```python\nx = {i}\n```",
            explanation="Because.",
            source=src,
            tags=["bench"],
        )
        for i in range(n_notes)
    ]
    start = time.perf_counter()
    write_apkg([DeckData("bench", "Bench", cards)], tmp / "ours.apkg")
    ours = time.perf_counter() - start

    start = time.perf_counter()
    model = genanki.Model(
        1,
        "plain",
        fields=[{"name": "F"}, {"name": "B"}],
        templates=[{"name": "c", "qfmt": "{{F}}", "afmt": "{{B}}"}],
    )
    deck = genanki.Deck(2, "plain")
    for c in cards:
        deck.add_note(
            genanki.Note(model=model, fields=[c.prompt, c.answer], guid=genanki.guid_for(c.id))
        )
    genanki.Package(deck).write_to_file(str(tmp / "plain.apkg"))
    baseline = time.perf_counter() - start
    print(
        f"export anki, {n_notes:,} notes: {ours:.2f} s; genanki with plain fields "
        f"{baseline:.2f} s; ratio {ours / baseline:.2f}×"
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cards", type=int, default=10_000)
    ap.add_argument("--reviews-per-card", type=int, default=10)
    ap.add_argument("--notes", type=int, default=10_000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        bench_history(Path(tmp), args.cards, args.reviews_per_card)
        bench_export(Path(tmp), args.notes)


if __name__ == "__main__":
    main()
