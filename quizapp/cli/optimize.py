"""`quizapp optimize [--json]` and `quizapp workload [--json]`: personal FSRS parameters.

`optimize --json` prints one object (exit 0 when it ran, saved or not; 1 when the history is
too short, with the reason on stderr):

    {"reviews": N, "before": {"log_loss": x, "rmse_bins": y}, "after": {...},
     "parameters": [21 floats], "saved": bool}

`workload --json`: `{"cards": n, "days": d, "parameters": "fitted" | "default",
"rows": [{"desired_retention": r, "reviews_per_day": x, "minutes_per_day": y}, ...]}`.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from quizapp.cli.env import Environment, ExitStatus


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "optimize", help="fit FSRS to your review history; saved only when it predicts better"
    )
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--dry-run", action="store_true", help="report the fit, save nothing")
    p.set_defaults(handler=run_optimize)
    p = subparsers.add_parser(
        "workload", help="reviews and minutes per day for desired retention 0.70–0.97"
    )
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--days", type=int, default=365, help="days to simulate (default 365)")
    p.add_argument("--plot", action="store_true", help="also draw it (reviews, minutes per day)")
    p.set_defaults(handler=run_workload)


def run_optimize(args: argparse.Namespace, env: Environment) -> int:
    from quizapp.fitting import optimize
    from quizapp.session import open_session

    session = open_session(env.db_path, environ=env.environ)
    try:
        report, saved = optimize(session.store, session.settings, save=not args.dry_run)
    finally:
        session.close()
    if args.json:
        json.dump(report.to_json(saved), env.stdout, indent=2)
        env.stdout.write("\n")
        return ExitStatus.OK
    from rich.table import Table

    table = Table(title=f"FSRS fit on {report.reviews} reviews", title_justify="left")
    for col in ("parameters", "log loss", "RMSE (bins)"):
        table.add_column(col, justify="left" if col == "parameters" else "right")
    table.add_row("current", f"{report.before.log_loss:.4f}", f"{report.before.rmse_bins:.4f}")
    table.add_row("fitted", f"{report.after.log_loss:.4f}", f"{report.after.rmse_bins:.4f}")
    console = env.console()
    console.print(table)
    console.print("Both scored on the later five sixths of your history, unseen by the fit.")
    if saved:
        console.print("Saved: your reviews are scheduled with the fitted parameters from now on.")
    elif report.better:
        console.print("Better, but not saved (--dry-run).")
    else:
        console.print("Not saved: the fitted parameters do not predict your recall better.")
    return ExitStatus.OK


def run_workload(args: argparse.Namespace, env: Environment) -> int:
    from quizapp.errors import UsageError
    from quizapp.session import open_session
    from quizapp.workload import workload

    if not 1 <= args.days <= 3650:
        raise UsageError("--days must be between 1 and 3650")
    session = open_session(env.db_path, environ=env.environ)
    try:
        result = workload(session.store, session.settings, days=args.days)
        desired_retention = float(session.settings.desired_retention)
    finally:
        session.close()
    if args.json:
        json.dump(result.to_json(), env.stdout, indent=2)
        env.stdout.write("\n")
        return ExitStatus.OK
    env.console().print(render_workload(result))
    if args.plot:
        from quizapp.cli.figure import emit
        from quizapp.figures import workload_figure

        emit(workload_figure(result, desired_retention), env)
    return ExitStatus.OK


def render_workload(result: Any) -> Any:
    from rich.table import Table

    table = Table(
        title=f"Workload: {result.cards} cards, {result.days} days, {result.parameters} parameters",
        title_justify="left",
    )
    for col in ("desired retention", "reviews/day", "minutes/day", ""):
        table.add_column(col, justify="right" if col else "left")
    top = max((r.minutes_per_day for r in result.rows), default=1.0) or 1.0
    for r in result.rows:
        bar = "█" * max(1, round(20 * r.minutes_per_day / top))
        table.add_row(
            f"{r.desired_retention:.0%}",
            f"{r.reviews_per_day:.1f}",
            f"{r.minutes_per_day:.1f}",
            bar,
        )
    return table
