"""The stats screen (s): where the sessions, tokens and money went, and the open session's.

| key | action |
|---|---|
| a | all projects |
| p | only the project of the open (or selected) session |
| d | a date range (`2026-10-01..2026-11-15`, either end optional) |
| Escape / s / q | back |
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, ClassVar

import duckdb
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Input, Static
from textual.worker import Worker

from sessions_tui.model import Session
from sessions_tui.output.format import cache_writes, human, money
from sessions_tui.output.plot import bar, duration, sparkline
from sessions_tui.store.catalog import Catalog
from sessions_tui.store.stats import TOKEN_KEYS, Scope, overview, session_stats
from sessions_tui.text import one_line, printable
from sessions_tui.tui.bindings import bindings
from sessions_tui.tui.messages import failed

_RANGE = re.compile(r"^\s*(\d{4}-\d{2}-\d{2})?\s*(?:\.\.|to)\s*(\d{4}-\d{2}-\d{2})?\s*$")


def parse_range(text: str) -> tuple[str | None, str | None]:
    """`since..until` (either may be left out; one date alone means that day)."""
    text = text.strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return text, text
    m = _RANGE.match(text)
    if not m:
        raise ValueError("write the range as 2026-10-01..2026-11-15 (either end optional)")
    return m.group(1), m.group(2)


class StatsScreen(Screen[None]):
    @dataclass
    class Counted(Message):
        """The figures are counted: the overview and the session's (or why not)."""

        overview: dict[str, Any] | None
        session: dict[str, Any] | None
        error: str = ""

    BINDINGS: ClassVar[list[BindingType]] = bindings("stats")  # tui/keys.py
    DEFAULT_CSS = """
    StatsScreen { layout: vertical; }
    StatsScreen #stats-range { display: none; height: 3; border: tall $accent; }
    StatsScreen #stats-range.visible { display: block; }
    StatsScreen VerticalScroll { height: 1fr; padding: 0 1; }
    StatsScreen #stats-head { color: $text-muted; height: 1; padding: 0 1; }
    """

    def __init__(self, catalog: Catalog, session: Session | None) -> None:
        super().__init__()
        self.catalog = catalog
        self.session = session
        self.scope = Scope()

    def compose(self) -> ComposeResult:
        yield Static("", id="stats-head")
        yield Input(placeholder="since..until, e.g. 2026-10-01..2026-11-15", id="stats-range")
        with VerticalScroll():
            yield Static(Text("counting…"), id="stats-body")

    def on_mount(self) -> None:
        self._load()
        self.set_focus(self.query_one(VerticalScroll))

    def _head(self) -> Text:
        return Text(
            f"stats · {self.scope.describe()} · a all · p this project · d dates · Escape back"
        )

    def _load(self) -> None:
        self.query_one("#stats-head", Static).update(self._head())
        self._compute(self.scope, self.session)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if (message := failed(event)) is not None:
            self.app.post_message(message)  # the app says it in the status bar

    @work(thread=True, exclusive=True, group="stats", description="computing the stats",
          exit_on_error=False)  # fmt: skip
    def _compute(self, scope: Scope, session: Session | None) -> None:
        try:
            over = overview(self.catalog.con, scope)
            mine = session_stats(self.catalog.con, session) if session is not None else None
        except duckdb.Error as exc:
            self.post_message(self.Counted(None, None, str(exc).splitlines()[0]))
            return
        self.post_message(self.Counted(over, mine))

    def on_stats_screen_counted(self, message: Counted) -> None:
        body = self.query_one("#stats-body", Static)
        if message.overview is None:
            body.update(Text(f"cannot compute the stats: {message.error}"))
            return
        width = max(40, self.size.width - 4)
        parts: list[RenderableType] = []
        if message.session is not None:
            parts += session_block(message.session, message.overview["prices_as_of"])
        parts += overview_block(message.overview, width)
        body.update(Group(*parts))

    def action_back(self) -> None:
        self.dismiss(None)

    def action_scope_all(self) -> None:
        self.scope = Scope(None, self.scope.since, self.scope.until)
        self._load()

    def action_scope_project(self) -> None:
        project = self.session.project if self.session else None
        if project:
            self.scope = Scope(project, self.scope.since, self.scope.until)
            self._load()
        else:
            self.notify("no session with a project is open or selected", timeout=3)

    def action_dates(self) -> None:
        box = self.query_one("#stats-range", Input)
        box.add_class("visible")
        self.set_focus(box)

    @on(Input.Submitted, "#stats-range")
    def _range(self, event: Input.Submitted) -> None:
        try:
            since, until = parse_range(event.value) if event.value.strip() else (None, None)
        except ValueError as exc:
            self.notify(printable(str(exc)), severity="warning", timeout=4, markup=False)
            return
        event.input.remove_class("visible")
        self.scope = Scope(self.scope.project, since, until)
        self.set_focus(self.query_one(VerticalScroll))
        self._load()


