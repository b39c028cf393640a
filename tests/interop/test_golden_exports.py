"""Golden exports: the bytes each writer produces for fixed cards are the contract.

Numeric and code cards are left out here: their text comes from the example generators and the
task catalog, which change on their own; test_anki_export.py checks their mapping.
"""

from __future__ import annotations

import io
import json
import os
import sqlite3
import zipfile
from pathlib import Path

import pytest

from quizapp.decks import load_decks
from quizapp.interop import get_format
from tests.interop.conftest import ALLTYPES, INTERCHANGE

EXPECTED = INTERCHANGE / "expected"


def _cards() -> list:
    return [c for _, c in load_decks([ALLTYPES]).cards() if c.type not in ("numeric", "code")]


def _golden(name: str, text: str) -> None:
    if os.environ.get("QUIZAPP_UPDATE_GOLDEN"):
        (EXPECTED / name).write_text(text, encoding="utf-8")
    assert text == (EXPECTED / name).read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("fmt", "name"),
    [("csv", "export.csv"), ("hascard", "export.hascard.txt"), ("obsidian", "export.obsidian.md")],
)
def test_text_writers_match_golden(fmt: str, name: str) -> None:
    buf = io.StringIO()
    get_format(fmt).load().write(_cards(), buf)
    _golden(name, buf.getvalue())


def test_apkg_notes_match_golden(tmp_path: Path) -> None:
    pytest.importorskip("genanki")
    from quizapp.interop.anki import DeckData, write_apkg

    out = tmp_path / "g.apkg"
    write_apkg([DeckData("alltypes", "Every card type", _cards())], out, now_ms=1_760_000_000_000)
    with zipfile.ZipFile(out) as zf:
        (tmp_path / "c").write_bytes(zf.read("collection.anki2"))
    conn = sqlite3.connect(tmp_path / "c")
    (models,) = conn.execute("SELECT models FROM col").fetchone()
    names = {int(k): v["name"] for k, v in json.loads(models).items()}
    (decks,) = conn.execute("SELECT decks FROM col").fetchone()
    deck_names = {int(k): v["name"] for k, v in json.loads(decks).items()}
    notes = [
        {
            "guid": guid,
            "model": names[mid],
            "deck": deck_names[did],
            "tags": tags.split(),
            "fields": flds.split("\x1f"),
        }
        for guid, mid, tags, flds, did in conn.execute(
            "SELECT n.guid, n.mid, n.tags, n.flds, c.did FROM notes n JOIN cards c "
            "ON c.nid = n.id ORDER BY n.sfld"
        )
    ]
    conn.close()
    _golden("export.apkg-notes.json", json.dumps(notes, indent=1, ensure_ascii=False) + "\n")
