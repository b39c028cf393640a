"""Comparison messages, the report contract, properties, cancellation, fallback, laziness."""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
import subprocess
import sys
import threading
import time
from io import StringIO
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quizapp.cli import main as cli_main
from quizapp.cli.env import Environment
from quizapp.grading import (
    CancelToken,
    GradingCancelled,
    Limits,
    Verdict,
    WarmPool,
    get_task,
    grade,
    grade_async,
    render_text,
    sandbox,
)
from quizapp.grading.compare import check_array, check_int, check_scalar
from quizapp.grading.tasks.dropout import _independent, _rate, _values_ok

from .helpers import BWRAP, wait_no_children

HANG = "def l1_penalty(w, lam):\n    while True:\n        pass\n"
ROOT = Path(__file__).resolve().parents[2]


# --- comparison -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value", [np.float32(1.5), np.int64(3), np.asarray(2.0), np.longdouble(0.25), np.bool_(True)]
)
def test_numpy_scalars_and_0d_arrays_keep_their_shape_on_the_wire(value: object) -> None:
    from quizapp.grading._bootstrap import decode, encode, pack, unpack

    arrays: list[object] = []
    tree = encode(value, arrays)
    (header, blobs), *_ = unpack(pack({"out": tree}, arrays))[0]
    back = decode(header["out"], blobs)
    assert np.shape(back) == () and back == value


def test_noncontiguous_arrays_survive_the_wire() -> None:
    from quizapp.grading._bootstrap import decode, encode, pack, unpack

    a = np.arange(12.0).reshape(3, 4).T.astype(">f8")
    arrays: list[object] = []
    tree = encode(a, arrays)
    (header, blobs), *_ = unpack(pack({"out": tree}, arrays))[0]
    assert np.array_equal(decode(header["out"], blobs), a)


def test_source_decoding_follows_python() -> None:
    from quizapp.grading.grader import _decode

    body = b"def f():\n    return 1\n"
    assert _decode(b"\xef\xbb\xbf" + body) == body.decode()
    assert _decode("\ufeff" + body.decode()) == body.decode()
    latin = b"# -*- coding: latin-1 -*-\n# caf\xe9\n" + body
    assert _decode(latin) == latin.decode("latin-1")
    undeclared = _decode(b"# caf\xe9\n" + body)
    assert not isinstance(undeclared, str)
    assert undeclared.verdict is Verdict.SYNTAX_ERROR and "line 1" in undeclared.message
    assert "coding" in undeclared.hint


@pytest.mark.parametrize(
    ("task", "code", "hint"),
    [
        ("l2_penalty", "def l2_penalty(w, lam):\n    return 0.5 * lam * (w * w).sum()\n", "no ½"),
        ("l2_gradient", "def l2_gradient(w, lam):\n    return lam * w\n", "factor 2"),
        (
            "label_smoothing_cross_entropy",
            "import numpy as np\n"
            "def label_smoothing_cross_entropy(logits, labels, eps):\n"
            "    z = logits - logits.max(1, keepdims=True)\n"
            "    lp = z - np.log(np.exp(z).sum(1, keepdims=True))\n"
            "    n = len(labels)\n"
            "    return -((1 - eps) * lp[np.arange(n), labels] + eps * lp.mean(1)).sum()\n",
            "mean over the batch",
        ),
        (
            "l1_penalty",
            "class Solution:\n    def l1_penalty(self, w, lam):\n        return 0\n",
            "top level",
        ),
        ("l1_penalty", "def l1_penalty(w):\n    return 0.0\n", "signature must be"),
        ("l1_penalty", "async def l1_penalty(w, lam):\n    return 0.0\n", "not `async def`"),
        (
            "l1_penalty",
            "def l1_penalty(w, lam):\n    return 0.0\n\n\ndef l1_penalty(w, lam):\n    ...\n",
            "defined 2 times",
        ),
        (
            "l1_subgradient",
            "import numpy as np\ndef l1_subgradient(w, lam):\n"
            "    out = np.zeros_like(w)\n    out[...] = lam * np.sign(w)\n    return out\n",
            "integer dtype",
        ),
        (
            "ridge_closed_form",
            "import numpy as np\ndef ridge_closed_form(X, y, lam):\n"
            "    X, y = X.astype(np.float32), y.astype(np.float32)\n"
            "    eye = np.eye(X.shape[1], dtype=np.float32)\n"
            "    return np.linalg.solve(X.T @ X + lam * eye, X.T @ y)\n",
            "float64",
        ),
        (
            "early_stopping",
            "def early_stopping(v, patience, min_delta=0.0):\n    pass\n",
            "no `return`",
        ),
    ],
)
def test_classic_mistakes_get_a_specific_hint(task: str, code: str, hint: str) -> None:
    report = grade(task, code)
    assert not report.passed
    assert report.failure is not None and hint in report.failure.hint, render_text(report)
    assert "never awaited" not in report.output