def _table(title: str, *columns: str) -> Table:
    table = Table(
        title=title,
        title_justify="left",
        title_style="bold",
        box=None,
        header_style="bold",
        pad_edge=False,
        expand=False,
    )
    for i, name in enumerate(columns):
        table.add_column(
            name,
            justify="left" if i == 0 or name in ("", "title") else "right",
            no_wrap=True,
            max_width=48,
        )
    return table


def _tokens(m: dict[str, Any]) -> int:
    return sum(int(m[k]) for k in TOKEN_KEYS)


def session_block(s: dict[str, Any], as_of: str) -> list[RenderableType]:
    head = Text(one_line(s["title"] or s["id"], 100), style="bold")
    facts = Text(
        f"{s['turns']} turns · {s['entries']} entries · {s['errors']} errors · "
        f"{duration(s['seconds'])} · {s['subagents']} subagents · "
        f"est. {money(s['cost'])}"
    )
    models = _table(
        f"this session: tokens and estimated cost (list prices of {as_of})",
        "model",
        "in",
        "out",
        "cache read",
        "cache write",
        "est. cost",
    )
    for m in s["models"]:
        name = one_line(m["model"], 40) + (" ≈" if m["approximate"] else "")
        models.add_row(
            Text(name),
            human(m["input"]),
            human(m["output"]),
            human(m["cache_read"]),
            cache_writes(m),
            money(m["cost"]),
        )
    tools = _table("tools", "tool", "calls", "")
    top = max(s["tools"].values(), default=0)
    for name, n in list(s["tools"].items())[:12]:
        tools.add_row(Text(one_line(name, 30)), str(n), bar(n, top, 24))
    return [head, facts, Text(""), models, Text(""), tools, Text("\n" + "─" * 40 + "\n")]


def overview_block(r: dict[str, Any], width: int) -> list[RenderableType]:
    t = r["tokens"]
    out: list[RenderableType] = [
        Text(
            f"{r['scope']}: {r['sessions']} sessions · {r['prompts']} prompts · "
            f"{r['entries']} entries",
            style="bold",
        ),
        Text(
            f"tokens {human(t['input'])} in · {human(t['output'])} out · "
            f"{human(t['cache_read'])} cache read · {cache_writes(t)} cache write · "
            f"est. {money(r['cost'])} (list prices of {r['prices_as_of']}; ≈ priced by family)"
        ),
        Text(
            f"tool calls {r['tool_calls']} · errors {r['errors']} "
            f"({100 * r['error_rate']:.1f}% error rate)"
        ),
    ]
    days = r["per_day"]
    if days:
        span = f"{days[0]['day']} → {days[-1]['day']}"
        plot_width = max(10, width - 2)
        sessions = [d["sessions"] for d in days]
        tokens = [d["tokens"] for d in days]
        out += [
            Text(f"\nsessions per day ({span}, max {max(sessions)})", style="bold"),
            Text(sparkline(sessions, plot_width), style="cyan"),
            Text(f"tokens per day (max {human(max(tokens))})", style="bold"),
            Text(sparkline(tokens, plot_width), style="green"),
        ]
        recent = _table("\nlast 14 days", "day", "sessions", "tokens", "est. cost", "")
        top = max((d["tokens"] for d in days[-14:]), default=0)
        for d in days[-14:]:
            recent.add_row(
                d["day"],
                str(d["sessions"]),
                human(d["tokens"]),
                money(d["cost"]),
                Text(bar(d["tokens"], top, 30), style="green"),
            )
        out.append(recent)
    projects = _table("\ntop projects", "project", "sessions", "tokens", "")
    top = max((p["sessions"] for p in r["projects"]), default=0)
    for p in r["projects"]:
        projects.add_row(
            Text(one_line(p["project"] or "?", 48)),
            str(p["sessions"]),
            human(p["tokens"]),
            Text(bar(p["sessions"], top, 20), style="cyan"),
        )
    tools = _table("\ntool mix", "tool", "calls", "")
    most = max(r["tools"].values(), default=0)
    for name, n in list(r["tools"].items())[:12]:
        tools.add_row(Text(one_line(name, 30)), str(n), Text(bar(n, most, 30), style="yellow"))
    models = _table("\nmodels", "model", "turns", "tokens", "est. cost")
    for m in r["models"]:
        name = one_line(m["model"], 40) + (" ≈" if m["approximate"] else "")
        models.add_row(Text(name), str(m["turns"]), human(_tokens(m)), money(m["cost"]))
    longest = _table("\nlongest sessions", "id", "duration", "entries", "title")
    for s in r["longest"]:
        longest.add_row(
            Text(one_line(s["id"][:8], 8)),
            duration(s["seconds"]),
            str(s["entries"]),
            Text(one_line(s["title"] or "(untitled)", 48)),
        )
    return [*out, projects, tools, models, longest]
