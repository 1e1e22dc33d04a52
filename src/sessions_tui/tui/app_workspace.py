"""Coming back tomorrow: the open sessions, filters, expanded entries and positions."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from sessions_tui.tui.app_live import LiveActions
from sessions_tui.tui.state.restore import RestoreQueue

if TYPE_CHECKING:  # loaded after the first paint
    from sessions_tui.tui.state.viewstate import SessionState
    from sessions_tui.tui.state.workspace import Workspace


class WorkspaceActions(LiveActions):
    """Saves the workspace on quit and reopens it on the next start."""

    state_folder: Path | Callable[[], Path] | None = None
    restore: RestoreQueue

    def snapshot_workspace(self) -> Workspace:
        from sessions_tui.tui.state.workspace import Tab, Workspace

        tabs = []
        for sid in self.open.tabs:
            st = self.open.states[sid]
            selected = st.visible[st.position.selected] if st.visible else None
            top = st.visible[st.locate(st.position.scroll_y)[0]] if st.visible else None
            tabs.append(
                Tab(
                    sid,
                    str(st.view.session.path),
                    **Tab.filter_fields(st.filter),
                    selected_seq=selected,
                    top_seq=top,
                    expanded=sorted(st.expanded),
                )
            )
        return Workspace(tabs, self.open.active)

    def _state_folder(self) -> Path | None:
        """The folder of the workspace file (resolved when first needed: platformdirs'
        import costs 13–18 ms, which the first paint does not wait for)."""
        if callable(self.state_folder):
            self.state_folder = self.state_folder()
        return self.state_folder

    def save_workspace(self) -> None:
        folder = self._state_folder()
        if folder is None:
            return
        from sessions_tui.tui.state.workspace import save

        started = time.perf_counter()
        try:
            save(self.snapshot_workspace(), folder)
        except OSError as exc:  # quitting goes on; the next start opens fresh
            self.log.warning(f"could not save the workspace: {exc}")
        self.timings["workspace_save"] = time.perf_counter() - started

    def load_workspace(self) -> None:
        """Read the saved workspace; its sessions open once the catalog is there."""
        folder = self._state_folder()
        if folder is None:
            return
        from sessions_tui.tui.state.workspace import WorkspaceError, load

        started = time.perf_counter()
        try:
            saved = load(folder)
        except WorkspaceError as exc:
            self.notice = str(exc)
            return
        if saved is None or not saved.tabs:
            return
        self.restore = RestoreQueue(saved)
        self.timings["workspace_load"] = time.perf_counter() - started

    def continue_restore(self) -> None:
        """Open the next saved session (one at a time; a missing one is dropped quietly)."""
        if self.catalog is None:
            return
        if self.restore.waiting and "restore_started" not in self.timings:
            self.timings["restore_started"] = time.perf_counter()
        session = self.restore.next({s.id: s for s in self.sessions_list.sessions})
        if session is not None:
            self.request_open(session)
            return
        order = self.restore.finish(list(self.open.tabs))
        if order is not None:  # all done: tabs back in their saved order
            self.open.tabs = order
            if self.open.active is not None:
                self._activate(self.open.active)
            self.timings["workspace_restored"] = time.perf_counter()

    def restored(self, session_id: str, state: SessionState) -> bool:
        """Apply the saved filter, expansions and position to a reopened session.

        Returns whether to show it now (the saved active session) or keep it behind.
        """
        tab = self.restore.opened(session_id)
        if tab is None:
            return True
        if state.filter != tab.filter():
            state.set_filter(tab.filter())
        for seq in tab.expanded:
            if state.index_of(seq) is not None:
                self.pane.expand_in(state, seq)
        if tab.selected_seq is not None and (i := state.index_of(tab.selected_seq)) is not None:
            state.position.selected = i
        if tab.top_seq is not None and (i := state.index_of(tab.top_seq)) is not None:
            state.position.scroll_y = state.offsets[i]
        self.call_later(self.continue_restore)
        if session_id == self.restore.active:
            self.timings["restore_active_at"] = time.perf_counter()
        return session_id == self.restore.active or self.open.active is None
