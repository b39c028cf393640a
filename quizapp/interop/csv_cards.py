"""Spreadsheet cards: CSV or TSV with a header row (`front,back[,tags][,explanation]`).

The delimiter (comma, tab, semicolon or bar) is sniffed from the first lines, so a file saved
from Excel with semicolons or from Anki as TSV reads the same. Tags are split on spaces (or
commas when the delimiter is not a comma). Every row becomes a basic card whose id is derived
from its front, so a re-import after editing an answer updates the card.
"""

from __future__ import annotations

import csv
import io
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

FRONT = ("front", "question", "prompt", "q")
BACK = ("back", "answer", "a")
DELIMITERS = ",\t;|"


def _dialect(text: str, suffix: str) -> Any:
    sample = "\n".join(text.split("\n")[:20])
    try:
        return csv.Sniffer().sniff(sample, delimiters=DELIMITERS)
    except csv.Error:
        dialect = (
            csv.excel_tab
            if suffix == ".tsv" or ("\t" in sample and "," not in sample)
            else csv.excel
        )
        return dialect


def read(src: Path, deck_id: str | None, with_history: bool = False) -> ImportResult:
    return read_text_import(src, deck_id, parse)


def parse(text: str, src: Path, deck_id: str | None) -> ImportResult:
    result = ImportResult()
    did = deck_id or slug(src.stem)
    deck = ImportedDeck(did, src.stem or did, f"Imported from {src.name}")
    reader = csv.reader(io.StringIO(text), _dialect(text, src.suffix.lower()))
    try:
        header = next(reader, None)
    except csv.Error as exc:
        result.problems.append(Problem(src, 1, f"not a CSV file: {exc}"))
        return result
    names = [h.strip().lower() for h in header or []]
    front = next((names.index(n) for n in FRONT if n in names), None)
    back = next((names.index(n) for n in BACK if n in names), None)
    if front is None or back is None:
        result.problems.append(
            Problem(
                src,
                1,
                "the first line must be a header with `front` and `back` columns "
                f"(got {', '.join(names[:5]) or 'nothing'})",
            )
        )
        return result
    tags_col = names.index("tags") if "tags" in names else None
    expl_col = names.index("explanation") if "explanation" in names else None
    delim = reader.dialect.delimiter
    try:
        for row in reader:
            line = reader.line_num
            if not row or all(not c.strip() for c in row):
                continue
            if len(row) <= max(front, back):
                result.problems.append(
                    Problem(
                        src,
                        line,
                        f"{len(row)} column(s); `front` and `back` are columns "
                        f"{front + 1} and {back + 1}",
                    )
                )
                continue
            q, a = row[front].strip(), row[back].strip()
            if not q or not a:
                result.problems.append(Problem(src, line, "empty front or back; skipped"))
                continue
            tags: list[str] = []
            if tags_col is not None and tags_col < len(row):
                splitter = r"[\s,]+" if delim != "," else r"\s+"
                tags = [t for t in re.split(splitter, row[tags_col]) if t]
            expl = row[expl_col] if expl_col is not None and expl_col < len(row) else ""
            deck.cards.append(
                (
                    line,
                    {
                        "id": card_id(did, text_key(q)),
                        "type": "basic",
                        "prompt": q,
                        "answer": a,
                        "tags": tags,
                        "explanation": explanation_or_default(expl, src),
                        "source": imported_source(src, line),
                    },
                )
            )
    except csv.Error as exc:
        result.problems.append(Problem(src, reader.line_num, f"CSV error: {exc}"))
    if deck.cards:
        result.decks.append(deck)
    return result


def write(cards: Iterable[Any], out: TextIO) -> int:
    """Cards as `front,back,tags,explanation` rows (what a card shows, as Markdown)."""
    from quizapp.cardtext import face, numeric_seed

    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(("front", "back", "tags", "explanation"))
    n = 0
    for card in cards:
        f = face(card, seed=numeric_seed(card.id, 0))
        back = card.answer if card.type == "basic" else f.back
        front = card.prompt if card.type == "basic" else f.front
        writer.writerow((front.strip(), back.strip(), " ".join(card.tags), card.explanation))
        n += 1
    return n
