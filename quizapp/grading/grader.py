"""Grade an answer: static checks, one sandboxed run for all tests, comparison in the parent.

The verdict is decided here, from data only. The child never says "passed"; it only returns
what the answer computed, and every check runs in this process against the reference.
"""

from __future__ import annotations

import ast
import codecs
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import quizapp.grading.case_cache as case_cache
from quizapp.grading._bootstrap import FORBIDDEN, USER_FILE, Unsupported, encode, pack
from quizapp.grading.catalog import Case, Task, get_task
from quizapp.grading.sandbox import (
    CancelToken,
    Child,
    Limits,
    RunResult,
    WarmPool,
    _numpy_dir,
    mark_bwrap_unusable,
    sandbox_info,
    spawn,
)
from quizapp.grading.verdicts import Failure, Report, TestResult, Verdict

__all__ = ["MAX_CODE_BYTES", "GradingCancelled", "grade", "grade_async", "limits_for"]

MAX_CODE_BYTES = 256 * 1024
_TOO_LARGE = f"the file is larger than {MAX_CODE_BYTES // 1024} KB; an answer is a few KB of code"


class GradingCancelled(Exception):
    """The run was cancelled (a newer run started, or the screen closed); its process is dead."""


def grade(
    task_id: str,
    code: str | bytes,
    *,
    limits: Limits | None = None,
    child: Child | None = None,
    pool: WarmPool | None = None,
    cancel: CancelToken | None = None,
    cache_dir: Path | None = None,
    on_prepared: Callable[[], object] | None = None,
) -> Report:
    """Grade ``code`` for task ``task_id``; raises UnknownTask for an unknown id.

    ``child`` is a sandbox already started by the caller (the CLI starts it before importing
    NumPy); ``pool`` hands out pre-warmed children (the TUI). Otherwise a child is spawned here.
    With ``cache_dir`` the encoded tests come from the disk cache when this process has not
    built them yet (see :mod:`case_cache`): the job goes to the child at once and NumPy, the
    tests and the reference's outputs are built while the answer runs; ``on_prepared`` is
    called once they are (the CLI opens the database then, not while NumPy is imported).
    """
    started = time.perf_counter()
    task = get_task(task_id)
    limits = limits or limits_for(task)
    try:
        text = _decode(code)
        static = text if isinstance(text, Failure) else _static_checks(task, text)
        if static is not None:
            return _whole_run(task, static, started)
        assert isinstance(text, str)
        if child is None:
            child = pool.take() if pool is not None else spawn(limits)
        head = pack({"code": text, "func": task.func_name}, [])
        use_cache = cache_dir is not None and task.id not in _ENCODED
        cached = None
        if cache_dir is not None and use_cache:
            cached = case_cache.load(cache_dir, task.id, _numpy_dir())
        blob, count = cached if cached else (_cases_blob(task), len(_cases(task)))
        helper = threading.Thread(target=_prepare, args=(task, on_prepared), daemon=True)
        helper.start()  # the tests and the reference's outputs, built while the answer runs
        result = child.run(head + blob, cancel, limits.wall_s, max_frames=count + 3)
        if _bwrap_failed(result):
            # bubblewrap could not start a sandbox here: the job was never sent, so the answer
            # has not run; fall back for the rest of the process and run it once, there
            mark_bwrap_unusable(result.output)
            child.kill()
            child = spawn(child.limits)
            result = child.run(head + blob, cancel, limits.wall_s, max_frames=count + 3)
        helper.join()
        if result.cancelled:
            raise GradingCancelled(task_id)
        cases = _cases(task)
        if use_cache and blob != _cases_blob(task):
            # the cached tests are not the ones just built (stale, damaged): the answer ran on
            # other inputs and its results mean nothing; it runs again, on the real tests
            # (nothing an answer does decides this: the comparison is of the app's own bytes)
            blob = _cases_blob(task)
            child.kill()
            child = spawn(child.limits)
            result = child.run(head + blob, cancel, limits.wall_s, max_frames=len(cases) + 3)
            if result.cancelled:
                raise GradingCancelled(task_id)
        if cache_dir is not None and use_cache and (cached is None or cached[0] is not blob):
            case_cache.save(cache_dir, task.id, _numpy_dir(), blob)
        try:
            report = _judge(task, cases, result, started)
        except Exception as exc:  # a value the checks did not foresee: never a traceback
            unjudged = Failure(
                Verdict.BAD_OUTPUT,
                f"the answer's results could not be judged ({type(exc).__name__}); return "
                "plain numbers, NumPy arrays, or tuples of them",
            )
            return _whole_run(task, unjudged, started, result)
        failure = report.failure
        if report.verdict is Verdict.MISSING_FUNCTION and failure is not None:
            failure.hint = _where_defined(task, text) or failure.hint
        elif report.verdict is Verdict.BAD_OUTPUT and failure and "None" in failure.message:
            failure.hint = _why_none(task, text) or failure.hint
        return report
    finally:
        if child is not None:
            child.kill()
        if pool is not None:
            pool.prestart(wait=False)


