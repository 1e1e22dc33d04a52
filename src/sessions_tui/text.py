"""Making session text safe to print: it is data, never markup or terminal control.

`printable()` is the one function every string read from a session file, or made from a
file or folder name, goes through on its way to a terminal (CLI renderers and widgets
alike); `json_text()` is its counterpart for JSON, which keeps such text as data but
escapes what a terminal would act on.
"""

from __future__ import annotations

import json
import re
from typing import Any

_SURROGATE = re.compile("[\ud800-\udfff]")

# C0 controls but tab/newline, DEL, and C1 controls (ESC starts ANSI sequences; C1 bytes
# such as U+009B are 8-bit CSI to some terminals).
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")

# Characters that change how text is drawn while being invisible themselves: bidi
# embeddings, overrides, isolates and marks (they can show `exe.txt` as `txt.exe`, or
# code in another order than it runs), zero-width spaces, word joiners, invisible
# operators, the BOM, interlinear annotations, and the tag characters (which can carry a
# whole hidden sentence). They are shown as a visible mark naming their code point.
_INVISIBLE = re.compile(
    "[\u061c\u180e\u200b\u200e\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f"
    "\ufeff\ufff9-\ufffb\U000e0000-\U000e007f]"
)
# Zero-width (non-)joiners shape emoji sequences and several scripts; they cannot reorder
# or hide text by themselves, so they are dropped rather than marked.
_JOINERS = re.compile("[\u200c\u200d]")

_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2064"
    "\u2066-\u206f\ufeff\ufff9-\ufffb\U000e0000-\U000e007f\ud800-\udfff]"
)


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    return "␛" if code == 0x1B else (chr(0x2400 + code) if code < 0x20 else "\ufffd")


def _mark(match: re.Match[str]) -> str:
    return f"‹U+{ord(match.group()):04X}›"


def clean_text(value: str) -> str:
    """Replace lone UTF-16 surrogates (from a cut emoji) so the text can be printed."""
    return _SURROGATE.sub("\ufffd", value) if _SURROGATE.search(value) else value


def printable(text: str) -> str:
    """Text safe for a terminal and inert as markup once wrapped in a Rich `Text`: lone
    surrogates replaced, control characters shown as symbols (ESC as ␛), bidi and
    invisible format characters shown as ‹U+XXXX›, joiners dropped. Tabs and newlines
    stay."""
    if not _UNSAFE.search(text):
        return text  # the common case: one scan, no copy
    text = _CONTROL.sub(_visible, clean_text(text))
    return _JOINERS.sub("", _INVISIBLE.sub(_mark, text))


def one_line(text: str, width: int = 80) -> str:
    """A single printable line of at most `width` characters."""
    flat = " ".join(printable(text).split())
    return flat if len(flat) <= width else flat[: max(0, width - 1)] + "…"


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code > 0xFFFF:  # JSON spells an astral character as its UTF-16 surrogate pair
        code -= 0x10000
        return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"
    return f"\\u{code:04x}"


def safe_json(text: str) -> str:
    """JSON text made elsewhere (by DuckDB) with what a terminal would act on escaped: such
    characters can only be inside its strings, where a \\u escape means the same."""
    return _UNSAFE.sub(_escape, text)


def json_text(value: Any, indent: int | None = None) -> str:
    """`value` as JSON text keeping session text as data: every character a terminal would
    act on (C0 and C1 controls, DEL, bidi and invisible format characters) is a \\u escape,
    so printing the JSON is safe and parsing it gives the original text back."""
    return safe_json(json.dumps(value, ensure_ascii=False, indent=indent, default=str))


_NOT_NAME = re.compile(r"[^A-Za-z0-9._-]+")


def file_stem(text: str) -> str:
    """Text made safe as part of a file name we suggest: letters, digits, `.`, `_`, `-`
    (a session id comes from a file name, and may hold anything but `/`)."""
    return _NOT_NAME.sub("_", text).lstrip(".-") or "session"
