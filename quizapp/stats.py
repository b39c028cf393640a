"""Where the user stands: today's work, a year of reviews, retention, forecast, mastery.

Pure domain (no Textual): the stats screen and `quizapp stats [--json]` both render a `Stats`.

Why it is built this way:
- Every "day" is the user's local study day starting at the rollover hour (`day_bounds`), so
  a review at 2 am counts for the day before, as in Anki. Day boundaries are computed in Python
  (DST days are 23 or 25 hours long), which a `GROUP BY reviewed_at / 86400000` could not do.
- Counting is O(hours), not O(reviews): triggers in the store keep tallies per UTC hour
  (`review_hour`, `review_hour_deck`) and per deck (`review_deck`) in each rating's own
  transaction. A day or a month is the sum of its whole hours plus, where it starts or ends
  mid-hour (UTC+5:30), the remainder counted from `review_log` by its time index;
  tests/test_stats_reference.py checks every stat against a plain count of the raw rows.
- Mastery reads one (group, studied cards, summed retrievability) row per layout group (a
  deck's cards with the same tags) when the store was synced with this catalog: SQLite
  evaluates the forgetting curve and sums each group in one pass over a covering index in
  group order, so at 100,000 cards the stats read a few hundred groups instead of 60,000 rows
  (what cost ~0.1 s was building those rows in Python), packed into one row. A deck's or a
  tag's mastery is the sum over its groups, from the decks' layout (quizapp/deck_layout.py,
  cached per deck set), so
  `quizapp stats` needs neither the deck index nor a per-card dict; tests/test_stats_fast.py
  checks it against the by-id computation, equal but for the rounding of the sums (SQLite
  adds in index order). Leeches come from a partial index.
- "True retention" is Anki's: the share of ratings other than Again given to cards that were in
  the Review state before the rating (learning steps would inflate it).
- Retrievability is FSRS's own formula with the scheduler's constants, evaluated by SQLite on
  the grouped path and in plain Python by `mastery_by_id`, never through `fsrs.Card` objects.
  With the default parameters the constants come from FSRS's default decay (`curve_constants`)
  and the grader's task ids from `grading.task_order`, both checked against the real ones by
  tests/test_stats_fast.py: `quizapp stats` imports neither fsrs nor the task modules.
- Each statistic is one hand-over of the GIL: its values are scalar subqueries of one
  statement (`_scalars`) or its rows come packed as one JSON row (`_packed_rows`). In the app
  the stats are computed in a thread while the UI thread paints, and each hand-over (every
  statement, and every row a statement returns) can wait the interpreter's switch interval.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from quizapp.deck_layout import (
    Layout,
    LayoutCatalog,
    StaleLayout,
    build_layout,
    read_cache,
    tag_lookup,
    write_cache,
)
from quizapp.scheduling import Settings, day_bounds, to_ms
from quizapp.store import LEARNING, NEW, RELEARNING, REVIEW, Store

DAY_MS = 86_400_000
HOUR_MS = 3_600_000
HEATMAP_DAYS = 365
FORECAST_DAYS = 30
SCHEMA_VERSION = 1  # of `to_json()`; bump only when a field changes meaning or disappears

# The expression the store's proposed `review_log_kind` index is built on; keep it identical
# so SQLite can use that index (and a covering scan) for retention and today's counts.
_STATE_BEFORE = "json_extract(state_before, '$.state')"


# ---------------------------------------------------------------------- results


@dataclass(frozen=True)
class Today:
    """Ratings given today, by the card's state before the rating."""

    new: int = 0
    learning: int = 0  # learning and relearning steps
    review: int = 0
    again: int = 0  # ratings of 1, whatever the state
    cards: int = 0  # distinct cards studied
    time_ms: int = 0

    @property
    def total(self) -> int:
        return self.new + self.learning + self.review


@dataclass(frozen=True)
class DayCount:
    day: date  # the local study day
    reviews: int


@dataclass(frozen=True)
class Retention:
    """Pass rate of review-state cards; `rate` is None when nothing was reviewed."""

    passed: int = 0
    total: int = 0

    @property
    def rate(self) -> float | None:
        return self.passed / self.total if self.total else None


