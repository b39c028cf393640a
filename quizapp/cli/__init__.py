"""The `quizapp` command line: parse, call the domain, print (rich) or emit --json.

Each sub-command lives in its own module with a `register(subparsers)` function that adds
its parser and sets `handler=` to a `(args, env) -> int` function. Modules import their heavy
dependencies inside the handler so `quizapp --help` and the TUI start fast.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from quizapp.cli.env import Environment

# Order is the order in `quizapp --help`.
_COMMAND_MODULES = (
    "app",
    "quiz",
    "decks",
    "tasks",
    "grade",
    "example",
    "figure",
    "stats",
    "optimize",  # personal FSRS (and `workload`)
    "plan",  # interview mode
    "interop",
    "backup",  # backup and restore
    "serve",  # the browser front
    "sync",  # PostgreSQL sync and class report
)

# Which module registers each command, so that `quizapp grade …` imports one command module,
# not fourteen (about 40 ms). tests/cli/test_parser.py checks it against what the modules
# register.
_COMMANDS = {
    "review": "app",
    "quiz": "quiz",
    "drill": "quiz",
    "decks": "decks",
    "tasks": "tasks",
    "grade": "grade",
    "example": "example",
    "figure": "figure",
    "stats": "stats",
    "optimize": "optimize",
    "workload": "optimize",
    "plan": "plan",
    "export": "interop",
    "import": "interop",
    "history": "interop",
    "backup": "backup",
    "restore": "backup",
    "storage": "backup",
    "serve": "serve",
    "sync": "sync",
    "class": "sync",
}

_OPTIONS_WITH_VALUE = ("--db",)


class _Parser(argparse.ArgumentParser):
    """argparse exits 2 on usage errors, which is our contract; keep its message short."""


def _modules_for(argv: Sequence[str] | None) -> Sequence[str]:
    """The command modules a parse of ``argv`` needs: all of them for help or an unknown
    command (argparse lists the choices), one for a known command, none for the bare app."""
    if argv is None:
        return _COMMAND_MODULES
    tokens = iter(argv)
    for token in tokens:
        if token in ("-h", "--help"):
            return _COMMAND_MODULES
        if token in _OPTIONS_WITH_VALUE:
            next(tokens, None)
        elif token == "--" or not token.startswith("-"):
            command = next(tokens, None) if token == "--" else token
            module = _COMMANDS.get(command or "")
            return (module,) if module else _COMMAND_MODULES
    return ()


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The whole parser, or (given the ``argv`` it will parse) only the part that needs."""
    parser = _Parser(
        prog="quizapp",
        description="Learn regularization for ML interviews: review, quiz, drill, code.",
    )
    parser.add_argument(
        "--db",
        metavar="PATH",
        help="SQLite file to use (default: $QUIZAPP_DB, else the user data dir)",
    )
    parser.add_argument("--debug", action="store_true", help="show tracebacks on errors")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in _modules_for(argv):
        importlib.import_module(f"quizapp.cli.{name}").register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None, env: Environment | None = None) -> int:
    env = env or Environment()
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser(argv)
    args = parser.parse_args(argv)
    env.debug = bool(args.debug)
    db = args.db or env.environ.get("QUIZAPP_DB")
    env.db_path = Path(db).expanduser() if db else None
    handler = getattr(args, "handler", None)
    if handler is None:  # bare `quizapp`: the TUI home screen
        from quizapp.cli.app import run_home

        handler = run_home
    try:
        return int(handler(args, env))
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `quizapp decks export | head`: not an error for the user.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except Exception as exc:
        from quizapp.errors import QuizappError

        if env.debug:
            raise
        if isinstance(exc, QuizappError):
            print(f"quizapp: {exc}", file=env.stderr)
            return int(exc.exit_status)
        print(
            f"quizapp: internal error: {type(exc).__name__}: {exc}\n"
            "Run again with --debug for the traceback, and please report it.",
            file=env.stderr,
        )
        return 70
