"""Worked numeric examples: seeded problems with step-by-step solutions.

Each kind draws small, hand-computable numbers from `numpy.random.default_rng(seed)` (same
seed → same example) and computes every step's value with the solver functions of this
package, so a worked solution can never disagree with the reference implementation. Where
sources use another convention (½ on L2, 1/(2n) in the lasso, Elastic Net without ½), the
problem states which one it uses.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from solvers.augmentation import mixup
from solvers.constraints import max_norm, spectral_norm, spectral_norm_sigma
from solvers.dropout import classic_dropout_forward, dropout_forward
from solvers.early_stopping import EarlyStopping, early_stopping
from solvers.elastic_net import elastic_net_penalty, lambda_max
from solvers.l1 import l1_penalty, l1_subgradient, soft_threshold
from solvers.l2 import l2_gradient, l2_penalty, ridge_closed_form
from solvers.losses import label_smoothing_cross_entropy, log_softmax, smoothed_targets
from solvers.normalization import batch_norm_forward
from solvers.optimizers import adam_step, adamw_step, sgd_step

__all__ = ["KINDS", "ExampleKind", "Step", "WorkedExample", "generate", "list_kinds"]

Value = float | list[float] | list[list[float]] | None


@dataclass(frozen=True)
class Step:
    """One sentence of a worked solution and the value(s) it produces."""

    text: str
    value: Value


@dataclass(frozen=True)
class WorkedExample:
    kind: str
    seed: int
    problem: str
    steps: tuple[Step, ...]
    answer: float | list[float]
    tolerance: float  # relative tolerance used by is_correct
    answer_format: str

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: plain floats and lists only."""
        return {
            "kind": self.kind,
            "seed": self.seed,
            "problem": self.problem,
            "steps": [{"text": s.text, "value": s.value} for s in self.steps],
            "answer": self.answer,
            "tolerance": self.tolerance,
            "answer_format": self.answer_format,
        }

    def is_correct(self, given: float | Sequence[float]) -> bool:
        """True when `given` has the answer's shape and matches it within the tolerance.

        rtol = tolerance, atol = tolerance·1e-3 (so an exact 0 accepts |given| ≤ 1e-6 at the
        usual 1e-3); non-numeric or non-finite input is simply wrong, never an error.
        """
        try:
            g = np.asarray(given, dtype=np.float64)
        except (TypeError, ValueError):
            return False
        a = np.asarray(self.answer, dtype=np.float64)
        if g.shape != a.shape or not np.isfinite(g).all():
            return False
        return bool(np.allclose(g, a, rtol=self.tolerance, atol=self.tolerance * 1e-3))


@dataclass(frozen=True)
class ExampleKind:
    name: str
    title: str
    description: str
    topic: str
    generate: Callable[[int], WorkedExample]


KINDS: dict[str, ExampleKind] = {}


def generate(kind: str, seed: int) -> WorkedExample:
    """The worked example of `kind` for `seed` (a non-negative integer)."""
    entry = KINDS.get(kind)
    if entry is None:
        raise ValueError(f"unknown example kind {kind!r}; see `quizapp example --list`")
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed!r}")
    return entry.generate(int(seed))


def list_kinds() -> list[ExampleKind]:
    return list(KINDS.values())


# --------------------------------------------------------------------------- formatting


def _clean(x: float) -> float:
    """Drop float noise (0.1 + 0.2) so values read as a person would write them."""
    y = float(f"{float(x):.12g}")
    return 0.0 if y == 0.0 else y


def _num(x: float) -> str:
    """6 significant digits, trailing zeros dropped, a real minus sign."""
    s = f"{_clean(x):.6g}"
    if "e" in s:
        mant, exp = s.split("e")
        s = f"{mant}e{int(exp)}"
    return s.replace("-", "−")


def _par(x: float) -> str:
    """A number as a factor or subtrahend: negatives in parentheses, 2·(−4) not 2·−4."""
    s = _num(x)
    return f"({s})" if s.startswith("−") else s


def _sq(x: float) -> str:
    """x squared, written so that a negative base reads as one: (−2.5)², never −2.5²."""
    return f"{_par(x)}²"


def _vec(v: Any) -> str:
    return "[" + ", ".join(_num(x) for x in np.ravel(v)) + "]"


def _mat(m: Any) -> str:
    return "[" + "; ".join(_vec(row) for row in np.atleast_2d(m)) + "]"


def _val(x: Any) -> Value:
    arr = np.asarray(x, dtype=np.float64)
    if arr.ndim == 0:
        return _clean(float(arr))
    if arr.ndim == 1:
        return [_clean(v) for v in arr.tolist()]
    return [[_clean(v) for v in row] for row in arr.reshape(arr.shape[0], -1).tolist()]


def _answer(x: Any) -> float | list[float]:
    arr = np.asarray(x, dtype=np.float64)
    if arr.ndim == 0:
        return _clean(float(arr))
    return [_clean(v) for v in arr.ravel().tolist()]