@dataclass(frozen=True)
class RetentionRow:
    deck_id: str
    month: Retention  # the last 30 study days, today included
    all: Retention


@dataclass(frozen=True)
class Mastery:
    """Average FSRS retrievability now over the studied cards of a deck or tag."""

    key: str
    cards: int  # cards in the deck / with the tag
    studied: int  # of those, cards rated at least once
    retrievability: float | None  # mean over studied cards

    @property
    def coverage(self) -> float:
        return self.studied / self.cards if self.cards else 0.0


@dataclass(frozen=True)
class CodingProgress:
    total: int  # tasks in the catalog (0 when the grader is not installed)
    tried: int
    passed: int
    first_try: int
    failing: tuple[str, ...] = ()  # tried, never passed
    untried: tuple[str, ...] = ()


@dataclass(frozen=True)
class Leech:
    """A card forgotten `leech_threshold` times or more (Anki suspends it; so do we)."""

    card_id: str
    deck_id: str
    lapses: int
    suspended: bool


@dataclass(frozen=True)
class Stats:
    generated_at: datetime
    day: date  # today's study day
    rollover_hour: int
    today: Today
    heatmap: list[DayCount]  # oldest first, today last
    retention: Retention  # all time, every deck
    retention_month: Retention
    retention_decks: list[RetentionRow]
    forecast: list[int]  # due cards per day, [0] = today including overdue
    mastery_decks: list[Mastery]
    mastery_tags: list[Mastery]
    quiz_history: list[dict[str, Any]]
    coding: CodingProgress
    deck_titles: dict[str, str] = field(default_factory=dict)
    leeches: list[Leech] = field(default_factory=list)  # most lapses first

    @property
    def streak(self) -> int:
        """Consecutive study days ending today (or yesterday, if today is not done yet)."""
        days = [d.reviews for d in self.heatmap]
        if days and days[-1] == 0:
            days.pop()
        n = 0
        for count in reversed(days):
            if not count:
                break
            n += 1
        return n


# ---------------------------------------------------------------------- days


def day_starts(now: datetime, rollover_hour: int, first: int, last: int) -> list[datetime]:
    """UTC starts of the study days `first`..`last` relative to today (0), plus one end.

    Mirrors `day_bounds`: add whole days in naive local wall-clock time, then let
    `astimezone()` attach each day's own UTC offset.
    """
    start, _ = day_bounds(now, rollover_hour)
    local = start.astimezone().replace(tzinfo=None)
    return [
        (local + timedelta(days=k)).astimezone().astimezone(UTC) for k in range(first, last + 2)
    ]


def local_day(start_utc: datetime) -> date:
    """The calendar date a study day is named after (its local start date)."""
    return start_utc.astimezone().date()


# ---------------------------------------------------------------------- queries


def today_counts(store: Store, settings: Settings, now: datetime) -> Today:
    start, end = day_bounds(now, settings.rollover_hour)
    args = (to_ms(start), to_ms(end))
    by_state: dict[int, int] = {}
    time_ms = again = cards = 0
    # Today's rows once (one lookup each: duration and card are in no index), then both
    # aggregates over them: the counts by state, and the distinct cards.
    for state, n, ms, fails, distinct in _packed_rows(
        store,
        5,
        f"WITH t AS MATERIALIZED (SELECT {_STATE_BEFORE} AS s, rating, card_id, duration_ms "
        "FROM review_log INDEXED BY review_log_time WHERE reviewed_at >= ? AND reviewed_at < ?) "
        "SELECT s AS c0, count(*) AS c1, sum(duration_ms) AS c2, sum(rating = 1) AS c3, "
        "NULL AS c4 FROM t GROUP BY s "
        "UNION ALL SELECT NULL, 0, 0, 0, count(DISTINCT card_id) FROM t",
        args,
    ):
        if distinct is not None:
            cards = int(distinct)
            continue
        by_state[int(state) if state is not None else -1] = n
        time_ms += int(ms or 0)
        again += int(fails or 0)
    return Today(
        new=by_state.get(NEW, 0),
        learning=by_state.get(LEARNING, 0) + by_state.get(RELEARNING, 0),
        review=by_state.get(REVIEW, 0),
        again=again,
        cards=cards,
        time_ms=time_ms,
    )


