"""FSRS glue: settings, the user's day, today's queue and rating previews.

The `fsrs` package (FSRS-6) does the scheduling. We add what an app needs around it: "today"
is the user's local day starting at a rollover hour (4 am, as Anki), daily limits on new cards
and reviews, and previews that are the *same* results the rating then commits (the four
outcomes are computed once per card shown, fuzz included, so a button never lies).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from quizapp.clock import day_bounds, from_ms, to_ms, utcnow
from quizapp.store import NEW, REVIEW, CardRow, Store

__all__ = ["day_bounds", "from_ms", "to_ms", "utcnow"]  # re-exported: callers predate clock.py

if TYPE_CHECKING:  # fsrs is imported when a card is rated, not for the home screen's counts
    from fsrs import Card as FsrsCard
    from fsrs import Scheduler

RATINGS = (1, 2, 3, 4)  # fsrs.Rating: Again, Hard, Good, Easy
RATING_NAMES = {1: "Again", 2: "Hard", 3: "Good", 4: "Easy"}
AGAIN = 1


@dataclass(frozen=True)
class Settings:
    desired_retention: float = 0.9
    learning_steps_min: tuple[float, ...] = (1.0, 10.0)
    relearning_steps_min: tuple[float, ...] = (10.0,)
    maximum_interval_days: int = 36500
    new_per_day: int = 20
    reviews_per_day: int = 200
    rollover_hour: int = 4
    learn_ahead_min: int = 20
    leech_threshold: int = 8
    enable_fuzzing: bool = True
    # FSRS-6 parameters fitted by `quizapp optimize` (None: the defaults)
    parameters: tuple[float, ...] | None = None
    # interview mode (quizapp.planning): the date, the daily budget, and whether review
    # sessions follow the plan and cramming may touch the schedule
    interview_date: str | None = None  # ISO date
    minutes_per_day: int = 30
    follow_plan: bool = True
    cram_reschedules: bool = False

    def __post_init__(self) -> None:
        if not 0.7 <= self.desired_retention <= 0.99:
            raise ValueError("desired_retention must be between 0.70 and 0.99")
        if self.new_per_day < 0 or self.reviews_per_day < 0:
            raise ValueError("daily limits must be ≥ 0")
        if not 0 <= self.rollover_hour <= 23:
            raise ValueError("rollover_hour must be an hour 0–23")
        if self.maximum_interval_days < 1:
            raise ValueError("maximum_interval_days must be ≥ 1")
        if any(s <= 0 for s in (*self.learning_steps_min, *self.relearning_steps_min)):
            raise ValueError("learning steps must be positive minutes")
        if self.parameters is not None and len(self.parameters) != 21:
            raise ValueError("FSRS-6 needs 21 parameters")
        if self.minutes_per_day < 1:
            raise ValueError("minutes_per_day must be ≥ 1")
        if self.interview_date is not None:
            date.fromisoformat(self.interview_date)  # ValueError when it is not a date

    @classmethod
    def from_store(cls, store: Store) -> Settings:
        raw = store.get_setting("scheduling", {}) or {}
        known = {k: v for k, v in raw.items() if k in cls.__dataclass_fields__}
        for key in ("learning_steps_min", "relearning_steps_min", "parameters"):
            if known.get(key) is not None:
                known[key] = tuple(known[key])
        try:
            return cls(**known)
        except (TypeError, ValueError):
            return cls()  # a bad saved setting must not lock the user out

    def save(self, store: Store) -> None:
        store.set_setting("scheduling", {k: getattr(self, k) for k in self.__dataclass_fields__})

    def scheduler(self) -> Scheduler:
        from fsrs import Scheduler

        extra: dict[str, Any] = {}
        if self.parameters is not None:
            extra["parameters"] = self.parameters
        try:
            return self._scheduler(Scheduler, extra)
        except ValueError:  # saved parameters this py-fsrs refuses: schedule with its defaults
            return self._scheduler(Scheduler, {})

    def _scheduler(self, cls: Any, extra: dict[str, Any]) -> Scheduler:
        return cls(
            **extra,
            desired_retention=self.desired_retention,
            learning_steps=tuple(timedelta(minutes=m) for m in self.learning_steps_min),
            relearning_steps=tuple(timedelta(minutes=m) for m in self.relearning_steps_min),
            maximum_interval=self.maximum_interval_days,
            enable_fuzzing=self.enable_fuzzing,
        )


# ---------------------------------------------------------------------- fsrs <-> store


def to_fsrs(row: CardRow, now: datetime) -> FsrsCard:
    from fsrs import Card as FsrsCard
    from fsrs import State

    if row.state == NEW:
        return FsrsCard(card_id=0, due=now)
    return FsrsCard(
        card_id=0,
        state=State(row.state),
        step=row.step,
        stability=row.stability,
        difficulty=row.difficulty,
        due=from_ms(row.due) if row.due is not None else now,
        last_review=from_ms(row.last_review) if row.last_review is not None else None,
    )


def from_fsrs(before: CardRow, card: FsrsCard, rating: int) -> CardRow:
    lapse = before.state == REVIEW and rating == AGAIN
    return CardRow(
        card_id=before.card_id,
        deck_id=before.deck_id,
        position=before.position,
        present=before.present,
        state=int(card.state),
        step=card.step,
        stability=card.stability,
        difficulty=card.difficulty,
        due=to_ms(card.due),
        last_review=to_ms(card.last_review) if card.last_review else None,
        reps=before.reps + 1,
        lapses=before.lapses + int(lapse),
        suspended=before.suspended,
        buried_until=before.buried_until,
    )


@dataclass(frozen=True)
class Outcome:
    rating: int
    after: CardRow
    interval: timedelta

    @property
    def label(self) -> str:
        return format_interval(self.interval)


def preview(
    scheduler: Scheduler, row: CardRow, now: datetime, leech_threshold: int = 0
) -> dict[int, Outcome]:
    """The four possible results of rating `row` now; rating later commits one of these."""
    from fsrs import Rating

    card = to_fsrs(row, now)
    out: dict[int, Outcome] = {}
    for rating in RATINGS:
        new_card, _log = scheduler.review_card(card, Rating(rating), review_datetime=now)
        after = from_fsrs(row, new_card, rating)
        if leech_threshold and after.lapses >= leech_threshold > row.lapses:
            after = CardRow(**{**after.__dict__, "suspended": 1})  # a leech: Anki suspends it
        out[int(rating)] = Outcome(int(rating), after, new_card.due - now)
    return out


def format_interval(delta: timedelta) -> str:
    """Anki-style short interval: 1m, 10m, 2h, 3d, 1.5mo, 2.1y."""
    secs = max(delta.total_seconds(), 0)
    if secs < 60:
        return "<1m"
    if secs < 3600:
        return f"{round(secs / 60)}m"
    if secs < 86400:
        return f"{round(secs / 3600)}h"
    days = secs / 86400
    if days < 30:
        return f"{round(days)}d"
    if days < 365:
        return f"{days / 30:.1f}mo".replace(".0mo", "mo")
    return f"{days / 365:.1f}y".replace(".0y", "y")


# ---------------------------------------------------------------------- today's queue


@dataclass
class Queue:
    """Today's cards for a review session, in the order they are shown."""

    learning: list[CardRow] = field(default_factory=list)
    review: list[CardRow] = field(default_factory=list)
    new: list[CardRow] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.learning) + len(self.review) + len(self.new)

    def ordered(self) -> list[CardRow]:
        """Learning first, then reviews with new cards spread among them (as Anki mixes)."""
        out = list(self.learning)
        reviews, new = list(self.review), list(self.new)
        if not reviews:
            return out + new
        if not new:
            return out + reviews
        every = max(1, len(reviews) // (len(new) + 1))
        while reviews or new:
            out.extend(reviews[:every])
            del reviews[:every]
            if new:
                out.append(new.pop(0))
        return out


def build_queue(
    store: Store,
    settings: Settings,
    now: datetime,
    deck_ids: Sequence[str] | None = None,
) -> Queue:
    """Cards due today within the daily limits (what's left of them today)."""
    start, end = day_bounds(now, settings.rollover_hour)
    now_ms = to_ms(now)
    done = store.reviewed_since(to_ms(start))
    new_left = max(0, settings.new_per_day - done["new"])
    review_left = max(0, settings.reviews_per_day - done["review"])
    learning = store.due_cards(
        state_in=(1, 3),
        due_before=now_ms + settings.learn_ahead_min * 60_000,
        now_ms=now_ms,
        deck_ids=deck_ids,
        limit=10_000,
    )
    follow = False
    if settings.interview_date and settings.follow_plan and review_left:
        from quizapp import planning  # NumPy, ~60 ms; only when an interview date is set

        follow = planning.active(settings, now) is not None
    if follow:  # interview mode: follow the plan
        memory = store.due_memory(  # all of today's, so the cut keeps the weakest on the day
            state_in=(REVIEW,),
            due_before=to_ms(end),
            now_ms=now_ms,
            deck_ids=deck_ids,
        )
        ids = planning.weakest_first(settings, memory, now, review_left)
        by_id = {r.card_id: r for r in store.cards(ids)}
        review = [by_id[c] for c in ids if c in by_id]
        new_left = min(new_left, planning.new_today(store, settings, now))
    else:
        review = (
            store.due_cards(
                state_in=(REVIEW,),
                due_before=to_ms(end),
                now_ms=now_ms,
                deck_ids=deck_ids,
                limit=review_left,
            )
            if review_left
            else []
        )
    new = _new_cards_round_robin(store, now_ms, deck_ids, new_left) if new_left else []
    return Queue(learning, review, new)


def _new_cards_round_robin(
    store: Store, now_ms: int, deck_ids: Sequence[str] | None, limit: int
) -> list[CardRow]:
    """New cards taken in turn from each deck (in file order within a deck), so reviewing
    "all" introduces every topic from the first day instead of one deck after another."""
    if deck_ids is not None and len(deck_ids) == 1:
        return store.due_cards(
            state_in=(NEW,), due_before=None, now_ms=now_ms, deck_ids=deck_ids, limit=limit
        )
    decks = list(dict.fromkeys(deck_ids if deck_ids is not None else store.decks_with_new()))
    if not decks:
        return []

    def first(deck: str, n: int) -> list[CardRow]:
        return store.due_cards(
            state_in=(NEW,), due_before=None, now_ms=now_ms, deck_ids=[deck], limit=n
        )

    # The rounds `limit` takes when every deck has enough: that many from each (20 decks and
    # a limit of 20 read 20 rows, not 400); a deck that runs short leaves more rounds to the
    # others, which then give up to `limit` each, as if each had been asked for `limit`.
    rounds = -(-limit // len(decks))
    per_deck = {deck: first(deck, rounds) for deck in decks}
    if any(len(queue) < rounds for queue in per_deck.values()):
        for deck, queue in per_deck.items():
            if len(queue) == rounds and rounds < limit:
                per_deck[deck] = first(deck, limit)
    out: list[CardRow] = []
    while len(out) < limit and any(per_deck.values()):
        for queue in per_deck.values():
            if queue and len(out) < limit:
                out.append(queue.pop(0))
    return out


@dataclass(frozen=True)
class Counts:
    """What the home screen shows: per deck and in total, daily limits applied."""

    decks: dict[str, dict[str, int]]
    total: dict[str, int]


def home_counts(store: Store, settings: Settings, now: datetime, deck_ids: Sequence[str]) -> Counts:
    start, end = day_bounds(now, settings.rollover_hour)
    done = store.reviewed_since(to_ms(start))
    new_left = max(0, settings.new_per_day - done["new"])
    review_left = max(0, settings.reviews_per_day - done["review"])
    decks = store.deck_counts(
        deck_ids,
        now_ms=to_ms(now),
        day_end_ms=to_ms(end),
        learn_ahead_ms=settings.learn_ahead_min * 60_000,
        cap_new=new_left,
        cap_review=review_left,
    )
    total = {
        "new": min(new_left, sum(c["new"] for c in decks.values())),
        "learning": sum(c["learning"] for c in decks.values()),
        "review": min(review_left, sum(c["review"] for c in decks.values())),
    }
    return Counts(decks, total)


def fsrs_retrievability(scheduler: Scheduler, row: CardRow, now: datetime) -> float | None:
    if row.state == NEW:
        return None
    return float(scheduler.get_card_retrievability(to_fsrs(row, now), now))


def describe(row: CardRow) -> dict[str, Any]:
    return {
        "state": {0: "new", 1: "learning", 2: "review", 3: "relearning"}[row.state],
        "due": from_ms(row.due).isoformat() if row.due else None,
        "stability": row.stability,
        "difficulty": row.difficulty,
        "reps": row.reps,
        "lapses": row.lapses,
    }
