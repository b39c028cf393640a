"""Interop with other flashcard tools: one registry of formats, like harlequin's export formats.

Why a registry: the CLI, the docs and the round-trip tests all loop over `FORMATS`, so a new
format is one module plus one entry here. Readers turn a foreign file into quizapp deck data
(`ImportResult`); writers take neutral data (catalog decks, `LogRow`s), never the store's SQL.
Each format module imports its optional dependency (genanki, zstandard) inside the function
that needs it, so `quizapp --help` and the TUI never pay for it.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from quizapp.decks import Problem
from quizapp.errors import UsageError

__all__ = [
    "FORMATS",
    "Format",
    "ImportResult",
    "ImportedDeck",
    "ReviewRecord",
    "format_for_path",
    "format_names",
    "get_format",
]


@dataclass(frozen=True)
class ReviewRecord:
    """One review in the FSRS Optimizer's schema (the neutral form every history reader yields).

    `line` is where it came from (a CSV line, or 1 for a package), for located messages.
    """

    card_id: str
    review_time: int  # ms since the Unix epoch, UTC
    rating: int  # 1-4: Again, Hard, Good, Easy
    state: int  # 0-3: New, Learning, Review, Relearning (before the review)
    duration_ms: int | None
    line: int = 1


@dataclass
class ImportedDeck:
    """One deck made by an importer: raw card mappings (validated later), each with its line."""

    id: str
    title: str
    description: str = ""
    cards: list[tuple[int, dict[str, Any]]] = field(default_factory=list)


@dataclass
class ImportResult:
    decks: list[ImportedDeck] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    reviews: list[ReviewRecord] = field(default_factory=list)  # only with --with-history


# (src, deck_id or None, with_history) -> ImportResult
DeckReader = Callable[[Path, str | None, bool], ImportResult]


@dataclass(frozen=True)
class Format:
    name: str
    label: str
    extensions: tuple[str, ...]
    kind: Literal["deck", "history"]
    module: str  # quizapp.interop.<module>, imported only when the format is used
    reads: bool
    writes: bool
    extra: str | None = None  # the pip extra it needs, e.g. "anki"

    def load(self) -> Any:
        return importlib.import_module(f"quizapp.interop.{self.module}")


FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("apkg", "Anki package", (".apkg", ".colpkg"), "deck", "anki", True, True, "anki"),
        Format("hascard", "hascard cards", (".txt",), "deck", "hascard", True, True),
        Format(
            "obsidian", "Obsidian spaced-repetition notes", (".md",), "deck", "obsidian", True, True
        ),
        Format(
            "csv", "CSV/TSV front,back[,tags]", (".csv", ".tsv"), "deck", "csv_cards", True, True
        ),
        Format(
            "history",
            "FSRS Optimizer review log CSV",
            (".csv",),
            "history",
            "history_csv",
            True,
            True,
        ),
    )
}


def format_names(kind: str = "deck") -> list[str]:
    return [name for name, f in FORMATS.items() if f.kind == kind]


def get_format(name: str) -> Format:
    try:
        return FORMATS[name]
    except KeyError:
        raise UsageError(f"unknown format {name!r}; formats: {', '.join(format_names())}") from None


def format_for_path(path: Path) -> Format:
    """Guess a deck format from the extension, then (for .md/.txt) from the text itself."""
    suffix = path.suffix.lower()
    if suffix in (".apkg", ".colpkg"):
        return FORMATS["apkg"]
    if suffix in (".csv", ".tsv"):
        return FORMATS["csv"]
    if suffix in (".md", ".txt", ".markdown"):
        from quizapp.interop.untrusted import read_text

        text, _ = read_text(path)
        if text is not None:
            from quizapp.interop.obsidian import looks_like_obsidian

            if looks_like_obsidian(text):
                return FORMATS["obsidian"]
        return FORMATS["hascard"]
    raise UsageError(
        f"{path}: cannot tell the format from the name; pass --format {'|'.join(format_names())}"
    )
