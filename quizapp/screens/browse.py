"""Browse: find any card by text or tag across decks, see its state, act on it.

Search syntax (words are ANDed, case-insensitive):
    dropout scale        cards whose text contains both words
    tag:l2  deck:dropout tag / deck id starts with
    is:new is:learning is:review is:due is:suspended is:buried is:leech

Keys on the selected card: s suspend/unsuspend · b bury until tomorrow / unbury · r reset to
new (asks first) · i card info · e open the deck file in $EDITOR at the card's line ·
v review the card's deck · / back to the search box.

A page shows up to MAX_ROWS cards; the table is given its first FIRST_ROWS rows and the rest
when the cursor or the scroll position nears them, so the first rows paint without waiting for
the table to measure 500 rows. Only those first rows are read before the first paint (the rest
of the page right after it, the search index over every card a second later, or as soon as a
search is typed), whatever the size of the decks. The preview (Markdown, a widget per
paragraph) renders after the first paint and then follows the cursor once it rests
PREVIEW_DELAY seconds, so a held arrow key does not render every card.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.timer import Timer
from textual.widgets import DataTable, Input, Markdown, Static

from quizapp.scheduling import day_bounds, from_ms, to_ms, utcnow
from quizapp.screens.card_info import CardInfoScreen, card_status, relative
from quizapp.store import LEARNING, NEW, RELEARNING, REVIEW, CardRow
from quizapp.widgets.guarded import FAILED, guarded_read, guarded_write_then
from quizapp.widgets.key_line import KeyLine
from quizapp.widgets.table_cell import Cell, CellTable
from quizapp.widgets.title_bar import TitleBar

if TYPE_CHECKING:
    from quizapp.screens.host import AppHost

MAX_ROWS = 500  # a DataTable with 100,000 rows is slow to build; refine the search instead
# Rows put in the table at once: at most this many, and no more than the terminal has lines
# (the table cannot show more); the rest of the page is added when the cursor or the scroll
# position comes near the end of them. The table measures every cell of every row it is given
# before it paints (a quarter of a millisecond a row), so 500 rows at once more than doubled
# the time to the first rows on screen.
FIRST_ROWS = 60
# Seconds the highlighted card must stay highlighted before the preview renders it. The first
# preview is also started only once the first rows are on screen: the Markdown preview builds a
# widget per paragraph (about as long as the table's first paint), and a key held down would
# otherwise render every card it passes.
PREVIEW_DELAY = 0.1
# Seconds after the first page is on screen before the search index is built in a thread
# (at once when a search is typed, so no search waits longer for it): the thread holds the
# GIL for seconds at 100,000 cards, and the first page's paint and its preview should not
# share the interpreter with it.
INDEX_DELAY = 1.0
# Up to this many cards the search index is built on the UI thread when it is needed (a search
# typed, or INDEX_DELAY after the first page; the bundled 400 cards take about 20 ms), so a
# search typed at once is answered in the same key press; above it, in a thread. Either way it
# comes after the first page: building it first made the bundled decks' first rows slower to
# appear than 100,000 cards' rows.
INDEX_AT_ONCE = 5_000
PROMPT_CHARS = 300  # of a prompt given to the table: more than a wide terminal shows
FLAGS = ("new", "learning", "review", "due", "suspended", "buried", "leech")


# ---------------------------------------------------------------------- search (no UI)


@dataclass(frozen=True)
class Entry:
    """One card as the search sees it."""

    card_id: str
    deck_id: str
    type: str
    tags: tuple[str, ...]
    prompt: str  # first line, for the table
    haystack: str  # lower-cased id, text, answer, explanation and tags


@dataclass(frozen=True)
class Query:
    words: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    decks: tuple[str, ...] = ()
    flags: tuple[str, ...] = ()
    problems: tuple[str, ...] = field(default=())


def parse_query(text: str) -> Query:
    """Split a search into words and `tag:`/`deck:`/`is:` filters; unknown `is:` is a problem."""
    words, tags, decks, flags, problems = [], [], [], [], []
    for token in text.lower().split():
        key, sep, value = token.partition(":")
        if sep and key == "tag" and value:
            tags.append(value)
        elif sep and key == "deck" and value:
            decks.append(value)
        elif sep and key == "is":
            if value in FLAGS:
                flags.append(value)
            else:
                problems.append(f"unknown is:{value} (try {', '.join('is:' + f for f in FLAGS)})")
        else:
            words.append(token)
    return Query(tuple(words), tuple(tags), tuple(decks), tuple(flags), tuple(problems))


def matches(
    query: Query,
    entry: Entry,
    row: CardRow | None,
    now_ms: int,
    day_end_ms: int,
    leech_threshold: int,
) -> bool:
    if query.problems:
        return False  # an unreadable filter matches nothing; the screen says why
    if any(w not in entry.haystack for w in query.words):
        return False
    if any(not any(t.lower().startswith(q) for t in entry.tags) for q in query.tags):
        return False
    if any(not entry.deck_id.lower().startswith(d) for d in query.decks):
        return False
    return all(_flag(f, row, now_ms, day_end_ms, leech_threshold) for f in query.flags)


def _flag(flag: str, row: CardRow | None, now_ms: int, day_end_ms: int, leech: int) -> bool:
    state = row.state if row else NEW
    if flag == "new":
        return state == NEW
    if flag == "learning":
        return state in (LEARNING, RELEARNING)
    if flag == "review":
        return state == REVIEW
    if row is None:
        return False
    if flag == "due":
        return state != NEW and row.due is not None and row.due < day_end_ms
    if flag == "suspended":
        return bool(row.suspended)
    if flag == "buried":
        return row.buried_until is not None and row.buried_until > now_ms
    return bool(leech) and row.lapses >= leech  # "leech"


def build_entries(catalog: Any, limit: int | None = None) -> list[Entry]:
    """Every card's search entry (or the first `limit`), from the catalog's raw JSON index
    when it has one: validating 100,000 pydantic models just to search them takes seconds."""
    one = getattr(catalog, "raw_card", None)  # reads only the decks it needs
    raw = getattr(catalog, "raw_index", None) if limit is None or one is None else None
    out: list[Entry] = []
    for deck in catalog.decks:
        for cid in deck.card_ids:
            if limit is not None and len(out) >= limit:
                return out
            data = raw.get(cid) if isinstance(raw, dict) else _raw_card(one, cid)
            entry = (
                _entry_from_raw(cid, deck.id, data)
                if data
                else _entry_from_model(catalog, cid, deck.id)
            )
            if entry is not None:
                out.append(entry)
    return out


def _raw_card(one: Any, cid: str) -> dict[str, Any] | None:
    if one is None:
        return None
    try:
        data = one(cid)
    except KeyError:
        return None
    return data if isinstance(data, dict) else None


def _strings(value: Any) -> list[str]:
    """Every string inside a card's JSON (prompt, answer, options, accept, explanation...)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def _display(text: str) -> str:
    text = _CLOZE.sub(lambda m: f"[{m.group(1) or '…'}]", text)
    return " ".join(text.replace("**", "").replace("`", "").split())


