"""Sync against a real PostgreSQL server: devices diverging offline, two learners, a kill,
a server that is down, and the class report."""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quizapp.classroom import class_report
from quizapp.cli import main
from quizapp.cli.env import Environment
from quizapp.scheduling import Settings, from_ms, fsrs_retrievability, preview
from quizapp.session import Session, open_session
from quizapp.store import MIGRATIONS, CardRow, Store
from quizapp.store_pg import SERVER_SCHEMA_VERSION, PgServer
from quizapp.sync import SyncError, replay, sync
from tests.conftest import MINI_DECKS

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _session(path: Path, tmp_path: Path) -> Session:
    return open_session(path, deck_dirs=[MINI_DECKS], cache_dir=tmp_path / "cache")


def _study(session: Session, n: int, start: datetime, ratings: tuple[int, ...] = (3,)) -> None:
    """Rate the first n cards of today's queue (real previews, real commits)."""
    now = start
    for i, row in enumerate(session.queue(now=now).ordered()[:n]):
        outcome = session.preview(row, now)[ratings[i % len(ratings)]]
        session.rate(row, outcome, now, 1200)
        now += timedelta(minutes=3)


def _cards(store: Store) -> dict[str, tuple[object, ...]]:
    return {
        r[0]: tuple(r[1:])
        for r in store.conn.execute(
            "SELECT card_id, state, stability, difficulty, due, reps, lapses FROM card "
            "WHERE state != 0 ORDER BY card_id"
        )
    }


def _log_ids(store: Store) -> set[tuple[str, int]]:
    me = store.get_setting("device_id")
    return {
        (d or me, s) for d, s in store.conn.execute("SELECT sync_device, sync_seq FROM review_log")
    }


def test_migration_gives_each_database_a_device_id(tmp_path: Path) -> None:
    a, b = Store.open(tmp_path / "a.db"), Store.open(tmp_path / "b.db")
    assert a.schema_version() == len(MIGRATIONS)
    assert isinstance(a.get_setting("device_id"), str)
    assert a.get_setting("device_id") != b.get_setting("device_id")
    a.close()
    b.close()


def test_two_devices_diverge_offline_then_sync_both_ways(tmp_path: Path, pg_url: str) -> None:
    laptop = _session(tmp_path / "laptop.db", tmp_path)
    phone = _session(tmp_path / "phone.db", tmp_path)
    _study(laptop, 4, T0, (3, 1, 3, 4))
    _study(phone, 3, T0 + timedelta(hours=1), (1, 3, 2))  # overlaps the laptop's first cards
    with PgServer.connect(pg_url) as server:
        r1 = sync(laptop.store, server, learner="ann")
        r2 = sync(phone.store, server, learner="ann")
        r3 = sync(laptop.store, server, learner="ann")
        assert r1.pushed["review_log"] == 4 and r1.pulled["review_log"] == 0
        assert r2.pushed["review_log"] == 3 and r2.pulled["review_log"] == 4
        assert r3.pushed["review_log"] == 0 and r3.pulled["review_log"] == 3
        # Both devices hold the same 7 stable ids and computed the same card states.
        assert _log_ids(laptop.store) == _log_ids(phone.store)
        assert len(_log_ids(laptop.store)) == 7
        assert _cards(laptop.store) == _cards(phone.store)
        # A card rated on both: its state is the replay of the merged log, in time order.
        shared = laptop.store.conn.execute(
            "SELECT card_id FROM review_log GROUP BY card_id HAVING count(*) = 2 LIMIT 1"
        ).fetchone()[0]
        logs = sorted((x.reviewed_at, x.rating) for x in laptop.store.review_logs(shared))
        row = laptop.store.card(shared)
        assert row is not None and row.reps == 2
        expected = replay(row, logs, laptop.settings)
        assert row == expected
        # Idempotent: syncing again changes nothing anywhere.
        before = (_cards(laptop.store), _cards(phone.store))
        for s in (laptop, phone):
            again = sync(s.store, server, learner="ann")
            assert sum(again.pushed.values()) == 0 and sum(again.pulled.values()) == 0
        assert (_cards(laptop.store), _cards(phone.store)) == before
        assert server.max_seq("ann", laptop.store.get_setting("device_id"))["review_log"] == 4
    laptop.close()
    phone.close()


