"""Sync one learner's devices through a shared server: local-first, append-only, replayed.

Why it works this way:
- Every review, quiz answer and code attempt gets a stable id, (device id, seq): the device id
  is a random setting made by the store migration, seq comes from a counter that never goes
  back (an undone rating frees its SQLite rowid, never its seq). Rows from other devices are
  stored with their own (device, seq), so nothing is ever pushed twice or pulled twice.
- Push sends this device's rows with a seq above the server's highest one for this device;
  pull fetches, per other device, the rows above the highest seq we hold from it. Both cursors
  are read from the data itself, so a sync killed at any moment resumes where it stopped.
- One transaction per batch on each side. A pulled batch also records its cards as "dirty";
  the card states are rebuilt at the end (and first thing on the next sync after a kill).
- Card state is never "last writer wins" (that would lose reviews): a card rated on several
  devices is rebuilt by replaying its merged log in time order with FSRS, without fuzz, so
  every device that holds the same log computes the same state (its due date may move by the
  fuzz). A card only one device ever rated keeps that device's own state, byte for byte.

`sync(local, remote, learner=...)` takes any remote with the `Remote` methods; the PostgreSQL
one is `quizapp.store_pg.PgServer`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

from quizapp.errors import QuizappError
from quizapp.scheduling import Settings, from_fsrs, from_ms
from quizapp.store import CARD_UPSERT, CardRow, Store

TABLES = ("review_log", "quiz_answer", "code_attempt")
BATCH = 20_000  # rows per transaction; fewer, bigger batches fold fewer learner_card upserts
REBUILD_BATCH = 2000  # cards per transaction when rebuilding
ProgressFn = Callable[[int, int | None, str], None]

# The columns that travel, in order, after (device, seq). Local SELECTs produce them.
REVIEW_COLUMNS = (
    "card_id", "deck_id", "rating", "reviewed_at", "duration_ms",
    "state_before", "state_after", "origin", "answer_check",
)  # fmt: skip
QUIZ_ANSWER_COLUMNS = (
    "quiz_device", "quiz_seq", "quiz_started_at", "quiz_finished_at", "quiz_decks",
    "quiz_planned", "quiz_time_limit_s",
    "card_id", "deck_id", "card_type", "correct", "given", "answered_at", "duration_ms",
    "overridden",
)  # fmt: skip
CODE_ATTEMPT_COLUMNS = (
    "task_id", "code", "verdict", "passed", "duration_s", "report", "created_at",
)  # fmt: skip
COLUMNS = {
    "review_log": REVIEW_COLUMNS,
    "quiz_answer": QUIZ_ANSWER_COLUMNS,
    "code_attempt": CODE_ATTEMPT_COLUMNS,
}


URL_SETTING = "sync_url"  # the server, as `quizapp sync` and the Settings screen save it
LEARNER_SETTING = "sync.learner"  # the learner id typed in Settings (before the first sync)
URL_ENV, LEARNER_ENV = "QUIZAPP_SYNC_URL", "QUIZAPP_LEARNER"


class SyncError(QuizappError):
    """The sync could not run or finish; local data is as it was (or consistently merged)."""


class Remote(Protocol):
    def max_seq(self, learner: str, device: str) -> dict[str, int]: ...

    def push(
        self, learner: str, device: str, table: str, rows: Sequence[tuple[Any, ...]]
    ) -> int: ...

    def pull(
        self, learner: str, device: str, table: str, known: dict[str, int], limit: int
    ) -> list[tuple[Any, ...]]: ...


@dataclass
class SyncReport:
    learner: str
    device: str
    pushed: dict[str, int] = field(default_factory=lambda: dict.fromkeys(TABLES, 0))
    pulled: dict[str, int] = field(default_factory=lambda: dict.fromkeys(TABLES, 0))
    rebuilt_cards: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "learner": self.learner,
            "device": self.device,
            "pushed": self.pushed,
            "pulled": self.pulled,
            "rebuilt_cards": self.rebuilt_cards,
        }


def device_id(store: Store) -> str:
    value = store.get_setting("device_id")
    if not isinstance(value, str) or not value:
        import secrets

        value = secrets.token_hex(8)
        store.set_setting("device_id", value)
    return value


def configured_target(store: Store, environ: Mapping[str, str]) -> tuple[str | None, str | None]:
    """(server URL, learner id) to sync with when none is given: the URL from $QUIZAPP_SYNC_URL
    or the setting; the learner from $QUIZAPP_LEARNER (what `quizapp serve` authenticated),
    else the learner this database is bound to, else the one typed in Settings."""
    url = environ.get(URL_ENV) or store.get_setting(URL_SETTING)
    learner = (
        environ.get(LEARNER_ENV)
        or store.get_setting("sync_learner")
        or store.get_setting(LEARNER_SETTING)
    )
    return (str(url) if url else None), (str(learner) if learner else None)


# ---------------------------------------------------------------------- local side
def assign_seqs(store: Store) -> None:
    """Give this device's rows that have none a seq from a counter that never goes back."""
    with store.transaction() as conn:
        counters = _get(conn, "sync_counters", {}) or {}
        for table in (*TABLES, "quiz"):
            missing, first, last = conn.execute(
                f"SELECT count(*), min(id), max(id) FROM {table} "
                "WHERE sync_device IS NULL AND sync_seq IS NULL"
            ).fetchone()
            if not missing:
                continue
            top = conn.execute(
                f"SELECT coalesce(max(sync_seq), 0) FROM {table} WHERE sync_device IS NULL"
            ).fetchone()[0]
            base = max(int(counters.get(table, 0)), int(top))
            # seq follows the rowid (so both orders agree); a gap where other devices' rows
            # sit between ours is harmless. One plain UPDATE: 100,000 rows in ~0.5 s.
            conn.execute(
                f"UPDATE {table} SET sync_seq = id + ? "
                "WHERE sync_device IS NULL AND sync_seq IS NULL",
                (base - first + 1,),
            )
            counters[table] = base + last - first + 1
            if table == "review_log":  # rated here on top of another device's rows: replay
                dirty = set(_get(conn, "sync_dirty_cards", []) or [])
                foreign = {
                    r[0]
                    for r in conn.execute(
                        "SELECT DISTINCT card_id FROM review_log WHERE sync_device IS NOT NULL"
                    )
                }
                if foreign:
                    dirty.update(
                        r[0]
                        for r in conn.execute(
                            "SELECT DISTINCT card_id FROM review_log "
                            "WHERE sync_device IS NULL AND sync_seq > ?",
                            (base,),
                        )
                        if r[0] in foreign
                    )
                _put(conn, "sync_dirty_cards", sorted(dirty))
        _put(conn, "sync_counters", counters)


