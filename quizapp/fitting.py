"""Personal FSRS: fit the 21 FSRS-6 parameters to the user's own review log, and say how well.

Why it is built this way:
- fsrs-rs (through `fsrs-rs-python`) is the optimizer Anki itself links: parameter fitting,
  evaluation and simulation in a 0.6 MB wheel, no torch. py-fsrs' `Scheduler` still schedules;
  both implement the same FSRS-6 formulas (a test holds them to 1 % on the same parameters).
- The review log becomes training items exactly as Anki's `reviews_for_fsrs` does it: per card,
  history before its last (re)start as a new card is dropped; a card whose log does not start
  with its first rating as a new card is left out (its early history is unknown); days are the
  user's local study days (rollover hour), so `delta_t` counts study days; reviews on the same
  day stay in the history (FSRS-6 has short-term parameters for them) but are never the review
  an item predicts (`delta_t == 0`).
- "Better" is judged on reviews the fit did not see: fsrs-rs' time-series split trains on the
  first k sixths of the items (in time order) and predicts the next sixth, five times; the
  current parameters are scored on the same held-out five sixths. Fitted parameters are saved
  only when their held-out log loss is lower.
- Below `MIN_ITEMS` items the fit is refused with a message: fsrs-rs runs its full training only
  from 64 items, and the first training slice of the split is a sixth of the history (6 × 64 ≈
  400), so fewer items cannot tell a better fit from noise.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from quizapp.errors import QuizappError
from quizapp.store import NEW

MIN_ITEMS = 400
N_PARAMETERS = 21
DEFAULT_PARAMETERS: tuple[float, ...] = (
    0.212, 1.2931, 2.3065, 8.2956, 6.4133, 0.8334, 3.0194, 0.001, 1.8722, 0.1666, 0.796,
    1.4835, 0.0614, 0.2629, 1.6483, 0.6014, 1.8729, 0.5425, 0.0912, 0.0658, 0.1542,
)  # fmt: skip  # FSRS-6's defaults, the same in py-fsrs and fsrs-rs


class NotEnoughHistory(QuizappError):
    """Too few reviews to fit parameters that can be trusted; the defaults stay in use."""


class OptimizerMissing(QuizappError):
    """fsrs-rs-python is not installed (it is a core dependency; a broken install)."""


@dataclass(frozen=True)
class Review:
    """One rating as the optimizer needs it."""

    card_id: str
    reviewed_at: int  # ms since the epoch, UTC
    rating: int  # 1..4
    state_before: int  # 0 = the card was new


@dataclass(frozen=True)
class Evaluation:
    log_loss: float
    rmse_bins: float

    def to_json(self) -> dict[str, float]:
        return {"log_loss": round(self.log_loss, 6), "rmse_bins": round(self.rmse_bins, 6)}


@dataclass(frozen=True)
class FitReport:
    reviews: int  # ratings of the cards whose history could be used
    items: int  # predictions the fit is trained and judged on (reviews on a later day)
    before: Evaluation  # the parameters in use before the fit (the defaults unless fitted)
    after: Evaluation  # fitting on the past, predicting the future (time-series split)
    parameters: tuple[float, ...]  # fitted on the whole history
    better: bool  # after.log_loss < before.log_loss

    def to_json(self, saved: bool) -> dict[str, Any]:
        return {
            "reviews": self.reviews,
            "before": self.before.to_json(),
            "after": self.after.to_json(),
            "parameters": [round(p, 6) for p in self.parameters],
            "saved": saved,
        }


# ---------------------------------------------------------------------- log -> items


def study_day(ms: int, rollover_hour: int) -> int:
    """The user's local study day of a time, as a day number (a day starts at the rollover)."""
    local = datetime.fromtimestamp(ms / 1000)  # naive local wall-clock time
    return (local - timedelta(hours=rollover_hour)).toordinal()


def training_items(
    reviews: Iterable[Review], rollover_hour: int = 4
) -> tuple[list[tuple[int, list[tuple[int, int]]]], int]:
    """Anki's conversion: `[(time_ms, [(rating, delta_t), ...]), ...]` in time order, and how
    many ratings the kept cards have. `reviews` must be grouped by card, in time order."""
    items: list[tuple[int, list[tuple[int, int]]]] = []
    used = 0
    card: list[Review] = []
    current: str | None = None

    def flush() -> None:
        nonlocal used
        start = next((i for i in range(len(card) - 1, -1, -1) if card[i].state_before == NEW), None)
        if start is None:  # no first rating as a new card: the start of its history is unknown
            return
        history = card[start:]
        used += len(history)
        days = [study_day(r.reviewed_at, rollover_hour) for r in history]
        seq: list[tuple[int, int]] = [(history[0].rating, 0)]
        for i in range(1, len(history)):
            delta = max(0, days[i] - days[i - 1])
            seq.append((history[i].rating, delta))
            if delta > 0:
                items.append((history[i].reviewed_at, list(seq)))

    for review in reviews:
        if review.card_id != current:
            if card:
                flush()
            card, current = [], review.card_id
        if 1 <= review.rating <= 4:
            card.append(review)
    if card:
        flush()
    items.sort(key=lambda item: item[0])
    return items, used


