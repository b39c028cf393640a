"""`quizapp stats [--json]`: where the user stands, as text or as one JSON object.

JSON schema (schema 1; fields are only ever added):

    {
      "schema": 1,
      "generated_at": "2026-11-23T17:00:00Z",      # UTC
      "day": "2026-11-23",                          # today's local study day
      "rollover_hour": 4,
      "today": {"new": int, "learning": int, "review": int, "again": int, "cards": int,
                "time_ms": int, "total": int},      # by the card's state before the rating
      "streak_days": int,
      "heatmap": [{"day": "YYYY-MM-DD", "reviews": int}, ...],   # 365 days, oldest first
      "retention": {                                # true retention: ratings > 1 of cards in
        "all":   {"passed": int, "total": int, "rate": float | null},  # Review before rating
        "month": {...same...},                      # the last 30 study days
        "decks": {"<deck id>": {"all": {...}, "month": {...}}, ...}
      },
      "forecast": [{"day": "YYYY-MM-DD", "due": int}, ...],    # 30 days; [0] has the overdue
      "mastery": {                                  # mean FSRS retrievability of studied cards
        "decks": {"<deck id>": {"cards": int, "studied": int, "retrievability": float | null}},
        "tags":  {"<tag>": {...same...}}            # weakest first; `note:` tags left out
      },
      "quiz_history": [{"id": int, "started_at": ms, "finished_at": ms | null,
                        "decks": [deck id, ...] ([] = all), "planned": int, "answered": int,
                        "correct": int, "score": float | null}, ...],   # newest first
      "leeches": [{"card_id": str, "deck_id": str, "lapses": int, "suspended": bool}, ...],
      "coding": {"total": int, "tried": int, "passed": int, "first_try": int,
                 "failing": [task id, ...], "untried": [task id, ...]}
    }
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from quizapp.cli.env import Environment, ExitStatus


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "stats", help="today, retention, forecast, mastery, coding progress"
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, env: Environment) -> int:
    from quizapp.scheduling import utcnow

    stats = _compute_from_layout(env, utcnow())
    if stats is None:
        stats = _compute(env, utcnow())
    if args.json:
        from quizapp.stats import to_json

        json.dump(to_json(stats), env.stdout, indent=2, ensure_ascii=False)
        env.stdout.write("\n")
    else:
        env.console().print(render_text(stats))
    env.fast_exit = True  # the store is closed: skip the teardown of ~100k-element lists
    return ExitStatus.OK


def _compute(env: Environment, now: Any) -> Any:
    """Through a whole session (the decks loaded, the store synced with them); keeps the
    decks' layout for the next run."""
    from quizapp.session import open_session
    from quizapp.stats import compute

    session = open_session(env.db_path, environ=env.environ)
    try:
        return compute(
            session.store,
            session.catalog,
            session.settings,
            now,
            scheduler=session.scheduler,
            cache_dir=session.cache_dir,
        )
    finally:
        session.close()


def _compute_from_layout(env: Environment, now: Any) -> Any:
    """The stats without loading the decks (~150 ms at 100,000 cards): when the store was
    last synced with the deck files as they are now and their layout is cached, that layout
    is all the stats need (quizapp/deck_layout.py). None: take the whole session."""
    from quizapp import deck_layout, health, paths
    from quizapp.catalog import fingerprint_of
    from quizapp.scheduling import Settings
    from quizapp.stats import compute
    from quizapp.store import Store

    cache = paths.cache_dir()
    fingerprint = fingerprint_of(None)
    catalog = deck_layout.read_cache(cache, fingerprint)
    if catalog is None:
        return None
    store = Store.open(paths.resolve_db_path(env.db_path, env.environ))
    clean = False
    try:
        clean = health.startup_check(store, cache)  # as open_session
        if store.get_setting("decks_fingerprint") != fingerprint:
            return None  # the decks changed: the session syncs the store with them
        settings = Settings.from_store(store)
        try:
            return compute(store, catalog, settings, now)
        except deck_layout.StaleLayout:  # another deck set synced meanwhile
            return None
    finally:
        store.close()
        if clean:
            health.remember_clean(store.path, cache)


