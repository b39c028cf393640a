"""`quizapp export FORMAT OUT`, `quizapp import PATH`, `quizapp history import|export`.

Thin: parse, call `quizapp.interop`, print. The format modules are imported only by the
command that uses them (genanki costs 340-590 ms, see quizapp/interop/anki.py).
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

from quizapp.cli.env import Environment, ExitStatus

EXPORT_FORMATS = ("anki", "csv", "hascard", "obsidian")
# A problem quotes the imported file (a note type's name, a field): its control characters (ESC,
# OSC 52, the one-byte CSI, bidi overrides) are shown escaped, never sent to the terminal.
_CONTROLS = {
    c: f"\\x{c:02x}" if c < 0x100 else f"\\u{c:04x}"
    for c in [*range(0x00, 0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0), 0x061C, 0x200E,
              0x200F, 0x2028, 0x2029, *range(0x202A, 0x202F), *range(0x2066, 0x206A)]
}  # fmt: skip


def _shown(problem: object) -> str:
    return str(problem).translate(_CONTROLS)


def register(subparsers: Any) -> None:
    p = subparsers.add_parser("export", help="export decks for Anki (.apkg) or as text")
    p.add_argument("format", choices=EXPORT_FORMATS, help="anki: an .apkg package")
    p.add_argument("out", type=Path, metavar="OUT", help="file to write (- for stdout, text only)")
    p.add_argument("--deck", action="append", metavar="ID", help="only these decks (repeatable)")
    p.add_argument(
        "--with-scheduling",
        action="store_true",
        help="anki: include each card's FSRS state and the review history",
    )
    p.set_defaults(handler=run_export)

    p = subparsers.add_parser("import", help="import cards from Anki, hascard, Obsidian, CSV")
    p.add_argument("path", type=Path, metavar="PATH")
    p.add_argument(
        "--format",
        choices=("hascard", "obsidian", "csv", "apkg"),
        help="default: guessed from the file",
    )
    p.add_argument("--deck", metavar="ID", help="deck id to write (default: from the file)")
    p.add_argument("--with-history", action="store_true", help="apkg: import the review log too")
    p.set_defaults(handler=run_import)

    p = subparsers.add_parser("history", help="review history as FSRS Optimizer CSV")
    sub = p.add_subparsers(dest="history_command", metavar="ACTION", required=True)
    q = sub.add_parser("import", help="add reviews from a CSV and rebuild the cards' states")
    q.add_argument("file", type=Path, metavar="FILE.csv")
    q.set_defaults(handler=run_history_import)
    q = sub.add_parser("export", help="every review as CSV (to stdout without FILE)")
    q.add_argument("file", type=Path, nargs="?", metavar="FILE.csv")
    q.set_defaults(handler=run_history_export)


def _catalog_decks(deck_ids: list[str] | None) -> list[Any]:
    from quizapp import paths
    from quizapp.catalog import load_catalog
    from quizapp.errors import UsageError
    from quizapp.interop.anki import DeckData

    catalog = load_catalog(cache_dir=paths.cache_dir())
    known = [d.id for d in catalog.decks]
    for did in deck_ids or []:
        if did not in known:
            raise UsageError(f"unknown deck '{did}'; decks: {', '.join(known)}")
    chosen = [d for d in catalog.decks if not deck_ids or d.id in deck_ids]
    return [DeckData(d.id, d.title, [c for _, c in catalog.cards([d.id])]) for d in chosen]


def run_export(args: argparse.Namespace, env: Environment) -> int:
    from quizapp.errors import UsageError

    decks = _catalog_decks(args.deck)
    if args.format != "anki":
        if args.with_scheduling:
            raise UsageError("--with-scheduling goes with `export anki` only")
        from quizapp.interop import get_format

        module = get_format(args.format).load()
        cards = [c for d in decks for c in d.cards]
        if str(args.out) == "-":
            n = module.write(cards, env.stdout)
        else:
            partial = args.out.with_name(f".{args.out.name}.partial")
            with partial.open("w", encoding="utf-8", newline="") as fh:
                n = module.write(cards, fh)
            os.replace(partial, args.out)
        print(f"wrote {n} cards to {args.out}", file=env.stderr)
        return ExitStatus.OK
    if str(args.out) == "-":
        raise UsageError("an .apkg is binary; give a file name, e.g. quizapp.apkg")
    try:
        import genanki  # noqa: F401  (checked here for a clear message)
    except ModuleNotFoundError:
        raise UsageError("export anki needs genanki: pip install 'quizapp[anki]'") from None
    from quizapp.interop.anki import write_apkg

    states = logs = None
    if args.with_scheduling:
        from quizapp.session import open_session

        session = open_session(env.db_path, environ=env.environ)
        try:
            ids = [c.id for d in decks for c in d.cards]
            states = {row.card_id: row for row in session.store.cards(ids)}
            wanted = set(ids)
            logs = [lg for lg in session.store.review_logs() if lg.card_id in wanted]
        finally:
            session.close()
    try:
        counts = write_apkg(decks, args.out, states=states, logs=logs)
    except OSError as exc:
        raise UsageError(f"cannot write {args.out}: {exc.strerror or exc}") from exc
    for deck in decks:
        print(f"{deck.id}: {counts[deck.id]} notes", file=env.stdout)
    extra = f", {len(logs or [])} reviews" if args.with_scheduling else ""
    print(
        f"wrote {sum(counts.values())} notes in {len(decks)} decks{extra} to {args.out}",
        file=env.stderr,
    )
    return ExitStatus.OK


def _user_deck_dir() -> Path:
    from quizapp.paths import data_dir

    return data_dir() / "decks"


def run_import(args: argparse.Namespace, env: Environment) -> int:
    from quizapp.catalog import deck_paths, default_deck_dirs
    from quizapp.interop import format_for_path, get_format
    from quizapp.interop.importing import save_decks
    from quizapp.interop.untrusted import Unreadable

    src: Path = args.path
    if not src.exists():
        print(f"{src}:1: no such file", file=env.stdout)
        return ExitStatus.FAILED
    if args.deck is not None:
        import re

        if not re.fullmatch(r"[a-z0-9][a-z0-9_.-]*", args.deck):
            print(
                f"quizapp: --deck {args.deck!r}: ids use lowercase letters, digits, '-', '_', '.'",
                file=env.stderr,
            )
            return ExitStatus.USAGE
    fmt = get_format(args.format) if args.format else format_for_path(src)
    module = fmt.load()
    try:
        if fmt.name == "apkg":
            result = module.read_apkg(src, args.deck, args.with_history)
        else:
            result = module.read(src, args.deck, False)
    except Unreadable as exc:
        print(_shown(exc.problem), file=env.stdout)
        print("nothing imported", file=env.stderr)
        return ExitStatus.FAILED
    dest = _user_deck_dir()
    others = deck_paths([*default_deck_dirs(), *([dest] if dest.is_dir() else [])])
    saved, problems = save_decks(result, src, dest, others)
    for problem in problems:
        print(_shown(problem), file=env.stdout)
    if not saved:
        print(f"nothing imported ({fmt.label}): {len(problems)} problem(s)", file=env.stderr)
        return ExitStatus.FAILED
    for s in saved:
        kinds = ", ".join(f"{n} {t}" for t, n in sorted(s.by_type.items()))
        print(
            f"made {s.path}: deck `{s.deck_id}`, {s.cards} cards ({kinds}); "
            f"{s.new} new, {s.updated} updated",
            file=env.stdout,
        )
    if result.reviews:
        from quizapp.interop.history_csv import HistoryRead

        code = _import_reviews(
            env, HistoryRead(records=list(result.reviews)), src, extra_dirs=[dest]
        )
        if code:
            return code
    skipped = f"; {len(problems)} line(s) skipped" if problems else ""
    print(f"imported from {src} ({fmt.label}){skipped}", file=env.stderr)
    return ExitStatus.OK


def run_history_import(args: argparse.Namespace, env: Environment) -> int:
    from quizapp.interop.history_csv import read_history
    from quizapp.scheduling import to_ms, utcnow
    from quizapp.session import open_session

    session = open_session(env.db_path, environ=env.environ)
    try:
        known = {cid for d in session.catalog.decks for cid in d.card_ids}
        read = read_history(args.file, known, to_ms(utcnow()))
    finally:
        session.close()
    return _import_reviews(env, read, args.file)


def _import_reviews(
    env: Environment, read: Any, src: Path, extra_dirs: list[Path] | None = None
) -> int:
    """Check, replay and write reviews in one transaction; nothing is written on a bad row."""
    import dataclasses

    from quizapp.catalog import default_deck_dirs
    from quizapp.interop.history_csv import rebuild
    from quizapp.scheduling import Settings
    from quizapp.session import open_session

    deck_dirs = [*default_deck_dirs(), *(extra_dirs or [])] if extra_dirs else None
    session = open_session(env.db_path, environ=env.environ, deck_dirs=deck_dirs)
    try:
        for problem in read.problems:
            print(_shown(problem), file=env.stdout)
        if read.problems:
            total = len(read.problems) + len(read.records)
            print(
                f"nothing imported: {len(read.problems)} bad row(s) of {total}; fix them and "
                "run again",
                file=env.stderr,
            )
            return ExitStatus.FAILED
        ids = sorted({r.card_id for r in read.records})
        current = {row.card_id: row for row in session.store.cards(ids)}
        missing = [cid for cid in ids if cid not in current]
        if missing:
            for rec in read.records:
                if rec.card_id in missing:
                    print(f"{src}:{rec.line}: unknown card id `{rec.card_id}`", file=env.stdout)
            print("nothing imported", file=env.stderr)
            return ExitStatus.FAILED
        existing = session.store.logs_by_card(ids)
        scheduler = dataclasses.replace(
            Settings.from_store(session.store), enable_fuzzing=False
        ).scheduler()
        states, logs, summary = rebuild(read.records, current, existing, scheduler)
        session.store.apply_history(states, logs)
    finally:
        session.close()
    print(
        f"history: {summary.imported} reviews imported for {summary.cards} cards, "
        f"{summary.skipped_duplicates} already there",
        file=env.stderr,
    )
    return ExitStatus.OK


def run_history_export(args: argparse.Namespace, env: Environment) -> int:
    from quizapp.interop.history_csv import write_history
    from quizapp.paths import resolve_db_path
    from quizapp.store import Store

    store = Store.open(resolve_db_path(env.db_path, env.environ))
    try:
        logs = store.review_logs()
    finally:
        store.close()
    if args.file is None or str(args.file) == "-":
        n = write_history(logs, env.stdout)
    else:
        partial = args.file.with_name(f".{args.file.name}.partial")
        with partial.open("w", encoding="utf-8", newline="") as fh:
            n = write_history(logs, fh)
        os.replace(partial, args.file)
    print(f"history: {n} reviews written", file=env.stderr)
    return ExitStatus.OK