async def grade_async(
    task_id: str,
    code: str,
    *,
    limits: Limits | None = None,
    pool: WarmPool | None = None,
) -> Report:
    """:func:`grade` in a thread; cancelling the awaiting task kills the child at once."""
    import asyncio

    token = CancelToken()
    try:
        return await asyncio.to_thread(grade, task_id, code, limits=limits, pool=pool, cancel=token)
    except asyncio.CancelledError:
        token.cancel()
        raise


def limits_for(task: Task) -> Limits:
    """The task's limits: its wall time for all tests together, the same in CPU seconds."""
    return Limits(wall_s=task.wall_s, cpu_s=max(1, round(task.wall_s)))


# --- before running ---------------------------------------------------------------------------


def _decode(code: str | bytes) -> str | Failure:
    """The answer as text: a binary or huge file is refused before anything runs."""
    if isinstance(code, bytes):
        if len(code) > MAX_CODE_BYTES:
            return Failure(Verdict.SYNTAX_ERROR, _TOO_LARGE)
        # As Python reads a source file: a UTF-8 BOM or a PEP 263 coding line picks the codec.
        encoding = "utf-8"
        if code.startswith(codecs.BOM_UTF8) or b"coding" in code[:1024]:
            import io
            import tokenize

            try:
                encoding, _ = tokenize.detect_encoding(io.BytesIO(code).readline)
            except SyntaxError as exc:
                return Failure(Verdict.SYNTAX_ERROR, f"{exc.msg} ({USER_FILE})")
        raw = code
        try:
            code = raw.decode(encoding)
        except UnicodeDecodeError as exc:
            line = raw.count(b"\n", 0, exc.start) + 1
            return Failure(
                Verdict.SYNTAX_ERROR,
                f"the file is not {encoding.upper()} text (byte {exc.start}, line {line}); "
                "is it a Python source file?",
                hint="save the file as UTF-8, or declare its encoding on the first line "
                "(`# -*- coding: latin-1 -*-`)",
            )
    return code.removeprefix("\ufeff")  # a BOM (the editor may keep one) is not code


