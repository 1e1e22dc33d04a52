"""The layout fits the terminal: the list takes a share of the width, `z` zooms the
reader, and under 100 columns one pane is shown at a time."""

from __future__ import annotations

from pathlib import Path

from textual.widget import Widget

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
