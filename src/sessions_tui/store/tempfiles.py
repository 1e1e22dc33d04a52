"""Temporary files of the store: where they go when a disk is full, and who removes them.

Lines handed to DuckDB's JSON reader go through a temporary file (small files
concatenated, repaired records, an appended tail). Each is named after the process that
made it, `sessions-tui-<pid>-….jsonl`, so that one left by a process that was killed
(SIGKILL, a power cut) is recognised and removed by the next start (`sweep`). A full
temporary folder is not an error: the next folder is tried, and a partial file never
stays behind.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from sessions_tui.paths import cache_dir

_PREFIX = "sessions-tui-"
_OURS = re.compile(r"sessions-tui-(\d+)-")


def folders() -> list[Path]:
    """Where temporary files may go, in order: the system's temporary folder, then ours
    under the cache folder (often another disk)."""
    return [Path(tempfile.gettempdir()), cache_dir() / "tmp"]


def write_temp(fill: Callable[[BinaryIO], None], suffix: str = ".jsonl") -> str:
    """A new temporary file written by `fill` (called again from the start if a folder is
    full, so it must begin by resetting what it records); its path. Raises the last
    OSError when no folder has room."""
    error: OSError | None = None
    for folder in folders():
        try:
            folder.mkdir(parents=True, exist_ok=True)
            fd, path = tempfile.mkstemp(prefix=f"{_PREFIX}{os.getpid()}-", suffix=suffix,
                                        dir=folder)  # fmt: skip
        except OSError as exc:
            error = exc
            continue
        try:
            with os.fdopen(fd, "wb") as out:
                fill(out)
            return path
        except OSError as exc:
            error = exc
            with contextlib.suppress(OSError):
                os.unlink(path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(path)
            raise
    assert error is not None
    raise error


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: alive
        return True
    return True


def sweep() -> int:
    """Remove temporary files and spill folders left by processes that no longer run;
    how many were removed."""
    removed = 0
    spill = cache_dir() / "spill"
    candidates: list[tuple[Path, int]] = []
    for folder in folders():
        with contextlib.suppress(OSError):
            for entry in os.scandir(folder):
                match = _OURS.match(entry.name)
                if match:
                    candidates.append((Path(entry.path), int(match.group(1))))
    with contextlib.suppress(OSError):
        for entry in os.scandir(spill):  # `<pid>-<n>` folders of in-memory databases
            head = entry.name.split("-", 1)[0]
            if head.isdigit() and entry.is_dir():
                candidates.append((Path(entry.path), int(head)))
    for path, pid in candidates:
        if pid == os.getpid() or _alive(pid):
            continue
        with contextlib.suppress(OSError):
            if path.is_dir():
                for child in path.iterdir():
                    child.unlink()
                path.rmdir()
            else:
                path.unlink()
            removed += 1
    return removed
