"""Verdicts and the grading report: the JSON contract of PRODUCT.md plus the text form.

No NumPy here: the report is built from strings the comparison already formatted, so the CLI
can print it and the TUI can render it without importing anything heavy.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "Failure",
    "Report",
    "TestResult",
    "Verdict",
    "escape_controls",
    "json_text",
    "render_text",
]


class Verdict(enum.StrEnum):
    PASSED = "passed"
    WRONG_ANSWER = "wrong_answer"
    RUNTIME_ERROR = "runtime_error"
    SYNTAX_ERROR = "syntax_error"
    TIMEOUT = "timeout"
    MEMORY_LIMIT = "memory_limit"
    MISSING_FUNCTION = "missing_function"
    FORBIDDEN_IMPORT = "forbidden_import"
    BAD_OUTPUT = "bad_output"


@dataclass
class Failure:
    """Why one test failed, with everything the report shows for the first failure."""

    verdict: Verdict
    message: str
    expected: str | None = None
    got: str | None = None
    max_abs: float | None = None
    max_rel: float | None = None
    hint: str = ""
    traceback: list[str] = field(default_factory=list)


@dataclass
class TestResult:
    name: str
    passed: bool
    message: str = ""
    group: str = ""
    status: str = "passed"  # passed | failed | not_checked | not_run
    inputs: str = ""
    failure: Failure | None = None

    __test__ = False  # not a pytest class


@dataclass
class Report:
    task: str
    verdict: Verdict
    tests: list[TestResult]
    duration_s: float
    sandbox: str
    message: str = ""  # a whole-run problem: syntax error, timeout, missing function...
    output: str = ""  # the answer's stdout/stderr, truncated
    output_dropped: int = 0
    failure: Failure | None = None  # the first failure, shown in detail
    failed_test: str = ""

    @property
    def passed(self) -> bool:
        return self.verdict is Verdict.PASSED

    @property
    def n_passed(self) -> int:
        return sum(t.passed for t in self.tests)

    def to_json(self) -> dict[str, Any]:
        """The `quizapp grade --json` object: PRODUCT.md's keys first, extras after."""
        data: dict[str, Any] = {
            "task": self.task,
            "verdict": str(self.verdict),
            "passed": self.passed,
            "tests": [
                {"name": t.name, "passed": t.passed, "message": t.message} for t in self.tests
            ],
            "duration_s": round(self.duration_s, 4),
            "sandbox": self.sandbox,
            "message": self.message,
            "output": self.output,
        }
        if self.failure is not None:
            f = self.failure
            data["first_failure"] = {
                "test": self.failed_test,
                "message": f.message,
                "expected": f.expected,
                "got": f.got,
                "max_abs_error": f.max_abs,
                "max_rel_error": f.max_rel,
                "hint": f.hint,
                "traceback": f.traceback,
            }
        return data


def render_text(report: Report) -> str:
    """The text report of EXAMPLES.md: one line per test, details for the first failure."""
    n = len(report.tests)
    head = f"{report.task} — {report.verdict}"
    if n:
        head += f" ({report.n_passed}/{n} tests passed"
    else:
        head += " ("
    head += f"{', ' if n else ''}{report.duration_s:.2f} s, sandbox: {report.sandbox})"
    lines = [head]
    whole_run = report.failure is not None and report.failure.message == report.message
    if report.message and not whole_run:
        lines += ["  " + line for line in report.message.split("\n")]
    shown_detail = False
    by_group_skipped: dict[str, int] = {}
    for t in report.tests:
        if t.status == "passed":
            lines.append(f" ✔ {t.name}")
        elif t.status == "failed":
            lines.append(f" ✘ {t.name}")
            if not shown_detail and t.failure is not None:
                shown_detail = True
                lines += _detail(t)
            elif t.message:
                lines.append(f"     {t.message}")
        elif t.status == "not_checked":
            by_group_skipped[t.group] = by_group_skipped.get(t.group, 0) + 1
            if _last_of_group(report.tests, t):
                k = by_group_skipped[t.group]
                lines.append(
                    f" · {k} more test{'s' if k > 1 else ''} not run after the first failure "
                    "in this group"
                )
        elif _first_not_run(report.tests, t):
            k = sum(o.status == "not_run" for o in report.tests)
            lines.append(f" · {k} more test{'s' if k > 1 else ''} not run: the run stopped there")
    if report.failure is not None and not shown_detail:
        lines += _failure_lines(report.failure, indent="  ")
    if report.output:
        lines.append("   your output:")
        lines += ["     | " + line for line in report.output.rstrip("\n").split("\n")[-20:]]
        if report.output_dropped:
            lines.append(f"     | … {report.output_dropped} more bytes not shown")
    return escape_controls("\n".join(lines))


# C0 controls but the newline, DEL, C1 controls (0x9b is a one-byte CSI), the bidi overrides
# and marks that can reorder what a line shows, and the Unicode line/paragraph separators (a
# line break some terminals and viewers honour: a forged "passed" line).
_CONTROLS = {
    c: f"\\x{c:02x}" if c < 0x100 else f"\\u{c:04x}"
    for c in [*range(0x00, 0x0A), *range(0x0B, 0x20), *range(0x7F, 0xA0), 0x061C,
              0x200E, 0x200F, 0x2028, 0x2029, *range(0x202A, 0x202F), *range(0x2066, 0x206A)]
}  # fmt: skip


def escape_controls(text: str) -> str:
    """Child text made safe for a terminal: ESC, CR, BEL, CSI... shown as ``\\x1b`` etc."""
    return text.translate(_CONTROLS)


def json_text(report: Report) -> str:
    """`--json` output: JSON escapes C0 controls itself; DEL, C1 and bidi controls too here."""
    import json

    text = json.dumps(report.to_json(), ensure_ascii=False)
    return text.translate({c: f"\\u{c:04x}" for c in _CONTROLS if c >= 0x7F})


def _first_not_run(tests: list[TestResult], t: TestResult) -> bool:
    return next(o for o in tests if o.status == "not_run") is t


def _last_of_group(tests: list[TestResult], t: TestResult) -> bool:
    after = tests[tests.index(t) + 1 :]
    return not any(o.group == t.group and o.status == "not_checked" for o in after)


def _detail(t: TestResult) -> list[str]:
    lines = []
    if t.inputs:
        lines += _indent("input " + t.inputs)
    assert t.failure is not None
    return lines + _failure_lines(t.failure)


def _failure_lines(f: Failure, indent: str = "     ") -> list[str]:
    lines = _indent(f.message, indent)
    if f.expected is not None:
        lines += _indent("expected " + f.expected, indent)
    if f.got is not None:
        errs = []
        if f.max_abs is not None:
            errs.append(f"max abs error {f.max_abs:.3g}")
        if f.max_rel is not None:
            errs.append(f"max rel error {f.max_rel:.3g}")
        got = "got      " + f.got
        if errs:
            got += "   (" + ", ".join(errs) + ")"
        lines += _indent(got, indent)
    if f.traceback:
        lines.append(indent + "traceback (your code):")
        lines += [indent + "  " + line for line in f.traceback]
    if f.hint:
        lines += _indent("hint: " + f.hint, indent)
    return lines


def _indent(text: str, indent: str = "     ") -> list[str]:
    return [indent + line for line in text.split("\n")] if text else []
