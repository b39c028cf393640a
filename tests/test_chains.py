"""Chain cards: the deck model, the rating derived from the steps, and how they read."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quizapp.cardtext import card_record, chain_markdown, face
from quizapp.chains import AGAIN, GOOD, HARD, chain_rating
from quizapp.decks import ChainCard, load_decks
from quizapp.paths import bundled_decks_dir

CHAIN = """\
deck: c
title: Chains
cards:
  - id: c1
    type: chain
    prompt: Opening?
    answer: Opening answer.
    followups:
{followups}
    explanation: Why.
    source: {{beyond: "test"}}
"""


def write(tmp_path: Path, followups: str) -> Path:
    p = tmp_path / "c.yaml"
    p.write_text(CHAIN.format(followups=followups), encoding="utf-8")
    return p


def test_chain_card_loads_and_reads_step_by_step(tmp_path: Path) -> None:
    p = write(
        tmp_path,
        "      - {ask: And then?, answer: Then this.}\n      - {ask: And if?, answer: If that.}",
    )
    ds = load_decks([p])
    assert not ds.problems
    card = ds.decks[0].cards[0]
    assert isinstance(card, ChainCard) and len(card.followups) == 2
    f = face(card)
    assert f.front == "Opening?"
    assert f.steps == (
        ("Opening?", "Opening answer."),
        ("And then?", "Then this."),
        ("And if?", "If that."),
    )
    first = chain_markdown(f.steps, 1)
    assert "Opening answer." in first and "And then?" not in first
    two = chain_markdown(f.steps, 2, [True])
    assert "Follow-up 1: And then?" in two and "✔" in two and "If that." not in two
    assert card_record("c", card)["followups"][1] == {"ask": "And if?", "answer": "If that."}
    assert "If that." in f.back  # exports and plain renderers get the whole walk-through


@pytest.mark.parametrize(
    ("followups", "line", "words"),
    [
        ("      []", 9, "at least 1 entry"),
        ("      - {ask: '', answer: x}", 9, "must not be empty"),
        ("      - {ask: x}", 9, "answer"),
        ("      - {ask: x, answer: y, colour: red}", 9, "unknown key `colour`"),
        ("\n".join(["      - {ask: x, answer: y}"] * 9), 9, "at most 8"),
    ],
)
def test_bad_chains_are_located_problems(
    tmp_path: Path, followups: str, line: int, words: str
) -> None:
    (problem,) = load_decks([write(tmp_path, followups)]).problems
    assert problem.line == line and words in problem.message, problem


def test_chain_rating_rule() -> None:
    assert chain_rating([True]) == GOOD
    assert chain_rating([True, True, True]) == GOOD
    assert chain_rating([True, False]) == HARD
    assert chain_rating([True, True, False, False]) == HARD
    assert chain_rating([True, False, False]) == AGAIN
    assert chain_rating([False]) == AGAIN
    with pytest.raises(ValueError):
        chain_rating([])


@given(st.lists(st.booleans(), min_size=1, max_size=9))
def test_chain_rating_is_monotone_and_good_only_when_all_known(known: list[bool]) -> None:
    r = chain_rating(known)
    assert (r == GOOD) == all(known)
    for i, k in enumerate(known):
        if not k:
            better = [*known[:i], True, *known[i + 1 :]]
            assert chain_rating(better) >= r


def test_shipped_chains() -> None:
    ds = load_decks([bundled_decks_dir()])
    chains = [c for d in ds.decks for c in d.cards if isinstance(c, ChainCard)]
    assert len(chains) >= 20
    assert all(1 <= len(c.followups) <= 8 for c in chains)


def test_chain_cards_round_trip_through_decks_export() -> None:
    """`decks export --format json` carries every step: the card can be rebuilt from it."""
    import io
    import json
    import os

    from quizapp.cli import main
    from quizapp.cli.env import Environment

    out, err = io.StringIO(), io.StringIO()
    env = Environment(stdout=out, stderr=err, environ=dict(os.environ))
    assert main(["decks", "export", "--deck", "chains", "--format", "json"], env=env) == 0, err
    records = json.loads(out.getvalue())
    shipped = {
        c.id: c
        for d in load_decks([bundled_decks_dir()]).decks
        if d.id == "chains"
        for c in d.cards
    }
    assert records and {r["id"] for r in records} == set(shipped)
    for r in records:
        card = shipped[r["id"]]
        rebuilt = ChainCard.model_validate(
            {
                "id": r["id"],
                "type": r["type"],
                "tags": r["tags"],
                "prompt": r["prompt"],
                "answer": card.answer,
                "followups": r["followups"],
                "explanation": r["explanation"],
                "source": card.source,
            }
        )
        assert rebuilt.followups == card.followups and rebuilt.prompt == card.prompt
        assert all(step["ask"] in r["answer"] for step in r["followups"])