def _static_checks(task: Task, code: str) -> Failure | None:
    """What can be judged without running anything: size, syntax, plain imports, emptiness."""
    if len(code) > MAX_CODE_BYTES:
        return Failure(Verdict.SYNTAX_ERROR, _TOO_LARGE)
    if "\x00" in code:
        return Failure(
            Verdict.SYNTAX_ERROR, "the file contains NUL bytes; is it a Python source file?"
        )
    try:
        tree = ast.parse(code, filename=USER_FILE)
    except SyntaxError as exc:
        where = f"line {exc.lineno}" + (f", column {exc.offset}" if exc.offset else "")
        lines = [f"{exc.msg} ({USER_FILE}, {where})"]
        if exc.text:
            lines.append("    " + exc.text.rstrip("\n"))
            if exc.offset:
                lines.append("    " + " " * (exc.offset - 1) + "^")
        hint = "indent with spaces only (4 per level)" if "tabs" in str(exc.msg) else ""
        return Failure(Verdict.SYNTAX_ERROR, "\n".join(lines), hint=hint)
    except (ValueError, MemoryError, RecursionError) as exc:
        return Failure(Verdict.SYNTAX_ERROR, f"cannot parse the file: {exc}")
    for node in _graded_nodes(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names = [node.module]
        for name in names:
            if name.partition(".")[0] in FORBIDDEN:
                return Failure(
                    Verdict.FORBIDDEN_IMPORT,
                    f"line {getattr(node, 'lineno', '?')}: `{name}` may not be imported here "
                    "(only the standard library, numpy and scipy)",
                    hint="write the algorithm yourself with NumPy",
                )
    if not code.strip():
        return Failure(
            Verdict.MISSING_FUNCTION,
            f"the file is empty; define `{task.signature.removeprefix('def ')}`",
            hint="`quizapp tasks show " + task.id + "` prints the starter code",
        )
    return None


def _is_main_guard(node: ast.AST) -> bool:
    """`if __name__ == "__main__":` — never runs when graded (the answer's __name__ differs)."""
    if not isinstance(node, ast.If) or not isinstance(node.test, ast.Compare):
        return False
    test = node.test
    sides = [test.left, *test.comparators]
    return (
        len(sides) == 2
        and isinstance(test.ops[0], ast.Eq)
        and any(isinstance(n, ast.Name) and n.id == "__name__" for n in sides)
        and any(isinstance(n, ast.Constant) and n.value == "__main__" for n in sides)
    )


def _graded_nodes(tree: ast.Module) -> list[ast.AST]:
    """Every node that can run when graded: a main-guard's body (often a check against
    scikit-learn or PyTorch) is left out, its `else:` branch is kept."""
    from collections import deque

    nodes: list[ast.AST] = []
    todo: deque[ast.AST] = deque([tree])
    while todo:  # breadth first, as ast.walk: the first import found is the first reported
        node = todo.popleft()
        nodes.append(node)
        if _is_main_guard(node):
            assert isinstance(node, ast.If)
            todo.extend(node.orelse)
            continue
        todo.extend(ast.iter_child_nodes(node))
    return nodes


def _why_none(task: Task, code: str) -> str:
    """The function returned None: a later stub definition, or no `return` at all."""
    name = task.func_name
    defs = [
        node
        for node in ast.parse(code, filename=USER_FILE).body
        if isinstance(node, ast.FunctionDef) and node.name == name
    ]
    if len(defs) > 1:
        lines = ", ".join(str(d.lineno) for d in defs)
        return (
            f"`{name}` is defined {len(defs)} times (lines {lines}); the last one replaces the "
            "others — delete the leftover"
        )
    if defs and not any(
        isinstance(n, ast.Return) and n.value is not None for n in ast.walk(defs[0])
    ):
        return f"`{name}` has no `return` statement: return the result"
    return ""


def _where_defined(task: Task, code: str) -> str:
    """A hint when the function exists but not at the top level (in a class, under main...)."""
    name = task.func_name
    top = ast.parse(code, filename=USER_FILE)
    for stmt in top.body:
        if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef) and stmt.name == name:
            rebinds = [
                n.lineno
                for n in ast.walk(top)
                if isinstance(n, ast.Name) and n.id == name and isinstance(n.ctx, ast.Store)
            ]
            where = f" (line {rebinds[-1]})" if rebinds else ""
            return (
                f"`{name}` is defined on line {stmt.lineno}, but the name is then given "
                f"another value{where}; keep `{name}` for the function"
            )
    for node in ast.walk(top):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name == name:
            return (
                f"`{name}` is defined on line {node.lineno}, but not at the top level of the "
                "file (inside a class, a function or an `if` block that does not run); "
                "define it at the top level, without `self`"
            )
    for node in ast.walk(top):
        if isinstance(node, ast.FunctionDef) and node.name.lower() == name.lower():
            return f"names are case-sensitive: rename `{node.name}` to `{name}`"
    return ""


# Cases are deterministic (seeded), so each task's cases, their encoding and the reference's
# outputs are computed once per process: a re-grade in the TUI only runs the answer.
_CASES: dict[str, list[Case]] = {}
_ENCODED: dict[str, bytes] = {}
_EXPECTED: dict[tuple[str, int], Any] = {}


def _cases(task: Task) -> list[Case]:
    if task.id not in _CASES:
        _CASES[task.id] = task.make_cases()
    return _CASES[task.id]


def build_cases(task: Task) -> None:
    """Build the task's tests and their encoding now, once per process (imports NumPy)."""
    _cases_blob(task)


def _cases_blob(task: Task) -> bytes:
    """The job's second frame: every test's arguments, encoded once per process."""
    if task.id not in _ENCODED:
        arrays: list[Any] = []
        encoded = [
            [
                encode(tuple(c.args), arrays),
                [[k, encode(v, arrays)] for k, v in c.kwargs.items()],
                c.check_inputs,
            ]
            for c in _cases(task)
        ]
        _ENCODED[task.id] = pack({"cases": encoded}, arrays)
    return _ENCODED[task.id]


def _prepare(task: Task, then: Callable[[], object] | None = None) -> None:
    """Build the cases and the reference's outputs (imports NumPy and solvers)."""
    try:
        for index, case in enumerate(_cases(task)):
            if case.check is None:
                _expected(task, case, index)
        _cases_blob(task)
    finally:
        if then is not None:
            then()


