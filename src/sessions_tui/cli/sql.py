"""`sessions-tui sql QUERY`: read-only SQL over the catalog and every entry, sandboxed."""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterable
from typing import Any

import duckdb
from rich.text import Text

from sessions_tui.cli.common import UserError
from sessions_tui.output.console import console
from sessions_tui.store.catalog import Catalog
from sessions_tui.store.everything import build_all_entries
from sessions_tui.text import json_text, one_line

_ENTRIES_WORD = re.compile(r"\bentries\b", re.IGNORECASE)


# What `sql` runs: queries, and nothing that writes, sets, attaches, loads or copies.
# PIVOT parses as MULTI (it makes a type for its columns, then selects); DESCRIBE, SHOW and
# SUMMARIZE are SELECTs.
_QUERIES = frozenset({"SELECT", "EXPLAIN", "MULTI"})


# A user's query runs with these: no file but the catalog, no extension fetched or loaded.
_SANDBOX = (
    "SET enable_external_access = false",
    "SET autoinstall_known_extensions = false",
    "SET autoload_known_extensions = false",
    "SET allow_community_extensions = false",
    "SET lock_configuration = true",
)


_ROWS_AT_ONCE = 2048


_CELL = 80  # characters of a value shown in the table (all of it in --json)


def _statements(query: str) -> None:
    """Refuse, before anything runs, SQL that is not only queries."""
    try:
        statements = duckdb.extract_statements(query)
    except duckdb.Error as exc:
        raise UserError(str(exc).splitlines()[0]) from None
    if not statements:
        raise UserError('no SQL statement to run; e.g. "SELECT count(*) FROM sessions"')
    for st in statements:
        if st.type.name not in _QUERIES:
            raise UserError(
                f"{st.type.name} is refused: `sql` runs queries over the catalog and reads "
                "nothing else (SELECT, WITH, FROM, PIVOT, DESCRIBE, SHOW, SUMMARIZE, EXPLAIN)"
            )


def run(catalog: Catalog, args: argparse.Namespace) -> int:
    _statements(args.query)
    cur = catalog.con.cursor()
    try:
        if _ENTRIES_WORD.search(args.query):
            build_all_entries(catalog, cur)
        for setting in _SANDBOX:
            cur.execute(setting)
        cur.begin()  # and rolled back: even a query leaves the cache as it was
        try:
            rel = cur.execute(args.query)
            names = [d[0] for d in rel.description or ()]
            rows = iter(lambda: cur.fetchmany(_ROWS_AT_ONCE), [])
            if args.json:
                _stream_json(names, rows)
            else:
                _stream_table(names, rows)
        except duckdb.Error as exc:
            raise UserError(str(exc).splitlines()[0]) from None
        finally:
            cur.rollback()
    finally:
        cur.close()
    return 0


def _stream_json(names: list[str], chunks: Iterable[list[tuple[Any, ...]]]) -> None:
    """A JSON array of objects, written as the rows come (20 million rows need no memory)."""
    out = sys.stdout
    first = True
    out.write("[")
    for chunk in chunks:
        for row in chunk:
            out.write(("" if first else ",") + "\n" + json_text(dict(zip(names, row, strict=True))))
            first = False
    out.write("\n]\n")


def _stream_table(names: list[str], chunks: Iterable[list[tuple[Any, ...]]]) -> None:
    """Aligned columns, sized on the first rows and written as the rows come."""
    out = console()
    heads = [one_line(n, _CELL) for n in names]
    widths: list[int] | None = None
    for chunk in chunks:
        cells = [[one_line("" if v is None else str(v), _CELL) for v in row] for row in chunk]
        if widths is None:
            widths = [max([len(h), *(len(r[i]) for r in cells)]) for i, h in enumerate(heads)]
            out.print(Text(_row(heads, widths), style="bold"), soft_wrap=True)
        # Rich would take ~50 µs a row: the cells are printable already, so plain writes.
        sys.stdout.write("".join(_row(r, widths) + "\n" for r in cells))
    if widths is None:
        out.print(Text(_row(heads, [0] * len(names)), style="bold"), soft_wrap=True)


def _row(cells: list[str], widths: list[int]) -> str:
    return "  ".join(
        c[:w].ljust(w) if w else c for c, w in zip(cells, widths, strict=True)
    ).rstrip()
