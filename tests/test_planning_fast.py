"""The interview plan's fast path is the per-card plan it replaced, to 1e-9.

`_reference_*` below is the implementation `quizapp.planning` had before it was made fast
(every card read as a row, every card in the arrays, every due card valued every day): kept
here verbatim as the oracle. Random small stores (hypothesis) go through both; the readiness,
the topics, the daily counts, the curve and the cram list must agree.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmarks._fsrs_synth import TRUE_PARAMETERS
from quizapp import planning
from quizapp.clock import day_bounds, to_ms
from quizapp.fitting import DEFAULT_PARAMETERS
from quizapp.planning import DAY_MS, Costs, Model
from quizapp.scheduling import Settings, build_queue
from quizapp.store import REVIEW, Store

NOW = datetime(2026, 3, 2, 12, tzinfo=UTC)

# ---------------------------------------------------------------------- the reference


@dataclass
class _RefCards:
    ids: list[str]
    decks: list[str]
    seen: Any
    stability: Any
    difficulty: Any
    last_day: Any
    due_day: Any
    position: Any = None


def _reference_load(store: Store, now: datetime, rollover_hour: int) -> _RefCards:
    start, _ = day_bounds(now, rollover_hour)
    start_ms = to_ms(start)
    rows = store.plan_rows()
    if not rows:
        empty = np.zeros(0)
        return _RefCards([], [], empty.astype(bool), empty, empty, empty, empty)
    ids, decks, state, s, d, last_ms, due_ms, position = zip(*rows, strict=True)
    state_a = np.array(state, dtype=np.int64)
    stab = np.array(s, dtype=float)
    last_a = np.array(last_ms, dtype=float)
    seen = (state_a != 0) & (stab > 0) & (last_a > 0)
    stab = np.where(seen, stab, 1.0)
    diff = np.where(seen, np.array(d, dtype=float), 5.0)
    last = np.where(seen, (last_a - start_ms) / DAY_MS, 0.0)
    due_days = np.maximum(0.0, np.floor((np.array(due_ms, dtype=float) - start_ms) / DAY_MS))
    due = np.where(seen, due_days, 0.0)
    return _RefCards(list(ids), list(decks), seen, stab, diff, last, due, np.array(position))


def _reference_simulate(
    model: Model,
    cards: Any,
    days_left: int,
    *,
    budget_s: float,
    costs: Costs,
    retention: float,
    curve: list[float],
) -> tuple[list[tuple[int, int]], float]:
    seen = cards.seen.copy()
    s = cards.stability.copy()
    d = cards.difficulty.copy()
    last = np.floor(cards.last_day).astype(float)
    due = cards.due_day.astype(float).copy()
    unseen = np.flatnonzero(~seen)
    if cards.position is not None:
        unseen = unseen[np.argsort(cards.position[unseen], kind="stable")]
    unseen_idx = list(unseen)
    T = float(days_left)
    s_new = float(model.w[2])
    d_new = float(model.init_difficulty(3))
    daily: list[tuple[int, int]] = []
    for day in range(days_left):
        cand = np.flatnonzero(seen & (due <= day))
        r_now = model.recall(day - last[cand], s[cand])
        rt_now = model.recall(T - last[cand], s[cand])
        s_ok = model.recall_stability(d[cand], s[cand], r_now, 3)
        s_fail = model.forget_stability(d[cand], s[cand], r_now)
        rt_after = r_now * model.recall(T - day, s_ok) + (1 - r_now) * model.recall(T - day, s_fail)
        gain = (rt_after - rt_now) / costs.review_s
        new_gain = float(model.recall(T - day, s_new)) / costs.new_s
        budget = budget_s
        n_better = int((gain > new_gain).sum())
        n_rev = min(n_better, int(budget // costs.review_s))
        budget -= n_rev * costs.review_s
        n_new = min(len(unseen_idx), int(budget // costs.new_s)) if new_gain > 0 else 0
        budget -= n_new * costs.new_s
        n_rev = min(int((gain > 0).sum()), n_rev + int(budget // costs.review_s))
        if n_rev < len(cand):
            first = np.argpartition(rt_now, n_rev)[:n_rev] if n_rev else np.zeros(0, dtype=int)
            chosen = cand[first[np.argsort(rt_now[first], kind="stable")]]
        else:
            chosen = cand[np.argsort(rt_now, kind="stable")]
        if len(chosen):
            r = model.recall(day - last[chosen], s[chosen])
            ok = r >= 0.5
            s_next = np.where(
                ok,
                model.recall_stability(d[chosen], s[chosen], r, 3),
                model.forget_stability(d[chosen], s[chosen], r),
            )
            d[chosen] = model.next_difficulty(d[chosen], np.where(ok, 3, 1))
            s[chosen] = s_next
            last[chosen] = day
            due[chosen] = day + np.maximum(1, np.round(model.interval(s_next, retention)))
        if n_new:
            picked = np.asarray(unseen_idx[:n_new])
            del unseen_idx[:n_new]
            seen[picked] = True
            s[picked] = s_new
            d[picked] = d_new
            last[picked] = day
            due[picked] = day + max(1, round(float(model.interval(s_new, retention))))
        due = np.minimum(due, T - 1)
        daily.append((n_new, n_rev))
        if len(seen):
            curve.append(float(np.where(seen, model.recall(T - last, s), 0.0).mean()))
        else:
            curve.append(float("nan"))
    final = np.where(seen, model.recall(T - last, s), 0.0)
    return daily, float(final.mean()) if len(final) else 0.0


def _reference_plan(store: Store, st_: Settings, now: datetime, interview: date) -> dict[str, Any]:
    today = planning.study_date(now, st_.rollover_hour)
    days_left = (interview - today).days
    model = Model(st_.parameters or DEFAULT_PARAMETERS)
    cards = _reference_load(store, now, st_.rollover_hour)
    r = model.recall(float(days_left) - np.floor(cards.last_day), cards.stability)
    recall = np.where(cards.seen, r, 0.0)
    topics = {}
    for deck in sorted(set(cards.decks)):
        mask = np.array([d == deck for d in cards.decks])
        topics[deck] = (recall[mask].mean(), cards.seen[mask].mean(), int(mask.sum()))
    curve: list[float] = []
    daily, planned = [], float(recall.mean()) if len(recall) else 0.0
    if days_left > 0:
        costs = planning.costs_from_log(store, len(st_.learning_steps_min))
        daily, planned = _reference_simulate(
            model,
            cards,
            days_left,
            budget_s=st_.minutes_per_day * 60.0,
            costs=costs,
            retention=st_.desired_retention,
            curve=curve,
        )
    idx = np.flatnonzero(cards.seen)
    cram = idx[np.argsort(recall[idx], kind="stable")]
    return {
        "readiness": float(recall.mean()) if len(recall) else 0.0,
        "planned": planned,
        "curve": curve,
        "daily": daily,
        "topics": topics,
        "cram": [(cards.ids[i], float(recall[i])) for i in cram],
    }


def _reference_queue_order(store: Store, st_: Settings, now: datetime) -> list[str]:
    """Interview mode's review order as it was: every due review card as a row, ranked by the
    recall on the date computed per row."""
    start, end = day_bounds(now, st_.rollover_hour)
    rows = store.due_cards(
        state_in=(REVIEW,), due_before=to_ms(end), now_ms=to_ms(now), limit=100_000
    )
    interview = date.fromisoformat(st_.interview_date or "")
    model = Model(st_.parameters or DEFAULT_PARAMETERS)
    days_left = (interview - planning.study_date(now, st_.rollover_hour)).days
    start_ms = to_ms(start)
    last = np.array(
        [np.floor(((r.last_review or start_ms) - start_ms) / DAY_MS) for r in rows], dtype=float
    )
    s = np.array([r.stability or 1.0 for r in rows], dtype=float)
    if len(rows) < 2:
        return [r.card_id for r in rows]
    r = model.recall(days_left - last, s)
    return [rows[i].card_id for i in np.argsort(r, kind="stable")]


# ---------------------------------------------------------------------- random stores


@st.composite
def _stores(draw: Any) -> dict[str, Any]:
    n = draw(st.integers(0, 60))
    cards = []
    for i in range(n):
        kind = draw(st.sampled_from(["new", "review", "review", "review", "learning", "odd"]))
        cards.append(
            {
                "id": f"c{draw(st.integers(0, 10**6)):07d}-{i}",  # scan order ≠ deck order
                "deck": draw(st.sampled_from(["a", "b", "c"])),
                "kind": kind,
                "suspended": draw(st.booleans()) and draw(st.booleans()),
                "s": draw(st.floats(0.05, 400.0)),
                "d": draw(st.floats(1.0, 10.0)),
                "ago": draw(st.floats(0.0, 200.0)),  # days since the last review
                "due": draw(st.integers(-60, 120)),  # days from now
            }
        )
    return {
        "cards": cards,
        "logs": draw(st.integers(0, 60)),
        "minutes": draw(st.integers(1, 90)),
        "retention": draw(st.sampled_from([0.7, 0.85, 0.9, 0.97])),
        "parameters": draw(st.sampled_from([None, tuple(TRUE_PARAMETERS)])),
        "days": draw(st.integers(0, 45)),
        "seconds": draw(st.integers(1_000, 60_000)),
        "limit": draw(st.integers(0, 40)),  # reviews per day
    }


def _build(spec: dict[str, Any]) -> Store:
    store = Store.open(":memory:")
    cards = spec["cards"]
    store.sync_cards("x", ((c["id"], c["deck"], i) for i, c in enumerate(cards)))
    now_ms = to_ms(NOW)
    with store.transaction():
        for c in cards:
            state = {"new": 0, "review": 2, "learning": 1, "odd": 2}[c["kind"]]
            studied = c["kind"] != "new"
            store.conn.execute(
                "UPDATE card SET state = ?, stability = ?, difficulty = ?, due = ?, "
                "last_review = ?, suspended = ? WHERE card_id = ?",
                (
                    state,
                    c["s"] if studied and c["kind"] != "odd" else None,  # odd: no memory state
                    c["d"] if studied else None,
                    now_ms + c["due"] * DAY_MS if studied else None,
                    now_ms - round(c["ago"] * DAY_MS) if studied else None,
                    int(c["suspended"]),
                    c["id"],
                ),
            )
        state = json.dumps({"state": 2})
        for i in range(spec["logs"]):  # the user's seconds per review (20 or more: used)
            store.conn.execute(
                "INSERT INTO review_log (card_id, deck_id, rating, reviewed_at, duration_ms, "
                "state_before, state_after) VALUES ('x', 'a', 3, ?, ?, ?, ?)",
                (now_ms - i * DAY_MS, spec["seconds"], state, state),
            )
    return store


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_stores())
def test_the_fast_plan_is_the_per_card_plan(spec: dict[str, Any]) -> None:
    store = _build(spec)
    try:
        st_ = Settings(
            minutes_per_day=spec["minutes"],
            desired_retention=spec["retention"],
            parameters=spec["parameters"],
        )
        interview = planning.study_date(NOW, st_.rollover_hour) + timedelta(days=spec["days"])
        ref = _reference_plan(store, st_, NOW, interview)
        plan = planning.make_plan(store, None, st_, NOW, interview, with_ids=True)
        bare = planning.make_plan(store, None, st_, NOW, interview)
        if spec["days"] >= 1:  # sessions follow the plan: today's queue
            mode = replace(st_, interview_date=interview.isoformat(), reviews_per_day=spec["limit"])
            assert planning.new_today(store, mode, NOW) == ref["daily"][0][0]
            queue = build_queue(store, mode, NOW)
            order = _reference_queue_order(store, mode, NOW)
            left = spec["limit"] - store.reviewed_since(to_ms(day_bounds(NOW, 4)[0]))["review"]
            assert [r.card_id for r in queue.review] == order[: max(0, left)]
    finally:
        store.close()
    assert plan.readiness == pytest.approx(ref["readiness"], abs=1e-9)
    # without the ids (what every caller but the cram list reads): the same numbers
    assert (bare.readiness, bare.curve, bare.daily) == (plan.readiness, plan.curve, plan.daily)
    assert bare.topics == plan.topics and bare.cards.ids is None
    assert plan.planned_readiness == pytest.approx(ref["planned"], abs=1e-9)
    assert [(d.new, d.reviews) for d in plan.daily] == ref["daily"]
    if plan.cards.total:
        assert plan.curve == pytest.approx(ref["curve"], abs=1e-9)
    else:  # the reference's curve was NaN here (a mean of nothing), which no caller could draw
        assert plan.curve == [0.0] * len(ref["curve"])
    topics = {t.topic: (t.readiness, t.coverage, t.cards) for t in plan.topics}
    assert set(topics) == set(ref["topics"])
    for deck, (r, cov, n) in ref["topics"].items():
        assert topics[deck][2] == n
        assert topics[deck][0] == pytest.approx(r, abs=1e-9)
        assert topics[deck][1] == pytest.approx(cov, abs=1e-9)
    cram = planning.cram_list(plan, len(spec["cards"]) + 1)
    assert [c for c, _ in cram] == [c for c, _ in ref["cram"]]
    assert [r for _, r in cram] == pytest.approx([r for _, r in ref["cram"]], abs=1e-9)


# ---------------------------------------------------------------------- the simulation alone


def _random_cards(rng: np.random.Generator, n: int, share_seen: float) -> _RefCards:
    seen = rng.random(n) < share_seen
    stab = np.where(seen, rng.uniform(0.1, 300, n), 1.0)
    last = np.where(seen, -rng.uniform(0, 120, n), 0.0)
    due = np.where(seen, np.maximum(0, rng.integers(-30, 60, n)), 0).astype(float)
    diff = np.where(seen, rng.uniform(1, 10, n), 5.0)
    ids = [str(i) for i in range(n)]
    return _RefCards(ids, ["d"] * n, seen, stab, diff, last, due, rng.permutation(n))


@pytest.mark.parametrize("seed", range(12))
def test_new_cards_counted_not_loaded_plan_the_same(seed: int) -> None:
    """The same cards, the never-studied ones either in the arrays or only counted; budgets
    from one review a day to a backlog-clearing one (the chunked valuing and its bound)."""
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 9000))
    ref_cards = _random_cards(rng, n, float(rng.uniform(0.2, 1.0)))
    keep = np.flatnonzero(ref_cards.seen)
    fast = planning.Cards(
        [ref_cards.ids[i] for i in keep],
        ["d"] * len(keep),
        ref_cards.seen[keep],
        ref_cards.stability[keep],
        ref_cards.difficulty[keep],
        ref_cards.last_day[keep],
        ref_cards.due_day[keep],
        new=n - len(keep),
    )
    model = Model(DEFAULT_PARAMETERS if seed % 2 else TRUE_PARAMETERS)
    costs = Costs(float(rng.uniform(3, 20)), float(rng.uniform(10, 60)))
    days = int(rng.integers(1, 60))
    budget = float(rng.choice([30.0, 600.0, 1800.0, 7200.0, 86_400.0]))
    kw: dict[str, Any] = {"budget_s": budget, "costs": costs, "retention": 0.9}
    ref_curve: list[float] = []
    ref = _reference_simulate(model, ref_cards, days, curve=ref_curve, **kw)
    for cards in (fast, replace_cards(ref_cards)):
        curve: list[float] = []
        got = planning.simulate_plan(model, cards, days, curve=curve, **kw)
        assert got[0] == ref[0]
        assert got[1] == pytest.approx(ref[1], abs=1e-9)
        assert curve == pytest.approx(ref_curve, abs=1e-9)


def replace_cards(c: _RefCards) -> planning.Cards:
    """The reference's own arrays, never-studied cards included, as `planning.Cards`."""
    return planning.Cards(
        c.ids, c.decks, c.seen, c.stability, c.difficulty, c.last_day, c.due_day, c.position
    )


def test_the_day_counts_stop_early_only_when_settled() -> None:
    """A backlog where most due cards are safe on the date: the fast count values only the
    unsafe ones and one chunk, and still gives the reference's numbers."""
    n = 30_000
    rng = np.random.default_rng(5)
    cards = _RefCards(
        [str(i) for i in range(n)],
        ["d"] * n,
        np.ones(n, dtype=bool),
        rng.uniform(50, 400, n),  # safe on the date
        rng.uniform(1, 10, n),
        -rng.uniform(1, 30, n),
        np.zeros(n),
    )
    cards.stability[:500] = rng.uniform(0.2, 2.0, 500)  # a few that are not
    model = Model(DEFAULT_PARAMETERS)
    kw: dict[str, Any] = {"budget_s": 1800.0, "costs": Costs(10.0, 25.0), "retention": 0.9}
    ref_curve: list[float] = []
    ref = _reference_simulate(model, cards, 20, curve=ref_curve, **kw)
    curve: list[float] = []
    got = planning.simulate_plan(model, replace_cards(cards), 20, curve=curve, **kw)
    assert got[0] == ref[0] and got[1] == pytest.approx(ref[1], abs=1e-9)
    assert curve == pytest.approx(ref_curve, abs=1e-9)
