"""A DuckDB file that several sessions-tui processes share: attached only while it is used.

DuckDB locks a database file for as long as a process has it open, and a second process
cannot open it at all, not even to read. So no process keeps the cache open: the catalog
works from memory and attaches its file to read it at start and to write what a refresh
changed; the search index attaches its file for a search or a batch written. A file that
is busy (another process in the middle of a write) is tried again with a short backoff.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb

from sessions_tui.store.db import quoted
from sessions_tui.store.loader import PROGRAMMING_ERRORS

# How long a process waits for another to finish with a shared file. Ours hold it for a
# fraction of a second (a refresh's changed rows, a search, a batch of the index and its
# checkpoint); a holder past this is not one of ours (an older version, a DuckDB shell) or
# is stuck.
LOCK_WAIT = 5.0


class FileBusy(duckdb.Error):
    """Another process held the file for longer than we would wait (a DuckDB error, so
    that a search or a build that meets it ends as one that failed, with this message)."""

    def __init__(self, path: Path, holder: str) -> None:
        super().__init__(f"{path} is in use by another process ({holder})")
        self.path = path
        self.holder = holder


def damaged(exc: duckdb.Error) -> bool:
    """Whether an error from using a shared file means the file is unreadable (corrupt,
    cut short, not DuckDB's), not a query stopped on purpose, a connection closed under a
    quit, or a mistake in our SQL."""
    return not isinstance(
        exc,
        (FileBusy, duckdb.InterruptException, duckdb.ConnectionException, *PROGRAMMING_ERRORS),
    )


def is_lock_error(exc: duckdb.Error) -> bool:
    """Another process holds the file (its lock), or another database of this process has
    it attached (two catalogs in one process, as tests make)."""
    text = str(exc).lower()
    return (isinstance(exc, duckdb.IOException) and "lock" in text) or "already attached" in text


def _holder(exc: duckdb.Error) -> str:
    """`PID 1234` from DuckDB's lock message, or what it says."""
    text = str(exc)
    at = text.find("(PID ")
    return text[at + 1 : text.index(")", at)] if at >= 0 and ")" in text[at:] else "unknown"


def attach(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    alias: str,
    *,
    read_only: bool,
    options: str = "",
    wait: float | None = None,
) -> None:
    """ATTACH `path` as `alias`, waiting up to `wait` seconds (LOCK_WAIT) while another
    process holds it; FileBusy after that. Any other failure (a corrupt file) is DuckDB's
    error."""
    opts = ", ".join(x for x in ("READ_ONLY" if read_only else "", options) if x)
    statement = f"ATTACH '{quoted(path)}' AS {alias}" + (f" ({opts})" if opts else "")
    deadline = time.monotonic() + (LOCK_WAIT if wait is None else wait)
    pause = 0.01
    while True:
        try:
            con.execute(statement)
            return
        except duckdb.Error as exc:
            if not is_lock_error(exc):
                raise
            if time.monotonic() + pause > deadline:
                raise FileBusy(path, _holder(exc)) from exc
        time.sleep(pause)
        pause = min(pause * 2, 0.1)


def detach(con: duckdb.DuckDBPyConnection, alias: str) -> None:
    with contextlib.suppress(duckdb.Error):
        con.execute(f"DETACH {alias}")


@contextlib.contextmanager
def attached(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    alias: str,
    *,
    read_only: bool,
    options: str = "",
    wait: float | None = None,
) -> Iterator[None]:
    """The file attached for the block, and detached (its lock let go) after it."""
    attach(con, path, alias, read_only=read_only, options=options, wait=wait)
    try:
        yield
    finally:
        detach(con, alias)


def move_aside(path: Path) -> None:
    """A damaged file (and its WAL) becomes `….corrupt`, kept for a bug report."""
    for suffix in ("", ".wal"):
        old = Path(str(path) + suffix)
        if old.exists():
            os.replace(old, Path(str(old) + ".corrupt"))
