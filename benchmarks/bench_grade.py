"""How fast is grading, against the cost of starting Python with NumPy, measured in the same run.

    python benchmarks/bench_grade.py [--reps N]

Prints medians of:
  * baseline      `python -c "import numpy"` (the floor for any fresh grading process)
  * quizapp grade `python -m quizapp grade dropout_forward FILE` on a correct answer (target ≤ 2×)
  * sandbox       time for a sandbox child to be ready (Python + NumPy inside it), bubblewrap and
                  rlimits-only, minus the same `python -I -S` + NumPy start without a sandbox:
                  the sandbox's own overhead
  * TUI re-grade  an in-process grade with a pre-started warm child, as the editor screen does
                  (target ≤ 0.5× the baseline)
The grade and the re-grade are measured in both sandboxes: bubblewrap (when it works here) and
the fallback forced with QUIZAPP_SANDBOX=rlimits.
Runs are interleaved so that machine load affects all of them alike.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

ANSWER = """\
import numpy as np


def dropout_forward(x, p, training, rng):
    x = np.asarray(x, dtype=float)
    if not training:
        return x.copy(), np.ones_like(x)
    mask = (rng.random(x.shape) >= p) / (1.0 - p)
    return x * mask, mask
"""


def _timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=7)
    args = parser.parse_args()

    from quizapp.grading import WarmPool, grade, sandbox

    tmp = Path(tempfile.mkdtemp(prefix="bench-grade-"))
    answer = tmp / "answer.py"
    answer.write_text(ANSWER)
    env = dict(os.environ, QUIZAPP_DB=str(tmp / "bench.db"))
    # Installed packages have bytecode; a dev shell with PYTHONDONTWRITEBYTECODE=1 would make
    # every run recompile quizapp's modules (numpy's .pyc come from pip either way).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    py = sys.executable

    def baseline() -> None:
        subprocess.run([py, "-c", "import numpy"], check=True)

    numpy_dir = sandbox._numpy_dir()

    def bare_isolated() -> None:  # what the sandbox child runs, minus the sandbox, until ready
        code = (
            f"import os, sys; sys.path.append({numpy_dir!r}); import numpy; os.write(1, b'r');"
            "os.read(0, 1)"
        )
        proc = subprocess.Popen(
            [py, "-I", "-S", "-B", "-c", code],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=sandbox._CHILD_ENV,  # one BLAS thread, as in the sandbox
        )
        assert proc.stdout is not None
        proc.stdout.read(1)
        proc.kill()
        proc.wait()

    def cli(*extra: str, rlimits: bool = False) -> Callable[[], None]:
        def run() -> None:
            cmd = [py, "-m", "quizapp", "grade", "dropout_forward", str(answer), *extra]
            run_env = dict(env, QUIZAPP_SANDBOX="rlimits") if rlimits else env
            proc = subprocess.run(cmd, cwd=ROOT, env=run_env, capture_output=True, text=True)
            if proc.returncode != 0:
                raise SystemExit(f"grading failed:\n{proc.stdout}{proc.stderr}")

        return run

    def child_ready(kind: str) -> Callable[[], None]:
        def run() -> None:
            saved = sandbox._forced_fallback
            sandbox._forced_fallback = "benchmark" if kind == "rlimits" else ""
            try:
                child = sandbox.spawn()
                child.wait_ready(30)
                child.kill()
            finally:
                sandbox._forced_fallback = saved

        return run

    pool = WarmPool()

    def tui_regrade(rlimits: bool = False) -> float:
        saved = sandbox._forced_fallback
        if rlimits:
            sandbox._forced_fallback = "benchmark"
        try:
            return _regrade()
        finally:
            sandbox._forced_fallback = saved

    def _regrade() -> float:
        pool.prestart()
        child = pool._child
        assert child is not None
        child.wait_ready(30)  # the user is typing meanwhile; the child is warm by the next run
        start = time.perf_counter()
        report = grade("dropout_forward", ANSWER, pool=pool)
        elapsed = time.perf_counter() - start
        assert report.passed, report
        # grade() asked for the next warm child; in the TUI it boots while the user reads the
        # report. Here it must not boot during the next measurement (it took ~80 ms of CPU
        # from the fallback's CLI run that follows).
        pool.prestart()
        if pool._child is not None:
            pool._child.wait_ready(30)
        return elapsed

    tui_regrade()  # warm the parent: NumPy, cases, reference outputs (as the screen does on open)
    cli()()  # writes the bytecode, as any first run does
    bwrap_ok = sandbox.sandbox_info().kind == "bubblewrap"
    runs: dict[str, list[float]] = {
        k: []
        for k in (
            "baseline", "grade", "grade_nosave", "grade_rl", "bare", "bwrap", "rlimits", "tui",
            "tui_rl",
        )
    }  # fmt: skip
    for _ in range(args.reps):
        runs["baseline"].append(_timed(baseline))
        runs["grade"].append(_timed(cli()))
        runs["grade_nosave"].append(_timed(cli("--no-save")))
        runs["bare"].append(_timed(bare_isolated))
        if bwrap_ok:
            runs["bwrap"].append(_timed(child_ready("bubblewrap")))
        runs["rlimits"].append(_timed(child_ready("rlimits")))
        runs["tui"].append(tui_regrade())
        runs["grade_rl"].append(_timed(cli(rlimits=True)))
        runs["tui_rl"].append(tui_regrade(rlimits=True))
    pool.close()

    med = {k: statistics.median(v) * 1000 for k, v in runs.items() if v}
    base = med["baseline"]
    print(f"sandbox in use: {sandbox.sandbox_info().describe()}  ({args.reps} reps, medians)")
    print(f"baseline  python -c 'import numpy'        {base:7.1f} ms")
    print(
        f"quizapp grade (records the attempt)       {med['grade']:7.1f} ms   "
        f"ratio {med['grade'] / base:4.2f}x  (target <= 2x)"
    )
    print(
        f"quizapp grade --no-save                   {med['grade_nosave']:7.1f} ms   "
        f"ratio {med['grade_nosave'] / base:4.2f}x"
    )
    bare = med["bare"]
    print(f"python -I -S, import numpy (no sandbox)   {bare:7.1f} ms   (what the child runs)")
    if "bwrap" in med:
        print(
            f"sandbox child ready, bubblewrap           {med['bwrap']:7.1f} ms   "
            f"sandbox overhead {med['bwrap'] - bare:+6.1f} ms"
        )
    print(
        f"sandbox child ready, rlimits only         {med['rlimits']:7.1f} ms   "
        f"sandbox overhead {med['rlimits'] - bare:+6.1f} ms"
    )
    print(
        f"TUI re-grade (warm child)                 {med['tui']:7.1f} ms   "
        f"ratio {med['tui'] / base:4.2f}x  (target <= 0.5x)"
    )
    print("fallback forced (QUIZAPP_SANDBOX=rlimits):")
    print(
        f"  quizapp grade (records the attempt)     {med['grade_rl']:7.1f} ms   "
        f"ratio {med['grade_rl'] / base:4.2f}x  (target <= 2x)"
    )
    print(
        f"  TUI re-grade (warm child)               {med['tui_rl']:7.1f} ms   "
        f"ratio {med['tui_rl'] / base:4.2f}x  (target <= 0.5x)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
