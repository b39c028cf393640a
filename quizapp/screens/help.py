"""`?`: the keys, and how review and scheduling work, in one screen."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Markdown

HELP = """\
# quizapp — keys

**Everywhere** · `?` this help · `ctrl+p` command palette (review or quiz one deck, drills,
coding tasks, theme) · `ctrl+q` quit — every answer is already saved.

**Home** · `r` review everything due · `enter` review the deck under the cursor · `q` quiz
(the deck under the cursor, or all) · `d` numeric drills · `c` coding tasks · `s` statistics ·
`b` browse and search cards · `o` settings.

**Review**
- `space` show the answer (basic cards)
- `a`–`f` pick options of a multiple-choice card, then `enter`
- type an answer (typed, cloze, numeric cards), then `enter` (`enter` alone shows the answer)
- `enter` on a code card opens the editor
- `1` `2` `3` `4` rate Again / Hard / Good / Easy — each button shows the next interval
- `enter` after the answer accepts the suggested rating (Good when there is none)
- `o` after a typed answer was marked wrong: count it as right (recorded as your override)
- `u` undo the last rating · `i` card info and history · `!` suspend · `-` bury till tomorrow
- `escape` end the session and see the summary

**Quiz** · answer as in review; `space` then `y` / `n` grades an open question yourself;
`o` counts a rejected typed answer as right; `enter` goes on · `escape` ends the quiz and shows
your mistakes.

**Drills** · type the answer and `enter` · `s` show the worked solution · `n` next problem.

## How scheduling works
Cards are scheduled with **FSRS-6**: *Again* means you forgot and the card comes back in minutes;
*Hard*, *Good* and *Easy* push it further out. The interval on a button is exactly what that rating
does. Your day starts at 4 am local time; new cards and reviews have daily limits (20 and 200).
Checked answers suggest a rating (Good when right, Again when wrong); you can always pick another.
Quizzes never change the schedule unless you turn on `quiz.counts_as_review`.
"""


class HelpScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape,q,question_mark", "dismiss", "Close"),
    ]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            yield Markdown(HELP)
