"""`quizapp grade TASK_ID FILE [--json]`: judge an answer file like an online judge.

Exit 0 when it passes, 1 when it does not, 2 for a usage error (unknown task, unreadable file).
The sandbox child is started *before* NumPy is imported here, and it gets its job (the answer
and the tests, from a disk cache) before NumPy is imported, so the two start-ups overlap.
"""

from __future__ import annotations

import argparse
import json
import sys
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
    # Start the sandbox first (`python -m quizapp` did already): its Python + NumPy start-up
    # overlaps everything below.
    from quizapp.grading.sandbox import prestarted, spawn

    child = prestarted.pop() if prestarted else spawn()
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

    from quizapp import paths
    from quizapp.grading.grader import grade, limits_for
    from quizapp.grading.sandbox import spawn

    if child.limits != limits_for(task):
        child.kill()
        child = spawn(limits_for(task))
    # The job goes to the sandbox as soon as it is ready (the tests come from the disk cache);
    # NumPy, the tests and the reference's outputs are made meanwhile in a thread, and then the
    # database is opened (one GIL: opening it earlier slowed the NumPy import). Those threads
    # hold the GIL for long stretches: a short switch interval lets the thread that moves the
    # job and the results through the pipes run as soon as they are ready.
    sys.setswitchinterval(0.0005)
    store = None if args.no_save else _StoreOpener(env)
    started = store.start if store is not None else None
    report = grade(task.id, code, child=child, cache_dir=paths.cache_dir(), on_prepared=started)
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
    """Open the database in a thread, then record the attempt like the TUI does.

    The thread's work (about 25 ms) runs while the parent waits for the sandboxed answer. The
    decks (the review session) are loaded only when the attempt changes a card: after a
    failure, or a pass that follows failures. Grading never fails because the database is
    unusable: the verdict is printed first and a problem with the database is only a warning.
    """

    def __init__(self, env: Environment) -> None:
        import threading

        self.env = env
        self.store: Any = None
        self.error: Exception | None = None
        self._thread = threading.Thread(target=self._open, daemon=True)

    def start(self) -> None:
        if self._thread.ident is None:  # once: by the grade, or by `record`
            self._thread.start()

    def _open(self) -> None:
        try:
            from quizapp.paths import resolve_db_path
            from quizapp.store import Store

            self.store = Store.open(resolve_db_path(self.env.db_path, self.env.environ))
            import quizapp.tasklinks  # noqa: F401  (what `record` needs, imported while we wait)
        except Exception as exc:
            self.error = exc

    def record(self, task_id: str, code: bytes, report: Any) -> None:
        self.start()  # not started when the grade ended before running anything
        self._thread.join()
        if self.store is None:
            assert self.error is not None
            self._warn(f"attempt not saved ({self.error}); use --no-save to skip")
            return
        try:
            try:
                self.store.record_attempt(
                    task_id,
                    code.decode("utf-8", errors="replace"),
                    str(report.verdict),
                    report.passed,
                    report.duration_s,
                    json.dumps(report.to_json(), ensure_ascii=False),
                )
            except Exception as exc:
                self._warn(f"attempt not saved ({exc}); use --no-save to skip")
                return
            try:
                _feed_review(_LazySession(self.store), task_id, report.passed, self.env)
            except Exception as exc:
                self._warn(f"attempt saved, but its review cards were not updated ({exc})")
        finally:
            self.store.close()

    def _warn(self, text: str) -> None:
        print(f"quizapp: {text}", file=self.env.stderr)


class _LazySession:
    """The session the TUI would have (bundled decks from the cache, cards synced), made on
    first use: most attempts (a pass after a pass) only read the attempts table."""

    def __init__(self, store: Any) -> None:
        self.store = store
        self._session: Any = None

    def __getattr__(self, name: str) -> Any:
        if self._session is None:
            from quizapp import paths
            from quizapp.catalog import load_catalog
            from quizapp.scheduling import Settings
            from quizapp.session import Session

            catalog = load_catalog(None, paths.cache_dir())
            self.store.sync_cards(catalog.fingerprint, catalog.sync_rows())
            self._session = Session(self.store, catalog, Settings.from_store(self.store))
        return getattr(self._session, name)


def _feed_review(session: Any, task_id: str, passed: bool, env: Environment) -> None:
    """A failure makes the concept's cards due; a pass after failures reviews its code card."""
    from quizapp.clock import utcnow
    from quizapp.tasklinks import after_attempt

    for line in after_attempt(session, task_id, passed, utcnow()).messages():
        print(line, file=env.stderr)
