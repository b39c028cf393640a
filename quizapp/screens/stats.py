"""Stats: today, a review heatmap, retention, a 30-day forecast, mastery, coding progress.

The numbers come from `quizapp.stats.compute` in a worker thread (~0.1 s even at 1M reviews,
but never on the UI thread), and the body is mounted with them (one layout, one paint); the
workload simulation runs after them, in its own worker, on a sample of at most 2,000 cards.

Painting is what the user waits for once the numbers are in (at 1M reviews Textual's layout and
paint of the first version cost more than computing them), and it costs per widget and per
styled span, so the body is eight widgets: one Static per section with its title as its first
line (the deck table is text in columns, not a DataTable), and two charts that draw themselves
with Unicode blocks in theme colours, one span per run of equal cells, so they follow the theme
and the width.
"""

from __future__ import annotations

import math
from datetime import date, timedelta
from itertools import groupby
from typing import TYPE_CHECKING, Any, cast

from rich.cells import cell_len
from rich.style import Style
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
from textual.widgets import Static
from textual.worker import Worker, WorkerState

from quizapp.stats import DayCount, Stats
from quizapp.widgets.key_line import KeyLine
from quizapp.widgets.title_bar import TitleBar
from quizapp.wording import plural

WORKLOAD_DELAY_S = 1.0  # the simulation starts this long after the numbers are shown

if TYPE_CHECKING:
    from quizapp.screens.host import AppHost

WEEKDAY_LABELS = ("Mon", "", "Wed", "", "Fri", "", "Sun")
LEVEL_ALPHA = (0.0, 0.3, 0.55, 0.8, 1.0)
BLOCKS = " ▁▂▃▄▅▆▇█"
DECK_TITLE_WIDTH = 22


def _theme_colour(widget: Widget, name: str, fallback: str) -> Color:
    try:
        return Color.parse(widget.app.theme_variables.get(name, fallback))
    except Exception:  # a theme without the variable, or one we cannot parse
        return Color.parse(fallback)


def _title(widget: Widget, title: str) -> Text:
    """A section title in the theme's primary colour, as the Static titles are drawn."""
    colour = _theme_colour(widget, "primary", "#0178D4").hex
    return Text(title + "\n", style=Style(bold=True, color=colour))


def _section(title: str, body: str) -> str:
    """A section's Static content: its title line (markup), then the body (markup)."""
    return f"[b $primary]{title}[/]\n{body}"


def heat_level(n: int, peak: int) -> int:
    """0 for no reviews, else 1..4 by share of the busiest day shown (GitHub's quartiles)."""
    if n <= 0 or peak <= 0:
        return 0
    return max(1, min(4, math.ceil(4 * n / peak)))


