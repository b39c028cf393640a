"""Browse at scale (issue 20, item 7): the first page is shown from the first cards alone and
the search index over every card is built in a thread; a search typed meanwhile runs once the
index is ready; the preview comes after the first rows and follows the cursor once it rests.
Shrunk here (INDEX_AT_ONCE, MAX_ROWS) so the four-card mini deck takes that path;
benchmarks/bench_scale.py times it at 100,000 cards."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import pytest
from textual.widgets import DataTable, Input, Markdown, Static

from quizapp.app import build_app
from quizapp.screens import browse
from quizapp.screens.browse import BrowseScreen

SIZE = (100, 30)


@pytest.fixture
def small_pages(monkeypatch: pytest.MonkeyPatch) -> threading.Event:
    """Pages of 2 rows, the lazy path from 2 cards; the index waits for the returned event."""
    monkeypatch.setattr(browse, "MAX_ROWS", 2)
    monkeypatch.setattr(browse, "INDEX_AT_ONCE", 2)
    monkeypatch.setattr(browse, "INDEX_DELAY", 0)  # the index reads the store at once
    gate = threading.Event()
    build = BrowseScreen._build_index

    def gated(self: BrowseScreen) -> Any:
        built = build(self)  # read now; handed over only once the test says so
        assert gate.wait(10)
        return built

    monkeypatch.setattr(BrowseScreen, "_build_index", gated)
    return gate


def keys(table: DataTable[Any]) -> list[str]:
    return [str(table.coordinate_to_cell_key((i, 0)).row_key.value) for i in range(table.row_count)]


async def test_first_page_before_the_index_then_search_runs_when_ready(
    mini_session: Any, small_pages: threading.Event
) -> None:
    app = build_app(mini_session)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.push_screen(BrowseScreen())
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, BrowseScreen)
        table = screen.query_one(DataTable)
        assert not screen.indexed  # the index is still being built ...
        assert keys(table) == ["mini-basic", "mini-mc"]  # ... and the first page is shown
        count = str(screen.query_one("#browse-count", Static).render())
        assert "4 of 4 cards" in count and "first 2" in count
        screen.query_one(Input).value = "lasso"  # a card past the first page
        await pilot.pause()
        assert "Reading 4 cards" in str(screen.query_one("#browse-count", Static).render())
        small_pages.set()
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.indexed
        assert keys(table) == ["mini-typed"]
        assert "1 of 4 cards" in str(screen.query_one("#browse-count", Static).render())


async def test_writes_on_the_first_page_survive_the_index(
    mini_session: Any, small_pages: threading.Event
) -> None:
    """A card suspended after the index read the store, before the index was handed over,
    keeps its new state."""
    app = build_app(mini_session)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.push_screen(BrowseScreen())
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, BrowseScreen)
        screen.query_one(DataTable).focus()
        await pilot.press("s")
        await pilot.pause()
        small_pages.set()
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.rows["mini-basic"].suspended
        screen.query_one(Input).value = "is:suspended"
        await pilot.pause()
        assert keys(screen.query_one(DataTable)) == ["mini-basic"]


async def test_the_rest_of_the_page_comes_when_the_cursor_nears_it(
    mini_session: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The table is given the first FIRST_ROWS rows only (it measures every cell of every row
    before it paints); moving the cursor towards their end adds the rest, in order."""
    monkeypatch.setattr(browse, "FIRST_ROWS", 2)
    app = build_app(mini_session)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.push_screen(BrowseScreen())
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, BrowseScreen)
        table = screen.query_one(DataTable)
        assert keys(table) == ["mini-basic", "mini-mc"]
        for _ in range(100):  # the rest of the page is read PREVIEW_DELAY after the paint
            await pilot.pause(0.05)
            if screen.pending:
                break
        assert [e.card_id for e in screen.pending] == ["mini-typed", "mini-cloze"]
        assert "4 of 4 cards" in str(screen.query_one("#browse-count", Static).render())
        await pilot.press("down", "down")  # into the table, then to its last row
        await pilot.pause()
        assert keys(table) == ["mini-basic", "mini-mc", "mini-typed", "mini-cloze"]
        assert screen.pending == [] and screen.selected() == "mini-mc"
        screen.query_one(Input).value = "is:new"  # a new search starts from its first page
        await pilot.pause()
        assert keys(table) == ["mini-basic", "mini-mc"] and len(screen.pending) == 2


