"""Input checks shared by every solver: precise `ValueError`s at the boundary, nothing deeper.

Each check converts what it accepts to the one type the maths below uses (float64 arrays,
Python floats and ints) and names the parameter and the allowed domain when it refuses.
"""

from __future__ import annotations

import math
import numbers
from typing import Any

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]

__all__ = [
    "FloatArray",
    "as_array",
    "as_int",
    "as_labels",
    "as_rng",
    "as_scalar",
    "check_design",
    "check_fit_design",
    "check_magnitude",
    "overflow_error",
]

# The fitting solvers form sums of squares and products of them (Gram matrices, ‖X‖², Hessians
# times steps). Entries up to 1e50 keep every such quantity finite with room to spare (a fourth
# power times n·p stays below float64's 1.8e308 for n·p < 1e100); beyond that, finite data
# overflows inside the solver and would come back as NaN, zeros or a false "converged".
MAX_MAGNITUDE = 1e50


def as_array(
    value: Any,
    name: str,
    *,
    ndim: int | tuple[int, ...] | None = None,
    allow_empty: bool = True,
) -> FloatArray:
    """`value` as a finite float64 array (a copy only when needed)."""
    if _is_sparse(value):
        raise ValueError(
            f"{name}: sparse matrices are not supported; use {name}.toarray() "
            "(the solvers are dense NumPy)"
        )
    if isinstance(value, np.ndarray) and value.dtype == np.float64:
        arr = value
    else:
        try:
            arr = np.asarray(value, dtype=np.float64)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"{name} must be an array of real numbers ({exc})") from None
        if isinstance(value, np.ndarray) and np.iscomplexobj(value):
            raise ValueError(f"{name} must be real, got a complex array")
    if ndim is not None:
        allowed = (ndim,) if isinstance(ndim, int) else ndim
        if arr.ndim not in allowed:
            want = " or ".join(f"{d}-D" for d in allowed)
            raise ValueError(f"{name} must be {want}, got shape {arr.shape}")
    if not allow_empty and arr.size == 0:
        raise ValueError(f"{name} must not be empty")
    # min and max propagate NaN and reach ±inf: the check without an n×p temporary.
    if arr.size and not (np.isfinite(arr.min()) and np.isfinite(arr.max())):
        raise ValueError(f"{name} must be finite (no NaN or inf)")
    return arr


def _as_fit_array(value: Any, name: str, ndim: int) -> FloatArray:
    """as_array and check_magnitude with one min and one max pass over the data."""
    arr = value if isinstance(value, np.ndarray) and value.dtype == np.float64 else None
    if arr is None or arr.ndim != ndim or arr.size == 0:
        arr = as_array(value, name, ndim=ndim)
        check_magnitude(arr, name)
        return arr
    lo, hi = float(arr.min()), float(arr.max())
    if not (math.isfinite(lo) and math.isfinite(hi)):
        raise ValueError(f"{name} must be finite (no NaN or inf)")
    _refuse_magnitude(max(-lo, hi), name)
    return arr


def as_scalar(
    value: Any,
    name: str,
    *,
    low: float | None = None,
    high: float | None = None,
    low_open: bool = False,
    high_open: bool = False,
) -> float:
    """`value` as a finite Python float inside [low, high] (ends open where asked)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        if isinstance(value, np.ndarray) and value.shape == () and value.dtype.kind in "fiu":
            value = value.item()
        else:
            raise ValueError(f"{name} must be a real number, got {value!r}")
    x = float(value)
    left = "(" if low_open or low is None else "["
    right = ")" if high_open or high is None else "]"
    lo = "-inf" if low is None else f"{low:g}"
    hi = "inf" if high is None else f"{high:g}"
    domain = f"{left}{lo}, {hi}{right}"
    if not math.isfinite(x):
        raise ValueError(f"{name} must be a finite number in {domain}, got {x}")
    bad_low = low is not None and (x <= low if low_open else x < low)
    bad_high = high is not None and (x >= high if high_open else x > high)
    if bad_low or bad_high:
        raise ValueError(f"{name} must be in {domain}, got {x:g}")
    return x


def as_int(value: Any, name: str, *, low: int | None = None) -> int:
    """`value` as a Python int ≥ low (bools refused: `True` is not a patience)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise ValueError(f"{name} must be an integer, got {value!r}")
    i = int(value)
    if low is not None and i < low:
        raise ValueError(f"{name} must be an integer >= {low}, got {i}")
    return i


