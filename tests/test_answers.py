from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quizapp.answers import parse_answer, parse_number


@pytest.mark.parametrize(
    "text, value",
    [
        ("0.25", 0.25),
        ("1/4", 0.25),
        ("2.5e-1", 0.25),
        ("25%", 0.25),
        (" -0.5 ", -0.5),
        ("−0.5", -0.5),
        (".5", 0.5),
        ("+3", 3.0),
        ("[1, 0, -0.5]", [1.0, 0.0, -0.5]),
        ("(1; 2)", [1.0, 2.0]),
        ("1, 2", [1.0, 2.0]),
        ("1 2 3", [1.0, 2.0, 3.0]),
    ],
)
def test_examples(text: str, value: float | list[float]) -> None:
    assert parse_answer(text) == value


@pytest.mark.parametrize("text", ["", "abc", "1/0", "1..2", "[]", "1e999", "0x10", "1,5"])
def test_rejects_with_a_message(text: str) -> None:
    with pytest.raises(ValueError, match=r"\S"):
        parse_number(text) if text == "1,5" else parse_answer(text)


@given(st.floats(allow_nan=False, allow_infinity=False, width=64))
def test_repr_roundtrip(x: float) -> None:
    assert parse_number(repr(x)) == x


@given(st.integers(-10_000, 10_000), st.integers(1, 10_000))
def test_fractions_are_exact(n: int, d: int) -> None:
    assert parse_number(f"{n}/{d}") == float(Fraction(n, d))


@given(st.lists(st.floats(-1e6, 1e6, allow_nan=False), min_size=1, max_size=8))
def test_vectors_roundtrip(xs: list[float]) -> None:
    assert parse_answer("[" + ", ".join(repr(x) for x in xs) + "]") == xs


@given(st.integers(-1000, 1000))
def test_percent_is_hundredths(n: int) -> None:
    assert parse_number(f"{n}%") == pytest.approx(n / 100)


def test_shape_mismatch_hints() -> None:
    from quizapp.answers import shape_mismatch

    assert shape_mismatch(0.5, 0.25) is None
    assert shape_mismatch([1.0, 2.0], [0.0, 0.0]) is None
    assert shape_mismatch(0.5, [1.0, 2.0]) == "expected a list of 2 numbers, like [1, 0, -0.5]"
    assert shape_mismatch([1.0], [1.0, 2.0]) == "expected 2 numbers, got 1"
    assert shape_mismatch([1.0], 2.0) == "expected a single number, not a list"
