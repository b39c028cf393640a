"""Tasks beyond PRODUCT.md's table, each backed by a `solvers` reference (some via an adapter
that gives the task a plain-arrays signature)."""

from __future__ import annotations

from typing import Any

from quizapp.grading._bootstrap import Rng
from quizapp.grading.catalog import Case, Task
from quizapp.grading.tasks._common import array, scalar, seeded
from quizapp.grading.tasks.dropout import _wrong
from quizapp.grading.tasks.linear import _cd_compare, _design, _lasso_cases
from quizapp.grading.verdicts import Failure, Verdict

_NUMPY_ONLY = "Use Python and NumPy only (`import numpy as np`). Do not modify the inputs."
_Z_MAX = 6.0


# --- references with a plain-arrays signature -------------------------------------------------


def ref_ridge_with_intercept(X: Any, y: Any, lam: float) -> tuple[Any, float]:
    from solvers.l2 import ridge_fit

    return ridge_fit(X, y, lam, fit_intercept=True)


def ref_adamw_step(
    w: Any,
    grad: Any,
    m: Any,
    v: Any,
    t: int,
    lr: float = 1e-3,
    beta1: float = 0.9,
    beta2: float = 0.999,
    eps: float = 1e-8,
    weight_decay: float = 1e-2,
) -> tuple[Any, Any, Any]:
    from solvers.optimizers import AdamState, adamw_step

    w_new, state = adamw_step(w, grad, AdamState(m, v, t - 1), lr, beta1, beta2, eps, weight_decay)
    return w_new, state.m, state.v


# --- comparators --------------------------------------------------------------------------------


def _array_tuple(names: tuple[str, ...], rtol: float = 1e-6, atol: float = 1e-10) -> Any:
    def compare(got: Any, expected: Any, case: Case) -> Failure | None:
        from quizapp.grading.compare import check_array, check_scalar, unpack_tuple

        values = unpack_tuple(got, len(names))
        if isinstance(values, Failure):
            return values
        for name, g, e in zip(names, values, expected, strict=True):
            if isinstance(e, float):
                failure = check_scalar(g, e, rtol=rtol, atol=atol, what=name)
            else:
                failure = check_array(g, e, rtol=rtol, atol=atol, what=name)
            if failure is not None:
                return failure
        return None

    return compare


# --- ridge with an intercept --------------------------------------------------------------------


def _ridge_intercept_cases() -> list[Case]:
    import numpy as np

    X, y = _design(61, 30, 4)
    cases = [
        Case("offset data", (X, y + 5.0, 1.0)),
        Case("small problem", (np.array([[1.0], [2.0], [3.0]]), np.array([3.0, 5.0, 7.5]), 0.5)),
        Case("lam = 0", (X, y - 2.0, 0.0), group="edge cases"),
        Case("huge lam: w → 0, b → mean(y)", (X, y + 1.0, 1e7), group="edge cases"),
        Case("integer input", (np.array([[1, 2], [3, 1], [4, 4], [0, 2]]), np.array([3, 5, 9, 1]),
                               1.0), group="edge cases"),
    ]  # fmt: skip
    for i in range(2):
        Xr, yr = _design(70 + i, 40, 6)
        cases.append(Case(f"random problem {i + 1}", (Xr, yr + 3 * i, 0.2), group="random"))
    return cases


RIDGE_INTERCEPT = Task(
    id="ridge_with_intercept",
    title="Ridge regression with an unpenalised intercept",
    topic="l2",
    params=("X", "y", "lam"),
    signature="def ridge_with_intercept(X, y, lam) -> tuple[np.ndarray, float]",
    statement="""\
# Ridge regression with an intercept

Return `(w, b)` minimising

```text
    ‖y − b·1 − Xw‖² + λ‖w‖²
```

— the intercept `b` is **not** penalised (scikit-learn's `Ridge(fit_intercept=True)`).
The exact solution centres the data: solve ridge on `X − mean(X)` and `y − mean(y)`, then
`b = mean(y) − mean(X) @ w`. Return `w` of shape (d,) and `b` as a number.

"""
    + _NUMPY_ONLY,
    starter="import numpy as np\n\n\ndef ridge_with_intercept(X, y, lam):\n    ...\n",
    solution=(
        "import numpy as np\n\n\ndef ridge_with_intercept(X, y, lam):\n"
        "    X = np.asarray(X, dtype=float)\n    y = np.asarray(y, dtype=float)\n"
        "    xm, ym = X.mean(axis=0), y.mean()\n    Xc, yc = X - xm, y - ym\n"
        "    w = np.linalg.solve(Xc.T @ Xc + lam * np.eye(X.shape[1]), Xc.T @ yc)\n"
        "    return w, float(ym - xm @ w)\n"
    ),
    hints=(
        "Adding a column of ones to X would penalise the intercept too.",
        "Centre X and y, solve ridge without intercept, then recover b from the means.",
    ),
    reference="quizapp.grading.tasks.extras:ref_ridge_with_intercept",
    make_cases=_ridge_intercept_cases,
    compare=_array_tuple(("w", "b")),
    core=False,
)


# --- lasso by ISTA ------------------------------------------------------------------------------


