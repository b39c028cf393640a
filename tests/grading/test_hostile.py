"""Hostile answers are contained: right verdict, bounded time, no process left, nothing written.

Each runs under bubblewrap (when it works here) and under the rlimits-only fallback.
"""

from __future__ import annotations

import contextlib
import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from quizapp.grading import Limits, grade, render_text

from .helpers import Entry, hostile_entries, wait_no_children

ENTRIES = hostile_entries()
LIMITS = Limits(wall_s=1.5, cpu_s=2)
# Touching ~700 MB costs seconds of page faults on some VMs: memory bombs get more wall time.
MEMORY_LIMITS = Limits(wall_s=8.0, cpu_s=8)
WRITE_TARGETS = [
    Path("/tmp/quizapp_hostile_tmp.txt"),
    Path("/root/quizapp_hostile_home.txt"),
    Path("/var/tmp/quizapp_hostile.txt"),
    Path("/dev/shm/quizapp_hostile.txt"),
    Path.home() / "quizapp_hostile_home2.txt",
    Path("quizapp_hostile_cwd.txt").absolute(),
]
PORT = 47653


@pytest.fixture
def listener() -> Iterator[list[bytes]]:
    """A TCP server on the host's loopback that records whatever reaches it."""
    received: list[bytes] = []
    srv = socket.socket()
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        srv.bind(("127.0.0.1", PORT))
    except OSError:
        pytest.skip(f"port {PORT} is busy")
    srv.listen()
    srv.settimeout(0.1)
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = srv.accept()
            except OSError:
                continue
            with conn:
                conn.settimeout(1)
                with contextlib.suppress(OSError):
                    received.append(conn.recv(100))

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield received
    stop.set()
    thread.join()
    srv.close()


def _clean() -> None:
    for path in WRITE_TARGETS:
        path.unlink(missing_ok=True)


@pytest.mark.parametrize("entry", ENTRIES, ids=[e.path.stem for e in ENTRIES])
def test_hostile_answer_is_contained(
    entry: Entry, sandbox_mode: str, request: pytest.FixtureRequest
) -> None:
    received = request.getfixturevalue("listener") if entry.path.stem == "socket_open" else []
    _clean()
    start = time.monotonic()
    try:
        limits = MEMORY_LIMITS if entry.expect == "memory_limit" else LIMITS
        report = grade(entry.task, entry.path.read_bytes(), limits=limits)
        elapsed = time.monotonic() - start
        assert str(report.verdict) == entry.expect, render_text(report)
        assert elapsed < limits.wall_s + 4, f"took {elapsed:.1f} s"
        assert report.sandbox.startswith(
            "bubblewrap" if sandbox_mode == "bubblewrap" else "rlimits"
        )
        assert wait_no_children() == [], "a sandbox process outlived its grade"
        confined = sandbox_mode == "bubblewrap" or "Landlock" in report.sandbox
        if confined:
            leaked = [str(p) for p in WRITE_TARGETS if p.exists()]
            assert leaked == [], "the answer wrote outside its sandbox"
            assert received == [], "the answer reached the host's network"
        if entry.path.stem == "huge_output":
            assert len(report.output.encode()) <= LIMITS.output_bytes
            assert report.output_dropped > 29_000_000
        if entry.path.stem == "kill_parent":
            assert os.getpid() > 0  # still alive to run this line
    finally:
        _clean()


def test_timeout_names_the_test_that_hung() -> None:
    code = (
        "import numpy as np\n"
        "def l1_penalty(w, lam):\n"
        "    while lam == 0: pass\n"
        "    return float(lam * np.abs(w).sum())\n"
    )
    report = grade("l1_penalty", code, limits=LIMITS)
    assert report.verdict == "timeout"
    assert report.failed_test == "lam = 0"
    assert [t.status for t in report.tests[:2]] == ["passed", "passed"]
    assert report.tests[3].status == "not_run"
    assert wait_no_children() == []


def test_traceback_is_trimmed_to_the_answer() -> None:
    code = "def helper(x):\n    return x[99]\n\ndef soft_threshold(x, t):\n    return helper(x)\n"
    report = grade("soft_threshold", code)
    assert report.verdict == "runtime_error"
    assert report.failure is not None
    tb = report.failure.traceback
    assert tb[-1].startswith("IndexError:")
    assert any("line 5, in soft_threshold" in line for line in tb)
    assert any("line 2, in helper" in line for line in tb)
    assert not any("_bootstrap" in line or "<string>" in line for line in tb)