def test_quiz_answers_and_code_attempts_travel(tmp_path: Path, pg_url: str) -> None:
    a, b = Store.open(tmp_path / "a.db"), Store.open(tmp_path / "b.db")
    quiz = a.start_quiz(["mini"], 2, None, now_ms=1000)
    a.record_quiz_answer(quiz, "c1", "mini", "basic", True, "x", 500, now_ms=2000)
    a.record_quiz_answer(quiz, "c2", "mini", "basic", False, None, 700, now_ms=3000)
    a.finish_quiz(quiz, now_ms=4000)
    a.record_attempt("t1", "print(1)", "passed", True, 0.5, "{}", now_ms=5000)
    with PgServer.connect(pg_url) as server:
        sync(a, server, learner="ann")
        report = sync(b, server, learner="ann")
        assert report.pulled == {"review_log": 0, "quiz_answer": 2, "code_attempt": 1}
        assert b.task_progress()["t1"].status == "passed"
        (hist,) = b.quiz_history()
        assert (hist["answered"], hist["correct"], hist["started_at"]) == (2, 1, 1000)
        assert sum(sync(b, server, learner="ann").pulled.values()) == 0
        assert sum(sync(a, server, learner="ann").pulled.values()) == 0
    a.close()
    b.close()


def test_two_learners_stay_apart_and_the_class_report(tmp_path: Path, pg_url: str) -> None:
    ann = _session(tmp_path / "ann.db", tmp_path)
    bob = _session(tmp_path / "bob.db", tmp_path)
    _study(ann, 5, T0, (3,))
    _study(bob, 3, T0, (1,))
    bob.store.record_attempt("t1", "x", "passed", True, 0.1, "{}")
    with PgServer.connect(pg_url) as server:
        sync(ann.store, server, learner="ann")
        assert sync(bob.store, server, learner="bob").pulled["review_log"] == 0
        assert len(bob.store.review_logs()) == 3
        with pytest.raises(SyncError, match="synced as learner 'bob'"):
            sync(bob.store, server, learner="ann")
        report = class_report(server, now=T0 + timedelta(minutes=30))
    by = {row["learner"]: row for row in report["learners"]}
    assert set(by) == {"ann", "bob"}
    n_ann = len(ann.store.review_logs())
    assert n_ann >= 4
    assert (by["ann"]["reviews"], by["bob"]["reviews"]) == (n_ann, 3)
    assert (by["ann"]["tasks_passed"], by["bob"]["tasks_passed"]) == (0, 1)
    (ann_topic,) = by["ann"]["topics"]
    (bob_topic,) = by["bob"]["topics"]
    assert (
        ann_topic["cards_studied"] == n_ann and 0 < bob_topic["readiness"] < ann_topic["readiness"]
    )
    assert report["topics"][0]["topic"] == ann_topic["topic"]
    ann.close()
    bob.close()


