"""`quizapp backup`, `quizapp restore [N|FILE]` and `quizapp storage [--durable on|off]`.

Backups are made with SQLite's online backup API (see quizapp/backup.py); restore keeps the
current file as a `pre-restore` backup first, so a restore can itself be undone.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from quizapp.cli.env import Environment, ExitStatus


def register(subparsers: Any) -> None:
    p = subparsers.add_parser("backup", help="back up the database now and list the backups")
    p.add_argument("--list", action="store_true", help="only list the backups")
    p.add_argument("--json", action="store_true", help="print the listing as JSON")
    p.set_defaults(handler=run_backup)
    p = subparsers.add_parser("restore", help="list the backups, or put one back (N or FILE)")
    p.add_argument("which", nargs="?", metavar="N|FILE", help="backup number from the listing")
    p.set_defaults(handler=run_restore)
    p = subparsers.add_parser("storage", help="where the data is; durable (FULL sync) on/off")
    p.add_argument(
        "--durable",
        choices=("on", "off"),
        help="on: every commit survives an OS crash or power loss (slower writes)",
    )
    p.set_defaults(handler=run_storage)


def _db(env: Environment) -> Path:
    from quizapp import paths

    return paths.resolve_db_path(env.db_path, env.environ)


def _size(n: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024  # type: ignore[assignment]
    return str(n)


def _print_listing(env: Environment, db: Path, as_json: bool = False) -> None:
    from datetime import datetime

    from quizapp import backup

    backups = backup.list_backups(db)
    if as_json:
        json.dump(
            [
                {
                    "n": i,
                    "path": str(b.path),
                    "kind": b.kind,
                    "created": b.created.isoformat(),
                    "bytes": b.size,
                    "reviews": b.reviews,
                    "last_review_ms": b.last_review_ms,
                }
                for i, b in enumerate(backups, 1)
            ],
            env.stdout,
            indent=2,
        )
        env.stdout.write("\n")
        return
    out = env.stdout
    folder = backup.backup_dir(db)
    if not backups:
        out.write(f"No backups of {db} yet (they go in {folder}).\n")
        return
    out.write(f"Backups of {db}, newest first (in {folder}):\n")
    out.write(f"  {'#':>2}  {'made':16}  {'kind':11}  {'size':>9}  {'reviews':>8}  last review\n")
    for i, b in enumerate(backups, 1):
        reviews = "unreadable" if b.reviews is None else f"{b.reviews:,}"
        last = (
            datetime.fromtimestamp(b.last_review_ms / 1000).strftime("%Y-%m-%d %H:%M")
            if b.last_review_ms
            else "-"
        )
        out.write(
            f"  {i:>2}  {b.when_text:16}  {b.kind:11}  {_size(b.size):>9}  {reviews:>8}  {last}\n"
        )
    out.write(
        f"Daily backups: the newest {backup.KEEP_DAILY} are kept. Put one back with "
        "`quizapp restore N` (the current file is kept as a pre-restore backup).\n"
    )


def run_backup(args: argparse.Namespace, env: Environment) -> int:
    from quizapp import backup
    from quizapp.errors import UsageError

    db = _db(env)
    if not args.list:
        if not db.exists():
            raise UsageError(f"there is no database at {db} yet; nothing to back up")
        made = backup.make_backup(db, "manual")
        if not args.json:
            env.stdout.write(f"Backed up {db} to {made}\n\n")
    _print_listing(env, db, args.json)
    return ExitStatus.OK


def run_restore(args: argparse.Namespace, env: Environment) -> int:
    from quizapp import backup

    db = _db(env)
    if not args.which:
        _print_listing(env, db)
        return ExitStatus.OK
    chosen = backup.resolve(db, args.which)
    kept = backup.restore(db, chosen)
    env.stdout.write(f"Restored {db} from {chosen}.\n")
    if kept is not None:
        env.stdout.write(
            f"The file as it was is kept as {kept}; `quizapp restore` lists it to undo this.\n"
        )
    return ExitStatus.OK


def run_storage(args: argparse.Namespace, env: Environment) -> int:
    from quizapp import backup
    from quizapp.store import DURABLE_SETTING, Store

    db = _db(env)
    with Store.open(db) as store:
        if args.durable:
            store.set_setting(DURABLE_SETTING, args.durable == "on")
        durable = bool(store.get_setting(DURABLE_SETTING, False))
    out = env.stdout
    out.write(f"Database: {db}\n")
    out.write(f"Backups:  {backup.backup_dir(db)} ({len(backup.list_backups(db))})\n")
    if durable:
        out.write("Durable:  on (synchronous=FULL: every commit survives an OS crash)\n")
    else:
        out.write(
            "Durable:  off (synchronous=NORMAL with WAL: an OS crash or power loss can roll back "
            "the last commits; `quizapp storage --durable on` to change)\n"
        )
    return ExitStatus.OK