def _bwrap_failed(result: RunResult) -> bool:
    """bubblewrap itself could not start (no user namespaces...): fall back, once, for good.

    Decided by whether the bootstrap inside bwrap ever said "ready": that frame comes before
    the job (the answer's code) is written to the child, so nothing the answer does — printing
    `bwrap: ...`, corrupting its frames, exiting — can make a started sandbox look failed.
    """
    if result.sandbox.kind != "bubblewrap" or result.cancelled:
        return False
    return not result.started and not result.timed_out


# --- judging ----------------------------------------------------------------------------------


def _whole_run(
    task: Task, failure: Failure, started: float, result: RunResult | None = None
) -> Report:
    return Report(
        task=task.id,
        verdict=failure.verdict,
        tests=[],
        duration_s=time.perf_counter() - started,
        sandbox=result.describe_sandbox() if result else sandbox_info().describe(),
        message=failure.message,
        output=result.output if result else "",
        output_dropped=result.output_dropped if result else 0,
        failure=failure if (failure.traceback or failure.hint) else None,
    )


def _user_traceback(exc: dict[str, Any]) -> list[str]:
    """The traceback trimmed to the answer's own file (the bootstrap's frames are noise)."""
    lines = []
    frames = exc.get("frames")
    for frame in frames if isinstance(frames, list) else []:
        try:
            filename, lineno, name, line = frame
        except (TypeError, ValueError):
            continue
        if filename != USER_FILE:
            continue
        lines.append(f"line {lineno}, in {name}")
        if line:
            lines.append("  " + str(line).strip()[:200])
    lines.append(f"{exc.get('type', 'Exception')}: {str(exc.get('message', ''))[:500]}")
    return lines


def _user_frames(exc: dict[str, Any]) -> bool:
    frames = exc.get("frames", [])
    return isinstance(frames, list) and any(
        isinstance(f, list) and f and f[0] == USER_FILE for f in frames
    )


def _exception_failure(exc: dict[str, Any], during: str) -> Failure:
    kind = str(exc.get("type", ""))
    tb = _user_traceback(exc)
    if kind == "MemoryError":
        return Failure(
            Verdict.MEMORY_LIMIT,
            f"ran out of memory {during} (limit: the sandbox's address space)",
            traceback=tb,
            hint="look for arrays far larger than the input, or a list that never stops growing",
        )
    if kind == "SystemExit":
        return Failure(
            Verdict.RUNTIME_ERROR,
            f"your code called sys.exit() {during}",
            traceback=tb,
            hint="return the result instead of exiting",
        )
    if kind == "RecursionError":
        return Failure(
            Verdict.RUNTIME_ERROR, f"maximum recursion depth exceeded {during}", traceback=tb
        )
    message = str(exc.get("message", "")).strip().splitlines()
    summary = f"{kind} {during}" + (f": {message[0][:200]}" if message else "")
    hint = ""
    if "Cannot cast ufunc" in str(exc.get("message", "")):
        hint = (
            "an integer array cannot take float results in place (`r -= ...` on an int input): "
            "convert first with np.asarray(x, dtype=float)"
        )
    elif kind in ("PermissionError", "BlockingIOError", "ReadOnlyFileSystemError", "OSError"):
        hint = (
            "the sandbox forbids new processes, signals to other processes, the network and "
            "writing outside /tmp; a grading answer needs none of them"
        )
    return Failure(Verdict.RUNTIME_ERROR, summary, traceback=tb, hint=hint)


def _forbidden(result: RunResult) -> list[str]:
    names: list[str] = []
    for header, _ in result.frames:
        value = header.get("forbidden")
        if isinstance(value, list):
            names += [str(v) for v in value]
    return names


