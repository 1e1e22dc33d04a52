"""The app driven through Textual's pilot: what a person does and what they see."""

from __future__ import annotations

import gc
import io
import json
import shutil
import threading
from pathlib import Path

import duckdb
import pytest
from rich.console import Console
from textual import events
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from sessions_tui.demo import DemoReport
from sessions_tui.model import Kind
from sessions_tui.sources.discovery import Root, root_from_arg
from sessions_tui.store.catalog import Catalog
from sessions_tui.tui import feed
from sessions_tui.tui.app import SessionsApp
from sessions_tui.tui.screens.help import HelpScreen
from sessions_tui.tui.state.head_start import HeadStart
from sessions_tui.tui.widgets.message_pane import MessagePane
from sessions_tui.tui.widgets.session_list import SessionList
from tests.pilot import opened, reads_as, workers_done


def make_app(root: Path) -> SessionsApp:
    catalog = Catalog(
        root_from_arg(str(root / "claude")) + root_from_arg(str(root / "codex")), None
    )
    return SessionsApp(catalog)


async def settle(app: SessionsApp, pilot: object) -> None:
    await workers_done(app)
    await pilot.pause()  # type: ignore[attr-defined]


def screen_text(pane: MessagePane) -> str:
    return "\n".join(pane.render_line(y).text for y in range(pane.size.height))


async def test_start_open_navigate_expand(demo_history: tuple[Path, DemoReport]) -> None:
    root, report = demo_history
    app = make_app(root)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        sessions = app.query_one(SessionList)
        assert len(sessions.sessions) == report.sessions
        assert sessions.selected == 0 and app.focused is sessions
        # what drawing a reply needs is imported in a worker once the list is read
        assert app.browser.tabs.reader._warm
        first = sessions.selected_session
        assert first is not None
        await pilot.press("enter")
        await settle(app, pilot)
        pane = app.query_one(MessagePane)
        state = pane.state
        assert state is not None and opened(app).active == first.id
        assert isinstance(app.focused, MessagePane)
        assert state.visible and state.position.selected == 0
        assert Kind.OTHER not in {state.entry(i).kind for i in range(len(state.visible))}
        await pilot.press("j", "j", "down")
        assert state.position.selected == 3
        await pilot.press("G")
        assert state.position.selected == len(state.visible) - 1
        assert pane.scroll_y == pane.max_scroll_y
        await pilot.press("g")
        assert state.position.selected == 0 and pane.scroll_y == 0
        await pilot.press("J")
        assert state.entry(state.position.selected).kind is Kind.PROMPT
        selected = state.visible[state.position.selected]
        before = state.total_lines
        await pilot.press("enter")  # a prompt is shown whole: Enter folds it to one line
        assert selected in state.folded and state.total_lines < before
        await pilot.press("enter")
        assert selected in state.expanded and state.total_lines == before


async def test_filters_show_counts_and_keep_the_reading_position(
    demo_history: tuple[Path, DemoReport],
) -> None:
    root, _ = demo_history
    app = make_app(root)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        sessions = app.query_one(SessionList)
        busiest = max(range(len(sessions.rows)), key=lambda i: sessions.rows[i].session.errors)  # type: ignore[union-attr]
        sessions.select(busiest)
        await pilot.press("enter")
        await settle(app, pilot)
        state = app.query_one(MessagePane).state
        assert state is not None
        errors = state.counts["error"]
        assert errors > 0
        filter_text = str(app.query_one("#filters").render())
        assert f"error {errors}" in filter_text
        await pilot.press("e")
        assert len(state.visible) == errors  # each with its call, as one unit
        assert {reads_as(state, i) for i in range(errors)} == {Kind.ERROR}
        await pilot.press("e")  # back to the usual kinds
        await pilot.press("4", "5")  # calls, then results as well: tool units
        assert {u.kind for u in state.units} == {Kind.TOOL_CALL}
        assert {u.result_kind for u in state.units} >= {Kind.TOOL_RESULT, Kind.ERROR}
        # the entry at the top stays at the top across a toggle
        await pilot.press("pagedown")
        pane = app.query_one(MessagePane)
        top_seq = state.visible[state.locate(round(pane.scroll_y))[0]]
        await pilot.press("4")  # calls off: results only (each under its call's line)
        assert {u.kind for u in state.units} == {Kind.TOOL_CALL}
        assert {u.result_kind for u in state.units} == {Kind.TOOL_RESULT}
        now_top = state.visible[state.locate(round(pane.scroll_y))[0]]
        expected = min(s for s in state.visible if s >= top_seq)
        # the same entry (or the next one shown) on top, unless the end of the list is on screen
        assert now_top == expected or pane.scroll_y == pane.max_scroll_y
        await pilot.press("t")
        await pilot.press(*"Bash", "enter")
        assert state.filter.tool == "Bash"
        assert {state.entry(i).tool for i in range(len(state.visible))} == {"Bash"}
        await pilot.press("0")  # everything: every entry, a result in its call's unit
        assert len(state.visible) == state.view.total - len(set(state.view.pairs().values()))


