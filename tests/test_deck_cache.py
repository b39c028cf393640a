"""The per-file deck cache (issue 20, item 7): after an edit to one file only that file is
parsed again, yet every cross-file check (duplicate card and deck ids, unknown example kinds
and grading tasks) still sees every file, cached or not, and says the same as a fresh load."""

from __future__ import annotations

from pathlib import Path

import pytest

import quizapp.decks as decks_mod
from quizapp.decks import load_decks


def _card(cid: str, extra: str = "") -> str:
    return (
        f"  - id: {cid}\n    type: basic\n    tags: [t]\n    prompt: Question {cid}?\n"
        f"    answer: Answer {cid}\n    explanation: Because.\n    source: {{beyond: x}}\n{extra}"
    )


def _write(folder: Path, name: str, deck: str, ids: list[str], tail: str = "") -> Path:
    path = folder / f"{name}.yaml"
    path.write_text(
        f"deck: {deck}\ntitle: {deck.upper()}\ncards:\n" + "".join(_card(i) for i in ids) + tail
    )
    return path


@pytest.fixture
def parsed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the files actually parsed (not served from the cache)."""
    names: list[str] = []
    real = decks_mod._load_file

    def counting(path: Path):  # type: ignore[no-untyped-def]
        names.append(path.name)
        return real(path)

    monkeypatch.setattr(decks_mod, "_load_file", counting)
    return names


def _same_as_fresh(folder: Path, cache: Path, **resolvers):  # type: ignore[no-untyped-def]
    got = load_decks([folder], cache, **resolvers)
    fresh = load_decks([folder], **resolvers)
    assert [str(p) for p in got.problems] == [str(p) for p in fresh.problems]
    assert [(d.id, d.card_lines) for d in got.decks] == [(d.id, d.card_lines) for d in fresh.decks]
    assert [d.cards for d in got.decks] == [d.cards for d in fresh.decks]
    return got


def _cold(folder: Path, cache: Path, parsed: list[str]) -> None:
    load_decks([folder], cache)
    parsed.clear()


def test_an_edit_that_duplicates_a_cached_id_is_reported(tmp_path: Path, parsed: list[str]) -> None:
    _write(tmp_path, "a", "a", ["a1", "a2", "a3"])
    _write(tmp_path, "b", "b", ["b1", "b2"])
    cache = tmp_path / "cache"
    _cold(tmp_path, cache, parsed)
    _write(tmp_path, "b", "b", ["b1", "a2", "b2"])  # a2 is already in a.yaml (cached)
    got = load_decks([tmp_path], cache)
    assert parsed == ["b.yaml"]
    assert [str(p) for p in got.problems] == [
        f"{tmp_path / 'b.yaml'}:11: duplicate card id `a2` (first at {tmp_path / 'a.yaml'}:11)"
    ]
    assert [c.id for c in got.by_id("b").cards] == ["b1", "b2"]  # type: ignore[union-attr]
    _same_as_fresh(tmp_path, cache)


def test_a_cached_file_is_checked_again_against_an_edited_earlier_one(
    tmp_path: Path, parsed: list[str]
) -> None:
    _write(tmp_path, "a", "a", ["a1"])
    _write(tmp_path, "b", "b", ["b1", "b2"])
    cache = tmp_path / "cache"
    _cold(tmp_path, cache, parsed)
    _write(tmp_path, "a", "a", ["a1", "b2"])  # now b.yaml (unchanged, cached) repeats b2
    got = load_decks([tmp_path], cache)
    assert parsed == ["a.yaml"]
    assert [str(p) for p in got.problems] == [
        f"{tmp_path / 'b.yaml'}:11: duplicate card id `b2` (first at {tmp_path / 'a.yaml'}:11)"
    ]
    assert [c.id for c in got.by_id("b").cards] == ["b1"]  # type: ignore[union-attr]
    assert [c["id"] for c in got.by_id("b").raw_cards()] == ["b1"]  # type: ignore[union-attr]
    _same_as_fresh(tmp_path, cache)
    _write(tmp_path, "a", "a", ["a1"])  # and the duplicate goes away with the edit
    parsed.clear()
    assert load_decks([tmp_path], cache).problems == []
    assert parsed == ["a.yaml"]


def test_an_edit_that_reuses_a_cached_deck_id_is_reported(
    tmp_path: Path, parsed: list[str]
) -> None:
    _write(tmp_path, "a", "same", ["a1"])
    _write(tmp_path, "b", "b", ["b1"])
    cache = tmp_path / "cache"
    _cold(tmp_path, cache, parsed)
    _write(tmp_path, "b", "same", ["b1"])
    got = _same_as_fresh(tmp_path, cache)
    assert [p.message for p in got.problems] == [
        f"deck id `same` is also used by {tmp_path / 'a.yaml'}"
    ]
    assert [d.id for d in got.decks] == ["same"]


def test_cross_file_resolvers_run_on_cached_cards(tmp_path: Path, parsed: list[str]) -> None:
    """The resolvers are not part of the cache key: a task that went away is reported for a
    file that did not change."""
    (tmp_path / "c.yaml").write_text(
        "deck: c\ntitle: C\ncards:\n"
        + _card("c1", "    tasks: [gone_task]\n")
        + "  - id: c2\n    type: code\n    task: soft_threshold\n    explanation: e\n"
        "    source: {beyond: x}\n"
        "  - id: c3\n    type: numeric\n    example: no_such_kind\n    explanation: e\n"
        "    source: {beyond: x}\n" + _card("c4")
    )
    cache = tmp_path / "cache"
    _cold(tmp_path, cache, parsed)
    resolvers = {
        "example_exists": lambda kind: kind != "no_such_kind",
        "task_exists": lambda task: task != "gone_task",
    }
    got = _same_as_fresh(tmp_path, cache, **resolvers)
    assert parsed == ["c.yaml"]  # the fresh load only: the cached one parsed nothing
    assert [(p.line, p.message.split(";")[0]) for p in got.problems] == [
        (4, "`tasks:` names unknown grading task `gone_task`"),
        (17, "unknown example kind `no_such_kind`"),
    ]
    assert [c.id for c in got.decks[0].cards] == ["c2", "c4"]
    everything = {"example_exists": lambda _: True, "task_exists": lambda _: True}
    assert [c.id for c in load_decks([tmp_path], cache, **everything).decks[0].cards] == [
        "c1",
        "c2",
        "c3",
        "c4",
    ]


def test_a_file_with_problems_keeps_its_messages_from_the_cache(
    tmp_path: Path, parsed: list[str]
) -> None:
    _write(tmp_path, "a", "a", ["a1", "a1"], tail="  - id: Bad\n    type: nope\n")
    cache = tmp_path / "cache"
    first = _same_as_fresh(tmp_path, cache)
    parsed.clear()
    again = _same_as_fresh(tmp_path, cache)
    assert parsed == ["a.yaml"]  # the fresh load only
    assert [str(p) for p in again.problems] == [str(p) for p in first.problems]
    assert len(again.problems) == 2  # the unknown type, and the second a1


def test_cached_cards_are_not_decoded_until_asked_for(tmp_path: Path, parsed: list[str]) -> None:
    _write(tmp_path, "a", "a", ["a1", "a2"])
    cache = tmp_path / "cache"
    _cold(tmp_path, cache, parsed)
    deck = load_decks([tmp_path], cache).decks[0]
    assert parsed == [] and deck._cards is None and callable(deck._raw_source)
    assert deck.raw_cards() == [c.model_dump(mode="json", exclude_none=True) for c in deck.cards]
    assert deck.cards[1].prompt == "Question a2?"


def test_a_damaged_cache_body_is_parsed_again(tmp_path: Path, parsed: list[str]) -> None:
    _write(tmp_path, "a", "a", ["a1", "a2"])
    cache = tmp_path / "cache"
    _cold(tmp_path, cache, parsed)
    (entry,) = (cache / "deckfiles").glob("*.json")
    head, _, body = entry.read_text().partition("\n")
    entry.write_text(head + "\n" + body[: len(body) // 2])  # cut short
    deck = load_decks([tmp_path], cache).decks[0]
    assert [c.id for c in deck.cards] == ["a1", "a2"]
    entry.write_text(head[:-5])  # a damaged header: a miss
    parsed.clear()
    assert [c.id for c in load_decks([tmp_path], cache).decks[0].cards] == ["a1", "a2"]
    assert parsed == ["a.yaml"]
