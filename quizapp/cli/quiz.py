"""`quizapp quiz` and `quizapp drill`: start the TUI on a quiz or on numeric drills."""

from __future__ import annotations

import argparse
from typing import Any

from quizapp.cli.env import Environment


def register(subparsers: Any) -> None:
    p = subparsers.add_parser("quiz", help="a timed, scored quiz (the TUI)")
    p.add_argument("--deck", action="append", metavar="ID", help="only this deck (repeatable)")
    p.add_argument("--count", type=int, default=20, metavar="N", help="questions (default 20)")
    p.add_argument(
        "--types",
        metavar="LIST",
        help="question types, comma-separated: mc,typed,cloze,numeric,code,basic",
    )
    p.add_argument("--time-limit", type=float, metavar="MIN", help="minutes for the whole quiz")
    p.set_defaults(handler=run_quiz)

    p = subparsers.add_parser("drill", help="numeric drills with worked solutions (the TUI)")
    p.add_argument("kind", nargs="?", help="example kind (see `quizapp example --list`)")
    p.add_argument("--seed", type=int, help="start with this seed")
    p.set_defaults(handler=run_drill)


def run_quiz(args: argparse.Namespace, env: Environment) -> int:
    from quizapp.cli.app import start_tui
    from quizapp.errors import UsageError
    from quizapp.quiz import parse_types

    if args.count < 1:
        raise UsageError("--count must be at least 1")
    if args.time_limit is not None and args.time_limit <= 0:
        raise UsageError("--time-limit is in minutes and must be positive")
    try:
        types = parse_types(args.types)
    except ValueError as exc:
        raise UsageError(str(exc)) from exc
    options = {"count": args.count, "types": types, "time_limit_min": args.time_limit}
    return start_tui(env, "quiz", args.deck, options)


def run_drill(args: argparse.Namespace, env: Environment) -> int:
    from quizapp.cli.app import start_tui
    from quizapp.errors import UsageError

    if args.kind is not None:
        from solvers.examples import KINDS

        if args.kind not in KINDS:
            raise UsageError(f"unknown example kind '{args.kind}'; see `quizapp example --list`")
    if args.seed is not None and args.seed < 0:  # as `quizapp example` checks it
        raise UsageError(f"--seed must be a non-negative integer, got {args.seed}")
    return start_tui(env, "drill", None, {"kind": args.kind, "seed": args.seed})
