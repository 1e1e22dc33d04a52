"""How an entry looks: a header line, a short preview, or its full content when expanded.

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

from sessions_tui.harness import shown_text
from sessions_tui.model import Entry, Kind
from sessions_tui.text import printable

MAX_EXPANDED_LINES = 3000  # a 5 MB tool output is cut, with a note, so a render stays fast
# ...and by characters: a 5 MB line with no newline took 14 s to wrap, 20 MB over 3 min.
MAX_EXPANDED_CHARS = 200_000


def summary(entry: Entry) -> str:
    """One line saying what an entry is about (a tool call's command or path, say)."""
    if entry.kind is Kind.TOOL_CALL:
        fields = tool_input(entry.text)
        for key in ("command", "cmd", "file_path", "path", "pattern", "url", "query",
                    "description", "prompt"):  # fmt: skip
            value = fields.get(key)
            if isinstance(value, list):
                value = " ".join(str(v) for v in value)
            if value:
                return ("$ " if key in ("command", "cmd") else "") + str(value)
    return entry.text


def tool_input(text: str) -> dict[str, Any]:
    """A tool call's input as fields (from its JSON, or from a cut-off preview)."""
    try:
        value = json.loads(text)
    except ValueError:
        found = re.findall(
            r'"(command|file_path|path|pattern|url|query)"\s*:\s*"((?:[^"\\]|\\.)*)', text
        )
        return {k: v.encode().decode("unicode_escape", "replace") for k, v in found}
    if isinstance(value, dict):
        return value
    return {"input": value}


def preview_lines(entry: Entry, count: int) -> list[str]:
    """The `count` preview lines of a collapsed entry (cut to the width when drawn)."""
    if entry.kind is Kind.TOOL_CALL:
        first = printable(summary(entry)).replace("\t", "    ").split("\n", 1)[0]
        return [first][:count]
    lines = printable(shown_text(entry)).replace("\t", "    ").split("\n")
    return (lines + [""] * count)[:count]


def expanded_renderable(entry: Entry, full_text: str) -> RenderableType:
    """The full content of an entry, rendered for reading."""
    full_text = shown_text(entry, full_text)
    note = ""
    if len(full_text) > MAX_EXPANDED_CHARS:  # one 5 MB line has no newline to cut at
        more = len(full_text) - MAX_EXPANDED_CHARS
        note = f"\n… {more:,} more characters (x exports the whole entry)"
        full_text = full_text[:MAX_EXPANDED_CHARS]
    text = printable(full_text).replace("\t", "    ")
    lines = text.split("\n")
    if len(lines) > MAX_EXPANDED_LINES:
        note = f"\n… {len(lines) - MAX_EXPANDED_LINES} more lines (x exports the whole entry)"
        text = "\n".join(lines[:MAX_EXPANDED_LINES])
    if entry.kind is Kind.TOOL_CALL:
        return _tool_call(entry, full_text)
    if (
        entry.kind in (Kind.PROMPT, Kind.ASSISTANT) and "```" in text
    ) or entry.kind is Kind.ASSISTANT:
        from rich.markdown import Markdown  # imported when first needed: 25 ms at start

        return Markdown(text + note, code_theme="ansi_dark", hyperlinks=False)
    if entry.kind is Kind.THINKING:
        return Text(text + note, style="italic")
    return Text(text + note)


def _tool_call(entry: Entry, full_text: str) -> RenderableType:
    from rich.syntax import Syntax  # imported when first needed

    fields = tool_input(full_text)
    tool = entry.tool or ""
    if tool in ("Edit", "MultiEdit") or "old_string" in fields:
        edits = fields.get("edits") if isinstance(fields.get("edits"), list) else [fields]
        out = Text()
        out.append(printable(str(fields.get("file_path", ""))) + "\n", style="bold")
        for edit in edits or []:
            if isinstance(edit, dict):
                out.append_text(
                    diff_text(str(edit.get("old_string", "")), str(edit.get("new_string", "")))
                )
        return out
    if tool == "apply_patch" or full_text.startswith("*** Begin Patch"):
        return patch_text(full_text)
    if tool == "Write" and "content" in fields:
        # A written file is shown as a diff from nothing: every line added.
        out = Text()
        out.append(printable(str(fields.get("file_path", ""))) + "\n", style="bold")
        out.append_text(diff_text("", str(fields["content"])))
        return out
    if "command" in fields:
        command = fields["command"]
        command = " ".join(command) if isinstance(command, list) else str(command)
        rest = {k: v for k, v in fields.items() if k != "command"}
        return _stack(Syntax(printable(command), "bash", theme="ansi_dark"), _fields(rest))
    return _fields(fields)


def _fields(fields: dict[str, Any]) -> Text:
    out = Text()
    for key, value in fields.items():
        shown = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, indent=1)
        out.append(f"{key}: ", style="bold")
        out.append(printable(shown) + "\n")
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
