"""`sessions-tui search QUERY`: every session, through the search index."""

from __future__ import annotations

import argparse
import sys

import duckdb
from rich.text import Text

from sessions_tui.cli.common import UserError, parse_kinds
from sessions_tui.output.console import console, say, warn, write_json
from sessions_tui.output.format import marked, short_project
from sessions_tui.store.catalog import Catalog
from sessions_tui.store.search import Hit, Query, Results, SearchError, search_all
from sessions_tui.store.search_index import damaged
from sessions_tui.text import one_line


def update_index(catalog: Catalog) -> None:
    """Bring the search index up to date, saying so on a terminal when it takes a while."""
    cur = catalog.con.cursor()
    try:
        tty = sys.stderr.isatty()

        def progress(done: int, total: int) -> None:
            if tty:
                sys.stderr.write(f"\rindexing {100 * done // max(1, total)}% ")
                sys.stderr.flush()

        report = catalog.index.update(catalog.file_facts(), cur, progress)
        if tty and report.files:
            sys.stderr.write("\r" + " " * 20 + "\r")
        for problem in report.problems:
            warn(problem)
    finally:
        cur.close()


def run(catalog: Catalog, args: argparse.Namespace) -> int:
    query = Query(
        args.query,
        regex=args.regex,
        kinds=parse_kinds(args.kind),
        project=args.project,
        order="newest" if args.newest else "rank",
        limit=max(1, args.limit),
    )
    try:
        results = _search(catalog, query)
    except duckdb.Error as exc:
        if not damaged(exc):
            raise
        warn(catalog.index.reset(exc))  # a damaged index file: built again, once
        results = _search(catalog, query)
    hits = results.hits if results else []
    matched = results.matched if results else 0
    if args.json:
        write_json({"query": args.query, "matched": matched, "hits": [hit_json(h) for h in hits]})
        return 0
    out = console()
    for h in hits:
        head = Text()
        head.append(one_line(h.session.id[:8], 8) + " ", style="dim")
        head.append((h.timestamp or "")[:16].replace("T", " ") + " ", style="dim")
        head.append(one_line(short_project(h.session.project), 24) + " ", style="cyan")
        head.append(one_line(h.session.title or "(untitled)", 50), style="bold")
        tool = f" {one_line(h.tool, 40)}" if h.tool else ""
        head.append(f"  {h.kind.value}{tool}", style="yellow")
        out.print(head)
        out.print(snippet_text(h), style="default")
    shown = f"{len(hits)} of {matched}" if matched > len(hits) else str(matched)
    say(f"{shown} matching entries")
    return 0 if matched else 1


def _search(catalog: Catalog, query: Query) -> Results | None:
    update_index(catalog)
    cur = catalog.con.cursor()
    try:
        results = None
        for results in search_all(cur, catalog.index, catalog.sessions(), query):  # noqa: B007
            pass  # each pass merges more hits; the last has them all
        return results
    except SearchError as exc:
        raise UserError(str(exc)) from None
    finally:
        cur.close()


def snippet_text(h: Hit) -> Text:
    """The hit's snippet with its matches marked (as data, never markup)."""
    return marked(h.snippet, h.spans)


def hit_json(h: Hit) -> dict[str, object]:
    return {
        "session_id": h.session.id,
        "title": h.session.title,
        "project": h.session.project,
        "path": h.path,
        "entry": h.n,
        "kind": h.kind.value,
        "tool": h.tool,
        "timestamp": h.timestamp,
        "snippet": h.snippet,
        "spans": [list(s) for s in h.spans],
        "score": round(h.score, 3),
    }
