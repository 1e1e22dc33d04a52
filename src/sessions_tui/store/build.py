"""Reading new or changed files into catalog facts, batch by batch.

Each batch is read in a scratch in-memory DuckDB instance that is thrown away afterwards:
DuckDB keeps memory at the instance level between queries (measured: RSS grew from 130 to
300 MB over twelve 48 MB batches on one instance, and stayed at 130–165 MB with a fresh
instance per batch). Only the facts — about a hundred small rows a batch — cross over to
the catalog, under a lock, since DuckDB refuses concurrent writers with a conflict.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from sessions_tui.model import SessionFile
from sessions_tui.sources.files import open_regular
from sessions_tui.sources.repair import pick_lines, recover_lines
from sessions_tui.store import sql
from sessions_tui.store.db import FACTS, memory_database, run_script
from sessions_tui.store.loader import PROGRAMMING_ERRORS, LoadReport, insert_columns, load_raw
from sessions_tui.store.scan import scan
from sessions_tui.store.schema import CATALOG_COLUMNS

BATCH_BYTES = 96 * 1024 * 1024
BATCH_FILES = 400
# The scan numbers lines WITH ORDINALITY, which keeps one query on one core (measured:
# CPU/wall 1.0); batches read side by side are what use the other cores.
WORKERS = max(2, min(4, os.cpu_count() or 2))

Progress = Callable[[int, int], None]


@dataclass(slots=True)
class BuildReport:
    """What reading the changed files found."""

    bytes_read: int = 0
    problems: list[str] = field(default_factory=list)
    repaired: list[str] = field(default_factory=list)
    replaying: list[str] = field(default_factory=list)  # for the second look, at the end


def read_files(
    con: duckdb.DuckDBPyConnection,
    changed: list[SessionFile],
    progress: Progress | None = None,
    stored: Callable[[list[str]], None] | None = None,
) -> BuildReport:
    """Read `changed` into `catalog_files` of `con`, WORKERS batches at a time;
    `stored(paths)` hears of each batch's files once their facts are in."""
    report = BuildReport()
    total = sum(f.size for f in changed)
    lock = threading.Lock()

    def work(batch: list[SessionFile], first: bool) -> None:
        part = BuildReport()
        rows, columns = _read_batch(batch, part, first)
        with lock:
            cur = con.cursor()
            try:
                _store(cur, [str(f.path) for f in batch], rows, columns)
            finally:
                cur.close()
            if stored is not None:
                stored([str(f.path) for f in batch])
            report.problems += part.problems
            report.repaired += part.repaired
            report.replaying += part.replaying
            if first:
                report.bytes_read += sum(f.size for f in batch)
                if progress is not None:
                    progress(report.bytes_read, total)

    # The largest batches first, so that no large one is left to run alone at the end.
    ordered = sorted(batches(changed), key=lambda b: sum(f.size for f in b), reverse=True)
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        for future in [pool.submit(work, b, True) for b in ordered]:
            future.result()
        # Files that replay, all batches' together: their second look, with the replay
        # rules (one query for them all, where each batch's own cost its planning again).
        # Until it lands they are not in the catalog: a refresh stopped before reads them.
        again = set(report.replaying)
        replaying = [f for f in changed if str(f.path) in again]
        for future in [pool.submit(work, b, False) for b in batches(replaying)]:
            future.result()
    return report


def batches(files: list[SessionFile]) -> list[list[SessionFile]]:
    """Files cut into batches of at most BATCH_BYTES (a larger file is a batch alone)."""
    out: list[list[SessionFile]] = []
    current: list[SessionFile] = []
    size = 0
    for f in sorted(files, key=lambda f: str(f.path)):
        if current and (size + f.size > BATCH_BYTES or len(current) >= BATCH_FILES):
            out.append(current)
            current, size = [], 0
        current.append(f)
        size += f.size
    if current:
        out.append(current)
    return out


def tail_state(path: Path) -> bool | None:
    """True when the file's last line is unfinished (no final newline); None: unreadable."""
    try:
        with open_regular(path) as f:
            f.seek(0, 2)
            if f.tell() == 0:
                return False
            f.seek(-1, 2)
            return f.read(1) != b"\n"
    except OSError:
        return None


