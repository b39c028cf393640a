"""The SQLite store: schema, migrations, and one transaction per user action.

Why these choices:
- `PRAGMA application_id` marks the file as ours, so a foreign or newer database is refused
  instead of being "migrated" into garbage; `PRAGMA user_version` is the schema version.
- WAL + `busy_timeout` let the CLI and the TUI use the same file at the same time.
- Every rating is one transaction (log row + card state), committed before the UI moves on, so
  a kill at any moment loses at most the rating being typed.
- Card identity is the deck's card id (TEXT): editing a card keeps its history; a card removed
  from the decks keeps its rows (marked `present = 0`).
- Times are integer milliseconds since the Unix epoch (UTC).
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from quizapp.errors import StoreError

BUSY_TIMEOUT_S = 5.0
DURABLE_SETTING = "storage.durable"  # True: PRAGMA synchronous = FULL (survives an OS crash)
APPLICATION_ID = 0x51555A41  # "QUZA"
SQLITE_HEADER = b"SQLite format 3\x00"

# State codes: 0 = new (never rated); 1, 2, 3 = fsrs.State Learning, Review, Relearning.
NEW, LEARNING, REVIEW, RELEARNING = 0, 1, 2, 3

# Migration 8 -> 9 (below), frozen: an hour is floor(reviewed_at / 3600000) for a number,
# 2^63 - 1 for anything else; a Review-state rating is one whose state_before says state 2.
_TALLY_HOUR = (
    "CASE WHEN typeof({x}) IN ('integer', 'real') "
    "THEN (CAST({x} AS INTEGER) - ({x} < CAST({x} AS INTEGER))) / 3600000 "
    "- ((CAST({x} AS INTEGER) - ({x} < CAST({x} AS INTEGER))) % 3600000 < 0) "
    "ELSE 9223372036854775807 END"
)
_TALLY_REVIEW = "json_extract({x}, '$.state') = 2"
# A log row counts in the tallies: added by an insert, removed by a delete, both by an update.
_TALLY_ADD = """
        INSERT INTO review_hour (hour, reviews)
            VALUES ({hour_new}, 1)
            ON CONFLICT (hour) DO UPDATE SET reviews = reviews + 1;
        INSERT INTO review_hour_deck (hour, deck_id, total, passed)
            SELECT {hour_new}, NEW.deck_id,
                1, NEW.rating > 1
            WHERE {review_new}
            ON CONFLICT (hour, deck_id) DO UPDATE
                SET total = total + 1, passed = passed + excluded.passed;
        INSERT INTO review_deck (deck_id, total, passed)
            SELECT NEW.deck_id, 1, NEW.rating > 1 WHERE {review_new}
            ON CONFLICT (deck_id) DO UPDATE
                SET total = total + 1, passed = passed + excluded.passed;
"""[1:]
_TALLY_REMOVE = """
        UPDATE review_hour SET reviews = reviews - 1
            WHERE hour = {hour_old};
        UPDATE review_hour_deck SET total = total - 1, passed = passed - (OLD.rating > 1)
            WHERE {review_old} AND deck_id = OLD.deck_id
            AND hour = {hour_old};
        UPDATE review_deck SET total = total - 1, passed = passed - (OLD.rating > 1)
            WHERE {review_old} AND deck_id = OLD.deck_id;
