"""Interview mode: readiness on the date, the plan, the queue and the check-in intervals."""

from __future__ import annotations

import io
import json
import random
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest
from fsrs import Card, Rating, Scheduler, State

from quizapp import planning
from quizapp.cli import main
from quizapp.cli.env import Environment
from quizapp.fitting import DEFAULT_PARAMETERS
from quizapp.scheduling import build_queue, from_ms, to_fsrs, to_ms
from quizapp.store import REVIEW, CardRow

NOW = datetime(2026, 3, 2, 12, tzinfo=UTC)  # noon UTC: the middle of a study day
DAY_MS = 86_400_000


def run_cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), Environment(stdout=out, stderr=err, environ={}))
    return code, out.getvalue(), err.getvalue()


def study(session, card_id: str, stability: float, days_ago: int, due_in: int) -> CardRow:  # type: ignore[no-untyped-def]
    row = session.store.card(card_id)
    after = replace(
        row,
        state=REVIEW,
        step=None,
        stability=stability,
        difficulty=5.0,
        last_review=to_ms(NOW) - days_ago * DAY_MS,
        due=to_ms(NOW) + due_in * DAY_MS,
        reps=3,
    )
    session.store.record_review(
        row, after, rating=3, reviewed_at=to_ms(NOW) - days_ago * DAY_MS, duration_ms=9000
    )
    return after


# ---------------------------------------------------------------------- readiness


def test_readiness_is_recall_on_the_date_unseen_counting_zero(mini_session, utc_tz: None) -> None:  # type: ignore[no-untyped-def]
    session = mini_session
    ids = [cid for d in session.catalog.decks for cid in d.card_ids]
    studied = [study(session, ids[0], 5.0, 2, 3), study(session, ids[1], 40.0, 10, 20)]
    interview = date(2026, 3, 12)
    plan = planning.make_plan(session.store, session.catalog, session.settings, NOW, interview)
    assert plan.days_left == 10
    # the oracle: py-fsrs' own retrievability on the interview day
    scheduler = session.settings.scheduler()
    on_date = NOW + timedelta(days=10)
    expected = [scheduler.get_card_retrievability(to_fsrs(r, NOW), on_date) for r in studied]
    assert plan.readiness == pytest.approx(sum(expected) / len(ids), rel=1e-6)
    by_topic = {t.topic: t for t in plan.topics}
    deck0 = session.catalog.deck_of(ids[0])
    n0 = len(session.catalog.deck(deck0).card_ids)
    in_deck0 = [e for r, e in zip(studied, expected, strict=True) if r.deck_id == deck0]
    assert by_topic[deck0].cards == n0
    assert by_topic[deck0].coverage == pytest.approx(len(in_deck0) / n0)
    assert by_topic[deck0].readiness == pytest.approx(sum(in_deck0) / n0, rel=1e-6)
    assert sum(t.cards for t in plan.topics) == len(ids)


def test_plan_json_has_the_issue_shape(db_path: Path) -> None:
    interview = (datetime.now().date() + timedelta(days=12)).isoformat()
    code, out, err = run_cli("--db", str(db_path), "plan", "--interview", interview, "--json")
    assert code == 0, err
    data = json.loads(out)
    assert set(data) == {"interview", "days_left", "readiness", "topics", "daily"}
    assert data["interview"] == interview and data["days_left"] in (11, 12, 13)
    assert data["readiness"] == 0.0  # nothing studied yet
    assert all(set(t) == {"topic", "readiness", "coverage", "cards"} for t in data["topics"])
    assert len(data["daily"]) == data["days_left"]
    assert all(set(d) == {"day", "new", "reviews"} for d in data["daily"])
    assert sum(d["new"] for d in data["daily"]) > 0


def test_plan_refuses_bad_and_past_dates(db_path: Path) -> None:
    code, _, err = run_cli("--db", str(db_path), "plan", "--interview", "2026-02-30")
    assert code == 2 and "YYYY-MM-DD" in err
    code, _, err = run_cli("--db", str(db_path), "plan", "--interview", "2001-01-01")
    assert code == 2 and "past" in err
    code, _, err = run_cli("--db", str(db_path), "plan")
    assert code == 2 and "--interview" in err


def test_plan_save_sets_the_home_line(db_path: Path) -> None:
    from quizapp.session import open_session

    interview = (datetime.now().date() + timedelta(days=20)).isoformat()
    code, _, err = run_cli("--db", str(db_path), "plan", "--interview", interview, "--save")
    assert code == 0, err
    session = open_session(db_path)
    try:
        assert session.settings.interview_date == interview
        line = planning.home_line(
            session.store, session.catalog, session.settings, datetime.now(UTC)
        )
    finally:
        session.close()
    assert line is not None and "to your interview — readiness 0 %" in line


