"""Sibling burying: cards made from the same note are not shown on the same day.

Deck authors mark siblings with a shared tag `note:<name>` on cards of the same deck, e.g. a
basic card and a cloze that both test "weight decay equals L2 under SGD":

    - id: wd-basic
      tags: [l2, "note:wd-equiv"]
    - id: wd-cloze
      tags: [l2, "note:wd-equiv"]

Seeing one answers the other, so after a card is rated the review buries its siblings until the
next study day (as Anki does). A `note:` tag in another deck is a different note: deck files
are written independently and may reuse names.
"""

from __future__ import annotations

from typing import Any

NOTE_PREFIX = "note:"


def note_tags(tags: Any) -> set[str]:
    return {t for t in tags or () if isinstance(t, str) and t.startswith(NOTE_PREFIX)}


def siblings_to_bury(catalog: Any, card_id: str) -> list[str]:
    """The other cards of `card_id`'s deck sharing one of its `note:` tags, in deck order.

    Unknown cards and cards without a `note:` tag have no siblings.
    """
    from quizapp.stats import card_tags

    deck_id = catalog.deck_of(card_id)
    deck = catalog.deck(deck_id) if deck_id is not None else None
    if deck is None:
        return []
    notes = note_tags(card_tags(catalog, card_id))
    if not notes:
        return []
    return [
        cid
        for cid in deck.card_ids
        if cid != card_id and notes & note_tags(card_tags(catalog, cid))
    ]
