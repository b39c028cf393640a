"""Review history as the FSRS Optimizer's CSV, and rebuilding card states from it.

The schema (fsrs-optimizer's `revlog.csv`): `card_id, review_time` (ms since the epoch),
`review_rating` (1-4), `review_state` (0-3: New, Learning, Review, Relearning, before the
review), `review_duration` (ms). Import checks every row first and reports each bad one as
`file:line: why`; only when every row is good are the reviews written, together with every
touched card's state, in one transaction. A card's state is rebuilt by replaying all its
reviews (the ones already stored and the imported ones) in time order through the FSRS
scheduler, without fuzz, so the result is the same on every run. A row already in the store
(same card and time) is skipped, so importing a file twice changes nothing.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from quizapp.decks import Problem
from quizapp.interop.records import ReviewRecord
from quizapp.store import NEW, CardRow, LogRow

COLUMNS = ("card_id", "review_time", "review_rating", "review_state", "review_duration")
MAX_ROWS = 5_000_000
MIN_TIME_MS = 946_684_800_000  # 2000-01-01: older times are seconds or garbage


@dataclass
class HistoryRead:
    records: list[ReviewRecord] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def read_history(
    path: Path, known_cards: set[str] | None, now_ms: int, text: str | None = None
) -> HistoryRead:
    """Parse and check every row; `known_cards` None skips the card-id check."""
    from quizapp.interop.untrusted import MAX_TEXT_BYTES, read_text

    out = HistoryRead()
    if text is None:
        text, problem = read_text(path, max_bytes=MAX_TEXT_BYTES * 10)
        if text is None:
            assert problem is not None
            out.problems.append(problem)
            return out
    reader = csv.reader(io.StringIO(text))
    try:
        header = next(reader, None)
    except csv.Error as exc:
        out.problems.append(Problem(path, 1, f"not a CSV file: {exc}"))
        return out
    if header is None:
        out.problems.append(
            Problem(path, 1, "empty file; the first line is the header: " + ",".join(COLUMNS))
        )
        return out
    names = [h.strip().lower() for h in header]
    missing = [c for c in COLUMNS[:3] if c not in names]
    if missing:
        out.problems.append(
            Problem(path, 1, f"header lacks {', '.join(missing)}; expected {','.join(COLUMNS)}")
        )
        return out
    col = {c: names.index(c) for c in COLUMNS if c in names}
    try:
        for row in reader:
            line = reader.line_num
            if len(out.records) + len(out.problems) > MAX_ROWS:
                out.problems.append(
                    Problem(path, line, f"more than {MAX_ROWS:,} rows; split the file")
                )
                return out
            if not row or all(not c.strip() for c in row):
                continue
            rec, why = _parse_row(row, col, line, known_cards, now_ms)
            if rec is None:
                out.problems.append(Problem(path, line, why))
            else:
                out.records.append(rec)
    except csv.Error as exc:
        out.problems.append(Problem(path, reader.line_num, f"CSV error: {exc}"))
    return out


def _parse_row(
    row: list[str], col: dict[str, int], line: int, known: set[str] | None, now_ms: int
) -> tuple[ReviewRecord | None, str]:
    def get(name: str) -> str:
        i = col.get(name)
        return row[i].strip() if i is not None and i < len(row) else ""

    cid = get("card_id")
    if not cid:
        return None, "empty card_id"
    if known is not None and cid not in known:
        return None, f"unknown card id `{cid[:60]}`; it is in none of your decks"
    try:
        t = int(get("review_time"))
    except ValueError:
        return None, f"review_time {get('review_time')[:30]!r} is not an integer (ms since 1970)"
    if t < MIN_TIME_MS:
        return None, f"review_time {t} is before 2000 (seconds instead of ms?)"
    if t > now_ms:
        return None, f"review_time {t} is in the future"
    try:
        rating = int(get("review_rating"))
    except ValueError:
        return None, f"review_rating {get('review_rating')[:30]!r} is not 1, 2, 3 or 4"
    if rating not in (1, 2, 3, 4):
        return None, f"review_rating {rating} is not 1 (Again) to 4 (Easy)"
    state_text = get("review_state")
    try:
        state = int(state_text) if state_text else -1
    except ValueError:
        return None, f"review_state {state_text[:30]!r} is not 0, 1, 2 or 3"
    if state_text and state not in (0, 1, 2, 3):
        return None, f"review_state {state} is not 0 (New) to 3 (Relearning)"
    dur_text = get("review_duration")
    duration: int | None = None
    if dur_text:
        try:
            duration = int(float(dur_text))
        except ValueError:
            return None, f"review_duration {dur_text[:30]!r} is not a number of ms"
        if duration < 0:
            return None, f"review_duration {duration} is negative"
    return ReviewRecord(cid, t, rating, max(state, 0), duration, line), ""


def write_history(logs: Iterable[LogRow], out: TextIO) -> int:
    """Every review, oldest first, in the FSRS Optimizer's columns; returns the row count."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    n = 0
    for log in sorted(logs, key=lambda lg: (lg.reviewed_at, lg.id)):
        writer.writerow(
            (
                log.card_id,
                log.reviewed_at,
                log.rating,
                log.state_before.state,
                "" if log.duration_ms is None else log.duration_ms,
            )
        )
        n += 1
    return n


