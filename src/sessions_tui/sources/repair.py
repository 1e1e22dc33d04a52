"""Recovering what can be read from lines the fast JSON scan could not parse.

DuckDB's `read_json(ignore_errors=true)` yields an all-NULL row for each line it could not
read. Those lines get a second, careful look here: a UTF-8 BOM is dropped, invalid UTF-8 is
replaced, records glued on one line (`}{`) are split, lone surrogate escapes (`\\ud83c`)
are made printable. What still cannot be read is a malformed line. Lines are split on
`\\n` only (U+2028 and friends are legal inside JSON strings) and whitespace-only lines
are skipped, the same way DuckDB numbers them. The last line, when no newline ends it, is
read only if it is whole: a writer may be in its middle.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sessions_tui.sources.files import open_regular
from sessions_tui.text import clean_text

BLANK = b" \t\r\n\x0b\x0c"


# A line longer than this is never held in memory: it is counted malformed, with a note.
# (Python's parse of a line takes ~3x its size; DuckDB failed with OutOfMemory on 110 MB.)
MAX_LINE = 128 * 2**20
# A string longer than this in a recovered record is cut, and says so: a 100 MB tool
# output cannot be read on a screen anyway, and this keeps every record under the fast
# scan's 16 MiB object size.
MAX_TEXT = 8 * 2**20


class TooLong(bytes):
    """Stands for a line over MAX_LINE, which was skipped unread; knows its size."""

    size: int


class Unterminated(bytes):
    """The file's last line, with no newline after it: a writer may be in the middle of it."""


def _too_long(size: int) -> TooLong:
    mark = TooLong(b"")
    mark.size = size
    return mark


@dataclass(slots=True)
class Recovered:
    """Records read back from damaged lines: (line index, sub index, clean JSON text)."""

    records: list[tuple[int, int, str]] = field(default_factory=list)
    malformed_lines: int = 0
    bad_lines: list[int] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what the user should be told


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
        if len(value) > MAX_TEXT:
            value = value[:MAX_TEXT] + (
                f"\n… [cut by sessions-tui: this text is {len(value) / 1e6:.1f} MB on one "
                f"line of the file; the first {MAX_TEXT // 2**20} MiB are shown]"
            )
        return clean_text(value)
    if isinstance(value, list):
        return [_clean(v) for v in value]
    if isinstance(value, dict):
        return {clean_text(k): _clean(v) for k, v in value.items()}
    return value


def iter_lines(path: Path) -> Iterator[tuple[int, bytes]]:
    """Yield (index, line) for each non-blank line; the index counts non-blank lines only.

    Lines are split on `\\n` alone and read in bounded pieces, so a 2 GB file is never held
    whole; a line over MAX_LINE is skipped unread and stands as a `TooLong`.
    """
    index = 0
    with open_regular(path) as f:
        n = 0
        while raw := f.readline(MAX_LINE + 1):
            if len(raw) > MAX_LINE and not raw.endswith(b"\n"):
                size = len(raw)
                while (more := f.readline(2**20)) and not more.endswith(b"\n"):
                    size += len(more)
                yield index, _too_long(size + len(more))
                index += 1
                n += 1
                continue
            # A byte-order mark opening the file is an encoding mark, not content: the scan
            # skips that line when nothing else is on it, so the numbering must too.
            if (raw.removeprefix(b"\xef\xbb\xbf") if n == 0 else raw).strip(BLANK):
                yield index, raw if raw.endswith(b"\n") else Unterminated(raw)
                index += 1
            n += 1


def nonblank_lines(data: bytes) -> list[bytes]:
    """The lines of `data` (split on `\n`) that are not blank, as DuckDB's scan numbers
    them (isspace, unlike strip, copies nothing; its spaces are BLANK)."""
    return [raw for raw in data.split(b"\n") if raw and not raw.isspace()]


def head_lines(path: Path | str, size: int) -> list[bytes]:
    """The non-blank whole lines that begin within the first `size` bytes of a file (the
    first line whole, however long, up to MAX_LINE)."""
    with open_regular(path) as f:
        data = f.read(size)
        while b"\n" not in data and len(data) < MAX_LINE:
            more = f.read(max(size, 2**20))
            if not more:
                break
            data += more
    data = data.removeprefix(b"\xef\xbb\xbf")
    return nonblank_lines(data[: data.rfind(b"\n") + 1])


