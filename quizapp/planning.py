"""Interview mode: "my interview is on the 15th — get me ready by then".

Readiness of a topic (a deck) is the mean predicted recall of its cards *on the interview
date*: FSRS's forgetting curve at the card's stability, evaluated on that day; a card never
studied counts 0, so readiness is also honest about coverage (the share of cards seen).

The plan is a day-by-day simulation, from today to the day before the interview, of what to do
with the daily budget (minutes/day) so that the mean recall on the date is highest:
- each day the candidates are the cards FSRS has due (at the desired retention), plus new cards;
- each action is valued by what it adds to the expected recall on the date — a review of a card
  with recall r now: r·R_T(S after Good) + (1−r)·R_T(S after Again) − R_T(S now); a new card:
  R_T of a card first rated Good today — per second of the user's own mean time per rating;
- the budget goes first to the reviews worth more per second than a new card, then to new
  cards, then to the other reviews that still add something; the reviews done are taken lowest
  recall-on-the-date first (the session's order); reviewed cards get the next interval FSRS
  gives them, capped so that no interval runs past the date without a check-in.
Sessions follow the plan (`weakest_first`, `new_today`): the cards whose recall on the date
would be lowest come first, and `checkin_due` caps a new interval at the day before the interview.

The FSRS-6 formulas are written out here in NumPy (a test holds them to fsrs-rs'
`next_states`; the forgetting curve is py-fsrs 6's R = (1 + F·t/S)^(−w20), F = 0.9^(−1/w20) − 1,
t in whole days). At 100,000 cards / 1,000,000 reviews the plan reads the card table once
(studied cards streamed into arrays, new cards only counted per deck, the review log only for
the latest 20,000 ratings' timings) and each simulated day values only the due cards it must;
`tests/test_planning_fast.py` holds it to the per-card implementation it replaced, to 1e-9.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

import numpy as np

from quizapp.errors import UsageError

DAY_MS = 86_400_000
DEFAULT_REVIEW_S = 10.0  # mean seconds per review when the log has too few
DEFAULT_NEW_S = 25.0  # a new card: first rating plus its learning steps
MIN_SAMPLES = 20


# ---------------------------------------------------------------------- FSRS-6 in NumPy


class Model:
    """FSRS-6's memory model on arrays (the same formulas as py-fsrs and fsrs-rs)."""

    def __init__(self, parameters: Sequence[float]) -> None:
        self.w = np.asarray(parameters, dtype=float)
        self.decay = -self.w[20]
        self.factor = 0.9 ** (1 / self.decay) - 1

    def recall(self, elapsed: Any, stability: Any) -> Any:
        return (1 + self.factor * np.maximum(elapsed, 0) / stability) ** self.decay

    def interval(self, stability: Any, retention: float) -> Any:
        return stability / self.factor * (retention ** (1 / self.decay) - 1)

    def init_difficulty(self, rating: Any) -> Any:
        w = self.w
        return np.clip(w[4] - np.exp(w[5] * (rating - 1)) + 1, 1, 10)

    def next_difficulty(self, d: Any, rating: Any) -> Any:
        w = self.w
        delta = -w[6] * (rating - 3)
        damped = d + delta * (10 - d) / 9
        d0_easy = w[4] - np.exp(w[5] * 3) + 1  # the mean-reversion target is not clamped
        return np.clip(w[7] * d0_easy + (1 - w[7]) * damped, 1, 10)

    def recall_stability(self, d: Any, s: Any, r: Any, rating: Any) -> Any:
        w = self.w
        hard = np.where(rating == 2, w[15], 1.0)
        easy = np.where(rating == 4, w[16], 1.0)
        inc = np.exp(w[8]) * (11 - d) * s ** (-w[9]) * (np.exp(w[10] * (1 - r)) - 1)
        return s * (1 + inc * hard * easy)

    def forget_stability(self, d: Any, s: Any, r: Any) -> Any:
        w = self.w
        long = w[11] * d ** (-w[12]) * ((s + 1) ** w[13] - 1) * np.exp(w[14] * (1 - r))
        return np.minimum(long, s / np.exp(w[17] * w[18]))


# ---------------------------------------------------------------------- inputs