def test_class_report_weakest_cards_and_json_cli(tmp_path: Path, pg_url: str) -> None:
    for i, name in enumerate(("ann", "bob", "cy")):
        s = _session(tmp_path / f"{name}.db", tmp_path)
        _study(s, 4, T0, (1, 3, 3, 3) if i else (1, 1, 3, 3))
        # a second day: the first card again
        s2 = T0 + timedelta(days=1)
        for row in s.queue(now=s2).ordered()[:1]:
            s.rate(row, s.preview(row, s2)[1], s2, 900)
        with PgServer.connect(pg_url) as server:
            sync(s.store, server, learner=name)
        s.close()
    out = io.StringIO()
    status = main(["class", "report", pg_url, "--json"], Environment(stdout=out, environ={}))
    assert status == 0
    report = json.loads(out.getvalue())
    assert [r["learner"] for r in report["learners"]] == ["ann", "bob", "cy"]
    for row in report["learners"]:
        assert set(row) >= {"learner", "reviews", "retention", "tasks_passed", "topics"}
    (topic,) = report["topics"]
    weakest = topic["weakest"]
    assert weakest and weakest[0]["reviews"] >= 3
    rates = [w["again_rate"] for w in weakest]
    assert rates == sorted(rates, reverse=True)
    text = io.StringIO()
    assert main(["class", "report", pg_url], Environment(stdout=text, environ={})) == 0
    assert "readiness" in text.getvalue() and "ann" in text.getvalue()


def test_server_down_is_a_clear_message_and_local_data_untouched(tmp_path: Path) -> None:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    db = tmp_path / "a.db"
    s = _session(db, tmp_path)
    _study(s, 2, T0)
    before = (s.store.review_logs(), _cards(s.store))
    s.close()
    err = io.StringIO()
    url = f"postgresql://ann:hunter2@127.0.0.1:{port}/class"
    status = main(["--db", str(db), "sync", url, "--learner", "ann"], Environment(stderr=err))
    assert status != 0
    msg = err.getvalue()
    assert "cannot reach the sync server 127.0.0.1:" in msg and "untouched" in msg
    assert "hunter2" not in msg and "Traceback" not in msg
    with Store.open(db) as store:
        assert (store.review_logs(), _cards(store)) == before
        assert store.get_setting("sync_learner") is None


def _bulk_reviews(db: Path, n: int) -> None:
    """n synthetic reviews over 200 cards (written the way the store writes them)."""
    with Store.open(db) as store, store.transaction() as conn:
        rows = []
        for i in range(n):
            card = f"card-{i % 200}"
            state = json.dumps({"card_id": card, "deck_id": "d", "state": 2})
            rows.append((card, "d", 1 + i % 4, 1_700_000_000_000 + i * 60_000, 1000, state, state))
        conn.executemany(
            "INSERT INTO review_log (card_id, deck_id, rating, reviewed_at, duration_ms, "
            "state_before, state_after) VALUES (?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        conn.executemany(
            "INSERT OR IGNORE INTO card (card_id, deck_id) VALUES (?, 'd')",
            [(f"card-{i}",) for i in range(200)],
        )


def test_a_kill_during_sync_leaves_both_sides_consistent(tmp_path: Path, pg_url: str) -> None:
    db = tmp_path / "big.db"
    _bulk_reviews(db, 30_000)
    env = {**os.environ, "QUIZAPP_SYNC_BATCH": "500"}
    cmd = [sys.executable, "-m", "quizapp", "--db", str(db), "sync", pg_url, "--learner", "ann"]
    proc = subprocess.Popen(cmd, env=env, cwd=Path(__file__).parents[2])
    with PgServer.connect(pg_url) as server:
        device = None
        deadline = time.monotonic() + 300  # a loaded CI machine starts python slowly
        while time.monotonic() < deadline and proc.poll() is None:
            with Store.open(db) as store:
                device = store.get_setting("device_id")
            if server.max_seq("ann", device)["review_log"] > 0:
                break
            time.sleep(0.02)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        got = server.max_seq("ann", device)["review_log"]
        assert 0 < got < 30_000, "the kill should land mid-sync"
        # The server holds an exact prefix of the local rows: whole batches, nothing torn.
        with server.transaction() as cur:
            cur.execute("SELECT count(*), min(seq), max(seq) FROM review_log WHERE learner = 'ann'")
            count, lo, hi = cur.fetchone()
        assert (count, lo, hi) == (got, 1, got) and got % 500 == 0
        # Resume: the rest goes up once, and a second device gets everything.
        with Store.open(db) as store:
            assert store.integrity_ok()
            report = sync(store, server, learner="ann")
            assert report.pushed["review_log"] == 30_000 - got
        other = Store.open(tmp_path / "other.db")
        other_report = sync(other, server, learner="ann", batch=7000)
        assert other_report.pulled["review_log"] == 30_000
        assert other_report.rebuilt_cards == 200
        other.close()
        assert server.max_seq("ann", device)["review_log"] == 30_000