def _sum_text(terms: Any, total: float) -> str:
    return " + ".join(_num(t) for t in np.ravel(terms)) + f" = {_num(total)}"


def _vector_format(n: int) -> str:
    return f"a vector of {n} numbers"


def _kind(
    name: str, title: str, topic: str, description: str
) -> Callable[
    [Callable[[np.random.Generator, int], WorkedExample]], Callable[[int], WorkedExample]
]:
    """Register a generator taking (rng, seed); the registry hands it a fresh rng per seed."""

    def deco(
        fn: Callable[[np.random.Generator, int], WorkedExample],
    ) -> Callable[[int], WorkedExample]:
        def gen(seed: int) -> WorkedExample:
            return fn(np.random.default_rng([seed, len(name), *map(ord, name)]), seed)

        KINDS[name] = ExampleKind(name, title, description, topic, gen)
        return gen

    return deco


def _weights(rng: np.random.Generator, n: int = 4, zero: bool = True) -> np.ndarray:
    """Multiples of 0.1 in [−2, 2] (at least one exact zero when asked)."""
    w = rng.integers(-20, 21, size=n) / 10.0
    if zero:
        w[rng.integers(n)] = 0.0
    return w


def _choice(rng: np.random.Generator, options: Sequence[float]) -> float:
    return float(options[int(rng.integers(len(options)))])


_LAMS = (0.01, 0.05, 0.1, 0.2, 0.5, 1.0)


# --------------------------------------------------------------------------- penalties


@_kind("l1_penalty", "L1 penalty", "l1", "lam·Σ|w| for a small weight vector")
def _l1_penalty(rng: np.random.Generator, seed: int) -> WorkedExample:
    w = _weights(rng)
    lam = _choice(rng, _LAMS)
    absw = np.abs(w)
    norm1 = l1_penalty(w, 1.0)
    ans = l1_penalty(w, lam)
    return WorkedExample(
        "l1_penalty",
        seed,
        f"w = {_vec(w)}, λ = {_num(lam)}. What is the L1 penalty λ·‖w‖₁ = λ·Σ|w_j|?",
        (
            Step(f"Absolute values: |w| = {_vec(absw)}", _val(absw)),
            Step(f"‖w‖₁ = {_sum_text(absw, norm1)}", _val(norm1)),
            Step(f"λ·‖w‖₁ = {_num(lam)} × {_num(norm1)} = {_num(ans)}", _val(ans)),
        ),
        _answer(ans),
        1e-3,
        "a number",
    )


@_kind("l2_penalty", "L2 penalty", "l2", "lam·Σw² (no ½) for a small weight vector")
def _l2_penalty(rng: np.random.Generator, seed: int) -> WorkedExample:
    w = _weights(rng)
    lam = _choice(rng, _LAMS)
    sq = np.square(w)
    norm2 = l2_penalty(w, 1.0)
    ans = l2_penalty(w, lam)
    return WorkedExample(
        "l2_penalty",
        seed,
        f"w = {_vec(w)}, λ = {_num(lam)}. What is the L2 penalty λ·‖w‖² = λ·Σw_j² (no ½ in front)?",
        (
            Step(f"Squares: w² = {_vec(sq)}", _val(sq)),
            Step(f"‖w‖² = {_sum_text(sq, norm2)}", _val(norm2)),
            Step(f"λ·‖w‖² = {_num(lam)} × {_num(norm2)} = {_num(ans)}", _val(ans)),
            Step(
                f"Convention check: with ½·λ·‖w‖² (common in textbooks) it would be "
                f"{_num(0.5 * ans)}.",
                _val(0.5 * ans),
            ),
        ),
        _answer(ans),
        1e-3,
        "a number",
    )


@_kind(
    "elastic_net_penalty",
    "Elastic Net penalty",
    "elastic_net",
    "scikit-learn's lam·(r‖w‖₁ + ½(1−r)‖w‖²), with source 002's form for contrast",
)
def _elastic_net_penalty(rng: np.random.Generator, seed: int) -> WorkedExample:
    w = _weights(rng)
    lam = _choice(rng, (0.1, 0.2, 0.5, 1.0))
    r = _choice(rng, (0.2, 0.25, 0.5, 0.75, 0.8))
    n1 = l1_penalty(w, 1.0)
    n2 = l2_penalty(w, 1.0)
    l1_part = r * n1
    l2_part = 0.5 * (1 - r) * n2
    ans = elastic_net_penalty(w, lam, r)
    alt = lam * (r * n1 + (1 - r) * n2)
    return WorkedExample(
        "elastic_net_penalty",
        seed,
        f"w = {_vec(w)}, λ = {_num(lam)}, l1_ratio r = {_num(r)}. What is the Elastic Net "
        "penalty in scikit-learn's form λ·(r·‖w‖₁ + ½·(1 − r)·‖w‖²)?",
        (
            Step(f"‖w‖₁ = {_sum_text(np.abs(w), n1)}", _val(n1)),
            Step(f"‖w‖² = {_sum_text(np.square(w), n2)}", _val(n2)),
            Step(
                f"r·‖w‖₁ = {_num(r)} × {_num(n1)} = {_num(l1_part)}; "
                f"½·(1 − r)·‖w‖² = {_num(0.5 * (1 - r))} × {_num(n2)} = {_num(l2_part)}",
                _val([l1_part, l2_part]),
            ),
            Step(
                f"λ × ({_num(l1_part)} + {_num(l2_part)}) = {_num(lam)} × "
                f"{_num(l1_part + l2_part)} = {_num(ans)}",
                _val(ans),
            ),
            Step(
                f"Source 002 writes the mix without the ½, λ·(r‖w‖₁ + (1 − r)‖w‖²): that "
                f"would give {_num(alt)} — a different penalty; quizapp uses scikit-learn's.",
                _val(alt),
            ),
        ),
        _answer(ans),
        1e-3,
        "a number",
    )


