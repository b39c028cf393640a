"""Reading Anki packages: ones Anki itself wrote (legacy and zstd), and our own exports."""

from __future__ import annotations

import time
import zipfile
from pathlib import Path
from typing import Any

import pytest

from quizapp.interop.anki import read_apkg
from quizapp.interop.importing import save_decks
from quizapp.interop.untrusted import Unreadable
from tests.interop.conftest import ALLTYPES, MINI, deck_data


def _anki_package(col: Any, out: Path, *, legacy: bool, reviews: bool = False) -> Path:
    """Basic, Cloze (two deletions) and type-in notes in a subdeck, exported by Anki."""
    from anki.collection import ExportAnkiPackageOptions

    did = col.decks.id("Interview::Regularization")
    basic = col.models.by_name("Basic")
    n = col.new_note(basic)
    n["Front"] = "What does <b>L2</b> add to the loss?"
    n["Back"] = "λ‖w‖²<br>(the squared norm)"
    n.tags = ["l2", "core"]
    col.add_note(n, did)
    cloze = col.models.by_name("Cloze")
    c = col.new_note(cloze)
    c["Text"] = "{{c1::Ridge}} is L2 and {{c2::Lasso}} is L1, see \\(\\|w\\|_1\\)"
    c["Back Extra"] = "Tibshirani 1996"
    col.add_note(c, did)
    typed = col.models.by_name("Basic (type in the answer)")
    t = col.new_note(typed)
    t["Front"] = "Which norm gives sparsity?"
    t["Back"] = "L1"
    col.add_note(t, did)
    if reviews:
        card = n.cards()[0]
        card.start_timer()
        col.sched.answerCard(card, 3)
    col.export_anki_package(
        out_path=str(out),
        options=ExportAnkiPackageOptions(with_scheduling=reviews, with_media=False, legacy=legacy),
        limit=None,  # the whole collection
    )
    return out


@pytest.mark.parametrize("legacy", [True, False], ids=["anki21", "anki21b-zstd"])
def test_reads_packages_anki_wrote(tmp_path: Path, anki_col: Any, legacy: bool) -> None:
    if not legacy:
        pytest.importorskip("zstandard")
    apkg = _anki_package(anki_col, tmp_path / "a.apkg", legacy=legacy)
    if not legacy:
        assert "collection.anki21b" in zipfile.ZipFile(apkg).namelist()
    result = read_apkg(apkg, None, False)
    assert not result.problems
    (deck,) = result.decks
    assert deck.id == "regularization"
    cards = [raw for _, raw in deck.cards]
    by_type = sorted(c["type"] for c in cards)
    assert by_type == ["basic", "cloze", "cloze", "typed"]  # one cloze card per deletion
    basic = next(c for c in cards if c["type"] == "basic")
    assert basic["prompt"] == "What does **L2** add to the loss?"
    assert basic["answer"] == "λ‖w‖²\n(the squared norm)"
    assert sorted(basic["tags"]) == ["core", "l2"]
    clozes = sorted(c["text"] for c in cards if c["type"] == "cloze")
    assert clozes[0] == "Ridge is L2 and {{c1::Lasso}} is L1, see $\\|w\\|_1$"
    assert clozes[1] == "{{c1::Ridge}} is L2 and Lasso is L1, see $\\|w\\|_1$"
    assert all("Tibshirani" in c["explanation"] for c in cards if c["type"] == "cloze")
    typed = next(c for c in cards if c["type"] == "typed")
    assert typed["accept"] == ["L1"] and typed["prompt"] == "Which norm gives sparsity?"
    saved, problems = save_decks(result, apkg, tmp_path / "decks")
    assert not problems and saved[0].cards == 4


def test_reimport_keeps_the_same_ids(tmp_path: Path, anki_col: Any) -> None:
    apkg = _anki_package(anki_col, tmp_path / "a.apkg", legacy=True)
    ids1 = sorted(raw["id"] for _, raw in read_apkg(apkg, "x", False).decks[0].cards)
    ids2 = sorted(raw["id"] for _, raw in read_apkg(apkg, "x", False).decks[0].cards)
    assert ids1 == ids2 and all(i.startswith("x-") for i in ids1)
    dest = tmp_path / "decks"
    save_decks(read_apkg(apkg, "x", False), apkg, dest)
    saved, _ = save_decks(read_apkg(apkg, "x", False), apkg, dest)
    assert saved[0].new == 0 and saved[0].updated == 4