async def test_switching_keeps_each_sessions_place(demo_history: tuple[Path, DemoReport]) -> None:
    root, _ = demo_history
    app = make_app(root)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        sessions = app.query_one(SessionList)
        pane = app.query_one(MessagePane)
        await pilot.press("enter")
        await settle(app, pilot)
        first = opened(app).current
        assert first is not None
        await pilot.press("j", "j", "j", "enter", "2")  # move, expand, filter
        opened_by_hand = first.folded | first.expanded
        assert opened_by_hand
        place = (first.position.selected, round(pane.scroll_y), opened_by_hand, first.filter)
        await pilot.press("tab", "j", "enter")
        await settle(app, pilot)
        second = opened(app).current
        assert second is not None and second is not first and len(opened(app)) == 2
        assert sessions.open_ids == set(opened(app).tabs)
        await pilot.press("left_square_bracket")
        assert opened(app).current is first and pane.state is first
        assert (
            first.position.selected,
            round(pane.scroll_y),
            first.folded | first.expanded,
            first.filter,
        ) == place
        await pilot.press("alt+2")
        assert pane.state is second
        await pilot.press("w")
        assert len(opened(app)) == 1 and pane.state is first


async def test_help_lists_every_binding_and_narrows_as_you_type(
    demo_history: tuple[Path, DemoReport],
) -> None:
    root, _ = demo_history
    app = make_app(root)
    async with app.run_test(size=(100, 60)) as pilot:
        await settle(app, pilot)
        await pilot.press("question_mark")

        def shown() -> str:  # the help's rows (the footer below also says Quit)
            out = Console(width=100, file=io.StringIO(), record=True)
            out.print(app.screen.query_one("#help-keys", Static).content)
            return out.export_text()

        everything = shown()
        for binding in [*app.BINDINGS, *SessionList.BINDINGS, *MessagePane.BINDINGS]:
            assert isinstance(binding, Binding)
            assert binding.description in everything, binding.description
        await pilot.press(*"error")  # typed straight away: the filter has the focus
        await pilot.pause()
        narrowed = shown()
        assert "Next error" in narrowed and "Previous error" in narrowed
        assert "Quit" not in narrowed and "Zoom the reader" not in narrowed
        await pilot.press(*" prev")  # every word must match
        await pilot.pause()
        assert "Previous error" in shown() and "Next error" not in shown()
        await pilot.press(*" zzz")
        await pilot.pause()
        assert "no key does" in shown()
        await pilot.press("escape")  # clears what was typed
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen) and "Quit" in shown()
        await pilot.press("pagedown")  # the keys scroll while the filter keeps the focus
        await pilot.pause()
        assert app.screen.query_one(VerticalScroll).scroll_y > 0
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


async def test_session_list_filter_as_you_type(demo_history: tuple[Path, DemoReport]) -> None:
    root, _ = demo_history
    app = make_app(root)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        sessions = app.query_one(SessionList)
        total = len(sessions.rows)
        await pilot.press("slash", *"payments")
        shown = [r.session for r in sessions.rows]
        assert 0 < len(shown) < total
        assert all(
            "payments" in (s.project or "") or "payments" in (s.title or "") for s in shown if s
        )
        await pilot.press("escape")
        assert len(sessions.rows) == total and app.focused is sessions
        await pilot.press("p")
        assert sessions.grouped and sessions.rows[0].session is None  # a project heading


@pytest.mark.parametrize("size", [(40, 12), (20, 6)])
async def test_tiny_terminals_and_resizes_keep_the_place(
    demo_history: tuple[Path, DemoReport], size: tuple[int, int]
) -> None:
    root, _ = demo_history
    app = make_app(root)
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        state = opened(app).current
        assert state is not None
        await pilot.press("j", "j", "j", "enter")
        seq = state.visible[state.position.selected]
        for new in [(120, 40), (30, 8), size]:
            await pilot.resize_terminal(*new)
            await pilot.pause()
            assert state.visible[state.position.selected] == seq


