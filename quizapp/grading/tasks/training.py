"""Training-procedure tasks: early stopping, label-smoothed cross-entropy, the AdamW optimizer
step, and mixup augmentation."""

from __future__ import annotations

from typing import Any

from quizapp.grading._bootstrap import Rng
from quizapp.grading.task import Case, Task
from quizapp.grading.tasks.shared import (
    NUMPY_ONLY,
    array,
    array_tuple,
    int_pair,
    scalar,
    seeded,
    wrong,
)
from quizapp.grading.verdicts import Failure, Verdict


def _smoothing_mistakes(logits: Any, labels: Any, eps: float) -> list[tuple[Any, str]]:
    import numpy as np

    z = np.asarray(logits, dtype=float)
    z = z - z.max(axis=1, keepdims=True)
    logp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    n, c = logp.shape
    nll = -logp[np.arange(n), labels]
    per_row = (1 - eps) * nll - eps * logp.mean(axis=1)
    others = (-logp.sum(axis=1) - nll) / max(c - 1, 1)
    return [
        (per_row.sum(), "return the mean over the batch, not the sum"),
        (np.mean((1 - eps) * nll + eps * others), "PyTorch spreads ε over all C classes "
         "(ε/C each, the true class included), not over the C − 1 wrong ones"),
        (nll.mean(), "the label smoothing is missing: mix the one-hot target with ε/C"),
        (np.mean((1 - eps) * nll - eps * logp.sum(axis=1)), "the uniform part is ε/C per "
         "class: average −log p over the classes, do not sum"),
    ]  # fmt: skip


def _early_cases() -> list[Case]:
    import numpy as np

    rng = seeded(17)
    curve = [1.0, 0.8, 0.7, 0.72, 0.71, 0.73, 0.69, 0.74, 0.75, 0.76, 0.77]
    cases = [
        Case("classic U-shaped curve", (curve, 2)),
        Case("patience 3", (curve, 3)),
        Case("never stops early", ([1.0, 0.9, 0.8, 0.7], 2), group="edge cases",
             hint="if patience never runs out, stop_epoch is the last epoch (len − 1)"),
        Case("stops exactly patience epochs after the best", ([0.5, 0.6, 0.7, 0.8, 0.9], 3),
             group="edge cases",
             hint="epochs are 0-based; stop at best_epoch + patience, not one later"),
        Case("a single epoch", ([0.3], 1), group="edge cases"),
        Case("ties do not improve", ([1.0, 1.0, 1.0, 1.0], 2), group="edge cases",
             hint="an epoch improves only if loss < best − min_delta (strictly)"),
        Case("min_delta ignores tiny gains", ([1.0, 0.995, 0.992, 0.996, 0.993], 2),
             {"min_delta": 0.01}, group="edge cases"),
        Case("min_delta, real gains count", ([1.0, 0.95, 0.9, 0.95, 0.96, 0.97], 2),
             {"min_delta": 0.01}, group="edge cases"),
        Case("min_delta is absolute: losses near 10", ([10.0, 9.995, 9.985, 9.99, 9.98, 9.97],
             2), {"min_delta": 0.01}, group="edge cases",
             hint="min_delta is an absolute amount: improve when loss < best − min_delta, "
             "whatever the size of the loss"),
        Case("min_delta is absolute: small losses", ([0.05, 0.045, 0.0445, 0.04, 0.0395, 0.0392],
             2), {"min_delta": 0.001}, group="edge cases",
             hint="min_delta is an absolute amount: improve when loss < best − min_delta, "
             "whatever the size of the loss"),
        Case("NumPy array input", (np.array(curve), 2), group="edge cases"),
        Case("patience 1", (curve, 1), group="edge cases"),
    ]  # fmt: skip
    for i in range(3):
        walk = np.cumsum(rng.normal(scale=0.05, size=40)) + np.linspace(1.0, 0.2, 40)
        cases.append(
            Case(f"noisy curve {i + 1}", ([float(v) for v in walk], int(i + 2)), group="random")
        )
    return cases


EARLY_STOPPING = Task(
    id="early_stopping",
    title="Early stopping with patience",
    topic="early_stopping",
    params=("val_losses", "patience", "min_delta"),
    signature="def early_stopping(val_losses, patience, min_delta=0.0) -> tuple[int, int]",
    statement="""\
# Early stopping

Given the validation loss of each epoch (a list or 1-D array, epochs numbered **from 0**),
decide where training stops and which epoch's weights to restore.

* Epoch 0 always improves. Epoch i improves when `val_losses[i] < best − min_delta`, where
  `best` is the loss of the last improving epoch (a tie is **not** an improvement).
* Training stops at the first epoch that is exactly `patience` epochs after the last
  improvement (`i − best_epoch == patience`); if that never happens, it stops at the last epoch.
* `best_epoch` is the last improving epoch up to and including the stop epoch.

Return `(best_epoch, stop_epoch)` as two ints. `patience` ≥ 1, `min_delta` ≥ 0.

Example: losses [1.0, 0.8, 0.7, 0.72, 0.71, 0.73, …] with patience 2 → (2, 4).

"""
    + NUMPY_ONLY,
    starter="def early_stopping(val_losses, patience, min_delta=0.0):\n    ...\n",
    solution=(
        "def early_stopping(val_losses, patience, min_delta=0.0):\n"
        "    best_loss = float('inf')\n    best_epoch = -1\n"
        "    losses = list(val_losses)\n"
        "    for epoch, loss in enumerate(losses):\n"
        "        if best_epoch < 0 or loss < best_loss - min_delta:\n"
        "            best_loss, best_epoch = loss, epoch\n"
        "        elif epoch - best_epoch >= patience:\n"
        "            return best_epoch, epoch\n"
        "    return best_epoch, len(losses) - 1\n"
    ),
    hints=(
        "Track the best loss and the epoch it happened; count epochs since then.",
        "Stop when epoch − best_epoch reaches patience — check it in the same loop iteration.",
        "Compare with `loss < best − min_delta` (strict) so that ties do not reset patience.",
    ),
    reference="solvers:early_stopping",
    make_cases=_early_cases,
    compare=int_pair(("best_epoch", "stop_epoch")),
)