def test_with_history_reads_the_review_log(tmp_path: Path, anki_col: Any) -> None:
    apkg = _anki_package(anki_col, tmp_path / "a.apkg", legacy=True, reviews=True)
    result = read_apkg(apkg, None, True)
    (review,) = result.reviews
    assert review.rating == 3 and review.state == 0
    assert abs(review.review_time - time.time() * 1000) < 600_000
    basic = next(raw for _, raw in result.decks[0].cards if raw["type"] == "basic")
    assert review.card_id == basic["id"]


def test_round_trip_of_our_own_export(tmp_path: Path) -> None:
    pytest.importorskip("genanki")
    from quizapp.interop.anki import write_apkg

    decks = deck_data(ALLTYPES, MINI)
    apkg = tmp_path / "ours.apkg"
    write_apkg(decks, apkg)
    result = read_apkg(apkg, None, False)
    assert not result.problems
    got = {d.id: [raw for _, raw in d.cards] for d in result.decks}
    assert sorted(got) == ["every-card-type", "mini-deck"]
    mini = {c["type"]: c for c in got["mini-deck"] if "choose one" not in c.get("prompt", "")}
    src = {c.type: c for c in decks[1].cards}
    assert mini["basic"]["prompt"] == src["basic"].prompt.strip()
    assert mini["basic"]["answer"] == src["basic"].answer.strip()
    assert mini["basic"]["explanation"] == src["basic"].explanation
    assert mini["cloze"]["text"] == src["cloze"].text
    assert mini["typed"]["accept"] == list(src["typed"].accept)
    # multiple choice comes back as a basic card showing the options (Anki has no such type)
    assert sorted(c["type"] for c in got["mini-deck"]) == ["basic", "basic", "cloze", "typed"]


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


@pytest.mark.parametrize(
    ("members", "why"),
    [
        ({"../../evil": b"x", "collection.anki2": b"x"}, "unsafe path"),
        ({"/etc/passwd": b"x"}, "unsafe path"),
        ({"media": b"{}"}, "no collection"),
        ({"collection.anki2": b"not sqlite at all"}, "not an SQLite"),
        ({"collection.anki2": b"SQLite format 3\x00" + b"\x00" * 200}, "cannot be read"),
        ({"collection.anki21b": b"not zstd"}, "damaged"),
    ],
)
def test_hostile_packages_get_a_located_message(
    tmp_path: Path, members: dict[str, bytes], why: str
) -> None:
    if "collection.anki21b" in members:
        pytest.importorskip("zstandard")
    pkg = _zip(tmp_path / "bad.apkg", members)
    with pytest.raises(Unreadable) as exc:
        read_apkg(pkg, None, False)
    assert why in exc.value.problem.message
    assert exc.value.problem.path == pkg and exc.value.problem.line == 1