def test_shape_mismatch_message_names_both_shapes() -> None:
    failure = check_array(np.zeros((4, 3)), np.zeros((3, 4)))
    assert failure is not None and failure.verdict is Verdict.WRONG_ANSWER
    assert "expected shape (3, 4), got (4, 3)" in failure.message


def test_nan_is_reported_with_its_index() -> None:
    failure = check_array(np.array([1.0, np.nan]), np.array([1.0, 2.0]))
    assert failure is not None and "nan at index (1,)" in failure.message


def test_values_report_max_abs_and_rel_error() -> None:
    failure = check_array(np.array([1.0, 2.5]), np.array([1.0, 2.0]))
    assert failure is not None
    assert failure.max_abs == pytest.approx(0.5) and failure.max_rel == pytest.approx(0.25)
    assert failure.expected == "[1.0, 2.0]" and failure.got == "[1.0, 2.5]"
    assert check_array(np.array([1.0, 2.0 + 1e-9]), np.array([1.0, 2.0])) is None


def test_a_shape_only_check_still_refuses_wrong_types_shapes_and_infinities() -> None:
    """`values=False` (the property-graded tasks) skips the tolerance, nothing else."""
    x = np.ones((3, 2))
    assert check_array(x * 1e6, x, values=False) is None
    assert check_array(x * 1e6, x) is not None
    shape = check_array(np.ones((2, 3)), x, values=False)
    assert shape is not None and "expected shape (3, 2)" in shape.message
    inf = check_array(np.array([[1.0, np.inf]] * 3), x, values=False)
    assert inf is not None and "inf" in inf.message
    listed = check_array([[1.0, 1.0]] * 3, x, values=False)
    assert listed is not None and listed.verdict is Verdict.BAD_OUTPUT


def test_type_checks_come_first() -> None:
    bad = check_array([1.0, 2.0], np.array([1.0, 2.0]))
    assert bad is not None and bad.verdict is Verdict.BAD_OUTPUT and "list" in bad.message
    vec = check_scalar(np.array([1.0, 2.0]), 3.0)
    assert vec is not None and vec.verdict is Verdict.BAD_OUTPUT and "shape (2,)" in vec.message
    assert check_scalar(np.float32(0.1), 0.1, rtol=1e-6) is None
    assert check_scalar(np.array(2.0), 2.0) is None
    assert check_int(np.int64(3), 3) is None
    wrong = check_int(4, 3, what="stop_epoch")
    assert wrong is not None and wrong.message == "stop_epoch: expected 3, got 4"


# --- dropout properties -----------------------------------------------------------------------


def _case(name: str):  # type: ignore[no-untyped-def]
    return next(c for c in get_task("dropout_forward").make_cases() if c.name == name)


def test_binomial_rate_test_rarely_fails_a_correct_answer() -> None:
    from solvers import dropout_forward

    case = _case("drop rate matches p (p = 0.3)")
    x, p = case.args[0], case.args[1]
    for seed in range(150):
        assert _rate(case, dropout_forward(x, p, True, np.random.default_rng(seed))) is None


def test_keep_probability_confusion_and_shared_masks_fail() -> None:
    case = _case("drop rate matches p (p = 0.3)")
    x, p = case.args[0], case.args[1]
    rng = np.random.default_rng(0)
    mask = (rng.random(x.shape) < p) / (1 - p)  # keeps with probability p
    failure = _rate(case, (x * mask, mask))
    assert failure is not None and "DROPPING" in failure.hint
    ind = _case("units are dropped independently")
    row = (rng.random(ind.args[0].shape[1]) >= 0.5) / 0.5
    shared = np.broadcast_to(row, ind.args[0].shape)
    failure = _independent(ind, (ind.args[0] * shared, shared))
    assert failure is not None and "same dropout mask" in failure.message


