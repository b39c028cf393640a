"""Compare an answer's output with the expected one, in the parent process.

Checks go from coarse to fine — type, shape, finiteness, then values with a tolerance — so the
message names the first thing that is wrong ("expected shape (3, 4), got (4, 3)") instead of a
generic "arrays differ".
"""

from __future__ import annotations

import math
from typing import Any, cast

import numpy as np

from quizapp.grading._bootstrap import Unsupported
from quizapp.grading.verdicts import Failure, Verdict

__all__ = [
    "ATOL",
    "RTOL",
    "check_array",
    "check_int",
    "check_scalar",
    "fmt",
    "type_name",
    "unpack_tuple",
]

RTOL = 1e-5
ATOL = 1e-8
_NONFINITE_HINT = "look for overflow (exp of a large number), log(0) or a division by zero"


def fmt(value: Any) -> str:
    """A short, readable rendering of a value for the report."""
    if isinstance(value, np.ndarray):
        if value.size > 24:
            head = fmt(value.ravel()[:4])[1:-1]
            return f"<array of shape {value.shape}, dtype {value.dtype}: {head}, …>"
        text = np.array2string(
            value,
            separator=", ",
            threshold=24,
            edgeitems=3,
            max_line_width=10**6,
            formatter=cast(Any, {"float_kind": _float}),
        ).replace("\n", "")
        return " ".join(text.split()).replace("[ ", "[")  # the sign column of int arrays
    if isinstance(value, float | np.floating):
        return _float(float(value)) if abs(float(value)) < 1e16 else repr(float(value))
    if isinstance(value, list) and len(value) > 12:
        return "[" + ", ".join(fmt(v) for v in value[:12]) + f", …] ({len(value)} items)"
    if isinstance(value, tuple | list):
        inner = ", ".join(fmt(v) for v in value)
        return f"({inner})" if isinstance(value, tuple) else f"[{inner}]"
    return repr(value)


def _float(v: float) -> str:
    text = f"{v:.6g}"
    return text if any(c in text for c in ".eni") else text + ".0"


def type_name(value: Any) -> str:
    if isinstance(value, Unsupported):
        return value.type_name
    if isinstance(value, np.ndarray):
        return f"ndarray of shape {value.shape} and dtype {value.dtype}"
    if value is None:
        return "None"
    return type(value).__name__


def _bad(message: str, hint: str = "") -> Failure:
    return Failure(Verdict.BAD_OUTPUT, message, hint=hint)


def unpack_tuple(got: Any, n: int, what: str = "the function") -> tuple[Any, ...] | Failure:
    """The answer must return an n-tuple (a list is accepted too)."""
    if isinstance(got, tuple | list) and len(got) == n:
        return tuple(got)
    if isinstance(got, tuple | list):
        return _bad(f"{what} returned {len(got)} values, expected {n}")
    return _bad(f"{what} returned {type_name(got)}, expected a tuple of {n} values")


def _as_real_array(got: Any, what: str) -> np.ndarray | Failure:
    if isinstance(got, np.ndarray):
        arr = got
    elif isinstance(got, np.generic | int | float) and not isinstance(got, bool):
        arr = np.asarray(got)
    elif isinstance(got, list | tuple):
        return _bad(
            f"{what} is a Python {type(got).__name__}; return a NumPy array",
            hint="wrap the result in np.asarray(...), or compute it with NumPy operations",
        )
    else:
        return _bad(f"{what} should be a NumPy array, got {type_name(got)}")
    if arr.dtype.kind == "c":
        return _bad(f"{what} is complex ({arr.dtype}); expected real numbers")
    if arr.dtype.kind not in "biuf":
        return _bad(f"{what} has dtype {arr.dtype}; expected numbers")
    return arr


