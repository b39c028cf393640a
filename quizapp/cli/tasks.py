"""`quizapp tasks list [--json]` and `quizapp tasks show ID`: the coding-task catalog."""

from __future__ import annotations

import argparse
import json
from typing import Any

from quizapp.cli.env import Environment, ExitStatus


def register(subparsers: Any) -> None:
    p = subparsers.add_parser("tasks", help="list the coding tasks, or show one")
    sub = p.add_subparsers(dest="tasks_command", metavar="ACTION")
    p.set_defaults(handler=_usage(p))
    ls = sub.add_parser("list", help="every task with its id, signature and your status")
    ls.add_argument("--json", action="store_true", help="print a JSON array")
    ls.set_defaults(handler=run_list)
    show = sub.add_parser("show", help="a task's statement and starter code")
    show.add_argument("task_id", metavar="ID")
    show.add_argument("--json", action="store_true", help="print one JSON object")
    show.set_defaults(handler=run_show)


def _usage(parser: argparse.ArgumentParser) -> Any:
    def handler(args: argparse.Namespace, env: Environment) -> int:
        parser.print_usage(env.stderr)
        print("quizapp tasks: choose an action: list or show ID", file=env.stderr)
        return ExitStatus.USAGE

    return handler


def _progress(env: Environment) -> dict[str, Any]:
    """Status per task from the database, if there is one; the list works without it."""
    from quizapp.paths import resolve_db_path

    path = resolve_db_path(env.db_path, env.environ)
    if not path.exists():
        return {}
    try:
        from quizapp.store import Store

        store = Store.open(path)
        try:
            return dict(store.task_progress())
        finally:
            store.close()
    except Exception:
        return {}


def run_list(args: argparse.Namespace, env: Environment) -> int:
    from quizapp.grading.catalog import all_tasks

    progress = _progress(env)
    rows: list[dict[str, Any]] = []
    for task in all_tasks():
        p = progress.get(task.id)
        rows.append(
            {
                "id": task.id,
                "title": task.title,
                "topic": task.topic,
                "signature": task.signature.removeprefix("def "),
                "core": task.core,
                "status": p.status if p else "untried",
                "attempts": p.attempts if p else 0,
            }
        )
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=1), file=env.stdout)
        return ExitStatus.OK
    width = max(len(r["id"]) for r in rows)
    mark = {"passed": "✔", "failing": "✘", "untried": "·"}
    for r in rows:
        print(f"{mark[r['status']]} {r['id']:<{width}}  {r['title']}", file=env.stdout)
    print(
        "\n`quizapp tasks show ID` for the statement; `quizapp grade ID FILE` to be judged.",
        file=env.stdout,
    )
    return ExitStatus.OK


def run_show(args: argparse.Namespace, env: Environment) -> int:
    from quizapp.grading.catalog import UnknownTask, get_task

    try:
        task = get_task(args.task_id)
    except UnknownTask as exc:
        print(f"quizapp: {exc}", file=env.stderr)
        return ExitStatus.USAGE
    if args.json:
        data = {
            "id": task.id,
            "title": task.title,
            "signature": task.signature.removeprefix("def "),
            "statement": task.statement,
            "starter": task.starter,
            "hints": list(task.hints),
        }
        print(json.dumps(data, ensure_ascii=False, indent=1), file=env.stdout)
        return ExitStatus.OK
    text = (
        f"{task.statement.rstrip()}\n\n## Starter code\n\n```python\n{task.starter.rstrip()}\n```\n"
        f"\nSave it to a file, fill it in, then: `quizapp grade {task.id} FILE`\n"
    )
    if env.stdout_isatty:
        from rich.markdown import Markdown

        env.console().print(Markdown(text))
    else:
        print(text, file=env.stdout, end="")
    return ExitStatus.OK
