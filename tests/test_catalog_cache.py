"""The deck cache as an index plus one content file per deck (issue 20, item 7): start-up
reads the index only; a card's text is read with its deck, the first time it is asked for."""

from __future__ import annotations

from pathlib import Path

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
    content = sorted(cache.glob("decks-*.deck*.json"))
    assert len(content) == 3
    for f in content:
        f.unlink()  # another deck set sharing the cache dir replaced the cache
    cached = load_catalog([decks], cache)
    assert cached.card("d2-c0").answer == "Answer 0"
    assert len(list(cache.glob("decks-*.deck*.json"))) == 3


def test_a_damaged_index_is_rebuilt(tmp_path: Path) -> None:
    decks = _decks(tmp_path / "decks")
    cache = tmp_path / "cache"
    load_catalog([decks], cache)
    (index,) = [f for f in cache.glob("decks-*.json") if ".deck" not in f.name]
    index.write_text('{"format": 4, "fingerprint": ')
    assert load_catalog([decks], cache).card("d0-c1").prompt == "Question 1 of 0?"