def _pct(rate: float | None) -> str:
    return "—" if rate is None else f"{rate:.0%}"


def _minutes(ms: int) -> str:
    minutes = ms / 60_000
    return f"{minutes:.0f} min" if minutes >= 1 or ms == 0 else "<1 min"


def render_text(stats: Any) -> Any:
    """A rich renderable of the stats, shared by nothing else so it can stay plain."""
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    from quizapp.wording import plural

    t = stats.today
    parts: list[Any] = [
        Text.from_markup(
            f"[b]Today[/b] ({stats.day.isoformat()}): {plural(t.total, 'rating')} on "
            f"{plural(t.cards, 'card')} in "
            f"{_minutes(t.time_ms)} — {t.new} new · {t.learning} learning · {t.review} review · "
            f"{t.again} again. Streak: {plural(stats.streak, 'day')}."
        ),
        Text(""),
    ]
    week = sum(d.reviews for d in stats.heatmap[-7:])
    year = sum(d.reviews for d in stats.heatmap)
    active = sum(1 for d in stats.heatmap if d.reviews)
    parts.append(
        Text.from_markup(
            f"[b]Reviews[/b]: {week} in the last 7 days, {year} in the last "
            f"{len(stats.heatmap)} days ({plural(active, 'day')} studied)."
        )
    )
    f = stats.forecast
    parts.append(
        Text.from_markup(
            f"[b]Due[/b]: {f[0] if f else 0} today, {f[1] if len(f) > 1 else 0} tomorrow, "
            f"{sum(f[:7])} this week, {sum(f)} in {len(f)} days."
        )
    )
    parts.append(
        Text.from_markup(
            f"[b]True retention[/b]: {_pct(stats.retention_month.rate)} last 30 days "
            f"({plural(stats.retention_month.total, 'review')}), "
            f"{_pct(stats.retention.rate)} all time "
            f"({stats.retention.total})."
        )
    )
    parts.append(Text(""))
    table = Table(title="Decks", show_edge=False, title_justify="left")
    for col in ("deck", "cards", "studied", "recall now", "retention 30d", "retention all"):
        table.add_column(col, justify="left" if col == "deck" else "right")
    retention = {r.deck_id: r for r in stats.retention_decks}
    for m in stats.mastery_decks:
        r = retention.get(m.key)
        table.add_row(
            m.key,
            str(m.cards),
            str(m.studied),
            _pct(m.retrievability),
            _pct(r.month.rate) if r else "—",
            _pct(r.all.rate) if r else "—",
        )
    parts.append(table)
    weak = [m for m in stats.mastery_tags if m.retrievability is not None][:5]
    if weak:
        parts.append(
            Text.from_markup(
                "[b]Weakest topics[/b]: "
                + ", ".join(f"{m.key} {_pct(m.retrievability)}" for m in weak)
            )
        )
    c = stats.coding
    parts.append(
        Text.from_markup(
            f"[b]Coding tasks[/b]: {c.tried}/{c.total} tried, {c.passed} passed, "
            f"{c.first_try} on the first try."
            + (f" Failing: {', '.join(c.failing)}." if c.failing else "")
        )
    )
    if stats.quiz_history:
        q = stats.quiz_history[0]
        parts.append(
            Text.from_markup(
                f"[b]Quizzes[/b]: {len(stats.quiz_history)} recent; latest "
                f"{q['correct']}/{q['planned']} right."
            )
        )
    if stats.leeches:
        shown = ", ".join(f"{x.card_id} ({x.lapses} lapses)" for x in stats.leeches[:8])
        more = f" and {len(stats.leeches) - 8} more" if len(stats.leeches) > 8 else ""
        parts.append(Text(f"Leeches: {shown}{more}. Rewrite or split them (browse is:leech)."))
    return Group(*parts)