"""[1:]
_TALLY_MIGRATION = (
    """
    CREATE TABLE review_hour (
        hour    INTEGER PRIMARY KEY,
        reviews INTEGER NOT NULL
    );
    CREATE TABLE review_hour_deck (
        hour    INTEGER NOT NULL,
        deck_id TEXT NOT NULL,
        total   INTEGER NOT NULL,
        passed  INTEGER NOT NULL,
        PRIMARY KEY (hour, deck_id)
    ) WITHOUT ROWID;
    CREATE TABLE review_deck (
        deck_id TEXT PRIMARY KEY,
        total   INTEGER NOT NULL,
        passed  INTEGER NOT NULL
    ) WITHOUT ROWID;
    INSERT INTO review_hour (hour, reviews)
        SELECT {hour}, count(*)
        FROM review_log GROUP BY 1;
    INSERT INTO review_hour_deck (hour, deck_id, total, passed)
        SELECT {hour}, deck_id,
            count(*), sum(rating > 1)
        FROM review_log WHERE {review} GROUP BY 1, 2;
    INSERT INTO review_deck (deck_id, total, passed)
        SELECT deck_id, count(*), sum(rating > 1)
        FROM review_log WHERE {review} GROUP BY 1;
    CREATE TRIGGER review_tally_insert AFTER INSERT ON review_log BEGIN
{add}    END;
    CREATE TRIGGER review_tally_delete AFTER DELETE ON review_log BEGIN
{remove}    END;
    CREATE TRIGGER review_tally_update
        AFTER UPDATE OF reviewed_at, deck_id, rating, state_before ON review_log BEGIN
{remove}{add}    END;
    """.replace("{add}", _TALLY_ADD)
    .replace("{remove}", _TALLY_REMOVE)
    .format(
        hour=_TALLY_HOUR.format(x="reviewed_at"),
        hour_new=_TALLY_HOUR.format(x="NEW.reviewed_at"),
        hour_old=_TALLY_HOUR.format(x="OLD.reviewed_at"),
        review=_TALLY_REVIEW.format(x="state_before"),
        review_new=_TALLY_REVIEW.format(x="NEW.state_before"),
        review_old=_TALLY_REVIEW.format(x="OLD.state_before"),
    )
)


# Each entry migrates from version i to i + 1. Never edit a shipped entry; append a new one.
MIGRATIONS: tuple[str, ...] = (
    # 0 -> 1: cards, review log, settings
    """
    CREATE TABLE card (
        card_id      TEXT PRIMARY KEY,
        deck_id      TEXT NOT NULL,
        position     INTEGER NOT NULL DEFAULT 0,
        present      INTEGER NOT NULL DEFAULT 1,
        state        INTEGER NOT NULL DEFAULT 0,
        step         INTEGER,
        stability    REAL,
        difficulty   REAL,
        due          INTEGER,
        last_review  INTEGER,
        reps         INTEGER NOT NULL DEFAULT 0,
        lapses       INTEGER NOT NULL DEFAULT 0,
        suspended    INTEGER NOT NULL DEFAULT 0,
        buried_until INTEGER
    ) WITHOUT ROWID;
    CREATE INDEX card_deck_due ON card (present, suspended, state, deck_id, due, buried_until);
    CREATE INDEX card_due ON card (present, suspended, state, due, buried_until);
    CREATE INDEX card_new ON card (present, suspended, state, position, buried_until);
    CREATE TABLE review_log (
        id           INTEGER PRIMARY KEY,
        card_id      TEXT NOT NULL,
        deck_id      TEXT NOT NULL,
        rating       INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 4),
        reviewed_at  INTEGER NOT NULL,
        duration_ms  INTEGER,
        state_before TEXT NOT NULL,
        state_after  TEXT NOT NULL
    );
    CREATE INDEX review_log_time ON review_log (reviewed_at);
    CREATE INDEX review_log_card ON review_log (card_id, reviewed_at);
    CREATE TABLE setting (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    """,
    # 1 -> 2: coding practice (drafts survive a kill; every attempt is kept)
    """
    CREATE TABLE code_draft (
        task_id    TEXT PRIMARY KEY,
        code       TEXT NOT NULL,
        updated_at INTEGER NOT NULL
    );
    CREATE TABLE code_attempt (
        id         INTEGER PRIMARY KEY,
        task_id    TEXT NOT NULL,
        code       TEXT NOT NULL,
        verdict    TEXT NOT NULL,
        passed     INTEGER NOT NULL,
        duration_s REAL NOT NULL,
        report     TEXT NOT NULL,
        created_at INTEGER NOT NULL
    );
    CREATE INDEX code_attempt_task ON code_attempt (task_id, created_at);
    """,
    # 2 -> 3: where a review came from (review screen, quiz counted as review, ...)
    """
    ALTER TABLE review_log ADD COLUMN origin TEXT NOT NULL DEFAULT 'review';
    """,
    # 3 -> 4: quizzes; each answer is written when given, so a killed quiz keeps its answers
    """
    CREATE TABLE quiz (
        id          INTEGER PRIMARY KEY,
        started_at  INTEGER NOT NULL,
        finished_at INTEGER,
        decks       TEXT NOT NULL,
        planned     INTEGER NOT NULL,
        time_limit_s INTEGER
    );
    CREATE TABLE quiz_answer (
        id          INTEGER PRIMARY KEY,
        quiz_id     INTEGER NOT NULL REFERENCES quiz (id),
        card_id     TEXT NOT NULL,
        deck_id     TEXT NOT NULL,
        card_type   TEXT NOT NULL,
        correct     INTEGER NOT NULL,
        given       TEXT,
        answered_at INTEGER NOT NULL,
        duration_ms INTEGER
    );
    CREATE INDEX quiz_answer_quiz ON quiz_answer (quiz_id);
    CREATE INDEX quiz_answer_card ON quiz_answer (card_id);
    """,
    # 4 -> 5: stats and daily limits group reviews by the state a card was in before the rating
    """
    CREATE INDEX review_log_kind
        ON review_log (json_extract(state_before, '$.state'), reviewed_at, deck_id, rating);
    """,
    # 5 -> 6: new cards are taken deck by deck in file order (round robin across decks)
    """
    CREATE INDEX card_deck_new ON card (present, suspended, state, deck_id, position);
    """,
    # what the answer check said about a review ('right', 'wrong', or 'overridden': rejected,
    # and the user counted it as right; NULL when nothing was checked), and quiz overrides
    """
    ALTER TABLE review_log ADD COLUMN answer_check TEXT;
    ALTER TABLE quiz_answer ADD COLUMN overridden INTEGER NOT NULL DEFAULT 0;
    """,
    # 7 -> 8: sync (quizapp/sync.py): this device's id, and a stable id (device, seq) on every
    # review, quiz, quiz answer and code attempt; sync_device NULL = written on this device
    # (partial indexes: a rating does not pay for them, only rows pulled from other devices)
    """
    ALTER TABLE review_log ADD COLUMN sync_device TEXT;
    ALTER TABLE review_log ADD COLUMN sync_seq INTEGER;
    CREATE UNIQUE INDEX review_log_sync ON review_log (sync_device, sync_seq)
        WHERE sync_device IS NOT NULL;
    ALTER TABLE quiz ADD COLUMN sync_device TEXT;
    ALTER TABLE quiz ADD COLUMN sync_seq INTEGER;
    CREATE UNIQUE INDEX quiz_sync ON quiz (sync_device, sync_seq)
        WHERE sync_device IS NOT NULL;
    ALTER TABLE quiz_answer ADD COLUMN sync_device TEXT;
    ALTER TABLE quiz_answer ADD COLUMN sync_seq INTEGER;
    CREATE UNIQUE INDEX quiz_answer_sync ON quiz_answer (sync_device, sync_seq)
        WHERE sync_device IS NOT NULL;
    ALTER TABLE code_attempt ADD COLUMN sync_device TEXT;
    ALTER TABLE code_attempt ADD COLUMN sync_seq INTEGER;
    CREATE UNIQUE INDEX code_attempt_sync ON code_attempt (sync_device, sync_seq)
        WHERE sync_device IS NOT NULL;
    INSERT OR IGNORE INTO setting (key, value)
        VALUES ('device_id', json_quote(lower(hex(randomblob(8)))));
    """,
    # review tallies for the stats (issue 20): reviews per UTC hour, and ratings of Review-state
    # cards per hour and deck and per deck, kept exact by triggers in the rating's own
    # transaction, so a year of 1M reviews is summed from ~9k hour rows, not rescanned. An hour
    # is floor(reviewed_at / 3600000); a reviewed_at that is not a number (never written by
    # quizapp) is filed under hour 2^63 - 1, which sorts after every number, as SQLite does.
    _TALLY_MIGRATION,
    # the stats' leech list (issue 20): cards with lapses, without a scan of every card
    """
    CREATE INDEX card_lapses ON card (lapses) WHERE lapses > 0;
    """,
    # mastery per deck and tag (issue 20): each card's layout group (its deck and its tags,
    # quizapp/deck_layout.py), set when the decks are synced, and a covering index of the
    # studied cards in group order, so SQLite sums the retrievability of each group in one
    # pass over the index and the stats read one row per group instead of one per card. The
    # decks' fingerprint is dropped: the next start syncs again and gives every card its group.
    """
    ALTER TABLE card ADD COLUMN layout_group INTEGER;
    CREATE INDEX card_mastery ON card (layout_group, stability, last_review, present, state)
        WHERE present = 1 AND state != 0 AND stability > 0 AND last_review IS NOT NULL;
    DELETE FROM setting WHERE key = 'decks_fingerprint';
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)
_STATE_BEFORE_SQL = "json_extract(state_before, '$.state')"  # the review_log_kind index

_CARD_COLUMNS = (
    "card_id, deck_id, position, present, state, step, stability, difficulty, due, "
    "last_review, reps, lapses, suspended, buried_until"
)
# A card's row written whole from a CardRow: an upsert, not INSERT OR REPLACE, which would
# delete the row and with it what CardRow does not carry (the stats' `layout_group`).
CARD_UPSERT = (
    f"INSERT INTO card ({_CARD_COLUMNS}) VALUES ({', '.join('?' * 14)}) "
    "ON CONFLICT (card_id) DO UPDATE SET "
    + ", ".join(f"{c} = excluded.{c}" for c in _CARD_COLUMNS.split(", ")[1:])
)