def _read_batch(
    batch: list[SessionFile], report: BuildReport, first: bool = True
) -> tuple[list[Any], list[str]]:
    """Facts of one batch, computed in a scratch instance: (rows, column names); the
    `first` look, or the second one of files that replay."""
    rows = []
    for f in batch:
        tail = tail_state(f.path)
        if tail is None:
            report.problems.append(f"cannot read {f.path}")
            continue
        rows.append([str(f.path), f.source.value, f.size, f.mtime_ns, f.role.value,
                     f.file_id, f.parent_hint, tail])  # fmt: skip
    scratch = memory_database()
    scratch.execute("SET threads = 1")  # the workers are the parallelism
    try:
        run_script(scratch, "catalog_ddl")
        scratch.execute(
            "CREATE TEMP TABLE batch_files (path VARCHAR, source VARCHAR, size BIGINT, "
            "mtime_ns BIGINT, role VARCHAR, file_id VARCHAR, parent_hint VARCHAR, "
            "incomplete_tail BOOLEAN)"
        )
        insert_columns(scratch, "batch_files", rows)
        scratch.execute("CREATE TEMP TABLE batch_facts AS FROM catalog_files LIMIT 0")
        scratch.execute("ALTER TABLE batch_facts ADD COLUMN bad_lines BIGINT[]")
        paths = [str(r[0]) for r in rows]
        if paths and first:
            _facts(scratch, paths, report)
        elif paths:
            _second_look(scratch, paths, report)
        flagged = scratch.execute(
            "SELECT path, bad_numbers FROM batch_facts WHERE bad_numbers > 0 ORDER BY path"
        ).fetchall()
        for path, n in flagged:
            report.problems.append(
                f"{path}: {n} record{'s' if n > 1 else ''} with impossible token counts "
                "(negative or over 10^10), counted as 0"
            )
        result = scratch.execute(
            "SELECT * EXCLUDE (tools, bad_lines), map_keys(tools) AS tool_keys, "
            "map_values(tools) AS tool_counts FROM batch_facts"
        )
        names = [d[0] for d in result.description or ()]
        return result.fetchall(), names
    finally:
        scratch.close()


def _facts(cur: duckdb.DuckDBPyConnection, paths: list[str], report: BuildReport) -> None:
    """The first look: one streaming scan of the batch. A file that replays its history
    is left for a second look with the replay rules (`replaying`, read at the end of the
    refresh, with the other batches' ones); one whose damaged lines the repair can read
    takes the slow path."""
    sources = dict(cur.execute("SELECT path, source FROM batch_files").fetchall())
    try:
        _look(cur, [(p, sources[p]) for p in paths], report, first=True)
    except PROGRAMMING_ERRORS:
        raise
    except duckdb.Error:
        # The scan refused a file outright: every file of the batch takes the slow path.
        cur.execute("DELETE FROM batch_facts")
        _read_damaged(cur, paths, report)
        return
    damaged = cur.execute(
        "SELECT path, records, malformed_lines, replayed IS NULL, bad_lines FROM batch_facts "
        "WHERE malformed_lines > 0 OR replayed IS NULL ORDER BY path"
    ).fetchall()
    slow: list[str] = []
    replaying: list[tuple[str, str]] = []
    for path, records, malformed, replays, bad in damaged:
        if malformed and not _unreadable(path, records + malformed, bad, report):
            slow.append(path)
        elif replays:
            replaying.append((path, sources[path]))
    if replaying:  # read again at the end of the refresh (read_files)
        again = [p for p, _ in replaying]
        cur.execute("DELETE FROM batch_facts WHERE list_contains($p, path)", {"p": again})
        report.replaying += again
    if slow:
        _read_damaged(cur, slow, report)


def _second_look(cur: duckdb.DuckDBPyConnection, paths: list[str], report: BuildReport) -> None:
    """Files that replay, scanned with the replay rules (the slow path if refused)."""
    sources = dict(cur.execute("SELECT path, source FROM batch_files").fetchall())
    try:
        _look(cur, [(p, sources[p]) for p in paths], report, first=False)
    except PROGRAMMING_ERRORS:
        raise
    except duckdb.Error:  # changed since the first look, say
        cur.execute("DELETE FROM batch_facts")
        _read_damaged(cur, paths, report)


def _look(
    cur: duckdb.DuckDBPyConnection,
    files: list[tuple[str, str]],
    report: BuildReport,
    first: bool,
) -> None:
    """Scan `files` [(path, source)] into `batch_facts` (the first look, or the second
    with the replay rules)."""
    lines = scan(files, CATALOG_COLUMNS)
    if first:
        report.problems += lines.problems
    try:
        paths = None if first else [p for p, _ in files]
        _aggregate(cur, lines.relation, lines.params, first=first, only=paths)
    finally:
        lines.close()


