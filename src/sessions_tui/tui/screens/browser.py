"""The browser: the list pane | the tabs pane (over the reader pane) | the status bar.

The screen routes: what the catalog feed reports goes to the list and the tabs, an open
request from the list goes to the tabs, what the panes say goes to the status bar, which
the screen owns. It holds the keys of the browser and of its panes (`tui/keys.py`, owners
`browser`, `tabs`, `reader`), so they work wherever the focus is here and do nothing
under Stats, Search or a dialog.
"""

from __future__ import annotations

import subprocess
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import events, on
from textual.app import ComposeResult, SuspendNotSupported
from textual.binding import BindingType
from textual.containers import Horizontal
from textual.screen import Screen
from textual.timer import Timer
from textual.worker import Worker

from sessions_tui.config import Settings
from sessions_tui.store import snapshot
from sessions_tui.store.filters import Filter
from sessions_tui.tui.bindings import ROUTED, bindings
from sessions_tui.tui.feed import QUIET, CatalogFeed
from sessions_tui.tui.key_order import focus_now, key_order
from sessions_tui.tui.messages import Began, Said, failed
from sessions_tui.tui.panes.listing import ListPane
from sessions_tui.tui.panes.tabs import TabsPane
from sessions_tui.tui.widgets.key_bar import KeyBar
from sessions_tui.tui.widgets.message_pane import MessagePane
from sessions_tui.tui.widgets.session_list import SessionList
from sessions_tui.tui.widgets.status_bar import StatusBar

if TYPE_CHECKING:
    from collections.abc import Callable

    from sessions_tui.model import Session
    from sessions_tui.output.resume import ResumePlan
    from sessions_tui.store.search import Hit, Query

LIST_EVERY = 3.0  # seconds between checks of the session folders
NARROW = 100  # columns under which the browser shows one pane at a time


