"""How a unit looks: its one-line summary, the first lines of a tool's output, or its
whole content (a message as Markdown, a tool call with its result beneath).

Pure Rich (no Textual): lines come out as lists of Segments, ready to become Strips.
Session text is data — it goes through `printable()` and `Text(...)`, never markup.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

from rich.console import Console, ConsoleOptions, RenderableType
from rich.segment import Segment
from rich.style import Style
from rich.text import Text

from sessions_tui.harness import is_chip, shown_text
from sessions_tui.model import Entry, Kind
from sessions_tui.text import printable
from sessions_tui.tools import summary_of, tool_input
from sessions_tui.tui.state.viewstate import READ_CHARS, READ_LINES

MAX_EXPANDED_LINES = 3000  # a 5 MB tool output is cut, with a note, so a render stays fast
# ...and by characters: a 5 MB line with no newline took 14 s to wrap, 20 MB over 3 min.
MAX_EXPANDED_CHARS = 200_000


def text_preview(entry: Entry, count: int) -> Text:
    """The first `count` lines of an entry's text (an error, a system note), each cut to
    the width, not wrapped."""
    text = Text(printable(shown_text(entry)).replace("\t", "    ").rstrip("\n"))
    if entry.kind is Kind.ERROR:
        text.stylize("red")
    return _first_lines(with_dim_chips(text), count)


_TODO_STATES = (("completed", "done"), ("in_progress", "in progress"), ("pending", "pending"))
_EXIT = re.compile(r"\A\s*Exit code:? (-?\d+)")
_JSON_EXIT = re.compile(r'"exit_code"\s*:\s*(-?\d+)')


def exit_code(result: Entry) -> int | None:
    """The exit status a command's result states (Claude: `Exit code 1`, Codex: its
    `Exit code: 0` header or JSON metadata), if any."""
    head = result.text[:600]
    found = _EXIT.match(head) or _JSON_EXIT.search(head)
    return int(found.group(1)) if found else None


def edit_counts(tool: str, fields: dict[str, Any]) -> tuple[int, int] | None:
    """Lines added and removed by an Edit, MultiEdit or Write call (None: not one)."""
    import difflib  # imported when first needed

    if tool == "Write" and "content" in fields:
        return len(str(fields["content"]).splitlines()), 0
    if tool not in ("Edit", "MultiEdit") and "old_string" not in fields:
        return None
    edits = fields.get("edits") if isinstance(fields.get("edits"), list) else [fields]
    added = removed = 0
    for edit in edits or []:
        if not isinstance(edit, dict):
            continue
        old = str(edit.get("old_string", "")).splitlines()
        new = str(edit.get("new_string", "")).splitlines()
        for line in difflib.unified_diff(old, new, lineterm="", n=0):
            if line.startswith(("---", "+++", "@@")):
                continue
            added += line.startswith("+")
            removed += line.startswith("-")
    return added, removed


def tool_line(
    call: Entry, call_text: str, result: Entry | None, result_lines: int
) -> tuple[str, str, bool]:
    """A tool unit in one line: (what it did, how it went, whether it failed); e.g.
    (`$ pytest -x`, `exit 1`, True), (`src/app.py`, `+12 −3`, False)."""
    tool = call.tool or ""
    fields = tool_input(call_text)
    todos = fields.get("todos")
    if tool in ("Task", "Agent") and fields.get("description"):
        what = f'"{fields["description"]}"'
    elif isinstance(todos, list):  # TodoWrite: the list's state, not its JSON
        states = [t.get("status") for t in todos if isinstance(t, dict)]
        tally = [f"{states.count(k)} {w}" for k, w in _TODO_STATES if states.count(k)]
        what = f"{len(todos)} todos" + (f": {', '.join(tally)}" if tally else "")
    else:
        what = summary_of(fields, call_text)
    what = printable(what).replace("\t", " ").split("\n", 1)[0]
    if result is None:
        return what, "", False
    failed = result.kind is Kind.ERROR
    if isinstance(todos, list) and not failed:
        return what, "", False  # (its result only says the list was saved)
    code = exit_code(result)
    if code is not None:
        return what, f"exit {code}", failed or code != 0
    if failed:
        first = next((ln for ln in result.text.split("\n") if ln.strip()), "error")
        return what, printable(first.strip()), True
    counts = edit_counts(tool, fields)
    if counts is not None:
        return what, f"+{counts[0]} \u2212{counts[1]}", False
    if not result.text.strip():
        return what, "no output", False
    noun = "line" if result_lines == 1 else "lines"
    return (
        what,
        f"({result_lines:,} {noun})" if tool == "Read" else f"{result_lines:,} {noun}",
        False,
    )


def tool_preview(call: Entry, call_text: str, result: Entry | None, count: int) -> Text:
    """The first `count` lines under a tool call: an edit's diff, else its output."""
    diff = edit_diff(call.tool or "", tool_input(call_text), call_text)
    if diff is not None and (result is None or result.kind is not Kind.ERROR):
        diff.rstrip()  # the changed lines, without the hunks' headers
        changed = [line for line in diff.split("\n") if not line.plain.startswith("@@")]
        return _first_lines(Text("\n").join(changed), count)
    if result is None:
        return Text("(no result yet)", style="italic")
    return text_preview(result, count)