_STABLE_HINT = (
    "compute log-softmax directly, z − max(z) − log Σ exp(z − max(z)): exp(1000) overflows, "
    "and log(softmax) takes log(0) = −inf where a probability underflows"
)


def _smoothing_cases() -> list[Case]:
    import numpy as np

    rng = seeded(29)
    logits = rng.normal(size=(5, 4))
    labels = rng.integers(0, 4, size=5)
    return [
        Case("small batch, eps = 0.1", (logits, labels, 0.1)),
        Case("eps = 0 is plain cross-entropy", (logits, labels, 0.0)),
        Case("two classes", (np.array([[2.0, -1.0], [0.5, 0.5]]), np.array([0, 1]), 0.2)),
        Case("large logits (stability)", (np.array([[1000.0, 0.0, -1000.0], [0.0, 800.0, 900.0]]),
                                          np.array([0, 1]), 0.1), group="edge cases",
             hint=_STABLE_HINT),
        Case("very negative logits", (np.array([[-1000.0, -1001.0, -1002.0]]), np.array([2]), 0.05),
             group="edge cases", hint=_STABLE_HINT),
        Case("batch of one", (np.array([[0.1, 0.2, 0.7]]), np.array([2]), 0.3), group="edge cases"),
        Case("eps close to 1", (logits, labels, 0.95), group="edge cases"),
        Case("integer logits", (np.array([[1, 2, 3], [3, 2, 1]]), np.array([2, 0]), 0.1),
             group="edge cases"),
        Case("many classes", (rng.normal(scale=3.0, size=(20, 50)), rng.integers(0, 50, size=20),
                              0.1), group="random"),
        Case("random batch", (rng.normal(size=(32, 10)), rng.integers(0, 10, size=32), 0.2),
             group="random"),
    ]  # fmt: skip


LABEL_SMOOTHING = Task(
    id="label_smoothing_cross_entropy",
    title="Cross-entropy with label smoothing",
    topic="losses",
    params=("logits", "labels", "eps"),
    signature="def label_smoothing_cross_entropy(logits, labels, eps) -> float",
    statement="""\
# Cross-entropy with label smoothing (PyTorch's definition)

`logits` has shape (N, C), `labels` holds N integer class indices, 0 ≤ `eps` < 1. As
`torch.nn.CrossEntropyLoss(label_smoothing=eps)`, the target mixes the one-hot label with the
**uniform distribution over all C classes** (eps/C each, the true class included):

```text
    q_k = (1 − ε)·[k = y] + ε/C,    ℓᵢ = −Σ_k q_k · log softmax(zᵢ)_k
```

Return the **mean** over the batch as one number. Logits may be as large as ±1000: compute
log-softmax stably (subtract the row maximum, log-sum-exp).

"""
    + NUMPY_ONLY,
    starter=(
        "import numpy as np\n\n\ndef label_smoothing_cross_entropy(logits, labels, eps):\n    ...\n"
    ),
    solution=(
        "import numpy as np\n\n\ndef label_smoothing_cross_entropy(logits, labels, eps):\n"
        "    z = np.asarray(logits, dtype=float)\n"
        "    z = z - z.max(axis=1, keepdims=True)\n"
        "    logp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))\n"
        "    n = z.shape[0]\n"
        "    nll = -logp[np.arange(n), labels]\n"
        "    uniform = -logp.mean(axis=1)\n"
        "    return float(np.mean((1 - eps) * nll + eps * uniform))\n"
    ),
    hints=(
        "log softmax(z) = z − max(z) − log Σ exp(z − max(z)).",
        "The smoothed loss is (1 − ε)·NLL of the label + ε·(mean over classes of −log p).",
        "PyTorch spreads ε over all C classes (ε/C), not over the C − 1 wrong ones.",
    ),
    reference="solvers:label_smoothing_cross_entropy",
    make_cases=_smoothing_cases,
    compare=scalar(rtol=1e-6, atol=1e-9, diagnose=_smoothing_mistakes),
)


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
    + NUMPY_ONLY,
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
    reference="quizapp.grading.tasks.training:ref_adamw_step",
    make_cases=_adamw_cases,
    compare=array_tuple(("w_new", "m_new", "v_new")),
    core=False,
)


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
        return wrong(f"lam = {lam:.6g} is outside [0, 1]", hint="draw lam ~ Beta(alpha, alpha)")
    perm_arr = np.asarray(perm)
    n = x.shape[0]
    if (
        perm_arr.shape != (n,)
        or perm_arr.dtype.kind not in "iu"
        or not np.array_equal(np.sort(perm_arr), np.arange(n))
    ):
        return wrong(
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
    + NUMPY_ONLY,
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


TASKS = [EARLY_STOPPING, LABEL_SMOOTHING, ADAMW, MIXUP]
