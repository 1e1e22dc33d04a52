"""Opening the persistent cache database, falling back to memory when it cannot be used.

The cache is disposable: its file name carries the schema version and the DuckDB version,
so an upgrade simply starts a new file. A second process cannot open a DuckDB file at all
(not even read-only), so the second instance works from an in-memory catalog and says so.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from pathlib import Path

import duckdb

from sessions_tui.paths import cache_dir
from sessions_tui.store.schema import SCHEMA_VERSION

__all__ = [
    "Opened", "cache_dir", "cache_file", "configure", "interrupt", "open_store", "release_memory",
]  # fmt: skip

MEMORY_LIMIT = "2GB"


def interrupt(cursor: duckdb.DuckDBPyConnection) -> None:
    """Stop the query running on `cursor`, if any (a closed cursor has nothing to stop)."""
    with contextlib.suppress(duckdb.Error):
        cursor.interrupt()


def cache_file(folder: Path) -> Path:
    return folder / f"catalog-s{SCHEMA_VERSION}-duckdb{duckdb.__version__}.duckdb"


@dataclass(slots=True)
class Opened:
    """A connection, where it lives (None: memory), and a notice for the status bar."""

    con: duckdb.DuckDBPyConnection
    path: Path | None
    notice: str | None = None


def configure(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    # Bounded memory: the cold build streams batches and must stay well under 400 MB.
    con.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")
    con.execute("SET preserve_insertion_order = true")
    return con


def release_memory(con: duckdb.DuckDBPyConnection) -> None:
    """Give back to the system what DuckDB's allocator kept after a big piece of work.

    Its threads keep freed memory for reuse, and not below `allocator_flush_threshold`
    once a task ends: building the search index left RSS at 1.42 GB, and closing the
    20k-record session kept 120 MB. Setting the memory limit (to the same value) flushes
    the allocator: 117 MB and 96 MB after.
    """
    with contextlib.suppress(duckdb.Error):
        cur = con.cursor()
        try:
            cur.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")
        finally:
            cur.close()


def open_store(folder: Path | None) -> Opened:
    """Open (or create) the cache database in `folder`; memory when that is impossible."""
    if folder is None:
        return Opened(configure(duckdb.connect(":memory:")), None)
    path = cache_file(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        return Opened(configure(duckdb.connect(str(path))), path)
    except duckdb.IOException as exc:
        if "lock" in str(exc).lower():
            note = "cache in use by another sessions-tui; using an in-memory catalog"
            return Opened(configure(duckdb.connect(":memory:")), None, note)
        reason = str(exc).splitlines()[0]
    except duckdb.Error as exc:
        reason = str(exc).splitlines()[0]
    except OSError as exc:
        note = f"cache folder {folder} is not writable ({exc.strerror}); using memory"
        return Opened(configure(duckdb.connect(":memory:")), None, note)
    # A corrupt or foreign file: the cache is disposable, so start it again.
    try:
        path.unlink()
        Path(str(path) + ".wal").unlink(missing_ok=True)
        return Opened(configure(duckdb.connect(str(path))), path, f"rebuilt the cache ({reason})")
    except (OSError, duckdb.Error):
        note = f"cache {path} is unusable ({reason}); using an in-memory catalog"
        return Opened(configure(duckdb.connect(":memory:")), None, note)
