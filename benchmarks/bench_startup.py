"""Start-up: process start → home screen ready (headless), against a bare Textual app
measured in the same run, alternating so machine noise hits both alike. Target ≤ 1.2×.

    python benchmarks/bench_startup.py [--runs 15]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CHILD = Path(__file__).with_name("_startup_app.py")


def timed(kind: str, env: dict[str, str]) -> float:
    t0 = time.perf_counter()
    subprocess.run(
        [sys.executable, str(CHILD), kind], env=env, check=True, stdout=subprocess.DEVNULL
    )
    return time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "QUIZAPP_DB": f"{tmp}/bench.db", "QUIZAPP_CACHE_DIR": f"{tmp}/c"}
        env.pop("QUIZAPP_DECKS", None)  # the bundled decks, as a user gets them
        # As an installed package runs: its bytecode compiled once (pip does that), not on
        # every start. The cache goes to the temp dir, so the checkout is not touched.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = f"{tmp}/pycache"
        root = str(Path(__file__).resolve().parent.parent)  # run from a checkout, not installed
        env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH")) if p)
        timed("quizapp", env)  # first start: builds the deck cache and the database
        first = timed("bare", env)
        del first
        bare, ours = [], []
        for _ in range(args.runs):
            bare.append(timed("bare", env))
            ours.append(timed("quizapp", env))
    b, q = statistics.median(bare), statistics.median(ours)
    print(f"bare Textual app   median {b * 1000:7.1f} ms  (min {min(bare) * 1000:.1f})")
    print(f"quizapp home ready median {q * 1000:7.1f} ms  (min {min(ours) * 1000:.1f})")
    print(f"ratio {q / b:.2f}x  (target <= 1.20x)")


if __name__ == "__main__":
    main()
