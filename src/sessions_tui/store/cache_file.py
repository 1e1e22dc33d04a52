"""The catalog's cache file, kept in step with the catalog's facts in memory.

The facts live in memory (`db.catalog_database`); this reads the file into them at start,
takes what other processes wrote before a refresh reads a changed file again, and writes
what a refresh read, each time attaching the file for a moment only (`shared_file`), so a
browser, a second browser and the CLI share one cache.
"""

from __future__ import annotations

import contextlib
import os
import time
from pathlib import Path

import duckdb

from sessions_tui.model import SessionFile
from sessions_tui.sources.watch import file_state
from sessions_tui.store import shared_file
from sessions_tui.store.db import FACTS, cache_file, release_memory
from sessions_tui.store.loader import insert_columns
from sessions_tui.store.shared_file import FileBusy, attached, damaged, move_aside

_GONE = (-1, -1)  # watch.file_state of a file that is not there
SAVE_EVERY = 2.0  # seconds between writes of a long refresh's facts to the cache file


class CacheFile:
    """The cache file of one catalog: where it is (`path`, None once it is unusable), what
    is wrong with it (`notice`), and which facts it lacks."""

    def __init__(self, con: duckdb.DuckDBPyConnection, folder: Path | None) -> None:
        self.con = con
        self.notice: str | None = None
        self.path = self._place(folder)
        self._synced: tuple[int, int] | None = None  # the file as we last read or wrote it
        self._unsaved: set[str] = set()  # paths whose facts the file does not have yet
        self._saved_at = time.monotonic()

    def _place(self, folder: Path | None) -> Path | None:
        if folder is None:
            return None
        try:
            folder.mkdir(parents=True, exist_ok=True)
            probe = folder / f".probe-{os.getpid()}"
            probe.touch()
            probe.unlink()
        except OSError as exc:
            self.notice = f"cache folder {folder} is not writable ({exc.strerror}); using memory"
            return None
        return cache_file(folder)

    def load(self) -> None:
        """Read the cache file into memory (every block of it: DuckDB checks each one's
        checksum as it reads, so a damaged file is found here and not at a later query)."""
        assert self.path is not None
        if file_state(str(self.path)) == _GONE:
            return
        try:
            with attached(self.con, self.path, "disk", read_only=True):
                if _has_table(self.con):
                    self.con.execute(
                        f"INSERT INTO {FACTS} BY NAME SELECT * FROM disk.catalog_files"
                    )
                self._synced = file_state(str(self.path))
            release_memory(self.con)  # what reading the file held (100 MB for 100,000 files)
        except FileBusy as busy:
            self.notice = (
                f"cache in use by another process ({busy.holder}) for over "
                f"{shared_file.LOCK_WAIT:g} s; using an in-memory catalog"
            )
            self.path = None
        except duckdb.Error as exc:
            if not damaged(exc):
                raise
            self.con.execute(f"DELETE FROM {FACTS}")
            self._start_again(str(exc).splitlines()[0])

    def _start_again(self, reason: str) -> None:
        """A corrupt or foreign cache file: it is disposable, so it is moved aside (kept
        as `….corrupt` for a bug report) and the next write starts a new one."""
        assert self.path is not None
        try:
            move_aside(self.path)
        except OSError:
            self.notice = f"cache {self.path} is unusable ({reason}); using an in-memory catalog"
            self.path = None
            return
        self.notice = f"rebuilt the cache ({reason})"
        self._synced = None

    def pull(self, files: list[SessionFile]) -> None:
        """Take from the cache file the facts another process wrote for these files (as
        they are on disk now), so they are not read again."""
        assert self.path is not None
        if not files or file_state(str(self.path)) in (_GONE, self._synced):
            return
        cur = self.con.cursor()
        try:
            with attached(cur, self.path, "disk", read_only=True):
                if not _has_table(cur):
                    return
                cur.execute(
                    "CREATE OR REPLACE TEMP TABLE wanted "
                    "(path VARCHAR, size BIGINT, mtime_ns BIGINT)"
                )
                insert_columns(cur, "wanted", [(str(f.path), f.size, f.mtime_ns) for f in files])
                cur.execute(
                    "CREATE OR REPLACE TEMP TABLE pulled AS SELECT d.* FROM disk.catalog_files d "
                    "SEMI JOIN wanted w ON d.path = w.path AND d.size = w.size "
                    "AND d.mtime_ns = w.mtime_ns"
                )
            cur.execute(f"DELETE FROM {FACTS} WHERE path IN (SELECT path FROM pulled)")
            cur.execute(f"INSERT INTO {FACTS} BY NAME SELECT * FROM pulled")
            cur.execute("DROP TABLE pulled")
        except FileBusy:
            pass  # read them ourselves
        except duckdb.Error as exc:
            if not damaged(exc):
                raise
            self._start_again(str(exc).splitlines()[0])
        finally:
            cur.close()

    def stored(self, paths: list[str]) -> None:
        """A batch of a refresh is in: written to the cache every few seconds on the way,
        so a long first read stopped by a quit is not all lost."""
        self._unsaved.update(paths)
        now = time.monotonic()
        if self.path is not None and now - self._saved_at >= SAVE_EVERY:
            self.save()

    def save(self) -> None:
        """Write the facts of the paths changed since the last write (or their absence) to
        the cache file; what cannot be written now (the file busy, the disk full) is tried
        again after the next refresh."""
        assert self.path is not None
        self._saved_at = time.monotonic()
        if not self._unsaved:
            return
        existed = file_state(str(self.path)) != _GONE
        cur = self.con.cursor()
        try:
            with attached(cur, self.path, "disk", read_only=False):
                cur.execute(
                    "CREATE TABLE IF NOT EXISTS disk.catalog_files AS FROM catalog_files LIMIT 0"
                )
                cur.execute("CREATE OR REPLACE TEMP TABLE saving (path VARCHAR)")
                cur.execute("INSERT INTO saving SELECT unnest($p)", {"p": sorted(self._unsaved)})
                cur.execute("BEGIN")
                cur.execute(
                    "DELETE FROM disk.catalog_files WHERE path IN (SELECT path FROM saving)"
                )
                cur.execute(
                    "INSERT INTO disk.catalog_files BY NAME SELECT * FROM catalog_files "
                    "WHERE path IN (SELECT path FROM saving)"
                )
                cur.execute("COMMIT")
            self._unsaved.clear()
            self._synced = file_state(str(self.path))
        except FileBusy:
            pass
        except duckdb.Error as exc:
            if not damaged(exc):
                raise
            with contextlib.suppress(duckdb.Error):
                cur.execute("ROLLBACK")
            if "no space left" in str(exc).lower():  # not the file's fault: kept, tried again
                self.notice = (
                    f"no room for the cache in {self.path.parent} (disk full); "
                    "using an in-memory catalog"
                )
                if not existed:  # what was begun of a new file
                    for suffix in ("", ".wal"):
                        with contextlib.suppress(OSError):
                            Path(str(self.path) + suffix).unlink(missing_ok=True)
            else:
                self._start_again(str(exc).splitlines()[0])
                if self.path is not None:  # everything, into a new file, next time
                    self._unsaved |= {
                        str(p) for (p,) in cur.execute("SELECT path FROM catalog_files").fetchall()
                    }
        finally:
            cur.close()

    def forget(self, gone: list[str]) -> None:
        """Files gone from the catalog. Only those gone from the disk leave the file: one
        under roots this process was not given (another process's `--root`) stays there."""
        self._unsaved.update(p for p in gone if not os.path.lexists(p))


def _has_table(cur: duckdb.DuckDBPyConnection) -> bool:
    """Whether the attached cache file has the catalog's table (a new file has not)."""
    row = cur.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE database_name = 'disk' "
        "AND table_name = 'catalog_files'"
    ).fetchone()
    return bool(row and row[0])
