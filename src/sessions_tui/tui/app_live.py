"""Following sessions as they are written: new entries, new and changed sessions in the list.

Open sessions are checked once a second with a stat per file (no polling of contents):
a grown file is read from its last complete line, a half-written line waits for the next
tick. The list is checked every few seconds through a `Watch` (folders and recently active
files), with a full walk every minute. Bursts coalesce: a tick reads whatever arrived
since the last one, however many writes that was.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from textual import work
from textual.message import Message

from sessions_tui.profile import PROFILER
from sessions_tui.sources.files import is_regular
from sessions_tui.tui.app_act import ActActions
from sessions_tui.tui.state.viewstate import SessionState
from sessions_tui.tui.widgets.filter_bar import FilterBar

if TYPE_CHECKING:
    from sessions_tui.sources.watch import Watch


class RootsChanged(Message):
    """A session folder changed (a new or changed file): time to refresh the list."""


FOLLOW_EVERY = 1.0  # seconds between checks of the open sessions' files
LIST_EVERY = 3.0  # seconds between checks of the roots
FULL_WALK_EVERY = 60.0


class LiveActions(ActActions):
    """Keeps the open sessions and the list up to date while the app runs."""

    root_watch: Watch | None = None
    _last_walk = 0.0

    def start_following(self) -> None:
        self.set_interval(FOLLOW_EVERY, self.follow_open_sessions)
        self.set_interval(LIST_EVERY, self._check_roots)

    # -- open sessions ------------------------------------------------------------------------
    def follow_open_sessions(self) -> None:
        """Read what was appended to the open sessions' files (one stat per file if nothing)."""
        from sessions_tui.sources.watch import file_state

        for session_id, state in list(self.open.states.items()):
            versions = state.view.versions
            if any(file_state(p) != (v.size, v.mtime_ns) for p, v in versions.items()):
                self.catch_up(session_id, state)

    def catch_up(self, session_id: str, state: SessionState) -> None:
        path = state.view.session.path
        if not path.exists():  # deleted (or its folder moved): keep what was read, say so
            if not state.gone:
                state.gone = True
                self.say(f"{self.display_path(path)} was deleted; showing what was read")
            return
        if not is_regular(path):  # replaced by a FIFO, or a link to a device
            if not state.gone:
                state.gone = True
                self.say(
                    f"{self.display_path(path)} is no longer a regular file; showing what was read"
                )
            return
        state.gone = False
        started = time.perf_counter()
        active = state is self.open.current
        at_bottom = self._at_bottom(state) if active else False
        before = len(state.visible)
        fresh = self.listed(session_id)
        import duckdb

        try:
            change = state.view.refresh(fresh)
        except (duckdb.Error, OSError) as exc:
            self.say(f"cannot read the new entries of {session_id[:8]}: {exc}")
            return
        if change.kind == "none":
            return
        if change.kind == "rebuilt":  # rewritten, not appended: numbers changed
            state.expanded.clear()
            state.expanded_lines.clear()
            state.finding = None
            state.new_entries = 0
        state.reload()
        if state.finding is not None:  # the new entries may match the search
            state.finding.matches = state.view.matching(state.finding.query)
            state.finding.match_set = frozenset(state.finding.matches)
        grown = len(state.visible) - before
        if at_bottom and state.visible:
            state.position.selected = len(state.visible) - 1
            state.position.scroll_y = max(0, state.total_lines - self.pane.size.height)
            state.new_entries = 0
        elif grown > 0 and change.kind == "appended":
            state.new_entries += grown
        if active:
            self.pane.reflow()
            self.query_one(FilterBar).show(state.counts, state.filter)
            self._status()
        self.timings["follow"] = time.perf_counter() - started
        PROFILER.record("follow", self.timings["follow"], "INSERT INTO <view> <appended lines>")
        self.timings["followed_at"] = time.perf_counter()

    def _at_bottom(self, state: SessionState) -> bool:
        height = self.pane.size.height
        return state.total_lines <= height or state.position.scroll_y >= state.total_lines - height

    def seen_bottom(self) -> None:
        """The reader reached the end: the "N new" marker goes."""
        state = self.open.current
        if state is not None and state.new_entries and self._at_bottom(state):
            state.new_entries = 0
            self._status()

    # -- the list -------------------------------------------------------------------------
    def _check_roots(self) -> None:
        if self.catalog is None or any(w.group == "catalog" and w.is_running for w in self.workers):
            return
        if time.monotonic() - self._last_walk >= FULL_WALK_EVERY or self.root_watch is None:
            self._last_walk = time.monotonic()
            self.start_catalog_refresh()
        else:
            self._check_watch(self.root_watch)

    @work(thread=True, exclusive=True, group="watch", description="watching the folders",
          exit_on_error=False)  # fmt: skip
    def _check_watch(self, watch: Watch) -> None:
        if watch.changed():
            self.post_message(RootsChanged())

    def on_roots_changed(self, _message: RootsChanged) -> None:
        self.start_catalog_refresh()

    def rewatch(self) -> None:
        """Take the catalog's latest discovery as what to watch."""
        from sessions_tui.sources.watch import Watch

        if self.catalog is not None:
            open_paths = [s.view.session.path for s in self.open.states.values()]
            self.root_watch = Watch(
                self.catalog.discovery.files, [r.path for r in self.catalog.roots], open_paths
            )
