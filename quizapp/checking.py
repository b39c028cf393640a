"""The one answer check that review, quiz and `quizapp decks try` all run.

Typed cards, cloze gaps and numeric cards are checked here and nowhere else, so what the
screens accept is exactly what a deck author can test from the command line. Each gap gets
its own verdict (shown as ✔/✘ with what was expected), and the comparison itself lives in
`answer_match` (math-aware) and, for numeric cards, in the worked example's tolerance check.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from quizapp.answer_match import match
from quizapp.answers import parse_answer, shape_mismatch

CHECKED_TYPES = ("typed", "cloze", "numeric", "multiple_choice")
GAP_SEPARATOR = ";"


@dataclass(frozen=True)
class GapResult:
    expected: str
    given: str
    correct: bool
    typo: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {"expected": self.expected, "given": self.given, "correct": self.correct}


@dataclass(frozen=True)
class Verdict:
    correct: bool
    message: str  # "right", "right — watch the spelling: …", "not quite", or why not
    gaps: tuple[GapResult, ...] = field(default=())
    overridden: bool = False  # the user said "count it as right"

    def feedback(self) -> str:
        """One line per gap for the screens (Rich markup-free plain text)."""
        if len(self.gaps) <= 1 and self.correct:
            return ""
        lines = []
        for i, g in enumerate(self.gaps, 1):
            mark = "✔" if g.correct else "✘"
            label = f"gap {i}: " if len(self.gaps) > 1 else ""
            shown = g.given if g.given.strip() else "(empty)"
            want = "" if g.correct and not g.typo else f" — expected {g.expected}"
            lines.append(f"{mark} {label}{shown}{want}")
        return "\n".join(lines)


def expected_text(card: Any, face: Any = None) -> str:
    """The answer as a person would type it (for messages and `decks try`)."""
    if card.type == "typed":
        return str(card.accept[0])
    if card.type == "cloze":
        return f"{GAP_SEPARATOR} ".join(card.gaps())
    if card.type == "numeric" and face is not None and face.example is not None:
        return expected_text_numeric(face)
    return str(getattr(card, "answer_text", ""))


def check(card: Any, face: Any, given: str) -> Verdict:
    """Check a typed answer to a typed, cloze or numeric card.

    Raises ValueError (with what to type instead) when a numeric answer cannot be read or has
    the wrong shape: the screens show that as a hint and let the user try again.
    """
    if card.type == "typed":
        m = match(given, card.accept)
        gap = GapResult(card.accept[0], given, m.correct, m.typo)
        if m.correct and m.typo:
            return Verdict(True, f"right — watch the spelling: {card.accept[0]}", (gap,))
        return Verdict(m.correct, "right" if m.correct else "not quite", (gap,))
    if card.type == "cloze":
        return _check_cloze(card, given)
    if card.type == "numeric":
        return _check_numeric(face, given)
    raise ValueError(f"{card.type} cards are not checked automatically")


def _check_cloze(card: Any, given: str) -> Verdict:
    shown = card.gaps()
    answers = card.gap_answers()
    parts = given.split(GAP_SEPARATOR) if len(shown) > 1 else [given]
    results = []
    for i, (expected, accepted) in enumerate(zip(shown, answers, strict=True)):
        part = parts[i].strip() if i < len(parts) else ""
        m = match(part, accepted) if part else None
        results.append(GapResult(expected, part, bool(m and m.correct), bool(m and m.typo)))
    gaps = tuple(results)
    if len(parts) != len(shown):
        n = len(shown)
        return Verdict(False, f"this cloze has {n} gaps; separate them with {GAP_SEPARATOR}", gaps)
    ok = all(g.correct for g in gaps)
    if ok and any(g.typo for g in gaps):
        return Verdict(True, "right — watch the spelling", gaps)
    return Verdict(ok, "right" if ok else "not quite", gaps)


def _check_numeric(face: Any, given: str) -> Verdict:
    example = face.example
    value = parse_answer(given)
    hint = shape_mismatch(value, example.answer)
    if hint:
        raise ValueError(hint)
    ok = bool(example.is_correct(value))
    return Verdict(
        ok, "right" if ok else "not quite", (GapResult(expected_text_numeric(face), given, ok),)
    )


def expected_text_numeric(face: Any) -> str:
    from quizapp.cardtext import format_value

    return format_value(face.example.answer)


def check_choice(face: Any, chosen: set[int]) -> Verdict:
    """Multiple choice: right when exactly the correct options are picked (indices into
    `face.options`)."""
    ok = chosen == set(face.correct)
    return Verdict(ok, "right" if ok else "not quite")