def _entry_from_raw(cid: str, deck_id: str, data: dict[str, Any]) -> Entry:
    tags = tuple(t for t in data.get("tags") or () if isinstance(t, str))
    prompt = _display(str(data.get("prompt") or data.get("text") or ""))
    haystack = " ".join([prompt, *_strings({k: v for k, v in data.items() if k != "source"})])
    return Entry(cid, deck_id, str(data.get("type", "")), tags, prompt, haystack.lower())


def _entry_from_model(catalog: Any, cid: str, deck_id: str) -> Entry | None:
    try:
        card = catalog.card(cid)
    except Exception:  # one unreadable card must not hide the rest
        return None
    prompt = _display(str(card.prompt_text))
    parts = [cid, prompt, str(card.answer_text), card.explanation, *card.tags]
    return Entry(cid, deck_id, card.type, tuple(card.tags), prompt, " ".join(parts).lower())


# A cloze gap {{c1::answer::hint}}: the table shows [hint] or […], never the answer.
_CLOZE = re.compile(r"\{\{c\d+::.+?(?:::(.+?))?\}\}", re.DOTALL)


def editor_command(environ: Mapping[str, str], path: str, line: int) -> list[str] | None:
    """`$VISUAL`/`$EDITOR +LINE path` (vim, nano, emacs, micro, kak all read `+LINE`)."""
    editor = environ.get("VISUAL") or environ.get("EDITOR")
    if not editor or not editor.strip():
        return None
    return [*shlex.split(editor), f"+{line}", path]


