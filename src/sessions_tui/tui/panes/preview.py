"""The preview of the session highlighted in the list: what it is before opening it.

Shown where the reader is when no session is open, and on Space (in the list) over an
open one. Its facts come from the catalog (title, project, branch, dates, models, tokens
and cost, the tool mix, errors); its first prompts from the head of its file, read in a
thread (no view is built; a newer highlight cancels the read). Session text is data:
it goes through `printable()` into `Text`, never markup.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import Static

from sessions_tui.model import Session
from sessions_tui.output.format import duration_text, human, money, when_text
from sessions_tui.text import printable

PROMPTS = 3
PROMPT_LINES = 6
CACHED = 256  # sessions whose prompts are kept


class PreviewPane(VerticalScroll):
    """The highlighted session's facts and first prompts."""

    DEFAULT_CSS = """
    PreviewPane { height: 1fr; padding: 0 1; }
    PreviewPane > Static { width: 1fr; }
    """

    @dataclass
    class PromptsRead(Message):
        session_id: str
        mtime_ns: int
        prompts: list[str]

    def __init__(self, *, id: str) -> None:
        super().__init__(id=id)
        self.session: Session | None = None
        self._drawn: Session | None = None  # what the text shows (hidden, none is drawn)
        self.date_format = "auto"
        self._prompts: OrderedDict[tuple[str, int], list[str]] = OrderedDict()
        self._body = Static(Text(""), id="preview-body")

    def compose(self) -> ComposeResult:
        yield self._body

    def show(self, session: Session | None) -> None:
        """Preview `session` (None: nothing highlighted); while hidden (a session is
        open), only remembered: keys moving through the list draw and read nothing."""
        self.session = session
        if self.display:
            self.catch_up()

    def catch_up(self) -> None:
        """Draw the session to preview, if it is not the one drawn, and read its prompts."""
        session = self.session
        if session is self._drawn:
            return
        self._drawn = session
        self._draw()
        self.scroll_home(animate=False, immediate=True)
        if session is not None and self._key(session) not in self._prompts:
            self._read(session)  # ~1 ms a file: each highlight reads at once

    @staticmethod
    def _key(session: Session) -> tuple[str, int]:
        return (session.id, session.mtime_ns)

    @work(thread=True, exclusive=True, group="preview", description="reading prompts",
          exit_on_error=False)  # fmt: skip
    def _read(self, session: Session) -> None:
        from sessions_tui.sources.prompts import first_prompts

        prompts = first_prompts(session.path, session.source, PROMPTS)
        self.post_message(self.PromptsRead(session.id, session.mtime_ns, prompts))

    def on_preview_pane_prompts_read(self, message: PromptsRead) -> None:
        message.stop()
        self._prompts[(message.session_id, message.mtime_ns)] = message.prompts
        while len(self._prompts) > CACHED:
            self._prompts.popitem(last=False)
        if self._drawn is not None and self._drawn.id == message.session_id:
            self._draw()

    def _draw(self) -> None:
        s = self._drawn
        if s is None:
            self._body.update(Text("No session to preview", style="dim"))
            return
        prompts = self._prompts.get(self._key(s))
        self._body.update(describe(s, prompts, self.date_format))


def describe(s: Session, prompts: list[str] | None, date_format: str = "auto") -> Group:
    """The preview's text: facts, then the first prompts (None: still being read)."""
    out = Text(no_wrap=False)
    out.append(printable(s.title or "(untitled)").replace("\n", " "), style="bold")
    out.append("\n")
    where = [printable(s.project or "?")]
    if s.git_branch:
        where.append(printable(s.git_branch))
    out.append(" · ".join(where), style="cyan")
    out.append("\n")
    started, ended = when_text(s.started, date_format), when_text(s.ended, date_format)
    span = started if started == ended else f"{started} → {ended}"
    length = duration_text(s.started, s.ended)
    out.append(span + (f" ({length})" if length else ""), style="dim")
    out.append("\n\n")
    _fact(out, "models", ", ".join(printable(m) for m in s.models) or "—")
    tokens = s.tokens.total + s.subagent_tokens.total
    cost = f" · {money(s.cost)}" if s.cost is not None else ""
    _fact(out, "tokens", f"{human(tokens)}{cost}")
    damaged = s.malformed_lines + s.subagent_malformed_lines
    counts = [_count(s.entries, "entry", "entries")]
    counts += [_count(n, one, many) for n, one, many in (
        (s.errors, "error", "errors"), (s.subagents, "subagent", "subagents"),
        (damaged, "damaged line", "damaged lines")) if n]  # fmt: skip
    _fact(out, "entries", " · ".join(counts), "red" if s.errors else "")
    tools = sorted(s.tools.items(), key=lambda kv: (-kv[1], kv[0]))
    mix = " · ".join(f"{printable(name)} {n:,}" for name, n in tools[:8])
    more = f" · +{len(tools) - 8} more" if len(tools) > 8 else ""
    _fact(out, "tools", (mix + more) or "none")
    out.append("\n")
    out.append("First prompts", style="bold")
    prompts_part = Table.grid(padding=(0, 1))
    prompts_part.add_column(width=1, style="green")
    prompts_part.add_column(ratio=1)
    if prompts is None:
        prompts_part.add_row("", Text("reading…", style="dim"))
    elif not prompts:
        prompts_part.add_row("", Text("none in the first megabyte of the file", style="dim"))
    for prompt in prompts or ():
        lines = printable(prompt).replace("\t", "    ").split("\n")
        body = Text("\n".join(lines[:PROMPT_LINES]))
        if len(lines) > PROMPT_LINES:
            body.append(f"\n… {len(lines) - PROMPT_LINES} more lines", style="dim")
        prompts_part.add_row("›", body)
    return Group(out, prompts_part, Text("\nEnter opens it", style="dim"))


def _count(n: int, one: str, many: str) -> str:
    return f"{n:,} {one if n == 1 else many}"


def _fact(out: Text, name: str, value: str, style: str = "") -> None:
    out.append(f"{name:<8}", style="dim")
    out.append(value + "\n", style=style)
