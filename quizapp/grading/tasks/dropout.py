"""Dropout tasks — inverted dropout forward/backward, spatial and variational dropout,
DropConnect. The forward passes are random, so they are graded by properties, not by a stream.

Any valid way of drawing the mask passes (``rng.random(...) >= p``, ``rng.binomial``,
``rng.uniform``...); scaling at eval time, keeping with probability p, forgetting the 1/(1−p)
scale or sharing one mask across rows do not.
"""

from __future__ import annotations

import math
from typing import Any

from quizapp.grading._bootstrap import Rng
from quizapp.grading.task import Case, Task
from quizapp.grading.tasks.shared import NUMPY_ONLY, array, seeded, wrong
from quizapp.grading.verdicts import Failure, Verdict

# A binomial test at 6 standard deviations: a correct answer fails it with probability < 2e-9.
_Z_MAX = 6.0


def _out_mask(got: Any, x: Any) -> tuple[Any, Any] | Failure:
    from quizapp.grading.compare import check_array, unpack_tuple

    pair = unpack_tuple(got, 2, "dropout_forward")
    if isinstance(pair, Failure):
        pair.hint = "return both: `return out, mask`"
        return pair
    out, mask = pair
    for what, value in (("out", out), ("mask", mask)):
        failure = check_array(value, x, what=what, values=False)  # type, shape, finite
        if failure is not None:
            return failure
    return out, mask


def _values_ok(case: Case, got: Any) -> Failure | None:
    """Every out is 0 or x/(1−p), and the returned mask reproduces it."""
    import numpy as np

    from quizapp.grading.compare import fmt

    x, p = case.args[0], case.args[1]
    pair = _out_mask(got, x)
    if isinstance(pair, Failure):
        return pair
    boolean_mask = np.asarray(pair[1]).dtype == bool
    out, mask = (np.asarray(v, dtype=float) for v in pair)
    scale = 1.0 / (1.0 - p)
    dropped = np.abs(out) <= 1e-12  # np.isclose's rule, without its overhead on large inputs
    kept = np.abs(out - x * scale) <= 1e-12 + 1e-6 * np.abs(x * scale)
    if not np.all(dropped | kept):
        i = tuple(int(k) for k in np.argwhere(~(dropped | kept))[0])
        ratio = out[i] / x[i] if x[i] else float("nan")
        hint = "kept units are scaled by 1/(1−p) during training (inverted dropout)"
        if np.allclose(mask, x * out, rtol=1e-6, atol=1e-12):
            hint = "return (out, mask) in that order"
        elif np.isclose(ratio, 1.0):
            hint = "you kept x unchanged: inverted dropout divides kept units by (1−p)"
        elif np.isclose(ratio, 1.0 - p):
            hint = "you multiplied by (1−p): that is classic dropout's test-time rule"
        return wrong(
            f"out[{', '.join(map(str, i))}] = {out[i]:.6g} for x = {x[i]:.6g}: every output "
            f"must be 0 or x/(1−p) = {x[i] * scale:.6g}",
            hint=hint,
        )
    mask_ok = (np.abs(mask) <= 1e-12) | (np.abs(mask - scale) <= 1e-8 + 1e-6 * scale)
    if not mask_ok.all():
        i = tuple(int(k) for k in np.argwhere(~mask_ok)[0])
        if boolean_mask:
            return wrong(
                f"the mask is boolean (True/False); it must hold 0 or 1/(1−p) = {scale:.6g}",
                hint="return the scaled mask, e.g. `(rng.random(x.shape) >= p) / (1 - p)`, so "
                "that out = x * mask and backward is dout * mask",
            )
        return wrong(
            f"mask[{', '.join(map(str, i))}] = {mask[i]:.6g}: the mask must hold 0 or "
            f"1/(1−p) = {scale:.6g}",
            hint="return the scaled mask, so that out = x * mask and backward is dout * mask",
        )
    if not (np.abs(out - x * mask) <= 1e-12 + 1e-6 * np.abs(x * mask)).all():
        return wrong(
            "the returned mask does not reproduce the output: out != x * mask",
            expected=fmt(x * mask),
            got=fmt(out),
        )
    return None


