"""`quizapp decks try`: the same check review and quiz run, scriptable, exit 0 either way."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import pytest

from quizapp.catalog import bundled_decks_dir
from quizapp.cli import main
from quizapp.cli.env import Environment


@pytest.fixture(autouse=True)
def shipped_decks(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("QUIZAPP_DECKS", str(bundled_decks_dir()))
    monkeypatch.setenv("QUIZAPP_DB", str(tmp_path / "try.db"))


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), env=Environment(stdout=out, stderr=err, environ=dict(os.environ)))
    return code, out.getvalue(), err.getvalue()


def try_json(card: str, answer: str, *extra: str) -> dict[str, object]:
    code, out, _ = run("decks", "try", card, answer, "--json", *extra)
    assert code == 0
    record = json.loads(out)
    assert set(record) == {"card", "correct", "gaps", "message"}
    return record


def test_right_cloze_lists_every_gap() -> None:
    r = try_json("l2-half-convention-cloze", "lambda*w; 2*lambda*w; 1/2")
    assert r["correct"] is True and r["card"] == "l2-half-convention-cloze"
    assert r["gaps"] == [
        {"expected": "λw", "given": "lambda*w", "correct": True},
        {"expected": "2λw", "given": "2*lambda*w", "correct": True},
        {"expected": "half", "given": "1/2", "correct": True},
    ]


def test_wrong_gap_is_marked_and_still_exits_0() -> None:
    r = try_json("l2-half-convention-cloze", "λw; λw; half")
    assert r["correct"] is False
    assert [g["correct"] for g in r["gaps"]] == [True, False, True]  # type: ignore[index]


@pytest.mark.parametrize(
    "card, answer, right",
    [
        ("l2-closed-form-cloze", "(X^TX+λI)^-1X^Ty; positive definite; 0", True),
        ("l2-closed-form-cloze", "(X^TX)^-1X^Ty; positive definite; 0", False),
        ("l1-ista-cloze", "soft-thresholding; eta*lambda; exact zeros", True),
        ("overfitting-kfold-cloze", "validation; k-1; mean; n", True),
        ("views-lambda-variance-cloze", "sigma^2/tau^2; weaker; MLE", True),
        ("toolkit-mixup-cloze", "[0.7,0,0.3]; Beta(alpha, alpha); ERM", True),
        ("toolkit-mixup-cloze", "[0.3,0,0.7]; Beta(alpha, alpha); ERM", False),
        ("dropout-rates-cloze", ".8; .5; .2; .1", True),
        ("dropout-gaussian-cloze", "p/(1-p); sqrt(rate/(1-rate)); identity", True),
        ("dropout-000-keep-to-pytorch", "0.20", True),
        ("dropout-000-keep-to-pytorch", "0.8", False),
        ("l1-constant-pull-cloze", "lambda*sign(w); 2*λ*w; 0", True),
        ("l1-constant-pull-cloze", "lambda*sign(w); λw; 0", False),
    ],
)
def test_the_issues_examples(card: str, answer: str, right: bool) -> None:
    assert try_json(card, answer)["correct"] is right


def test_multiple_choice_by_letter() -> None:
    from quizapp.decks import load_decks

    deck_set = load_decks([bundled_decks_dir()])
    card = next(c for _, c in deck_set.cards() if c.type == "multiple_choice")
    right = ",".join("abcdef"[i] for i, o in enumerate(card.options) if o.correct)
    assert try_json(card.id, right)["correct"] is True
    wrong = "abcdef"[next(i for i, o in enumerate(card.options) if not o.correct)]
    assert try_json(card.id, wrong)["correct"] is False


def test_numeric_uses_the_seed_and_explains_unreadable_answers() -> None:
    from quizapp.cardtext import face, format_value
    from quizapp.decks import load_decks

    card = load_decks([bundled_decks_dir()]).card("l1-penalty-numeric")
    assert card is not None
    answer = face(card[1], seed=3).example.answer
    assert try_json("l1-penalty-numeric", format_value(answer), "--seed", "3")["correct"] is True
    r = try_json("l1-penalty-numeric", "banana")
    assert r["correct"] is False and "number" in str(r["message"])


def test_text_output_and_exit_codes() -> None:
    code, out, _ = run("decks", "try", "l2-half-convention-cloze", "λw; λw; half")
    assert code == 0 and "✘ wrong" in out and "✘ gap 2" in out and "'2λw'" in out
    code, _, err = run("decks", "try", "no-such-card", "x")
    assert code == 2 and "unknown card 'no-such-card'" in err
    code, _, err = run("decks", "try", "l1-why-exact-zeros", "x")
    assert code == 2 and "basic card" in err


def test_export_and_card_back_show_the_alternatives() -> None:
    code, out, _ = run("decks", "export", "--deck", "l1", "--format", "json")
    assert code == 0
    record = next(r for r in json.loads(out) if r["id"] == "l1-ista-cloze")
    assert record["accept"][0][:2] == ["soft_threshold", "soft-thresholding"]
    assert "*also accepted — soft_threshold: soft-thresholding" in record["answer"]
