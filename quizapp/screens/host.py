"""What a screen may ask of the app that hosts it.

Screens talk to this small protocol, not to the concrete `QuizApp`: `quizapp.app` imports the
screens (lazily, per action), so a screen importing `quizapp.app` back, even only for typing,
would close an import circle. Anything `QuizApp` offers screens is listed here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from quizapp.session import Session


class AppHost(Protocol):
    """The app as screens see it: the open session and the actions that start a study mode."""

    session: Session

    def action_review(self, deck_ids: list[str] | None = None) -> None: ...

    def action_quiz(
        self,
        deck_ids: list[str] | None = None,
        count: int = 20,
        types: tuple[str, ...] | None = None,
        time_limit_min: float | None = None,
    ) -> None: ...
