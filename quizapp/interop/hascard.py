"""Cards in hascard's text format (`.txt`/`.md`), cards split by a `---` line.

Each card starts with `# question`; what follows decides its kind, as in hascard:
- definition: free text → basic;
- multiple choice: `* right` and `- wrong` lines → multiple choice (one right);
- multiple answer: `[*] right` / `[x] right` and `[ ] wrong` → multiple choice (several right);
- open question: text with `_gap_` or `_answer|alternative_` gaps → cloze (the first
  alternative is the gap, the others are named in the explanation); a body that is a single
  gap and nothing else → typed, every alternative accepted;
- reorder: `N. item` lines, N being the item's right place → basic whose answer lists the
  items in order.
quizapp shows at most six options; a card with more is reported and skipped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any, TextIO

from quizapp.decks import Problem
from quizapp.interop.importing import (
    card_id,
    explanation_or_default,
    imported_source,
    slug,
    text_key,
)
from quizapp.interop.records import ImportedDeck, ImportResult
from quizapp.interop.untrusted import read_text_import

_MC = re.compile(r"^([*-])\s+(.*)$")
_MA = re.compile(r"^\[([*xX ])\]\s+(.*)$")
_ORDER = re.compile(r"^(\d+)\.\s+(.*)$")
_GAP = re.compile(r"(?<![\w\\])_([^_\n]+?)_(?!\w)")
MAX_OPTIONS = 6


def read(src: Path, deck_id: str | None, with_history: bool = False) -> ImportResult:
    return read_text_import(src, deck_id, parse)


def _cards(text: str) -> list[tuple[int, list[str]]]:
    out: list[tuple[int, list[str]]] = []
    cur: list[str] = []
    first = 1
    for i, line in enumerate(text.split("\n"), 1):
        if line.strip() == "---":
            if any(s.strip() for s in cur):
                out.append((first, cur))
            cur, first = [], i + 1
            continue
        if not cur and not line.strip():
            first = i + 1
            continue
        cur.append(line)
    if any(s.strip() for s in cur):
        out.append((first, cur))
    return out


def parse(text: str, src: Path, deck_id: str | None) -> ImportResult:
    result = ImportResult()
    did = deck_id or slug(src.stem)
    deck = ImportedDeck(did, src.stem or did, f"Imported from {src.name}")
    for line, lines in _cards(text):
        head = lines[0].strip()
        if not head.startswith("#"):
            result.problems.append(
                Problem(src, line, "a card starts with `# question`; write the question after #")
            )
            continue
        prompt = head.lstrip("#").strip()
        body = [ln.rstrip() for ln in lines[1:]]
        while body and not body[-1].strip():
            body.pop()
        while body and not body[0].strip():
            body.pop(0)
        if not prompt or not body:
            result.problems.append(Problem(src, line, "a card needs a question and an answer"))
            continue
        raw, why = _card(prompt, body)
        if raw is None:
            result.problems.append(Problem(src, line, why))
            continue
        kind_key = raw.pop("_key")
        expl = explanation_or_default(raw.pop("_explanation", None), src)
        deck.cards.append(
            (
                line,
                {
                    "id": card_id(did, f"{kind_key}:{text_key(prompt)}"),
                    **raw,
                    "explanation": expl,
                    "source": imported_source(src, line),
                },
            )
        )
    if deck.cards:
        result.decks.append(deck)
    return result


def _card(prompt: str, body: list[str]) -> tuple[dict[str, Any] | None, str]:
    lines = [b.strip() for b in body if b.strip()]
    if all(_MA.match(b) for b in lines):
        opts = [(_m.group(1) != " ", _m.group(2).strip()) for b in lines if (_m := _MA.match(b))]
        return _choice(prompt, opts, "multiple answer")
    if all(_MC.match(b) for b in lines) and any(b.startswith("*") for b in lines):
        opts = [(_m.group(1) == "*", _m.group(2).strip()) for b in lines if (_m := _MC.match(b))]
        if sum(c for c, _ in opts) != 1:
            return None, "a multiple-choice card has exactly one `*` (right) option"
        return _choice(prompt, opts, "multiple choice")
    if all(_ORDER.match(b) for b in lines) and len(lines) >= 2:
        items = sorted(
            ((int(m.group(1)), m.group(2).strip()) for b in lines if (m := _ORDER.match(b))),
        )
        answer = "\n".join(f"{i}. {t}" for i, (_, t) in enumerate(items, 1))
        return {
            "_key": "reorder",
            "type": "basic",
            "prompt": f"{prompt}\n\n*(put in order: "
            + "; ".join(t for _, t in sorted(items, key=lambda x: x[1]))
            + ")*",
            "answer": answer,
        }, ""
    text = "\n".join(body)
    gaps = list(_GAP.finditer(text))
    if gaps:
        if len(gaps) == 1 and text.strip() == gaps[0].group(0):
            accept = [a.strip() for a in gaps[0].group(1).split("|") if a.strip()]
            return {"_key": "open", "type": "typed", "prompt": prompt, "accept": accept}, ""
        alts = []

        def gap(m: re.Match[str]) -> str:
            first, *rest = [a.strip() for a in m.group(1).split("|")]
            if rest:
                alts.append(f"{first} (also: {', '.join(rest)})")
            return "{{c" + "1::" + first + "}}"

        cloze = _GAP.sub(gap, text)
        expl = ("Accepted alternatives: " + "; ".join(alts)) if alts else None
        return {
            "_key": "open:" + _GAP.sub("_", text),
            "type": "cloze",
            "text": f"{prompt}\n\n{cloze}",
            "_explanation": expl,
        }, ""
    return {"_key": "def", "type": "basic", "prompt": prompt, "answer": text}, ""


def _choice(
    prompt: str, opts: list[tuple[bool, str]], what: str
) -> tuple[dict[str, Any] | None, str]:
    if len(opts) > MAX_OPTIONS:
        return None, f"{what} with {len(opts)} options; quizapp shows at most {MAX_OPTIONS}"
    if len(opts) < 2:
        return None, f"{what} needs at least two options"
    if not any(c for c, _ in opts):
        return None, f"{what} without a right option; mark one with `*`"
    if len({t for _, t in opts}) != len(opts):
        return None, f"{what} with two options of the same text"
    return {
        "_key": "choice",
        "type": "multiple_choice",
        "prompt": prompt,
        "options": [{"text": t, "correct": c} for c, t in opts],
    }, ""


def write(cards: Iterable[Any], out: TextIO) -> int:
    """Cards in hascard's format; types hascard lacks are written as definitions."""
    from quizapp.cardtext import face, numeric_seed
    from quizapp.decks import CLOZE_RE

    chunks = []
    for card in cards:
        if card.type == "multiple_choice":
            multi = card.multiple
            lines = [
                (
                    f"[{'*' if o.correct else ' '}] {o.text}"
                    if multi
                    else f"{'*' if o.correct else '-'} {o.text}"
                )
                for o in card.options
            ]
            chunks.append(f"# {_one_line(card.prompt)}\n" + "\n".join(lines))
        elif card.type == "typed":
            chunks.append(f"# {_one_line(card.prompt)}\n_{'|'.join(card.accept)}_")
        elif card.type == "cloze":
            chunks.append(
                "# Fill in the gaps\n" + CLOZE_RE.sub(lambda m: f"_{m.group(2)}_", card.text)
            )
        else:
            f = face(card, seed=numeric_seed(card.id, 0))
            q = card.prompt if card.type == "basic" else f.front
            a = card.answer if card.type == "basic" else f.back
            chunks.append(f"# {_one_line(q)}\n{a.strip()}")
    out.write("\n---\n".join(chunks) + "\n")
    return len(chunks)


def _one_line(text: str) -> str:
    return " ".join(text.split())
