"""Every checkable shipped card accepts its own answer however it is typed, and rejects
plausible wrong answers: a property test over the whole deck set, through `checking.check`
(the one check review, quiz and `decks try` run)."""

from __future__ import annotations

import random
import re
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quizapp.cardtext import face
from quizapp.checking import check
from quizapp.decks import bundled_decks_dir, load_decks

sys.path.insert(0, str(Path(__file__).parent))
from variants import ascii_variant, case_variant, number_variant

DECKS = load_decks([bundled_decks_dir()])
CARDS = {card.id: card for _, card in DECKS.cards()}
CLOZE = sorted(cid for cid, c in CARDS.items() if c.type == "cloze")
TYPED = sorted(cid for cid, c in CARDS.items() if c.type == "typed")
NUMERIC = sorted(cid for cid, c in CARDS.items() if c.type == "numeric")
SETTINGS = settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None
)


def _variant(text: str, rnd: random.Random) -> str:
    kind = rnd.choice(["ascii", "ascii", "number", "case"])
    if kind == "number":
        return number_variant(text, rnd)
    if kind == "case" and not re.search(r"[A-Z]", text[1:]):  # `XᵀX`: case is meaning there
        return case_variant(text, rnd)
    return ascii_variant(text, rnd)


def _gap_terms() -> dict[str, list[str]]:
    return {cid: [alts[0] for alts in CARDS[cid].gap_answers()] for cid in CLOZE}


def test_the_deck_set_has_checkable_cards() -> None:
    assert not DECKS.problems
    assert len(CLOZE) >= 30 and len(TYPED) >= 10 and len(NUMERIC) >= 20


@pytest.mark.parametrize("card_id", CLOZE)
@SETTINGS
@given(rnd=st.randoms(use_true_random=False))
def test_cloze_accepts_ascii_and_spacing_variants(card_id: str, rnd: random.Random) -> None:
    card = CARDS[card_id]
    parts = [_variant(rnd.choice(alts), rnd) for alts in card.gap_answers()]
    answer = rnd.choice([";", "; ", " ; "]).join(parts)
    verdict = check(card, None, answer)
    assert verdict.correct, (answer, verdict)


@pytest.mark.parametrize("card_id", TYPED)
@SETTINGS
@given(rnd=st.randoms(use_true_random=False))
def test_typed_accepts_ascii_and_spacing_variants(card_id: str, rnd: random.Random) -> None:
    card = CARDS[card_id]
    answer = _variant(rnd.choice(card.accept), rnd)
    assert check(card, None, answer).correct, answer


@pytest.mark.parametrize("card_id", NUMERIC)
@SETTINGS
@given(seed=st.integers(0, 99_999), rnd=st.randoms(use_true_random=False))
def test_numeric_accepts_its_answer_written_many_ways(
    card_id: str, seed: int, rnd: random.Random
) -> None:
    f = face(CARDS[card_id], seed=seed)
    answer = f.example.answer
    values = answer if isinstance(answer, list) else [answer]
    texts = [number_variant(repr(round(float(v), 10)), rnd) for v in values]
    if isinstance(answer, list):
        sep = rnd.choice([",", ", ", " , "])
        text = rnd.choice(["[{}]", "({})", "{}"]).format(sep.join(texts))
    else:
        text = texts[0]
    assert check(CARDS[card_id], f, text).correct, text


# ------------------------------------------------------------------ wrong answers


_WORDS = {"zero": "0", "one": "1", "two": "2", "half": "0.5", "½": "0.5"}


def _plain(a: str) -> str:
    s = re.sub(r"[\s_-]+", " ", a.casefold()).strip()
    s = _WORDS.get(s, s)
    return s.removesuffix("s")


def _same(a: str, b: str) -> bool:
    """Independent of the matcher: the same words (case, `_`/`-`, a plural s, number words),
    or equal as plain floats."""
    if _plain(a) == _plain(b):
        return True
    try:
        return float(_plain(a)) == float(_plain(b))
    except ValueError:
        return False


