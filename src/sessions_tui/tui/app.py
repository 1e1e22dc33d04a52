"""The Textual app: the session list, the open sessions and their message pane.

Every key, its owner and what it does is in `tui/keys.py` (the help screen lists them).
The App's keys work under every screen; the open session's keys are bound on the browser
screen (`BrowserScreen`, the default screen) and run the App's actions. The actions still
live in mixins (`app_filters`, `app_find`, `app_act`, `app_live`, `app_workspace`) over
`app_base`; this module starts the app and opens sessions.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Input, ProgressBar

from sessions_tui.config import Settings
from sessions_tui.model import Session
from sessions_tui.store import snapshot
from sessions_tui.store.filters import Filter
from sessions_tui.tui import keys
from sessions_tui.tui.app_tools import ToolActions, default_filter
from sessions_tui.tui.bindings import bindings
from sessions_tui.tui.feed import CatalogFeed
from sessions_tui.tui.memory import settle_memory
from sessions_tui.tui.messages import (
    OpenFailed,
    SessionOpened,
    WorkerFailed,
    failed,
)
from sessions_tui.tui.state.open_sessions import DEFAULT_LIMIT, OpenSessions
from sessions_tui.tui.state.restore import RestoreQueue
from sessions_tui.tui.state.viewstate import SessionState
from sessions_tui.tui.widgets.filter_bar import FilterBar
from sessions_tui.tui.widgets.message_pane import MessagePane
from sessions_tui.tui.widgets.session_list import SessionList
from sessions_tui.tui.widgets.status_bar import StatusBar
from sessions_tui.tui.widgets.tabs import OpenTabs

if TYPE_CHECKING:
    from textual.worker import Worker

    # DuckDB is imported by the catalog worker, after the first paint (60 ms of import).
    from sessions_tui.store.catalog import Catalog
    from sessions_tui.store.session_view import Opening


class BrowserScreen(Screen[None]):
    """The browser: the session list, the open sessions, the status bar. It holds the keys
    of the open session (tui/keys.py, owner `browser`), run by the App's actions, and the
    App's own keys again so that its footer lists all of them in the table's order."""

    BINDINGS: ClassVar[list[BindingType]] = bindings("app", "browser", namespace="app.")


class SessionsApp(ToolActions):
    """Browse sessions: the list on the left, the open sessions on the right."""

    CSS_PATH = "styles/app.tcss"
    TITLE = "sessions-tui"

    # The App's own keys work under every screen; the open session's keys belong to the
    # browser screen, so Stats, Search and the dialogs do not reach the hidden session.
    BINDINGS: ClassVar[list[BindingType]] = bindings("app")  # tui/keys.py

    def __init__(
        self,
        catalog: Catalog | Callable[[], Catalog],
        *,
        open_limit: int = DEFAULT_LIMIT,
        notice: str | None = None,
        snapshot_dir: Path | None = None,
        state_folder: Path | Callable[[], Path] | None = None,
        fresh: bool = False,
        follow: bool = True,
        settings: Settings | None = None,
    ) -> None:
        """`catalog`, or a function making one (called in a worker, after the first
        paint); `snapshot_dir` keeps the last list shown, for the next start to paint;
        `state_folder` keeps the workspace (None: not kept), `fresh` skips restoring it;
        `follow` watches the files for changes; `settings` are the user's (config.toml)."""
        super().__init__()
        self.settings = settings or Settings()
        self.default_filter = default_filter(self.settings)
        self.feed = CatalogFeed(catalog)
        self.snapshot_dir = snapshot_dir
        self.state_folder = state_folder
        self.fresh = fresh
        self.follow = follow
        self.open = OpenSessions(open_limit)
        self.notice = notice or (self.feed.catalog.notice if self.feed.catalog else None)
        self._pending: Session | None = None
        self._opening: Opening | None = None
        self.timings: dict[str, float] = {}
        self.restore = RestoreQueue()  # filled from the saved workspace, if any
        self.final_report: dict[str, Any] | None = None

    def get_default_screen(self) -> Screen[Any]:
        """The browser: what `compose` yields is mounted on it, with the session keys."""
        return BrowserScreen(id="_default")

    def compose(self) -> ComposeResult:
        # The list is filled here, not on mount, so that the first frame already shows it.
        if self.catalog is not None:
            first = self.catalog.sessions()
        else:
            first = (snapshot.load(self.snapshot_dir) if self.snapshot_dir else None) or []
        with Horizontal(id="body"):
            with Vertical(id="left"):
                yield SessionList(id="sessions", sessions=first)
            with Vertical(id="right"):
                yield OpenTabs(id="tabs")
                yield FilterBar(id="filters")
                yield MessagePane(id="messages")
        yield StatusBar(id="status")

    # -- start ---------------------------------------------------------------------------
    def on_mount(self) -> None:
        self.call_after_refresh(gc.enable)  # off while starting: see cli.main
        self._apply_settings()
        self.focus_now(self.sessions_list)
        self.query_one(OpenTabs).show([], None)
        self.query_one(FilterBar).show(None, Filter.default())
        self._status()
        # The footer, the workspace and the catalog come after the first frame: the list is
        # what a warm start must show first, and the catalog worker's imports hold the GIL.
        self.call_after_refresh(self.mount, Footer())
        if not self.fresh:
            self.call_after_refresh(self.load_workspace)
        self.call_after_refresh(self.refresh_catalog)
        if self.follow:
            self.start_following()

    def start_catalog_refresh(self) -> None:
        if not any(w.group == "catalog" and w.is_running for w in self.workers):
            self.refresh_catalog()

    def refresh_catalog(self) -> None:
        """Open the catalog (once), then discover and read changed files, in the feed's
        worker; the list fills in as batches finish."""
        self.feed.refresh(
            self,
            cold=not self.sessions_list.sessions,
            show_cached=self.restore.waiting,
            first=self.restore.active,
            shown=self.restore.shown,
        )

    def on_catalog_feed_opened(self, message: CatalogFeed.Opened) -> None:
        self.notice = self.notice or message.catalog.notice

    async def on_catalog_feed_progressed(self, message: CatalogFeed.Progressed) -> None:
        bars = self.query(ProgressBar)
        if bars:
            bar = bars.first()
        else:  # mounted when first needed (a warm start has no progress to show)
            bar = ProgressBar(id="progress", show_eta=False)
            await self.query_one("#left").mount(bar)
        bar.add_class("visible")
        bar.update(total=max(1, message.total), progress=message.done)
        percent = 100 * message.done // max(1, message.total)
        self.query_one(StatusBar).set(right=f"reading sessions {percent}%")

    def on_catalog_feed_listed(self, message: CatalogFeed.Listed) -> None:
        if message.final:
            self.restore.complete = True
            for bar in self.query(ProgressBar):
                bar.remove_class("visible")
            self.call_after_refresh(settle_memory)
            self.rewatch()
        self.sessions_list.set_sessions(message.sessions)
        if self._pending is not None and self.catalog is not None:
            pending, self._pending = self._pending, None
            self.open_session(SessionList.OpenRequested(pending))
        if message.report and message.report.problems:
            self.notice = f"{len(message.report.problems)} problem(s): {message.report.problems[0]}"
        if message.final and message.report and (message.report.changed or message.report.removed):
            self.follow_open_sessions()  # a file the list saw change may be open
        if self.catalog is not None:
            self.continue_restore()
        self._status()

    # -- opening and switching -------------------------------------------------------------
    def request_open(self, session: Session) -> None:
        self.open_session(SessionList.OpenRequested(session))

    @on(SessionList.OpenRequested)
    def open_session(self, message: SessionList.OpenRequested) -> None:
        session = message.session
        if self.catalog is None:  # still loading: open it as soon as the catalog is there
            self._pending = session
            self.query_one(StatusBar).set(left="loading the catalog…")
            return
        if session.id in self.open:
            self._activate(session.id)
            self.focus_now(self.pane)
            return
        from sessions_tui.store.session_view import Opening

        if self._opening is not None:
            self._opening.stop()  # a superseded open must stop, not just be ignored
        self._opening = Opening()
        self.query_one(StatusBar).set(left=f"opening {self.display_path(session.path)} …")
        tab = self.restore.tab_for(session.id)  # a reopened session starts with its filter
        flt = tab.filter() if tab is not None else self.default_filter
        self._open_worker(session, self._opening, flt, self.feed)

    @work(thread=True, exclusive=True, group="open", description="opening a session",
          exit_on_error=False)  # fmt: skip
    def _open_worker(
        self, session: Session, opening: Opening, flt: Filter, feed: CatalogFeed
    ) -> None:
        """Build the session's view; only its arguments are read, only messages go out."""
        import duckdb

        from sessions_tui.store.session_view import SessionView

        started = time.perf_counter()
        view = None
        try:
            view = SessionView(session, databases=feed.databases(), opening=opening)
            state = SessionState(view, flt)
        except (duckdb.Error, OSError) as exc:
            if view is not None:
                view.close()
            if not opening.stopped:  # a superseded open says nothing: the next one speaks
                self.post_message(OpenFailed(session.id, str(exc).splitlines()[0]))
            return
        self.post_message(SessionOpened(session.id, state, time.perf_counter() - started))
        feed.databases().prepare()  # the next database, when this one is full

    def on_session_opened(self, message: SessionOpened) -> None:
        self._opening = None
        self.timings["open"] = message.seconds
        self.timings["opened_at"] = time.perf_counter()
        show = self.restored(message.session_id, message.state)
        self.open.add(message.session_id, message.state, activate=show)
        self.sessions_list.open_ids = set(self.open.tabs)
        self.sessions_list.refresh()
        if show:
            self._activate(message.session_id)
            self.focus_now(self.pane)
        else:
            self.query_one(OpenTabs).show(self.open.titles(), self.open.index())
        if self._pending_hit is not None and self._pending_hit[0] == message.session_id:
            _, hit, query = self._pending_hit
            self._pending_hit = None
            self._jump_to_hit(message.session_id, hit, query)
        self.call_after_refresh(self._settle)

    def on_open_failed(self, message: OpenFailed) -> None:
        self._opening = None
        self.restore.failed()
        self.say(f"cannot open {message.session_id}: {message.reason}")
        self.call_later(self.continue_restore)

    def _settle(self) -> None:
        """Drop watchers of widgets already gone, then collect and trim (settle_memory).

        Textual 8.2 prunes a reactive's watchers only when its value changes; the footer's
        keys are composed again at every focus change and each registers a watcher on the
        footer's `compact`, which never changes: measured, 100 sessions opened and closed
        kept 3,000 dead footer keys (+110 MB).
        """
        for node in (*self.query(Footer), self):
            watchers: dict[str, list[tuple[Any, Any]]] = getattr(node, "__watchers", {})
            for name, pairs in watchers.items():
                watchers[name] = [(r, cb) for r, cb in pairs if r.is_attached and not r._closing]
        settle_memory()
        if self.catalog is not None:
            self.catalog.release_memory()  # what DuckDB kept of the view just built or dropped

    def action_cycle(self, direction: int) -> None:
        target = self.open.step(direction)
        if target is not None:
            self._activate(target)

    def action_tab(self, number: int) -> None:
        if 0 < number <= len(self.open.tabs):
            self._activate(self.open.tabs[number - 1])

    def action_close_tab(self) -> None:
        if self.open.active is not None:
            self.open.close(self.open.active)
            self.call_after_refresh(self._settle)
            self.sessions_list.open_ids = set(self.open.tabs)
            if self.open.active is not None:
                self._activate(self.open.active)
            else:
                self._show_none()

    # -- the rest --------------------------------------------------------------------------------
    def action_escape(self) -> None:
        for box in self.query(Input).results(Input):
            if box.has_class("visible"):
                if box.id == "list-filter":
                    box.value = ""
                    self.sessions_list.set_query("")
                box.remove_class("visible")
                self.focus_now(self.sessions_list if box.id == "list-filter" else self.pane)
                return
        state = self.open.current
        if state is not None and state.finding is not None:  # Escape ends the search
            self._clear_finding(state)

    def action_switch_focus(self) -> None:
        if self.focused is self.pane:
            self.focus_now(self.sessions_list)
        else:
            self.focus_now(self.pane)

    async def action_help(self) -> None:
        from sessions_tui.tui.screens.help import HelpScreen  # 10 ms of import, when asked for

        await self.show(HelpScreen(keys.help_groups()))

    def action_refresh(self) -> None:
        if any(w.group == "catalog" and w.is_running for w in self.workers):
            self.notify("already reading the sessions", timeout=2)
            return
        self.refresh_catalog()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if (message := failed(event)) is not None:
            self.post_message(message)

    def on_worker_failed(self, message: WorkerFailed) -> None:
        """Any worker's unexpected error (the screens' too) is a notice, never a crash."""
        self.log.error(message.notice)
        self.say(message.notice)

    @on(MessagePane.Moved)
    def _moved(self) -> None:
        self.seen_bottom()
        self._status()

    def on_unmount(self) -> None:
        self.final_report = self.profile_report()  # for --profile, before the views close
        self.save_workspace()
        if self._opening is not None:
            self._opening.stop()
        try:
            self.open.close_all()
        except Exception as exc:
            self.log.warning(f"closing the open sessions: {exc}")
        self.feed.close()
        gc.unfreeze()
