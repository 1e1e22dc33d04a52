"""Loading session files into a cursor's `raw` table: the fast scan, then repairs."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from sessions_tui.sources.repair import recover
from sessions_tui.store import sql
from sessions_tui.store.schema import RECORD_COLUMNS

# Errors that mean our SQL or our use of DuckDB is wrong, not that a file is: never
# hidden by the slow path.
PROGRAMMING_ERRORS = (
    duckdb.BinderException,
    duckdb.ParserException,
    duckdb.CatalogException,
    duckdb.TransactionException,
)


@dataclass(slots=True)
class LoadReport:
    """What a load could not read: per-file problems, and files read by the slow path."""

    problems: list[str] = field(default_factory=list)
    repaired: list[str] = field(default_factory=list)


def insert_columns(
    cur: duckdb.DuckDBPyConnection, table: str, rows: Sequence[Sequence[object]]
) -> None:
    """Insert many rows in one statement (executemany runs one statement per row).

    `table` is one of the store's own table names, never user text.
    """
    if not rows:
        return
    width = len(rows[0])
    columns = {f"c{i}": [row[i] for row in rows] for i in range(width)}
    select = ", ".join(f"unnest($c{i})" for i in range(width))
    cur.execute(f"INSERT INTO {table} SELECT {select}", columns)


# The scan's rows with `line` numbered from 0 within each file.
_RAW_ROWS = (
    "SELECT file, source, ord - min(ord) OVER (PARTITION BY file) AS line, 0 AS sub, bad, "
    "* EXCLUDE (file, source, ord, bad) FROM ({select})"
)


def _raw_rows() -> str:
    return _RAW_ROWS.format(select=sql.load("select_raw"))


def load_raw(
    cur: duckdb.DuckDBPyConnection,
    files: Sequence[tuple[str, str]],
    report: LoadReport,
    *,
    make_batch: bool = True,
    columns: dict[str, str] = RECORD_COLUMNS,
) -> None:
    """Fill the cursor's TEMP `raw` table from `files` [(path, source)], repairing bad lines.

    `make_batch=False` uses a `batch_files` table the caller already made (with at least
    `path` and `source`) instead of creating one; `columns` is the schema to read.
    """
    if make_batch:
        cur.execute("CREATE OR REPLACE TEMP TABLE batch_files (path VARCHAR, source VARCHAR)")
        insert_columns(cur, "batch_files", [list(f) for f in files])
    try:
        cur.execute(
            "CREATE OR REPLACE TEMP TABLE raw AS " + _raw_rows(),
            {"files": [p for p, _ in files], "columns": columns},
        )
    except PROGRAMMING_ERRORS:
        raise
    except duckdb.Error:
        # One file the scan refuses outright (not just a bad line) must not sink the rest.
        _create_empty(cur, columns)
        for one in files:
            _load_one(cur, one, report, columns)
        return
    damaged = cur.execute(
        "SELECT file, any_value(source), list(line) FROM raw WHERE bad GROUP BY file"
    ).fetchall()
    if damaged:
        _repair(cur, [(p, s, set(lines)) for p, s, lines in damaged], report, columns)


def _load_one(
    cur: duckdb.DuckDBPyConnection,
    one: tuple[str, str],
    report: LoadReport,
    columns: dict[str, str],
) -> None:
    try:
        cur.execute(
            "INSERT INTO raw " + _raw_rows(),
            {"files": [one[0]], "columns": columns},
        )
    except PROGRAMMING_ERRORS:
        raise
    except duckdb.Error:
        _repair(cur, [(one[0], one[1], None)], report, columns)
        return
    lines = cur.execute("SELECT list(line) FROM raw WHERE bad AND file = ?", [one[0]]).fetchone()
    if lines and lines[0]:
        _repair(cur, [(one[0], one[1], set(lines[0]))], report, columns)


def _create_empty(cur: duckdb.DuckDBPyConnection, columns: dict[str, str]) -> None:
    cols = ", ".join(f'"{name}" {typ}' for name, typ in columns.items())
    cur.execute(
        "CREATE OR REPLACE TEMP TABLE raw (file VARCHAR, source VARCHAR, line BIGINT, "
        f"sub INTEGER, bad BOOLEAN, {cols})"
    )


def _repair(
    cur: duckdb.DuckDBPyConnection,
    damaged: Sequence[tuple[str, str, set[int] | None]],
    report: LoadReport,
    columns: dict[str, str],
) -> None:
    """Re-read the damaged lines of many files; load what is readable in one statement."""
    files: list[str] = []
    sources: list[str] = []
    lines: list[int] = []
    subs: list[int] = []
    bad: list[tuple[str, str, int]] = []
    fd, tmp = tempfile.mkstemp(prefix="sessions-tui-", suffix=".jsonl")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            for path, source, wanted in damaged:
                try:
                    got = recover(Path(path), wanted)
                except OSError as exc:
                    report.problems.append(f"cannot read {path}: {exc.strerror or exc}")
                    cur.execute("DELETE FROM raw WHERE file = ?", [path])
                    continue
                report.repaired.append(path)
                for line, sub, text in got.records:
                    out.write(text + "\n")
                    files.append(path)
                    sources.append(source)
                    lines.append(line)
                    subs.append(sub)
                bad += [(path, source, line) for line in got.bad_lines]
        repaired = [p for p, _, _ in damaged if p in set(report.repaired)]
        cur.execute("DELETE FROM raw WHERE bad AND list_contains($p, file)", {"p": repaired})
        if files:
            cur.execute(
                sql.load("insert_recovered"),
                {
                    "files": files,
                    "sources": sources,
                    "lines": lines,
                    "subs": subs,
                    "path": tmp,
                    "columns": columns,
                },
            )
    finally:
        os.unlink(tmp)
    if bad:
        cur.execute(
            "INSERT INTO raw (file, source, line, sub, bad) "
            "SELECT unnest($f), unnest($s), unnest($l), 0, true",
            {"f": [b[0] for b in bad], "s": [b[1] for b in bad], "l": [b[2] for b in bad]},
        )