class BrowserScreen(Screen[None]):
    """Browse sessions: the list on the left, the open sessions on the right."""

    # The App's keys are listed here again (run by the App) so that the key bar shows all
    # of them in the table's order.
    BINDINGS: ClassVar[list[BindingType]] = bindings("app", "browser", *ROUTED, host="browser")

    def __init__(
        self,
        feed: CatalogFeed,
        timings: dict[str, float],
        settings: Settings,
        *,
        snapshot_dir: Path | None,
        notice: str | None,
        open_limit: int,
        state_folder: Path | Callable[[], Path] | None,
        fresh: bool,
        follow: bool,
        here: Path | None = None,
    ) -> None:
        """`snapshot_dir` keeps the last list shown, for the next start's first frame;
        `fresh` skips reopening the saved workspace; `follow` watches the files; `here`:
        the folder the app started in."""
        super().__init__(id="_default")
        self.feed = feed
        self.notice = notice
        self.indexing: str | None = None  # the background index's progress
        self.fresh = fresh
        self.following = follow
        self._roots_timer: Timer | None = None
        self.snapshot_dir = snapshot_dir
        self.listing = ListPane(settings.date_format, id="left", here=here)
        self.tabs = TabsPane(
            feed,
            timings,
            open_limit=open_limit,
            default_filter=Filter.from_setting(settings.default_kinds),
            state_folder=state_folder,
            follow=follow,
            id="right",
        )
        self.status_bar = StatusBar(id="status")
        self._owners = {"tabs": self.tabs, "reader": self.tabs.reader}

    def compose(self) -> ComposeResult:
        # The list is filled here, not on mount, so that the first frame already shows it.
        catalog = self.feed.catalog
        if catalog is not None:
            first = catalog.sessions()
        else:
            first = (snapshot.load(self.snapshot_dir) if self.snapshot_dir else None) or []
        self.listing.sessions.set_sessions(first)
        with Horizontal(id="body"):
            yield self.listing
            yield self.tabs
        yield self.status_bar

    def on_mount(self) -> None:
        focus_now(self.listing.sessions)
        self._status()
        # The key bar, the workspace and the catalog come after the first frame: the list is
        # what a warm start must show first, and the catalog worker's imports hold the GIL.
        self.call_after_refresh(self.mount, KeyBar())
        self.call_after_refresh(self._start)
        if self.following:
            self._roots_timer = self.set_interval(LIST_EVERY, self._check_roots)

    # Covered by another screen (stats, search, help, a dialog), the browser's timers wait:
    # Textual repaints the screen on top wherever the one below was touched, and each
    # check marked the whole browser, so the stats were drawn again every 3 s (18 KB).
    def on_screen_suspend(self) -> None:
        if self._roots_timer is not None:
            self._roots_timer.pause()
        self.tabs.pause_following()

    def on_screen_resume(self) -> None:
        if self._roots_timer is not None:
            self._roots_timer.resume()
        self.tabs.resume_following()

    def _start(self) -> None:
        if not self.fresh:
            self.tabs.load_workspace()
        # The highlighted session's view is built now, before the catalog is opened: an
        # Enter pressed at once waits for less, a later one for nothing (state/head_start.py).
        self.tabs.head_start(self.listing.sessions.selected_session)
        self.tabs.warm_up()  # what an Enter pressed at once needs, and drawing a reply
        self.tabs.reader.warm_up(after=self.tabs.building())
        self.refresh_catalog(after=self.tabs.first_open())

    # -- the catalog --------------------------------------------------------------------------
    def refresh_catalog(self, after: threading.Event | None = None) -> bool:
        """Open the catalog (once; `after` that is set, or a second), then read the files
        that changed, in the feed's worker; the list fills in as batches finish. False when
        it is reading already."""
        if self.feed.reading(self):
            return False
        restore = self.tabs.restore
        self.feed.refresh(
            self,
            cold=not self.listing.sessions.sessions,
            show_cached=restore.waiting,
            first=restore.active,
            shown=restore.shown,
            after=after,
        )
        return True

    def _check_roots(self) -> None:
        if self.feed.catalog is not None and not self.feed.reading(self) and self.feed.check(self):
            self.refresh_catalog()

    def on_catalog_feed_changed(self) -> None:
        self.refresh_catalog()

    def on_catalog_feed_opened(self, message: CatalogFeed.Opened) -> None:
        self.notice = self.notice or message.catalog.notice

    async def on_catalog_feed_progressed(self, message: CatalogFeed.Progressed) -> None:
        await self.listing.progressed(message.done, message.total)
        percent = 100 * message.done // max(1, message.total)
        self.status_bar.set(right=f"reading sessions {percent}%")

    def on_catalog_feed_listed(self, message: CatalogFeed.Listed) -> None:
        report = message.report
        if message.final:
            self.tabs.settle_soon()
            self.tabs.reader.warm_up()
            self.feed.rewatch([s.view.session.path for s in self.tabs.open.states.values()])
            self.feed.index(self, self._idle)  # the search index, for the files read
        self.listing.listed(message.sessions, final=message.final)
        if report and report.problems:
            self.notice = f"{len(report.problems)} problem(s): {report.problems[0]}"
        elif message.final and self.feed.catalog and self.feed.catalog.notice:
            self.notice = self.feed.catalog.notice  # what writing the cache met (a full disk)
        changed = bool(report and (report.changed or report.removed))
        self.tabs.listed(message.sessions, final=message.final, changed=changed)
        self._status()

    def on_catalog_feed_indexed(self, message: CatalogFeed.Indexed) -> None:
        if message.notice:
            self.notice = message.notice
        if message.final:
            self.indexing = None
            if message.problems:
                self.notice = f"search index: {message.problems[0]}"
        elif message.total:
            self.indexing = f"indexing for search {100 * message.done // message.total}%"
        self._status()

    def _idle(self) -> bool:
        """Whether the background index may read its next batch (asked from its thread):
        no key for a moment, no session being opened."""
        order = key_order(self)
        typed = order.last_key_at if order is not None else 0.0
        return time.monotonic() - typed > QUIET and not self.tabs.opening

    # -- what the panes report -----------------------------------------------------------------
    def on_session_list_open_requested(self, message: SessionList.OpenRequested) -> None:
        # At once, even before the catalog is there: the list's row (from the snapshot of
        # the last run) names the files, and a view reads them, not the catalog.
        self.tabs.open_session(message.session)

    def on_session_list_highlighted(self, message: SessionList.Highlighted) -> None:
        self.tabs.preview.date_format = self.listing.sessions.date_format
        self.tabs.preview.show(message.session)

    def on_session_list_preview_requested(self) -> None:
        self.tabs.toggle_preview()

    def on_tabs_pane_changed(self, message: TabsPane.Changed) -> None:
        sessions = self.listing.sessions
        if sessions.open_ids != message.open_ids:  # a switch leaves the list's marks alone
            sessions.open_ids = message.open_ids
            sessions.refresh()
        self._status()

    @on(MessagePane.Moved)
    def _moved(self) -> None:
        self.tabs.reader.seen_bottom()
        self._status()

    def on_said(self, message: Said) -> None:
        self.say(message.notice)

    def on_began(self, message: Began) -> None:
        self.status_bar.set(left=message.doing)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if (message := failed(event)) is not None:
            self.post_message(message)

    # -- the status bar -----------------------------------------------------------------------
    def say(self, notice: str | None) -> None:
        """Put a notice on the right of the status bar (None clears it)."""
        self.notice = notice
        self._status()

    def on_session_list_shown(self) -> None:
        self._status()  # the list's count, when nothing is open

    def _status(self) -> None:
        reader = self.tabs.reader
        state = reader.state
        if state is None:
            right = [x for x in (self.indexing, self.notice) if x]
            self.status_bar.set(left=self.listing.sessions.counted(), right=" · ".join(right))
            return
        path = self.feed.display_path(state.view.session.path)
        left = f"{state.where(reader.pane.size.height)} · {path}"
        right = [*state.facts(), *(x for x in (self.indexing, self.notice) if x)]
        self.status_bar.set(left=left, right=" · ".join(right))

    # -- keys ------------------------------------------------------------------------------------
    def action_to(self, owner: str, action: str, *args: Any) -> Any:
        """Run a pane's action (its keys are bound here: see `bindings.ROUTED`)."""
        return getattr(self._owners[owner], f"action_{action}")(*args)

    # -- the layout: both panes, the reader zoomed, or one at a time when narrow -----------
    def on_resize(self, event: events.Resize) -> None:
        self.set_class(event.size.width < NARROW, "-narrow")

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        """Narrow, the pane that has the focus is the one shown."""
        self.set_class(self.tabs in event.widget.ancestors_with_self, "-reading")

    def action_zoom(self) -> None:
        if self.tabs.reader.state is None and not self.has_class("-zoomed"):
            self.say("open a session to zoom into it")
            return
        self.toggle_class("-zoomed")
        focus_now(self.tabs.reader.pane)

    def action_switch_focus(self) -> None:
        """Tab: between the list and the session (the preview, when none is open)."""
        pane = self.tabs.reader.pane
        self.remove_class("-zoomed")
        if self.focused is not self.listing.sessions:
            focus_now(self.listing.sessions)
            return
        self.tabs.close_preview()
        focus_now(pane if self.tabs.reader.state is not None else self.tabs.preview)

    async def action_slash(self) -> None:
        """`/`: search the open session from its pane; filter the list from the list."""
        if self.tabs.reader.state is not None and self.focused is not self.listing.sessions:
            await self.tabs.reader.action_find()
        else:
            await self.listing.find()

    def action_escape(self) -> None:
        """Close an open box or the preview over a session, else end the search in the
        session; else, one pane at a time, back from the reader to the list."""
        if self.listing.close_box() or self.tabs.close_preview() or self.tabs.reader.escape():
            return
        if self.has_class("-narrow") and self.has_class("-reading"):
            focus_now(self.listing.sessions)

    def current_session(self) -> Session | None:
        """The open session (with the catalog's latest facts), else the one selected."""
        state = self.tabs.open.current
        if state is None:
            return self.listing.sessions.selected_session
        return self.tabs.known.get(state.view.session.id) or state.view.session

    def open_hit(self, hit: Hit, query: Query) -> None:
        """Show a hit of the search across sessions (Ctrl+F)."""
        self.tabs.open_hit(hit, query)

    def action_copy_id(self) -> None:
        session = self.current_session()
        if session is not None:
            self.app.copy_to_clipboard(session.id)
            self.say(f"copied the session id {session.id}")

    def action_copy_path(self) -> None:
        session = self.current_session()
        if session is not None:
            self.app.copy_to_clipboard(str(session.path))
            self.say("copied the session file's path")

    async def action_resume(self) -> None:
        session = self.current_session()
        if session is None:
            self.say("select a session to resume")
            return
        from sessions_tui.output.resume import plan
        from sessions_tui.tui.dialogs import CommandScreen

        resume = plan(session)
        if resume.problem is not None:

            def copy(wanted: bool | None) -> None:
                if wanted:
                    self.app.copy_to_clipboard(resume.shell_line)
                    self.say("copied the command")

            await self.app.push_screen(CommandScreen(resume.problem, resume.shell_line), copy)
            return
        self.run_resume(resume)

    def run_resume(self, resume: ResumePlan) -> None:
        """Hand the terminal to the program; come back when it exits."""
        try:
            with self.app.suspend():
                code = subprocess.call(resume.argv, cwd=resume.cwd)
        except SuspendNotSupported:  # no terminal to hand over (a headless run)
            code = subprocess.call(
                resume.argv,
                cwd=resume.cwd,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        except OSError as exc:
            self.say(f"cannot run {resume.argv[0]}: {exc.strerror or exc}")
            return
        self.say(f"back from {resume.argv[0]} (exit status {code})")
        self.refresh_catalog()  # the program may have written to the session
