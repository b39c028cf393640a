"""The deck cache as an index plus one content file per deck (issue 20, item 7): start-up
reads the index only; a card's text is read with its deck, the first time it is asked for."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from quizapp.catalog import load_catalog


def _decks(folder: Path) -> Path:
    folder.mkdir()
    for d in range(3):
        cards = "".join(
            f"  - id: d{d}-c{i}\n    type: basic\n    tags: [t{i % 2}, deck{d}]\n"
            f'    prompt: "Question {i} of {d}?"\n    answer: "Answer {i}"\n'
            f'    explanation: "Because {i}."\n    source: {{beyond: "synthetic"}}\n'
            for i in range(4)
        )
        (folder / f"d{d}.yaml").write_text(f"deck: d{d}\ntitle: D{d}\ncards:\n{cards}")
    return folder


def test_cached_start_reads_no_card_text_and_each_deck_once(tmp_path: Path) -> None:
    decks = _decks(tmp_path / "decks")
    cache = tmp_path / "cache"
    fresh = load_catalog([decks], cache)  # builds: everything in memory
    cached = load_catalog([decks], cache)
    assert cached._loaded == set()  # the index only
    assert [d.card_ids for d in cached.decks] == [d.card_ids for d in fresh.decks]
    assert [d.card_types for d in cached.decks] == [d.card_types for d in fresh.decks]
    assert list(cached.sync_rows()) == list(fresh.sync_rows())
    assert cached.card_tags("d1-c3") == ("t1", "deck1") == tuple(fresh.card_tags("d1-c3"))
    assert cached._loaded == set()  # tags came from the index too
    assert cached.card("d1-c2").prompt == "Question 2 of 1?"
    assert cached._loaded == {"d1"}
    assert cached.raw_index == fresh.raw_index
    assert cached._loaded == {"d0", "d1", "d2"}


def test_a_missing_content_file_is_rebuilt_from_the_decks(tmp_path: Path) -> None:
    decks = _decks(tmp_path / "decks")
    cache = tmp_path / "cache"
    load_catalog([decks], cache)
    content = sorted((cache / "deckfiles").glob("*.json"))
    assert len(content) == 3  # the cards live in the per-file cache only: no second copy
    assert len(list(cache.glob("decks-*.json"))) == 1
    for f in content:
        f.unlink()  # the cache was cleared, or another deck set replaced the entries
    cached = load_catalog([decks], cache)
    assert cached.card("d2-c0").answer == "Answer 0"
    assert cached.card("d0-c3").prompt == "Question 3 of 0?"
    assert len(list((cache / "deckfiles").glob("*.json"))) == 3


def test_an_entry_written_for_other_content_is_not_served(tmp_path: Path) -> None:
    """The index names the entry's key (the file's content hash): an entry since rewritten
    for other content (an edit that kept size and mtime, another loader version) is refused
    and the decks are read again."""
    decks = _decks(tmp_path / "decks")
    cache = tmp_path / "cache"
    load_catalog([decks], cache)
    (entry,) = [f for f in (cache / "deckfiles").glob("*.json") if b"d1-c0" in f.read_bytes()]
    head, _, body = entry.read_bytes().partition(b"\n")
    header = json.loads(head)
    header["key"] = header["key"][:-8] + "00000000"
    entry.write_bytes(json.dumps(header).encode() + b"\n" + body.replace(b"Question 2", b"Other"))
    cached = load_catalog([decks], cache)
    assert cached.card("d1-c2").prompt == "Question 2 of 1?"


def test_an_edit_to_one_file_reparses_that_file_and_copies_no_card(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from quizapp import decks as decks_mod

    folder = _decks(tmp_path / "decks")
    cache = tmp_path / "cache"
    load_catalog([folder], cache)
    edited = folder / "d1.yaml"
    edited.write_text(edited.read_text().replace("Question 3 of 1?", "Edited?"))
    parsed: list[str] = []
    real = decks_mod._load_file
    monkeypatch.setattr(decks_mod, "_load_file", lambda p: parsed.append(p.name) or real(p))
    dumps: list[int] = []
    real_dumps = json.dumps
    monkeypatch.setattr(json, "dumps", lambda v, **k: dumps.append(1) or real_dumps(v, **k))
    cached = load_catalog([folder], cache)
    assert parsed == ["d1.yaml"]
    assert cached._loaded == set()  # no deck's cards decoded to rebuild the index
    assert cached.card("d1-c3").prompt == "Edited?"
    assert cached.card("d0-c3").prompt == "Question 3 of 0?"
    # The edited file's entry (its header, its cards) and the index; no copy of any deck.
    assert len(dumps) == 3


def test_a_damaged_index_is_rebuilt(tmp_path: Path) -> None:
    decks = _decks(tmp_path / "decks")
    cache = tmp_path / "cache"
    load_catalog([decks], cache)
    (index,) = [f for f in cache.glob("decks-*.json") if ".deck" not in f.name]
    index.write_text('{"format": 4, "fingerprint": ')
    assert load_catalog([decks], cache).card("d0-c1").prompt == "Question 1 of 0?"


@pytest.mark.parametrize(
    "damage",
    [
        lambda d: d["tags"].update(of=[99] * len(d["ids"])),  # a tag set that is not there
        lambda d: d["tags"].update(of=d["tags"]["of"][:-1]),  # one card's tags missing
        lambda d: d["tags"].update(of=[-1] * len(d["ids"])),
        lambda d: d.update(types=[["basic", len(d["ids"]) + 1]]),  # more types than cards
        lambda d: d.update(types="basic"),
    ],
)
def test_an_index_whose_types_or_tags_do_not_fit_its_cards_is_rebuilt(
    tmp_path: Path, damage: Any
) -> None:
    """The index keeps types as runs and tags as distinct sets (format 6); ones that do not
    add up to the deck's cards are a damaged cache: rebuilt, never served, no traceback."""
    decks = _decks(tmp_path / "decks")
    cache = tmp_path / "cache"
    fresh = load_catalog([decks], cache)
    (index,) = [f for f in cache.glob("decks-*.json") if ".deck" not in f.name]
    data = json.loads(index.read_text())
    assert data["decks"][0]["types"] == [["basic", 4]]
    assert data["decks"][0]["tags"]["sets"] == [["t0", "deck0"], ["t1", "deck0"]]
    damage(data["decks"][0])
    index.write_text(json.dumps(data))
    again = load_catalog([decks], cache)
    assert [d.card_types for d in again.decks] == [d.card_types for d in fresh.decks]
    assert again.deck_tags("d0") == fresh.deck_tags("d0") == [["t0", "deck0"], ["t1", "deck0"]] * 2
