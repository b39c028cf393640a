"""Notes written for the obsidian-spaced-repetition plugin.

What is read, as the plugin's syntax guide describes it:
- `question::answer` on one line (one card), `question:::answer` (two: and the reverse);
- a multi-line block: the question lines, a line `?`, the answer lines (`??`: two cards);
  blocks end at a blank line;
- `==deleted==` text: one cloze card per deletion, the other deletions shown;
- `#flashcards` / `#flashcards/sub/deck` tags: a tag line applies to the cards below it, a tag
  on a card's own line to that card; `sub/deck` becomes the card's tag;
- `<!--SR:...-->` scheduling comments, YAML front matter and code fences' contents are ignored.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any, TextIO

from quizapp.interop.importing import (
    card_id,
    explanation_or_default,
    imported_source,
    slug,
    text_key,
)
from quizapp.interop.records import ImportedDeck, ImportResult
from quizapp.interop.untrusted import read_text_import

_SR_COMMENT = re.compile(r"<!--SR:.*?-->", re.DOTALL)
_TAG = re.compile(r"(?<![\w#])#(flashcards(?:/[\w/-]+)?)")
_CLOZE = re.compile(r"==(.+?)==")
_BLANK_LINES = re.compile(r"\n\s*\n")


def looks_like_obsidian(text: str) -> bool:
    if "#flashcards" in text or "<!--SR:" in text:
        return True
    for line in text.split("\n"):
        s = line.strip()
        if s in ("?", "??") or ("::" in s and not s.startswith("#")):
            return True
    return False


def _tags_of(text: str) -> tuple[str, list[str]]:
    """The text without its #flashcards tags, and the sub-deck tags."""
    found = _TAG.findall(text)
    rest = _TAG.sub("", text).strip()
    return rest, [t.split("/", 1)[1] for t in found if "/" in t]


def read(src: Path, deck_id: str | None, with_history: bool = False) -> ImportResult:
    return read_text_import(src, deck_id, parse)


def _blocks(text: str) -> list[tuple[int, list[str]]]:
    """Non-blank line groups with the line number of their first line; fences kept whole."""
    lines = text.split("\n")
    start = 0
    if lines and lines[0].strip() == "---":  # YAML front matter
        for j in range(1, len(lines)):
            if lines[j].strip() in ("---", "..."):
                start = j + 1
                break
    blocks: list[tuple[int, list[str]]] = []
    cur: list[str] = []
    first = 0
    fence = False
    for i in range(start, len(lines)):
        line = lines[i]
        if line.strip().startswith(("```", "~~~")):
            fence = not fence
        if not line.strip() and not fence:
            if cur:
                blocks.append((first, cur))
                cur = []
            continue
        if not cur:
            first = i + 1
        cur.append(line)
    if cur:
        blocks.append((first, cur))
    return blocks


def parse(text: str, src: Path, deck_id: str | None) -> ImportResult:
    result = ImportResult()
    did = deck_id or slug(src.stem)
    deck = ImportedDeck(did, src.stem or did, f"Imported from {src.name}")
    text = _SR_COMMENT.sub(lambda m: "\n" * m.group().count("\n"), text)
    expl = explanation_or_default(None, src)
    deck_tags: list[str] = []

    def add(line: int, raw: dict[str, Any], key: str, tags: list[str]) -> None:
        deck.cards.append(
            (
                line,
                {
                    "id": card_id(did, key),
                    **raw,
                    "tags": sorted({*deck_tags, *tags}),
                    "explanation": expl,
                    "source": imported_source(src, line),
                },
            )
        )

    def basic(line: int, q: str, a: str, tags: list[str], reverse: bool) -> None:
        if not q or not a:
            from quizapp.decks import Problem

            result.problems.append(Problem(src, line, "a card needs text on both sides; skipped"))
            return
        add(line, {"type": "basic", "prompt": q, "answer": a}, text_key(q), tags)
        if reverse:
            add(line, {"type": "basic", "prompt": a, "answer": q}, "reverse:" + text_key(a), tags)

    for first, lines in _blocks(text):
        body = "\n".join(lines)
        if body.lstrip().startswith(("```", "~~~")):
            continue
        stripped = [ln.strip() for ln in lines]
        sep = next((i for i, s in enumerate(stripped) if s in ("?", "??")), None)
        if sep is not None:
            q, tags = _tags_of("\n".join(lines[:sep]))
            a, more = _tags_of("\n".join(lines[sep + 1 :]))
            basic(first, q, a, tags + more, stripped[sep] == "??")
            continue
        for k, line in enumerate(lines):
            lineno = first + k
            plain, tags = _tags_of(line)
            if not plain:  # a line of tags only: a deck heading for what follows
                deck_tags = tags
                continue
            if ":::" in plain:
                q, a = plain.split(":::", 1)
                basic(lineno, q.strip(), a.strip(), tags, True)
            elif "::" in plain:
                q, a = plain.split("::", 1)
                basic(lineno, q.strip(), a.strip(), tags, False)
            elif _CLOZE.search(plain):
                gaps = list(_CLOZE.finditer(plain))
                for n, gap in enumerate(gaps):
                    parts = []
                    pos = 0
                    for m in gaps:
                        parts.append(plain[pos : m.start()])
                        parts.append("{{c1::" + m.group(1) + "}}" if m is gap else m.group(1))
                        pos = m.end()
                    parts.append(plain[pos:])
                    cloze = "".join(parts)
                    add(
                        lineno,
                        {"type": "cloze", "text": cloze},
                        f"cloze:{n}:{text_key(plain)}",
                        tags,
                    )
    if deck.cards:
        result.decks.append(deck)
    return result


def write(cards: Iterable[Any], out: TextIO) -> int:
    """Cards in the plugin's syntax (cloze gaps as `==…==`, others as question/answer)."""
    from quizapp.cardtext import face, numeric_seed
    from quizapp.decks import CLOZE_RE

    n = 0
    out.write("#flashcards\n\n")
    for card in cards:
        if card.type == "cloze" and "\n" not in card.text:
            out.write(CLOZE_RE.sub(lambda m: f"=={m.group(2)}==", card.text) + "\n\n")
        else:
            f = face(card, seed=numeric_seed(card.id, 0))
            q = (card.prompt if card.type == "basic" else f.front).strip()
            a = (card.answer if card.type == "basic" else f.back).strip()
            # a blank line ends a card in the plugin's syntax: keep each side in one block
            q, a = _BLANK_LINES.sub("\n", q), _BLANK_LINES.sub("\n", a)
            if "\n" in q or "\n" in a or "::" in q + a:
                out.write(f"{q}\n?\n{a}\n\n")
            else:
                out.write(f"{q}::{a}\n\n")
        n += 1
    return n
