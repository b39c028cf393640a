"""A synthetic review history drawn from known FSRS-6 parameters (tests and benchmarks).

Each card is learned on some day, then reviewed when the scheduler (with the *true* parameters)
says so, with the interval jittered so the log holds a spread of delays. Whether the user
recalls is drawn from the true forgetting curve at that delay; a lapse is followed by a same-day
relearning step, as a real log has. The fit never sees the true parameters.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from quizapp.fitting import Review

DAY_MS = 86_400_000
# Not the defaults: slower forgetting after a first Good/Easy, a flatter curve.
TRUE_PARAMETERS: tuple[float, ...] = (
    0.8, 3.5, 9.0, 30.0, 6.0, 0.6, 2.0, 0.01, 1.3, 0.2, 1.1,
    1.8, 0.08, 0.35, 1.2, 0.4, 2.5, 0.4, 0.2, 0.1, 0.35,
)  # fmt: skip


def recall_probability(parameters: Sequence[float], elapsed_days: float, stability: float) -> float:
    decay = -parameters[20]
    factor = 0.9 ** (1 / decay) - 1
    return float((1 + factor * elapsed_days / stability) ** decay)


def synthetic_reviews(
    n_reviews: int,
    parameters: Sequence[float] = TRUE_PARAMETERS,
    *,
    seed: int = 1,
    start_ms: int = 1_700_000_000_000,
    span_days: int = 365,
) -> list[Review]:
    """About `n_reviews` ratings, grouped by card in time order (as the store returns them)."""
    import fsrs_rs_python as rs

    rng = random.Random(seed)
    model = rs.FSRS(list(parameters))
    out: list[Review] = []
    card = 0
    noon = 12 * 3_600_000
    while len(out) < n_reviews:
        cid = f"s{card:07d}"
        card += 1
        day = rng.randrange(span_days // 2)
        rating = rng.choices((1, 2, 3, 4), weights=(0.2, 0.1, 0.55, 0.15))[0]
        out.append(Review(cid, start_ms + day * DAY_MS + noon, rating, 0))
        state = model.next_states(None, 0.9, 0)
        item = (state.again, state.hard, state.good, state.easy)[rating - 1]
        memory = item.memory
        if rating == 1:  # a same-day learning step
            out.append(Review(cid, start_ms + day * DAY_MS + noon + 600_000, 3, 1))
            memory = model.next_states(memory, 0.9, 0).good.memory
        while len(out) < n_reviews:
            interval = max(1, round(memory.stability * rng.uniform(0.5, 2.5)))
            day += interval
            if day >= span_days:
                break
            p = recall_probability(parameters, interval, memory.stability)
            recalled = rng.random() < p
            rating = rng.choices((2, 3, 4), weights=(0.15, 0.7, 0.15))[0] if recalled else 1
            at = start_ms + day * DAY_MS + noon
            out.append(Review(cid, at, rating, 2))
            states = model.next_states(memory, 0.9, interval)
            memory = (states.again, states.hard, states.good, states.easy)[rating - 1].memory
            if rating == 1:
                out.append(Review(cid, at + 600_000, 3, 3))
                memory = model.next_states(memory, 0.9, 0).good.memory
    return out
