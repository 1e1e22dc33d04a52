"""Tools around the reading: the user's settings applied, and the performance panel."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from textual.app import SystemCommand
from textual.screen import Screen

from sessions_tui.config import Settings
from sessions_tui.model import Kind
from sessions_tui.store.filters import Filter
from sessions_tui.tui.app_workspace import WorkspaceActions


def default_filter(settings: Settings) -> Filter:
    """What a session opens with: the `default_kinds` setting, else all but `other`."""
    if settings.default_kinds is None:
        return Filter.default()
    if settings.default_kinds == ("all",):
        return Filter(None)
    return Filter(frozenset(Kind(k) for k in settings.default_kinds))


class ToolActions(WorkspaceActions):
    """Settings (theme, keymap, dates) and the app's own measurements (F12)."""

    settings: Settings

    def _apply_settings(self) -> None:
        """Theme, key bindings and the date format from the settings; problems are said."""
        problems = []
        s = self.settings
        if s.theme is not None:
            if s.theme in self.available_themes:
                self.theme = s.theme
            else:
                names = ", ".join(sorted(self.available_themes))
                problems.append(f"theme {s.theme!r} is not known (themes: {names})")
        if s.keymap:
            from sessions_tui.tui.keys import check_keymap

            problems += check_keymap(s.keymap)
            self.set_keymap(s.keymap)
        self.sessions_list.date_format = s.date_format
        if problems:
            self.notice = "; ".join([*problems, *([self.notice] if self.notice else [])])

    async def action_perf(self) -> None:
        from sessions_tui.tui.screens.perf import PerfScreen

        if not isinstance(self.screen, PerfScreen):
            await self.show(PerfScreen())

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand(
            "Performance panel", "Query timings, caches, open views, memory (F12)", self.action_perf
        )
        yield SystemCommand("Stats", "Sessions, tokens and costs (s)", self.action_stats)
        yield SystemCommand("Search every session", "Ctrl+F", self.action_search_all)

    def profile_report(self) -> dict[str, Any]:
        """The performance panel's numbers (and `--profile FILE`'s)."""
        from sessions_tui.profile import PROFILER

        report = PROFILER.report()
        report["views"] = [
            {
                "session": sid,
                "title": st.title,
                "table": st.view.table,
                "rows": st.view.total,
                "shown": len(st.visible),
                "cached_lines": len(st.strips),
            }
            for sid, st in self.open.states.items()
        ]
        return report
