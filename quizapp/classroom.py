"""The class report: what an instructor opens before a session.

Per learner: reviews, true retention (ratings > 1 of cards that were in Review), readiness per
topic, coding tasks passed. Per topic: the class's readiness and its weakest cards.

Definitions (docs and tests use these):
- topic = deck id;
- a learner's readiness on a topic = the sum of FSRS retrievability now over the cards of
  that topic they studied, divided by the number of cards of that topic anyone in the class
  studied (an unstudied card counts 0, so studying more raises readiness);
- a topic's readiness = the mean over learners who studied it;
- weakest cards = most "Again" ratings per review across the class (at least 3 reviews), top 5.

Computed from the server's per-learner-card summary (`store_pg.learner_card`), so its cost is
learners x cards, not the number of reviews.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any

from quizapp.scheduling import Settings, to_ms, utcnow

WEAKEST = 5
MIN_REVIEWS = 3


def retrievability(
    state: int | None, stability: float | None, last_review: int | None, now_ms: int, decay: float
) -> float:
    """FSRS-6's forgetting curve, as `fsrs.Scheduler.get_card_retrievability` computes it
    (whole elapsed days), without building a Card per row: the report has one per learner-card."""
    if not state or stability is None or last_review is None or stability <= 0:
        return 0.0
    factor = 0.9 ** (1 / -decay) - 1
    days = max(0, (now_ms - last_review) // 86_400_000)
    return float((1 + factor * days / stability) ** -decay)


def class_report(server: Any, now: datetime | None = None) -> dict[str, Any]:
    now_ms = to_ms(now or utcnow())
    decay = float(Settings().scheduler().parameters[20])  # FSRS-6 w20, the curve's decay
    rows = server.learner_cards()
    passed = server.tasks_passed()
    learners = sorted(set(server.learners()) | set(passed))
    topic_cards: dict[str, set[str]] = defaultdict(set)
    card_stats: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    per: dict[str, dict[str, Any]] = {
        name: {"reviews": 0, "rt": 0, "rp": 0, "topics": defaultdict(lambda: [0.0, 0])}
        for name in learners
    }
    for learner, card_id, deck_id, reviews, agains, rt, rp, state, stab, last in rows:
        topic_cards[deck_id].add(card_id)
        stats = card_stats[(deck_id, card_id)]
        stats[0] += reviews
        stats[1] += agains
        p = per[learner]
        p["reviews"] += reviews
        p["rt"] += rt
        p["rp"] += rp
        p["topics"][deck_id][0] += retrievability(state, stab, last, now_ms, decay)
        p["topics"][deck_id][1] += 1
    out_learners = []
    topic_readiness: dict[str, list[float]] = defaultdict(list)
    for name in learners:
        p = per[name]
        topics = []
        for deck in sorted(p["topics"]):
            total_r, studied = p["topics"][deck]
            readiness = round(total_r / len(topic_cards[deck]), 4)
            topic_readiness[deck].append(readiness)
            topics.append({"topic": deck, "readiness": readiness, "cards_studied": studied})
        out_learners.append(
            {
                "learner": name,
                "reviews": p["reviews"],
                "retention": round(p["rp"] / p["rt"], 4) if p["rt"] else None,
                "tasks_passed": passed.get(name, 0),
                "topics": topics,
            }
        )
    out_topics = []
    for deck in sorted(topic_cards):
        weak: list[dict[str, Any]] = [
            {"card_id": cid, "reviews": n, "again_rate": round(a / n, 4)}
            for (d, cid), (n, a) in card_stats.items()
            if d == deck and n >= MIN_REVIEWS and a > 0
        ]
        weak.sort(key=lambda w: (-float(w["again_rate"]), -int(w["reviews"]), str(w["card_id"])))
        values = topic_readiness[deck]
        out_topics.append(
            {
                "topic": deck,
                "cards": len(topic_cards[deck]),
                "learners": len(values),
                "readiness": round(sum(values) / len(values), 4) if values else None,
                "weakest": weak[:WEAKEST],
            }
        )
    return {"learners": out_learners, "topics": out_topics}
