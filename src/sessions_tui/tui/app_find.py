"""Finding: `/` in the open session (n/N step), Ctrl+F across every session.

A search in the session is one query over the session's table (every kind, so a hit the
filter hides can be counted and pointed at); the hits are the matches the filter shows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on, work
from textual.message import Message
from textual.widgets import Input

from sessions_tui.store.filters import Filter
from sessions_tui.tui.app_filters import FilterActions
from sessions_tui.tui.state.viewstate import Finding, SessionState
from sessions_tui.tui.widgets.message_pane import MessagePane
from sessions_tui.tui.widgets.query_input import QueryInput

if TYPE_CHECKING:
    # DuckDB (and the store modules that import it) load after the first paint.
    import duckdb

    from sessions_tui.store.search import Hit, Query


class FindDone(Message):
    """A search in a session finished: the seqs it matched."""

    def __init__(self, session_id: str, query: Query, seqs: list[int]) -> None:
        super().__init__()
        self.session_id = session_id
        self.query = query
        self.seqs = seqs


class FindFailed(Message):
    """A search in a session could not run (a bad pattern; the session closed meanwhile);
    with no reason, it was stopped by a newer one."""

    def __init__(self, reason: str | None) -> None:
        super().__init__()
        self.reason = reason


class FindActions(FilterActions):
    """In-session search, the global search screen, and jumping to a hit."""

    _find_cursor: duckdb.DuckDBPyConnection | None = None
    _pending_hit: tuple[str, Hit, Query] | None = None

    async def action_slash(self) -> None:
        """`/`: search the open session from its pane; filter the list from the list."""
        if self.open.current is not None and self.focused is not self.sessions_list:
            box = await self._input("session-search", "search this session", kind=QueryInput)
            box.add_class("visible")
            self.focus_now(box)
        else:
            await self.find_in_list()

    @on(Input.Submitted, "#session-search")
    def _session_search_submitted(self, event: Input.Submitted) -> None:
        state = self.open.current
        box = event.input
        if state is None or self.catalog is None:
            return
        if not event.value.strip():
            self._clear_finding(state)
            box.remove_class("visible")
            self.focus_now(self.pane)
            return
        from sessions_tui.store.db import interrupt
        from sessions_tui.store.search import Query

        regex = isinstance(box, QueryInput) and box.regex
        if self._find_cursor is not None:
            interrupt(self._find_cursor)  # typing again stops the search still running
        self._find_cursor = state.view.cursor()
        query = Query(event.value.strip(), regex=regex)
        self.hold_keys()  # `n` typed right after Enter steps through these hits
        self._find_worker(self.open.active or "", state.view.table, query, self._find_cursor)

    @work(thread=True, exclusive=True, group="find", description="finding", exit_on_error=False)
    def _find_worker(
        self, session_id: str, table: str, query: Query, cursor: duckdb.DuckDBPyConnection
    ) -> None:
        import duckdb

        from sessions_tui.store.search import SearchError, check, matching_seqs

        try:
            check(cursor, query)
            seqs = matching_seqs(cursor, table, query)
        except SearchError as exc:
            self.post_message(FindFailed(str(exc)))
            return
        except duckdb.InterruptException:
            self.post_message(FindFailed(None))
            return
        except duckdb.Error as exc:  # the session was closed meanwhile, say
            self.post_message(FindFailed(str(exc).splitlines()[0]))
            return
        finally:
            cursor.close()
        self.post_message(FindDone(session_id, query, seqs))

    def on_find_failed(self, message: FindFailed) -> None:
        self.release_keys()
        if message.reason is not None:
            self.say(message.reason)

    def on_find_done(self, message: FindDone) -> None:
        self.release_keys()
        state = self.open.states.get(message.session_id)
        if state is None:
            return
        for box in self.query("#session-search").results(Input):
            box.remove_class("visible")
        self._set_finding(state, message.query, message.seqs)
        self.focus_now(self.pane)
        if not message.seqs:
            self.say(f"no match for {message.query.text!r}")
            return
        self.notice = None
        self.action_find_next(1)

    def _set_finding(self, state: SessionState, query: Query, seqs: list[int]) -> None:
        self._clear_finding(state)
        state.finding = Finding(query, seqs, query.highlighter())
        state.strips.clear()
        self.pane.refresh()

    def _clear_finding(self, state: SessionState) -> None:
        if state.finding is not None:
            for seq in state.finding.auto_expanded:
                if seq in state.expanded:
                    state.set_expanded(seq, None)
        state.finding = None
        state.strips.clear()
        self.pane.reflow()
        self._status()

    def action_find_next(self, step: int) -> None:
        """n / N: the next / previous hit, expanded (the one before collapses again)."""
        state = self.open.current
        if state is None or state.finding is None:
            self.say("no search: press / to search this session")
            return
        i = state.next_hit(step)
        if i is None:
            hidden = state.hidden_hits()
            self.say(f"{hidden} hits hidden by the filter: 0 shows all" if hidden else "no hits")
            return
        self._goto(state, i)

    def _goto(self, state: SessionState, i: int) -> None:
        finding = state.finding
        seq = state.visible[i]
        if finding is not None:
            for other in finding.auto_expanded - {seq}:
                if other in state.expanded:
                    state.set_expanded(other, None)
            finding.auto_expanded &= {seq}
            if seq not in state.expanded:
                finding.auto_expanded.add(seq)
        pane: MessagePane = self.pane
        pane.expand_entry(seq)
        pane.select(i)
        line = pane.first_marked_line(i)
        top = state.offsets[i]
        if line is not None and line - top >= pane.size.height - 2:
            top = line - 2  # a long entry: show the match, not just its first lines
        pane.scroll_to(y=top, animate=False, immediate=True)
        state.position.scroll_y = round(pane.scroll_y)
        pane.refresh()
        self._status()

    # -- across every session ---------------------------------------------------------------
    async def action_search_all(self) -> None:
        if self.catalog is None:
            self.say("still reading the sessions; try again in a moment")
            return
        from sessions_tui.tui.screens.search import SearchScreen

        await self.show(SearchScreen(self.catalog), self._open_hit)

    def _open_hit(self, chosen: tuple[Hit, Query] | None) -> None:
        if chosen is None:
            return
        hit, query = chosen
        session = hit.session
        if session.id in self.open:
            self._activate(session.id)
            self._jump_to_hit(session.id, hit, query)
        else:
            self._pending_hit = (session.id, hit, query)
            self.request_open(session)

    def _jump_to_hit(self, session_id: str, hit: Hit, query: Query) -> None:
        """Scroll the open session to a search hit, expanded and marked."""
        state = self.open.states.get(session_id)
        if state is None:
            return
        seq = state.view.seq_of(hit.path, hit.n)
        if seq is None:
            self.say("that entry is no longer in the file")
            return
        if state.index_of(seq) is None:  # the filter hides it: show everything
            self._set_filter(Filter(None))
            self.notice = "the hit was hidden by the filter: showing every kind"
        # The session's own search takes over: its matches marked, n/N stepping through them.
        self._set_finding(state, query, state.view.matching(query))
        i = state.index_of(seq)
        if i is not None:
            if state.finding is not None:
                hits = state.hits()
                state.finding.current = hits.index(i) if i in hits else -1
            self._goto(state, i)
        self.focus_now(self.pane)
