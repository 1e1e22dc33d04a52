"""A per-session view: the session's entries parsed once into a table, served in windows.

The table lives in the attached in-memory database `views`, so every cursor (one per
worker thread) can read it; it is dropped when the view is closed. Paging is keyset on
`seq` and filters are pushed into SQL, as design.md measured.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import duckdb

from sessions_tui.model import ALL_KINDS, Entry, Kind, Session
from sessions_tui.sources.repair import clean_text
from sessions_tui.store import sql
from sessions_tui.store.loader import LoadReport, insert_columns, load_raw

_COUNTER = itertools.count(1)
_ENTRY_COLUMNS = "seq, kind, timestamp, tool, sidechain, uuid, tool_use_id, label"


@dataclass(frozen=True, slots=True)
class Filter:
    """Which entries are shown: kinds (None: all), a tool name, subagent entries only."""

    kinds: frozenset[Kind] | None = None
    tool: str | None = None
    subagent_only: bool = False

    def where(self) -> tuple[str, list[object]]:
        clauses: list[str] = []
        params: list[object] = []
        if self.kinds is not None:
            clauses.append("list_contains(?, kind)")
            params.append(sorted(k.value for k in self.kinds))
        if self.tool:
            clauses.append("lower(tool) = lower(?)")
            params.append(self.tool)
        if self.subagent_only:
            clauses.append("sidechain")
        return (" AND ".join(clauses) or "true"), params


class SessionView:
    """The entries of one session (and its subagents), materialised once per file version."""

    def __init__(self, con: duckdb.DuckDBPyConnection, session: Session) -> None:
        self.session = session
        self.table = f"views.s{next(_COUNTER)}"
        self.report = LoadReport()
        _ensure_views_db(con)
        self._cur = con.cursor()
        files = [(str(session.path), session.source.value)]
        files += [(str(p), session.source.value) for p in session.subagent_paths]
        load_raw(self._cur, files, self.report)
        self._cur.execute("CREATE OR REPLACE TEMP TABLE file_order (path VARCHAR, rank INTEGER)")
        insert_columns(self._cur, "file_order", [[p, i] for i, (p, _) in enumerate(files)])
        self._cur.execute(
            f"CREATE TABLE {self.table} AS " + sql.with_entries(sql.load("view_entries"))
        )
        if session.source.value == "codex":
            self._promote_codex_user_items()
        self._cur.execute("DROP TABLE raw")
        self.total = self._scalar(f"SELECT count(*) FROM {self.table}")

    def _promote_codex_user_items(self) -> None:
        # Rollouts from before `event_msg/user_message` carry prompts only as response items.
        if self._scalar(f"SELECT count(*) FROM {self.table} WHERE kind = 'prompt'") == 0:
            self._cur.execute(
                f"UPDATE {self.table} SET kind = 'prompt' WHERE label = 'response_item:message:user'"
            )

    def _scalar(self, query: str, params: list[object] | None = None) -> int:
        row = self._cur.execute(query, params or []).fetchone()
        return int(row[0]) if row and row[0] is not None else 0

    def close(self) -> None:
        """Drop the table: an evicted view frees its memory."""
        self._cur.execute(f"DROP TABLE IF EXISTS {self.table}")
        self._cur.close()

    def counts(self) -> dict[str, int]:
        """Entries per kind (every kind present, zeros included) and `subagent`."""
        rows = self._cur.execute(
            f"SELECT kind, count(*) FROM {self.table} GROUP BY kind"
        ).fetchall()
        out = {k.value: 0 for k in ALL_KINDS}
        out.update({k: int(n) for k, n in rows})
        out["subagent"] = self._scalar(f"SELECT count(*) FROM {self.table} WHERE sidechain")
        return out

    def visible(self, flt: Filter) -> list[int]:
        """The ordered `seq`s a filter shows (one query)."""
        where, params = flt.where()
        rows = self._cur.execute(f"SELECT seq FROM {self.table} WHERE {where} ORDER BY seq", params)
        return [r[0] for r in rows.fetchall()]

    def window(self, first_seq: int, count: int, flt: Filter | None = None) -> list[Entry]:
        """Up to `count` entries from `first_seq` on (keyset paging), previews only."""
        where, params = (flt or Filter()).where()
        rows = self._cur.execute(
            f"SELECT {_ENTRY_COLUMNS}, preview FROM {self.table} "
            f"WHERE seq >= ? AND {where} ORDER BY seq LIMIT ?",
            [first_seq, *params, count],
        ).fetchall()
        return [_entry(r) for r in rows]

    def full_text(self, seq: int) -> str:
        """The whole text of one entry, fetched when it is expanded."""
        row = self._cur.execute(f"SELECT text FROM {self.table} WHERE seq = ?", [seq]).fetchone()
        return clean_text(row[0] or "") if row else ""

    def entries(self, flt: Filter | None = None, batch: int = 2000) -> Iterator[Entry]:
        """Every entry the filter shows, in order, with full text (for `show` and export)."""
        where, params = (flt or Filter()).where()
        last = -1
        while True:
            rows = self._cur.execute(
                f"SELECT {_ENTRY_COLUMNS}, text FROM {self.table} "
                f"WHERE seq > ? AND {where} ORDER BY seq LIMIT ?",
                [last, *params, batch],
            ).fetchall()
            if not rows:
                return
            yield from (_entry(r) for r in rows)
            last = rows[-1][0]

    def pairs(self) -> dict[int, int]:
        """Tool calls paired with their results by tool_use_id: {call seq: result seq}."""
        rows = self._cur.execute(
            f"SELECT c.seq, min(r.seq) FROM {self.table} c JOIN {self.table} r "
            "ON r.tool_use_id = c.tool_use_id AND r.seq > c.seq AND r.kind IN ('tool_result', 'error') "
            "WHERE c.kind = 'tool_call' GROUP BY c.seq"
        ).fetchall()
        return {int(a): int(b) for a, b in rows}


def _ensure_views_db(con: duckdb.DuckDBPyConnection) -> None:
    attached = {
        r[0] for r in con.execute("SELECT database_name FROM duckdb_databases()").fetchall()
    }
    if "views" not in attached:
        con.execute("ATTACH ':memory:' AS views")


def _entry(row: Iterable[object]) -> Entry:
    seq, kind, ts, tool, side, uuid, tuid, label, text = row  # type: ignore[misc]
    return Entry(
        seq=int(seq),
        kind=Kind(kind),
        timestamp=ts,
        tool=tool,
        sidechain=bool(side),  # type: ignore[arg-type]
        uuid=uuid,
        text=clean_text(text or ""),
        tool_use_id=tuid,
        label=label,  # type: ignore[arg-type]
    )
