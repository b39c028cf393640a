"""Penalty and constraint tasks: L1, L2, Elastic Net, the soft-thresholding operator, max-norm,
and the spectral norm (power iteration)."""

from __future__ import annotations

from typing import Any

from quizapp.grading.task import Case, Task
from quizapp.grading.tasks.shared import NUMPY_ONLY, array, scalar, seeded


def _f(w: Any) -> Any:
    import numpy as np

    return np.asarray(w, dtype=float)


def _l1_mistakes(w: Any, lam: float) -> list[tuple[Any, str]]:
    import numpy as np

    w = _f(w)
    return [
        (lam * np.sqrt((w * w).sum()), "that is λ·‖w‖₂ (np.linalg.norm is the L2/Frobenius "
         "norm); the L1 norm is the sum of absolute values"),
        (lam * w.sum(), "take the absolute value of each weight before summing"),
        (np.abs(w).sum(), "multiply by lam"),
        *_matrix_norm_mistake(w, lam * np.abs(w).sum(axis=0).max() if w.ndim == 2 else None,
                              "np.linalg.norm(W, 1) of a matrix is its largest column sum; sum "
                              "every |wᵢ| with np.abs(w).sum()"),
    ]  # fmt: skip


def _matrix_norm_mistake(w: Any, value: Any, hint: str) -> list[tuple[Any, str]]:
    return [] if value is None else [(value, hint)]


def _l1_subgradient_mistakes(w: Any, lam: float) -> list[tuple[Any, str]]:
    import numpy as np

    w = _f(w)
    return [
        (lam * np.where(w >= 0, 1.0, -1.0), "at w = 0 the subgradient chosen is 0 (np.sign)"),
        (lam * np.where(w > 0, 1.0, -1.0), "at w = 0 the subgradient chosen is 0 (np.sign)"),
        (np.sign(w), "multiply by lam"),
    ]


def _l2_mistakes(w: Any, lam: float) -> list[tuple[Any, str]]:
    import numpy as np

    w = _f(w)
    sq = (w * w).sum()
    return [
        (0.5 * lam * sq, "this task's L2 penalty has no ½: λ·Σw²"),
        (lam * np.sqrt(sq), "the norm is squared: λ·‖w‖², i.e. λ·Σw²"),
        (sq, "multiply by lam"),
        *_matrix_norm_mistake(w, lam * np.linalg.norm(w, 2) ** 2 if w.ndim == 2 else None,
                              "np.linalg.norm(W, 2) of a matrix is its largest singular value; "
                              "sum every wᵢ² instead"),
    ]  # fmt: skip


def _l2_gradient_mistakes(w: Any, lam: float) -> list[tuple[Any, str]]:
    w = _f(w)
    return [
        (lam * w, "d/dw λw² = 2λw: the factor 2 is missing"),
        (2 * w, "multiply by lam"),
    ]


def _enet_mistakes(w: Any, lam: float, r: float) -> list[tuple[Any, str]]:
    import numpy as np

    w = _f(w)
    l1, sq = np.abs(w).sum(), (w * w).sum()
    return [
        (lam * (r * l1 + (1 - r) * sq), "scikit-learn's L2 part has a ½: ½·λ(1 − r)‖w‖²"),
        (lam * ((1 - r) * l1 + 0.5 * r * sq), "r = l1_ratio weighs the L1 part, 1 − r the L2 "
         "part — they are swapped"),
        (lam * (r * l1 + 0.5 * (1 - r) * np.sqrt(sq)), "the L2 part uses the squared norm ‖w‖²"),
    ]  # fmt: skip


def _soft_threshold_mistakes(x: Any, t: float) -> list[tuple[Any, str]]:
    import numpy as np

    x = _f(x)
    return [
        (np.where(np.abs(x) > t, x, 0.0), "that is hard thresholding: values above t must also "
         "move t closer to zero (3 with t = 1 becomes 2)"),
        (np.sign(x) * (np.abs(x) - t), "values with |x| ≤ t must become exactly 0: "
         "max(|x| − t, 0)"),
    ]  # fmt: skip