LASSO_ISTA = Task(
    id="lasso_ista",
    title="Lasso by ISTA (proximal gradient)",
    topic="l1",
    params=("X", "y", "lam", "max_iter", "tol"),
    signature="def lasso_ista(X, y, lam, max_iter=10000, tol=1e-10) -> np.ndarray",
    statement="""\
# Lasso by ISTA

Minimise the same objective as scikit-learn's `Lasso` (no intercept):

```text
    f(w) = 1/(2n)·‖y − Xw‖² + λ‖w‖₁
```

with the iterative shrinkage-thresholding algorithm: the smooth part has gradient
∇ = −Xᵀ(y − Xw)/n and Lipschitz constant L = σ_max(X)²/n; each step is

```text
    w ← S(w − ∇/L, λ/L)
```

(S = soft thresholding). Start at w = 0; stop after `max_iter` steps or when the largest change
is below `tol`. Graded by the objective value (to 1e-5) and the coefficients (to about
1e-3).

"""
    + _NUMPY_ONLY,
    starter=(
        "import numpy as np\n\n\ndef lasso_ista(X, y, lam, max_iter=10000, tol=1e-10):\n    ...\n"
    ),
    solution=(
        "import numpy as np\n\n\ndef lasso_ista(X, y, lam, max_iter=10000, tol=1e-10):\n"
        "    X = np.asarray(X, dtype=float)\n    y = np.asarray(y, dtype=float)\n"
        "    n, d = X.shape\n    L = np.linalg.norm(X, 2) ** 2 / n\n    w = np.zeros(d)\n"
        "    if L == 0:\n        return w\n"
        "    for _ in range(max_iter):\n"
        "        z = w + X.T @ (y - X @ w) / (n * L)\n"
        "        new = np.sign(z) * np.maximum(np.abs(z) - lam / L, 0.0)\n"
        "        done = np.max(np.abs(new - w)) <= tol\n        w = new\n"
        "        if done:\n            break\n"
        "    return w\n"
    ),
    hints=(
        "L = σ_max(X)²/n: `np.linalg.norm(X, 2) ** 2 / n` (the 2-norm of a matrix is σ_max).",
        "The threshold is λ/L, not λ: the step size 1/L scales the L1 part too.",
    ),
    reference="solvers.l1:lasso_ista",
    make_cases=lambda: [c for c in _lasso_cases() if c.name != "keyword arguments"],
    compare=_cd_compare,
    core=False,
)


# --- AdamW ------------------------------------------------------------------------------------


def _adamw_cases() -> list[Case]:
    import numpy as np

    rng = seeded(91)
    w, g = rng.normal(size=5), rng.normal(size=5)
    zeros = np.zeros(5)
    m, v = rng.normal(scale=0.1, size=5), rng.uniform(0.01, 0.1, size=5)
    return [
        Case("first step", (w, g, zeros, zeros, 1)),
        Case("later step with state", (w, g, m, v, 10)),
        Case("custom hyper-parameters", (w, g, m, v, 3),
             {"lr": 0.01, "beta1": 0.8, "beta2": 0.99, "eps": 1e-6, "weight_decay": 0.1}),
        Case("no weight decay", (w, g, m, v, 5), {"weight_decay": 0.0}),
        Case("zero gradient still decays", (w, zeros, zeros, zeros, 1), {"weight_decay": 0.5},
             group="edge cases",
             hint="AdamW decays w directly: w ← (1 − lr·wd)·w, even when the gradient is zero"),
        Case("large gradient entries", (w, g * 1e4, m, v, 2), group="edge cases",
             hint="AdamW's decay must not be divided by √v̂ — that is Adam with L2"),
        Case("2-D weights", (rng.normal(size=(3, 4)), rng.normal(size=(3, 4)), np.zeros((3, 4)),
                             np.zeros((3, 4)), 1), group="edge cases"),
    ]  # fmt: skip


ADAMW = Task(
    id="adamw_step",
    title="One AdamW step (decoupled weight decay)",
    topic="l2",
    params=("w", "grad", "m", "v", "t"),
    signature=(
        "def adamw_step(w, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8,"
        " weight_decay=1e-2) -> tuple[np.ndarray, np.ndarray, np.ndarray]"
    ),
    statement="""\
# One AdamW step

PyTorch's `torch.optim.AdamW`. `m`, `v` are the moment estimates before this step and `t` ≥ 1
is the number of **this** step (1 on the first step). Then

1. decoupled decay: w ← (1 − lr·weight_decay)·w
2. m ← β₁m + (1 − β₁)g and v ← β₂v + (1 − β₂)g² with the raw gradient g = `grad`
3. m̂ = m/(1 − β₁ᵗ), v̂ = v/(1 − β₂ᵗ), and w ← w − lr·m̂/(√v̂ + eps)

Return `(w_new, m_new, v_new)`. The decay never goes through the gradient: adding
weight_decay·w to `grad` would be Adam with L2, which divides the decay by √v̂.

"""
    + _NUMPY_ONLY,
    starter=(
        "import numpy as np\n\n\n"
        "def adamw_step(w, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8,\n"
        "               weight_decay=1e-2):\n    ...\n"
    ),
    solution=(
        "import numpy as np\n\n\n"
        "def adamw_step(w, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8,\n"
        "               weight_decay=1e-2):\n"
        "    w = np.asarray(w, dtype=float) * (1 - lr * weight_decay)\n"
        "    m = beta1 * m + (1 - beta1) * grad\n"
        "    v = beta2 * v + (1 - beta2) * grad * grad\n"
        "    m_hat = m / (1 - beta1 ** t)\n    v_hat = v / (1 - beta2 ** t)\n"
        "    return w - lr * m_hat / (np.sqrt(v_hat) + eps), m, v\n"
    ),
    hints=(
        "Decay the weights first, with lr·weight_decay, outside the adaptive update.",
        "Bias correction uses t as given: 1 − β₁ᵗ and 1 − β₂ᵗ.",
    ),
    reference="quizapp.grading.tasks.extras:ref_adamw_step",
    make_cases=_adamw_cases,
    compare=_array_tuple(("w_new", "m_new", "v_new")),
    core=False,
)


