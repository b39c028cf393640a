"""The decks as the running app sees them: a cached index for a fast start, models on demand.

Parsing YAML and importing pydantic cost more than a bare Textual app takes to start, so the
validated decks are cached as JSON in the user cache dir, keyed on every deck file's path,
size and mtime. The home screen only needs ids and titles; a card is turned back into its
pydantic model the first time a screen asks for it.

The cache is an index (decks, card ids, types, tags: what start-up, queues and stats need);
a deck's cards are read the first time one of them is asked for, from its file's entry in the
per-file cache (deck_cache.py), which the index names by key: at 100,000 cards the whole
content is ~19 MB of JSON that takes seconds to parse, the index a fraction of that. Keeping
no second copy means an edit to one deck file costs that file's parse and a new index, not a
re-encoding of every card. If an entry has gone or holds other content (a cleared cache,
another deck set sharing the cache dir), the decks are loaded again to get it.
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

CACHE_FORMAT = 6  # 2: cloze `accept`; 3: decks carry `order`; 4: index + content per deck;
# 5: the content is read from the per-file cache (deck_cache.py), not copied; 6: types as runs
# and tags as distinct sets with an index per card (`_runs`, `_tag_sets`): at 100,000 cards
# the index is 1.4 MB instead of 3.4 MB and parses in ~25 ms instead of ~140 ms, which was
# most of what a start at that scale costs over a start with the bundled decks


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

    def sync_rows(self) -> Iterator[tuple[str, str, int, int]]:
        """(card_id, deck_id, position, layout group) for the store: position orders new
        cards; the group (the card's deck and tags, quizapp/deck_layout.py) is what the stats
        sum mastery by. Only read when the decks changed (`Store.sync_cards`)."""
        from quizapp.deck_layout import build_layout

        groups = build_layout(self).group_of
        pos = 0
        for deck in self.decks:
            for cid in deck.card_ids:
                yield cid, deck.id, pos, groups[pos]
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
    if cache_file is not None and cache_dir is not None:
        try:
            index = json.loads(cache_file.read_text(encoding="utf-8"))
            if index.get("fingerprint") == fingerprint and index.get("format") == CACHE_FORMAT:
                return _from_index(index, _content_loader(index, paths, cache_dir, cache_file))
        except (OSError, ValueError, KeyError, TypeError, IndexError):
            pass  # missing or damaged cache: rebuild it below
    index, built = _build(paths, fingerprint, cache_dir)
    if cache_file is not None:
        _write_cache(cache_file, index)
    return _from_index(index, _built_loader(built))


def _build(
    paths: Sequence[Path], fingerprint: str, cache_dir: Path | None = None
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The index, and the loaded decks by id. No card's content is decoded or encoded here:
    an edit to one deck file costs that file's parse, not a copy of every card."""
    from quizapp.decks import load_decks

    deck_set = load_decks(paths, cache_dir)  # per-file cache: only edits re-parse
    decks = []
    for deck in deck_set.decks:
        entry: dict[str, Any] = {
            "id": deck.id,
            "title": deck.title,
            "description": deck.description,
            "path": str(deck.path),
            "ids": deck.card_ids,
            "types": _runs(deck.card_types),
            "tags": _tag_sets(deck.card_tags),
        }
        if deck.cache_ref is not None:
            entry["entry"] = {"key": deck.cache_ref[0], "kept": deck.cache_ref[1]}
        decks.append(entry)
    problems = [[str(p.path), p.line, p.message] for p in deck_set.problems]
    index = {
        "format": CACHE_FORMAT,
        "fingerprint": fingerprint,
        "problems": problems,
        "decks": decks,
    }
    return index, {deck.id: deck for deck in deck_set.decks}


def _built_loader(built: dict[str, Any]) -> Callable[[str], dict[str, dict[str, Any]]]:
    def load(deck_id: str) -> dict[str, dict[str, Any]]:
        deck = built.get(deck_id)
        return {} if deck is None else {c["id"]: c for c in deck.raw_cards()}

    return load


def _runs(items: Sequence[str]) -> list[list[Any]]:
    """[[item, how many in a row], ...]: a deck's card types are mostly one type."""
    runs: list[list[Any]] = []
    for item in items:
        if runs and runs[-1][0] == item:
            runs[-1][1] += 1
        else:
            runs.append([item, 1])
    return runs


def _from_runs(runs: Any, n: int) -> tuple[str, ...]:
    out: list[str] = []
    for item, count in runs:
        if type(item) is not str or type(count) is not int:
            raise ValueError("card types are not (type, count) runs")
        out += [item] * count
    if len(out) != n:
        raise ValueError("card types do not match the cards")
    return tuple(out)


def _tag_sets(per_card: Sequence[Sequence[str]]) -> dict[str, Any]:
    """{"sets": the distinct tag lists, "of": each card's index into them}."""
    sets: list[list[str]] = []
    where: dict[tuple[str, ...], int] = {}
    of = []
    for tags in per_card:
        key = tuple(tags)
        if key not in where:
            where[key] = len(sets)
            sets.append(list(tags))
        of.append(where[key])
    return {"sets": sets, "of": of}


def _from_tag_sets(data: Any, n: int) -> list[list[str]]:
    sets = [[str(t) for t in tags] for tags in data["sets"]]
    of = data["of"]
    if not isinstance(of, list) or len(of) != n or (of and min(of) < 0):
        raise ValueError("card tags do not match the cards")
    # A list shared by the cards with the same tags (read only); an index past the sets, or
    # not an int, raises IndexError or TypeError: a damaged cache, rebuilt.
    return list(map(sets.__getitem__, of))


def _from_index(
    index: dict[str, Any], load_deck: Callable[[str], dict[str, dict[str, Any]]]
) -> Catalog:
    decks = [
        DeckInfo(
            d["id"],
            d["title"],
            d["description"],
            d["path"],
            tuple(d["ids"]),
            _from_runs(d["types"], len(d["ids"])),
        )
        for d in index["decks"]
    ]
    tags = {d["id"]: _from_tag_sets(d["tags"], len(d["ids"])) for d in index["decks"]}
    problems = [(str(p), int(line), str(msg)) for p, line, msg in index["problems"]]
    return Catalog(decks, problems, index["fingerprint"], _load_deck=load_deck, _deck_tags=tags)


def _content_loader(
    index: dict[str, Any], paths: Sequence[Path], cache_dir: Path, cache_file: Path
) -> Callable[[str], dict[str, dict[str, Any]]]:
    """Reads a deck's cards from its file's per-file cache entry (deck_cache.py); when that
    entry has gone or no longer matches (another deck set, a cleared cache), rebuilds."""
    from quizapp import deck_cache

    by_id = {d["id"]: d for d in index["decks"]}

    def load(deck_id: str) -> dict[str, dict[str, Any]]:
        d = by_id.get(deck_id)
        if d is None:
            return {}
        try:
            ref = d["entry"]
            hit = deck_cache.read_entry(Path(d["path"]), cache_dir, ref["key"])
            if hit is None:
                raise ValueError("no entry")
            cards = json.loads(hit[1])
            kept = ref["kept"]
            if kept is not None:
                cards = [cards[i] for i in kept]
            if [c["id"] for c in cards] != d["ids"]:
                raise ValueError("another content")
            return {c["id"]: c for c in cards}
        except (OSError, ValueError, KeyError, TypeError, IndexError):
            fresh, built = _build(paths, index["fingerprint"], cache_dir)
            _write_cache(cache_file, fresh)
            return _built_loader(built)(deck_id)

    return load


def _write_cache(cache_file: Path, index: dict[str, Any]) -> None:
    """Write the index atomically; drop older cache files (earlier formats' content files
    among them). A read-only cache dir is not an error."""
    try:
        cache_file.parent.mkdir(parents=True, exist_ok=True)
        _write_atomic(cache_file, index)
        for old in cache_file.parent.glob("decks-*.json"):
            if old != cache_file:
                old.unlink(missing_ok=True)
    except OSError:
        pass


def _write_atomic(target: Path, value: Any) -> None:
    tmp = target.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_text(json.dumps(value, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, target)
