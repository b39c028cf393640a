"""The decks as the running app sees them: a cached index for a fast start, models on demand.

Parsing YAML and importing pydantic cost more than a bare Textual app takes to start, so the
validated decks are cached as JSON in the user cache dir, keyed on every deck file's path,
size and mtime. The home screen only needs ids and titles; a card is turned back into its
pydantic model the first time a screen asks for it.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from quizapp.paths import bundled_decks_dir, deck_paths, default_deck_dirs

__all__ = [
    "Catalog",
    "DeckInfo",
    "bundled_decks_dir",
    "deck_paths",
    "default_deck_dirs",
    "load_catalog",
]

CACHE_FORMAT = 3  # 2: cloze cards may carry `accept`; 3: decks carry `order`


@dataclass(frozen=True)
class DeckInfo:
    id: str
    title: str
    description: str
    path: str
    card_ids: tuple[str, ...]
    card_types: tuple[str, ...]


@dataclass
class Catalog:
    decks: list[DeckInfo]
    problems: list[tuple[str, int, str]]  # (path, line, message)
    fingerprint: str
    _raw: dict[str, dict[str, Any]] = field(default_factory=dict, repr=False)
    _models: dict[str, Any] = field(default_factory=dict, repr=False)
    _deck_of: dict[str, str] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for deck in self.decks:
            for cid in deck.card_ids:
                self._deck_of[cid] = deck.id

    def deck(self, deck_id: str) -> DeckInfo | None:
        return next((d for d in self.decks if d.id == deck_id), None)

    def deck_of(self, card_id: str) -> str | None:
        return self._deck_of.get(card_id)

    def __contains__(self, card_id: object) -> bool:
        return card_id in self._deck_of

    @property
    def raw_index(self) -> dict[str, dict[str, Any]]:
        """Every card as plain JSON data by id: cheap to scan (search, tags) for 100k cards,
        where validating each pydantic model would take seconds."""
        return self._raw

    def card(self, card_id: str) -> Any:
        """The pydantic model of a card (validated once, then kept)."""
        model = self._models.get(card_id)
        if model is None:
            from quizapp.decks import _CARD_ADAPTER

            model = _CARD_ADAPTER().validate_python(self._raw[card_id])
            self._models[card_id] = model
        return model

    def cards(self, deck_ids: Sequence[str] | None = None) -> Iterator[tuple[str, Any]]:
        for deck in self.decks:
            if deck_ids is None or deck.id in deck_ids:
                for cid in deck.card_ids:
                    yield deck.id, self.card(cid)

    def sync_rows(self) -> Iterator[tuple[str, str, int]]:
        """(card_id, deck_id, position) for the store; position orders new cards."""
        pos = 0
        for deck in self.decks:
            for cid in deck.card_ids:
                yield cid, deck.id, pos
                pos += 1

    def problem_lines(self) -> list[str]:
        return [f"{p}:{line}: {msg}" for p, line, msg in self.problems]


def _fingerprint(paths: Sequence[Path]) -> str:
    from quizapp import __version__

    h = hashlib.sha256(f"{CACHE_FORMAT}:{__version__}".encode())
    for p in paths:
        try:
            st = p.stat()
            h.update(f"{p.resolve()}:{st.st_size}:{st.st_mtime_ns}\n".encode())
        except OSError:
            h.update(f"{p}:missing\n".encode())
    return h.hexdigest()[:32]


def load_catalog(deck_dirs: Sequence[Path] | None = None, cache_dir: Path | None = None) -> Catalog:
    """The decks, from the cache when no deck file changed since it was written."""
    paths = deck_paths(deck_dirs)
    fingerprint = _fingerprint(paths)
    cache_file = (cache_dir / f"decks-{fingerprint}.json") if cache_dir else None
    if cache_file is not None:
        try:
            data = json.loads(cache_file.read_text(encoding="utf-8"))
            if data.get("fingerprint") == fingerprint:
                return _from_data(data)
        except (OSError, ValueError, KeyError, TypeError):
            pass  # missing or damaged cache: rebuild it below
    data = _build(paths, fingerprint, cache_dir)
    if cache_file is not None:
        _write_cache(cache_file, data)
    return _from_data(data)


def _build(
    paths: Sequence[Path], fingerprint: str, cache_dir: Path | None = None
) -> dict[str, Any]:
    from quizapp.decks import load_decks

    deck_set = load_decks(paths, cache_dir)  # per-file cache: only edits re-parse
    decks = []
    for deck in deck_set.decks:
        decks.append(
            {
                "id": deck.id,
                "title": deck.title,
                "description": deck.description,
                "path": str(deck.path),
                "cards": [c.model_dump(mode="json", exclude_none=True) for c in deck.cards],
            }
        )
    problems = [[str(p.path), p.line, p.message] for p in deck_set.problems]
    return {"fingerprint": fingerprint, "decks": decks, "problems": problems}


def _from_data(data: dict[str, Any]) -> Catalog:
    decks: list[DeckInfo] = []
    raw: dict[str, dict[str, Any]] = {}
    for d in data["decks"]:
        ids = tuple(c["id"] for c in d["cards"])
        decks.append(
            DeckInfo(
                d["id"],
                d["title"],
                d["description"],
                d["path"],
                ids,
                tuple(c["type"] for c in d["cards"]),
            )
        )
        for c in d["cards"]:
            raw[c["id"]] = c
    problems = [(str(p), int(line), str(msg)) for p, line, msg in data["problems"]]
    return Catalog(decks, problems, data["fingerprint"], _raw=raw)


def _write_cache(cache_file: Path, data: dict[str, Any]) -> None:
    """Write atomically; drop older cache files. A read-only cache dir is not an error."""
    try:
        cache_file.parent.mkdir(parents=True, exist_ok=True)
        tmp = cache_file.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, cache_file)
        for old in cache_file.parent.glob("decks-*.json"):
            if old != cache_file:
                old.unlink(missing_ok=True)
    except OSError:
        pass
