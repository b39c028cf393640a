"""The class server on PostgreSQL (psycopg 3): every learner's rows, versioned schema, report.

Why it works this way:
- psycopg is imported inside `PgServer.connect` (the `postgres` extra; ~60 ms), so nothing
  else in quizapp pays for it or needs it installed.
- Rows are append-only and keyed by (learner, device, seq): a push inserts only the rows the
  server lacks, in one transaction per batch, so re-sending a batch (after a kill) changes
  nothing; a fresh batch is COPied straight in (see `PgServer.push`).
- Each push also folds the rows it really inserted into `learner_card` (per learner and card:
  review counts and the latest state), in the same transaction, so the class report reads a
  few hundred rows per learner instead of their whole history.
- The schema is versioned like the local one: `quizapp_schema.version`, migrations applied
  under `pg_advisory_xact_lock` so two first syncs cannot race; a newer server is refused.
- Every psycopg error becomes a `SyncError` that names the server without its password.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from quizapp.sync import COLUMNS, TABLES, SyncError

_LOCK_ID = 0x5155_5A41  # "QUZA": the advisory lock around migrations

SERVER_MIGRATIONS: tuple[str, ...] = (
    # 0 -> 1
    """
    CREATE TABLE review_log (
        learner text NOT NULL, device text NOT NULL, seq bigint NOT NULL,
        card_id text NOT NULL, deck_id text NOT NULL,
        rating smallint NOT NULL CHECK (rating BETWEEN 1 AND 4),
        reviewed_at bigint NOT NULL, duration_ms bigint,
        state_before jsonb NOT NULL, state_after jsonb NOT NULL, origin text NOT NULL,
        PRIMARY KEY (learner, device, seq)
    );
    CREATE TABLE quiz_answer (
        learner text NOT NULL, device text NOT NULL, seq bigint NOT NULL,
        quiz_device text NOT NULL, quiz_seq bigint NOT NULL, quiz_started_at bigint NOT NULL,
        quiz_finished_at bigint, quiz_decks text NOT NULL, quiz_planned integer NOT NULL,
        quiz_time_limit_s integer,
        card_id text NOT NULL, deck_id text NOT NULL, card_type text NOT NULL,
        correct integer NOT NULL, given text, answered_at bigint NOT NULL, duration_ms bigint,
        PRIMARY KEY (learner, device, seq)
    );
    CREATE TABLE code_attempt (
        learner text NOT NULL, device text NOT NULL, seq bigint NOT NULL,
        task_id text NOT NULL, code text NOT NULL, verdict text NOT NULL,
        passed integer NOT NULL, duration_s double precision NOT NULL, report text NOT NULL,
        created_at bigint NOT NULL,
        PRIMARY KEY (learner, device, seq)
    );
    CREATE INDEX code_attempt_passed ON code_attempt (learner, task_id) WHERE passed = 1;
    CREATE TABLE learner_card (
        learner text NOT NULL, card_id text NOT NULL, deck_id text NOT NULL,
        reviews bigint NOT NULL, agains bigint NOT NULL,
        review_total bigint NOT NULL, review_passed bigint NOT NULL,
        last_at bigint NOT NULL, state_after jsonb NOT NULL,
        PRIMARY KEY (learner, card_id)
    );
    """,
    # 1 -> 2: what the answer check said about a review, and quiz answers counted as right by
    # the user (local schema: review_log.answer_check, quiz_answer.overridden)
    """
    ALTER TABLE review_log ADD COLUMN answer_check text
        CHECK (answer_check IN ('right', 'wrong', 'overridden'));
    ALTER TABLE quiz_answer ADD COLUMN overridden integer NOT NULL DEFAULT 0;
    """,
)
SERVER_SCHEMA_VERSION = len(SERVER_MIGRATIONS)


def describe_dsn(dsn: str) -> str:
    """`host:port/dbname` without user or password, for messages."""
    try:
        from psycopg.conninfo import conninfo_to_dict

        parts = conninfo_to_dict(dsn)
    except Exception:
        return "the sync server (unparsable URL)"
    host = parts.get("host") or "localhost"
    port = parts.get("port") or 5432
    return f"{host}:{port}/{parts.get('dbname') or ''}"


class PgServer:
    """One connection to the class database. Use `PgServer.connect(dsn)`."""

    def __init__(self, conn: Any, where: str) -> None:
        self.conn = conn
        self.where = where
        self._snapshot: Any = None  # the report's cursor while `snapshot()` is open

    @classmethod
    def connect(cls, dsn: str, *, migrate: bool = True, timeout_s: int = 5) -> PgServer:
        try:
            import psycopg  # ~60 ms; the `postgres` extra
        except ModuleNotFoundError as exc:
            raise SyncError(
                "sync needs the postgres extra (psycopg is missing): pip install "
                "'quizapp[postgres]'"
            ) from exc
        where = describe_dsn(dsn)
        try:
            conn = psycopg.connect(dsn, autocommit=True, connect_timeout=timeout_s)
        except psycopg.Error as exc:
            raise SyncError(
                f"cannot reach the sync server {where}: {_first_line(exc)}. Nothing was "
                "changed; your local data is untouched. Check the URL and that the server "
                "is up, then sync again."
            ) from exc
        server = cls(conn, where)
        try:
            server._check_and_migrate(migrate)
        except BaseException:
            conn.close()
            raise
        return server

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> PgServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[Any]:
        import psycopg

        try:
            with self.conn.transaction(), self.conn.cursor() as cur:
                yield cur
        except psycopg.Error as exc:
            raise SyncError(
                f"the sync server {self.where} failed: {_first_line(exc)}. That batch was "
                "rolled back; sync again to resume."
            ) from exc

    def schema_version(self) -> int:
        with self.transaction() as cur:
            cur.execute("SELECT to_regclass('quizapp_schema') IS NOT NULL")
            if not cur.fetchone()[0]:
                return 0
            cur.execute("SELECT version FROM quizapp_schema")
            row = cur.fetchone()
            return int(row[0]) if row else 0

    def _check_and_migrate(self, migrate: bool) -> None:
        version = self.schema_version()
        if version > SERVER_SCHEMA_VERSION:
            raise SyncError(
                f"the sync server {self.where} has schema {version}; this quizapp knows "
                f"{SERVER_SCHEMA_VERSION}. Upgrade quizapp."
            )
        if version == SERVER_SCHEMA_VERSION or not migrate:
            return
        with self.transaction() as cur:
            cur.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK_ID,))
            cur.execute("CREATE TABLE IF NOT EXISTS quizapp_schema (version integer NOT NULL)")
            cur.execute("SELECT version FROM quizapp_schema")
            row = cur.fetchone()
            if row is None:
                cur.execute("INSERT INTO quizapp_schema VALUES (0)")
                version = 0
            else:
                version = int(row[0])
            while version < SERVER_SCHEMA_VERSION:
                cur.execute(SERVER_MIGRATIONS[version])
                version += 1
            cur.execute("UPDATE quizapp_schema SET version = %s", (version,))

    # ------------------------------------------------------------------ sync protocol
    def max_seq(self, learner: str, device: str) -> dict[str, int]:
        out: dict[str, int] = {}
        with self.transaction() as cur:
            for table in TABLES:
                cur.execute(
                    f"SELECT coalesce(max(seq), 0) FROM {table} WHERE learner = %s AND device = %s",
                    (learner, device),
                )
                out[table] = int(cur.fetchone()[0])
        return out

    def push(self, learner: str, device: str, table: str, rows: Sequence[tuple[Any, ...]]) -> int:
        """Insert (seq, *columns) rows of one device in one transaction; return how many were
        new. Re-sending rows the server has is a no-op.

        Pushes of one device take turns (an advisory lock on learner + device). Under it, a
        batch whose seqs are all above the server's highest for that device (every batch but
        one re-sent after a kill) is COPied straight into the table; otherwise it goes through
        a temporary table minus the rows already there. Either way `learner_card` is folded
        from exactly the rows inserted, in the same transaction."""
        if table not in COLUMNS:
            raise ValueError(table)
        if not rows:
            return 0
        cols = ", ".join(("learner", "device", "seq", *COLUMNS[table]))
        lo, hi = min(int(r[0]) for r in rows), max(int(r[0]) for r in rows)
        key = {"l": learner, "d": device, "lo": lo, "hi": hi}
        with self.transaction() as cur:
            # The fold sorts a batch: in memory, not spilled to disk (the default is 4 MB).
            cur.execute("SET LOCAL work_mem = '64MB'")
            cur.execute(
                "SELECT pg_advisory_xact_lock(%s, hashtext(%s))", (_LOCK_ID, f"{learner}/{device}")
            )
            cur.execute(
                f"SELECT coalesce(max(seq), 0) FROM {table} WHERE learner = %s AND device = %s",
                (learner, device),
            )
            if lo > int(cur.fetchone()[0]):
                with cur.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row((learner, device, *row))
                inserted = len(rows)
                source = (
                    f"(SELECT * FROM {table} WHERE learner = %(l)s AND device = %(d)s "
                    "AND seq BETWEEN %(lo)s AND %(hi)s)"
                )
            else:
                cur.execute(
                    f"CREATE TEMP TABLE IF NOT EXISTS incoming_{table} "
                    f"(LIKE {table}) ON COMMIT DELETE ROWS"
                )
                with cur.copy(f"COPY incoming_{table} ({cols}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row((learner, device, *row))
                cur.execute(
                    f"DELETE FROM incoming_{table} i USING {table} t WHERE t.learner = i.learner "
                    "AND t.device = i.device AND t.seq = i.seq"
                )
                cur.execute(
                    f"INSERT INTO {table} ({cols}) SELECT DISTINCT ON (seq) {cols} "
                    f"FROM incoming_{table} ORDER BY seq"
                )
                inserted = int(cur.rowcount)
                source = (
                    f"(SELECT * FROM {table} WHERE learner = %(l)s AND device = %(d)s "
                    f"AND seq IN (SELECT seq FROM incoming_{table}))"
                )
            if table == "review_log" and inserted:
                cur.execute(_FOLD_SQL.format(source=source), key)
            return inserted

    def pull(
        self, learner: str, device: str, table: str, known: dict[str, int], limit: int
    ) -> list[tuple[Any, ...]]:
        """Rows of this learner's other devices above what we hold: (device, seq, *columns)."""
        if table not in COLUMNS:
            raise ValueError(table)
        # jsonb leaves as text: the local store keeps JSON text, no parse + dump round trip
        cols = ", ".join(
            f"r.{c}::text" if c in ("state_before", "state_after") else f"r.{c}"
            for c in COLUMNS[table]
        )
        out: list[tuple[Any, ...]] = []
        with self.transaction() as cur:
            # Device by device, each an index range on (learner, device, seq): one query over
            # all devices had to sort the learner's whole history for every page (~0.6 s per
            # page at 100,000 rows; a range read is ~20 ms).
            for other in self._devices(cur, table, learner):
                if other == device:
                    continue
                cur.execute(
                    f"SELECT r.device, r.seq, {cols} FROM {table} r WHERE r.learner = %s "
                    "AND r.device = %s AND r.seq > %s ORDER BY r.seq LIMIT %s",
                    (learner, other, known.get(other, 0), limit - len(out)),
                )
                out.extend(tuple(r) for r in cur.fetchall())
                if len(out) >= limit:
                    break
        return out

    @staticmethod
    def _devices(cur: Any, table: str, learner: str) -> list[str]:
        """The learner's devices in `table`, in order: a skip scan of the primary key (one
        index probe per device, not a read of every row)."""
        cur.execute(
            f"""
            WITH RECURSIVE d (device) AS (
                SELECT min(device) FROM {table} WHERE learner = %(l)s
                UNION ALL
                SELECT (SELECT min(device) FROM {table} WHERE learner = %(l)s
                        AND device > d.device)
                FROM d WHERE d.device IS NOT NULL
            )
            SELECT device FROM d WHERE device IS NOT NULL
            """,
            {"l": learner},
        )
        return [r[0] for r in cur.fetchall()]

    # ------------------------------------------------------------------ class report
    # One query per section of the report, each aggregated here, not per learner: the
    # client gets learners x topics rows, not learners x cards.
    def learner_totals(self) -> list[tuple[str, int, int, int]]:
        """Per learner: reviews, reviews of cards in Review, and of those the ones passed."""
        return self._rows(
            "SELECT learner, sum(reviews)::bigint, sum(review_total)::bigint, "
            "sum(review_passed)::bigint FROM learner_card GROUP BY learner ORDER BY learner"
        )

    def learner_topics(self, now_ms: int, decay: float) -> list[tuple[str, str, float, int]]:
        """Per learner and topic: the sum of FSRS retrievability now over the cards studied
        (the curve of `classroom.retrievability`, in whole elapsed days) and how many."""
        return self._rows(
            f"""
            SELECT learner, deck_id, coalesce(sum(CASE
                       WHEN state > 0 AND stability > 0 AND last_review IS NOT NULL
                       THEN power(1 + %(factor)s * greatest(0, (%(now)s - last_review)
                                  / 86400000) / stability, -%(decay)s)
                       ELSE 0 END), 0)::float8,
                   count(*)::bigint
            FROM ({_LEARNER_CARD_STATE}) c
            GROUP BY learner, deck_id ORDER BY learner, deck_id
            """,
            {"factor": 0.9 ** (1 / -decay) - 1, "now": now_ms, "decay": decay},
        )

    def topic_cards(self) -> dict[str, int]:
        """Per topic: how many of its cards anyone in the class studied."""
        return {
            d: int(n)
            for d, n in self._rows(
                "SELECT deck_id, count(*) FROM (SELECT deck_id, card_id FROM learner_card "
                "GROUP BY deck_id, card_id) studied GROUP BY deck_id"  # hashed, not sorted
            )
        }

    def weakest_cards(self, min_reviews: int, top: int) -> list[tuple[str, str, int, float]]:
        """Per topic, the `top` cards with the most Again per review across the class (at
        least `min_reviews` reviews, at least one Again): (topic, card, reviews, again rate),
        worst first, ties by more reviews, then card id."""
        return self._rows(
            """
            SELECT deck_id, card_id, reviews, rate::float8 FROM (
                SELECT deck_id, card_id, reviews, rate, row_number() OVER (
                    PARTITION BY deck_id ORDER BY rate DESC, reviews DESC, card_id) AS n
                FROM (SELECT deck_id, card_id, sum(reviews)::bigint AS reviews,
                             round(sum(agains)::numeric / sum(reviews), 4) AS rate
                      FROM learner_card GROUP BY deck_id, card_id
                      HAVING sum(reviews) >= %(min)s AND sum(agains) > 0) per_card
            ) ranked WHERE n <= %(top)s ORDER BY deck_id, n
            """,
            {"min": min_reviews, "top": top},
        )

    def tasks_passed(self) -> dict[str, int]:
        return {
            r[0]: int(r[1])
            for r in self._rows(
                "SELECT learner, count(DISTINCT task_id) FROM code_attempt WHERE passed = 1 "
                "GROUP BY learner"
            )
        }

    def learners(self) -> list[str]:
        """Everyone with a row anywhere: a skip scan of each table's primary key (one probe
        per learner, not a read of every quiz answer)."""
        found: set[str] = set()
        for table in ("learner_card", *TABLES):
            found.update(
                r[0]
                for r in self._rows(
                    f"""
                    WITH RECURSIVE l (learner) AS (
                        SELECT min(learner) FROM {table}
                        UNION ALL
                        SELECT (SELECT min(learner) FROM {table} WHERE learner > l.learner)
                        FROM l WHERE l.learner IS NOT NULL
                    )
                    SELECT learner FROM l WHERE learner IS NOT NULL
                    """
                )
            )
        return sorted(found)

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """Run the report's queries in one read-only transaction: every section sees the same
        pushes (REPEATABLE READ), and one BEGIN/COMMIT instead of one per query."""
        with self.transaction() as cur:
            cur.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cur.execute("SET LOCAL work_mem = '64MB'")
            self._snapshot = cur
            try:
                yield
            finally:
                self._snapshot = None

    def _rows(self, sql: str, args: Any = None) -> list[Any]:
        if self._snapshot is not None:
            self._snapshot.execute(sql, args)
            return [tuple(r) for r in self._snapshot.fetchall()]
        with self.transaction() as cur:
            cur.execute(sql, args)
            return [tuple(r) for r in cur.fetchall()]