def _first_lines(text: Text, count: int) -> Text:
    lines = text.split("\n", allow_blank=True)
    out = Text("\n").join(lines[:count])
    if len(lines) > count:
        out.append(f"\n… {len(lines) - count:,} more lines", style="dim")
    out.no_wrap = True
    out.overflow = "ellipsis"
    return out


def tool_whole(
    call: Entry, call_text: str, result: Entry | None, result_text: str
) -> RenderableType:
    """A tool call whole: its input (a diff, a command, its fields), then its output."""
    parts: list[RenderableType] = [_tool_call(call, call_text)]
    if result is not None:
        text = _capped(printable(shown_text(result, result_text)).replace("\t", "    "))
        failed = result.kind is Kind.ERROR
        parts.append(Text("── error ──" if failed else "── output ──", style="dim"))
        parts.append(Text(text.rstrip("\n"), style="red" if failed else ""))
    return _stack(*parts)


def _capped(
    text: str, chars: int = 0, lines: int = 0, note: str = "x exports the whole entry"
) -> str:
    """`text` cut to `chars` characters and `lines` lines (default: the pane's limits),
    with a line saying what was left out."""
    chars = chars or MAX_EXPANDED_CHARS
    lines = lines or MAX_EXPANDED_LINES
    more = ""
    if len(text) > chars:  # one 5 MB line has no newline to cut at
        more = f"\n… {len(text) - chars:,} more characters ({note})"
        text = text[:chars]
    split = text.split("\n")
    if len(split) > lines:
        more = f"\n… {len(split) - lines:,} more lines ({note})"
        text = "\n".join(split[:lines])
    return text + more


def message_renderable(entry: Entry, full_text: str, cut: bool) -> RenderableType:
    """A message, thinking or other entry whole, for reading: an assistant's reply (and a
    prompt with a fenced block) as Markdown; `cut` at the reading limits, with a note."""
    text = printable(shown_text(entry, full_text)).replace("\t", "    ").rstrip("\n")
    text = _capped(text, READ_CHARS, READ_LINES, "Enter shows all") if cut else _capped(text)
    if entry.kind is Kind.ASSISTANT or (entry.kind is Kind.PROMPT and "```" in text):
        from rich.markdown import Markdown  # imported when first needed: 25 ms at start

        return Markdown(text, code_theme="ansi_dark", hyperlinks=False)
    if entry.kind is Kind.THINKING:
        return Text(text, style="italic")
    return with_dim_chips(Text(text))


def with_dim_chips(text: Text) -> Text:
    """`text` with its harness chips (`⟨IDE: opened …⟩`) dim: context, not what was said."""
    if "⟨" not in text.plain:
        return text
    start = 0
    for line in text.plain.split("\n"):
        if is_chip(line):
            text.stylize("dim italic", start, start + len(line))
        start += len(line) + 1
    return text


