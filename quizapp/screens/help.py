"""`?`: the keys, and how review and scheduling work, in one screen.

The per-screen key tables are built from each screen's own BINDINGS, so a key added to a
screen is listed here without anyone remembering to. They are one Static of aligned text, not
Markdown tables (a widget per cell made help take seconds to open).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Markdown, Static

HELP = """\
# quizapp — keys

**Everywhere** · `?` this help · `ctrl+p` command palette (review or quiz one deck, drills,
coding tasks, theme) · `ctrl+q` quit — every answer is already saved.

**Home** · `r` review everything due · `enter` review the deck under the cursor · `q` quiz
(asks: all decks or the one under the cursor, how many, which types, a time limit) ·
`d` numeric drills · `c` coding tasks · `s` statistics ·
`b` browse and search cards · `o` settings.

**Review**
- `space` show the answer (basic cards); on a chain card `space` shows one step's answer and
  `y` / `n` say whether you knew it, then the next follow-up appears
- `ctrl+f` the card's figure, drawn from the solvers (cards that name one; also in drills)
- `a`–`f` pick options of a multiple-choice card, then `enter`
- type an answer (typed, cloze, numeric cards), then `enter` (`enter` alone shows the answer)
- `enter` on a code card opens the editor
- `1` `2` `3` `4` rate Again / Hard / Good / Easy — each button shows the next interval
- `enter` after the answer accepts the suggested rating (Good when there is none)
- `o` after a typed answer was marked wrong: count it as right (recorded as your override)
- `ctrl+z` undo the last rating (works while typing; `u` too when no answer box has focus;
  also in the command palette)
- `i` card info and history · `!` suspend · `-` bury till tomorrow
- arrows, `pageup` / `pagedown`, `home` / `end` scroll a long card
- `escape` end the session and see the summary

**Quiz** · answer as in review; `space` then `y` / `n` grades an open question yourself;
`o` counts a rejected typed answer as right; `enter` goes on · `ctrl+z` takes back your last
answer and asks that question again (also in the command palette) · `escape` asks, then ends
the quiz and shows your mistakes.

**Drills** · type the answer and `enter` · `enter` alone or `ctrl+g` gives up and shows the
worked solution · `s` show it, `n` next problem (when the answer box is not focused).

## How scheduling works
Cards are scheduled with **FSRS-6**: *Again* means you forgot and the card comes back in minutes;
*Hard*, *Good* and *Easy* push it further out. The interval on a button is exactly what that rating
does. Your day starts at 4 am local time; new cards and reviews have daily limits (20 and 200).
Checked answers suggest a rating (Good when right, Again when wrong); you can always pick another.
Quizzes never change the schedule unless you turn on `quiz.counts_as_review`.
"""


def _screens() -> list[tuple[str, type[Any]]]:
    """Every screen a user meets, in the order they meet them (imported here, not at start-up)."""
    from quizapp.screens.browse import BrowseScreen
    from quizapp.screens.card_info import CardInfoScreen
    from quizapp.screens.drill import DrillScreen
    from quizapp.screens.home import HomeScreen
    from quizapp.screens.quiz import QuizScreen
    from quizapp.screens.quiz_setup import QuizSetupScreen
    from quizapp.screens.review import ReviewScreen
    from quizapp.screens.settings import SettingsScreen
    from quizapp.screens.stats import StatsScreen

    screens: list[tuple[str, type[Any]]] = [
        ("Home", HomeScreen),
        ("Review", ReviewScreen),
        ("Quiz: what to quiz", QuizSetupScreen),
        ("Quiz", QuizScreen),
        ("Drills", DrillScreen),
    ]
    try:
        from quizapp.screens.code import CodePracticeScreen, TaskListScreen

        screens += [("Coding tasks", TaskListScreen), ("Code editor", CodePracticeScreen)]
    except ImportError:  # a build without the grader
        pass
    screens += [
        ("Browse", BrowseScreen),
        ("Card info", CardInfoScreen),
        ("Settings", SettingsScreen),
        ("Statistics", StatsScreen),
    ]
    return screens


def key_rows(key_display: Callable[[Binding], str]) -> list[tuple[str, list[tuple[str, str]]]]:
    """Per screen: (keys, what they do) for every binding that has a description."""
    out: list[tuple[str, list[tuple[str, str]]]] = []
    for title, screen in _screens():
        rows: dict[str, list[str]] = {}
        for binding in screen.BINDINGS:
            if not isinstance(binding, Binding) or not binding.description:
                continue
            rows.setdefault(binding.description, [])
            shown = key_display(binding)
            if shown not in rows[binding.description]:
                rows[binding.description].append(shown)
        table = [(" / ".join(keys), what) for what, keys in rows.items()]
        table += EXTRA_KEYS.get(title, [])
        if table:
            out.append((title, table))
    return out


KEY_COLUMN = 16  # keys wider than this put their meaning on the next line
WHAT_COLUMN = 44  # what a key does, wrapped to fit the help box at 80 columns


def key_tables(key_display: Callable[[Binding], str]) -> Content:
    """Every screen's keys as one block of aligned text. One widget, not a Markdown table per
    screen: those were ~1,600 widgets and took seconds to open on a busy machine."""
    import textwrap

    from textual.markup import escape

    indent = " " * (2 + KEY_COLUMN + 2)
    lines = ["[b]Every key, screen by screen[/b]", ""]
    for title, rows in key_rows(key_display):
        lines.append(f"[b $accent]{escape(title)}[/]")
        for keys, what in rows:
            shown = f"  [b]{escape(keys)}[/b]"
            # wrapped here with a hanging indent, to fit the help box at 80 columns
            said = [escape(x) for x in textwrap.wrap(what, WHAT_COLUMN)] or [""]
            if len(keys) > KEY_COLUMN:
                lines.append(shown)
            else:
                said[0] = " " * (KEY_COLUMN - len(keys) + 2) + said[0]
                lines.append(shown + said.pop(0))
            lines += [indent + x for x in said]
        lines.append("")
    return Content.from_markup("\n".join(lines))


# Keys handled by a widget rather than a screen binding, listed by hand.
EXTRA_KEYS: dict[str, list[tuple[str, str]]] = {
    "Review": [("a–f", "pick / toggle a multiple-choice option")],
    "Quiz": [("a–f", "pick / toggle a multiple-choice option")],
    "Browse": [("↑ / ↓", "move through the cards; the preview shows the answer")],
    "Code editor": [
        ("^/", "comment / uncomment the selected lines"),
        ("enter", "new line, indented (one level more after a colon)"),
        ("tab / shift+tab", "indent / dedent"),
        ("^z / ^y", "undo / redo typing"),
        ("^g, then enter", "run one call of your own, e.g. f(np.ones(3), 0.1), in the sandbox"),
        ("f6, tab, then ← / → / home / end", "reach a wide code block and scroll it sideways"),
    ],
}


class HelpScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape,q,question_mark", "dismiss", "Close"),
    ]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            yield Markdown(HELP)
            yield Static(key_tables(self._key_display), id="help-keys")

    def _key_display(self, binding: Binding) -> str:
        keys = [self.app.get_key_display(Binding(k, "")) for k in binding.key.split(",")]
        return binding.key_display or " / ".join(dict.fromkeys(keys))
