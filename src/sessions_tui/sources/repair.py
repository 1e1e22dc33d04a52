"""Recovering what can be read from lines the fast JSON scan could not parse.

DuckDB's `read_json(ignore_errors=true)` yields an all-NULL row for each line it could not
read. Those lines get a second, careful look here: a UTF-8 BOM is dropped, invalid UTF-8 is
replaced, records glued on one line (`}{`) are split, lone surrogate escapes (`\\ud83c`)
are made printable. What still cannot be read is a malformed line. Lines are split on
`\\n` only (U+2028 and friends are legal inside JSON strings) and whitespace-only lines
are skipped, the same way DuckDB numbers them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sessions_tui.text import clean_text

BLANK = b" \t\r\n\x0b\x0c"


@dataclass(slots=True)
class Recovered:
    """Records read back from damaged lines: (line index, sub index, clean JSON text)."""

    records: list[tuple[int, int, str]] = field(default_factory=list)
    malformed_lines: int = 0
    bad_lines: list[int] = field(default_factory=list)


def _first_wins(pairs: list[tuple[str, object]]) -> dict[str, object]:
    """A key given twice keeps its first value. Only damaged (spliced) lines repeat keys;
    DuckDB's scan keeps the first value when it reads such a line, so the repair must too,
    or the same line would mean two things depending on which path read it."""
    out: dict[str, object] = {}
    for key, value in pairs:
        out.setdefault(key, value)
    return out


_DECODER = json.JSONDecoder(object_pairs_hook=_first_wins)


def _clean(value: object) -> object:
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, list):
        return [_clean(v) for v in value]
    if isinstance(value, dict):
        return {clean_text(k): _clean(v) for k, v in value.items()}
    return value


def iter_lines(path: Path) -> Iterator[tuple[int, bytes]]:
    """Yield (index, line) for each non-blank line; the index counts non-blank lines only.

    Binary iteration splits on `\\n` alone and streams, so a 2 GB file is never held whole.
    """
    index = 0
    with path.open("rb") as f:
        for n, raw in enumerate(f):
            # A byte-order mark opening the file is an encoding mark, not content: the scan
            # skips that line when nothing else is on it, so the numbering must too.
            if (raw.removeprefix(b"\xef\xbb\xbf") if n == 0 else raw).strip(BLANK):
                yield index, raw
                index += 1


def parse_line(raw: bytes) -> list[dict[str, object]]:
    """Every JSON object that can be read from one line (none if it is garbage)."""
    text = raw.decode("utf-8", errors="replace").lstrip("\ufeff").strip()
    found: list[dict[str, object]] = []
    pos = 0
    while pos < len(text):
        start = text.find("{", pos)
        if start < 0:
            break
        try:
            value, end = _DECODER.raw_decode(text, start)
        except json.JSONDecodeError:
            # A torn stub with the next record glued after it: retry at the next `{"`.
            pos = text.find('{"', start + 1)
            if pos < 0:
                break
            continue
        if isinstance(value, dict):
            found.append(value)
        pos = end
    return found


def recover(path: Path, lines: set[int] | None = None) -> Recovered:
    """Re-read the given line indexes of a file (all lines when `lines` is None)."""
    return recover_lines(
        (index, raw) for index, raw in iter_lines(path) if lines is None or index in lines
    )


def recover_lines(lines: Iterable[tuple[int, bytes]]) -> Recovered:
    """Read what can be read from (index, raw line) pairs."""
    result = Recovered()
    for index, raw in lines:
        if not raw.replace(b"\xef\xbb\xbf", b"").strip(BLANK):
            continue  # byte-order marks alone: blank, not malformed (found by fuzzing)
        objects = parse_line(raw)
        if not objects:
            result.malformed_lines += 1
            result.bad_lines.append(index)
        for sub, obj in enumerate(objects):
            text = json.dumps(_clean(obj), ensure_ascii=False, separators=(",", ":"))
            result.records.append((index, sub, text))
    return result