@_kind("l1_subgradient", "L1 subgradient", "l1", "lam·sign(w), choosing 0 at w = 0")
def _l1_subgradient(rng: np.random.Generator, seed: int) -> WorkedExample:
    w = _weights(rng)
    lam = _choice(rng, _LAMS)
    sgn = l1_subgradient(w, 1.0)
    ans = l1_subgradient(w, lam)
    return WorkedExample(
        "l1_subgradient",
        seed,
        f"w = {_vec(w)}, λ = {_num(lam)}. Give the subgradient of λ·‖w‖₁ that takes 0 where "
        "w_j = 0 (any value in [−λ, λ] is a valid subgradient there).",
        (
            Step(
                f"sign(w) = {_vec(sgn)} (sign(0) = 0 picks the minimum-norm subgradient)", _val(sgn)
            ),
            Step(f"λ·sign(w) = {_num(lam)} × {_vec(sgn)} = {_vec(ans)}", _val(ans)),
        ),
        _answer(ans),
        1e-3,
        _vector_format(w.size),
    )


@_kind("l2_gradient", "L2 gradient", "l2", "∇ of lam·Σw² is 2·lam·w (the 2 people forget)")
def _l2_gradient(rng: np.random.Generator, seed: int) -> WorkedExample:
    w = _weights(rng, zero=False)
    lam = _choice(rng, _LAMS)
    ans = l2_gradient(w, lam)
    return WorkedExample(
        "l2_gradient",
        seed,
        f"w = {_vec(w)}, λ = {_num(lam)}. What is the gradient of the penalty λ·Σw_j² (no ½)?",
        (
            Step("d/dw_j (λ·w_j²) = 2·λ·w_j, coordinate by coordinate", None),
            Step(f"2·λ = {_num(2 * lam)}", _val(2 * lam)),
            Step(f"2·λ·w = {_num(2 * lam)} × {_vec(w)} = {_vec(ans)}", _val(ans)),
            Step(
                f"With ½·λ·Σw² the gradient would be λ·w = {_vec(l2_gradient(w, lam / 2))}",
                _val(l2_gradient(w, lam / 2)),
            ),
        ),
        _answer(ans),
        1e-3,
        _vector_format(w.size),
    )


# --------------------------------------------------------------------------- optimisation


@_kind(
    "sgd_weight_decay_step",
    "SGD step with weight decay",
    "l2",
    "one PyTorch SGD step: w ← w − lr·(grad + wd·w)",
)
def _sgd_weight_decay_step(rng: np.random.Generator, seed: int) -> WorkedExample:
    w = _weights(rng, 3, zero=False)
    grad = rng.integers(-10, 11, size=3) / 10.0
    lr = _choice(rng, (0.1, 0.5, 1.0))
    wd = _choice(rng, (0.01, 0.05, 0.1, 0.2))
    decay = wd * w
    total = grad + decay
    ans, _ = sgd_step(w, grad, lr, weight_decay=wd)
    return WorkedExample(
        "sgd_weight_decay_step",
        seed,
        f"w = {_vec(w)}, gradient of the data loss g = {_vec(grad)}, learning rate "
        f"lr = {_num(lr)}, weight decay wd = {_num(wd)}. One plain SGD step as "
        "torch.optim.SGD does it, w ← w − lr·(g + wd·w). New w?",
        (
            Step(f"wd·w = {_num(wd)} × {_vec(w)} = {_vec(decay)}", _val(decay)),
            Step(f"g + wd·w = {_vec(total)}", _val(total)),
            Step(f"lr·(g + wd·w) = {_vec(lr * total)}", _val(lr * total)),
            Step(f"w − lr·(g + wd·w) = {_vec(ans)}", _val(ans)),
            Step(
                f"Same thing: (1 − lr·wd)·w − lr·g shrinks w by the factor "
                f"{_num(1 - lr * wd)} — the L2 penalty (wd/2)·‖w‖² in the loss.",
                _val(1 - lr * wd),
            ),
        ),
        _answer(ans),
        1e-3,
        _vector_format(w.size),
    )


