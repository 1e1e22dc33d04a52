"""Reading mode: messages whole and wrapped, a tool call and its result one unit folded to
one line, thinking folded; keys that cycle tool detail, show thinking, fold everything;
heights estimated, then exact where the pane has laid units out."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from sessions_tui.model import Kind
from sessions_tui.tui.app import SessionsApp
from sessions_tui.tui.state.viewstate import Level, SessionState
from sessions_tui.tui.widgets.message_pane import MessagePane
from tests.pilot import app_for, opened, settle, status_right
from tests.records import assistant, user, write

SID = "cccccccc-1111-2222-3333-444444444444"
REPLY = (
    "The flaky deploy comes from a timeout that is too short for the migration step, "
    "which takes about forty seconds on a cold database. " * 3
)


def _at(second: int) -> dict[str, str]:
    return {"sessionId": SID, "timestamp": f"2026-11-20T10:{second // 60:02d}:{second % 60:02d}Z"}


def reading_history(root: Path, fillers: int = 0, extra: tuple[str, ...] = ()) -> Path:
    """One session: a prompt, thinking, a long reply, a failing command, an edit, and
    `fillers` more exchanges (for a long session)."""
    edit = {"file_path": "deploy.sh", "old_string": "timeout 30\nretry 1",
            "new_string": "timeout 90\nretry 3\nlog on"}  # fmt: skip
    lines = [
        user("Why is the deploy flaky?", "u1", **_at(0)),
        assistant({"type": "thinking", "thinking": "Look at the timeout first.\nThen the logs."},
                  "m0", 5, "a0", **_at(1)),
        assistant({"type": "text", "text": REPLY}, "m1", 5, "a1", **_at(2)),
        assistant({"type": "tool_use", "id": "t1", "name": "Bash",
                   "input": {"command": "make deploy"}}, "m2", 5, "a2", **_at(3)),
        user([{"type": "tool_result", "tool_use_id": "t1", "is_error": True,
               "content": "Exit code 2\ndeploy timeout after 30s\nrolled back"}], "u2", **_at(4)),
        assistant({"type": "tool_use", "id": "t2", "name": "Edit", "input": edit},
                  "m3", 5, "a3", **_at(5)),
        user([{"type": "tool_result", "tool_use_id": "t2",
               "content": "The file deploy.sh has been updated."}], "u3", **_at(6)),
        assistant({"type": "text", "text": "## Fixed\n\n- raised the **timeout**\n- added a retry"},
                  "m4", 5, "a4", **_at(7)),
    ]  # fmt: skip
    for n in range(fillers):
        lines.append(user(f"question {n}: " + "why " * 40, f"fu{n}", **_at(8 + 2 * n)))
        lines.append(assistant({"type": "text", "text": f"answer {n}\n\n" + "because " * 60},
                               f"fm{n}", 5, f"fa{n}", **_at(9 + 2 * n)))  # fmt: skip
    write(root / "projects" / "-work", f"{SID}.jsonl", [*lines, *extra])
    return root


@asynccontextmanager
async def reading(
    tmp_path: Path, size: tuple[int, int] = (100, 40), fillers: int = 0, extra: tuple[str, ...] = ()
) -> AsyncIterator[tuple[SessionsApp, Any, SessionState, MessagePane]]:
    app = app_for(reading_history(tmp_path / "h", fillers, extra))
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        app.browser.listing.sessions.focus()
        await pilot.press("enter")
        await settle(app, pilot)
        state = opened(app).current
        assert state is not None
        yield app, pilot, state, app.browser.tabs.reader.pane


def detail(state: SessionState) -> Level:
    return state.reading.detail


def laid_out(state: SessionState) -> list[int]:
    """The units whose height is exact (laid out at the pane's width)."""
    return [i for i in range(len(state.units)) if state.is_laid_out(i) and state.heights[i] > 1]


def screen(pane: MessagePane) -> list[str]:
    return [pane.render_line(y).text.rstrip() for y in range(pane.size.height)]


def unit_lines(pane: MessagePane, state: SessionState, i: int) -> list[str]:
    """The lines unit `i` draws now (it is laid out first)."""
    pane.go_to(i)
    at = state.start(i) - round(pane.scroll_y)
    return screen(pane)[at : at + state.heights[i]]


async def test_messages_whole_tools_and_thinking_folded(tmp_path: Path) -> None:
    async with reading(tmp_path) as (_app, _pilot, state, pane):
        kinds = [u.kind for u in state.units]
        assert kinds == [Kind.PROMPT, Kind.THINKING, Kind.ASSISTANT, Kind.TOOL_CALL,
                         Kind.TOOL_CALL, Kind.ASSISTANT]  # fmt: skip
        assert [state.level(i) for i in range(6)] == [Level.READ, Level.ONE, Level.READ,
                                                      Level.ONE, Level.ONE, Level.READ]  # fmt: skip
        shown = screen(pane)
        text = "\n".join(shown)
        assert "Why is the deploy flaky?" in text
        # the reply is whole, wrapped to the pane: its last words are on screen
        assert "cold database." in text and all(len(line) <= 100 for line in shown)
        assert sum("forty seconds" in line for line in shown) == 3
        # thinking: one line, its first line beside the label
        assert any("thinking  Look at the timeout first." in line for line in shown)
        assert "Then the logs." not in text
        # a tool call and its result: one line saying what it did and how it went
        assert any("Bash $ make deploy  exit 2" in line for line in shown)
        assert any("Edit deploy.sh  +3 −2" in line for line in shown)
        assert "rolled back" not in text  # the output is folded
        # Markdown: a heading and a list, without their marks
        assert any(line.strip().endswith("Fixed") for line in shown)
        assert any("• raised the timeout" in line for line in shown)
        assert "**" not in text and "##" not in text


async def test_tool_detail_cycles_and_thinking_shows(tmp_path: Path) -> None:
    async with reading(tmp_path) as (app, pilot, state, pane):
        bash = 3
        assert state.heights[bash] == 1
        await pilot.press("v")  # the first lines of the output
        assert detail(state) is Level.PREVIEW and "first lines" in status_right(app)
        lines = unit_lines(pane, state, bash)
        assert "deploy timeout after 30s" in lines[2] and "rolled back" in lines[3]
        edit = unit_lines(pane, state, 4)
        assert any(line.endswith("-timeout 30") for line in edit)  # the edit's diff
        assert any(line.endswith("+timeout 90") for line in edit)
        await pilot.press("v")  # whole: the command, then all of its output
        assert detail(state) is Level.FULL
        lines = unit_lines(pane, state, bash)
        assert any(line.endswith("make deploy") for line in lines[1:])
        assert any("── error ──" in line for line in lines)
        assert any(line.endswith("rolled back") for line in lines)
        await pilot.press("v")  # back to one line
        assert detail(state) is Level.ONE and state.heights[bash] == 1
        await pilot.press("i")  # thinking whole
        assert state.level(1) is Level.READ and "thinking whole" in status_right(app)
        assert any(line.endswith("Then the logs.") for line in unit_lines(pane, state, 1))
        await pilot.press("i")
        assert state.level(1) is Level.ONE


async def test_fold_everything_and_open_everything(tmp_path: Path) -> None:
    async with reading(tmp_path) as (_app, pilot, state, pane):
        await pilot.press("f")
        assert all(state.heights[i] == 1 for i in range(len(state.units)))
        assert len([line for line in screen(pane) if line]) == len(state.units)
        await pilot.press("f")  # and everything open, tools and thinking too
        assert all(state.level(i) is Level.FULL for i in range(len(state.units)))
        await pilot.press("g", "j", "j", "j", "enter")  # Enter folds one
        assert state.level(3) is Level.ONE and state.level(2) is Level.FULL
        await pilot.press("v")  # a detail level: by-hand choices for tools go
        assert state.reading.all is not None


async def test_enter_opens_a_tool_whole_and_folds_a_message(tmp_path: Path) -> None:
    async with reading(tmp_path) as (_app, pilot, state, _pane):
        await pilot.press("g", "j", "j", "j")  # the failing Bash
        await pilot.press("enter")
        assert state.level(3) is Level.FULL and state.heights[3] > 3
        await pilot.press("enter")
        assert state.level(3) is Level.ONE and state.heights[3] == 1
        await pilot.press("g", "enter")  # the prompt, whole already: folded
        assert state.level(0) is Level.ONE


async def test_a_results_filter_shows_them_under_their_calls_line(tmp_path: Path) -> None:
    async with reading(tmp_path) as (_app, pilot, state, pane):
        await pilot.press("e")
        assert [(u.kind, u.result_kind) for u in state.units] == [(Kind.TOOL_CALL, Kind.ERROR)]
        assert any("Bash $ make deploy  exit 2" in line for line in screen(pane))
        await pilot.press("e", "t", *"Edit", "enter")  # a tool: its calls, their output too
        assert [state.entry(i).tool for i in range(len(state.units))] == ["Edit"]
        assert state.units[0].result_kind is Kind.TOOL_RESULT


async def test_heights_are_exact_where_laid_out_and_the_top_entry_stays(tmp_path: Path) -> None:
    async with reading(tmp_path, size=(100, 30), fillers=400) as (_app, pilot, state, pane):
        n = len(state.units)
        assert n > 800
        assert 0 < len(laid_out(state)) < 40  # a screen or so, however long the session
        await pilot.press("G")
        assert pane.scroll_y == pane.max_scroll_y and state.position.selected == n - 1
        assert "because" in screen(pane)[-2]  # the last reply's end, at the bottom
        await pilot.press("colon", *"400", "enter")
        await pilot.pause()
        top = state.visible[state.locate(round(pane.scroll_y))[0]]
        assert top == state.visible[399]
        for _ in range(6):  # up through estimated heights: the lines move, not the entry
            await pilot.press("k")
        assert state.position.selected == 393
        top_line = screen(pane)[0]
        await pilot.press("pageup", "pagedown")
        assert screen(pane)[0] == top_line
        # a resize lays out again; the entry on top stays on top
        top = state.visible[state.locate(round(pane.scroll_y))[0]]
        await pilot.resize_terminal(70, 30)
        await pilot.pause()
        assert state.width == pane.size.width
        assert state.visible[state.locate(round(pane.scroll_y))[0]] == top
        assert all(len(line) <= pane.size.width for line in screen(pane))
        assert len(laid_out(state)) < 80


async def test_an_empty_slash_repeats_the_last_search(tmp_path: Path) -> None:
    async with reading(tmp_path) as (app, pilot, state, _pane):
        await pilot.press("slash", *"timeout", "enter")
        await settle(app, pilot)
        assert state.finding is not None and state.finding.query.text == "timeout"
        await pilot.press("escape")
        assert state.finding is None
        await pilot.press("slash", "enter")
        await settle(app, pilot)
        assert state.finding is not None and state.finding.query.text == "timeout"


async def test_a_tool_unit_is_copied_with_its_output(tmp_path: Path) -> None:
    async with reading(tmp_path) as (app, pilot, _state, _pane):
        await pilot.press("g", "j", "j", "j", "c")
        copied = app.clipboard
        assert json.loads(copied.split("\n\n")[0])["command"] == "make deploy"
        assert copied.endswith("rolled back")


async def test_a_todo_list_longer_than_a_preview_is_counted(tmp_path: Path) -> None:
    todos = [
        {"content": f"step {n} of the long plan to fix the deploy", "status": status}
        for n, status in enumerate(["completed"] * 2 + ["in_progress"] + ["pending"] * 9)
    ]
    call = {"type": "tool_use", "id": "t3", "name": "TodoWrite", "input": {"todos": todos}}
    record = assistant(call, "m5", 5, "a5", **_at(8))
    assert len(json.dumps(todos)) > 600  # more than the preview the list is drawn from
    async with reading(tmp_path, extra=(record,)) as (_app, _pilot, _state, pane):
        shown = screen(pane)
        assert any("TodoWrite 12 todos: 2 done, 1 in progress, 9 pending" in ln for ln in shown)
