"""The catalog: one row per session file, rebuilt only for files whose size or mtime changed."""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from sessions_tui.model import Role, Session, SessionFile, Source, Tokens
from sessions_tui.paths import expand
from sessions_tui.pricing import cost
from sessions_tui.profile import PROFILER
from sessions_tui.sources.discovery import Discovery, Root, discover
from sessions_tui.store import snapshot, sql, tempfiles
from sessions_tui.store.build import Progress, read_files
from sessions_tui.store.cache_file import CacheFile
from sessions_tui.store.db import FACTS, catalog_database, release_memory
from sessions_tui.store.search_index import SearchIndex


@dataclass(slots=True)
class RefreshReport:
    """What one refresh did, for the status bar, the CLI and the benchmark."""

    files: int = 0
    changed: int = 0
    removed: int = 0
    bytes_read: int = 0
    seconds: float = 0.0
    problems: list[str] = field(default_factory=list)
    repaired: list[str] = field(default_factory=list)


class Catalog:
    """Discovers session files and keeps their facts in DuckDB.

    The facts live in memory; the cache file is attached only to read it at start (and
    what other processes wrote, before a refresh) and to write what a refresh changed, so
    a browser, a second browser and the CLI share one cache (`store/cache_file.py`).
    """

    def __init__(self, roots: Sequence[Root], cache: Path | None) -> None:
        self.roots = list(roots)
        if cache is not None:
            tempfiles.sweep()  # what a killed process left behind
        self._con = catalog_database()
        self._cache = CacheFile(self._con, cache)
        # The cache file is read in a thread of its own (0.3 s for 100,000 files), beside
        # the walk of the folders that a refresh starts with; `con` waits for it.
        self._loading: threading.Thread | None = None
        self._load_error: BaseException | None = None
        if self._cache.path is not None:
            self._loading = threading.Thread(target=self._load_safely, daemon=True)
            self._loading.start()
        self.discovery = Discovery()
        self._index: SearchIndex | None = None
        self._index_lock = threading.Lock()

    @property
    def con(self) -> duckdb.DuckDBPyConnection:
        """The catalog's connection, once the cache file has been read into it."""
        loading = self._loading
        if loading is not None:
            loading.join()
            self._loading = None
            if self._load_error is not None:
                raise self._load_error
        return self._con

    @property
    def notice(self) -> str | None:
        """What is wrong with the cache, in one line (after its file is read)."""
        _ = self.con
        return self._cache.notice

    @property
    def cache_path(self) -> Path | None:
        """The cache file, None when there is none or it is unusable (memory only)."""
        return self._cache.path

    def _load_safely(self) -> None:
        try:
            self._cache.load()
        except BaseException as exc:  # raised where the connection is next asked for
            self._load_error = exc

    def close(self) -> None:
        """Close the database, stopping any query still running (a quit mid-load)."""
        with contextlib.suppress(duckdb.Error):
            self._con.interrupt()
        if self._loading is not None:
            self._loading.join()
        for _ in range(50):  # a worker thread may be inside a call: give it a moment
            try:
                if self._index is not None:
                    self._index.close()
                    self._index = None
                self._con.close()
                return
            except duckdb.Error:
                time.sleep(0.02)

    @property
    def index(self) -> SearchIndex:
        """The search index (attached the first time it is asked for, by one thread: the
        background build and a search asked at the same moment, and the second ATTACH
        failed, and the search with it)."""
        with self._index_lock:
            if self._index is None:
                con = self.con  # the cache file read first: it may have turned out unusable
                folder = self.cache_path.parent if self.cache_path else None
                self._index = SearchIndex(con, folder)
            return self._index

    # -- building ----------------------------------------------------------------------
    def refresh(
        self,
        progress: Progress | None = None,
        discovered: Callable[[list[SessionFile]], None] | None = None,
    ) -> RefreshReport:
        """Walk the roots, drop vanished files, and read new or changed ones.

        `discovered` hears of the files found before any is read (a cold start shows them
        at once); `progress` hears of bytes read as batches finish.
        """
        started = time.perf_counter()
        self.discovery = discover(self.roots)
        if discovered is not None:
            discovered(self.discovery.files)
        report = RefreshReport(
            files=len(self.discovery.files), problems=list(self.discovery.problems)
        )
        cur = self.con.cursor()
        try:
            known = _known(cur)
            current = {str(f.path): f for f in self.discovery.files}
            stale = [f for p, f in current.items() if known.get(p) != (f.size, f.mtime_ns)]
            if stale and self.cache_path is not None:
                self._cache.pull(stale)  # what another process read meanwhile
                known = _known(cur)
            gone = [p for p in known if p not in current]
            if gone:
                cur.execute(f"DELETE FROM {FACTS} WHERE list_contains($gone, path)", {"gone": gone})
            report.removed = len(gone)
            self._cache.forget(gone)
            changed = [f for p, f in current.items() if known.get(p) != (f.size, f.mtime_ns)]
            report.changed = len(changed)
            built = read_files(self.con, changed, progress, self._cache.stored)
            report.bytes_read = built.bytes_read
            report.problems += built.problems
            report.repaired += built.repaired
        finally:
            cur.close()
        if self.cache_path is not None:
            self._cache.save()
        if self.cache_path is not None:
            folder = self.cache_path.parent
            if report.changed or report.removed or not snapshot.snapshot_file(folder).exists():
                self._save_snapshot(folder)  # the next app start paints from it
        if report.changed:
            release_memory(self.con)
        report.seconds = time.perf_counter() - started
        PROFILER.record("catalog refresh", report.seconds, "discover + read_json of changed files")
        PROFILER.hit("catalog files", True, report.files - report.changed)
        PROFILER.hit("catalog files", False, report.changed)
        return report

    def _save_snapshot(self, folder: Path) -> None:
        query, params = _listing(snapshot.COLUMNS + ", subagent_paths", None, None)
        cur = self.con.cursor()
        try:
            costs = _file_costs(cur)
            rows = [
                [*row[:-1], session_cost([row[3], *(row[-1] or ())], costs)]
                for row in cur.execute(query, params).fetchall()
            ]
        finally:
            cur.close()
        snapshot.save_rows(folder, rows)

    def release_memory(self) -> None:
        """Hand back memory DuckDB kept (after a session closes, say): see db.release_memory."""
        release_memory(self.con)

    # -- reading -----------------------------------------------------------------------
    def sessions(self, project: str | None = None, since: str | None = None) -> list[Session]:
        """Sessions, newest activity first; `project` matches part of the cwd."""
        return self._sessions(*_listing("*", project, since))

    def _sessions(self, query: str, params: list[object]) -> list[Session]:
        cur = self.con.cursor()
        try:
            cur.execute(query, params)
            names = [d[0] for d in cur.description or ()]
            rows = [dict(zip(names, row, strict=True)) for row in cur.fetchall()]
            # priced for these sessions' files only (a lookup of one session prices one)
            paths = [p for r in rows for p in (r["path"], *(r["subagent_paths"] or ()))]
            costs = _file_costs(cur, paths)
            return [_session(r, costs) for r in rows]
        finally:
            cur.close()

    def facts_json(
        self, project: str | None = None, since: str | None = None, rows: int = 4096
    ) -> Iterator[list[str]]:
        """What `sessions()` gives, as `export.session_facts` JSON objects made by DuckDB,
        `rows` at a time: at 100,000 sessions, Python objects for them took 3 s and 400 MB."""
        query, params = _listing(sql.load("session_facts_json"), project, since)
        cur = self.con.cursor()
        try:
            cur.execute(query, params)
            while chunk := cur.fetchmany(rows):
                yield [text for (text,) in chunk]
        finally:
            cur.close()

    def file_facts(self) -> dict[str, dict[str, Any]]:
        """Per-file facts (main and subagent files alike), keyed by path."""
        cur = self.con.cursor()
        try:
            cur.execute("SELECT * FROM catalog_files")
            names = [d[0] for d in cur.description or ()]
            return {row[0]: dict(zip(names, row, strict=True)) for row in cur.fetchall()}
        finally:
            cur.close()

    def find(self, prefix: str) -> Session:
        """The one session whose id starts with `prefix`, or whose file `prefix` names
        (absolute, relative to the current folder, or with `~`)."""
        if os.sep in prefix or prefix.endswith(".jsonl"):
            # Only sessions whose file has that name are built (a lookup among 100,000
            # sessions built them all: 5 s).
            name = os.sep + os.path.basename(prefix)
            query, params = _listing("*", None, None, "(path = ? OR ends_with(path, ?))")
            by_path = _same_file(prefix, self._sessions(query, [prefix, name, *params]))
            if by_path is not None:
                return by_path
        query, params = _listing("*", None, None, "starts_with(id, ?)")
        matches = self._sessions(query, [prefix, *params])
        exact = [s for s in matches if s.id == prefix]
        if len(exact) == 1:
            return exact[0]
        if not matches:
            raise LookupError(f"no session matches {prefix!r}")
        if len(matches) > 1:
            some = "; ".join(f"{s.id} ({s.path})" for s in (exact or matches)[:3])
            more = "…" if len(exact or matches) > 3 else ""
            how = "give its file's path" if exact else "give more of the id, or the file's path"
            raise LookupError(
                f"{prefix!r} matches {len(exact or matches)} sessions ({some}{more}); {how}"
            )
        return matches[0]


