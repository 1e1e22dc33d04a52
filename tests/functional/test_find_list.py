"""Finding a session in the list: rows that keep their facts, orders, date styles, the
filter's syntax, and the project of the folder the app started in."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from rich.cells import cell_len
from textual.widgets import Static

from sessions_tui.tui.app import SessionsApp
from sessions_tui.tui.widgets.session_list import SessionList
from sessions_tui.tui.widgets.status_bar import StatusBar
from tests.pilot import A, app_for, settle, story
from tests.records import user, write

C = "cccccccc-1111-2222-3333-444444444444"


def _history(tmp_path: Path) -> tuple[Path, Path]:
    """The story (A and B, in `work`) and C, in another project."""
    root = story(tmp_path / "h", tmp_path / "work")
    other = tmp_path / "elsewhere"
    write(root / "projects" / "-elsewhere", f"{C}.jsonl", [
        user("調整 the cache 缓存", "u1", sessionId=C, cwd=str(other),
             timestamp="2026-11-22T08:00:00.000Z"),
    ])  # fmt: skip
    return root, tmp_path / "work"


def _lines(sessions: SessionList) -> list[str]:
    return [sessions.render_line(y).text for y in range(sessions.size.height)]


def _row_line(sessions: SessionList, id_prefix: str, second: bool = False) -> str:
    """The first (or second) line of the session whose id starts so, as drawn."""
    row = next(
        i for i, r in enumerate(sessions.rows) if r.session and r.session.id.startswith(id_prefix)
    )
    return sessions.render_line(sessions.offsets[row] + second - round(sessions.scroll_y)).text


def _ids(sessions: SessionList) -> list[str]:
    return [r.session.id[0] for r in sessions.rows if r.session is not None]


def status_left(app: SessionsApp) -> str:
    return app.query_one(StatusBar).left


def _header(app: object) -> str:
    return str(app.query_one("#list-header").render())  # type: ignore[attr-defined]


async def _list_focused(app: SessionsApp, pilot: object) -> SessionList:
    """The session list once the catalog is read, focused (its keys are the list's)."""
    await settle(app, pilot)
    sessions = app.browser.listing.sessions
    sessions.focus()
    return sessions


FACT = re.compile(r"\d+ errors?|[\d.]+[kMG]? tok|\d+ entries|\$[\d,]+\.\d\d|\d+[smhd](\d+[mh])?")


async def test_rows_keep_whole_facts_at_any_width(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SESSIONS_TUI_NOW", "2026-11-27T12:00:00Z")
    root, _work = _history(tmp_path)
    app = app_for(root)
    async with app.run_test(size=(160, 30)) as pilot:
        await settle(app, pilot)
        sessions = app.browser.listing.sessions
        for width in (160, 120, 100, 90, 60):
            await pilot.resize_terminal(width, 30)
            await pilot.pause()
            assert not sessions.show_horizontal_scrollbar
            assert sessions.virtual_size.width == sessions.scrollable_content_region.width
            line = _row_line(sessions, A, second=True)
            project, *facts = line.strip().split(" · ")
            assert project.startswith("work") or project.endswith("…")
            assert facts and facts[0] == "1 error", (width, line)  # errors come first
            assert all(FACT.fullmatch(f) for f in facts), (width, line)  # never cut
            first = _row_line(sessions, A)
            assert first.rstrip().endswith("Nov 20"), first  # a week ago or more: a date
            assert cell_len(line) <= sessions.scrollable_content_region.width
            wide = _row_line(sessions, "c")
            assert cell_len(wide) == sessions.scrollable_content_region.width
            assert wide.rstrip().endswith("5d ago"), wide  # whole, after a wide title


@pytest.fixture
def in_utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Local time is UTC for the test, and the machine's again after it."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.mark.usefixtures("in_utc")
async def test_sort_reverse_and_date_styles(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SESSIONS_TUI_NOW", "2026-11-27T12:00:00Z")
    root, _work = _history(tmp_path)
    app = app_for(root)
    async with app.run_test(size=(160, 30)) as pilot:
        sessions = await _list_focused(app, pilot)
        assert _ids(sessions) == ["c", "b", "a"] and "by last activity ↓" in _header(app)
        seen = []
        for _ in range(7):
            await pilot.press("o")
            await pilot.pause()
            seen.append(re.search(r"by ([a-z ]+) [↑↓]", _header(app))[1])  # type: ignore[index]
            if sessions.sort == "entries":
                assert _ids(sessions)[0] == "a"  # the most entries first
                await pilot.press("O")
                await pilot.pause()
                assert _ids(sessions)[-1] == "a" and "by entries ↑" in _header(app)
        assert seen == ["started", "tokens", "cost", "entries", "errors", "project",
                        "last activity"]  # fmt: skip
        text = "\n".join(_lines(sessions))
        assert "5d ago" in text and "Nov 20" in text  # C (22nd) is recent, A is not
        await pilot.press("d")  # all relative
        await pilot.pause()
        assert "7d ago" in "\n".join(_lines(sessions))
        await pilot.press("d")  # all absolute
        await pilot.pause()
        assert "2026-11-20 10:05" in "\n".join(_lines(sessions))
        await pilot.press("d")  # back
        await pilot.pause()
        assert "Nov 20" in "\n".join(_lines(sessions))


async def test_the_filter_understands_fields_dates_and_says_the_count(tmp_path: Path) -> None:
    root, _work = _history(tmp_path)
    app = app_for(root)
    async with app.run_test(size=(160, 30)) as pilot:
        sessions = await _list_focused(app, pilot)
        await pilot.press("slash", *"has:errors")
        await pilot.pause()
        assert _ids(sessions) == ["a"] and _header(app).startswith("1 of 3 sessions")
        assert status_left(app) == "1 of 3 sessions"
        await pilot.press(*["backspace"] * len("has:errors"), *"project:elsewhere")
        await pilot.pause()
        assert _ids(sessions) == ["c"]
        await pilot.press(*["backspace"] * len("project:elsewhere"), *'"the docs"')
        await pilot.pause()
        assert _ids(sessions) == ["b"]
        await pilot.press(*["backspace"] * len('"the docs"'), *"2026-11-22 -flaky")
        await pilot.pause()
        assert _ids(sessions) == ["c"]
        await pilot.press("escape")  # cleared
        await pilot.pause()
        assert _ids(sessions) == ["c", "b", "a"] and _header(app).startswith("3 sessions")


async def test_the_folder_it_started_in_comes_first(tmp_path: Path) -> None:
    root, work = _history(tmp_path)
    app = app_for(root, here=work / "src")  # below the project's folder
    async with app.run_test(size=(160, 30)) as pilot:
        sessions = await _list_focused(app, pilot)
        assert _ids(sessions) == ["b", "a"]  # on at first: this folder has sessions
        assert "work only (h: all)" in _header(app)
        await pilot.press("h")
        await pilot.pause()
        assert _ids(sessions) == ["c", "b", "a"] and "only" not in _header(app)
        await pilot.press("h")
        await pilot.pause()
        assert _ids(sessions) == ["b", "a"]
    app = app_for(root, here=tmp_path / "nowhere")
    async with app.run_test(size=(160, 30)) as pilot:
        sessions = await _list_focused(app, pilot)
        assert _ids(sessions) == ["c", "b", "a"]  # no session here: everything
        await pilot.press("h")
        await pilot.pause()
        assert _ids(sessions) == ["c", "b", "a"]
        assert "no session was started in" in str(app.query_one("#status").render())


def _preview_text(app: SessionsApp) -> str:
    import io

    from rich.console import Console

    buffer = io.StringIO()
    out = Console(file=buffer, width=100, color_system=None)
    out.print(app.browser.tabs.preview.query_one("#preview-body", Static).content)
    return buffer.getvalue()


async def _rested(app: SessionsApp, pilot: object) -> None:
    await pilot.pause(0.3)  # type: ignore[attr-defined]  # the highlight rests; prompts read
    await settle(app, pilot)


async def test_the_preview_follows_the_highlight_and_gives_way_to_a_session(
    tmp_path: Path,
) -> None:
    root, _work = _history(tmp_path)
    app = app_for(root)
    async with app.run_test(size=(140, 40)) as pilot:
        sessions = await _list_focused(app, pilot)
        tabs = app.browser.tabs
        assert tabs.preview.display and not tabs.reader.display  # nothing open: the preview
        await _rested(app, pilot)
        assert sessions.selected_session is not None and sessions.selected_session.id == C
        text = _preview_text(app)
        assert "調整 the cache 缓存" in text and "elsewhere" in text and "First prompts" in text
        await pilot.press("j", "j")  # to A, past B
        await _rested(app, pilot)
        text = _preview_text(app)
        assert sessions.selected_session is not None and sessions.selected_session.id == A
        assert "› Please fix the flaky deploy" in text  # its first prompt, from its file
        assert "1 error" in text and "Bash 1" in text and "entries" in text
        await pilot.press("enter")
        await settle(app, pilot)
        assert tabs.reader.display and not tabs.preview.display  # a session open: the reader
        sessions.focus()
        await pilot.press("k", "space")  # Space: the preview of B over the open session
        await _rested(app, pilot)
        assert tabs.preview.display and not tabs.reader.display
        assert "write the docs" in _preview_text(app)
        await pilot.press("escape")  # back to the session
        assert tabs.reader.display and not tabs.preview.display
        await pilot.press("space", "enter")  # Enter from the preview opens B
        await settle(app, pilot)
        assert tabs.reader.display and not tabs.preview.display
        current = tabs.open.current
        assert current is not None and current.view.session.id.startswith("b")
