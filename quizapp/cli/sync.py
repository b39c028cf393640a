"""`quizapp sync URL [--learner ID]` and `quizapp class report URL [--json]` (PostgreSQL).

The URL is a libpq connection string (postgresql://user:pass@host:5432/class); it also comes
from $QUIZAPP_SYNC_URL or the `sync_url` setting. It is never printed with its password.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from quizapp.cli.env import Environment, ExitStatus

URL_ENV = "QUIZAPP_SYNC_URL"


def register(subparsers: Any) -> None:
    p = subparsers.add_parser("sync", help="sync this device with the class server (PostgreSQL)")
    p.add_argument("url", nargs="?", help=f"postgresql://… (default: ${URL_ENV}, or the setting)")
    p.add_argument(
        "--learner", metavar="ID", help="learner id (default: $QUIZAPP_LEARNER or the last one)"
    )
    p.add_argument("--json", action="store_true", help="print what was pushed and pulled as JSON")
    p.set_defaults(handler=run_sync)
    c = subparsers.add_parser("class", help="the class view on the sync server")
    sub = c.add_subparsers(dest="class_command", metavar="COMMAND", required=True)
    r = sub.add_parser("report", help="per learner and per topic: who is ready, what is weak")
    r.add_argument("url", nargs="?", help=f"postgresql://… (default: ${URL_ENV})")
    r.add_argument("--json", action="store_true", help="print one JSON object")
    r.set_defaults(handler=run_report)


def _url(args: argparse.Namespace, env: Environment, store: Any = None) -> str:
    from quizapp.errors import UsageError

    url = args.url or env.environ.get(URL_ENV)
    if not url and store is not None:
        url = store.get_setting("sync_url")
    if not url:
        raise UsageError(
            f"no sync server: give a URL (postgresql://user@host/db), set ${URL_ENV}, "
            "or save the `sync_url` setting"
        )
    return str(url)


def run_sync(args: argparse.Namespace, env: Environment) -> int:
    from quizapp import paths
    from quizapp.errors import UsageError
    from quizapp.store import Store
    from quizapp.store_pg import PgServer
    from quizapp.sync import BATCH, sync
    from quizapp.web.auth import LEARNER_ID_RULE, valid_learner_id

    store = Store.open(paths.resolve_db_path(env.db_path, env.environ))
    try:
        url = _url(args, env, store)
        learner = (
            args.learner
            or env.environ.get("QUIZAPP_LEARNER")
            or store.get_setting("sync_learner")
            or store.get_setting("sync.learner")  # typed in the Settings screen
        )
        if not learner:
            raise UsageError("which learner? pass --learner ID (your id in the class)")
        if not valid_learner_id(str(learner)):
            raise UsageError(f"'{learner}' is not a valid learner id: {LEARNER_ID_RULE}")
        batch = int(env.environ.get("QUIZAPP_SYNC_BATCH") or BATCH)  # tests: small batches
        with PgServer.connect(url) as server:
            report = sync(store, server, learner=str(learner), batch=max(1, batch))
    finally:
        store.close()
    if args.json:
        json.dump(report.to_json(), env.stdout, indent=2)
        env.stdout.write("\n")
    else:
        push = sum(report.pushed.values())
        pull = sum(report.pulled.values())
        env.stdout.write(
            f"synced learner {report.learner} (device {report.device}) with "
            f"{server.where}: pushed {push} rows, pulled {pull}, "
            f"rebuilt {report.rebuilt_cards} cards\n"
        )
    return ExitStatus.OK


def run_report(args: argparse.Namespace, env: Environment) -> int:
    from quizapp.classroom import class_report
    from quizapp.store_pg import PgServer

    url = _url(args, env)
    with PgServer.connect(url, migrate=False) as server:
        report = class_report(server)
    if args.json:
        json.dump(report, env.stdout, indent=2, ensure_ascii=False)
        env.stdout.write("\n")
        return ExitStatus.OK
    out = env.stdout
    out.write(f"{'learner':<20} {'reviews':>8} {'retention':>9} {'tasks':>5}  weakest topic\n")
    for row in report["learners"]:
        ret = f"{row['retention']:.0%}" if row["retention"] is not None else "-"
        weakest = min(row["topics"], key=lambda t: t["readiness"], default=None)
        weak = f"{weakest['topic']} ({weakest['readiness']:.0%})" if weakest else "-"
        out.write(
            f"{row['learner']:<20} {row['reviews']:>8} {ret:>9} {row['tasks_passed']:>5}  {weak}\n"
        )
    out.write("\n")
    for topic in report["topics"]:
        ready = f"{topic['readiness']:.0%}" if topic["readiness"] is not None else "-"
        cards = ", ".join(f"{w['card_id']} ({w['again_rate']:.0%})" for w in topic["weakest"])
        out.write(f"{topic['topic']}: readiness {ready}; weakest: {cards or '-'}\n")
    return ExitStatus.OK
