"""A study session: the store, the decks and the scheduler together, for the CLI and the TUI.

This is the one place that knows how a rating flows: preview the four outcomes, commit the
chosen one in one transaction, and undo it exactly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from quizapp import paths
from quizapp.catalog import Catalog, load_catalog
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
from quizapp.store import CardRow, Store


@dataclass
class Rated:
    """What undo needs: the log row and the card as it was."""

    log_id: int
    before: CardRow
    after: CardRow
    rating: int


@dataclass
class Session:
    store: Store
    catalog: Catalog
    settings: Settings
    _scheduler: Any = field(default=None, repr=False)

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
        return preview(self.scheduler, row, now, self.settings.leech_threshold)

    def rate(
        self,
        before: CardRow,
        outcome: Outcome,
        now: datetime,
        duration_ms: int | None,
        origin: str = "review",
        answer_check: str | None = None,
    ) -> Rated:
        log_id = self.store.record_review(
            before,
            outcome.after,
            rating=outcome.rating,
            reviewed_at=to_ms(now),
            duration_ms=duration_ms,
            origin=origin,
            answer_check=answer_check,
        )
        return Rated(log_id, before, outcome.after, outcome.rating)

    def undo(self, rated: Rated) -> CardRow | None:
        return self.store.undo_review(rated.log_id)

    def close(self) -> None:
        self.store.close()


def open_session(
    db_path: Path | None = None,
    *,
    deck_dirs: list[Path] | None = None,
    cache_dir: Path | None = None,
    environ: dict[str, str] | None = None,
) -> Session:
    """Open the store, load the decks (cached), and make the card table match them."""
    store = Store.open(paths.resolve_db_path(db_path, environ))
    try:
        catalog = load_catalog(deck_dirs, cache_dir if cache_dir is not None else paths.cache_dir())
        store.sync_cards(catalog.fingerprint, catalog.sync_rows())
        settings = Settings.from_store(store)
    except BaseException:
        store.close()
        raise
    return Session(store, catalog, settings)
