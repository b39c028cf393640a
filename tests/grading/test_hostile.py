"""Hostile answers are contained: right verdict, bounded time, no process left, nothing written.

Each runs under bubblewrap (when it works here) and under the rlimits-only fallback.
"""

from __future__ import annotations

import contextlib
import os
import re
import socket
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from quizapp.grading import Limits, grade, render_text

from .helpers import Entry, hostile_entries, wait_no_children

ENTRIES = hostile_entries()
LIMITS = Limits(wall_s=3.0, cpu_s=3)  # generous: CI machines are often loaded
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


_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f]")


def _workdirs() -> set[str]:
    return {p.name for p in Path(tempfile.gettempdir()).glob("quizapp-grade-*")}


def _exists(path: Path) -> bool:
    try:
        return path.exists()
    except OSError:  # e.g. /root/... when the tests run as an unprivileged user
        return False


def _clean() -> None:
    for path in WRITE_TARGETS:
        with contextlib.suppress(OSError):
            path.unlink(missing_ok=True)


@pytest.mark.parametrize("entry", ENTRIES, ids=[e.path.stem for e in ENTRIES])
def test_hostile_answer_is_contained(
    entry: Entry, sandbox_mode: str, request: pytest.FixtureRequest
) -> None:
    received = request.getfixturevalue("listener") if entry.path.stem == "socket_open" else []
    _clean()
    before = _workdirs()
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
            leaked = [str(p) for p in WRITE_TARGETS if _exists(p)]
            assert leaked == [], "the answer wrote outside its sandbox"
            assert received == [], "the answer reached the host's network"
        if entry.path.stem == "huge_output":
            assert len(report.output.encode()) <= LIMITS.output_bytes
            assert report.output_dropped > 29_000_000
        text = render_text(report)
        assert not _CONTROL.search(text), "a control character reached the text report"
        assert _workdirs() <= before, "a work dir outlived its grade"
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


def _answer(body: str) -> str:
    """An l1_penalty answer that runs ``body`` (which sets ``bad``) and is wrong if bad."""
    return (
        "import numpy as np\nbad = []\n" + body + "\n\n"
        "def l1_penalty(w, lam):\n"
        "    if bad:\n        raise RuntimeError(repr(bad))\n"
        "    return float(lam * np.abs(np.asarray(w, dtype=float)).sum())\n"
    )


def test_the_child_runs_under_another_uid(sandbox_mode: str) -> None:
    """Issue 11 (1): bubblewrap's user namespace makes the child nobody; as root without it,
    the child drops to nobody when nobody can run the interpreter."""
    from quizapp.grading import sandbox

    code = _answer(f"import os\nif os.getuid() == {os.getuid()}: bad.append(os.getuid())")
    report = grade("l1_penalty", code, limits=LIMITS)
    if sandbox_mode == "rlimits" and not (os.getuid() == 0 and sandbox._nobody_can_run_python()):
        assert report.verdict == "runtime_error"  # no way to switch uid: documented
    else:
        assert report.passed, render_text(report)


def test_bubblewrap_shows_only_what_the_child_needs(sandbox_mode: str) -> None:
    """Issue 11 (3): no host files (/etc, the home directory, the repository or another
    checkout's `solvers`) are readable from an answer."""
    repo = str(Path(__file__).resolve().parents[2])
    # A venv inside the checkout (CI's .venv-ci) is bound read-only, and bubblewrap creates the
    # empty parent directories of a bind: listing the checkout may show that one name, no file.
    prefix = Path(sys.prefix).resolve()
    skeleton = prefix.relative_to(repo).parts[0] if prefix.is_relative_to(repo) else None
    body = (
        "import os\n"
        f"for p in ('/etc/passwd', '/etc/shadow', os.path.expanduser('~root'), {repo!r},\n"
        f"          {repo + '/solvers/__init__.py'!r}, '/usr/bin/env', '/var', '/home'):\n"
        "    try:\n"
        "        if os.path.isfile(p):\n"
        "            open(p, 'rb').close()\n"
        f"        elif set(os.listdir(p)) <= ({{{skeleton!r}}} if p == {repo!r} else set()):\n"
        "            continue  # only the skeleton of a bound venv\n"
        "        bad.append(p)\n"
        "    except OSError:\n"
        "        pass\n"
    )
    report = grade("l1_penalty", _answer(body), limits=LIMITS)
    if sandbox_mode == "rlimits" and "Landlock" not in report.sandbox:
        pytest.skip("without bubblewrap or Landlock the filesystem is not isolated (documented)")
    assert report.passed, render_text(report)


