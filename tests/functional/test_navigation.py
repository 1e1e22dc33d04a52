"""Moving through a session as a reader expects: errors and tool calls, and `:` to go to
an entry number or a time."""

from __future__ import annotations

from pathlib import Path

from tests.pilot import session_a, status_right


async def test_errors_tool_calls_and_go_to(tmp_path: Path) -> None:
    async with session_a(tmp_path) as (app, pilot, state):
        kinds = [state.entry(i).kind.value for i in range(5)]
        assert kinds == ["prompt", "assistant", "tool_call", "error", "assistant"]

        def at() -> int:
            return state.position.selected

        await pilot.press("g", "greater_than_sign")  # `>`: the next error
        assert at() == 3
        await pilot.press("right_parenthesis")  # `)`: no tool call after it: stays
        assert at() == 3
        await pilot.press("left_parenthesis")  # `(`: the call before
        assert at() == 2
        await pilot.press("less_than_sign")  # `<`: no error before it
        assert at() == 2

        await pilot.press("colon", *"45", "enter")  # `:45`: the 45th entry, as `45/46` says
        await pilot.pause()
        assert at() == 44 and "45/" in app.browser.status_bar.left
        await pilot.press("colon", *"10:00:03", "enter")  # a time: the first entry from then
        await pilot.pause()
        assert at() == 3
        await pilot.press("colon", *"99", "enter")
        await pilot.pause()
        assert at() == 3 and "no entry '99' here" in status_right(app)
        await pilot.press("j")  # the keys go to the pane again
        assert at() == 4
