"""Search every session (Ctrl+F): one row per session, best first, streaming in as the
index is read. The query language is `store/search_query.py`'s (phrases, -word, kind:…).

| key | action |
|---|---|
| type | search (again: the running search stops) |
| Enter | open the top session at its best hit (in the results: the one highlighted) |
| Ctrl+R | plain text / regular expression |
| Ctrl+O | ranked / newest first |
| ↓ / Tab, ↑ | into the results and back |
| → / ← | show / hide the highlighted session's hits |
| Escape | back |
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import ClassVar

import duckdb
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import Worker, get_current_worker

from sessions_tui.model import Session
from sessions_tui.output.format import KIND_LABEL, marked, short_project, when_text
from sessions_tui.store.catalog import Catalog
from sessions_tui.store.db import interrupt
from sessions_tui.store.search import (
    PER_SESSION,
    Hit,
    Query,
    Results,
    SearchError,
    SessionHits,
    check,
    search_all,
)
from sessions_tui.store.search_index import damaged
from sessions_tui.text import one_line
from sessions_tui.tui.bindings import bindings
from sessions_tui.tui.messages import failed
from sessions_tui.tui.widgets.query_input import QueryInput

DEBOUNCE = 0.06  # seconds of quiet typing before a search starts (a newer one stops it)
AGAIN = 1.0  # seconds between searches while the index is still being built


class SearchScreen(Screen[tuple[Hit, Query] | None]):
    """The query box, a status line, and the results."""

    @dataclass
    class Found(Message):
        """Hits so far of search number `serial` (a newer search makes older ones stale)."""

        serial: int
        sessions: list[SessionHits]
        matched: int
        note: str
        final: bool
        partial: bool = False  # searched while the index was still being built

    BINDINGS: ClassVar[list[BindingType]] = bindings("search")  # tui/keys.py

    DEFAULT_CSS = """
    SearchScreen { layout: vertical; }
    SearchScreen QueryInput { border: tall $accent; height: 3; }
    SearchScreen #search-status { height: 1; padding: 0 1; color: $text-muted; }
    SearchScreen OptionList { height: 1fr; border: none; }
    """

    def __init__(self, catalog: Catalog) -> None:
        super().__init__()
        self.catalog = catalog
        self.order = "rank"
        self.found: list[SessionHits] = []
        self.expanded: set[str] = set()  # ids of the sessions whose hits are shown
        self.query_now: Query | None = None
        self._shown_text: str | None = None  # the query the results shown answer
        self._open_when_done = False
        self._serial = 0
        self._cursor: duckdb.DuckDBPyConnection | None = None
        self._timer: Timer | None = None
        self._started = 0.0
        self._last_change = 0.0
        # what each search needs of the catalog, read once for the screen's life (30 and
        # 12 ms a search for 300 sessions): the sessions, and the files' facts
        self._known: tuple[list[Session], dict[str, dict[str, object]]] | None = None

    def compose(self) -> ComposeResult:
        box = QueryInput(placeholder="search every session…", id="search-query")
        box.border_title = "text"
        yield box
        yield Static(self._help(), id="search-status")
        yield OptionList(id="search-results")

    def _help(self) -> str:
        order = "ranked" if self.order == "rank" else "newest first"
        return (f'words · "a phrase" · -word · kind: tool: project: after: before: · '
                f"Ctrl+R regex · Ctrl+O {order} · → hits · Enter opens")  # fmt: skip

    def on_mount(self) -> None:
        self.set_focus(self.query_one(QueryInput))

    # -- typing --------------------------------------------------------------------------
    @on(Input.Changed, "#search-query")
    def _changed(self) -> None:
        """A change after a quiet spell (the first key, a paste) searches at once; one
        typed right after another waits for the typing to pause."""
        if self._timer is not None:
            self._timer.stop()
        self._stop()
        now = time.monotonic()
        typing, self._last_change = now - self._last_change < DEBOUNCE, now
        if typing:
            self._timer = self.set_timer(DEBOUNCE, self._start)
        else:
            self._start()

    @on(Input.Submitted, "#search-query")
    def _submitted(self) -> None:
        """One Enter opens the top session (once the results answer what is typed)."""
        if self.found and self._shown_text == self._typed():
            self._open(self.found[0].best)
        else:
            self._open_when_done = True
            self._start()

    def _typed(self) -> str:
        return self.query_one(QueryInput).value.strip()

    def action_toggle_order(self) -> None:
        self.order = "newest" if self.order == "rank" else "rank"
        self.query_one("#search-status", Static).update(self._help())
        self._start()

    def action_results(self) -> None:
        results = self.query_one(OptionList)
        if results.option_count:
            self.set_focus(results)
            if results.highlighted is None:
                results.highlighted = 0

    def action_expand(self) -> None:
        self._show_hits(True)

    def action_collapse(self) -> None:
        self._show_hits(False)

    def _show_hits(self, shown: bool) -> None:
        """The highlighted session's hits under it, or not."""
        group = self._highlighted_session()
        if group is None:
            return
        if shown:
            self.expanded.add(group.session.id)
        else:
            self.expanded.discard(group.session.id)
        self._list_results(keep=group.session.id)

    def _highlighted_session(self) -> SessionHits | None:
        results = self.query_one(OptionList)
        if results.highlighted is None or not self.found:
            return None
        option = results.get_option_at_index(results.highlighted)
        return self.found[int((option.id or "0").split(":")[1])]

    def action_back(self) -> None:
        self._stop()
        self.dismiss(None)

    def _stop(self) -> None:
        self._serial += 1
        if self._cursor is not None:
            interrupt(self._cursor)  # a superseded query must stop, not just be ignored
            self._cursor = None

    def _start(self) -> None:
        box = self.query_one(QueryInput)
        text = self._typed()
        self._stop()
        if not text:
            self._open_when_done = False
            self._show([], 0, self._help(), True, None)
            return
        self.query_now = Query(text, regex=box.regex, order=self.order, limit=200)
        self._cursor = self.catalog.con.cursor()
        self._started = time.perf_counter()
        self._search(self._serial, self.query_now, self._cursor)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if (message := failed(event)) is not None:
            self.app.post_message(message)  # the app says it in the status bar, and here
            self.query_one("#search-status", Static).update(Text(message.notice))

    # -- searching (a thread) -------------------------------------------------------------
    @work(thread=True, exclusive=True, group="search-all", description="searching",
          exit_on_error=False)  # fmt: skip
    def _search(self, serial: int, query: Query, cursor: duckdb.DuckDBPyConnection) -> None:
        worker = get_current_worker()
        catalog = self.catalog
        try:
            for attempt in (1, 2):
                try:
                    self._search_once(serial, query, cursor, worker)
                    return
                except duckdb.InterruptException:
                    raise
                except duckdb.Error as exc:
                    if attempt == 2 or not damaged(exc):
                        raise
                    # A damaged index file: moved aside and built again, once.
                    self.post_message(self.Found(serial, [], 0, catalog.index.reset(exc), False))
        except SearchError as exc:
            self.post_message(self.Found(serial, [], 0, str(exc), True))
        except duckdb.InterruptException:
            return
        except duckdb.Error as exc:
            self.post_message(self.Found(serial, [], 0, str(exc).splitlines()[0], True))
        finally:
            cursor.close()

    def _search_once(
        self, serial: int, query: Query, cursor: duckdb.DuckDBPyConnection, worker: Worker[None]
    ) -> None:
        catalog = self.catalog
        check(cursor, query)
        if self._known is None:
            self._known = (catalog.sessions(), catalog.file_facts())
        sessions, facts = self._known
        stale, gone = catalog.index.stale(facts, cursor)
        building = catalog.index.progress  # the background build's: answer from what is read
        if building is None and (stale or gone):  # files changed since: index them, newest first
            found = Results(order=query.order, limit=query.limit)

            def progress(done: int, total: int) -> None:
                note = f"indexing {100 * done // max(1, total)}% of changed files…"
                self.post_message(self.Found(serial, list(found.sessions), found.matched, note,
                                             False))  # fmt: skip

            def on_chunk(chunk: int) -> None:
                if worker.is_cancelled:
                    raise duckdb.InterruptException("superseded")
                for part in search_all(cursor, catalog.index, sessions, query, [chunk]):
                    found.add(part.sessions, part.matched, PER_SESSION)

            catalog.index.update(facts, cursor, progress, on_chunk)
        for results in search_all(cursor, catalog.index, sessions, query):
            if worker.is_cancelled:
                return
            done = results.chunks_done >= results.chunks_total
            note = "" if done else "searching…"
            if building is not None:
                read, total = catalog.index.progress or building
                note = (f"the index is {100 * read // max(1, total)}% built: results from "
                        "what is read so far (they grow as it goes on)")  # fmt: skip
            self.post_message(self.Found(serial, list(results.sessions), results.matched, note,
                                         done, building is not None))  # fmt: skip

    def on_search_screen_found(self, message: Found) -> None:
        if message.serial != self._serial:
            return  # from a search the typing replaced
        note = message.note
        if message.final and not note:
            seconds = time.perf_counter() - self._started
            count = len(message.sessions)
            noun = "session" if count == 1 else "sessions"
            note = f"{count} {noun} · {message.matched} matching entries · {seconds:.2f} s"
        text = self.query_now.text if self.query_now is not None else None
        self._show(message.sessions, message.matched, note, message.final, text)
        if message.final and message.partial:  # again when more of the index is read
            serial = self._serial
            self.set_timer(AGAIN, lambda: self._again(serial))
        # Enter typed before the answer: open its top session (while the index is being
        # built and nothing is found yet, wait for the next search)
        if message.final and self._open_when_done and (message.sessions or not message.partial):
            self._open_when_done = False
            if message.sessions:
                self._open(message.sessions[0].best)

    def _again(self, serial: int) -> None:
        """Search again (what the person typed has not changed): the background build has
        read more since."""
        if serial == self._serial:
            self._start()

    def _show(
        self, found: list[SessionHits], matched: int, note: str, final: bool, text: str | None
    ) -> None:
        keep = self._highlighted_session()
        self.found = found
        self._shown_text = text if final else None
        self.query_one("#search-status", Static).update(Text(note))
        self._list_results(keep.session.id if keep is not None else None)

    def _list_results(self, keep: str | None) -> None:
        """One row per session (two lines), its hits under it when expanded; the
        highlight stays on the session it was on."""
        results = self.query_one(OptionList)
        options: list[Option] = []
        at = None
        for i, group in enumerate(self.found):
            if group.session.id == keep:
                at = len(options)
            options.append(Option(_session_row(group, group.session.id in self.expanded),
                                  id=f"s:{i}"))  # fmt: skip
            if group.session.id in self.expanded:
                options += [Option(_hit_row(h), id=f"h:{i}:{j}") for j, h in enumerate(group.hits)]
        results.clear_options()
        results.add_options(options)
        if options and results.has_focus:
            results.highlighted = at if at is not None else 0

    @on(OptionList.OptionSelected, "#search-results")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        parts = (event.option.id or "s:0").split(":")
        group = self.found[int(parts[1])]
        self._open(group.hits[int(parts[2])] if parts[0] == "h" else group.best)

    def _open(self, hit: Hit) -> None:
        if self.query_now is not None:
            self._stop()
            self.dismiss((hit, self.query_now))