def _scaled(text: str, factor: float) -> str | None:
    try:
        x = float(text.replace(",", ""))
    except ValueError:
        return None
    return repr(x * factor) if x else repr(x + 1)


@pytest.mark.parametrize("card_id", CLOZE)
def test_cloze_rejects_swapped_gaps(card_id: str) -> None:
    card = CARDS[card_id]
    answers = card.gap_answers()
    shown = card.gaps()
    for i in range(len(shown)):
        for j in range(i + 1, len(shown)):
            if any(_same(x, y) for x in answers[i] for y in answers[j]):
                continue
            swapped = list(shown)
            swapped[i], swapped[j] = shown[j], shown[i]
            assert not check(card, None, "; ".join(swapped)).correct, swapped


@pytest.mark.parametrize("card_id", CLOZE)
def test_cloze_rejects_off_by_factor_numbers(card_id: str) -> None:
    card = CARDS[card_id]
    shown = card.gaps()
    for i, term in enumerate(shown):
        for factor in (2.0, 0.1, 10.0):
            wrong = _scaled(term, factor)
            if wrong is None:
                continue
            given_parts = list(shown)
            given_parts[i] = wrong
            assert not check(card, None, "; ".join(given_parts)).correct, given_parts


# Terms of other cards that really are right here too (checked by hand).
SYNONYMS: set[tuple[str, str]] = set()


@pytest.mark.parametrize("card_id", CLOZE)
def test_cloze_rejects_another_cards_terms(card_id: str) -> None:
    card = CARDS[card_id]
    answers = card.gap_answers()
    shown = card.gaps()
    others = sorted({t for cid, terms in _gap_terms().items() if cid != card_id for t in terms})
    rnd = random.Random(card_id)  # a fixed sample of 40 other terms per gap keeps this quick
    for i in range(len(shown)):
        for term in rnd.sample(others, min(40, len(others))):
            if any(_same(term, a) for a in answers[i]) or (card_id, term) in SYNONYMS:
                continue
            given_parts = list(shown)
            given_parts[i] = term
            assert not check(card, None, "; ".join(given_parts)).correct, (i, term)


@pytest.mark.parametrize("card_id", TYPED)
def test_typed_rejects_other_answers_and_off_by_factor(card_id: str) -> None:
    card = CARDS[card_id]
    wrong: list[str] = [CARDS[other].accept[0] for other in TYPED if other != card_id] + [
        t for terms in _gap_terms().values() for t in terms
    ]
    for a in card.accept:
        for factor in (2.0, 0.1):
            scaled = _scaled(a, factor)
            if scaled is not None:
                wrong.append(scaled)
    for w in wrong:
        if any(_same(w, a) for a in card.accept) or (card_id, w) in SYNONYMS:
            continue
        assert not check(card, None, w).correct, w


@pytest.mark.parametrize("card_id", NUMERIC)
@pytest.mark.parametrize("seed", [0, 1, 7])
def test_numeric_rejects_scaled_and_swapped_answers(card_id: str, seed: int) -> None:
    f = face(CARDS[card_id], seed=seed)
    answer: Any = f.example.answer
    values = [float(v) for v in (answer if isinstance(answer, list) else [answer])]
    fmt = (
        (lambda vs: "[" + ", ".join(map(repr, vs)) + "]")
        if isinstance(answer, list)
        else (lambda vs: repr(vs[0]))
    )
    for k, v in enumerate(values):
        for factor in (2.0, 0.5, -1.0):
            wrong = list(values)
            wrong[k] = v * factor if v else 1.0
            if wrong[k] == v:
                continue
            assert not check(CARDS[card_id], f, fmt(wrong)).correct, wrong
    if len(set(values)) > 1:
        rev = values[::-1]
        assert not check(CARDS[card_id], f, fmt(rev)).correct, rev