# --- dropout variants (graded by properties) -------------------------------------------------


def _mask_props(
    case: Case, got: Any, mask_shape: tuple[int, ...], out_of: Any
) -> tuple[Any, Any] | Failure:
    """(out, mask) with the given mask shape, values 0 or 1/(1−p), and out = out_of(mask)."""
    import numpy as np

    from quizapp.grading.compare import check_array, fmt, unpack_tuple

    p = case.args[-3]
    pair = unpack_tuple(got, 2)
    if isinstance(pair, Failure):
        return pair
    out, mask = pair
    failure = check_array(mask, np.zeros(mask_shape), rtol=1e30, atol=1e30, what="mask")
    if failure is not None:
        return failure
    mask = np.asarray(mask, dtype=float)
    training = case.args[-2]
    scale = 1.0 / (1.0 - p)
    ok = np.isclose(mask, scale if training else 1.0, rtol=1e-6)
    if training:
        ok |= np.isclose(mask, 0.0, atol=1e-12)
    if not ok.all():
        i = tuple(int(k) for k in np.argwhere(~ok)[0])
        rule = "0 or 1/(1−p)" if training else "1 outside training"
        return _wrong(
            f"mask{list(i)} = {mask[i]:.6g}: mask entries must be {rule}",
            hint="" if training else "outside training nothing is dropped or scaled",
        )
    expected = out_of(mask)
    failure = check_array(out, expected, rtol=1e-6, atol=1e-12, what="out")
    if failure is not None:
        failure.message += " (out must equal the input with the returned mask applied)"
        failure.expected = fmt(expected)
        return failure
    return np.asarray(out, dtype=float), mask


def _rate_ok(mask: Any, p: float) -> Failure | None:
    import math

    import numpy as np

    n = mask.size
    zeros = int(np.count_nonzero(mask == 0))
    z = (zeros - n * p) / math.sqrt(n * p * (1 - p))
    if abs(z) > _Z_MAX:
        return _wrong(
            f"dropped {zeros} of {n} mask entries ({zeros / n:.1%}); with p = {p} expect about "
            f"{n * p:.0f} ± {3 * math.sqrt(n * p * (1 - p)):.0f}",
            hint="p is the probability of DROPPING: keep with probability 1 − p",
        )
    return None


def _spatial(case: Case, got: Any) -> Failure | None:
    x, p, training = case.args[0], case.args[1], case.args[2]
    shape = x.shape[:2] + (1,) * (x.ndim - 2)
    res = _mask_props(case, got, shape, lambda m: x * m)
    if isinstance(res, Failure):
        if "expected shape" in res.message and "mask" in res.message:
            res.hint = "one draw per (sample, channel): mask (N, C, 1, 1), broadcast over H, W"
        return res
    _, mask = res
    if not training or p == 0:
        return None if (mask == 1).all() else _wrong("outside training the mask must be ones")
    failure = _rate_ok(mask, p)
    if failure is None and mask.shape[0] > 1 and (mask == mask[0:1]).all():
        failure = _wrong("every sample has the same channel mask: draw one per (sample, channel)")
    return failure


def _variational(case: Case, got: Any) -> Failure | None:
    x, p, training = case.args[0], case.args[1], case.args[2]
    shape = (x.shape[0], 1, x.shape[2])
    res = _mask_props(case, got, shape, lambda m: x * m)
    if isinstance(res, Failure):
        if "expected shape" in res.message and "mask" in res.message:
            res.hint = "one mask per sequence and feature, reused at every time step: (B, 1, F)"
        return res
    _, mask = res
    if not training or p == 0:
        return None if (mask == 1).all() else _wrong("outside training the mask must be ones")
    return _rate_ok(mask, p)


def _dropconnect(case: Case, got: Any) -> Failure | None:
    x, W, p, training = case.args[0], case.args[1], case.args[2], case.args[3]
    res = _mask_props(case, got, W.shape, lambda M: x @ (W * M))
    if isinstance(res, Failure):
        if "expected shape" in res.message and "mask" in res.message:
            res.hint = "DropConnect masks weights: M has the shape of W"
        return res
    _, mw = res
    if not training or p == 0:
        return None if (mw == 1).all() else _wrong("outside training the mask must be ones")
    if mw.shape[0] > 1 and mw.shape[1] > 1 and ((mw == mw[0:1]).all() or (mw == mw[:, 0:1]).all()):
        return _wrong(
            "the mask drops whole units (every weight of a column or row together): "
            "DropConnect draws each weight independently",
            hint="draw M with the full shape of W: rng.random(W.shape) >= p",
        )
    return _rate_ok(mw, p)