def _identity(case: Case, got: Any) -> Failure | None:
    """Eval mode or p = 0: out = x and mask = ones."""
    import numpy as np

    from quizapp.grading.compare import check_array

    x = case.args[0]
    pair = _out_mask(got, x)
    if isinstance(pair, Failure):
        return pair
    out, mask = pair
    failure = check_array(out, x, what="out")
    if failure is not None:
        p = case.args[1]
        when = "training=False" if not case.args[2] else "p = 0"
        if failure.verdict is Verdict.WRONG_ANSWER and "differs" in failure.message:
            failure.message = f"with {when} out must equal x; " + failure.message.replace(
                "out differs", "yours differs", 1
            )
        ratio = np.asarray(out, dtype=float).ravel()[0] / x.ravel()[0]
        if np.isclose(ratio, 1.0 - p):
            failure.hint = "with inverted dropout the 1/(1−p) scaling happens in training only"
        elif np.isclose(ratio, 1.0 / (1.0 - p)):
            failure.hint = "no scaling (and no dropping) at all outside training"
        else:
            failure.hint = case.hint
        return failure
    failure = check_array(mask, np.ones_like(x), what="mask")
    if failure is not None:
        failure.hint = "return a mask of ones when nothing is dropped"
    return failure


def _rate(case: Case, got: Any) -> Failure | None:
    """The fraction of dropped units matches p (binomial test, |z| < 6)."""
    import numpy as np

    failure = _values_ok(case, got)
    if failure is not None:
        return failure
    p = case.args[1]
    out = np.asarray(got[0], dtype=float)
    n = out.size
    zeros = int(np.count_nonzero(np.abs(out) <= 1e-12))
    z = (zeros - n * p) / math.sqrt(n * p * (1 - p))
    if abs(z) > _Z_MAX:
        hint = ""
        if abs(zeros / n - (1 - p)) < 0.01:
            hint = "p is the probability of DROPPING a unit: keep with probability 1 − p"
        return wrong(
            f"dropped {zeros} of {n} units ({zeros / n:.1%}); with p = {p} expect about "
            f"{n * p:.0f} ± {3 * math.sqrt(n * p * (1 - p)):.0f}",
            hint=hint,
        )
    return _pairs_ok(np.asarray(got[1], dtype=float), p)


