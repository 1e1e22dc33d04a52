"""Stopping a view's build from another thread. Its own module, free of DuckDB until a
build starts, so that the UI can make one before DuckDB is imported (a 60 ms import the
first frame does not wait for)."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import duckdb


class Opening:
    """Stops, from another thread, a view being built (an open superseded, a quit)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._con: duckdb.DuckDBPyConnection | None = None
        self.stopped = False
        # Set once the build runs (DuckDB imported, a database made), or is stopped: what
        # else a start does waits for this, so that the build's own work overlaps it.
        self.building = threading.Event()

    def started(self, con: duckdb.DuckDBPyConnection) -> None:
        """The build runs on `con` now; raise if it was stopped before it began."""
        import duckdb

        with self._lock:
            if self.stopped:
                raise duckdb.InterruptException("the open was superseded")
            self._con = con
        self.building.set()

    def stop(self) -> None:
        self.building.set()
        with self._lock:
            self.stopped = True
            if self._con is not None:
                from sessions_tui.store.db import interrupt

                interrupt(self._con)
