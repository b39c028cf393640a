"""Scratch runs: the user's call runs in the sandbox child; the parent only parses it."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from quizapp.grading.sandbox import Limits
from quizapp.grading.scratch import check_call, run_scratch

CODE = (
    "import numpy as np\n\ndef f(w, lam):\n    print('got', w)\n    return lam * np.abs(w).sum()\n"
)


def test_value_and_output_come_back() -> None:
    r = run_scratch(CODE, "f(np.array([1.0, -2.0]), 0.5)")
    assert r.ok and r.value in ("np.float64(1.5)", "1.5")  # the repr varies by NumPy
    assert "got [ 1. -2.]" in r.output


def test_errors_are_named_not_raised() -> None:
    r = run_scratch(CODE, "f(1 / 0, 1)")
    assert not r.ok and "ZeroDivisionError" in r.error and "in your call" in r.error
    assert not run_scratch(CODE, "f(").ok
    assert "one Python expression" in run_scratch(CODE, "x = 1").error


def test_a_call_that_never_ends_is_stopped() -> None:
    r = run_scratch(CODE, "[0 for _ in iter(int, 1)]", limits=Limits(wall_s=1.0, cpu_s=1))
    assert not r.ok and ("time limit" in r.error or "Error" in r.error)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
@example("f(\x00)")  # ValueError from ast.parse on Python 3.11.2 (CI's system interpreter)
def test_check_call_never_raises(call: str) -> None:
    assert isinstance(check_call(call), str)


def test_the_childs_text_reaches_the_screen_escaped() -> None:
    """Second adversarial pass: a scratch run's printed output and value went to the editor
    screen raw — an OSC 52 clipboard write, a clear screen, the one-byte CSI."""
    code = 'print("\\x1b]52;c;SGk=\\x07\\x1b[2J\\x9b\\u202e")\ndef f(x):\n    return x\n'
    text = run_scratch(code, "f(1)").text()
    assert "\\x1b]52" in text and "\\x9b" in text and "\\u202e" in text
    assert not any(c in text for c in "\x1b\x07\x9b\u202e")


FORGED = [
    {"kind": "import_error", "exc": 5},
    {"kind": "import_error", "exc": {"frames": 7, "type": [], "message": {}}},
    {"kind": "import_error", "exc": {"frames": [["solution.py", [], None, 3], 4]}},
]


@pytest.mark.parametrize("header", FORGED)
def test_a_forged_frame_gives_a_result_not_a_crash(header: dict[str, object]) -> None:
    """Second adversarial pass: a forged import_error frame whose `exc` is not a dict raised
    AttributeError in the worker, and the screen stayed at "Running your call…"."""
    code = (
        "import fcntl, json, os, stat, struct\n"
        "fd = next(n for n in range(3, 256) if os.path.exists(f'/proc/self/fd/{n}')\n"
        "          and stat.S_ISFIFO(os.fstat(n).st_mode)\n"
        "          and fcntl.fcntl(n, fcntl.F_GETFL) & os.O_ACCMODE == os.O_WRONLY)\n"
        f"head = json.dumps({header!r}).encode()\n"
        "os.write(fd, struct.pack('<II', len(head), 0) + head)\n"
        "os._exit(0)\n"
    )
    r = run_scratch(code, "f(1)")
    assert not r.ok and isinstance(r.text(), str)