def test_a_kill_between_pull_and_rebuild_is_finished_next_time(tmp_path: Path, pg_url: str) -> None:
    a = _session(tmp_path / "a.db", tmp_path)
    _study(a, 3, T0)
    b = Store.open(tmp_path / "b.db")
    with PgServer.connect(pg_url) as server:
        sync(a.store, server, learner="ann")
        import quizapp.sync as sync_module

        real = sync_module.rebuild_cards

        def killed(*args: object, **kw: object) -> int:
            raise KeyboardInterrupt  # the process dies after the pulled batch committed

        sync_module.rebuild_cards = killed  # type: ignore[assignment]
        try:
            with pytest.raises(KeyboardInterrupt):
                sync(b, server, learner="ann")
        finally:
            sync_module.rebuild_cards = real
        assert len(b.review_logs()) == 3
        assert len(b.get_setting("sync_dirty_cards")) == 3
        report = sync(b, server, learner="ann")
        assert report.pulled["review_log"] == 0 and report.rebuilt_cards == 3
        assert _cards(b) == _cards(a.store)
    a.close()
    b.close()


def test_server_schema_is_versioned(pg_url: str) -> None:
    with PgServer.connect(pg_url) as server:
        assert server.schema_version() == SERVER_SCHEMA_VERSION
        with server.transaction() as cur:
            cur.execute("UPDATE quizapp_schema SET version = version + 1")
    with pytest.raises(SyncError, match="Upgrade quizapp"):
        PgServer.connect(pg_url)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(1, 4), st.integers(60_000, 40 * 86_400_000)), min_size=1, max_size=12
    )
)
def test_replay_is_the_live_rating_path_without_fuzz(steps: list[tuple[int, int]]) -> None:
    """Replaying a log gives exactly what rating live (preview + from_fsrs) gave, fuzz off."""
    live_settings = Settings(enable_fuzzing=False)
    scheduler = live_settings.scheduler()
    row = CardRow("c", "d", position=3)
    at = int(T0.timestamp() * 1000)
    log = []
    for rating, gap in steps:
        at += gap
        row = preview(scheduler, row, from_ms(at))[rating].after
        log.append((at, rating))
    assert replay(CardRow("c", "d", position=3), log, live_settings) == row


@settings(max_examples=100, deadline=None)
@given(
    st.floats(0.01, 3000),
    st.integers(0, 4000 * 86_400_000),
)
def test_report_retrievability_matches_fsrs(stability: float, elapsed_ms: int) -> None:
    from quizapp.classroom import retrievability

    scheduler = Settings().scheduler()
    now = T0 + timedelta(milliseconds=elapsed_ms)
    last = int(T0.timestamp() * 1000)
    row = CardRow("c", "d", state=2, stability=stability, last_review=last, due=last)
    expected = fsrs_retrievability(scheduler, row, now)
    got = retrievability(2, stability, last, int(now.timestamp() * 1000), scheduler.parameters[20])
    assert got == pytest.approx(expected, rel=1e-9)


def test_cli_takes_the_url_and_learner_from_the_environment(tmp_path: Path, pg_url: str) -> None:
    db = tmp_path / "a.db"
    s = _session(db, tmp_path)
    _study(s, 2, T0)
    s.close()
    out, err = io.StringIO(), io.StringIO()
    env = Environment(
        stdout=out, stderr=err, environ={"QUIZAPP_SYNC_URL": pg_url, "QUIZAPP_LEARNER": "ann"}
    )
    assert main(["--db", str(db), "sync", "--json"], env) == 0, err.getvalue()
    report = json.loads(out.getvalue())
    assert report["learner"] == "ann" and report["pushed"]["review_log"] == 2
    err = io.StringIO()
    bad = Environment(stdout=io.StringIO(), stderr=err, environ={"QUIZAPP_SYNC_URL": pg_url})
    assert main(["--db", str(db), "sync", "--learner", "../bob"], bad) == 2
    assert "not a valid learner id" in err.getvalue()


