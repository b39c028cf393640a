"""End to end in a real headless browser: `quizapp serve`, Debian's chromium, playwright.

Log in (HTTP Basic), review one card with real key presses, rate it, and find the row in that
learner's SQLite file; a wrong password is refused. No browser is downloaded: playwright
drives the system chromium through `executable_path`.
"""

from __future__ import annotations

import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("textual_serve")
playwright_api = pytest.importorskip("playwright.sync_api")

CHROMIUM = next(
    (p for p in ("/usr/bin/chromium", shutil.which("chromium") or "") if p and os.path.exists(p)),
    None,
)
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PASSWORD = "class-pw"
ROOT = Path(__file__).parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    port = _free_port()
    data_root = tmp_path / "learners"
    env = {**os.environ, "QUIZAPP_SERVE_PASSWORD": PASSWORD}
    proc = subprocess.Popen(
        [
            *(sys.executable, "-m", "quizapp", "serve"),
            "--port",
            str(port),
            "--data-root",
            str(data_root),
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(
                f"quizapp serve exited: {proc.stderr.read().decode() if proc.stderr else ''}"
            )
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            time.sleep(0.1)
    try:
        yield f"http://127.0.0.1:{port}/", data_root
    finally:
        proc.terminate()
        proc.wait(20)


def _first_card_keys() -> list[str]:
    """The keys that show the answer of the first card of a fresh queue (its type decides)."""
    from quizapp.session import open_session

    with tempfile.TemporaryDirectory() as tmp:
        session = open_session(Path(tmp) / "probe.db")
        try:
            first = session.queue().ordered()[0]
            kind = session.catalog.card(first.card_id).type  # type: ignore[union-attr]
        finally:
            session.close()
    if kind == "multiple_choice":
        return ["a", "Enter"]
    if kind == "basic":
        return ["Space"]
    return ["Enter"]  # typed / numeric / cloze: an empty answer shows it


def _reviews(db: Path) -> list[tuple[str, int]]:
    if not db.exists():
        return []
    with sqlite3.connect(db) as conn:
        try:
            return list(conn.execute("SELECT card_id, rating FROM review_log"))
        except sqlite3.OperationalError:
            return []


def _wait_quiet(page: Any, frames: list[float], quiet_s: float = 1.5, timeout: float = 60) -> None:
    """Wait until the app has drawn something and then stopped drawing for a moment
    (`wait_for_timeout`, not `time.sleep`: playwright's sync API delivers events meanwhile)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if frames and time.monotonic() - frames[-1] > quiet_s:
            return
        page.wait_for_timeout(100)
    raise AssertionError("the app never finished drawing")


@pytest.mark.skipif(CHROMIUM is None, reason="no chromium binary (apt-get install chromium)")
def test_log_in_review_rate_and_find_the_row(served: tuple[str, Path]) -> None:
    url, data_root = served
    keys = _first_card_keys()
    with playwright_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        try:
            # Wrong password: refused, no learner folder made.
            bad = browser.new_context(http_credentials={"username": "ann", "password": "nope"})
            response = bad.new_page().goto(url)
            assert response is not None and response.status == 401
            bad.close()
            assert not (data_root / "ann").exists()

            ctx = browser.new_context(
                http_credentials={"username": "ann", "password": PASSWORD},
                viewport={"width": 1200, "height": 800},
            )
            page = ctx.new_page()
            frames: list[float] = []
            page.on(
                "websocket",
                lambda ws: ws.on("framereceived", lambda _payload: frames.append(time.monotonic())),
            )
            response = page.goto(url)
            assert response is not None and response.status == 200
            # textual-serve's page drops its intro once the app sends its first byte.
            page.wait_for_selector("body.-first-byte", state="attached", timeout=120_000)
            _wait_quiet(page, frames)
            db = data_root / "ann" / "quizapp.db"
            assert db.exists() and _reviews(db) == []
            page.mouse.click(600, 400)  # focus the terminal
            sequence = ["r", *keys, "3"]
            for i, key in enumerate(sequence):
                page.keyboard.press(key)
                page.wait_for_timeout(300)
                if i < len(sequence) - 1:
                    # Not after the rating: the next card may be a typed one whose answer box
                    # has a blinking cursor, which never lets the page go quiet.
                    _wait_quiet(page, frames, quiet_s=0.8)
                if os.environ.get("QUIZAPP_E2E_SHOTS"):
                    page.screenshot(path=f"{os.environ['QUIZAPP_E2E_SHOTS']}/{i}-{key}.png")
            deadline = time.monotonic() + 30
            while not _reviews(db) and time.monotonic() < deadline:
                page.wait_for_timeout(200)
            rows = _reviews(db)
            assert len(rows) == 1 and rows[0][1] == 3, rows
            ctx.close()
        finally:
            browser.close()
