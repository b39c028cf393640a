"""Backups of the database: a rolling daily copy (the last 7 kept), on demand, and restore.

Why: damage, a bad sync or a mistaken restore must be recoverable without the user having
thought of it beforehand. Copies use SQLite's online backup API, so they are consistent even
while another window is writing (a plain file copy of a WAL database is not), and are written
to a temporary name and renamed, so a kill mid-copy never leaves a half backup behind.

Backups live next to the database in `<db>.backups/` as `<stem>-YYYYmmdd-HHMMSS-<kind>.db`:
`daily` (made at TUI start when none exists for today; the newest 7 kept), `manual`
(`quizapp backup`) and `pre-restore` (the file as it was before `quizapp restore`), which are
kept until the user deletes them.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from quizapp.errors import StoreError, UsageError

KEEP_DAILY = 7
KINDS = ("daily", "manual", "pre-restore", "damaged")
_NAME = re.compile(r"^(?P<stem>.+)-(?P<stamp>\d{8}-\d{6})(?:-\d+)?-(?P<kind>[a-z-]+)\.db$")


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    kind: str
    created: datetime  # local time, from the file name
    size: int
    reviews: int | None  # None: the copy could not be read
    last_review_ms: int | None

    @property
    def when_text(self) -> str:
        return self.created.strftime("%Y-%m-%d %H:%M")


def _read_only(path: Path, timeout: float = 5.0) -> sqlite3.Connection:
    """A read-only connection; the URI is percent-encoded, so `?`, `#` or `%` in a path work."""
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=timeout)


def backup_dir(db_path: Path) -> Path:
    return Path(f"{db_path}.backups")


def make_backup(
    db_path: Path,
    kind: str = "manual",
    *,
    source: sqlite3.Connection | None = None,
    now: datetime | None = None,
) -> Path:
    """Copy the database (through `source` if given, else a read-only connection of our own)."""
    folder = backup_dir(db_path)
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"cannot create the backup folder {folder}: {exc}") from exc
    target = folder / f"{db_path.stem}-{stamp}-{kind}.db"
    n = 1
    while target.exists():
        n += 1
        target = folder / f"{db_path.stem}-{stamp}-{n}-{kind}.db"
    tmp = target.with_name(target.name + ".tmp")
    own = source is None
    try:
        src = source or _read_only(db_path)
        try:
            dst = sqlite3.connect(tmp)
            try:
                src.backup(dst, pages=4096)
            finally:
                dst.close()
        finally:
            if own:
                src.close()
        os.replace(tmp, target)
    except (OSError, sqlite3.Error) as exc:
        tmp.unlink(missing_ok=True)
        raise StoreError(
            f"could not back up {db_path} to {target}: {exc}. Check free space in {folder}."
        ) from exc
    return target


def daily_backup(db_path: Path, *, now: datetime | None = None) -> Path | None:
    """Make today's daily backup if there is none yet, and keep only the newest KEEP_DAILY."""
    db_path = Path(db_path)
    if str(db_path) == ":memory:" or not db_path.exists():
        return None
    now = now or datetime.now()
    today = now.strftime("%Y%m%d")
    dailies = [b for b in _scan(db_path) if b[1] == "daily"]
    if any(stamp.startswith(today) for _, _, stamp in dailies):
        return None
    made = make_backup(db_path, "daily", now=now)
    prune(db_path)
    return made


def prune(db_path: Path, keep: int = KEEP_DAILY) -> list[Path]:
    """Delete daily backups beyond the newest `keep` (and leftover .tmp files of killed runs)."""
    removed: list[Path] = []
    dailies = sorted(
        (b for b in _scan(db_path) if b[1] == "daily"), key=lambda b: b[2], reverse=True
    )
    for path, _, _ in dailies[keep:]:
        path.unlink(missing_ok=True)
        removed.append(path)
    folder = backup_dir(db_path)
    if folder.is_dir():
        for tmp in folder.glob("*.db.tmp"):
            tmp.unlink(missing_ok=True)
    return removed