def test_mask_must_reproduce_output() -> None:
    case = _case("output is 0 or x/(1−p) everywhere")
    x, p = case.args[0], case.args[1]
    mask = (np.random.default_rng(1).random(x.shape) >= p) / (1 - p)
    other = (np.random.default_rng(2).random(x.shape) >= p) / (1 - p)
    failure = _values_ok(case, (x * mask, other))
    assert failure is not None and "out != x * mask" in failure.message


# --- the report -------------------------------------------------------------------------------


def test_json_report_follows_the_contract() -> None:
    code = get_task("dropout_forward").solution.replace(
        "return x.copy(), np.ones_like(x)", "return x * (1 - p), np.ones_like(x)"
    )
    report = grade("dropout_forward", code)
    data = json.loads(json.dumps(report.to_json()))
    assert list(data)[:5] == ["task", "verdict", "passed", "tests", "duration_s"]
    assert data["verdict"] == "wrong_answer" and data["passed"] is False
    assert all(set(t) == {"name", "passed", "message"} for t in data["tests"])
    assert data["first_failure"]["test"] == "eval mode is the identity"
    text = render_text(report)
    assert text.startswith("dropout_forward — wrong_answer (9/12 tests passed")
    assert "sandbox: " in text and " ✘ eval mode is the identity" in text
    assert "input x = [[1.0, 2.0], [3.0, 4.0]], p = 0.5, training = False" in text
    assert "max abs error 2" in text
    assert "hint: with inverted dropout the 1/(1−p) scaling happens in training only" in text
    assert "· 2 more tests not run after the first failure in this group" in text


def test_printing_passed_and_user_output_is_truncated() -> None:
    code = 'print("PASSED " * 10000)\ndef l1_penalty(w, lam):\n    return 0.0\n'
    report = grade("l1_penalty", code)
    assert report.verdict is Verdict.WRONG_ANSWER
    assert len(report.output.encode()) <= Limits().output_bytes
    assert report.output_dropped > 0


# --- CLI --------------------------------------------------------------------------------------


def _run(*argv: str) -> tuple[int, str, str]:
    out, err = StringIO(), StringIO()
    code = cli_main(list(argv), Environment(stdout=out, stderr=err))
    return code, out.getvalue(), err.getvalue()


def test_cli_grade_exit_codes_and_json(tmp_path: Path) -> None:
    good = tmp_path / "good.py"
    good.write_text(get_task("l2_gradient").solution)
    bad = tmp_path / "bad.py"
    bad.write_text("def l2_gradient(w, lam):\n    return lam * w\n")
    db = str(tmp_path / "q.db")
    code, out, _ = _run("--db", db, "grade", "l2_gradient", str(good), "--json")
    assert code == 0 and json.loads(out)["verdict"] == "passed"
    code, out, _ = _run("--db", db, "grade", "l2_gradient", str(bad))
    assert code == 1 and out.startswith("l2_gradient — wrong_answer")
    code, _, err = _run("grade", "no_such_task", str(good))
    assert code == 2 and "quizapp tasks list" in err
    code, _, err = _run("grade", "l2_gradient", str(tmp_path / "missing.py"))
    assert code == 2 and "cannot read" in err
    code, _, err = _run("grade", "l2_gradient", str(tmp_path))
    assert code == 2 and "directory" in err
    from quizapp.store import Store

    store = Store.open(db)
    assert [a.verdict for a in store.attempts("l2_gradient")] == ["passed", "wrong_answer"]
    store.close()
    code, out, _ = _run("--db", db, "tasks", "list", "--json")
    rows = {r["id"]: r for r in json.loads(out)}
    assert code == 0 and len(rows) >= 14 and rows["l2_gradient"]["status"] == "passed"


def test_cli_tasks_show_prints_statement_and_starter() -> None:
    code, out, _ = _run("tasks", "show", "dropout_forward")
    assert code == 0
    assert "p` is the probability of **dropping**" in out
    assert "def dropout_forward(x, p, training, rng):" in out
    assert _run("tasks", "show", "nope")[0] == 2


