"""Readable colours: every kind label, gutter and list line stands at 4.5:1 or more
against what it is drawn on, in the dark and the light theme, as a terminal with true
colour, 256 colours or 16 colours paints it; with 16 colours an error still looks unlike
every other kind. And a theme picked in the app comes back on the next start."""

from __future__ import annotations

from pathlib import Path

import pytest
import textual.constants
from rich.color import Color
from rich.segment import Segment
from rich.style import Style

from sessions_tui.config import Settings
from sessions_tui.output.format import KIND_LABEL
from sessions_tui.tui.state import preferences
from sessions_tui.tui.widgets.contrast import MINIMUM, color_system, ratio, shown
from sessions_tui.tui.widgets.filter_bar import FilterBar
from sessions_tui.tui.widgets.message_pane import MessagePane
from sessions_tui.tui.widgets.session_list import SessionList
from sessions_tui.tui.widgets.unit_lines import GUTTER
from tests.functional.test_reading import SID, reading_history
from tests.pilot import app_for, opened, settle
from tests.records import rec

THEMES = ("textual-dark", "textual-light")
LABELS = {*KIND_LABEL.values(), GUTTER, "Bash", "Edit"}
SYSTEM_NOTE = rec("system", subtype="compact_boundary", content="Conversation compacted",
                  sessionId=SID, timestamp="2026-11-20T10:00:30Z", uuid="s1")  # fmt: skip


def _painted(segment: Segment, behind: Color, system: str) -> tuple[float, Color]:
    """The contrast a terminal of `system` shows for `segment`, and its colour."""
    style = segment.style or Style()
    fg = style.color or Color.parse("white")
    bg = style.bgcolor or behind
    if style.reverse:
        fg, bg = bg, fg
    cs = color_system(system)
    return ratio(shown(fg, cs), shown(bg, cs)), fg


@pytest.mark.parametrize("system", ["truecolor", "256", "standard"])
async def test_every_label_reads_at_4_5_to_1(
    system: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(textual.constants, "COLOR_SYSTEM", system)
    app = app_for(reading_history(tmp_path / "h", extra=(SYSTEM_NOTE,)))
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        assert app.console.color_system == system
        app.browser.listing.sessions.focus()
        await pilot.press("enter")
        await settle(app, pilot)
        state = opened(app).current
        assert state is not None
        await pilot.press("i")  # thinking shown too
        await settle(app, pilot)
        for theme in THEMES:
            app.theme = theme
            await pilot.pause()
            pane = app.query_one(MessagePane)
            behind = pane.rich_style.bgcolor
            assert behind is not None
            seen: dict[str, set[tuple[int, int, int]]] = {}
            for y in range(pane.size.height):
                for seg in pane.render_line(y):
                    label = seg.text if seg.text == GUTTER else seg.text.strip()
                    if label not in LABELS:
                        continue
                    contrast, fg = _painted(seg, behind, system)
                    where = f"{theme} {system}: {seg.text!r} on line {y}"
                    assert contrast >= MINIMUM, f"{where} reads at {contrast:.2f}:1"
                    assert not (seg.style and seg.style.dim), f"{where} is dim"
                    triplet = tuple(shown(fg, color_system(system)))
                    seen.setdefault(label, set()).add(triplet)  # type: ignore[arg-type]
            # every kind the session has was on screen, and checked
            assert {"you", "assistant", "thinking", "Bash", "Edit", GUTTER} <= set(seen)
            error_colour = pane._styles.get("error").color
            assert error_colour is not None
            error = tuple(shown(error_colour, color_system(system)))
            for label in ("you", "assistant", "thinking", "Edit"):
                assert error not in seen[label], f"{theme} {system}: {label} looks like an error"
            for widget in (app.query_one(SessionList), app.query_one(FilterBar)):
                _every_cell_reads(widget, theme, system)


def _every_cell_reads(widget: SessionList | FilterBar, theme: str, system: str) -> None:
    behind = widget.rich_style.bgcolor
    assert behind is not None
    if system != "truecolor":  # a grey panel stays grey (256 colours made it navy)
        r, g, b = shown(behind, color_system(system))
        assert r == g == b, f"{theme} {system}: {type(widget).__name__} is painted {r, g, b}"
    lines = [widget.render_line(y) for y in range(widget.size.height)]
    assert any(seg.text.strip() for line in lines for seg in line)
    for line in lines:
        for seg in line:
            if not seg.text.strip():
                continue
            contrast, _ = _painted(seg, behind, system)
            name = type(widget).__name__
            assert contrast >= MINIMUM, f"{theme} {system}: {name} {seg.text!r} {contrast:.2f}:1"
            assert not (seg.style and seg.style.dim), f"{theme} {system}: {seg.text!r} is dim"


async def test_a_picked_theme_comes_back(tmp_path: Path) -> None:
    root = reading_history(tmp_path / "h")
    state = tmp_path / "state"
    app = app_for(root, state_folder=state)
    async with app.run_test() as pilot:
        await settle(app, pilot)
        app.theme = "nord"
        await pilot.pause()
    assert preferences.load(state) == preferences.Preferences("nord", None)
    again = app_for(root, state_folder=state)
    async with again.run_test() as pilot:
        await settle(again, pilot)
        assert again.theme == "nord"
    # the config's theme, edited since the pick, wins
    edited = app_for(root, state_folder=state, settings=Settings(theme="dracula"))
    async with edited.run_test() as pilot:
        await settle(edited, pilot)
        assert edited.theme == "dracula"
    # an unreadable preferences file is no preference
    (state / preferences.FILE_NAME).write_text("{not json")
    broken = app_for(root, state_folder=state)
    async with broken.run_test() as pilot:
        await settle(broken, pilot)
        assert broken.theme == "textual-dark"
