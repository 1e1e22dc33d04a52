"""Moving through a session as a reader expects: errors and tool calls, and `:` to go to
an entry number or a time."""

from __future__ import annotations

from pathlib import Path

from sessions_tui.model import Kind
from tests.pilot import reads_as, session_a, status_right


async def test_errors_tool_calls_and_go_to(tmp_path: Path) -> None:
    async with session_a(tmp_path) as (app, pilot, state):
        kinds = [reads_as(state, i).value for i in range(5)]
        assert kinds == ["prompt", "assistant", "error", "assistant", "assistant"]
        assert state.units[2].kind is Kind.TOOL_CALL  # the failed call and its error: one

        def at() -> int:
            return state.position.selected

        await pilot.press("g", "greater_than_sign")  # `>`: the next error
        assert at() == 2
        await pilot.press("greater_than_sign")  # no error after it: stays
        assert at() == 2
        await pilot.press("g", "right_parenthesis")  # `)`: the next tool call
        assert at() == 2
        await pilot.press("right_parenthesis", "less_than_sign")  # none after it, none before
        assert at() == 2
        await pilot.press("G", "left_parenthesis")  # `(`: the call before
        assert at() == 2

        await pilot.press("colon", *"45", "enter")  # `:45`: the 45th entry, as `45/46` says
        await pilot.pause()
        assert at() == 44 and "45/" in app.browser.status_bar.left
        await pilot.press("colon", *"10:00:03", "enter")  # a time: the first entry from then
        await pilot.pause()
        assert at() == 3  # (the error at 10:00:03 is in the call's unit, at 10:00:02)
        await pilot.press("colon", *"99", "enter")
        await pilot.pause()
        assert at() == 3 and "no entry '99' here" in status_right(app)
        await pilot.press("j")  # the keys go to the pane again
        assert at() == 4
        await pilot.press("colon", *"+20", "enter")  # a count on, as 20j in less
        await pilot.pause()
        assert at() == 24
        await pilot.press("colon", *"-30", "enter")  # stops at the first entry
        await pilot.pause()
        assert at() == 0
