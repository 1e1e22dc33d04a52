"""`sessions-tui show ID`: one session's entries (text, or JSON)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from dataclasses import asdict

from rich.text import Text

from sessions_tui.cli.common import find_session, parse_kinds
from sessions_tui.harness import shown_text
from sessions_tui.model import Entry
from sessions_tui.output.console import console
from sessions_tui.store.catalog import Catalog
from sessions_tui.store.filters import Filter
from sessions_tui.store.session_view import SessionView
from sessions_tui.text import json_text, one_line, printable


def run(catalog: Catalog, args: argparse.Namespace) -> int:
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
        out.print(Text(printable(shown_text(e))))
        out.print()
