"""The search index: every entry's text, kept in its own DuckDB file beside the catalog.

Built in the background after the catalog (the browser; the CLI's `search` first brings
it up to date) and kept up to date file by file afterwards (keyed, like the catalog, by
path, size and mtime), so a search scans text, not JSON. The text is compressed with zstd
in row groups of 16k rows: 6 % of a generated history's size and 18 % of real files',
and a scan runs on both cores. It lives in a file of its own so the catalog stays small
(a warm start reads the catalog only), and so it can be thrown away alone. Without a
usable cache folder it goes to a temporary file, never to memory: the text of a big
history does not fit in RAM.

Each batch of files read is a `chunk`, numbered newest first; searches walk chunks newest
first, so results stream in the order people usually want them.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from sessions_tui.model import Role, SessionFile, Source
from sessions_tui.store import sql
from sessions_tui.store.build import BATCH_FILES
from sessions_tui.store.db import quoted, release_memory
from sessions_tui.store.loader import PROGRAMMING_ERRORS, LoadReport, load_raw
from sessions_tui.store.schema import INDEX_COLUMNS
from sessions_tui.store.shared_file import FileBusy, attach, attached, damaged, detach, move_aside

__all__ = ["INDEX_BATCH_BYTES", "IndexReport", "SearchIndex", "damaged", "newest_batches"]

# Row groups of 16k rows, not 122,880: a scan runs on both cores for a history of any size
# and skips more by chunk; with zstd, a scan of the generated 373 MB history's text took
# 69 ms against 134 ms (and 89 ms uncompressed), in a 32 MB file against 19 MB.
_OPTIONS = "ROW_GROUP_SIZE 16384"
# A chunk is a batch of files read at once: small enough that the newest eighth of the
# index (a search's first part) is a few chunks, large enough to keep per-batch costs low.
INDEX_BATCH_BYTES = 32 * 1024 * 1024
INDEX_VERSION = 5  # 2: a resumed session's replayed records are left out; 3: api errors'
# text; 4: a tool result has its call's tool name; 5: text compressed with zstd

_DDL = """
CREATE TABLE IF NOT EXISTS search.files (
    path VARCHAR PRIMARY KEY, size BIGINT, mtime_ns BIGINT, chunk INTEGER);
CREATE TABLE IF NOT EXISTS search.docs (
    chunk INTEGER, path VARCHAR, n INTEGER, kind VARCHAR, tool VARCHAR, timestamp VARCHAR,
    sidechain BOOLEAN, uuid VARCHAR, tool_use_id VARCHAR, label VARCHAR,
    text VARCHAR USING COMPRESSION zstd)
"""

# `n` numbers a file's entries in file order; a session view finds the same entry by it.
_DOCS = """
SELECT $chunk AS chunk, file AS path,
    (row_number() OVER (PARTITION BY file ORDER BY line, sub, bi) - 1)::INTEGER AS n,
    kind,
    -- a result takes its call's tool name (as in a session's view), so `tool:Bash` finds both
    coalesce(tool, CASE WHEN tool_use_id IS NOT NULL THEN max(CASE WHEN kind = 'tool_call'
        THEN tool END) OVER (PARTITION BY file, tool_use_id) END) AS tool,
    ts AS timestamp, sidechain, uuid, tool_use_id, label, text
