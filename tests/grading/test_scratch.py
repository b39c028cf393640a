"""Scratch runs: the user's call runs in the sandbox child; the parent only parses it."""

from __future__ import annotations

from hypothesis import given, settings
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
def test_check_call_never_raises(call: str) -> None:
    assert isinstance(check_call(call), str)