@_kind(
    "adam_vs_adamw",
    "Adam + L2 vs AdamW",
    "optimizers",
    "first step of Adam with L2 in the gradient vs AdamW's decoupled decay",
)
def _adam_vs_adamw(rng: np.random.Generator, seed: int) -> WorkedExample:
    w0 = _choice(rng, (1.0, 2.0, -2.0, 3.0, -1.0))
    g = _choice(rng, (0.05, -0.05, 0.1, -0.1, 0.02))
    lr = _choice(rng, (0.1, 0.01))
    wd = _choice(rng, (0.1, 0.5, 1.0))
    w = np.array([w0])
    gl2 = g + wd * w0
    adam_w, _ = adam_step(w, np.array([g]), None, lr=lr, weight_decay=wd)
    adamw_w, _ = adamw_step(w, np.array([g]), None, lr=lr, weight_decay=wd)
    decayed = w0 * (1 - lr * wd)
    ans = [float(adam_w[0]), float(adamw_w[0])]
    return WorkedExample(
        "adam_vs_adamw",
        seed,
        f"A single weight w = {_num(w0)} with data gradient g = {_num(g)}, lr = {_num(lr)}, "
        f"weight decay λ = {_num(wd)}, β₁ = 0.9, β₂ = 0.999, eps = 1e−8, fresh optimiser "
        "state (first step). Give w after one step of (a) Adam with L2 in the gradient "
        "(torch.optim.Adam weight_decay) and (b) AdamW (torch.optim.AdamW), as [a, b].",
        (
            Step(f"(a) the gradient includes the decay: g' = g + λ·w = {_num(gl2)}", _val(gl2)),
            Step(
                "At t = 1 the bias-corrected moments are m̂ = g' and v̂ = g'², so the step is "
                f"lr·g'/(|g'| + eps) ≈ lr·sign(g') = {_num(w0 - float(adam_w[0]))}",
                _val(w0 - float(adam_w[0])),
            ),
            Step(
                f"(a) w = {_num(w0)} − {_par(w0 - float(adam_w[0]))} = {_num(ans[0])}", _val(ans[0])
            ),
            Step(f"(b) decay first, outside Adam: (1 − lr·λ)·w = {_num(decayed)}", _val(decayed)),
            Step(f"(b) then Adam on g alone: − lr·sign(g) ⇒ w = {_num(ans[1])}", _val(ans[1])),
            Step(
                "In (a) the decay is divided by √v̂ with the rest of the gradient, so its "
                "size is lost; in (b) it shrinks w by lr·λ·w whatever the gradient scale.",
                None,
            ),
        ),
        _answer(ans),
        1e-3,
        "a vector of 2 numbers: [Adam+L2, AdamW]",
    )


@_kind(
    "soft_threshold", "Soft-thresholding", "l1", "the L1 proximal operator sign(x)·max(|x|−t, 0)"
)
def _soft_threshold(rng: np.random.Generator, seed: int) -> WorkedExample:
    x = _weights(rng, 5, zero=False)
    t = _choice(rng, (0.3, 0.5, 0.8, 1.0))
    shrunk = np.abs(x) - t
    ans = soft_threshold(x, t)
    return WorkedExample(
        "soft_threshold",
        seed,
        f"x = {_vec(x)}, t = {_num(t)}. Apply the soft-thresholding operator "
        "S_t(x) = sign(x)·max(|x| − t, 0) (the proximal operator of t·‖·‖₁) elementwise.",
        (
            Step(f"|x| − t = {_vec(shrunk)}", _val(shrunk)),
            Step(
                f"max(|x| − t, 0) = {_vec(np.maximum(shrunk, 0))} (entries with |x| ≤ t "
                "become exactly 0: this is where L1 sparsity comes from)",
                _val(np.maximum(shrunk, 0)),
            ),
            Step(f"Put the signs back: S_t(x) = {_vec(ans)}", _val(ans)),
        ),
        _answer(ans),
        1e-3,
        _vector_format(x.size),
    )


# --------------------------------------------------------------------------- models


