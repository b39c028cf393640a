"""A scratch run: the user's code plus one call they typed, in the grader's sandbox.

LeetCode's "Run" on your own input. Nothing is judged: whatever the code prints and the call's
`repr` come back as text. The call is Python the user wrote, so it runs only inside the sandbox
child (the same limits, seccomp and bubblewrap as grading); the app itself only checks that it
parses as a single expression.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from quizapp.grading.sandbox import CancelToken, Limits, WarmPool, spawn
from quizapp.grading.verdicts import escape_controls

MAX_CALL_CHARS = 2000
_MARK = "\x1equizapp-scratch-value\x1e"  # separates the user's prints from the call's value


@dataclass(frozen=True)
class ScratchResult:
    ok: bool
    value: str  # repr of the call's result ("" when it failed)
    output: str  # what the code printed (truncated by the sandbox's output limit)
    error: str = ""  # the exception, a time-out, or why the call was refused

    def text(self) -> str:
        """The result as the code screen shows it: output, then the value or the error."""
        lines = ["Scratch run — nothing is graded"]
        if self.output:
            lines += ["   printed:"] + ["     | " + ln for ln in self.output.splitlines()[-20:]]
        if self.ok:
            lines.append("   value:  " + self.value)
        else:
            lines += ["   " + ln for ln in self.error.splitlines()]
        return escape_controls("\n".join(lines))  # the child's text: no ESC/OSC to the terminal


def check_call(call: str) -> str:
    """'' if `call` is one Python expression, else one sentence saying what to type."""
    if not call.strip():
        return "type a call to try, e.g. l1_penalty(np.array([0.5, -1.2]), 0.1)"
    if len(call) > MAX_CALL_CHARS:
        return f"the call is longer than {MAX_CALL_CHARS} characters"
    try:
        ast.parse(call.strip(), mode="eval")
    except SyntaxError as exc:
        return f"not one Python expression ({exc.msg}); type a call such as f(x, 0.5)"
    except ValueError:  # a NUL byte: ValueError before Python 3.11.4 (SyntaxError since)
        return "the call contains a NUL character; type a call such as f(x, 0.5)"
    return ""


def scratch_script(code: str, call: str) -> str:
    """The answer, then the call; its value is printed after a marker line."""
    return (
        f"{code.rstrip()}\n\n"
        "import numpy as np  # the call may use np even if the answer imported it otherwise\n"
        f"print({_MARK!r}, repr({call.strip()}), sep='')\n"
    )


def run_scratch(
    code: str,
    call: str,
    *,
    limits: Limits | None = None,
    pool: WarmPool | None = None,
    cancel: CancelToken | None = None,
) -> ScratchResult:
    from quizapp.grading._bootstrap import pack

    problem = check_call(call)
    if problem:
        return ScratchResult(False, "", "", problem)
    limits = limits or Limits()
    job = pack({"code": scratch_script(code, call), "func": "__scratch__"}, [])
    job += pack({"cases": []}, [])
    child = pool.take() if pool is not None else spawn(limits)
    try:
        result = child.run(job, cancel, limits.wall_s)
    finally:
        child.kill()
        if pool is not None:
            pool.prestart()
    printed, _, value = result.output.partition(_MARK)
    value = value.rstrip("\n")
    if result.cancelled:
        return ScratchResult(False, "", printed, "cancelled")
    if result.timed_out:
        return ScratchResult(False, "", printed, f"stopped after {limits.wall_s:g} s (time limit)")
    for header, _ in result.frames:
        if header.get("kind") == "import_error":
            # the child wrote this frame, maybe forged: every field is checked before use
            exc = header.get("exc")
            exc = exc if isinstance(exc, dict) else {}
            frames = exc.get("frames")
            where = [
                "in your call: " + call.strip()[:200]
                if "quizapp-scratch-value" in str(f[3])
                else f"line {str(f[1])[:20]}: {str(f[3] or '').strip()[:200]}"
                for f in (frames if isinstance(frames, list) else [])
                if isinstance(f, list) and len(f) == 4 and f[0] == "solution.py"
            ][-3:]
            kind = str(exc.get("type", "Exception"))[:100]
            message = f"{kind}: {str(exc.get('message', ''))[:500]}"
            return ScratchResult(False, "", printed, "\n".join([*where, message]))
    if _MARK not in result.output:
        return ScratchResult(False, "", printed, "the run ended without a value (output limit?)")
    return ScratchResult(True, value, printed)
