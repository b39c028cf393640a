"""Stats: today, a review heatmap, retention, a 30-day forecast, mastery, coding progress.

The numbers come from `quizapp.stats.compute` in a worker thread (~0.1 s even at 1M reviews,
but never on the UI thread), and the body is mounted with them (one layout, one paint); the
workload simulation runs after them, in its own worker, on a sample of at most 2,000 cards. The
two charts are small widgets that draw themselves with Unicode blocks in theme colours, so
they follow the theme and the width.
"""

from __future__ import annotations

import math
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, cast

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.color import Color
from textual.containers import VerticalScroll
from textual.markup import escape
from textual.reactive import reactive
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import DataTable, Header, Static
from textual.worker import Worker, WorkerState

from quizapp.stats import DayCount, Stats
from quizapp.widgets.footer import KeyFooter
from quizapp.wording import plural

WORKLOAD_DELAY_S = 1.0  # the simulation starts this long after the numbers are shown

if TYPE_CHECKING:
    from quizapp.screens.host import AppHost

WEEKDAY_LABELS = ("Mon", "", "Wed", "", "Fri", "", "Sun")
LEVEL_ALPHA = (0.0, 0.3, 0.55, 0.8, 1.0)
BLOCKS = " ▁▂▃▄▅▆▇█"


def _theme_colour(widget: Widget, name: str, fallback: str) -> Color:
    try:
        return Color.parse(widget.app.theme_variables.get(name, fallback))
    except Exception:  # a theme without the variable, or one we cannot parse
        return Color.parse(fallback)


def heat_level(n: int, peak: int) -> int:
    """0 for no reviews, else 1..4 by share of the busiest day shown (GitHub's quartiles)."""
    if n <= 0 or peak <= 0:
        return 0
    return max(1, min(4, math.ceil(4 * n / peak)))


