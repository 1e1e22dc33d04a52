"""The scan of a set of session files, as one SQL relation (file, source, ord, bad, …).

Large files are read by DuckDB directly. Small ones are first concatenated into one
temporary file: DuckDB spends about a millisecond on every file it opens (measured: 142
subagent files of 1,334 lines took 150 ms; the main 15 MB file 43 ms), and a history has
thousands of small files. `ord` orders the rows of one file; with the file's first row it
gives the line's index in the file (what the repair needs).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, BinaryIO

from sessions_tui.sources.files import open_regular
from sessions_tui.sources.repair import nonblank_lines
from sessions_tui.store import sql
from sessions_tui.store.tempfiles import write_temp

SMALL_FILE = 512 * 1024
_BOM = b"\xef\xbb\xbf"


@dataclass(slots=True)
class Scan:
    """A relation over the files' lines, its parameters, and the temp file to remove."""

    relation: str
    params: dict[str, Any]
    problems: list[str] = field(default_factory=list)
    tmp: str | None = None

    def close(self) -> None:
        if self.tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(self.tmp)
            self.tmp = None


def scan(files: Sequence[tuple[str, str]], columns: dict[str, str]) -> Scan:
    """The scan of `files` [(path, source)]; large ones must be listed in `batch_files`."""
    big: list[str] = []
    small: list[tuple[str, str]] = []
    for path, source in files:
        try:
            size = os.path.getsize(path)
        except OSError:
            size = SMALL_FILE  # let the read report it
        if size < SMALL_FILE:
            small.append((path, source))
        else:
            big.append(path)
    parts: list[str] = []
    result = Scan("", {"columns": columns})
    if big:
        parts.append(sql.load("select_raw"))
        result.params["files"] = big
    if small:
        try:
            if _concatenate(small, result):
                parts.append(sql.load("select_concat"))
        except OSError:
            # No room for the temporary file anywhere: read the small files one by one,
            # slower (a millisecond a file) but with no temporary file at all.
            big += [path for path, _ in small]
            if "files" not in result.params:
                parts.append(sql.load("select_raw"))
            result.params["files"] = big
    if not parts:
        # Only empty or unreadable small files: scan them directly (errors are reported).
        parts.append(sql.load("select_raw"))
        result.params["files"] = [path for path, _ in files]
    result.relation = "(" + "\nUNION ALL\n".join(parts) + ")"
    return result


def scan_lines(
    path: str, source: str, lines: list[bytes], first: int, columns: dict[str, str]
) -> Scan:
    """The scan of lines of `path` already in memory (an appended tail), numbered from `first`."""
    tmp = write_temp(lambda out: out.writelines(raw + b"\n" for raw in lines))
    params = {
        "columns": columns,
        "cpath": tmp,
        "cfiles": [path],
        "csources": [source],
        "cstarts": [1],
        "cfirsts": [first],
        "ccounts": [len(lines)],
    }
    return Scan("(" + sql.load("select_concat") + ")", params, tmp=tmp)


def _concatenate(small: list[tuple[str, str]], result: Scan) -> bool:
    """Write the small files' non-blank lines to one temp file; False if there are none."""
    files: list[str] = []
    sources: list[str] = []
    starts: list[int] = []
    counts: list[int] = []
    problems: list[str] = []

    def fill(out: BinaryIO) -> None:
        for kept in (files, sources, starts, counts, problems):
            kept.clear()  # a second attempt (the first folder was full) starts over
        row = 1  # the scan's ordinals count from 1
        for path, source in small:
            try:
                with open_regular(path) as f:
                    data = f.read()
            except OSError as exc:
                problems.append(f"cannot read {path}: {exc.strerror or exc}")
                continue
            if data.startswith(_BOM):
                data = data[len(_BOM) :]
            lines = nonblank_lines(data)
            if not lines:
                continue
            if len(lines) == data.count(b"\n") + (not data.endswith(b"\n")):  # no blank line
                out.write(data if data.endswith(b"\n") else data + b"\n")
            else:
                out.write(b"\n".join(lines) + b"\n")
            files.append(path)
            sources.append(source)
            starts.append(row)
            counts.append(len(lines))
            row += len(lines)

    tmp = write_temp(fill)
    result.tmp = tmp
    result.problems += problems
    result.params.update(
        {
            "cpath": tmp,
            "cfiles": files,
            "csources": sources,
            "cstarts": starts,
            "cfirsts": [0] * len(files),
            "ccounts": counts,
        }
    )
    return bool(files)
