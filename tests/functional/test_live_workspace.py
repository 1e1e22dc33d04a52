"""Live follow (appends in bursts, torn lines, rewrites) and the workspace kept across runs."""

from __future__ import annotations

import json
import random
from pathlib import Path

from sessions_tui.sources.discovery import root_from_arg
from sessions_tui.store.catalog import Catalog
from sessions_tui.store.filters import Filter
from sessions_tui.tui.app import SessionsApp
from sessions_tui.tui.screens.browser import LIST_EVERY
from sessions_tui.tui.state.workspace import load
from tests.pilot import A, B, listed, open_session, opened, settle, status_right, story
from tests.records import assistant, user, write


def live_line(n: int) -> str:
    return assistant({"type": "text", "text": f"LIVE {n}"}, f"live-{n}", 1, f"live-{n}",
                     sessionId=A, timestamp="2026-11-22T10:00:00.000Z")  # fmt: skip


def live_texts(app: SessionsApp) -> list[str]:
    state = opened(app).states[A]
    return [e.text for e in state.view.entries() if e.text.startswith("LIVE ")]


async def test_a_thousand_appended_records_each_appear_once(tmp_path: Path) -> None:
    root = story(tmp_path / "h", tmp_path / "work")
    path = root / "projects" / "-work" / f"{A}.jsonl"
    app = SessionsApp(Catalog(root_from_arg(str(root)), None), follow=False)
    rng = random.Random(4)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        await open_session(app, pilot, A)
        state = opened(app).states[A]
        before = state.view.total
        await pilot.press("G")  # at the bottom: the pane follows
        data = "".join(live_line(n) + "\n" for n in range(1000)).encode()
        written = 0
        while written < len(data):
            # Bursts of up to ~40 records, cut anywhere (mid-line, mid-character even).
            size = rng.randint(1, 40 * 200)
            with path.open("ab") as f:
                f.write(data[written : written + size])
            written = min(len(data), written + size)
            app.browser.tabs.follow()  # what the once-a-second timer calls
            complete = data[:written].count(b"\n")
            assert live_texts(app) == [f"LIVE {n}" for n in range(complete)]
        await pilot.pause()
        assert state.view.total == before + 1000
        assert state.position.selected == len(state.visible) - 1  # followed to the end
        assert state.new_entries == 0


async def test_appends_away_from_the_bottom_show_a_new_marker(tmp_path: Path) -> None:
    root = story(tmp_path / "h", tmp_path / "work")
    path = root / "projects" / "-work" / f"{A}.jsonl"
    app = SessionsApp(Catalog(root_from_arg(str(root)), None))  # the real timer follows
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        await open_session(app, pilot, A)
        state = opened(app).states[A]
        await pilot.press("g")
        with path.open("a", encoding="utf-8") as f:
            f.write("".join(live_line(n) + "\n" for n in range(3)) + live_line(3)[:20])
        for _ in range(30):  # the timer ticks once a second
            await pilot.pause(0.1)
            if state.new_entries:
                break
        await pilot.pause()  # the status bar hears of it from the pane
        assert state.new_entries == 3 and "3 new" in status_right(app)
        assert state.position.selected == 0  # the reader was not moved
        await pilot.press("G")
        assert state.new_entries == 0
        # A rewritten (shorter) file is read again from the start.
        path.write_text(path.read_text("utf-8").split("\n", 1)[0] + "\n", encoding="utf-8")
        app.browser.tabs.follow()
        assert state.view.total == 1 and live_texts(app) == []


async def test_the_workspace_comes_back(tmp_path: Path) -> None:
    root = story(tmp_path / "h", tmp_path / "work")
    state_dir = tmp_path / "state"

    def app(**kwargs: object) -> SessionsApp:
        return SessionsApp(lambda: Catalog(root_from_arg(str(root)), None), follow=False,
                           state_folder=state_dir, **kwargs)  # type: ignore[arg-type]  # fmt: skip

    first = app()
    async with first.run_test(size=(120, 30)) as pilot:
        await settle(first, pilot)
        await open_session(first, pilot, B)
        await open_session(first, pilot, A)
        await pilot.press("2", "j", "enter", "j")  # assistant only; expand one; move on
        a = opened(first).states[A]
        kept = (a.filter, set(a.expanded), a.visible[a.position.selected])
    saved = load(state_dir)
    assert saved is not None and saved.active == A and [t.session_id for t in saved.tabs] == [B, A]

    second = app()
    async with second.run_test(size=(120, 30)) as pilot:
        await settle(second, pilot)
        await settle(second, pilot)
        assert opened(second).tabs == [B, A] and opened(second).active == A
        a = opened(second).states[A]
        assert (a.filter, set(a.expanded), a.visible[a.position.selected]) == kept
        assert second.browser.tabs.reader.pane.state is a

    (root / "projects" / "-work" / f"{B}.jsonl").unlink()  # a session gone: dropped quietly
    third = app()
    async with third.run_test(size=(120, 30)) as pilot:
        await settle(third, pilot)
        await settle(third, pilot)
        assert opened(third).tabs == [A] and status_right(third) == ""

    fresh = app(fresh=True)  # skips the restore; quitting saves what is open then
    async with fresh.run_test(size=(120, 30)) as pilot:
        await settle(fresh, pilot)
        assert opened(fresh).tabs == []

    (state_dir / "workspace.json").write_text("{not json", encoding="utf-8")
    fourth = app()
    async with fourth.run_test(size=(120, 30)) as pilot:
        await settle(fourth, pilot)
        assert opened(fourth).tabs == [] and "ignored the saved workspace" in status_right(fourth)
    # Quitting wrote a good file again over the corrupt one.
    assert json.loads((state_dir / "workspace.json").read_text("utf-8"))["tabs"] == []
    hostile = {
        "nested": '{"version": 1, "tabs": ' + "[" * 100_000 + "]" * 100_000 + "}",
        "1e400": '{"version": 1, "active": null, "tabs": [{"session_id": "x", '
        '"position": 1e400, "filter": {}}]}',
    }
    for name, text in hostile.items():
        (state_dir / "workspace.json").write_text(text, encoding="utf-8")
        started = app()
        async with started.run_test(size=(120, 30)) as pilot:
            await settle(started, pilot)
            assert opened(started).tabs == [], name
            assert "ignored the saved workspace" in status_right(started), name