async def test_typing_a_search_starts_the_index_at_once(
    mini_session: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The index thread waits INDEX_DELAY after the first page, unless a search is typed."""
    monkeypatch.setattr(browse, "MAX_ROWS", 2)
    monkeypatch.setattr(browse, "INDEX_AT_ONCE", 2)
    monkeypatch.setattr(browse, "INDEX_DELAY", 600)
    app = build_app(mini_session)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.push_screen(BrowseScreen())
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, BrowseScreen)
        await pilot.pause(0.3)
        assert not screen.indexed and not list(app.workers)
        await pilot.press("l", "a", "s", "s", "o")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.indexed
        assert keys(screen.query_one(DataTable)) == ["mini-typed"]


async def settled(pilot: Any) -> None:
    """Until the preview shows the card the cursor rests on."""
    for _ in range(100):
        await pilot.pause()
        if not pilot.app.screen.preview_pending:
            return
        await asyncio.sleep(0.05)
    raise AssertionError("the preview never caught up with the cursor")


async def test_the_preview_comes_after_the_first_rows_then_follows_the_cursor(
    mini_session: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first rows paint without the preview (it renders a widget per paragraph); it
    comes PREVIEW_DELAY later, and then shows the card the cursor stops on, not each card
    the cursor passes."""
    monkeypatch.setattr(browse, "PREVIEW_DELAY", 1.0)
    calls: list[tuple[str | None, int, bool]] = []
    show = BrowseScreen.show_preview

    def recorded(self: BrowseScreen, card_id: str | None) -> None:
        calls.append((card_id, self.query_one(DataTable).row_count, self._painted))
        show(self, card_id)

    monkeypatch.setattr(BrowseScreen, "show_preview", recorded)
    app = build_app(mini_session)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.push_screen(BrowseScreen())
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, BrowseScreen)
        assert keys(screen.query_one(DataTable))[0] == "mini-basic"  # the rows are shown ...
        assert calls == [] and screen.preview_pending  # ... no preview, not even its widget
        assert not screen.query("#browse-preview-text")
        await settled(pilot)
        preview = screen.query_one("#browse-preview-text", Markdown)
        assert calls == [("mini-basic", 4, True)]  # once the rows were on screen
        assert "gradient" in preview.source and screen.previewed == "mini-basic"
        await pilot.press("down", "down", "down")  # into the list, then two cards down
        await settled(pilot)
        assert [c[0] for c in calls] == ["mini-basic", "mini-typed"]  # not mini-mc, passed
        assert "Lasso" in preview.source
        screen.query_one(Input).value = "nothing matches this"
        await settled(pilot)
        assert calls[-1][0] is None and "No card selected" in preview.source


