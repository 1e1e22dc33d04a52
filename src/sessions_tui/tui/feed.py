"""The catalog feed: the catalog, the databases session views are built in, and the
worker that reads the session files. The worker takes its inputs as arguments and reports
only by its messages (`CatalogFeed.Opened`, `.Progressed`, `.Listed`); it touches no
widget and no attribute of the App."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.message import Message

from sessions_tui.model import Role, SessionFile, placeholder

if TYPE_CHECKING:
    from textual.dom import DOMNode

    from sessions_tui.model import Session
    from sessions_tui.store.catalog import Catalog, RefreshReport
    from sessions_tui.store.db import ViewDatabases


class CatalogFeed:
    """Owns the catalog (made in the first refresh's worker when given as a function) and
    the view databases (made by whichever thread asks first)."""

    class Opened(Message):
        """The first refresh opened the catalog."""

        def __init__(self, catalog: Catalog) -> None:
            super().__init__()
            self.catalog = catalog

    class Progressed(Message):
        """Bytes read so far of the files that changed (replaces the previous one)."""

        def __init__(self, done: int, total: int) -> None:
            super().__init__()
            self.done = done
            self.total = total

        def can_replace(self, message: Message) -> bool:
            return isinstance(message, CatalogFeed.Progressed)

    class Listed(Message):
        """Sessions to list: the final list of a refresh, or one on the way (`final`
        False: a later one replaces it)."""

        def __init__(
            self, sessions: list[Session], report: RefreshReport | None, *, final: bool = True
        ) -> None:
            super().__init__()
            self.sessions = sessions
            self.report = report
            self.final = final

        def can_replace(self, message: Message) -> bool:
            return isinstance(message, CatalogFeed.Listed) and not message.final

    def __init__(self, catalog: Catalog | Callable[[], Catalog]) -> None:
        self.catalog: Catalog | None = None if callable(catalog) else catalog
        self._make = catalog if callable(catalog) else None
        self._databases: ViewDatabases | None = None
        self._lock = threading.Lock()

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
    ) -> None:
        """Read the changed files in a worker of `node`, which gets the messages. `cold`:
        nothing is listed yet (the files found are listed at once, and the list fills in
        as batches finish); `show_cached`: list the cached sessions before reading; the
        session `first` (the one the reader left) is opened first: the walk waits for
        `shown` (up to 2 s) when it is in the cache."""
        node.run_worker(
            lambda: self._read(node.post_message, cold, show_cached, first, shown),
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
    ) -> None:
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
        post(self.Listed(catalog.sessions(), report))
        self.databases().prepare()  # for the first open

    def close(self) -> None:
        if self._databases is not None:
            self._databases.close()
        if self.catalog is not None:
            self.catalog.close()
