"""`quizapp history import|export` and the import/export commands, through `main()`."""

from __future__ import annotations

import dataclasses
import io
import itertools
import os
import sqlite3
from pathlib import Path

import pytest

from quizapp.cli import main
from quizapp.cli.env import Environment
from quizapp.scheduling import from_ms
from quizapp.store import Store
from tests.interop.conftest import ALLTYPES, INTERCHANGE, MINI

HISTORY = INTERCHANGE / "history.csv"
BAD = INTERCHANGE / "history_bad.csv"


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), env=Environment(stdout=out, stderr=err, environ=dict(os.environ)))
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def mini_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.setenv("QUIZAPP_DECKS", str(MINI.parent))
    db = tmp_path / "cli.db"
    monkeypatch.setenv("QUIZAPP_DB", str(db))
    return db


def _log_count(db: Path) -> int:
    conn = sqlite3.connect(db)
    try:
        return int(conn.execute("SELECT count(*) FROM review_log").fetchone()[0])
    finally:
        conn.close()


def test_history_import_replays_like_live_reviews(mini_env: Path, tmp_path: Path) -> None:
    code, out, err = run("history", "import", str(HISTORY))
    assert code == 0, out + err
    assert "6 reviews imported for 3 cards" in err
    # The same reviews rated one by one through the scheduler give the same states.
    from quizapp.session import open_session

    live = open_session(tmp_path / "live.db", deck_dirs=[MINI.parent])
    live.settings = dataclasses.replace(live.settings, enable_fuzzing=False)
    rows = [line.split(",") for line in HISTORY.read_text().splitlines()[1:]]
    for cid, t, rating, _, dur in rows:
        before = live.store.card(cid)
        assert before is not None
        outcome = live.preview(before, from_ms(int(t)))[int(rating)]
        live.rate(before, outcome, from_ms(int(t)), int(dur) if dur else None)
    store = Store.open(mini_env)
    try:
        for cid in ("mini-basic", "mini-typed", "mini-mc"):
            assert store.card(cid) == live.store.card(cid)
        logs = store.review_logs("mini-basic")
        assert [lg.rating for lg in logs] == [3, 3, 2] and logs[0].origin == "import"
        assert [lg.state_before.state for lg in logs] == [0, 1, 2]
        assert store.card("mini-cloze").state == 0  # untouched
    finally:
        store.close()
        live.close()


def test_history_export_round_trip_is_byte_exact(mini_env: Path, tmp_path: Path) -> None:
    assert run("history", "import", str(HISTORY))[0] == 0
    out_file = tmp_path / "out.csv"
    code, _, err = run("history", "export", str(out_file))
    assert code == 0 and "6 reviews written" in err
    assert out_file.read_bytes() == HISTORY.read_bytes()
    code, out, _ = run("history", "export")
    assert code == 0 and out == HISTORY.read_text()


def test_history_reimport_adds_nothing(mini_env: Path) -> None:
    assert run("history", "import", str(HISTORY))[0] == 0
    code, _, err = run("history", "import", str(HISTORY))
    assert code == 0 and "0 reviews imported" in err and "6 already there" in err
    assert _log_count(mini_env) == 6


def test_history_bad_rows_located_and_nothing_written(mini_env: Path) -> None:
    assert run("history", "import", str(HISTORY))[0] == 0
    store = Store.open(mini_env)
    before = store.card("mini-basic")
    store.close()
    code, out, err = run("history", "import", str(BAD))
    assert code == 1
    lines = out.splitlines()
    expect = {
        3: "unknown card id `no-such-card`",
        4: "review_rating 5",
        5: "in the future",
        6: "before 2000",
        7: "review_state 7",
        8: "not an integer",
        9: "negative",
    }
    assert len(lines) == len(expect)
    for line, (n, why) in zip(lines, sorted(expect.items()), strict=True):
        assert line.startswith(f"{BAD}:{n}: ") and why in line
    assert "7 bad row(s) of 8" in err and "nothing imported" in err
    assert _log_count(mini_env) == 6
    store = Store.open(mini_env)
    assert store.card("mini-basic") == before
    store.close()


def test_history_import_merges_with_existing_reviews_in_time_order(mini_env: Path) -> None:
    from quizapp.session import open_session

    session = open_session(mini_env)
    t = from_ms(1_735_900_000_000)  # between the fixture's 2nd and 3rd mini-basic review
    row = session.store.card("mini-basic")
    session.rate(row, session.preview(row, t)[3], t, 1000)
    session.close()
    assert run("history", "import", str(HISTORY))[0] == 0
    store = Store.open(mini_env)
    logs = store.review_logs("mini-basic")
    store.close()
    times = sorted(lg.reviewed_at for lg in logs)
    assert len(logs) == 4
    chain = sorted(logs, key=lambda lg: lg.reviewed_at)
    for a, b in itertools.pairwise(chain):  # states chain in time order
        assert a.state_after == b.state_before
    assert times[2] == 1_735_900_000_000


def test_history_missing_header(mini_env: Path, tmp_path: Path) -> None:
    f = tmp_path / "h.csv"
    f.write_text("a,b\n1,2\n")
    code, out, _ = run("history", "import", str(f))
    assert code == 1 and out.startswith(f"{f}:1: header lacks card_id")


