"""The catalog feed: the catalog, the databases session views are built in, the worker
that reads the session files and the watch on their folders. The workers take their inputs
as arguments and report only by the feed's messages (`CatalogFeed.Opened`, `.Progressed`,
`.Listed`, `.Changed`); they touch no widget and no attribute of the App.

The folders are checked every few seconds through a `Watch` (folders and recently active
files), with a full walk every minute; bursts of writes coalesce into one refresh."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from textual.message import Message

from sessions_tui.model import Role, SessionFile, placeholder
from sessions_tui.paths import from_root

if TYPE_CHECKING:
    import duckdb
    from textual.dom import DOMNode

    from sessions_tui.model import Session
    from sessions_tui.sources.watch import Watch
    from sessions_tui.store.catalog import Catalog, RefreshReport
    from sessions_tui.store.db import ViewDatabases

FULL_WALK_EVERY = 60.0  # seconds between full walks of the roots (a watch checks between)
INDEX_BATCH = 24 * 1024 * 1024  # bytes of files a background index batch reads (~0.25 s)
QUIET = 0.4  # seconds without a key before the background index reads its next batch
MOST_WAIT = 3.0  # …but it waits no longer than this for a batch (held keys would starve it)
# The catalog's first read waits this long at most for a session being opened at start
# (`TabsPane.first_open`): on two cores, both at once made each slower.
AFTER_WAIT = 1.0


class CatalogFeed:
    """Owns the catalog (made in the first refresh's worker when given as a function) and
    the view databases (made by whichever thread asks first)."""

    @dataclass
    class Opened(Message):
        """The first refresh opened the catalog."""

        catalog: Catalog

    @dataclass
    class Progressed(Message):
        """Bytes read so far of the files that changed (replaces the previous one)."""

        done: int
        total: int

        def can_replace(self, message: Message) -> bool:
            return isinstance(message, CatalogFeed.Progressed)

    @dataclass
    class Listed(Message):
        """Sessions to list: the final list of a refresh, or one on the way (`final`
        False: a later one replaces it)."""

        sessions: list[Session]
        report: RefreshReport | None
        final: bool = True

        def can_replace(self, message: Message) -> bool:
            return isinstance(message, CatalogFeed.Listed) and not message.final

    @dataclass
    class Changed(Message):
        """A session folder changed (a new or changed file): time to refresh the list."""

    @dataclass
    class Indexed(Message):
        """The search index's update: bytes read of how many (`final`: it is up to date,
        with what it could not read; `notice`: it had to be built again)."""

        done: int
        total: int
        final: bool = False
        problems: list[str] | None = None
        notice: str | None = None

        def can_replace(self, message: Message) -> bool:
            return isinstance(message, CatalogFeed.Indexed) and not message.final

    def __init__(self, catalog: Catalog | Callable[[], Catalog]) -> None:
        self.catalog: Catalog | None = None if callable(catalog) else catalog
        self._make = catalog if callable(catalog) else None
        self._databases: ViewDatabases | None = None
        self._lock = threading.Lock()
        self._watch: Watch | None = None
        self._last_walk = 0.0
        self._index_cursor: duckdb.DuckDBPyConnection | None = None
        self._closing = False

    def display_path(self, path: Path) -> str:
        """A session file's path from its root's folder (`projects/-home-me-app/….jsonl`)."""
        return from_root(path, [r.path for r in self.catalog.roots] if self.catalog else [])

    @staticmethod
    def reading(node: DOMNode) -> bool:
        """Whether `node`'s catalog worker is running."""
        return any(w.group == "catalog" and w.is_running for w in node.workers)

    def databases(self) -> ViewDatabases:
        """Where session views are built (thread-safe: the first asker makes them)."""
        with self._lock:
            if self._databases is None:
                from sessions_tui.store.db import ViewDatabases

                self._databases = ViewDatabases()
            return self._databases

    def refresh(
        self,
        node: DOMNode,
        *,
        cold: bool,
        show_cached: bool,
        first: str | None,
        shown: threading.Event,
        after: threading.Event | None = None,
    ) -> None:
        """Read the changed files in a worker of `node`, which gets the messages. `cold`:
        nothing is listed yet (the files found are listed at once, and the list fills in
        as batches finish); `show_cached`: list the cached sessions before reading; the
        session `first` (the one the reader left) is opened first: the walk waits for
        `shown` (up to 2 s) when it is in the cache. The catalog is opened once `after` is
        set (or AFTER_WAIT has passed): a session being opened comes first."""
        node.run_worker(
            lambda: self._read(node.post_message, cold, show_cached, first, shown, after),
            thread=True,
            exclusive=True,
            group="catalog",
            description="reading the sessions",
            exit_on_error=False,
        )

    def _read(
        self,
        post: Callable[[Message], bool],
        cold: bool,
        show_cached: bool,
        first: str | None,
        shown: threading.Event,
        after: threading.Event | None,
    ) -> None:
        if after is not None:
            after.wait(AFTER_WAIT)
        with self._lock:  # two refreshes in a row open one catalog
            opened = self.catalog is None
            if opened:
                assert self._make is not None
                self.catalog = self._make()
            catalog = self.catalog
        assert catalog is not None
        if opened:
            post(self.Opened(catalog))
            known = catalog.sessions()
            if not cold or show_cached:  # show the cached list now (and restore from it)
                post(self.Listed(known, None, final=False))
            if first in {s.id for s in known}:
                shown.wait(2.0)  # the session the reader left comes first

        def discovered(files: list[SessionFile]) -> None:
            if cold:  # nothing cached: show the files found, newest first, at once
                found = sorted(files, key=lambda f: f.mtime_ns, reverse=True)
                post(self.Listed([placeholder(f) for f in found if f.role is Role.MAIN],
                                  None, final=False))  # fmt: skip

        def progress(done: int, total: int) -> None:
            post(self.Progressed(done, total))
            if cold:  # fill the list in as batches finish
                post(self.Listed(catalog.sessions(), None, final=False))

        report = catalog.refresh(progress=progress, discovered=discovered)
        if opened or report.changed or report.removed or report.problems:
            post(self.Listed(catalog.sessions(), report))
        # else a walk (every minute) found nothing new: the list stays as it is (listing
        # it again built every session and drew the whole list, 7 KB, for nothing)
        self.databases().prepare()  # for the first open

    # -- the search index, in the background ---------------------------------------------------
    def index(self, node: DOMNode, idle: Callable[[], bool]) -> None:
        """Bring the search index up to date in a worker of `node` (which gets `Indexed`),
        newest files first, at a lower priority, a batch at a time while `idle()`."""
        if self.catalog is None:
            return
        catalog = self.catalog
        node.run_worker(lambda: self._index(catalog, node.post_message, idle), thread=True,
                        exclusive=True, group="index", description="indexing for search",
                        exit_on_error=False)  # fmt: skip

    def _index(
        self, catalog: Catalog, post: Callable[[Message], bool], idle: Callable[[], bool]
    ) -> None:
        import duckdb

        from sessions_tui.store.search_index import damaged

        _lower_priority()
        cur = catalog.con.cursor()
        self._index_cursor = cur

        def between() -> None:
            waited = 0.0
            while not idle() and waited < MOST_WAIT and not self._closing:
                time.sleep(0.05)
                waited += 0.05
            if self._closing:
                raise duckdb.InterruptException("the app is closing")

        def progress(done: int, total: int) -> None:
            post(self.Indexed(done, total))

        try:
            for attempt in (1, 2):
                try:
                    facts = catalog.file_facts()
                    report = catalog.index.update(
                        facts, cur, progress, between=between, batch_bytes=INDEX_BATCH
                    )
                    post(self.Indexed(report.bytes_read, report.bytes_read, True, report.problems))
                    return
                except duckdb.InterruptException:
                    return  # the app is closing
                except duckdb.Error as exc:
                    if attempt == 2 or not damaged(exc):
                        raise
                    post(self.Indexed(0, 0, notice=catalog.index.reset(exc)))
        finally:
            self._index_cursor = None
            cur.close()

    # -- watching the roots ------------------------------------------------------------------
    def check(self, node: DOMNode) -> bool:
        """Whether it is time for a full walk (every minute, or with nothing to watch);
        else check the watch in a worker of `node`, which gets `Changed` if a file did."""
        if self._watch is None or time.monotonic() - self._last_walk >= FULL_WALK_EVERY:
            self._last_walk = time.monotonic()
            return True
        watch = self._watch

        def look() -> None:
            if watch.changed():
                node.post_message(self.Changed())

        node.run_worker(look, thread=True, exclusive=True, group="watch",
                        description="watching the folders", exit_on_error=False)  # fmt: skip
        return False

    def rewatch(self, open_paths: list[Path]) -> None:
        """Take the catalog's latest discovery (and the open sessions' files) as what to
        watch."""
        from sessions_tui.sources.watch import Watch

        if self.catalog is not None:
            self._watch = Watch(
                self.catalog.discovery.files, [r.path for r in self.catalog.roots], open_paths
            )

    def close(self) -> None:
        self._closing = True
        if self._index_cursor is not None:
            from sessions_tui.store.db import interrupt

            interrupt(self._index_cursor)  # a background build stops between two rows
        if self._databases is not None:
            self._databases.close()
        if self.catalog is not None:
            self.catalog.close()


def _lower_priority() -> None:
    """This thread at a lower CPU priority (Linux: a thread's own nice value), so that
    drawing and keys come first; elsewhere, nothing."""
    import os
    import sys

    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError):
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 10)