def check_array(
    got: Any,
    expected: Any,
    *,
    rtol: float = RTOL,
    atol: float = ATOL,
    what: str = "the result",
    values: bool = True,
) -> Failure | None:
    """A real array of the expected shape, finite where the expected is, and (``values``)
    within tolerance of it; ``values=False`` checks only the first three."""
    arr = _as_real_array(got, what)
    if isinstance(arr, Failure):
        return arr
    exp = np.asarray(expected, dtype=np.float64)
    if arr.shape != exp.shape:
        return Failure(
            Verdict.WRONG_ANSWER,
            f"{what}: expected shape {exp.shape}, got {arr.shape}",
            expected=fmt(exp),
            got=fmt(arr),
        )
    val = arr.astype(np.float64, copy=False)
    bad = ~np.isfinite(val) & np.isfinite(exp)
    if bad.any():
        idx = tuple(int(i) for i in np.argwhere(bad)[0])
        where = f" at index {idx}" if idx else ""
        return Failure(
            Verdict.WRONG_ANSWER,
            f"{what}: got {float(val[idx])!r}{where} where a finite number was expected",
            expected=fmt(exp),
            got=fmt(arr),
            hint=_NONFINITE_HINT,
        )
    if not values or np.allclose(val, exp, rtol=rtol, atol=atol, equal_nan=True):
        return None
    abs_err = np.abs(val - exp)
    with np.errstate(divide="ignore", invalid="ignore"):
        rel_err = np.where(exp != 0, abs_err / np.abs(exp), np.where(abs_err > 0, np.inf, 0.0))
    worst = np.unravel_index(int(np.nanargmax(abs_err)), abs_err.shape) if abs_err.size else ()
    where = f" (largest at index {tuple(int(i) for i in worst)})" if exp.ndim else ""
    return Failure(
        Verdict.WRONG_ANSWER,
        f"{what} differs from the expected values{where}; tolerance rtol={rtol:g}, atol={atol:g}",
        expected=fmt(exp),
        got=fmt(arr),
        max_abs=float(np.nanmax(abs_err)),
        max_rel=float(np.nanmax(rel_err)),
        hint=_low_precision(arr.dtype) or _integer_result(arr, exp),
    )


def check_scalar(
    got: Any,
    expected: float,
    *,
    rtol: float = RTOL,
    atol: float = ATOL,
    what: str = "the result",
) -> Failure | None:
    """A float result: a Python or NumPy scalar (or a 0-d array) is accepted, not a vector."""
    if isinstance(got, bool) or got is None or isinstance(got, Unsupported | str):
        return _bad(f"{what} should be a number, got {type_name(got)}")
    if isinstance(got, np.ndarray):
        if got.shape != ():
            hint = "sum over all elements (np.sum) to reduce to one number"
            if got.size == 1:
                hint = "return the number itself: `float(result)` or `result.item()`"
            return _bad(
                f"{what} should be a single number, got an array of shape {got.shape}",
                hint=hint,
            )
        got = got[()]
    if not isinstance(got, int | float | np.integer | np.floating):
        return _bad(f"{what} should be a number, got {type_name(got)}")
    value = float(got)
    if not math.isfinite(value) and math.isfinite(expected):
        return Failure(
            Verdict.WRONG_ANSWER,
            f"{what}: got {value!r} where a finite number was expected",
            expected=fmt(expected),
            got=fmt(value),
            hint=_NONFINITE_HINT,
        )
    if math.isclose(value, expected, rel_tol=rtol, abs_tol=atol):
        return None
    abs_err = abs(value - expected)
    return Failure(
        Verdict.WRONG_ANSWER,
        f"{what} differs from the expected value; tolerance rtol={rtol:g}, atol={atol:g}",
        expected=fmt(float(expected)),
        got=fmt(value),
        max_abs=abs_err,
        max_rel=abs_err / abs(expected) if expected else math.inf,
        hint=_low_precision(np.asarray(got).dtype),
    )


def _integer_result(arr: np.ndarray, exp: np.ndarray) -> str:
    """An int array where fractions are expected: usually np.zeros_like(an int input)."""
    if arr.dtype.kind in "biu" and not np.array_equal(exp, np.round(exp)):
        return (
            f"your result has the integer dtype {arr.dtype}, which cannot hold fractions "
            "(np.zeros_like / np.empty_like of an integer input?); create it with dtype=float"
        )
    return ""


def _low_precision(dtype: np.dtype[Any]) -> str:
    """float32 / float16 results miss a 1e-5 tolerance on ill-conditioned inputs: say so."""
    if dtype.kind == "f" and dtype.itemsize < 8:
        return (
            f"your result is {dtype}: compute in float64 (`np.asarray(x, dtype=float)`), "
            "the precision the reference uses"
        )
    return ""


def check_int(got: Any, expected: int, *, what: str = "the result") -> Failure | None:
    if isinstance(got, np.ndarray) and got.shape == ():
        got = got[()]
    if isinstance(got, bool) or not isinstance(got, int | np.integer):
        if isinstance(got, float | np.floating) and float(got).is_integer():
            got = int(got)
        else:
            return _bad(f"{what} should be an int, got {type_name(got)}")
    if int(got) != expected:
        return Failure(
            Verdict.WRONG_ANSWER,
            f"{what}: expected {expected}, got {int(got)}",
            expected=str(expected),
            got=str(int(got)),
        )
    return None
