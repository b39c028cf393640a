from __future__ import annotations

import random
from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quizapp.answers import damerau_levenshtein, text_matches
from quizapp.quiz import draw, parse_types, weight


def test_parse_types() -> None:
    assert parse_types("mc, typed,numeric") == ("multiple_choice", "typed", "numeric")
    assert parse_types("open,basic") == ("basic",)
    assert "code" in parse_types(None)
    with pytest.raises(ValueError, match="unknown question type 'essay'"):
        parse_types("mc,essay")
    with pytest.raises(ValueError):
        parse_types(" , ")


@pytest.mark.parametrize(
    "given, accepted, ok, typo",
    [
        ("Soft Thresholding", ["soft thresholding"], True, False),
        ("soft tresholding", ["soft thresholding"], True, True),
        ("soft thresholdnig", ["soft thresholding"], True, True),
        ("sfot thresholding", ["soft thresholding"], False, False),  # 4-letter words: exact
        ("L2", ["L1"], False, False),  # short answers get no slack
        ("0.25", ["0.26"], False, False),  # numbers get no slack
        ("dorpout", ["dropout"], True, True),  # one transposition
        ("dropconnect", ["dropout"], False, False),
        ("reducible error", ["irreducible error"], False, False),  # a prefix is not a typo
        ("asymmetric", ["symmetric"], False, False),
        ("weight decya", ["weight decay"], True, True),
        ("soft-thresholding", ["soft thresholding"], True, False),
        ("model A", ["B"], False, False),
        ("1-p", ["1−p"], True, False),
        ("x^2 * p / (1 - p)", ["x²·p/(1−p)"], True, False),
        ("10000", ["10,000"], True, False),
        ("1 - p", ["p"], False, False),
    ],
)
def test_text_matches(given: str, accepted: list[str], ok: bool, typo: bool) -> None:
    assert text_matches(given, accepted) == (ok, typo)


@given(st.text(max_size=12), st.text(max_size=12))
def test_distance_is_a_symmetric_premetric(a: str, b: str) -> None:
    d = damerau_levenshtein(a, b)
    assert d == damerau_levenshtein(b, a)
    assert (d == 0) == (a == b)
    assert d <= max(len(a), len(b))


def test_weak_cards_are_drawn_more_often() -> None:
    pool = [("d", f"c{i}") for i in range(10)]
    weakness = {"c0": (5, 1.0)}
    weights = [weight(cid, weakness, {"c1": 3}) for _, cid in pool]
    assert weights[0] > weights[1] > weights[2] == 1.0
    rng = random.Random(0)
    counts: Counter[str] = Counter()
    for _ in range(2000):
        for _, cid in draw(pool, 2, weights, rng):
            counts[cid] += 1
    assert counts["c0"] > counts["c1"] > 2 * counts["c5"]
    assert len(draw(pool, 20, weights, rng)) == 10  # never more than the pool, no repeats
