"""`quizapp serve`: quizapp in the browser for a class (textual-serve, HTTP Basic auth).

Thin: parse, refuse unsafe setups with a clear message, hand over to `quizapp.web.server`.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

from quizapp.cli.env import Environment, ExitStatus


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "serve", help="serve quizapp in the browser (one SQLite file per learner)"
    )
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    p.add_argument(
        "--password",
        help="the class password (default: $QUIZAPP_SERVE_PASSWORD); required off loopback",
    )
    p.add_argument(
        "--data-root",
        metavar="DIR",
        help="one folder per learner is made here (default: <data dir>/learners)",
    )
    p.add_argument(
        "--public-url",
        metavar="URL",
        help="the address browsers use, e.g. https://quiz.example.org behind a TLS proxy",
    )
    p.add_argument("--max-per-learner", type=int, default=3, metavar="N", help="tabs per learner")
    p.add_argument("--max-total", type=int, default=50, metavar="N", help="app processes in all")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace, env: Environment) -> int:
    from quizapp.errors import UsageError

    try:
        from quizapp.web.auth import PASSWORD_ENV, is_loopback
    except ImportError as exc:  # pragma: no cover - the module itself has no extra deps
        raise UsageError(str(exc)) from exc
    password = args.password or env.environ.get(PASSWORD_ENV) or None
    # The child processes inherit os.environ: the secret must not be there.
    os.environ.pop(PASSWORD_ENV, None)
    env.environ.pop(PASSWORD_ENV, None)
    if not is_loopback(args.host) and not password:
        raise UsageError(
            f"refusing to listen on {args.host} without a password: anyone who can reach it "
            f"could open any learner's data. Set --password or {PASSWORD_ENV}, or use "
            "--host 127.0.0.1."
        )
    if not 0 < args.port < 65536:
        raise UsageError(f"--port must be 1-65535, not {args.port}")
    if args.max_per_learner < 1 or args.max_total < 1:
        raise UsageError("--max-per-learner and --max-total must be at least 1")
    if args.data_root:
        data_root = Path(args.data_root).expanduser()
    else:
        from quizapp.paths import data_dir

        data_root = data_dir() / "learners"
    try:
        data_root.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"cannot create --data-root {data_root}: {exc}") from exc
    try:
        from quizapp.web.server import QuizServer
    except ModuleNotFoundError as exc:
        raise UsageError(
            f"`quizapp serve` needs the web extra ({exc.name} is missing): "
            "pip install 'quizapp[web]'"
        ) from exc
    server = QuizServer(
        data_root=data_root,
        password=password,
        host=args.host,
        port=args.port,
        public_url=args.public_url,
        max_per_learner=args.max_per_learner,
        max_total=args.max_total,
    )
    server.serve()
    return ExitStatus.OK