def _spatial_cases() -> list[Case]:
    import numpy as np

    rng = seeded(71)
    x = rng.normal(size=(64, 32, 3, 3)) + 0.01
    return [
        Case("whole channels are dropped", (x, 0.3, True, Rng(1)), group="training",
             check=_spatial, check_inputs=False),
        Case("3-D input (N, C, L)", (rng.normal(size=(40, 20, 7)), 0.5, True, Rng(2)),
             group="training", check=_spatial),
        Case("drop rate matches p = 0.7", (np.ones((80, 40, 2, 2)), 0.7, True, Rng(3)),
             group="training", check=_spatial, check_inputs=False),
        Case("eval mode is the identity", (x[:4], 0.3, False, Rng(4)), group="eval",
             check=_spatial),
        Case("p = 0 is the identity", (x[:4], 0.0, True, Rng(5)), group="eval", check=_spatial),
    ]  # fmt: skip


SPATIAL = Task(
    id="spatial_dropout_forward",
    title="Spatial (channel) dropout",
    topic="dropout",
    params=("x", "p", "training", "rng"),
    signature=("def spatial_dropout_forward(x, p, training, rng) -> tuple[np.ndarray, np.ndarray]"),
    statement="""\
# Spatial dropout (`torch.nn.Dropout2d`)

Neighbouring pixels of a feature map are strongly correlated, so dropping single pixels barely
regularises a convnet. Spatial dropout drops **whole channels**: for `x` of shape
(N, C, *spatial*) draw one keep/drop decision per (sample, channel) — 0 with probability `p`,
otherwise 1/(1−p) (inverted scaling) — and broadcast it over the spatial axes.

Return `(out, mask)` with `mask` of shape (N, C, 1, …, 1) and `out = x * mask`. In eval mode
(`training=False`) return `x` unchanged and a mask of ones of that shape. Use `rng`.

"""
    + _NUMPY_ONLY,
    starter="import numpy as np\n\n\ndef spatial_dropout_forward(x, p, training, rng):\n    ...\n",
    solution=(
        "import numpy as np\n\n\ndef spatial_dropout_forward(x, p, training, rng):\n"
        "    x = np.asarray(x, dtype=float)\n"
        "    shape = x.shape[:2] + (1,) * (x.ndim - 2)\n"
        "    if not training:\n        return x.copy(), np.ones(shape)\n"
        "    mask = (rng.random(shape) >= p) / (1.0 - p)\n"
        "    return x * mask, mask\n"
    ),
    hints=(
        "The mask has shape (N, C, 1, 1): NumPy broadcasting spreads it over H and W.",
        "Same scaling as ordinary inverted dropout: kept channels are multiplied by 1/(1 − p).",
    ),
    reference="solvers.dropout:spatial_dropout_forward",
    make_cases=_spatial_cases,
    compare=array(),
    core=False,
)


def _variational_cases() -> list[Case]:
    import numpy as np

    rng = seeded(73)
    return [
        Case("same mask at every time step", (rng.normal(size=(50, 12, 40)) + 0.01, 0.4, True,
                                              Rng(1)), group="training", check=_variational),
        Case("drop rate matches p = 0.2", (np.ones((100, 3, 100)), 0.2, True, Rng(2)),
             group="training", check=_variational, check_inputs=False),
        Case("eval mode is the identity", (rng.normal(size=(2, 3, 4)), 0.4, False, Rng(3)),
             group="eval", check=_variational),
        Case("p = 0 is the identity", (rng.normal(size=(3, 5, 2)), 0.0, True, Rng(4)),
             group="eval", check=_variational),
    ]  # fmt: skip


VARIATIONAL = Task(
    id="variational_dropout_forward",
    title="Variational (locked) dropout for sequences",
    topic="dropout",
    params=("x", "p", "training", "rng"),
    signature=(
        "def variational_dropout_forward(x, p, training, rng) -> tuple[np.ndarray, np.ndarray]"
    ),
    statement="""\
# Variational dropout (Gal & Ghahramani 2016)

For a sequence batch `x` of shape (batch, time, features), a fresh mask at every time step
destroys what an RNN carries across time. Variational ("locked") dropout samples **one** mask
per sequence and feature — shape (batch, 1, features), entries 0 with probability `p`, else
1/(1−p) — and reuses it at every time step.

Return `(out, mask)` with `out = x * mask`; in eval mode return `x` and a mask of ones of shape
(batch, 1, features). Use `rng`.

"""
    + _NUMPY_ONLY,
    starter=(
        "import numpy as np\n\n\ndef variational_dropout_forward(x, p, training, rng):\n    ...\n"
    ),
    solution=(
        "import numpy as np\n\n\ndef variational_dropout_forward(x, p, training, rng):\n"
        "    x = np.asarray(x, dtype=float)\n    shape = (x.shape[0], 1, x.shape[2])\n"
        "    if not training:\n        return x.copy(), np.ones(shape)\n"
        "    mask = (rng.random(shape) >= p) / (1.0 - p)\n"
        "    return x * mask, mask\n"
    ),
    hints=(
        "Draw the mask with shape (batch, 1, features) and let broadcasting reuse it over time.",
    ),
    reference="solvers.dropout:variational_dropout_forward",
    make_cases=_variational_cases,
    compare=array(),
    core=False,
)


