"""Finding and acting, driven through the pilot: /, n/N, Ctrl+F, stats, export, resume, copy."""

from __future__ import annotations

import io
import json
import os
import stat
from pathlib import Path

import pytest
from rich.console import Console
from textual.widgets import OptionList, Static

from sessions_tui.model import Kind
from sessions_tui.tui.dialogs import CommandScreen, ExportScreen
from sessions_tui.tui.screens.search import SearchScreen
from sessions_tui.tui.screens.stats import StatsScreen, parse_range
from sessions_tui.tui.widgets.message_pane import MessagePane
from tests.pilot import (
    A,
    B,
    app_for,
    open_session,
    opened,
    reads_as,
    session_a,
    settle,
    status_right,
    story,
)


async def test_search_in_session_steps_expands_and_counts(tmp_path: Path) -> None:
    async with session_a(tmp_path) as (app, pilot, state):
        await pilot.press("slash", *"timeout", "enter")
        await settle(app, pilot)
        finding = state.finding
        assert finding is not None
        hit_kinds = [reads_as(state, i) for i in state.hits()]
        assert hit_kinds == [Kind.ERROR, Kind.ASSISTANT, Kind.ASSISTANT]
        first = state.hits()[0]
        assert state.position.selected == first and state.visible[first] in state.expanded
        assert "1/3" in status_right(app)
        pane = app.query_one(MessagePane)
        marked = [
            seg for y in range(pane.size.height) for seg in pane.render_line(y)
            if seg.text.lower() == "timeout"
        ]  # fmt: skip
        assert marked and all(seg.style == marked[0].style for seg in marked)
        await pilot.press("n")
        second = state.hits()[1]
        assert state.position.selected == second and "2/3" in status_right(app)
        assert state.visible[first] not in state.expanded  # n collapses what n expanded
        await pilot.press("n", "n")
        assert state.position.selected == first  # wraps around
        await pilot.press("N")
        assert state.position.selected == state.hits()[2]
        # Hits the filter hides are counted and pointed at.
        await pilot.press("2")  # assistant text only: the error's hit is hidden
        assert len(state.hits()) == 2 and "1 hidden by the filter" in status_right(app)
        await pilot.press("escape")
        assert state.finding is None and "timeout" not in status_right(app)


async def test_search_in_session_smart_case_regex_and_errors(tmp_path: Path) -> None:
    async with session_a(tmp_path) as (app, pilot, state):
        await pilot.press("slash", *"Deploy", "enter")
        await settle(app, pilot)
        assert state.finding is not None and len(state.finding.matches) == 1  # a capital
        await pilot.press("slash", "ctrl+u", "ctrl+r", *"time(out", "enter")
        await settle(app, pilot)
        assert "invalid regular expression" in status_right(app)
        await pilot.press("ctrl+u", *r"after \d+s", "enter")
        await settle(app, pilot)
        assert state.finding is not None and state.finding.query.regex
        assert [reads_as(state, i) for i in state.hits()] == [Kind.ERROR]


async def test_search_everything_answers_with_sessions_and_opens_a_hit(tmp_path: Path) -> None:
    app = app_for(story(tmp_path / "h", tmp_path / "work"))
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+f")
        assert isinstance(app.screen, SearchScreen)
        await pilot.press(*"zebra")
        await pilot.pause(0.4)  # the search starts after a short quiet spell
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        assert [g.session.id for g in screen.found] == [B]
        # Typing again replaces the results (the running search is stopped first).
        await pilot.press("ctrl+u", *"deploy timeout")
        await pilot.pause(0.4)
        await settle(app, pilot)
        (group,) = screen.found  # one row for the session, however many of its entries match
        assert group.session.id == A and group.count == 3 and len(group.hits) == 3
        assert group.best.kind is Kind.ERROR  # "deploy timeout" itself: the exact phrase first
        status = str(screen.query_one("#search-status", Static).content)
        assert "1 session · 3 matching entries" in status
        results = screen.query_one(OptionList)
        assert results.option_count == 1
        await pilot.press("down", "right")  # into the results; → shows the session's hits
        assert results.option_count == 4
        await pilot.press("left")
        assert results.option_count == 1
        await pilot.press("right", "down", "down", "enter")
        await settle(app, pilot)
        state = opened(app).current
        assert not isinstance(app.screen, SearchScreen) and state is not None
        chosen = group.hits[1]
        seq = state.view.seq_of(chosen.path, chosen.n)
        assert seq is not None and state.visible[state.position.selected] == seq
        assert seq in state.expanded and state.finding is not None