@dataclass(frozen=True)
class CardRow:
    """A card's scheduling state as stored; `state == NEW` means never rated."""

    card_id: str
    deck_id: str
    position: int = 0
    present: int = 1
    state: int = NEW
    step: int | None = None
    stability: float | None = None
    difficulty: float | None = None
    due: int | None = None
    last_review: int | None = None
    reps: int = 0
    lapses: int = 0
    suspended: int = 0
    buried_until: int | None = None

    def to_json(self) -> str:
        return json.dumps(self.__dict__, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> CardRow:
        return cls(**json.loads(text))


@dataclass(frozen=True)
class LogRow:
    id: int
    card_id: str
    deck_id: str
    rating: int
    reviewed_at: int
    duration_ms: int | None
    state_before: CardRow
    state_after: CardRow
    origin: str = "review"


@dataclass(frozen=True)
class Attempt:
    id: int
    task_id: str
    code: str
    verdict: str
    passed: bool
    duration_s: float
    created_at: int
    report: str = "{}"


@dataclass(frozen=True)
class TaskProgress:
    task_id: str
    status: str  # "untried" | "failing" | "passed"
    attempts: int
    first_try_pass: bool


class Store:
    """One SQLite file. Use `Store.open(path)`; the connection is in autocommit mode and every
    write goes through `transaction()`."""

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self.conn = conn
        self.path = path
        # (device, inode) of the file we opened: checked before each write (see `_same_file`).
        self.identity: tuple[int, int] | None = None
        self.moved: DatabaseMoved | None = None  # set once: no more writes after that

    # ------------------------------------------------------------------ opening
    @classmethod
    def open(cls, path: Path | str, *, migrate: bool = True) -> Store:
        path = Path(path)
        _check_header(path)
        if path.parent and not path.parent.exists():
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(
                    f"cannot create the folder for the database {path}: {exc}"
                ) from exc
        _check_writable(path)
        try:
            conn = sqlite3.connect(
                path,
                isolation_level=None,
                timeout=BUSY_TIMEOUT_S,
                check_same_thread=False,
                factory=_Connection,
            )
        except sqlite3.Error as exc:
            raise _unusable(path, exc, opening=True) from exc
        assert isinstance(conn, _Connection)
        conn.db_path = path
        store = cls(conn, path)
        try:
            conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
            store._check_identity()
            if migrate:
                store.migrate()
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if mode.lower() != "wal" and str(path) != ":memory:":
                conn.execute("PRAGMA journal_mode = DELETE")
            durable = bool(store.get_setting(DURABLE_SETTING, False)) if migrate else False
            conn.execute(f"PRAGMA synchronous = {'FULL' if durable else 'NORMAL'}")
            conn.execute("PRAGMA foreign_keys = ON")
            identity = _file_identity(path)
            store.identity = None if identity == _MISSING else identity
        except StoreError as exc:
            conn.close()
            if isinstance(exc, DatabaseUnusable) and isinstance(exc.__cause__, sqlite3.Error):
                raise _unusable(path, exc.__cause__, opening=True) from exc.__cause__
            raise
        except sqlite3.Error as exc:
            conn.close()
            raise _unusable(path, exc, opening=True) from exc
        return store

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _check_identity(self) -> None:
        app_id = self.conn.execute("PRAGMA application_id").fetchone()[0]
        version = self.conn.execute("PRAGMA user_version").fetchone()[0]
        if app_id == 0:
            tables = self.conn.execute(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table'"
            ).fetchone()[0]
            if tables:
                raise StoreError(
                    f"{self.path} is an SQLite database but not a quizapp one; it was left "
                    "untouched. Pick another file with --db or QUIZAPP_DB."
                )
            return
        if app_id != APPLICATION_ID:
            raise StoreError(
                f"{self.path} belongs to another application (application_id {app_id:#x}); it "
                "was left untouched. Pick another file with --db or QUIZAPP_DB."
            )
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path} was written by a newer quizapp (schema {version}, this one knows "
                f"{SCHEMA_VERSION}). Upgrade quizapp; the file was left untouched."
            )

    def schema_version(self) -> int:
        return int(self.conn.execute("PRAGMA user_version").fetchone()[0])

    def migrate(self, target: int = SCHEMA_VERSION) -> None:
        """Apply the missing migrations, each in its own transaction with its version bump."""
        version = self.schema_version()
        while version < target:
            with self.transaction():
                self.conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                for statement in _split_sql(MIGRATIONS[version]):
                    self.conn.execute(statement)
                version += 1
                self.conn.execute(f"PRAGMA user_version = {version}")

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE so two processes never deadlock upgrading a read lock.

        Before it, the path must still name the file we opened (see `_same_file`)."""
        self._same_file()
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        else:
            self.conn.execute("COMMIT")

    def _same_file(self) -> None:
        """Refuse to write once the path names another file than the one we opened, and copy
        what we have to a rescue file first (once), so no rating ends up in an orphan."""
        if self.moved is not None:
            raise self.moved
        if self.identity is None:
            return
        if _file_identity(self.path) == self.identity:
            return
        self.moved = _moved(self)
        raise self.moved

    def integrity_ok(self) -> bool:
        return self.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"

    # ------------------------------------------------------------------ settings
    def get_setting(self, key: str, default: Any = None) -> Any:
        row = self.conn.execute("SELECT value FROM setting WHERE key = ?", (key,)).fetchone()
        return default if row is None else json.loads(row[0])

    def set_setting(self, key: str, value: Any) -> None:
        with self.transaction():
            self.conn.execute(
                "INSERT INTO setting (key, value) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (key, json.dumps(value)),
            )

    # ------------------------------------------------------------------ cards
    def sync_cards(
        self, fingerprint: str, cards: Iterable[tuple[str, str, int] | tuple[str, str, int, int]]
    ) -> bool:
        """Make the card table match the decks: (card_id, deck_id, position) triples, or with
        the card's layout group as a fourth item (`Catalog.sync_rows`; NULL without one, and
        the stats then look the cards up by id).

        Skipped when the decks' fingerprint is unchanged, so start-up costs one lookup.
        Returns True when it changed something.
        """
        if self.get_setting("decks_fingerprint") == fingerprint:
            return False
        rows = [row if len(row) == 4 else (*row, None) for row in cards]
        with self.transaction():
            self.conn.execute(
                "CREATE TEMP TABLE IF NOT EXISTS deck_card "
                "(card_id TEXT PRIMARY KEY, deck_id TEXT, position INTEGER, layout_group INTEGER)"
            )
            self.conn.execute("DELETE FROM temp.deck_card")
            self.conn.executemany("INSERT OR IGNORE INTO temp.deck_card VALUES (?, ?, ?, ?)", rows)
            self.conn.execute(
                "INSERT INTO card (card_id, deck_id, position, layout_group) "
                "SELECT card_id, deck_id, position, layout_group FROM temp.deck_card "
                "WHERE true ON CONFLICT (card_id) DO UPDATE SET deck_id = excluded.deck_id, "
                "position = excluded.position, layout_group = excluded.layout_group, present = 1"
            )
            self.conn.execute(
                "UPDATE card SET present = 0 WHERE present = 1 AND card_id NOT IN "
                "(SELECT card_id FROM temp.deck_card)"
            )
            self.conn.execute("DELETE FROM temp.deck_card")
            self.conn.execute(
                "INSERT INTO setting (key, value) VALUES ('decks_fingerprint', ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (json.dumps(fingerprint),),
            )
        return True

    def card(self, card_id: str) -> CardRow | None:
        row = self.conn.execute(
            f"SELECT {_CARD_COLUMNS} FROM card WHERE card_id = ?", (card_id,)
        ).fetchone()
        return CardRow(*row) if row else None

    def cards(self, card_ids: Sequence[str]) -> list[CardRow]:
        out: list[CardRow] = []
        for i in range(0, len(card_ids), 500):
            chunk = card_ids[i : i + 500]
            marks = ",".join("?" * len(chunk))
            out.extend(
                CardRow(*r)
                for r in self.conn.execute(
                    f"SELECT {_CARD_COLUMNS} FROM card WHERE card_id IN ({marks})", chunk
                )
            )
        return out

    def deck_counts(
        self,
        deck_ids: Sequence[str],
        *,
        now_ms: int,
        day_end_ms: int,
        learn_ahead_ms: int = 20 * 60_000,
        cap_new: int = 1_000_000,
        cap_review: int = 1_000_000,
    ) -> dict[str, dict[str, int]]:
        """Per deck: new, learning (due within the learn-ahead window), review due today.

        New and review counts stop at the caps (what is left of the daily limits): nobody
        can study more than that today, and counting stops after `cap` index entries, so the
        home screen costs the same with 100 cards or 100,000.
        """
        q = self.conn.execute
        unburied = "(buried_until IS NULL OR buried_until <= :now)"
        counts: dict[str, dict[str, int]] = {}
        for deck in deck_ids:
            args = {
                "deck": deck,
                "now": now_ms,
                "end": day_end_ms,
                "cap_new": cap_new,
                "cap_rev": cap_review,
            }
            new = q(
                "SELECT count(*) FROM (SELECT 1 FROM card "
                "WHERE present = 1 AND suspended = 0 AND state = 0 AND deck_id = :deck "
                f"AND {unburied} LIMIT :cap_new)",
                args,
            ).fetchone()[0]
            review = q(
                "SELECT count(*) FROM (SELECT 1 FROM card "
                "WHERE present = 1 AND suspended = 0 AND state = 2 AND deck_id = :deck "
                f"AND due < :end AND {unburied} LIMIT :cap_rev)",
                args,
            ).fetchone()[0]
            counts[deck] = {"new": new, "learning": 0, "review": review}
        for deck, n in q(
            "SELECT deck_id, count(*) FROM card "
            "WHERE present = 1 AND suspended = 0 AND state IN (1, 3) AND due <= :soon "
            f"AND {unburied} GROUP BY deck_id",
            {"soon": now_ms + learn_ahead_ms, "now": now_ms},
        ):
            if deck in counts:
                counts[deck]["learning"] = n
        return counts

    def due_cards(
        self,
        *,
        state_in: Sequence[int],
        due_before: int | None,
        now_ms: int,
        deck_ids: Sequence[str] | None = None,
        limit: int = 1000,
    ) -> list[CardRow]:
        """Unsuspended, unburied present cards in the given states, in due/position order."""
        sql, args = self._due_sql(_CARD_COLUMNS, state_in, due_before, now_ms, deck_ids)
        sql.append("LIMIT ?")
        args.append(limit)
        return [CardRow(*r) for r in self.conn.execute(" ".join(sql), args)]

    def due_memory(
        self,
        *,
        state_in: Sequence[int],
        due_before: int,
        now_ms: int,
        deck_ids: Sequence[str] | None = None,
    ) -> Iterator[tuple[str, float, int, int, int]]:
        """(card_id, stability, last_review, due, position) of the cards `due_cards` would
        return, unordered (the caller sorts by due and position: cheaper in NumPy than in
        SQLite), unlimited and streamed in batches (interview mode ranks all of today's
        reviews without a row object per card). NULLs come back as 0. A plain table scan:
        through the due index every row costs a primary-key lookup."""
        sql, args = self._due_sql(
            "card_id, coalesce(stability, 0), coalesce(last_review, 0), due, position",
            state_in,
            due_before,
            now_ms,
            deck_ids,
            scan=True,
        )
        cur = self.conn.execute(" ".join(sql), args)
        return itertools.chain.from_iterable(iter(lambda: cur.fetchmany(4096), []))

    def _due_sql(
        self,
        columns: str,
        state_in: Sequence[int],
        due_before: int | None,
        now_ms: int,
        deck_ids: Sequence[str] | None,
        *,
        scan: bool = False,
    ) -> tuple[list[str], list[Any]]:
        plus = "+" if scan else ""
        sql = [f"SELECT {columns} FROM card WHERE {plus}present = 1 AND {plus}suspended = 0"]
        args: list[Any] = []
        sql.append(f"AND {plus}state IN ({','.join('?' * len(state_in))})")
        args.extend(state_in)
        if due_before is not None:
            sql.append("AND due < ?")
            args.append(due_before)
        sql.append("AND (buried_until IS NULL OR buried_until <= ?)")
        args.append(now_ms)
        if deck_ids is not None:
            sql.append(f"AND deck_id IN ({','.join('?' * len(deck_ids))})")
            args.extend(deck_ids)
        if not scan:
            sql.append("ORDER BY due, position" if due_before is not None else "ORDER BY position")
        return sql, args

    def decks_with_new(self) -> list[str]:
        """Decks that still have new cards, in the order of their first card (a full scan of
        the new cards: callers that know the decks pass them instead)."""
        rows = self.conn.execute(
            "SELECT deck_id, min(position) AS first FROM card "
            "WHERE present = 1 AND suspended = 0 AND state = 0 GROUP BY deck_id ORDER BY first"
        ).fetchall()
        return [d for d, _ in rows]

    def reviewed_since(self, since_ms: int) -> dict[str, int]:
        """How many new cards were introduced and reviews done since a time (daily limits)."""
        new, reviews = 0, 0
        for before, n in self.conn.execute(
            "SELECT json_extract(state_before, '$.state') AS s, count(*) FROM review_log "
            "WHERE reviewed_at >= ? GROUP BY s",
            (since_ms,),
        ):
            if before == NEW:
                new += n
            elif before == REVIEW:
                reviews += n
        return {"new": new, "review": reviews}

    def set_suspended(self, card_id: str, suspended: bool) -> None:
        with self.transaction():
            self.conn.execute(
                "UPDATE card SET suspended = ? WHERE card_id = ?", (int(suspended), card_id)
            )

    def bury(self, card_ids: Sequence[str], until_ms: int | None) -> None:
        """Hide cards until a time (the next study day); None unburies."""
        with self.transaction():
            self.conn.executemany(
                "UPDATE card SET buried_until = ? WHERE card_id = ?",
                [(until_ms, cid) for cid in card_ids],
            )

    def reset_card(self, card_id: str) -> None:
        """Back to new, keeping the review log (history is never deleted)."""
        with self.transaction():
            self.conn.execute(
                "UPDATE card SET state = 0, step = NULL, stability = NULL, difficulty = NULL, "
                "due = NULL, last_review = NULL, reps = 0, lapses = 0, suspended = 0, "
                "buried_until = NULL WHERE card_id = ?",
                (card_id,),
            )

    # ------------------------------------------------------------------ reviews
    def record_review(
        self,
        before: CardRow,
        after: CardRow,
        *,
        rating: int,
        reviewed_at: int,
        duration_ms: int | None,
        origin: str = "review",
        check: bool = False,
        answer_check: str | None = None,
    ) -> int:
        """Write the new card state and the log row in one transaction; return the log id.

        With `check`, this is a compare-and-swap: if the stored card is no longer `before`
        (another window or process rated, suspended or buried it since it was read), nothing
        is written and `StaleCard` carries the current row to recompute from. `answer_check` is
        what the automatic check said ('right', 'wrong', or 'overridden' when the user counted a
        rejected answer as right); None when nothing was checked."""
        if answer_check not in (None, "right", "wrong", "overridden"):
            raise ValueError(f"answer_check must be right, wrong or overridden: {answer_check!r}")
        with self.transaction() as conn:
            if check:
                row = conn.execute(
                    f"SELECT {_CARD_COLUMNS} FROM card WHERE card_id = ?", (before.card_id,)
                ).fetchone()
                current = CardRow(*row) if row else None
                if current != before:
                    raise StaleCard(before.card_id, current)
            _upsert_card(conn, after)
            cur = conn.execute(
                "INSERT INTO review_log (card_id, deck_id, rating, reviewed_at, duration_ms, "
                "state_before, state_after, origin, answer_check) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    after.card_id,
                    after.deck_id,
                    rating,
                    reviewed_at,
                    duration_ms,
                    before.to_json(),
                    after.to_json(),
                    origin,
                    answer_check,
                ),
            )
            return int(cur.lastrowid or 0)

    def undo_review(self, log_id: int) -> CardRow | None:
        """Delete one log row and put its card back exactly as it was before that rating.

        Only the card's latest log row can be undone (otherwise later ratings would be lost).
        """
        with self.transaction() as conn:
            row = conn.execute(
                "SELECT card_id, state_before FROM review_log WHERE id = ?", (log_id,)
            ).fetchone()
            if row is None:
                return None
            latest = conn.execute(
                "SELECT max(id) FROM review_log WHERE card_id = ?", (row[0],)
            ).fetchone()[0]
            if latest != log_id:
                raise StoreError("only the latest rating of a card can be undone")
            before = CardRow.from_json(row[1])
            current = conn.execute(
                "SELECT present, position, suspended, buried_until FROM card WHERE card_id = ?",
                (before.card_id,),
            ).fetchone()
            if current is not None:  # keep what changed outside the review (deck edits)
                before = CardRow(
                    **{**before.__dict__, "present": current[0], "position": current[1]}
                )
            _upsert_card(conn, before)
            conn.execute("DELETE FROM review_log WHERE id = ?", (log_id,))
            return before

    def review_logs(self, card_id: str | None = None, limit: int | None = None) -> list[LogRow]:
        sql = (
            "SELECT id, card_id, deck_id, rating, reviewed_at, duration_ms, state_before, "
            "state_after, origin FROM review_log"
        )
        args: list[Any] = []
        if card_id is not None:
            sql += " WHERE card_id = ?"
            args.append(card_id)
        sql += " ORDER BY id"
        if limit is not None:
            sql += " LIMIT ?"
            args.append(limit)
        return [
            LogRow(
                r[0],
                r[1],
                r[2],
                r[3],
                r[4],
                r[5],
                CardRow.from_json(r[6]),
                CardRow.from_json(r[7]),
                r[8],
            )
            for r in self.conn.execute(sql, args)
        ]

    def fsrs_history(self) -> Iterator[tuple[str, int, int, int | None]]:
        """(card_id, reviewed_at, rating, state before) of every rating, grouped by card in
        time order (the review_log_card index), for fitting FSRS parameters."""
        yield from self.conn.execute(
            "SELECT card_id, reviewed_at, rating, json_extract(state_before, '$.state') "
            "FROM review_log ORDER BY card_id, reviewed_at, id"
        )

    def rating_summary(self, last: int = 20_000) -> list[tuple[int, int, int, float | None]]:
        """(state before, rating, count, mean seconds) over the latest `last` ratings (how the
        user rates and how fast, now; and a constant cost at 1M reviews); durations over 20
        minutes (the user walked away) are left out of the mean, as Anki does."""
        return [
            (int(s), int(r), int(n), None if t is None else float(t))
            for s, r, n, t in self.conn.execute(
                f"SELECT {_STATE_BEFORE_SQL} AS s, rating, count(*), "
                "avg(CASE WHEN duration_ms BETWEEN 0 AND 1200000 THEN duration_ms END) / 1000.0 "
                "FROM review_log NOT INDEXED "  # the id range, not a walk of review_log_kind
                "WHERE id > (SELECT coalesce(max(id), 0) FROM review_log) - ? "
                "GROUP BY s, rating",
                (last,),
            )
            if s is not None
        ]

    def plan_rows(self) -> list[tuple[Any, ...]]:
        """(card_id, deck_id, state, stability, difficulty, last_review, due, position) of
        every present, unsuspended card (the `+` keeps SQLite on a plain table scan: through an
        index each row costs a primary-key lookup, 10x slower at 100,000 cards)."""
        return self.conn.execute(
            "SELECT card_id, deck_id, state, coalesce(stability, 0), coalesce(difficulty, 5), "
            "coalesce(last_review, 0), coalesce(due, 0), position FROM card "
            "WHERE +present = 1 AND +suspended = 0"
        ).fetchall()

    def studied_memory(self, *, ids: bool = True) -> Iterator[tuple[Any, ...]]:
        """([card_id,] deck_id, stability, difficulty, last_review, due) of every present,
        unsuspended card that has left the new state, streamed (the interview plan reads them
        into arrays without keeping a row object per card; without `ids`, a quarter faster).
        NULLs come back as 0 (difficulty 5). A plain table scan, as in `plan_rows`; rows come
        in batches (one Python call per row through `_Cursor.__next__` would cost more than
        the whole plan)."""
        cur = self.conn.execute(
            f"SELECT {'card_id, ' if ids else ''}deck_id, coalesce(stability, 0), "
            "coalesce(difficulty, 5), coalesce(last_review, 0), coalesce(due, 0) FROM card "
            "WHERE +present = 1 AND +suspended = 0 AND +state != 0"
        )
        return itertools.chain.from_iterable(iter(lambda: cur.fetchmany(4096), []))

    def due_studied_memory(self, due_before: int) -> Iterator[tuple[float, float, int, int]]:
        """(stability, difficulty, last_review, due) of the cards `studied_memory` reads that
        are due before a time (the interview plan's first day needs only those)."""
        cur = self.conn.execute(
            "SELECT coalesce(stability, 0), coalesce(difficulty, 5), coalesce(last_review, 0), "
            "coalesce(due, 0) FROM card WHERE +present = 1 AND +suspended = 0 AND +state != 0 "
            "AND coalesce(due, 0) < ?",
            (due_before,),
        )
        return itertools.chain.from_iterable(iter(lambda: cur.fetchmany(4096), []))

    def unstudied_count(self) -> int:
        """Present, unsuspended cards without a memory state (new, or out of the new state with
        no stability or no last review): the cards the interview plan can still introduce."""
        return int(
            self.conn.execute(
                "SELECT count(*) FROM card WHERE +present = 1 AND +suspended = 0 AND NOT "
                "(state != 0 AND coalesce(stability, 0) > 0 AND coalesce(last_review, 0) > 0)"
            ).fetchone()[0]
        )

    def new_card_counts(self) -> dict[str, int]:
        """deck id -> how many of its present, unsuspended cards are new (the card_deck_new
        index alone answers it)."""
        return {
            deck: int(n)
            for deck, n in self.conn.execute(
                "SELECT deck_id, count(*) FROM card "
                "WHERE present = 1 AND suspended = 0 AND state = 0 GROUP BY deck_id"
            )
        }

    def make_due(self, card_ids: Sequence[str], now_ms: int) -> list[str]:
        """Bring studied (review-state) cards due now; return the ones that changed."""
        changed: list[str] = []
        with self.transaction():
            for cid in card_ids:
                cur = self.conn.execute(
                    "UPDATE card SET due = ? WHERE card_id = ? AND state = 2 AND due > ?",
                    (now_ms, cid, now_ms),
                )
                if cur.rowcount:
                    changed.append(cid)
        return changed

    def active_card_count(self) -> int:
        return int(
            self.conn.execute(
                "SELECT count(*) FROM card WHERE present = 1 AND suspended = 0"
            ).fetchone()[0]
        )

    # ------------------------------------------------------------------ coding practice
    def save_draft(self, task_id: str, code: str, now_ms: int | None = None) -> None:
        with self.transaction():
            self.conn.execute(
                "INSERT INTO code_draft (task_id, code, updated_at) VALUES (?, ?, ?) "
                "ON CONFLICT (task_id) DO UPDATE SET code = excluded.code, "
                "updated_at = excluded.updated_at",
                (task_id, code, now_ms if now_ms is not None else _now_ms()),
            )

    def load_draft(self, task_id: str) -> str | None:
        row = self.conn.execute(
            "SELECT code FROM code_draft WHERE task_id = ?", (task_id,)
        ).fetchone()
        return None if row is None else str(row[0])

    def record_attempt(
        self,
        task_id: str,
        code: str,
        verdict: str,
        passed: bool,
        duration_s: float,
        report_json: str,
        now_ms: int | None = None,
    ) -> int:
        with self.transaction():
            cur = self.conn.execute(
                "INSERT INTO code_attempt (task_id, code, verdict, passed, duration_s, report, "
                "created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    task_id,
                    code,
                    verdict,
                    int(passed),
                    duration_s,
                    report_json,
                    now_ms if now_ms is not None else _now_ms(),
                ),
            )
            return int(cur.lastrowid or 0)

    def attempts(self, task_id: str) -> list[Attempt]:
        return [
            Attempt(r[0], r[1], r[2], r[3], bool(r[4]), r[5], r[6], r[7])
            for r in self.conn.execute(
                "SELECT id, task_id, code, verdict, passed, duration_s, created_at, report "
                "FROM code_attempt WHERE task_id = ? ORDER BY id",
                (task_id,),
            )
        ]

    def recent_results(self, task_id: str, limit: int) -> list[bool]:
        """Whether each of the task's last `limit` attempts passed, newest first (the index
        on task_id, without reading the code and reports of the whole history)."""
        return [
            bool(r[0])
            for r in self.conn.execute(
                "SELECT passed FROM code_attempt WHERE task_id = ? ORDER BY id DESC LIMIT ?",
                (task_id, limit),
            )
        ]

    def task_progress(self) -> dict[str, TaskProgress]:
        """Status per task that has attempts; tasks not in the result are untried."""
        out: dict[str, TaskProgress] = {}
        for task_id, n, any_pass, first_pass in self.conn.execute(
            "SELECT task_id, count(*), max(passed), "
            "(SELECT passed FROM code_attempt b WHERE b.task_id = a.task_id ORDER BY id LIMIT 1) "
            "FROM code_attempt a GROUP BY task_id"
        ):
            out[task_id] = TaskProgress(
                task_id, "passed" if any_pass else "failing", n, bool(first_pass)
            )
        return out

    # ------------------------------------------------------------------ quizzes
    def start_quiz(
        self,
        deck_ids: Sequence[str] | None,
        planned: int,
        time_limit_s: int | None,
        now_ms: int | None = None,
    ) -> int:
        with self.transaction():
            cur = self.conn.execute(
                "INSERT INTO quiz (started_at, decks, planned, time_limit_s) VALUES (?, ?, ?, ?)",
                (
                    now_ms if now_ms is not None else _now_ms(),
                    json.dumps(list(deck_ids or [])),
                    planned,
                    time_limit_s,
                ),
            )
            return int(cur.lastrowid or 0)

    def record_quiz_answer(
        self,
        quiz_id: int,
        card_id: str,
        deck_id: str,
        card_type: str,
        correct: bool,
        given: str | None,
        duration_ms: int | None,
        now_ms: int | None = None,
    ) -> int:
        """Write one quiz answer as it is given; return its id (for `override_quiz_answer`)."""
        with self.transaction():
            cur = self.conn.execute(
                "INSERT INTO quiz_answer (quiz_id, card_id, deck_id, card_type, correct, given, "
                "answered_at, duration_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    quiz_id,
                    card_id,
                    deck_id,
                    card_type,
                    int(correct),
                    given,
                    now_ms if now_ms is not None else _now_ms(),
                    duration_ms,
                ),
            )
            return int(cur.lastrowid or 0)

    def override_quiz_answer(self, answer_id: int) -> None:
        """The user counts a rejected answer as right: correct, and marked as overridden."""
        with self.transaction():
            self.conn.execute(
                "UPDATE quiz_answer SET correct = 1, overridden = 1 WHERE id = ?", (answer_id,)
            )

    def undo_quiz_answer(self, answer_id: int) -> bool:
        """Delete a quiz answer (ctrl+z in the quiz), as `undo_review` deletes a rating: the
        question is asked again and only the new answer counts. Only the latest answer of its
        quiz can be undone. False if the row is already gone."""
        with self.transaction() as conn:
            row = conn.execute(
                "SELECT quiz_id FROM quiz_answer WHERE id = ?", (answer_id,)
            ).fetchone()
            if row is None:
                return False
            latest = conn.execute(
                "SELECT max(id) FROM quiz_answer WHERE quiz_id = ?", (row[0],)
            ).fetchone()[0]
            if latest != answer_id:
                raise StoreError("only the latest answer of a quiz can be undone")
            conn.execute("DELETE FROM quiz_answer WHERE id = ?", (answer_id,))
            return True

    def finish_quiz(self, quiz_id: int, now_ms: int | None = None) -> None:
        with self.transaction():
            self.conn.execute(
                "UPDATE quiz SET finished_at = ? WHERE id = ?",
                (now_ms if now_ms is not None else _now_ms(), quiz_id),
            )

    def quiz_history(self, limit: int = 50) -> list[dict[str, Any]]:
        """Recent quizzes, newest first, with their score."""
        rows = self.conn.execute(
            "SELECT q.id, q.started_at, q.finished_at, q.decks, q.planned, "
            "count(a.id), coalesce(sum(a.correct), 0) FROM quiz q "
            "LEFT JOIN quiz_answer a ON a.quiz_id = q.id GROUP BY q.id ORDER BY q.id DESC LIMIT ?",
            (limit,),
        ).fetchall()
        return [
            {
                "id": r[0],
                "started_at": r[1],
                "finished_at": r[2],
                "decks": json.loads(r[3]),
                "planned": r[4],
                "answered": r[5],
                "correct": r[6],
            }
            for r in rows
        ]

    def quiz_misses(self) -> dict[str, int]:
        """Per card: wrong quiz answers minus right ones (≥ 1 only), to weight weak cards up."""
        return {
            cid: n
            for cid, n in self.conn.execute(
                "SELECT card_id, sum(CASE correct WHEN 0 THEN 1 ELSE -1 END) AS n "
                "FROM quiz_answer GROUP BY card_id HAVING n > 0"
            )
        }

    def card_weakness(self) -> dict[str, tuple[int, float | None]]:
        """Per studied card: (lapses, stability), for weighting quiz draws."""
        return {
            cid: (lapses, stab)
            for cid, lapses, stab in self.conn.execute(
                "SELECT card_id, lapses, stability FROM card WHERE state != 0"
            )
        }

    # ------------------------------------------------------------------ interop (history)
    def logs_by_card(self, card_ids: Sequence[str]) -> dict[str, list[LogRow]]:
        """The review log of each card, oldest first (for rebuilding states on import)."""
        out: dict[str, list[LogRow]] = {cid: [] for cid in card_ids}
        for cid in card_ids:
            out[cid] = sorted(self.review_logs(cid), key=lambda lg: (lg.reviewed_at, lg.id))
        return out

    def apply_history(self, cards: Sequence[CardRow], logs: Sequence[LogRow]) -> int:
        """Imported reviews in one transaction: card states replaced, log rows with id 0
        inserted, existing log rows given their replayed states. Returns the rows inserted."""
        new = [
            (
                lg.card_id,
                lg.deck_id,
                lg.rating,
                lg.reviewed_at,
                lg.duration_ms,
                lg.state_before.to_json(),
                lg.state_after.to_json(),
                lg.origin,
            )
            for lg in logs
            if not lg.id
        ]
        replayed = [
            (lg.state_before.to_json(), lg.state_after.to_json(), lg.id) for lg in logs if lg.id
        ]
        with self.transaction() as conn:
            for row in cards:
                _upsert_card(conn, row)
            conn.executemany(
                "UPDATE review_log SET state_before = ?, state_after = ? WHERE id = ?", replayed
            )
            conn.executemany(
                "INSERT INTO review_log (card_id, deck_id, rating, reviewed_at, duration_ms, "
                "state_before, state_after, origin) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                new,
            )
        return len(new)

    @contextmanager
    def busy_timeout(self, seconds: float) -> Iterator[None]:
        """Wait at most `seconds` for another writer's lock inside this block."""
        old = int(self.conn.execute("PRAGMA busy_timeout").fetchone()[0])
        self.conn.execute(f"PRAGMA busy_timeout = {int(seconds * 1000)}")
        try:
            yield
        finally:
            self.conn.execute(f"PRAGMA busy_timeout = {old}")

    def quick_check(self, limit: int = 10) -> list[str]:
        """SQLite's `PRAGMA quick_check` (O(N), no index cross-check): [] when the file is sound,
        else up to `limit` problems. A damaged header raises DatabaseUnusable instead."""
        rows = [str(r[0]) for r in self.conn.execute(f"PRAGMA quick_check({int(limit)})")]
        return [] if rows == ["ok"] else rows