def as_labels(value: Any, name: str, n: int, n_classes: int) -> NDArray[np.intp]:
    """Integer class labels, one per row, each in [0, n_classes)."""
    arr = np.asarray(value)
    if arr.ndim != 1 or arr.shape[0] != n:
        raise ValueError(
            f"{name} must be 1-D with {n} entries (one per row), got shape {arr.shape}"
        )
    if arr.size and arr.dtype.kind not in "iu":
        if arr.dtype.kind == "f" and np.isfinite(arr).all() and (arr == np.round(arr)).all():
            arr = arr.astype(np.intp)
        else:
            raise ValueError(f"{name} must hold integer class indices, got dtype {arr.dtype}")
    labels = arr.astype(np.intp, copy=False)
    if labels.size and (labels.min() < 0 or labels.max() >= n_classes):
        raise ValueError(
            f"{name} must be in [0, {n_classes - 1}] (one of the {n_classes} classes), "
            f"got values in [{labels.min()}, {labels.max()}]"
        )
    return labels


def as_rng(rng: Any, name: str = "rng") -> np.random.Generator:
    """A `numpy.random.Generator`; None means a fresh default one, an int seeds one."""
    if rng is None:
        return np.random.default_rng()
    if isinstance(rng, np.random.Generator):
        return rng
    if isinstance(rng, numbers.Integral) and not isinstance(rng, bool):
        return np.random.default_rng(int(rng))
    raise ValueError(f"{name} must be a numpy.random.Generator, an int seed or None, got {rng!r}")


def _is_sparse(value: Any) -> bool:
    """A scipy.sparse matrix or array, recognised without importing SciPy."""
    return type(value).__module__.startswith("scipy.sparse") and hasattr(value, "toarray")


def check_magnitude(arr: FloatArray, name: str) -> None:
    """Refuse entries beyond MAX_MAGNITUDE, which would overflow the solvers' internal sums."""
    m = max(float(-arr.min()), float(arr.max())) if arr.size else 0.0  # no |arr| temporary
    _refuse_magnitude(m, name)


def _refuse_magnitude(m: float, name: str) -> None:
    if m > MAX_MAGNITUDE:
        raise ValueError(
            f"{name} has entries of magnitude up to {m:.3g}; the solvers need every |{name}| "
            f"<= {MAX_MAGNITUDE:g}, or their internal sums of squares overflow. Rescale {name} "
            "(divide it by its largest entry, or standardise its columns) and fit again"
        )


def overflow_error(what: str) -> ValueError:
    """The error for finite input whose internal sums still overflowed (inf or NaN inside)."""
    return ValueError(
        f"{what} overflowed to inf/NaN inside the solver although the input is finite; "
        "rescale X and y (e.g. standardise the columns of X) and fit again"
    )


def check_design(X: Any, y: Any) -> tuple[FloatArray, FloatArray]:
    """A regression problem: X is (n, p), y is (n,), n ≥ 1, both finite."""
    Xa = as_array(X, "X", ndim=2)
    ya = as_array(y, "y", ndim=1)
    if Xa.shape[0] == 0:
        raise ValueError("X must have at least one row")
    if ya.shape[0] != Xa.shape[0]:
        raise ValueError(f"y must have one entry per row of X ({Xa.shape[0]}), got {ya.shape[0]}")
    return Xa, ya


def check_fit_design(X: Any, y: Any) -> tuple[FloatArray, FloatArray]:
    """check_design, and entries small enough that the fit's internal sums stay finite."""
    if _is_sparse(X):
        as_array(X, "X")  # the sparse-input message
    Xa = _as_fit_array(X, "X", 2)
    ya = _as_fit_array(y, "y", 1)
    if Xa.shape[0] == 0:
        raise ValueError("X must have at least one row")
    if ya.shape[0] != Xa.shape[0]:
        raise ValueError(f"y must have one entry per row of X ({Xa.shape[0]}), got {ya.shape[0]}")
    return Xa, ya
