"""Exporting a session to Markdown, one self-contained HTML file, or JSON.

Session text is data: in Markdown it goes into fenced blocks whose fence is longer than
any run of backticks in it, and inline bits (title, tool names) are escaped; in HTML
everything is escaped. Output depends only on the session (no export time), so the same
session and filter always give the same bytes.
"""

from __future__ import annotations

import errno
import html
import os
import re
import secrets
import stat
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sessions_tui.harness import shown_text
from sessions_tui.model import Entry, Kind, Session
from sessions_tui.paths import expand
from sessions_tui.sources.discovery import Root
from sessions_tui.text import json_text, printable

FORMATS = ("md", "html", "json")

_LABEL = {
    Kind.PROMPT: "Prompt",
    Kind.ASSISTANT: "Assistant",
    Kind.THINKING: "Thinking",
    Kind.TOOL_CALL: "Tool call",
    Kind.TOOL_RESULT: "Tool result",
    Kind.ERROR: "Error",
    Kind.SYSTEM: "System",
    Kind.OTHER: "Other",
}


@dataclass(frozen=True, slots=True)
class ExportInfo:
    """What the export says about itself: which filter it used, if any."""

    filter_text: str | None = None  # e.g. "kinds prompt,error · tool Bash"


def session_facts(s: Session) -> dict[str, Any]:
    """The session's facts as exported (and as `ls --json` prints them)."""
    return {
        "id": s.id,
        "source": s.source.value,
        "role": s.role.value,
        "project": s.project,
        "path": str(s.path),
        "title": s.title,
        "started": s.started,
        "ended": s.ended,
        "records": s.records,
        "malformed_lines": s.malformed_lines,
        "subagent_malformed_lines": s.subagent_malformed_lines,
        "entries": s.entries,
        "tool_calls": s.tool_calls,
        "errors": s.errors,
        "subagents": s.subagents,
        "models": list(s.models),
        "tokens": s.tokens.as_dict(),
        "subagent_tokens": s.subagent_tokens.as_dict(),
        "git_branch": s.git_branch,
        "parent_id": s.parent_id,
        "size": s.size,
        "kinds": s.kind_counts,
        "incomplete_tail": s.incomplete_tail,
        "bad_numbers": s.bad_numbers,
        "replayed_records": s.replayed_records,
    }


def export(
    fmt: str, session: Session, entries: Iterable[Entry], info: ExportInfo = ExportInfo()
) -> str:
    """The whole export as text, in format `fmt` (one of FORMATS)."""
    if fmt == "md":
        return to_markdown(session, entries, info)
    if fmt == "html":
        return to_html(session, entries, info)
    if fmt == "json":
        return to_json(session, entries, info)
    raise ValueError(f"unknown export format {fmt!r}; formats are: {', '.join(FORMATS)}")


def format_of(path: str) -> str | None:
    """The format a file name asks for (`.md`, `.markdown`, `.html`, `.htm`, `.json`)."""
    suffix = path.rsplit(".", 1)[-1].lower() if "." in path else ""
    return {"md": "md", "markdown": "md", "html": "html", "htm": "html", "json": "json"}.get(suffix)


class ExportRefused(ValueError):
    """The target is inside a session folder, which the app never writes to."""


def protected_folders(roots: list[Root]) -> list[Path]:
    """The roots, and the Claude or Codex home holding a root (`~/.claude` for its projects)."""
    out = []
    for root in roots:
        path = root.path.resolve()
        out.append(path)
        if root.source is not None and path.name in ("projects", "sessions", "archived_sessions"):
            out.append(path.parent)
    return out


def check_target(target: Path, roots: list[Root]) -> None:
    """Refuse to write into a session folder: the app never writes to what it reads."""
    resolved = Path(os.path.realpath(expand(str(target))))
    for base in protected_folders(roots):
        if resolved == base or base in resolved.parents:
            raise ExportRefused(f"will not write into a session folder ({base}); pick another")


