"""Figures computed from the reference solvers: the pictures regularization is taught with.

A figure here is data, not drawing: titled series of (x, y) points, vertical markers and a
note, every number computed by `solvers` on a seeded problem (never hand-drawn). The same
`Figure` is drawn in the terminal with plotext (`figure_plot.py`, for the CLI and the TUI)
and written as SVG (`figure_svg.py`), so what a test checks is exactly what is shown.
NumPy and the solvers are imported inside each builder: this module is cheap to import, so
deck validation can check figure kinds without paying for them.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from quizapp.errors import UsageError

SeriesStyle = Literal["line", "scatter", "bar"]


@dataclass(frozen=True)
class Series:
    label: str
    x: tuple[float, ...]
    y: tuple[float, ...]
    style: SeriesStyle = "line"


@dataclass(frozen=True)
class Marker:
    """A vertical line at `x` (the chosen λ, the best epoch, …)."""

    label: str
    x: float


@dataclass(frozen=True)
class Figure:
    kind: str
    title: str
    xlabel: str
    ylabel: str
    series: tuple[Series, ...]
    markers: tuple[Marker, ...] = ()
    note: str = ""
    grid: tuple[tuple[float, ...], ...] | None = None  # a matrix shown as a heat map
    equal_axes: bool = False  # constraint regions: a circle must look like one
    params: Mapping[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "title": self.title,
            "xlabel": self.xlabel,
            "ylabel": self.ylabel,
            "series": [
                {"label": s.label, "style": s.style, "x": list(s.x), "y": list(s.y)}
                for s in self.series
            ],
            "markers": [{"label": m.label, "x": m.x} for m in self.markers],
            "note": self.note,
            "grid": [list(r) for r in self.grid] if self.grid is not None else None,
            "params": dict(self.params),
        }


@dataclass(frozen=True)
class FigureKind:
    name: str
    description: str
    build: Callable[..., Figure]
    params: Mapping[str, tuple[type, Any]]  # name -> (type, default)


def _floats(values: Any) -> tuple[float, ...]:
    return tuple(float(v) for v in values)


# --------------------------------------------------------------------------- problems


def _regression(seed: int, n: int = 60, p: int = 6) -> tuple[Any, Any, Any]:
    """A seeded regression with three true non-zeros among `p` standardised features."""
    import numpy as np

    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, p))
    X = (X - X.mean(axis=0)) / X.std(axis=0)
    w_true = np.zeros(p)
    w_true[: min(3, p)] = [3.0, -2.0, 1.5][: min(3, p)]
    y = X @ w_true + 0.8 * rng.standard_normal(n)
    return X, y - y.mean(), w_true


def _path_figure(kind: str, seed: int, marker: float, l1_ratio: float) -> Figure:
    import numpy as np

    from solvers.elastic_net import elastic_net_path
    from solvers.l2 import ridge_closed_form

    if not 0.0 <= marker <= 1.0:
        raise UsageError("marker must be between 0 and 1 (its place along the λ grid)")
    X, y, _ = _regression(seed)
    n = X.shape[0]
    if kind == "ridge_path":
        lams = np.logspace(3, -2, 60)
        coefs = np.array([ridge_closed_form(X, y, lam) for lam in lams])
        objective = "‖y − Xw‖² + λ‖w‖²"
    else:
        lams, coefs = elastic_net_path(X, y, l1_ratio, n_lams=60, eps=1e-3, tol=1e-10)
        objective = (
            "(1/2n)‖y − Xw‖² + λ‖w‖₁"
            if l1_ratio == 1.0
            else f"(1/2n)‖y − Xw‖² + λ({l1_ratio:g}‖w‖₁ + {(1 - l1_ratio) / 2:g}‖w‖²)"
        )
    logl = np.log10(lams)
    k = round(marker * (len(lams) - 1))
    nnz = int(np.count_nonzero(np.abs(coefs[k]) > 1e-10))
    series = tuple(
        Series(f"w{j + 1}", _floats(logl), _floats(coefs[:, j])) for j in range(coefs.shape[1])
    )
    name = {"lasso_path": "Lasso", "ridge_path": "Ridge", "elastic_net_path": "Elastic net"}[kind]
    return Figure(
        kind=kind,
        title=f"{name} coefficient path (n={n}, p={X.shape[1]}, seed {seed})",
        xlabel="log10 λ",
        ylabel="coefficient",
        series=series,
        markers=(Marker(f"λ = {lams[k]:.3g}", float(logl[k])),),
        note=(
            f"minimises {objective}; at λ = {lams[k]:.3g}: {nnz} of {X.shape[1]} "
            "coefficients non-zero"
            + ("" if kind != "ridge_path" else " (ridge shrinks, never zeroes)")
        ),
        params={"seed": seed, "marker": marker, "l1_ratio": l1_ratio},
    )


def lasso_path_figure(seed: int = 0, marker: float = 0.5) -> Figure:
    """Lasso coefficients against log λ (exact homotopy path): they hit zero one by one."""
    return _path_figure("lasso_path", seed, marker, 1.0)


def ridge_path_figure(seed: int = 0, marker: float = 0.5) -> Figure:
    """Ridge coefficients against log λ: all shrink smoothly, none reaches zero."""
    return _path_figure("ridge_path", seed, marker, 0.0)


def elastic_net_path_figure(seed: int = 0, marker: float = 0.5, l1_ratio: float = 0.5) -> Figure:
    if not 0.0 < l1_ratio <= 1.0:
        raise UsageError("l1_ratio must be in (0, 1] for an elastic-net path")
    return _path_figure("elastic_net_path", seed, marker, l1_ratio)


def _ball(penalty: str, t: float, l1_ratio: float, m: int = 241) -> tuple[Any, Any]:
    """The boundary of {w : penalty(w) ≤ t} in 2-D, by its radius along each direction."""
    import numpy as np

    theta = np.linspace(0.0, 2.0 * np.pi, m)
    c, s = np.cos(theta), np.sin(theta)
    a1 = np.abs(c) + np.abs(s)  # ‖u‖₁ of the unit direction u
    if penalty == "l1":
        rad = t / a1
    elif penalty == "l2":
        rad = np.full_like(theta, t)
    else:  # r·ρ·a1 + (1 − r)/2·ρ² = t, the positive root
        r = l1_ratio
        q = (1.0 - r) / 2.0
        rad = t / (r * a1) if q == 0 else (-r * a1 + np.sqrt((r * a1) ** 2 + 4 * q * t)) / (2 * q)
    return rad * c, rad * s


def constraint_regions_figure(seed: int = 0, penalty: str = "l1", l1_ratio: float = 0.5) -> Figure:
    """The constraint region, the least-squares contours and where they first touch.

    Two correlated features; the penalised solution w* at a λ chosen on the solvers' own path
    where the lasso has exactly one non-zero. Penalised and constrained forms agree when the
    ball's size is the penalty of w*, so the ball is drawn at t = penalty(w*) and the contour
    through w* is the loss level L(w*): it touches the ball exactly at w*.
    """
    import numpy as np

    from solvers.elastic_net import elastic_net_fit, elastic_net_path
    from solvers.l2 import ridge_closed_form

    if penalty not in ("l1", "l2", "elastic_net"):
        raise UsageError("penalty must be l1, l2 or elastic_net")
    if not 0.0 < l1_ratio < 1.0 and penalty == "elastic_net":
        raise UsageError("l1_ratio must be strictly between 0 and 1 for elastic_net")
    rng = np.random.default_rng(seed)
    n = 80
    z = rng.standard_normal((n, 2))
    X = np.column_stack([z[:, 0], 0.6 * z[:, 0] + 0.8 * z[:, 1]])
    w_true = np.array([1.6 + 0.4 * rng.random(), 0.5 + 0.3 * rng.random()])
    y = X @ w_true + 0.3 * rng.standard_normal(n)
    w_ols = np.linalg.lstsq(X, y, rcond=None)[0]
    lams, coefs = elastic_net_path(X, y, 1.0, n_lams=200, eps=1e-3, tol=1e-12)
    one = np.flatnonzero(np.count_nonzero(np.abs(coefs) > 1e-12, axis=1) == 1)
    lam = float(lams[one[len(one) // 2]]) if one.size else float(lams[len(lams) // 3])
    if penalty == "l1":
        w = np.asarray(elastic_net_fit(X, y, lam, 1.0, tol=1e-12).coef)
        t = float(np.abs(w).sum())
        label = f"‖w‖₁ ≤ {t:.3g}"
    elif penalty == "l2":
        # Ridge in sklearn's scale: ‖y − Xw‖² + α‖w‖², α = 2nλ matches the lasso's (1/2n) form.
        w = ridge_closed_form(X, y, 2 * n * lam)
        t = float(np.sqrt(w @ w))
        label = f"‖w‖₂ ≤ {t:.3g}"
    else:
        w = np.asarray(elastic_net_fit(X, y, lam, l1_ratio, tol=1e-12).coef)
        t = float(l1_ratio * np.abs(w).sum() + (1 - l1_ratio) / 2 * (w @ w))
        label = f"{l1_ratio:g}‖w‖₁ + {(1 - l1_ratio) / 2:g}‖w‖² ≤ {t:.3g}"
    bx, by = _ball(penalty, t, l1_ratio)
    # Loss contours: (w − ŵ)ᵀ XᵀX (w − ŵ) = level − RSS(ŵ), an ellipse around the OLS point.
    gram = X.T @ X
    evals, evecs = np.linalg.eigh(gram)
    rss = lambda v: float(np.sum((y - X @ v) ** 2))  # noqa: E731
    touch = rss(w) - rss(w_ols)
    theta = np.linspace(0.0, 2 * np.pi, 241)
    series = [Series(label, _floats(bx), _floats(by))]
    for frac, name in ((0.25, "loss contour"), (1.0, "contour through w*")):
        delta = max(touch * frac, 1e-12)
        circle = np.stack([np.cos(theta), np.sin(theta)])
        pts = w_ols[:, None] + evecs @ (np.sqrt(delta / evals)[:, None] * circle)
        series.append(Series(name, _floats(pts[0]), _floats(pts[1])))
    series.append(Series("least squares ŵ", (float(w_ols[0]),), (float(w_ols[1]),), "scatter"))
    series.append(Series("solution w*", (float(w[0]),), (float(w[1]),), "scatter"))
    on_axis = bool(np.min(np.abs(w)) < 1e-9)
    where = (
        "on a corner of the ball (w₂ = 0: a sparse solution)"
        if on_axis
        else "on a smooth part of the ball (both coefficients non-zero)"
    )
    return Figure(
        kind="constraint_regions",
        title=f"{penalty} ball and least-squares contours (seed {seed})",
        xlabel="w1",
        ylabel="w2",
        series=tuple(series),
        note=f"w* = ({w[0]:.3g}, {w[1]:.3g}) lies {where}; ŵ = ({w_ols[0]:.3g}, {w_ols[1]:.3g})",
        equal_axes=True,
        params={"seed": seed, "penalty": penalty, "l1_ratio": l1_ratio},
    )


def early_stopping_figure(seed: int = 0, patience: int = 10) -> Figure:
    """Train and validation loss of gradient descent on an over-parameterised regression."""
    import numpy as np

    from solvers.early_stopping import train_with_early_stopping

    if patience < 1:
        raise UsageError("patience must be at least 1")
    rng = np.random.default_rng(seed)
    n, p = 30, 30  # as many features as training rows: gradient descent overfits visibly
    X = rng.standard_normal((2 * n, p))
    w = np.zeros(p)
    w[:5] = rng.standard_normal(5) * 3
    y = X @ w + 2.0 * rng.standard_normal(2 * n)
    # Patience runs past the stop so the curve shows what early stopping avoided.
    hist = train_with_early_stopping(
        X[:n], y[:n], X[n:], y[n:], lr=0.05, max_epochs=150, patience=10**6
    )
    from solvers.early_stopping import early_stopping

    best, stop = early_stopping(hist.val_losses, patience)
    epochs = _floats(range(len(hist.val_losses)))
    return Figure(
        kind="early_stopping",
        title=f"Early stopping: train vs validation loss (seed {seed})",
        xlabel="epoch",
        ylabel="mean squared error",
        series=(
            Series("train", epochs, _floats(hist.train_losses)),
            Series("validation", epochs, _floats(hist.val_losses)),
        ),
        markers=(Marker(f"best epoch {best}", float(best)), Marker(f"stop {stop}", float(stop))),
        note=(
            f"patience {patience}: the best validation loss {hist.val_losses[best]:.3g} is at "
            f"epoch {best}; training stops at epoch {stop} and restores the epoch-{best} weights"
        ),
        params={"seed": seed, "patience": patience},
    )


def dropout_mask_figure(seed: int = 0, p: float = 0.5, rows: int = 8, cols: int = 24) -> Figure:
    """One inverted-dropout mask (0 = dropped, 1/(1−p) = kept) and the kept share per row."""
    import numpy as np

    from solvers.dropout import dropout_mask

    if not 0.0 <= p < 1.0:
        raise UsageError("p (the drop probability) must be in [0, 1)")
    if not (1 <= rows <= 40 and 1 <= cols <= 80):
        raise UsageError("rows must be 1..40 and cols 1..80")
    mask = dropout_mask((rows, cols), p, np.random.default_rng(seed))
    kept = float(np.count_nonzero(mask) / mask.size)
    per_row = np.count_nonzero(mask, axis=1) / cols
    return Figure(
        kind="dropout_mask",
        title=f"Dropout mask, p = {p:g} (seed {seed})",
        xlabel="row",
        ylabel="share kept",
        series=(
            Series("kept share per row", _floats(range(rows)), _floats(per_row), "bar"),
            Series(f"1 − p = {1 - p:g}", (0.0, float(rows - 1)), (1 - p, 1 - p)),
        ),
        grid=tuple(_floats(r) for r in mask),
        note=(
            f"{kept:.0%} of {mask.size} units kept (expected {1 - p:.0%}); kept units are "
            f"scaled by 1/(1−p) = {1 / (1 - p):.3g} so E[output] = input"
        ),
        params={"seed": seed, "p": p, "rows": rows, "cols": cols},
    )


def dropout_kept_figure(seed: int = 0, p: float = 0.5, units: int = 100) -> Figure:
    """How many of `units` survive dropout, over 2,000 draws, against Binomial(units, 1−p)."""
    import numpy as np

    from solvers.dropout import dropout_mask

    if not 0.0 <= p < 1.0:
        raise UsageError("p (the drop probability) must be in [0, 1)")
    if not 1 <= units <= 10_000:
        raise UsageError("units must be 1..10000")
    draws = 2000
    masks = dropout_mask((draws, units), p, np.random.default_rng(seed))
    counts = np.count_nonzero(masks, axis=1)
    values, freq = np.unique(counts, return_counts=True)
    k = np.arange(units + 1)
    logpmf = (
        np.array(
            [math.lgamma(units + 1) - math.lgamma(i + 1) - math.lgamma(units - i + 1) for i in k]
        )
        + k * math.log(max(1 - p, 1e-300))
        + (units - k) * (math.log(p) if p > 0 else -math.inf)
    )
    if p == 0:
        logpmf = np.where(k == units, 0.0, -np.inf)
    pmf = np.exp(logpmf) * draws
    lo, hi = int(values.min()), int(values.max())
    return Figure(
        kind="dropout_kept",
        title=f"Units kept out of {units}, p = {p:g}, {draws} draws (seed {seed})",
        xlabel="units kept",
        ylabel="draws",
        series=(
            Series("observed", _floats(values), _floats(freq), "bar"),
            Series("Binomial(n, 1−p) expected", _floats(k[lo : hi + 1]), _floats(pmf[lo : hi + 1])),
        ),
        markers=(Marker(f"mean n(1−p) = {units * (1 - p):g}", units * (1 - p)),),
        note=(
            f"mean kept {counts.mean():.2f} (expected {units * (1 - p):g}), sd {counts.std():.2f} "
            f"(expected √(n·p(1−p)) = {math.sqrt(units * p * (1 - p)):.2f})"
        ),
        params={"seed": seed, "p": p, "units": units},
    )


def dropout_variance_figure(seed: int = 0) -> Figure:
    """Dropout's variance shift: the training-mode variance of a unit exceeds the eval one,
    which is why batch norm after dropout sees other statistics at test time."""
    import numpy as np

    from solvers.dropout import dropout_forward

    rng = np.random.default_rng(seed)
    x = 1.0 + rng.standard_normal(20_000)  # E[x] = 1, Var[x] = 1
    ps = np.round(np.linspace(0.0, 0.8, 9), 2)
    measured, formula = [], []
    ex2 = float(np.mean(x**2))
    var_eval = float(np.var(x))
    for p in ps:
        out, _ = dropout_forward(x, float(p), True, rng)
        measured.append(float(np.var(out)) / var_eval)
        # Var[x·m] = E[x²]·E[m²] − E[x]²·E[m]² with E[m] = 1, E[m²] = 1/(1−p).
        formula.append((ex2 / (1 - p) - float(np.mean(x)) ** 2) / var_eval)
    return Figure(
        kind="dropout_variance",
        title=f"Variance shift of dropout (x ~ N(1, 1), seed {seed})",
        xlabel="drop probability p",
        ylabel="Var(train) / Var(eval)",
        series=(
            Series("measured (dropout_forward)", _floats(ps), _floats(measured), "scatter"),
            Series("(E[x²]/(1−p) − E[x]²)/Var[x]", _floats(ps), _floats(formula)),
        ),
        note=(
            "at eval dropout is the identity, so a batch norm placed after it normalises with "
            "running statistics that no longer fit (Li et al. 2019, 'variance shift')"
        ),
        params={"seed": seed},
    )


def forgetting_curve_figure(
    seed: int = 0, stability: float = 10.0, days: int = 60, retention: float = 0.9
) -> Figure:
    """FSRS-6 predicted recall over the days after a review, from the `fsrs` package itself."""
    import datetime as dt

    from fsrs import Card, Scheduler, State

    if not 0.01 <= stability <= 36500:
        raise UsageError("stability must be between 0.01 and 36500 days")
    if not 1 <= days <= 3650:
        raise UsageError("days must be 1..3650")
    if not 0.5 <= retention < 1.0:
        raise UsageError("retention must be in [0.5, 1)")
    scheduler = Scheduler(desired_retention=retention)
    start = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    card = Card(state=State.Review, stability=stability, difficulty=5.0, last_review=start)
    step = max(days / 120, 1 / 24)
    xs, rs = [], []
    t = 0.0
    while t <= days + 1e-9:
        xs.append(t)
        rs.append(float(scheduler.get_card_retrievability(card, start + dt.timedelta(days=t))))
        t += step
    # The interval FSRS schedules is where recall falls to the desired retention.
    due = next((x for x, r in zip(xs, rs, strict=True) if r < retention), None)
    at_s = float(scheduler.get_card_retrievability(card, start + dt.timedelta(days=stability)))
    markers = (Marker(f"recall = {retention:g}", due),) if due is not None else ()
    return Figure(
        kind="forgetting_curve",
        title=f"FSRS forgetting curve, stability {stability:g} days",
        xlabel="days since review",
        ylabel="predicted recall",
        series=(Series("retrievability", _floats(xs), _floats(rs)),),
        markers=markers,
        note=(
            f"recall {rs[0]:.2f} just after review; stability {stability:g} d means recall "
            f"{at_s:.2f} after {stability:g} days"
        ),
        params={"seed": seed, "stability": stability, "days": days, "retention": retention},
    )


def workload_figure(workload: Any, desired_retention: float | None = None) -> Figure:
    """Reviews and minutes per day against desired retention, from the FSRS simulator's run on
    the user's own cards and parameters (`quizapp.workload`); not a seeded kind: it needs data."""
    rows = list(workload.rows)
    xs = _floats(r.desired_retention for r in rows)
    markers: tuple[Marker, ...] = ()
    if desired_retention is not None and rows:
        markers = (Marker(f"your setting {desired_retention:.0%}", float(desired_retention)),)
    return Figure(
        kind="workload",
        title=f"Workload by desired retention ({workload.cards} cards, {workload.days} days)",
        xlabel="desired retention",
        ylabel="per day",
        series=(
            Series("reviews per day", xs, _floats(r.reviews_per_day for r in rows)),
            Series("minutes per day", xs, _floats(r.minutes_per_day for r in rows)),
        ),
        markers=markers,
        note=(
            f"FSRS simulator with {workload.parameters} parameters; the cost of the last few "
            "points of retention grows steeply"
        ),
        params={"cards": workload.cards, "days": workload.days},
    )


