"""`decks check` details from the reliability trial (issue 20, item 9): every problem points at a
line that exists and names the real cause."""

from __future__ import annotations

from pathlib import Path

import pytest

from quizapp.decks import load_decks


def _problems(folder: Path) -> dict[str, list[tuple[int, str]]]:
    out: dict[str, list[tuple[int, str]]] = {}
    for p in load_decks([folder]).problems:
        out.setdefault(p.path.name, []).append((p.line, p.message))
    return out


def test_truncated_file_points_at_its_last_line(tmp_path: Path) -> None:
    text = 'deck: t\ntitle: T\ncards:\n  - id: a\n    type: basic\n    prompt: "cut sh\n'
    for body in (text, text.rstrip("\n")):
        (tmp_path / "t.yaml").write_text(body)
        [(line, message)] = _problems(tmp_path)["t.yaml"]
        assert 1 <= line <= len(body.splitlines())
        assert "cut short" in message


def test_utf16_without_bom_is_named(tmp_path: Path) -> None:
    text = "deck: u\ntitle: U\ncards: []\n"
    (tmp_path / "le.yaml").write_bytes(text.encode("utf-16-le"))
    (tmp_path / "be.yaml").write_bytes(text.encode("utf-16-be"))
    found = _problems(tmp_path)
    assert "UTF-16-LE without a byte-order mark" in found["le.yaml"][0][1]
    assert "UTF-16-BE without a byte-order mark" in found["be.yaml"][0][1]


def test_folder_named_like_a_deck_file_is_reported(tmp_path: Path) -> None:
    (tmp_path / "more.yaml").mkdir()
    [(line, message)] = _problems(tmp_path)["more.yaml"]
    assert line == 1 and "folder" in message


def test_empty_why_is_refused(tmp_path: Path) -> None:
    (tmp_path / "w.yaml").write_text(
        "deck: w\ntitle: W\ncards:\n  - id: w1\n    type: multiple_choice\n    prompt: p\n"
        "    explanation: e\n    source: {beyond: x}\n    options:\n"
        "      - {text: a, correct: true, why: }\n"
        '      - {text: b, why: "  "}\n'
        "      - {text: c}\n"
        "      - {text: d, why: a real reason}\n"
    )
    found = _problems(tmp_path)["w.yaml"]
    assert [line for line, _ in found] == [10, 11]
    assert all("`why:` is empty" in m for _, m in found)


def test_per_file_cache_reparses_only_the_edited_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 20 item 7: an edit to one deck file re-validates that file only, and a cached
    result is the same as a fresh one (models, lines, problems, cross-file checks)."""
    import quizapp.decks as decks_mod
    from quizapp.catalog import bundled_decks_dir

    folder = tmp_path / "decks"
    folder.mkdir()
    for p in sorted(bundled_decks_dir().glob("*.yaml")):
        (folder / p.name).write_bytes(p.read_bytes())
    (folder / "bad.yaml").write_text("deck: bad\ntitle: Bad\ncards:\n  - id: x\n    type: nope\n")
    cache = tmp_path / "cache"
    parsed: list[str] = []
    real = decks_mod._load_file

    def counting(path: Path):  # type: ignore[no-untyped-def]
        parsed.append(path.name)
        return real(path)

    monkeypatch.setattr(decks_mod, "_load_file", counting)
    fresh = load_decks([folder])
    parsed.clear()
    first = load_decks([folder], cache)
    assert len(parsed) == len(list(folder.glob("*.yaml")))  # cold cache: every file
    parsed.clear()
    again = load_decks([folder], cache)
    assert parsed == []
    for got in (first, again):
        assert [d.cards for d in got.decks] == [d.cards for d in fresh.decks]
        assert [d.card_lines for d in got.decks] == [d.card_lines for d in fresh.decks]
        assert got.problems == fresh.problems
    edited = sorted(folder.glob("*.yaml"))[0]
    edited.write_text(edited.read_text() + "\n# edited\n")
    parsed.clear()
    load_decks([folder], cache)
    assert parsed == [edited.name]