def test_cli_grade_imports_stay_light() -> None:
    probe = (
        "import sys; import quizapp.cli.grade, quizapp.cli.tasks, quizapp.grading.grader;"
        "bad = [m for m in ('numpy', 'textual', 'rich', 'solvers') if m in sys.modules];"
        "assert not bad, bad"
    )
    subprocess.run([sys.executable, "-c", probe], check=True, cwd=ROOT)


# --- cancellation, pools, fallback ------------------------------------------------------------


def test_cancel_token_kills_the_run_from_another_thread() -> None:
    token = CancelToken()
    threading.Timer(0.4, token.cancel).start()
    start = time.monotonic()
    with pytest.raises(GradingCancelled):
        grade("l1_penalty", HANG, cancel=token)
    assert time.monotonic() - start < 2.5
    assert wait_no_children() == []


async def test_grade_async_is_cancellable() -> None:
    task = asyncio.create_task(grade_async("l1_penalty", HANG))
    await asyncio.sleep(0.4)
    task.cancel()
    start = time.monotonic()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert time.monotonic() - start < 1
    assert await asyncio.to_thread(wait_no_children) == []
    report = await grade_async("l1_penalty", get_task("l1_penalty").solution)
    assert report.passed


def test_warm_pool_serves_one_child_per_grade() -> None:
    pool = WarmPool()
    pool.prestart()
    first = pool._child
    assert first is not None and first.wait_ready(10)
    assert grade("l1_penalty", get_task("l1_penalty").solution, pool=pool).passed
    pool.prestart()  # the grade asked for the next child without waiting for it
    second = pool._child
    assert second is not None and second is not first and not first.alive()
    assert grade("l1_penalty", HANG, pool=pool, limits=Limits(wall_s=1)).verdict == "timeout"
    pool.close()
    assert wait_no_children() == []


@pytest.mark.skipif(not BWRAP, reason="bubblewrap is not usable here")
def test_bwrap_failure_falls_back_and_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sandbox, "_forced_fallback", "")
    monkeypatch.setattr(sandbox, "_bwrap_argv", lambda limits: ["bwrap", "--no-such-option", "--"])
    report = grade("l1_penalty", get_task("l1_penalty").solution)
    assert report.passed
    assert report.sandbox.startswith("rlimits")
    assert "(bubblewrap failed here: bwrap:" in report.sandbox
    assert sandbox.sandbox_info().kind == "rlimits"  # remembered: no second failed attempt


def test_answer_printing_bwrap_error_cannot_downgrade_the_sandbox(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sandbox, "_forced_fallback", "")
    code = "import os\nprint('bwrap: fake failure', flush=True)\nos._exit(1)\n"
    report = grade("l1_penalty", code)
    assert report.verdict is Verdict.RUNTIME_ERROR
    assert sandbox._forced_fallback == ""


@pytest.mark.skipif(not BWRAP, reason="bubblewrap is not usable here")
def test_a_failed_bwrap_never_received_the_answer(monkeypatch: pytest.MonkeyPatch) -> None:
    """The job is written only after the bootstrap's "ready": a bwrap that cannot start never
    got the answer's code, so running it in the fallback is its first and only run."""
    monkeypatch.setattr(sandbox, "_forced_fallback", "")
    monkeypatch.setattr(sandbox, "_bwrap_argv", lambda limits: ["bwrap", "--no-such-option", "--"])
    child = sandbox.spawn()
    result = child.run(b"never sent")
    assert not result.started and result.frames == []


def test_frame_reader_bounds_what_it_accepts() -> None:
    import json
    import struct

    from quizapp.grading._bootstrap import MAX_HEADER_BYTES, FrameReader

    def frame(head: bytes) -> bytes:
        return struct.pack("<II", len(head), 0) + head

    reader = FrameReader(max_frames=3)
    with pytest.raises(ValueError, match="more than 3 frames"):
        reader.feed(frame(b'{"kind": "x"}') * 4)
    with pytest.raises(ValueError, match="header"):
        FrameReader().feed(struct.pack("<II", MAX_HEADER_BYTES + 1, 0))
    with pytest.raises(ValueError, match="nested"):
        FrameReader().feed(frame(json.dumps({"v": [[]] * 60_000}).encode()))
    start = time.monotonic()
    big = b'{"kind": "x", "v": [' + b"[]," * 4_000_000 + b"[]]}"
    with pytest.raises(ValueError):
        FrameReader().feed(frame(big))
    assert time.monotonic() - start < 0.5


