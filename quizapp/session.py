"""A study session: the store, the decks and the scheduler together, for the CLI and the TUI.

This is the one place that knows how a rating flows: preview the four outcomes, commit the
chosen one in one transaction, and undo it exactly.

It is also the one guarded path for writes (`Session.write`): the UI calls it for every write
so a locked, full, damaged or moved database becomes a `WriteFailed` that says what failed and
what to do, and the screen that called it keeps what the user typed for a retry. A rating is a
compare-and-swap: if another window changed the card since it was shown, the same rating is
recomputed from the card's current state, never from the stale copy.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

from quizapp import paths
from quizapp.catalog import Catalog, load_catalog
from quizapp.errors import QuizappError, StoreError
from quizapp.scheduling import (
    Counts,
    Outcome,
    Queue,
    Settings,
    build_queue,
    home_counts,
    preview,
    to_ms,
    utcnow,
)
from quizapp.store import CardRow, DatabaseBusy, DatabaseMoved, StaleCard, Store

T = TypeVar("T")

# How often a rating is recomputed when other windows keep changing the card under it.
_CAS_ATTEMPTS = 5


class WriteFailed(StoreError):
    """A write did not happen. `stopped` means no further write will work in this run (the
    file was moved or replaced): the message says where the data is."""

    def __init__(self, message: str, *, stopped: bool = False, busy: bool = False) -> None:
        super().__init__(message)
        self.stopped = stopped
        self.busy = busy  # another writer held the lock: the same write may succeed later


@dataclass
class Rated:
    """What undo needs: the log row and the card as it was."""

    log_id: int
    before: CardRow
    after: CardRow
    rating: int
    recomputed: bool = False  # the card had changed elsewhere: scheduled from its current state


@dataclass
class Session:
    store: Store
    catalog: Catalog
    settings: Settings
    _scheduler: Any = field(default=None, repr=False)
    # Set by open_session when the start-up check passed: close() records the file as sound.
    checked_clean: bool = False
    cache_dir: Path | None = None

    @property
    def scheduler(self) -> Any:
        if self._scheduler is None:
            self._scheduler = self.settings.scheduler()
        return self._scheduler

    def reload_settings(self) -> None:
        self.settings = Settings.from_store(self.store)
        self._scheduler = None

    def home_counts(self, now: datetime | None = None) -> Counts:
        deck_ids = [d.id for d in self.catalog.decks]
        return home_counts(self.store, self.settings, now or utcnow(), deck_ids)

    def queue(self, deck_ids: list[str] | None = None, now: datetime | None = None) -> Queue:
        decks = deck_ids or [d.id for d in self.catalog.decks]  # the decks' order, known here
        return build_queue(self.store, self.settings, now or utcnow(), decks)

    def preview(self, row: CardRow, now: datetime) -> dict[int, Outcome]:
        outcomes = preview(self.scheduler, row, now, self.settings.leech_threshold)
        if self.settings.interview_date and self.settings.follow_plan:
            from quizapp.planning import checkin_outcomes

            outcomes = checkin_outcomes(self.settings, outcomes, now)
        return outcomes

    def rate(
        self,
        before: CardRow,
        outcome: Outcome,
        now: datetime,
        duration_ms: int | None,
        origin: str = "review",
        answer_check: str | None = None,
    ) -> Rated:
        """Commit `outcome` if the stored card is still `before`; otherwise rate the card's
        current state with the same rating (the user's recall is about the card, not about
        the copy on screen). Raises StaleCard if the card is gone or keeps changing."""
        recomputed = False
        for _ in range(_CAS_ATTEMPTS):
            try:
                log_id = self.store.record_review(
                    before,
                    outcome.after,
                    rating=outcome.rating,
                    reviewed_at=to_ms(now),
                    duration_ms=duration_ms,
                    origin=origin,
                    check=True,
                    answer_check=answer_check,
                )
            except StaleCard as stale:
                if stale.current is None:
                    raise
                before = stale.current
                outcome = self.preview(before, now)[outcome.rating]
                recomputed = True
                continue
            return Rated(log_id, before, outcome.after, outcome.rating, recomputed)
        raise StaleCard(before.card_id, None)

    def write(self, what: str, fn: Callable[[], T]) -> T:
        """Run one write through the guarded path (see `guard_write`)."""
        return guard_write(what, fn)

    def read(self, what: str, fn: Callable[[], T]) -> T:
        return guard_read(what, fn)

    def undo(self, rated: Rated) -> CardRow | None:
        return self.store.undo_review(rated.log_id)

    def close(self) -> None:
        self.store.close()
        if self.checked_clean:
            from quizapp import health

            health.remember_clean(self.store.path, self.cache_dir)


def guard_write(what: str, fn: Callable[[], T]) -> T:
    """Run one write (`what` completes "Could not ..."). Every failure becomes WriteFailed
    with what to do; nothing half-done is left (each store write is one transaction)."""
    try:
        return fn()
    except WriteFailed:
        raise
    except DatabaseMoved as exc:
        raise WriteFailed(f"Could not {what}: {exc}", stopped=True) from exc
    except StaleCard as exc:
        raise WriteFailed(f"Could not {what}: {exc}.") from exc
    except (sqlite3.Error, QuizappError, OSError) as exc:
        hint = "" if isinstance(exc, StoreError) else " Try again; if it keeps failing, quit."
        busy = isinstance(exc, DatabaseBusy)
        raise WriteFailed(f"Could not {what}: {exc}{hint}", busy=busy) from exc


def guard_read(what: str, fn: Callable[[], T]) -> T:
    """A read that may hit a damaged page: the same kind of message as `guard_write`."""
    try:
        return fn()
    except (sqlite3.Error, QuizappError) as exc:
        raise WriteFailed(f"Could not {what}: {exc}") from exc


def open_session(
    db_path: Path | None = None,
    *,
    deck_dirs: list[Path] | None = None,
    cache_dir: Path | None = None,
    environ: dict[str, str] | None = None,
) -> Session:
    """Open the store, check it if it changed since the last clean run, load the decks
    (cached), and make the card table match them."""
    from quizapp import health

    store = Store.open(paths.resolve_db_path(db_path, environ))
    cache = cache_dir if cache_dir is not None else paths.cache_dir()
    try:
        clean = health.startup_check(store, cache)
        catalog = load_catalog(deck_dirs, cache)
        store.sync_cards(catalog.fingerprint, catalog.sync_rows())
        settings = Settings.from_store(store)
    except BaseException:
        store.close()
        raise
    return Session(store, catalog, settings, checked_clean=clean, cache_dir=cache)