def test_zip_bomb_stops_at_the_cap(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from quizapp.interop import untrusted

    monkeypatch.setattr(untrusted, "MAX_MEMBER_BYTES", 4 << 20)
    pkg = _zip(tmp_path / "bomb.apkg", {"collection.anki2": b"\x00" * (64 << 20)})
    assert pkg.stat().st_size < 200_000
    with pytest.raises(Unreadable) as exc:
        read_apkg(pkg, None, False)
    assert "inflates" in exc.value.problem.message


def test_not_a_zip(tmp_path: Path) -> None:
    bad = tmp_path / "x.apkg"
    bad.write_text("hello")
    with pytest.raises(Unreadable) as exc:
        read_apkg(bad, None, False)
    assert "not a zip" in exc.value.problem.message


def test_zstd_bomb_stops_at_the_cap(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    zstandard = pytest.importorskip("zstandard")
    from quizapp.interop import untrusted

    monkeypatch.setattr(untrusted, "MAX_MEMBER_BYTES", 4 << 20)
    blob = zstandard.ZstdCompressor().compress(b"\x00" * (64 << 20))
    pkg = _zip(tmp_path / "bomb.apkg", {"collection.anki21b": blob})
    with pytest.raises(Unreadable) as exc:
        read_apkg(pkg, None, False)
    assert "size limit" in exc.value.problem.message


def test_reads_a_colpkg_anki_wrote(tmp_path: Path, anki_col: Any) -> None:
    """A whole-collection backup (.colpkg, zstd): the dummy collection.anki2 is not used."""
    pytest.importorskip("zstandard")
    n = anki_col.new_note(anki_col.models.by_name("Basic"))
    n["Front"] = "Elastic Net mixes which penalties?"
    n["Back"] = "L1 and L2"
    anki_col.add_note(n, anki_col.decks.id("Default"))
    out = tmp_path / "backup.colpkg"
    anki_col.export_collection_package(str(out), include_media=False, legacy=False)
    assert {"collection.anki21b", "collection.anki2"} <= set(zipfile.ZipFile(out).namelist())
    result = read_apkg(out, None, False)
    (deck,) = result.decks
    (card,) = [raw for _, raw in deck.cards]
    assert card["prompt"] == "Elastic Net mixes which penalties?" and card["answer"] == "L1 and L2"
    assert deck.id == "default"


def test_a_bad_note_is_named_and_the_rest_imported(tmp_path: Path, anki_col: Any) -> None:
    cloze = anki_col.models.by_name("Cloze")
    c = anki_col.new_note(cloze)
    c["Text"] = "{{c1::outer {{c2::inner}} }} nested"
    anki_col.add_note(c, anki_col.decks.id("Default"))
    apkg = _anki_package(anki_col, tmp_path / "a.apkg", legacy=True)
    result = read_apkg(apkg, "mixed", False)
    saved, problems = save_decks(result, apkg, tmp_path / "decks")
    assert saved and saved[0].cards == 4
    assert problems and all(p.path == apkg for p in problems)
    assert any(f"Cloze note {c.id}" in p.message for p in problems)


def _legacy_collection(tmp_path: Path, models: str, decks: str, notes: list[tuple]) -> Path:
    import sqlite3

    db = tmp_path / "collection.anki2"
    conn = sqlite3.connect(db)
    conn.executescript(
        "CREATE TABLE col (models TEXT, decks TEXT);"
        "CREATE TABLE notes (id INTEGER, guid TEXT, mid INTEGER, tags TEXT, flds TEXT);"
        "CREATE TABLE cards (id INTEGER, nid INTEGER, did INTEGER, ord INTEGER);"
        "CREATE TABLE revlog (id INTEGER, cid INTEGER, ease INTEGER, time INTEGER, type INTEGER);"
    )
    conn.execute("INSERT INTO col VALUES (?, ?)", (models, decks))
    conn.executemany("INSERT INTO notes VALUES (?, ?, ?, ?, ?)", notes)
    conn.commit()
    conn.close()
    return _zip(tmp_path / "hand.apkg", {"collection.anki2": db.read_bytes()})


@pytest.mark.parametrize(
    ("models", "decks"),
    [("[]", "{}"), ('{"1": []}', "{}"), ("not json", "{}"), ("{}", "[1]"), ("null", "null")],
)
def test_malformed_collections_are_refused_cleanly(tmp_path: Path, models: str, decks: str) -> None:
    pkg = _legacy_collection(tmp_path, models, decks, [(1, "g", 1, "", "a\x1fb")])
    try:
        result = read_apkg(pkg, None, False)
    except Unreadable as exc:
        assert exc.problem.path == pkg and "malformed" in exc.problem.message
    else:  # readable enough: the note is skipped with a reason, never a traceback
        assert result.problems and all(p.path == pkg for p in result.problems)


def test_unknown_note_type_is_skipped_with_its_note_id(tmp_path: Path) -> None:
    models = (
        '{"5": {"name": "Basic", "type": 0, "flds": [{"name": "Front", "ord": 0}, '
        '{"name": "Back", "ord": 1}], "tmpls": [{"ord": 0, "qfmt": "{{Front}}"}]}}'
    )
    pkg = _legacy_collection(
        tmp_path,
        models,
        '{"1": {"name": "Deck"}}',
        [(1, "g1", 5, " t ", "q\x1fa"), (2, "g2", 99, "", "x\x1fy"), (3, "g3", 5, "", "\x1f")],
    )
    result = read_apkg(pkg, None, False)
    assert [raw["prompt"] for _, raw in result.decks[0].cards] == ["q"]
    messages = [p.message for p in result.problems]
    assert any("note 2: unknown note type 99" in m for m in messages)
    assert any("note 3" in m and "empty" in m for m in messages)


def test_package_size_and_member_count_limits(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from quizapp.interop import untrusted

    pkg = _zip(tmp_path / "many.apkg", {f"{i}": b"x" for i in range(5)})
    monkeypatch.setattr(untrusted, "MAX_MEMBERS", 3)
    with pytest.raises(Unreadable) as exc:
        read_apkg(pkg, None, False)
    assert "5 zip members; the limit is 3" in exc.value.problem.message
    monkeypatch.setattr(untrusted, "MAX_PACKAGE_BYTES", 100)
    with pytest.raises(Unreadable) as exc:
        read_apkg(pkg, None, False)
    assert "the limit is 100" in exc.value.problem.message