def replay(
    current: CardRow, reviews: Sequence[tuple[int, int, int | None, int, str]], scheduler: Any
) -> tuple[CardRow, list[LogRow]]:
    """Rebuild a card from (time ms, rating, duration ms, log id or 0, origin), time order."""
    from fsrs import Rating

    from quizapp.scheduling import from_fsrs, from_ms, to_fsrs

    row = CardRow(
        card_id=current.card_id,
        deck_id=current.deck_id,
        position=current.position,
        present=current.present,
        suspended=current.suspended,
        buried_until=current.buried_until,
    )
    assert row.state == NEW
    logs: list[LogRow] = []
    card = None  # the fsrs Card, carried from one review to the next
    for t, rating, duration, log_id, origin in sorted(reviews, key=lambda r: (r[0], r[3])):
        when = from_ms(t)
        card, _ = scheduler.review_card(
            card if card is not None else to_fsrs(row, when), Rating(rating), review_datetime=when
        )
        after = from_fsrs(row, card, rating)
        logs.append(
            LogRow(log_id, row.card_id, row.deck_id, rating, t, duration, row, after, origin)
        )
        row = after
    return row, logs


@dataclass
class HistoryImport:
    imported: int
    skipped_duplicates: int
    cards: int


def rebuild(
    records: Sequence[ReviewRecord],
    current: Mapping[str, CardRow],
    existing: Mapping[str, Sequence[LogRow]],
    scheduler: Any,
) -> tuple[list[CardRow], list[LogRow], HistoryImport]:
    """New card states and log rows (id 0 = to insert) for every card the records touch."""
    by_card: dict[str, list[ReviewRecord]] = {}
    for rec in records:
        by_card.setdefault(rec.card_id, []).append(rec)
    states: list[CardRow] = []
    logs: list[LogRow] = []
    imported = dupes = 0
    for cid, recs in by_card.items():
        old = existing.get(cid, ())
        have = {lg.reviewed_at for lg in old}
        merged: list[tuple[int, int, int | None, int, str]] = [
            (lg.reviewed_at, lg.rating, lg.duration_ms, lg.id, lg.origin) for lg in old
        ]
        for rec in recs:
            if rec.review_time in have:
                dupes += 1
                continue
            have.add(rec.review_time)
            merged.append((rec.review_time, rec.rating, rec.duration_ms, 0, "import"))
            imported += 1
        if len(merged) == len(old):
            continue
        state, replayed = replay(current[cid], merged, scheduler)
        states.append(state)
        logs.extend(replayed)
    return states, logs, HistoryImport(imported, dupes, len(states))