def _judge(task: Task, cases: list[Case], result: RunResult, started: float) -> Report:
    frames: dict[str, dict[str, Any]] = {}
    case_frames: dict[int, tuple[dict[str, Any], list[Any]]] = {}
    for header, arrays in result.frames:
        kind, number = header.get("kind"), header.get("i")
        if not isinstance(kind, str):
            continue  # a forged frame: it never counts for anything
        if kind != "case":
            frames.setdefault(kind, header)
        elif type(number) is int:
            case_frames.setdefault(number, (header, arrays))

    forbidden = _forbidden(result)
    if forbidden:
        return _whole_run(
            task,
            Failure(
                Verdict.FORBIDDEN_IMPORT,
                f"your code tried to import `{forbidden[0]}`; only the standard library and "
                "numpy may be used",
            ),
            started,
            result,
        )
    if "import_error" in frames:
        exc = frames["import_error"].get("exc", {})
        loading = _exception_failure(
            exc if isinstance(exc, dict) else {}, "while loading your file"
        )
        return _whole_run(task, loading, started, result)
    if "missing_function" in frames:
        defined = frames["missing_function"].get("defined")
        names = [str(d) for d in defined] if isinstance(defined, list) else []
        found = f" (it defines: {', '.join(names)})" if names else ""
        return _whole_run(
            task,
            Failure(
                Verdict.MISSING_FUNCTION,
                f"your file does not define a function named `{task.func_name}`{found}",
                hint=f"the signature is `{task.signature.removeprefix('def ')}`",
            ),
            started,
            result,
        )
    if "loaded" not in frames:  # died before or while loading the file
        return _whole_run(task, _died(result, "while loading your file"), started, result)

    tests: list[TestResult] = []
    first: TestResult | None = None
    failed_groups: set[str] = set()
    outputs: dict[str, Any] = {}  # decoded outputs of the cases that passed, for twin checks
    for index, case in enumerate(cases):
        frame = case_frames.get(index)
        if frame is None:
            if first is None:  # this is where the run stopped
                died = _died(result, f"in test '{case.name}'")
                inputs = _inputs(task, case)  # formatted for failures only (arrays: slow)
                t = TestResult(case.name, False, died.message, case.group, "failed", inputs, died)
                first = t
            else:
                t = TestResult(case.name, False, "not run: the run stopped earlier", case.group,
                               "not_run")  # fmt: skip
            tests.append(t)
            continue
        if case.group in failed_groups:
            tests.append(
                TestResult(
                    case.name,
                    False,
                    "not checked after the first failure in this group",
                    case.group,
                    "not_checked",
                )
            )
            continue
        try:
            failure = _check_case(task, case, index, frame, outputs)
        except Exception as exc:  # whatever the child returned, the grade ends in a report
            failure = Failure(
                Verdict.BAD_OUTPUT,
                f"the returned value could not be judged ({type(exc).__name__}); return plain "
                "numbers, NumPy arrays, or tuples of them",
            )
        if failure is None:
            tests.append(TestResult(case.name, True, "", case.group, "passed"))
            continue
        if not failure.hint:
            failure.hint = case.hint
        failed_groups.add(case.group)
        t = TestResult(case.name, False, failure.message.splitlines()[0], case.group, "failed",
                       _inputs(task, case), failure)  # fmt: skip
        tests.append(t)
        if first is None:
            first = t
    verdict = first.failure.verdict if first is not None and first.failure else Verdict.PASSED
    if result.malformed and verdict is Verdict.PASSED:
        verdict = Verdict.BAD_OUTPUT
    return Report(
        task=task.id,
        verdict=verdict,
        tests=tests,
        duration_s=time.perf_counter() - started,
        sandbox=result.describe_sandbox(),
        message=result.malformed,
        output=result.output,
        output_dropped=result.output_dropped,
        failure=first.failure if first else None,
        failed_test=first.name if first else "",
    )


def _died(result: RunResult, during: str) -> Failure:
    """The child stopped without reporting: a time limit, a signal, or an early exit."""
    import signal

    code = result.returncode
    if result.timed_out:
        return Failure(
            Verdict.TIMEOUT,
            f"time limit exceeded {during} (wall clock)",
            hint="look for a loop that never ends, or an O(n³) step on a large input",
        )
    if result.malformed:  # the parent stopped reading and killed it: that is the cause
        return Failure(Verdict.BAD_OUTPUT, f"{result.malformed} {during}")
    if result.sandbox.kind == "bubblewrap" and code is not None and code > 128:
        code = -(code - 128)  # bwrap reports its child's fatal signal as 128 + signal
    if code is not None and code < 0:
        sig = -code
        if sig == signal.SIGXCPU:
            return Failure(Verdict.TIMEOUT, f"CPU time limit exceeded {during}")
        if (
            sig in (signal.SIGSEGV, signal.SIGBUS, signal.SIGABRT)
            and "MemoryError" in result.output
        ):
            return Failure(Verdict.MEMORY_LIMIT, f"ran out of memory {during}")
        name = signal.Signals(sig).name if sig in signal.Signals._value2member_map_ else str(sig)
        hint = ""
        if sig == signal.SIGSEGV:
            hint = "a crash in native code: often recursion through C (no recursion limit)"
        return Failure(
            Verdict.RUNTIME_ERROR, f"the process was killed by {name} {during}", hint=hint
        )
    if result.malformed:
        return Failure(Verdict.BAD_OUTPUT, f"{result.malformed} {during}")
    if "MemoryError" in result.output:
        return Failure(Verdict.MEMORY_LIMIT, f"ran out of memory {during}")
    return Failure(
        Verdict.RUNTIME_ERROR,
        f"the process exited (code {code}) {during} before returning a result",
        hint="do not call os._exit() or exit the interpreter; return the result",
    )


