"""The decks as the running app sees them: a cached index for a fast start, models on demand.

Parsing YAML and importing pydantic cost more than a bare Textual app takes to start, so the
validated decks are cached as JSON in the user cache dir, keyed on every deck file's path,
size and mtime. The home screen only needs ids and titles; a card is turned back into its
pydantic model the first time a screen asks for it.

The cache is an index (decks, card ids, types, tags: what start-up, queues and stats need)
plus one content file per deck, read the first time a card of that deck is asked for: at
100,000 cards the whole content is ~19 MB of JSON that takes seconds to parse, the index a
fraction of that. If a content file has gone (another deck set sharing the cache dir), the
decks are rebuilt from their files (per-file cache) to get it.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from collections.abc import Callable, Iterator, Sequence
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

CACHE_FORMAT = 4  # 2: cloze `accept`; 3: decks carry `order`; 4: index + content per deck


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
    _deck_of_map: dict[str, str] | None = field(default=None, repr=False)
    # Lazy content: deck id -> its cards' JSON data (None: `_raw` already holds every card).
    _load_deck: Callable[[str], dict[str, dict[str, Any]]] | None = field(default=None, repr=False)
    # From the index: per deck, each card's tags in card_ids order (the id -> tags map is
    # built on first use: 0.4 s at 100,000 cards, which start-up does not pay).
    _deck_tags: dict[str, list[list[str]]] | None = field(default=None, repr=False)
    _tags: dict[str, tuple[str, ...]] | None = field(default=None, repr=False)
    _loaded: set[str] = field(default_factory=set, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def _deck_of(self) -> dict[str, str]:
        """card id -> deck id, built on first use (not at start-up)."""
        if self._deck_of_map is None:
            self._deck_of_map = {cid: deck.id for deck in self.decks for cid in deck.card_ids}
        return self._deck_of_map

    def deck(self, deck_id: str) -> DeckInfo | None:
        return next((d for d in self.decks if d.id == deck_id), None)

    def deck_of(self, card_id: str) -> str | None:
        return self._deck_of.get(card_id)

    def __contains__(self, card_id: object) -> bool:
        return card_id in self._deck_of

    @property
    def raw_index(self) -> dict[str, dict[str, Any]]:
        """Every card as plain JSON data by id: cheap to scan (search, tags) for 100k cards,
        where validating each pydantic model would take seconds. Reads every deck's content
        the first time (browse builds its search index from it in a thread)."""
        for deck in self.decks:
            self._ensure(deck.id)
        return self._raw

    def _ensure(self, deck_id: str) -> None:
        if self._load_deck is None or deck_id in self._loaded:
            return
        with self._lock:  # a screen and a worker thread may both ask
            if deck_id not in self._loaded:
                self._raw.update(self._load_deck(deck_id))
                self._loaded.add(deck_id)

    def raw_card(self, card_id: str) -> dict[str, Any]:
        """One card's JSON data (reads its deck's content on first use)."""
        data = self._raw.get(card_id)
        if data is None:
            self._ensure(self._deck_of.get(card_id, ""))
            data = self._raw[card_id]
        return data

    def card_tags(self, card_id: str) -> Sequence[str]:
        """A card's tags, from the index: no deck content is read."""
        if self._tags is None and self._deck_tags is not None:
            self._tags = {
                cid: tuple(t)
                for deck in self.decks
                for cid, t in zip(deck.card_ids, self._deck_tags.get(deck.id, ()), strict=False)
                if t
            }
        if self._tags is not None:
            return self._tags.get(card_id, ())
        entry = self._raw.get(card_id)
        return (entry.get("tags") or ()) if entry is not None else ()

    def deck_tags(self, deck_id: str) -> Sequence[Sequence[str]] | None:
        """Each card's tags in the deck's card_ids order, from the index (None: not known
        without the cards' content; ask `card_tags`)."""
        if self._deck_tags is None:
            return None
        return self._deck_tags.get(deck_id)

    def card(self, card_id: str) -> Any:
        """The pydantic model of a card (validated once, then kept)."""
        model = self._models.get(card_id)
        if model is None:
            from quizapp.decks import _CARD_ADAPTER

            model = _CARD_ADAPTER().validate_python(self.raw_card(card_id))
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