class Heatmap(Widget):
    """GitHub-style calendar under its title: weeks as columns, Monday on top; as many weeks
    as fit."""

    DEFAULT_CSS = """
    Heatmap { height: 10; }
    """
    TITLE_TEXT = "Reviews per day"
    days: reactive[list[DayCount]] = reactive(list, always_update=True)

    def __init__(self, days: list[DayCount] | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if days is not None:
            self.set_reactive(Heatmap.days, days)

    def weeks_that_fit(self) -> int:
        return max(1, min(53, (self.size.width - 4) // 2))

    def render(self) -> Text:
        text = _title(self, self.TITLE_TEXT)
        days = self.days
        if not days:
            text.append("no data yet", style="dim")
            return text
        today = days[-1].day
        n_weeks = self.weeks_that_fit()
        first_monday = today - timedelta(days=today.weekday()) - timedelta(weeks=n_weeks - 1)
        counts = {d.day: d.reviews for d in days if d.day >= first_monday}
        peak = max(counts.values(), default=0)
        base = _theme_colour(self, "background", "#000000")
        accent = _theme_colour(self, "success", "#4EBF71")
        empty = _theme_colour(self, "panel", "#333333")
        styles = [Style(color=empty.hex)] + [
            Style(color=base.blend(accent, a).hex) for a in LEVEL_ALPHA[1:]
        ]
        text.no_wrap = True
        text.overflow = "crop"
        # Month labels where a month's first Monday column starts.
        header = [" "] * (4 + 2 * n_weeks)
        for w in range(n_weeks):
            monday = first_monday + timedelta(weeks=w)
            if monday.day <= 7:
                label = monday.strftime("%b")
                pos = 4 + 2 * w
                if all(c == " " for c in header[max(0, pos - 1) : pos + len(label)]):
                    header[pos : pos + len(label)] = label
        dim = Style(dim=True)
        text.append("".join(header).rstrip() + "\n", style=dim)
        for weekday in range(7):
            text.append(f"{WEEKDAY_LABELS[weekday]:<4}", style=dim)
            cells = []  # a level per week; None for a day still to come
            for w in range(n_weeks):
                day = first_monday + timedelta(weeks=w, days=weekday)
                cells.append(None if day > today else heat_level(counts.get(day, 0), peak))
            for level, run in groupby(cells):  # one span per run of equal cells
                n = sum(1 for _ in run)
                if level is None:
                    text.append("  " * n)
                else:
                    text.append("■ " * n, style=styles[level])
            text.append("\n")
        total = sum(counts.values())
        text.append(f"{plural(total, 'review')} in {n_weeks} weeks   less ", style=dim)
        for style in styles:
            text.append("■", style=style)
        text.append(" more", style=dim)
        return text


class ForecastChart(Widget):
    """Due cards per day under its title, as a bar chart (two columns per day) with its
    scale, dates and totals."""

    DEFAULT_CSS = """
    ForecastChart { height: 7; }
    """
    TITLE_TEXT = "Due in the next 30 days"
    rows = 4
    values: reactive[list[int]] = reactive(list, always_update=True)
    start: reactive[date | None] = reactive(None)

    def __init__(self, values: list[int] | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if values is not None:
            self.set_reactive(ForecastChart.values, values)

    def render(self) -> Text:
        text = _title(self, self.TITLE_TEXT)
        values = self.values
        if not values:
            return text
        peak = max(values)
        colour = Style(color=_theme_colour(self, "primary", "#0178D4").hex)
        overdue = Style(color=_theme_colour(self, "warning", "#FFA62B").hex)
        dim = Style(dim=True)
        text.no_wrap = True
        text.overflow = "crop"
        label_w = max(3, len(str(peak)))
        for row in range(self.rows, 0, -1):
            label = str(peak) if row == self.rows else ""
            text.append(f"{label:>{label_w}} ", style=dim)
            bars = []
            for v in values:
                eighths = round(8 * self.rows * v / peak) if peak else 0
                level = max(0, min(8, eighths - 8 * (row - 1)))
                if v and row == 1 and level == 0:
                    level = 1  # a day with anything due is never an empty column
                bars.append(BLOCKS[level] + " ")
            text.append(bars[0], style=overdue)  # today, with the overdue
            text.append("".join(bars[1:]), style=colour)
            text.append("\n")
        axis = [" "] * (2 * len(values))
        marks = [(0, "today"), (7, "+7d"), (14, "+14d"), (21, "+21d")]
        if len(values) > 28:
            marks.append((len(values) - 1 - 3, f"+{len(values) - 1}d"))
        for i, label in marks:
            pos = 2 * i
            if pos < len(axis) and all(c == " " for c in axis[pos : pos + len(label)]):
                axis[pos : pos + len(label)] = label
        text.append(" " * (label_w + 1) + "".join(axis).rstrip() + "\n", style=dim)
        f = values
        text.append_text(
            Text.assemble(
                (str(f[0]), "bold"),
                f" due today (overdue included) · {f[1] if len(f) > 1 else 0} tomorrow · "
                f"{sum(f[:7])} this week · {sum(f)} in {len(f)} days",
            )
        )
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


DECK_COLUMNS = ("Deck", "Cards", "Studied", "Recall now", "Ret. 30d", "Ret. all")


def deck_table(st: Stats) -> str:
    """The decks as markup lines in columns: a header, then one row per deck in catalog order
    (title, cards, studied, recall now as a bar and a percentage, retention 30 days, all)."""
    retention = {r.deck_id: r for r in st.retention_decks}
    titles, recalls, numbers = [], [], []
    for m in st.mastery_decks:
        r = retention.get(m.key)
        titles.append(_short(st.deck_titles.get(m.key, m.key), DECK_TITLE_WIDTH))
        recalls.append(m.retrievability)
        numbers.append(
            (
                str(m.cards),
                str(m.studied),
                _pct(r.month.rate) if r else "—",
                _pct(r.all.rate) if r else "—",
            )
        )
    deck, cards, studied, recall, month, alltime = DECK_COLUMNS
    name_w = max([len(deck)] + [cell_len(t) for t in titles])
    widths = [
        max([len(h)] + [len(n[k]) for n in numbers])
        for k, h in enumerate((cards, studied, month, alltime))
    ]
    recall_w = max(len(recall), 6 + 1 + 4)  # the bar, a space, the percentage
    c, s, mo, al = widths
    lines = [
        f"[b]{deck:<{name_w}}  {cards:>{c}}  {studied:>{s}}  {recall:<{recall_w}}  "
        f"{month:>{mo}}  {alltime:>{al}}[/b]"
    ]
    for title, share, (n_cards, n_studied, r_month, r_all) in zip(
        titles, recalls, numbers, strict=True
    ):
        pad = " " * (name_w - cell_len(title))
        lines.append(
            f"{escape(title)}{pad}  {n_cards:>{c}}  {n_studied:>{s}}  "
            f"[$primary]{_bar(share, 6)}[/] {_pct(share):>4}{' ' * (recall_w - 11)}  "
            f"{r_month:>{mo}}  {r_all:>{al}}"
        )
    return "\n".join(lines)


SECTIONS = (  # (id, title) of the Static sections under the charts, in order
    ("stats-decks", "Decks"),
    ("stats-tags", "Weakest topics"),
    ("stats-coding", "Coding tasks and quizzes"),
    ("stats-fsrs", "Personal FSRS"),
    ("stats-leeches", "Leeches"),
)
FSRS_TITLE = dict(SECTIONS)["stats-fsrs"]


class StatsScreen(Screen[None]):
    """Where the user stands. `r` recomputes; escape goes back."""

    DEFAULT_CSS = """
    /* The scrollbar is there from the start: else the body is laid out and painted twice
       when the numbers make it taller than the screen, once without it and once with. */
    StatsScreen #stats-body { padding: 0 1; overflow-y: scroll; }
    StatsScreen .stats-section { margin-top: 1; }
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
        # The body is mounted once the numbers are in (`_show`): laid out and painted once,
        # with them, instead of empty first and again with the numbers.
        yield TitleBar()  # one widget, not Header's four (quizapp/widgets/title_bar.py)
        with VerticalScroll(id="stats-body"):
            yield Static("Computing…", id="stats-today")
        yield KeyLine()  # one widget, not one per key (quizapp/widgets/key_line.py)

    def on_mount(self) -> None:
        # Now, not after the first paint: the worker runs while the UI thread waits between
        # its first refreshes (the footer's keys come a refresh later), and its SQL runs
        # without the GIL; started after the first paint it waited for all of them.
        self.action_refresh_stats()

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
            self._set_fsrs(escape(str(event.worker.result)))
        elif event.worker.group == "workload" and event.state == WorkerState.ERROR:
            self._set_fsrs(f"Workload: {escape(str(event.worker.error))}")
        if event.worker.group != "stats":
            return
        if event.state not in (WorkerState.SUCCESS, WorkerState.ERROR):
            return
        with self.app.batch_update():  # the body and its numbers in one paint
            if event.state == WorkerState.SUCCESS:
                await self._show(cast(Stats, event.worker.result))
            else:
                self.query_one("#stats-today", Static).update(
                    f"[b]Could not compute the stats:[/b] {escape(str(event.worker.error))}"
                )
        if getattr(self, "_workload_after_stats", False):
            self._workload_after_stats = False
            # Counted from the paint of the numbers: the simulator holds the GIL while it runs.
            self.call_after_refresh(self.set_timer, WORKLOAD_DELAY_S, self._workload)

    def _set_fsrs(self, body: str) -> None:
        for section in self.query("#stats-fsrs").results(Static):  # none if the stats failed
            section.update(_section(FSRS_TITLE, body))

    async def _show(self, st: Stats) -> None:
        """The numbers: the body mounted with them the first time, updated after `r`."""
        texts = self.section_texts(st)
        self.query_one("#stats-today", Static).update(texts.pop("stats-today"))
        if not self.query(Heatmap):
            body = self.query_one("#stats-body", VerticalScroll)
            await body.mount_all(
                [
                    Heatmap(st.heatmap, id="stats-heatmap", classes="stats-section"),
                    ForecastChart(st.forecast, id="stats-forecast", classes="stats-section"),
                    *(
                        Static(_section(title, texts[key]), id=key, classes="stats-section")
                        for key, title in SECTIONS
                    ),
                ]
            )
        else:
            self.query_one(Heatmap).days = st.heatmap
            self.query_one(ForecastChart).values = st.forecast
            for key, title in SECTIONS:
                if key != "stats-fsrs":  # the workload keeps its last result until the next
                    self.query_one(f"#{key}", Static).update(_section(title, texts[key]))
        self.stats = st  # set last: every number is in a widget

    def section_texts(self, st: Stats) -> dict[str, str]:
        """Each text section's body (markup), by widget id; the charts draw themselves."""
        t = st.today
        minutes = t.time_ms / 60_000
        spent = f"{minutes:.0f} min" if minutes >= 1 or not t.time_ms else "<1 min"
        today = (
            f"[b]Today[/b] {st.day:%a %d %b}: [b]{plural(t.total, 'rating')}[/b] on "
            f"{plural(t.cards, 'card')} in "
            f"{spent} — [b]{t.new}[/b] new · [b]{t.learning}[/b] learning · "
            f"[b]{t.review}[/b] review · {t.again} again\n"
            f"Streak: [b]{plural(st.streak, 'day')}[/b] · "
            f"true retention [b]{_pct(st.retention_month.rate)}[/b] last 30 days "
            f"({plural(st.retention_month.total, 'review')}), {_pct(st.retention.rate)} all time"
        )
        decks = (
            "Recall now: average FSRS retrievability of the studied cards. "
            "Ret.: share of review cards not forgotten.\n" + deck_table(st)
        )
        studied = [m for m in st.mastery_tags if m.retrievability is not None]
        tags = "\n".join(
            f"{escape(_short(m.key, 22)):<22} [$primary]{_bar(m.retrievability)}[/] "
            f"{_pct(m.retrievability):>4}  "
            f"({m.studied}/{m.cards} cards studied)"
            for m in studied[:6]
        ) or ("Nothing studied yet: review some cards and come back.")
        c = st.coding
        coding = (
            f"[b]{c.tried}[/b]/{c.total} tried · [b]{c.passed}[/b] passed · "
            f"{c.first_try} on the first try"
        )
        if c.failing:
            coding += f"\nNot passed yet: {escape(', '.join(c.failing))}"
        if st.quiz_history:
            from datetime import datetime

            q = st.quiz_history[0]
            when = datetime.fromtimestamp(q["started_at"] / 1000).strftime("%d %b %H:%M")
            quizzed = ", ".join(st.deck_titles.get(d, d) for d in q["decks"]) or "all decks"
            coding += (
                f"\n{plural(len(st.quiz_history), 'recent quiz')}; latest {when}: "
                f"[b]{q['correct']}/{q['planned']}[/b] right ({escape(quizzed)})"
            )
        else:
            coding += "\nNo quiz results yet."
        if st.leeches:
            leeches = (
                "\n".join(
                    f"{escape(x.card_id)} · {plural(x.lapses, 'lapse')}"
                    + (" · suspended" if x.suspended else "")
                    for x in st.leeches
                )
                + "\nRewrite or split them; find them in browse with [b]is:leech[/b]."
            )
        else:
            leeches = (
                "No leeches: no card has been forgotten "
                f"{self.quiz_app.session.settings.leech_threshold} times."
            )
        return {
            "stats-today": today,
            "stats-decks": decks,
            "stats-tags": tags,
            "stats-coding": coding,
            "stats-fsrs": "Simulating the workload…",
            "stats-leeches": leeches,
        }

    def stats_json(self) -> dict[str, Any] | None:
        """For tests and debugging: what the screen shows, as `stats --json` has it."""
        from quizapp.stats import to_json

        return to_json(self.stats) if self.stats else None
