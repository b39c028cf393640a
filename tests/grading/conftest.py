"""Fixtures for the grader's tests: run a test under both sandboxes."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from quizapp.grading import sandbox

from .helpers import BWRAP


@pytest.fixture(params=["bubblewrap", "rlimits"])
def sandbox_mode(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Run a test in both sandboxes (bubblewrap only where it works)."""
    if request.param == "bubblewrap" and not BWRAP:
        pytest.skip("bubblewrap is not usable here")
    if request.param == "rlimits":
        monkeypatch.setattr(sandbox, "_forced_fallback", "forced by the test")
    yield request.param