def _session_row(group: SessionHits, expanded: bool) -> Text:
    """Two lines: the session (title, project, when, how many hits) and its best snippet."""
    s = group.session
    head = Text(no_wrap=True, overflow="ellipsis")
    head.append("▾ " if expanded else "▸ ", style="dim")
    head.append(one_line(s.title or "(untitled)", 70), style="bold")
    head.append("  " + one_line(short_project(s.project), 24), style="cyan")
    head.append("  " + when_text(s.ended or s.started), style="dim")
    hits = f"{group.count} {'hit' if group.count == 1 else 'hits'}"
    head.append(f"  {hits}", style="yellow")
    best = group.best
    body = Text("  ", no_wrap=True, overflow="ellipsis")
    body.append(_where(best) + " ", style="dim")
    body.append_text(marked(best.snippet, best.spans, indent="", no_wrap=True))
    return Text("\n").join([head, body])


def _hit_row(h: Hit) -> Text:
    """One line under its session: the hit's kind (and tool), its time, its snippet."""
    line = Text("      ", no_wrap=True, overflow="ellipsis")
    line.append(_where(h) + " ", style="yellow")
    line.append((h.timestamp or "")[11:16] + " ", style="dim")
    line.append_text(marked(h.snippet, h.spans, indent="", no_wrap=True))
    return line


def _where(h: Hit) -> str:
    label = KIND_LABEL.get(h.kind, h.kind.value)
    return label + (f" {one_line(h.tool, 20)}" if h.tool else "")
