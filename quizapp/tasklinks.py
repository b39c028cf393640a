"""Code failures feed review: coding tasks and the cards that teach their concept, linked.

A card teaches a task's concept when it is the task's code card (`task:`) or names the task in
its `tasks:` list (in the deck file, so authors keep the links next to the content). Every task
in the catalog is reachable from at least one card (a test holds the shipped decks to it).

- A failed attempt makes the linked cards the user has already studied due now: the concept
  needs another look, not just the code. New cards stay new (the daily new-card order decides).
- A pass that follows a failed attempt counts as a review of the task's code card, rated Hard
  (recalled, with serious effort), through the same preview/commit path as a review session.
When the editor was opened from a review or a quiz, the caller rates (or, for a quiz, leaves
the schedule alone), so nothing here runs.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

HARD = 2


@dataclass(frozen=True)
class Feedback:
    made_due: tuple[str, ...] = ()
    reviewed: str | None = None  # the code card rated for a pass after failures

    def messages(self) -> list[str]:
        """What the CLI prints and the code screen notifies, in the same words."""
        from quizapp.wording import plural

        lines = []
        if self.made_due:
            verb = "is" if len(self.made_due) == 1 else "are"
            lines.append(
                f"{plural(len(self.made_due), 'card')} on this concept {verb} due for review."
            )
        if self.reviewed:
            lines.append(f"Passed after a failure: counted as a Hard review of {self.reviewed}.")
        return lines


def _entries(catalog: Any) -> Iterable[tuple[str, dict[str, Any]]]:
    raw = getattr(catalog, "raw_index", None)
    if isinstance(raw, dict) and raw:
        yield from raw.items()
        return
    for _deck, card in catalog.cards():
        yield card.id, card.model_dump(mode="json")


def links(catalog: Any) -> dict[str, list[str]]:
    """task id -> the card ids that teach it: its code cards first, then the others, in deck
    order."""
    code: dict[str, list[str]] = {}
    other: dict[str, list[str]] = {}
    for cid, entry in _entries(catalog):
        if entry.get("type") == "code" and entry.get("task"):
            code.setdefault(entry["task"], []).append(cid)
        for task in entry.get("tasks") or ():
            other.setdefault(task, []).append(cid)
    return {t: code.get(t, []) + other.get(t, []) for t in {*code, *other}}


def code_card(catalog: Any, task_id: str) -> str | None:
    for cid, entry in _entries(catalog):
        if entry.get("type") == "code" and entry.get("task") == task_id:
            return cid
    return None


def after_attempt(session: Any, task_id: str, passed: bool, now: datetime) -> Feedback:
    """Call after an attempt is recorded (outside a review or quiz)."""
    from quizapp.clock import to_ms

    store = session.store
    if not passed:
        cards = links(session.catalog).get(task_id, [])
        return Feedback(made_due=tuple(store.make_due(cards, to_ms(now))))
    recent = store.recent_results(task_id, 2)  # this attempt, then the one before it
    if len(recent) < 2 or recent[1]:
        return Feedback()
    cid = code_card(session.catalog, task_id)
    row = store.card(cid) if cid else None
    if row is None or row.suspended:
        return Feedback()
    outcome = session.preview(row, now)[HARD]
    session.rate(row, outcome, now, duration_ms=None, origin="code")
    return Feedback(reviewed=cid)