def _dropconnect_cases() -> list[Case]:
    import numpy as np

    rng = seeded(79)
    x = rng.normal(size=(16, 100))
    W = rng.normal(size=(100, 200)) + 0.01
    return [
        Case("out = x @ (W * M)", (x, W, 0.3, True, Rng(1)), group="training",
             check=_dropconnect),
        Case("1-D input", (x[0], W[:, :20], 0.5, True, Rng(2)), group="training",
             check=_dropconnect),
        Case("integer input", (np.arange(6).reshape(2, 3), W[:3, :4], 0.5, True, Rng(4)),
             group="training", check=_dropconnect),
        Case("eval mode is x @ W", (x[:3], W[:, :5], 0.3, False, Rng(3)), group="eval",
             check=_dropconnect),
        Case("p = 0 is x @ W", (x[:3], W[:, :5], 0.0, True, Rng(5)), group="eval",
             check=_dropconnect),
    ]  # fmt: skip


DROPCONNECT = Task(
    id="dropconnect_forward",
    title="DropConnect on a linear layer",
    topic="dropout",
    params=("x", "W", "p", "training", "rng"),
    signature=("def dropconnect_forward(x, W, p, training, rng) -> tuple[np.ndarray, np.ndarray]"),
    statement="""\
# DropConnect (Wan et al. 2013)

Dropout zeroes **units**; DropConnect zeroes individual **weights**. For a linear layer with
input `x` (batch, fan_in) or (fan_in,) and weights `W` (fan_in, fan_out), draw a mask `M` with
the shape of `W` — entries 0 with probability `p`, else 1/(1−p) — and return

```text
    out = x @ (W ⊙ M)
```

together with `M` (one mask per call, shared by the batch). In eval mode return `x @ W` and a
mask of ones. Use `rng`.

"""
    + _NUMPY_ONLY,
    starter="import numpy as np\n\n\ndef dropconnect_forward(x, W, p, training, rng):\n    ...\n",
    solution=(
        "import numpy as np\n\n\ndef dropconnect_forward(x, W, p, training, rng):\n"
        "    x = np.asarray(x, dtype=float)\n    W = np.asarray(W, dtype=float)\n"
        "    if not training:\n        return x @ W, np.ones_like(W)\n"
        "    M = (rng.random(W.shape) >= p) / (1.0 - p)\n"
        "    return x @ (W * M), M\n"
    ),
    hints=(
        "Mask W, not the output: `x @ (W * M)`.",
        "Scale the kept weights by 1/(1 − p) so that eval mode is plain `x @ W`.",
    ),
    reference="solvers.dropout:dropconnect_forward",
    make_cases=_dropconnect_cases,
    compare=array(),
    core=False,
)


# --- spectral norm ------------------------------------------------------------------------------


def _spectral_cases() -> list[Case]:
    import numpy as np

    rng = seeded(83)

    def with_spectrum(n: int, m: int, s: list[float]) -> Any:
        U, _ = np.linalg.qr(rng.normal(size=(n, n)))
        V, _ = np.linalg.qr(rng.normal(size=(m, m)))
        S = np.zeros((n, m))
        S[: len(s), : len(s)] = np.diag(s)
        return U @ S @ V.T

    return [
        Case("diagonal matrix", (np.diag([3.0, 1.0, 0.5]),)),
        Case("known spectrum", (with_spectrum(6, 4, [5.0, 2.0, 1.0, 0.1]),)),
        Case("wide matrix", (with_spectrum(3, 8, [2.5, 1.0, 0.2]),)),
        Case("rank one", (np.outer([1.0, 2.0, 2.0], [3.0, 4.0]),), group="edge cases"),
        Case("zero matrix", (np.zeros((3, 3)),), group="edge cases",
             hint="σ_max of the zero matrix is 0; guard the normalisation against 0/0"),
        Case("integer input", (np.array([[2, 0], [0, -4]]),), group="edge cases"),
    ]  # fmt: skip