_json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5),
    lambda kids: (
        st.lists(kids, max_size=4) | st.dictionaries(st.text(max_size=3), kids, max_size=4)
    ),
    max_leaves=20,
)
_value_trees = st.recursive(
    st.fixed_dictionaries(
        {
            "t": st.sampled_from(
                ["none", "bool", "int", "float", "array", "npscalar", "rng", "unsupported", "x"]
            ),
            "v": _json_values,
            "a": _json_values,
            "seed": _json_values,
        }
    ),
    lambda kids: st.fixed_dictionaries(
        {"t": st.sampled_from(["list", "tuple"]), "v": st.lists(kids, max_size=4)}
    ),
    max_leaves=10,
)


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=400))
def test_frame_reader_fuzz_raises_only_value_error(data: bytes) -> None:
    from quizapp.grading._bootstrap import FrameReader, unpack

    with contextlib.suppress(ValueError):
        FrameReader(max_frames=5).feed(data)
    with contextlib.suppress(ValueError):
        unpack(data)


@settings(max_examples=150, deadline=None)
@given(_value_trees | _json_values)
def test_decoder_fuzz_raises_only_value_error(tree: object) -> None:
    from quizapp.grading._bootstrap import decode

    with contextlib.suppress(ValueError):
        decode(tree, [np.zeros(2)])


_KINDS = ["ready", "loaded", "case", "done", "import_error", "missing_function"]


@settings(max_examples=50, deadline=None)
@given(
    st.lists(
        st.fixed_dictionaries(
            {
                "kind": st.sampled_from(
                    ["ready", "loaded", "case", "done", "import_error", "missing_function"]
                )
                | _json_values,
                "i": st.integers(-1, 12) | _json_values,
                "ok": _json_values,
                "out": _value_trees | _json_values,
                "exc": _json_values,
                "args_after": st.lists(_value_trees | _json_values, max_size=3) | _json_values,
                "forbidden": _json_values,
                "defined": _json_values,
            }
        ),
        max_size=8,
    ),
    st.sampled_from(
        ["l1_penalty", "early_stopping", "dropout_forward", "lasso_coordinate_descent"]
    ),
)
def test_judge_fuzz_always_ends_in_a_report(headers: list[dict[str, object]], task_id: str) -> None:
    """Whatever frames a child sends, the grade is a report (never an exception)."""
    from quizapp.grading import grader
    from quizapp.grading.sandbox import RunResult

    task = get_task(task_id)
    result = RunResult(frames=[(h, [np.ones(3)]) for h in headers], returncode=0)
    report = grader._judge(task, grader._cases(task), result, time.perf_counter())
    assert report.verdict in set(Verdict)
    render_text(report)


def test_task_families_do_not_import_the_catalog_or_each_other() -> None:
    """Issue 18: catalog -> tasks -> task (no cycle); families share only `tasks.shared`."""
    import ast

    here = Path(__file__).resolve().parents[2] / "quizapp" / "grading" / "tasks"
    families = {p.stem for p in here.glob("*.py")} - {"__init__", "shared"}
    assert not (here / "extras.py").exists()
    for path in here.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                assert node.module != "quizapp.grading.catalog", path.name
                if path.stem != "__init__":
                    other = node.module.removeprefix("quizapp.grading.tasks.")
                    assert other not in families - {path.stem}, f"{path.name} imports {other}"


_UNSAFE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=60))
def test_no_terminal_control_survives_escaping(text: str) -> None:
    """Second adversarial pass: U+2028/U+2029 (a line break in some viewers) and the bidi
    marks reached the text and --json reports raw."""
    from quizapp.grading.verdicts import escape_controls

    assert not _UNSAFE.search(escape_controls(text))
    assert not _UNSAFE.search(escape_controls(text + "\u2028\u200f"))
