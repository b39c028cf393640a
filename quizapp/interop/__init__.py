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
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from quizapp.errors import UsageError
from quizapp.interop.records import ImportedDeck, ImportResult, ReviewRecord

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
