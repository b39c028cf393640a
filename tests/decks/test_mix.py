"""The bundled decks keep the size and mix the decks issue asks for."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from quizapp.decks import load_decks

DECKS = Path(__file__).parent.parent.parent / "decks"


def test_size_and_mix() -> None:
    deck_set = load_decks([DECKS])
    assert deck_set.problems == []
    cards = [c for d in deck_set.decks for c in d.cards]
    types = Counter(c.type for c in cards)
    assert len(cards) >= 200
    assert types["multiple_choice"] >= 30
    assert types["cloze"] >= 20
    assert types["numeric"] >= 25
    assert types["code"] >= 14
    assert sum("spot-the-bug" in c.tags for c in cards) >= 10
    assert len({c.id for c in cards}) == len(cards)
