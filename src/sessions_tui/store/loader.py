"""Loading session files into a cursor's `raw` table: the fast scan, then repairs."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import duckdb

from sessions_tui.sources.repair import Recovered, pick_lines, recover, recover_lines
from sessions_tui.store import sql
from sessions_tui.store.scan import scan, scan_lines
from sessions_tui.store.schema import RECORD_COLUMNS
from sessions_tui.store.tempfiles import write_temp

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
# `line` orders a file's rows; it counts from an offset per file (the scan's ordinal),
# which the repair subtracts to find a line in the file. No window: it cost 20 % of a load.
_RAW_ROWS = (
    "SELECT file, source, ord AS line, 0 AS sub, bad, * EXCLUDE (file, source, ord, bad) FROM "
)


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
    lines = scan(files, columns)
    report.problems += lines.problems
    try:
        cur.execute(
            "CREATE OR REPLACE TEMP TABLE raw AS " + _RAW_ROWS + lines.relation, lines.params
        )
    except PROGRAMMING_ERRORS:
        raise
    except duckdb.Error:
        # One file the scan refuses outright (not just a bad line) must not sink the rest.
        _create_empty(cur, columns)
        for one in files:
            _load_one(cur, one, report, columns)
        return
    finally:
        lines.close()
    damaged = cur.execute(
        "SELECT file, any_value(source), min(line), list(line) FILTER (bad), count(*) FROM raw "
        "GROUP BY file HAVING bool_or(bad)"
    ).fetchall()
    if damaged:
        _repair(cur, [(p, s, first, set(lines), n) for p, s, first, lines, n in damaged],
                report, columns)  # fmt: skip


def _load_one(
    cur: duckdb.DuckDBPyConnection,
    one: tuple[str, str],
    report: LoadReport,
    columns: dict[str, str],
) -> None:
    try:
        cur.execute(
            "INSERT INTO raw " + _RAW_ROWS + "(" + sql.load("select_raw") + ")",
            {"files": [one[0]], "columns": columns},
        )
    except PROGRAMMING_ERRORS:
        raise
    except duckdb.Error:
        _repair(cur, [(one[0], one[1], 0, None, 0)], report, columns)
        return
    row = cur.execute(
        "SELECT min(line), list(line) FILTER (bad), count(*) FROM raw WHERE file = ?", [one[0]]
    ).fetchone()
    if row and row[1]:
        _repair(cur, [(one[0], one[1], row[0], set(row[1]), row[2])], report, columns)


def _create_empty(cur: duckdb.DuckDBPyConnection, columns: dict[str, str]) -> None:
    cols = ", ".join(f'"{name}" {typ}' for name, typ in columns.items())
    cur.execute(
        "CREATE OR REPLACE TEMP TABLE raw (file VARCHAR, source VARCHAR, line BIGINT, "
        f"sub INTEGER, bad BOOLEAN, {cols})"
    )


def _repair(
    cur: duckdb.DuckDBPyConnection,
    damaged: Sequence[tuple[str, str, int, set[int] | None, int]],
    report: LoadReport,
    columns: dict[str, str],
) -> None:
    """Re-read the damaged lines of files from disk.

    Each file comes with the `line` of its first row (its offset), the `line`s that are
    bad (or None to read every line) and how many rows the scan gave it. A file is read
    once, in one go, and only its bad lines are parsed (a count of rows per file and a
    line-by-line re-read were a third of an index build of real files).
    """
    found: list[tuple[str, str, int, Recovered]] = []
    for path, source, first, wanted, rows in damaged:
        try:
            if wanted is None:
                got = recover(Path(path))
            else:
                count, picked = pick_lines(Path(path), {line - first for line in wanted})
                if count != rows:
                    # The scan and Python disagree on which lines are blank (byte-order
                    # marks alone on a line, found by fuzzing): read the whole file again.
                    cur.execute("DELETE FROM raw WHERE file = ?", [path])
                    got = recover(Path(path))
                else:
                    got = recover_lines(picked)
        except OSError as exc:
            report.problems.append(f"cannot read {path}: {exc.strerror or exc}")
            cur.execute("DELETE FROM raw WHERE file = ?", [path])
            continue
        found.append((path, source, first, got))
        report.problems += [f"{path}: {note}" for note in got.notes]
        report.repaired.append(path)
    try:
        load_recovered(cur, found, columns)
    except OSError as exc:  # no room for the temporary file on any disk
        for path, _, _, got in found:
            report.problems.append(
                f"{path}: {got.malformed_lines + len(got.records)} damaged lines could not "
                f"be re-read ({exc.strerror or exc} for a temporary file); counted malformed"
            )


def load_recovered(
    cur: duckdb.DuckDBPyConnection,
    found: Sequence[tuple[str, str, int, Recovered]],
    columns: dict[str, str],
) -> None:
    """Replace the bad rows of these files by what was recovered, in one statement."""
    files: list[str] = []
    sources: list[str] = []
    lines: list[int] = []
    subs: list[int] = []
    bad: list[tuple[str, str, int]] = []
    longest = 0

    def fill(out: BinaryIO) -> None:
        nonlocal longest
        for kept in (files, sources, lines, subs, bad):
            kept.clear()  # a second attempt (the first folder was full) starts over
        longest = 0
        for path, source, first, got in found:
            for line, sub, text in got.records:
                data = text.encode("utf-8")
                out.write(data + b"\n")
                longest = max(longest, len(data))
                files.append(path)
                sources.append(source)
                lines.append(first + line)
                subs.append(sub)
            bad.extend((path, source, first + line) for line in got.bad_lines)

    tmp = write_temp(fill)
    try:
        paths = [f[0] for f in found]
        cur.execute("DELETE FROM raw WHERE bad AND list_contains($p, file)", {"p": paths})
        if files:
            # A record longer than the scan's 16 MiB (a 100 MB tool output) is read whole.
            size = max(16 * 2**20, longest + 65536)
            params = {"files": files, "sources": sources, "lines": lines, "subs": subs,
                      "path": tmp, "columns": columns, "max_size": size}  # fmt: skip
            cur.execute(sql.load("insert_recovered"), params)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
    if bad:
        cur.execute(
            "INSERT INTO raw (file, source, line, sub, bad) "
            "SELECT unnest($f), unnest($s), unnest($l), 0, true",
            {"f": [b[0] for b in bad], "s": [b[1] for b in bad], "l": [b[2] for b in bad]},
        )


def load_tail(
    cur: duckdb.DuckDBPyConnection,
    path: str,
    source: str,
    lines: list[bytes],
    first: int,
    columns: dict[str, str] = RECORD_COLUMNS,
) -> None:
    """Fill `raw` from lines appended to `path` (complete, non-blank), numbered from `first`."""
    tail = scan_lines(path, source, lines, first, columns)
    try:
        cur.execute("CREATE OR REPLACE TEMP TABLE raw AS " + _RAW_ROWS + tail.relation, tail.params)
    finally:
        tail.close()
    bad = cur.execute("SELECT list(line) FROM raw WHERE bad").fetchone()
    if bad and bad[0]:
        got = recover_lines((line - first, lines[line - first]) for line in sorted(bad[0]))
        load_recovered(cur, [(path, source, first, got)], columns)
