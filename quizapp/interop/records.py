"""The neutral data every interop reader yields: imported decks, their problems, reviews.

Its own module (not the package `__init__`) so format modules can share these types while the
registry in `__init__` imports format modules on demand, without an import circle.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from quizapp.decks import Problem

__all__ = ["ImportResult", "ImportedDeck", "ReviewRecord"]


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