def card_line(path: str, card_id: str) -> int:
    """The line of the card's `- id:` in its deck file, or 1 when the file cannot be read."""
    from quizapp.decks import load_file

    _model, lines, _problems = load_file(Path(path))
    return lines.get(card_id, 1)


# ---------------------------------------------------------------------- screens


class ConfirmScreen(ModalScreen[bool]):
    """A yes/no question: y or enter confirms; n or escape cancels."""

    DEFAULT_CSS = """
    ConfirmScreen { align: center middle; }
    ConfirmScreen > Static {
        width: auto; max-width: 70; height: auto;
        border: round $warning; background: $surface; padding: 1 2;
    }
    """
    BINDINGS = [
        Binding("y", "answer(True)", "Yes"),
        Binding("enter", "answer(True)", "Yes", show=False),
        Binding("n", "answer(False)", "No"),
        Binding("escape", "answer(False)", "No", show=False),
    ]

    def __init__(self, message: str) -> None:
        super().__init__()
        self.message = message

    def compose(self) -> ComposeResult:
        yield Static(f"{self.message}\n\n[b]y[/b] yes   [b]n[/b] no")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


class BrowseScreen(Screen[None]):
    DEFAULT_CSS = """
    BrowseScreen #browse { padding: 0 1; }
    BrowseScreen #browse-search { margin: 0; }
    BrowseScreen #browse-count { height: 1; color: $text-muted; }
    BrowseScreen #browse-table { height: 1fr; min-height: 5; }
    BrowseScreen #browse-preview { height: 40%; border-top: solid $panel-lighten-2; }
    BrowseScreen #browse-preview Markdown { margin: 0; }
    """
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("s", "toggle_suspend", "Suspend"),
        Binding("b", "toggle_bury", "Bury"),
        Binding("r", "reset", "Reset"),
        Binding("i", "info", "Info"),
        Binding("e", "edit", "Edit"),
        Binding("v", "review_deck", "Review deck", show=False),
        Binding("slash", "focus_search", "Search", key_display="/"),
    ]

    def __init__(self, query: str = "") -> None:
        super().__init__()
        self.initial_query = query
        self.entries: list[Entry] = []
        self.rows: dict[str, CardRow] = {}
        self.shown: list[str] = []
        self.indexed = False  # entries/rows hold every card (else only the first page)
        self.total = 0  # cards in the decks
        self.searched = ""  # the search the table shows
        self.touched: set[str] = set()  # cards re-read after a write from this screen
        self.pending: list[Entry] = []  # the rest of the page, not in the table yet
        self._pending_now = utcnow()  # the time the pending rows' states are shown at
        self._index_pending = False  # the index is neither built nor being built yet
        self._page_complete = True  # entries hold the whole first page (else its first rows)
        self.previewed: str | None = None  # the card the preview shows (None: none)
        self._preview_shown = False  # the preview has been rendered at least once
        self._preview_wanted: str | None = None  # the card highlighted last
        self._preview_timer: Timer | None = None
        self._painted = False  # the first rows are on screen: previews may start

    @property
    def quiz_app(self) -> AppHost:
        return cast("AppHost", self.app)

    def compose(self) -> ComposeResult:
        yield TitleBar()  # one widget, not Header's four (quizapp/widgets/title_bar.py)
        with Vertical(id="browse"):
            yield Input(
                self.initial_query,
                placeholder="search text, tag:l2, deck:dropout, is:due / is:suspended / is:leech",
                id="browse-search",
            )
            yield Static(id="browse-count", markup=False)  # it quotes what was typed
            yield CellTable(id="browse-table", cursor_type="row", zebra_stripes=True)
            # Its Markdown is mounted with the first preview, after the first paint: mounting
            # one (it builds its parser and renders an empty document) was a tenth of the
            # time to the first rows. The empty box looks the same meanwhile.
            yield VerticalScroll(id="browse-preview", can_focus=False)
        # Every key fits at 80; built with the screen, not once per bindings refresh (three
        # times before the screen went idle with Textual's Footer).
        yield KeyLine(show_command_palette=False)  # one widget (quizapp/widgets/key_line.py)

    def on_mount(self) -> None:
        session = self.quiz_app.session
        total = sum(len(d.card_ids) for d in session.catalog.decks)
        self.total = total
        if self.initial_query.strip():
            self._set_index(*self._build_index())  # the first page is a search's
        else:
            # The first page is the first MAX_ROWS cards: its first rows are read and shown
            # without reading the others, the rest of the page once they are on screen
            # (`_complete_first_page`); the search index is built INDEX_DELAY after that, or
            # as soon as a search is typed (see `_start_index` and `_index_ready`).
            self._read_first_page(min(self._first_rows(), MAX_ROWS))
            self._page_complete = False
            self._index_pending = True
            self.call_after_refresh(self.set_timer, INDEX_DELAY, self._start_index)
        table = self.query_one("#browse-table", DataTable)
        table.add_column("Card", key="card", width=20)
        table.add_column("Deck", key="deck", width=9)
        table.add_column("Type", key="type", width=5)
        table.add_column("State", key="state", width=9)
        table.add_column("Due", key="due", width=7)
        table.add_column("Prompt", key="prompt", width=self._prompt_width())
        self.apply_search(self.initial_query)
        self.query_one("#browse-search", Input).focus()
        self.watch(table, "scroll_y", self._scrolled, init=False)
        self.call_after_refresh(self._first_paint_done)

    def _first_paint_done(self) -> None:
        self._painted = True
        if not self._page_complete:
            self.set_timer(PREVIEW_DELAY, self._complete_first_page)
        self._want_preview(self._preview_wanted)

    def _read_first_page(self, n: int) -> list[Entry]:
        """Entries and states for the first `n` cards (those read already are kept)."""
        session = self.quiz_app.session
        more = build_entries(session.catalog, n)[len(self.entries) :]
        for row in session.store.cards([e.card_id for e in more]):
            self.rows.setdefault(row.card_id, row)  # a row re-read after a write is newer
        self.entries = [*self.entries, *more]
        return more

    def _complete_first_page(self) -> None:
        """The rest of the first page, after its first rows (only they were read for the first
        paint); the table gets them as its other rows, when the cursor or the scroll nears."""
        if self._page_complete or not self.is_attached:
            return
        self._page_complete = True
        if self.indexed:
            return  # `_index_ready` showed the page from the index
        more = guarded_read(self, "read the first page", lambda: self._read_first_page(MAX_ROWS))
        if isinstance(more, list):
            self.pending = [*self.pending, *more]  # the table shows the first page (no search)

    def _start_index(self) -> None:
        if not (self._index_pending and self.is_attached):
            return
        self._index_pending = False
        if self.total > INDEX_AT_ONCE:
            self.run_worker(self._index_in_thread, thread=True, group="browse-index")
            return
        try:  # a few thousand cards: at once, so the search that asked for it runs now
            built = self._build_index()
        except Exception as exc:  # a damaged page: the first page stays; searching says why
            self.notify(f"Could not read every card for searching: {exc}", severity="error")
            return
        self._index_ready(*built)

    def _build_index(self) -> tuple[list[Entry], dict[str, CardRow]]:
        session = self.quiz_app.session
        entries = build_entries(session.catalog)
        rows = {r.card_id: r for r in session.store.cards([e.card_id for e in entries])}
        return entries, rows

    def _set_index(self, entries: list[Entry], rows: dict[str, CardRow]) -> None:
        self.entries, self.rows, self.indexed = entries, rows, True
        self.total = len(entries)

    def _index_in_thread(self) -> None:
        try:
            built = self._build_index()
        except Exception as exc:  # a damaged page: the first page stays; searching says why
            self.app.call_from_thread(
                self.notify, f"Could not read every card for searching: {exc}", severity="error"
            )
            return
        self.app.call_from_thread(self._index_ready, *built)

    def _index_ready(self, entries: list[Entry], rows: dict[str, CardRow]) -> None:
        # Cards written from this screen meanwhile: re-read after the write, so newer.
        touched = {cid: self.rows[cid] for cid in self.touched if cid in self.rows}
        self._set_index(entries, {**rows, **touched})
        if not self.is_attached:
            return
        text = self.query_one("#browse-search", Input).value
        partial, self._page_complete = not self._page_complete, True
        if text != self.searched or partial:
            self.apply_search(text)  # typed while the index was being built
        else:
            self._show_count(len(self.entries), parse_query(text), bool(self.shown))

    def _prompt_width(self) -> int:
        """The prompt takes what the other columns leave, so 80 columns show no cut table."""
        return max(12, self.app.size.width - (20 + 9 + 5 + 9 + 7) - 6 * 2 - 4)

    def on_resize(self) -> None:
        from textual.widgets.data_table import ColumnKey

        table = self.query_one("#browse-table", DataTable)
        column = table.columns.get(ColumnKey("prompt"))
        if column is not None and column.width != self._prompt_width():
            column.width = self._prompt_width()
            table.refresh()

    # -------------------------------------------------------------- preview
    @on(DataTable.RowHighlighted, "#browse-table")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        near_end = event.data_table.row_count - self._first_rows() // 2
        if (self.pending or not self._page_complete) and event.cursor_row >= near_end:
            self.add_pending_rows()
        key = event.row_key.value if event.row_key is not None else None
        self._want_preview(str(key) if key is not None else None)

    def _want_preview(self, card_id: str | None) -> None:
        """Preview `card_id` once it has stayed highlighted PREVIEW_DELAY seconds (and the
        first rows are on screen)."""
        self._preview_wanted = card_id
        if self._preview_timer is not None:
            self._preview_timer.stop()
            self._preview_timer = None
        if self._painted:
            self._preview_timer = self.set_timer(PREVIEW_DELAY, self._show_wanted_preview)

    @property
    def preview_pending(self) -> bool:
        """The preview does not show the highlighted card yet (it will within PREVIEW_DELAY
        of the cursor stopping)."""
        return (
            self._preview_timer is not None
            or not self._preview_shown
            or self._preview_wanted != self.previewed
        )

    def _show_wanted_preview(self) -> None:
        self._preview_timer = None
        if self.is_attached and (not self._preview_shown or self._preview_wanted != self.previewed):
            self.show_preview(self._preview_wanted)

    def show_preview(self, card_id: str | None) -> None:
        """The card as review shows it: question, answer, why, source."""
        text = "*No card selected.*"
        if card_id is not None:
            from quizapp.cardtext import face

            try:  # not `card_id in catalog`: its first use maps every card to its deck
                f = face(self.quiz_app.session.catalog.card(card_id))
                text = (
                    f"{f.front}\n\n---\n\n{f.back}\n\n**Why.** {f.explanation}\n\n"
                    f"*Source: {f.source}*"
                )
            except KeyError:
                text = f"*{card_id} is no longer in the decks.*"
            except Exception as exc:  # a card that cannot render still gets a preview line
                text = f"*Cannot show {card_id}: {exc}*"
        self.previewed, self._preview_shown = card_id, True
        box = self.query_one("#browse-preview", VerticalScroll)
        shown = next(iter(box.query("#browse-preview-text").results(Markdown)), None)
        if shown is None:
            box.mount(Markdown(text, id="browse-preview-text"))
        elif shown.is_mounted:
            shown.update(text)
        else:  # still mounting with the previous text: this one after it
            shown.call_later(shown.update, text)
        box.scroll_home(animate=False)

    # -------------------------------------------------------------- search
    @on(Input.Changed, "#browse-search")
    def _search_changed(self, event: Input.Changed) -> None:
        self.apply_search(event.value)

    @on(Input.Submitted, "#browse-search")
    def _search_submitted(self) -> None:
        self.query_one("#browse-table", DataTable).focus()

    def on_key(self, event: Any) -> None:
        search = self.query_one("#browse-search", Input)
        if event.key == "down" and search.has_focus:
            event.stop()
            self.query_one("#browse-table", DataTable).focus()

    def apply_search(self, text: str) -> None:
        session = self.quiz_app.session
        query = parse_query(text)
        if not self.indexed and text.strip():
            self._start_index()  # `_index_ready` runs this search (now, for a few cards)
            if not self.indexed:
                self.query_one("#browse-count", Static).update(
                    f"Reading {self.total} cards for the search…"
                )
            return
        self.searched = text
        now = utcnow()
        _start, end = day_bounds(now, session.settings.rollover_hour)
        now_ms, end_ms = to_ms(now), to_ms(end)
        leech = session.settings.leech_threshold
        found = [
            e
            for e in self.entries
            if matches(query, e, self.rows.get(e.card_id), now_ms, end_ms, leech)
        ]
        n_found = len(found) if self.indexed else self.total  # no search yet: every card
        page = found[:MAX_ROWS]
        self.shown = [e.card_id for e in page]
        table = self.query_one("#browse-table", DataTable)
        table.clear()
        first = self._first_rows()
        for e in page[:first]:
            table.add_row(*self._cells(e, now), key=e.card_id)
        self.pending, self._pending_now = page[first:], now
        self._show_count(n_found, query, bool(found))
        if not found:
            self._want_preview(None)

    def _first_rows(self) -> int:
        return min(FIRST_ROWS, max(self.app.size.height, 10))

    def add_pending_rows(self) -> None:
        """The rest of the page into the table (the cursor or the scroll came near its end)."""
        self._complete_first_page()
        if not self.pending:
            return
        table = self.query_one("#browse-table", DataTable)
        rest, self.pending = self.pending, []
        for e in rest:
            table.add_row(*self._cells(e, self._pending_now), key=e.card_id)

    def _scrolled(self, scroll_y: float) -> None:
        table = self.query_one("#browse-table", DataTable)
        more = bool(self.pending) or not self._page_complete
        if more and scroll_y + 2 * table.size.height >= table.virtual_size.height:
            self.add_pending_rows()

    def _show_count(self, n_found: int, query: Query, any_shown: bool) -> None:
        count = f"{n_found} of {self.total} cards"
        if n_found > MAX_ROWS:
            count += f" (showing the first {MAX_ROWS}; narrow the search)"
        if query.problems:
            count += " · " + "; ".join(query.problems)
        elif any_shown:
            count += " · ↓ to the list, then s b r i e v"
        self.query_one("#browse-count", Static).update(count)

    def _cells(self, e: Entry, now: datetime) -> tuple[Cell, ...]:
        row = self.rows.get(e.card_id)
        leech = self.quiz_app.session.settings.leech_threshold
        status = card_status(row, now, leech) if row else "new"
        style = "dim" if row and (row.suspended or "buried" in status) else ""
        return (
            Cell(e.card_id, style),
            Cell(e.deck_id),
            Cell(_TYPE_SHORT.get(e.type, e.type)),
            Cell(status.replace("suspended (leech)", "leech").replace("suspended", "susp.")),
            Cell(relative(row.due, now) if row and row.state != NEW else "—"),
            Cell(e.prompt[:PROMPT_CHARS]),  # more than a wide terminal shows
        )

    def _refresh_row(self, card_id: str) -> None:
        store = self.quiz_app.session.store
        row = guarded_read(self, f"read {card_id}", lambda: store.card(card_id))
        if row is FAILED:
            return
        if row is not None:
            self.rows[card_id] = row
            self.touched.add(card_id)
        entry = next((e for e in self.entries if e.card_id == card_id), None)
        table = self.query_one("#browse-table", DataTable)
        if entry is None or card_id not in self.shown or card_id not in table.rows:
            return  # not in the table (or not yet: a row added later reads `self.rows`)
        for column, cell in zip(
            ("card", "deck", "type", "state", "due", "prompt"),
            self._cells(entry, utcnow()),
            strict=True,
        ):
            table.update_cell(card_id, column, cell)

    def selected(self) -> str | None:
        table = self.query_one("#browse-table", DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return None if key is None else str(key)

    def _selected_row(self) -> CardRow | None:
        card_id = self.selected()
        if card_id is None:
            self.notify("No card selected: search, then pick one with ↓.", severity="warning")
            return None
        store = self.quiz_app.session.store
        row = guarded_read(self, f"read {card_id}", lambda: store.card(card_id))
        if row is FAILED:
            return None
        if row is None:
            self.notify(f"{card_id} is not in the database yet.", severity="warning")
        return row

    # -------------------------------------------------------------- actions
    def action_focus_search(self) -> None:
        self.query_one("#browse-search", Input).focus()

    def action_toggle_suspend(self) -> None:
        row = self._selected_row()
        if row is None:
            return
        store = self.quiz_app.session.store
        verb = "unsuspend" if row.suspended else "suspend"

        def done(_: None) -> None:
            self._refresh_row(row.card_id)
            self.notify(f"{'Unsuspended' if row.suspended else 'Suspended'} {row.card_id}.")

        guarded_write_then(
            self,
            f"{verb} {row.card_id}",
            lambda: store.set_suspended(row.card_id, not row.suspended),
            done,
            keep="Nothing changed; press the key again to retry.",
        )

    def action_toggle_bury(self) -> None:
        row = self._selected_row()
        if row is None:
            return
        session = self.quiz_app.session
        now = utcnow()
        keep = "Nothing changed; press the key again to retry."
        if row.buried_until is not None and row.buried_until > to_ms(now):

            def unburied(_: None) -> None:
                self._refresh_row(row.card_id)
                self.notify(f"Unburied {row.card_id}: it can be shown today.")

            guarded_write_then(
                self,
                f"unbury {row.card_id}",
                lambda: session.store.bury([row.card_id], None),
                unburied,
                keep=keep,
            )
            return
        _start, end = day_bounds(now, session.settings.rollover_hour)

        def buried(_: None) -> None:
            self._refresh_row(row.card_id)
            when = from_ms(to_ms(end)).astimezone().strftime("%a %H:%M")
            self.notify(f"Buried {row.card_id} until the next study day ({when}).")

        guarded_write_then(
            self,
            f"bury {row.card_id}",
            lambda: session.store.bury([row.card_id], to_ms(end)),
            buried,
            keep=keep,
        )

    def action_reset(self) -> None:
        row = self._selected_row()
        if row is None:
            return
        card_id = row.card_id

        def reset(_: None) -> None:
            self._refresh_row(card_id)
            self.notify(f"Reset {card_id} to new; its review history is kept.")

        def done(yes: bool | None) -> None:
            if not yes:
                return
            store = self.quiz_app.session.store
            guarded_write_then(
                self,
                f"reset {card_id}",
                lambda: store.reset_card(card_id),
                reset,
                keep="Nothing changed; press the key again to retry.",
            )

        self.app.push_screen(
            ConfirmScreen(
                f"Reset [b]{card_id}[/b] to a new card?\nIts {row.reps} review(s) stay in "
                "the history, but its schedule starts over."
            ),
            done,
        )

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_info()

    def action_info(self) -> None:
        card_id = self.selected()
        if card_id is not None:
            self.app.push_screen(CardInfoScreen(card_id))

    def action_review_deck(self) -> None:
        card_id = self.selected()
        deck = self.quiz_app.session.catalog.deck_of(card_id) if card_id else None
        review = getattr(self.app, "action_review", None)
        if deck and review is not None:
            review([deck])

    def action_edit(self) -> None:
        card_id = self.selected()
        if card_id is None:
            return
        catalog = self.quiz_app.session.catalog
        deck = catalog.deck(catalog.deck_of(card_id) or "")
        if deck is None or not deck.path:
            self.notify(f"{card_id} has no deck file.", severity="warning")
            return
        line = card_line(deck.path, card_id)
        where = f"{deck.path}:{line}"
        command = editor_command(os.environ, deck.path, line)
        if command is None:
            self.notify(
                f"Set $EDITOR to edit from here (e.g. `export EDITOR=nano` in your shell "
                f"profile). The card is at {where}",
                title="No editor",
                severity="warning",
                timeout=10,
            )
            return
        self._run_editor(command, where)

    def _run_editor(self, command: list[str], where: str) -> None:
        from textual.app import SuspendNotSupported

        try:
            with self.app.suspend():
                result = subprocess.run(command, check=False)
        except SuspendNotSupported:
            self.notify(
                f"This terminal cannot hand over to an editor; edit {where} yourself.",
                severity="warning",
                timeout=10,
            )
            return
        except OSError as exc:
            self.notify(
                f"Could not run {command[0]!r}: {exc.strerror or exc}. "
                f"Check $EDITOR; the card is at {where}",
                severity="error",
                timeout=10,
            )
            return
        if result.returncode:
            self.notify(f"The editor exited with status {result.returncode}.", severity="warning")
        self.notify(
            "Deck edits show after you restart quizapp (decks are re-read when a file's "
            "modification time changes). Check them with `quizapp decks check`.",
            title="Edited " + Path(where.rsplit(":", 1)[0]).name,
            timeout=10,
        )


_TYPE_SHORT = {
    "multiple_choice": "mc",
    "numeric": "num",
    "basic": "basic",
    "cloze": "cloze",
    "typed": "typed",
    "code": "code",
}