def _known(cur: duckdb.DuckDBPyConnection) -> dict[str, tuple[int, int]]:
    """{path: (size, mtime_ns)} of the files in the catalog."""
    rows = cur.execute("SELECT path, size, mtime_ns FROM catalog_files").fetchall()
    return {p: (s, m) for p, s, m in rows}


def _listing(
    columns: str, project: str | None, since: str | None, where: str = "true"
) -> tuple[str, list[object]]:
    """The sessions query (newest activity first) with its filters: SQL and parameters
    (those of `where`, a condition with `?`s of its own, come first)."""
    query = f"SELECT {columns} FROM sessions WHERE {where}"
    params: list[object] = []
    if project:
        query += " AND contains(lower(coalesce(project, '')), lower(?))"
        params.append(project)
    if since:
        query += " AND coalesce(ended, started, '') >= ?"
        params.append(since)
    return query + " ORDER BY coalesce(ended, started) DESC NULLS LAST, path", params


def _same_file(text: str, sessions: list[Session]) -> Session | None:
    """The session whose main file `text` names, if it names a file at all."""
    try:
        wanted = os.path.realpath(expand(text))
    except (OSError, ValueError):
        return None
    for s in sessions:
        if str(s.path) == text or os.path.realpath(s.path) == wanted:
            return s
    return None


