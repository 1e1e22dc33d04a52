"""The reader pane: how the open session is read. Its filters (kinds 1…9, 0, errors, a
tool), the search in it (`/`, n/N; one query over the session's table, every kind, so a
hit the filter hides can be counted and pointed at), copying an entry and exporting.

The tabs pane hands it the session to show (`show`); the message pane draws it.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input
from textual.worker import Worker

from sessions_tui.model import Kind
from sessions_tui.store.filters import Filter
from sessions_tui.text import file_stem
from sessions_tui.tui.key_order import focus_now, key_order
from sessions_tui.tui.messages import Said, failed, post_up
from sessions_tui.tui.state.viewstate import Finding, SessionState
from sessions_tui.tui.widgets.entry_render import warm_up
from sessions_tui.tui.widgets.filter_bar import FilterBar, toggled
from sessions_tui.tui.widgets.message_pane import MessagePane
from sessions_tui.tui.widgets.query_input import QueryInput, mount_box

if TYPE_CHECKING:
    # DuckDB (and the store modules that import it) load after the first paint.
    import duckdb

    from sessions_tui.sources.discovery import Root
    from sessions_tui.store.search import Hit, Query
    from sessions_tui.tui.dialogs import ExportChoice
    from sessions_tui.tui.feed import CatalogFeed

WARM_AFTER_WAIT = 1.0  # seconds the warm-up waits at most for a view's build to start


class ReaderPane(Vertical):
    """The filter bar, the boxes (tool, search) and the message pane of the open session."""

    @dataclass
    class Found(Message):
        """A search in a session finished: the seqs it matched."""

        session_id: str
        query: Query
        seqs: list[int]
        table: str  # the view searched (a head's is replaced by its whole view)

    @dataclass
    class FindFailed(Message):
        """A search in a session could not run (a bad pattern; the session closed
        meanwhile); with no reason, it was stopped by a newer one."""

        reason: str | None
        table: str = ""

    @dataclass
    class Exported(Message):
        """An export finished (or could not be written): what to tell the person."""

        note: str

    def __init__(self, feed: CatalogFeed, timings: dict[str, float], *, id: str) -> None:
        super().__init__(id=id)
        self._warm = False  # what drawing needs is imported (warm_up)
        self.feed = feed
        self.timings = timings
        self.state: SessionState | None = None
        self.filters = FilterBar(id="filters")
        self.pane = MessagePane(id="messages")
        self._find_cursor: duckdb.DuckDBPyConnection | None = None
        self._last_query: Query | None = None  # an empty `/` searches for it again

    def compose(self) -> ComposeResult:
        yield self.filters
        yield self.pane

    def _say(self, notice: str | None) -> None:
        post_up(self, Said(notice))

    # -- the session shown ---------------------------------------------------------------
    def show(self, state: SessionState | None) -> None:
        """Read `state` now (None: no session open): a pointer swap and a repaint."""
        self.state = state
        self.pane.show(state)
        if state is None:
            self.filters.show(None, Filter.default())
        else:
            self.filters.show(state.counts, state.filter)

    def reflow(self) -> None:
        """The session's entries changed (appended, rebuilt): lay it out again."""
        if self.state is not None:
            self.pane.reflow()
            self.filters.show(self.state.counts, self.state.filter)

    def at_bottom(self, state: SessionState) -> bool:
        height = self.pane.size.height
        return state.total_lines <= height or state.position.scroll_y >= state.total_lines - height

    def to_bottom(self, state: SessionState) -> None:
        """Keep reading at the end (following a session that grows)."""
        state.position.selected = len(state.visible) - 1
        state.position.scroll_y = max(0, state.total_lines - self.pane.size.height)

    def seen_bottom(self) -> None:
        """The reader reached the end: the "N new" marker goes."""
        state = self.state
        if state is not None and state.new_entries and self.at_bottom(state):
            state.new_entries = 0

    def warm_up(self, after: threading.Event | None = None) -> None:
        """Once, in a worker: import what drawing a reply needs (entry_render.warm_up),
        once `after` is set (or a second has passed): a view being built imports DuckDB
        first, then builds in DuckDB while this imports (both imports at once hold the GIL
        in turns, and the build waited for both)."""
        if self._warm:
            return
        self._warm = True

        def warm() -> None:
            if after is not None:
                after.wait(WARM_AFTER_WAIT)
            warm_up()

        self.run_worker(warm, thread=True, group="warm", exit_on_error=False)

    # -- filters -------------------------------------------------------------------------
    def set_filter(self, flt: Filter) -> None:
        state = self.state
        if state is None:
            return
        started = time.perf_counter()
        state.set_filter(flt)
        self.pane.reflow()
        self.timings["filter"] = time.perf_counter() - started
        self.filters.show(state.counts, state.filter)

    def action_kind(self, number: int) -> None:
        if self.state is not None:
            self.set_filter(toggled(self.state.filter, number))

    def action_all_kinds(self) -> None:
        """0: everything — every kind (`other` included), no tool or subagent filter."""
        if self.state is not None:
            self.set_filter(Filter(None))

    def action_errors(self) -> None:
        if self.state is not None:
            flt = self.state.filter
            errors_only = flt.kinds == frozenset({Kind.ERROR})
            self.set_filter(Filter(None if errors_only else frozenset({Kind.ERROR}), flt.tool))

    async def action_tool_filter(self) -> None:
        if self.state is not None:
            box = await mount_box(
                self, "tool-filter", "tool name (Enter applies, empty clears)", before=self.pane
            )
            box.add_class("visible")
            box.value = self.state.filter.tool or ""
            focus_now(box)

    @on(Input.Submitted, "#tool-filter")
    def _tool_submitted(self, event: Input.Submitted) -> None:
        event.input.remove_class("visible")
        if self.state is not None:
            flt = self.state.filter
            self.set_filter(Filter(flt.kinds, event.value.strip() or None, flt.subagent_only))
        focus_now(self.pane)

    def escape(self) -> bool:
        """Escape: close an open box, else end the search; whether there was one."""
        for box in self.query(".box").results(Input):
            if box.has_class("visible"):
                box.remove_class("visible")
                focus_now(self.pane)
                return True
        if self.state is not None and self.state.finding is not None:
            self.clear_finding(self.state)
            return True
        return False

    # -- going to an entry ---------------------------------------------------------------
    async def action_go_to(self) -> None:
        """`:`: a box for an entry number (as in `12/340`), a count of entries on (`+20`,
        `-5`) or a time of day (HH:MM)."""
        if self.state is not None:
            box = await mount_box(
                self,
                "go-to",
                "entry number, +N / -N entries on, or a time HH:MM (Enter goes)",
                before=self.pane,
            )
            box.value = ""
            box.add_class("visible")
            focus_now(box)

    @on(Input.Submitted, "#go-to")
    def _go_to_submitted(self, event: Input.Submitted) -> None:
        event.input.remove_class("visible")
        focus_now(self.pane)
        state, wanted = self.state, event.value.strip()
        if state is None or not wanted:
            return
        index = state.index_for(wanted)
        if index is None:
            shown = len(state.visible)
            self._say(f"no entry {wanted!r} here: a number 1–{shown}, +N, -N or a time HH:MM")
            return
        self.pane.go_to(index)

    # -- finding in the session ------------------------------------------------------------
    async def action_find(self) -> None:
        """`/` in the session: the search box, focused."""
        box = await mount_box(
            self,
            "session-search",
            "search this session (empty: the last search again)",
            QueryInput,
            before=self.pane,
        )
        box.add_class("visible")
        focus_now(box)

    @on(Input.Submitted, "#session-search")
    def _search_submitted(self, event: Input.Submitted) -> None:
        state = self.state
        box = event.input
        if state is None:
            return
        from sessions_tui.store.search import Query

        if event.value.strip():
            regex = isinstance(box, QueryInput) and box.regex
            query = Query(event.value.strip(), regex=regex)
        elif self._last_query is not None:  # as in less: an empty `/` repeats the last
            query = self._last_query
        else:
            box.remove_class("visible")
            focus_now(self.pane)
            return
        self._last_query = query
        self._find_in(state, query)

    def _find_in(self, state: SessionState, query: Query) -> None:
        from sessions_tui.store.db import interrupt

        if self._find_cursor is not None:
            interrupt(self._find_cursor)  # typing again stops the search still running
        self._find_cursor = state.view.cursor()
        if (order := key_order(self)) is not None:
            order.hold()  # `n` typed right after Enter steps through these hits
        self._find(state.view.session.id, state.view.table, query, self._find_cursor)

    @work(thread=True, exclusive=True, group="find", description="finding", exit_on_error=False)
    def _find(
        self, session_id: str, table: str, query: Query, cursor: duckdb.DuckDBPyConnection
    ) -> None:
        import duckdb

        from sessions_tui.store.search import SearchError, check, matching_seqs

        try:
            check(cursor, query)
            seqs = matching_seqs(cursor, table, query)
        except SearchError as exc:
            self.post_message(self.FindFailed(str(exc)))
            return
        except duckdb.InterruptException:
            self.post_message(self.FindFailed(None))
            return
        except duckdb.Error as exc:  # the session was closed meanwhile, say
            self.post_message(self.FindFailed(str(exc).splitlines()[0], table))
            return
        finally:
            cursor.close()
        self.post_message(self.Found(session_id, query, seqs, table))

    def _searched_another_view(self, table: str) -> bool:
        """Whether a search ran on a view the shown session no longer has (its head,
        replaced by the whole view meanwhile): then it runs again on this one."""
        state = self.state
        if not table or state is None or state.view.table == table:
            return False
        if self._last_query is not None:
            self._find_in(state, self._last_query)
        return True

    def on_reader_pane_find_failed(self, message: FindFailed) -> None:
        if (order := key_order(self)) is not None:
            order.release()
        if self._searched_another_view(message.table):
            return
        if message.reason is not None:
            self._say(message.reason)

    def on_reader_pane_found(self, message: Found) -> None:
        if (order := key_order(self)) is not None:
            order.release()
        state = self.state
        if state is None or state.view.session.id != message.session_id:
            return  # another session is shown now: its search is not this one
        if self._searched_another_view(message.table):
            return
        for box in self.query("#session-search").results(Input):
            box.remove_class("visible")
        self.set_finding(state, message.query, message.seqs)
        focus_now(self.pane)
        if not message.seqs:
            self._say(f"no match for {message.query.text!r}")
            return
        self._say(None)
        self.action_find_next(1)

    def set_finding(self, state: SessionState, query: Query, seqs: list[int]) -> None:
        self.clear_finding(state)
        state.finding = Finding(query, seqs, query.highlighter())
        state.strips.clear()
        self.pane.refresh()

    def clear_finding(self, state: SessionState) -> None:
        if state.finding is not None:
            for seq in state.finding.auto_expanded:
                state.unexpand(seq)
        state.finding = None
        state.strips.clear()
        self.pane.reflow()

    def action_find_next(self, step: int) -> None:
        """n / N: the next / previous hit, expanded (the one before collapses again)."""
        state = self.state
        if state is None or state.finding is None:
            self._say("no search: press / to search this session")
            return
        i = state.next_hit(step)
        if i is None:
            hidden = state.hidden_hits()
            self._say(f"{hidden} hits hidden by the filter: 0 shows all" if hidden else "no hits")
            return
        self._goto(state, i)

    def _goto(self, state: SessionState, i: int) -> None:
        finding = state.finding
        seq = state.visible[i]
        if finding is not None:
            for other in finding.auto_expanded - {seq}:
                state.unexpand(other)
            finding.auto_expanded &= {seq}
            if seq not in state.expanded:
                finding.auto_expanded.add(seq)
        pane = self.pane
        state.expand(seq)  # go_to lays it out and repaints once
        line = pane.first_marked_line(i)
        # a long entry: show the match, not just its first lines
        pane.go_to(i, line - 2 if line is not None and line >= pane.size.height - 2 else 0)

    def jump_to_hit(self, hit: Hit, query: Query) -> None:
        """Scroll the session shown to a hit of the search across sessions, expanded and
        marked; the session's own search takes over (n/N step through its matches)."""
        state = self.state
        if state is None:
            return
        seq = state.view.seq_of(hit.path, hit.n)
        if seq is None:
            self._say("that entry is no longer in the file")
            return
        if state.index_of(seq) is None:  # the filter hides it: show everything
            self.set_filter(Filter(None))
            self._say("the hit was hidden by the filter: showing every kind")
        self.set_finding(state, query, state.view.matching(query))
        i = state.index_of(seq)
        if i is not None:
            if state.finding is not None:
                hits = state.hits()
                state.finding.current = hits.index(i) if i in hits else -1
            self._goto(state, i)
        focus_now(self.pane)

    # -- copy and export --------------------------------------------------------------------
    def action_copy_entry(self) -> None:
        state = self.state
        if state is None or not state.visible:
            self._say("open a session and select an entry to copy it")
            return
        i = state.position.selected
        seq, result = state.visible[i], state.units[i].result
        text = state.view.full_text(seq)
        if result is not None:  # a tool call is copied with its output
            text += "\n\n" + state.view.full_text(result)
        self.app.copy_to_clipboard(text)
        self._say(f"copied entry #{seq} ({len(text)} characters)")

    async def action_export(self) -> None:
        state = self.state
        if state is None:
            self._say("open a session to export it")
            return
        if state.view.partial:  # what is on screen is the head of it
            self._say(
                "only the first part of this session could be read: nothing exported"
                if state.rest_failed
                else "the rest of this session is still being read: export it in a moment"
            )
            return
        from sessions_tui.tui.dialogs import ExportScreen

        default = Path.cwd() / f"session-{file_stem(state.view.session.id[:8])}.md"

        def chosen(choice: ExportChoice | None) -> None:
            catalog = self.feed.catalog
            if choice is not None and self.state is state and catalog is not None:
                self._export(state, choice, list(catalog.roots))

        await self.app.push_screen(ExportScreen(default, state.filter.describe()), chosen)

    @work(thread=True, group="export", description="exporting", exit_on_error=False)
    def _export(self, state: SessionState, choice: ExportChoice, roots: list[Root]) -> None:
        import duckdb

        from sessions_tui.output.export import (
            ExportInfo,
            ExportRefused,
            check_target,
            export,
            write_atomically,
        )

        flt = state.filter if choice.filtered else Filter(None)
        try:
            check_target(choice.path, roots)
            cur = state.view.cursor()
            try:
                entries = list(state.view.entries(flt, cursor=cur))
            finally:
                cur.close()
            text = export(choice.fmt, state.view.session, entries, ExportInfo(flt.describe()))
            write_atomically(choice.path, text)
        except ExportRefused as exc:
            self.post_message(self.Exported(str(exc)))
            return
        except OSError as exc:
            self.post_message(self.Exported(f"cannot write {choice.path}: {exc.strerror or exc}"))
            return
        except duckdb.Error as exc:  # the session was closed meanwhile, say
            self.post_message(self.Exported(f"cannot export: {str(exc).splitlines()[0]}"))
            return
        self.post_message(
            self.Exported(f"wrote {choice.path} ({len(entries)} entries, {choice.fmt})")
        )

    def on_reader_pane_exported(self, message: Exported) -> None:
        self._say(message.note)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if (message := failed(event)) is not None:
            self.post_message(message)
