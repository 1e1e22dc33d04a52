"""Filtering: the kinds shown in a session (1…8, 0, e), a tool (t), the session list (/)."""

from __future__ import annotations

from textual import on
from textual.widgets import Input

from sessions_tui.model import Kind
from sessions_tui.store.filters import Filter
from sessions_tui.tui.app_base import AppBase
from sessions_tui.tui.widgets.filter_bar import toggled


class FilterActions(AppBase):
    """Kind and tool filters of the open session, and the session list's text filter."""

    def action_kind(self, number: int) -> None:
        if self.open.current is not None:
            self._set_filter(toggled(self.open.current.filter, number))

    def action_all_kinds(self) -> None:
        """0: everything — every kind (`other` included), no tool or subagent filter."""
        if self.open.current is not None:
            self._set_filter(Filter(None))

    def action_errors(self) -> None:
        state = self.open.current
        if state is not None:
            errors_only = state.filter.kinds == frozenset({Kind.ERROR})
            self._set_filter(
                Filter(None if errors_only else frozenset({Kind.ERROR}), state.filter.tool)
            )

    async def action_tool_filter(self) -> None:
        if self.open.current is not None:
            box = await self._input("tool-filter", "tool name (Enter applies, empty clears)")
            box.add_class("visible")
            box.value = self.open.current.filter.tool or ""
            self.focus_now(box)

    @on(Input.Submitted, "#tool-filter")
    def _tool_submitted(self, event: Input.Submitted) -> None:
        event.input.remove_class("visible")
        state = self.open.current
        if state is not None:
            self._set_filter(
                Filter(state.filter.kinds, event.value.strip() or None, state.filter.subagent_only)
            )
        self.focus_now(self.pane)

    async def find_in_list(self) -> None:
        box = await self._input("list-filter", "filter sessions…", left=True)
        box.add_class("visible")
        self.focus_now(box)

    @on(Input.Changed, "#list-filter")
    def _list_filter_changed(self, event: Input.Changed) -> None:
        self.sessions_list.set_query(event.value)

    @on(Input.Submitted, "#list-filter")
    def _list_filter_submitted(self) -> None:
        self.focus_now(self.sessions_list)
