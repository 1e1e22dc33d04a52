"""The restore queue: the sessions of the saved workspace, reopened one at a time, the
active one first, then put back in their saved order. Plain Python; the browser asks it
what to open next and tells it what opened."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sessions_tui.model import Session
    from sessions_tui.tui.state.viewstate import SessionState
    from sessions_tui.tui.state.workspace import Tab, Workspace


class RestoreQueue:
    """What is left to reopen. `shown` is set once the saved active session is on screen
    (or cannot be): the catalog's walk for changes waits for it, up to 2 s."""

    def __init__(self, saved: Workspace | None = None) -> None:
        tabs = list(saved.tabs) if saved is not None else []
        self.active: str | None = saved.active if saved is not None else None
        first = [t for t in tabs if t.session_id == self.active]
        self.pending: list[Tab] = first + [t for t in tabs if t.session_id != self.active]
        self.order: list[str] = [t.session_id for t in tabs]
        self.current: Tab | None = None  # the one being opened
        self.complete = False  # the catalog has listed every session
        self.shown = threading.Event()
        if not tabs:
            self.shown.set()

    @property
    def waiting(self) -> bool:
        """Sessions are left to reopen (or one is opening)."""
        return bool(self.pending) or self.current is not None

    def next(self, listed: dict[str, Session]) -> Session | None:
        """The next session to open (now the current one), or None: one is opening, the
        next is not listed yet (the catalog's full list may still bring it), or none is
        left. A session that is gone is dropped quietly."""
        if self.current is not None:
            return None
        while self.pending:
            tab = self.pending[0]
            session = listed.get(tab.session_id)
            if session is None and not self.complete:
                return None
            self.pending.pop(0)
            if session is None or not session.path.exists():
                if tab.session_id == self.active:
                    self.shown.set()
                continue
            self.current = tab
            return session
        self.shown.set()
        return None

    def tab_for(self, session_id: str) -> Tab | None:
        """The saved tab of a session being reopened (its filter, position…), else None."""
        return self.current if self.current and self.current.session_id == session_id else None

    def opened(self, session_id: str) -> Tab | None:
        """A session opened: its saved tab if it was the one being reopened."""
        tab = self.tab_for(session_id)
        if tab is not None:
            self.current = None
            if session_id == self.active:
                self.shown.set()
        return tab

    def failed(self) -> None:
        """The session being reopened could not be: go on with the next."""
        self.current = None
        self.shown.set()

    def finish(self, open_ids: list[str]) -> list[str] | None:
        """Once every saved session is reopened, the tabs in their saved order (the ones
        opened meanwhile after them), once; else None."""
        if self.waiting or not self.order:
            return None
        order = [sid for sid in self.order if sid in open_ids]
        self.order = []
        return order + [sid for sid in open_ids if sid not in order]


def apply_tab(state: SessionState, tab: Tab) -> None:
    """A saved tab's filter, expansions and place, on a reopened session's state (entries
    the view does not have are left out)."""
    if state.filter != tab.filter():
        state.set_filter(tab.filter())
    for seq in tab.expanded:
        if state.index_of(seq) is not None:
            state.expand(seq)
    if tab.selected_seq is not None and (i := state.index_of(tab.selected_seq)) is not None:
        state.position.selected = i
    if tab.top_seq is not None and (i := state.index_of(tab.top_seq)) is not None:
        state.position.scroll_y = state.start(i)