def _own_rows(
    store: Store, table: str, after: int, after_id: int, limit: int
) -> list[tuple[Any, ...]]:
    """This device's rows with a seq above `after`, as (rowid, seq, *columns), paged by rowid:
    a new row always gets a rowid and a seq above every existing one, so both orders agree
    and each page is a range read instead of a scan."""
    q = store.conn.execute
    if table == "review_log":
        sql = (
            "SELECT id, sync_seq, card_id, deck_id, rating, reviewed_at, duration_ms, "
            "state_before, state_after, origin, answer_check FROM review_log"
        )
    elif table == "quiz_answer":
        sql = (
            "SELECT a.id, a.sync_seq, coalesce(q.sync_device, :me), coalesce(q.sync_seq, q.id), "
            "q.started_at, q.finished_at, q.decks, q.planned, q.time_limit_s, a.card_id, "
            "a.deck_id, a.card_type, a.correct, a.given, a.answered_at, a.duration_ms, "
            "a.overridden "
            "FROM quiz_answer a JOIN quiz q ON q.id = a.quiz_id"
        )
    else:
        sql = (
            "SELECT id, sync_seq, task_id, code, verdict, passed, duration_s, report, created_at "
            "FROM code_attempt"
        )
    prefix = "a." if table == "quiz_answer" else ""
    sql += (
        f" WHERE {prefix}id > :after_id AND {prefix}sync_device IS NULL "
        f"AND {prefix}sync_seq > :after ORDER BY {prefix}id LIMIT :limit"
    )
    me = device_id(store) if table == "quiz_answer" else ""
    args = {"after": after, "after_id": after_id, "limit": limit, "me": me}
    return [tuple(r) for r in q(sql, args)]


def known_seqs(store: Store, table: str) -> dict[str, int]:
    """Per other device: the highest seq we already hold from it."""
    return {
        d: int(s)
        for d, s in store.conn.execute(
            f"SELECT sync_device, max(sync_seq) FROM {table} "
            "WHERE sync_device IS NOT NULL GROUP BY sync_device"
        )
    }


