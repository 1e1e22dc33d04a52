"""What was read of a session file, so that a refresh reads only what was appended: its
size, mtime and inode, where its complete lines end, and the bytes just before that end
(an append leaves them in place, a rewrite does not)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from sessions_tui.sources.files import open_regular
from sessions_tui.sources.watch import file_state


@dataclass(slots=True)
class FileVersion:
    """What was read of one file: its size and mtime, and where its complete lines end."""

    size: int
    mtime_ns: int
    end: int  # byte offset just after the last complete line
    signature: bytes  # the bytes just before `end`, to tell an append from a rewrite
    inode: int = 0  # a file rewritten by rename (`sed -i`, an editor) is a new inode


_SIGNATURE = 64


def signature_at(f: BinaryIO, end: int) -> bytes:
    """The bytes just before `end`: what an append leaves in place and a rewrite does not."""
    f.seek(max(0, end - _SIGNATURE))
    return f.read(end - max(0, end - _SIGNATURE))


def version_of(path: Path) -> FileVersion:
    """The version of a file as read now (the end of its last complete line)."""
    size, mtime = file_state(str(path))
    try:
        with open_regular(path) as f:
            inode = os.fstat(f.fileno()).st_ino
            pos = size
            while pos > 0:  # read backwards to the last newline
                start = max(0, pos - 65536)
                f.seek(start)
                chunk = f.read(pos - start)
                if (at := chunk.rfind(b"\n")) >= 0:
                    end = start + at + 1
                    return FileVersion(size, mtime, end, signature_at(f, end), inode)
                pos = start
    except OSError:
        return FileVersion(size, mtime, 0, b"")
    return FileVersion(size, mtime, 0, b"", inode)


def appended(path: Path, old: FileVersion) -> tuple[bytes, FileVersion] | None:
    """The complete lines appended since `old`, or None when the file was not just appended."""
    size, mtime = file_state(str(path))
    if size < old.end or size == old.size:  # shorter, or changed in place: rewritten
        return None
    try:
        with open_regular(path) as f:
            if os.fstat(f.fileno()).st_ino != old.inode:  # replaced by rename
                return None
            f.seek(old.end - len(old.signature))
            if f.read(len(old.signature)) != old.signature:
                return None
            data = f.read(size - old.end)
    except OSError:
        return None
    complete = data.rfind(b"\n") + 1  # a half-written last line waits for the next refresh
    new_end = old.end + complete
    signature = (old.signature + data[:complete])[-_SIGNATURE:]
    return data[:complete], FileVersion(size, mtime, new_end, signature, old.inode)
