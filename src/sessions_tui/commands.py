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
from rich.console import Console
from rich.table import Table
from rich.text import Text

from sessions_tui.cli import UserError
from sessions_tui.export import session_facts
from sessions_tui.model import Entry, Kind, Session
from sessions_tui.sources.discovery import Root
from sessions_tui.store.catalog import Catalog
from sessions_tui.store.db import cache_dir
from sessions_tui.store.everything import build_all_entries
from sessions_tui.store.filters import Filter
from sessions_tui.store.session_view import SessionView
from sessions_tui.text import one_line, printable


def open_catalog(roots: list[Root], args: argparse.Namespace) -> Catalog:
    """The catalog, refreshed; problems go to stderr, one line each."""
    catalog = Catalog(roots, None if args.no_cache else cache_dir())
    if catalog.notice:
        print(f"sessions-tui: {catalog.notice}", file=sys.stderr)
    report = catalog.refresh()
    for problem in report.problems:
        print(f"sessions-tui: {problem}", file=sys.stderr)
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


def write_json(value: Any) -> None:
    """JSON on stdout: indented for a person at a terminal, compact (and fast) for a pipe."""
    indent = 1 if sys.stdout.isatty() else None
    sys.stdout.write(json.dumps(value, ensure_ascii=False, indent=indent, default=str) + "\n")


def _console() -> Console:
    return Console(highlight=False, soft_wrap=False)


def _ls(catalog: Catalog, args: argparse.Namespace) -> int:
    sessions = catalog.sessions(project=args.project, since=args.since)
    if args.json:
        write_json([session_facts(s) for s in sessions])
        return 0
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
            Text(s.id[:8]),
            Text((s.ended or s.started or "")[:16].replace("T", " ")),
            Text(one_line(project, 20)),
            Text(one_line(s.title or "(untitled)", 60)),
            Text(str(s.entries)),
            Text(_tokens(s.tokens.total)),
            Text(str(s.errors) if s.errors else "", style="red"),
        )
    _console().print(table)
    return 0


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
        out.write(("," if i else "") + "\n " + json.dumps(item, ensure_ascii=False))
    out.write("\n]\n")


def _print_entries(entries: Iterable[Entry]) -> None:
    console = _console()
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
            head.append(f" {e.tool}", style="bold")
        if e.sidechain:
            head.append(" (subagent)", style="dim")
        console.print(head)
        console.print(Text(printable(e.text)))
        console.print()


_ENTRIES_WORD = re.compile(r"\bentries\b", re.IGNORECASE)


def _sql(catalog: Catalog, args: argparse.Namespace) -> int:
    cur = catalog.con.cursor()
    try:
        if _ENTRIES_WORD.search(args.query):
            build_all_entries(catalog, cur)
        try:
            rel = cur.execute(args.query)
        except duckdb.Error as exc:
            raise UserError(str(exc).splitlines()[0]) from None
        names = [d[0] for d in rel.description or ()]
        rows = rel.fetchall()
    finally:
        cur.close()
    if args.json:
        write_json([dict(zip(names, r, strict=True)) for r in rows])
        return 0
    table = Table(box=None, header_style="bold")
    for name in names:
        table.add_column(name, overflow="fold")
    for row in rows:
        table.add_row(*(Text(one_line(str(v), 120)) for v in row))
    _console().print(table)
    return 0
