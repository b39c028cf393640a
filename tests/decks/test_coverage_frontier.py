"""The decks beyond the sources: every number a card states is recomputed here.

Decks: frontier (LLM-era training), sparse_models (estimation beyond the lasso), augment_gan
(erasing, policies, consistency, discriminator regularizers) and pictures (figures). Each card
must name a source (a seed section or a paper/documentation page); each topic the issue lists
has several cards of more than one type.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from quizapp.decks import DeckSet, load_decks
from solvers import ridge_closed_form, soft_threshold

DECKS_DIR = Path(__file__).resolve().parents[2] / "decks"
NEW_DECKS = (
    "frontier",
    "sparse_models",
    "augment_gan",
    "pictures",
    "derivations",
    "transfer",
    "robustness",
    "alignment",
    "classical",
    "networks",
)

TOPICS: dict[str, list[str]] = {
    "KL to the reference in RLHF/DPO": [
        "frontier-rlhf-kl-beta",
        "frontier-rlhf-optimal-policy-mc",
        "frontier-dpo-implicit-reward-cloze",
        "frontier-kl-direction-mc",
        "frontier-reward-hacking",
    ],
    "distillation": [
        "frontier-distillation-t-squared",
        "frontier-distillation-softmax-typed",
        "frontier-distillation-vs-label-smoothing-mc",
    ],
    "weight averaging": [
        "frontier-ema-window-typed",
        "frontier-swa-bn-recompute",
        "frontier-swa-why-mc",
    ],
    "decoupled weight decay time scale": [
        "frontier-decoupled-wd-timescale-typed",
        "frontier-wd-scale-with-training-mc",
        "frontier-grokking",
    ],
    "batch size": ["frontier-batch-size-noise-cloze", "frontier-batch-size-gap-mc"],
    "LoRA and nuclear norm": [
        "frontier-lora-params-typed",
        "frontier-lora-as-constraint",
        "frontier-nuclear-norm-factors",
        "frontier-nuclear-norm-cloze",
    ],
    "degrees of freedom and model selection": [
        "sparse_models-lasso-df",
        "sparse_models-ridge-df-typed",
        "sparse_models-cp-aic-bic-mc",
        "sparse_models-sure-cloze",
    ],
    "group lasso": ["sparse_models-group-lasso-prox-typed", "sparse_models-group-lasso-pruning"],
    "lasso bias and its fixes": [
        "sparse_models-lasso-bias-mc",
        "sparse_models-adaptive-lasso-cloze",
    ],
    "support recovery": ["sparse_models-irrepresentable", "sparse_models-l0-vs-l1-cloze"],
    "L2 in the Hessian eigenbasis, evidence, ARD": [
        "sparse_models-hessian-eigenbasis-typed",
        "sparse_models-evidence-ard",
        "sparse_models-evidence-mc",
    ],
    "L0, pruning, lottery tickets": [
        "sparse_models-hard-threshold-typed",
        "sparse_models-lottery-ticket-mc",
        "sparse_models-l0-vs-l1-cloze",
    ],
    "erasing and DropBlock": ["augment_gan-dropblock-why", "augment_gan-erasing-mc"],
    "augmentation policies": [
        "augment_gan-randaugment-cloze",
        "augment_gan-augmentation-strength-mc",
    ],
    "consistency regularization": ["augment_gan-consistency-basic", "augment_gan-rdrop-cloze"],
    "regularizing towards a pretrained model": [
        "transfer-l2-sp",
        "transfer-ewc-cloze",
        "transfer-ewc-mc",
        "transfer-mixout-mc",
        "transfer-layerwise-lr",
    ],
    "stability regularizers in large-model training": [
        "transfer-z-loss-cloze",
        "transfer-softcap-mc",
        "transfer-qk-norm",
        "transfer-llm-weight-decay-mc",
    ],
    "adversarial training and smoothness": [
        "robustness-adversarial-dual-norm",
        "robustness-fgsm-cloze",
        "robustness-adversarial-l1-typed",
        "robustness-input-gradient-penalty",
    ],
    "implicit bias, boosting, ensembles": [
        "robustness-implicit-low-rank",
        "robustness-boosting-shrinkage-mc",
        "robustness-deep-ensembles-mc",
    ],
    "trust regions and KL estimation in policy optimisation": [
        "alignment-ppo-clip",
        "alignment-ppo-clip-mc",
        "alignment-kl-k3-estimator",
        "alignment-k3-typed",
        "alignment-grpo-kl-cloze",
        "alignment-entropy-bonus-mc",
        "alignment-ipo-vs-dpo",
        "alignment-reference-choice-mc",
    ],
    "classical models as regularized losses": [
        "classical-svm-hinge-l2",
        "classical-svm-c-typed",
        "classical-kernel-ridge-representer",
        "classical-ridge-vs-pcr-mc",
        "classical-smoothing-spline-cloze",
        "classical-tree-pruning",
        "classical-knn-k-mc",
        "classical-laplace-smoothing-typed",
    ],
    "choosing λ honestly": ["classical-one-standard-error", "classical-nested-cv-mc"],
    "network-level regularizers": [
        "networks-weight-tying",
        "networks-relu-dropout-order-mc",
        "networks-alpha-dropout-cloze",
        "networks-layerdrop-mc",
        "networks-embedding-dropout-cloze",
        "networks-gradient-noise-cloze",
    ],
    "weight-matrix penalties and hidden-state mixing": [
        "networks-orthogonal-regularization",
        "networks-spectral-reg-vs-norm-mc",
        "networks-manifold-mixup",
        "networks-augmix-cloze",
    ],
    "self-distillation and repeated data": [
        "networks-self-distillation-mc",
        "networks-data-repetition-mc",
        "frontier-distillation-t-squared",
    ],
    "averaging and teachers": [
        "frontier-model-soups-mc",
        "frontier-ema-teacher-cloze",
        "frontier-sequence-level-kd",
    ],
    "structured sparsity and inference after selection": [
        "sparse_models-fused-lasso-cloze",
        "sparse_models-post-selection-mc",
        "sparse_models-sparse-group-lasso",
        "classical-sklearn-l1-solver-mc",
    ],
    "GAN discriminator regularizers": [
        "augment_gan-gan-penalties-mc",
        "augment_gan-wgan-gp-lambda-typed",
        "augment_gan-spectral-norm-why",
    ],
}


@pytest.fixture(scope="module")
def decks() -> DeckSet:
    ds = load_decks([DECKS_DIR])
    assert not ds.problems, ds.problems
    return ds


def cards(ds: DeckSet) -> dict[str, Any]:
    return {c.id: c for d in ds.decks for c in d.cards}


def test_new_decks_present_and_sourced(decks: DeckSet) -> None:
    ids = {d.id for d in decks.decks}
    assert set(NEW_DECKS) <= ids
    for d in decks.decks:
        if d.id in NEW_DECKS:
            for c in d.cards:
                assert c.id.startswith(d.id + "-"), c.id
                assert c.source.beyond or c.source.section, c.id


@pytest.mark.parametrize("topic", list(TOPICS))
def test_topic_has_several_card_types(decks: DeckSet, topic: str) -> None:
    by_id = cards(decks)
    found = [by_id[i] for i in TOPICS[topic]]
    assert len(found) >= 2
    assert len({c.type for c in found}) >= 2, topic


def _accept(c: Any) -> list[str]:
    return list(c.accept)


def test_distillation_softmax(decks: DeckSet) -> None:
    c = cards(decks)["frontier-distillation-softmax-typed"]
    z = np.array([2.0, 1.0, 0.0])
    p4 = np.exp(z / 4) / np.exp(z / 4).sum()
    p1 = np.exp(z) / np.exp(z).sum()
    assert f"{p4.max():.2f}" == _accept(c)[0]
    for v in (p4.max(), p4[1], p4[2], p1[0], p1[1], p1[2]):
        assert f"{v:.3f}" in c.explanation


def test_distillation_gradient_scales_as_one_over_t_squared() -> None:
    rng = np.random.default_rng(0)
    z_t, z_s = rng.standard_normal(5), rng.standard_normal(5)
    z_t, z_s = z_t - z_t.mean(), z_s - z_s.mean()

    def grad(T: float) -> np.ndarray:
        p = np.exp(z_t / T) / np.exp(z_t / T).sum()
        q = np.exp(z_s / T) / np.exp(z_s / T).sum()
        return (q - p) / T

    ratio = np.linalg.norm(grad(100.0)) / np.linalg.norm(grad(200.0))
    assert ratio == pytest.approx(4.0, rel=0.02)


def test_ema_window(decks: DeckSet) -> None:
    c = cards(decks)["frontier-ema-window-typed"]
    assert _accept(c)[0] == str(round(1 / (1 - 0.999)))
    assert f"{0.999**1000:.2f}" in c.explanation


def test_adamw_timescale(decks: DeckSet) -> None:
    c = cards(decks)["frontier-decoupled-wd-timescale-typed"]
    eta, lam = 1e-3, 0.1
    assert _accept(c)[0] == str(round(1 / (eta * lam)))
    assert (1 - eta * lam) ** 10000 == pytest.approx(math.exp(-1), rel=1e-3)


def test_lora_parameter_count(decks: DeckSet) -> None:
    c = cards(decks)["frontier-lora-params-typed"]
    d = k = 4096
    r = 8
    assert _accept(c)[0] == str(r * (d + k))
    assert f"{d * k:,}" in c.explanation
    assert f"{100 * r * (d + k) / (d * k):.2f} %" in c.explanation


def test_nuclear_norm_equals_factor_l2() -> None:
    rng = np.random.default_rng(1)
    W = rng.standard_normal((5, 4))
    P, s, Qt = np.linalg.svd(W, full_matrices=False)
    U, V = P * np.sqrt(s), Qt.T * np.sqrt(s)
    np.testing.assert_allclose(U @ V.T, W, atol=1e-12)
    assert 0.5 * (np.sum(U**2) + np.sum(V**2)) == pytest.approx(s.sum())
    # Any other factorisation costs at least as much.
    for _ in range(20):
        R = np.linalg.qr(rng.standard_normal((4, 4)))[0] @ np.diag(rng.uniform(0.5, 2, 4))
        U2, V2 = U @ R, V @ np.linalg.inv(R).T
        np.testing.assert_allclose(U2 @ V2.T, W, atol=1e-9)
        assert 0.5 * (np.sum(U2**2) + np.sum(V2**2)) >= s.sum() - 1e-9


def test_ridge_degrees_of_freedom(decks: DeckSet) -> None:
    c = cards(decks)["sparse_models-ridge-df-typed"]
    eig = np.array([10.0, 1.0, 0.1])
    df = float(np.sum(eig / (eig + 1.0)))
    assert _accept(c)[0] == f"{df:g}"
    # The same number as the trace of the hat matrix of a design with that spectrum.
    rng = np.random.default_rng(2)
    Q = np.linalg.qr(rng.standard_normal((6, 3)))[0]
    X = Q * np.sqrt(eig)
    hat = X @ np.linalg.solve(X.T @ X + np.eye(3), X.T)
    assert np.trace(hat) == pytest.approx(df)
    y = rng.standard_normal(6)
    np.testing.assert_allclose(hat @ y, X @ ridge_closed_form(X, y, 1.0), atol=1e-12)


def test_bic_threshold(decks: DeckSet) -> None:
    c = cards(decks)["sparse_models-cp-aic-bic-mc"]
    right = next(o for o in c.options if o.correct)
    assert f"{math.e**2:.1f}" in right.text and math.log(8) > 2 > math.log(7)


def test_sure_formula_is_unbiased() -> None:
    rng = np.random.default_rng(3)
    theta = np.concatenate([np.zeros(40), rng.normal(0, 3, 10)])
    t = 1.2
    risks, sures = [], []
    for _ in range(4000):
        x = theta + rng.standard_normal(theta.size)
        est = soft_threshold(x, t)
        risks.append(np.sum((est - theta) ** 2))
        sures.append(theta.size - 2 * np.sum(np.abs(x) <= t) + np.sum(np.minimum(x**2, t**2)))
    assert np.mean(sures) == pytest.approx(np.mean(risks), rel=0.03)


def test_block_soft_threshold(decks: DeckSet) -> None:
    c = cards(decks)["sparse_models-group-lasso-prox-typed"]
    v, lam = np.array([3.0, 4.0]), 2.5
    out = v * max(0.0, 1 - lam / np.linalg.norm(v))
    assert _accept(c)[0] == "[" + ", ".join(f"{x:g}" for x in out) + "]"
    assert np.linalg.norm([1.0, 1.0]) <= 2  # the explanation's example is zeroed as a block
    # It is the prox: the optimality condition 0 ∈ w − v + λ·∂‖w‖₂ holds at the result.
    np.testing.assert_allclose(out - v + lam * out / np.linalg.norm(out), 0, atol=1e-12)


def test_hessian_shrinkage(decks: DeckSet) -> None:
    c = cards(decks)["sparse_models-hessian-eigenbasis-typed"]
    h = np.array([4.0, 1.0, 0.25])
    factors = h / (h + 1.0)
    assert _accept(c)[0] == "[" + ", ".join(f"{f:g}" for f in factors) + "]"
    assert f"= {factors.sum():g} here" in c.explanation
    # Against the closed form on a random Hessian with that spectrum.
    rng = np.random.default_rng(4)
    Q = np.linalg.qr(rng.standard_normal((3, 3)))[0]
    H = Q @ np.diag(h) @ Q.T
    w_star = rng.standard_normal(3)
    w_tilde = np.linalg.solve(H + np.eye(3), H @ w_star)
    np.testing.assert_allclose(Q.T @ w_tilde, factors * (Q.T @ w_star), atol=1e-12)


def test_hard_threshold_is_the_l0_prox(decks: DeckSet) -> None:
    c = cards(decks)["sparse_models-hard-threshold-typed"]
    assert _accept(c)[0] == "sqrt(2λ)"
    lam = 0.5
    grid = np.linspace(-5, 5, 200_001)
    for x in (-2.0, -1.01, -0.99, 0.3, 0.999, 1.001, 3.0):
        cost = 0.5 * (grid - x) ** 2 + lam * (grid != 0)
        best = grid[np.argmin(cost)]
        expected = x if abs(x) > math.sqrt(2 * lam) else 0.0
        assert best == pytest.approx(expected, abs=1e-4)


def test_wgan_gp_lambda(decks: DeckSet) -> None:
    assert _accept(cards(decks)["frontier-lora-params-typed"])  # typed cards have variants
    assert _accept(cards(decks)["augment_gan-wgan-gp-lambda-typed"]) == ["10"]


DERIVATIONS = [
    "derivations-ridge-normal-equations",
    "derivations-soft-threshold-subgradient",
    "derivations-lasso-lambda-max",
    "derivations-bias-variance",
    "derivations-l2-hessian-basis",
    "derivations-early-stopping-l2",
    "derivations-dropout-as-l2",
    "derivations-label-smoothing-gradient",
    "derivations-mixup-gradient",
    "derivations-map-l1-laplace",
]


def test_derivations_reveal_their_steps_one_at_a_time(decks: DeckSet) -> None:
    """Derivation cards are chains: step 1 is the answer, each later step a follow-up."""
    by_id = cards(decks)
    for cid in DERIVATIONS:
        card = by_id[cid]
        n = len(card.followups) + 1
        assert card.type == "chain" and n >= 2, cid
        assert card.answer.count("Step 1 of") == 1 and f"({n} steps)" in card.prompt, cid
        assert [f.ask for f in card.followups] == [
            f"Next step ({k} of {n})?" for k in range(2, n + 1)
        ], cid


def test_dropout_is_a_data_dependent_l2_exactly() -> None:
    """Enumerate every mask of a 3-feature linear model: the expectation is the formula."""
    import itertools

    rng = np.random.default_rng(5)
    X, y, w, p = rng.standard_normal((7, 3)), rng.standard_normal(7), rng.standard_normal(3), 0.3
    total = 0.0
    for keep in itertools.product([0, 1], repeat=3):
        prob = np.prod([(1 - p) if k else p for k in keep])
        m = np.array(keep) / (1 - p)
        total += prob * np.sum((y - X @ (m * w)) ** 2)
    formula = np.sum((y - X @ w) ** 2) + p / (1 - p) * np.sum((X**2).sum(axis=0) * w**2)
    assert total == pytest.approx(formula)


def test_label_smoothing_optimum_gap(decks: DeckSet) -> None:
    from solvers import label_smoothing_cross_entropy

    c = cards(decks)["derivations-label-smoothing-gradient"]
    K, eps = 10, 0.1
    gap = math.log((1 - eps + eps / K) / (eps / K))
    assert f"{gap:.2f}" in c.explanation and "log 91" in c.explanation

    # The loss is minimised over the gap at exactly that value.
    def loss(g: float) -> float:
        logits = np.zeros((1, K))
        logits[0, 0] = g
        return label_smoothing_cross_entropy(logits, np.array([0]), eps)

    gs = np.linspace(gap - 1, gap + 1, 2001)
    assert gs[np.argmin([loss(g) for g in gs])] == pytest.approx(gap, abs=2e-3)


def test_soft_threshold_and_lambda_max_derivations() -> None:
    from solvers.elastic_net import lambda_max
    from solvers.l1 import lasso_fit

    rng = np.random.default_rng(6)
    X, y = rng.standard_normal((30, 5)), rng.standard_normal(30)
    lmax = lambda_max(X, y, 1.0)
    assert lmax == pytest.approx(np.max(np.abs(X.T @ y)) / 30)
    assert not np.any(lasso_fit(X, y, lmax * 1.0001).coef)
    assert np.count_nonzero(lasso_fit(X, y, lmax * 0.99).coef) == 1
    x = np.linspace(-3, 3, 13)
    np.testing.assert_allclose(soft_threshold(x, 1.0), np.sign(x) * np.maximum(np.abs(x) - 1, 0))


def test_early_stopping_matches_l2_in_the_small_eigenvalue_regime() -> None:
    eta, tau = 0.01, 200
    alpha = 1 / (eta * tau)
    for lam_i in (0.001, 0.01, 0.05):
        gd = 1 - (1 - eta * lam_i) ** tau
        l2 = lam_i / (lam_i + alpha)
        assert gd == pytest.approx(l2, rel=0.1)


def test_adversarial_margin_is_reduced_by_the_dual_norm(decks: DeckSet) -> None:
    c = cards(decks)["robustness-adversarial-l1-typed"]
    w, margin, eps = np.array([0.5, -2.0, 1.0]), 4.0, 0.5
    worst = margin - eps * np.abs(w).sum()
    assert _accept(c)[0] == f"{worst:g}"
    assert f"{eps * np.linalg.norm(w):.2f}" in c.explanation
    # The closed form is the true minimum over the ℓ∞ box (its vertices suffice: linear).
    import itertools

    x = np.array([1.0, -1.0, 1.5])
    y = 1.0
    x = x * margin / (y * w @ x)
    best = min(y * w @ (x + eps * np.array(s)) for s in itertools.product([-1, 1], repeat=3))
    assert best == pytest.approx(worst)


def test_k3_estimator(decks: DeckSet) -> None:
    c = cards(decks)["alignment-k3-typed"]
    rho = 0.25 / 0.5
    k3 = (rho - 1) - math.log(rho)
    assert _accept(c)[0] == f"{k3:.3f}"
    assert f"{2 - 1 - math.log(2):.3f}" in c.explanation
    # Unbiased: the mean of k3 over samples from π is KL(π ‖ π_ref), like k1's.
    rng = np.random.default_rng(7)
    pi, ref = np.array([0.5, 0.3, 0.2]), np.array([0.25, 0.25, 0.5])
    ys = rng.choice(3, size=400_000, p=pi)
    r = ref[ys] / pi[ys]
    kl = float(np.sum(pi * np.log(pi / ref)))
    assert np.mean(r - 1 - np.log(r)) == pytest.approx(kl, rel=0.02)
    assert np.mean(-np.log(r)) == pytest.approx(kl, rel=0.02)
    assert np.all(r - 1 - np.log(r) >= 0)


def test_svm_c_to_lambda(decks: DeckSet) -> None:
    c = cards(decks)["classical-svm-c-typed"]
    assert _accept(c)[0] == f"{1 / (2 * 0.5 * 1000):g}"


def test_laplace_smoothing(decks: DeckSet) -> None:
    c = cards(decks)["classical-laplace-smoothing-typed"]
    assert _accept(c)[0] == "1/148" and f"{1 / 148:.5f}" in _accept(c)


def test_kernel_ridge_is_ridge_and_pcr_factors() -> None:
    rng = np.random.default_rng(8)
    X, y, lam = rng.standard_normal((8, 12)), rng.standard_normal(8), 0.7
    w = ridge_closed_form(X, y, lam)
    alpha = np.linalg.solve(X @ X.T + lam * np.eye(8), y)
    np.testing.assert_allclose(w, X.T @ alpha, atol=1e-10)
    U, d, _ = np.linalg.svd(X, full_matrices=False)
    fit = U @ ((d**2 / (d**2 + lam)) * (U.T @ y))
    np.testing.assert_allclose(X @ w, fit, atol=1e-10)


def test_relu_commutes_with_the_dropout_mask() -> None:
    from solvers.dropout import dropout_mask

    rng = np.random.default_rng(9)
    x = rng.standard_normal((50, 20))
    m = dropout_mask(x.shape, 0.4, rng)
    np.testing.assert_allclose(np.maximum(m * x, 0), m * np.maximum(x, 0))
    assert not np.allclose(np.tanh(m * x), m * np.tanh(x))


def test_alpha_dropout_value(decks: DeckSet) -> None:
    c = cards(decks)["networks-alpha-dropout-cloze"]
    lam, alpha = 1.0507009873554805, 1.6732632423543772  # SELU's constants (Klambauer et al.)
    assert "−1.758" in c.text and f"{-lam * alpha:.4f}".replace("-", "−") in c.explanation


def test_logistic_l1_needs_a_nonsmooth_solver() -> None:
    """The card's claim, on today's scikit-learn (either spelling of the L1 penalty)."""
    import warnings

    import sklearn
    from sklearn.linear_model import LogisticRegression

    major, minor = (int(v) for v in sklearn.__version__.split(".")[:2])
    spellings: list[dict[str, Any]] = [{"penalty": "l1"}]
    if (major, minor) >= (1, 8):  # l1_ratio alone selects L1 only since 1.8
        spellings.append({"l1_ratio": 1.0})
    rng = np.random.default_rng(10)
    X = rng.standard_normal((40, 3))
    y = (X[:, 0] > 0).astype(int)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for kw in spellings:
            try:
                LogisticRegression(**kw).fit(X, y)  # type: ignore[arg-type]
            except (ValueError, TypeError):
                pass
            else:
                pytest.fail(f"lbfgs accepted an L1 penalty: {kw}")
            LogisticRegression(solver="saga", max_iter=5000, **kw).fit(X, y)  # type: ignore[arg-type]


def test_elastic_net_prox(decks: DeckSet) -> None:
    c = cards(decks)["sparse_models-elastic-net-prox-typed"]
    x, lam, r = 3.0, 1.0, 0.5
    value = float(soft_threshold(np.array([x]), lam * r)[0]) / (1 + lam * (1 - r))
    assert value == pytest.approx(5 / 3) and _accept(c)[0] == "5/3"
    grid = np.linspace(-5, 5, 1_000_001)
    cost = 0.5 * (grid - x) ** 2 + lam * (r * np.abs(grid) + 0.5 * (1 - r) * grid**2)
    assert grid[np.argmin(cost)] == pytest.approx(value, abs=1e-5)
