"""What every part of the app shares: the panes, activating a session, filters, the status.

The app is split by what a person does (filter, find, act on a session, follow it live,
come back to it tomorrow); each part is a mixin over this base, so that each stays a
readable size and the base is the one place that knows how the screen fits together.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING

from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Input

from sessions_tui.model import Session
from sessions_tui.paths import from_root
from sessions_tui.store.filters import DEFAULT_KINDS, Filter
from sessions_tui.tui.app_keys import InOrderKeys
from sessions_tui.tui.state.open_sessions import OpenSessions
from sessions_tui.tui.widgets.filter_bar import FilterBar
from sessions_tui.tui.widgets.message_pane import MessagePane
from sessions_tui.tui.widgets.session_list import SessionList
from sessions_tui.tui.widgets.status_bar import StatusBar
from sessions_tui.tui.widgets.tabs import OpenTabs

if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

    from sessions_tui.store.catalog import Catalog
    from sessions_tui.tui.feed import CatalogFeed
    from sessions_tui.tui.state.viewstate import SessionState


class AppBase(InOrderKeys):
    """The shared state and the helpers the app's parts use."""

    feed: CatalogFeed
    open: OpenSessions
    notice: str | None
    timings: dict[str, float]

    @property
    def catalog(self) -> Catalog | None:
        """The feed's catalog (None until its first refresh has opened it)."""
        return self.feed.catalog

    @property
    def sessions_list(self) -> SessionList:
        return self.query_one(SessionList)

    @property
    def pane(self) -> MessagePane:
        return self.query_one(MessagePane)

    def display_path(self, path: Path) -> str:
        """A session file's path from its root's folder (`projects/-home-me-app/….jsonl`)."""
        return from_root(path, [r.path for r in self.catalog.roots] if self.catalog else [])

    def say(self, notice: str | None) -> None:
        """Put a notice on the right of the status bar (None clears it)."""
        self.notice = notice
        self._status()

    def current_session(self) -> Session | None:
        """The open session (with the catalog's latest facts), else the one selected."""
        state = self.open.current
        if state is None:
            return self.sessions_list.selected_session
        return self.listed(state.view.session.id) or state.view.session

    def listed(self, session_id: str) -> Session | None:
        """The list's (the catalog's latest) facts of a session, if it is listed."""
        for s in self.sessions_list.sessions:
            if s.id == session_id:
                return s
        return None

    # -- what the app itself provides ------------------------------------------------------
    def request_open(self, session: Session) -> None:
        """Open a session (in a worker) and show it when ready."""
        raise NotImplementedError

    def start_catalog_refresh(self) -> None:
        """Look for new and changed session files (in a worker), unless already looking."""
        raise NotImplementedError

    # -- showing a session ----------------------------------------------------------------
    def _activate(self, session_id: str) -> None:
        with self.batch_update():  # one frame for the pane, the tabs and the bars
            state = self.open.activate(session_id)
            self.pane.show(state)
            self.query_one(OpenTabs).show(self.open.titles(), self.open.index())
            self.query_one(FilterBar).show(state.counts, state.filter)
            self._status()

    def _show_none(self) -> None:
        self.pane.show(None)
        self.query_one(OpenTabs).show([], None)
        self.query_one(FilterBar).show(None, Filter.default())
        self._status()

    def _set_filter(self, flt: Filter) -> None:
        state = self.open.current
        if state is None:
            return
        started = time.perf_counter()
        state.set_filter(flt)
        self.pane.reflow()
        self.timings["filter"] = time.perf_counter() - started
        self.query_one(FilterBar).show(state.counts, state.filter)
        self._status()

    # -- typing ahead ----------------------------------------------------------------------
    # Keys are handled one at a time (app_keys.InOrderKeys), so the key after the one that
    # opens a box or a dialog goes wherever focus is once that key's action returns. The
    # action therefore focuses at once (`Widget.focus()` only queues a callback) and waits
    # for a dialog to be mounted (a screen focuses with `set_focus` in `on_mount`).
    @staticmethod
    def focus_now(widget: Widget) -> None:
        """Focus `widget` before the next queued key is handled."""
        widget.screen.set_focus(widget)

    async def show(
        self, screen: Screen[Any], callback: Callable[[Any], None] | None = None
    ) -> None:
        """Push `screen` and handle no other key until it is mounted and has focused what
        it focuses (screens focus with `set_focus`, at once, in `on_mount`)."""
        await self.push_screen(screen, callback)

    async def _input(
        self, box_id: str, placeholder: str, *, left: bool = False, kind: type[Input] = Input
    ) -> Input:
        """The input box `box_id`, mounted the first time it is needed."""
        found = self.query(f"#{box_id}")
        if found:
            return found.first(Input)
        box = kind(placeholder=placeholder, id=box_id, classes="box")
        if left:
            await self.query_one("#left").mount(box, after=self.sessions_list)
        else:
            await self.query_one("#right").mount(box, before=self.pane)
        return box

    # -- the status bar -------------------------------------------------------------------
    def _status(self) -> None:
        state = self.open.current
        bar = self.query_one(StatusBar)
        if state is None:
            shown = f"{len(self.sessions_list.sessions)} sessions"
            bar.set(left=shown, right=self.notice or "")
            return
        bar.set(left=self._where(state), right=self._right(state))

    def _where(self, state: SessionState) -> str:
        flt = state.filter
        kinds = (
            "all kinds"
            if flt.kinds is None
            else "usual kinds"
            if flt.kinds == DEFAULT_KINDS
            else ",".join(sorted(k.value for k in flt.kinds))
        )
        extra = (" · subagents" if flt.subagent_only else "") + (
            f" · tool {flt.tool}" if flt.tool else ""
        )
        where = f"{state.position.selected + 1}/{len(state.visible)}" if state.visible else "0/0"
        lines, height = state.total_lines, self.pane.size.height
        if lines > height:
            where += f" ({100 * min(state.position.scroll_y, lines - height) // (lines - height)}%)"
        path = self.display_path(state.view.session.path)
        return f"{where} shown of {state.view.total} · {kinds}{extra} · {path}"

    def _right(self, state: SessionState) -> str:
        """Search progress (`3/17`), new entries below, or the notice."""
        parts = []
        finding = state.finding
        if finding is not None:
            hits = state.hits()
            at = finding.current + 1 if 0 <= finding.current < len(hits) else 0
            mode = "regex" if finding.query.regex else "text"
            part = f"{mode} {finding.query.text!r} {at}/{len(hits)}"
            hidden = state.hidden_hits()
            if hidden:
                part += f" ({hidden} hidden by the filter: 0 shows all)"
            parts.append(part)
        if state.new_entries:
            parts.append(f"↓ {state.new_entries} new (G)")
        session = state.view.session  # the catalog's facts, renewed as the file follows
        damaged = session.malformed_lines + session.subagent_malformed_lines
        if damaged:  # unreadable lines, the subagents' files included, are said, not hidden
            inside = session.subagent_malformed_lines
            where = f", {inside} in subagents" if inside else ""
            parts.append(f"{damaged} damaged line{'s' if damaged > 1 else ''}{where}")
        folded = state.view.replayed
        if folded:  # a resumed session wrote its history again: shown once
            parts.append(f"{folded} replayed record{'s' if folded > 1 else ''} folded")
        if self.notice:
            parts.append(self.notice)
        return " · ".join(parts)
