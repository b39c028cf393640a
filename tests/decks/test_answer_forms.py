"""Second adversarial pass over every checkable shipped card: more ways people type the same
answer (an article, a trailing period, LaTeX habits, a prime for the transpose, spaced
thousands, a fraction written as a correctly rounded decimal, ℓ∞ spelled out) are accepted, and
plainly wrong answers (a number 10 % off, the negation, another gap's answer) are refused.

The spellings are a table of what people type, written without looking at `answer_match`.
"""

from __future__ import annotations

import random
import re
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quizapp.answer_match import match
from quizapp.checking import check
from quizapp.decks import bundled_decks_dir, load_decks

DECKS = load_decks([bundled_decks_dir()])
CARDS = {card.id: card for _, card in DECKS.cards() if card.type in ("typed", "cloze")}
SETTINGS = settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None
)
LATEX_GREEK = {"λ": r"\lambda", "η": r"\eta", "σ": r"\sigma", "ε": r"\epsilon", "ρ": r"\rho"}
LATEX_GREEK |= {"τ": r"\tau", "α": r"\alpha"}
WORDY = re.compile(r"[A-Za-z][A-Za-z \-]*[A-Za-z]")


def _groups(card_id: str) -> list[list[str]]:
    card = CARDS[card_id]
    return [list(card.accept)] if card.type == "typed" else card.gap_answers()


def another_form(text: str, rnd: random.Random) -> str:
    """One more spelling of `text`, as a person might type it."""
    s = text
    if WORDY.fullmatch(s) and not re.match(r"(?i)(the|an?) ", s) and rnd.random() < 0.5:
        s = rnd.choice(["the ", "The "]) + s
    for char, latex in LATEX_GREEK.items():  # `\lambda` then a space, as LaTeX is written
        if rnd.random() < 0.5:
            s = re.sub(re.escape(char) + r"(?=[^\W\d_])", lambda _, t=latex: t + " ", s)
            s = s.replace(char, latex)
    if "ᵀ" in s and rnd.random() < 0.5:
        s = s.replace("ᵀ", rnd.choice(["'", r"^\top", "^{T}"]))
    if "·" in s:
        s = s.replace("·", rnd.choice(["*", "×", r" \cdot "]))
    if "‖" in s and rnd.random() < 0.5:
        s = s.replace("‖", r"\|")
    s = s.replace("ℓ∞", rnd.choice(["L-infinity", "L_inf", "l_infinity", "Linf", "ℓ∞"]))
    if re.fullmatch(r"\d{1,3}(,\d{3})+", s):
        s = s.replace(",", rnd.choice([" ", "", ","]))
    if m := re.fullmatch(r"(\d+)/(\d+)", s):
        value = Fraction(int(m[1]), int(m[2]))
        if (value * 10**6).denominator != 1:  # not a short decimal (1/148, 5/3)
            s = f"{float(value):.{rnd.choice([3, 4])}g}"
    if rnd.random() < 0.3:
        s += "."
    return s


def wrong_forms(text: str) -> list[str]:
    """Answers an interviewer would mark wrong."""
    out = []
    if re.fullmatch(r"\[?[\d., ]+\]?", text) and re.search(r"[1-9]", text):
        first = re.search(r"\d+(\.\d+)?", text)
        assert first is not None
        value = float(first.group())
        if value:
            out.append(text[: first.start()] + f"{value * 1.1:.6g}" + text[first.end() :])
    if WORDY.fullmatch(text):
        out += [f"not {text}", f"non-{text}"]
    return out


@pytest.mark.parametrize("card_id", sorted(CARDS))
@SETTINGS
@given(rnd=st.randoms(use_true_random=False))
def test_other_spellings_of_an_accepted_answer_are_accepted(
    card_id: str, rnd: random.Random
) -> None:
    groups = _groups(card_id)
    parts = [another_form(rnd.choice(alts), rnd) for alts in groups]
    verdict = check(CARDS[card_id], None, "; ".join(parts))
    assert verdict.correct, (parts, verdict)


@pytest.mark.parametrize("card_id", sorted(CARDS))
def test_plainly_wrong_answers_are_refused(card_id: str) -> None:
    groups = _groups(card_id)
    for i, alts in enumerate(groups):
        others = {a for j, g in enumerate(groups) if j != i for a in g} - set(alts)
        lowered = {a.strip().casefold() for a in alts}
        for accepted in alts:
            for wrong in [*wrong_forms(accepted), *others]:
                if wrong.strip().casefold() in lowered or match(wrong, [accepted]).typo:
                    continue
                assert not match(wrong, alts).correct, (card_id, accepted, wrong)


@pytest.mark.parametrize(
    ("given", "accepted"),
    [
        ("11 000", "10 000"),  # read as the product 11·000 = 0 = 10·000
        ("10 001", "10,000"),
        ("2.3", "9/4"),  # 2.25 is a short decimal: only it is right
        ("0.007", "1/148"),  # one significant digit is not the value
        ("1.6", "5/3"),  # not the correct rounding
        ("0.5", "0.49"),
        ("L₁", "L2"),
        ("X X'", "X'X"),
        (r"\lambda", r"\eta"),
    ],
)
def test_near_misses_stay_wrong(given: str, accepted: str) -> None:
    assert not match(given, [accepted]).correct


@pytest.mark.parametrize(
    ("given", "accepted"),
    [
        (r"(X^\top X + \lambda I)^{-1} X^\top y", "(XᵀX + λI)⁻¹Xᵀy"),
        ("(X'X + lambda I)^-1 X'y", "(XᵀX + λI)⁻¹Xᵀy"),
        (r"$\frac{1}{2}$", "½"),
        (r"\sqrt{2\lambda}", "√(2λ)"),
        (r"\sigma^2 \|w\|^2", "σ²·‖w‖²"),
        ("rho grad L(w) / ||grad L(w)||", "ρ·∇L(w)/‖∇L(w)‖"),
        ("ρ ∇L/‖∇L‖", "ρ·∇L/‖∇L‖"),
        ("L-infinity", "ℓ∞"),
        ("the row space", "row space"),
        ("The Fisher.", "Fisher"),
        ("10 000", "10,000"),
        ("0.00676", "1/148"),
        ("0.0068", "1/148"),
        ("1.67", "5/3"),
        ("L₂", "L2"),
    ],
)
def test_forms_people_type_are_accepted(given: str, accepted: str) -> None:
    assert match(given, [accepted]).correct
