"""How numbers, money, projects, times and search snippets are written: one place for
each, shared by the CLI and the browser."""

from __future__ import annotations

import os
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from rich.text import Text

from sessions_tui.model import Kind
from sessions_tui.store.list_query import seconds_between

# What each kind is called on screen (the filter bar, entry headers, the help).
KIND_LABEL: dict[Kind, str] = {
    Kind.PROMPT: "you",
    Kind.ASSISTANT: "assistant",
    Kind.THINKING: "thinking",
    Kind.TOOL_CALL: "call",
    Kind.TOOL_RESULT: "result",
    Kind.ERROR: "error",
    Kind.SYSTEM: "system",
    Kind.OTHER: "other",
}


def human(n: float) -> str:
    """12.3k, 4.5M, 1.2G: a count in four characters or so."""
    for unit, size in (("G", 1e9), ("M", 1e6), ("k", 1e3)):
        if abs(n) >= size:
            return f"{n / size:.1f}{unit}"
    return str(int(n))


def cache_writes(tokens: dict[str, Any]) -> str:
    """Cache writes, with the part kept an hour (priced higher) when there is one:
    `1.2M (1h 300k)`."""
    total, one_hour = int(tokens.get("cache_creation", 0)), int(tokens.get("cache_creation_1h", 0))
    return f"{human(total)} (1h {human(one_hour)})" if one_hour else human(total)


def money(value: float | None) -> str:
    """An estimated cost, or "no price" (never $0 for a model the table does not know)."""
    return "no price" if value is None else f"${value:,.2f}"


def short_project(path: str | None) -> str:
    """A project as its folder's name (`/home/me/api` → `api`)."""
    if not path:
        return "?"
    return path.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1] or path


def now() -> datetime:
    # Screenshots and snapshot tests fix the clock, so that "3d ago" stays "3d ago".
    fixed = os.environ.get("SESSIONS_TUI_NOW")
    if fixed:
        return datetime.fromisoformat(fixed.replace("Z", "+00:00"))
    return datetime.now(UTC)


DATE_STYLES = ("auto", "relative", "absolute")  # the `d` key's cycle; or a strftime pattern
RECENT_DAYS = 7  # "auto": relative this recently, a date before


def when_text(iso: str | None, date_format: str = "auto") -> str:
    """A session's time as the user asked, in local time: "auto" says "3d ago" for the
    last week and a date before (`Sep 14`, `2025-09-14` in another year); "relative"
    always "3d ago"; "absolute" `2025-09-14 10:03`; else a strftime pattern."""
    if date_format == "relative" or not iso:
        return relative_time(iso)
    try:
        when = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except ValueError:
        return iso[:16]
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    local = when.astimezone()
    if date_format == "auto":
        at = now()
        if abs((at - when).total_seconds()) < RECENT_DAYS * 86_400:
            return relative_time(iso, at)
        if local.year == at.astimezone().year:
            return f"{local:%b} {local.day}"
        return f"{local:%Y-%m-%d}"
    if date_format == "absolute":
        return f"{local:%Y-%m-%d %H:%M}"
    try:
        return local.strftime(date_format)
    except ValueError:
        return iso[:16]


def duration_text(started: str | None, ended: str | None) -> str:
    """How long a session ran: `45s`, `12m`, `1h30m`, `2d4h`; "" when unknown."""
    seconds = seconds_between(started, ended)
    if seconds is None or seconds < 0:
        return ""
    if seconds < 60:
        return f"{seconds}s"
    minutes = seconds // 60
    if minutes < 60:
        return f"{minutes}m"
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return f"{hours}h{minutes:02d}m" if minutes else f"{hours}h"
    days, hours = divmod(hours, 24)
    return f"{days}d{hours}h" if hours else f"{days}d"


def relative_time(iso: str | None, at: datetime | None = None) -> str:
    if not iso:
        return ""
    try:
        when = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except ValueError:
        return iso[:16]
    seconds = ((at or now()) - when).total_seconds()
    for unit, size in (
        ("y", 31_536_000),
        ("mo", 2_592_000),
        ("d", 86_400),
        ("h", 3_600),
        ("m", 60),
    ):
        if seconds >= size:
            return f"{int(seconds // size)}{unit} ago"
    return "just now"


def marked(snippet: str, spans: Sequence[tuple[int, int]], indent: str = "  ", **kw: Any) -> Text:
    """A search hit's snippet with its matches marked, as data (never markup)."""
    text = Text(indent + snippet, **kw)
    for start, end in spans:
        text.stylize("bold reverse", start + len(indent), end + len(indent))
    return text