def _checks(store: Store) -> dict[tuple[str, int], str | None]:
    me = store.get_setting("device_id")
    return {
        (d or me, s): c
        for d, s, c in store.conn.execute(
            "SELECT sync_device, sync_seq, answer_check FROM review_log"
        )
    }


def _quiz_rows(store: Store) -> set[tuple[object, ...]]:
    me = store.get_setting("device_id")
    return {
        (d or me, s, card, correct, overridden)
        for d, s, card, correct, overridden in store.conn.execute(
            "SELECT sync_device, sync_seq, card_id, correct, overridden FROM quiz_answer"
        )
    }


def test_answer_check_and_overrides_survive_a_two_device_round_trip(
    tmp_path: Path, pg_url: str
) -> None:
    laptop = _session(tmp_path / "laptop.db", tmp_path)
    phone = _session(tmp_path / "phone.db", tmp_path)
    now = T0
    for check in ("right", "overridden", None):
        row = laptop.queue(now=now).ordered()[0]
        laptop.rate(row, laptop.preview(row, now)[3], now, 900, answer_check=check)
        now += timedelta(minutes=5)
    quiz = laptop.store.start_quiz(["mini"], 2, None, now_ms=1000)
    laptop.store.record_quiz_answer(quiz, "c1", "mini", "typed", True, "l2", 500, now_ms=2000)
    wrong = laptop.store.record_quiz_answer(quiz, "c2", "mini", "typed", False, "ridge", 700)
    laptop.store.override_quiz_answer(wrong)
    with PgServer.connect(pg_url) as server:
        sync(laptop.store, server, learner="ann")
        sync(phone.store, server, learner="ann")
        row = phone.queue(now=now).ordered()[0]
        phone.rate(row, phone.preview(row, now)[1], now, 900, answer_check="wrong")
        sync(phone.store, server, learner="ann")
        sync(laptop.store, server, learner="ann")
    on_laptop, on_phone = _checks(laptop.store), _checks(phone.store)
    assert on_laptop == on_phone
    assert sorted(map(str, on_laptop.values())) == ["None", "overridden", "right", "wrong"]
    assert _quiz_rows(laptop.store) == _quiz_rows(phone.store)
    assert {(r[2], r[3], r[4]) for r in _quiz_rows(phone.store)} == {("c1", 1, 0), ("c2", 1, 1)}
    laptop.close()
    phone.close()


def test_an_old_server_is_migrated_and_keeps_its_rows(pg_url: str) -> None:
    import psycopg

    from quizapp.store_pg import SERVER_MIGRATIONS

    with psycopg.connect(pg_url, autocommit=True) as conn:  # a server at schema 1
        conn.execute("CREATE TABLE quizapp_schema (version integer NOT NULL)")
        conn.execute("INSERT INTO quizapp_schema VALUES (1)")
        conn.execute(SERVER_MIGRATIONS[0])
        conn.execute(
            "INSERT INTO review_log VALUES ('ann', 'd1', 1, 'c1', 'mini', 3, 5, 10, "
            "'{\"state\": 0}', '{\"state\": 2}', 'review')"
        )
    with PgServer.connect(pg_url) as server:
        assert server.schema_version() == SERVER_SCHEMA_VERSION
        (row,) = server.pull("ann", "d2", "review_log", {}, 10)
        assert row[:2] == ("d1", 1) and row[-1] is None  # answer_check: nothing was checked


