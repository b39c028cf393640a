"""`export anki`: the package checked by Anki's own importer (and by plain sqlite3)."""

from __future__ import annotations

import sqlite3
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.interop.conftest import ALLTYPES, MINI, anki_import, deck_data

pytest.importorskip("genanki")

from quizapp.interop.anki import MODEL_IDS, note_fields, write_apkg

T0 = 1_760_000_000_000


def _notes_sqlite(apkg: Path, tmp_path: Path) -> list[tuple[str, str, str]]:
    with zipfile.ZipFile(apkg) as zf:
        (tmp_path / "c.anki2").write_bytes(zf.read("collection.anki2"))
    conn = sqlite3.connect(tmp_path / "c.anki2")
    try:
        return conn.execute("SELECT guid, flds, tags FROM notes ORDER BY flds").fetchall()
    finally:
        conn.close()


def test_package_opens_with_sqlite_and_has_one_note_per_card(tmp_path: Path) -> None:
    out = tmp_path / "x.apkg"
    counts = write_apkg(deck_data(ALLTYPES, MINI), out, now_ms=T0)
    assert counts == {"alltypes": 6, "mini": 4}
    notes = _notes_sqlite(out, tmp_path)
    assert len(notes) == 10
    ids = {flds.split("\x1f")[-1] for _, flds, _ in notes}
    assert "at-code" in ids and "mini-cloze" in ids


def test_guids_are_stable_across_exports(tmp_path: Path) -> None:
    a, b = tmp_path / "a.apkg", tmp_path / "b.apkg"
    write_apkg(deck_data(ALLTYPES), a, now_ms=T0)
    write_apkg(deck_data(ALLTYPES), b, now_ms=T0 + 86_400_000)
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    ga = sorted(g for g, _, _ in _notes_sqlite(a, tmp_path / "a"))
    gb = sorted(g for g, _, _ in _notes_sqlite(b, tmp_path / "b"))
    assert ga == gb and len(set(ga)) == 6


def test_field_mapping_per_type() -> None:
    cards = {c.id: c for d in deck_data(ALLTYPES) for c in d.cards}
    key, f = note_fields(cards["at-basic"])
    assert key == "basic"
    assert r"\(\lambda \|w\|^2\)" in f[0] and "<strong>2λw</strong>" in f[1]
    key, f = note_fields(cards["at-cloze"])
    # every gap is c1: quizapp hides all gaps of a card together, so does one Anki card
    assert key == "cloze" and "{{c1::Gaussian}}" in f[0] and "{{c1::Laplace::distribution}}" in f[0]
    key, f = note_fields(cards["at-typed"])
    assert key == "typed" and f[1] == "L1" and f[2] == "l1 norm"
    key, f = note_fields(cards["at-mc"])
    assert "a)</b> x · 0.8" in f[0] and "✔ <b>b)</b> x — training already scaled" in f[1]
    key, f = note_fields(cards["at-numeric"])
    assert "Seed" in f[0] and "Answer:" in f[1]
    key, f = note_fields(cards["at-code"])
    assert "<pre><code" in f[1] and "def l1_penalty" in f[1]
    assert all(
        fields[-1] == cid for cid, (_, fields) in ((c, note_fields(cards[c])) for c in cards)
    )


