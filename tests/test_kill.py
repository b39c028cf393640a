"""A real `quizapp` process on a pty: rate cards, SIGKILL it, and find every rating it had
acknowledged (by moving on to the next card) in a database that passes integrity_check."""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import signal
import sqlite3
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest

ANSI = re.compile(rb"\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b[()][0-9A-Za-z]|\x1b[=>78]")
N = 6


def write_deck(folder: Path) -> None:
    cards = []
    for i in range(N):
        cards.append(
            f"""  - id: k-{i}
    type: basic
    tags: [t]
    prompt: "QMARK{i}X"
    answer: "AMARK{i}X"
    explanation: because
    source: {{beyond: "test"}}
"""
        )
    (folder / "k.yaml").write_text("deck: k\ntitle: Kill deck\ncards:\n" + "".join(cards))


class Pty:
    def __init__(self, argv: list[str], env: dict[str, str]) -> None:
        self.master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        self.proc = subprocess.Popen(
            argv, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True
        )
        os.close(slave)
        self.seen = b""

    def wait_for(self, text: str, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        needle = text.encode()
        while time.monotonic() < deadline:
            if needle in ANSI.sub(b"", self.seen):
                self.seen = b""
                return
            ready, _, _ = select.select([self.master], [], [], 0.1)
            if ready:
                try:
                    self.seen += os.read(self.master, 65536)
                except OSError:
                    break
        tail = ANSI.sub(b"", self.seen)[-800:]
        raise AssertionError(f"never saw {text!r}; screen tail: {tail!r}")

    def send(self, keys: str) -> None:
        os.write(self.master, keys.encode())

    def kill(self) -> None:
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(10)
        os.close(self.master)


def _terminal_env(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """The kill deck and a fresh database, in the environment of an 80×24 xterm."""
    decks = tmp_path / "decks"
    decks.mkdir()
    write_deck(decks)
    db = tmp_path / "kill.db"
    env = {
        **os.environ,
        "QUIZAPP_DECKS": str(decks),
        "QUIZAPP_DB": str(db),
        "TERM": "xterm-256color",
        "COLUMNS": "80",
        "LINES": "24",
    }
    env.pop("TEXTUAL_HEADLESS", None)
    return db, env


@pytest.mark.skipif(sys.platform != "linux", reason="pty + SIGKILL semantics tested on Linux")
def test_sigkill_mid_session_loses_no_acknowledged_rating(tmp_path: Path) -> None:
    db, env = _terminal_env(tmp_path)
    term = Pty([sys.executable, "-m", "quizapp", "review"], env)
    acknowledged = []
    try:
        term.wait_for("QMARK0X", timeout=60)
        for i in range(N - 2):
            term.send(" ")
            term.wait_for(f"AMARK{i}X")
            term.send("4" if i % 2 else "3")
            term.wait_for(f"QMARK{i + 1}X")  # the app moved on: the rating is acknowledged
            acknowledged.append((f"k-{i}", 4 if i % 2 else 3))
        term.send(" ")
        term.wait_for(f"AMARK{N - 2}X")
        term.send("3")  # in flight: may or may not be committed, never half-written
    finally:
        term.kill()
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        rows = conn.execute("SELECT card_id, rating FROM review_log ORDER BY id").fetchall()
        assert rows[: len(acknowledged)] == acknowledged
        assert len(rows) in (len(acknowledged), len(acknowledged) + 1)
        # Each logged rating's card state was committed with it (same transaction).
        for card_id, _ in rows:
            reps = conn.execute("SELECT reps FROM card WHERE card_id = ?", (card_id,)).fetchone()
            assert reps == (1,)
    finally:
        conn.close()


def _open_first_task(tmp_path: Path) -> tuple[Pty, Path, str]:
    from quizapp.grading.catalog import all_tasks

    task = all_tasks()[0]
    db, env = _terminal_env(tmp_path)
    term = Pty([sys.executable, "-m", "quizapp"], env)
    try:
        term.wait_for("Kill deck", timeout=60)
        term.send("c")
        term.wait_for(task.id)
        term.send("\r")
        term.wait_for("^r Run", timeout=30)  # the code screen's footer
    except BaseException:
        term.kill()  # a failed wait must not leave the app running after the test
        raise
    time.sleep(2.5)  # the editor takes focus once its grammar is loaded
    return term, db, task.id


def _draft(db: Path, task_id: str) -> str | None:
    conn = sqlite3.connect(db)
    try:
        row = conn.execute("SELECT code FROM code_draft WHERE task_id = ?", (task_id,)).fetchone()
    finally:
        conn.close()
    return None if row is None else str(row[0])


@pytest.mark.skipif(sys.platform != "linux", reason="pty + signals tested on Linux")
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP])
def test_sigterm_and_sighup_keep_the_last_edit(tmp_path: Path, sig: signal.Signals) -> None:
    term, db, task_id = _open_first_task(tmp_path)
    try:
        term.send("qq")  # then the signal at once, well inside the 0.5 s debounce
        time.sleep(0.15)
        os.kill(term.proc.pid, sig)
        term.proc.wait(20)
    finally:
        if term.proc.poll() is None:
            term.kill()
        else:
            os.close(term.master)
    draft = _draft(db, task_id)
    assert draft is not None and "qq" in draft


@pytest.mark.skipif(sys.platform != "linux", reason="pty + SIGKILL semantics tested on Linux")
def test_steady_typing_then_sigkill_loses_at_most_two_seconds(tmp_path: Path) -> None:
    term, db, task_id = _open_first_task(tmp_path)
    typed = 0
    try:
        start = time.monotonic()
        while time.monotonic() - start < 4.0:  # a key every 0.25 s: never a 0.5 s pause
            term.send("z")
            typed += 1
            time.sleep(0.25)
    finally:
        term.kill()
    draft = _draft(db, task_id)
    assert draft is not None
    # Saved at least every 2 s: at most ~2.5 s of keys (10 at 0.25 s) can be missing.
    assert draft.count("z") >= typed - 10