def test_pull_pages_across_several_devices(tmp_path: Path, pg_url: str) -> None:
    """Three devices, pages smaller than one device's rows: every row arrives once, and a
    device that pulled and then rated again pushes its new rows past the pulled ones."""
    stores = [_session(tmp_path / f"d{i}.db", tmp_path) for i in range(3)]
    with PgServer.connect(pg_url) as server:
        for i, s in enumerate(stores):
            _study(s, 3, T0 + timedelta(hours=i))
            sync(s.store, server, learner="ann", batch=2)
        _study(stores[0], 2, T0 + timedelta(days=2))  # rated on top of pulled rows
        again = sync(stores[0].store, server, learner="ann", batch=2)
        assert again.pushed["review_log"] == 2
        fresh = Store.open(tmp_path / "fresh.db")
        got = sync(fresh, server, learner="ann", batch=2)
        assert got.pulled["review_log"] == 11
        for s in stores:
            sync(s.store, server, learner="ann", batch=2)
        ids = [_log_ids(s.store) for s in stores] + [_log_ids(fresh)]
        assert all(x == ids[0] for x in ids) and len(ids[0]) == 11
        assert all(_cards(s.store) == _cards(fresh) for s in stores)
        assert sum(sync(fresh, server, learner="ann").pulled.values()) == 0
        fresh.close()
    for s in stores:
        s.close()