def test_anki_imports_counts_and_renders_each_type(tmp_path: Path, anki_col: Any) -> None:
    out = tmp_path / "x.apkg"
    write_apkg(deck_data(ALLTYPES, MINI), out, now_ms=T0)
    anki_import(anki_col, out)
    col = anki_col
    assert col.note_count() == 10 and col.card_count() == 10
    assert len(col.find_cards('deck:"quizapp::Every card type"')) == 6
    assert len(col.find_cards('deck:"quizapp::Mini deck"')) == 4
    models = {m.name: m.id for m in col.models.all_names_and_ids()}
    assert models["quizapp Basic"] == MODEL_IDS["basic"]

    def card_of(qid: str) -> Any:
        (nid,) = col.find_notes(f"QuizappId:{qid}")
        return col.get_note(nid).cards()[0]

    q = card_of("at-basic").question()
    assert r"\(\lambda \|w\|^2\)" in q
    assert "<strong>2λw</strong>" in card_of("at-basic").answer()
    cloze = card_of("at-cloze")
    assert cloze.question().count('class="cloze"') == 2  # both gaps hidden on one card
    assert "Gaussian" not in cloze.question().split("</style>")[-1].replace(
        'data-cloze="Gaussian"', ""
    )
    assert "Gaussian" in cloze.answer()
    typed = card_of("at-typed").question()
    assert "[[type:Answer]]" in typed or "typeans" in typed
    assert "x / 0.8" in card_of("at-mc").question()
    assert "Seed" in card_of("at-numeric").question()
    assert "l1_penalty" in card_of("at-code").question()
    assert "def l1_penalty" in card_of("at-code").answer()
    note = col.get_note(col.find_notes("QuizappId:at-basic")[0])
    assert set(note.tags) == {"l2", "two_words"}
    assert "003" in note["Source"]


def test_reimport_after_edit_updates_instead_of_duplicating(tmp_path: Path, anki_col: Any) -> None:
    decks = deck_data(ALLTYPES)
    first, second = tmp_path / "1.apkg", tmp_path / "2.apkg"
    write_apkg(decks, first, now_ms=T0)
    anki_import(anki_col, first)
    edited = [
        c.model_copy(update={"answer": "changed"}) if c.id == "at-basic" else c
        for c in decks[0].cards
    ]
    from quizapp.interop.anki import DeckData

    write_apkg([DeckData("alltypes", decks[0].title, edited)], second, now_ms=T0 + 3_600_000)
    anki_import(anki_col, second)
    assert anki_col.note_count() == 6 and anki_col.card_count() == 6
    note = anki_col.get_note(anki_col.find_notes("QuizappId:at-basic")[0])
    assert note["Back"] == "changed"


def test_with_scheduling_carries_fsrs_state_and_history(
    tmp_path: Path, anki_col: Any, mini_session: Any
) -> None:
    now = datetime.now(UTC) - timedelta(days=3)
    store = mini_session.store
    ratings = {"mini-basic": [3, 3], "mini-typed": [1], "mini-mc": [4]}
    for cid, rs in ratings.items():
        t = now
        for r in rs:
            row = store.card(cid)
            outcome = mini_session.preview(row, t)[r]
            mini_session.rate(row, outcome, t, 4000)
            t = t + timedelta(days=1)
    ids = ["mini-basic", "mini-typed", "mini-mc", "mini-cloze"]
    states = {r.card_id: r for r in store.cards(ids)}
    logs = store.review_logs()
    out = tmp_path / "s.apkg"
    write_apkg(deck_data(MINI), out, states=states, logs=logs)
    anki_import(anki_col, out, with_scheduling=True)
    col = anki_col
    assert col.db.scalar("select count() from revlog") == 4

    def card_of(qid: str) -> Any:
        return col.get_note(col.find_notes(f"QuizappId:{qid}")[0]).cards()[0]

    basic = card_of("mini-basic")
    ours = states["mini-basic"]
    assert basic.type == ours.state and basic.reps == 2
    assert basic.memory_state is not None
    assert basic.memory_state.stability == pytest.approx(ours.stability, rel=1e-3)
    assert basic.memory_state.difficulty == pytest.approx(ours.difficulty, rel=1e-3)
    if ours.state == 2:
        days_left = (ours.due - datetime.now(UTC).timestamp() * 1000) / 86_400_000
        assert abs((basic.due - col.sched.today) - days_left) <= 1.5
    assert card_of("mini-typed").type in (1, 3) and card_of("mini-typed").reps == 1
    assert card_of("mini-cloze").type == 0  # never reviewed: new in Anki too