def pick_lines(path: Path, wanted: set[int]) -> tuple[int, list[tuple[int, bytes]]]:
    """How many lines `iter_lines` numbers in the file, and those of them in `wanted`, as
    it yields them. A file no longer than one line may be is split in one go, not read
    line by line."""
    picked: list[tuple[int, bytes]] = []
    with open_regular(path) as f:
        data = f.read(MAX_LINE + 1)
    if len(data) > MAX_LINE:
        del data
        count = 0
        for i, raw in iter_lines(path):
            count += 1
            if i in wanted:
                picked.append((i, raw))
        return count, picked
    pieces = data.split(b"\n")
    unended = pieces[-1] != b""  # the last line has no newline after it
    if not unended:
        pieces.pop()
    kept = [k for k, raw in enumerate(pieces) if raw and not raw.isspace()]  # nonblank_lines
    if kept and kept[0] == 0 and not pieces[0].removeprefix(b"\xef\xbb\xbf").strip(BLANK):
        kept.pop(0)  # a first line of a byte-order mark alone is no line
    for i in sorted(wanted):
        if i < len(kept):
            k = kept[i]
            ends = not unended or k < len(pieces) - 1
            picked.append((i, pieces[k] + b"\n" if ends else Unterminated(pieces[k])))
    return len(kept), picked


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
        except RecursionError:
            # Nested deeper than Python's stack allows (~1,000 levels): no session record
            # is, so the rest of the line is unreadable rather than a crash.
            break
        except json.JSONDecodeError:
            # A torn stub with the next record glued after it: retry at the next `{"`.
            pos = text.find('{"', start + 1)
            if pos < 0:
                break
            continue
        if is_record(value):
            found.append(value)
        pos = end
    return found


def parse_whole(raw: bytes) -> list[dict[str, object]]:
    """The records of a line only if it is whole: JSON objects from its start to its end
    (glued ones too). A line still being written is not, even where an object nested in
    it (a content block, with its `type`) reads as a record; it counts once it ends."""
    text = raw.decode("utf-8", errors="replace").lstrip("\ufeff").strip()
    found: list[dict[str, object]] = []
    pos = 0
    try:
        while pos < len(text):
            value, pos = _DECODER.raw_decode(text, pos)
            if not isinstance(value, dict):
                return []
            if is_record(value):
                found.append(value)
            while pos < len(text) and text[pos].isspace():
                pos += 1
    except (ValueError, RecursionError):
        return []
    return found


def is_record(value: object) -> bool:
    """Whether a recovered object is a record of either format (a Claude record has `type`,
    or `uuid` and `sessionId`; a Codex one `type` and `payload`). After a decode error the
    search resumes at the next `{"`, which may be inside the broken record: the objects
    nested there (`{code, path, errno}`, `{role, content}`) are not records."""
    return isinstance(value, dict) and (
        value.get("type") is not None
        or (value.get("uuid") is not None and value.get("sessionId") is not None)
    )


def recover(path: Path, lines: set[int] | None = None) -> Recovered:
    """Re-read the given line indexes of a file (all lines when `lines` is None)."""
    return recover_lines(
        (index, raw) for index, raw in iter_lines(path) if lines is None or index in lines
    )


def recover_lines(lines: Iterable[tuple[int, bytes]]) -> Recovered:
    """Read what can be read from (index, raw line) pairs."""
    result = Recovered()
    for index, raw in lines:
        if isinstance(raw, TooLong):
            result.malformed_lines += 1
            result.bad_lines.append(index)
            result.notes.append(
                f"line {index + 1} is {raw.size / 1e6:.0f} MB long, more than the "
                f"{MAX_LINE // 2**20} MiB a record may have: skipped"
            )
            continue
        if not raw.replace(b"\xef\xbb\xbf", b"").strip(BLANK):
            continue  # byte-order marks alone: blank, not malformed (found by fuzzing)
        objects = parse_whole(raw) if isinstance(raw, Unterminated) else parse_line(raw)
        if not objects:
            result.malformed_lines += 1
            result.bad_lines.append(index)
        for sub, obj in enumerate(objects):
            try:
                text = json.dumps(_clean(obj), ensure_ascii=False, separators=(",", ":"))
            except RecursionError:  # readable, but too deep to write back: as unreadable
                result.malformed_lines += sub == 0
                continue
            result.records.append((index, sub, text))
    return result
