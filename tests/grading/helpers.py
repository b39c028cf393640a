"""Helpers for the grader's tests: corpus discovery and leftover-process checks."""

from __future__ import annotations

import os
import re
import time
from dataclasses import dataclass
from pathlib import Path

from quizapp.grading import sandbox

CORPUS = Path(__file__).parent / "corpus"
# Files that cannot carry a header comment.
_HEADERLESS = {
    "binary_file.bin": ("l1_penalty", "syntax_error"),
    "empty_file.py": ("l1_penalty", "missing_function"),
}


@dataclass(frozen=True)
class Entry:
    path: Path
    task: str
    expect: str

    @property
    def id(self) -> str:
        return f"{self.task}/{self.path.stem}"


def _entry(path: Path, default_task: str) -> Entry:
    if path.name in _HEADERLESS:
        return Entry(path, *_HEADERLESS[path.name])
    text = path.read_text(encoding="utf-8", errors="replace")
    task = re.search(r"^# task: (\w+)", text, re.M)
    expect = re.search(r"^# expect: (\w+)", text, re.M)
    assert expect, f"{path} has no '# expect:' line"
    return Entry(path, task.group(1) if task else default_task, expect.group(1))


def corpus_entries() -> list[Entry]:
    return [
        _entry(path, path.parent.name)
        for path in sorted(CORPUS.glob("*/*.py"))
        if path.parent.name != "hostile"
    ]


def hostile_entries() -> list[Entry]:
    hostile = CORPUS / "hostile"
    return [_entry(path, "") for path in sorted([*hostile.glob("*.py"), *hostile.glob("*.bin")])]


def our_children() -> list[int]:
    """Live sandbox processes started by this test process (their config names our pid)."""
    marker = f'"parent_pid": {os.getpid()}'.encode()
    found = []
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/cmdline", "rb") as fh:
                cmdline = fh.read()
            with open(f"/proc/{entry.name}/stat", "rb") as fh:
                state = fh.read().rsplit(b")", 1)[-1].split()[0]
        except OSError:
            continue
        if marker in cmdline and state != b"Z":
            found.append(int(entry.name))
    return found


def wait_no_children(timeout: float = 3.0) -> list[int]:
    deadline = time.monotonic() + timeout
    while True:
        left = our_children()
        if not left or time.monotonic() > deadline:
            return left
        time.sleep(0.02)


# bubblewrap installed is not enough (no unprivileged user namespaces, an AppArmor profile...):
# start one child and see.
BWRAP = sandbox.probe().kind == "bubblewrap"
