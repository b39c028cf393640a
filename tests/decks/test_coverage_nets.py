"""Coverage and numeric correctness of the neural-network decks.

The decks are dropout, early_stopping, toolkit, practice and grill.

1. `CONCEPTS` maps every concept the sources name in these topics (plus the interview topics
   beyond them) to the cards that teach it. Each concept needs at least two existing cards of at
   least two different types, so a deleted or retyped card makes its concept fail.
2. Every number a card states that a solver can compute (a multiple-choice option, a typed
   answer, a cloze gap, a constant in an answer) is recomputed here with `solvers`, and the test
   checks that the card still says that number.
3. Numeric cards name example kinds that exist; code cards name grading tasks that exist.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from quizapp.decks import DeckSet, load_decks
from solvers import (
    dropout_backward,
    dropout_forward,
    early_stopping,
    l2_penalty,
    label_smoothing_cross_entropy,
    max_norm,
    ridge_closed_form,
)
from solvers.augmentation import gaussian_noise, mixup
from solvers.constraints import spectral_norm_sigma
from solvers.dropout import (
    classic_dropout_forward,
    dropconnect_forward,
    dropout_mask,
    spatial_dropout_forward,
)
from solvers.losses import log_softmax, smoothed_targets
from solvers.normalization import batch_norm_forward

DECKS_DIR = Path(__file__).resolve().parents[2] / "decks"
NET_DECKS = ("dropout", "early_stopping", "toolkit", "practice", "grill")

# concept -> card ids (all must exist; together they must span >= 2 card types)
CONCEPTS: dict[str, list[str]] = {
    # ---- dropout
    "inverted dropout (scale in training)": [
        "dropout-inverted-inference-mc",
        "dropout-classic-vs-inverted",
        "dropout-code-forward",
        "dropout-numeric-forward",
    ],
    "classic dropout (scale at test time)": [
        "dropout-classic-vs-inverted",
        "dropout-003-scaled-by-dropout-probability",
        "dropout-numeric-expected-classic",
    ],
    "drop vs keep probability conventions": [
        "dropout-p-conventions-mc",
        "dropout-000-keep-to-pytorch",
        "dropout-bug-keeps-with-p",
    ],
    "why dropout scales / expected value": [
        "dropout-expectation-cloze",
        "dropout-numeric-expected",
        "dropout-numeric-expected-classic",
    ],
    "train vs eval mode, model.eval()": [
        "dropout-model-eval-mc",
        "dropout-bug-no-grad-not-eval",
        "dropout-numeric-forward-eval",
    ],
    "dropout backward pass": ["dropout-code-backward", "dropout-bug-backward-missing-scale"],
    "001's dropout code (double scaling)": [
        "dropout-bug-001-double-scaling",
        "dropout-code-forward-fix-001",
    ],
    "co-adaptation": ["dropout-co-adaptation", "dropout-co-adaptation-cloze"],
    "ensemble / model averaging interpretation": [
        "dropout-ensemble-interpretation",
        "dropout-vs-bagging-mc",
        "grill-dropout-ensemble-bayes-chain",
    ],
    "dropout as noise injection / adaptive L2": [
        "dropout-linear-regression-ridge",
        "dropout-gaussian-cloze",
        "toolkit-noise-injection-cloze",
    ],
    "typical dropout rates": [
        "dropout-rates-cloze",
        "practice-dropout-rate-choice",
        "practice-dropout-width-typed",
    ],
    "where to place dropout": [
        "dropout-placement-mc",
        "dropout-relu-commutes",
        "dropout-batchnorm-variance-shift",
    ],
    "dropout and batch norm interplay": [
        "dropout-batchnorm-variance-shift",
        "dropout-placement-mc",
        "grill-dropout-scaling-chain",
    ],
    "dropout slows training": ["dropout-slower-training-cloze", "practice-dropout-rate-choice"],
    "when dropout helps less": ["dropout-when-less-useful-mc", "grill-llm-dropout-chain"],
    "DropConnect": [
        "dropout-dropconnect",
        "dropout-dropconnect-count-mc",
        "dropout-variants-cloze",
        "dropout-code-dropconnect",
    ],
    "spatial dropout (Dropout2d)": [
        "dropout-spatial-mc",
        "dropout-spatial-typed",
        "dropout-variants-cloze",
        "dropout-code-spatial",
    ],
    "variational / recurrent dropout": [
        "dropout-variational-rnn",
        "dropout-003-rnn-recurrent-mc",
        "dropout-variants-cloze",
        "dropout-code-variational",
        "grill-dropout-rnn-chain",
    ],
    "Monte Carlo dropout / Bayesian view": [
        "dropout-mc-dropout",
        "dropout-bug-mc-dropout-train-mode",
        "dropout-variants-cloze",
        "grill-dropout-ensemble-bayes-chain",
    ],
    "concrete dropout": ["dropout-concrete", "dropout-variants-cloze"],
    "attention / transformer dropout": [
        "dropout-attention-dropout-mc",
        "dropout-rates-cloze",
        "dropout-003-llm-rates-mc",
    ],
    "LLM pre-training uses little or no dropout": [
        "dropout-003-llm-rates-mc",
        "grill-llm-dropout-chain",
    ],
    # ---- early stopping
    "early stopping as regularization": [
        "early_stopping-why-regularization",
        "early_stopping-l2-numbers-mc",
        "early_stopping-stop-epoch-typed",
    ],
    "early stopping ≈ L2": [
        "early_stopping-l2-numbers-mc",
        "early_stopping-why-regularization",
        "grill-early-stopping-l2-chain",
    ],
    "patience": [
        "early_stopping-code",
        "early_stopping-numeric-trace",
        "early_stopping-off-by-one-mc",
        "early_stopping-lightning-checks-cloze",
    ],
    "min_delta": [
        "early_stopping-min-delta-mc",
        "early_stopping-numeric-min-delta",
        "early_stopping-code-min-delta",
        "early_stopping-keras-args-cloze",
    ],
    "restore best weights": [
        "early_stopping-off-by-one-mc",
        "early_stopping-bug-state-dict-reference",
        "early_stopping-numeric-epochs-wasted",
    ],
    "off-by-one traps": [
        "early_stopping-off-by-one-mc",
        "early_stopping-bug-wait-not-reset",
        "early_stopping-code-min-delta",
    ],
    "early stopping's own hyperparameters (003 trap)": [
        "early_stopping-003-no-hyperparameters",
        "early_stopping-keras-args-cloze",
    ],
    "validation set use and leakage": [
        "early_stopping-validation-leakage",
        "early_stopping-stop-epoch-typed",
        "grill-early-stopping-practice-chain",
        "early_stopping-002-stop-when-increases-mc",
    ],
    "noisy validation curves": [
        "early_stopping-noisy-curves",
        "early_stopping-002-stop-when-increases-mc",
    ],
    "monitor loss vs accuracy": [
        "early_stopping-metric-choice-mc",
        "grill-loss-vs-accuracy-chain",
    ],
    "epoch-wise double descent": [
        "early_stopping-double-descent",
        "early_stopping-double-descent-mc",
    ],
    # ---- toolkit
    "data augmentation": [
        "toolkit-augmentation-why",
        "toolkit-augmentation-label-preserving-mc",
        "toolkit-augmentation-bug-val",
    ],
    "batch norm train vs eval": [
        "toolkit-batchnorm-train-eval-mc",
        "toolkit-batchnorm-momentum-cloze",
        "toolkit-batchnorm-numeric-eval",
    ],
    "batch norm's regularizing noise": [
        "toolkit-batchnorm-noise",
        "toolkit-batchnorm-small-batch-mc",
        "grill-batchnorm-chain",
    ],
    "label smoothing formula": [
        "toolkit-label-smoothing-formula-cloze",
        "toolkit-label-smoothing-003-example-mc",
        "toolkit-label-smoothing-numeric",
        "toolkit-label-smoothing-code",
    ],
    "label smoothing effects (calibration, distillation)": [
        "toolkit-label-smoothing-logit-gap-mc",
        "toolkit-label-smoothing-effects-mc",
        "grill-label-smoothing-chain",
    ],
    "max-norm constraint": [
        "toolkit-max-norm",
        "toolkit-max-norm-axis-mc",
        "toolkit-max-norm-numeric",
        "toolkit-max-norm-code",
    ],
    "weight normalization": ["toolkit-weight-normalization", "toolkit-weight-normalization-mc"],
    "spectral normalization": [
        "toolkit-spectral-norm",
        "toolkit-spectral-norm-cloze",
        "toolkit-code-spectral-norm",
    ],
    "mixup": ["toolkit-mixup", "toolkit-mixup-cloze", "grill-mixup-chain"],
    "CutMix / Cutout": ["toolkit-cutmix-mc", "grill-mixup-chain"],
    "noise injection": ["toolkit-noise-injection", "toolkit-noise-injection-cloze"],
    "weight sharing / architecture as regularizer": [
        "toolkit-weight-sharing",
        "toolkit-weight-sharing-typed",
        "practice-architecture-mc",
    ],
    # ---- practice
    "choosing λ (log grid, search, CV)": [
        "practice-choose-lambda",
        "practice-log-grid-mc",
        "practice-lambda-vs-data-size-mc",
    ],
    "choosing the dropout rate": ["practice-dropout-rate-choice", "practice-dropout-width-typed"],
    "feature scaling before L1/L2": [
        "practice-feature-scaling-mc",
        "practice-bug-scaler-test-refit",
        "practice-pipeline-typed",
    ],
    "not regularizing biases / norm parameters": [
        "practice-no-decay-shape-rule-cloze",
        "practice-bug-decay-filter",
    ],
    "combining techniques": ["practice-combining", "practice-combining-mc"],
    "per-layer strengths": ["practice-per-layer-mc", "practice-dropout-rate-choice"],
    "regularization in transfer learning": [
        "practice-transfer-learning",
        "practice-transfer-cloze",
        "practice-bug-frozen-bn",
        "grill-transfer-learning-chain",
    ],
    "architecture choices / reduce complexity": [
        "practice-architecture-choices",
        "practice-architecture-mc",
    ],
    "diagnosing over/underfitting from curves": [
        "practice-curves-underfit-mc",
        "practice-curves-val-below-train-mc",
        "practice-curves-cloze",
    ],
    "baseline first, then add regularization": ["practice-curves-cloze", "practice-first-moves"],
    "adaptive regularization schedules (003)": [
        "practice-003-adaptive-schedule",
        "practice-adaptive-mc",
    ],
}


@pytest.fixture(scope="module")
def decks() -> DeckSet:
    ds = load_decks([DECKS_DIR])
    mine = [p for p in ds.problems if p.path.stem in NET_DECKS]
    assert not mine, "\n".join(map(str, mine))
    return ds


def _card(ds: DeckSet, card_id: str) -> Any:
    found = ds.card(card_id)
    assert found is not None, f"card {card_id} is missing"
    return found[1]


def _text(card: Any) -> str:
    parts = [card.prompt_text or "", card.answer_text or "", card.explanation]
    for opt in getattr(card, "options", []) or []:
        parts += [opt.text, opt.why or ""]
    parts += list(getattr(card, "accept", []) or [])
    for step in getattr(card, "followups", []) or []:  # chain cards
        parts += [step.ask, step.answer]
    return "\n".join(parts)


def _option(card: Any, text_start: str) -> Any:
    matches = [o for o in card.options if o.text.startswith(text_start)]
    assert len(matches) == 1, f"{card.id}: no unique option starting with {text_start!r}"
    return matches[0]


def _correct(card: Any) -> list[str]:
    return [o.text for o in card.options if o.correct]


# ------------------------------------------------------------------------------ coverage


def test_all_net_decks_present(decks: DeckSet) -> None:
    assert {d.id for d in decks.decks} >= set(NET_DECKS)


@pytest.mark.parametrize("concept", sorted(CONCEPTS))
def test_concept_has_two_card_types(decks: DeckSet, concept: str) -> None:
    cards = [_card(decks, cid) for cid in CONCEPTS[concept]]
    assert len(cards) >= 2, concept
    assert len({c.type for c in cards}) >= 2, f"{concept}: all cards are {cards[0].type}"


def test_card_ids_carry_deck_prefix(decks: DeckSet) -> None:
    for deck in decks.decks:
        if deck.id in NET_DECKS:
            for card in deck.cards:
                assert card.id.startswith(deck.id + "-"), card.id


def test_type_mix(decks: DeckSet) -> None:
    cards = [c for d in decks.decks if d.id in NET_DECKS for c in d.cards]
    kinds = ("multiple_choice", "cloze", "numeric", "code")
    count = {t: sum(c.type == t for c in cards) for t in kinds}
    assert count["multiple_choice"] >= 16
    assert count["cloze"] >= 10
    assert count["numeric"] >= 12
    assert count["code"] >= 8
    assert sum("spot-the-bug" in c.tags for c in cards) >= 6
    for c in cards:
        if "spot-the-bug" in c.tags:
            assert c.type == "basic" and "```python" in c.prompt_text, c.id


def test_every_option_explains_itself(decks: DeckSet) -> None:
    for deck in decks.decks:
        if deck.id in NET_DECKS:
            for card in deck.cards:
                for opt in getattr(card, "options", []) or []:
                    assert opt.why, f"{card.id}: option {opt.text!r} has no why"


def test_numeric_kinds_and_code_tasks_exist(decks: DeckSet) -> None:
    from quizapp.grading.catalog import task_ids
    from solvers.examples import KINDS

    tasks = set(task_ids())
    for deck in decks.decks:
        if deck.id not in NET_DECKS:
            continue
        for card in deck.cards:
            if card.type == "numeric":
                assert card.example in KINDS, (card.id, card.example)
            if card.type == "code":
                assert card.task in tasks, (card.id, card.task)


def test_no_pure_numeric_duplicates(decks: DeckSet) -> None:
    seen: set[tuple[str, str]] = set()
    for deck in decks.decks:
        for card in deck.cards:
            if card.type == "numeric":
                key = (card.example, (card.prompt or "").strip())
                assert key not in seen, f"{card.id} duplicates another numeric card"
                seen.add(key)


# ------------------------------------------------------------------------------ dropout numbers

RNG = np.random.default_rng(0)


def _mc_moments(p: float, x: float, n: int = 400_000) -> tuple[float, float]:
    out, _ = dropout_forward(np.full(n, x), p, True, np.random.default_rng(1))
    return float(out.mean()), float(out.var())


def test_inverted_inference_is_identity(decks: DeckSet) -> None:
    card = _card(decks, "dropout-inverted-inference-mc")
    x = np.array([1.0, -2.0, 3.0])
    out, mask = dropout_forward(x, 0.2, False, RNG)
    assert np.array_equal(out, x) and np.array_equal(mask, np.ones(3))
    assert _correct(card) == ["x"]
    # the distractors are the classic rule and the training factor
    classic, _ = classic_dropout_forward(x, 0.2, False)
    assert np.allclose(classic, x * 0.8)
    assert _option(card, "x · 0.8") and _option(card, "x / 0.8")


def test_classic_dropout_scales_by_keep_probability(decks: DeckSet) -> None:
    card = _card(decks, "dropout-003-scaled-by-dropout-probability")
    x = np.array([2.0, 4.0])
    out, _ = classic_dropout_forward(x, 0.3, False)
    assert np.allclose(out / x, 0.7)
    assert _correct(card) == ["0.7"]
    # training-time expectation of classic dropout is (1 − p)·x, matching the test-time factor
    train, _ = classic_dropout_forward(np.full(200_000, 1.0), 0.3, True, np.random.default_rng(2))
    assert train.mean() == pytest.approx(0.7, abs=0.01)
    assert "1/0.7 ≈ 1.43" in _text(card) and round(1 / 0.7, 2) == 1.43


def test_keep_probability_translation(decks: DeckSet) -> None:
    card = _card(decks, "dropout-000-keep-to-pytorch")
    assert card.accept[0] == "0.2"
    out, _ = dropout_forward(np.ones(200_000), 0.2, True, np.random.default_rng(3))
    assert (out == 0).mean() == pytest.approx(1 - 0.8, abs=0.01)
    # passing 0.8 instead scales survivors by 5
    _, mask = dropout_forward(np.ones(10), 0.8, True, np.random.default_rng(4))
    assert set(np.round(mask, 9)) <= {0.0, 5.0}
    assert "scale survivors by 5" in card.explanation


def test_expectation_and_variance_cloze(decks: DeckSet) -> None:
    card = _card(decks, "dropout-expectation-cloze")
    assert card.gaps() == ["1−p", "x", "x²·p/(1−p)"]
    for p in (0.2, 0.5):
        mean, var = _mc_moments(p, 1.5)
        assert mean == pytest.approx(1.5, rel=0.01)
        assert var == pytest.approx(1.5**2 * p / (1 - p), rel=0.02)


def test_gaussian_dropout_variance(decks: DeckSet) -> None:
    card = _card(decks, "dropout-gaussian-cloze")
    assert card.gaps()[0] == "p/(1−p)"
    for p in (0.1, 0.5):
        m = dropout_mask((300_000,), p, np.random.default_rng(5))
        assert m.mean() == pytest.approx(1.0, rel=0.01)
        assert m.var() == pytest.approx(p / (1 - p), rel=0.02)


def test_001_double_scaling(decks: DeckSet) -> None:
    card = _card(decks, "dropout-bug-001-double-scaling")

    def dropout_001(x: np.ndarray, rate: float, training: bool, rng: np.random.Generator) -> Any:
        if not training:
            return x * (1 - rate)
        mask = rng.binomial(1, 1 - rate, x.shape)
        return x * mask / (1 - rate)

    x = np.full(200_000, 2.0)
    train_mean = dropout_001(x, 0.5, True, np.random.default_rng(6)).mean()
    eval_out = dropout_001(x, 0.5, False, np.random.default_rng(6))
    assert train_mean == pytest.approx(2.0, rel=0.01)
    assert np.allclose(eval_out, 1.0)  # half of what the next layer saw in training
    assert np.array_equal(dropout_forward(x, 0.5, False)[0], x)
    assert "half as large" in card.answer


def test_keeps_with_p_bug(decks: DeckSet) -> None:
    card = _card(decks, "dropout-bug-keeps-with-p")
    rng = np.random.default_rng(7)
    x = np.ones(400_000)
    p = 0.2
    buggy = x * (rng.random(x.shape) < p) / (1 - p)
    assert buggy.mean() == pytest.approx(0.25, rel=0.02)
    assert "0.2·1.25·x = 0.25·x" in card.answer
    assert pytest.approx(0.25) == 0.2 * 1.25
    assert _mc_moments(p, 1.0)[0] == pytest.approx(1.0, rel=0.01)


def test_backward_missing_scale(decks: DeckSet) -> None:
    _card(decks, "dropout-bug-backward-missing-scale")
    p = 0.5
    x = np.arange(1.0, 9.0)
    _, mask = dropout_forward(x, p, True, np.random.default_rng(8))
    dout = np.ones_like(x)
    right = dropout_backward(dout, mask)
    buggy = dout * (mask > 0)
    kept = mask > 0
    assert np.allclose(buggy[kept] / right[kept], 1 - p)
    # finite differences with the mask fixed agree with the reference
    h = 1e-6
    num = ((x + h) * mask - (x - h) * mask) / (2 * h)
    assert np.allclose(num, right)


def test_relu_commutes_with_dropout(decks: DeckSet) -> None:
    card = _card(decks, "dropout-relu-commutes")
    z = np.random.default_rng(9).normal(size=1000)
    _, mask = dropout_forward(z, 0.3, True, np.random.default_rng(10))
    relu = lambda a: np.maximum(a, 0.0)  # noqa: E731
    assert np.array_equal(relu(z * mask), relu(z) * mask)
    assert _correct(card)[0].startswith("Nothing")


def test_dropout_on_inputs_is_data_dependent_ridge(decks: DeckSet) -> None:
    card = _card(decks, "dropout-linear-regression-ridge")
    assert "(p/(1−p))·Σ_j w_j² x_j²" in card.answer
    rng = np.random.default_rng(11)
    x = np.array([1.0, -2.0, 0.5, 3.0])
    w = np.array([0.3, 0.1, -0.8, 0.2])
    y, p = 1.0, 0.4
    n = 200_000
    xt, _ = dropout_forward(np.tile(x, (n, 1)), p, True, rng)
    mc = float(np.mean((y - xt @ w) ** 2))
    exact = (y - w @ x) ** 2 + l2_penalty(w * x, p / (1 - p))
    assert mc == pytest.approx(exact, rel=0.01)


def test_rates_and_width_rule(decks: DeckSet) -> None:
    rates = _card(decks, "dropout-rates-cloze")
    assert rates.gaps() == ["0.8", "0.5", "0.2", "0.1"]
    assert pytest.approx(0.2) == 1 - 0.8
    width = _card(decks, "practice-dropout-width-typed")
    assert width.accept[0] == str(round(300 / (1 - 0.4))) == "500"
    assert "750" in width.explanation and round(300 / 0.4) == 750  # n/p with the drop probability
    slower = _card(decks, "dropout-slower-training-cloze")
    assert "n/(1−p)" in slower.gaps() and "512" in slower.explanation
    # the rule keeps the expected number of active units: 512 units at p = 0.5 ≈ 256 active
    _, mask = dropout_forward(np.ones((2000, 512)), 0.5, True, np.random.default_rng(12))
    assert (mask > 0).sum(axis=1).mean() == pytest.approx(256, rel=0.01)


def test_dropconnect_counts(decks: DeckSet) -> None:
    card = _card(decks, "dropout-dropconnect-count-mc")
    _, unit_mask = dropout_forward(np.ones(512), 0.5, True, np.random.default_rng(13))
    _, weight_mask = dropconnect_forward(
        np.ones((1, 512)), np.ones((512, 256)), 0.5, True, np.random.default_rng(13)
    )
    assert unit_mask.size == 512 and weight_mask.size == 131_072
    assert _correct(card) == [f"{unit_mask.size} and {weight_mask.size:,}"]
    assert _option(card, "512 and 768") and 512 + 256 == 768


def test_spatial_dropout_drops_whole_channels(decks: DeckSet) -> None:
    card = _card(decks, "dropout-spatial-mc")
    x = np.ones((4, 16, 5, 5))
    out, mask = spatial_dropout_forward(x, 0.5, True, np.random.default_rng(14))
    assert mask.shape == (4, 16, 1, 1)
    per_channel = out.reshape(4, 16, -1)
    assert np.all((per_channel == 0).all(-1) | (per_channel == 2.0).all(-1))
    assert _correct(card)[0].startswith("Whole channels")


# ------------------------------------------------------------------------------ early stopping


def test_min_delta_mc(decks: DeckSet) -> None:
    card = _card(decks, "early_stopping-min-delta-mc")
    losses = [1.00, 0.90, 0.85, 0.86, 0.84, 0.845, 0.85, 0.86]
    assert early_stopping(losses, 2, 0.02) == (2, 4)
    assert early_stopping(losses, 2, 0.0) == (4, 6)
    assert _correct(card) == ["(2, 4)"]
    assert "(4, 6)" in card.explanation
    for wrong in ("(4, 6)", "(2, 5)", "(4, 7)"):
        assert not _option(card, wrong).correct


def test_off_by_one_mc(decks: DeckSet) -> None:
    card = _card(decks, "early_stopping-off-by-one-mc")
    losses = [1.0 - 0.05 * i for i in range(11)] + [0.6] * 30
    best, stop = early_stopping(losses, 3)
    assert (best, stop) == (10, 13)
    assert _correct(card)[0].startswith(f"{stop + 1} epochs (indices 0–{stop})")


def test_stop_epoch_typed(decks: DeckSet) -> None:
    card = _card(decks, "early_stopping-stop-epoch-typed")
    losses = [1.0 - 0.05 * i for i in range(10)] + [0.6 + 0.01 * i for i in range(1, 20)]
    assert early_stopping(losses, 5) == (9, int(card.accept[0]))
    assert "(15 epochs trained)" in card.explanation


def test_sklearn_early_stopping_defaults(decks: DeckSet) -> None:
    card = _card(decks, "early_stopping-sklearn-defaults-cloze")
    sklearn = pytest.importorskip("sklearn")
    import inspect

    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.linear_model import SGDClassifier
    from sklearn.neural_network import MLPClassifier

    def defaults(cls: Any) -> dict[str, Any]:
        return {k: v.default for k, v in inspect.signature(cls).parameters.items()}

    hgb = defaults(HistGradientBoostingClassifier)
    assert sklearn.__version__ and hgb["early_stopping"] == "auto"
    assert card.gaps()[1:] == [
        str(hgb["validation_fraction"]),
        str(hgb["n_iter_no_change"]),
        "False",
    ]
    assert defaults(SGDClassifier)["early_stopping"] is False
    assert defaults(MLPClassifier)["early_stopping"] is False
    # "auto" means on above 10,000 samples
    rng = np.random.default_rng(19)
    for n, expected in ((10_000, False), (10_001, True)):
        X = rng.normal(size=(n, 2))
        y = (X[:, 0] > 0).astype(int)
        model = HistGradientBoostingClassifier(max_iter=2).fit(X, y)
        assert model.do_early_stopping_ is expected
    assert card.gaps()[0] == "10,000"


def test_lightning_patience_in_epochs(decks: DeckSet) -> None:
    card = _card(decks, "early_stopping-lightning-checks-cloze")
    assert card.gaps()[1] == str(3 * 5)
    # patience counted in checks: a trace of evaluations every 5 epochs stops 3 checks later
    checks = [1.0, 0.8, 0.9, 0.9, 0.9]
    best, stop = early_stopping(checks, 3)
    assert (stop - best) * 5 == 15


def test_wait_not_reset_bug(decks: DeckSet) -> None:
    card = _card(decks, "early_stopping-bug-wait-not-reset")
    losses = [5, 6, 4, 5, 3, 4, 2]

    def buggy(val_losses: list[float], patience: int, min_delta: float = 0.0) -> tuple[int, int]:
        best, best_epoch, wait = float("inf"), 0, 0
        for epoch, loss in enumerate(val_losses):
            if loss < best - min_delta:
                best, best_epoch = loss, epoch
            else:
                wait += 1
            if wait >= patience:
                return best_epoch, epoch
        return best_epoch, len(val_losses) - 1

    assert early_stopping(losses, 2) == (6, 6)
    assert buggy(losses, 2) == (2, 3)
    assert "run to the end (best 6)" in card.explanation and "stops at epoch 3" in card.explanation


def test_early_stopping_l2_correspondence(decks: DeckSet) -> None:
    card = _card(decks, "early_stopping-l2-numbers-mc")
    eps, tau = 0.01, 1000
    alpha = 1 / (tau * eps)
    assert _correct(card) == [f"α ≈ {alpha:g}"]
    assert tau * eps == 10 and eps / tau == pytest.approx(1e-5)
    assert "lam ≈ 0.05" in card.explanation and alpha / 2 == pytest.approx(0.05)
    # GD on J = ½‖y − Xw‖² from 0 vs ridge with penalty ½α‖w‖², in low-curvature directions
    d = np.array([0.002, 0.01])  # eigenvalues of XᵀX, both ≪ α
    X = np.diag(np.sqrt(d))
    y = np.array([1.0, -2.0])
    w = np.zeros(2)
    for _ in range(tau):
        w = w - eps * (X.T @ (X @ w - y))
    ridge = ridge_closed_form(X, y, alpha)  # argmin ‖y − Xw‖² + α‖w‖² = argmin J + ½α‖w‖²
    assert np.allclose(w, ridge, rtol=0.06)


# ------------------------------------------------------------------------------ toolkit numbers


def test_label_smoothing_targets(decks: DeckSet) -> None:
    cloze = _card(decks, "toolkit-label-smoothing-formula-cloze")
    q = smoothed_targets([0], 5, 0.1)[0]
    assert cloze.gaps()[1:] == [f"{q[0]:.2f}", f"{q[1]:.2f}"] == ["0.92", "0.02"]
    mc = _card(decks, "toolkit-label-smoothing-003-example-mc")
    assert np.allclose(smoothed_targets([1], 3, 0.15)[0], [0.05, 0.9, 0.05])
    assert _correct(mc) == ["0.15"]
    assert np.allclose(smoothed_targets([1], 3, 0.1)[0], [1 / 30, 0.9 + 1 / 30, 1 / 30])
    assert "[0.033, 0.933, 0.033]" in _text(mc)
    assert np.allclose(smoothed_targets([1], 3, 0.05)[0], [0.05 / 3, 0.95 + 0.05 / 3, 0.05 / 3])
    assert "[0.0167, 0.967, 0.0167]" in _text(mc)
    # the other convention (ε over the K − 1 wrong classes) gives 003's picture at ε = 0.1
    assert np.allclose([0.1 / 2, 1 - 0.1, 0.1 / 2], [0.05, 0.9, 0.05])
    # the loss with logits = log(target) equals the target's entropy: softmax matches the target
    target = np.array([0.05, 0.9, 0.05])
    entropy = float(-(target * np.log(target)).sum())
    assert label_smoothing_cross_entropy(np.log(target), 1, 0.15) == pytest.approx(entropy)


def test_label_smoothing_decomposition(decks: DeckSet) -> None:
    _card(decks, "toolkit-label-smoothing-loss-cloze")
    rng = np.random.default_rng(15)
    z = rng.normal(size=(6, 4)) * 3
    y = rng.integers(0, 4, size=6)
    eps = 0.2
    q = smoothed_targets(y, 4, eps)
    direct = float(np.mean(-(q * log_softmax(z)).sum(axis=1)))
    assert label_smoothing_cross_entropy(z, y, eps) == pytest.approx(direct)
    hard = label_smoothing_cross_entropy(z, y, 0.0)
    uniform = float(np.mean(-log_softmax(z).mean(axis=1)))
    mixed = (1 - eps) * hard + eps * uniform
    assert label_smoothing_cross_entropy(z, y, eps) == pytest.approx(mixed)


def test_label_smoothing_logit_gap(decks: DeckSet) -> None:
    card = _card(decks, "toolkit-label-smoothing-logit-gap-mc")
    K, eps = 10, 0.1
    q = smoothed_targets([0], K, eps)[0]
    gap = math.log(q[0] / q[1])
    assert gap == pytest.approx(math.log(91))
    assert _correct(card) == [f"ln(0.91 / 0.01) = ln 91 ≈ {math.log(91):.2f}"]

    def loss_at(g: float) -> float:
        z = np.zeros(K)
        z[0] = g
        return label_smoothing_cross_entropy(z, 0, eps)

    assert loss_at(gap) < loss_at(gap - 0.05) and loss_at(gap) < loss_at(gap + 0.05)
    assert f"{math.log(9):.2f}" in _option(card, "ln(0.9 / 0.1)").text
    assert f"{math.log(81):.2f}" in _option(card, "ln 81").text
    grill = _card(decks, "grill-label-smoothing-chain")
    assert "ln 91 ≈ 4.5" in " ".join(_text(grill).split())


def test_label_smoothing_bug_row_sums(decks: DeckSet) -> None:
    card = _card(decks, "toolkit-label-smoothing-bug")
    K, eps = 3, 0.1
    buggy = np.eye(K)[[1]] * (1 - eps) + eps / (K - 1)
    assert np.allclose(buggy[0], [0.05, 0.95, 0.05])
    assert buggy.sum() == pytest.approx(1 + eps / (K - 1)) == pytest.approx(1.05)
    assert "[0.05, 0.95, 0.05], summing to 1.05" in card.answer
    assert np.allclose(smoothed_targets([1], K, eps).sum(), 1.0)


def test_batchnorm_modes_and_momentum(decks: DeckSet) -> None:
    cloze = _card(decks, "toolkit-batchnorm-momentum-cloze")
    assert cloze.gaps() == ["0.1", "0.99", "0.9"]
    x = np.array([[4.0], [5.0], [4.0], [0.0]])
    g, b, rm, rv = np.ones(1), np.zeros(1), np.zeros(1), np.full(1, 4.0)
    y_eval, rm_eval, _ = batch_norm_forward(x, g, b, rm, rv, training=False)
    assert np.allclose(y_eval[:, 0], x[:, 0] / np.sqrt(4.0 + 1e-5))
    assert np.array_equal(rm_eval, rm)
    y_train, rm_new, _ = batch_norm_forward(x, g, b, rm, rv, training=True, momentum=0.1)
    keras_m = 0.9  # Keras: moving = m·moving + (1 − m)·batch
    assert np.allclose(rm_new, keras_m * rm + (1 - keras_m) * x.mean(axis=0))
    assert not np.allclose(y_train, y_eval)
    _card(decks, "toolkit-batchnorm-train-eval-mc")


def test_mixup_and_cutmix_targets(decks: DeckSet) -> None:
    cloze = _card(decks, "toolkit-mixup-cloze")
    assert cloze.gaps()[0] == "[0.7, 0, 0.3]"
    y = np.array([[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]])
    x = np.array([[1.0], [2.0]])
    for seed in range(50):
        _, y_mix, _lam, perm = mixup(x, y, 0.2, np.random.default_rng(seed), lam=0.7)
        if perm[0] == 1:
            assert np.allclose(y_mix[0], [0.7, 0.0, 0.3])
            break
    else:
        pytest.fail("no permutation swapped the pair")
    card = _card(decks, "toolkit-cutmix-mc")
    assert (16 * 16) / (32 * 32) == 0.25 and 16 / 32 == 0.5
    assert "256 / 1024 = 0.25" in _text(card)


def test_max_norm_cards(decks: DeckSet) -> None:
    axis = _card(decks, "toolkit-max-norm-axis-mc")
    W_keras = np.array([[3.0, 0.1], [4.0, 0.2]])  # (input_dim, units): unit 0 has norm 5
    capped = max_norm(W_keras, 3.0)
    assert np.allclose(np.linalg.norm(capped, axis=0), [3.0, np.hypot(0.1, 0.2)])
    # PyTorch layout (out, in) is the transpose: cap each row
    W_torch = W_keras.T
    rows = W_torch * np.minimum(1.0, 3.0 / np.linalg.norm(W_torch, axis=1, keepdims=True))
    assert np.allclose(rows, max_norm(W_torch.T, 3.0).T)
    assert _correct(axis)[0].startswith("torch.renorm(W, p=2, dim=0, maxnorm=3)")
    bug = _card(decks, "toolkit-max-norm-bug")
    buggy = W_keras * (3.0 / np.linalg.norm(W_keras, axis=0, keepdims=True))
    assert np.linalg.norm(buggy[:, 1]) == pytest.approx(3.0)  # small column inflated
    assert np.array_equal(capped[:, 1], W_keras[:, 1])  # reference leaves it alone
    assert "inflates" in bug.answer


def test_input_noise_is_ridge(decks: DeckSet) -> None:
    card = _card(decks, "toolkit-noise-injection-cloze")
    assert card.gaps()[0] == "σ²·‖w‖²"
    rng = np.random.default_rng(16)
    x = np.array([0.5, -1.0, 2.0])
    w = np.array([1.0, 0.4, -0.3])
    y, sigma, n = 0.7, 0.3, 300_000
    noisy = gaussian_noise(np.tile(x, (n, 1)), sigma, True, rng)
    mc = float(np.mean((y - noisy @ w) ** 2))
    assert mc == pytest.approx((y - w @ x) ** 2 + l2_penalty(w, sigma**2), rel=0.01)


def test_conv_parameter_counts(decks: DeckSet) -> None:
    typed = _card(decks, "toolkit-weight-sharing-typed")
    assert typed.accept[0] == str(64 * 3 * 3 * 3 + 64) == "1792"
    basic = _card(decks, "toolkit-weight-sharing")
    assert "1,792" in basic.answer
    dense = (224 * 224 * 3) * (224 * 224 * 64)
    assert f"{dense:.1e}" == "4.8e+11" and "4.8·10¹¹" in basic.answer
    assert f"{224 * 224 * 3:,}" in basic.answer


# ------------------------------------------------------------------------------ practice / grill


def test_feature_scale_changes_penalized_coefficients(decks: DeckSet) -> None:
    _card(decks, "practice-feature-scaling-mc")
    rng = np.random.default_rng(17)
    X = rng.normal(size=(200, 2))
    y = X @ np.array([1.0, 1.0]) + 0.1 * rng.normal(size=200)
    s = 1000.0
    Xs = X * np.array([s, 1.0])  # feature 0 in much larger units
    ols, ols_s = ridge_closed_form(X, y, 0.0), ridge_closed_form(Xs, y, 0.0)
    assert np.allclose(ols_s * np.array([s, 1.0]), ols)  # unpenalized: units do not matter
    lam = 50.0
    r = ridge_closed_form(X, y, lam)
    r_s = ridge_closed_form(Xs, y, lam)
    # the large-scale feature's tiny coefficient is barely shrunk; the other one is shrunk more
    shrink_big = (r_s[0] * s) / ols[0]
    shrink_small = r_s[1] / ols[1]
    assert shrink_big > shrink_small
    assert not np.allclose(r_s * np.array([s, 1.0]), r)


def test_mean_loss_lambda_scales_with_n(decks: DeckSet) -> None:
    _card(decks, "practice-lambda-vs-data-size-mc")
    rng = np.random.default_rng(18)
    X = rng.normal(size=(100, 3))
    y = rng.normal(size=100)
    lam = 0.1
    n = X.shape[0]
    # argmin (1/n)‖y − Xw‖² + λ‖w‖² = argmin ‖y − Xw‖² + nλ‖w‖²
    w_mean_form = np.linalg.solve(X.T @ X / n + lam * np.eye(3), X.T @ y / n)
    assert np.allclose(w_mean_form, ridge_closed_form(X, y, n * lam))


def test_grill_early_stopping_formula(decks: DeckSet) -> None:
    card = _card(decks, "grill-early-stopping-l2-chain")
    assert "α ≈ 1/(τε)" in " ".join(_text(card).split())
    cloze = _card(decks, "early_stopping-keras-args-cloze")
    expected = ["patience", "min_delta", "restore_best_weights"]
    assert [g.split("::")[0] for g in cloze.gaps()] == expected


def test_source_sections_are_seed_headings(decks: DeckSet) -> None:
    seeds = DECKS_DIR.parent.parent / "shared" / "seeds"
    if not seeds.is_dir():
        pytest.skip("seed documents not available")
    lines = {p.name: {ln.strip() for ln in p.read_text().splitlines()} for p in seeds.glob("*.txt")}
    for deck in decks.decks:
        if deck.id not in NET_DECKS:
            continue
        for card in deck.cards:
            src = card.source
            if src.seed:
                assert src.section in lines[src.seed], (card.id, src.seed, src.section)


def test_spectral_norm_is_largest_singular_value(decks: DeckSet) -> None:
    card = _card(decks, "toolkit-spectral-norm-cloze")
    assert card.gaps() == ["largest singular value", "power iteration", "1"]
    W = np.random.default_rng(20).normal(size=(6, 4))
    sigma = spectral_norm_sigma(W)
    assert sigma == pytest.approx(np.linalg.svd(W, compute_uv=False)[0], rel=1e-6)
    xs = np.random.default_rng(21).normal(size=(4, 500))
    gains = np.linalg.norm((W / sigma) @ xs, axis=0) / np.linalg.norm(xs, axis=0)
    assert gains.max() <= 1 + 1e-9  # W/σ(W) is 1-Lipschitz