@dataclass
class Cards:
    """The cards as arrays: the studied ones (`seen`), any never-studied ones the caller put in
    the arrays (`seen` False), and `new` more never-studied cards that are only counted — the
    plan never needs to tell one new card from another, so the store does not read them."""

    ids: Any  # str per card (a list or an object array); None when not read
    decks: Any  # deck id per card, likewise
    seen: Any  # bool
    stability: Any
    difficulty: Any
    last_day: Any  # days from today's start (≤ 0), float
    due_day: Any  # whole days from today (0 = due today or overdue)
    position: Any = None  # new-card order of the unseen ones in the arrays (None: array order)
    new: int = 0  # never-studied cards not in the arrays
    new_by_deck: dict[str, int] = field(default_factory=dict)  # ... and their decks

    @property
    def total(self) -> int:
        return len(self.seen) + self.new


_MEMORY = [("deck", "O"), ("s", "f8"), ("d", "f8"), ("last", "f8"), ("due", "f8")]


def load_cards(store: Any, now: datetime, rollover_hour: int, *, with_ids: bool = True) -> Cards:
    """One streamed scan of the studied cards into arrays (no row kept per card) and one
    index-only count of the new ones per deck; the review log is not read. Without
    `with_ids` the card ids are not read (`ids` is None): only the cram list needs them."""
    from quizapp.clock import day_bounds, to_ms

    start, _ = day_bounds(now, rollover_hour)
    start_ms = to_ms(start)
    dtype = np.dtype([("id", "O"), *_MEMORY] if with_ids else _MEMORY)
    rows = np.fromiter(store.studied_memory(ids=with_ids), dtype=dtype)
    new_by_deck = store.new_card_counts()
    stab, last_a = rows["s"], rows["last"]
    # a card out of the new state without a memory state (an import, a damaged row) counts as
    # never studied, as py-fsrs does: no stability or no last review, no retrievability
    seen = (stab > 0) & (last_a > 0)
    stab = np.where(seen, stab, 1.0)
    diff = np.where(seen, rows["d"], 5.0)
    last = np.where(seen, (last_a - start_ms) / DAY_MS, 0.0)
    due_days = np.maximum(0.0, np.floor((rows["due"] - start_ms) / DAY_MS))
    due = np.where(seen, due_days, 0.0)
    return Cards(
        rows["id"] if with_ids else None,
        rows["deck"],
        seen,
        stab,
        diff,
        last,
        due,
        new=sum(new_by_deck.values()),
        new_by_deck=new_by_deck,
    )


@dataclass(frozen=True)
class Costs:
    review_s: float = DEFAULT_REVIEW_S
    new_s: float = DEFAULT_NEW_S


def costs_from_log(store: Any, learning_steps: int) -> Costs:
    """The user's mean seconds per review, and per new card (its first rating and steps)."""
    review_n, review_t, new_n, new_t = 0, 0.0, 0, 0.0
    for state, _rating, n, mean in store.rating_summary():
        if mean is None:
            continue
        if state == 2:
            review_n, review_t = review_n + n, review_t + n * mean
        elif state in (0, 1):
            new_n, new_t = new_n + n, new_t + n * mean
    review = review_t / review_n if review_n >= MIN_SAMPLES else DEFAULT_REVIEW_S
    new = new_t / new_n * (1 + learning_steps) if new_n >= MIN_SAMPLES else DEFAULT_NEW_S
    return Costs(max(review, 1.0), max(new, 1.0))


# ---------------------------------------------------------------------- the plan


@dataclass(frozen=True)
class DayPlan:
    day: date
    new: int
    reviews: int


@dataclass(frozen=True)
class Topic:
    topic: str
    readiness: float
    coverage: float
    cards: int


@dataclass
class Plan:
    interview: date
    days_left: int
    readiness: float  # if nothing more is studied
    planned_readiness: float  # if the plan is followed
    curve: list[float]  # readiness on the date after each planned day
    topics: list[Topic]
    daily: list[DayPlan]
    recall_on_date: Any  # per card, as things stand
    cards: Cards

    def to_json(self) -> dict[str, Any]:
        return {
            "interview": self.interview.isoformat(),
            "days_left": self.days_left,
            "readiness": round(self.readiness, 4),
            "topics": [
                {
                    "topic": t.topic,
                    "readiness": round(t.readiness, 4),
                    "coverage": round(t.coverage, 4),
                    "cards": t.cards,
                }
                for t in self.topics
            ],
            "daily": [
                {"day": d.day.isoformat(), "new": d.new, "reviews": d.reviews} for d in self.daily
            ],
        }