def review_heatmap(
    store: Store, settings: Settings, now: datetime, days: int = HEATMAP_DAYS
) -> list[DayCount]:
    """Reviews per study day for the last `days` days, oldest first, today last."""
    if days < 1:
        raise ValueError("days must be ≥ 1")
    starts = day_starts(now, settings.rollover_hour, -(days - 1), 0)
    bounds = [to_ms(s) for s in starts]
    # Each day's whole UTC hours from the tally, its partial ends (a UTC+5:30 day starts
    # mid-hour) from `review_log` itself: all in one statement of scalar subqueries, so the
    # thread holds the GIL once for the answer, not once per hour row or per query (in the
    # app the stats screen's first paint runs on the UI thread meanwhile).
    hours = "(SELECT total(reviews) FROM review_hour WHERE hour >= ? AND hour < ?)"
    raw = "(SELECT count(*) FROM review_log WHERE reviewed_at >= ? AND reviewed_at < ?)"
    terms: list[tuple[str, tuple[int, int]]] = []
    owner: list[int] = []  # the day each term counts for
    for i in range(days):
        first, last, parts = _whole_hours(bounds[i], bounds[i + 1])
        if first < last:
            terms.append((hours, (first, last)))
            owner.append(i)
        for lo, hi in parts:
            if lo < hi:
                terms.append((raw, (lo, hi)))
                owner.append(i)
    counts = [0] * days
    for i, n in zip(owner, _scalars(store, terms), strict=True):
        counts[i] += int(n)
    return [DayCount(local_day(starts[i]), counts[i]) for i in range(days)]


_TERMS_PER_STATEMENT = 400  # result columns of one SELECT (SQLite allows 2,000)
_PARAMS_PER_STATEMENT = 990  # bound parameters (SQLite before 3.32 allows 999)


def _scalars(store: Store, terms: Sequence[tuple[str, Sequence[Any]]]) -> list[Any]:
    """The values of scalar subqueries (each its SQL and parameters), in as few statements as
    SQLite allows. A statement gives the GIL back while SQLite runs it and takes it again for
    each row; one row of many columns is one hand-over where a query per value, or a row per
    value, was one each: in the app, with the UI thread painting meanwhile, every hand-over
    waits up to the interpreter's switch interval (5 ms)."""
    out: list[Any] = []
    k = 0
    while k < len(terms):
        chunk: list[str] = []
        args: list[Any] = []
        while (
            k < len(terms)
            and len(chunk) < _TERMS_PER_STATEMENT
            and (not chunk or len(args) + len(terms[k][1]) <= _PARAMS_PER_STATEMENT)
        ):
            chunk.append(terms[k][0])
            args.extend(terms[k][1])
            k += 1
        out.extend(store.conn.execute("SELECT " + ", ".join(chunk), args).fetchone())
    return out


def _packed_rows(store: Store, n_columns: int, sql: str, args: Sequence[Any] = ()) -> list[Any]:
    """The rows of `sql` (result columns named c0, c1, ...) read as one JSON row: one GIL
    hand-over instead of one per row (see `_scalars`). For integers and text only: SQLite's
    JSON writes a real with 15 significant digits."""
    columns = ", ".join(f"c{i}" for i in range(n_columns))
    (packed,) = store.conn.execute(
        f"SELECT json_group_array(json_array({columns})) FROM ({sql})", args
    ).fetchone()
    rows: list[Any] = json.loads(packed)
    return rows


