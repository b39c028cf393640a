"""`quizapp decks list|check|export|schema|try`."""

from __future__ import annotations

import argparse
import csv
import json
from pathlib import Path
from typing import Any

from quizapp.cli.env import Environment, ExitStatus


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("decks", help="list, check, export the question decks")
    sub = parser.add_subparsers(dest="decks_command", metavar="ACTION", required=True)

    p = sub.add_parser("list", help="every deck with its card counts")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(handler=run_list)

    p = sub.add_parser("check", help="validate deck files (default: the bundled decks)")
    p.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="files or folders")
    p.set_defaults(handler=run_check)

    p = sub.add_parser("export", help="every card with its answer, to stdout")
    p.add_argument("--deck", metavar="ID", help="only this deck")
    p.add_argument("--format", choices=("json", "csv"), required=True)
    p.set_defaults(handler=run_export)

    p = sub.add_parser("schema", help="the JSON Schema of a deck file (for editors)")
    p.set_defaults(handler=run_schema)

    p = sub.add_parser(
        "try",
        help="check an answer to a card exactly as review and quiz do",
        description="Run the check the review and quiz screens run. Cloze gaps are separated "
        "by ';'; multiple choice takes option letters in deck order (e.g. 'a,c'); numeric "
        "cards use the instance for --seed (default 0, as `decks export` shows). "
        "Exit 0 whether the answer is right or wrong, 2 for an unknown card.",
    )
    p.add_argument("card_id", metavar="CARD_ID")
    p.add_argument("answer", metavar="ANSWER")
    p.add_argument("--seed", type=int, default=0, help="numeric cards: which instance")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(handler=run_try)


def run_check(args: argparse.Namespace, env: Environment) -> int:
    from quizapp.decks import deck_paths, default_resolvers, load_decks

    paths = list(args.paths) or None
    missing = [p for p in (paths or []) if not p.exists()]
    for p in missing:
        print(f"{p}:1: no such file or folder", file=env.stdout)
    existing = [p for p in (paths or []) if p.exists()]
    if paths and not existing:
        return ExitStatus.FAILED
    files = deck_paths(existing or None)
    if not files:
        print(f"{(existing or ['decks'])[0]}:1: no *.yaml deck files here", file=env.stdout)
        return ExitStatus.FAILED
    deck_set = load_decks(files, **default_resolvers())
    for problem in deck_set.problems:
        print(str(problem), file=env.stdout)
    n_cards = sum(len(d.cards) for d in deck_set.decks)
    if deck_set.problems or missing:
        n = len(deck_set.problems) + len(missing)
        print(f"{n} problem{'s' if n != 1 else ''} in {len(files)} file(s)", file=env.stderr)
        return ExitStatus.FAILED
    print(f"ok: {len(deck_set.decks)} decks, {n_cards} cards, no problems", file=env.stderr)
    return ExitStatus.OK


def run_list(args: argparse.Namespace, env: Environment) -> int:
    from quizapp.session import open_session

    session = open_session(env.db_path, environ=env.environ)
    try:
        counts = session.home_counts()
    finally:
        session.close()
    rows: list[dict[str, Any]] = []
    for deck in session.catalog.decks:
        c = counts.decks.get(deck.id, {"new": 0, "learning": 0, "review": 0})
        types: dict[str, int] = {}
        for t in deck.card_types:
            types[t] = types.get(t, 0) + 1
        rows.append(
            {
                "id": deck.id,
                "title": deck.title,
                "description": deck.description,
                "cards": len(deck.card_ids),
                "types": types,
                "new": c["new"],
                "learning": c["learning"],
                "due": c["review"],
                "path": deck.path,
            }
        )
    if args.json:
        json.dump(rows, env.stdout, indent=2, ensure_ascii=False)
        env.stdout.write("\n")
    else:
        from rich.table import Table

        table = Table(title="Decks", show_edge=False)
        for col in ("id", "title", "cards", "new", "learning", "due"):
            table.add_column(
                col, justify="right" if col in ("cards", "new", "learning", "due") else "left"
            )
        for r in rows:
            table.add_row(
                r["id"],
                r["title"],
                str(r["cards"]),
                str(r["new"]),
                str(r["learning"]),
                str(r["due"]),
            )
        env.console().print(table)
    for line in session.catalog.problem_lines():
        print(f"warning: {line}", file=env.stderr)
    return ExitStatus.OK