SPECTRAL = Task(
    id="spectral_norm_sigma",
    title="Spectral norm by power iteration",
    topic="constraints",
    params=("W", "n_iter"),
    signature="def spectral_norm_sigma(W, n_iter=100) -> float",
    statement="""\
# Spectral norm by power iteration

Spectral normalisation (Miyato et al. 2018) divides a layer's weights by their largest singular
value σ_max(W), which bounds the layer's Lipschitz constant. Estimate σ_max of a 2-D `W` by
power iteration: start from a non-zero vector u, repeat `n_iter` times

```text
    v ← Wᵀu / ‖Wᵀu‖,    u ← Wv / ‖Wv‖
```

and return σ = uᵀ W v (a float). The zero matrix has σ = 0. Graded to a relative 1e-4 on
matrices with a clear gap between the two largest singular values (do not call
`np.linalg.norm(W, 2)` or an SVD: that would skip the point).

"""
    + _NUMPY_ONLY,
    starter="import numpy as np\n\n\ndef spectral_norm_sigma(W, n_iter=100):\n    ...\n",
    solution=(
        "import numpy as np\n\n\ndef spectral_norm_sigma(W, n_iter=100):\n"
        "    W = np.asarray(W, dtype=float)\n"
        "    u = np.ones(W.shape[0]) + np.arange(W.shape[0]) * 1e-3\n"
        "    u /= np.linalg.norm(u)\n    sigma = 0.0\n"
        "    for _ in range(n_iter):\n"
        "        v = W.T @ u\n        nv = np.linalg.norm(v)\n"
        "        if nv == 0:\n            return 0.0\n"
        "        v /= nv\n        u = W @ v\n        u /= np.linalg.norm(u)\n"
        "        sigma = float(u @ W @ v)\n"
        "    return sigma\n"
    ),
    hints=(
        "Alternate multiplying by Wᵀ and W, normalising each time.",
        "After convergence u and v are the top singular vectors, and uᵀWv is σ_max.",
    ),
    reference="solvers.constraints:spectral_norm_sigma",
    make_cases=_spectral_cases,
    compare=scalar(rtol=1e-4, atol=1e-9),
    core=False,
)

TASKS = [RIDGE_INTERCEPT, LASSO_ISTA, ADAMW, SPATIAL, VARIATIONAL, DROPCONNECT, SPECTRAL]


# --- logistic regression with L2 / L1 -----------------------------------------------------------


def ref_logistic(X: Any, y: Any, lam: float, penalty: str) -> tuple[Any, float]:
    from solvers.logistic import logistic_regression

    fit = logistic_regression(X, y, lam, penalty)  # type: ignore[arg-type]
    return fit.coef, float(fit.intercept)


def ref_logistic_l2(X: Any, y: Any, lam: float) -> tuple[Any, float]:
    return ref_logistic(X, y, lam, "l2")


def ref_logistic_l1(X: Any, y: Any, lam: float) -> tuple[Any, float]:
    return ref_logistic(X, y, lam, "l1")


def _logistic_objective(X: Any, y: Any, w: Any, b: float, lam: float, r: float) -> float:
    import numpy as np

    s = 2.0 * np.asarray(y, dtype=float) - 1.0
    margin = s * (np.asarray(X, dtype=float) @ w + b)
    pen = lam * (r * np.abs(w).sum() + 0.5 * (1 - r) * (w @ w))
    return float(np.logaddexp(0.0, -margin).mean() + pen)


def _logistic_compare(r: float) -> Any:
    def compare(got: Any, expected: Any, case: Case) -> Failure | None:
        import numpy as np

        from quizapp.grading.compare import check_array, check_scalar, fmt, unpack_tuple

        values = unpack_tuple(got, 2)
        if isinstance(values, Failure):
            return values
        w_got, b_got = values
        w_ref, b_ref = expected
        failure = check_array(w_got, w_ref, rtol=1e30, atol=1e30, what="w") or check_scalar(
            b_got, b_ref, rtol=1e30, atol=1e30, what="b"
        )
        if failure is not None:
            return failure
        X, y, lam = case.args
        w = np.asarray(w_got, dtype=float)
        f_got = _logistic_objective(X, y, w, float(b_got), lam, r)
        f_ref = _logistic_objective(X, y, np.asarray(w_ref), b_ref, lam, r)
        if f_got > f_ref + 1e-7 * max(1.0, abs(f_ref)):
            return _wrong(
                f"your (w, b) has objective {f_got:.10g}, the minimum is {f_ref:.10g}",
                expected=fmt(np.asarray(w_ref)) + f", b = {b_ref:.6g}",
                got=fmt(w) + f", b = {float(b_got):.6g}",
                hint=case.hint
                or "check the 1/n on the loss, the ½ on the L2 term, that b is not "
                "penalised, and run to convergence",
            )
        return check_array(w, w_ref, rtol=1e-3, atol=1e-4, what="w") or check_scalar(
            b_got, b_ref, rtol=1e-3, atol=1e-4, what="b"
        )

    return compare


def _classification(seed: int, n: int, d: int, shift: float = 0.0) -> tuple[Any, Any]:
    import numpy as np

    rng = seeded(seed)
    X = rng.normal(size=(n, d))
    w = rng.normal(size=d) * 1.5
    p = 1.0 / (1.0 + np.exp(-(X @ w + shift)))
    return X, (rng.random(n) < p).astype(float)


def _logistic_cases() -> list[Case]:
    import numpy as np

    X, y = _classification(101, 80, 4)
    Xs, ys = _classification(102, 60, 3, shift=1.5)
    return [
        Case("moderate lam", (X, y, 0.05)),
        Case("unbalanced classes: the intercept matters", (Xs, ys, 0.1)),
        Case("strong lam", (X, y, 1.0), group="edge cases"),
        Case("integer input", (np.array([[0, 1], [1, 0], [1, 1], [2, 1], [0, 2], [2, 2]]),
                               np.array([0, 1, 1, 1, 0, 0]), 0.2), group="edge cases"),
        Case("random problem", (*_classification(103, 100, 6), 0.02), group="random"),
    ]  # fmt: skip