class Heatmap(Widget):
    """GitHub-style calendar: weeks as columns, Monday on top; as many weeks as fit."""

    DEFAULT_CSS = """
    Heatmap { height: 9; }
    """
    days: reactive[list[DayCount]] = reactive(list, always_update=True)

    def weeks_that_fit(self) -> int:
        return max(1, min(53, (self.size.width - 4) // 2))

    def render(self) -> Text:
        days = self.days
        if not days:
            return Text("no data yet", style="dim")
        today = days[-1].day
        n_weeks = self.weeks_that_fit()
        first_monday = today - timedelta(days=today.weekday()) - timedelta(weeks=n_weeks - 1)
        counts = {d.day: d.reviews for d in days if d.day >= first_monday}
        peak = max(counts.values(), default=0)
        base = _theme_colour(self, "background", "#000000")
        accent = _theme_colour(self, "success", "#4EBF71")
        empty = _theme_colour(self, "panel", "#333333")
        styles = [empty.hex] + [base.blend(accent, a).hex for a in LEVEL_ALPHA[1:]]
        text = Text(no_wrap=True, overflow="crop")
        # Month labels where a month's first Monday column starts.
        header = [" "] * (4 + 2 * n_weeks)
        for w in range(n_weeks):
            monday = first_monday + timedelta(weeks=w)
            if monday.day <= 7:
                label = monday.strftime("%b")
                pos = 4 + 2 * w
                if all(c == " " for c in header[max(0, pos - 1) : pos + len(label)]):
                    header[pos : pos + len(label)] = label
        text.append("".join(header).rstrip() + "\n", style="dim")
        for weekday in range(7):
            text.append(f"{WEEKDAY_LABELS[weekday]:<4}", style="dim")
            for w in range(n_weeks):
                day = first_monday + timedelta(weeks=w, days=weekday)
                if day > today:
                    text.append("  ")
                    continue
                level = heat_level(counts.get(day, 0), peak)
                text.append("■", style=styles[level])
                text.append(" ")
            text.append("\n")
        total = sum(counts.values())
        text.append(f"{plural(total, 'review')} in {n_weeks} weeks   less ", style="dim")
        for s in styles:
            text.append("■", style=s)
        text.append(" more", style="dim")
        return text


class ForecastChart(Widget):
    """Due cards per day as a bar chart, two columns per day, with its scale and dates."""

    DEFAULT_CSS = """
    ForecastChart { height: 6; }
    """
    rows = 4
    values: reactive[list[int]] = reactive(list, always_update=True)
    start: reactive[date | None] = reactive(None)

    def render(self) -> Text:
        values = self.values
        if not values:
            return Text("")
        peak = max(values)
        colour = _theme_colour(self, "primary", "#0178D4").hex
        overdue = _theme_colour(self, "warning", "#FFA62B").hex
        text = Text(no_wrap=True, overflow="crop")
        label_w = max(3, len(str(peak)))
        for row in range(self.rows, 0, -1):
            label = str(peak) if row == self.rows else ""
            text.append(f"{label:>{label_w}} ", style="dim")
            for i, v in enumerate(values):
                eighths = round(8 * self.rows * v / peak) if peak else 0
                level = max(0, min(8, eighths - 8 * (row - 1)))
                if v and row == 1 and level == 0:
                    level = 1  # a day with anything due is never an empty column
                text.append(BLOCKS[level], style=overdue if i == 0 else colour)
                text.append(" ")
            text.append("\n")
        axis = [" "] * (2 * len(values))
        marks = [(0, "today"), (7, "+7d"), (14, "+14d"), (21, "+21d")]
        if len(values) > 28:
            marks.append((len(values) - 1 - 3, f"+{len(values) - 1}d"))
        for i, label in marks:
            pos = 2 * i
            if pos < len(axis) and all(c == " " for c in axis[pos : pos + len(label)]):
                axis[pos : pos + len(label)] = label
        text.append(" " * (label_w + 1) + "".join(axis).rstrip(), style="dim")
        return text


def _pct(rate: float | None) -> str:
    return "—" if rate is None else f"{rate:.0%}"


def _short(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _bar(share: float | None, width: int = 10) -> str:
    if share is None:
        return " " * width
    full = round(max(0.0, min(1.0, share)) * width)
    return "█" * full + "░" * (width - full)


class StatsScreen(Screen[None]):
    """Where the user stands. `r` recomputes; escape goes back."""

    DEFAULT_CSS = """
    StatsScreen #stats-body { padding: 0 1; }
    StatsScreen .stats-title { text-style: bold; color: $primary; margin-top: 1; }
    StatsScreen #stats-decks { height: auto; max-height: 14; }
    """
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("q", "app.pop_screen", "Back", show=False),
        Binding("r", "refresh_stats", "Refresh"),
        Binding("w", "workload_plot", "Workload plot"),
        Binding("i", "readiness_plot", "Readiness plot"),
    ]

    stats: Stats | None = None

    @property
    def quiz_app(self) -> AppHost:
        return cast("AppHost", self.app)

    def compose(self) -> ComposeResult:
        # The body is mounted once the numbers are in (`_mount_body`): laid out and painted
        # once, with them, instead of empty first and again with the numbers (each costs
        # about as much as computing the stats at 1M reviews, on the same GIL).
        yield Header()
        with VerticalScroll(id="stats-body"):
            yield Static("Computing…", id="stats-today")
        yield KeyFooter(compact=True)  # built once, not once per bindings refresh

    def _body(self) -> list[Widget]:
        table: DataTable[Any] = DataTable(id="stats-decks", cursor_type="none", zebra_stripes=True)
        table.add_column("Deck", key="deck")
        for label in ("Cards", "Studied", "Recall now", "Ret. 30d", "Ret. all"):
            table.add_column(label, key=label.lower())
        return [
            Static("Reviews per day", classes="stats-title"),
            Heatmap(id="stats-heatmap"),
            Static("Due in the next 30 days", classes="stats-title"),
            ForecastChart(id="stats-forecast"),
            Static(id="stats-forecast-text"),
            Static("Decks", classes="stats-title"),
            Static(id="stats-retention"),
            table,
            Static("Weakest topics", classes="stats-title"),
            Static(id="stats-tags"),
            Static("Coding tasks and quizzes", classes="stats-title"),
            Static(id="stats-coding"),
            Static("Personal FSRS", classes="stats-title"),
            Static("Simulating the workload…", id="stats-fsrs"),
            Static("Leeches", classes="stats-title"),
            Static(id="stats-leeches"),
        ]

    async def _mount_body(self) -> None:
        if not self.query("#stats-heatmap"):
            await self.query_one("#stats-body", VerticalScroll).mount_all(self._body())

    def on_mount(self) -> None:
        # After the first paint: a worker started before it takes the GIL from the paint and
        # back once per row read (each SQLite step releases it), slower for both.
        self.call_after_refresh(self.action_refresh_stats)

    def action_refresh_stats(self) -> None:
        # The workload simulation starts once the numbers are shown: at 100,000 cards it runs
        # for many seconds and, holding the GIL, would keep the stats worker from finishing.
        self._workload_after_stats = True
        self._compute()

    @work(thread=True, exclusive=True, exit_on_error=False, group="workload")
    def _workload(self) -> str:
        from quizapp.workload import fsrs_summary

        session = self.quiz_app.session
        return fsrs_summary(session.store, session.settings)

    def action_workload_plot(self) -> None:
        """The workload curve (FSRS simulator on your cards) as a figure; computed in a worker."""
        self.notify("Simulating the workload…", timeout=3)
        self._workload_figure()

    @work(thread=True, exclusive=True, exit_on_error=False, group="workload-figure")
    def _workload_figure(self) -> Any:
        from quizapp.figures import workload_figure
        from quizapp.workload import workload

        session = self.quiz_app.session
        w = workload(session.store, session.settings)
        return workload_figure(w, float(session.settings.desired_retention))

    def action_readiness_plot(self) -> None:
        """Readiness on the interview date after each day of the plan, as a figure."""
        if not self.quiz_app.session.settings.interview_date:
            self.notify(
                "No interview date: set one in Settings (o) or with `quizapp plan --save`.",
                timeout=5,
            )
            return
        self._readiness_figure()

    @work(thread=True, exclusive=True, exit_on_error=False, group="readiness-figure")
    def _readiness_figure(self) -> Any:
        from datetime import date

        from quizapp.figures import readiness_figure
        from quizapp.planning import make_plan
        from quizapp.scheduling import utcnow

        session = self.quiz_app.session
        interview = date.fromisoformat(session.settings.interview_date or "")
        plan = make_plan(session.store, session.catalog, session.settings, utcnow(), interview)
        return readiness_figure(plan)

    @work(thread=True, exclusive=True, exit_on_error=False, group="stats")
    def _compute(self) -> Stats:
        from quizapp.scheduling import utcnow
        from quizapp.stats import compute

        # Read-only queries on the session's connection: sqlite3 here is serialized
        # (threadsafety 3) and the store was opened with check_same_thread=False.
        session = self.quiz_app.session
        return compute(
            session.store,
            session.catalog,
            session.settings,
            utcnow(),
            scheduler=session.scheduler,
            cache_dir=session.cache_dir,
        )

    async def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group in ("workload-figure", "readiness-figure"):
            if event.state == WorkerState.SUCCESS:
                from quizapp.screens.figure import FigureScreen

                self.app.push_screen(FigureScreen(figure=event.worker.result))
            elif event.state == WorkerState.ERROR:
                what = "Workload" if event.worker.group == "workload-figure" else "Readiness"
                self.notify(f"{what}: {event.worker.error}", severity="error")
            return
        if event.worker.group == "workload" and event.state == WorkerState.SUCCESS:
            self.query_one("#stats-fsrs", Static).update(escape(str(event.worker.result)))
        elif event.worker.group == "workload" and event.state == WorkerState.ERROR:
            self.query_one("#stats-fsrs", Static).update(f"Workload: {event.worker.error}")
        if event.worker.group != "stats":
            return
        if event.state not in (WorkerState.SUCCESS, WorkerState.ERROR):
            return
        with self.app.batch_update():  # the body and its numbers in one paint
            await self._mount_body()
            if event.state == WorkerState.SUCCESS:
                self.show(cast(Stats, event.worker.result))
            else:
                self.query_one("#stats-today", Static).update(
                    f"[b]Could not compute the stats:[/b] {event.worker.error}"
                )
        if getattr(self, "_workload_after_stats", False):
            self._workload_after_stats = False
            # Counted from the paint of the numbers: the simulator holds the GIL while it runs.
            self.call_after_refresh(self.set_timer, WORKLOAD_DELAY_S, self._workload)

    def show(self, st: Stats) -> None:
        self.stats = st
        t = st.today
        minutes = t.time_ms / 60_000
        spent = f"{minutes:.0f} min" if minutes >= 1 or not t.time_ms else "<1 min"
        self.query_one("#stats-today", Static).update(
            f"[b]Today[/b] {st.day:%a %d %b}: [b]{plural(t.total, 'rating')}[/b] on "
            f"{plural(t.cards, 'card')} in "
            f"{spent} — [b]{t.new}[/b] new · [b]{t.learning}[/b] learning · "
            f"[b]{t.review}[/b] review · {t.again} again\n"
            f"Streak: [b]{plural(st.streak, 'day')}[/b] · "
            f"true retention [b]{_pct(st.retention_month.rate)}[/b] last 30 days "
            f"({plural(st.retention_month.total, 'review')}), {_pct(st.retention.rate)} all time"
        )
        self.query_one(Heatmap).days = st.heatmap
        chart = self.query_one(ForecastChart)
        chart.values = st.forecast
        f = st.forecast
        self.query_one("#stats-forecast-text", Static).update(
            f"[b]{f[0]}[/b] due today (overdue included) · {f[1] if len(f) > 1 else 0} "
            f"tomorrow · {sum(f[:7])} this week · {sum(f)} in {len(f)} days"
        )
        self.query_one("#stats-retention", Static).update(
            "Recall now: average FSRS retrievability of the studied cards. "
            "Ret.: share of review cards not forgotten."
        )
        retention = {r.deck_id: r for r in st.retention_decks}
        bar_colour = _theme_colour(self, "primary", "#0178D4").hex
        table = self.query_one("#stats-decks", DataTable)
        table.clear()
        for m in st.mastery_decks:
            r = retention.get(m.key)
            table.add_row(
                Text(_short(st.deck_titles.get(m.key, m.key), 22)),
                Text(str(m.cards), justify="right"),
                Text(str(m.studied), justify="right"),
                Text.assemble(
                    (_bar(m.retrievability, 6), bar_colour), f" {_pct(m.retrievability):>4}"
                ),
                Text(_pct(r.month.rate) if r else "—", justify="right"),
                Text(_pct(r.all.rate) if r else "—", justify="right"),
                key=m.key,
            )
        studied = [m for m in st.mastery_tags if m.retrievability is not None]
        self.query_one("#stats-tags", Static).update(
            "\n".join(
                f"{escape(_short(m.key, 22)):<22} [$primary]{_bar(m.retrievability)}[/] "
                f"{_pct(m.retrievability):>4}  "
                f"({m.studied}/{m.cards} cards studied)"
                for m in studied[:6]
            )
            or "Nothing studied yet: review some cards and come back."
        )
        c = st.coding
        coding = (
            f"[b]{c.tried}[/b]/{c.total} tried · [b]{c.passed}[/b] passed · "
            f"{c.first_try} on the first try"
        )
        if c.failing:
            coding += f"\nNot passed yet: {', '.join(c.failing)}"
        if st.quiz_history:
            from datetime import datetime

            q = st.quiz_history[0]
            when = datetime.fromtimestamp(q["started_at"] / 1000).strftime("%d %b %H:%M")
            decks = ", ".join(st.deck_titles.get(d, d) for d in q["decks"]) or "all decks"
            coding += (
                f"\n{plural(len(st.quiz_history), 'recent quiz')}; latest {when}: "
                f"[b]{q['correct']}/{q['planned']}[/b] right ({decks})"
            )
        else:
            coding += "\nNo quiz results yet."
        self.query_one("#stats-coding", Static).update(coding)
        self.query_one("#stats-leeches", Static).update(
            "\n".join(
                f"{x.card_id} · {plural(x.lapses, 'lapse')}"
                + (" · suspended" if x.suspended else "")
                for x in st.leeches
            )
            + "\nRewrite or split them; find them in browse with [b]is:leech[/b]."
            if st.leeches
            else "No leeches: no card has been forgotten "
            f"{self.quiz_app.session.settings.leech_threshold} times."
        )

    def stats_json(self) -> dict[str, Any] | None:
        """For tests and debugging: what the screen shows, as `stats --json` has it."""
        from quizapp.stats import to_json

        return to_json(self.stats) if self.stats else None