def _scan(db_path: Path) -> list[tuple[Path, str, str]]:
    folder = backup_dir(db_path)
    if not folder.is_dir():
        return []
    out = []
    for p in folder.iterdir():
        m = _NAME.match(p.name)
        if m and m["stem"] == db_path.stem and p.is_file():
            out.append((p, m["kind"], m["stamp"] + p.name))
    return out


def list_backups(db_path: Path) -> list[BackupInfo]:
    """Every backup of this database, newest first (numbered 1.. by `quizapp restore`)."""
    out: list[BackupInfo] = []
    for path, kind, stamp in sorted(_scan(Path(db_path)), key=lambda b: b[2], reverse=True):
        created = datetime.strptime(stamp[:15], "%Y%m%d-%H%M%S")
        reviews, last = _summary(path)
        out.append(BackupInfo(path, kind, created, path.stat().st_size, reviews, last))
    return out


def _summary(path: Path) -> tuple[int | None, int | None]:
    try:
        conn = _read_only(path)
        try:
            n, last = conn.execute("SELECT count(*), max(reviewed_at) FROM review_log").fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        return None, None
    return int(n), last


def resolve(db_path: Path, which: str) -> Path:
    """A listing number (1 = newest) or a path."""
    backups = list_backups(db_path)
    if which.isdigit():
        i = int(which)
        if not 1 <= i <= len(backups):
            raise UsageError(
                f"there is no backup number {i}; `quizapp restore` lists the "
                f"{len(backups)} backup(s) of {db_path}"
            )
        return backups[i - 1].path
    path = Path(which).expanduser()
    if not path.is_file():
        raise UsageError(f"{which} is neither a backup number nor a file")
    return path


def restore(db_path: Path, backup: Path) -> Path | None:
    """Put `backup` in place of the database; the current file is kept first as a
    `pre-restore` (or, if unreadable, `damaged`) backup, whose path is returned."""
    from quizapp.store import APPLICATION_ID

    _check_backup(backup, APPLICATION_ID)
    kept: Path | None = None
    if db_path.exists() and db_path.stat().st_size:
        try:
            kept = make_backup(db_path, "pre-restore")
        except StoreError:
            kept = _raw_copy(db_path)
    try:
        src = _read_only(backup)
        try:
            dst = sqlite3.connect(db_path, timeout=2)
            try:
                dst.execute("PRAGMA busy_timeout = 2000")
                src.backup(dst)
            finally:
                dst.close()
        finally:
            src.close()
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            raise StoreError(
                f"{db_path} is in use by another quizapp window or command; close it and run "
                "`quizapp restore` again. Nothing was changed."
            ) from exc
        _replace_file(db_path, backup)
    except sqlite3.DatabaseError:  # the current file is too damaged to write into: replace it
        _replace_file(db_path, backup)
    return kept


def _check_backup(backup: Path, app_id: int) -> None:
    try:
        conn = _read_only(backup)
        try:
            found = conn.execute("PRAGMA application_id").fetchone()[0]
            check = [r[0] for r in conn.execute("PRAGMA quick_check(3)")]
        finally:
            conn.close()
    except sqlite3.Error as exc:
        raise UsageError(f"{backup} is not a readable SQLite database ({exc})") from exc
    if found != app_id:
        raise UsageError(f"{backup} is not a quizapp database; nothing was changed")
    if check != ["ok"]:
        raise UsageError(
            f"{backup} is damaged too ({'; '.join(check)}); pick another one. Nothing was changed."
        )


def _raw_copy(db_path: Path) -> Path:
    folder = backup_dir(db_path)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = folder / f"{db_path.stem}-{stamp}-damaged.db"
    shutil.copy2(db_path, target)
    wal = Path(f"{db_path}-wal")
    if wal.exists():
        shutil.copy2(wal, Path(f"{target}-wal"))
    return target


def _replace_file(db_path: Path, backup: Path) -> None:
    tmp = db_path.with_name(db_path.name + ".restore.tmp")
    shutil.copyfile(backup, tmp)
    for side in ("-wal", "-shm"):  # an old WAL applied to the restored file would damage it
        Path(f"{db_path}{side}").unlink(missing_ok=True)
    os.replace(tmp, db_path)
