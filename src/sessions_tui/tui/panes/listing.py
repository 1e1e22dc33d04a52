"""The list pane: its header (how many, in which order), the sessions, the list's
filter (`/` from the list; store/list_query.py) and the progress of a first read."""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, ProgressBar, Static

from sessions_tui.model import Session
from sessions_tui.tui.key_order import focus_now
from sessions_tui.tui.messages import Said, post_up
from sessions_tui.tui.widgets.query_input import mount_box
from sessions_tui.tui.widgets.session_list import SessionList


class ListPane(Vertical):
    """The list's header, the session list, its filter box and its progress bar."""

    DEFAULT_CSS = """
    ListPane > #list-header { height: 1; padding: 0 1; background: $panel; color: $text-muted; }
    """

    def __init__(self, date_format: str, *, id: str, here: Path | None = None) -> None:
        super().__init__(id=id)
        self.sessions = SessionList(id="sessions", here=str(here) if here else None)
        self.sessions.date_format = date_format
        self.header = Static(id="list-header", markup=False)
        self._problem_said = False

    def compose(self) -> ComposeResult:
        yield self.header
        yield self.sessions

    def on_mount(self) -> None:
        self._described()

    @on(SessionList.Shown)
    def _described(self) -> None:
        self.header.update(self.sessions.describe())

    # -- what the catalog feed reports --------------------------------------------------------
    async def progressed(self, done: int, total: int) -> None:
        """Bytes read of the files that changed: the bar under the list."""
        bars = self.query(ProgressBar)
        if bars:
            bar = bars.first()
        else:  # mounted when first needed (a warm start has no progress to show)
            bar = ProgressBar(id="progress", show_eta=False)
            await self.mount(bar)
        bar.add_class("visible")
        bar.update(total=max(1, total), progress=done)

    def listed(self, sessions: list[Session], *, final: bool) -> None:
        if final:
            for bar in self.query(ProgressBar):
                bar.remove_class("visible")
        self.sessions.set_sessions(sessions)

    # -- the filter box ---------------------------------------------------------------------
    async def find(self) -> None:
        """Open the filter box (words, "phrases", -not, project:, has:errors, 2025-09 …)."""
        box = await mount_box(
            self,
            "list-filter",
            'filter: words "a phrase" -not project:api 2025-09 7d has:errors',
            after=self.sessions,
        )
        box.add_class("visible")
        focus_now(box)

    def close_box(self) -> bool:
        """Escape: clear and close the filter box if it is open."""
        for box in self.query("#list-filter").results(Input):
            if box.has_class("visible"):
                box.value = ""
                self.sessions.set_query("")
                box.remove_class("visible")
                focus_now(self.sessions)
                return True
        return False

    @on(Input.Changed, "#list-filter")
    def _changed(self, event: Input.Changed) -> None:
        query = self.sessions.set_query(event.value)
        if query.problems or self._problem_said:  # said, or cleared once understood
            post_up(self, Said("; ".join(query.problems) or None))
        self._problem_said = bool(query.problems)

    @on(Input.Submitted, "#list-filter")
    def _submitted(self) -> None:
        focus_now(self.sessions)
