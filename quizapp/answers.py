"""What people type: numbers (`0.25`, `1/4`, `2.5e-1`, `25%`, `[1, 0, -0.5]`) and words.

Lenient on purpose (a drill tests the maths, not the syntax), but never guesses: anything it
cannot read raises `ValueError` with a message that says what it accepts.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
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


# ---------------------------------------------------------------------- words

_SPACE = re.compile(r"\s+")


_DASHES = str.maketrans({"−": "-", "–": "-", "—": "-", "·": "*", "×": "*", "⋅": "*"})
_POWERS = (("**2", "²"), ("^2", "²"), ("**3", "³"), ("^3", "³"), ("^t", "ᵗ"), ("^T", "ᵀ"))


def normalize_text(text: str) -> str:
    """What doesn't change an answer: case, spacing (also around operators), hyphens between
    words, a trailing full stop, Unicode vs ASCII minus and times, `^2` vs `²`, `10,000`."""
    s = text.translate(_DASHES)
    for ascii_form, sign in _POWERS:
        s = s.replace(ascii_form, sign)
    s = s.casefold().strip().rstrip(".")
    s = re.sub(r"(?<=\d),(?=\d{3}(?!\d))", "", s)
    s = re.sub(r"(?<=[^\W\d_])-(?=[^\W\d_]{2})", " ", s)  # soft-thresholding
    s = re.sub(r"\s*([-+*/=()<>≤≥|])\s*", r"\1", s)
    return _SPACE.sub(" ", s)


def damerau_levenshtein(a: str, b: str) -> int:
    """Edit distance with transpositions (a swapped pair of letters is one typo)."""
    d = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(len(a) + 1):
        d[i][0] = i
    for j in range(len(b) + 1):
        d[0][j] = j
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
    return d[len(a)][len(b)]


def is_typo(given: str, word: str) -> bool:
    """One slip in a word of 5+ letters, never in its first letter and never in a number:
    so "tresholding" passes, but "reducible" ≠ "irreducible" and "L1" ≠ "L2"."""
    if any(ch.isdigit() for ch in word) or sum(ch.isalpha() for ch in word) < 5:
        return False
    if abs(len(given) - len(word)) > 1 or len(word) > 64:  # not one edit apart / not a word
        return False
    return given[:1] == word[:1] and damerau_levenshtein(given, word) == 1


def text_matches(given: str, accepted: Sequence[str]) -> tuple[bool, bool]:
    """(right, was_a_typo): equal after normalising, or equal but for one typo per long word."""
    g = normalize_text(given)
    normalized = [normalize_text(a) for a in accepted]
    if g in normalized:
        return True, False
    g_words = g.split(" ")
    for a in normalized:
        a_words = a.split(" ")
        if len(a_words) == len(g_words) and all(
            x == y or is_typo(x, y) for x, y in zip(g_words, a_words, strict=True)
        ):
            return True, True
    return False, False


def shape_mismatch(given: float | list[float], expected: object) -> str | None:
    """A hint when a scalar was typed for a vector (or the lengths differ), else None."""
    n_given = len(given) if isinstance(given, list) else None
    n_expected = len(expected) if isinstance(expected, list | tuple) else None
    if n_given == n_expected:
        return None
    if n_expected is None:
        return "expected a single number, not a list"
    if n_given is None:
        return f"expected a list of {n_expected} numbers, like [1, 0, -0.5]"
    return f"expected {n_expected} numbers, got {n_given}"