def _unreadable(path: str, lines: int, bad: list[int], report: BuildReport) -> bool:
    """Whether the lines the scan could not read are unreadable to the repair as well (the
    usual damage: a record torn or redacted mid-string), so that the scan's facts stand.

    The repair looks at those lines alone. Reading the whole file again the slow way, as
    every damaged file once was, took 40% of a cold catalog of real files."""
    wanted = set(bad)
    try:
        count, picked = pick_lines(Path(path), wanted)
    except OSError:
        return False  # the slow path says what could not be read
    if count != lines:
        return False  # the scan and the repair number lines differently here
    got = recover_lines(picked)
    if got.records or got.malformed_lines != len(wanted):
        return False
    report.problems += [f"{path}: {note}" for note in got.notes]
    return True


# A user record's blocks as replays.sql reads them.
_USER_BLOCKS = """json_transform(message.content,
    '[{"type":"VARCHAR","tool_use_id":"VARCHAR","text":"VARCHAR"}]')"""
_NO_USER_BLOCKS = "NULL::STRUCT(type VARCHAR, tool_use_id VARCHAR, text VARCHAR)[]"
# The first look tells only whether a file replays (catalog_agg.sql's `replays`): which
# records are replays is left to the second, and without these CTEs the scan feeds one
# query, not two (the rows were held for the second: 6% of the time, and memory).
_NO_REPLAYS = "replayed AS (SELECT NULL::VARCHAR AS file, NULL::BIGINT AS pos WHERE false)"


def _aggregate(
    cur: duckdb.DuckDBPyConnection,
    records: str,
    params: dict[str, Any],
    first: bool = True,
    only: list[str] | None = None,
) -> None:
    """Facts of the files in `records` (a relation, with its `params`) into `batch_facts`,
    for every file of `batch_files` or the `only` ones.

    The first look leaves out what only a file that replays its history needs (its user
    records' parts: a second parse of every user record, 10% of the scan) and marks such
    a file (`replayed` NULL) for the second look, which reads everything."""
    query = (
        sql.load("catalog_agg")
        .replace("{records}", records)
        .replace("{FIRST_LOOK}", "true" if first else "false")
        .replace("{USER_BLOCKS}", _NO_USER_BLOCKS if first else _USER_BLOCKS)
        .replace("{REPLAYED}", _NO_REPLAYS if first else sql.load("replays"))
    )
    if only is not None:
        query = query.replace(
            "FROM batch_files b", "FROM (FROM batch_files WHERE list_contains($only, path)) b"
        )
        params = params | {"only": only}
    cur.execute("INSERT INTO batch_facts " + query, params)


def _read_damaged(cur: duckdb.DuckDBPyConnection, paths: list[str], report: BuildReport) -> None:
    load = LoadReport()
    files = cur.execute(
        "SELECT path, source FROM batch_files WHERE list_contains($p, path) ORDER BY path",
        {"p": paths},
    ).fetchall()
    load_raw(cur, files, load, make_batch=False, columns=CATALOG_COLUMNS)
    report.problems += load.problems
    report.repaired += load.repaired
    cur.execute("DELETE FROM batch_facts WHERE list_contains($p, path)", {"p": paths})
    _aggregate(cur, "(SELECT *, line * 4096 + sub AS ord FROM raw)", {}, first=False, only=paths)


def _store(
    cur: duckdb.DuckDBPyConnection, paths: list[str], rows: list[Any], names: list[str]
) -> None:
    """Replace the batch's rows of `catalog_files` with the facts read."""
    cur.execute(f"DELETE FROM {FACTS} WHERE list_contains($p, path)", {"p": paths})
    if not rows:
        return
    table = cur.execute(f"SELECT column_name, column_type FROM (DESCRIBE {FACTS})").fetchall()
    params = {f"c{i}": [row[i] for row in rows] for i in range(len(names))}
    index = {name: i for i, name in enumerate(names)}
    select = []
    for column, column_type in table:
        if column == "tools":
            keys, counts = index["tool_keys"], index["tool_counts"]
            select.append(f"map(unnest($c{keys})::VARCHAR[], unnest($c{counts})::UBIGINT[])")
        else:
            select.append(f"unnest($c{index[column]})::{column_type}")
    cur.execute(f"INSERT INTO {FACTS} SELECT {', '.join(select)}", params)