_LOGISTIC_STATEMENT = (
    """\
# Logistic regression with an {name} penalty

Binary labels `y` ∈ {{0, 1}}, `X` of shape (n, d). With sᵢ = 2yᵢ − 1 ∈ {{−1, +1}}, minimise

```text
    f(w, b) = (1/n)·Σᵢ log(1 + exp(−sᵢ·(xᵢᵀw + b)))  +  {penalty}
```

over the weights `w` and an **unpenalised** intercept `b` (scikit-learn's
`LogisticRegression(penalty="{name_lower}", C=1/(n·lam))`). Return `(w, b)` with `w` of shape (d,)
and `b` a number. Graded by the objective value (to a relative 1e-7) and the coefficients
(to 1e-3), so run your solver to convergence.
{method}
"""
    + _NUMPY_ONLY
)

LOGISTIC_L2 = Task(
    id="logistic_regression_l2",
    title="Logistic regression with L2 (ridge) penalty",
    topic="l2",
    params=("X", "y", "lam"),
    signature="def logistic_regression_l2(X, y, lam) -> tuple[np.ndarray, float]",
    statement=_LOGISTIC_STATEMENT.format(
        name="L2",
        name_lower="l2",
        penalty="½·lam·‖w‖²",
        method="\nThe objective is smooth and strictly convex: Newton's method converges in a "
        "handful of steps; gradient descent works too but needs many iterations.\n",
    ),
    starter="import numpy as np\n\n\ndef logistic_regression_l2(X, y, lam):\n    ...\n",
    solution=(
        "import numpy as np\n\n\ndef logistic_regression_l2(X, y, lam):\n"
        "    X = np.asarray(X, dtype=float)\n    s = 2.0 * np.asarray(y, dtype=float) - 1.0\n"
        "    n, d = X.shape\n    A = np.hstack([X, np.ones((n, 1))])\n"
        "    reg = lam * np.ones(d + 1)\n    reg[-1] = 0.0  # the intercept is not penalised\n"
        "    theta = np.zeros(d + 1)\n"
        "    for _ in range(100):\n"
        "        m = s * (A @ theta)\n        sig = 1.0 / (1.0 + np.exp(m))  # σ(−m)\n"
        "        grad = -(A.T @ (s * sig)) / n + reg * theta\n"
        "        H = (A.T * (sig * (1 - sig))) @ A / n + np.diag(reg)\n"
        "        step = np.linalg.solve(H + 1e-12 * np.eye(d + 1), grad)\n"
        "        theta -= step\n"
        "        if np.max(np.abs(step)) < 1e-12:\n            break\n"
        "    return theta[:d], float(theta[d])\n"
    ),
    hints=(
        "With sᵢ ∈ {−1, +1}, the gradient of the loss is −(1/n)·Σ sᵢ·σ(−mᵢ)·xᵢ, mᵢ = sᵢ(xᵢᵀw + b).",
        "Append a column of ones for b, and leave its entry out of the penalty.",
        "Newton: H = (1/n)·Aᵀ·diag(σ(m)(1 − σ(m)))·A + λ·I (0 for b); solve H·step = grad.",
    ),
    reference="quizapp.grading.tasks.extras:ref_logistic_l2",
    make_cases=_logistic_cases,
    compare=_logistic_compare(0.0),
    core=False,
)

LOGISTIC_L1 = Task(
    id="logistic_regression_l1",
    title="Logistic regression with L1 (lasso) penalty",
    topic="l1",
    params=("X", "y", "lam"),
    signature="def logistic_regression_l1(X, y, lam) -> tuple[np.ndarray, float]",
    statement=_LOGISTIC_STATEMENT.format(
        name="L1",
        name_lower="l1",
        penalty="lam·‖w‖₁",
        method="\nThe L1 term is not differentiable: use proximal gradient (ISTA/FISTA) — a "
        "gradient step on the smooth loss, then soft-thresholding of `w` (not `b`) by "
        "step·lam. The loss gradient is Lipschitz with L ≤ ‖[X, 1]‖₂²/(4n).\n",
    ),
    starter="import numpy as np\n\n\ndef logistic_regression_l1(X, y, lam):\n    ...\n",
    solution=(
        "import numpy as np\n\n\ndef logistic_regression_l1(X, y, lam):\n"
        "    X = np.asarray(X, dtype=float)\n    s = 2.0 * np.asarray(y, dtype=float) - 1.0\n"
        "    n, d = X.shape\n    A = np.hstack([X, np.ones((n, 1))])\n"
        "    L = np.linalg.norm(A, 2) ** 2 / (4 * n)\n"
        "    theta = np.zeros(d + 1)\n    z = theta.copy()\n    t = 1.0\n"
        "    for _ in range(200000):\n"
        "        m = s * (A @ z)\n        grad = -(A.T @ (s / (1.0 + np.exp(m)))) / n\n"
        "        new = z - grad / L\n"
        "        new[:d] = np.sign(new[:d]) * np.maximum(np.abs(new[:d]) - lam / L, 0.0)\n"
        "        t_new = (1 + np.sqrt(1 + 4 * t * t)) / 2\n"
        "        z = new + (t - 1) / t_new * (new - theta)\n"
        "        done = np.max(np.abs(new - theta)) < 1e-13\n"
        "        theta, t = new, t_new\n"
        "        if done:\n            break\n"
        "    return theta[:d], float(theta[d])\n"
    ),
    hints=(
        "Gradient step on the log-loss for (w, b), then soft-threshold only the w part.",
        "The threshold is step·lam = lam/L.",
        "FISTA (momentum) converges much faster than plain ISTA; stop on a tiny change.",
    ),
    reference="quizapp.grading.tasks.extras:ref_logistic_l1",
    make_cases=_logistic_cases,
    compare=_logistic_compare(1.0),
    wall_s=10.0,
    core=False,
)

