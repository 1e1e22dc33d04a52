"""The last session list shown, kept as JSON beside the cache, to paint a warm start at once.

A warm start shows this list before DuckDB is even imported (that import alone is
60 ms); the catalog then loads in a worker and replaces it. It holds only what a list
row shows (the full snapshot was 1.4 MB and 25 ms to load for 1,100 sessions). Like the
cache it is disposable: a missing, old or unreadable snapshot is ignored.
"""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path
from typing import Any

from sessions_tui.model import Role, Session, Source, Tokens
from sessions_tui.store.schema import SCHEMA_VERSION

_ZERO = Tokens()


def snapshot_file(folder: Path) -> Path:
    return folder / f"list-s{SCHEMA_VERSION}.json"


# The columns of a snapshot row, from the catalog's `sessions` view.
COLUMNS = (
    "id, source, role, path, project, title, started, ended, entries, errors, "
    "t_input + t_output + t_cache_read + t_cache_creation + sub_input + sub_output "
    "+ sub_cache_read + sub_cache_creation, size, mtime_ns"
)  # then the estimated cost (the catalog adds it)


def save_rows(folder: Path, rows: list[Any]) -> None:
    """Write rows of COLUMNS (as the catalog selects them: no Session built for each,
    which at 100,000 sessions cost 3 s and 200 MB) atomically; a failure is no error."""
    import tempfile  # only the catalog saves; the app only loads

    tmp = None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".list-", suffix=".json")
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump({"version": SCHEMA_VERSION, "rows": rows}, out, ensure_ascii=False)
        os.replace(tmp, snapshot_file(folder))
    except OSError:  # a full disk, say: no partial file stays
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def load(folder: Path) -> list[Session] | None:
    """Sessions with what a list row shows (other counts are zero until the catalog loads)."""
    try:
        data = json.loads(snapshot_file(folder).read_text("utf-8"))
        if data.get("version") != SCHEMA_VERSION:
            return None
        return [_session(row) for row in data["rows"]]
    except (OSError, ValueError, KeyError, TypeError, IndexError):
        return None


_SOURCES = {s.value: s for s in Source}
_ROLES = {r.value: r for r in Role}


def _session(row: list[Any]) -> Session:
    # Positional, and enums by dict: 4.3 ms for 1,100 rows instead of 5.9 (a warm start
    # waits for this before its first frame).
    sid, source, role, path, project, title, started, ended, entries, errors, tokens = row[:11]
    size, mtime, cost = row[11:]
    return Session(
        str(sid), _SOURCES[source], _ROLES[role], Path(path), project, None, title, started,
        ended, int(size), int(mtime), 0, 0, int(entries), 0, int(errors), 0, (),
        Tokens(int(tokens)), _ZERO, cost=None if cost is None else float(cost),
    )  # fmt: skip