def test_filters_round_trip_through_the_saved_form() -> None:
    from sessions_tui.tui.state.workspace import Tab

    for flt in (Filter(None), Filter.default(), Filter(frozenset(), "Bash", True)):
        assert Tab("x", "p", **Tab.filter_fields(flt)).filter() == flt


async def test_quitting_while_a_session_opens_is_clean(tmp_path: Path) -> None:
    root = story(tmp_path / "h", tmp_path / "work")
    app = SessionsApp(
        lambda: Catalog(root_from_arg(str(root)), None), state_folder=tmp_path / "state"
    )
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("enter", "q")  # the open is still running in its thread
    assert app.return_code in (0, None)
    saved = load(tmp_path / "state")
    assert saved is not None  # the workspace was still written


async def test_new_sessions_come_into_the_list(tmp_path: Path) -> None:
    root = story(tmp_path / "h", tmp_path / "work")
    app = SessionsApp(Catalog(root_from_arg(str(root)), None))
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        assert len(listed(app)) == 2
        new = "cccccccc-1111-2222-3333-444444444444"
        (root / "projects" / "-work" / f"{new}.jsonl").write_text(
            live_line(1).replace(A, new) + "\n", encoding="utf-8"
        )
        for _ in range(80):  # the roots are checked every few seconds
            await pilot.pause(0.1)
            if any(s.id == new for s in listed(app)):
                break
        assert any(s.id == new for s in listed(app))
        shown = listed(app)
        assert app.browser.refresh_catalog()  # a walk that finds nothing new
        await settle(app, pilot)
        assert listed(app) is shown  # the list is left as it was, not built and drawn again
        (root / "projects" / "-work" / f"{new}.jsonl").unlink()
        assert app.browser.refresh_catalog()  # one that finds a session gone
        await settle(app, pilot)
        assert not any(s.id == new for s in listed(app))


async def test_a_covered_browser_waits_and_catches_up(tmp_path: Path) -> None:
    """Under the stats screen the browser's checks wait: each one made Textual draw the
    screen on top again (the whole stats, every 3 s). Back in the browser, it catches up."""
    root = story(tmp_path / "h", tmp_path / "work")
    app = SessionsApp(Catalog(root_from_arg(str(root)), None))
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("s")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "StatsScreen"
        drawn = 0
        display = app._display

        def counted(*args: object, **kwargs: object) -> None:
            nonlocal drawn
            drawn += 1
            display(*args, **kwargs)  # type: ignore[arg-type]

        app._display = counted  # type: ignore[method-assign]
        new = "cccccccc-1111-2222-3333-444444444444"
        (root / "projects" / "-work" / f"{new}.jsonl").write_text(
            live_line(1).replace(A, new) + "\n", encoding="utf-8"
        )
        await pilot.pause(LIST_EVERY + 1)  # a check would have come (and found the new file)
        assert drawn == 0
        assert not any(s.id == new for s in listed(app))
        await pilot.press("escape")
        for _ in range(80):
            await pilot.pause(0.1)
            if any(s.id == new for s in listed(app)):
                break
        assert any(s.id == new for s in listed(app))


async def test_a_tab_restored_at_a_cold_start_gets_its_subagents(tmp_path: Path) -> None:
    """A cold catalog lists a session before it has read its subagent files: a tab
    restored then was built without them, and stayed so. It is built again with them,
    in the background, and the reader stays on the same entry."""
    root = story(tmp_path / "h", tmp_path / "work")
    work = str(tmp_path / "work")
    write(root / "projects" / "-work" / A / "subagents", "agent-s1.jsonl", [
        user("look for the timeout", "su1", timestamp="2026-11-20T10:00:02.100Z",
             sessionId=A, isSidechain=True, agentId="s1", cwd=work),
        assistant({"type": "text", "text": "found it in deploy.sh"}, "sm1", 5, "sa1",
                  timestamp="2026-11-20T10:00:02.200Z", sessionId=A, isSidechain=True,
                  agentId="s1", cwd=work),
    ])  # fmt: skip
    state_dir = tmp_path / "state"

    def app() -> SessionsApp:
        return SessionsApp(lambda: Catalog(root_from_arg(str(root)), None), follow=False,
                           state_folder=state_dir)  # fmt: skip

    first = app()
    async with first.run_test(size=(120, 30)) as pilot:
        await settle(first, pilot)
        await open_session(first, pilot, A)
        await pilot.press("G", "k", "k")
        a = opened(first).states[A]
        whole = a.view.total
        selected = a.entry(a.position.selected)
        assert a.view.session.subagent_paths
    second = app()
    async with second.run_test(size=(120, 30)) as pilot:
        await settle(second, pilot)
        await settle(second, pilot)
        a = opened(second).states[A]
        assert a.view.session.subagent_paths and a.view.total == whole
        now = a.entry(a.position.selected)
        assert (now.uuid, now.text) == (selected.uuid, selected.text)
