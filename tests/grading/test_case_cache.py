"""The on-disk cache of a task's encoded tests (`quizapp grade` sends them before importing
NumPy): a stale, damaged or planted file never changes a verdict, and is replaced."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from quizapp.grading import case_cache, grader
from quizapp.grading.catalog import get_task
from quizapp.grading.sandbox import _numpy_dir

ROOT = Path(__file__).resolve().parents[2]
CORRECT = (
    "import numpy as np\n\n\ndef dropout_forward(x, p, training, rng):\n"
    "    x = np.asarray(x, dtype=float)\n"
    "    if not training:\n        return x.copy(), np.ones_like(x)\n"
    "    mask = (rng.random(x.shape) >= p) / (1.0 - p)\n"
    "    return x * mask, mask\n"
)
SCALES_BY_P = CORRECT.replace("/ (1.0 - p)", "* (1.0 - p)")


def _env(tmp_path: Path) -> dict[str, str]:
    cache, db = str(tmp_path / "cache"), str(tmp_path / "db")
    return dict(os.environ, QUIZAPP_CACHE_DIR=cache, QUIZAPP_DB=db)


def _grade(tmp_path: Path, code: str) -> subprocess.CompletedProcess[str]:
    """`quizapp grade` in a fresh process (the cache is only read before a process has built
    the tests itself)."""
    answer = tmp_path / "answer.py"
    answer.write_text(code, encoding="utf-8")
    env = dict(
        os.environ, QUIZAPP_CACHE_DIR=str(tmp_path / "cache"), QUIZAPP_DB=str(tmp_path / "db")
    )
    return subprocess.run(
        [sys.executable, "-m", "quizapp", "grade", "--no-save", "dropout_forward", str(answer)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def _real_blob() -> bytes:
    return grader._cases_blob(get_task("dropout_forward"))


def test_the_first_grade_writes_the_cache_and_the_next_one_reads_it(tmp_path: Path) -> None:
    assert _grade(tmp_path, CORRECT).returncode == 0
    loaded = case_cache.load(tmp_path / "cache", "dropout_forward", _numpy_dir())
    assert loaded is not None and loaded[0] == _real_blob()
    assert loaded[1] == len(grader._cases(get_task("dropout_forward")))
    assert _grade(tmp_path, CORRECT).returncode == 0
    assert _grade(tmp_path, SCALES_BY_P).returncode == 1


def test_a_planted_cache_cannot_change_a_verdict(tmp_path: Path) -> None:
    """Another task's tests under this task's key: the answer runs on them, the grader sees
    they are not the real ones, runs it again on the real tests, and replaces the file."""
    cache = tmp_path / "cache"
    planted = grader._cases_blob(get_task("l1_penalty"))
    case_cache.save(cache, "dropout_forward", _numpy_dir(), planted)
    assert case_cache.load(cache, "dropout_forward", _numpy_dir()) is not None

    ok = _grade(tmp_path, CORRECT)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    loaded = case_cache.load(cache, "dropout_forward", _numpy_dir())
    assert loaded is not None and loaded[0] == _real_blob()

    case_cache.save(cache, "dropout_forward", _numpy_dir(), planted)
    wrong = _grade(tmp_path, SCALES_BY_P)
    assert wrong.returncode == 1 and "passed (" not in wrong.stdout


def test_changed_array_bytes_are_caught_too(tmp_path: Path) -> None:
    """A damaged file: the same frame with its later arrays zeroed. A correct answer run on
    those inputs drops every unit of the large input, which fails the drop-rate test."""
    real = _real_blob()
    damaged = real[: len(real) // 2] + bytes(len(real) - len(real) // 2)
    case_cache.save(tmp_path / "cache", "dropout_forward", _numpy_dir(), damaged)
    ok = _grade(tmp_path, CORRECT)
    assert ok.returncode == 0, ok.stdout + ok.stderr


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=2048))
def test_any_file_content_is_a_miss_or_a_well_formed_frame(tmp_path_factory, data: bytes) -> None:  # type: ignore[no-untyped-def]
    cache = tmp_path_factory.mktemp("c")
    case_cache.save(cache, "t", "/nowhere", b"")
    path = next((cache / "grading").iterdir())
    prefix = path.read_bytes()  # magic + key of an empty frame
    for content in (data, prefix + data):
        path.write_bytes(content)
        loaded = case_cache.load(cache, "t", "/nowhere")
        if loaded is not None:
            blob, count = loaded
            assert 0 < count <= case_cache.MAX_CASES and case_cache.case_count(blob) == count


def test_a_missing_or_unwritable_cache_is_only_slower(tmp_path: Path) -> None:
    assert case_cache.load(tmp_path / "none", "dropout_forward", _numpy_dir()) is None
    blocked = tmp_path / "file"
    blocked.write_text("not a directory")
    case_cache.save(blocked, "dropout_forward", _numpy_dir(), _real_blob())  # no exception
    assert case_cache.load(blocked, "dropout_forward", _numpy_dir()) is None


def test_grade_spawns_the_sandbox_before_importing_the_cli(tmp_path: Path) -> None:
    """`python -m quizapp grade` starts the child before argparse, json or the CLI are
    imported (its start-up is the longest step of a grade)."""
    answer = tmp_path / "answer.py"
    answer.write_text(CORRECT, encoding="utf-8")
    env = dict(
        os.environ, QUIZAPP_CACHE_DIR=str(tmp_path / "cache"), QUIZAPP_DB=str(tmp_path / "db")
    )
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "quizapp", "grade", "dropout_forward",
         str(answer)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr
    order = [line.rsplit("|", 1)[-1].strip() for line in proc.stderr.splitlines() if "|" in line]
    assert order.index("quizapp.grading.sandbox") < order.index("argparse")
    assert order.index("quizapp.grading.sandbox") < order.index("json")
    assert order.index("quizapp.grading.sandbox") < order.index("quizapp.cli")