class StaleCard(StoreError):
    """The card changed in the database since the rating was computed from it."""

    def __init__(self, card_id: str, current: CardRow | None) -> None:
        super().__init__(f"{card_id} was changed by another window or process; rate it again")
        self.card_id = card_id
        self.current = current


class DatabaseMoved(StoreError):
    """The path no longer names the file we opened (deleted, moved, or replaced by a rename,
    as Syncthing and Dropbox do). Writing on would put reviews in a file nobody will open."""

    def __init__(self, message: str, rescued: Path | None) -> None:
        super().__init__(message)
        self.rescued = rescued


class DatabaseUnusable(StoreError, sqlite3.DatabaseError):
    """SQLite could not use the file (damaged, locked, read-only, disk full): a StoreError, so
    the CLI prints it and exits 3, and an sqlite3.Error, so callers that retry still catch it."""


class DatabaseBusy(DatabaseUnusable):
    """Another connection held the write lock for the whole busy timeout (worth a retry)."""


# SQLite's primary result codes that mean "this file cannot be used as it is" rather than a bug
# in our SQL; extended codes (SQLITE_READONLY_DBMOVED, ...) start with one of these names.
_UNUSABLE = (
    "SQLITE_CORRUPT",
    "SQLITE_NOTADB",
    "SQLITE_BUSY",
    "SQLITE_LOCKED",
    "SQLITE_READONLY",
    "SQLITE_CANTOPEN",
    "SQLITE_IOERR",
    "SQLITE_FULL",
    "SQLITE_PERM",
    "SQLITE_AUTH",
)


