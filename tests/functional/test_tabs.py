"""The tab strip: the active tab is always drawn, a click or the switcher picks one,
Ctrl+PgUp/PgDn cycle."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import OptionList

from sessions_tui.tui.dialogs import SwitchScreen
from sessions_tui.tui.widgets.tabs import OpenTabs, window
from tests.pilot import app_for, opened, settle
from tests.records import user, write


def test_the_window_keeps_the_active_tab_and_says_what_is_hidden() -> None:
    widths = [10] * 8  # separators are 3 cells
    assert window(widths, 0, 200) == (0, 8)  # all fit
    first, last = window(widths, 7, 40)
    assert last == 8 and first > 0  # the last one is drawn, with the hidden ones before it
    first, last = window(widths, 4, 40)
    assert first <= 4 < last and first > 0 and last < 8
    assert window([50], 0, 20) == (0, 1)  # one too wide is still drawn (cut by the strip)


def _history(root: Path, count: int) -> list[str]:
    ids = [f"{n:08d}-1111-2222-3333-444444444444" for n in range(count)]
    for n, sid in enumerate(ids):
        write(root / "projects" / "-w", f"{sid}.jsonl", [
            user(f"session number {n} with a rather long title to fill the strip", "u1",
                 sessionId=sid, timestamp=f"2026-11-{10 + n:02d}T10:00:00.000Z"),
        ])  # fmt: skip
    return ids


async def test_many_tabs_a_click_and_the_switcher(tmp_path: Path) -> None:
    _history(tmp_path, 6)
    app = app_for(tmp_path)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        for _ in range(6):  # open every session, the newest first
            await pilot.press("tab" if opened(app).tabs else "g")
            if opened(app).tabs:
                await pilot.press("j")
            await pilot.press("enter")
            await settle(app, pilot)
        tabs = opened(app)
        assert len(tabs.tabs) == 6 and tabs.index() == 5
        strip = app.query_one(OpenTabs)
        drawn = str(strip.render())
        assert drawn.startswith("‹") and "6 session number" in drawn  # the active one shows

        await pilot.press("ctrl+pagedown")  # from the last round to the first
        assert tabs.index() == 0
        drawn = str(strip.render())
        assert drawn.startswith("1 session") and drawn.rstrip().endswith("›")
        await pilot.press("ctrl+pageup")
        assert tabs.index() == 5

        drawn = str(strip.render())
        first_title = drawn.index(" ") + 1  # after the marker `‹N `
        wanted = int(drawn[first_title : drawn.index(" ", first_title)]) - 1
        await pilot.click(OpenTabs, offset=(1 + first_title + 2, 0))  # 1: the padding
        await pilot.pause()
        assert wanted != 5 and tabs.index() == wanted

        await pilot.press("T")
        assert isinstance(app.screen, SwitchScreen)
        assert app.screen.query_one(OptionList).highlighted == tabs.index()
        await pilot.press("home", "enter")
        await pilot.pause()
        assert not isinstance(app.screen, SwitchScreen) and tabs.index() == 0
        await pilot.press("T", "escape")
        assert tabs.index() == 0
