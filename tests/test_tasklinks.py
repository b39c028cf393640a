"""Code failures feed review: every task is linked to cards, failures make them due, a pass
after failures reviews the code card."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from quizapp.catalog import bundled_decks_dir
from quizapp.cli import main
from quizapp.cli.env import Environment
from quizapp.decks import load_decks
from quizapp.grading.catalog import get_task, task_ids
from quizapp.scheduling import to_ms
from quizapp.session import open_session
from quizapp.store import REVIEW
from quizapp.tasklinks import after_attempt, code_card, links

NOW = datetime(2026, 3, 2, 12, tzinfo=UTC)
DAY_MS = 86_400_000


def bundled(db_path: Path, tmp_path: Path):  # type: ignore[no-untyped-def]
    return open_session(db_path, deck_dirs=[bundled_decks_dir()], cache_dir=tmp_path / "c")


def test_every_task_is_reachable_from_a_card(db_path: Path, tmp_path: Path) -> None:
    session = bundled(db_path, tmp_path)
    try:
        linked = links(session.catalog)
    finally:
        session.close()
    ids = task_ids()
    assert len(ids) >= 24
    missing = [t for t in ids if not linked.get(t)]
    assert missing == [], f"tasks no card links to: {missing}"
    for task in ("adamw_step", "lasso_ista", "mixup", "ridge_with_intercept"):
        assert len(linked[task]) >= 1


def test_an_unknown_task_in_tasks_is_a_located_problem(tmp_path: Path) -> None:
    deck = tmp_path / "d.yaml"
    deck.write_text(
        "deck: d\ntitle: D\ncards:\n"
        "  - id: d-one\n    type: basic\n    tags: [x]\n    tasks: [no_such_task]\n"
        "    prompt: P\n    answer: A\n    explanation: E\n    source: {beyond: B}\n",
        encoding="utf-8",
    )
    from quizapp.decks import default_resolvers

    result = load_decks([deck], **default_resolvers())
    assert [(p.line, "no_such_task" in p.message) for p in result.problems] == [(4, True)]


def _study(session, card_id: str, due_in_days: int, now: datetime = NOW) -> None:  # type: ignore[no-untyped-def]
    row = session.store.card(card_id)
    after = replace(
        row, state=REVIEW, stability=20.0, difficulty=5.0, last_review=to_ms(now) - 5 * DAY_MS,
        due=to_ms(now) + due_in_days * DAY_MS, reps=2,
    )  # fmt: skip
    session.store.record_review(row, after, rating=3, reviewed_at=to_ms(now) - 5 * DAY_MS,
                                duration_ms=1)  # fmt: skip


def test_a_failure_makes_the_concept_cards_due(db_path: Path, tmp_path: Path) -> None:
    session = bundled(db_path, tmp_path)
    try:
        cards = links(session.catalog)["adamw_step"]
        studied = cards[:2]
        for cid in studied:
            _study(session, cid, 15)
        session.store.record_attempt("adamw_step", "x", "wrong_answer", False, 0.1, "{}")
        fed = after_attempt(session, "adamw_step", False, NOW)
        assert sorted(fed.made_due) == sorted(studied)
        for cid in studied:
            assert session.store.card(cid).due == to_ms(NOW)
        for cid in cards[2:]:  # never studied: still new
            assert session.store.card(cid).state == 0
        # the queue now holds them
        queue = session.queue(now=NOW + timedelta(minutes=1))
        assert set(studied) <= {r.card_id for r in queue.review}
    finally:
        session.close()


def test_a_pass_after_failures_reviews_the_code_card(db_path: Path, tmp_path: Path) -> None:
    session = bundled(db_path, tmp_path)
    try:
        cid = code_card(session.catalog, "l1_penalty")
        assert cid is not None
        _study(session, cid, 10)
        before = len(session.store.review_logs(cid))
        session.store.record_attempt("l1_penalty", "x", "passed", True, 0.1, "{}")
        assert after_attempt(session, "l1_penalty", True, NOW).reviewed is None  # first try
        session.store.record_attempt("l1_penalty", "x", "wrong_answer", False, 0.1, "{}")
        after_attempt(session, "l1_penalty", False, NOW)
        session.store.record_attempt("l1_penalty", "y", "passed", True, 0.1, "{}")
        fed = after_attempt(session, "l1_penalty", True, NOW)
        assert fed.reviewed == cid
        logs = session.store.review_logs(cid)
        assert len(logs) == before + 1
        assert logs[-1].rating == 2 and logs[-1].origin == "code"
        assert session.store.card(cid).due > to_ms(NOW)  # rescheduled by the review
    finally:
        session.close()


def test_grade_cli_feeds_review(db_path: Path, tmp_path: Path) -> None:
    session = bundled(db_path, tmp_path)
    try:
        cards = links(session.catalog)["l2_penalty"]
        for cid in cards:
            _study(session, cid, 30, datetime.now(UTC))
    finally:
        session.close()
    answer = tmp_path / "a.py"
    answer.write_text("def l2_penalty(w, lam):\n    return 0.0\n", encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    code = main(
        ["--db", str(db_path), "grade", "l2_penalty", str(answer)],
        Environment(stdout=out, stderr=err, environ={}),
    )
    assert code == 1
    assert "due for review" in err.getvalue()
    session = bundled(db_path, tmp_path)
    try:
        for cid in cards:
            assert session.store.card(cid).due <= to_ms(datetime.now(UTC))
    finally:
        session.close()


def test_grade_cli_reviews_the_code_card_on_a_pass_after_a_failure(
    db_path: Path, tmp_path: Path
) -> None:
    """The CLI loads the decks only when an attempt changes a card: here, on the pass."""
    answer = tmp_path / "a.py"
    env = Environment(stdout=io.StringIO(), stderr=io.StringIO(), environ={})
    answer.write_text("def l2_penalty(w, lam):\n    return 0.0\n", encoding="utf-8")
    assert main(["--db", str(db_path), "grade", "l2_penalty", str(answer)], env) == 1
    answer.write_text(get_task("l2_penalty").solution, encoding="utf-8")
    err = io.StringIO()
    passed = Environment(stdout=io.StringIO(), stderr=err, environ={})
    assert main(["--db", str(db_path), "grade", "l2_penalty", str(answer)], passed) == 0
    session = bundled(db_path, tmp_path)
    try:
        cid = code_card(session.catalog, "l2_penalty")
        assert cid is not None
        logs = session.store.review_logs(cid)
        assert logs and logs[-1].origin == "code", err.getvalue()
    finally:
        session.close()


def test_feedback_messages_count_cards_in_plain_english() -> None:
    from quizapp.tasklinks import Feedback

    assert Feedback(made_due=("a",)).messages() == ["1 card on this concept is due for review."]
    assert Feedback(made_due=("a", "b")).messages() == [
        "2 cards on this concept are due for review."
    ]
    assert Feedback(reviewed="c").messages() == [
        "Passed after a failure: counted as a Hard review of c."
    ]
    assert Feedback().messages() == []