def _unusable(path: Path | str, exc: sqlite3.Error, *, opening: bool = False) -> StoreError:
    """A message that says what is wrong with the file and what to do about it."""
    name = str(getattr(exc, "sqlite_errorname", "") or "")
    text = str(exc)
    untouched = "It was left untouched" if opening else "Nothing more was written to it"
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "locked" in text:
        return DatabaseBusy(
            f"{path} is locked by another program ({text}; waited {BUSY_TIMEOUT_S:g} s). Close "
            "the other quizapp window or command that is writing to it and try again."
        )
    if name.startswith(("SQLITE_READONLY", "SQLITE_PERM", "SQLITE_AUTH")) or "readonly" in text:
        return DatabaseUnusable(
            f"{path} is read-only ({text}); quizapp needs to write your reviews to it. Make the "
            "file and its folder writable, or pick another file with --db or QUIZAPP_DB."
        )
    if name.startswith("SQLITE_CANTOPEN") or "unable to open" in text:
        return DatabaseUnusable(
            f"cannot open the database {path} ({text}). Check that it is a file and that its "
            "folder exists and is writable (SQLite creates -wal and -shm files next to it), or "
            "pick another file with --db or QUIZAPP_DB."
        )
    if name.startswith(("SQLITE_IOERR", "SQLITE_FULL")):
        return DatabaseUnusable(
            f"cannot read or write {path} ({text}): the disk may be full or failing. Free some "
            "space or pick another file with --db or QUIZAPP_DB."
        )
    return DatabaseUnusable(
        f"{path} is not a usable quizapp database ({text}). {untouched}; "
        "move it aside (keep a copy: `sqlite3 FILE .recover` may save the reviews) or pick "
        "another file with --db or QUIZAPP_DB."
    )


