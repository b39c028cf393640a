"""`quizapp grade TASK_ID FILE [--json]`: judge an answer file like an online judge.

Exit 0 when it passes, 1 when it does not, 2 for a usage error (unknown task, unreadable file).
The sandbox child is started *before* NumPy is imported here, so the two start-ups overlap.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from quizapp.cli.env import Environment, ExitStatus

_MAX_FILE = 1024 * 1024


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "grade",
        help="grade an answer file for a coding task",
        description="Run FILE's function against TASK_ID's tests in a sandbox and report.",
    )
    p.add_argument("task_id", metavar="TASK_ID", help="a task id (see `quizapp tasks list`)")
    p.add_argument("file", metavar="FILE", help="your answer, a Python file ('-' for stdin)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument(
        "--no-save", action="store_true", help="do not record the attempt in the database"
    )
    p.set_defaults(handler=run)


def run(args: argparse.Namespace, env: Environment) -> int:
    # Start the sandbox first: its Python + NumPy start-up overlaps everything below.
    from quizapp.grading.sandbox import spawn

    child = spawn()
    try:
        code = _grade(args, env, child)
    finally:
        child.kill()
    env.fast_exit = True  # the child is gone, its work dir removed, the store closed
    return code


def _grade(args: argparse.Namespace, env: Environment, child: Any) -> int:
    from quizapp.grading.catalog import UnknownTask, get_task

    try:
        task = get_task(args.task_id)
    except UnknownTask as exc:
        print(f"quizapp: {exc}", file=env.stderr)
        return ExitStatus.USAGE
    code = _read(args.file, env)
    if code is None:
        return ExitStatus.USAGE

    from quizapp.grading.grader import build_cases, grade, limits_for
    from quizapp.grading.sandbox import spawn

    if child.limits != limits_for(task):
        child.kill()
        child = spawn(limits_for(task))
    # NumPy and the tests first, while the sandbox starts; then the store opens while the
    # answer runs (a thread started earlier would slow the NumPy import: one GIL).
    build_cases(task)
    store = None if args.no_save else _StoreOpener(env)
    report = grade(task.id, code, child=child)
    if args.json:
        from quizapp.grading.verdicts import json_text

        print(json_text(report), file=env.stdout)
    else:
        from quizapp.grading.verdicts import render_text

        print(render_text(report), file=env.stdout)
    env.stdout.flush()
    if store is not None:
        store.record(task.id, code, report)
    return ExitStatus.OK if report.passed else ExitStatus.FAILED


def _read(name: str, env: Environment) -> bytes | None:
    import sys

    try:
        if name == "-":
            return sys.stdin.buffer.read(_MAX_FILE + 1)
        path = Path(name)
        if path.is_dir():
            print(f"quizapp: {name} is a directory; pass your answer's .py file", file=env.stderr)
            return None
        with path.open("rb") as fh:
            data = fh.read(_MAX_FILE + 1)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        print(f"quizapp: cannot read {name}: {reason}; check the path", file=env.stderr)
        return None
    if len(data) > _MAX_FILE:
        print(f"quizapp: {name} is larger than 1 MB; is it your answer file?", file=env.stderr)
        return None
    return data


class _StoreOpener:
    """Open the database and the review session in a thread, then record the attempt like the
    TUI does.

    The thread's work (the store, the catalog from its cache: about 0.1 s) mostly runs while
    the parent waits for the sandboxed answer. Grading never fails because the database is
    unusable: the verdict is printed first and a problem with the database is only a warning.
    """

    def __init__(self, env: Environment) -> None:
        import threading

        self.env = env
        self.store: Any = None
        self.session: Any = None
        self.error: Exception | None = None
        self._thread = threading.Thread(target=self._open, daemon=True)
        self._thread.start()

    def _open(self) -> None:
        try:
            from quizapp.paths import resolve_db_path
            from quizapp.store import Store

            self.store = Store.open(resolve_db_path(self.env.db_path, self.env.environ))
            self.session = _review_session(self.store)
        except Exception as exc:
            self.error = exc

    def record(self, task_id: str, code: bytes, report: Any) -> None:
        self._thread.join()
        try:
            if self.store is None:
                assert self.error is not None
                raise self.error
            try:
                self.store.record_attempt(
                    task_id,
                    code.decode("utf-8", errors="replace"),
                    str(report.verdict),
                    report.passed,
                    report.duration_s,
                    json.dumps(report.to_json(), ensure_ascii=False),
                )
                if self.error is not None:  # the store opened, the decks did not load
                    raise self.error
                _feed_review(self.session, task_id, report.passed, self.env)
            finally:
                self.store.close()
        except Exception as exc:
            print(
                f"quizapp: attempt not saved ({exc}); use --no-save to skip",
                file=self.env.stderr,
            )


def _review_session(store: Any) -> Any:
    """The session the TUI would have: bundled decks (from the cache), cards synced."""
    from quizapp import paths
    from quizapp.catalog import load_catalog
    from quizapp.scheduling import Settings
    from quizapp.session import Session

    catalog = load_catalog(None, paths.cache_dir())
    store.sync_cards(catalog.fingerprint, catalog.sync_rows())
    return Session(store, catalog, Settings.from_store(store))


def _feed_review(session: Any, task_id: str, passed: bool, env: Environment) -> None:
    """A failure makes the concept's cards due; a pass after failures reviews its code card."""
    from quizapp.scheduling import utcnow
    from quizapp.tasklinks import after_attempt

    for line in after_attempt(session, task_id, passed, utcnow()).messages():
        print(line, file=env.stderr)
