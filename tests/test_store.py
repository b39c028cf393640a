from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from quizapp.errors import StoreError
from quizapp.store import MIGRATIONS, NEW, SCHEMA_VERSION, CardRow, Store


def test_new_file_is_created_with_current_schema_and_wal(db_path: Path) -> None:
    with Store.open(db_path) as store:
        assert store.schema_version() == SCHEMA_VERSION
        assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert store.integrity_ok()


def test_missing_parent_folder_is_created(tmp_path: Path) -> None:
    with Store.open(tmp_path / "a" / "b" / "q.db") as store:
        assert store.schema_version() == SCHEMA_VERSION


def test_text_file_is_refused_and_left_untouched(tmp_path: Path) -> None:
    p = tmp_path / "notes.db"
    p.write_text("my precious notes\n")
    with pytest.raises(StoreError, match="not an SQLite database"):
        Store.open(p)
    assert p.read_text() == "my precious notes\n"


def test_foreign_sqlite_database_is_refused(tmp_path: Path) -> None:
    p = tmp_path / "other.db"
    conn = sqlite3.connect(p)
    conn.execute("CREATE TABLE t (x)")
    conn.execute("INSERT INTO t VALUES (1)")
    conn.commit()
    conn.close()
    before = p.read_bytes()
    with pytest.raises(StoreError, match="not a quizapp one"):
        Store.open(p)
    assert p.read_bytes() == before


def test_other_application_id_is_refused(tmp_path: Path) -> None:
    p = tmp_path / "other.db"
    conn = sqlite3.connect(p)
    conn.execute("PRAGMA application_id = 1234")
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="another application"):
        Store.open(p)