def test_cram_list_is_the_weakest_studied_cards(mini_session, utc_tz: None) -> None:  # type: ignore[no-untyped-def]
    session = mini_session
    ids = [cid for d in session.catalog.decks for cid in d.card_ids]
    for i, s in enumerate((30.0, 2.0, 9.0)):
        study(session, ids[i], s, 1, 1)
    plan = planning.make_plan(
        session.store, None, session.settings, NOW, date(2026, 3, 9), with_ids=True
    )
    cram = planning.cram_list(plan, 2)
    assert [c for c, _ in cram] == [ids[1], ids[2]]
    assert cram[0][1] < cram[1][1]


# ---------------------------------------------------------------------- sessions follow it


def test_interview_mode_orders_reviews_by_recall_on_the_date(mini_session, utc_tz: None) -> None:  # type: ignore[no-untyped-def]
    session = mini_session
    ids = [cid for d in session.catalog.decks for cid in d.card_ids]
    # all due today; the most stable one is also the most overdue (first in due order)
    study(session, ids[0], 60.0, 30, -5)
    study(session, ids[1], 1.5, 2, 0)
    study(session, ids[2], 8.0, 6, 0)
    plain = build_queue(session.store, session.settings, NOW)
    assert [r.card_id for r in plain.review] == [ids[0], ids[1], ids[2]]
    settings = replace(session.settings, interview_date="2026-03-20")
    ordered = build_queue(session.store, settings, NOW)
    assert [r.card_id for r in ordered.review] == [ids[1], ids[2], ids[0]]
    off = replace(settings, follow_plan=False)
    assert [r.card_id for r in build_queue(session.store, off, NOW).review] == [
        ids[0],
        ids[1],
        ids[2],
    ]


def test_no_interval_runs_past_the_date_without_a_check_in(mini_session, utc_tz: None) -> None:  # type: ignore[no-untyped-def]
    session = mini_session
    ids = [cid for d in session.catalog.decks for cid in d.card_ids]
    row = study(session, ids[0], 30.0, 30, 0)
    free = session.preview(row, NOW)
    assert from_ms(free[4].after.due) > NOW + timedelta(days=10)
    session.settings = replace(session.settings, interview_date="2026-03-12")
    capped = session.preview(row, NOW)
    check_in = datetime(2026, 3, 11, 4, tzinfo=UTC)  # the day before, at the rollover
    for rating in (2, 3, 4):
        assert from_ms(capped[rating].after.due) <= check_in
        assert capped[rating].interval == from_ms(capped[rating].after.due) - NOW  # the button
    assert capped[1].after.due == free[1].after.due  # a relearning step is not touched


# ---------------------------------------------------------------------- the plan beats FSRS


