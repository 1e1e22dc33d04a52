"""The catalog: one row per session file, rebuilt only for files whose size or mtime changed."""

from __future__ import annotations

import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from sessions_tui.model import Role, Session, SessionFile, Source, Tokens
from sessions_tui.sources.discovery import Discovery, Root, discover
from sessions_tui.store import sql
from sessions_tui.store.db import Opened, open_store
from sessions_tui.store.loader import PROGRAMMING_ERRORS, LoadReport, insert_columns, load_raw
from sessions_tui.store.schema import RECORD_COLUMNS

BATCH_BYTES = 48 * 1024 * 1024
BATCH_FILES = 400
WORKERS = max(2, min(4, os.cpu_count() or 2))

Progress = Callable[[int, int], None]


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
    """Discovers session files and keeps their facts in DuckDB (cached on disk)."""

    def __init__(self, roots: Sequence[Root], cache: Path | None) -> None:
        self.roots = list(roots)
        opened: Opened = open_store(cache)
        self.con = opened.con
        self.cache_path = opened.path
        self.notice = opened.notice
        for statement in sql.load("catalog_ddl").split(";\n"):
            if statement.strip():
                self.con.execute(statement)
        self.discovery = Discovery()
        self._write_lock = threading.Lock()

    def close(self) -> None:
        self.con.close()

    # -- building ----------------------------------------------------------------------
    def refresh(self, progress: Progress | None = None) -> RefreshReport:
        """Walk the roots, drop vanished files, and read new or changed ones."""
        started = time.perf_counter()
        self.discovery = discover(self.roots)
        report = RefreshReport(
            files=len(self.discovery.files), problems=list(self.discovery.problems)
        )
        cur = self.con.cursor()
        try:
            known = {
                p: (s, m)
                for p, s, m in cur.execute(
                    "SELECT path, size, mtime_ns FROM catalog_files"
                ).fetchall()
            }
            current = {str(f.path): f for f in self.discovery.files}
            gone = [p for p in known if p not in current]
            if gone:
                cur.execute(
                    "DELETE FROM catalog_files WHERE list_contains($gone, path)", {"gone": gone}
                )
            report.removed = len(gone)
            changed = [f for p, f in current.items() if known.get(p) != (f.size, f.mtime_ns)]
            report.changed = len(changed)
            self._read_all(changed, report, progress)
        finally:
            cur.close()
        report.seconds = time.perf_counter() - started
        return report

    def _read_all(
        self, changed: list[SessionFile], report: RefreshReport, progress: Progress | None
    ) -> None:
        """Read batches on WORKERS threads, a cursor each.

        The scan numbers lines WITH ORDINALITY, which keeps one query on one core; running
        batches side by side is what uses the others (measured: CPU/wall 1.0 per query).
        """
        total = sum(f.size for f in changed)
        lock = threading.Lock()
        batches = _batches(changed)

        def work(batch: list[SessionFile]) -> None:
            part = RefreshReport()
            cur = self.con.cursor()
            try:
                self._read_batch(cur, batch, part)
            finally:
                cur.close()
            with lock:
                report.problems += part.problems
                report.repaired += part.repaired
                report.bytes_read += sum(f.size for f in batch)
                if progress is not None:
                    progress(report.bytes_read, total)

        with ThreadPoolExecutor(max_workers=WORKERS) as pool:
            for future in [pool.submit(work, b) for b in batches]:
                future.result()

    def _read_batch(
        self, cur: duckdb.DuckDBPyConnection, batch: list[SessionFile], report: RefreshReport
    ) -> None:
        """One streaming scan of the batch; files with damaged lines get a second look.

        Facts are computed into the cursor's own TEMP table (in parallel with other
        workers), then moved into `catalog_files` under a lock: DuckDB refuses concurrent
        writers to the same rows with a write-write conflict.
        """
        rows = []
        for f in batch:
            tail = _tail_state(f.path)
            if tail is None:
                report.problems.append(f"cannot read {f.path}")
                continue
            rows.append([str(f.path), f.source.value, f.size, f.mtime_ns, f.role.value,
                         f.file_id, f.parent_hint, tail])  # fmt: skip
        cur.execute(
            "CREATE OR REPLACE TEMP TABLE batch_files (path VARCHAR, source VARCHAR, size BIGINT, "
            "mtime_ns BIGINT, role VARCHAR, file_id VARCHAR, parent_hint VARCHAR, "
            "incomplete_tail BOOLEAN)"
        )
        insert_columns(cur, "batch_files", rows)
        cur.execute("CREATE OR REPLACE TEMP TABLE batch_facts AS FROM catalog_files LIMIT 0")
        paths = [r[0] for r in rows]
        if paths:
            try:
                self._aggregate(cur, "(" + sql.load("select_raw") + ")", paths)
            except PROGRAMMING_ERRORS:
                raise
            except duckdb.Error:
                # The scan refused a file outright: every file of the batch takes the slow path.
                cur.execute("DELETE FROM batch_facts")
                self._read_damaged(cur, paths, report)
            else:
                damaged = cur.execute(
                    "SELECT list(path) FROM batch_facts WHERE malformed_lines > 0"
                ).fetchone()
                if damaged and damaged[0]:
                    self._read_damaged(cur, damaged[0], report)
        with self._write_lock:
            cur.execute("DELETE FROM catalog_files WHERE list_contains($p, path)",
                        {"p": [str(f.path) for f in batch]})  # fmt: skip
            cur.execute("INSERT INTO catalog_files FROM batch_facts")

    def _aggregate(
        self, cur: duckdb.DuckDBPyConnection, records: str, paths: list[str] | None
    ) -> None:
        """Facts of the batch's files into `batch_facts`; `paths` when `records` scans them."""
        query = "INSERT INTO batch_facts " + sql.load("catalog_agg").replace("{records}", records)
        cur.execute(query, {"files": paths, "columns": RECORD_COLUMNS} if paths else {})

    def _read_damaged(
        self, cur: duckdb.DuckDBPyConnection, paths: list[str], report: RefreshReport
    ) -> None:
        load = LoadReport()
        cur.execute("DELETE FROM batch_files WHERE NOT list_contains($p, path)", {"p": paths})
        files = cur.execute("SELECT path, source FROM batch_files ORDER BY path").fetchall()
        load_raw(cur, files, load, make_batch=False)
        report.problems += load.problems
        report.repaired += load.repaired
        cur.execute("DELETE FROM batch_facts WHERE list_contains($p, path)", {"p": paths})
        self._aggregate(cur, "(SELECT *, line * 4096 + sub AS ord FROM raw)", None)

    # -- reading -----------------------------------------------------------------------
    def sessions(self, project: str | None = None, since: str | None = None) -> list[Session]:
        """Sessions, newest activity first; `project` matches part of the cwd."""
        query = "SELECT * FROM sessions WHERE true"
        params: list[object] = []
        if project:
            query += " AND contains(lower(coalesce(project, '')), lower(?))"
            params.append(project)
        if since:
            query += " AND coalesce(ended, started, '') >= ?"
            params.append(since)
        query += " ORDER BY coalesce(ended, started) DESC NULLS LAST, path"
        cur = self.con.cursor()
        try:
            cur.execute(query, params)
            names = [d[0] for d in cur.description or ()]
            return [_session(dict(zip(names, row, strict=True))) for row in cur.fetchall()]
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
        """The one session whose id starts with `prefix` (or whose path is `prefix`)."""
        matches = [s for s in self.sessions() if s.id.startswith(prefix) or str(s.path) == prefix]
        exact = [s for s in matches if s.id == prefix or str(s.path) == prefix]
        if len(exact) == 1:
            return exact[0]
        if not matches:
            raise LookupError(f"no session matches {prefix!r}")
        if len(matches) > 1:
            some = ", ".join(s.id for s in matches[:5])
            raise LookupError(
                f"{prefix!r} matches {len(matches)} sessions ({some}…); give more of the id"
            )
        return matches[0]


def _batches(files: list[SessionFile]) -> list[list[SessionFile]]:
    batches: list[list[SessionFile]] = []
    current: list[SessionFile] = []
    size = 0
    for f in sorted(files, key=lambda f: str(f.path)):
        if current and (size + f.size > BATCH_BYTES or len(current) >= BATCH_FILES):
            batches.append(current)
            current, size = [], 0
        current.append(f)
        size += f.size
    if current:
        batches.append(current)
    return batches


def _tail_state(path: Path) -> bool | None:
    """True when the file's last line is unfinished (no final newline); None: unreadable."""
    try:
        with path.open("rb") as f:
            f.seek(0, 2)
            if f.tell() == 0:
                return False
            f.seek(-1, 2)
            return f.read(1) != b"\n"
    except OSError:
        return None


def _session(r: dict[str, Any]) -> Session:
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
    )
