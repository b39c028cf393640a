"""The worked-example registry: API, determinism, answers consistent with the solvers."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest

from solvers import examples
from solvers.examples import KINDS, ExampleKind, Step, WorkedExample, generate, list_kinds

REQUIRED = [
    "l1_penalty",
    "l2_penalty",
    "elastic_net_penalty",
    "l1_subgradient",
    "l2_gradient",
    "sgd_weight_decay_step",
    "soft_threshold",
    "ridge_2x2",
    "lasso_coordinate_update",
    "dropout_forward_mask",
    "dropout_expected_value",
    "early_stopping_trace",
    "label_smoothing",
    "max_norm_rescale",
    "adam_vs_adamw",
]
SEEDS = range(12)


def test_required_kinds_are_registered() -> None:
    assert set(REQUIRED) <= set(KINDS)
    assert [k.name for k in list_kinds()] == list(KINDS)
    for k in list_kinds():
        assert isinstance(k, ExampleKind)
        assert k.name.isidentifier() and k.name == k.name.lower()
        assert k.title and k.description and k.topic


@pytest.mark.parametrize("kind", list(KINDS))
def test_every_kind_is_deterministic_well_formed_and_self_consistent(kind: str) -> None:
    for seed in SEEDS:
        ex = generate(kind, seed)
        assert ex == generate(kind, seed)
        assert isinstance(ex, WorkedExample) and ex.kind == kind and ex.seed == seed
        assert ex.steps and all(isinstance(s, Step) and s.text for s in ex.steps)
        assert "\\" not in ex.problem and "$" not in ex.problem  # no LaTeX
        assert ex.is_correct(ex.answer)
        d = ex.to_dict()
        assert set(d) == {
            "kind",
            "seed",
            "problem",
            "steps",
            "answer",
            "tolerance",
            "answer_format",
        }
        assert json.loads(json.dumps(d)) == d
        ans = np.atleast_1d(np.asarray(ex.answer, dtype=float))
        assert np.isfinite(ans).all()
        # a visibly wrong answer is rejected, and so is a wrong shape
        assert not ex.is_correct(ans * 1.1 + 1.0 if ans.size > 1 else float(ans[0]) * 1.1 + 1)
        assert not ex.is_correct([*ans.tolist(), 0.0])


def test_seeds_give_varied_numbers() -> None:
    for kind in KINDS:
        problems = {generate(kind, s).problem for s in range(20)}
        assert len(problems) >= 5, kind


def test_answers_match_the_solver_functions() -> None:
    from solvers import elastic_net_penalty, l1_penalty, ridge_closed_form

    ex = generate("l1_penalty", 3)
    w = np.asarray(ex.steps[0].value)  # |w| — the penalty of |w| equals the penalty of w
    lam = ex.answer / l1_penalty(w, 1.0)  # type: ignore[operator]
    assert l1_penalty(w, lam) == pytest.approx(ex.answer)
    ex = generate("elastic_net_penalty", 7)
    assert isinstance(ex.answer, float)
    n1, n2 = ex.steps[0].value, ex.steps[1].value
    assert isinstance(n1, float) and isinstance(n2, float)
    assert ex.answer > 0 and elastic_net_penalty([1.0], 1.0, 1.0) == 1.0
    ex = generate("ridge_2x2", 4)
    A = np.asarray(ex.steps[1].value)
    b = np.asarray(ex.steps[2].value)
    np.testing.assert_allclose(np.linalg.solve(A, b), ex.answer, rtol=1e-9)
    np.testing.assert_allclose(ridge_closed_form(np.eye(2), np.ones(2), 1.0), [0.5, 0.5])


def test_is_correct_tolerance_and_garbage() -> None:
    ex = generate("l1_penalty", 0)
    a = float(ex.answer)  # type: ignore[arg-type]
    assert ex.is_correct(a * (1 + 0.5 * ex.tolerance))
    assert not ex.is_correct(a * (1 + 3 * ex.tolerance) + 1e-3)
    assert not ex.is_correct("abc")  # type: ignore[arg-type]
    assert not ex.is_correct(float("nan"))
    assert not ex.is_correct([a, a])


def test_unknown_kind_and_bad_seed() -> None:
    with pytest.raises(ValueError, match="unknown example kind 'nope'; see `quizapp example"):
        generate("nope", 1)
    with pytest.raises(ValueError, match="seed"):
        generate("l1_penalty", -1)


def test_the_elastic_net_example_states_its_convention() -> None:
    ex = generate("elastic_net_penalty", 7)
    assert "½" in ex.problem and "scikit-learn" in ex.problem
    assert any("002" in s.text for s in ex.steps)
    assert "1/(2n)" in generate("lasso_coordinate_update", 0).problem
    assert "no ½" in generate("l2_penalty", 0).problem


def test_import_is_cheap() -> None:
    code = (
        "import sys, solvers.examples; "
        "bad = [m for m in ('scipy', 'sklearn', 'torch', 'quizapp', 'rich') if m in sys.modules];"
        "print(bad)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
    assert examples.__name__ == "solvers.examples"


def test_a_negative_number_is_never_squared_without_parentheses() -> None:
    """−2.5² reads as −(2.5²); a worked solution must write (−2.5)². Every kind, many seeds."""
    import re

    bare = re.compile(r"(?<![\w)\]])−\d+(?:\.\d+)?(?:e−?\d+)?[²³]")
    for kind in KINDS:
        for seed in range(40):
            ex = generate(kind, seed)
            for text in (ex.problem, *(s.text for s in ex.steps)):
                assert not bare.search(text), (kind, seed, text)


def test_dropout_expected_value_squares_a_negative_keep_value_in_parentheses() -> None:
    seen = False
    for seed in range(60):
        ex = generate("dropout_expected_value", seed)
        e2 = next(s.text for s in ex.steps if s.text.startswith("E[out²]"))
        keep = ex.steps[0].value
        assert isinstance(keep, float)
        if keep < 0:
            seen = True
            assert f"(−{abs(keep):g})²" in e2, e2
    assert seen, "no seed drew a negative unit output"


def test_every_kind_rounds_its_answer_the_same_way() -> None:
    """Answers are cleaned to 12 significant digits (no float noise), adam_vs_adamw included."""
    for kind in KINDS:
        for seed in SEEDS:
            answer = np.ravel(generate(kind, seed).answer)
            for v in answer.tolist():
                assert v == float(f"{v:.12g}"), (kind, seed, v)