FROM entries WHERE NOT bad AND NOT replay
"""

IndexProgress = Callable[[int, int], None]


@dataclass(slots=True)
class IndexReport:
    """What an update read."""

    files: int = 0
    files_done: int = 0
    bytes_read: int = 0
    busy: str = ""  # why it stopped early: the index file held by another process
    problems: list[str] = field(default_factory=list)


class SearchIndex:
    """Entry text of every catalogued file, in a file of its own attached to the catalog's
    connection as `search` only while a search or a batch of an update uses it (`using`),
    so other processes can use it between (`store/shared_file.py`)."""

    def __init__(self, con: duckdb.DuckDBPyConnection, cache_folder: Path | None) -> None:
        self.con = con
        self._temp: Path | None = None
        self._users = 0  # searches and updates of this process using the attached file
        self._attached = False
        self._attaching = threading.Lock()
        self.path = self._place(cache_folder)
        self._lock = threading.Lock()  # one update at a time
        self.progress: tuple[int, int] | None = None  # (bytes read, of) while updating

    def _place(self, folder: Path | None) -> Path:
        """The index file: in the cache folder, or in a temporary folder of its own when
        that file cannot be used (a corrupt one is moved aside first)."""
        name = f"search-i{INDEX_VERSION}-duckdb{duckdb.__version__}.duckdb"
        if folder is not None:
            path = folder / name
            try:
                self._try(path)
                return path
            except FileBusy:
                return path  # busy now; each use waits its turn
            except duckdb.Error as exc:
                if not damaged(exc):
                    raise
                try:
                    move_aside(path)
                    self._try(path)
                    return path
                except (OSError, duckdb.Error):
                    pass
        self._temp = Path(tempfile.mkdtemp(prefix="sessions-tui-search-"))
        path = self._temp / name
        self._try(path)
        return path

    def _try(self, path: Path) -> None:
        """Attach the file once, making its tables (a first read checks it is sound)."""
        with attached(self.con, path, "search", read_only=False, options=_OPTIONS):
            for statement in _DDL.split(";\n"):
                self.con.execute(statement)
            self.con.execute("SELECT count(*) FROM search.files").fetchall()

    @contextlib.contextmanager
    def using(self) -> Iterator[None]:
        """The index file attached for the block (shared by this process's threads, and
        let go when the last of them is done). FileBusy when another process holds it for
        longer than shared_file.LOCK_WAIT."""
        with self._attaching:
            if not self._attached:
                attach(self.con, self.path, "search", read_only=False, options=_OPTIONS)
                self._attached = True
            self._users += 1
        try:
            yield
        finally:
            with self._attaching:
                self._users -= 1
                if self._users == 0 and self._attached:
                    detach(self.con, "search")
                    self._attached = False

    def _let_go(self) -> None:
        """Detach the file now, whoever uses it (they fail, as the file did)."""
        with self._attaching:
            if self._attached:
                detach(self.con, "search")
                self._attached = False

    def reset(self, error: duckdb.Error) -> str:
        """The index failed a read (a file cut short, a block overwritten): move it aside
        (`….corrupt`), start an empty one; the one-line notice to show. The next search
        fills it again."""
        self._let_go()
        folder: Path | None = self.path.parent
        if self._temp is not None:
            shutil.rmtree(self._temp, ignore_errors=True)
            self._temp = folder = None
        else:
            with contextlib.suppress(OSError):
                move_aside(self.path)
        self.path = self._place(folder)
        return f"rebuilt the search index ({str(error).splitlines()[0]})"

    def close(self) -> None:
        self._let_go()
        if self._temp is not None:
            shutil.rmtree(self._temp, ignore_errors=True)

    # -- keeping up to date --------------------------------------------------------------------
    def stale(
        self, facts: dict[str, dict[str, object]], cur: duckdb.DuckDBPyConnection | None = None
    ) -> tuple[list[SessionFile], list[str]]:
        """Files to (re)read, newest first, and indexed paths that are gone."""
        with self.using():
            rows = (cur or self.con).execute("SELECT path, size, mtime_ns FROM search.files")
            known = {p: (s, m) for p, s, m in rows.fetchall()}
        files = [
            SessionFile(
                Path(p),
                int(str(f["size"])),
                int(str(f["mtime_ns"])),
                Source(str(f["source"])),
                Role(str(f["role"])),
                str(f["file_id"]),
            )
            for p, f in facts.items()
            if known.get(p) != (f["size"], f["mtime_ns"])
        ]
        files.sort(key=lambda f: f.mtime_ns, reverse=True)
        return files, [p for p in known if p not in facts]

    @property
    def busy(self) -> bool:
        """Whether an update is running (a search then reads what is there already)."""
        return self._lock.locked()

    def update(
        self,
        facts: dict[str, dict[str, object]],
        cursor: duckdb.DuckDBPyConnection,
        progress: IndexProgress | None = None,
        on_chunk: Callable[[int], None] | None = None,
        between: Callable[[], None] | None = None,
        batch_bytes: int = INDEX_BATCH_BYTES,
    ) -> IndexReport:
        """Read new and changed files (newest first, in batches of about `batch_bytes`),
        drop vanished ones.

        `on_chunk(chunk)` hears of each batch as it lands, so a search can look at it at
        once; `between()` runs before each batch (a background build waits there while
        the person types); `cursor` (of the catalog connection) lets the caller interrupt.
        """
        with self._lock:
            try:
                files, gone = self.stale(facts, cursor)
            except FileBusy as busy:
                return IndexReport(problems=[f"{busy}: the index is brought up to date later"])
            report = IndexReport(files=len(files))
            total = sum(f.size for f in files)
            self.progress = (0, total)
            try:
                return self._update(files, gone, total, report, cursor, progress, on_chunk,
                                    between, batch_bytes)  # fmt: skip
            finally:
                self.progress = None

    def _update(
        self,
        files: list[SessionFile],
        gone: list[str],
        total: int,
        report: IndexReport,
        cursor: duckdb.DuckDBPyConnection,
        progress: IndexProgress | None,
        on_chunk: Callable[[int], None] | None,
        between: Callable[[], None] | None,
        batch_bytes: int,
    ) -> IndexReport:
        cur = cursor
        try:
            with self.using():
                if gone:
                    self._forget(cur, gone)
                row = cur.execute(
                    "SELECT coalesce(max(chunk), -1) + 1 FROM search.files"
                ).fetchone()
                chunk = int(row[0]) if row else 0
        except FileBusy as busy:
            report.problems.append(f"{busy}: the index is brought up to date later")
            return report
        for batch in newest_batches(files, batch_bytes):
            if not self._batch(batch, chunk, report, cur, between):
                left = len(files) - report.files_done
                report.problems.append(f"{report.busy}: {left} files are left for the next update")
                break
            report.bytes_read += sum(f.size for f in batch)
            report.files_done += len(batch)
            self.progress = (report.bytes_read, total)
            if on_chunk is not None:
                on_chunk(chunk)
            if progress is not None:
                progress(report.bytes_read, total)
            chunk += 1
        cur.execute("DROP TABLE IF EXISTS raw")
        if report.files:
            with contextlib.suppress(FileBusy), self.using():
                self._compact_if_wasteful(cur)
            release_memory(self.con)
        return report

    def _batch(
        self,
        batch: list[SessionFile],
        chunk: int,
        report: IndexReport,
        cur: duckdb.DuckDBPyConnection,
        between: Callable[[], None] | None,
    ) -> bool:
        """Read one batch of files into the index as `chunk`; False if the index file was
        busy (`report.busy` says why)."""
        if between is not None:
            between()
        paths = [str(f.path) for f in batch]
        loaded = LoadReport()
        try:
            load_raw(cur, [(str(f.path), f.source.value) for f in batch], loaded,
                     columns=INDEX_COLUMNS)  # fmt: skip
            # Held for the batch's entries and writes only; its DETACH writes the batch
            # (a checkpoint: the same time in all as one at the end, measured).
            with self.using():
                cur.execute("BEGIN")
                self._forget(cur, paths)
                cur.execute("INSERT INTO search.docs " + sql.with_entries(_DOCS), {"chunk": chunk})
                cur.execute(
                    "INSERT INTO search.files SELECT unnest($p), unnest($s), unnest($m), $c",
                    {"p": paths, "s": [f.size for f in batch], "m": [f.mtime_ns for f in batch],
                     "c": chunk},
                )  # fmt: skip
                cur.execute("COMMIT")
        except FileBusy as busy:
            report.busy = str(busy)
            return False
        except PROGRAMMING_ERRORS:
            raise
        except duckdb.Error:
            _rollback(cur)
            raise
        report.problems += loaded.problems
        return True

    def _compact_if_wasteful(self, cur: duckdb.DuckDBPyConnection) -> None:
        """Rewrite the index file when half of it is free blocks.

        Batch inserts leave freed blocks behind (45 % of the file after a first build of
        712 MB of text: 1.34 GB on disk); DuckDB reuses them but never gives them back.
        A copy into a new file takes ~4 s for that history and halves the file.
        """
        row = cur.execute(
            "SELECT free_blocks, used_blocks, block_size FROM pragma_database_size() "
            "WHERE database_name = 'search'"
        ).fetchone()
        if row is None or row[0] * 2 < row[1] or row[0] * row[2] < 64 * 1024 * 1024:
            return
        compact = self.path.with_name(self.path.name + ".compact")
        compact.unlink(missing_ok=True)
        try:
            cur.execute(f"ATTACH '{quoted(compact)}' AS search_compact ({_OPTIONS})")
            cur.execute("COPY FROM DATABASE search TO search_compact")
            cur.execute("DETACH search_compact")
            cur.execute("DETACH search")  # the caller's `using` holds it: attached again below
            os.replace(compact, self.path)
        except (OSError, duckdb.Error):
            compact.unlink(missing_ok=True)
        finally:
            attached = {
                r[0] for r in cur.execute("SELECT database_name FROM duckdb_databases()").fetchall()
            }
            if "search" not in attached:
                cur.execute(f"ATTACH '{quoted(self.path)}' AS search ({_OPTIONS})")

    def _forget(self, cur: duckdb.DuckDBPyConnection, paths: list[str]) -> None:
        cur.execute("DELETE FROM search.docs WHERE list_contains($p, path)", {"p": paths})
        cur.execute("DELETE FROM search.files WHERE list_contains($p, path)", {"p": paths})

    def chunks_newest_first(self, cur: duckdb.DuckDBPyConnection) -> list[int]:
        """The chunks, newest first (call it while `using` the index)."""
        rows = cur.execute(
            "SELECT chunk FROM search.files GROUP BY chunk ORDER BY max(mtime_ns) DESC"
        ).fetchall()
        return [int(r[0]) for r in rows]


def newest_batches(files: list[SessionFile], batch_bytes: int) -> list[list[SessionFile]]:
    """Files in batches of about `batch_bytes` (a larger file alone), in the order given
    (newest first: a search during the first build finds the recent sessions first)."""
    out: list[list[SessionFile]] = []
    size = 0
    for f in files:
        if not out or size + f.size > batch_bytes or len(out[-1]) >= BATCH_FILES:
            out.append([])
            size = 0
        out[-1].append(f)
        size += f.size
    return out


def _rollback(cur: duckdb.DuckDBPyConnection) -> None:
    with contextlib.suppress(duckdb.Error):
        cur.execute("ROLLBACK")