def readiness_figure(plan: Any) -> Figure:
    """Predicted readiness on the interview date after each planned day (`quizapp.planning`)."""
    curve = list(plan.curve) or [float(plan.readiness)]
    days = _floats(range(1, len(curve) + 1))
    return Figure(
        kind="readiness",
        title=f"Readiness on {plan.interview.isoformat()} ({plan.days_left} days left)",
        xlabel="days of the plan followed",
        ylabel="mean predicted recall on the date",
        series=(
            Series("if you follow the plan", days, _floats(curve)),
            Series("if you stop now", (days[0], days[-1]), (plan.readiness, plan.readiness)),
        ),
        note=(
            f"readiness {plan.readiness:.0%} now, {plan.planned_readiness:.0%} on the day with "
            "the plan (unseen cards count 0)"
        ),
        params={"days_left": plan.days_left},
    )


KINDS: dict[str, FigureKind] = {
    k.name: k
    for k in (
        FigureKind(
            "lasso_path",
            "lasso coefficients against log λ; a movable λ marker and the non-zero count",
            lasso_path_figure,
            {"marker": (float, 0.5)},
        ),
        FigureKind(
            "ridge_path",
            "ridge coefficients against log λ: shrinkage without zeros",
            ridge_path_figure,
            {"marker": (float, 0.5)},
        ),
        FigureKind(
            "elastic_net_path",
            "elastic-net coefficients against log λ",
            elastic_net_path_figure,
            {"marker": (float, 0.5), "l1_ratio": (float, 0.5)},
        ),
        FigureKind(
            "constraint_regions",
            "L1 / L2 / elastic-net ball, least-squares contours and the constrained solution",
            constraint_regions_figure,
            {"penalty": (str, "l1"), "l1_ratio": (float, 0.5)},
        ),
        FigureKind(
            "early_stopping",
            "train and validation curves, best epoch and stop epoch marked",
            early_stopping_figure,
            {"patience": (int, 10)},
        ),
        FigureKind(
            "dropout_mask",
            "one dropout mask as a grid, and the kept share per row",
            dropout_mask_figure,
            {"p": (float, 0.5), "rows": (int, 8), "cols": (int, 24)},
        ),
        FigureKind(
            "dropout_kept",
            "distribution of kept units over many draws vs the binomial",
            dropout_kept_figure,
            {"p": (float, 0.5), "units": (int, 100)},
        ),
        FigureKind(
            "dropout_variance",
            "the variance shift of dropout (why dropout before batch norm misbehaves)",
            dropout_variance_figure,
            {},
        ),
        FigureKind(
            "forgetting_curve",
            "FSRS predicted recall after a review for a given stability",
            forgetting_curve_figure,
            {"stability": (float, 10.0), "days": (int, 60), "retention": (float, 0.9)},
        ),
    )
}

