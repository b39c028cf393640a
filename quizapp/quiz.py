"""Quizzes: drawing questions (weak cards weighted up), checking answers, scoring.

A quiz is a cram: by default it never touches the FSRS schedule. Every answer is written to
the store as it is given, so a quiz killed half-way keeps what was answered.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from quizapp.cardtext import Face, face, numeric_seed
from quizapp.checking import Verdict, check

TYPE_ALIASES = {
    "mc": "multiple_choice",
    "multiple_choice": "multiple_choice",
    "choice": "multiple_choice",
    "typed": "typed",
    "cloze": "cloze",
    "numeric": "numeric",
    "num": "numeric",
    "code": "code",
    "basic": "basic",
    "open": "basic",
}
ALL_TYPES = ("multiple_choice", "typed", "cloze", "numeric", "code", "basic")


def parse_types(text: str | None) -> tuple[str, ...]:
    """`mc,typed,numeric` → canonical type names; ValueError names what is allowed."""
    if not text:
        return ALL_TYPES
    out: list[str] = []
    for part in text.split(","):
        key = part.strip().lower()
        if not key:
            continue
        if key not in TYPE_ALIASES:
            allowed = "mc, typed, cloze, numeric, code, basic (or open)"
            raise ValueError(f"unknown question type '{part.strip()}'; use some of: {allowed}")
        if TYPE_ALIASES[key] not in out:
            out.append(TYPE_ALIASES[key])
    if not out:
        raise ValueError("--types is empty; use some of: mc, typed, cloze, numeric, code, basic")
    return tuple(out)


@dataclass
class Question:
    card_id: str
    deck_id: str
    card: Any
    face: Face
    order: tuple[int, ...] = ()  # multiple choice: display position → original option index

    @property
    def type(self) -> str:
        return str(self.card.type)

    @property
    def options(self) -> list[str]:
        return [self.face.options[i] for i in self.order]

    @property
    def correct_positions(self) -> set[int]:
        return {pos for pos, i in enumerate(self.order) if i in self.face.correct}


def weight(
    card_id: str, weakness: dict[str, tuple[int, float | None]], misses: dict[str, int]
) -> float:
    """Weak cards come up more: lapses, low stability and past quiz misses all add weight."""
    w = 1.0
    lapses, stability = weakness.get(card_id, (0, None))
    w += 2.0 * lapses
    if stability is not None and stability < 7:
        w += 1.0
    w += 2.0 * misses.get(card_id, 0)
    return w


def draw(
    pool: Sequence[tuple[str, str]],
    count: int,
    weights: Sequence[float],
    rng: random.Random,
) -> list[tuple[str, str]]:
    """Weighted sampling without replacement (Efraimidis–Spirakis keys)."""
    keyed = sorted(
        ((rng.random() ** (1.0 / w), item) for item, w in zip(pool, weights, strict=True)),
        reverse=True,
    )
    return [item for _, item in keyed[:count]]


def build_quiz(
    catalog: Any,
    store: Any,
    *,
    deck_ids: Sequence[str] | None,
    count: int,
    types: Sequence[str] = ALL_TYPES,
    seed: int | None = None,
) -> list[Question]:
    rng = random.Random(seed)
    pool: list[tuple[str, str]] = []
    for deck in catalog.decks:
        if deck_ids and deck.id not in deck_ids:
            continue
        for cid, ctype in zip(deck.card_ids, deck.card_types, strict=True):
            if ctype in types:
                pool.append((deck.id, cid))
    if not pool:
        return []
    weakness = store.card_weakness()
    misses = store.quiz_misses()
    chosen = draw(pool, count, [weight(cid, weakness, misses) for _, cid in pool], rng)
    questions = []
    for deck_id, cid in chosen:
        card = catalog.card(cid)
        f = face(card, seed=numeric_seed(cid, rng.randrange(1_000_000)))
        order = tuple(range(len(f.options)))
        if f.options:
            shuffled = list(order)
            rng.shuffle(shuffled)
            order = tuple(shuffled)
        questions.append(Question(cid, deck_id, card, f, order))
    return questions


# ---------------------------------------------------------------------- checking


Check = Verdict  # the verdict of `checking.check`: correct, message, per-gap results


def check_answer(q: Question, given: str | set[int]) -> Verdict:
    """Check an answer to an auto-graded question. `given` is a set of positions for MC.

    Typed, cloze and numeric answers go through `checking.check`, the same check review and
    `quizapp decks try` run; ValueError means "unreadable, try again" (a hint, not a miss).
    """
    if q.type == "multiple_choice":
        assert isinstance(given, set)
        right = given == q.correct_positions
        return Verdict(right, "right" if right else "not quite")
    assert isinstance(given, str)
    return check(q.card, q.face, given)


# ---------------------------------------------------------------------- results


@dataclass
class Answer:
    question: Question
    correct: bool
    given: str | None
    seconds: float


@dataclass
class QuizResult:
    answers: list[Answer] = field(default_factory=list)
    planned: int = 0
    seconds: float = 0.0
    timed_out: bool = False

    @property
    def correct(self) -> int:
        return sum(a.correct for a in self.answers)

    @property
    def score(self) -> float:
        return self.correct / self.planned if self.planned else 0.0

    def by_topic(self, titles: dict[str, str] | None = None) -> list[tuple[str, int, int]]:
        """(deck title, right, asked) per deck, weakest first."""
        acc: dict[str, list[int]] = {}
        for a in self.answers:
            key = (titles or {}).get(a.question.deck_id, a.question.deck_id)
            acc.setdefault(key, [0, 0])
            acc[key][0] += int(a.correct)
            acc[key][1] += 1
        return sorted(((k, r, n) for k, (r, n) in acc.items()), key=lambda t: (t[1] / t[2], t[0]))

    def mistakes(self) -> list[Answer]:
        return [a for a in self.answers if not a.correct]