# Fold newly inserted review rows (`source`) into learner_card: per card the counts, and the
# latest state (by time, then seq); only narrow tuples are sorted, the state is joined back.
_FOLD_SQL = """
    WITH per_card AS (
        SELECT learner, card_id, count(*) AS reviews,
               count(*) FILTER (WHERE rating = 1) AS agains,
               count(*) FILTER (WHERE (state_before->>'state') = '2') AS rt,
               count(*) FILTER (WHERE (state_before->>'state') = '2' AND rating > 1) AS rp,
               max(reviewed_at) AS last_at,
               (array_agg(seq ORDER BY reviewed_at DESC, seq DESC))[1] AS last_seq,
               (array_agg(device ORDER BY reviewed_at DESC, seq DESC))[1] AS last_device
        FROM {source} s GROUP BY learner, card_id
    )
    INSERT INTO learner_card AS lc
    SELECT p.learner, p.card_id, r.deck_id, p.reviews, p.agains, p.rt, p.rp, p.last_at,
           r.state_after
    FROM per_card p JOIN review_log r
      ON r.learner = p.learner AND r.device = p.last_device AND r.seq = p.last_seq
    ON CONFLICT (learner, card_id) DO UPDATE SET
        reviews = lc.reviews + excluded.reviews,
        agains = lc.agains + excluded.agains,
        review_total = lc.review_total + excluded.review_total,
        review_passed = lc.review_passed + excluded.review_passed,
        deck_id = CASE WHEN excluded.last_at >= lc.last_at
                       THEN excluded.deck_id ELSE lc.deck_id END,
        state_after = CASE WHEN excluded.last_at >= lc.last_at
                           THEN excluded.state_after ELSE lc.state_after END,
        last_at = greatest(lc.last_at, excluded.last_at)
"""

_LEARNER_CARD_STATE = """
    SELECT learner, deck_id, (state_after->>'state')::int AS state,
           (state_after->>'stability')::float8 AS stability,
           (state_after->>'last_review')::bigint AS last_review
    FROM learner_card
"""


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__
