"""Card info (`i` in review and browse): the card's FSRS state and its whole review history."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, cast

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from quizapp.scheduling import (
    RATING_NAMES,
    format_interval,
    from_ms,
    fsrs_retrievability,
    utcnow,
)
from quizapp.store import CardRow
from quizapp.widgets.guarded import FAILED, guarded_read

if TYPE_CHECKING:
    from quizapp.screens.host import AppHost

STATE_NAMES = {0: "new", 1: "learning", 2: "review", 3: "relearning"}
SHORT_STATE = {0: "new", 1: "learn", 2: "review", 3: "relearn"}


def local_time(ms: int | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    return "—" if ms is None else from_ms(ms).astimezone().strftime(fmt)


def relative(ms: int | None, now: datetime) -> str:
    """'in 3d' / '2h ago' / 'now', for due dates."""
    if ms is None:
        return "—"
    delta = from_ms(ms) - now
    if abs(delta.total_seconds()) < 60:
        return "now"
    return (
        f"in {format_interval(delta)}"
        if delta.total_seconds() > 0
        else (f"{format_interval(-delta)} ago")
    )


def card_status(row: CardRow, now: datetime, leech_threshold: int) -> str:
    """State plus what hides the card: suspended (leech when over the threshold), buried."""
    parts = [STATE_NAMES.get(row.state, str(row.state))]
    if row.suspended:
        leech = leech_threshold and row.lapses >= leech_threshold
        parts.append("suspended (leech)" if leech else "suspended")
    if row.buried_until is not None and row.buried_until > int(now.timestamp() * 1000):
        parts.append("buried")
    return ", ".join(parts)


class CardInfoScreen(ModalScreen[None]):
    """Everything the scheduler knows about one card. Escape or `i` closes it."""

    DEFAULT_CSS = """
    CardInfoScreen { align: center middle; }
    CardInfoScreen #info-box {
        width: 96%; max-width: 110; height: 92%;
        border: round $primary; background: $surface; padding: 0 1;
    }
    CardInfoScreen #info-history { height: auto; margin-top: 1; }
    """
    BINDINGS = [
        Binding("escape", "close", "Close"),
        Binding("i", "close", "Close", show=False),
        Binding("q", "close", "Close", show=False),
        Binding("f", "forgetting_curve", "Forgetting curve"),
    ]

    def __init__(self, card_id: str) -> None:
        super().__init__()
        self.card_id = card_id

    @property
    def quiz_app(self) -> AppHost:
        return cast("AppHost", self.app)

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="info-box"):
            yield Static(id="info-summary")
            yield DataTable(id="info-history", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        self.query_one("#info-box").border_title = f"Card {self.card_id}"
        self.query_one("#info-box").border_subtitle = "esc to close"
        self.refresh_info()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "forgetting_curve":
            row = self.quiz_app.session.store.card(self.card_id)
            return row is not None and row.stability is not None
        return True

    def action_forgetting_curve(self) -> None:
        """This card's FSRS forgetting curve, from its stability and the desired retention."""
        from quizapp.screens.figure import FigureScreen

        session = self.quiz_app.session
        row = session.store.card(self.card_id)
        if row is None or row.stability is None:
            return
        stability = min(max(float(row.stability), 0.01), 36500.0)
        retention = min(max(float(session.settings.desired_retention), 0.5), 0.99)
        days = int(min(max(3 * stability, 7), 3650))
        self.app.push_screen(
            FigureScreen(
                "forgetting_curve", 0, stability=round(stability, 2), days=days, retention=retention
            )
        )

    def refresh_info(self) -> None:
        session = self.quiz_app.session
        now = utcnow()
        summary = self.query_one("#info-summary", Static)
        row = guarded_read(self, "read this card", lambda: session.store.card(self.card_id))
        if row is FAILED:
            summary.update("This card could not be read from the database (see the message).")
            return
        if row is None:
            summary.update(f"No card with id [b]{self.card_id}[/b] in this database.")
            return
        card = self._model()
        deck = session.catalog.deck(row.deck_id)
        lines = []
        if card is not None:
            prompt = (card.prompt_text or "").strip().splitlines()[0:1]
            lines.append(f"[b]{_escape(prompt[0] if prompt else card.id)}[/b]")
            tags = ", ".join(card.tags) or "no tags"
            lines.append(f"{card.type} · {_escape(tags)}")
        lines.append(f"Deck: {_escape(deck.title if deck else row.deck_id)}")
        if not row.present:
            lines.append("[i]No longer in the deck files (its history is kept).[/i]")
        r = fsrs_retrievability(session.scheduler, row, now)
        lines += [
            "",
            f"State        {card_status(row, now, session.settings.leech_threshold)}",
            f"Due          {local_time(row.due)} ({relative(row.due, now)})",
            f"Stability    {_num(row.stability, 'd')}    "
            f"Difficulty {_num(row.difficulty, '')} (1–10)",
            f"Recall now   {'—' if r is None else f'{r:.0%}'} (FSRS retrievability)",
            f"Reviews      {row.reps}    Lapses {row.lapses}    "
            f"Last review {local_time(row.last_review)}",
        ]
        if row.buried_until and row.buried_until > int(now.timestamp() * 1000):
            lines.append(f"Buried until {local_time(row.buried_until)}")
        summary.update("\n".join(lines))
        table = self.query_one("#info-history", DataTable)
        table.clear(columns=True)
        for label in ("Date", "Rating", "State", "Interval", "Stability", "Time"):
            table.add_column(label, key=label.lower())
        try:
            logs = guarded_read(
                self, "read this card's history", lambda: session.store.review_logs(self.card_id)
            )
        except (TypeError, ValueError) as exc:  # a damaged log row must not crash the screen
            table.add_row(f"history unreadable: {exc}", "", "", "", "", "")
            return
        if logs is FAILED:
            table.add_row("history unreadable (see the message)", "", "", "", "", "")
            return
        for log in reversed(logs):  # newest first
            after = log.state_after
            interval = (
                format_interval(from_ms(after.due) - from_ms(log.reviewed_at))
                if after.due is not None
                else "—"
            )
            table.add_row(
                local_time(log.reviewed_at, "%y-%m-%d %H:%M"),
                Text(
                    RATING_NAMES.get(log.rating, str(log.rating)),
                    style=self.app.theme_variables.get(_RATING_COLOUR.get(log.rating, ""), ""),
                ),
                f"{SHORT_STATE.get(log.state_before.state, '?')}→"
                f"{SHORT_STATE.get(after.state, '?')}",
                interval,
                _num(after.stability, "d"),
                "—" if log.duration_ms is None else f"{log.duration_ms / 1000:.0f}s",
            )
        if not logs:
            table.add_row("never reviewed", "", "", "", "", "")

    def _model(self) -> Any:
        try:
            return self.quiz_app.session.catalog.card(self.card_id)
        except (KeyError, ValueError):
            return None

    def action_close(self) -> None:
        self.dismiss(None)


# The review screen's rating colours (theme variables, so the history follows the theme).
_RATING_COLOUR = {1: "text-error", 2: "text-warning", 3: "text-success", 4: "text-primary"}


def _num(x: float | None, unit: str) -> str:
    return "—" if x is None else f"{x:.2f}{unit}" if x < 10 else f"{x:.1f}{unit}"


def _escape(text: str) -> str:
    from textual.markup import escape

    return escape(text)
