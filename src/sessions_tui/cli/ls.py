"""`sessions-tui ls`: the sessions, newest activity first or in another order, narrowed by
the list's filter language (a table, or JSON)."""

from __future__ import annotations

import argparse
import json
import sys

from rich.cells import cell_len
from rich.table import Table
from rich.text import Text

from sessions_tui.cli.common import UserError
from sessions_tui.model import Session
from sessions_tui.output.console import console, write_json
from sessions_tui.output.format import human, money, now, short_project
from sessions_tui.store.catalog import Catalog
from sessions_tui.store.list_query import ordered, parse
from sessions_tui.text import one_line, safe_json


def run(catalog: Catalog, args: argparse.Namespace) -> int:
    """Exit status 1 when a filter was given and no session matches."""
    chosen = _chosen(catalog, args)
    if args.json:
        _ls_json(catalog, args, chosen)
        return 1 if chosen == [] and args.filter else 0
    sessions = chosen if chosen is not None else catalog.sessions(args.project, args.since)
    heads = ("id", "when", "project", "title", "entries", "tokens", "cost", "err")
    rows = [
        (
            one_line(s.id[:8], 8),
            (s.ended or s.started or "")[:16].replace("T", " "),
            one_line(short_project(s.project), 20),
            one_line(s.title or "(untitled)", 60),
            str(s.entries),
            human(s.tokens.total),
            money(s.cost) if s.cost is not None else "",
            str(s.errors) if s.errors else "",
        )
        for s in sessions
    ]
    out = console()
    widths = [max([cell_len(h), *(cell_len(r[i]) for r in rows)]) for i, h in enumerate(heads)]
    gaps = 2 * (len(heads) - 1)
    if not out.is_terminal:  # a pipe (grep, a file) gets whole rows, not 80 columns
        out.width = max(out.width, sum(widths) + gaps)
    # The title gives way, so every other column is whole at any usable width.
    title_width = max(8, out.width - sum(widths) + widths[3] - gaps)
    table = Table(box=None, pad_edge=False, header_style="bold")
    for i, head in enumerate(heads):
        table.add_column(
            head,
            justify="right" if i >= 4 else "left",
            no_wrap=True,
            overflow="ellipsis",
            max_width=title_width if i == 3 else None,
        )
    for row in rows:
        table.add_row(*(Text(c, style="red" if i == 7 else "") for i, c in enumerate(row)))
    out.print(table)
    return 1 if not sessions and args.filter else 0


def _chosen(catalog: Catalog, args: argparse.Namespace) -> list[Session] | None:
    """The sessions `--filter`, `--sort` and `--reverse` leave, in order; None when none
    of them is given (the catalog's own order, newest activity first, streams)."""
    if not (args.filter or args.sort != "activity" or args.reverse):
        return None
    query = parse(args.filter or "", now())
    if query.problems:
        raise UserError("--filter: not understood: " + "; ".join(query.problems))
    return ordered(query.filter(catalog.sessions(args.project, args.since)), args.sort,
                   args.reverse)  # fmt: skip


def _ls_json(catalog: Catalog, args: argparse.Namespace, chosen: list[Session] | None) -> None:
    """The sessions as `session_facts` objects, streamed from DuckDB (compact for a pipe,
    indented for a person at a terminal); in `chosen`'s order when there is one."""
    chunks = catalog.facts_json(project=args.project, since=args.since)
    if chosen is not None:
        place = {s.id: i for i, s in enumerate(chosen)}
        ids = ((json.loads(row)["id"], row) for c in chunks for row in c)
        kept = sorted((place[sid], row) for sid, row in ids if sid in place)
        chunks = iter([[row for _, row in kept]])
    if sys.stdout.isatty():
        write_json([json.loads(row) for chunk in chunks for row in chunk])
        return
    out = sys.stdout
    out.write("[")
    for i, chunk in enumerate(chunks):
        out.write(("," if i else "") + safe_json(",".join(chunk)))  # one scan a chunk
    out.write("]\n")
