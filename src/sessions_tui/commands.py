"""The CLI verbs, over the data layer alone (no Textual)."""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Iterable
from dataclasses import asdict
from typing import Any

import duckdb
from rich.table import Table
from rich.text import Text

from sessions_tui.cli import UserError
from sessions_tui.console import console, warn, write_json
from sessions_tui.model import Entry, Kind, Session
from sessions_tui.sources.discovery import Root
from sessions_tui.store.catalog import Catalog
from sessions_tui.store.db import cache_dir
from sessions_tui.store.everything import build_all_entries
from sessions_tui.store.filters import Filter
from sessions_tui.store.session_view import SessionView
from sessions_tui.text import json_text, one_line, printable, safe_json


def open_catalog(roots: list[Root], args: argparse.Namespace) -> Catalog:
    """The catalog, refreshed; problems go to stderr, one line each."""
    catalog = Catalog(roots, None if args.no_cache else cache_dir())
    if catalog.notice:
        warn(catalog.notice)
    report = catalog.refresh()
    for problem in report.problems:
        warn(problem)
    return catalog


def run(verb: str, roots: list[Root], args: argparse.Namespace) -> int:
    catalog = open_catalog(roots, args)
    try:
        from sessions_tui.commands_find import run_export, run_search
        from sessions_tui.commands_stats import run_stats

        handlers = {"ls": _ls, "show": _show, "stats": run_stats, "sql": _sql}
        handler = {**handlers, "search": run_search, "export": run_export}[verb]
        return handler(catalog, args)
    finally:
        catalog.close()


def _ls(catalog: Catalog, args: argparse.Namespace) -> int:
    if args.json:
        _ls_json(catalog, args)
        return 0
    sessions = catalog.sessions(project=args.project, since=args.since)
    table = Table(box=None, pad_edge=False, header_style="bold")
    table.add_column("id", min_width=8, no_wrap=True)
    table.add_column("when", min_width=16, no_wrap=True)
    table.add_column("project", max_width=20, no_wrap=True)
    table.add_column("title", ratio=1, no_wrap=True, overflow="ellipsis")
    for name in ("entries", "tokens", "err"):
        table.add_column(name, justify="right", no_wrap=True)
    for s in sessions:
        project = (s.project or "?").replace("\\", "/").rstrip("/").rsplit("/", 1)[-1]
        table.add_row(
            Text(one_line(s.id[:8], 8)),
            Text((s.ended or s.started or "")[:16].replace("T", " ")),
            Text(one_line(project, 20)),
            Text(one_line(s.title or "(untitled)", 60)),
            Text(str(s.entries)),
            Text(_tokens(s.tokens.total)),
            Text(str(s.errors) if s.errors else "", style="red"),
        )
    console().print(table)
    return 0


def _ls_json(catalog: Catalog, args: argparse.Namespace) -> None:
    """The sessions as `session_facts` objects, streamed from DuckDB (compact for a pipe,
    indented for a person at a terminal)."""
    chunks = catalog.facts_json(project=args.project, since=args.since)
    if sys.stdout.isatty():
        write_json([json.loads(row) for chunk in chunks for row in chunk])
        return
    out = sys.stdout
    out.write("[")
    for i, chunk in enumerate(chunks):
        out.write(("," if i else "") + safe_json(",".join(chunk)))  # one scan a chunk
    out.write("]\n")


def _tokens(n: int) -> str:
    for unit, size in (("G", 1e9), ("M", 1e6), ("k", 1e3)):
        if n >= size:
            return f"{n / size:.1f}{unit}"
    return str(n)


def parse_kinds(text: str | None) -> frozenset[Kind] | None:
    if not text:
        return None
    kinds = set()
    for name in (p.strip() for p in text.split(",") if p.strip()):
        try:
            kinds.add(Kind(name))
        except ValueError:
            valid = ", ".join(k.value for k in Kind)
            raise UserError(f"unknown kind {name!r}; kinds are: {valid}") from None
    return frozenset(kinds)


def find_session(catalog: Catalog, ident: str) -> Session:
    try:
        return catalog.find(ident)
    except LookupError as exc:
        raise UserError(str(exc)) from None


def _show(catalog: Catalog, args: argparse.Namespace) -> int:
    session = find_session(catalog, args.id)
    flt = Filter(kinds=parse_kinds(args.kind), tool=args.tool)
    view = SessionView(session)
    try:
        entries = view.entries(flt)
        if args.json:
            _dump_entries(entries, view.pairs())
        else:
            _print_entries(entries)
    finally:
        view.close()
    return 0


def _dump_entries(entries: Iterable[Entry], pairs: dict[int, int]) -> None:
    back = {result: call for call, result in pairs.items()}
    out = sys.stdout
    out.write("[")
    for i, e in enumerate(entries):
        item = asdict(e)
        item["kind"] = e.kind.value
        item["paired_seq"] = pairs.get(e.seq, back.get(e.seq))
        out.write(("," if i else "") + "\n " + json_text(item))
    out.write("\n]\n")


def _print_entries(entries: Iterable[Entry]) -> None:
    out = console()
    colours = {
        "prompt": "bold cyan",
        "assistant": "green",
        "thinking": "magenta",
        "tool_call": "yellow",
        "tool_result": "blue",
        "error": "bold red",
        "system": "dim",
        "other": "dim",
    }
    for e in entries:
        head = Text()
        head.append(f"#{e.seq} ", style="dim")
        head.append((e.timestamp or "")[:19].replace("T", " ") + " ", style="dim")
        head.append(e.kind.value, style=colours[e.kind.value])
        if e.tool:
            head.append(" " + one_line(e.tool, 60), style="bold")
        if e.sidechain:
            head.append(" (subagent)", style="dim")
        out.print(head)
        out.print(Text(printable(e.text)))
        out.print()


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


def _sql(catalog: Catalog, args: argparse.Namespace) -> int:
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
