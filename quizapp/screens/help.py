"""`?`: the keys, and how review and scheduling work, in one screen."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Markdown

HELP = """\
# quizapp — keys

| where | key | what it does |
|---|---|---|
| everywhere | `?` | this help |
| everywhere | `ctrl+p` | command palette: review a deck, coding tasks, theme … |
| everywhere | `ctrl+q` | quit (every rating is already saved) |
| home | `r` | review everything due today |
| home | `enter` | review the deck under the cursor |
| home | `c` | coding tasks |
| review | `space` | show the answer |
| review | `a`–`f` | toggle an option of a multiple-choice card; `enter` checks |
| review | `enter` | check a typed / numeric / cloze answer; open a coding task |
| review | `1` `2` `3` `4` | rate Again / Hard / Good / Easy (the buttons show the next interval) |
| review | `enter` / `space` after the answer | accept the suggested rating (Good when none) |
| review | `u` | undo the last rating |
| review | `escape` | end the session and see the summary |

## How scheduling works
Cards are scheduled with **FSRS-6** (the `fsrs` package): *Again* means you forgot; the card
comes back in minutes. *Hard*, *Good*, *Easy* push it further out, by how well you knew it.
The interval on each button is exactly what that rating will do. Your day starts at 4 am
local time; new cards and reviews have daily limits (20 and 200 by default).

Multiple-choice, typed, cloze and numeric cards are checked for you and a rating is
suggested (Good when right, Again when wrong); you can always pick another.
"""


class HelpScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape,q,question_mark", "dismiss", "Close"),
    ]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            yield Markdown(HELP)
