"""Where each card sits in catalog order, as the stats read it: decks as ranges of positions,
and every card in a layout group (its deck and its tags); cached per deck set so `quizapp
stats` need not read the deck index.

Why: the store gives every card its place in catalog order (`position`) and its layout group
when it syncs the decks, and keeps the studied cards in an index in group order, so mastery
reads one (group, studied cards, sum of retrievability) row per group from SQLite, summed
there in one pass, instead of one row per card (60,000 rows cost ~0.1 s in Python); a deck's
or a tag's mastery is then the sum over its groups. Building the layout from the catalog
means loading the deck index (~3.4 MB of JSON at 100,000 cards: ~150 ms, half of the
command's budget); read from this cache it costs about a millisecond. The file sits in the
user cache dir under the deck set's fingerprint (the deck files' paths, sizes and mtimes with
quizapp's version, as the deck index), so an edited deck is never served from a stale layout:
one JSON object, checked field by field when read. A missing, damaged or foreign file only
means the catalog is loaded as before.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, cast

FORMAT = 2
_PREFIX = "stats-layout-"

Group = tuple[int, tuple[int, ...], int]  # (deck index, tag indices in the card's order, cards)


@dataclass(frozen=True)
class Layout:
    """Positions are places in catalog order (what `Catalog.sync_rows` gives the store); a
    group is every card of one deck with the same tags (`note:` tags left out), numbered in
    order of first appearance, which is what the store's `layout_group` holds."""

    fingerprint: str
    cards: int
    decks: list[tuple[str, int, int]]  # (deck id, first position, end), catalog order
    tags: list[str]  # in order of first appearance
    groups: list[Group]
    unique: bool  # every card id once: the store's positions and groups are the catalog's
    group_of: Sequence[int] = field(default=(), compare=False, repr=False)  # per position;
    # only when built from a catalog (the sync needs it, the stats do not)

    @cached_property
    def deck_groups(self) -> list[list[int]]:
        """Per deck (catalog order), its groups."""
        out: list[list[int]] = [[] for _ in self.decks]
        for g, (deck, _, _) in enumerate(self.groups):
            out[deck].append(g)
        return out

    @cached_property
    def tag_groups(self) -> list[list[int]]:
        """Per tag, its groups (a group twice if its cards carry the tag twice)."""
        out: list[list[int]] = [[] for _ in self.tags]
        for g, (_, tags, _) in enumerate(self.groups):
            for t in tags:
                out[t].append(g)
        return out


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
    tag_index: dict[str, int] = {}
    group_index: dict[tuple[int, tuple[int, ...]], int] = {}
    sizes: list[int] = []
    group_of: list[int] = []
    seen: set[str] = set()
    first = 0
    for d, deck in enumerate(catalog.decks):
        ids = deck.card_ids
        per_card = in_deck(deck.id) if callable(in_deck) else None
        if per_card is None:
            per_card = [tags_of(cid) for cid in ids]
        by_tags: dict[tuple[str, ...], int] = {}  # this deck's cards' tags -> their group
        for k in range(len(ids)):
            card_tags = tuple(per_card[k]) if k < len(per_card) else ()
            g = by_tags.get(card_tags)
            if g is None:
                key = (
                    d,
                    tuple(
                        tag_index.setdefault(tag, len(tag_index))
                        for tag in card_tags
                        if not tag.startswith("note:")
                    ),
                )
                g = by_tags[card_tags] = group_index.setdefault(key, len(group_index))
                if g == len(sizes):
                    sizes.append(0)
            sizes[g] += 1
            group_of.append(g)
        seen.update(ids)
        decks.append((deck.id, first, first + len(ids)))
        first += len(ids)
    fingerprint = str(getattr(catalog, "fingerprint", ""))
    groups = [(d, tags, sizes[g]) for (d, tags), g in group_index.items()]
    return Layout(fingerprint, first, decks, list(tag_index), groups, len(seen) == first, group_of)


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
    return cache_dir / f"{_PREFIX}{fingerprint}.json"


def write_cache(cache_dir: Path, layout: Layout, titles: dict[str, str]) -> None:
    """Keep `layout` for its deck set (and drop the files of other deck sets). A cache dir
    that cannot be written is not an error."""
    if not layout.fingerprint:
        return
    data = {
        "format": FORMAT,
        "fingerprint": layout.fingerprint,
        "cards": layout.cards,
        "unique": layout.unique,
        "decks": [[d, titles.get(d, d), a, b] for d, a, b in layout.decks],
        "tags": layout.tags,
        "groups": [[d, list(tags), n] for d, tags, n in layout.groups],
    }
    target = _path(cache_dir, layout.fingerprint)
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f"{target.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps(data, separators=(",", ":")), encoding="utf-8")
        os.replace(tmp, target)
        for old in cache_dir.glob(f"{_PREFIX}*"):
            if old != target and not old.name.endswith(".tmp"):
                old.unlink(missing_ok=True)
    except OSError:
        pass


def read_cache(cache_dir: Path, fingerprint: str) -> LayoutCatalog | None:
    """The cached layout of the deck set with this fingerprint, or None (missing, damaged,
    or not one layout: every deck's range in bounds, every group's deck and tags known and
    the group sizes adding up to each deck's cards)."""
    try:
        head = json.loads(_path(cache_dir, fingerprint).read_bytes())
    except (OSError, ValueError):
        return None
    try:
        if head["format"] != FORMAT or head["fingerprint"] != fingerprint:
            return None
        cards = head["cards"]
        if type(cards) is not int or cards < 0:
            return None
        decks = [(str(d), a, b) for d, _, a, b in head["decks"]]
        if any(
            type(a) is not int or type(b) is not int or not 0 <= a <= b <= cards
            for _, a, b in decks
        ):
            return None
        tags = head["tags"]
        if not isinstance(tags, list) or not all(type(t) is str for t in tags):
            return None
        per_deck = [0] * len(decks)
        groups: list[Group] = []
        if not isinstance(head["groups"], list):
            return None
        for d, tag_ids, n in head["groups"]:
            if not isinstance(tag_ids, list):
                return None
            if type(d) is not int or type(n) is not int or not 0 <= d < len(decks) or n < 1:
                return None
            if any(type(t) is not int or not 0 <= t < len(tags) for t in tag_ids):
                return None
            per_deck[d] += n
            groups.append((d, tuple(tag_ids), n))
        if any(per_deck[i] != b - a for i, (_, a, b) in enumerate(decks)):
            return None
        layout = Layout(fingerprint, cards, decks, tags, groups, bool(head["unique"]))
        titles = [DeckTitle(str(d), str(t)) for d, t, _, _ in head["decks"]]
    except (ValueError, KeyError, TypeError, IndexError):
        return None
    return LayoutCatalog(fingerprint, titles, layout)