def _whole_hours(lo: int, hi: int) -> tuple[int, int, list[tuple[int, int]]]:
    """Split [lo, hi) ms into whole UTC hours [first, last) and the partial ends (ms ranges)
    that are counted from `review_log` itself (a UTC+5:30 day starts mid-hour)."""
    first, last = -(-lo // HOUR_MS), hi // HOUR_MS
    if first >= last:
        return 0, 0, [(lo, hi)]
    return first, last, [(lo, first * HOUR_MS), (last * HOUR_MS, hi)]


def true_retention(
    store: Store, since_ms: int | None = None, until_ms: int | None = None
) -> dict[str, Retention]:
    """Per deck: passes / ratings of cards that were in Review before the rating.

    Summed from the store's tallies (`review_deck`, `review_hour_deck`, kept by triggers);
    only the parts of a range that are not whole UTC hours are counted from `review_log`."""
    if since_ms is None and until_ms is None:
        return {
            deck: Retention(int(passed), int(n))
            for deck, n, passed in _packed_rows(
                store,
                3,
                "SELECT deck_id AS c0, total AS c1, passed AS c2 FROM review_deck WHERE total > 0",
            )
        }
    counts: dict[str, list[int]] = {}

    def add(sql: str, args: Sequence[int]) -> None:
        for deck, n, passed in _packed_rows(store, 3, sql, args):
            c = counts.setdefault(deck, [0, 0])
            c[0] += int(passed)
            c[1] += int(n)

    raw = (
        "SELECT deck_id AS c0, count(*) AS c1, sum(rating > 1) AS c2 FROM review_log "
        f"WHERE {_STATE_BEFORE} = {REVIEW} AND reviewed_at >= ? AND reviewed_at < ? "
        "GROUP BY deck_id"
    )
    where: list[str] = []
    args: list[int] = []
    parts: list[tuple[int, int]] = []  # ms ranges that are not whole hours
    if since_ms is not None:
        first = -(-since_ms // HOUR_MS)
        where.append("hour >= ?")
        args.append(first)
        parts.append((since_ms, first * HOUR_MS))
    if until_ms is not None:
        last = until_ms // HOUR_MS
        where.append("hour < ?")
        args.append(last)
        parts.append((last * HOUR_MS, until_ms))
    if since_ms is not None and until_ms is not None and args[0] >= args[1]:
        add(raw, (since_ms, until_ms))  # less than one whole hour
    else:
        add(
            "SELECT deck_id AS c0, sum(total) AS c1, sum(passed) AS c2 FROM review_hour_deck "
            f"WHERE {' AND '.join(where)} GROUP BY deck_id",
            args,
        )
        for lo, hi in parts:
            if lo < hi:
                add(raw, (lo, hi))
    return {deck: Retention(p, n) for deck, (p, n) in counts.items() if n}


def _sum_retention(items: Iterable[Retention]) -> Retention:
    passed = total = 0
    for r in items:
        passed += r.passed
        total += r.total
    return Retention(passed, total)


def due_forecast(
    store: Store, settings: Settings, now: datetime, days: int = FORECAST_DAYS
) -> list[int]:
    """Cards falling due on each of the next `days` study days; today includes the overdue.

    Counts scheduled (non-new), present, unsuspended cards, without daily limits: this is
    the work coming, not what the queue will show.
    """
    if days < 1:
        raise ValueError("days must be ≥ 1")
    bounds = [to_ms(s) for s in day_starts(now, settings.rollover_hour, 0, days - 1)]
    bounds[0] = -(2**62)  # overdue cards are due today
    # One index range per state and day (`state IN (...)` makes SQLite scan 10x more), all
    # in one statement of scalar subqueries (see `_scalars`).
    states = (LEARNING, REVIEW, RELEARNING)
    sql = (
        "(SELECT count(*) FROM card INDEXED BY card_due WHERE present = 1 AND suspended = 0 "
        "AND state = ? AND due >= ? AND due < ?)"
    )
    counts = _scalars(
        store,
        [(sql, (state, bounds[i], bounds[i + 1])) for i in range(days) for state in states],
    )
    n = len(states)
    return [sum(int(c) for c in counts[i * n : (i + 1) * n]) for i in range(days)]


# FSRS-6's default decay (parameter 20 of fsrs's defaults): with the default parameters the
# forgetting curve needs no `fsrs.Scheduler`, so `quizapp stats` does not import fsrs (~15 ms).
# tests/test_stats_fast.py checks these constants against the Scheduler's own.
DEFAULT_DECAY = 0.1542


def curve_constants(settings: Settings, scheduler: Any = None) -> tuple[float, float]:
    """(factor, decay) of the forgetting curve the user's cards are scheduled with: the
    scheduler's, else FSRS's defaults without building one, else (fitted parameters, which
    the Scheduler validates) the scheduler `settings` give."""
    if scheduler is None and settings.parameters is None:
        decay = -DEFAULT_DECAY
        return 0.9 ** (1 / decay) - 1, decay  # as fsrs.Scheduler computes its _FACTOR
    return _curve(scheduler if scheduler is not None else settings.scheduler())


def _curve(scheduler: Any) -> tuple[float, float]:
    """A scheduler's curve constants; a (factor, decay) pair is taken as it is."""
    if isinstance(scheduler, tuple):
        return float(scheduler[0]), float(scheduler[1])
    return float(scheduler._FACTOR), float(scheduler._DECAY)


def mastery(
    store: Store, catalog: Any, scheduler: Any, now: datetime, cache_dir: Path | None = None
) -> tuple[list[Mastery], list[Mastery]]:
    """Average retrievability per deck (catalog order) and per tag (weakest first), with the
    forgetting curve of `scheduler` (an fsrs.Scheduler or its (factor, decay) pair).

    Tags starting with `note:` mark siblings, not topics, and are left out. When the store was
    last synced with this very catalog (same fingerprint), each card's `layout_group` is its
    group in the catalog's layout, so the studied cards are summed per group by SQLite
    (`group_sums`) and per deck and tag here; else, or when the rows do not fit the layout,
    every card is looked up by id (`mastery_by_id`).
    """
    factor, decay = _curve(scheduler)
    layout = stats_layout(catalog, cache_dir)
    found = None
    if layout.unique and store.get_setting("decks_fingerprint") == layout.fingerprint:
        found = group_sums(store, layout, factor, decay, to_ms(now))
    if found is None:  # another deck set was synced last, or the groups are not ours
        if isinstance(catalog, LayoutCatalog):  # no card ids to look up
            raise StaleLayout(layout.fingerprint)
        return mastery_by_id(store, catalog, scheduler, now)
    counts, sums = found
    decks = []
    for (deck_id, first, end), groups in zip(layout.decks, layout.deck_groups, strict=True):
        n = sum(counts[g] for g in groups)
        total = sum(sums[g] for g in groups)
        decks.append(Mastery(deck_id, end - first, n, total / n if n else None))
    tags = []
    sizes = [size for _, _, size in layout.groups]
    for tag, groups in zip(layout.tags, layout.tag_groups, strict=True):
        n = sum(counts[g] for g in groups)
        total = sum(sums[g] for g in groups)
        tags.append(Mastery(tag, sum(sizes[g] for g in groups), n, total / n if n else None))
    tags.sort(key=lambda m: (m.retrievability is None, m.retrievability or 0.0, m.key))
    return decks, tags


_STUDIED = "present = 1 AND state != 0 AND stability > 0 AND last_review IS NOT NULL"


def group_sums(
    store: Store, layout: Layout, factor: float, decay: float, now_ms: int
) -> tuple[list[int], list[float]] | None:
    """Per layout group: its studied cards and the sum of their retrievability now, or None
    when a row does not fit the layout (a group it does not have, more studied cards than
    the group holds: groups not from one sync of this catalog) or SQLite lacks pow().

    FSRS's curve with whole elapsed days, as `mastery_by_id` evaluates it: SQLite's pow() is
    C's, as Python's `**`; `CAST((now - last) / DAY AS INTEGER)` truncates towards zero,
    which differs from Python's `//` only below zero, where max() makes both 0 (and it is the
    floor of a last_review that is not an integer, never written by quizapp, too)."""
    n_groups = len(layout.groups)
    # One JSON row for all groups (see `_packed_rows`); each sum as quote()'s 21 significant
    # digits, which a float reads back to within an ulp (JSON would keep only 15).
    try:
        rows = _packed_rows(
            store,
            3,
            "SELECT layout_group AS c0, count(*) AS c1, quote(sum("
            "pow(1 + ? * max(0, CAST((? - last_review) / ? AS INTEGER)) / stability, ?)"
            f")) AS c2 FROM card INDEXED BY card_mastery WHERE {_STUDIED} GROUP BY layout_group",
            (factor, now_ms, DAY_MS, decay),
        )
    except sqlite3.OperationalError:  # no pow() (SQLite without its math functions)
        return None
    counts = [0] * n_groups
    sums = [0.0] * n_groups
    for group, n, total in rows:
        if type(group) is not int or not 0 <= group < n_groups:
            return None  # NULL (synced without groups) or a group this layout lacks
        if n > layout.groups[group][2]:
            return None
        try:
            counts[group], sums[group] = n, float(total)
        except ValueError:  # NULL: no retrievability for these rows
            return None
    return counts, sums


def mastery_by_id(
    store: Store, catalog: Any, scheduler: Any, now: datetime
) -> tuple[list[Mastery], list[Mastery]]:
    """`mastery` for any catalog and store: each card looked up by id (the catalog's cards
    only when it is small, else every studied card in one scan)."""
    # FSRS's forgetting curve with the scheduler's own constants, exactly as
    # `Scheduler.get_card_retrievability` computes it (whole elapsed days), on plain floats.
    factor, decay = _curve(scheduler)
    now_ms = to_ms(now)
    sql = f"SELECT card_id, stability, last_review FROM card WHERE {_STUDIED}"
    n_cards = sum(len(deck.card_ids) for deck in catalog.decks)
    if n_cards <= _BY_ID_LOOKUPS:  # a small catalog next to a big store: look its cards up
        ids = list(dict.fromkeys(c for deck in catalog.decks for c in deck.card_ids))
        rows = []
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            rows += store.conn.execute(
                f"{sql} AND card_id IN ({','.join('?' * len(chunk))})", chunk
            ).fetchall()
    else:  # fetchall: row-by-row iteration costs ~10x at 100k cards
        rows = store.conn.execute(sql).fetchall()
    r_by_card: dict[str, float] = {
        cid: (1 + factor * max(0, (now_ms - last) // DAY_MS) / stability) ** decay
        for cid, stability, last in rows
    }
    decks: list[Mastery] = []
    for deck in catalog.decks:
        rs = [r_by_card[c] for c in deck.card_ids if c in r_by_card]
        decks.append(Mastery(deck.id, len(deck.card_ids), len(rs), _mean(rs)))
    r_get = r_by_card.get
    tags = []
    for tag, ids in cards_by_tag(catalog).items():
        total, n = 0.0, 0
        for r in map(r_get, ids):
            if r is not None:
                total += r  # a running total in catalog order (sum() may compensate, 3.12+)
                n += 1
        tags.append(Mastery(tag, len(ids), n, total / n if n else None))
    tags.sort(key=lambda m: (m.retrievability is None, m.retrievability or 0.0, m.key))
    return decks, tags


_BY_ID_LOOKUPS = 5_000


def stats_layout(catalog: Any, cache_dir: Path | None = None) -> Layout:
    """The catalog's `Layout`: its own (`stats_layout`, read from the cache), else the one
    kept on the catalog (which does not change while the app runs), else read from
    `cache_dir` or built (~0.1 s at 100,000 cards) and written there for the next run."""
    own = getattr(catalog, "stats_layout", None)
    if isinstance(own, Layout):
        return own
    cached = getattr(catalog, "_stats_layout", None)
    if isinstance(cached, Layout):
        return cached
    fingerprint = str(getattr(catalog, "fingerprint", ""))
    kept = read_cache(cache_dir, fingerprint) if cache_dir and fingerprint else None
    n_cards = sum(len(deck.card_ids) for deck in catalog.decks)
    if kept is not None and kept.stats_layout.cards == n_cards:
        layout = kept.stats_layout
    else:
        layout = build_layout(catalog)
        if cache_dir is not None:
            write_cache(cache_dir, layout, {d.id: d.title for d in catalog.decks})
    with contextlib.suppress(AttributeError):  # else read or built each time
        catalog._stats_layout = layout
    return layout


def cards_by_tag(catalog: Any) -> dict[str, list[str]]:
    """tag -> its card ids in catalog order (`note:` tags left out); kept on the catalog,
    which does not change while the app runs."""
    cached = getattr(catalog, "_cards_by_tag", None)
    if isinstance(cached, dict):
        return cached
    tags_of = tag_lookup(catalog)
    in_deck = getattr(catalog, "deck_tags", None)  # each card's tags, in card_ids order
    out: dict[str, list[str]] = {}
    for deck in catalog.decks:
        per_card = in_deck(deck.id) if callable(in_deck) else None
        if per_card is None:
            per_card = [tags_of(cid) for cid in deck.card_ids]
        for cid, card_tags_ in zip(deck.card_ids, per_card, strict=False):
            for tag in card_tags_:
                if not tag.startswith("note:"):
                    out.setdefault(tag, []).append(cid)
    with contextlib.suppress(AttributeError):  # else computed each time
        catalog._cards_by_tag = out
    return out


def card_tags(catalog: Any, card_id: str) -> Sequence[str]:
    return tag_lookup(catalog)(card_id)


def _mean(xs: Sequence[float]) -> float | None:
    return sum(xs) / len(xs) if xs else None


def quiz_history(store: Store, limit: int = 20) -> list[dict[str, Any]]:
    """The latest quizzes, newest first, from the store's `quiz` and `quiz_answer` tables.

    Each: id, started_at / finished_at (ms, finished_at null for a quiz left unfinished),
    decks ([] = all), planned, answered, correct, and score = correct / planned.
    """
    rows = store.quiz_history(limit)
    for row in rows:
        row["score"] = row["correct"] / row["planned"] if row["planned"] else None
    return rows


def leeches(store: Store, threshold: int) -> list[Leech]:
    """Cards with at least `threshold` lapses, most lapses first (none when threshold is 0)."""
    if threshold < 1:
        return []
    cur = store.conn.execute(
        "SELECT card_id, deck_id, lapses, suspended FROM card "  # the card_lapses index
        "WHERE lapses >= ? AND lapses > 0 AND +present = 1 ORDER BY lapses DESC, card_id",
        (threshold,),
    )
    return [Leech(cid, deck, int(lapses), bool(susp)) for cid, deck, lapses, susp in cur]


def coding_progress(store: Store, task_ids: Sequence[str] | None = None) -> CodingProgress:
    """Tried / passed / first-try passes; `task_ids` defaults to the grader's catalog."""
    if task_ids is None:
        task_ids = _catalog_task_ids()
    progress = store.task_progress()
    known = list(task_ids) + sorted(t for t in progress if t not in set(task_ids))
    tried = [t for t in known if t in progress]
    passed = [t for t in tried if progress[t].status == "passed"]
    return CodingProgress(
        total=len(known),
        tried=len(tried),
        passed=len(passed),
        first_try=sum(1 for t in tried if progress[t].first_try_pass),
        failing=tuple(t for t in tried if progress[t].status != "passed"),
        untried=tuple(t for t in known if t not in progress),
    )


def _catalog_task_ids() -> list[str]:
    from importlib.util import find_spec

    if find_spec("quizapp.grading.catalog") is None:  # a build without the grader
        return []
    # The grader's own order list, so that the stats need not import the task modules
    # (~20 ms of `quizapp stats`).
    from quizapp.grading.task_order import TASK_ORDER

    return list(TASK_ORDER)


# ---------------------------------------------------------------------- everything


def compute(
    store: Store,
    catalog: Any,
    settings: Settings,
    now: datetime,
    *,
    scheduler: Any = None,
    heatmap_days: int = HEATMAP_DAYS,
    forecast_days: int = FORECAST_DAYS,
    task_ids: Sequence[str] | None = None,
    cache_dir: Path | None = None,
) -> Stats:
    """Every stat, for the screen and the CLI. `now` must be timezone-aware; `cache_dir`
    keeps the decks' layout between runs (see quizapp/deck_layout.py)."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware (UTC)")
    # Each statistic below takes the GIL back once per statement, not per row (module
    # docstring): SQLite runs each without it while the stats screen paints.
    today = today_counts(store, settings, now)
    forecast = due_forecast(store, settings, now, forecast_days)
    start, end = day_bounds(now, settings.rollover_hour)
    month_start = day_starts(now, settings.rollover_hour, -29, -29)[0]
    by_deck_all = true_retention(store)
    by_deck_month = true_retention(store, to_ms(month_start), to_ms(end))
    deck_ids = [d.id for d in catalog.decks]
    deck_ids += sorted((set(by_deck_all) | set(by_deck_month)) - set(deck_ids))
    rows = [
        RetentionRow(d, by_deck_month.get(d, Retention()), by_deck_all.get(d, Retention()))
        for d in deck_ids
        if d in by_deck_all or d in by_deck_month
    ]
    curve = curve_constants(settings, scheduler)
    decks, tags = mastery(store, catalog, curve, now, cache_dir)
    return Stats(
        generated_at=now.astimezone(UTC),
        day=local_day(start),
        rollover_hour=settings.rollover_hour,
        today=today,
        heatmap=review_heatmap(store, settings, now, heatmap_days),
        retention=_sum_retention(by_deck_all.values()),
        retention_month=_sum_retention(by_deck_month.values()),
        retention_decks=rows,
        forecast=forecast,
        mastery_decks=decks,
        mastery_tags=tags,
        quiz_history=quiz_history(store),
        coding=coding_progress(store, task_ids),
        deck_titles={d.id: d.title for d in catalog.decks},
        leeches=leeches(store, settings.leech_threshold),
    )


def _retention_json(r: Retention) -> dict[str, Any]:
    return {"passed": r.passed, "total": r.total, "rate": r.rate}


def _mastery_json(m: Mastery) -> dict[str, Any]:
    return {
        "cards": m.cards,
        "studied": m.studied,
        "retrievability": m.retrievability,
    }


def to_json(stats: Stats) -> dict[str, Any]:
    """The stable `quizapp stats --json` object (documented in the CLI module)."""
    forecast_days = [
        (stats.day + timedelta(days=i)).isoformat() for i in range(len(stats.forecast))
    ]
    return {
        "schema": SCHEMA_VERSION,
        "generated_at": stats.generated_at.isoformat().replace("+00:00", "Z"),
        "day": stats.day.isoformat(),
        "rollover_hour": stats.rollover_hour,
        "today": {**asdict(stats.today), "total": stats.today.total},
        "streak_days": stats.streak,
        "heatmap": [{"day": d.day.isoformat(), "reviews": d.reviews} for d in stats.heatmap],
        "retention": {
            "all": _retention_json(stats.retention),
            "month": _retention_json(stats.retention_month),
            "decks": {
                r.deck_id: {"all": _retention_json(r.all), "month": _retention_json(r.month)}
                for r in stats.retention_decks
            },
        },
        "forecast": [
            {"day": day, "due": n} for day, n in zip(forecast_days, stats.forecast, strict=True)
        ],
        "mastery": {
            "decks": {m.key: _mastery_json(m) for m in stats.mastery_decks},
            "tags": {m.key: _mastery_json(m) for m in stats.mastery_tags},
        },
        "quiz_history": [_jsonable(q) for q in stats.quiz_history],
        "leeches": [asdict(x) for x in stats.leeches],
        "coding": {
            "total": stats.coding.total,
            "tried": stats.coding.tried,
            "passed": stats.coding.passed,
            "first_try": stats.coding.first_try,
            "failing": list(stats.coding.failing),
            "untried": list(stats.coding.untried),
        },
    }


def _jsonable(row: dict[str, Any]) -> dict[str, Any]:
    return {k: v.decode(errors="replace") if isinstance(v, bytes) else v for k, v in row.items()}
