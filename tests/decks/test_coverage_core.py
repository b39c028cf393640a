"""Coverage and numeric correctness of the core decks.

The core decks are overfitting, l1, l2, elastic_net and views.

1. `CONCEPTS` maps every concept the sources name in these topics (plus the interview topics
   beyond them) to the cards that teach it. Each concept must have at least two existing cards of
   at least two different types, so a deleted or retyped card makes a concept fail.
2. Every number a card states that a solver can compute (a multiple-choice option, a typed
   answer, a formula's constant) is recomputed here with `solvers`. The test also checks that
   the card still says that number.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from quizapp.decks import DeckSet, load_decks
from solvers import (
    elastic_net_coordinate_descent,
    elastic_net_penalty,
    l1_penalty,
    l2_gradient,
    l2_penalty,
    lasso_coordinate_descent,
    ridge_closed_form,
    soft_threshold,
)
from solvers.elastic_net import lambda_max
from solvers.l1 import l1_prox

DECKS_DIR = Path(__file__).resolve().parents[2] / "decks"
CORE_DECKS = ("overfitting", "l1", "l2", "elastic_net", "views")

# concept -> card ids (all must exist; together they must span >= 2 card types)
CONCEPTS: dict[str, list[str]] = {
    # ---- overfitting deck
    "overfitting": ["overfitting-define", "overfitting-gap-cloze", "overfitting-more-data-mc"],
    "underfitting": [
        "overfitting-underfit-mc",
        "overfitting-high-bias-typed",
        "overfitting-gap-cloze",
    ],
    "generalization gap": ["overfitting-define", "overfitting-gap-cloze"],
    "causes of overfitting (000)": ["overfitting-causes-cloze", "overfitting-more-data-mc"],
    "bias-variance trade-off": [
        "overfitting-bias-variance-cloze",
        "overfitting-lambda-bias-variance-mc",
        "overfitting-001-tradeoff-trap",
    ],
    "irreducible error": ["overfitting-irreducible-typed", "overfitting-bias-variance-cloze"],
    "model capacity / complexity": [
        "overfitting-capacity",
        "overfitting-underfit-mc",
        "overfitting-double-descent",
    ],
    "what regularization is / inductive bias": [
        "overfitting-regularization-definition",
        "overfitting-regularization-claims-mc",
    ],
    "regularization does not always help (001 failure modes)": [
        "overfitting-regularization-claims-mc",
        "overfitting-001-tradeoff-trap",
    ],
    "baseline before regularizing (003)": [
        "overfitting-underfit-mc",
        "overfitting-high-bias-typed",
        "practice-curves-cloze",
    ],
    "train/validation/test split": [
        "overfitting-three-splits",
        "overfitting-test-tuning-bug",
        "overfitting-nested-cv-mc",
    ],
    "cross-validation": [
        "overfitting-kfold-cloze",
        "overfitting-nested-cv-mc",
        "overfitting-cv-splits-pitfalls",
        "overfitting-selection-leak-bug",
    ],
    "choosing lambda on a log grid": [
        "l1-cd-zero-condition-cloze",
        "l1-lambda-max-numeric",
        "l1-sparsity-monitor",
    ],
    "hyperparameter search and selection bias": [
        "overfitting-test-tuning-bug",
        "overfitting-nested-cv-mc",
    ],
    # ---- l1 deck
    "L1 penalty": ["l1-penalty-numeric", "l1-code-penalty", "l1-constant-pull-cloze"],
    "lasso": ["l1-lasso-acronym", "l1-why-exact-zeros", "l1-code-lasso-cd"],
    "L1 sparsity / exact zeros": [
        "l1-why-exact-zeros",
        "l1-constant-pull-cloze",
        "l1-soft-threshold-cloze",
        "views-diamond-vs-circle",
    ],
    "L1 subgradient / non-differentiable at 0": [
        "l1-subdifferential-at-zero",
        "l1-subgradient-numeric",
        "l1-code-subgradient",
        "l1-subgradient-sgd-no-zeros",
    ],
    "soft-thresholding (L1 prox)": [
        "l1-soft-threshold-cloze",
        "l1-soft-threshold-mc",
        "l1-soft-threshold-numeric",
        "l1-code-soft-threshold",
    ],
    "proximal gradient (ISTA)": [
        "l1-ista-cloze",
        "l1-ista-threshold-bug",
        "l1-subgradient-sgd-no-zeros",
    ],
    "lasso coordinate descent": [
        "l1-cd-update-numeric",
        "l1-cd-residual-bug",
        "l1-code-lasso-cd",
        "l1-cd-zero-condition-cloze",
    ],
    "lambda_max / regularization path": [
        "l1-cd-zero-condition-cloze",
        "l1-lambda-max-numeric",
        "l1-path-piecewise-linear",
    ],
    "lasso closed form for orthonormal features": [
        "l1-orthonormal-closed-form",
        "l1-orthonormal-mc",
    ],
    "feature selection": ["l1-correlated-features-mc", "l1-at-most-n", "l1-logistic-when"],
    "lasso with correlated features": [
        "l1-correlated-features-mc",
        "elastic_net-grouping-effect",
        "l2-collinear-duplicate-mc",
    ],
    "feature scaling before L1/L2": [
        "l1-feature-scaling-mc",
        "l1-sparsity-monitor",
        "practice-feature-scaling-mc",
    ],
    "sparse models and inference speed (003)": ["l1-sparsity-speed-nuance", "l1-sparsity-speed-mc"],
    "L1 in frameworks (PyTorch has no L1 option)": [
        "l1-pytorch-weight-decay-bug",
        "l1-sparsity-speed-mc",
        "l1-subgradient-sgd-no-zeros",
    ],
    "L1 in logistic regression": ["l1-logistic-c-mc", "l1-logistic-when"],
    # ---- l2 deck
    "L2 penalty": ["l2-penalty-numeric", "l2-code-penalty"],
    "L2 gradient and the 1/2 convention": [
        "l2-gradient-numeric",
        "l2-code-gradient",
        "l2-half-convention-cloze",
        "l2-missing-two-bug",
    ],
    "small weights = smoother functions (001)": ["l2-smoother-functions", "l2-svd-shrinkage-cloze"],
    "weight decay under SGD": [
        "l2-sgd-decay-cloze",
        "l2-sgd-step-numeric",
        "l2-decay-factor-typed",
    ],
    "L2 in Adam vs AdamW": [
        "l2-adam-vs-adamw",
        "l2-adam-l2-mc",
        "l2-adamw-numeric",
        "l2-torch-adam-weight-decay-bug",
        "l2-nothing-changes",
    ],
    "ridge closed form": ["l2-closed-form-cloze", "l2-ridge-2x2-numeric", "l2-code-ridge"],
    "ridge shrinkage (SVD view, effective df)": ["l2-svd-shrinkage-cloze", "overfitting-capacity"],
    "ridge and multicollinearity": ["l2-collinear-duplicate-mc", "l2-svd-shrinkage-cloze"],
    "L2 never exactly zero (002 nuance)": ["l2-never-zero-nuance", "l2-half-convention-cloze"],
    "ridge limits: lambda -> 0 min-norm, lambda -> inf zero": [
        "l2-limits-cloze",
        "l2-closed-form-cloze",
        "views-implicit-sgd",
    ],
    "not regularizing biases / the intercept": [
        "l2-no-bias-decay",
        "l2-decay-groups-mc",
        "l2-intercept-cloze",
        "l2-intercept-penalized-bug",
        "practice-no-decay-shape-rule-cloze",
    ],
    "L2 in logistic regression": ["l2-logistic-separable", "l1-logistic-c-mc"],
    # derived in the early_stopping deck; l2 holds the cloze
    "early stopping ~ L2": [
        "l2-early-stopping-cloze",
        "views-implicit-vs-explicit-mc",
        "early_stopping-why-regularization",
        "early_stopping-l2-numbers-mc",
    ],
    # ---- elastic_net deck
    "elastic net (scikit-learn parameterization)": [
        "elastic_net-sklearn-objective-cloze",
        "elastic_net-params-mc",
        "elastic_net-penalty-numeric",
        "elastic_net-code-penalty",
    ],
    "elastic net convention trap (002/004 without the 1/2)": [
        "elastic_net-002-formula-trap",
        "elastic_net-convention-mc",
        "elastic_net-penalty-bug",
    ],
    "elastic net lambda1/lambda2 form (003)": [
        "elastic_net-lambda12-conversion-mc",
        "elastic_net-double-shrinkage",
    ],
    "scikit-learn alpha scaling across estimators": [
        "elastic_net-ridge-equivalence-mc",
        "elastic_net-sklearn-objective-cloze",
    ],
    "grouping effect": ["elastic_net-grouping-effect", "elastic_net-geometry-cloze"],
    "when to use elastic net": ["elastic_net-when-to-use-mc", "l1-at-most-n"],
    "elastic net coordinate descent": ["elastic_net-cd-update-cloze", "elastic_net-code-cd"],
    # ---- views deck
    "geometric view: diamond vs circle": [
        "views-diamond-vs-circle",
        "views-hypercube-trap-mc",
        "views-corner-claims-mc",
    ],
    "constraint form / Lagrangian": ["views-lagrangian-cloze", "views-diamond-vs-circle"],
    "Lp balls and L1 as convex relaxation of L0": ["views-lp-norms", "views-hypercube-trap-mc"],
    "rotation invariance of L2, not L1": ["views-rotation-mc", "views-lp-norms"],
    "Bayesian view: Gaussian prior <-> L2": [
        "views-map-ridge-derivation",
        "views-lambda-variance-cloze",
        "views-prior-mc",
    ],
    "Bayesian view: Laplace prior <-> L1": [
        "views-laplace-lambda-mc",
        "views-laplace-sparsity-trap",
    ],
    "MAP estimate vs MLE vs posterior mean": [
        "views-map-mle-typed",
        "views-posterior-mean-cloze",
        "views-map-ridge-derivation",
    ],
    "lambda <-> prior variance": ["views-lambda-variance-cloze", "views-laplace-lambda-mc"],
    "004's prior constant (factor 2)": ["views-004-prior-factor-trap", "views-laplace-lambda-mc"],
    "implicit regularization of SGD": [
        "views-implicit-sgd",
        "views-implicit-gd-cloze",
        "views-implicit-vs-explicit-mc",
    ],
    "flat minima": ["views-flat-minima-caveat", "views-implicit-gd-cloze"],
    "SAM": ["views-sam", "views-sam-cloze", "views-sam-restore-bug"],
}


@pytest.fixture(scope="module")
def decks() -> DeckSet:
    ds = load_decks([DECKS_DIR])
    assert not ds.problems, "\n".join(map(str, ds.problems))
    return ds


def _card(decks: DeckSet, card_id: str) -> Any:
    found = decks.card(card_id)
    assert found is not None, f"card {card_id!r} does not exist"
    return found[1]


def _option(card: Any, text: str) -> Any:
    for opt in card.options:
        if opt.text == text:
            return opt
    texts = [o.text for o in card.options]
    raise AssertionError(f"{card.id}: no option {text!r}; options are {texts}")


def _vec(text: str) -> np.ndarray:
    return np.array([float(t) for t in text.strip("[]").replace("−", "-").split(",")])


def test_core_decks_present(decks: DeckSet) -> None:
    ids = {d.id for d in decks.decks}
    assert set(CORE_DECKS) <= ids


def _is_core(card_id: str) -> bool:
    return card_id.split("-", 1)[0] in CORE_DECKS


@pytest.mark.parametrize("concept", sorted(CONCEPTS))
def test_concept_has_two_card_types(decks: DeckSet, concept: str) -> None:
    # Core cards must exist. Cards listed from the other writer's decks are extra support: they
    # count if present, but the concept must not depend on them alone.
    cards = [_card(decks, cid) for cid in CONCEPTS[concept] if _is_core(cid)]
    cards += [
        found[1]
        for cid in CONCEPTS[concept]
        if not _is_core(cid) and (found := decks.card(cid)) is not None
    ]
    types = {c.type for c in cards}
    assert len(cards) >= 2 and len(types) >= 2, f"{concept}: needs >= 2 cards of different types"
    assert any(_is_core(cid) for cid in CONCEPTS[concept]), f"{concept}: no core card"


def test_core_card_ids_are_prefixed_by_deck(decks: DeckSet) -> None:
    for deck in decks.decks:
        if deck.id in CORE_DECKS:
            for card in deck.cards:
                assert card.id.startswith(deck.id + "-"), card.id


def test_every_core_card_is_in_the_concept_table_or_deliberately_not(decks: DeckSet) -> None:
    covered = {cid for ids in CONCEPTS.values() for cid in ids}
    stray = [
        c.id for d in decks.decks if d.id in CORE_DECKS for c in d.cards if c.id not in covered
    ]
    # Every core card teaches at least one concept in the table.
    assert not stray, f"cards not mapped to a concept: {stray}"


# ---------------------------------------------------------------- numbers stated in cards


def test_soft_threshold_mc(decks: DeckSet) -> None:
    card = _card(decks, "l1-soft-threshold-mc")
    x, t = np.array([-0.3, 0.8, -1.5]), 0.5
    assert "x = [−0.3, 0.8, −1.5], t = 0.5" in card.prompt
    right = _option(card, "[0, 0.3, −1.0]")
    assert right.correct
    np.testing.assert_allclose(soft_threshold(x, t), _vec(right.text))
    hard = np.where(np.abs(x) > t, x, 0.0)
    no_sign = np.maximum(np.abs(x) - t, 0.0)
    no_clamp = x - t * np.sign(x)
    for wrong, value in (
        ("[0, 0.8, −1.5]", hard),
        ("[0, 0.3, 1.0]", no_sign),
        ("[0.2, 0.3, −1.0]", no_clamp),
    ):
        opt = _option(card, wrong)
        assert not opt.correct
        np.testing.assert_allclose(_vec(wrong), value)
        assert not np.allclose(value, soft_threshold(x, t))


def test_elastic_net_convention_mc(decks: DeckSet) -> None:
    card = _card(decks, "elastic_net-convention-mc")
    w, lam, r = np.array([1.0, -2.0, 0.5]), 0.2, 0.25
    assert "w = [1.0, −2.0, 0.5], λ = 0.2, l1_ratio r = 0.25" in card.prompt
    assert _option(card, "0.56875").correct
    assert elastic_net_penalty(w, lam, r) == pytest.approx(0.56875)
    # 002/004's form: no ½ on the L2 term
    no_half = l1_penalty(w, lam * r) + l2_penalty(w, lam * (1 - r))
    # l1_ratio applied to the wrong term
    swapped = l1_penalty(w, lam * (1 - r)) + 0.5 * l2_penalty(w, lam * r)
    forgot_lam = elastic_net_penalty(w, 1.0, r)
    for text, value in (("0.9625", no_half), ("0.65625", swapped), ("2.84375", forgot_lam)):
        assert not _option(card, text).correct
        assert float(text) == pytest.approx(value)
    # the explanation's intermediate numbers
    assert l1_penalty(w, 1.0) == pytest.approx(3.5)
    assert l2_penalty(w, 1.0) == pytest.approx(5.25)


def test_elastic_net_lambda12_conversion(decks: DeckSet) -> None:
    card = _card(decks, "elastic_net-lambda12-conversion-mc")
    lam1, lam2 = 0.03, 0.01
    assert "λ₁ = 0.03 and λ₂ = 0.01" in card.prompt
    rng = np.random.default_rng(0)
    options = {
        "alpha = 0.05, l1_ratio = 0.6": (0.05, 0.6),
        "alpha = 0.04, l1_ratio = 0.75": (0.04, 0.75),
        "alpha = 0.04, l1_ratio = 0.25": (0.04, 0.25),
        "alpha = 0.03, l1_ratio = 0.01": (0.03, 0.01),
    }
    for _ in range(5):
        w = rng.normal(size=6)
        target = l1_penalty(w, lam1) + l2_penalty(w, lam2)
        for text, (a, r) in options.items():
            matches = elastic_net_penalty(w, a, r) == pytest.approx(target)
            assert matches == _option(card, text).correct, text


def test_elastic_net_ridge_equivalence(decks: DeckSet) -> None:
    card = _card(decks, "elastic_net-ridge-equivalence-mc")
    assert "n = 200" in card.prompt and "ElasticNet(alpha=0.01, l1_ratio=0.0" in card.prompt
    rng = np.random.default_rng(1)
    n, p = 200, 5
    X = rng.normal(size=(n, p))
    y = X @ rng.normal(size=p) + 0.5 * rng.normal(size=n)
    w_en = elastic_net_coordinate_descent(X, y, 0.01, 0.0, max_iter=10_000, tol=1e-12)
    for text, alpha in (
        ("Ridge(alpha=2.0)", 2.0),
        ("Ridge(alpha=0.01)", 0.01),
        ("Ridge(alpha=4.0)", 4.0),
        ("Ridge(alpha=0.005)", 0.005),
    ):
        same = np.allclose(ridge_closed_form(X, y, alpha), w_en, rtol=1e-6, atol=1e-8)
        assert same == _option(card, text).correct, text


def test_elastic_net_penalty_bug_only_shows_off_lasso(decks: DeckSet) -> None:
    card = _card(decks, "elastic_net-penalty-bug")
    assert "(1 - l1_ratio) * l2" in card.prompt

    def buggy(w: np.ndarray, lam: float, r: float) -> float:
        return lam * (r * np.sum(np.abs(w)) + (1 - r) * np.sum(w**2))

    w = np.array([0.5, -1.2, 0.0, 2.0])
    assert buggy(w, 0.1, 1.0) == pytest.approx(elastic_net_penalty(w, 0.1, 1.0))
    assert buggy(w, 0.1, 0.5) != pytest.approx(elastic_net_penalty(w, 0.1, 0.5))


def test_elastic_net_cd_update_formula(decks: DeckSet) -> None:
    card = _card(decks, "elastic_net-cd-update-cloze")
    assert card.gaps()[:2] == ["λ·ℓ", "λ·(1 − ℓ)"] and "ℓ = l1_ratio" in card.text
    rng = np.random.default_rng(2)
    n = 30
    x = rng.normal(size=(n, 1))
    y = 1.5 * x[:, 0] + rng.normal(size=n)
    lam, r = 0.3, 0.4
    rho, z = float(x[:, 0] @ y) / n, float(x[:, 0] @ x[:, 0]) / n
    expected = soft_threshold(rho, lam * r) / (z + lam * (1 - r))
    got = elastic_net_coordinate_descent(x, y, lam, r, tol=1e-12)
    np.testing.assert_allclose(got, [expected], rtol=1e-8)


def test_l2_decay_factor_typed(decks: DeckSet) -> None:
    card = _card(decks, "l2-decay-factor-typed")
    assert "η = 0.1" in card.prompt and "λ = 5e-4" in card.prompt
    eta, lam = 0.1, 5e-4
    # penalty (λ/2)‖w‖² = l2_penalty(w, λ/2); its gradient at w = 1 is λ
    factor = 1.0 - eta * float(l2_gradient(np.array([1.0]), lam / 2)[0])
    assert float(card.accept[0]) == pytest.approx(factor, abs=1e-15)
    assert factor**100_000 == pytest.approx(np.exp(-5), rel=1e-3)
    assert "0.0067" in card.explanation and round(factor**100_000, 4) == 0.0067


def test_l2_gradient_convention(decks: DeckSet) -> None:
    card = _card(decks, "l2-half-convention-cloze")
    assert card.gaps()[:2] == ["λw", "2λw"]
    w, lam = np.array([0.5, -1.0, 2.0]), 0.3
    np.testing.assert_allclose(l2_gradient(w, lam / 2), lam * w)  # (λ/2)‖w‖² -> λw
    np.testing.assert_allclose(l2_gradient(w, lam), 2 * lam * w)  # λ‖w‖² -> 2λw
    # finite differences agree with 2λw, which is what catches l2-missing-two-bug
    eps = 1e-6
    fd = [
        (l2_penalty(w + eps * e, lam) - l2_penalty(w - eps * e, lam)) / (2 * eps) for e in np.eye(3)
    ]
    np.testing.assert_allclose(fd, 2 * lam * w, rtol=1e-6)


def test_ista_threshold_scales_with_step(decks: DeckSet) -> None:
    card = _card(decks, "l1-ista-threshold-bug")
    assert "lr = 0.01 and lam = 0.1" in card.answer and "0.001" in card.answer
    x = np.array([-0.05, 0.0005, 0.2, -0.0009])
    np.testing.assert_allclose(l1_prox(x, 0.1, step=0.01), soft_threshold(x, 0.001))
    assert not np.allclose(soft_threshold(x, 0.1), soft_threshold(x, 0.001))


def test_orthonormal_closed_forms(decks: DeckSet) -> None:
    card = _card(decks, "l1-orthonormal-closed-form")
    assert "wⱼ = ŵⱼ / (1 + λ)" in card.answer and "sign(ŵⱼ)·max(|ŵⱼ| − λ, 0)" in card.answer
    rng = np.random.default_rng(3)
    n, p, lam = 40, 6, 0.7
    Q, _ = np.linalg.qr(rng.normal(size=(n, p)))  # QᵀQ = I
    y = Q @ np.array([3.0, -2.0, 0.5, -0.3, 1.0, 0.0]) + 0.1 * rng.normal(size=n)
    w_ols = Q.T @ y
    # ½‖y − Xw‖² + λ‖w‖₁  ==  n·[(1/2n)‖y − Xw‖² + (λ/n)‖w‖₁]
    w_lasso = lasso_coordinate_descent(Q, y, lam / n, max_iter=10_000, tol=1e-12)
    np.testing.assert_allclose(w_lasso, soft_threshold(w_ols, lam), atol=1e-7)
    # ½‖y − Xw‖² + (λ/2)‖w‖²  ==  ½·[‖y − Xw‖² + λ‖w‖²]
    np.testing.assert_allclose(ridge_closed_form(Q, y, lam), w_ols / (1 + lam), rtol=1e-10)


def test_orthonormal_mc(decks: DeckSet) -> None:
    card = _card(decks, "l1-orthonormal-mc")
    assert "ŵ = [2.0, −0.6, 0.9, −1.5]" in card.prompt and "λ = 0.8" in card.prompt
    w_ols, lam = np.array([2.0, -0.6, 0.9, -1.5]), 0.8
    rng = np.random.default_rng(13)
    n = 30
    Q, _ = np.linalg.qr(rng.normal(size=(n, 4)))
    y = Q @ w_ols  # Qᵀy = ŵ exactly
    lasso = lasso_coordinate_descent(Q, y, lam / n, max_iter=10_000, tol=1e-12)
    right = _option(card, "[1.2, 0, 0.1, −0.7]")
    assert right.correct
    np.testing.assert_allclose(lasso, _vec(right.text), atol=1e-8)
    ridge = ridge_closed_form(Q, y, lam)  # ½‖y − Xw‖² + (λ/2)‖w‖²
    wrong = {
        "[2.0, 0, 0.9, −1.5]": np.where(np.abs(w_ols) > lam, w_ols, 0.0),
        "[1.11, −0.33, 0.5, −0.83]": ridge,
        "[1.6, −0.2, 0.5, −1.1]": soft_threshold(w_ols, lam / 2),
    }
    for text, value in wrong.items():
        assert not _option(card, text).correct
        np.testing.assert_allclose(_vec(text), value, atol=5e-3)
        assert not np.allclose(value, lasso, atol=1e-3)


def test_lambda_max_cloze(decks: DeckSet) -> None:
    card = _card(decks, "l1-cd-zero-condition-cloze")
    assert card.gaps()[0] == "max_j |xⱼᵀy| / n"
    rng = np.random.default_rng(4)
    X, y = rng.normal(size=(25, 4)), rng.normal(size=25)
    lmax = float(np.max(np.abs(X.T @ y)) / 25)
    assert lambda_max(X, y) == pytest.approx(lmax)
    assert not np.any(lasso_coordinate_descent(X, y, lmax * 1.0001))
    assert np.any(lasso_coordinate_descent(X, y, lmax * 0.99))


def test_lasso_selects_at_most_n(decks: DeckSet) -> None:
    card = _card(decks, "l1-at-most-n")
    assert "n = 80" in card.prompt and card.accept[0] == "80"
    rng = np.random.default_rng(5)
    n, p = 15, 60
    X = rng.normal(size=(n, p))
    y = X[:, :20] @ rng.normal(size=20)
    for lam in (0.3, 0.03, 0.003):
        w = lasso_coordinate_descent(X, y, lam, max_iter=50_000, tol=1e-10)
        assert np.count_nonzero(np.abs(w) > 1e-10) <= n


def test_ridge_duplicate_feature_split(decks: DeckSet) -> None:
    card = _card(decks, "l2-collinear-duplicate-mc")
    assert _option(card, "w₁ = w₂, each slightly below 1").correct
    rng = np.random.default_rng(6)
    x = rng.normal(size=100)
    X = np.column_stack([x, x])
    y = 2 * x + 0.1 * rng.normal(size=100)
    w = ridge_closed_form(X, y, 0.5)
    assert w[0] == pytest.approx(w[1], rel=1e-10)
    assert 0.9 < w[0] < 1.0


def test_ridge_svd_shrinkage_and_min_norm_limit(decks: DeckSet) -> None:
    assert _card(decks, "l2-svd-shrinkage-cloze").gaps()[0] == "dⱼ²/(dⱼ² + λ)"
    rng = np.random.default_rng(7)
    X, y, lam = rng.normal(size=(12, 30)), rng.normal(size=12), 0.8  # p > n
    U, d, _ = np.linalg.svd(X, full_matrices=False)
    fitted = U @ ((d**2 / (d**2 + lam)) * (U.T @ y))
    np.testing.assert_allclose(X @ ridge_closed_form(X, y, lam), fitted, rtol=1e-8, atol=1e-10)
    assert "minimum-norm" in _card(decks, "l2-limits-cloze").gaps()[0]
    np.testing.assert_allclose(ridge_closed_form(X, y, 1e-9), np.linalg.pinv(X) @ y, atol=1e-5)
    # gradient descent from 0 reaches the same point
    w = np.zeros(30)
    step = 1.0 / np.linalg.norm(X, 2) ** 2
    for _ in range(20_000):
        w -= step * X.T @ (X @ w - y)
    np.testing.assert_allclose(w, np.linalg.pinv(X) @ y, atol=1e-6)


def test_intercept_penalized_bug(decks: DeckSet) -> None:
    card = _card(decks, "l2-intercept-penalized-bug")
    assert "lam * np.eye(p + 1)" in card.prompt and "+1000" in card.answer
    rng = np.random.default_rng(8)
    n, p, lam = 50, 3, 5.0
    X = rng.normal(size=(n, p))
    y = X @ np.array([1.0, -2.0, 0.5]) + rng.normal(size=n)

    def buggy(yy: np.ndarray) -> np.ndarray:
        X1 = np.hstack([np.ones((n, 1)), X])
        return np.linalg.solve(X1.T @ X1 + lam * np.eye(p + 1), X1.T @ yy)[1:]

    def centered(yy: np.ndarray) -> np.ndarray:
        return ridge_closed_form(X - X.mean(0), yy - yy.mean(), lam)

    assert not np.allclose(buggy(y), buggy(y + 1000.0), atol=1e-3)
    np.testing.assert_allclose(centered(y), centered(y + 1000.0), atol=1e-9)


def test_rotation_invariance(decks: DeckSet) -> None:
    card = _card(decks, "views-rotation-mc")
    assert _option(card, "Ridge").correct and not _option(card, "Lasso").correct
    rng = np.random.default_rng(9)
    n, p = 60, 4
    X = rng.normal(size=(n, p))
    y = X @ np.array([2.0, 0.0, 0.0, -1.0]) + 0.3 * rng.normal(size=n)
    Q, _ = np.linalg.qr(rng.normal(size=(p, p)))
    np.testing.assert_allclose(
        ridge_closed_form(X @ Q, y, 1.0), Q.T @ ridge_closed_form(X, y, 1.0), atol=1e-10
    )
    lasso = lasso_coordinate_descent(X, y, 0.2, tol=1e-12)
    lasso_rot = lasso_coordinate_descent(X @ Q, y, 0.2, tol=1e-12)
    assert not np.allclose(lasso_rot, Q.T @ lasso, atol=1e-3)


def test_map_ridge_lambda_is_noise_over_prior_variance(decks: DeckSet) -> None:
    assert _card(decks, "views-lambda-variance-cloze").gaps()[0] == "σ²/τ²"
    assert "λ = σ²/τ²" in _card(decks, "views-map-ridge-derivation").answer
    rng = np.random.default_rng(10)
    X, y = rng.normal(size=(40, 3)), rng.normal(size=40)
    sigma2, tau2 = 0.5, 2.0
    w = ridge_closed_form(X, y, sigma2 / tau2)
    # gradient of the negative log-posterior ‖y − Xw‖²/(2σ²) + ‖w‖²/(2τ²) vanishes at w
    grad = -X.T @ (y - X @ w) / sigma2 + w / tau2
    np.testing.assert_allclose(grad, 0.0, atol=1e-10)


def test_map_laplace_lambda(decks: DeckSet) -> None:
    card = _card(decks, "views-laplace-lambda-mc")
    assert _option(card, "2σ²/b").correct
    rng = np.random.default_rng(11)
    n = 40
    X = rng.normal(size=(n, 5))
    y = X @ np.array([1.5, 0.0, -0.7, 0.0, 0.2]) + 0.5 * rng.normal(size=n)
    sigma2, b = 1.5, 0.4

    def neg_log_post(w: np.ndarray) -> float:
        r = y - X @ w
        return float(r @ r) / (2 * sigma2) + float(np.abs(w).sum()) / b

    def lasso(lam: float) -> np.ndarray:  # argmin ‖y − Xw‖² + lam‖w‖₁
        return lasso_coordinate_descent(X, y, lam / (2 * n), max_iter=10_000, tol=1e-12)

    best = neg_log_post(lasso(2 * sigma2 / b))
    for text, lam in (("σ²/b", sigma2 / b), ("1/b", 1 / b), ("b/σ²", b / sigma2)):
        assert not _option(card, text).correct
        assert neg_log_post(lasso(lam)) > best + 1e-9, text


def test_views_prior_factor_card(decks: DeckSet) -> None:
    card = _card(decks, "views-004-prior-factor-trap")
    assert "N(0, I/(2λ))" in card.answer
    # exp(−λ‖β‖²) is N(0, I/(2λ)): −log density = ‖β‖²/(2·variance) = λ‖β‖²
    lam, beta = 0.7, np.array([0.3, -1.1])
    variance = 1 / (2 * lam)
    assert float(beta @ beta) / (2 * variance) == pytest.approx(l2_penalty(beta, lam))


def test_early_stopping_lambda_matches_one_over_eta_t(decks: DeckSet) -> None:
    assert _card(decks, "l2-early-stopping-cloze").gaps()[0] == "1/(ηt)"
    rng = np.random.default_rng(12)
    s = np.sqrt(np.logspace(-3, 1, 9))  # Hessian eigenvalues d = s² from 1e-3 to 10
    Q, _ = np.linalg.qr(rng.normal(size=(30, s.size)))
    X = Q * s  # XᵀX = diag(s²)
    y = rng.normal(size=30)
    w_ols = ridge_closed_form(X, y, 0.0)
    eta, t = 0.05, 200
    w = np.zeros(s.size)
    for _ in range(t):
        w -= eta * X.T @ (X @ w - y)  # GD on ½‖y − Xw‖² from 0

    def gap(lam: float) -> float:
        return float(np.max(np.abs(w / w_ols - ridge_closed_form(X, y, lam) / w_ols)))

    lam = 1 / (eta * t)
    # the filters 1 − (1 − ηd)ᵗ ≈ 1 − e^(−ηtd) and d/(d + λ) agree to about 0.2 (the card says so)
    assert "at most about 0.2" in _card(decks, "l2-early-stopping-cloze").explanation
    assert gap(lam) < 0.21
    assert gap(lam) < min(gap(lam / 4), gap(lam * 4))  # right order of magnitude


def test_core_source_sections_are_seed_headings(decks: DeckSet) -> None:
    seeds = DECKS_DIR.parent.parent / "shared" / "seeds"
    if not seeds.is_dir():
        pytest.skip("seed documents not available")
    lines = {p.name: {ln.strip() for ln in p.read_text().splitlines()} for p in seeds.glob("*.txt")}
    for deck in decks.decks:
        if deck.id not in CORE_DECKS:
            continue
        for card in deck.cards:
            src = card.source
            if src.seed:
                assert src.section in lines[src.seed], (card.id, src.seed, src.section)
