"""Where each card sits in catalog order, as the stats read it: decks as ranges of positions,
tags as lists of them; cached per deck set so `quizapp stats` need not read the deck index.

Why: the store gives every card its place in catalog order (`position`) when it syncs the
decks, so mastery reads (position, retrievability) pairs and only needs each deck's range and
each tag's positions. Building that from the catalog means loading the deck index (~3.4 MB of
JSON at 100,000 cards: ~150 ms, half of the command's budget); read from this cache it costs
about a millisecond. The file sits in the user cache dir under the deck set's fingerprint (the
deck files' paths, sizes and mtimes with quizapp's version, as the deck index), so an edited
deck is never served from a stale layout: a JSON header line, then the positions as one binary
array. A missing, damaged or foreign file only means the catalog is loaded as before.
"""

from __future__ import annotations

import json
import os
import sys
from array import array
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property, partial
from operator import itemgetter
from pathlib import Path
from typing import Any, cast

FORMAT = 1
_PREFIX = "stats-layout-"


@dataclass(frozen=True)
class Layout:
    """Positions are places in catalog order (what `Catalog.sync_rows` gives the store)."""

    fingerprint: str
    cards: int
    decks: list[tuple[str, int, int]]  # (deck id, first position, end), catalog order
    tags: dict[str, Sequence[int]]  # `note:` tags left out; positions in catalog order
    unique: bool  # every card id once: the store's positions are the catalog's

    @cached_property
    def tag_pickers(self) -> dict[str, Callable[[Sequence[Any]], Sequence[Any]]]:
        """tag -> a function taking the items at the tag's positions out of a sequence, in
        order. Made once per layout (the app keeps its layout): turning 200,000 positions into
        Python ints for `itemgetter` costs ~8 ms at 100,000 cards."""
        out: dict[str, Callable[[Sequence[Any]], Sequence[Any]]] = {}
        for tag, positions in self.tags.items():
            if len(positions) > 1:
                out[tag] = itemgetter(*positions)
            elif positions:
                out[tag] = partial(_one, positions[0])
            else:
                out[tag] = _none
        return out


def _one(position: int, items: Sequence[Any]) -> tuple[Any]:
    return (items[position],)


def _none(items: Sequence[Any]) -> tuple[()]:
    return ()


@dataclass(frozen=True)
class DeckTitle:
    id: str
    title: str


@dataclass(frozen=True)
class LayoutCatalog:
    """What `stats.compute` reads of a catalog, from the cache: deck ids and titles and the
    layout (no card ids: mastery raises `StaleLayout` if the store no longer matches)."""

    fingerprint: str
    decks: list[DeckTitle]
    stats_layout: Layout


class StaleLayout(Exception):
    """The store was synced with another deck set since the layout was read."""


def build_layout(catalog: Any) -> Layout:
    """The layout of a catalog (its `deck_tags` from the index when it has them)."""
    tags_of = tag_lookup(catalog)
    in_deck = getattr(catalog, "deck_tags", None)
    decks: list[tuple[str, int, int]] = []
    tags: dict[str, list[int]] = {}
    seen: set[str] = set()
    first = 0
    for deck in catalog.decks:
        ids = deck.card_ids
        per_card = in_deck(deck.id) if callable(in_deck) else None
        if per_card is None:
            per_card = [tags_of(cid) for cid in ids]
        for k, card_tags in enumerate(per_card[: len(ids)]):
            for tag in card_tags:
                if not tag.startswith("note:"):
                    tags.setdefault(tag, []).append(first + k)
        seen.update(ids)
        decks.append((deck.id, first, first + len(ids)))
        first += len(ids)
    fingerprint = str(getattr(catalog, "fingerprint", ""))
    return Layout(fingerprint, first, decks, dict(tags), unique=len(seen) == first)


def tag_lookup(catalog: Any) -> Callable[[str], Sequence[str]]:
    """card id -> tags, from the catalog's raw index when it has one: validating 100,000
    pydantic models to read their tags takes seconds."""
    tags = getattr(catalog, "card_tags", None)
    if callable(tags):  # the catalog's index: no card text is read
        return cast("Callable[[str], Sequence[str]]", tags)
    raw = getattr(catalog, "raw_index", None)
    if isinstance(raw, dict):

        def from_raw(card_id: str) -> Sequence[str]:
            entry = raw.get(card_id)
            if entry is None:
                return ()
            return entry.get("tags") or ()

        return from_raw
    return lambda card_id: tuple(catalog.card(card_id).tags)


def _path(cache_dir: Path, fingerprint: str) -> Path:
    return cache_dir / f"{_PREFIX}{fingerprint}.bin"


def write_cache(cache_dir: Path, layout: Layout, titles: dict[str, str]) -> None:
    """Keep `layout` for its deck set (and drop the files of other deck sets). A cache dir
    that cannot be written is not an error."""
    if not layout.fingerprint:
        return
    positions = array("I")
    for ps in layout.tags.values():
        positions.extend(ps)
    head = {
        "format": FORMAT,
        "fingerprint": layout.fingerprint,
        "cards": layout.cards,
        "unique": layout.unique,
        "decks": [[d, titles.get(d, d), a, b] for d, a, b in layout.decks],
        "tags": [[t, len(ps)] for t, ps in layout.tags.items()],
        "itemsize": positions.itemsize,
        "byteorder": sys.byteorder,
    }
    target = _path(cache_dir, layout.fingerprint)
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f"{target.name}.{os.getpid()}.tmp")
        tmp.write_bytes(json.dumps(head).encode() + b"\n" + positions.tobytes())
        os.replace(tmp, target)
        for old in cache_dir.glob(f"{_PREFIX}*.bin"):
            if old != target:
                old.unlink(missing_ok=True)
    except OSError:
        pass


def read_cache(cache_dir: Path, fingerprint: str) -> LayoutCatalog | None:
    """The cached layout of the deck set with this fingerprint, or None."""
    try:
        data = _path(cache_dir, fingerprint).read_bytes()
    except OSError:
        return None
    header, _, body = data.partition(b"\n")
    try:
        head = json.loads(header)
        positions = array("I")
        if head["format"] != FORMAT or head["fingerprint"] != fingerprint:
            return None
        if head["itemsize"] != positions.itemsize:
            return None
        positions.frombytes(body)
        if head["byteorder"] != sys.byteorder:
            positions.byteswap()
        tags: dict[str, Sequence[int]] = {}
        at = 0
        for tag, n in head["tags"]:
            tags[str(tag)] = positions[at : at + int(n)]
            at += int(n)
        cards = int(head["cards"])
        # Positions past the end are not looked for here (max() over 200,000 of them costs
        # 9 ms, a third of the read): `stats.mastery` indexes with them and steps aside
        # (StaleLayout, or the by-id computation) on the IndexError one of them raises.
        if at != len(positions) or cards < 0:
            return None
        decks = [(str(d), int(a), int(b)) for d, _, a, b in head["decks"]]
        if any(not 0 <= a <= b <= cards for _, a, b in decks):
            return None
        layout = Layout(fingerprint, cards, decks, tags, bool(head["unique"]))
        titles = [DeckTitle(str(d), str(t)) for d, t, _, _ in head["decks"]]
    except (ValueError, KeyError, TypeError, IndexError):
        return None
    return LayoutCatalog(fingerprint, titles, layout)