def run_export(args: argparse.Namespace, env: Environment) -> int:
    from quizapp.cardtext import card_record
    from quizapp.catalog import load_catalog
    from quizapp.errors import UsageError

    catalog = load_catalog()
    if args.deck and catalog.deck(args.deck) is None:
        known = ", ".join(d.id for d in catalog.decks)
        raise UsageError(f"unknown deck '{args.deck}'; decks: {known}")
    records = [
        card_record(deck_id, card)
        for deck_id, card in catalog.cards([args.deck] if args.deck else None)
    ]
    if args.format == "json":
        json.dump(records, env.stdout, indent=2, ensure_ascii=False)
        env.stdout.write("\n")
    else:
        fields = ["id", "deck", "type", "prompt", "answer", "explanation", "tags", "source"]
        writer = csv.DictWriter(env.stdout, fieldnames=fields, extrasaction="ignore")
        writer.writeheader()
        for r in records:
            writer.writerow({**r, "tags": " ".join(r["tags"])})
    return ExitStatus.OK


def run_schema(args: argparse.Namespace, env: Environment) -> int:
    from quizapp.decks import json_schema

    json.dump(json_schema(), env.stdout, indent=2)
    env.stdout.write("\n")
    return ExitStatus.OK


def run_try(args: argparse.Namespace, env: Environment) -> int:
    from quizapp.cardtext import OPTION_KEYS, face
    from quizapp.catalog import load_catalog
    from quizapp.checking import CHECKED_TYPES, GapResult, Verdict, check, check_choice
    from quizapp.errors import UsageError

    catalog = load_catalog()
    if args.card_id not in catalog:
        raise UsageError(f"unknown card '{args.card_id}'; see `quizapp decks export --format json`")
    card = catalog.card(args.card_id)
    if card.type not in CHECKED_TYPES:
        raise UsageError(
            f"card '{args.card_id}' is a {card.type} card: it is self-rated or graded by "
            "`quizapp grade`, not checked from a typed answer"
        )
    if args.seed < 0:
        raise UsageError("--seed must be a non-negative integer")
    f = face(card, seed=args.seed)
    if card.type == "multiple_choice":
        letters = [p.strip().lower() for p in args.answer.replace(" ", ",").split(",") if p.strip()]
        bad = [x for x in letters if x not in OPTION_KEYS[: len(f.options)]]
        if bad:
            keys = OPTION_KEYS[: len(f.options)]
            raise UsageError(f"options are picked by letter ({', '.join(keys)}), not {bad[0]!r}")
        verdict = check_choice(f, {OPTION_KEYS.index(x) for x in letters})
        right = ",".join(OPTION_KEYS[i] for i in sorted(f.correct))
        verdict = Verdict(
            verdict.correct,
            verdict.message,
            (GapResult(right, ",".join(sorted(set(letters))), verdict.correct),),
        )
    else:
        try:
            verdict = check(card, f, args.answer)
        except ValueError as exc:  # unreadable numeric answer: wrong, and why
            from quizapp.checking import expected_text

            gap = GapResult(expected_text(card, f), args.answer, False)
            verdict = Verdict(False, str(exc), (gap,))
    record = {
        "card": card.id,
        "correct": verdict.correct,
        "gaps": [g.to_dict() for g in verdict.gaps],
        "message": verdict.message,
    }
    if args.json:
        json.dump(record, env.stdout, ensure_ascii=False)
        env.stdout.write("\n")
    else:
        mark = "✔ right" if verdict.correct else "✘ wrong"
        print(f"{card.id}: {mark} ({verdict.message})", file=env.stdout)
        for i, g in enumerate(verdict.gaps, 1):
            gm = "✔" if g.correct else "✘"
            label = f"gap {i}" if card.type == "cloze" else "answer"
            print(f"  {gm} {label}: {g.given!r}, expected {g.expected!r}", file=env.stdout)
    return ExitStatus.OK
