"""DuckDB instances: the catalog's, the session views' and scratch ones; the cache file's name.

The cache is disposable: its file name carries the schema version and the DuckDB version,
so an upgrade simply starts a new file. The catalog works from memory and attaches the file
only to read and write it (store/shared_file.py): a DuckDB file is open in one process at a
time.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

import duckdb

from sessions_tui.paths import cache_dir
from sessions_tui.store import sql
from sessions_tui.store.schema import SCHEMA_VERSION

__all__ = [
    "FACTS",
    "Instance",
    "ViewDatabases",
    "cache_dir",
    "cache_file",
    "catalog_database",
    "configure",
    "interrupt",
    "memory_database",
    "quoted",
    "release_memory",
    "run_script",
]  # fmt: skip

MEMORY_LIMIT = "2GB"
_SPILLS = itertools.count(1)


def interrupt(cursor: duckdb.DuckDBPyConnection) -> None:
    """Stop the query running on `cursor`, if any (a closed cursor has nothing to stop)."""
    with contextlib.suppress(duckdb.Error):
        cursor.interrupt()


def cache_file(folder: Path) -> Path:
    return folder / f"catalog-s{SCHEMA_VERSION}-duckdb{duckdb.__version__}.duckdb"


def configure(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    # Bounded memory: the cold build streams batches and must stay well under 400 MB.
    con.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")
    con.execute("SET preserve_insertion_order = true")
    return con


def memory_database() -> duckdb.DuckDBPyConnection:
    """A new in-memory DuckDB instance with the store's macros, for one piece of work.

    Closing an instance gives back everything it held, which dropping tables in a shared
    one does not (see ViewDatabases). It spills to a folder of its own under the cache
    folder, which it removes when closed: an in-memory database would otherwise spill
    into `.tmp` in the current directory, which may be the user's.
    """
    con = duckdb.connect(":memory:")
    try:
        spill = _spill_folder() / f"{os.getpid()}-{next(_SPILLS)}"
        con.execute(f"SET temp_directory = '{quoted(spill)}'")
        run_script(configure(con), "macros")
    except BaseException:
        con.close()
        raise
    return con


# The catalog's facts: a table in a compressed in-memory database (`catalog_files`, the
# name every query reads, is a view of it). Uncompressed, 100,000 files' facts took 67 MB
# of memory; compressed 7 MB.
FACTS = "facts.catalog_files"


def catalog_database() -> duckdb.DuckDBPyConnection:
    """A new in-memory instance with the catalog's tables and views; writes go to FACTS."""
    con = memory_database()
    try:
        con.execute("ATTACH ':memory:' AS facts (COMPRESS)")
        run_script(con, "catalog_ddl")
        con.execute(f"CREATE TABLE {FACTS} AS FROM catalog_files LIMIT 0")
        con.execute("DROP TABLE catalog_files")
        con.execute(f"CREATE VIEW catalog_files AS FROM {FACTS}")
    except BaseException:
        con.close()
        raise
    return con


def _spill_folder() -> Path:
    """Where databases in memory spill (DuckDB makes only the last folder of the path)."""
    folder = cache_dir() / "spill"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:  # an unwritable cache folder: the system's temporary folder
        folder = Path(tempfile.gettempdir())
    return folder


@dataclass(slots=True, eq=False)
class Instance:
    """A DuckDB instance that session views share: how many it has served, how many are open."""

    con: duckdb.DuckDBPyConnection
    builds: int = 0
    views: int = 0


class ViewDatabases:
    """The in-memory DuckDB instances session views are built in.

    One instance serves up to `builds` views and is closed when the last of them closes.
    A shared instance keeps about 40 KB of every table created and dropped in it, for
    good; an instance per view keeps nothing once closed, but costs ~6 MB while it is open
    (16 open sessions: ~100 MB) and 10–20 ms to make. 32 views an instance bound what is
    kept to ~1.3 MB, held only while one of them is open.
    """

    def __init__(self, builds: int = 32) -> None:
        self._lock = threading.Lock()
        self._builds = builds
        self._current: Instance | None = None
        self._closed = False

    def cursor(self) -> tuple[duckdb.DuckDBPyConnection, Instance]:
        """A connection for a new view, and what to pass to `done` when the view closes."""
        with self._lock:
            home = self._current
            if home is None or home.builds >= self._builds or self._closed:
                home = Instance(memory_database())
                if not self._closed:
                    self._replace(home)
            home.builds += 1
            home.views += 1
            return home.con.cursor(), home

    def done(self, home: Instance) -> None:
        with self._lock:
            home.views -= 1
            if home.views == 0 and home is not self._current:
                home.con.close()

    def prepare(self) -> None:
        """Make the next instance ahead, in a worker thread, if the current one is full."""
        with self._lock:
            if self._closed or (self._current and self._current.builds < self._builds):
                return
        try:
            home = Instance(memory_database())
        except (duckdb.Error, OSError):
            return  # `cursor` meets the same error, where it can be reported
        with self._lock:
            if self._closed or (self._current and self._current.builds < self._builds):
                home.con.close()
            else:
                self._replace(home)

    def close(self) -> None:
        """Close the instances no view uses; the others close with their last view."""
        with self._lock:
            self._closed = True
            self._replace(None)

    def _replace(self, home: Instance | None) -> None:
        old, self._current = self._current, home
        if old is not None and old.views == 0:
            old.con.close()


def run_script(con: duckdb.DuckDBPyConnection, name: str) -> None:
    """Run the statements of `sql/<name>.sql` one by one."""
    for statement in sql.load(name).split(";\n"):
        if statement.strip():
            con.execute(statement)


def quoted(path: Path | str) -> str:
    """A path as the inside of an SQL string literal."""
    return str(path).replace("'", "''")


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