async def test_the_first_page_is_read_in_two_steps(
    mini_session: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At scale only the rows the table is given first are read before the first paint; the
    rest of the page is read after it (or at once, when the cursor gets there first)."""
    monkeypatch.setattr(browse, "INDEX_AT_ONCE", 2)  # the lazy path from 2 cards
    monkeypatch.setattr(browse, "INDEX_DELAY", 600)
    monkeypatch.setattr(browse, "FIRST_ROWS", 2)
    app = build_app(mini_session)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.push_screen(BrowseScreen())
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, BrowseScreen)
        table = screen.query_one(DataTable)
        assert keys(table) == ["mini-basic", "mini-mc"]
        for _ in range(100):  # the rest of the page is read PREVIEW_DELAY after the paint
            await pilot.pause(0.05)
            if screen.pending:
                break
        assert [e.card_id for e in screen.entries] == [
            "mini-basic",
            "mini-mc",
            "mini-typed",
            "mini-cloze",
        ]
        assert [e.card_id for e in screen.pending] == ["mini-typed", "mini-cloze"]
        assert not screen.indexed and "4 of 4 cards" in str(
            screen.query_one("#browse-count", Static).render()
        )

    monkeypatch.setattr(browse, "PREVIEW_DELAY", 600)  # the cursor gets there first
    app = build_app(mini_session)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.push_screen(BrowseScreen())
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, BrowseScreen)
        assert len(screen.entries) == 2 and not screen.pending
        await pilot.press("down", "down")
        await pilot.pause()
        table = screen.query_one(DataTable)
        assert keys(table) == ["mini-basic", "mini-mc", "mini-typed", "mini-cloze"]
        assert screen.selected() == "mini-mc"


async def test_a_search_that_finds_nothing_says_so_in_the_preview(mini_session: Any) -> None:
    app = build_app(mini_session)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.push_screen(BrowseScreen("no card says this"))
        await settled(pilot)
        screen = app.screen
        assert isinstance(screen, BrowseScreen) and not screen.query_one(DataTable).row_count
        assert "No card selected" in screen.query_one("#browse-preview-text", Markdown).source


async def test_a_small_catalog_paints_before_its_index_and_searches_at_once(
    mini_session: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A few cards (up to INDEX_AT_ONCE) take the same path to the first rows as 100,000:
    the index is not built before them. A search typed right after opening is answered in
    the same key press (the index is built then, on the UI thread, no worker), and with no
    search the index comes INDEX_DELAY after the first page."""
    monkeypatch.setattr(browse, "INDEX_DELAY", 600)
    built: list[bool] = []
    build = BrowseScreen._build_index

    def recorded(self: BrowseScreen) -> Any:
        built.append(bool(self.query_one(DataTable).row_count))  # rows already in the table?
        return build(self)

    monkeypatch.setattr(BrowseScreen, "_build_index", recorded)
    app = build_app(mini_session)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.push_screen(BrowseScreen())
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, BrowseScreen)
        assert built == [] and not screen.indexed
        assert keys(screen.query_one(DataTable))[:2] == ["mini-basic", "mini-mc"]
        assert "4 of 4 cards" in str(screen.query_one("#browse-count", Static).render())
        await pilot.press("down", "slash", "l", "a", "s", "s", "o")  # to the list, back, type
        assert screen.indexed and built == [True] and not list(app.workers)
        assert screen.query_one(Input).value == "lasso"
        assert keys(screen.query_one(DataTable)) == ["mini-typed"]
        assert "1 of 4 cards" in str(screen.query_one("#browse-count", Static).render())
        await pilot.press(*["backspace"] * 5, "t", "a", "g", ":", "l", "1")
        await pilot.pause()
        assert built == [True] and keys(screen.query_one(DataTable)) == ["mini-typed"]

    monkeypatch.setattr(browse, "INDEX_DELAY", 0.05)  # no search: built shortly after
    built.clear()
    app = build_app(mini_session)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.push_screen(BrowseScreen())
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, BrowseScreen)
        for _ in range(100):
            await pilot.pause(0.05)
            if screen.indexed:
                break
        assert screen.indexed and built == [True] and screen.total == 4
        assert keys(screen.query_one(DataTable))[:2] == ["mini-basic", "mini-mc"]


async def test_the_preview_widget_comes_with_the_first_preview_and_keeps_the_last_card(
    mini_session: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The Markdown is mounted by the first preview (not before the first paint); a second
    preview asked for while it is still mounting is the one that stays."""
    monkeypatch.setattr(browse, "PREVIEW_DELAY", 600)  # no timer preview in the way
    app = build_app(mini_session)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.push_screen(BrowseScreen())
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, BrowseScreen)
        assert not screen.query("#browse-preview-text")
        screen.show_preview("mini-basic")
        screen.show_preview("mini-typed")  # before the first one's widget has mounted
        await pilot.pause()
        (preview,) = screen.query("#browse-preview-text").results(Markdown)
        assert "Lasso" in preview.source and "gradient" not in preview.source
        screen.show_preview(None)
        await pilot.pause()
        assert "No card selected" in preview.source and screen.previewed is None


async def test_the_count_line_shows_a_typed_filter_as_typed(mini_session: Any) -> None:
    """The line under the search quotes an unknown `is:` filter; brackets in it are text,
    not markup."""
    app = build_app(mini_session)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.push_screen(BrowseScreen())
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, BrowseScreen)
        screen.query_one(Input).value = "is:[b]x[/b]"
        await pilot.pause()
        count = screen.query_one("#browse-count", Static)
        assert "unknown is:[b]x[/b]" in str(count.render())
        assert not screen.query_one(DataTable).row_count
