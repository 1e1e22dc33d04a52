"""The layout fits the terminal: the list takes a share of the width, `z` zooms the
reader, and under 100 columns one pane is shown at a time."""

from __future__ import annotations

from pathlib import Path

from textual.widget import Widget

from sessions_tui.tui.widgets.key_bar import KeyBar
from tests.pilot import A, app_for, open_session, settle, status_right, story


def _shown(app: object, selector: str) -> bool:
    widget = app.query_one(selector, Widget)  # type: ignore[attr-defined]
    return bool(widget.display) and widget.region.width > 0


async def test_the_list_takes_a_share_and_z_zooms_the_reader(tmp_path: Path) -> None:
    app = app_for(story(tmp_path / "h", tmp_path / "work"))
    async with app.run_test(size=(160, 30)) as pilot:
        await settle(app, pilot)
        assert app.query_one("#left", Widget).region.width == 56  # 35% of 160
        await pilot.press("z")  # nothing open: nothing to zoom into
        await pilot.pause()
        assert "open a session to zoom" in status_right(app) and _shown(app, "#left")
        await open_session(app, pilot, A)
        await pilot.press("z")
        await pilot.pause()
        assert not _shown(app, "#left") and app.query_one("#messages").region.width > 150
        await pilot.press("j")  # the reader keeps its keys
        await pilot.press("z")
        await pilot.pause()
        assert _shown(app, "#left") and _shown(app, "#messages")
    async with app_for(tmp_path / "h").run_test(size=(300, 30)) as pilot:
        await pilot.pause()
        assert pilot.app.query_one("#left", Widget).region.width == 60  # at most 60


async def test_narrow_shows_one_pane_at_a_time(tmp_path: Path) -> None:
    app = app_for(story(tmp_path / "h", tmp_path / "work"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert _shown(app, "#left") and not _shown(app, "#right")
        assert app.query_one("#left", Widget).region.width == 80  # the list, whole
        await open_session(app, pilot, A)
        assert _shown(app, "#right") and not _shown(app, "#left")  # the reader, whole
        assert app.query_one("#messages").region.width >= 78
        await pilot.press("escape")  # back to the list
        await pilot.pause()
        assert _shown(app, "#left") and not _shown(app, "#right")
        await pilot.press("tab")  # and to the reader again
        await pilot.pause()
        assert _shown(app, "#right") and not _shown(app, "#left")
        await pilot.resize_terminal(140, 24)  # wide again: both
        await pilot.pause()
        assert _shown(app, "#left") and _shown(app, "#right")


def _key_bar(app: object) -> tuple[str, list[str]]:
    """The key bar's line, and the `key description` parts it may show."""
    bar = app.query_one(KeyBar)  # type: ignore[attr-defined]
    parts = [f"{bar.app.get_key_display(b)} {b.description}".strip() for b, _on in bar.shown()]
    return str(bar.render()), parts


async def test_the_key_bar_follows_focus_keeps_keys_whole_and_takes_clicks(
    tmp_path: Path,
) -> None:
    app = app_for(story(tmp_path / "h", tmp_path / "work"))
    async with app.run_test(size=(160, 30)) as pilot:
        await settle(app, pilot)
        line, _parts = _key_bar(app)
        assert "⏎ Open" in line and "J Next prompt" not in line
        assert line.rstrip().endswith("^p palette") and len(line) <= 160
        await open_session(app, pilot, A)
        await pilot.press("tab")  # the list again, then the reader: its keys are shown
        await pilot.press("tab")
        await pilot.pause()
        line, parts = _key_bar(app)
        assert "J Next prompt" in line and "⏎ Open/fold" in line
        for width in (100, 61, 40):  # narrower: keys are left out whole, from the end
            await pilot.resize_terminal(width, 30)
            await pilot.pause()
            line, parts = _key_bar(app)
            shown = [p for p in line.split("  ") if p.strip()]
            assert shown and all(p.strip() in parts for p in shown), (width, line)
            assert len(line) <= width
        await pilot.resize_terminal(160, 30)
        await pilot.pause()
        line, _parts = _key_bar(app)
        help_at = line.index("? Help")
        await pilot.click(KeyBar, offset=(help_at + 2, 0))
        await pilot.pause()
        assert type(app.screen).__name__ == "HelpScreen"
