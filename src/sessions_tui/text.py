"""Making session text safe to print: it is data, never markup or terminal control."""

from __future__ import annotations

import re

from sessions_tui.sources.repair import clean_text

# C0 controls but tab/newline, DEL, and C1 controls (ESC starts ANSI sequences).
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    return "␛" if code == 0x1B else (chr(0x2400 + code) if code < 0x20 else "\ufffd")


def printable(text: str) -> str:
    """Text with lone surrogates replaced and control characters shown as symbols."""
    return _CONTROL.sub(_visible, clean_text(text))


def one_line(text: str, width: int = 80) -> str:
    """A single printable line of at most `width` characters."""
    flat = " ".join(printable(text).split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"