def _pairs_ok(mask: Any, p: float) -> Failure | None:
    """Neighbours are independent: disjoint pairs of entries (along the last axis, and along
    the first for 2-D and more) are both dropped with probability p² and both kept with
    probability (1−p)² (binomial tests, |z| < 6). A pattern that ignores `rng` — alternating
    entries, a golden-ratio sequence — gets the rate right and fails this."""
    import numpy as np

    dropped = np.asarray(mask) == 0
    flat = dropped.reshape(-1, dropped.shape[-1]) if dropped.ndim > 1 else dropped[None, :]
    pairs = [(flat[:, 0 : flat.shape[1] // 2 * 2 : 2], flat[:, 1 : flat.shape[1] // 2 * 2 : 2])]
    if flat.shape[0] >= 2:
        rows = flat.shape[0] // 2 * 2
        pairs.append((flat[0:rows:2], flat[1:rows:2]))
    for a, b in pairs:
        m = a.size
        if m < 200:
            continue
        for what, count, prob in (
            ("dropped", np.count_nonzero(a & b), p * p),
            ("kept", np.count_nonzero(~a & ~b), (1 - p) ** 2),
        ):
            if prob <= 0 or prob >= 1:
                continue
            z = (count - m * prob) / math.sqrt(m * prob * (1 - prob))
            if abs(z) > _Z_MAX:
                return wrong(
                    f"neighbouring mask entries are not independent: {count} of {m} disjoint "
                    f"pairs are both {what}, expected about {m * prob:.0f} "
                    f"± {3 * math.sqrt(m * prob * (1 - prob)):.0f}",
                    hint="draw every entry at random from rng (rng.random(x.shape) >= p); a "
                    "fixed pattern can match the rate but not the independence",
                )
    return None


def _fresh_mask(case: Case, got: Any, twin: Any) -> Failure | None:
    """Two calls with different generators draw different masks: entries agree with
    probability p² + (1−p)², not always (a seed fixed inside the function, a pattern)."""
    import numpy as np

    p = case.args[1]
    a = np.asarray(got[1], dtype=float) == 0
    b = np.asarray(twin[1], dtype=float) == 0
    n = a.size
    agree = int(np.count_nonzero(a == b))
    prob = p * p + (1 - p) ** 2
    z = (agree - n * prob) / math.sqrt(n * prob * (1 - prob))
    if abs(z) > _Z_MAX:
        return wrong(
            f"two calls with different generators drew masks that agree on {agree} of {n} "
            f"entries; independent masks agree on about {n * prob:.0f}",
            hint="draw the mask from the rng argument; do not create a generator with a fixed "
            "seed inside the function",
        )
    return None


def _independent(case: Case, got: Any) -> Failure | None:
    """No mask shared across rows (or across columns): each element is drawn on its own."""
    import numpy as np

    failure = _values_ok(case, got)
    if failure is not None:
        return failure
    mask = np.asarray(got[1], dtype=float) != 0
    if (mask == mask[0:1, :]).all():
        return wrong(
            "every row has the same dropout mask: units must be dropped independently per example",
            hint="draw a mask with the full shape of x, e.g. rng.random(x.shape) >= p",
        )
    if (mask == mask[:, 0:1]).all():
        return wrong(
            "every column has the same dropout mask: draw one value per element",
            hint="draw a mask with the full shape of x, e.g. rng.random(x.shape) >= p",
        )
    return None


def _forward_cases() -> list[Case]:
    import numpy as np

    rng = seeded(42)
    x_small = np.array([[1.0, 2.0], [3.0, 4.0]])
    x_normal = rng.normal(size=(60, 40)) + 0.01  # no exact zeros
    # not all ones: the rate is measured on ordinary inputs too (an answer must not draw
    # correctly only where x == 1); 160 000 entries put a rate 1 point off at ~9σ
    x_big = rng.uniform(0.5, 1.5, size=(400, 400))
    return [
        Case("output is 0 or x/(1−p) everywhere", (x_normal, 0.3, True, Rng(1)), {},
             "training", _values_ok),
        Case("1-D input", (np.linspace(0.5, 2.0, 500), 0.2, True, Rng(2)), {}, "training",
             _values_ok),
        Case("3-D input", (rng.normal(size=(4, 5, 6)) + 0.01, 0.5, True, Rng(3)), {}, "training",
             _values_ok),
        Case("integer input", (np.arange(1, 13).reshape(3, 4), 0.5, True, Rng(4)), {},
             "training", _values_ok),
        Case("drop rate matches p (p = 0.3)", (np.ones((100, 200)), 0.3, True, Rng(8)), {},
             "statistics", _rate, check_inputs=False),
        Case("drop rate matches p (p = 0.9)", (np.ones((100, 100)), 0.9, True, Rng(9)), {},
             "statistics", _rate, check_inputs=False),
        Case("units are dropped independently", (np.ones((64, 100)), 0.5, True, Rng(10)), {},
             "statistics", _independent),
        Case("drop rate and independence on a large input (p = 0.3)", (x_big, 0.3, True,
             Rng(11)), {}, "statistics", _rate, check_inputs=False),
        # the first case again with another generator (2,400 entries: masks that agree
        # everywhere are 40σ from independent ones)
        Case("a second call draws a new mask", (x_normal, 0.3, True, Rng(12)), {}, "statistics",
             _values_ok, twin="output is 0 or x/(1−p) everywhere", twin_check=_fresh_mask,
             hint="the mask must come from rng: another generator, another mask"),
        Case("eval mode is the identity", (x_small, 0.5, False, Rng(5)), {}, "eval", _identity,
             hint="outside training, dropout returns x unchanged"),
        Case("eval mode, 1-D input", (np.array([0.5, -1.0, 2.0]), 0.2, False, Rng(6)), {},
             "eval", _identity),
        Case("p = 0 is the identity", (x_normal[:5], 0.0, True, Rng(7)), {}, "eval", _identity,
             hint="with p = 0 nothing is dropped and 1/(1−p) = 1"),
    ]  # fmt: skip


DROPOUT_FORWARD = Task(
    id="dropout_forward",
    title="Inverted dropout: forward pass",
    topic="dropout",
    params=("x", "p", "training", "rng"),
    signature="def dropout_forward(x, p, training, rng) -> tuple[np.ndarray, np.ndarray]",
    statement="""\
# Inverted dropout — forward pass

`p` is the probability of **dropping** a unit, 0 ≤ p < 1 (PyTorch's convention).

In training (`training=True`) draw a mask with the shape of `x`, each element independently
0 with probability p and **1/(1−p)** otherwise, and return

```text
    out = x ⊙ mask,    maskᵢ ∈ {0, 1/(1−p)}
```

so that E[out] = x. At inference (`training=False`) dropout is the identity: return `x`
unchanged and a mask of ones — the scaling already happened in training.

* Return `(out, mask)`: `dropout_backward` needs the mask.
* Draw randomness from `rng`, a `np.random.Generator` (e.g. `rng.random(x.shape)`).
* `x` may be 1-D, 2-D or more, and may hold integers; do not modify it.

Graded by properties: every output is 0 or x/(1−p), the drop rate matches p, masks differ
across rows, eval and p = 0 are the identity, and `out == x * mask`.
""",
    starter="import numpy as np\n\n\ndef dropout_forward(x, p, training, rng):\n    ...\n",
    solution=(
        "import numpy as np\n\n\ndef dropout_forward(x, p, training, rng):\n"
        "    x = np.asarray(x, dtype=float)\n"
        "    if not training:\n        return x.copy(), np.ones_like(x)\n"
        "    mask = (rng.random(x.shape) >= p) / (1.0 - p)\n"
        "    return x * mask, mask\n"
    ),
    hints=(
        "`rng.random(x.shape) >= p` is True with probability 1 − p: those units are kept.",
        "Scale the kept units by 1/(1 − p) now, in training, so inference needs no change.",
        "In eval mode return `x` itself (a copy) and `np.ones_like(x)`.",
    ),
    reference="solvers:dropout_forward",
    make_cases=_forward_cases,
    compare=array(),
)


def _backward_cases() -> list[Case]:
    import numpy as np

    rng = seeded(8)
    mask = (rng.random((6, 5)) >= 0.5) / 0.5
    return [
        Case("backward uses the mask", (rng.normal(size=(6, 5)), mask),
             hint="the gradient is dout * mask: dropped units get 0, kept ones are scaled"),
        Case("mask of ones (eval / p = 0)", (rng.normal(size=(3, 4)), np.ones((3, 4)))),
        Case("p = 0.8 mask", (np.ones((4, 4)), (rng.random((4, 4)) >= 0.8) / 0.2)),
        Case("1-D", (np.array([1.0, -2.0, 3.0]), np.array([0.0, 2.0, 2.0])), group="edge cases"),
        Case("3-D", (rng.normal(size=(2, 3, 4)), (rng.random((2, 3, 4)) >= 0.25) / 0.75),
             group="edge cases"),
        Case("integer gradient", (np.array([[1, 2], [3, 4]]), np.array([[0.0, 1.25], [1.25, 0.0]])),
             group="edge cases"),
    ]  # fmt: skip


DROPOUT_BACKWARD = Task(
    id="dropout_backward",
    title="Inverted dropout: backward pass",
    topic="dropout",
    params=("dout", "mask"),
    signature="def dropout_backward(dout, mask) -> np.ndarray",
    statement="""\
# Inverted dropout — backward pass

Given the upstream gradient `dout` (∂L/∂out) and the `mask` that `dropout_forward` returned
(entries 0 or 1/(1−p)), return ∂L/∂x. Since out = x ⊙ mask:

```text
    ∂L/∂x = dout ⊙ mask
```

Dropped units get no gradient; kept units get it scaled by the same 1/(1−p). Return a float
array of the same shape. Do not modify the inputs.
""",
    starter="import numpy as np\n\n\ndef dropout_backward(dout, mask):\n    ...\n",
    solution=(
        "import numpy as np\n\n\ndef dropout_backward(dout, mask):\n"
        "    return np.asarray(dout, dtype=float) * mask\n"
    ),
    hints=(
        "Backward of an elementwise product with a constant is the same product.",
        "Use the mask as given — it already contains the 1/(1−p) scale.",
    ),
    reference="solvers:dropout_backward",
    make_cases=_backward_cases,
    compare=array(),
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
    failure = check_array(mask, np.zeros(mask_shape), what="mask", values=False)
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
        return wrong(
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
        return wrong(
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
        return None if (mask == 1).all() else wrong("outside training the mask must be ones")
    failure = _rate_ok(mask, p)
    if failure is None and mask.shape[0] > 1 and (mask == mask[0:1]).all():
        failure = wrong("every sample has the same channel mask: draw one per (sample, channel)")
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
        return None if (mask == 1).all() else wrong("outside training the mask must be ones")
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
        return None if (mw == 1).all() else wrong("outside training the mask must be ones")
    if mw.shape[0] > 1 and mw.shape[1] > 1 and ((mw == mw[0:1]).all() or (mw == mw[:, 0:1]).all()):
        return wrong(
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
    + NUMPY_ONLY,
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
    + NUMPY_ONLY,
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
    + NUMPY_ONLY,
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


TASKS = [DROPOUT_FORWARD, DROPOUT_BACKWARD, SPATIAL, VARIATIONAL, DROPCONNECT]
