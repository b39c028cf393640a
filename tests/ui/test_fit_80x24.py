"""At 80×24 and 100×30 nothing is cut: on every screen a new user meets, the footer's keys
all fit (no key pushed past the right edge) — checked in the states where a screen shows
the most keys."""

from __future__ import annotations

from typing import Any

import pytest
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

from quizapp.app import build_app
from quizapp.widgets.key_line import KeyLine

SIZES = [(80, 24), (100, 30)]


async def _footer_fits(pilot: Any, where: str) -> list[str]:
    await pilot.pause()
    screen = pilot.app.screen
    width = pilot.app.size.width
    lines = screen.query(KeyLine)
    if lines:  # one widget draws the keys: the whole line fits, palette included
        line = lines.first()
        assert line.keys, where
        assert line.needed_width() <= width, (where, [k.description for k in line.keys])
        return [k.description for k in line.keys]
    footer = screen.query_one(Footer)
    for _ in range(40):  # the footer rebuilds after a refresh of the bindings
        keys = list(footer.query(FooterKey))
        if keys:
            break
        await pilot.pause(0.05)
    assert keys, where
    assert footer.max_scroll_x == 0, (where, [str(k.description) for k in keys])
    assert all(k.region.right <= width for k in keys), where
    return [str(k.description) for k in keys]


@pytest.mark.parametrize("size", SIZES)
async def test_every_screens_footer_fits(mini_session: Any, size: tuple[int, int]) -> None:
    app = build_app(mini_session)
    async with app.run_test(size=size) as pilot:
        assert "Help" in await _footer_fits(pilot, "home")
        app.action_review()
        await pilot.pause()
        await pilot.press("space")  # the basic card's answer: the rating keys
        assert "Rate" in await _footer_fits(pilot, "review, answer side")
        await pilot.press("escape")
        await _footer_fits(pilot, "review summary")
        await pilot.press("escape")
        app.action_quiz(count=3, types=("multiple_choice",))
        await _footer_fits(pilot, "quiz")
        app.pop_screen()
        app.action_drill("l1_penalty", 1)
        await _footer_fits(pilot, "drill")
        app.pop_screen()
        app.action_tasks()
        await _footer_fits(pilot, "task list")
        await pilot.press("enter")  # the first task in the editor
        await pilot.pause()
        await _footer_fits(pilot, "code editor")
        await pilot.press("f6")  # the statement focused: `?` and the letter keys come back
        keys = await _footer_fits(pilot, "code statement")
        assert "Pane" in keys and "Help" in keys
        await pilot.press("escape")
        await pilot.pause()
        app.pop_screen()
        for action, name in (
            (app.action_browse, "browse"),
            (app.action_settings, "settings"),
            (app.action_stats, "stats"),
        ):
            action()
            await _footer_fits(pilot, name)
            app.pop_screen()
            await pilot.pause()
