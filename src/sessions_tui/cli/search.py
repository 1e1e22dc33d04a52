"""`sessions-tui search QUERY`: every session, through the search index."""

from __future__ import annotations

import argparse
import sys

import duckdb
from rich.console import Console
from rich.text import Text

from sessions_tui.cli.common import UserError, parse_kinds
from sessions_tui.output.console import console, say, warn, write_json
from sessions_tui.output.format import marked, short_project
from sessions_tui.store.catalog import Catalog
from sessions_tui.store.search import (
    PER_SESSION,
    Hit,
    Query,
    Results,
    SearchError,
    SessionHits,
    search_all,
)
from sessions_tui.store.search_index import damaged
from sessions_tui.store.shared_file import FileBusy
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
    """Exit status 1 when nothing matches (with `--json` too)."""
    query = Query(
        args.query,
        regex=args.regex,
        kinds=parse_kinds(args.kind),
        project=args.project,
        order="newest" if args.newest else "rank",
        limit=max(1, args.limit),
    )
    per_session = PER_SESSION if args.by_session else query.limit
    try:
        results = _search(catalog, query, per_session)
    except duckdb.Error as exc:
        if not damaged(exc):
            raise
        warn(catalog.index.reset(exc))  # a damaged index file: built again, once
        results = _search(catalog, query, per_session)
    results = results or Results()
    if args.json:
        if args.by_session:
            write_json({"query": args.query, "matched": results.matched,
                        "sessions": [_session_json(g) for g in results.sessions]})  # fmt: skip
        else:
            write_json({"query": args.query, "matched": results.matched,
                        "hits": [hit_json(h) for h in results.hits]})  # fmt: skip
        return 0 if results.matched else 1
    out = console()
    if args.by_session:
        for group in results.sessions:
            _print_session(out, group)
        noun = "session" if len(results.sessions) == 1 else "sessions"
        say(f"{results.matched} matching entries in {len(results.sessions)} {noun}")
        return 0 if results.matched else 1
    hits = results.hits
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
    shown = f"{len(hits)} of {results.matched}" if results.matched > len(hits) else str(len(hits))
    say(f"{shown} matching entries")
    return 0 if results.matched else 1


def _print_session(out: Console, group: SessionHits) -> None:
    """A session, then its best hits under it (`N more` when it has more)."""
    s = group.session
    head = Text()
    head.append(one_line(s.id[:8], 8) + " ", style="dim")
    head.append((s.ended or s.started or "")[:16].replace("T", " ") + " ", style="dim")
    head.append(one_line(short_project(s.project), 24) + " ", style="cyan")
    head.append(one_line(s.title or "(untitled)", 60), style="bold")
    head.append(f"  {group.count} {'hit' if group.count == 1 else 'hits'}", style="yellow")
    out.print(head)
    for h in group.hits:
        line = Text("  ")
        line.append(f"#{h.n} {h.kind.value}" + (f" {one_line(h.tool, 30)}" if h.tool else ""),
                    style="yellow")  # fmt: skip
        out.print(line)
        out.print(marked(h.snippet, h.spans, indent="    "), style="default")
    if group.count > len(group.hits):
        out.print(Text(f"  … {group.count - len(group.hits)} more", style="dim"))


def _session_json(group: SessionHits) -> dict[str, object]:
    s = group.session
    return {
        "session_id": s.id,
        "title": s.title,
        "project": s.project,
        "path": str(s.path),
        "started": s.started,
        "ended": s.ended,
        "count": group.count,
        "score": round(group.score, 3),
        "hits": [hit_json(h) for h in group.hits],
    }


def _search(catalog: Catalog, query: Query, per_session: int) -> Results | None:
    update_index(catalog)
    cur = catalog.con.cursor()
    try:
        results = None
        for results in search_all(  # noqa: B007
            cur, catalog.index, catalog.sessions(), query, per_session=per_session
        ):
            pass  # each pass merges more hits; the last has them all
        return results
    except SearchError as exc:
        raise UserError(str(exc)) from None
    except FileBusy as exc:
        raise UserError(f"the search index {exc}; try again in a moment") from None
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
