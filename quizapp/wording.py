"""Small English helpers shared by the screens and the CLI: "1 card", "3 cards", never "card(s)".

Pure (no Textual): the CLI's text output and the TUI say the same words.
"""

from __future__ import annotations


def plural(n: int, word: str, many: str | None = None) -> str:
    """`plural(1, "card")` → "1 card", `plural(3, "recent quiz")` → "3 recent quizzes"."""
    if n == 1:
        return f"{n} {word}"
    if many is None:
        if word.endswith("quiz"):
            many = word + "zes"
        elif word.endswith(("s", "x", "ch", "sh")):
            many = word + "es"
        else:
            many = word + "s"
    return f"{n} {many}"
