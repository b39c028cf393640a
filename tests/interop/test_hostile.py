"""Hostile input: fuzzed text for every parser, bad encodings, huge files, special files.

Each parser must return cards or located problems (line within the file), never raise.
"""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quizapp.interop import csv_cards, hascard, history_csv, obsidian
from quizapp.interop.anki import read_apkg
from quizapp.interop.importing import save_decks
from quizapp.interop.markup import html_to_markdown, markdown_to_html
from quizapp.interop.untrusted import Unreadable, read_text, safe_member_name

SRC = Path("fuzz.txt")
# Text built from the formats' own syntax, so the fuzzer reaches deep into each parser.
_PIECES = st.sampled_from(
    [
        "#",
        "# q",
        "---",
        "\n",
        "?",
        "??",
        "::",
        ":::",
        "==",
        "==x==",
        "_",
        "_a|b_",
        "* ",
        "- ",
        "[*] ",
        "[ ] ",
        "1. ",
        "#flashcards/x",
        "<!--SR:!2024-01-01,1,250-->",
        "```",
        ",",
        ";",
        "\t",
        '"',
        "{{c1::",
        "}}",
        "front,back",
        "a",
        " ",
        "λ",
        "\x00",
        "\r",
    ]
)
FUZZ_TEXT = st.one_of(st.text(max_size=300), st.lists(_PIECES, max_size=60).map("".join))
FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _check(result: object, text: str) -> None:
    n_lines = text.count("\n") + 1
    for problem in result.problems:  # type: ignore[attr-defined]
        assert 1 <= problem.line <= n_lines + 1, problem
        assert problem.message
    for deck in result.decks:  # type: ignore[attr-defined]
        for line, raw in deck.cards:
            assert 1 <= line <= n_lines
            assert raw["id"].startswith(deck.id + "-")


@FUZZ
@given(FUZZ_TEXT)
def test_fuzz_hascard(text: str) -> None:
    _check(hascard.parse(text, SRC, None), text)


@FUZZ
@given(FUZZ_TEXT)
def test_fuzz_obsidian(text: str) -> None:
    _check(obsidian.parse(text, SRC, None), text)


@FUZZ
@given(FUZZ_TEXT)
def test_fuzz_csv(text: str) -> None:
    _check(csv_cards.parse("front,back,tags\n" + text, SRC, None), "front,back,tags\n" + text)
    _check(csv_cards.parse(text, SRC, None), text)


@FUZZ
@given(FUZZ_TEXT)
def test_fuzz_history(text: str) -> None:
    full = ",".join(history_csv.COLUMNS) + "\n" + text
    read = history_csv.read_history(SRC, {"a", "q"}, 2_000_000_000_000, text=full)
    for problem in read.problems:
        assert 1 <= problem.line <= full.count("\n") + 2
    for rec in read.records:
        assert 1 <= rec.rating <= 4 and 0 <= rec.state <= 3


@FUZZ
@given(st.text(max_size=400))
def test_fuzz_markup_never_raises(text: str) -> None:
    assert isinstance(markdown_to_html(text), str)
    assert isinstance(html_to_markdown(text), str)


@settings(max_examples=60, deadline=None)
@given(FUZZ_TEXT)
def test_fuzz_whatever_imports_passes_the_deck_loader(text: str) -> None:
    """Anything a parser accepts is written as a deck file that loads without problems."""
    import tempfile

    for parse in (hascard.parse, obsidian.parse):
        result = parse(text, SRC, "fz")
        with tempfile.TemporaryDirectory() as tmp:
            saved, _ = save_decks(result, SRC, Path(tmp))
            for s in saved:
                from quizapp.decks import load_decks

                assert not load_decks([s.path]).problems
            if not saved:
                assert not list(Path(tmp).glob("*.yaml"))


@settings(max_examples=40, deadline=None)
@given(st.binary(max_size=2000))
def test_fuzz_apkg_bytes(tmp_path_factory: pytest.TempPathFactory, data: bytes) -> None:
    d = tmp_path_factory.mktemp("apkg")
    pkg = d / "x.apkg"
    with zipfile.ZipFile(pkg, "w") as zf:
        zf.writestr("collection.anki2", b"SQLite format 3\x00" + data)
    try:
        read_apkg(pkg, None, False)
    except Unreadable as exc:
        assert exc.problem.path == pkg and exc.problem.message


@pytest.mark.parametrize(
    ("data", "line", "why"),
    [
        (b"# q\nok\n---\n# r\n\xff\xfe bad\n", 5, "not valid UTF-8"),
        (b"\x00\x01\x02binary" * 100, 1, "not a text file"),
        ("# q\r\nanswer\r\n".encode("utf-16"), None, None),  # Excel's UTF-16 with BOM reads
        (b"\xef\xbb\xbf# q\nanswer\n", None, None),  # UTF-8 with BOM reads
        (b"# q\nan\x00swer\n", 2, "NUL"),
    ],
    ids=["bad-utf8", "binary", "utf16-bom", "utf8-bom", "nul"],
)
def test_encodings(tmp_path: Path, data: bytes, line: int | None, why: str | None) -> None:
    f = tmp_path / "cards.txt"
    f.write_bytes(data)
    text, problem = read_text(f)
    if why is None:
        assert problem is None and text is not None and text.startswith("# q\nanswer")
        result = hascard.read(f, None)
        assert result.decks[0].cards[0][1]["answer"] == "answer"
    else:
        assert text is None and problem is not None
        assert problem.line == line and why in problem.message and problem.path == f


def test_huge_file_refused_before_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from quizapp.interop import untrusted

    monkeypatch.setattr(untrusted, "MAX_TEXT_BYTES", 1000)
    f = tmp_path / "big.csv"
    f.write_text("front,back\n" + "q,a\n" * 1000)
    result = csv_cards.read(f, None)
    (problem,) = result.problems
    assert "limit" in problem.message and not result.decks


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_fifo_is_not_read(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.md"
    os.mkfifo(fifo)
    result = obsidian.read(fifo, None)
    assert "not a regular file" in result.problems[0].message


@pytest.mark.parametrize(
    ("name", "ok"),
    [
        ("collection.anki2", True),
        ("media", True),
        ("0", True),
        ("../x", False),
        ("a/../../x", False),
        ("/abs", False),
        ("C:/win", False),
        ("a\\..\\b", False),
        ("", False),
    ],
)
def test_member_names(name: str, ok: bool) -> None:
    assert safe_member_name(name) is ok


def test_interop_imports_no_optional_package() -> None:
    """`quizapp --help` and the interop registry load neither genanki, anki nor zstandard."""
    import subprocess
    import sys

    code = (
        "import sys, quizapp.interop, quizapp.cli.interop\n"
        "from quizapp.cli import build_parser\n"
        "build_parser().format_help()\n"
        "bad = [m for m in ('genanki', 'anki', 'zstandard', 'markdown_it', 'textual') "
        "if m in sys.modules]\n"
        "assert not bad, bad\n"
    )
    root = Path(__file__).resolve().parents[2]
    subprocess.run([sys.executable, "-c", code], check=True, cwd=root)
