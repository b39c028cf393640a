"""How each card type reads as Markdown: front, back, and the instance behind a numeric card.

One place for this so review, quiz and export show the same thing.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from quizapp.decks import (
    ChainCard,
    ClozeCard,
    CodeCard,
    MultipleChoiceCard,
    NumericCard,
    TypedCard,
)

OPTION_KEYS = "abcdef"  # multiple-choice options are picked with these keys
ANSWER_PLACEHOLDERS = {
    "typed": "your answer, enter to check (enter alone: show the answer)",
    "numeric": "0.25, 1/4, 25%, [1, -0.5] …; enter checks (alone: show the answer)",
    "cloze": "what fills the gap (; between gaps), enter checks (alone: show it)",
}


def choice_markdown(prompt: str, options: list[str], chosen: set[int], n_right: int) -> str:
    """A multiple-choice question with tick boxes for what the user picked so far."""
    how = (
        f"*(choose {n_right} — letters toggle, enter checks)*"
        if n_right > 1
        else "*(press a letter, then enter)*"
    )
    lines = [prompt, "", how, ""]
    for i, text in enumerate(options):
        box = "☑" if i in chosen else "☐"
        lines.append(f"- {box} **{OPTION_KEYS[i]}**) {text}")
    return "\n".join(lines)


def numeric_seed(card_id: str, review_number: int) -> int:
    """Deterministic per card and review, so undo shows the same numbers again."""
    digest = hashlib.sha256(f"{card_id}:{review_number}".encode()).digest()
    return int.from_bytes(digest[:4], "big") % 100_000


@dataclass(frozen=True)
class Face:
    """What a review or quiz shows for one card."""

    front: str  # Markdown
    back: str  # Markdown: the answer
    explanation: str  # Markdown
    source: str
    example: Any = None  # solvers.examples.WorkedExample for numeric cards
    options: tuple[str, ...] = ()  # multiple choice, in display order
    correct: frozenset[int] = frozenset()  # indices into options
    steps: tuple[tuple[str, str], ...] = ()  # chain: (question, answer), the opening first


def option_order(n: int, card_id: str, review_number: int) -> tuple[int, ...]:
    """A shuffled display order for a multiple-choice card, fixed per card and review.

    Deck files list the right option first far too often; a per-review shuffle stops users
    learning "press a". The same review number (a re-render, an undo) gives the same order.
    """
    import random

    order = list(range(n))
    random.Random(numeric_seed(card_id, review_number)).shuffle(order)
    return tuple(order)


def face(card: Any, *, seed: int = 0, order: tuple[int, ...] | None = None) -> Face:
    """`order` (multiple choice only) is the display position → file index permutation."""
    source = card.source.label()
    if isinstance(card, MultipleChoiceCard):
        shown = [card.options[i] for i in (order or range(len(card.options)))]
        opts = tuple(o.text for o in shown)
        hint = "(choose all that apply)" if card.multiple else "(choose one)"
        front = (
            card.prompt
            + f"\n\n*{hint}*\n\n"
            + "\n".join(f"- **{OPTION_KEYS[i]}**) {t}" for i, t in enumerate(opts))
        )
        back_lines = []
        for i, o in enumerate(shown):
            mark = "✔" if o.correct else "✘"
            why = f" — {o.why}" if o.why else ""
            back_lines.append(f"- {mark} **{OPTION_KEYS[i]}**) {o.text}{why}")
        return Face(
            front,
            "\n".join(back_lines),
            card.explanation,
            source,
            options=opts,
            correct=frozenset(i for i, o in enumerate(shown) if o.correct),
        )
    if isinstance(card, ClozeCard):
        others = [
            f"{alts[0]}: {', '.join(alts[1:])}" for alts in card.gap_answers() if len(alts) > 1
        ]
        also = f"\n\n*also accepted — {'; '.join(others)}*" if others else ""
        return Face(card.prompt_text, card.answer_text + also, card.explanation, source)
    if isinstance(card, TypedCard):
        others = card.accept[1:]
        also = f"\n\n*also accepted:* {', '.join(others)}" if others else ""
        return Face(card.prompt, f"**{card.accept[0]}**{also}", card.explanation, source)
    if isinstance(card, NumericCard):
        from solvers.examples import generate

        ex = generate(card.example, seed)
        lead = f"{card.prompt}\n\n" if card.prompt else ""
        front = (
            f"{lead}{ex.problem}\n\n*Answer with {ex.answer_format}"
            f" (relative tolerance {ex.tolerance:g}). Seed {ex.seed}.*"
        )
        steps = "\n".join(f"{i}. {s.text}" for i, s in enumerate(ex.steps, 1))
        back = f"{steps}\n\n**Answer: {format_value(ex.answer)}**"
        return Face(front, back, card.explanation, source, example=ex)
    if isinstance(card, CodeCard):
        from quizapp.grading.catalog import get_task

        lead = f"{card.prompt}\n\n" if card.prompt else ""
        title = get_task(card.task).title
        front = (
            f"{lead}**Coding task `{card.task}`** — {title}\n\n"
            "Press **enter** to open it in the editor."
        )
        back = "Graded by the sandboxed judge; the reference solution is shown after an attempt."
        return Face(front, back, card.explanation, source)
    if isinstance(card, ChainCard):
        walk = ((card.prompt, card.answer), *((f.ask, f.answer) for f in card.followups))
        return Face(
            card.prompt, chain_markdown(walk, len(walk)), card.explanation, source, steps=walk
        )
    return Face(card.prompt, card.answer, card.explanation, source)


def chain_markdown(steps: Any, revealed: int, known: Any = ()) -> str:
    """The answers of the first `revealed` steps of a chain, each follow-up with its question.

    `known` marks steps already judged (✔ knew it / ✘ did not), shown beside their answers.
    """
    marks = list(known)
    parts = []
    for i, (ask, answer) in enumerate(list(steps)[:revealed]):
        mark = (" ✔" if marks[i] else " ✘") if i < len(marks) else ""
        if i == 0:
            parts.append(f"**Answer{mark}**\n\n{answer}")
        else:
            parts.append(f"**Follow-up {i}: {ask}**{mark}\n\n{answer}")
    return "\n\n---\n\n".join(parts)


def format_value(value: Any) -> str:
    if isinstance(value, list | tuple):
        return "[" + ", ".join(format_value(v) for v in value) + "]"
    if isinstance(value, float):
        return f"{value:.6g}"
    return str(value)


def card_record(deck_id: str, card: Any) -> dict[str, Any]:
    """One card as `decks export` prints it (numeric cards show their seed-0 instance)."""
    f = face(card, seed=0)
    record: dict[str, Any] = {
        "id": card.id,
        "deck": deck_id,
        "type": card.type,
        "prompt": f.front,
        "answer": f.back,
        "explanation": card.explanation,
        "tags": list(card.tags),
        "source": f.source,
    }
    if isinstance(card, MultipleChoiceCard):
        record["options"] = [o.model_dump(exclude_none=True) for o in card.options]
    if isinstance(card, NumericCard):
        record["example"] = card.example
    if isinstance(card, CodeCard):
        record["task"] = card.task
    if isinstance(card, TypedCard):
        record["accept"] = list(card.accept)
    if isinstance(card, ChainCard):
        record["followups"] = [f.model_dump() for f in card.followups]
    if isinstance(card, ClozeCard):
        record["accept"] = card.gap_answers()  # per gap: the shown answer, then alternatives
    return record
