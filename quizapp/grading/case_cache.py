"""The encoded tests of a task, kept on disk, so that `quizapp grade` can send the job to the
sandbox the moment it is ready instead of after importing NumPy and building the tests (about
150 ms, the same time the child needs to start: the two used to run one after the other).

The file is only a hint. It is written by the app from tests it built itself, keyed by the task,
the interpreter, NumPy and the grading code; and after every run from the cache the grader builds
the tests anyway (while the answer runs) and compares bytes: a file that differs (stale, damaged,
planted) is replaced and the answer is run again on the real tests. So nothing read here can
change a verdict.
"""

from __future__ import annotations

import contextlib
import json
import os
import struct
import sys
import zlib
from pathlib import Path

_MAGIC = b"quizapp-cases 1\n"
_HEADER = struct.Struct("<II")  # the wire format's frame header (see _bootstrap.pack)
MAX_BYTES = 64 * 1024 * 1024
MAX_CASES = 1_000


def _key(task_id: str, numpy_dir: str) -> bytes:
    """What the encoded tests depend on: the task's code, the interpreter and NumPy (its
    random streams). File stats, not contents: a change of any of them is a new key."""
    here = Path(__file__).resolve().parent
    parts = [task_id, sys.version, str(here)]
    for folder in (here, here / "tasks"):
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError:
            entries = []
        for entry in entries:
            if entry.name.endswith(".py"):
                st = entry.stat()
                parts.append(f"{entry.name}:{st.st_mtime_ns}:{st.st_size}")
    for name in ("version.py", "__init__.py"):
        try:
            st = os.stat(os.path.join(numpy_dir, "numpy", name))
            parts.append(f"numpy/{name}:{st.st_mtime_ns}:{st.st_size}:{st.st_ino}")
        except OSError:
            parts.append(f"numpy/{name}:missing")
    return "\0".join(parts).encode("utf-8", "surrogateescape")


def _path(cache_dir: Path, task_id: str) -> Path:
    """One file per task (the key is inside it): a new key replaces the old file."""
    safe = "".join(c if c.isalnum() or c in "_-" else "_" for c in task_id)[:64]
    return cache_dir / "grading" / f"{safe}-{zlib.crc32(task_id.encode()):08x}.cases"


def load(cache_dir: Path, task_id: str, numpy_dir: str) -> tuple[bytes, int] | None:
    """The cached job frame of `task_id` and its number of tests, or None (missing, stale,
    unreadable, or not a frame of a sane size)."""
    key = _key(task_id, numpy_dir)
    try:
        with _path(cache_dir, task_id).open("rb") as fh:
            data = fh.read(MAX_BYTES + 1)
    except OSError:
        return None
    prefix = _MAGIC + len(key).to_bytes(4, "little") + key
    if len(data) > MAX_BYTES or not data.startswith(prefix):
        return None
    blob = data[len(prefix) :]
    count = case_count(blob)
    return None if count is None else (blob, count)


def case_count(blob: bytes) -> int | None:
    """The number of tests in a job frame ``{"cases": [...]}``; None if it is not one."""
    if len(blob) < _HEADER.size:
        return None
    head_len, blob_len = _HEADER.unpack_from(blob, 0)
    if _HEADER.size + head_len + blob_len != len(blob):
        return None
    try:
        header = json.loads(blob[_HEADER.size : _HEADER.size + head_len])
    except (ValueError, RecursionError):
        return None
    cases = header.get("cases") if isinstance(header, dict) else None
    if not isinstance(cases, list) or not 0 < len(cases) <= MAX_CASES:
        return None
    return len(cases)


def save(cache_dir: Path, task_id: str, numpy_dir: str, blob: bytes) -> None:
    """Write the frame atomically (a reader sees the old file or the new one); a cache that
    cannot be written is only slower, never an error."""
    key = _key(task_id, numpy_dir)
    path = _path(cache_dir, task_id)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tmp.open("wb") as fh:
            fh.write(_MAGIC + len(key).to_bytes(4, "little") + key + blob)
        os.replace(tmp, path)
    except OSError:
        with contextlib.suppress(OSError):
            tmp.unlink()
