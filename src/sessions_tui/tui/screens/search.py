"""Search every session (Ctrl+F): results stream in as the index is read, best first.

| key | action |
|---|---|
| type | search (again: the running search stops) |
| Ctrl+R | plain text / regular expression |
| Ctrl+O | ranked / newest first |
| ↓ / Tab, ↑ | into the results and back |
| Enter | open the session at the hit, expanded |
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

from sessions_tui.output.format import marked, short_project
from sessions_tui.store.catalog import Catalog
from sessions_tui.store.db import interrupt
from sessions_tui.store.search import (
    Hit,
    Query,
    Results,
    SearchError,
    check,
    ordered,
    search_all,
)
from sessions_tui.store.search_index import damaged
from sessions_tui.text import one_line
from sessions_tui.tui.bindings import bindings
from sessions_tui.tui.messages import failed
from sessions_tui.tui.widgets.query_input import QueryInput

DEBOUNCE = 0.2  # seconds of quiet typing before a search starts


class SearchScreen(Screen[tuple[Hit, Query] | None]):
    """The query box, a status line, and the results."""

    @dataclass
    class Found(Message):
        """Hits so far of search number `serial` (a newer search makes older ones stale)."""

        serial: int
        hits: list[Hit]
        matched: int
        note: str
        final: bool

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
        self.hits: list[Hit] = []
        self.query_now: Query | None = None
        self._serial = 0
        self._cursor: duckdb.DuckDBPyConnection | None = None
        self._timer: Timer | None = None
        self._started = 0.0

    def compose(self) -> ComposeResult:
        box = QueryInput(placeholder="search every session…", id="search-query")
        box.border_title = "text"
        yield box
        yield Static(self._help(), id="search-status")
        yield OptionList(id="search-results")

    def _help(self) -> str:
        order = "ranked" if self.order == "rank" else "newest first"
        return f"all words must occur · Ctrl+R regex · Ctrl+O order: {order} · Enter opens"

    def on_mount(self) -> None:
        self.set_focus(self.query_one(QueryInput))

    # -- typing --------------------------------------------------------------------------
    @on(Input.Changed, "#search-query")
    def _changed(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._stop()
        self._timer = self.set_timer(DEBOUNCE, self._start)

    @on(Input.Submitted, "#search-query")
    def _submitted(self) -> None:
        if self.hits:
            self.action_results()
        else:
            self._start()

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
        text = box.value.strip()
        self._stop()
        if not text:
            self._show([], 0, self._help(), True)
            return
        self.query_now = Query(text, regex=box.regex, order=self.order, limit=500)
        self._cursor = self.catalog.con.cursor()
        self._started = time.perf_counter()
        self._search(self._serial, self.query_now, self._cursor)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if (message := failed(event)) is not None:
            self.app.post_message(message)  # the app says it in the status bar

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
        sessions = catalog.sessions()
        facts = catalog.file_facts()
        stale, gone = catalog.index.stale(facts, cursor)
        if stale or gone:  # first search, or files changed: index them, newest first
            found = Results()

            def progress(done: int, total: int) -> None:
                note = f"indexing {100 * done // max(1, total)}% of changed files…"
                self.post_message(self.Found(serial, list(found.hits), found.matched, note, False))

            def on_chunk(chunk: int) -> None:
                if worker.is_cancelled:
                    raise duckdb.InterruptException("superseded")
                for part in search_all(cursor, catalog.index, sessions, query, [chunk]):
                    found.hits = ordered(found.hits + part.hits, query)
                    found.matched += part.matched

            catalog.index.update(facts, cursor, progress, on_chunk)
        for results in search_all(cursor, catalog.index, sessions, query):
            if worker.is_cancelled:
                return
            done = results.chunks_done >= results.chunks_total
            note = "" if done else "searching…"
            self.post_message(self.Found(serial, list(results.hits), results.matched, note, done))

    def on_search_screen_found(self, message: Found) -> None:
        if message.serial != self._serial:
            return  # from a search the typing replaced
        note = message.note
        if message.final and not note:
            seconds = time.perf_counter() - self._started
            shown = len(message.hits)
            more = f", best {shown} shown" if message.matched > shown else ""
            note = f"{message.matched} matching entries{more} · {seconds:.2f} s"
        self._show(message.hits, message.matched, note, message.final)

    def _show(self, hits: list[Hit], matched: int, note: str, final: bool) -> None:
        self.hits = hits
        self.query_one("#search-status", Static).update(Text(note))
        results = self.query_one(OptionList)
        keep = results.highlighted
        results.clear_options()
        results.add_options([Option(_prompt(h), id=str(i)) for i, h in enumerate(hits)])
        if hits and keep is not None:
            results.highlighted = min(keep, len(hits) - 1)

    @on(OptionList.OptionSelected, "#search-results")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        i = int(event.option.id or 0)
        if i < len(self.hits) and self.query_now is not None:
            self._stop()
            self.dismiss((self.hits[i], self.query_now))


def _prompt(h: Hit) -> Text:
    """Two lines: where (project, title, time, kind) and the snippet, matches marked."""
    head = Text(no_wrap=True, overflow="ellipsis")
    head.append(one_line(short_project(h.session.project), 24), style="bold cyan")
    head.append("  " + one_line(h.session.title or "(untitled)", 60), style="bold")
    head.append("  " + (h.timestamp or "")[:16].replace("T", " "), style="dim")
    head.append(f"  {h.kind.value}" + (f" {one_line(h.tool, 20)}" if h.tool else ""), "yellow")
    body = marked(h.snippet, h.spans, no_wrap=True, overflow="ellipsis")
    return Text("\n").join([head, body])