def _max_norm_mistakes(W: Any, c: float) -> list[tuple[Any, str]]:
    import numpy as np

    W = _f(W)
    if W.ndim != 2:
        return []
    rows = np.sqrt((W * W).sum(axis=1, keepdims=True))
    cols = np.sqrt((W * W).sum(axis=0, keepdims=True))
    return [
        (W * np.minimum(1.0, c / np.maximum(rows, 1e-300)), "you rescaled rows; a unit's "
         "incoming weights are a column W[:, j] (norms over axis=0)"),
        (W * c / np.maximum(cols, 1e-300), "only shrink: a column already inside the ball "
         "(norm ≤ c) stays unchanged"),
    ]  # fmt: skip


def _weights_cases(extra: tuple[Any, ...] = ()) -> list[Case]:
    """The usual inputs for a function of (w, lam, *extra): edge cases and seeded vectors."""
    import numpy as np

    rng = seeded(11)
    cases = [
        Case("worked example", (np.array([0.5, -1.2, 0.0, 2.0]), 0.1, *extra)),
        Case("all zeros", (np.zeros(5), 0.3, *extra), group="edge cases"),
        Case("lam = 0", (np.array([1.0, -2.0, 3.0]), 0.0, *extra), group="edge cases"),
        Case(
            "negative weights only", (np.array([-0.5, -1.5, -3.0]), 0.2, *extra), group="edge cases"
        ),
        Case("integer input", (np.array([1, -2, 3, 0]), 0.5, *extra), group="edge cases"),
        Case("2-D weight matrix", (rng.normal(size=(3, 4)), 0.05, *extra), group="edge cases"),
        Case("large values", (np.array([1e6, -3e7, 2.5e5]), 1e-3, *extra), group="edge cases"),
    ]
    for i in range(3):
        w = rng.normal(scale=2.0, size=int(rng.integers(5, 30)))
        cases.append(
            Case(f"random vector {i + 1}", (w, float(rng.uniform(0, 2)), *extra), group="random")
        )
    return cases


def _l2_gradient_cases() -> list[Case]:
    """The usual inputs, plus integers with a λ for which 2λw is not an integer (with the
    shared λ = 0.5, 2λw = w and an int result that truncates would pass)."""
    import numpy as np

    return [
        *_weights_cases(),
        Case("integer input, fractional 2·lam", (np.array([1, -2, 3, 0, 7]), 0.3),
             group="edge cases",
             hint="np.zeros_like(w) of an integer w is an integer array: fractions are lost"),
    ]  # fmt: skip


L1_PENALTY = Task(
    id="l1_penalty",
    title="L1 penalty",
    topic="l1",
    params=("w", "lam"),
    signature="def l1_penalty(w, lam) -> float",
    statement="""\
# L1 penalty

Return the L1 (lasso) penalty of the weights `w`:

```text
    Ω(w) = λ · Σᵢ |wᵢ|
```

* `w` is a NumPy array of any shape (1-D vector or 2-D matrix); sum over **all** elements.
* `lam` ≥ 0 is λ. There is no ½ and no 1/n here.
* Return a single number (a Python `float` or NumPy scalar).

Example: `w = [0.5, -1.2, 0, 2]`, `lam = 0.1` → `0.1 · 3.7 = 0.37`.

"""
    + NUMPY_ONLY,
    starter="import numpy as np\n\n\ndef l1_penalty(w, lam):\n    ...\n",
    solution=(
        "import numpy as np\n\n\ndef l1_penalty(w, lam):\n"
        "    return float(lam * np.sum(np.abs(w)))\n"
    ),
    hints=(
        "The L1 norm is the sum of absolute values, not of squares.",
        "`np.abs(w).sum()` sums every element, whatever the shape of `w`.",
        "`np.linalg.norm(W)` on a matrix is the Frobenius (L2) norm — not what you want here.",
    ),
    reference="solvers:l1_penalty",
    make_cases=_weights_cases,
    compare=scalar(diagnose=_l1_mistakes),
)