def _insert_pulled(conn: Any, table: str, rows: Sequence[tuple[Any, ...]]) -> set[str]:
    """Insert other devices' rows (device, seq, *columns); return the review cards touched."""
    if table == "review_log":
        conn.executemany(
            "INSERT OR IGNORE INTO review_log (sync_device, sync_seq, card_id, deck_id, rating, "
            "reviewed_at, duration_ms, state_before, state_after, origin, answer_check) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        cards = {(r[2], r[3]) for r in rows}
        conn.executemany(  # a card another device studied that this one's decks lack
            "INSERT OR IGNORE INTO card (card_id, deck_id, present) VALUES (?, ?, 0)", cards
        )
        return {c for c, _ in cards}
    if table == "quiz_answer":
        quiz_ids: dict[tuple[str, int], int] = {}
        out = []
        for r in rows:
            qkey = (r[2], int(r[3]))
            if qkey not in quiz_ids:
                conn.execute(
                    "INSERT OR IGNORE INTO quiz (sync_device, sync_seq, started_at, finished_at, "
                    "decks, planned, time_limit_s) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (qkey[0], qkey[1], r[4], r[5], r[6], r[7], r[8]),
                )
                quiz_ids[qkey] = conn.execute(
                    "SELECT id FROM quiz WHERE sync_device = ? AND sync_seq = ?", qkey
                ).fetchone()[0]
            out.append((r[0], r[1], quiz_ids[qkey], *r[9:]))
        conn.executemany(
            "INSERT OR IGNORE INTO quiz_answer (sync_device, sync_seq, quiz_id, card_id, "
            "deck_id, card_type, correct, given, answered_at, duration_ms, overridden) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            out,
        )
        return set()
    conn.executemany(
        "INSERT OR IGNORE INTO code_attempt (sync_device, sync_seq, task_id, code, verdict, "
        "passed, duration_s, report, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    return set()


def _get(conn: Any, key: str, default: Any = None) -> Any:
    row = conn.execute("SELECT value FROM setting WHERE key = ?", (key,)).fetchone()
    return default if row is None else json.loads(row[0])


def _put(conn: Any, key: str, value: Any) -> None:
    conn.execute(
        "INSERT INTO setting (key, value) VALUES (?, ?) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (key, json.dumps(value)),
    )


# ---------------------------------------------------------------------- replay
def replay(
    current: CardRow, logs: Iterable[tuple[int, int]], settings: Settings, scheduler: Any = None
) -> CardRow:
    """The card's state after its (reviewed_at ms, rating) log in time order, from new.

    Deck-side fields (position, present, suspended, buried) are kept from `current`. The same
    steps as rating it live (`scheduling.preview` + `from_fsrs`), minus fuzz, with one fsrs
    Card carried through instead of a CardRow per step (rebuilding 100,000 reviews is ~1 s)."""
    from fsrs import Card as FsrsCard
    from fsrs import Rating, State

    if scheduler is None:
        scheduler = replace(settings, enable_fuzzing=False).scheduler()
    card: Any = None
    reps = lapses = 0
    for at, rating in logs:
        when = from_ms(at)
        if card is None:
            card = FsrsCard(card_id=0, due=when)
        elif card.state == State.Review and rating == 1:
            lapses += 1
        card, _ = scheduler.review_card(card, Rating(rating), review_datetime=when)
        reps += 1
    base = CardRow(
        card_id=current.card_id,
        deck_id=current.deck_id,
        position=current.position,
        present=current.present,
        suspended=current.suspended,
        buried_until=current.buried_until,
    )
    if card is None:
        return base
    return replace(from_fsrs(base, card, 3), reps=reps, lapses=lapses)


def rebuild_cards(
    store: Store,
    card_ids: Iterable[str],
    settings: Settings,
    batch: int | None = None,
    progress: ProgressFn | None = None,
) -> int:
    """Bring each card in line with its merged log, `batch` cards per transaction.

    A card rated on several devices is replayed. A card only one other device rated takes
    that device's latest state as it recorded it (what replaying with its fuzz would give);
    a card only this device rated already holds its own state. Each batch commits its cards
    and, with them, the dirty list minus those cards, so a kill mid-rebuild resumes with the
    cards not yet done. Returns how many changed."""
    me = device_id(store)
    ids = sorted(set(card_ids))
    if not ids:
        return 0
    batch = batch or REBUILD_BATCH
    scheduler = replace(settings, enable_fuzzing=False).scheduler()
    changed = 0
    for i in range(0, len(ids), batch):
        chunk = ids[i : i + batch]
        with store.transaction() as conn:
            # The log without its JSON states (a card's whole history is read, ~50 rows per
            # card at class scale); the one state a single-writer card needs is fetched after.
            logs: dict[str, list[tuple[int, str, int, int, int]]] = {c: [] for c in chunk}
            for part in _chunks(chunk):
                for cid, at, dev, seq, rating, rowid in conn.execute(
                    "SELECT card_id, reviewed_at, coalesce(sync_device, ?), "
                    "coalesce(sync_seq, 0), rating, id FROM review_log "
                    f"WHERE card_id IN ({','.join('?' * len(part))})",
                    (me, *part),
                ):
                    logs[cid].append((at, dev, seq, rating, rowid))
            for entries in logs.values():
                entries.sort()
            wanted = [
                e[-1][4]
                for e in logs.values()
                if e and len({x[1] for x in e}) == 1 and e[0][1] != me
            ]
            states: dict[int, str] = {}
            for part in _chunks(wanted):
                states.update(
                    conn.execute(
                        "SELECT id, state_after FROM review_log "
                        f"WHERE id IN ({','.join('?' * len(part))})",
                        part,
                    ).fetchall()
                )
            rows = []
            for current in store.cards(chunk):
                entries = logs.get(current.card_id, [])
                row = _rebuilt(current, entries, me, settings, scheduler, states)
                if row is not None and row != current:
                    rows.append(tuple(row.__dict__.values()))
            conn.executemany(CARD_UPSERT, rows)
            changed += len(rows)
            _put(conn, "sync_dirty_cards", ids[i + batch :])
        if progress is not None:
            progress(min(i + batch, len(ids)), len(ids), "rebuild cards")
    return changed


def _chunks(items: Sequence[Any], size: int = 500) -> Iterator[Sequence[Any]]:
    """Pieces under SQLite's bound-parameter limit."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _rebuilt(
    current: CardRow,
    entries: Sequence[tuple[int, str, int, int, int]],
    me: str,
    settings: Settings,
    scheduler: Any,
    states: dict[int, str],
) -> CardRow | None:
    """The card's state from its merged log of (at, device, seq, rating, rowid) in time
    order, or None when it is this device's own state already. `states`: state_after by rowid
    of the last row of each card only one other device rated."""
    writers = {e[1] for e in entries}
    if writers == {me}:
        return None
    if len(writers) == 1:
        last = CardRow.from_json(states[entries[-1][4]])
        return replace(
            last,
            card_id=current.card_id,
            deck_id=current.deck_id,
            position=current.position,
            present=current.present,
            suspended=current.suspended,
            buried_until=current.buried_until,
        )
    return replay(current, ((e[0], e[3]) for e in entries), settings, scheduler)


# ---------------------------------------------------------------------- the sync
def sync(
    local: Store,
    remote: Remote,
    *,
    learner: str,
    batch: int = BATCH,
    progress: ProgressFn | None = None,
) -> SyncReport:
    """Push what the server lacks, pull the learner's other devices, rebuild touched cards."""
    me = device_id(local)
    bound = local.get_setting("sync_learner")
    if bound is not None and bound != learner:
        raise SyncError(
            f"this database was synced as learner '{bound}', not '{learner}'; one database "
            f"belongs to one learner. Sync it as {bound} (--learner, or the Learner id "
            "setting) or use another database (--db)."
        )
    # Checkpoint the WAL once at the end instead of every 1,000 pages while 100,000 rows go
    # in (each index page rewritten many times would be copied back many times): ~25% faster.
    pages = int(local.conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0])
    local.conn.execute("PRAGMA wal_autocheckpoint = 20000")
    try:
        return _sync(local, remote, me, bound, learner, batch, progress)
    finally:
        import contextlib
        import sqlite3

        with contextlib.suppress(sqlite3.Error, QuizappError):  # never mask the sync's error
            local.conn.execute(f"PRAGMA wal_autocheckpoint = {pages}")
            local.conn.execute("PRAGMA wal_checkpoint(PASSIVE)")


def _sync(
    local: Store,
    remote: Remote,
    me: str,
    bound: object,
    learner: str,
    batch: int,
    progress: ProgressFn | None,
) -> SyncReport:
    settings = Settings.from_store(local)
    report = SyncReport(learner, me)
    say = progress or (lambda done, total, label: None)
    assign_seqs(local)
    # New own rows, and what a sync killed before its rebuild left behind.
    dirty = set(local.get_setting("sync_dirty_cards", []) or [])
    if bound is None:
        local.set_setting("sync_learner", learner)
    server_max = remote.max_seq(learner, me)
    for table in TABLES:
        after, after_id = server_max.get(table, 0), 0
        while True:
            page = _own_rows(local, table, after, after_id, batch)
            if not page:
                break
            report.pushed[table] += remote.push(learner, me, table, [r[1:] for r in page])
            after_id = page[-1][0]
            say(report.pushed[table], None, f"push {table}")
    for table in TABLES:
        while True:
            rows = remote.pull(learner, me, table, known_seqs(local, table), batch)
            if not rows:
                break
            with local.transaction() as conn:
                touched = _insert_pulled(conn, table, rows)
                if touched:
                    dirty |= touched
                    _put(conn, "sync_dirty_cards", sorted(dirty))
            report.pulled[table] += len(rows)
            say(report.pulled[table], None, f"pull {table}")
    report.rebuilt_cards = rebuild_cards(local, dirty, settings, progress=say)
    return report
