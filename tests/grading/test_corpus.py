"""Every corpus answer gets its expected verdict; every task's model solution passes."""

from __future__ import annotations

import pytest

from quizapp.grading import all_tasks, grade, render_text

from .helpers import Entry, corpus_entries

ENTRIES = corpus_entries()


@pytest.mark.parametrize("entry", ENTRIES, ids=[e.id for e in ENTRIES])
def test_corpus_answer_gets_expected_verdict(entry: Entry) -> None:
    source = entry.path.read_bytes()
    if b"import scipy" in source or b"from scipy" in source:
        pytest.importorskip("scipy")  # answers may use SciPy where it is installed
    report = grade(entry.task, source)
    assert str(report.verdict) == entry.expect, render_text(report)
    if entry.expect != "passed":
        if report.tests:  # a test failed: it is named, with its message
            assert report.failure is not None and report.failure.message
            assert report.failed_test
        else:  # the file itself is the problem (syntax, encoding, no function): say why
            assert report.message


@pytest.mark.parametrize("task", all_tasks(), ids=lambda t: t.id)
def test_model_solution_passes(task) -> None:  # type: ignore[no-untyped-def]
    report = grade(task.id, task.solution)
    assert report.passed, render_text(report)
    assert len(report.tests) >= (6 if task.core else 4)
    assert all(t.passed for t in report.tests)


@pytest.mark.parametrize("task", all_tasks(), ids=lambda t: t.id)
def test_every_task_has_a_corpus_with_a_bug(task) -> None:  # type: ignore[no-untyped-def]
    verdicts = {e.expect for e in ENTRIES if e.task == task.id}
    assert "passed" in verdicts
    assert verdicts - {"passed"}, f"{task.id} has no buggy answer in the corpus"


def test_task_catalog_is_complete_and_consistent() -> None:
    required = {
        "l1_penalty", "l1_subgradient", "l2_penalty", "l2_gradient", "elastic_net_penalty",
        "soft_threshold", "dropout_forward", "dropout_backward", "ridge_closed_form",
        "lasso_coordinate_descent", "elastic_net_coordinate_descent", "early_stopping",
        "label_smoothing_cross_entropy", "max_norm",
    }  # fmt: skip
    tasks = {t.id: t for t in all_tasks()}
    assert required <= set(tasks)
    for task in tasks.values():
        assert task.func_name in task.starter
        assert task.func_name in task.solution
        assert task.hints and task.statement.startswith("# ")
        assert task.reference_available(), task.reference
        if task.id in required:
            assert task.func_name == task.id


def test_model_solutions_pass_without_bubblewrap(monkeypatch: pytest.MonkeyPatch) -> None:
    """The fallback (rlimits + seccomp + Landlock) must not break honest answers."""
    from quizapp.grading import sandbox

    monkeypatch.setattr(sandbox, "_forced_fallback", "forced by the test")
    for task in all_tasks():
        report = grade(task.id, task.solution)
        assert report.passed, render_text(report)
        assert report.sandbox.startswith("rlimits")
