"""The tabs pane: which sessions are open, opening one (in a worker), following their
files as they are written, and the workspace (the tabs kept across runs).

Open sessions are checked once a second with a stat per file (no polling of contents):
a grown file is read from its last complete line, a half-written line waits for the next
tick; bursts coalesce. Switching tabs is a pointer swap: each session keeps its place,
filter, expanded entries and drawn lines (`state/`).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.timer import Timer
from textual.worker import Worker

from sessions_tui.profile import PROFILER
from sessions_tui.sources.files import is_regular
from sessions_tui.store.filters import Filter
from sessions_tui.store.opening import Opening
from sessions_tui.tui.key_order import focus_now, key_order
from sessions_tui.tui.memory import QuietSettle, settle_memory
from sessions_tui.tui.messages import Began, Said, failed, post_to_screen, post_up
from sessions_tui.tui.panes.preview import PreviewPane
from sessions_tui.tui.panes.reader import ReaderPane
from sessions_tui.tui.state.head_start import HeadStart
from sessions_tui.tui.state.open_sessions import OpenSessions
from sessions_tui.tui.state.restore import RestoreQueue, apply_tab
from sessions_tui.tui.state.viewstate import Reading, SessionState
from sessions_tui.tui.widgets.tabs import OpenTabs

if TYPE_CHECKING:
    from sessions_tui.model import Session
    from sessions_tui.store.search import Hit, Query
    from sessions_tui.store.session_view import SessionView
    from sessions_tui.tui.feed import CatalogFeed
    from sessions_tui.tui.state.workspace import Tab

FOLLOW_EVERY = 1.0  # seconds between checks of the open sessions' files
# A session whose main file is longer than this opens with the head of the file (its
# whole lines in HEAD_BYTES) and shows it while the whole view is built: the first screen
# of a 15 MB session came after 427 ms, and comes after 125 ms (README, Benchmark).
STREAM_FROM = 1_000_000
HEAD_BYTES = 256 * 1024


class TabsPane(Vertical):
    """The strip of open sessions over the reader pane."""

    @dataclass
    class Opened(Message):
        """A session's view is built and ready to show."""

        session_id: str
        state: SessionState
        seconds: float

    @dataclass
    class Whole(Message):
        """The whole view of a session opened with its head (`head`) is built."""

        session_id: str
        head: SessionView
        view: SessionView
        seconds: float

    @dataclass
    class OpenFailed(Message):
        """A session could not be opened (the file vanished, say)."""

        session_id: str
        reason: str
        head: SessionView | None = None  # the rest of a session shown by its head

    @dataclass
    class Changed(Message):
        """A session was opened, closed or switched to."""

        open_ids: set[str]

    def __init__(
        self,
        feed: CatalogFeed,
        timings: dict[str, float],
        *,
        open_limit: int,
        default_filter: Filter,
        state_folder: Path | Callable[[], Path] | None,
        follow: bool,
        id: str,
    ) -> None:
        """`state_folder` keeps the workspace (None: not kept; a function: resolved when
        first needed); `follow` checks the open sessions' files once a second."""
        super().__init__(id=id)
        self.feed = feed
        self.timings = timings
        self.open = OpenSessions(open_limit)
        self.restore = RestoreQueue()  # filled from the saved workspace, if any
        self.default_filter = default_filter
        self.state_folder = state_folder
        self.following = follow
        self._follow_timer: Timer | None = None
        self._settler = QuietSettle(self, self._settle, self._last_key)
        self.known: dict[str, Session] = {}  # the catalog's latest facts, by id
        self.strip = OpenTabs(id="tabs")
        self.reader = ReaderPane(feed, timings, id="reader")
        self.preview = PreviewPane(id="preview")
        self.preview_over = False  # Space in the list: the preview over an open session
        self._opening: Opening | None = None
        self._head_start: HeadStart | None = None  # the view built ahead at start
        self._first_shown = threading.Event()  # the first session opened is on screen
        self._rests: dict[str, Opening] = {}  # sessions shown by their head: the rest's build
        self._pending_hit: tuple[str, Hit, Query] | None = None
        self._replace: dict[str, Tab] = {}  # restored tabs, until the catalog's whole list
        self._tried: dict[str, tuple[Path, ...]] = {}  # subagents a view was rebuilt with

    def compose(self) -> ComposeResult:
        yield self.strip
        yield self.reader
        yield self.preview

    def on_mount(self) -> None:
        self.strip.show([], None)
        self.reader.display = False  # nothing open: the preview is shown
        if self.following:
            self._follow_timer = self.set_interval(FOLLOW_EVERY, self.follow)

    def _last_key(self) -> float:
        order = key_order(self)
        return order.last_key_at if order is not None else 0.0

    def pause_following(self) -> None:
        """While another screen covers the browser (its changes are read on return)."""
        if self._follow_timer is not None:
            self._follow_timer.pause()

    def resume_following(self) -> None:
        if self._follow_timer is not None:
            self._follow_timer.resume()

    def _retabbed(self) -> None:
        """Draw the strip again and tell the screen which sessions are open."""
        self.strip.show(self.open.titles(), self.open.index())
        self._place_preview()
        post_to_screen(self, self.Changed(set(self.open.tabs)))

    @property
    def opening(self) -> bool:
        """Whether a session's view is being built (or the rest of one shown by its head)."""
        return self._opening is not None or bool(self._rests)

    # -- the preview ----------------------------------------------------------------------------
    def toggle_preview(self) -> None:
        """Space in the list: the preview over the open session, or back to it."""
        self.preview_over = not self.preview_over and self.open.current is not None
        self._place_preview()

    def close_preview(self) -> bool:
        """Back from the preview to the open session (False: it was not over one)."""
        if not self.preview_over:
            return False
        self.toggle_preview()
        return True

    def _place_preview(self) -> None:
        """The preview where the reader is when no session is open (or on Space)."""
        showing = self.preview_over or self.open.current is None
        if self.preview.display != showing:
            self.preview.display = showing
            self.reader.display = not showing
            if showing:
                self.preview.catch_up()  # the session highlighted while it was hidden

    # -- what the catalog lists ---------------------------------------------------------------
    def listed(self, sessions: list[Session], *, final: bool, changed: bool) -> None:
        """The catalog's sessions (`final`: its whole list; `changed`: files changed)."""
        self.known = {s.id: s for s in sessions}
        if final:
            self.restore.complete = True
            if changed:
                self.follow()  # a file the list saw change may be open
            # A restored tab's saved place is for its whole view: kept only for the ones
            # being built again with their subagents now.
            self._replace = {i: tab for i, tab in self._replace.items() if i in self._rests}
        self.continue_restore()

    # -- opening ------------------------------------------------------------------------------
    @staticmethod
    def _head(session: Session) -> int | None:
        """How much of `session` an open reads first: its head, if the file is long."""
        return HEAD_BYTES if session.size > STREAM_FROM else None

    def head_start(self, session: Session | None) -> None:
        """Right after a start: build the view of `session` (the row the list highlights)
        in a worker, for an Enter (`state/head_start.py`); not when a session is opening
        already (an Enter came first) or a saved workspace is to be restored."""
        if session is None or session.size <= 0 or self.restore.waiting:
            return
        if self._opening is not None or self.open.tabs:
            return
        start = self._head_start = HeadStart(session, self._head(session))
        self.run_worker(partial(start.build, self.feed.databases), thread=True,
                        group="head-start", exit_on_error=False)  # fmt: skip

    def building(self) -> threading.Event | None:
        """What is set once the view being built (the first open, or the one built ahead)
        runs in DuckDB; None: none is being built."""
        opening = self._head_start.opening if self._head_start is not None else self._opening
        return opening.building if opening is not None else None

    def first_open(self) -> threading.Event | None:
        """What the catalog's first read waits for (a while): the view built ahead, or the
        first session opening now (an Enter pressed at once) on screen. On two cores the
        catalog's read beside them made both slower. None: no open to wait for."""
        if self._head_start is not None:
            return self._head_start.done
        if self._opening is not None and not self.open.tabs:
            return self._first_shown
        return None

    def _drop_head_start(self) -> None:
        if self._head_start is not None:
            self._head_start.drop()
            self._head_start = None

    def warm_up(self) -> None:
        """Right after a start, in a worker: what the first open needs (DuckDB, the view's
        code, a database to build in), so that an Enter pressed at once waits for less (a
        view being built does all that already)."""
        if self._head_start is not None or self._opening is not None:
            return

        def warm(feed: CatalogFeed) -> None:
            import sessions_tui.store.session_view  # noqa: F401

            feed.databases().prepare()

        self.run_worker(partial(warm, self.feed), thread=True, group="warm-open",
                        exit_on_error=False)  # fmt: skip

    def open_session(self, session: Session) -> None:
        """Show a session: at once if open, else once a worker has built its view."""
        if session.id in self.open:
            self.activate(session.id)
            focus_now(self.reader.pane)
            return
        if self._opening is not None:
            self._opening.stop()  # a superseded open must stop, not just be ignored
        post_up(self, Began(f"opening {self.feed.display_path(session.path)} …"))
        tab = self.restore.tab_for(session.id)  # a reopened session starts with its filter
        flt = tab.filter() if tab is not None else self.default_filter
        reading = self.reader.state.reading if self.reader.state is not None else Reading()
        width = self.reader.pane.size.width or 80
        # The head first, unless the place to show is known only to the whole view (a
        # search hit, a reopened tab's saved position).
        pending = self._pending_hit is not None and self._pending_hit[0] == session.id
        head = self._head(session) if tab is None and not pending else None
        start, self._head_start = self._head_start, None
        if start is not None and not start.fits(session, head):
            start.drop()
            start = None
        self._opening = start.opening if start is not None else Opening()
        self._open(
            session, self._opening, flt, self.feed, replace(reading, all=None), width, head, start
        )

    @work(thread=True, exclusive=True, group="open", description="opening a session",
          exit_on_error=False)  # fmt: skip
    def _open(
        self,
        session: Session,
        opening: Opening,
        flt: Filter,
        feed: CatalogFeed,
        reading: Reading,
        width: int,
        head: int | None,
        start: HeadStart | None,
    ) -> None:
        """Build the session's view (of its `head` bytes only, if given), or take the one
        `start` built; only its arguments are read, only messages go out."""
        import duckdb

        from sessions_tui.store.session_view import SessionView

        started = time.perf_counter()
        view = start.view() if start is not None else None  # None: built again, said why
        try:
            if view is None:
                view = SessionView(session, databases=feed.databases(), opening=opening, head=head)
            state = SessionState(view, flt, reading, width=width)
        except (duckdb.Error, OSError) as exc:
            if view is not None:
                view.close()
            if not opening.stopped:  # a superseded open says nothing: the next one speaks
                self.post_message(self.OpenFailed(session.id, str(exc).splitlines()[0]))
            return
        self.post_message(self.Opened(session.id, state, time.perf_counter() - started))
        feed.databases().prepare()  # the next database, when this one is full

    @work(thread=True, group="rest", description="reading the rest of a session",
          exit_on_error=False)  # fmt: skip
    def _read_rest(
        self, head: SessionView, opening: Opening, feed: CatalogFeed, session: Session
    ) -> None:
        """Build the whole view of a session shown by its head (or by a view without
        some of its subagents)."""
        import duckdb

        from sessions_tui.store.session_view import SessionView

        started = time.perf_counter()
        try:
            view = SessionView(session, databases=feed.databases(), opening=opening)
        except (duckdb.Error, OSError) as exc:
            if not opening.stopped:  # closed meanwhile: nothing to say
                reason = str(exc).splitlines()[0]
                self.post_message(self.OpenFailed(session.id, reason, head=head))
            return
        self.post_message(self.Whole(session.id, head, view, time.perf_counter() - started))

    def on_tabs_pane_opened(self, message: Opened) -> None:
        message.stop()
        self._opening = None
        self.timings["open"] = message.seconds
        self.timings["opened_at"] = time.perf_counter()
        show = self._restored(message.session_id, message.state)
        for gone in self.open.add(message.session_id, message.state, activate=show):
            self._stop_rest(gone)
        if message.state.view.partial:  # the whole of it, with the subagents known now
            known = self.known.get(message.session_id, message.state.view.session)
            self._read_whole(message.state.view, known)
        elif not self._without_subagents(message.session_id, message.state) and (
            self.restore.complete  # its subagents are known, and in its view
        ):
            self._replace.pop(message.session_id, None)
        if show:
            self.activate(message.session_id)
            focus_now(self.reader.pane)
        else:
            self._retabbed()
        if self._pending_hit is not None and self._pending_hit[0] == message.session_id:
            _, hit, query = self._pending_hit
            self._pending_hit = None
            self.reader.jump_to_hit(hit, query)
        self.settle_soon()
        self.call_after_refresh(self._first_shown.set)

    def on_tabs_pane_whole(self, message: Whole) -> None:
        """The rest of a session shown by its head: the whole view takes the head's place."""
        message.stop()
        state = self.open.states.get(message.session_id)
        if state is None or state.view is not message.head:  # closed, or opened anew
            message.view.close()
            return
        self._rests.pop(message.session_id, None)
        state.swap(message.view)
        message.head.close()
        tab = self._replace.pop(message.session_id, None)
        if tab is not None:  # restored before its subagents were known: its saved place
            apply_tab(state, tab)
        self.timings["whole"] = message.seconds
        self.timings["whole_at"] = time.perf_counter()
        if state is self.open.current:
            self.reader.reflow()
        self.settle_soon()

    def _without_subagents(self, session_id: str, state: SessionState) -> bool:
        """Whether the view lacks subagent files the catalog knows of now (a tab restored
        before a cold catalog had read them; a subagent started since): then it is built
        again with them, in the background, where the reader is."""
        known = self.known.get(session_id)
        if known is None or known.subagent_paths == state.view.session.subagent_paths:
            return False
        if self._tried.get(session_id) == known.subagent_paths:
            return False  # tried already, and it could not be read: said once
        self._tried[session_id] = known.subagent_paths
        self._read_whole(state.view, known)
        return True

    def _read_whole(self, shown: SessionView, session: Session) -> None:
        """Build the whole view of `session` in the background, to take the place of the
        one `shown` (see `on_tabs_pane_whole`)."""
        self._stop_rest(session.id)
        rest = self._rests[session.id] = Opening()
        self._read_rest(shown, rest, self.feed, session)

    def _stop_rest(self, session_id: str) -> None:
        rest = self._rests.pop(session_id, None)
        if rest is not None:
            rest.stop()

    def on_tabs_pane_open_failed(self, message: OpenFailed) -> None:
        message.stop()
        if message.head is not None:  # the head stays, and says what it is
            state = self.open.states.get(message.session_id)
            if state is not None and state.view is message.head:
                state.rest_failed = True
            if self._rests.pop(message.session_id, None) is not None:
                post_up(self, Said(f"cannot read all of {message.session_id}: "
                                   f"{message.reason}; showing what was read"))  # fmt: skip
            return
        self._opening = None
        self._first_shown.set()
        self.restore.failed()
        post_up(self, Said(f"cannot open {message.session_id}: {message.reason}"))
        self.call_later(self.continue_restore)

    def open_hit(self, hit: Hit, query: Query) -> None:
        """Show a hit of the search across sessions, opening its session if need be."""
        session = hit.session
        if session.id in self.open:
            self.activate(session.id)
            self.reader.jump_to_hit(hit, query)
        else:
            self._pending_hit = (session.id, hit, query)
            self.open_session(session)

    def settle_soon(self) -> None:
        """Collect, trim and release memory at the next pause in the typing (`memory`)."""
        self._settler.request()

    def _settle(self) -> None:
        """Collect, trim, and have DuckDB give back what it kept of the view just built
        or dropped (see `memory`)."""
        settle_memory()
        if self.feed.catalog is not None:
            self.feed.catalog.release_memory()

    # -- switching ----------------------------------------------------------------------------
    def activate(self, session_id: str) -> None:
        with self.app.batch_update():  # one frame for the pane, the tabs and the bars
            self.preview_over = False
            state = self.open.activate(session_id)
            self.reader.show(state)
            self._retabbed()

    def action_cycle(self, direction: int) -> None:
        target = self.open.step(direction)
        if target is not None:
            self.activate(target)

    def action_tab(self, number: int) -> None:
        if 0 < number <= len(self.open.tabs):
            self.activate(self.open.tabs[number - 1])

    async def action_switcher(self) -> None:
        """`T`: the open sessions by title, to switch to one."""
        if not self.open.tabs:
            return
        from sessions_tui.tui.dialogs import SwitchScreen

        def picked(index: int | None) -> None:
            if index is not None:
                self.action_tab(index + 1)
                focus_now(self.reader.pane)

        await self.app.push_screen(SwitchScreen(self.open.titles(), self.open.index()), picked)

    def on_open_tabs_picked(self, message: OpenTabs.Picked) -> None:
        self.action_tab(message.index + 1)

    def action_close_tab(self) -> None:
        if self.open.active is None:
            return
        self._stop_rest(self.open.active)
        self.open.close(self.open.active)
        self.settle_soon()
        if self.open.active is not None:
            self.activate(self.open.active)
        else:
            self.reader.show(None)
            self._retabbed()

    # -- following ------------------------------------------------------------------------------
    def follow(self) -> None:
        """Read what was appended to the open sessions' files (one stat per file if nothing)."""
        from sessions_tui.sources.watch import file_state

        for session_id, state in list(self.open.states.items()):
            if session_id in self._rests or self._without_subagents(session_id, state):
                continue  # its whole view is being built
            versions = state.view.versions
            if any(file_state(p) != (v.size, v.mtime_ns) for p, v in versions.items()):
                self._catch_up(session_id, state)

    def _catch_up(self, session_id: str, state: SessionState) -> None:
        path = state.view.session.path
        if not path.exists() or not is_regular(path):  # deleted, or now a FIFO or a device
            if not state.gone:
                state.gone = True
                what = "was deleted" if not path.exists() else "is no longer a regular file"
                post_up(self, Said(f"{self.feed.display_path(path)} {what}; showing what was read"))
            return
        state.gone = False
        started = time.perf_counter()
        active = state is self.open.current
        at_bottom = self.reader.at_bottom(state) if active else False
        before = len(state.visible)
        import duckdb

        try:
            change = state.view.refresh(self.known.get(session_id))
        except (duckdb.Error, OSError) as exc:
            post_up(self, Said(f"cannot read the new entries of {session_id[:8]}: {exc}"))
            return
        if change.kind == "none":
            return
        state.caught_up(change.kind)
        grown = len(state.visible) - before
        if at_bottom and state.visible:
            self.reader.to_bottom(state)
            state.new_entries = 0
        elif grown > 0 and change.kind == "appended":
            state.new_entries += grown
        if active:
            self.reader.reflow()
        self.timings["follow"] = time.perf_counter() - started
        PROFILER.record("follow", self.timings["follow"], "INSERT INTO <view> <appended lines>")
        self.timings["followed_at"] = time.perf_counter()

    # -- the workspace --------------------------------------------------------------------------
    def _state_folder(self) -> Path | None:
        """The folder of the workspace file (resolved when first needed: platformdirs'
        import costs 13–18 ms, which the first paint does not wait for)."""
        if callable(self.state_folder):
            self.state_folder = self.state_folder()
        return self.state_folder

    def load_workspace(self) -> None:
        """Read the saved workspace; its sessions open once the catalog lists them."""
        folder = self._state_folder()
        if folder is None:
            return
        from sessions_tui.tui.state.workspace import WorkspaceError, load

        started = time.perf_counter()
        try:
            saved = load(folder)
        except WorkspaceError as exc:
            post_up(self, Said(str(exc)))
            return
        if saved is None or not saved.tabs:
            return
        self.restore = RestoreQueue(saved)
        self._drop_head_start()  # the saved tabs open first
        self.timings["workspace_load"] = time.perf_counter() - started

    def save_workspace(self) -> None:
        folder = self._state_folder()
        if folder is None:
            return
        from sessions_tui.tui.state.workspace import Workspace, save

        started = time.perf_counter()
        try:
            save(Workspace.of(self.open), folder)
        except OSError as exc:  # quitting goes on; the next start opens fresh
            self.log.warning(f"could not save the workspace: {exc}")
        self.timings["workspace_save"] = time.perf_counter() - started

    def continue_restore(self) -> None:
        """Open the next saved session (one at a time; a missing one is dropped quietly)."""
        if self.feed.catalog is None:
            return
        if self.restore.waiting and "restore_started" not in self.timings:
            self.timings["restore_started"] = time.perf_counter()
        session = self.restore.next(self.known)
        if session is not None:
            self.open_session(session)
            return
        order = self.restore.finish(list(self.open.tabs))
        if order is not None:  # all done: tabs back in their saved order
            self.open.tabs = order
            if self.open.active is not None:
                self.activate(self.open.active)
            self.timings["workspace_restored"] = time.perf_counter()

    def _restored(self, session_id: str, state: SessionState) -> bool:
        """Apply the saved filter, expansions and position to a reopened session.

        Returns whether to show it now (the saved active session) or keep it behind.
        """
        tab = self.restore.opened(session_id)
        if tab is None:
            return True
        apply_tab(state, tab)
        self._replace[session_id] = tab  # until the catalog has read its subagents
        self.call_later(self.continue_restore)
        if session_id == self.restore.active:
            self.timings["restore_active_at"] = time.perf_counter()
        return session_id == self.restore.active or self.open.active is None

    # -- the end --------------------------------------------------------------------------------
    def views(self) -> list[dict[str, Any]]:
        """The open views, for the performance panel."""
        return [
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

    def close(self) -> None:
        """On quit: keep the workspace, stop an open under way, close the views."""
        self.save_workspace()
        self._drop_head_start()
        if self._opening is not None:
            self._opening.stop()
        for session_id in list(self._rests):
            self._stop_rest(session_id)
        try:
            self.open.close_all()
        except Exception as exc:
            self.log.warning(f"closing the open sessions: {exc}")

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if (message := failed(event)) is not None:
            self.post_message(message)