def _is_unusable(exc: sqlite3.Error) -> bool:
    name = str(getattr(exc, "sqlite_errorname", "") or "")
    if name:
        return name.startswith(_UNUSABLE)
    return isinstance(exc, sqlite3.DatabaseError) and not isinstance(
        exc, sqlite3.ProgrammingError | sqlite3.IntegrityError | sqlite3.InterfaceError
    )


class _Cursor(sqlite3.Cursor):
    """Turns "the file is damaged / locked / read-only" into a DatabaseUnusable error
    wherever it surfaces (rows are read lazily, so a damaged page can show up mid-iteration)."""

    def _fail(self, exc: sqlite3.Error) -> StoreError:
        conn = self.connection
        return _unusable(getattr(conn, "db_path", "the database"), exc)

    def execute(self, sql: str, parameters: Any = (), /) -> _Cursor:
        try:
            super().execute(sql, parameters)
        except sqlite3.Error as exc:
            if isinstance(exc, StoreError) or not _is_unusable(exc):
                raise
            raise self._fail(exc) from exc
        return self

    def executemany(self, sql: str, seq_of_parameters: Any, /) -> _Cursor:
        try:
            super().executemany(sql, seq_of_parameters)
        except sqlite3.Error as exc:
            if isinstance(exc, StoreError) or not _is_unusable(exc):
                raise
            raise self._fail(exc) from exc
        return self

    def fetchone(self) -> Any:
        try:
            return super().fetchone()
        except sqlite3.Error as exc:
            if isinstance(exc, StoreError) or not _is_unusable(exc):
                raise
            raise self._fail(exc) from exc

    def fetchmany(self, size: int | None = None) -> list[Any]:
        try:
            return super().fetchmany(self.arraysize if size is None else size)
        except sqlite3.Error as exc:
            if isinstance(exc, StoreError) or not _is_unusable(exc):
                raise
            raise self._fail(exc) from exc

    def fetchall(self) -> list[Any]:
        try:
            return super().fetchall()
        except sqlite3.Error as exc:
            if isinstance(exc, StoreError) or not _is_unusable(exc):
                raise
            raise self._fail(exc) from exc

    def __next__(self) -> Any:
        try:
            return super().__next__()
        except sqlite3.Error as exc:
            if isinstance(exc, StoreError) or not _is_unusable(exc):
                raise
            raise self._fail(exc) from exc