def write_atomically(target: Path, text: str) -> None:
    """Write `text` to what `target` names, as a person expects of `-o FILE`.

    A regular file (or a new one) is written through a temporary file in the same folder
    and renamed into place, so a reader never sees half of it; a symlink is followed and
    the file it points to is replaced, the link kept. Anything else that exists (a device
    such as `/dev/null` or `/dev/stdout`, a FIFO, a socket) is written through, never
    replaced by a regular file. A folder is refused (`IsADirectoryError`).
    """
    target = expand(str(target))
    real = Path(os.path.realpath(target))
    try:
        st = real.stat()
    except FileNotFoundError:
        st = None
    if st is not None and stat.S_ISDIR(st.st_mode):
        raise IsADirectoryError(errno.EISDIR, "it is a folder", str(target))
    if st is not None and not stat.S_ISREG(st.st_mode):
        _write_through(real, text)
        return
    # Opened by name (not mkstemp) so the file gets the usual permissions under the umask.
    temp = real.with_name(f".{real.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    try:
        with temp.open("x", encoding="utf-8", newline="\n") as f:
            f.write(text)
        os.replace(temp, real)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def _write_through(path: Path, text: str) -> None:
    """Write into an existing device, FIFO or socket. A FIFO nobody reads is refused at
    once (`O_NONBLOCK` makes that open fail with ENXIO) instead of waiting forever."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_NONBLOCK | os.O_NOCTTY)
    except OSError as exc:
        if exc.errno == errno.ENXIO:
            raise OSError(errno.ENXIO, "nothing reads from it", str(path)) from None
        raise
    os.set_blocking(fd, True)
    with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


# -- Markdown ----------------------------------------------------------------------------
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|~])")  # < > & become entities


def md_inline(text: str) -> str:
    """One line of session text made inert in Markdown: no markup, no HTML, no newline."""
    flat = " ".join(printable(text).split())
    flat = _MD_SPECIAL.sub(r"\\\1", flat)
    return flat.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def md_fence(text: str) -> str:
    """A fenced block holding `text` verbatim: the fence outruns any backticks inside."""
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}text\n{text}\n{fence}"


def _when(entry: Entry) -> str:
    return (entry.timestamp or "")[:19].replace("T", " ")


def to_markdown(session: Session, entries: Iterable[Entry], info: ExportInfo) -> str:
    title = md_inline(session.title or session.id)
    out = [f"# {title}", ""]
    out += [f"- **Session:** {md_inline(session.id)} ({session.source.value})"]
    if session.project:
        out.append(f"- **Project:** {md_inline(session.project)}")
    if session.git_branch:
        out.append(f"- **Branch:** {md_inline(session.git_branch)}")
    out.append(
        f"- **Time:** {md_inline(session.started or '?')} → {md_inline(session.ended or '?')}"
    )
    if session.models:
        out.append(f"- **Models:** {', '.join(md_inline(m) for m in session.models)}")
    t = session.tokens
    out.append(
        f"- **Tokens:** {t.input} in, {t.output} out, {t.cache_read} cache read, "
        f"{t.cache_creation} cache write"
    )
    if info.filter_text:
        out.append(f"- **Filter:** {md_inline(info.filter_text)}")
    out.append("")
    for e in entries:
        head = f"## {_LABEL[e.kind]}"
        if e.tool:
            head += f" · {md_inline(e.tool)}"
        if e.sidechain:
            head += " · subagent"
        out += [
            head,
            "",
            f"*#{e.seq} · {_when(e) or 'no time'}*",
            "",
            md_fence(printable(shown_text(e))),
        ]
        out.append("")
    return "\n".join(out)


# -- HTML -----------------------------------------------------------------------------------
_CSS = """
body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;
color:#1d1f21;background:#fff}
h1{font-size:1.4rem}dl{display:grid;grid-template-columns:max-content auto;gap:.2rem 1rem}
dt{font-weight:600}section{border-left:4px solid #ccc;margin:1rem 0;padding:.2rem .8rem}
section header{font-size:.85rem;color:#555}section header b{color:#1d1f21}
pre{white-space:pre-wrap;word-break:break-word;margin:.4rem 0;font:13px/1.4 ui-monospace,monospace}
.prompt{border-color:#0a7ea4}.assistant{border-color:#2e7d32}.thinking{border-color:#8e24aa}
.tool_call{border-color:#ef6c00}.tool_result{border-color:#1565c0}.error{border-color:#c62828}
.system,.other{border-color:#999}.sidechain{margin-left:2rem}
@media (prefers-color-scheme:dark){body{background:#1d1f21;color:#ddd}
section header,section header b{color:#bbb}}
"""


def _h(text: str | None) -> str:
    return html.escape(printable(text or ""), quote=True)


def to_html(session: Session, entries: Iterable[Entry], info: ExportInfo) -> str:
    title = _h(session.title or session.id)
    t = session.tokens
    facts = [
        ("Session", f"<code>{_h(session.id)}</code> ({_h(session.source.value)})"),
        ("Project", _h(session.project or "?")),
        ("Branch", _h(session.git_branch or "")),
        ("Time", f"{_h(session.started or '?')} → {_h(session.ended or '?')}"),
        ("Models", _h(", ".join(session.models))),
        (
            "Tokens",
            f"{t.input} in, {t.output} out, {t.cache_read} cache read, "
            f"{t.cache_creation} cache write",
        ),
    ]
    if info.filter_text:
        facts.append(("Filter", _h(info.filter_text)))
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        # No scripts and no remote content: the file shows the same anywhere, offline.
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'\">",
        f"<title>{title}</title><style>{_CSS}</style></head><body>",
        f"<h1>{title}</h1>",
        "<dl>" + "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in facts if v) + "</dl>",
    ]
    for e in entries:
        classes = e.kind.value + (" sidechain" if e.sidechain else "")
        head = f"<b>{_LABEL[e.kind]}</b>"
        if e.tool:
            head += f" · {_h(e.tool)}"
        if e.sidechain:
            head += " · subagent"
        head += f" · #{e.seq} · {_h(_when(e))}"
        out.append(
            f'<section class="{classes}" id="e{e.seq}"><header>{head}</header>'
            f"<pre>{_h(shown_text(e))}</pre></section>"
        )
    out.append("</body></html>\n")
    return "\n".join(out)


# -- JSON -------------------------------------------------------------------------------------
def to_json(session: Session, entries: Iterable[Entry], info: ExportInfo) -> str:
    items = [
        {
            "seq": e.seq,
            "kind": e.kind.value,
            "timestamp": e.timestamp,
            "tool": e.tool,
            "sidechain": e.sidechain,
            "uuid": e.uuid,
            "tool_use_id": e.tool_use_id,
            "text": e.text,
        }
        for e in entries
    ]
    doc = {"session": session_facts(session), "filter": info.filter_text, "entries": items}
    return json_text(doc, indent=1) + "\n"
