"""`quizapp` (home screen) and `quizapp review [--deck ID]`: start the TUI."""

from __future__ import annotations

import argparse
from typing import Any

from quizapp.cli.env import Environment, ExitStatus


def register(subparsers: Any) -> None:
    p = subparsers.add_parser("review", help="review the cards due today (the TUI)")
    p.add_argument("--deck", action="append", metavar="ID", help="only this deck (repeatable)")
    p.set_defaults(handler=run_review)


def start_tui(
    env: Environment,
    start: str | None,
    decks: list[str] | None,
    options: dict[str, Any] | None = None,
) -> int:
    from quizapp.errors import UsageError
    from quizapp.session import open_session

    session = open_session(env.db_path, environ=env.environ)
    try:
        if decks:
            unknown = [d for d in decks if session.catalog.deck(d) is None]
            if unknown:
                known = ", ".join(d.id for d in session.catalog.decks)
                raise UsageError(f"unknown deck '{unknown[0]}'; decks: {known}")
        _start_daily_backup(session)
        from quizapp.app import build_app

        build_app(session, start=start, deck_ids=decks, options=options).run()
    finally:
        session.close()
    return ExitStatus.OK


def _start_daily_backup(session: Any) -> None:
    """Today's rolling backup, in a daemon thread so start-up does not wait for the copy (a
    kill mid-copy leaves only a .tmp file, removed by the next prune)."""
    if not session.checked_clean:  # never rotate good backups out for a damaged file
        return
    import contextlib
    import threading

    from quizapp import backup

    def run() -> None:
        # A failed daily backup must never stop studying; `quizapp backup` reports errors.
        with contextlib.suppress(Exception):
            backup.daily_backup(session.store.path)

    threading.Thread(target=run, name="daily-backup", daemon=True).start()


def run_home(args: argparse.Namespace, env: Environment) -> int:
    return start_tui(env, None, None)


def run_review(args: argparse.Namespace, env: Environment) -> int:
    return start_tui(env, "review", args.deck)