async def test_one_enter_opens_the_session_of_a_quoted_phrase(tmp_path: Path) -> None:
    app = app_for(story(tmp_path / "h", tmp_path / "work"))
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        # Typed and sent at once: Enter comes before the search has answered.
        await pilot.press("ctrl+f", *'"hit a timeout" -green', "enter")
        await pilot.pause(0.4)
        await settle(app, pilot)
        state = opened(app).current
        assert not isinstance(app.screen, SearchScreen) and state is not None
        assert state.view.session.id == A
        shown = state.view.full_text(state.visible[state.position.selected])
        assert "hit a timeout" in shown
        # The session's own search has the same query: a phrase stays a phrase (the words
        # alone are in three entries), and n steps through that one entry.
        assert state.finding is not None and state.finding.query.terms.phrases == ("hit a timeout",)
        assert len(state.hits()) == 1


async def test_stats_screen_scopes(tmp_path: Path) -> None:
    app = app_for(story(tmp_path / "h", tmp_path / "work"))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await open_session(app, pilot, A)
        await pilot.press("s")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, StatsScreen)
        console = Console(width=120, record=True, file=io.StringIO())
        console.print(screen.query_one("#stats-body", Static).content)
        text = console.export_text()
        assert "this session" in text and "sessions per day" in text and "Bash" in text
        await pilot.press("p")
        await settle(app, pilot)
        assert screen.scope.project == str(tmp_path / "work")
        await pilot.press("escape")
        assert not isinstance(app.screen, StatsScreen)
    assert parse_range("2026-10-01..2026-11-15") == ("2026-10-01", "2026-11-15")
    assert parse_range("..2026-11-15") == (None, "2026-11-15")
    with pytest.raises(ValueError):
        parse_range("last week")


async def test_export_dialog_writes_and_refuses_session_folders(tmp_path: Path) -> None:
    root = story(tmp_path / "h", tmp_path / "work")
    app = app_for(root)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        await open_session(app, pilot, A)
        await pilot.press("1")  # prompts only
        target = tmp_path / "out" / "a.json"
        target.parent.mkdir()
        await pilot.press("x")
        assert isinstance(app.screen, ExportScreen)
        await pilot.press("ctrl+u", *str(target), "ctrl+f", "enter")
        await settle(app, pilot)
        doc = json.loads(target.read_text("utf-8"))
        assert doc["session"]["id"] == A and [e["kind"] for e in doc["entries"]] == ["prompt"]
        assert doc["filter"] == "kinds prompt"
        assert "wrote " in status_right(app)
        assert stat.S_IMODE(target.stat().st_mode) & 0o044  # readable like any new file
        await pilot.press("x", "ctrl+u", *str(root / "projects" / "x.md"), "enter")
        await settle(app, pilot)
        assert "will not write into a session folder" in status_right(app)
        assert not (root / "projects" / "x.md").exists()


def fake_program(folder: Path, name: str) -> Path:
    """A stand-in for claude/codex that records its arguments and folder."""
    folder.mkdir(parents=True, exist_ok=True)
    log = folder / f"{name}.log"
    script = folder / name
    script.write_text(f'#!/bin/sh\necho "$PWD $*" >> "{log}"\n')
    script.chmod(0o755)
    return log


async def test_resume_runs_the_program_in_the_session_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    work = tmp_path / "work"
    log = fake_program(tmp_path / "bin", "claude")
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}")
    app = app_for(story(tmp_path / "h", work))
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        await open_session(app, pilot, A)
        await pilot.press("R")
        await settle(app, pilot)
        assert log.read_text().split() == [str(work), "--resume", A]
        assert "back from claude (exit status 0)" in status_right(app)


async def test_resume_without_the_program_offers_the_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    app = app_for(story(tmp_path / "h", tmp_path / "work"))
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        await open_session(app, pilot, A)
        await pilot.press("R")
        assert isinstance(app.screen, CommandScreen)
        assert "claude is not on PATH" in app.screen.problem
        await pilot.press("c")
        assert app.clipboard == f"cd {tmp_path / 'work'} && claude --resume {A}"


async def test_copy_id_path_and_entry(tmp_path: Path) -> None:
    root = story(tmp_path / "h", tmp_path / "work")
    app = app_for(root)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        await open_session(app, pilot, A)
        await pilot.press("y")
        assert app.clipboard == A
        await pilot.press("Y")
        assert app.clipboard == str(root / "projects" / "-work" / f"{A}.jsonl")
        await pilot.press("c")
        assert app.clipboard == "Please fix the flaky deploy"