def test_import_cli_writes_a_deck_that_passes_check(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("QUIZAPP_DB", str(tmp_path / "q.db"))
    code, out, err = run("import", str(INTERCHANGE / "hascard.txt"), "--deck", "my-cards")
    assert code == 0, out + err
    from quizapp.paths import data_dir

    made = data_dir() / "decks" / "my-cards.yaml"
    assert made.is_file()
    assert f"made {made}: deck `my-cards`, 6 cards" in out
    assert "6 new, 0 updated" in out
    assert f"{INTERCHANGE / 'hascard.txt'}:26: a card starts with" in out
    code, _, err = run("decks", "check", str(made))
    assert code == 0, err
    # the new deck is one of the user's decks now
    code, listed, _ = run("decks", "list", "--json")
    assert code == 0 and '"my-cards"' in listed
    code, out, _ = run("import", str(INTERCHANGE / "hascard.txt"), "--deck", "my-cards")
    assert code == 0 and "0 new, 6 updated" in out


def test_import_cli_refuses_and_writes_nothing(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("QUIZAPP_DB", str(tmp_path / "q.db"))
    from quizapp.paths import data_dir

    bad = tmp_path / "x.apkg"
    bad.write_bytes(b"PK\x03\x04 broken")
    code, out, err = run("import", str(bad))
    assert code == 1 and out.startswith(f"{bad}:1: ") and "nothing imported" in err
    code, out, _ = run("import", str(tmp_path / "missing.csv"))
    assert code == 1 and "no such file" in out
    code, _, err = run("import", str(INTERCHANGE / "cards.csv"), "--deck", "Bad Id")
    assert code == 2 and "--deck" in err
    # a deck id that clashes with a bundled deck is refused, with the reason
    code, out, _ = run("import", str(INTERCHANGE / "cards.csv"), "--deck", "l1")
    assert code == 1 and "deck id `l1` is also used by" in out
    assert not (data_dir() / "decks").exists() or not list((data_dir() / "decks").glob("*.yaml"))


def test_export_text_formats_cli(mini_env: Path, tmp_path: Path) -> None:
    code, out, _ = run("export", "csv", "-", "--deck", "mini")
    assert code == 0 and out.startswith("front,back,tags,explanation\n")
    code, _, err = run("export", "hascard", str(tmp_path / "m.txt"))
    assert code == 0 and "wrote 4 cards" in err
    code, _, err = run("export", "csv", "-", "--deck", "nope")
    assert code == 2 and "unknown deck 'nope'" in err


def test_export_anki_cli_with_scheduling(mini_env: Path, tmp_path: Path) -> None:
    pytest.importorskip("genanki")
    assert run("history", "import", str(HISTORY))[0] == 0
    out_file = tmp_path / "m.apkg"
    code, out, err = run("export", "anki", str(out_file), "--with-scheduling")
    assert code == 0, err
    assert "mini: 4 notes" in out and "6 reviews" in err
    import zipfile

    with zipfile.ZipFile(out_file) as zf:
        (tmp_path / "c").write_bytes(zf.read("collection.anki2"))
    conn = sqlite3.connect(tmp_path / "c")
    assert conn.execute("SELECT count(*) FROM revlog").fetchone()[0] == 6
    assert conn.execute("SELECT count(*) FROM cards WHERE type != 0").fetchone()[0] == 3
    conn.close()
    assert run("export", "anki", "-")[0] == 2


def test_import_apkg_with_history_cli(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, mini_env: Path
) -> None:
    pytest.importorskip("genanki")
    # quizapp → Anki package with scheduling → a fresh quizapp imports notes and history
    assert run("history", "import", str(HISTORY))[0] == 0
    pkg = tmp_path / "m.apkg"
    assert run("export", "anki", str(pkg), "--with-scheduling")[0] == 0
    monkeypatch.setenv("QUIZAPP_DB", str(tmp_path / "fresh.db"))
    monkeypatch.delenv("QUIZAPP_DECKS")
    code, out, err = run("import", str(pkg), "--deck", "from-anki", "--with-history")
    assert code == 0, out + err
    assert "6 reviews imported for 3 cards" in err
    code, out, _ = run("history", "export")
    assert len(out.splitlines()) == 7
    assert ALLTYPES.exists()


def test_apply_history_is_one_transaction(tmp_path: Path) -> None:
    """A row the database refuses rolls back every card and row of the import."""
    from quizapp.store import CardRow, LogRow

    store = Store.open(tmp_path / "t.db")
    store.sync_cards("f", [("a", "d", 0), ("b", "d", 1)])
    a, b = store.card("a"), store.card("b")
    assert a is not None and b is not None
    a2 = CardRow(**{**a.__dict__, "state": 2, "reps": 1})
    good = LogRow(0, "a", "d", 3, 1_735_725_600_000, 100, a, a2, "import")
    bad = LogRow(0, "b", "d", 9, 1_735_725_600_000, 100, b, b, "import")  # rating CHECK fails
    with pytest.raises(sqlite3.IntegrityError):
        store.apply_history([a2], [good, bad])
    assert store.card("a") == a and store.review_logs() == []
    assert store.apply_history([a2], [good]) == 1
    assert store.card("a") == a2 and store.logs_by_card(["a", "b"]) == {
        "a": store.review_logs("a"),
        "b": [],
    }
    store.close()
