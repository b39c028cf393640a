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


# --- second adversarial pass ------------------------------------------------------------------


def _collection(tmp_path: Path, *, models: str | None = None, notes_sql: str = "", mid: object = 1):
    import json
    import sqlite3

    basic = {"1": {"name": "Basic", "type": 0, "tmpls": [{"qfmt": "{{Front}}", "ord": 0}],
                   "flds": [{"name": "Front", "ord": 0}, {"name": "Back", "ord": 1}]}}  # fmt: skip
    db = tmp_path / "collection.anki2"
    conn = sqlite3.connect(db)
    conn.executescript(
        "CREATE TABLE col (models TEXT, decks TEXT);"
        "CREATE TABLE cards (id INTEGER, nid INTEGER, did INTEGER, ord INTEGER);"
        "INSERT INTO cards VALUES (1, 1, 1, 0);"
    )
    conn.execute(
        "INSERT INTO col VALUES (?, ?)",
        (json.dumps(basic) if models is None else models, json.dumps({"1": {"name": "D"}})),
    )
    if notes_sql:
        conn.execute(notes_sql)
    else:
        conn.execute("CREATE TABLE notes (id, guid, mid, tags, flds)")
        conn.execute("INSERT INTO notes VALUES (1, 'g', ?, '', 'q\x1fa')", (mid,))
    conn.commit()
    conn.close()
    pkg = tmp_path / "hostile.apkg"
    with zipfile.ZipFile(pkg, "w") as zf:
        zf.write(db, "collection.anki2")
    return pkg


ENDLESS_VIEW = (
    "CREATE VIEW notes AS WITH RECURSIVE r(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM r) "
    "SELECT x AS id, 'g' || x AS guid, 1 AS mid, '' AS tags, 'q' || char(31) || 'a' AS flds "
    "FROM r"
)


@pytest.mark.parametrize(
    ("kwargs", "why"),
    [
        ({"notes_sql": ENDLESS_VIEW}, "views"),  # the import never ended
        ({"models": "[" * 100_000 + "]" * 100_000}, "RecursionError"),  # exit 70
        ({"mid": 1e400}, "OverflowError"),  # an id of inf: exit 70
    ],
)
def test_hostile_collections_are_refused_with_a_message(
    tmp_path: Path, kwargs: dict[str, object], why: str
) -> None:
    pkg = _collection(tmp_path, **kwargs)  # type: ignore[arg-type]
    with pytest.raises(Unreadable) as info:
        read_apkg(pkg, None, False)
    assert info.value.problem.path == pkg and why in info.value.problem.message


def _cli_import(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, src: Path) -> tuple[int, str]:
    import io

    from quizapp.cli import main
    from quizapp.cli.env import Environment

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("QUIZAPP_DB", str(tmp_path / "q.db"))
    out = io.StringIO()
    env = Environment(stdout=out, stderr=io.StringIO(), environ=dict(os.environ))
    return main(["import", str(src)], env=env), out.getvalue()


def test_problems_quoting_the_file_reach_the_terminal_escaped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A note type named with ESC/OSC 52 was printed raw in `quizapp import`'s problems."""
    import json

    name = "Basic\x1b]52;c;SGk=\x07\x1b[2J\x9b\u202e"
    models = {"1": {"name": name, "type": 0, "tmpls": [{"qfmt": "{{Front}}", "ord": 0}],
                    "flds": [{"name": "Front", "ord": 0}, {"name": "Back", "ord": 1}]}}  # fmt: skip
    pkg = _collection(tmp_path, models=json.dumps(models))
    import sqlite3

    with zipfile.ZipFile(pkg) as zf:  # make the one note empty: a problem naming its note type
        (tmp_path / "c.anki2").write_bytes(zf.read("collection.anki2"))
    conn = sqlite3.connect(tmp_path / "c.anki2")
    conn.execute("UPDATE notes SET flds = ?", ("\x1f",))
    conn.commit()
    conn.close()
    with zipfile.ZipFile(pkg, "w") as zf:
        zf.write(tmp_path / "c.anki2", "collection.anki2")
    code, out = _cli_import(tmp_path, monkeypatch, pkg)
    assert code != 0 and "Basic\\x1b]52" in out, out
    assert not any(c in out for c in "\x1b\x07\x9b\u202e")


def test_too_many_cards_are_refused_and_nothing_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A 15 MB CSV of a million rows ran for tens of minutes; past the cap it is one located
    problem (the line of the first card over the limit) and no file."""
    from quizapp.interop import importing

    monkeypatch.setattr(importing, "MAX_IMPORT_CARDS", 50)
    src = tmp_path / "rows.csv"
    src.write_text("front,back\n" + "".join(f"q{i},a{i}\n" for i in range(60)), encoding="utf-8")
    code, out = _cli_import(tmp_path, monkeypatch, src)
    assert code != 0
    assert f"{src}:52:" in out and "60 cards" in out and "limit is 50" in out, out
    assert not list((tmp_path / "data").rglob("*.yaml"))


def test_sqlite_work_on_a_collection_has_a_time_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The backstop behind the view check: past MAX_READ_SECONDS SQLite is interrupted."""
    from quizapp.interop import anki

    monkeypatch.setattr(anki, "MAX_READ_SECONDS", -1)
    # enough rows that SQLite runs 100 000 instructions, where the progress handler is asked
    notes = (
        "CREATE TABLE notes AS WITH RECURSIVE r(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM r "
        "LIMIT 20000) SELECT x AS id, 'g' || x AS guid, 1 AS mid, '' AS tags, "
        "'q' || x || char(31) || 'a' AS flds FROM r"
    )
    pkg = _collection(tmp_path, notes_sql=notes)
    with pytest.raises(Unreadable) as info:
        read_apkg(pkg, None, False)
    assert "took over" in info.value.problem.message
