"""`sessions-tui ls`: the sessions, newest first (a table, or JSON)."""

from __future__ import annotations

import argparse
import json
import sys

from rich.table import Table
from rich.text import Text

from sessions_tui.output.console import console, write_json
from sessions_tui.output.format import human
from sessions_tui.store.catalog import Catalog
from sessions_tui.text import one_line, safe_json


def run(catalog: Catalog, args: argparse.Namespace) -> int:
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
            Text(human(s.tokens.total)),
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
