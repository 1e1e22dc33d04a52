"""`sessions-tui stats [ID]`: tokens, estimated cost, tools, days."""

from __future__ import annotations

import argparse
from typing import Any

from rich.table import Table
from rich.text import Text

from sessions_tui.cli.common import find_session
from sessions_tui.output.console import SafeConsole, console, write_json
from sessions_tui.output.export import (
    session_facts,
)
from sessions_tui.output.format import cache_writes, human, money
from sessions_tui.output.plot import bar, duration, sparkline
from sessions_tui.store.catalog import Catalog
from sessions_tui.store.stats import Scope, overview, session_stats
from sessions_tui.text import one_line


def run(catalog: Catalog, args: argparse.Namespace) -> int:
    if args.id:
        session = find_session(catalog, args.id)
        result = {**session_stats(catalog.con, session), "session": session_facts(session)}
        if args.json:
            write_json(result)
        else:
            _print_session(result)
        return 0
    result = overview(catalog.con, Scope(args.project, args.since, args.until))
    if args.json:
        write_json(result)
    else:
        _print_overview(result)
    return 0


def _print_overview(r: dict[str, Any]) -> None:
    out = console()
    out.print(
        Text(
            f"{r['scope']}: {r['sessions']} sessions, {r['prompts']} prompts, "
            f"{r['entries']} entries",
            style="bold",
        )
    )
    t = r["tokens"]
    out.print(
        Text(
            f"tokens: {human(t['input'])} in, {human(t['output'])} out, "
            f"{human(t['cache_read'])} cache read, {cache_writes(t)} "
            f"cache write · est. {money(r['cost'])} (prices of {r['prices_as_of']})"
        )
    )
    rate = 100 * r["error_rate"]
    out.print(Text(f"tool calls: {r['tool_calls']} · errors: {r['errors']} ({rate:.1f}%)"))
    days = r["per_day"]
    if days:
        out.print(Text(f"\nsessions/day {days[0]['day']} → {days[-1]['day']}"))
        out.print(Text("  " + sparkline([d["sessions"] for d in days], 100)))
        out.print(Text("tokens/day"))
        out.print(Text("  " + sparkline([d["tokens"] for d in days], 100)))
    _table(
        out,
        "top projects",
        ["project", "sessions", "tokens"],
        [
            [one_line(p["project"] or "?", 50), str(p["sessions"]), human(p["tokens"])]
            for p in r["projects"]
        ],
    )
    tools = list(r["tools"].items())[:10]
    most = tools[0][1] if tools else 0
    _table(
        out,
        "tool mix",
        ["tool", "calls", ""],
        [[one_line(k, 30), str(v), bar(v, most, 30)] for k, v in tools],
    )
    _table(
        out,
        "models",
        ["model", "turns", "tokens", "est. cost"],
        [
            [
                one_line(m["model"], 40) + (" ≈" if m["approximate"] else ""),
                str(m["turns"]),
                human(sum(m[k] for k in ("input", "output", "cache_read", "cache_creation"))),
                money(m["cost"]),
            ]
            for m in r["models"]
        ],
    )
    _table(
        out,
        "longest sessions",
        ["id", "duration", "entries", "title"],
        [
            [
                one_line(s["id"][:8], 8),
                duration(s["seconds"]),
                str(s["entries"]),
                one_line(s["title"] or "(untitled)", 50),
            ]
            for s in r["longest"]
        ],
    )


def _print_session(r: dict[str, Any]) -> None:
    out = console()
    out.print(Text(one_line(r["title"] or r["id"], 100), style="bold"))
    out.print(
        Text(
            f"{r['turns']} turns · {r['entries']} entries · {r['errors']} errors · "
            f"{duration(r['seconds'])} · {r['subagents']} subagents"
        )
    )
    _table(
        out,
        f"tokens and estimated cost (prices of {r['prices_as_of']})",
        ["model", "in", "out", "cache read", "cache write", "est. cost"],
        [
            [
                one_line(m["model"], 40) + (" ≈" if m["approximate"] else ""),
                human(m["input"]),
                human(m["output"]),
                human(m["cache_read"]),
                cache_writes(m),
                money(m["cost"]),
            ]
            for m in r["models"]
        ],
    )
    _table(
        out,
        "tools",
        ["tool", "calls"],
        [[one_line(k, 40), str(v)] for k, v in r["tools"].items()],
    )


def _table(out: SafeConsole, title: str, columns: list[str], rows: list[list[str]]) -> None:
    if not rows:
        return
    table = Table(title=title, title_justify="left", box=None, header_style="bold")
    for i, name in enumerate(columns):
        left = i == 0 or not name or name == "title"
        table.add_column(name, justify="left" if left else "right", no_wrap=True, max_width=60)
    for row in rows:
        table.add_row(*(Text(c) for c in row))
    out.print()
    out.print(table)