class _Connection(sqlite3.Connection):
    db_path: Path | str = "the database"

    def cursor(self, factory: Any = None) -> Any:
        return super().cursor(factory or _Cursor)

    def execute(self, sql: str, parameters: Any = (), /) -> Any:
        return self.cursor().execute(sql, parameters)

    def executemany(self, sql: str, seq_of_parameters: Any, /) -> Any:
        return self.cursor().executemany(sql, seq_of_parameters)


def _check_writable(path: Path) -> None:
    """Refuse a read-only file or folder up front, with a message that says which one."""
    if str(path) == ":memory:" or str(path).startswith("file:"):
        return
    if path.exists() and not os.access(path, os.W_OK):
        raise StoreError(
            f"{path} is read-only; quizapp needs to write your reviews to it. It was left "
            "untouched. Make it writable (chmod u+w) or pick another file with --db or QUIZAPP_DB."
        )
    folder = path.parent if str(path.parent) else Path(".")
    if folder.is_dir() and not os.access(folder, os.W_OK | os.X_OK):
        raise StoreError(
            f"the folder {folder} is read-only; SQLite needs to create {path.name}-wal and "
            f"{path.name}-shm next to {path.name}. Make the folder writable or pick another "
            "file with --db or QUIZAPP_DB."
        )