def _check_case(
    task: Task,
    case: Case,
    index: int,
    frame: tuple[dict[str, Any], list[Any]],
    outputs: dict[str, Any],
) -> Failure | None:
    from quizapp.grading._bootstrap import decode

    header, arrays = frame
    if not header.get("ok"):
        exc = header.get("exc")
        exc = exc if isinstance(exc, dict) else {}
        crash = _exception_failure(exc, f"in test '{case.name}'")
        if exc.get("type") == "TypeError" and not _user_frames(exc):
            # raised by the call itself: the parameters do not match the task's
            crash.hint = (
                f"the signature must be `{task.signature.removeprefix('def ')}` "
                "(the same parameters, in that order)"
            )
        return crash
    try:
        got = decode(header.get("out"), arrays)
    except (ValueError, KeyError, IndexError, TypeError) as exc:
        return Failure(Verdict.BAD_OUTPUT, f"the returned value could not be read ({exc})")
    if isinstance(got, Unsupported):
        hint = f"the signature is `{task.signature.removeprefix('def ')}`"
        if got.type_name == "coroutine":
            hint = f"define `{task.func_name}` with `def`, not `async def`"
        elif got.type_name == "generator":
            hint = "`return` the result instead of `yield`-ing it"
        return Failure(
            Verdict.BAD_OUTPUT,
            f"returned a {got.type_name}, which is not a number, array or tuple of them",
            hint=hint,
        )
    if case.check is not None:
        failure = case.check(case, got)
    else:
        expected = _expected(task, case, index)
        failure = task.compare(got, expected, case)
    if failure is None and case.check_inputs:
        failure = _mutation(task, case, header, arrays)
    if failure is None and case.twin_check is not None and case.twin in outputs:
        failure = case.twin_check(case, got, outputs[case.twin])
    if failure is None:
        outputs[case.name] = got
    return failure


def _expected(task: Task, case: Case, index: int) -> Any:
    import copy

    key = (task.id, index)
    if key not in _EXPECTED:
        args = copy.deepcopy(case.args)
        _EXPECTED[key] = task.reference_function()(*args, **dict(case.kwargs))
    return _EXPECTED[key]


def _mutation(task: Task, case: Case, header: dict[str, Any], arrays: list[Any]) -> Failure | None:
    """The answer must not modify its inputs in place (callers still need them)."""
    import numpy as np

    from quizapp.grading._bootstrap import decode

    after = header.get("args_after")
    if not isinstance(after, list):
        return None
    for i, (before, tree) in enumerate(zip(case.args, after, strict=False)):
        if not isinstance(before, np.ndarray | list):
            continue
        try:
            now = decode(tree, arrays)
        except (ValueError, KeyError, IndexError, TypeError):
            continue
        if now is None:
            continue
        try:
            same = bool(
                np.array_equal(np.asarray(now), np.asarray(before), equal_nan=True)
                if isinstance(before, np.ndarray)
                else now == before
            )
        except Exception:  # e.g. an array put into a list input: not what was passed
            same = False
        if not same:
            name = task.params[i] if i < len(task.params) else f"argument {i + 1}"
            return Failure(
                Verdict.WRONG_ANSWER,
                f"your function modified its input `{name}` in place",
                hint=f"work on a copy (`{name} = np.array({name}, dtype=float)`) or use "
                "operations that return new arrays (`x * m`, not `x *= m`)",
            )
    return None


def _inputs(task: Task, case: Case) -> str:
    from quizapp.grading.compare import fmt

    parts = []
    for i, value in enumerate(case.args):
        name = task.params[i] if i < len(task.params) else f"arg{i}"
        parts.append(f"{name} = {fmt(value)}")
    parts += [f"{k} = {fmt(v)}" for k, v in case.kwargs.items()]
    return ", ".join(parts)