def parse_interview(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(f"interview date {text!r} is not a date; write it as YYYY-MM-DD") from None


def study_date(now: datetime, rollover_hour: int) -> date:
    """Today's local study day."""
    local = now.astimezone().replace(tzinfo=None) - timedelta(hours=rollover_hour)
    return local.date()


def recall_on(model: Model, cards: Cards, day: float) -> Any:
    """Predicted recall of every card on a day (days from today), 0 for unseen cards."""
    r = model.recall(day - np.floor(cards.last_day), cards.stability)
    return np.where(cards.seen, r, 0.0)


def _topics(cards: Cards, recall: Any, order: Sequence[str]) -> list[Topic]:
    index = {deck: i for i, deck in enumerate(order)}
    codes = np.fromiter(map(index.__getitem__, cards.decks), dtype=np.int64, count=len(cards.decks))
    extra = np.zeros(len(order))
    for deck, n_new in cards.new_by_deck.items():
        extra[index[deck]] += n_new
    n = np.bincount(codes, minlength=len(order)) + extra
    r = np.bincount(codes, weights=recall, minlength=len(order))
    seen = np.bincount(codes, weights=cards.seen.astype(float), minlength=len(order))
    return [
        Topic(deck, float(r[i] / n[i]), float(seen[i] / n[i]), int(n[i]))
        for i, deck in enumerate(order)
        if n[i]
    ]


_CHUNK = 4096  # due cards valued at a time, until the day's counts are settled
_SLACK = 1e-9  # rounding room in the bound below (a recall is ≤ 1 within a few ulps)


def _gains(model: Model, c: Any, day: int, T: float, s: Any, d: Any, last: Any, rt: Any) -> Any:
    """Expected recall on the date gained by reviewing cards `c` today (no cost yet)."""
    r_now = model.recall(day - last[c], s[c])
    s_ok = model.recall_stability(d[c], s[c], r_now, 3)
    s_fail = model.forget_stability(d[c], s[c], r_now)
    rt_after = r_now * model.recall(T - day, s_ok) + (1 - r_now) * model.recall(T - day, s_fail)
    return rt_after - rt[c]


def _day_counts(
    model: Model,
    cand: Any,
    *,
    day: int,
    T: float,
    s: Any,
    d: Any,
    last: Any,
    rt: Any,
    budget_s: float,
    costs: Costs,
    new_gain: float,
    new_left: int,
) -> tuple[int, int]:
    """(new cards, reviews) for one day, from the value per second of reviewing each due card.

    The rule: the reviews worth more per second than a new card (at most what the budget pays
    for), then new cards, then the other reviews that still add something. It needs exact
    counts only up to what the budget can take, so the due cards are valued a chunk at a time
    and the valuing stops once the counts are settled; and a review adds at most
    1 − (recall on the date now), so the cards already safe on the date (most of a backlog)
    cannot beat a new card and are valued only if the third step needs them.
    """
    cap = int(budget_s // costs.review_s)
    bound = (1.0 + _SLACK - rt[cand]) / costs.review_s
    maybe = bound > new_gain
    order = np.concatenate([cand[maybe], cand[~maybe]])
    n_maybe = int(maybe.sum())
    n_better = n_useful = done = 0
    while done < n_maybe and n_better < cap:
        hi = min(n_maybe, done + _CHUNK)
        gain = _gains(model, order[done:hi], day, T, s, d, last, rt) / costs.review_s
        n_better += int((gain > new_gain).sum())
        n_useful += int((gain > 0).sum())
        done = hi
    budget = budget_s
    n_rev = min(n_better, cap)
    budget -= n_rev * costs.review_s
    n_new = min(new_left, int(budget // costs.new_s)) if new_gain > 0 else 0
    budget -= n_new * costs.new_s
    most = n_rev + int(budget // costs.review_s)
    while done < len(order) and n_useful < most:
        hi = min(len(order), done + _CHUNK)
        gain = _gains(model, order[done:hi], day, T, s, d, last, rt) / costs.review_s
        n_useful += int((gain > 0).sum())
        done = hi
    return n_new, min(n_useful, most)


def simulate_plan(
    model: Model,
    cards: Cards,
    days_left: int,
    *,
    budget_s: float,
    costs: Costs,
    retention: float,
    new_available: int | None = None,
    curve: list[float] | None = None,
    days: int | None = None,
) -> tuple[list[tuple[int, int]], float]:
    """(new, reviews) per study day, and the mean expected recall on the date if followed;
    `curve`, when given, gets the readiness on the date as it stands after each day; `days`
    stops the simulation after that many days (the recall returned is then the one after
    them).

    Everything is arrays: the recall on the date of every card is computed once and kept up to
    date for the cards each day changes; a day values only as many due cards as it takes to
    settle its counts (`_day_counts`); the counted-only new cards get array slots when the plan
    introduces them (at most what the budget pays for on every day)."""
    T = float(days_left)
    s_new = float(model.w[2])  # first rating Good
    d_new = float(model.init_difficulty(3))
    unseen = np.flatnonzero(~cards.seen)
    if cards.position is not None:
        unseen = unseen[np.argsort(cards.position[unseen], kind="stable")]
    new_total = len(unseen) + cards.new
    if new_available is not None:
        new_total = min(new_total, new_available)
    horizon = days_left if days is None else max(0, min(days, days_left))
    slots = max(0, min(new_total, horizon * int(budget_s // costs.new_s)) - len(unseen))
    n = len(cards.seen)
    seen = np.concatenate([cards.seen, np.zeros(slots, dtype=bool)])
    s = np.concatenate([cards.stability, np.ones(slots)]).astype(float)
    d = np.concatenate([cards.difficulty, np.full(slots, 5.0)]).astype(float)
    last = np.concatenate([np.floor(cards.last_day), np.zeros(slots)]).astype(float)
    due = np.concatenate([cards.due_day, np.zeros(slots)]).astype(float)
    new_order = np.concatenate([unseen, np.arange(n, n + slots)])[:new_total].astype(np.int64)
    introduced = 0
    total = cards.total
    rt = np.where(seen, model.recall(T - last, s), 0.0)  # recall on the date, as things stand
    daily: list[tuple[int, int]] = []
    for day in range(horizon):
        cand = np.flatnonzero(seen & (due <= day))
        new_gain = float(model.recall(T - day, s_new)) / costs.new_s
        n_new, n_rev = _day_counts(
            model,
            cand,
            day=day,
            T=T,
            s=s,
            d=d,
            last=last,
            rt=rt,
            budget_s=budget_s,
            costs=costs,
            new_gain=new_gain,
            new_left=new_total - introduced,
        )
        # The session shows reviews lowest recall-on-the-date first: that order, cut where the
        # budget ends.
        rt_now = rt[cand]
        if n_rev < len(cand):  # only the first n_rev of the order are needed
            first = np.argpartition(rt_now, n_rev)[:n_rev] if n_rev else np.zeros(0, dtype=int)
            chosen = cand[first[np.argsort(rt_now[first], kind="stable")]]
        else:
            chosen = cand[np.argsort(rt_now, kind="stable")]
        if len(chosen):
            r = model.recall(day - last[chosen], s[chosen])
            ok = r >= 0.5
            s_next = np.where(
                ok,
                model.recall_stability(d[chosen], s[chosen], r, 3),
                model.forget_stability(d[chosen], s[chosen], r),
            )
            d[chosen] = model.next_difficulty(d[chosen], np.where(ok, 3, 1))
            s[chosen] = s_next
            last[chosen] = day
            due[chosen] = day + np.maximum(1, np.round(model.interval(s_next, retention)))
            rt[chosen] = model.recall(T - last[chosen], s[chosen])
        if n_new:
            picked = new_order[introduced : introduced + n_new]
            introduced += n_new
            seen[picked] = True
            s[picked] = s_new
            d[picked] = d_new
            last[picked] = day
            due[picked] = day + max(1, round(float(model.interval(s_new, retention))))
            rt[picked] = model.recall(T - last[picked], s[picked])
        # a check-in: no interval runs past the date
        np.minimum(due, T - 1, out=due)
        daily.append((n_new, n_rev))
        if curve is not None:
            curve.append(float(rt.sum() / total) if total else 0.0)
    return daily, float(rt.sum() / total) if total else 0.0


def make_plan(
    store: Any,
    catalog: Any,
    settings: Any,
    now: datetime,
    interview: date,
    *,
    with_daily: bool = True,
    with_ids: bool = False,
) -> Plan:
    """Readiness now, the topics, and (`with_daily`) the plan day by day; `with_ids` reads
    the card ids too, for `cram_list`."""
    from quizapp.fitting import DEFAULT_PARAMETERS

    today = study_date(now, settings.rollover_hour)
    days_left = (interview - today).days
    if days_left < 0:
        raise UsageError(f"the interview date {interview.isoformat()} is in the past")
    model = Model(settings.parameters or DEFAULT_PARAMETERS)
    cards = load_cards(store, now, settings.rollover_hour, with_ids=with_ids)
    recall = recall_on(model, cards, float(days_left))
    order = [d.id for d in catalog.decks] if catalog is not None else []
    known = set(order)
    order += sorted({*cards.decks, *cards.new_by_deck} - known)
    topics = _topics(cards, recall, order)
    readiness = float(recall.sum() / cards.total) if cards.total else 0.0
    daily: list[DayPlan] = []
    planned = readiness
    curve: list[float] = []
    if with_daily and days_left > 0:
        costs = costs_from_log(store, len(settings.learning_steps_min))
        counts, planned = simulate_plan(
            model,
            cards,
            days_left,
            budget_s=settings.minutes_per_day * 60.0,
            costs=costs,
            retention=settings.desired_retention,
            curve=curve,
        )
        daily = [DayPlan(today + timedelta(days=i), n, m) for i, (n, m) in enumerate(counts)]
    return Plan(interview, days_left, readiness, planned, curve, topics, daily, recall, cards)


def cram_list(plan: Plan, count: int) -> list[tuple[str, float]]:
    """The studied cards with the lowest recall on the date (never-studied ones are not a
    cram: they need learning), lowest first. The plan must be made `with_ids`."""
    if plan.cards.ids is None:
        raise ValueError("cram_list needs a plan made with_ids=True")
    idx = np.flatnonzero(plan.cards.seen)
    order = idx[np.argsort(plan.recall_on_date[idx], kind="stable")][:count]
    return [(plan.cards.ids[i], float(plan.recall_on_date[i])) for i in order]


# ---------------------------------------------------------------------- the review queue


def interview_day(settings: Any) -> date | None:
    raw = getattr(settings, "interview_date", None)
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        return None


def active(settings: Any, now: datetime) -> date | None:
    """The interview date when sessions follow the plan (set, followed, not yet past)."""
    day = interview_day(settings)
    if day is None or not getattr(settings, "follow_plan", True):
        return None
    return day if day > study_date(now, settings.rollover_hour) else None


_DUE = np.dtype([("id", "O"), ("s", "f8"), ("last", "f8"), ("due", "i8"), ("pos", "i8")])


def weakest_first(
    settings: Any, memory: Iterable[tuple[str, float, int, int, int]], now: datetime, limit: int
) -> list[str]:
    """Today's reviews — `memory` is (card_id, stability, last_review, due, position) of each —
    lowest recall on the interview day first (ties in due order), cut at `limit` (the daily
    review limit): the cards left for tomorrow are the ones safest on the day. Arrays, no row
    object per card."""
    from quizapp.clock import day_bounds, to_ms
    from quizapp.fitting import DEFAULT_PARAMETERS

    rows = np.fromiter(memory, dtype=_DUE)
    rows = rows[np.lexsort((rows["pos"], rows["due"]))]  # due order, as the plain queue
    interview = active(settings, now)
    if interview is None or len(rows) < 2:
        return [str(c) for c in rows["id"][:limit]]
    model = Model(settings.parameters or DEFAULT_PARAMETERS)
    start, _ = day_bounds(now, settings.rollover_hour)
    start_ms = to_ms(start)
    days_left = (interview - study_date(now, settings.rollover_hour)).days
    last_ms = np.where(rows["last"] != 0, rows["last"], start_ms)  # never reviewed: today
    last = np.floor((last_ms - start_ms) / DAY_MS)
    s = np.where(rows["s"] != 0, rows["s"], 1.0)
    order = np.argsort(model.recall(days_left - last, s), kind="stable")[:limit]
    return [str(c) for c in rows["id"][order]]


def checkin_due(settings: Any, due_ms: int, now: datetime) -> int:
    """Cap a new due time at the start of the day before the interview (a check-in)."""
    from quizapp.clock import day_bounds, to_ms

    interview = active(settings, now)
    if interview is None:
        return due_ms
    today = study_date(now, settings.rollover_hour)
    days = (interview - today).days - 1
    if days < 1:
        return due_ms
    start, _ = day_bounds(now, settings.rollover_hour)
    cap = to_ms(start) + days * DAY_MS
    return min(due_ms, cap)


def checkin_outcomes(settings: Any, outcomes: dict[int, Any], now: datetime) -> dict[int, Any]:
    """The four rating outcomes with each review interval capped by `checkin_due`, so the
    buttons show the interval that will be committed."""
    from dataclasses import replace

    from quizapp.clock import from_ms

    out = {}
    for rating, o in outcomes.items():
        due = o.after.due
        if due is not None and o.after.state == 2:
            capped = checkin_due(settings, due, now)
            if capped != due:
                o = replace(o, after=replace(o.after, due=capped), interval=from_ms(capped) - now)
        out[rating] = o
    return out


_DUE_STUDIED = np.dtype([("s", "f8"), ("d", "f8"), ("last", "f8"), ("due", "f8")])


def new_today(store: Any, settings: Any, now: datetime) -> int:
    """How many new cards the plan introduces today (the daily limit still applies): the
    plan's first day, which depends only on the cards due today and how many are unstudied,
    so only those are read."""
    from quizapp.clock import day_bounds, to_ms
    from quizapp.fitting import DEFAULT_PARAMETERS

    interview = active(settings, now)
    if interview is None:
        return int(settings.new_per_day)
    start, _ = day_bounds(now, settings.rollover_hour)
    start_ms = to_ms(start)
    rows = np.fromiter(store.due_studied_memory(start_ms + DAY_MS), dtype=_DUE_STUDIED)
    rows = rows[(rows["s"] > 0) & (rows["last"] > 0)]  # the others are counted as unstudied
    cards = Cards(
        [],  # the simulation needs no ids or decks
        [],
        np.ones(len(rows), dtype=bool),
        rows["s"],
        rows["d"],
        (rows["last"] - start_ms) / DAY_MS,
        np.maximum(0.0, np.floor((rows["due"] - start_ms) / DAY_MS)),
        new=store.unstudied_count(),
    )
    days_left = (interview - study_date(now, settings.rollover_hour)).days
    counts, _ = simulate_plan(
        Model(settings.parameters or DEFAULT_PARAMETERS),
        cards,
        days_left,
        budget_s=settings.minutes_per_day * 60.0,
        costs=costs_from_log(store, len(settings.learning_steps_min)),
        retention=settings.desired_retention,
        days=1,
    )
    return counts[0][0] if counts else 0


def readiness_text(store: Any, catalog: Any, settings: Any, now: datetime) -> str | None:
    """For the stats screen: readiness on the date now, and after each day of the plan."""
    interview = interview_day(settings)
    if interview is None:
        return None
    try:
        plan = make_plan(store, catalog, settings, now, interview, with_ids=True)
    except UsageError:
        return None
    blocks = " ▁▂▃▄▅▆▇█"
    spark = "".join(blocks[min(8, round(r * 8))] for r in plan.curve)
    weakest = ", ".join(
        f"{t.topic} {t.readiness:.0%}" for t in sorted(plan.topics, key=lambda t: t.readiness)[:3]
    )
    cram = ", ".join(f"{cid} {r:.0%}" for cid, r in cram_list(plan, 5)) or "nothing studied yet"
    return (
        f"Interview {interview.isoformat()} in {plan.days_left} day(s): readiness "
        f"{plan.readiness:.0%} now, {plan.planned_readiness:.0%} on the day if you follow the plan "
        f"({settings.minutes_per_day} min/day)\n{spark}\nWeakest topics on the day: {weakest}\n"
        f"Cram for the last days (lowest recall on the day): {cram}"
    )


def home_line(store: Any, catalog: Any, settings: Any, now: datetime) -> str | None:
    """'12 days to your interview — readiness 64 %', or None when no date is set."""
    interview = interview_day(settings)
    if interview is None:
        return None
    try:
        plan = make_plan(store, catalog, settings, now, interview, with_daily=False)
    except UsageError:
        return f"Your interview date {interview.isoformat()} has passed"
    if plan.days_left == 0:
        return f"Your interview is today — readiness {round(plan.readiness * 100)} %"
    days = "1 day" if plan.days_left == 1 else f"{plan.days_left} days"
    return f"{days} to your interview — readiness {round(plan.readiness * 100)} %"
