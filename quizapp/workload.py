"""Workload: what each desired retention would cost this user, per day, from the FSRS simulator.

fsrs-rs' simulator (the one behind Anki's "simulate workload") runs on the user's own numbers:
their deck size, their parameters (fitted or default), their daily limits and learning steps,
their first-rating and review-rating shares and their mean seconds per rating in each state,
read from the review log (fsrs-rs' defaults fill a cell until it has 20 ratings). This binding
of the simulator starts every card as new: it cannot be seeded with existing memory states, so
the numbers are the steady workload of studying this collection, not tomorrow's queue.

Bounded: a run introduces at most `learn_limit` new cards a day, so a deck bigger than
`learn_limit * days` simulates exactly as one of that size (the deck is capped there, which
changes no number). The stats screen also passes `max_cards`: beyond it the simulator runs on
a sample (the deck, both daily limits and the simulator's daily time budget scaled down by one
factor) and the per-day results are scaled back up; at 100,000 cards with 20 new cards a day
the sample's reviews and minutes per day came within 3 % of the full run. Each simulator call
holds the GIL for its whole run (~0.2 s at 7,300 cards), so the sample also keeps the screen
responsive, and the whole table takes ~1.5 s instead of ~20 s.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from quizapp.store import LEARNING, NEW, RELEARNING, REVIEW

RETENTIONS = (0.70, 0.75, 0.80, 0.85, 0.90, 0.93, 0.95, 0.97)
MIN_SAMPLES = 20
SEEDS = (1, 2, 3, 4, 5)


@dataclass(frozen=True)
class WorkloadRow:
    desired_retention: float
    reviews_per_day: float
    minutes_per_day: float
    memorized: float  # expected cards remembered at the end of the span

    def to_json(self) -> dict[str, float]:
        return {
            "desired_retention": self.desired_retention,
            "reviews_per_day": round(self.reviews_per_day, 2),
            "minutes_per_day": round(self.minutes_per_day, 2),
        }


@dataclass(frozen=True)
class Workload:
    cards: int
    days: int
    parameters: str  # "fitted" | "default"
    rows: list[WorkloadRow]
    sample_scale: float = 1.0  # > 1: simulated on a sample, one card for this many

    def to_json(self) -> dict[str, Any]:
        return {
            "cards": self.cards,
            "days": self.days,
            "parameters": self.parameters,
            "rows": [r.to_json() for r in self.rows],
        }


def simulator_config(
    store: Any, settings: Any, days: int, max_cards: int | None = None
) -> tuple[Any, float]:
    """The simulator's config for this user; with `max_cards`, for a sample of at most that
    many cards, and what one simulated card stands for (1.0: no sample)."""
    from quizapp.fitting import _rs

    config = _rs().default_simulator_config()
    deck = max(1, store.active_card_count())
    learn_limit, review_limit = settings.new_per_day, settings.reviews_per_day
    if learn_limit > 0:
        deck = min(deck, learn_limit * days)  # never more are introduced: the same numbers
    scale = 1.0
    if max_cards is not None and deck > max_cards and learn_limit > 0:
        learn = max(1, round(learn_limit * max_cards / deck))
        scale = learn_limit / learn
        deck, learn_limit = max(1, round(deck / scale)), learn
        review_limit = max(1, round(review_limit / scale))
    config.deck_size = deck
    config.max_cost_perday = config.max_cost_perday / scale  # the day's time, shared alike
    config.learn_span = days
    config.learn_limit = learn_limit
    config.review_limit = review_limit
    config.max_ivl = float(settings.maximum_interval_days)
    config.learning_step_count = len(settings.learning_steps_min)
    config.relearning_step_count = len(settings.relearning_steps_min)
    counts: dict[tuple[int, int], int] = {}
    secs: dict[tuple[int, int], float] = {}
    for state, rating, n, mean in store.rating_summary():
        key = (LEARNING if state == NEW else state, rating)
        counts[key] = counts.get(key, 0) + n
        if mean is not None:
            secs[key] = mean  # NEW and LEARNING fold into one row: the last one read wins
    first = [counts.get((LEARNING, r), 0) for r in (1, 2, 3, 4)]
    if sum(first) >= MIN_SAMPLES:
        config.first_rating_prob = [n / sum(first) for n in first]
    passed = [counts.get((REVIEW, r), 0) for r in (2, 3, 4)]
    if sum(passed) >= MIN_SAMPLES:
        config.review_rating_prob = [n / sum(passed) for n in passed]
    costs = [list(row) for row in config.state_rating_costs]
    for i, state in enumerate((LEARNING, REVIEW, RELEARNING)):
        for r in (1, 2, 3, 4):
            if counts.get((state, r), 0) >= MIN_SAMPLES and secs.get((state, r)):
                costs[i][r - 1] = secs[(state, r)]
    config.state_rating_costs = costs
    return config, scale


def workload(
    store: Any,
    settings: Any,
    *,
    days: int = 365,
    retentions: tuple[float, ...] = RETENTIONS,
    max_cards: int | None = None,
) -> Workload:
    """Reviews and minutes per day for each desired retention; `max_cards` bounds the
    simulated cards (a scaled sample beyond it, see the module docstring)."""
    from quizapp.fitting import DEFAULT_PARAMETERS, _rs

    rs = _rs()
    config, scale = simulator_config(store, settings, days, max_cards)
    params = list(settings.parameters or DEFAULT_PARAMETERS)
    rows = []
    for r in retentions:
        reviews, seconds, memorized = 0.0, 0.0, 0.0
        for seed in SEEDS:  # the simulator draws ratings at random: average a few runs
            result = rs.simulate(params, r, config, seed)
            reviews += sum(result.review_cnt_per_day) + sum(result.learn_cnt_per_day)
            seconds += sum(result.cost_per_day)
            memorized += float(result.memorized_cnt_per_day[-1])
        runs = len(SEEDS) * days
        rows.append(
            WorkloadRow(
                r,
                scale * reviews / runs,
                scale * seconds / runs / 60,
                scale * memorized / len(SEEDS),
            )
        )
    kind = "fitted" if settings.parameters else "default"
    return Workload(max(1, store.active_card_count()), days, kind, rows, scale)


SUMMARY_MAX_CARDS = 2_000  # the stats screen's sample: ~2 s in all at 100,000 cards


def fsrs_summary(
    store: Any, settings: Any, days: int = 365, max_cards: int | None = SUMMARY_MAX_CARDS
) -> str:
    """Plain text for the stats screen: the last fit's report and the workload table."""
    lines = []
    fit = store.get_setting("fsrs_fit")
    if isinstance(fit, dict) and "before" in fit and "after" in fit:
        b, a = fit["before"], fit["after"]
        lines.append(
            f"Last fit on {fit.get('reviews', '?')} reviews: log loss {b['log_loss']:.4f} -> "
            f"{a['log_loss']:.4f}, RMSE(bins) {b['rmse_bins']:.4f} -> {a['rmse_bins']:.4f}; "
            + ("saved." if fit.get("saved") else "not saved.")
        )
    else:
        lines.append("Default parameters: `quizapp optimize` fits them to your reviews.")
    from quizapp.planning import readiness_text
    from quizapp.scheduling import utcnow

    now = utcnow()
    lines.append(retention_text(store, settings, now))
    readiness = readiness_text(store, None, settings, now)
    if readiness:
        lines.append(readiness)
    result = workload(store, settings, days=days, max_cards=max_cards)
    sample = (
        f"; simulated on 1 card in {result.sample_scale:.3g}" if result.sample_scale > 1 else ""
    )
    lines.append(
        f"Workload by desired retention ({result.parameters} parameters, {days} days{sample}):"
    )
    top = max((r.minutes_per_day for r in result.rows), default=1.0) or 1.0
    for r in result.rows:
        mark = " <- yours" if abs(r.desired_retention - settings.desired_retention) < 1e-9 else ""
        bar = "█" * max(1, round(24 * r.minutes_per_day / top))
        lines.append(
            f"{r.desired_retention:4.0%}  {r.reviews_per_day:6.1f} reviews/day  "
            f"{r.minutes_per_day:5.1f} min/day  {bar}{mark}"
        )
    return "\n".join(lines)


def retention_text(store: Any, settings: Any, now: Any) -> str:
    """True retention over the last 30 study days against the desired retention, and the
    parameters FSRS schedules with (fitted or the defaults), all 21 of them."""
    from quizapp.clock import day_bounds, to_ms
    from quizapp.fitting import DEFAULT_PARAMETERS
    from quizapp.stats import day_starts, true_retention

    _, end = day_bounds(now, settings.rollover_hour)
    month_start = day_starts(now, settings.rollover_hour, -29, -29)[0]
    by_deck = true_retention(store, to_ms(month_start), to_ms(end)).values()
    passed, total = sum(r.passed for r in by_deck), sum(r.total for r in by_deck)
    true = (
        f"{passed / total:.0%} over the last 30 days ({total} review{'' if total == 1 else 's'})"
        if total
        else "not measured yet (no review of a review-state card in the last 30 days)"
    )
    kind = "fitted" if settings.parameters else "default"
    values = ", ".join(f"{w:.4g}" for w in settings.parameters or DEFAULT_PARAMETERS)
    return (
        f"True retention {true} vs desired {settings.desired_retention:.0%}, scheduled with the "
        f"{kind} parameters: {values}"
    )
