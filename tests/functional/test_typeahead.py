"""Keys sent together, as a terminal delivers a paste or fast typing, act in order.

`Pilot.press` waits for the app after every key, so it cannot show this; these tests put
all the keys in the driver's queue at once and only then let the app run.
"""

from __future__ import annotations

from pathlib import Path

from textual import events
from textual.widgets import Input

from sessions_tui.store.filters import Filter
from sessions_tui.tui.screens.search import SearchScreen
from sessions_tui.tui.screens.stats import StatsScreen
from tests.pilot import (
    B,
    app_for,
    send_at_once,
    session_a,
    settle,
    status_right,
    story,
)


async def test_typing_right_after_ctrl_f_lands_in_the_search_box(tmp_path: Path) -> None:
    async with session_a(tmp_path, (120, 40)) as (app, pilot, state):
        before = (state.filter, state.position.selected)
        # `e` would show errors only and `y` copy the id if they reached the pane.
        send_at_once(app, "ctrl+f", *"zebra eye")
        await pilot.pause(0.5)
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        assert screen.query_one(Input).value == "zebra eye"
        assert (state.filter, state.position.selected) == before
        assert "copied" not in status_right(app)
        assert app.key_order.released_by_guard == 0  # each key was followed to its end


async def test_a_paste_right_after_ctrl_f_lands_in_the_search_box(tmp_path: Path) -> None:
    app = app_for(story(tmp_path / "h", tmp_path / "work"))
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        send_at_once(app, "ctrl+f", events.Paste("zebra"))
        await pilot.pause(0.5)
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        assert screen.query_one(Input).value == "zebra"
        assert [g.session.id for g in screen.found] == [B]


async def test_slash_word_enter_n_steps_to_the_second_hit(tmp_path: Path) -> None:
    async with session_a(tmp_path, (120, 40)) as (app, pilot, state):
        # `d` and `e` would filter errors, `n` would go to the box, if they went astray.
        send_at_once(app, "slash", *"deploy", "enter", "n")
        await pilot.pause(0.5)
        await settle(app, pilot)
        box = app.query_one("#session-search", Input)
        assert box.value == "deploy" and app.focused is app.browser.tabs.reader.pane
        assert state.filter == Filter.default()
        assert state.finding is not None and state.finding.current == 1
        assert "2/" in status_right(app)
        assert app.key_order.released_by_guard == 0


async def test_keys_after_s_reach_the_stats_screen(tmp_path: Path) -> None:
    async with session_a(tmp_path, (120, 40)) as (app, pilot, _):
        send_at_once(app, "s", "p")  # stats, then "this project"
        await pilot.pause(0.5)
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, StatsScreen)
        assert screen.scope.project is not None
