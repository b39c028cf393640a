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

Computed from the server's per-learner-card summary (`store_pg.learner_card`, kept up to date by
each push), aggregated on the server one query per section (totals, topics, weakest cards):
its cost is learners x cards on the server and learners x topics here, not the number of
reviews. `retrievability` is the same curve in Python, the oracle the SQL is tested against.
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
    """The report's dict (the shape `quizapp class report --json` prints), from one snapshot."""
    with server.snapshot():
        return _report(server, now)


def _report(server: Any, now: datetime | None) -> dict[str, Any]:
    now_ms = to_ms(now or utcnow())
    decay = float(Settings().scheduler().parameters[20])  # FSRS-6 w20, the curve's decay
    totals = {r[0]: r[1:] for r in server.learner_totals()}
    passed = server.tasks_passed()
    topic_cards = server.topic_cards()
    per_topic: dict[str, list[tuple[str, float, int]]] = defaultdict(list)
    for learner, deck, total_r, studied in server.learner_topics(now_ms, decay):
        per_topic[learner].append((deck, total_r, studied))
    weakest: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for deck, card_id, reviews, rate in server.weakest_cards(MIN_REVIEWS, WEAKEST):
        weakest[deck].append({"card_id": card_id, "reviews": int(reviews), "again_rate": rate})
    learners = sorted(set(server.learners()) | set(passed) | set(totals))
    out_learners = []
    topic_readiness: dict[str, list[float]] = defaultdict(list)
    for name in learners:
        reviews, rt, rp = totals.get(name, (0, 0, 0))
        topics = []
        for deck, total_r, studied in per_topic.get(name, ()):
            readiness = round(total_r / topic_cards[deck], 4)
            topic_readiness[deck].append(readiness)
            topics.append({"topic": deck, "readiness": readiness, "cards_studied": int(studied)})
        out_learners.append(
            {
                "learner": name,
                "reviews": int(reviews),
                "retention": round(rp / rt, 4) if rt else None,
                "tasks_passed": passed.get(name, 0),
                "topics": topics,
            }
        )
    out_topics = []
    for deck in sorted(topic_cards):
        values = topic_readiness[deck]
        out_topics.append(
            {
                "topic": deck,
                "cards": topic_cards[deck],
                "learners": len(values),
                "readiness": round(sum(values) / len(values), 4) if values else None,
                "weakest": weakest.get(deck, []),
            }
        )
    return {"learners": out_learners, "topics": out_topics}
