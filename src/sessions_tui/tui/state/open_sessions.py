"""The open sessions: tabs in the order they were opened, evicted least recently used.

Plain Python (no Textual). Evicting a session closes its view and frees its table.
"""

from __future__ import annotations

from sessions_tui.tui.state.viewstate import SessionState

DEFAULT_LIMIT = 16


class OpenSessions:
    """Up to `limit` open sessions; switching between them is a pointer swap."""

    def __init__(self, limit: int = DEFAULT_LIMIT) -> None:
        self.limit = max(1, limit)
        self.tabs: list[str] = []  # ids, in opening order
        self.states: dict[str, SessionState] = {}
        self._recency: list[str] = []  # least recently used first
        self.active: str | None = None

    def __contains__(self, session_id: str) -> bool:
        return session_id in self.states

    def __len__(self) -> int:
        return len(self.tabs)

    @property
    def current(self) -> SessionState | None:
        return self.states.get(self.active) if self.active else None

    def add(self, session_id: str, state: SessionState, *, activate: bool = True) -> list[str]:
        """Open a session (activated, or kept behind the active one as least recent);
        returns the ids evicted to stay within the limit."""
        if session_id in self.states:
            self.states[session_id].view.close()
        else:
            self.tabs.append(session_id)
        self.states[session_id] = state
        if activate or self.active is None:
            self.activate(session_id)
        elif session_id not in self._recency:
            self._recency.insert(0, session_id)
        evicted = []
        while len(self.tabs) > self.limit:
            oldest = self._recency[0]
            self.close(oldest)
            evicted.append(oldest)
        return evicted

    def activate(self, session_id: str) -> SessionState:
        if session_id in self._recency:
            self._recency.remove(session_id)
        self._recency.append(session_id)
        self.active = session_id
        return self.states[session_id]

    def close(self, session_id: str) -> None:
        state = self.states.pop(session_id, None)
        if state is not None:
            state.view.close()
        if session_id in self.tabs:
            self.tabs.remove(session_id)
        if session_id in self._recency:
            self._recency.remove(session_id)
        if self.active == session_id:
            self.active = self._recency[-1] if self._recency else None

    def step(self, direction: int) -> str | None:
        """The id of the tab after (1) or before (-1) the active one, wrapping around."""
        if not self.tabs or self.active is None:
            return None
        i = self.tabs.index(self.active)
        return self.tabs[(i + direction) % len(self.tabs)]

    def titles(self) -> list[str]:
        return [self.states[i].title for i in self.tabs]

    def index(self) -> int | None:
        return self.tabs.index(self.active) if self.active in self.tabs else None

    def close_all(self) -> None:
        for session_id in list(self.tabs):
            self.close(session_id)