async def test_session_text_is_never_markup(tmp_path: Path) -> None:
    folder = tmp_path / "claude" / "projects" / "-x"
    folder.mkdir(parents=True)
    nasty = "[bold red]not markup[/] [link=x]y[/link] \x1b[31mred\x1b[0m 中文 🚀 \ud83c end"
    rec = {"type": "user", "uuid": "u", "timestamp": "2026-11-01T00:00:00Z",
           "message": {"role": "user", "content": "SURR"}}  # fmt: skip
    line = json.dumps(rec).replace("SURR", json.dumps(nasty, ensure_ascii=True)[1:-1])
    (folder / "aaaaaaaa-0000-0000-0000-000000000000.jsonl").write_text(line + "\n")
    (tmp_path / "codex").mkdir()
    app = make_app(tmp_path)
    async with app.run_test(size=(200, 20)) as pilot:
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        pane = app.query_one(MessagePane)
        text = screen_text(pane)
        assert "[bold red]not markup[/] [link=x]y[/link]" in text
        assert "␛[31mred" in text and "\x1b" not in text and "中文 🚀 \ufffd end" in text
        await pilot.press("enter")  # expanded, through the Markdown-free text path
        assert "[bold red]not markup[/]" in screen_text(pane)


async def test_warm_start_paints_the_snapshot_then_the_catalog(
    demo_history: tuple[Path, DemoReport], tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    root, report = demo_history
    roots = root_from_arg(str(root / "claude")) + root_from_arg(str(root / "codex"))
    cache = tmp_path / "cache"
    first = Catalog(roots, cache)
    first.refresh()  # leaves the list snapshot beside the cache
    first.close()
    release = threading.Event()

    def slow_catalog() -> Catalog:
        release.wait(10)  # the catalog is slow to come: the snapshot must carry the start
        return Catalog(roots, cache)

    app = SessionsApp(slow_catalog, snapshot_dir=cache)
    gc.disable()  # as `sessions-tui` starts the browser (cli.main)
    request.addfinalizer(gc.enable)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert gc.isenabled()  # back on once the first frame is drawn
        sessions = app.query_one(SessionList)
        assert app.feed.catalog is None and len(sessions.sessions) == report.sessions
        wanted = sessions.selected_session
        assert wanted is not None
        await pilot.press("enter")  # opens before the catalog is there (from the snapshot)
        for _ in range(200):
            if opened(app).tabs:
                break
            await pilot.pause(0.02)
        assert opened(app).active == wanted.id and app.feed.catalog is None
        release.set()
        await settle(app, pilot)
        await settle(app, pilot)
        assert app.feed.catalog is not None and opened(app).active == wanted.id
        assert sessions.sessions[0].records > 0  # the catalog's rows replaced the snapshot's


def snapshot_of(root: Path, cache: Path) -> list[Root]:
    """The roots of the demo history, and a cache (with the list's snapshot) for them: a
    warm start."""
    roots = root_from_arg(str(root / "claude")) + root_from_arg(str(root / "codex"))
    first = Catalog(roots, cache)
    first.refresh()  # leaves the list snapshot beside the cache
    first.close()
    return roots


async def test_the_highlighted_session_is_built_ahead_and_an_enter_takes_it(
    demo_history: tuple[Path, DemoReport], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A warm start builds the highlighted session's view before the catalog opens (the
    catalog waits for it); Enter on that session shows that very view, built once."""
    monkeypatch.setattr(feed, "AFTER_WAIT", 60.0)  # however slow this machine is
    cache = tmp_path / "cache"
    roots = snapshot_of(demo_history[0], cache)
    made_after: list[bool] = []
    app: SessionsApp

    def catalog() -> Catalog:
        start = app.browser.tabs._head_start
        made_after.append(start is None or start.done.is_set())
        return Catalog(roots, cache)

    app = SessionsApp(catalog, snapshot_dir=cache)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        start = app.browser.tabs._head_start
        wanted = app.query_one(SessionList).selected_session
        assert start is not None and wanted is not None and start.session.id == wanted.id
        ahead = start.view()  # waits for the build
        assert ahead is not None
        await settle(app, pilot)
        assert made_after == [True]  # the catalog was opened once the view was built
        await pilot.press("enter")
        await settle(app, pilot)
        state = opened(app).current
        assert state is not None and state.view is ahead  # taken, not built again
        assert app.browser.tabs._head_start is None


async def test_a_view_built_ahead_without_its_subagents_is_shown_then_completed(
    demo_history: tuple[Path, DemoReport], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The snapshot does not know a session's subagents: the view built ahead from it is
    shown on Enter at once, then built again with the subagents the catalog found."""
    dropped: list[str] = []
    drop = HeadStart.drop

    def spied(start: HeadStart) -> None:
        dropped.append(start.session.id)
        drop(start)

    monkeypatch.setattr(HeadStart, "drop", spied)
    root, _ = demo_history
    everything = Catalog(root_from_arg(str(root / "claude")), None)
    everything.refresh()
    parent = next(s for s in everything.sessions() if s.subagent_paths)
    everything.close()
    home = tmp_path / "claude" / "projects" / parent.path.parent.name
    home.mkdir(parents=True)
    shutil.copy(parent.path, home)  # the one session, with its subagents' folder
    shutil.copytree(parent.path.with_suffix(""), home / parent.path.stem)
    (tmp_path / "codex").mkdir()
    cache = tmp_path / "cache"
    roots = snapshot_of(tmp_path, cache)
    app = SessionsApp(lambda: Catalog(roots, cache), snapshot_dir=cache)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        start = app.browser.tabs._head_start
        assert start is not None and not start.session.subagent_paths  # from the snapshot
        ahead = start.view()
        await settle(app, pilot)  # the catalog has listed the session with its subagents
        await pilot.press("enter")
        await settle(app, pilot)
        await settle(app, pilot)
        state = opened(app).current
        assert not dropped  # taken by the open, not dropped for another build
        assert ahead is not None and state is not None and state.view is not ahead
        assert len(state.view.session.subagent_paths) == len(parent.subagent_paths)
        assert state.view.counts()["subagent"] > 0 and state.view.total > ahead.total


async def test_a_view_built_ahead_for_nothing_is_closed(
    demo_history: tuple[Path, DemoReport], tmp_path: Path
) -> None:
    """Another session opened first: the view built ahead for the highlighted one is
    closed (its database place given back), and the open builds its own."""
    cache = tmp_path / "cache"
    roots = snapshot_of(demo_history[0], cache)
    app = SessionsApp(lambda: Catalog(roots, cache), snapshot_dir=cache)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        start = app.browser.tabs._head_start
        assert start is not None
        ahead = start.view()
        assert ahead is not None
        await pilot.press("j", "enter")
        await settle(app, pilot)
        state = opened(app).current
        assert state is not None and state.view.session.id != start.session.id
        assert state.view is not ahead
        with pytest.raises(duckdb.ConnectionException):
            ahead.cursor()


async def test_the_least_recent_session_closes_past_the_limit(
    demo_history: tuple[Path, DemoReport],
) -> None:
    root, _ = demo_history
    roots = root_from_arg(str(root / "claude")) + root_from_arg(str(root / "codex"))
    app = SessionsApp(Catalog(roots, None), open_limit=2)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        sessions = app.query_one(SessionList)
        ids = []
        for i in range(3):
            sessions.select(i)
            sessions.focus()
            ids.append(sessions.selected_session.id)  # type: ignore[union-attr]
            await pilot.press("enter")
            await settle(app, pilot)
            if i == 1:
                await pilot.press("left_square_bracket")  # session 0 is now the most recent
        assert opened(app).tabs == [ids[0], ids[2]]  # session 1 was the least recently used


async def test_the_mouse_wheel_scrolls_the_messages(demo_history: tuple[Path, DemoReport]) -> None:
    root, _ = demo_history
    app = make_app(root)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        pane = app.query_one(MessagePane)
        assert pane.scroll_y == 0 and pane.max_scroll_y > 0
        event = events.MouseScrollDown(
            widget=pane, x=5, y=5, delta_x=0, delta_y=1, button=0, shift=False, meta=False,
            ctrl=False, screen_x=50, screen_y=5,
        )  # fmt: skip
        pane.post_message(event)
        await pilot.pause()
        assert pane.scroll_y > 0
        # a click on an entry selects it; a second click expands it
        state = opened(app).current
        assert state is not None
        await pilot.press("g")
        await pilot.click(MessagePane, offset=(5, state.start(2)))
        assert state.position.selected == 2
        level = state.level(2)
        await pilot.click(MessagePane, offset=(5, state.start(2)))
        assert state.level(2) != level  # opened whole, or folded