def fingerprint_of(deck_dirs: Sequence[Path] | None = None) -> str:
    """The fingerprint `load_catalog` would give these decks, without reading them."""
    return _fingerprint(deck_paths(deck_dirs))


def load_catalog(deck_dirs: Sequence[Path] | None = None, cache_dir: Path | None = None) -> Catalog:
    """The decks, from the cache when no deck file changed since it was written."""
    paths = deck_paths(deck_dirs)
    fingerprint = _fingerprint(paths)
    cache_file = (cache_dir / f"decks-{fingerprint}.json") if cache_dir else None
    if cache_file is not None:
        try:
            index = json.loads(cache_file.read_text(encoding="utf-8"))
            if index.get("fingerprint") == fingerprint and index.get("format") == CACHE_FORMAT:
                return _from_index(index, _content_loader(cache_file, index, paths, cache_dir))
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
                "cards": deck.raw_cards(),  # no models built for a deck from the cache
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


def _index(data: dict[str, Any]) -> dict[str, Any]:
    """What start-up needs, without the cards' text."""
    return {
        "format": CACHE_FORMAT,
        "fingerprint": data["fingerprint"],
        "problems": data["problems"],
        "decks": [
            {
                "id": d["id"],
                "title": d["title"],
                "description": d["description"],
                "path": d["path"],
                "ids": [c["id"] for c in d["cards"]],
                "types": [c["type"] for c in d["cards"]],
                "tags": [c.get("tags") or [] for c in d["cards"]],
            }
            for d in data["decks"]
        ],
    }


def _from_index(
    index: dict[str, Any], load_deck: Callable[[str], dict[str, dict[str, Any]]]
) -> Catalog:
    decks = [
        DeckInfo(
            d["id"], d["title"], d["description"], d["path"], tuple(d["ids"]), tuple(d["types"])
        )
        for d in index["decks"]
    ]
    tags = {d["id"]: d["tags"] for d in index["decks"]}
    problems = [(str(p), int(line), str(msg)) for p, line, msg in index["problems"]]
    return Catalog(decks, problems, index["fingerprint"], _load_deck=load_deck, _deck_tags=tags)


def _content_file(cache_file: Path, position: int) -> Path:
    return cache_file.with_name(f"{cache_file.stem}.deck{position}.json")


def _content_loader(
    cache_file: Path, index: dict[str, Any], paths: Sequence[Path], cache_dir: Path | None
) -> Callable[[str], dict[str, dict[str, Any]]]:
    position = {d["id"]: i for i, d in enumerate(index["decks"])}

    def load(deck_id: str) -> dict[str, dict[str, Any]]:
        if deck_id not in position:
            return {}
        try:
            cards = json.loads(
                _content_file(cache_file, position[deck_id]).read_text(encoding="utf-8")
            )
            return {c["id"]: c for c in cards}
        except (OSError, ValueError, KeyError, TypeError):
            data = _build(paths, index["fingerprint"], cache_dir)  # the content file is gone
            _write_cache(cache_file, data)
            deck: dict[str, Any] = next(
                (d for d in data["decks"] if d["id"] == deck_id), {"cards": []}
            )
            return {c["id"]: c for c in deck["cards"]}

    return load


def _write_cache(cache_file: Path, data: dict[str, Any]) -> None:
    """Write atomically (content files first, the index last); drop older cache files. A
    read-only cache dir is not an error."""
    try:
        cache_file.parent.mkdir(parents=True, exist_ok=True)
        keep = {cache_file}
        for i, deck in enumerate(data["decks"]):
            target = _content_file(cache_file, i)
            _write_atomic(target, deck["cards"])
            keep.add(target)
        _write_atomic(cache_file, _index(data))
        for old in cache_file.parent.glob("decks-*.json"):
            if old not in keep:
                old.unlink(missing_ok=True)
    except OSError:
        pass


def _write_atomic(target: Path, value: Any) -> None:
    tmp = target.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_text(json.dumps(value, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, target)