def _file_costs(
    cur: duckdb.DuckDBPyConnection, paths: list[str] | None = None
) -> dict[str, float | None]:
    """Each file's (of `paths`, or all) estimated cost from its tokens by model (None: no
    model of it priced)."""
    where = "" if paths is None else " WHERE path IN (SELECT unnest(?::VARCHAR[]))"
    rows = cur.execute(
        "SELECT path, u.model, sum(u.input), sum(u.output), sum(u.cache_read), "
        "sum(u.cache_creation), coalesce(sum(u.cache_creation_1h), 0) "
        f"FROM (SELECT path, unnest(usage) AS u FROM catalog_files{where}) GROUP BY ALL",
        [] if paths is None else [paths],
    ).fetchall()
    out: dict[str, float | None] = {}
    for path, model, *tokens in rows:
        spent = cost(model, *(int(t or 0) for t in tokens))
        known = out.get(path)
        out[path] = spent if known is None else known + (spent or 0.0)
    return out


def session_cost(paths: list[str], costs: dict[str, float | None]) -> float | None:
    """A session's cost: its files' (main and subagents), None when none is priced."""
    known = [c for c in (costs.get(p) for p in paths) if c is not None]
    return sum(known) if known else None


def _session(r: dict[str, Any], costs: dict[str, float | None] | None = None) -> Session:
    kinds = (
        "prompt",
        "assistant",
        "thinking",
        "tool_call",
        "tool_result",
        "error",
        "system",
        "other",
    )
    return Session(
        id=r["id"],
        source=Source(r["source"]),
        role=Role(r["role"]),
        path=Path(r["path"]),
        project=r["project"],
        git_branch=r["git_branch"],
        title=r["title"],
        started=r["started"],
        ended=r["ended"],
        size=r["size"],
        mtime_ns=r["mtime_ns"],
        records=r["records"],
        malformed_lines=r["malformed_lines"],
        entries=r["entries"],
        tool_calls=r["tool_calls"],
        errors=r["errors"],
        subagents=r["subagents"],
        models=tuple(r["models"] or ()),
        tokens=Tokens(r["t_input"], r["t_output"], r["t_cache_read"], r["t_cache_creation"]),
        subagent_tokens=Tokens(
            r["sub_input"], r["sub_output"], r["sub_cache_read"], r["sub_cache_creation"]
        ),
        kind_counts={k: int(r["n_" + k]) for k in kinds},
        parent_id=r["parent_id"],
        subagent_paths=tuple(Path(p) for p in r["subagent_paths"] or ()),
        tools=dict(r["tools"] or {}),
        incomplete_tail=bool(r["incomplete_tail"]),
        bad_numbers=int(r["bad_numbers"] or 0),
        subagent_malformed_lines=int(r["sub_malformed_lines"] or 0),
        replayed_records=int(r["replayed"] or 0),
        cost=session_cost([r["path"], *(r["subagent_paths"] or ())], costs or {}),
    )