def _simulate(policy: str, seed: int) -> float:
    """Study 600 cards (200 half-known) for 21 days with 10 minutes a day, outcomes drawn from
    py-fsrs' own forgetting curve; return the mean recall on the interview day (unseen 0)."""
    rng = random.Random(seed)
    scheduler = Scheduler(learning_steps=(), relearning_steps=(), enable_fuzzing=False)
    start = datetime(2026, 3, 2, 12, tzinfo=UTC)
    days, budget, review_s, new_s = 21, 600.0, 10.0, 25.0
    cards: list[Card | None] = []
    for i in range(600):
        if i < 200:
            s = rng.uniform(1.0, 40.0)
            last = start - timedelta(days=rng.randint(1, 30))
            due = last + timedelta(days=max(1, round(s)))
            cards.append(
                Card(
                    card_id=i + 1,
                    state=State.Review,
                    stability=s,
                    difficulty=rng.uniform(3, 8),
                    due=due,
                    last_review=last,
                )
            )
        else:
            cards.append(None)
    model = planning.Model(DEFAULT_PARAMETERS)
    for day in range(days):
        now = start + timedelta(days=day)
        due = [i for i, c in enumerate(cards) if c is not None and c.due.date() <= now.date()]
        new = [i for i, c in enumerate(cards) if c is None]
        if policy in (
            "fsrs",
            "fsrs-fill",
        ):  # Anki's order: due reviews by due date, then 20 new a day
            due.sort(key=lambda i: cards[i].due)  # type: ignore[union-attr]
            n_rev = min(len(due), int(budget // review_s))
            cap = 20 if policy == "fsrs" else len(new)  # "fsrs-fill": the budget decides
            n_new = min(cap, len(new), int((budget - n_rev * review_s) // new_s))
            todo = due[:n_rev]
        else:  # the plan, recomputed each morning from the cards as they are
            arrays = _arrays(cards, now)
            counts, _ = planning.simulate_plan(
                model,
                arrays,
                days - day,
                budget_s=budget,
                costs=planning.Costs(review_s, new_s),
                retention=0.9,
            )
            n_new, n_rev = counts[0]
            r_t = {i: scheduler.get_card_retrievability(cards[i], start + timedelta(days=days))
                   for i in due}  # fmt: skip
            due.sort(key=lambda i: r_t[i])
            todo = due[:n_rev]
        for i in todo:
            card = cards[i]
            assert card is not None
            recalled = rng.random() < scheduler.get_card_retrievability(card, now)
            cards[i], _ = scheduler.review_card(
                card, Rating.Good if recalled else Rating.Again, now
            )
            if policy == "plan":
                _cap(cards, i, start + timedelta(days=days - 1))
        for i in new[:n_new]:
            cards[i], _ = scheduler.review_card(Card(card_id=i + 1, due=now), Rating.Good, now)
            if policy == "plan":
                _cap(cards, i, start + timedelta(days=days - 1))
    on_date = start + timedelta(days=days)
    return sum(
        scheduler.get_card_retrievability(c, on_date) if c is not None else 0.0 for c in cards
    ) / len(cards)


def _cap(cards: list[Card | None], i: int, check_in: datetime) -> None:
    card = cards[i]
    if card is not None and card.due > check_in:
        card.due = check_in


def _arrays(cards: list[Card | None], now: datetime) -> planning.Cards:
    n = len(cards)
    seen = np.array([c is not None for c in cards])
    stab = np.array([c.stability if c else 1.0 for c in cards], dtype=float)
    diff = np.array([c.difficulty if c else 5.0 for c in cards], dtype=float)
    last = np.array(
        [(c.last_review - now) / timedelta(days=1) if c and c.last_review else 0.0 for c in cards]
    )
    due = np.array(
        [max(0, (c.due.date() - now.date()).days) if c else 0 for c in cards], dtype=float
    )
    return planning.Cards([str(i) for i in range(n)], ["d"] * n, seen, stab, diff, last, due)


def test_the_plan_beats_plain_fsrs_at_the_same_budget() -> None:
    plan = [_simulate("plan", seed) for seed in (1, 2)]
    fsrs = [_simulate("fsrs", seed) for seed in (1, 2)]  # 20 new a day, Anki's default
    fill = [_simulate("fsrs-fill", seed) for seed in (1, 2)]  # new cards fill what is left
    assert min(plan) > max(fsrs + fill) + 0.05, (plan, fsrs, fill)


def test_cram_touches_the_schedule_only_when_the_setting_says_so(db_path: Path) -> None:
    from quizapp.scheduling import Settings, utcnow
    from quizapp.session import open_session

    session = open_session(db_path)
    try:
        now = utcnow()
        cid = session.catalog.decks[0].card_ids[0]
        row = session.store.card(cid)
        last = to_ms(now) - DAY_MS
        after = replace(
            row, state=REVIEW, stability=3.0, difficulty=5.0, last_review=last,
            due=to_ms(now) + 3 * DAY_MS, reps=1,
        )  # fmt: skip
        session.store.record_review(row, after, rating=3, reviewed_at=last, duration_ms=1)
    finally:
        session.close()
    interview = (datetime.now().date() + timedelta(days=9)).isoformat()
    args = ("--db", str(db_path), "plan", "--interview", interview, "--cram", "5", "--json")
    code, out, err = run_cli(*args)
    assert code == 0, err
    data = json.loads(out)
    assert [c["card"] for c in data["cram"]] == [cid] and data["made_due"] == []
    from quizapp.store import Store

    with Store.open(db_path) as store:
        assert store.card(cid).due == after.due
        Settings(cram_reschedules=True).save(store)
    code, out, _ = run_cli(*args)
    assert json.loads(out)["made_due"] == [cid]
    with Store.open(db_path) as store:
        assert store.card(cid).due < after.due


def test_the_review_limit_keeps_the_weakest_on_the_day(mini_session, utc_tz: None) -> None:  # type: ignore[no-untyped-def]
    session = mini_session
    ids = [cid for d in session.catalog.decks for cid in d.card_ids]
    study(session, ids[0], 90.0, 40, -9)  # most overdue, safest on the day
    study(session, ids[1], 1.2, 3, 0)
    settings = replace(session.settings, interview_date="2026-03-20", reviews_per_day=1)
    assert [r.card_id for r in build_queue(session.store, settings, NOW).review] == [ids[1]]
    plain = replace(settings, interview_date=None)
    assert [r.card_id for r in build_queue(session.store, plain, NOW).review] == [ids[0]]
