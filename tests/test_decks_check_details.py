"""`decks check` details from the reliability trial (issue 20, item 9): every problem points at a
line that exists and names the real cause."""

from __future__ import annotations

from pathlib import Path

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