L1_SUBGRADIENT = Task(
    id="l1_subgradient",
    title="L1 subgradient",
    topic="l1",
    params=("w", "lam"),
    signature="def l1_subgradient(w, lam) -> np.ndarray",
    statement="""\
# L1 subgradient

|w| is not differentiable at 0. Return the subgradient of λ Σ|wᵢ| that every library uses:

```text
    gᵢ = λ·sign(wᵢ),    gᵢ = 0 where wᵢ = 0
```

* `w`: NumPy array of any shape; return a float array of the **same shape**.
* `lam` ≥ 0.

"""
    + NUMPY_ONLY,
    starter="import numpy as np\n\n\ndef l1_subgradient(w, lam):\n    ...\n",
    solution=(
        "import numpy as np\n\n\ndef l1_subgradient(w, lam):\n"
        "    return lam * np.sign(np.asarray(w, dtype=float))\n"
    ),
    hints=(
        "`np.sign` returns -1, 0 or +1 — exactly the convention asked for.",
        "`np.where(w >= 0, 1, -1)` is wrong at w = 0: the subgradient chosen there is 0.",
    ),
    reference="solvers:l1_subgradient",
    make_cases=_weights_cases,
    compare=array(diagnose=_l1_subgradient_mistakes),
)

L2_PENALTY = Task(
    id="l2_penalty",
    title="L2 penalty",
    topic="l2",
    params=("w", "lam"),
    signature="def l2_penalty(w, lam) -> float",
    statement="""\
# L2 penalty

Return the L2 (ridge) penalty:

```text
    Ω(w) = λ · Σᵢ wᵢ² = λ‖w‖²
```

* **No ½** in front (some books write ½λ‖w‖²; this task does not), and the norm is **squared**.
* `w`: any shape, sum over all elements. `lam` ≥ 0. Return one number.

"""
    + NUMPY_ONLY,
    starter="import numpy as np\n\n\ndef l2_penalty(w, lam):\n    ...\n",
    solution=(
        "import numpy as np\n\n\ndef l2_penalty(w, lam):\n"
        "    w = np.asarray(w, dtype=float)\n    return float(lam * np.sum(w * w))\n"
    ),
    hints=(
        "Square each weight, then sum: ‖w‖² not ‖w‖.",
        "No ½ factor in this task's convention.",
        "With integer input, `w ** 2` can overflow for huge values; convert to float first.",
    ),
    reference="solvers:l2_penalty",
    make_cases=_weights_cases,
    compare=scalar(diagnose=_l2_mistakes),
)

L2_GRADIENT = Task(
    id="l2_gradient",
    title="L2 gradient",
    topic="l2",
    params=("w", "lam"),
    signature="def l2_gradient(w, lam) -> np.ndarray",
    statement="""\
# L2 gradient

Return the gradient of the penalty λ Σ wᵢ² (no ½) with respect to `w`:

```text
    ∇_w λ‖w‖² = 2λw
```

Return a float array with the same shape as `w`. `lam` ≥ 0.

"""
    + NUMPY_ONLY,
    starter="import numpy as np\n\n\ndef l2_gradient(w, lam):\n    ...\n",
    solution=(
        "import numpy as np\n\n\ndef l2_gradient(w, lam):\n"
        "    return 2.0 * lam * np.asarray(w, dtype=float)\n"
    ),
    hints=(
        "d/dw (λw²) = 2λw. Where does the 2 go?",
        "Keep the constant consistent with the penalty: without the ½ in the loss, the 2 stays.",
    ),
    reference="solvers:l2_gradient",
    make_cases=_l2_gradient_cases,
    compare=array(diagnose=_l2_gradient_mistakes),
)


def _enet_penalty_cases() -> list[Case]:
    import numpy as np

    cases = []
    for ratio in (0.5, 0.0, 1.0, 0.15):
        for case in _weights_cases((ratio,)):
            if ratio != 0.5 and case.name not in ("worked example", "2-D weight matrix"):
                continue
            cases.append(Case(f"{case.name}, l1_ratio = {ratio}", case.args, group=case.group))
    cases.insert(0, Case("source 002's example", (np.array([0.5, -1.2, 0.0, 2.0]), 0.1, 0.5)))
    return cases


