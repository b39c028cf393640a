"""Parsing what people type as a numeric answer: `0.25`, `1/4`, `2.5e-1`, `25%`, `[1, 0, -0.5]`.

Lenient on purpose (a drill tests the maths, not the syntax), but never guesses: anything it
cannot read raises `ValueError` with a message that says what it accepts.
"""

from __future__ import annotations

import math
import re
from fractions import Fraction

_MINUS = str.maketrans({"−": "-", "–": "-", "—": "-", "×": "*", "·": "*", "⋅": "*"})
_NUMBER = re.compile(
    r"""^\s*
    (?P<sign>[+-])?\s*
    (?:
        (?P<num>\d+(?:\.\d*)?|\.\d+)(?:[eE](?P<exp>[+-]?\d+))?
        (?:\s*/\s*(?P<den>\d+(?:\.\d*)?|\.\d+))?
    )
    \s*(?P<pct>%)?\s*$""",
    re.VERBOSE,
)
ACCEPTED = "a number like 0.25, 1/4, 2.5e-1 or 25%, or a list like [1, 0, -0.5]"


def parse_number(text: str) -> float:
    m = _NUMBER.match(text.translate(_MINUS).strip())
    if not m:
        raise ValueError(f"cannot read {text!r} as a number; type {ACCEPTED}")
    value = Fraction(m["num"])
    if m["exp"]:
        value *= Fraction(10) ** int(m["exp"])
    if m["den"]:
        den = Fraction(m["den"])
        if den == 0:
            raise ValueError(f"{text!r} divides by zero")
        value /= den
    if m["pct"]:
        value /= 100
    if m["sign"] == "-":
        value = -value
    try:
        out = float(value)
    except OverflowError:
        out = math.inf
    if not math.isfinite(out):
        raise ValueError(f"{text!r} is not a finite number")
    return out


def parse_answer(text: str) -> float | list[float]:
    """A scalar, or a flat vector written with brackets/parentheses or separated by commas."""
    s = text.translate(_MINUS).strip()
    if not s:
        raise ValueError(f"empty answer; type {ACCEPTED}")
    inner = s
    if (s[0], s[-1]) in {("[", "]"), ("(", ")")}:
        inner = s[1:-1].replace("[", "").replace("]", "")
    elif "," not in s and ";" not in s and len(s.split()) <= 1:
        return parse_number(s)
    parts = [p for p in re.split(r"[,;\s]+", inner.strip()) if p]
    if not parts:
        raise ValueError(f"empty list; type {ACCEPTED}")
    return [parse_number(p) for p in parts]