async def test_settings_theme_keymap_kinds_and_dates(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sessions_tui.config import Settings
    from sessions_tui.tui.widgets import session_list

    monkeypatch.setattr(session_list, "LIVE_SECONDS", 0)  # files just written: not `live`

    settings = Settings(theme="gruvbox", keymap={"app.search_all": "ctrl+s"},
                        default_kinds=("error",), date_format="%Y/%m/%d")  # fmt: skip
    app = app_for(story(tmp_path / "h", tmp_path / "work"), settings=settings)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        assert app.theme == "gruvbox"
        assert "2026/11/2" in "".join(s.text for s in app.browser.listing.sessions.render_line(0))
        await open_session(app, pilot, A)
        state = opened(app).current
        assert state is not None
        assert {reads_as(state, i) for i in range(len(state.visible))} == {Kind.ERROR}
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, SearchScreen)


async def test_an_unknown_theme_is_said_not_fatal(tmp_path: Path) -> None:
    from sessions_tui.config import Settings

    app = app_for(story(tmp_path / "h", tmp_path / "work"), settings=Settings(theme="nope"))
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        assert "theme 'nope' is not known" in status_right(app)


async def test_performance_panel_and_palette(tmp_path: Path) -> None:
    from sessions_tui.tui.screens.perf import PerfScreen

    app = app_for(story(tmp_path / "h", tmp_path / "work"))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await open_session(app, pilot, A)
        await pilot.press("pagedown", "pageup", "f12")
        assert isinstance(app.screen, PerfScreen)
        report = app.profile_report()
        assert report["timings"]["open session"]["count"] >= 1
        assert report["timings"]["window"]["count"] >= 1
        (view,) = report["views"]
        assert view["session"] == A and view["rows"] == opened(app).states[A].view.total
        assert report["hit_rates"]["render cache"]["hits"] > 0
        await pilot.press("escape")
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Performance" in titles


async def test_the_index_builds_in_the_background_and_search_answers_meanwhile(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Right after the catalog, the index is built newest file first, one batch each time
    the person is idle; a search meanwhile answers from what is read, says how much, and
    grows as the build goes on."""
    from sessions_tui.tui import feed
    from sessions_tui.tui.screens.browser import BrowserScreen
    from tests.records import user, write

    folder = tmp_path / "h" / "projects" / "-w"
    for i, sid in enumerate(("0ld00000-0000-0000-0000-000000000000",
                             "4ew00000-0000-0000-0000-000000000000")):  # fmt: skip
        path = write(folder, f"{sid}.jsonl", [
            user(f"the walrus number {i}", "u1", sessionId=sid,
                 timestamp=f"2026-11-2{i}T10:00:00.000Z"),
        ])  # fmt: skip
        os.utime(path, ns=(10**18 + i * 10**12,) * 2)  # the second file is the newer
    batches_allowed = [1]

    def idle(self: BrowserScreen) -> bool:
        if batches_allowed[0] > 0:
            batches_allowed[0] -= 1
            return True
        return False

    monkeypatch.setattr(BrowserScreen, "_idle", idle)
    monkeypatch.setattr(feed, "INDEX_BATCH", 1)  # a file a batch
    monkeypatch.setattr(feed, "MOST_WAIT", 60.0)
    app = app_for(tmp_path / "h")
    async with app.run_test(size=(120, 30)) as pilot:
        catalog = app.feed.catalog
        for _ in range(100):  # the first batch: the newer file
            await pilot.pause(0.05)
            catalog = app.feed.catalog
            progress = catalog.index.progress if catalog is not None else None
            if progress is not None and progress[0] > 0:
                break
        assert catalog is not None and catalog.index.progress is not None
        assert "indexing for search 50%" in status_right(app)
        await pilot.press("ctrl+f", *"walrus")
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        for _ in range(60):
            await pilot.pause(0.05)
            if screen.found:
                break
        assert [g.session.id[:3] for g in screen.found] == ["4ew"]  # newest first, at once
        status = str(screen.query_one("#search-status", Static).content)
        assert "the index is 50% built" in status
        batches_allowed[0] = 10**6  # the person stops typing: the build goes on
        for _ in range(100):
            await pilot.pause(0.05)
            if len(screen.found) == 2:
                break
        assert sorted(g.session.id[:3] for g in screen.found) == ["0ld", "4ew"]
        status = str(screen.query_one("#search-status", Static).content)
        assert "2 sessions · 2 matching entries" in status
        await pilot.press("escape")
        await settle(app, pilot)
        assert catalog.index.progress is None and "indexing" not in status_right(app)
        assert catalog.index.stale(catalog.file_facts()) == ([], [])