ELASTIC_NET_PENALTY = Task(
    id="elastic_net_penalty",
    title="Elastic Net penalty",
    topic="elastic_net",
    params=("w", "lam", "l1_ratio"),
    signature="def elastic_net_penalty(w, lam, l1_ratio) -> float",
    statement="""\
# Elastic Net penalty (scikit-learn's form)

```text
    Ω(w) = λ · ( r‖w‖₁ + ½(1 − r)‖w‖² )
```

with `lam` = λ ≥ 0 and `l1_ratio` = r ∈ [0, 1]. r = 1 is the lasso penalty λ‖w‖₁; r = 0 is
**½**λ‖w‖² — note the ½, which scikit-learn uses and some sources leave out.

Example: w = [0.5, −1.2, 0, 2], λ = 0.1, r = 0.5 → 0.1 × (1.85 + 1.4225) = 0.32725.

"""
    + NUMPY_ONLY,
    starter="import numpy as np\n\n\ndef elastic_net_penalty(w, lam, l1_ratio):\n    ...\n",
    solution=(
        "import numpy as np\n\n\ndef elastic_net_penalty(w, lam, l1_ratio):\n"
        "    w = np.asarray(w, dtype=float)\n"
        "    l1 = np.abs(w).sum()\n    l2 = (w * w).sum()\n"
        "    return float(lam * (l1_ratio * l1 + 0.5 * (1 - l1_ratio) * l2))\n"
    ),
    hints=(
        "Compute ‖w‖₁ and ‖w‖² separately, then mix them with r and (1 − r).",
        "scikit-learn puts a ½ on the L2 part: ½(1 − r)‖w‖².",
        "Check r = 0 and r = 1 by hand: they must give ½λ‖w‖² and λ‖w‖₁.",
    ),
    reference="solvers:elastic_net_penalty",
    make_cases=_enet_penalty_cases,
    compare=scalar(diagnose=_enet_mistakes),
)


def _soft_threshold_cases() -> list[Case]:
    import numpy as np

    rng = seeded(5)
    cases = [
        Case("mixed signs", (np.array([-3.0, -0.5, 0.0, 0.2, 1.5, 4.0]), 1.0)),
        Case("t = 0 is the identity", (np.array([-2.0, 0.5, 3.0]), 0.0), group="edge cases"),
        Case("values exactly at ±t", (np.array([-1.0, 1.0, 0.5]), 1.0), group="edge cases"),
        Case("everything below t", (np.array([0.1, -0.2, 0.3]), 5.0), group="edge cases"),
        Case("integer input", (np.array([-3, -1, 0, 2, 5]), 2), group="edge cases"),
        Case("2-D input", (rng.normal(size=(4, 3)), 0.5), group="edge cases"),
        Case("large values", (np.array([1e12, -1e12, 3.0]), 1e6), group="edge cases"),
    ]
    for i in range(3):
        x = rng.normal(scale=3.0, size=int(rng.integers(5, 40)))
        cases.append(Case(f"random vector {i + 1}", (x, float(rng.uniform(0, 3))), group="random"))
    return cases


