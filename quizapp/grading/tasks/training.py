"""Training-procedure tasks: early stopping and label-smoothed cross-entropy."""

from __future__ import annotations

from typing import Any

from quizapp.grading.catalog import Case, Task
from quizapp.grading.tasks._common import int_pair, scalar, seeded

_NUMPY_ONLY = "Use Python and NumPy only (`import numpy as np`). Do not modify the inputs."


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
    + _NUMPY_ONLY,
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
    + _NUMPY_ONLY,
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

TASKS = [EARLY_STOPPING, LABEL_SMOOTHING]
