"""`quizapp plan [--interview YYYY-MM-DD] [--json] [--cram N] [--save]`: interview readiness.

`--json` prints one object (fields are only ever added):

    {"interview": "2026-12-15", "days_left": 14, "readiness": 0.64,
     "topics": [{"topic": deck id, "readiness": x, "coverage": y, "cards": n}, ...],
     "daily": [{"day": "2026-12-01", "new": n, "reviews": m}, ...]}

`--cram N --json` prints `{"interview": ..., "cram": [{"card": id, "recall": x}, ...],
"made_due": [id, ...]}` instead: the N studied cards with the lowest recall on the date. The
schedule is untouched unless the setting `cram_reschedules` is on: then those cards are made due
now, so the next review session starts with them. `--save` stores the date (and `--minutes`) as
the interview setting the TUI follows.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
from typing import Any

from quizapp.cli.env import Environment, ExitStatus


def register(subparsers: Any) -> None:
    p = subparsers.add_parser("plan", help="interview readiness and a daily plan to the date")
    p.add_argument("--interview", metavar="YYYY-MM-DD", help="the date (default: the setting)")
    p.add_argument("--minutes", type=int, metavar="N", help="daily budget (default: the setting)")
    p.add_argument("--cram", type=int, metavar="N", help="list the N weakest cards on the date")
    p.add_argument("--save", action="store_true", help="save the date and budget as settings")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--plot", action="store_true", help="also draw the readiness curve")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace, env: Environment) -> int:
    from quizapp.errors import UsageError
    from quizapp.planning import cram_list, make_plan, parse_interview
    from quizapp.scheduling import utcnow
    from quizapp.session import open_session

    if args.minutes is not None and not 1 <= args.minutes <= 24 * 60:
        raise UsageError("--minutes must be between 1 and 1440")
    if args.cram is not None and args.cram < 1:
        raise UsageError("--cram must be at least 1")
    session = open_session(env.db_path, environ=env.environ)
    try:
        settings = session.settings
        raw = args.interview or settings.interview_date
        if not raw:
            raise UsageError("no interview date: pass --interview YYYY-MM-DD (--save keeps it)")
        interview = parse_interview(raw)
        changes: dict[str, Any] = {}
        if args.minutes is not None:
            changes["minutes_per_day"] = args.minutes
        if args.save:
            changes["interview_date"] = interview.isoformat()
        settings = dataclasses.replace(settings, **changes)
        now = utcnow()
        plan = make_plan(
            session.store, session.catalog, settings, now, interview, with_ids=args.cram is not None
        )
        if args.save:
            settings.save(session.store)
        cram = cram_list(plan, args.cram) if args.cram is not None else []
        rescheduled: list[str] = []
        if cram and settings.cram_reschedules:  # the setting: cramming brings the cards due
            from quizapp.scheduling import to_ms

            rescheduled = session.store.make_due([c for c, _ in cram], to_ms(now))
    finally:
        session.close()
    if args.cram is not None:
        if args.json:
            out = {
                "interview": interview.isoformat(),
                "cram": [{"card": c, "recall": round(r, 4)} for c, r in cram],
                "made_due": rescheduled,
            }
            json.dump(out, env.stdout, indent=2)
            env.stdout.write("\n")
        else:
            console = env.console()
            console.print(f"Weakest cards on {interview.isoformat()}, lowest recall first:")
            for cid, r in cram:
                console.print(f"  {r:5.0%}  {cid}")
            if not cram:
                console.print("  nothing studied yet")
            if rescheduled:
                console.print(f"{len(rescheduled)} of them are due now (setting cram_reschedules).")
        return ExitStatus.OK
    if args.json:
        json.dump(plan.to_json(), env.stdout, indent=2)
        env.stdout.write("\n")
        return ExitStatus.OK
    env.console().print(render_text(plan, settings.minutes_per_day))
    if args.plot:
        from quizapp.cli.figure import emit
        from quizapp.figures import readiness_figure

        emit(readiness_figure(plan), env)
    return ExitStatus.OK


def render_text(plan: Any, minutes: int) -> Any:
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    parts: list[Any] = [
        Text.from_markup(
            f"[b]{plan.days_left} days to your interview[/b] ({plan.interview.isoformat()}) — "
            f"readiness {plan.readiness:.0%} now, {plan.planned_readiness:.0%} if you follow "
            f"the plan ({minutes} min/day)."
        )
    ]
    table = Table(show_edge=False)
    for col in ("topic", "readiness", "coverage", "cards"):
        table.add_column(col, justify="left" if col == "topic" else "right")
    for t in sorted(plan.topics, key=lambda t: t.readiness):
        table.add_row(t.topic, f"{t.readiness:.0%}", f"{t.coverage:.0%}", str(t.cards))
    parts.append(table)
    if plan.daily:
        days = Table(title="Plan", title_justify="left", show_edge=False)
        for col in ("day", "new", "reviews"):
            days.add_column(col, justify="left" if col == "day" else "right")
        for d in plan.daily[:14]:
            days.add_row(d.day.isoformat(), str(d.new), str(d.reviews))
        parts.append(days)
        if len(plan.daily) > 14:
            parts.append(Text(f"… {len(plan.daily) - 14} more days (--json for all)"))
    return Group(*parts)