TASKS += [LOGISTIC_L2, LOGISTIC_L1]


# --- mixup ------------------------------------------------------------------------------------


def _mixup(case: Case, got: Any) -> Failure | None:
    """Structure, not one random stream: λ in [0, 1], π a permutation, and the mix consistent."""
    import numpy as np

    from quizapp.grading.compare import check_array, fmt, type_name, unpack_tuple

    x, y = case.args[0], case.args[1]
    values = unpack_tuple(got, 4)
    if isinstance(values, Failure):
        values.hint = "return (x_mix, y_mix, lam, perm)"
        return values
    x_mix, y_mix, lam, perm = values
    if isinstance(lam, np.ndarray) and lam.shape == ():
        lam = lam[()]
    if isinstance(lam, bool) or not isinstance(lam, int | float | np.integer | np.floating):
        return Failure(
            Verdict.BAD_OUTPUT, f"lam should be one number per batch, got {type_name(lam)}"
        )
    lam = float(lam)
    if not 0.0 <= lam <= 1.0:
        return _wrong(f"lam = {lam:.6g} is outside [0, 1]", hint="draw lam ~ Beta(alpha, alpha)")
    perm_arr = np.asarray(perm)
    n = x.shape[0]
    if (
        perm_arr.shape != (n,)
        or perm_arr.dtype.kind not in "iu"
        or not np.array_equal(np.sort(perm_arr), np.arange(n))
    ):
        return _wrong(
            f"perm must be a permutation of 0..{n - 1}, got {fmt(perm_arr)}",
            hint="rng.permutation(len(x)) shuffles the batch indices",
        )
    for name, got_mix, data in (("x_mix", x_mix, x), ("y_mix", y_mix, y)):
        expected = lam * data + (1 - lam) * data[perm_arr]
        failure = check_array(got_mix, expected, rtol=1e-6, atol=1e-12, what=name)
        if failure is not None:
            failure.message += " (expected lam·v + (1 − lam)·v[perm] with your lam and perm)"
            return failure
    return None


def _mixup_cases() -> list[Case]:
    import numpy as np

    rng = seeded(107)
    x = rng.normal(size=(16, 5))
    y = np.eye(3)[rng.integers(0, 3, size=16)]
    return [
        Case("one-hot targets", (x, y, 0.2, Rng(1)), check=_mixup),
        Case("alpha = 1 (uniform lam)", (x, y, 1.0, Rng(2)), check=_mixup),
        Case("image-shaped batch", (rng.normal(size=(8, 3, 4, 4)), np.eye(2)[rng.integers(0, 2, 8)],
                                    0.4, Rng(3)), check=_mixup),
        Case("batch of one", (x[:1], y[:1], 0.2, Rng(4)), group="edge cases", check=_mixup),
        Case("integer features", (np.arange(12).reshape(4, 3), y[:4], 0.3, Rng(5)),
             group="edge cases", check=_mixup),
    ]  # fmt: skip


MIXUP = Task(
    id="mixup",
    title="mixup data augmentation",
    topic="augmentation",
    params=("x", "y", "alpha", "rng"),
    signature="def mixup(x, y, alpha, rng) -> tuple[np.ndarray, np.ndarray, float, np.ndarray]",
    statement="""\
# mixup (Zhang et al. 2018)

Train on convex combinations of pairs of examples and their labels. For a batch `x` (N, …)
with targets `y` (N, C) (one-hot or soft), draw **one** λ ~ Beta(`alpha`, `alpha`) for the batch
and a random permutation π of the N examples (both from `rng`), and return

```text
    x_mix = λ·x + (1 − λ)·x[π]      y_mix = λ·y + (1 − λ)·y[π]
```

as `(x_mix, y_mix, lam, perm)` — `lam` a float, `perm` an integer array. Graded by structure
(λ ∈ [0, 1], π a permutation, the mix consistent with your λ and π), not by one random stream.

"""
    + _NUMPY_ONLY,
    starter="import numpy as np\n\n\ndef mixup(x, y, alpha, rng):\n    ...\n",
    solution=(
        "import numpy as np\n\n\ndef mixup(x, y, alpha, rng):\n"
        "    x = np.asarray(x, dtype=float)\n    y = np.asarray(y, dtype=float)\n"
        "    lam = float(rng.beta(alpha, alpha))\n"
        "    perm = rng.permutation(len(x))\n"
        "    return lam * x + (1 - lam) * x[perm], lam * y + (1 - lam) * y[perm], lam, perm\n"
    ),
    hints=(
        "`rng.beta(alpha, alpha)` gives λ; `rng.permutation(len(x))` gives π.",
        "Mix the labels with the same λ and π as the inputs.",
    ),
    reference="solvers.augmentation:mixup",
    make_cases=_mixup_cases,
    compare=array(),
    core=False,
)

TASKS += [MIXUP]
