"""Small English helpers shared by the screens and the CLI: "1 card", "3 cards", never "card(s)".

Pure (no Textual): the CLI's text output and the TUI say the same words.
"""

from __future__ import annotations

_IRREGULAR = {"quiz": "quizzes", "day": "days", "mistake": "mistakes"}


def plural(n: int, word: str, many: str | None = None) -> str:
    """`plural(1, "card")` → "1 card", `plural(3, "quiz")` → "3 quizzes"."""
    if n == 1:
        return f"{n} {word}"
    return f"{n} {many or _IRREGULAR.get(word, word + 's')}"
