"""The browser's plain state: open sessions (tabs, recency, eviction), a session caught up
with its file, and the workspace taken from what is open."""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

from sessions_tui.model import Kind
from sessions_tui.sources.discovery import root_from_arg
from sessions_tui.store.catalog import Catalog
from sessions_tui.store.filters import Filter
from sessions_tui.store.search import Query
from sessions_tui.store.session_view import SessionView
from sessions_tui.tui.state.open_sessions import OpenSessions
from sessions_tui.tui.state.viewstate import Finding, Level, SessionState
from sessions_tui.tui.state.workspace import Workspace
from tests.records import assistant, user, write


class _View:
    def __init__(self) -> None:
        self.closed = False

    def close(self) -> None:
        self.closed = True


class _State:
    """What OpenSessions uses of a session's state: its view and title."""

    def __init__(self, name: str) -> None:
        self.view = _View()
        self.title = name


def _add(tabs: OpenSessions, name: str, *, activate: bool = True) -> tuple[_State, list[str]]:
    state = _State(name)
    return state, tabs.add(name, cast(Any, state), activate=activate)


def test_the_least_recently_used_session_is_closed_past_the_limit() -> None:
    tabs = OpenSessions(limit=3)
    a, _ = _add(tabs, "a")
    _add(tabs, "b")
    _add(tabs, "c")
    tabs.activate("a")  # b is now the least recently used
    d, evicted = _add(tabs, "d")
    assert evicted == ["b"] and tabs.tabs == ["a", "c", "d"] and tabs.current is cast(Any, d)
    assert not a.view.closed and tabs.titles() == ["a", "c", "d"] and tabs.index() == 2


def test_a_session_opened_behind_is_the_first_to_go_and_closing_falls_back() -> None:
    tabs = OpenSessions(limit=2)
    a, _ = _add(tabs, "a")
    behind, _ = _add(tabs, "b", activate=False)  # a restored tab, not shown yet
    assert tabs.active == "a"
    c, evicted = _add(tabs, "c")
    assert evicted == ["b"] and behind.view.closed and tabs.tabs == ["a", "c"]
    assert tabs.step(1) == "a" and tabs.step(-1) == "a"  # wraps around
    tabs.close("c")
    assert c.view.closed and tabs.active == "a"
    tabs.close_all()
    assert a.view.closed and tabs.active is None and len(tabs) == 0 and tabs.step(1) is None


def _session_file(root: Path) -> tuple[Path, str]:
    sid = "cccccccc-1111-2222-3333-444444444444"
    folder = root / "projects" / "-w"
    lines = [
        user("fix the zebra bug", "u1", sessionId=sid, timestamp="2026-11-20T10:00:00.000Z"),
        *[
            assistant({"type": "text", "text": f"step {i}"}, f"m{i}", 1, f"a{i}", sessionId=sid,
                      timestamp=f"2026-11-20T10:00:{i + 1:02d}.000Z")
            for i in range(6)
        ],
    ]  # fmt: skip
    write(folder, f"{sid}.jsonl", lines)
    return folder / f"{sid}.jsonl", sid


def test_a_session_caught_up_with_its_file_and_kept_as_a_workspace(tmp_path: Path) -> None:
    path, sid = _session_file(tmp_path)
    catalog = Catalog(root_from_arg(str(tmp_path)), None)
    catalog.refresh()
    (session,) = catalog.sessions()
    state = SessionState(SessionView(session), Filter.default())
    query = Query("zebra")
    state.finding = Finding(query, state.view.matching(query), None)
    state.expand(state.visible[2])
    with path.open("a", encoding="utf-8") as f:
        f.write(user("another zebra", "u2", sessionId=sid, timestamp="2026-11-20T10:01:00.000Z")
                + "\n")  # fmt: skip
    change = state.view.refresh(None)
    assert change.kind == "appended"
    state.caught_up(change.kind)
    assert len(state.visible) == 8 and state.counts[Kind.PROMPT.value] == 2
    assert state.finding is not None and len(state.finding.matches) == 2  # the new one too
    assert state.visible[2] in state.expanded  # an append keeps what was expanded

    state.position.selected = 3
    state.new_entries = 2
    assert state.where(100) == "4/8 shown of 8 · usual kinds"  # what the status bar says
    assert state.facts() == ["text 'zebra' 0/2", "↓ 2 new (G)"]
    state.set_filter(Filter(frozenset({Kind.PROMPT}), "Bash"))
    assert state.where(100) == "0/0 shown of 8 · prompt · tool Bash"
    state.set_filter(Filter.default())
    state.position.selected = 3

    tabs = OpenSessions()
    tabs.add(sid, state)
    kept = Workspace.of(tabs)
    assert kept.active == sid and kept.tabs[0].selected_seq == state.visible[3]
    assert kept.tabs[0].expanded == [state.visible[2]] and kept.tabs[0].filter() == state.filter

    # `:` in the reader: a number as the status bar counts, or a time of day
    assert state.index_for("1") == 0 and state.index_for("8") == 7
    assert state.index_for("0") is None and state.index_for("9") is None
    assert state.index_for("10:00:03") == 3  # the third step, written at 10:00:03
    assert state.index_for("10:01") == 7 and state.index_for("9:59") == 0
    assert state.index_for("23:00") is None and state.index_for("later") is None

    state.caught_up("rebuilt")  # a rewritten file: numbers changed, so these go
    assert state.finding is None and not state.expanded
    tabs.close_all()
    catalog.close()


def test_a_result_appended_after_its_call_is_drawn_with_it(tmp_path: Path) -> None:
    """A followed session writes a tool's result after its call: the call's unit is
    measured and summarised again (what was laid out without the result goes)."""
    sid = "dddddddd-1111-2222-3333-444444444444"
    folder = tmp_path / "projects" / "-w"
    call = {"type": "tool_use", "id": "t9", "name": "Bash", "input": {"command": "make"}}
    path = write(folder, f"{sid}.jsonl", [
        user("build it", "u1", sessionId=sid, timestamp="2026-11-20T10:00:00.000Z"),
        assistant(call, "m1", 1, "a1", sessionId=sid, timestamp="2026-11-20T10:00:01.000Z"),
    ])  # fmt: skip
    catalog = Catalog(root_from_arg(str(tmp_path)), None)
    catalog.refresh()
    (session,) = catalog.sessions()
    state = SessionState(SessionView(session), Filter.default())
    i = state.index_of(state.visible[1])
    assert i == 1 and state.units[1].result is None
    state.expand(state.visible[1])
    state.summaries[state.visible[1]] = ("$ make", "", False)  # as the pane leaves them
    state.laid_out(1, Level.FULL, 3)
    result = [{"type": "tool_result", "tool_use_id": "t9", "content": "built\nok"}]
    with path.open("a", encoding="utf-8") as f:
        f.write(user(result, "u2", sessionId=sid, timestamp="2026-11-20T10:00:02.000Z") + "\n")
    change = state.view.refresh(None)
    assert change.kind == "appended"
    state.caught_up(change.kind)
    assert len(state.units) == 2 and state.units[1].result is not None
    assert state.visible[1] not in state.summaries and not state.is_laid_out(1)
    assert state.heights[1] > 3  # estimated again, with the output
