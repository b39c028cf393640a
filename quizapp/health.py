"""Start-up health check: `PRAGMA quick_check` when the database changed since the last clean run.

Why: a damaged page goes unnoticed until some screen happens to read it, and by then the user
may have studied for a while on a file that cannot be trusted. A full check reads the whole file
(about 1 s per 100 MB), so it runs only when the file is not the one quizapp last left behind:
the size and mtime of the file and its `-wal` are remembered (in the cache dir) when a session
that started clean closes. A kill, another program or a sync tool changes them, and the next
start checks again.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from quizapp.errors import StoreError

_CACHE_NAME = "db-health.json"


def signature(db_path: Path) -> list[list[int]]:
    """Size and mtime (ns) of the database and its -wal; [] entries for missing files."""
    out: list[list[int]] = []
    for p in (db_path, Path(f"{db_path}-wal")):
        try:
            st = os.stat(p)
        except OSError:
            out.append([])
            continue
        if p != db_path and st.st_size == 0:  # an empty -wal (made by opening) is no change
            out.append([])
            continue
        out.append([st.st_size, st.st_mtime_ns, st.st_ino])
    return out


def _cache_file(cache_dir: Path | None) -> Path:
    if cache_dir is None:
        from quizapp import paths

        cache_dir = paths.cache_dir()
    return cache_dir / _CACHE_NAME


def _load(cache_dir: Path | None) -> dict[str, Any]:
    try:
        data = json.loads(_cache_file(cache_dir).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def needs_check(db_path: Path, cache_dir: Path | None = None) -> bool:
    return _load(cache_dir).get(str(Path(db_path).resolve())) != signature(db_path)


def remember_clean(db_path: Path, cache_dir: Path | None = None) -> None:
    """Record the file as quizapp left it; a cache write that fails only costs a check later."""
    if str(db_path) == ":memory:":
        return
    data = _load(cache_dir)
    data[str(Path(db_path).resolve())] = signature(db_path)
    target = _cache_file(cache_dir)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(target.name + f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(data), encoding="utf-8")
        os.replace(tmp, target)
    except OSError:
        pass


def startup_check(store: Any, cache_dir: Path | None = None) -> bool:
    """Run quick_check if the file changed since the last clean run. Returns True when the
    file is known sound; raises StoreError (exit 3) with what to do when it is damaged."""
    path = Path(store.path)
    if str(path) == ":memory:" or not path.exists():
        return True
    if not needs_check(path, cache_dir):
        return True
    try:
        problems = store.quick_check()
    except StoreError as exc:  # damage bad enough that the check itself cannot run
        problems = [str(exc.__cause__ or exc)]
    if not problems:
        return True
    raise StoreError(damaged_message(path, problems))


def damaged_message(path: Path, problems: list[str]) -> str:
    from quizapp import backup

    shown = "; ".join(problems[:3]) + (" ..." if len(problems) > 3 else "")
    lines = [
        f"{path} is damaged (SQLite's quick_check: {shown}). Nothing more was written to it.",
        "What to do:",
    ]
    backups = backup.list_backups(path)
    if backups:
        newest = backups[0]
        lines.append(
            f"  - put a backup back: `quizapp restore` lists them; `quizapp restore 1` restores "
            f"the newest ({newest.when_text}, {newest.reviews} reviews); the damaged file is "
            "kept next to it"
        )
    else:
        lines.append("  - there is no backup of this file yet (quizapp makes one a day)")
    lines.append(
        f"  - or salvage what is readable: `sqlite3 {path} .recover | sqlite3 recovered.db`, "
        "then start with --db recovered.db"
    )
    return "\n".join(lines)