def test_a_warm_child_outlives_the_thread_that_asked_for_it(sandbox_mode: str) -> None:
    """Issue 11 (10): the death signal follows the spawning thread; the pool's own does it."""
    from quizapp.grading import WarmPool

    pool = WarmPool()
    asker = threading.Thread(target=pool.prestart)
    asker.start()
    asker.join()
    time.sleep(0.3)
    child = pool._child
    try:
        assert child is not None and child.alive()
        assert grade("l1_penalty", "def l1_penalty(w, lam):\n    return 0.0\n", pool=pool)
        assert not child.alive()
    finally:
        pool.close()
    assert wait_no_children() == []


def test_no_survivor_when_the_app_is_killed() -> None:
    """Issue 11 (9): without bubblewrap, an answer that clears its death signal still dies
    with the app (prctl(PR_SET_PDEATHSIG) is refused by seccomp)."""
    import subprocess
    import sys

    hostile = Path(__file__).parent / "corpus" / "hostile" / "clears_death_signal.py"
    script = (
        "import sys\nfrom quizapp.grading import Limits, grade\n"
        f"grade('l1_penalty', open({str(hostile)!r}).read(), limits=Limits(wall_s=30, cpu_s=30))\n"
    )
    env = dict(os.environ, QUIZAPP_SANDBOX="rlimits")
    app = subprocess.Popen([sys.executable, "-c", script], env=env, cwd=Path(__file__).parents[2])

    def stat_of(pid: int) -> tuple[int, str, str] | None:
        """(parent pid, state, start time) of a live process, None once it is gone."""
        try:
            with open(f"/proc/{pid}/stat", "rb") as fh:
                fields = fh.read().rsplit(b")", 1)[1].split()
        except OSError:
            return None
        return int(fields[1]), fields[0].decode(), fields[19].decode()

    def sandbox_children() -> dict[int, str]:
        """The app's children that run Python (the sandbox), with their start times."""
        found = {}
        for entry in os.scandir("/proc"):
            if entry.name.isdigit() and (st := stat_of(int(entry.name))) and st[0] == app.pid:
                with contextlib.suppress(OSError), open(f"/proc/{entry.name}/cmdline", "rb") as fh:
                    if b"marshal" in fh.read():  # the bootstrap's loader
                        found[int(entry.name)] = st[2]
        return found

    def alive(watched: dict[int, str]) -> list[int]:
        return [
            pid for pid, start in watched.items()
            if (st := stat_of(pid)) and st[2] == start and st[1] != "Z"
        ]  # fmt: skip

    deadline = time.monotonic() + 20
    while not sandbox_children() and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(1.0)  # the answer has cleared its death signal by now (or tried to)
    watched = sandbox_children()
    assert watched, "the grade never started"
    app.kill()
    app.wait()
    deadline = time.monotonic() + 3
    while alive(watched) and time.monotonic() < deadline:
        time.sleep(0.05)
    left = alive(watched)
    for pid in left:
        with contextlib.suppress(OSError):
            os.kill(pid, 9)
    assert left == [], "a sandbox child survived the app"


def test_without_landlock_the_child_cannot_reach_the_app(monkeypatch: pytest.MonkeyPatch) -> None:
    """Second adversarial pass: a fallback child that keeps the app's uid (an unprivileged app,
    or root with an interpreter nobody can read) and has no Landlock (an old kernel) could open
    /proc/<app>/mem read-write (write the app's memory), /proc/<app>/environ and the app's fds.
    The app is made non-dumpable and a root child drops every capability."""
    from quizapp.grading import sandbox

    monkeypatch.setattr(sandbox, "_forced_fallback", "forced by the test")
    monkeypatch.setattr(sandbox, "_landlock_paths", lambda workdir: {})  # a kernel without it
    monkeypatch.setattr(sandbox, "_nobody_can_run_python", lambda: False)  # keep the app's uid
    body = (
        "import os\n"
        "app = os.getppid()\n"
        "for name, flags in (('mem', os.O_RDWR), ('environ', os.O_RDONLY)):\n"
        "    try:\n"
        "        os.close(os.open(f'/proc/{app}/{name}', flags))\n"
        "        bad.append(name)\n"
        "    except OSError:\n"
        "        pass\n"
        "try:\n"
        "    fds = os.listdir(f'/proc/{app}/fd')  # a root child may see the numbers\n"
        "except OSError:\n"
        "    fds = []\n"
        "for fd in fds:\n"
        "    try:\n"
        "        os.close(os.open(f'/proc/{app}/fd/{fd}', os.O_RDONLY | os.O_NONBLOCK))\n"
        "        bad.append(('fd', fd))\n"
        "    except OSError:\n"
        "        pass\n"
    )
    report = grade("l1_penalty", _answer(body), limits=LIMITS)
    assert "Landlock" not in report.sandbox
    assert report.passed, render_text(report)
    assert wait_no_children() == []
