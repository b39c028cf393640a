"""How a chain card is rated: one judgement per step, one FSRS rating for the card.

A chain is an interviewer's line of questioning (an opening question and its follow-ups).
Each step is judged on its own (knew it / did not), because the follow-ups are where
candidates fail; the card is scheduled once, with a rating derived from the steps so a
chain is never marked Good when a follow-up was missed. The user can still override it with
1-4, as on every card.
"""

from __future__ import annotations

from collections.abc import Sequence

AGAIN, HARD, GOOD = 1, 2, 3


def chain_rating(known: Sequence[bool]) -> int:
    """Good when every step was known, Hard when at least half were, else Again.

    The opening question alone known (with every follow-up missed) is Again for a chain of
    three or more steps: knowing the textbook answer is not knowing the topic.
    """
    if not known:
        raise ValueError("a chain rating needs at least one judged step")
    right = sum(bool(k) for k in known)
    if right == len(known):
        return GOOD
    if 2 * right >= len(known):
        return HARD
    return AGAIN