def test_newer_schema_is_refused_untouched(db_path: Path) -> None:
    Store.open(db_path).close()
    conn = sqlite3.connect(db_path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    conn.commit()
    conn.close()
    before = db_path.read_bytes()
    with pytest.raises(StoreError, match="newer quizapp"):
        Store.open(db_path)
    assert db_path.read_bytes() == before


def test_corrupt_database_gives_clear_error(db_path: Path) -> None:
    with Store.open(db_path) as store:
        store.sync_cards("f", [(f"c{i}", "d", i) for i in range(2000)])
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = bytearray(db_path.read_bytes())
    data[100:4096] = b"\xff" * (4096 - 100)  # smash the schema page after the header
    db_path.write_bytes(bytes(data))
    with pytest.raises(StoreError) as info:
        Store.open(db_path)
    assert "untouched" in str(info.value)
    assert db_path.read_bytes() == bytes(data)


@pytest.mark.parametrize("start", range(1, SCHEMA_VERSION))
def test_migrates_from_every_earlier_version(db_path: Path, start: int) -> None:
    store = Store.open(db_path, migrate=False)
    store.migrate(target=start)
    assert store.schema_version() == start
    store.conn.execute("INSERT INTO card (card_id, deck_id, position) VALUES ('x', 'd', 0)")
    store.conn.execute(
        "INSERT INTO review_log (card_id, deck_id, rating, reviewed_at, duration_ms, "
        "state_before, state_after) VALUES ('x', 'd', 3, 1000, 5, '{}', '{}')"
    )
    store.close()
    with Store.open(db_path) as store:
        assert store.schema_version() == SCHEMA_VERSION
        assert store.conn.execute("SELECT count(*) FROM card").fetchone()[0] == 1
        assert store.conn.execute("SELECT rating FROM review_log").fetchone()[0] == 3
        assert store.conn.execute("SELECT origin FROM review_log").fetchone()[0] == "review"
        assert store.integrity_ok()


def test_each_migration_is_atomic(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import quizapp.store as store_mod

    broken = (*MIGRATIONS[:-1], MIGRATIONS[-1] + ";\nTHIS IS NOT SQL")
    monkeypatch.setattr(store_mod, "MIGRATIONS", broken)
    with pytest.raises(StoreError):
        Store.open(db_path)
    conn = sqlite3.connect(db_path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION - 1
    conn.close()


def test_sync_marks_removed_cards_and_keeps_their_state(db_path: Path) -> None:
    with Store.open(db_path) as store:
        assert store.sync_cards("v1", [("a", "d", 0), ("b", "d", 1)])
        assert not store.sync_cards("v1", [])  # same fingerprint: nothing to do
        before = store.card("a")
        assert before is not None
        after = CardRow(**{**before.__dict__, "state": 2, "due": 5, "reps": 1})
        store.record_review(before, after, rating=3, reviewed_at=1, duration_ms=1)
        store.sync_cards("v2", [("b", "d", 0), ("c", "e", 1)])
        a = store.card("a")
        assert a is not None and a.present == 0 and a.state == 2  # history kept
        assert len(store.review_logs("a")) == 1
        c = store.card("c")
        assert c is not None and c.state == NEW and c.deck_id == "e"
        store.sync_cards("v3", [("a", "d", 0)])
        a = store.card("a")
        assert a is not None and a.present == 1 and a.state == 2  # back, with its state


def test_undo_restores_state_and_deletes_log(db_path: Path) -> None:
    with Store.open(db_path) as store:
        store.sync_cards("v1", [("a", "d", 0)])
        before = store.card("a")
        assert before is not None
        after = CardRow(**{**before.__dict__, "state": 1, "due": 99, "reps": 1, "step": 1})
        log_id = store.record_review(before, after, rating=3, reviewed_at=1, duration_ms=1)
        assert store.card("a") == after
        restored = store.undo_review(log_id)
        assert restored == before
        assert store.card("a") == before
        assert store.review_logs() == []
        assert store.undo_review(log_id) is None


def test_only_latest_rating_of_a_card_can_be_undone(db_path: Path) -> None:
    with Store.open(db_path) as store:
        store.sync_cards("v1", [("a", "d", 0)])
        s0 = store.card("a")
        assert s0 is not None
        s1 = CardRow(**{**s0.__dict__, "state": 1, "reps": 1, "due": 1})
        first = store.record_review(s0, s1, rating=1, reviewed_at=1, duration_ms=1)
        s2 = CardRow(**{**s1.__dict__, "reps": 2, "due": 2})
        store.record_review(s1, s2, rating=3, reviewed_at=2, duration_ms=1)
        with pytest.raises(StoreError):
            store.undo_review(first)
        assert store.card("a") == s2


def test_drafts_and_attempts(db_path: Path) -> None:
    with Store.open(db_path) as store:
        assert store.load_draft("t") is None
        store.save_draft("t", "def f(): pass")
        store.save_draft("t", "def f(): return 1")
        assert store.load_draft("t") == "def f(): return 1"
        assert store.task_progress() == {}
        store.record_attempt("t", "x", "wrong_answer", False, 0.1, "{}")
        store.record_attempt("t", "y", "passed", True, 0.1, "{}")
        store.record_attempt("u", "z", "passed", True, 0.1, "{}")
        prog = store.task_progress()
        assert prog["t"].status == "passed" and prog["t"].attempts == 2
        assert not prog["t"].first_try_pass
        assert prog["u"].first_try_pass
        assert [a.verdict for a in store.attempts("t")] == ["wrong_answer", "passed"]
        assert store.recent_results("t", 2) == [True, False]  # newest first
        assert store.recent_results("u", 2) == [True] and store.recent_results("v", 2) == []


def test_settings_roundtrip(db_path: Path) -> None:
    with Store.open(db_path) as store:
        assert store.get_setting("x", 7) == 7
        store.set_setting("x", {"a": [1, 2]})
        assert store.get_setting("x") == {"a": [1, 2]}


def test_two_connections_can_write(db_path: Path) -> None:
    a = Store.open(db_path)
    b = Store.open(db_path)
    a.sync_cards("v1", [("x", "d", 0)])
    b.set_setting("k", 1)
    assert a.get_setting("k") == 1
    a.close()
    b.close()


def test_suspend_bury_reset(db_path: Path) -> None:
    with Store.open(db_path) as store:
        store.sync_cards("v1", [("a", "d", 0), ("b", "d", 1)])
        store.set_suspended("a", True)
        assert store.card("a").suspended == 1  # type: ignore[union-attr]
        store.set_suspended("a", False)
        store.bury(["a", "b"], 1234)
        assert store.card("b").buried_until == 1234  # type: ignore[union-attr]
        store.bury(["b"], None)
        assert store.card("b").buried_until is None  # type: ignore[union-attr]
        before = store.card("a")
        assert before is not None
        after = CardRow(**{**before.__dict__, "state": 2, "reps": 4, "lapses": 2, "due": 9})
        store.record_review(before, after, rating=3, reviewed_at=1, duration_ms=1)
        store.reset_card("a")
        a = store.card("a")
        assert a is not None and (a.state, a.reps, a.lapses, a.due) == (NEW, 0, 0, None)
        assert len(store.review_logs("a")) == 1  # history kept


# ------------------------------------------------------------------ unusable files


def _quizapp_db_in_delete_mode(path: Path) -> bytes:
    with Store.open(path) as store:
        store.sync_cards("f", [(f"c{i}", "d", i) for i in range(50)])
        store.conn.execute("PRAGMA journal_mode = DELETE")
    return path.read_bytes()


def test_locked_database_says_locked_not_corrupt(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import quizapp.store as store_mod

    before = _quizapp_db_in_delete_mode(db_path)
    monkeypatch.setattr(store_mod, "BUSY_TIMEOUT_S", 0.2)
    blocker = sqlite3.connect(db_path, isolation_level=None)
    blocker.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(StoreError, match="is locked by another program") as info:
            Store.open(db_path)
        assert "move it aside" not in str(info.value)
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    assert db_path.read_bytes() == before


def test_lock_taken_after_open_is_a_store_error(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store.open(db_path)
    store.conn.execute("PRAGMA busy_timeout = 50")
    blocker = sqlite3.connect(db_path, isolation_level=None)
    blocker.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(StoreError, match="locked") as info:
            store.set_setting("x", 1)
        assert isinstance(info.value, sqlite3.Error)  # callers that catch sqlite3 errors too
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    store.set_setting("x", 1)
    assert store.get_setting("x") == 1
    store.close()


def test_read_only_file_is_refused_untouched(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    before = _quizapp_db_in_delete_mode(db_path)
    real = os.access
    monkeypatch.setattr(
        os, "access", lambda p, mode: False if Path(p) == db_path else real(p, mode)
    )
    with pytest.raises(StoreError, match="is read-only") as info:
        Store.open(db_path)
    assert "untouched" in str(info.value)
    assert db_path.read_bytes() == before


def test_read_only_folder_is_refused(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    real = os.access
    monkeypatch.setattr(
        os, "access", lambda p, mode: False if Path(p) == db_path.parent else real(p, mode)
    )
    with pytest.raises(StoreError, match=r"folder .* is read-only"):
        Store.open(db_path)
    assert not db_path.exists()


def test_damage_found_after_opening_is_a_store_error(db_path: Path) -> None:
    with Store.open(db_path) as store:
        store.sync_cards("f", [(f"card-{i:05d}", "d", i) for i in range(3000)])
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        store.conn.execute("PRAGMA journal_mode = DELETE")
    data = bytearray(db_path.read_bytes())
    page = 4096
    for off in range(2 * page, len(data), page):  # every page but the schema page
        data[off : off + page] = b"\x5a" * page
    db_path.write_bytes(bytes(data))
    with (
        pytest.raises(StoreError, match="not a usable quizapp database") as info,
        Store.open(db_path) as store,
    ):
        store.cards([f"card-{i:05d}" for i in range(3000)])
    assert isinstance(info.value, sqlite3.DatabaseError)


# ---------------------------------------------------------------- issue 20: faults, concurrency


def _mini_session(db: Path, tmp_path: Path):  # type: ignore[no-untyped-def]
    from quizapp.session import open_session

    decks = Path(__file__).parent / "fixtures" / "decks"

    return open_session(db, deck_dirs=[decks], cache_dir=tmp_path / "cache")


def test_two_sessions_never_rate_from_a_stale_state(db_path: Path, tmp_path: Path) -> None:
    """A rates Easy; B, still showing the card as new, rates Again: B's rating is scheduled
    from A's result (reps 2), and A's rating stays in the chain of states."""
    from quizapp.scheduling import utcnow

    a, b = _mini_session(db_path, tmp_path), _mini_session(db_path, tmp_path)
    try:
        card_id = "mini-basic"
        now = utcnow()
        shown_a, shown_b = a.store.card(card_id), b.store.card(card_id)
        assert shown_a is not None and shown_a == shown_b and shown_a.state == NEW
        rated_a = a.rate(shown_a, a.preview(shown_a, now)[4], now, 1000)
        assert not rated_a.recomputed
        rated_b = b.rate(shown_b, b.preview(shown_b, now)[1], now, 1000)
        assert rated_b.recomputed
        assert rated_b.before == rated_a.after  # computed from A's result, not the stale copy
        final = a.store.card(card_id)
        assert final is not None and final.reps == 2 and final.lapses == 1
        logs = a.store.review_logs(card_id)
        assert [log.rating for log in logs] == [4, 1]
        assert logs[1].state_before == logs[0].state_after
    finally:
        a.close()
        b.close()


def test_stale_rating_is_refused_at_the_store(db_path: Path) -> None:
    from quizapp.store import StaleCard

    with Store.open(db_path) as store:
        store.sync_cards("f", [("c", "d", 0)])
        before = store.card("c")
        assert before is not None
        moved = CardRow(**{**before.__dict__, "state": 1, "reps": 1})
        store.record_review(before, moved, rating=3, reviewed_at=1, duration_ms=1, check=True)
        with pytest.raises(StaleCard) as info:
            store.record_review(before, moved, rating=3, reviewed_at=2, duration_ms=1, check=True)
        assert info.value.current == moved
        assert len(store.review_logs("c")) == 1


@pytest.mark.parametrize("how", ["moved", "deleted", "replaced"])
def test_database_moved_under_the_store_stops_writes_and_rescues(
    db_path: Path, tmp_path: Path, how: str
) -> None:
    from quizapp.store import DatabaseMoved

    store = Store.open(db_path)
    try:
        store.set_setting("before", 1)
        if how == "moved":
            db_path.rename(tmp_path / "elsewhere.db")
        elif how == "deleted":
            db_path.unlink()
        else:  # what Syncthing and Dropbox do: write a new file, rename it over the old one
            other = tmp_path / "incoming.db"
            Store.open(other).close()
            other.replace(db_path)
        with pytest.raises(DatabaseMoved) as info:
            store.set_setting("after", 2)
        message = str(info.value)
        assert "stopped writing" in message
        rescued = info.value.rescued
        assert rescued is not None and rescued.exists() and str(rescued) in message
        if how == "moved":
            assert str(tmp_path / "elsewhere.db") in message
        with pytest.raises(DatabaseMoved):  # and every later write too, without a new copy
            store.set_setting("later", 3)
        assert len(list(tmp_path.glob("*.rescued-*"))) == 1
    finally:
        store.close()
    with Store.open(rescued) as copy:
        assert copy.get_setting("before") == 1
        assert copy.get_setting("after") is None
    if how == "replaced":  # the new file under the old name was not written to
        with Store.open(db_path) as new:
            assert new.get_setting("before") is None and new.get_setting("after") is None


def test_durable_setting_switches_to_full_sync(db_path: Path) -> None:
    from quizapp.store import DURABLE_SETTING

    with Store.open(db_path) as store:
        assert store.conn.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL
        store.set_setting(DURABLE_SETTING, True)
    with Store.open(db_path) as store:
        assert store.conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL


def _damage_review_log(db: Path) -> None:
    """Overwrite every page of the review_log table (its b-tree) with garbage."""
    conn = sqlite3.connect(db)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        root = conn.execute(
            "SELECT rootpage FROM sqlite_master WHERE name = 'review_log'"
        ).fetchone()[0]
        page = conn.execute("PRAGMA page_size").fetchone()[0]
    finally:
        conn.close()
    data = bytearray(db.read_bytes())
    off = (root - 1) * page
    data[off : off + page] = b"\x5a" * page
    db.write_bytes(bytes(data))


def _with_reviews(db: Path, n: int = 50) -> None:
    with Store.open(db) as store:
        store.sync_cards("f", [(f"c{i}", "d", i) for i in range(n)])
        for i in range(n):
            before = store.card(f"c{i}")
            assert before is not None
            after = CardRow(**{**before.__dict__, "state": 1, "reps": 1})
            store.record_review(before, after, rating=3, reviewed_at=i, duration_ms=1)


def test_startup_quick_check_reports_damage_with_what_to_do(db_path: Path, tmp_path: Path) -> None:
    from quizapp import backup

    _with_reviews(db_path)
    backup.make_backup(db_path, "daily")
    _damage_review_log(db_path)
    damaged = db_path.read_bytes()
    with pytest.raises(StoreError) as info:
        _mini_session(db_path, tmp_path)
    message = str(info.value)
    assert "damaged" in message and "quick_check" in message
    assert "quizapp restore 1" in message and "50 reviews" in message
    assert db_path.read_bytes() == damaged  # nothing was written


def test_startup_check_runs_only_when_the_file_changed(
    db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[int] = []
    real = Store.quick_check

    def counting(self: Store, limit: int = 10) -> list[str]:
        calls.append(1)
        return real(self, limit)

    monkeypatch.setattr(Store, "quick_check", counting)
    _mini_session(db_path, tmp_path).close()
    assert calls == [1]  # a new file: checked once
    _mini_session(db_path, tmp_path).close()
    assert calls == [1]  # left as quizapp closed it: not checked again
    conn = sqlite3.connect(db_path)  # another program writes to it
    conn.execute("INSERT INTO setting VALUES ('x', '1')")
    conn.commit()
    conn.close()
    _mini_session(db_path, tmp_path).close()
    assert calls == [1, 1]


def test_daily_backup_keeps_the_last_seven(db_path: Path) -> None:
    from datetime import datetime, timedelta

    from quizapp import backup

    _with_reviews(db_path, 5)
    day0 = datetime(2026, 11, 1, 9, 0, 0)
    made = [backup.daily_backup(db_path, now=day0 + timedelta(days=d)) for d in range(10)]
    assert all(m is not None for m in made)
    assert backup.daily_backup(db_path, now=day0 + timedelta(days=9, hours=3)) is None
    dailies = [b for b in backup.list_backups(db_path) if b.kind == "daily"]
    assert len(dailies) == backup.KEEP_DAILY
    assert dailies[0].created == day0 + timedelta(days=9)  # newest first
    assert all(b.reviews == 5 for b in dailies)


def test_restore_puts_a_backup_back_and_keeps_the_current_file(db_path: Path) -> None:
    from quizapp import backup

    _with_reviews(db_path, 5)
    saved = backup.make_backup(db_path, "manual")
    with Store.open(db_path) as store:
        store.set_setting("after-backup", True)
    kept = backup.restore(db_path, saved)
    with Store.open(db_path) as store:
        assert store.get_setting("after-backup") is None
        assert len(store.review_logs()) == 5
        assert store.integrity_ok()
    assert kept is not None
    with Store.open(kept) as old:
        assert old.get_setting("after-backup") is True


def test_restore_over_a_damaged_file(db_path: Path) -> None:
    from quizapp import backup

    _with_reviews(db_path, 20)
    saved = backup.make_backup(db_path, "manual")
    _damage_review_log(db_path)
    backup.restore(db_path, saved)
    with Store.open(db_path) as store:
        assert store.quick_check() == []
        assert len(store.review_logs()) == 20


def test_backup_and_restore_cli(db_path: Path) -> None:
    import io

    from quizapp.cli import main
    from quizapp.cli.env import Environment

    _with_reviews(db_path, 3)

    def run(*argv: str) -> tuple[int, str, str]:
        out, err = io.StringIO(), io.StringIO()
        code = main(["--db", str(db_path), *argv], Environment(stdout=out, stderr=err))
        return code, out.getvalue(), err.getvalue()

    code, out, _ = run("restore")
    assert code == 0 and "No backups" in out
    code, out, _ = run("backup")
    assert code == 0 and "Backed up" in out and "manual" in out and " 3 " in out
    with Store.open(db_path) as store:
        store.set_setting("later", 1)
    code, out, _ = run("restore", "1")
    assert code == 0 and "Restored" in out and "pre-restore" in out
    with Store.open(db_path) as store:
        assert store.get_setting("later") is None
    code, out, _ = run("restore", "9")
    assert code == 2
    code, out, _ = run("storage", "--durable", "on")
    assert code == 0 and "Durable:  on" in out


def test_backup_of_a_path_with_uri_characters(tmp_path: Path) -> None:
    from quizapp import backup

    db = tmp_path / "odd #1 ?% name" / "quizapp.db"
    _with_reviews(db, 2)
    made = backup.make_backup(db, "manual")
    [info] = backup.list_backups(db)
    assert info.path == made and info.reviews == 2
    backup.restore(db, made)


def test_undo_quiz_answer_deletes_only_the_latest_answer_of_its_quiz(tmp_path: Path) -> None:
    s = Store.open(tmp_path / "q.db")
    try:
        quiz = s.start_quiz(["d"], 3, None)
        other = s.start_quiz(["d"], 1, None)
        a1 = s.record_quiz_answer(quiz, "c1", "d", "typed", False, "x", 10)
        a2 = s.record_quiz_answer(quiz, "c2", "d", "typed", True, "y", 10)
        s.record_quiz_answer(other, "c3", "d", "typed", True, "z", 10)  # another quiz's
        with pytest.raises(StoreError, match="latest"):
            s.undo_quiz_answer(a1)  # a later answer of the same quiz would be orphaned
        assert s.undo_quiz_answer(a2) is True
        assert s.undo_quiz_answer(a2) is False  # already gone: nothing to do
        assert s.undo_quiz_answer(a1) is True  # now it is the latest
        by_id = {q["id"]: q for q in s.quiz_history()}
        assert (by_id[quiz]["answered"], by_id[quiz]["correct"]) == (0, 0)
        assert by_id[other]["answered"] == 1
    finally:
        s.close()
