"""Noticing that session files changed without walking every root each time.

A full walk of 2,441 files costs about 44 ms; doing that every few seconds would keep a
core busy for nothing. A `Watch` remembers the mtime of every folder on the way to a
session file (a new file changes its folder's mtime, a new folder its parent's) and the
size and mtime of recently active files (where appends happen). Checking those is a few
stat calls; a full walk every minute catches the rest (an old session resumed).
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable
from pathlib import Path

from sessions_tui.model import SessionFile

RECENT_SECONDS = 24 * 3600


def file_state(path: str) -> tuple[int, int]:
    """(size, mtime) of a file or folder; (-1, -1) when it cannot be read (gone, say)."""
    try:
        st = os.stat(path)
    except OSError:
        return (-1, -1)
    return (st.st_size, st.st_mtime_ns)


class Watch:
    """The folders and the active files of one discovery, and their state then."""

    def __init__(
        self,
        files: Iterable[SessionFile],
        roots: Iterable[Path],
        extra: Iterable[Path] = (),
        now: float | None = None,
    ) -> None:
        cutoff = int(((now or time.time()) - RECENT_SECONDS) * 1e9)
        folders: set[str] = {str(r) for r in roots}
        active: set[str] = {str(p) for p in extra}
        for f in files:
            for parent in f.path.parents:
                key = str(parent)
                if key in folders:
                    break
                folders.add(key)
            if f.mtime_ns >= cutoff:
                active.add(str(f.path))
        self.paths = sorted(folders | active)
        self.state = [file_state(p) for p in self.paths]

    def changed(self) -> bool:
        """Whether any watched folder or active file looks different now."""
        return any(file_state(p) != s for p, s in zip(self.paths, self.state, strict=True))