_MISSING = (-1, -1)


def _file_identity(path: Path) -> tuple[int, int] | None:
    """(device, inode) of the file at `path`; None for in-memory databases (nothing to check)."""
    if str(path) == ":memory:" or str(path).startswith("file:"):
        return None
    try:
        st = os.stat(path)
    except OSError:
        return _MISSING
    return (st.st_dev, st.st_ino)


def _open_file_name(identity: tuple[int, int]) -> str | None:
    """Where the file we still hold open is now (Linux /proc), or None if unknown."""
    fd_dir = Path("/proc/self/fd")
    try:
        fds = list(fd_dir.iterdir())
    except OSError:
        return None
    for fd in fds:
        try:
            st = os.stat(fd)
            if (st.st_dev, st.st_ino) == identity:
                return os.readlink(fd)
        except OSError:
            continue
    return None


def _moved(store: Store) -> DatabaseMoved:
    """Copy the open database (SQLite's online backup API reads it through the open file, so it
    works after a delete too) next to the old path, and say where everything is."""
    import time

    path = store.path
    assert store.identity is not None
    now_at = _file_identity(path)
    where = _open_file_name(store.identity)
    deleted = where is None or where.endswith(" (deleted)")
    if now_at == _MISSING:
        what = f"{path} was deleted or moved away while quizapp was running"
    else:
        what = (
            f"{path} was replaced by another file while quizapp was running (a sync tool, a "
            "restore or a copy put a new file under that name)"
        )
    if not deleted:
        what += f"; the file quizapp had open is now {where}"
    stamp = time.strftime("%Y%m%d-%H%M%S")
    rescued: Path | None = None
    error = ""
    for folder in (path.parent, Path.home()):
        target = folder / f"{path.stem}.rescued-{stamp}{path.suffix or '.db'}"
        tmp = target.with_name(target.name + ".tmp")
        try:
            dst = sqlite3.connect(tmp)
            try:
                sqlite3.Connection.backup(store.conn, dst)
            finally:
                dst.close()
            os.replace(tmp, target)
            rescued = target
            break
        except (OSError, sqlite3.Error) as exc:
            error = str(exc)
            tmp.unlink(missing_ok=True)
    # Put the WAL's commits into the file we had open (wherever it is now) and empty the -wal
    # left under the old name: SQLite would otherwise apply those pages to the new file there.
    with contextlib.suppress(sqlite3.Error):
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
    if rescued is not None:
        saved = (
            f"Everything saved up to now was copied to {rescued}. Quit quizapp, then either "
            f"move that copy to {path} or start with --db {rescued}"
        )
        if now_at != _MISSING:
            saved += f" (the new {path} was not touched and nothing was merged)"
    else:
        place = where if not deleted else "the deleted file"
        saved = f"Copying it failed ({error}); quit quizapp now so SQLite finishes writing {place}"
    return DatabaseMoved(f"{what}. quizapp stopped writing to it. {saved}.", rescued)


def _upsert_card(conn: sqlite3.Connection, row: CardRow) -> None:
    conn.execute(CARD_UPSERT, tuple(row.__dict__.values()))


def _split_sql(script: str) -> list[str]:
    """Statements of a migration; a `;` inside a trigger body does not end its statement."""
    out: list[str] = []
    pending = ""
    for piece in script.split(";"):
        pending += piece + ";"
        if sqlite3.complete_statement(pending):
            if pending.strip(" \n;"):
                out.append(pending.strip().rstrip(";").strip())
            pending = ""
    if pending.strip(" \n;"):
        out.append(pending.strip().rstrip(";").strip())
    return out


def _now_ms() -> int:
    import time

    return int(time.time() * 1000)


def _check_header(path: Path) -> None:
    """Refuse a non-empty file that is not SQLite before sqlite3 touches it."""
    try:
        if not path.exists() or path.stat().st_size == 0:
            return
        if path.is_dir():
            raise StoreError(f"{path} is a directory; --db needs a file path")
        with path.open("rb") as fh:
            head = fh.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise StoreError(f"cannot read database {path}: {exc}") from exc
    if head != SQLITE_HEADER:
        raise StoreError(
            f"{path} is not an SQLite database; it was left untouched. "
            "Pick another file with --db or QUIZAPP_DB."
        )