SOFT_THRESHOLD = Task(
    id="soft_threshold",
    title="Soft thresholding (the L1 proximal operator)",
    topic="l1",
    params=("x", "t"),
    signature="def soft_threshold(x, t) -> np.ndarray",
    statement="""\
# Soft thresholding

The proximal operator of t‖·‖₁, used by ISTA and coordinate descent for the lasso:

```text
    S_t(x) = sign(x) · max(|x| − t, 0)
```

elementwise, with threshold `t` ≥ 0. Values inside [−t, t] become 0 and everything else moves
**t closer to zero** (that shrinkage is what makes it *soft*; hard thresholding would keep the
big values unchanged). Return a float array of the same shape as `x`.

"""
    + NUMPY_ONLY,
    starter="import numpy as np\n\n\ndef soft_threshold(x, t):\n    ...\n",
    solution=(
        "import numpy as np\n\n\ndef soft_threshold(x, t):\n"
        "    x = np.asarray(x, dtype=float)\n"
        "    return np.sign(x) * np.maximum(np.abs(x) - t, 0.0)\n"
    ),
    hints=(
        "Values with |x| ≤ t become exactly 0.",
        "The others are shrunk by t: 3 with t = 1 becomes 2, not 3.",
        "`np.sign(x) * np.maximum(np.abs(x) - t, 0)` does it without a loop.",
    ),
    reference="solvers:soft_threshold",
    make_cases=_soft_threshold_cases,
    compare=array(diagnose=_soft_threshold_mistakes),
)


def _max_norm_cases() -> list[Case]:
    import numpy as np

    rng = seeded(3)
    cases = [
        Case("one column too long", (np.array([[3.0, 0.1], [4.0, 0.2]]), 1.0)),
        Case("all columns inside the ball", (np.array([[0.3, -0.1], [0.2, 0.4]]), 2.0)),
        Case("rows vs columns", (np.array([[3.0, 4.0, 0.0], [0.0, 0.0, 0.5]]), 1.0)),
        Case("zero column", (np.array([[0.0, 3.0], [0.0, 4.0]]), 2.0), group="edge cases"),
        Case("1-D weights are one column", (np.array([3.0, 4.0]), 2.5), group="edge cases"),
        Case("integer input", (np.array([[6, 0], [8, 1]]), 5.0), group="edge cases"),
        Case("exactly at the bound", (np.array([[3.0], [4.0]]), 5.0), group="edge cases"),
    ]
    for i in range(3):
        W = rng.normal(size=(int(rng.integers(3, 10)), int(rng.integers(2, 8))))
        cases.append(
            Case(f"random matrix {i + 1}", (W, float(rng.uniform(0.5, 2.5))), group="random")
        )
    return cases


MAX_NORM = Task(
    id="max_norm",
    title="Max-norm constraint",
    topic="constraints",
    params=("W", "c"),
    signature="def max_norm(W, c) -> np.ndarray",
    statement="""\
# Max-norm constraint

After each update, max-norm regularisation projects every unit's incoming weight vector back
into the ball of radius `c` > 0. With `W` of shape (fan_in, units), a unit's incoming weights
are a **column** `W[:, j]` (Keras `MaxNorm(max_value=c, axis=0)`):

```text
    W[:, j] ← W[:, j] · min(1, c / ‖W[:, j]‖₂)
```

Columns already inside the ball are unchanged (a zero column stays zero — no division by zero);
a 1-D `W` is a single column. Return a new float array with the shape of `W`.

"""
    + NUMPY_ONLY,
    starter="import numpy as np\n\n\ndef max_norm(W, c):\n    ...\n",
    solution=(
        "import numpy as np\n\n\ndef max_norm(W, c):\n"
        "    W = np.asarray(W, dtype=float)\n"
        "    norms = np.sqrt((W * W).sum(axis=0, keepdims=True))\n"
        "    scale = np.minimum(1.0, c / np.maximum(norms, 1e-300))\n"
        "    return W * scale\n"
    ),
    hints=(
        "Norms go over axis 0 (down each column): `np.linalg.norm(W, axis=0)`.",
        "Only shrink: a column shorter than c keeps its length.",
        "Guard the zero column: c / 0 is inf, and 0 · inf is nan.",
    ),
    reference="solvers:max_norm",
    make_cases=_max_norm_cases,
    compare=array(diagnose=_max_norm_mistakes),
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
    + NUMPY_ONLY,
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


TASKS = [
    L1_PENALTY,
    L1_SUBGRADIENT,
    L2_PENALTY,
    L2_GRADIENT,
    ELASTIC_NET_PENALTY,
    SOFT_THRESHOLD,
    MAX_NORM,
    SPECTRAL,
]
