"""What the home screen loads: a fresh interpreter starts the app headless (as
`benchmarks/bench_startup.py` does), waits until home is ready, and lists the modules that
start-up must not import. Each one was measured off the start-up path (README, start-up figure);
this keeps them off."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent

# Not needed to show home: deck parsing and validation (the catalog cache is warm), scheduling
# (counts are SQL), Markdown, NumPy, and two small ones (importlib.resources for the bundled
# decks' folder, rich's emoji table for markup column labels).
DEFERRED = (
    "pydantic",
    "yaml",
    "fsrs",
    "numpy",
    "solvers",
    "markdown_it",
    "textual.widgets._markdown",
    "quizapp.decks",
    "quizapp.planning",
    "quizapp.screens.review",
    "quizapp.screens.quiz",
    "quizapp.screens.help",
    "importlib.resources",
    "rich._emoji_codes",
)

CHILD = """
import gc, json, sys
from quizapp.app import build_app
from quizapp.session import open_session

app = build_app(open_session(None))

async def ready(pilot):
    await pilot.pause()
    table = pilot.app.screen.query_one("#decks")
    print(json.dumps({
        "screen": type(pilot.app.screen).__name__,
        "rows": table.row_count,
        "loaded": [m for m in %r if m in sys.modules],
        "frozen": gc.get_freeze_count(),
    }))
    pilot.app.exit()

app.run(headless=True, auto_pilot=ready)
"""


def _start(tmp_path: Path) -> dict[str, object]:
    env = {
        **os.environ,
        "QUIZAPP_DB": str(tmp_path / "q.db"),
        "QUIZAPP_CACHE_DIR": str(tmp_path / "cache"),
        "PYTHONPATH": str(ROOT),
    }
    env.pop("QUIZAPP_DECKS", None)  # the bundled decks, as a user gets them
    proc = subprocess.run(
        [sys.executable, "-c", CHILD % (DEFERRED,)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    out: dict[str, object] = json.loads(proc.stdout.strip().splitlines()[-1])
    return out


def test_home_ready_leaves_the_deferred_modules_unloaded(tmp_path: Path) -> None:
    cold = _start(tmp_path)  # first start: parses the decks and writes the catalog cache
    assert cold["screen"] == "HomeScreen"
    assert "pydantic" in cold["loaded"]  # type: ignore[operator]  # the check can see imports
    warm = _start(tmp_path)
    assert warm["screen"] == "HomeScreen" and warm["rows"] == cold["rows"]
    assert int(warm["rows"]) > 2  # type: ignore[call-overload]  # decks and the total row
    assert warm["loaded"] == []
    assert int(warm["frozen"]) > 0  # type: ignore[call-overload]  # the start-up heap is frozen