def _rs() -> Any:
    try:
        import fsrs_rs_python  # ~1 ms: a Rust extension with no Python dependencies
    except ImportError as exc:  # pragma: no cover - a core dependency
        raise OptimizerMissing(
            "the FSRS optimizer (fsrs-rs-python) is not installed; "
            "reinstall quizapp or run `pip install fsrs-rs-python`"
        ) from exc
    return fsrs_rs_python


def to_rs_items(items: Sequence[tuple[int, list[tuple[int, int]]]]) -> list[Any]:
    rs = _rs()
    review, item = rs.FSRSReview, rs.FSRSItem
    return [item([review(r, d) for r, d in seq]) for _, seq in items]


# ---------------------------------------------------------------------- fit and evaluate


def evaluate(parameters: Sequence[float], rs_items: Sequence[Any]) -> Evaluation:
    """Log loss and RMSE(bins) of fixed parameters on items (fsrs-rs' own metrics)."""
    ev = _rs().FSRS(list(parameters)).evaluate(list(rs_items))
    return Evaluation(float(ev.log_loss), float(ev.rmse_bins))


def held_out(rs_items: Sequence[Any]) -> list[Any]:
    """The items fsrs-rs' 5-fold time-series split predicts: all but the first sixth."""
    return list(rs_items[len(rs_items) // 6 :])


def fit(
    reviews: Iterable[Review],
    current: Sequence[float] | None = None,
    *,
    rollover_hour: int = 4,
    min_items: int = MIN_ITEMS,
) -> FitReport:
    """Fit parameters on the whole history and judge them against `current` on held-out data."""
    rs = _rs()
    items, used = training_items(reviews, rollover_hour)
    if len(items) < min_items:
        raise NotEnoughHistory(
            f"not enough review history to fit FSRS yet: {len(items)} reviews on a later day than "
            f"the card's previous one (from {used} ratings), at least {min_items} are needed. "
            "Keep reviewing; until then the default parameters are used."
        )
    rs_items = to_rs_items(items)
    current = tuple(current) if current else DEFAULT_PARAMETERS
    before = evaluate(current, held_out(rs_items))
    split = rs.evaluate_with_time_series_splits(rs_items)
    after = Evaluation(float(split.log_loss), float(split.rmse_bins))
    fitted = tuple(float(p) for p in rs.FSRS([]).compute_parameters(rs_items))
    if len(fitted) != N_PARAMETERS:  # pragma: no cover - an fsrs-rs that is not FSRS-6
        raise QuizappError(f"the optimizer returned {len(fitted)} parameters, expected 21")
    return FitReport(used, len(items), before, after, fitted, after.log_loss < before.log_loss)


def reviews_from_store(store: Any) -> Iterable[Review]:
    for card_id, at, rating, before in store.fsrs_history():
        yield Review(card_id, at, rating, NEW if before is None else int(before))


def optimize(store: Any, settings: Any, *, save: bool = True) -> tuple[FitReport, bool]:
    """Fit on the store's log; save the parameters in the settings when they are better."""
    report = fit(
        reviews_from_store(store),
        settings.parameters,
        rollover_hour=settings.rollover_hour,
    )
    saved = bool(save and report.better)
    if saved:
        from dataclasses import replace

        replace(settings, parameters=scheduler_bounds(report.parameters)).save(store)
    store.set_setting("fsrs_fit", report.to_json(saved))
    return report, saved


def scheduler_bounds(values: Sequence[float]) -> tuple[float, ...]:
    """The parameters inside py-fsrs' own bounds (its `Scheduler` refuses any outside them;
    fsrs-rs clamps to nearly the same ones, so this moves a value by a rounding at most)."""
    try:
        from fsrs.scheduler import LOWER_BOUNDS_PARAMETERS, UPPER_BOUNDS_PARAMETERS
    except ImportError:  # a py-fsrs without the tables: it validates nothing we could clip to
        return tuple(values)
    return tuple(
        min(max(float(v), lo), hi)
        for v, lo, hi in zip(values, LOWER_BOUNDS_PARAMETERS, UPPER_BOUNDS_PARAMETERS, strict=True)
    )


def valid_parameters(values: Sequence[float]) -> tuple[float, ...]:
    """21 finite floats inside fsrs-rs' bounds, or a ValueError saying what is wrong."""
    values = tuple(float(v) for v in values)
    if len(values) != N_PARAMETERS:
        raise ValueError(f"FSRS-6 needs {N_PARAMETERS} parameters, got {len(values)}")
    return tuple(float(v) for v in _rs().check_and_fill_parameters(list(values)))