# `quizapp example KIND --plot`: the figure of the problem each worked example is about.
EXAMPLE_FIGURES: dict[str, tuple[str, dict[str, Any]]] = {
    "l1_penalty": ("constraint_regions", {"penalty": "l1"}),
    "l2_penalty": ("constraint_regions", {"penalty": "l2"}),
    "elastic_net_penalty": ("constraint_regions", {"penalty": "elastic_net"}),
    "soft_threshold": ("lasso_path", {}),
    "lasso_coordinate_update": ("lasso_path", {}),
    "lasso_lambda_max": ("lasso_path", {"marker": 0.0}),
    "ridge_2x2": ("ridge_path", {}),
    "dropout_forward_mask": ("dropout_mask", {}),
    "dropout_expected_value": ("dropout_kept", {}),
    "early_stopping_trace": ("early_stopping", {}),
    "batch_norm_eval": ("dropout_variance", {}),
}


def parse_params(kind: str, pairs: Mapping[str, Any]) -> dict[str, Any]:
    """Check and convert a kind's parameters (from the CLI's key=value or a deck's mapping)."""
    spec = _kind(kind).params
    out: dict[str, Any] = {}
    for key, raw in pairs.items():
        if key == "seed":
            continue
        if key not in spec:
            allowed = ", ".join(sorted(spec)) or "none"
            raise UsageError(f"figure {kind!r} has no parameter {key!r} (parameters: {allowed})")
        typ = spec[key][0]
        try:
            if typ is int and (
                isinstance(raw, bool) or (isinstance(raw, float) and not raw.is_integer())
            ):
                raise ValueError
            value = typ(raw)
        except (TypeError, ValueError):
            raise UsageError(
                f"figure {kind!r}: {key} must be {typ.__name__}, got {raw!r}"
            ) from None
        if isinstance(value, float) and not math.isfinite(value):
            raise UsageError(f"figure {kind!r}: {key} must be finite")
        out[key] = value
    return out


def _kind(kind: str) -> FigureKind:
    entry = KINDS.get(kind)
    if entry is None:
        raise UsageError(
            f"unknown figure kind {kind!r}; one of: {', '.join(KINDS)} "
            "(see `quizapp figure --list`)"
        )
    return entry


def build(kind: str, seed: int = 0, **params: Any) -> Figure:
    """The figure of `kind` for `seed`, every number computed by the solvers."""
    entry = _kind(kind)
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed < 2**32:
        raise UsageError(f"seed must be an integer in 0..{2**32 - 1}, got {seed!r}")
    return entry.build(seed, **parse_params(kind, params))