def edit_diff(tool: str, fields: dict[str, Any], full_text: str) -> Text | None:
    """What an edit changed, as a coloured diff (Edit, MultiEdit; Write: every line
    added; Codex's apply_patch), or None for any other call."""
    if tool in ("Edit", "MultiEdit") or "old_string" in fields:
        edits = fields.get("edits") if isinstance(fields.get("edits"), list) else [fields]
        out = Text()
        for edit in edits or []:
            if isinstance(edit, dict):
                old, new = str(edit.get("old_string", "")), str(edit.get("new_string", ""))
                out.append_text(diff_text(old, new))
        return out
    if tool == "apply_patch" or full_text.startswith("*** Begin Patch"):
        return patch_text(full_text)
    if tool == "Write" and "content" in fields:
        return diff_text("", str(fields["content"]))
    return None


def _tool_call(entry: Entry, full_text: str) -> RenderableType:
    from rich.syntax import Syntax  # imported when first needed

    fields = tool_input(full_text)
    diff = edit_diff(entry.tool or "", fields, full_text)
    if diff is not None:
        path = fields.get("file_path")
        if not path:
            return diff
        return Text.assemble((printable(str(path)) + "\n", "bold"), diff)
    if "command" in fields:
        command = fields["command"]
        command = " ".join(command) if isinstance(command, list) else str(command)
        rest = {k: v for k, v in fields.items() if k != "command"}
        shown = Syntax(printable(command), "bash", theme="ansi_dark")
        return _stack(shown, _fields(rest)) if rest else shown
    return _fields(fields)


def _fields(fields: dict[str, Any]) -> Text:
    out = Text()
    for key, value in fields.items():
        shown = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, indent=1)
        out.append(f"{key}: ", style="bold")
        out.append(printable(shown) + "\n")
    out.rstrip()
    return out


def diff_text(old: str, new: str) -> Text:
    """A coloured unified diff of an edit."""
    import difflib  # imported when first needed

    out = Text()
    for line in difflib.unified_diff(old.splitlines(), new.splitlines(), lineterm="", n=2):
        if line.startswith(("---", "+++")):
            continue
        style = _line_style(line)
        out.append(printable(line) + "\n", style=style)
    return out


def _line_style(line: str) -> str:
    for prefix, style in (("***", "bold"), ("+", "green"), ("-", "red"), ("@@", "cyan")):
        if line.startswith(prefix):
            return style
    return ""


def patch_text(patch: str) -> Text:
    """A Codex apply_patch, coloured like a diff."""
    out = Text()
    for line in printable(patch).split("\n"):
        style = _line_style(line)
        out.append(line + "\n", style=style)
    return out


class _Stack:
    def __init__(self, parts: Iterable[RenderableType]) -> None:
        self.parts = list(parts)

    def __rich_console__(
        self, console: Console, options: ConsoleOptions
    ) -> Iterable[RenderableType]:
        yield from self.parts


def _stack(*parts: RenderableType) -> RenderableType:
    return _Stack(parts)


def render_lines(renderable: RenderableType, width: int, base: Style) -> list[list[Segment]]:
    """Lines of `renderable` at `width` cells."""
    console = Console(width=max(10, width), color_system="truecolor", legacy_windows=False,
                      force_terminal=True, no_color=False, markup=False, emoji=False)  # fmt: skip
    options = console.options.update(width=max(10, width))
    return console.render_lines(renderable, options, style=base, pad=False)


def warm_up() -> None:
    """Import and run once what drawing a reply needs: Markdown, and code highlighted by
    Pygments (about 100 ms of imports), so that the first session opened after a start
    does not make its key wait for them. Safe in a worker thread."""
    from rich.markdown import Markdown
    from rich.syntax import Syntax

    reply = "# a\n\n- *b*\n\n```python\nx = 1\n```\n"
    render_lines(Markdown(reply, code_theme="ansi_dark", hyperlinks=False), 40, Style())
    render_lines(Syntax("ls -la | wc -l", "bash", theme="ansi_dark"), 40, Style())
