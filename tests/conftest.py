"""Shared fixtures: every test gets its own data dir, cache dir and database."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
MINI_DECKS = FIXTURES / "decks"


@pytest.fixture(autouse=True)
def _isolated_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Never touch the real user data dir from a test."""
    monkeypatch.setenv("QUIZAPP_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))
    monkeypatch.delenv("QUIZAPP_DB", raising=False)


@pytest.fixture
def utc_tz(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "quizapp.db"


@pytest.fixture
def mini_session(db_path: Path, tmp_path: Path):  # type: ignore[no-untyped-def]
    from quizapp.session import open_session

    session = open_session(db_path, deck_dirs=[MINI_DECKS], cache_dir=tmp_path / "cache")
    yield session
    session.close()


def pytest_configure(config: pytest.Config) -> None:
    os.environ.setdefault("TEXTUAL_ANIMATIONS", "none")
    _private_tempdir_per_worker()


def _private_tempdir_per_worker() -> None:
    """Under pytest-xdist, each worker its own temp folder: the grader's tests check that no
    work dir outlives a grade, and another worker's grade in the same folder is not theirs."""
    import shutil
    import tempfile

    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        return
    folder = tempfile.mkdtemp(prefix=f"quizapp-tests-{worker}-")
    os.chmod(folder, 0o755)  # the grader's child may run as another user (uid 65534) as root
    os.environ["TMPDIR"] = folder
    tempfile.tempdir = None  # gettempdir() reads TMPDIR again
    import atexit

    atexit.register(shutil.rmtree, folder, True)