def _small_design(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    while True:
        X = rng.integers(-2, 3, size=(3, 2)).astype(float)
        y = rng.integers(-3, 4, size=3).astype(float)
        if abs(np.linalg.det(X.T @ X)) >= 1.0 and np.any(y):
            return X, y


@_kind("ridge_2x2", "Ridge by hand (2 features)", "l2", "solve (XᵀX + λI)w = Xᵀy for two features")
def _ridge_2x2(rng: np.random.Generator, seed: int) -> WorkedExample:
    X, y = _small_design(rng)
    lam = _choice(rng, (0.5, 1.0, 2.0))
    G = X.T @ X
    A = G + lam * np.eye(2)
    b = X.T @ y
    det = A[0, 0] * A[1, 1] - A[0, 1] * A[1, 0]
    ans = ridge_closed_form(X, y, lam)
    return WorkedExample(
        "ridge_2x2",
        seed,
        f"X = {_mat(X)} (3 samples, 2 features), y = {_vec(y)}, λ = {_num(lam)}. Ridge "
        "without intercept minimises ‖y − Xw‖² + λ‖w‖² (scikit-learn's Ridge, no 1/n). "
        "Give w.",
        (
            Step(f"XᵀX = {_mat(G)}", _val(G)),
            Step(f"A = XᵀX + λI = {_mat(A)}", _val(A)),
            Step(f"Xᵀy = {_vec(b)}", _val(b)),
            Step(
                f"det A = {_par(A[0, 0])}·{_par(A[1, 1])} − {_par(A[0, 1])}·{_par(A[1, 0])} "
                f"= {_num(det)}",
                _val(det),
            ),
            Step(
                f"w = A⁻¹Xᵀy = (1/{_num(det)})·[{_par(A[1, 1])}·{_par(b[0])} − "
                f"{_par(A[0, 1])}·{_par(b[1])}, {_par(A[0, 0])}·{_par(b[1])} − "
                f"{_par(A[1, 0])}·{_par(b[0])}] = {_vec(ans)}",
                _val(ans),
            ),
        ),
        _answer(ans),
        1e-3,
        _vector_format(2),
    )


@_kind(
    "lasso_coordinate_update",
    "One lasso coordinate-descent update",
    "l1",
    "w_j ← S(x_jᵀr_j/n, λ)/(‖x_j‖²/n) with scikit-learn's 1/(2n) objective",
)
def _lasso_coordinate_update(rng: np.random.Generator, seed: int) -> WorkedExample:
    X, y = _small_design(rng)
    n = X.shape[0]
    w = np.array([_choice(rng, (0.0, 0.5, 1.0, -0.5)), _choice(rng, (0.0, 0.5, -1.0))])
    j = int(rng.integers(2))
    k = 1 - j
    lam = _choice(rng, (0.1, 0.2, 0.5))
    partial = y - X[:, k] * w[k]
    rho = float(X[:, j] @ partial) / n
    z = float(X[:, j] @ X[:, j]) / n
    st = float(soft_threshold(np.array([rho]), lam)[0])
    ans = st / z
    return WorkedExample(
        "lasso_coordinate_update",
        seed,
        f"Lasso with scikit-learn's objective (1/(2n))·‖y − Xw‖² + λ‖w‖₁, n = {n}: "
        f"X = {_mat(X)}, y = {_vec(y)}, λ = {_num(lam)}, current w = {_vec(w)}. "
        f"One coordinate-descent update of w_{j + 1} (the other weight held fixed): new w_{j + 1}?",
        (
            Step(
                f"Partial residual without feature {j + 1}: r = y − x_{k + 1}·w_{k + 1} = "
                f"{_vec(partial)}",
                _val(partial),
            ),
            Step(f"ρ = x_{j + 1}ᵀr / n = {_num(rho * n)} / {n} = {_num(rho)}", _val(rho)),
            Step(f"z = ‖x_{j + 1}‖² / n = {_num(z * n)} / {n} = {_num(z)}", _val(z)),
            Step(f"S(ρ, λ) = sign(ρ)·max(|ρ| − λ, 0) = {_num(st)}", _val(st)),
            Step(f"w_{j + 1} = S(ρ, λ) / z = {_num(ans)}", _val(ans)),
        ),
        _answer(ans),
        1e-3,
        "a number",
    )


@_kind(
    "lasso_lambda_max",
    "Smallest λ that zeroes the lasso",
    "l1",
    "λ_max = max_j |x_jᵀy|/n, scikit-learn's 1/(2n) objective",
)
def _lasso_lambda_max(rng: np.random.Generator, seed: int) -> WorkedExample:
    X, y = _small_design(rng)
    n = X.shape[0]
    c = X.T @ y / n
    ans = lambda_max(X, y)
    return WorkedExample(
        "lasso_lambda_max",
        seed,
        f"X = {_mat(X)}, y = {_vec(y)} (n = {n}). For the lasso (1/(2n))·‖y − Xw‖² + λ‖w‖₁, "
        "what is the smallest λ at which w = 0 is the solution?",
        (
            Step("w = 0 is optimal iff |x_jᵀ(y − X·0)|/n ≤ λ for every j (KKT)", None),
            Step(f"Xᵀy / n = {_vec(c)}", _val(c)),
            Step(f"λ_max = max |Xᵀy/n| = {_num(ans)}", _val(ans)),
        ),
        _answer(ans),
        1e-3,
        "a number",
    )


# --------------------------------------------------------------------------- dropout


@_kind(
    "dropout_forward_mask",
    "Inverted dropout forward",
    "dropout",
    "apply a drawn mask with 1/(1−p) scaling; eval mode is the identity",
)
def _dropout_forward_mask(rng: np.random.Generator, seed: int) -> WorkedExample:
    x = _weights(rng, 5, zero=False)
    p = _choice(rng, (0.2, 0.25, 0.5))
    out, mask = dropout_forward(x, p, True, rng)
    keep = (mask > 0).astype(float)
    eval_out, _ = dropout_forward(x, p, False, rng)
    return WorkedExample(
        "dropout_forward_mask",
        seed,
        f"Inverted dropout with drop probability p = {_num(p)} on x = {_vec(x)}. The random "
        f"draw keeps the units marked 1 in {_vec(keep)}. What does the layer output in "
        "training mode?",
        (
            Step(f"Scale for kept units: 1/(1 − p) = {_num(1 / (1 - p))}", _val(1 / (1 - p))),
            Step(f"mask = keep/(1 − p) = {_vec(mask)}", _val(mask)),
            Step(f"out = x·mask = {_vec(out)}", _val(out)),
            Step(
                f"In eval mode the same layer returns x unchanged: {_vec(eval_out)}", _val(eval_out)
            ),
        ),
        _answer(out),
        1e-3,
        _vector_format(x.size),
    )


@_kind(
    "dropout_expected_value",
    "Expected value under dropout",
    "dropout",
    "E and Var of one unit's output, inverted vs classic dropout",
)
def _dropout_expected_value(rng: np.random.Generator, seed: int) -> WorkedExample:
    a = _choice(rng, (1.0, 2.0, 3.0, 4.0, -2.0))
    p = _choice(rng, (0.2, 0.25, 0.5))
    x = np.array([a])
    scale = float(dropout_forward(np.ones(1), p, False, rng)[0][0])  # eval is the identity
    keep_value = a / (1 - p)
    mean = (1 - p) * keep_value + p * 0.0
    var = (1 - p) * keep_value**2 + p * 0.0 - mean**2
    classic_eval, _ = classic_dropout_forward(x, p, False, rng)
    return WorkedExample(
        "dropout_expected_value",
        seed,
        f"A unit outputs a = {_num(a)} and goes through inverted dropout with "
        f"drop probability p = {_num(p)} in training mode. Give [E[out], Var[out]].",
        (
            Step(
                f"out = 0 with probability p = {_num(p)}, else a/(1 − p) = "
                f"{_num(keep_value)} with probability {_num(1 - p)}",
                _val(keep_value),
            ),
            Step(
                f"E[out] = {_num(1 - p)} × {_num(keep_value)} = {_num(mean)} — exactly a, "
                f"which is why eval mode returns a × {_num(scale)}",
                _val(mean),
            ),
            Step(
                f"E[out²] = {_num(1 - p)} × {_sq(keep_value)} = {_num(mean**2 + var)}",
                _val(mean**2 + var),
            ),
            Step(f"Var[out] = E[out²] − E[out]² = {_num(var)} = a²·p/(1 − p)", _val(var)),
            Step(
                f"Classic (non-inverted) dropout keeps a unscaled in training and multiplies by "
                f"1 − p at test time: {_num(float(classic_eval[0]))} — same expectation, "
                "scaling on the other side.",
                _val(classic_eval[0]),
            ),
        ),
        [_clean(mean), _clean(var)],
        1e-3,
        "a vector of 2 numbers: [mean, variance]",
    )


# --------------------------------------------------------------------------- training


@_kind(
    "early_stopping_trace",
    "Early-stopping trace",
    "early_stopping",
    "best and stop epoch from validation losses, patience and min_delta",
)
def _early_stopping_trace(rng: np.random.Generator, seed: int) -> WorkedExample:
    n = int(rng.integers(8, 11))
    losses = np.round(1.0 - np.cumsum(rng.integers(-4, 9, size=n)) / 50.0, 2)
    patience = int(rng.integers(2, 4))
    min_delta = _choice(rng, (0.0, 0.0, 0.01))
    monitor = EarlyStopping(patience, min_delta)
    steps = []
    for epoch, loss in enumerate(losses.tolist()):
        prev_best, prev_best_epoch = monitor.best_loss, monitor.best_epoch
        stop = monitor.step(loss)
        bar = f"{_num(prev_best)} − {_num(min_delta)}" if min_delta else _num(prev_best)
        if monitor.best_epoch == epoch:
            why = (
                "the first epoch sets the best"
                if epoch == 0
                else f"< {bar}: improves, best epoch {epoch}"
            )
        else:
            since = epoch - prev_best_epoch
            why = f"not < {bar}: {since} epoch{'s' if since > 1 else ''} since the last improvement"
        steps.append(Step(f"Epoch {epoch}: loss {_num(loss)}, {why}", _val(loss)))
        if stop:
            steps.append(Step(f"Patience {patience} used up: stop at epoch {epoch}", None))
            break
    best, stop_epoch = early_stopping(losses, patience, min_delta)
    if not monitor.stopped:
        steps.append(
            Step(f"Patience never ran out: training ends at the last epoch {stop_epoch}", None)
        )
    steps.append(
        Step(
            f"Restore the weights of epoch {best}: answer [{best}, {stop_epoch}]",
            _val([best, stop_epoch]),
        )
    )
    return WorkedExample(
        "early_stopping_trace",
        seed,
        f"Validation losses per epoch (0-based): {_vec(losses)}. Early stopping with patience "
        f"{patience} and min_delta {_num(min_delta)}: an epoch improves when its loss < best − "
        "min_delta; training stops at the first epoch that is `patience` epochs after the last "
        "improvement; if patience never runs out, stop_epoch is the last epoch. Give "
        "[best_epoch, stop_epoch] (both 0-based).",
        tuple(steps),
        [float(best), float(stop_epoch)],
        1e-9,
        "a vector of 2 integers: [best_epoch, stop_epoch]",
    )


@_kind(
    "label_smoothing",
    "Label-smoothing cross-entropy",
    "label_smoothing",
    "smoothed targets (1−ε)·onehot + ε/C and the loss, as PyTorch computes it",
)
def _label_smoothing(rng: np.random.Generator, seed: int) -> WorkedExample:
    C = 3
    logits = rng.integers(-2, 4, size=C).astype(float)
    label = int(rng.integers(C))
    eps = _choice(rng, (0.1, 0.2, 0.3))
    q = smoothed_targets([label], C, eps)[0]
    logp = log_softmax(logits)
    terms = -q * logp
    ans = label_smoothing_cross_entropy(logits[None, :], [label], eps)
    return WorkedExample(
        "label_smoothing",
        seed,
        f"Logits z = {_vec(logits)} for 3 classes, true class {label} (0-based), label "
        f"smoothing ε = {_num(eps)} as in PyTorch's CrossEntropyLoss(label_smoothing=ε). "
        "What is the loss (natural log)?",
        (
            Step(
                f"Smoothed target q = (1 − ε)·onehot + ε/C = {_vec(q)} (ε/C also goes to the "
                "true class)",
                _val(q),
            ),
            Step(f"log softmax(z) = z − log Σ e^z = {_vec(logp)}", _val(logp)),
            Step(f"−q·log p per class = {_vec(terms)}", _val(terms)),
            Step(f"Loss = {_sum_text(terms, ans)}", _val(ans)),
        ),
        _answer(ans),
        1e-3,
        "a number",
    )


@_kind(
    "max_norm_rescale",
    "Max-norm constraint",
    "max_norm",
    "rescale each column of W to L2 norm ≤ c (Keras MaxNorm, axis 0)",
)
def _max_norm_rescale(rng: np.random.Generator, seed: int) -> WorkedExample:
    pairs = np.array([[3.0, 4.0], [0.6, 0.8], [1.2, 0.5], [0.0, 2.0], [1.0, 0.0], [0.3, 0.4]])
    cols = pairs[rng.permutation(len(pairs))[:2]].T.copy()
    cols *= np.where(rng.random(cols.shape) < 0.3, -1.0, 1.0)
    c = _choice(rng, (1.0, 1.5, 2.0))
    norms = np.sqrt(np.square(cols).sum(axis=0))
    scale = np.minimum(1.0, c / norms)
    ans = max_norm(cols, c)
    return WorkedExample(
        "max_norm_rescale",
        seed,
        f"W = {_mat(cols)} (rows are inputs, columns are units), max-norm c = {_num(c)}: "
        "rescale every column whose L2 norm exceeds c onto the sphere of radius c. Give the "
        "new W row-major, as [W11, W12, W21, W22].",
        (
            Step(f"Column norms ‖W[:, j]‖₂ = {_vec(norms)}", _val(norms)),
            Step(f"Scale min(1, c/‖W[:, j]‖) = {_vec(scale)}", _val(scale)),
            Step(f"W·scale (column-wise) = {_mat(ans)}", _val(ans)),
        ),
        _answer(ans),
        1e-3,
        "a vector of 4 numbers (the 2×2 matrix, row-major)",
    )


@_kind(
    "batch_norm_eval",
    "Batch norm: train vs eval",
    "normalization",
    "normalise one feature with batch statistics vs running statistics",
)
def _batch_norm_eval(rng: np.random.Generator, seed: int) -> WorkedExample:
    x = rng.integers(0, 7, size=(4, 1)).astype(float)
    while np.all(x == x[0]):
        x = rng.integers(0, 7, size=(4, 1)).astype(float)
    rm = np.array([_choice(rng, (0.0, 1.0, 2.0))])
    rv = np.array([_choice(rng, (1.0, 4.0))])
    one, zero = np.ones(1), np.zeros(1)
    y_train, new_rm, new_rv = batch_norm_forward(x, one, zero, rm, rv, True, eps=1e-5)
    y_eval, _, _ = batch_norm_forward(x, one, zero, rm, rv, False, eps=1e-5)
    mu, var = float(x.mean()), float(x.var())
    return WorkedExample(
        "batch_norm_eval",
        seed,
        f"One feature, batch x = {_vec(x)}, γ = 1, β = 0, eps = 1e−5, running mean "
        f"{_num(rm[0])}, running variance {_num(rv[0])}, momentum 0.1 (PyTorch BatchNorm1d). "
        "Give the EVAL-mode output for the batch.",
        (
            Step(
                f"Training mode would use the batch: mean {_num(mu)}, biased variance "
                f"{_num(var)} → {_vec(y_train)}",
                _val(y_train.ravel()),
            ),
            Step(
                f"…and update running mean → {_num(new_rm[0])}, running variance → "
                f"{_num(new_rv[0])} (unbiased batch variance)",
                _val([new_rm[0], new_rv[0]]),
            ),
            Step(
                f"Eval mode uses the running statistics: (x − {_num(rm[0])})/√({_num(rv[0])}"
                f" + 1e−5) = {_vec(y_eval)}",
                _val(y_eval.ravel()),
            ),
        ),
        _answer(y_eval.ravel()),
        1e-3,
        _vector_format(4),
    )


@_kind(
    "spectral_norm_step",
    "Spectral norm by power iteration",
    "normalization",
    "one power-iteration step for σ_max(W), as torch.nn.utils.spectral_norm does it",
)
def _spectral_norm_step(rng: np.random.Generator, seed: int) -> WorkedExample:
    while True:
        W = rng.integers(-3, 4, size=(2, 2)).astype(float)
        if np.linalg.norm(W, 2) > 0 and np.any(W.T @ np.array([1.0, 0.0])):
            break
    u0 = np.array([1.0, 0.0])
    Wtu = W.T @ u0
    v = Wtu / np.linalg.norm(Wtu)
    Wv = W @ v
    _, u1, sigma = spectral_norm(W, u0, n_power_iterations=1)
    exact = spectral_norm_sigma(W, n_iter=500)
    return WorkedExample(
        "spectral_norm_step",
        seed,
        f"W = {_mat(W)}, start vector u = [1, 0]. One power-iteration step as PyTorch's "
        "spectral_norm does it: v = Wᵀu/‖Wᵀu‖, u = Wv/‖Wv‖, σ̂ = uᵀWv. What is σ̂?",
        (
            Step(f"Wᵀu = {_vec(Wtu)}, ‖Wᵀu‖ = {_num(float(np.linalg.norm(Wtu)))}", _val(Wtu)),
            Step(f"v = Wᵀu/‖Wᵀu‖ = {_vec(v)}", _val(v)),
            Step(f"Wv = {_vec(Wv)}, ‖Wv‖ = {_num(float(np.linalg.norm(Wv)))}", _val(Wv)),
            Step(f"u = Wv/‖Wv‖ = {_vec(u1)}", _val(u1)),
            Step(f"σ̂ = uᵀWv = ‖Wv‖ = {_num(sigma)}", _val(sigma)),
            Step(
                f"The true σ_max(W) is {_num(exact)}: σ̂ never overshoots it, and because u is "
                "carried over between training steps one iteration per step is enough.",
                _val(exact),
            ),
        ),
        _answer(sigma),
        1e-3,
        "a number",
    )


@_kind(
    "mixup_pair",
    "mixup of two examples",
    "augmentation",
    "x̃ = λx₁ + (1−λ)x₂ and the mixed one-hot label",
)
def _mixup_pair(rng: np.random.Generator, seed: int) -> WorkedExample:
    x = rng.integers(-4, 5, size=(2, 3)).astype(float)
    labels = rng.permutation(3)[:2]
    y = np.eye(3)[labels]
    lam = _choice(rng, (0.2, 0.3, 0.6, 0.7, 0.8))
    while True:  # draw until the permutation pairs the two examples (x₁ with x₂)
        x_mix, y_mix, _, perm = mixup(x, y, 1.0, rng, lam=lam)
        if perm[0] == 1:
            break
    return WorkedExample(
        "mixup_pair",
        seed,
        f"mixup with λ = {_num(lam)}: x₁ = {_vec(x[0])} with label {int(labels[0])}, x₂ = "
        f"{_vec(x[1])} with label {int(labels[1])}, 3 classes 0, 1, 2 (0-based labels, "
        "one-hot: label 2 is [0, 0, 1]). Give the mixed input "
        "x̃ = λx₁ + (1 − λ)x₂ followed by the mixed label ỹ = λy₁ + (1 − λ)y₂, as 6 numbers.",
        (
            Step(f"λx₁ = {_vec(lam * x[0])}", _val(lam * x[0])),
            Step(f"(1 − λ)x₂ = {_vec((1 - lam) * x[1])}", _val((1 - lam) * x[1])),
            Step(f"x̃ = {_vec(x_mix[0])}", _val(x_mix[0])),
            Step(
                f"ỹ = {_num(lam)}·{_vec(y[0])} + {_num(1 - lam)}·{_vec(y[1])} = {_vec(y_mix[0])}"
                " — a soft label; train with cross-entropy against it.",
                _val(y_mix[0]),
            ),
        ),
        _answer(np.concatenate([x_mix[0], y_mix[0]])),
        1e-3,
        "a vector of 6 numbers: x̃ (3) then ỹ (3)",
    )