def test_a_kill_mid_rebuild_resumes_with_the_cards_not_done(
    tmp_path: Path, pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import quizapp.sync as sync_module

    a = _session(tmp_path / "a.db", tmp_path)
    _study(a, 5, T0)
    b = Store.open(tmp_path / "b.db")
    with PgServer.connect(pg_url) as server:
        sync(a.store, server, learner="ann")
        real = sync_module._rebuilt
        calls = []

        def dies_on_the_third_card(*args: object) -> object:
            calls.append(1)
            if len(calls) == 3:
                raise KeyboardInterrupt  # killed while rebuilding the second batch
            return real(*args)  # type: ignore[arg-type]

        monkeypatch.setattr(sync_module, "REBUILD_BATCH", 2)
        monkeypatch.setattr(sync_module, "_rebuilt", dies_on_the_third_card)
        with pytest.raises(KeyboardInterrupt):
            sync(b, server, learner="ann")
        monkeypatch.setattr(sync_module, "_rebuilt", real)
        # The first batch of two cards committed with its part of the dirty list.
        n = len(_cards(a.store))
        assert n >= 3
        assert len(_cards(b)) == 2 and len(b.get_setting("sync_dirty_cards")) == n - 2
        report = sync(b, server, learner="ann")
        assert report.pulled["review_log"] == 0 and report.rebuilt_cards == n - 2
        assert _cards(b) == _cards(a.store)
    a.close()
    b.close()


def test_report_sql_curve_matches_the_python_one_row_by_row(pg_url: str) -> None:
    """The server computes readiness; each learner-card's retrievability there equals
    `classroom.retrievability` (itself tested against py-fsrs above), edge cases included."""
    import random

    from quizapp.classroom import retrievability

    rng = random.Random(7)
    now = int(T0.timestamp() * 1000)
    decay = float(Settings().scheduler().parameters[20])
    cases: list[tuple[int, float | None, int | None]] = [
        (0, 3.0, now - 86_400_000),  # new: 0
        (2, None, now),  # no stability
        (2, 0.0, now),  # zero stability
        (2, 5.0, None),  # never reviewed
        (2, 5.0, now + 3 * 86_400_000),  # reviewed "in the future": 0 days elapsed
    ]
    cases += [
        (rng.choice((1, 2, 3)), rng.uniform(0.01, 3000), now - rng.randint(0, 4000 * 86_400_000))
        for _ in range(200)
    ]
    with PgServer.connect(pg_url) as server, server.transaction() as cur:
        for i, (state, stab, last) in enumerate(cases):
            state_after = json.dumps({"state": state, "stability": stab, "last_review": last})
            cur.execute(
                "INSERT INTO learner_card VALUES ('x', %s, %s, 1, 0, 0, 0, 0, %s)",
                (f"c{i}", f"deck{i:03d}", state_after),
            )
    with PgServer.connect(pg_url) as server:
        rows = server.learner_topics(now, decay)
    assert len(rows) == len(cases)
    for (_, deck, got, studied), (state, stab, last) in zip(rows, cases, strict=True):
        assert studied == 1, deck
        want = retrievability(state, stab, last, now, decay)
        assert got == pytest.approx(want, rel=1e-9, abs=1e-12), (deck, state, stab, last)


def test_a_re_sent_overlapping_batch_inserts_and_folds_only_the_new_rows(pg_url: str) -> None:
    """The slow path of a push (a batch partly on the server, as after a kill between commit
    and reply) counts each review once in the report summary, like the straight COPY path."""

    def rows(lo: int, hi: int) -> list[tuple[object, ...]]:
        out = []
        for seq in range(lo, hi + 1):
            card = f"c{seq % 3}"
            before = json.dumps({"state": 2 if seq > 3 else 0})
            after = json.dumps({"state": 2, "stability": float(seq), "last_review": seq})
            out.append((seq, card, "d", 1 if seq % 4 == 0 else 3, seq, 10, before, after, "review",
                        None))  # fmt: skip
        return out

    def summary(server: PgServer) -> list[tuple[object, ...]]:
        with server.transaction() as cur:
            cur.execute(
                "SELECT card_id, reviews, agains, review_total, review_passed, last_at, "
                "state_after->>'stability' FROM learner_card WHERE learner = 'ann' ORDER BY 1"
            )
            return [tuple(r) for r in cur.fetchall()]

    with PgServer.connect(pg_url) as server:
        assert server.push("ann", "d1", "review_log", rows(1, 10)) == 10
        assert server.push("ann", "d1", "review_log", rows(5, 15)) == 5  # 5-10 already there
        assert server.push("ann", "d1", "review_log", rows(1, 15)) == 0
        got = summary(server)
    with PgServer.connect(pg_url) as server:  # the same 15 rows in one go, on the fast path
        server.conn.execute("DELETE FROM review_log")
        server.conn.execute("DELETE FROM learner_card")
        assert server.push("ann", "d1", "review_log", rows(1, 15)) == 15
        assert summary(server) == got
    assert sum(int(r[1]) for r in got) == 15
    assert [r[6] for r in got] == ["15.0", "13.0", "14.0"]  # each card's latest state


_HOSTILE = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=40
)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(card=_HOSTILE.filter(bool), given_text=st.none() | _HOSTILE, code=_HOSTILE)
def test_hostile_text_survives_push_and_pull_byte_for_byte(
    pg_url: str, card: str, given_text: str | None, code: str
) -> None:
    """Tabs, newlines, backslashes, `\\.` and any Unicode go through COPY and back unchanged
    (PostgreSQL text cannot hold NUL; the JSON states come back as the same JSON value)."""
    import uuid

    learner = "l" + uuid.uuid4().hex[:12]
    state = json.dumps({"card_id": card, "state": 2})
    review = (1, card, card[::-1], 3, 1000, None, state, state, "review", "right")
    answer = (1, "dev", 1, 10, None, '["mini"]', 1, None, card, "mini", "typed", 0, given_text,
              20, 5, 0)  # fmt: skip
    attempt = (1, card, code, "failed", 0, 0.25, "{}", 30)
    with PgServer.connect(pg_url) as server:
        for table, row in (("review_log", review), ("quiz_answer", answer),
                           ("code_attempt", attempt)):  # fmt: skip
            assert server.push(learner, "dev", table, [row]) == 1
            (back,) = server.pull(learner, "other", table, {}, 10)
            if table == "review_log":  # jsonb keeps the state, not its key order or spacing
                back = (*back[:7], json.loads(back[7]), json.loads(back[8]), *back[9:])
                row = (*row[:6], json.loads(state), json.loads(state), *row[8:])
            assert back == ("dev", *row), table
