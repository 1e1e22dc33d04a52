"""A per-session view: the session's entries parsed once into a table, served in windows.

The tables live in in-memory DuckDB instances apart from the catalog, each shared by a
bounded number of views and closed with the last of them (store.db.ViewDatabases): what
DuckDB keeps of a dropped table is then given back. Paging is keyset on `seq` and
filters are pushed into SQL, as design.md measured.
"""

from __future__ import annotations

import contextlib
import errno
import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import duckdb

from sessions_tui.model import ALL_KINDS, Entry, Kind, Session
from sessions_tui.profile import PROFILER
from sessions_tui.sources.files import NotRegularFile, is_regular, open_regular
from sessions_tui.sources.repair import BLANK, head_lines, nonblank_lines
from sessions_tui.sources.watch import file_state
from sessions_tui.store import sql
from sessions_tui.store.db import Instance, ViewDatabases, memory_database
from sessions_tui.store.file_version import FileVersion, appended, signature_at, version_of
from sessions_tui.store.filters import Filter
from sessions_tui.store.loader import LoadReport, insert_columns, load_raw, load_tail
from sessions_tui.store.opening import Opening
from sessions_tui.text import clean_text

if TYPE_CHECKING:
    from sessions_tui.store.search import Query

_COUNTER = itertools.count(1)
_ENTRY_COLUMNS = "seq, kind, timestamp, tool, sidechain, uuid, tool_use_id, label"
PREVIEW_CHARS = 600  # an entry's `preview`: left(text, 600) in view_entries.sql


@dataclass(frozen=True, slots=True)
class Change:
    """What a refresh did: nothing, appended entries, or rebuilt the view."""

    kind: str  # "none" | "appended" | "rebuilt"
    new_entries: int = 0


class SessionView:
    """The entries of one session (and its subagents), materialised once per file version.

    Entries are in reading order (`seq`): the main file's, with each subagent's placed
    right after the tool call that spawned it. `refresh()` reads only what was appended
    to the main file when that is all that changed.
    """

    def __init__(
        self,
        session: Session,
        *,
        databases: ViewDatabases | None = None,
        opening: Opening | None = None,
        head: int | None = None,
    ) -> None:
        """Build the view in one of `databases` (without: a database of its own, closed
        with the view); `opening` lets another thread stop the build.

        With `head`, only the main file's whole lines within its first `head` bytes are
        read (no subagent): a first screen while the whole view is built (`partial`). A
        record's kind and whether it is a replay depend only on what came before it, so
        the head's entries are the whole view's first entries of the main file, which
        `same_entries` finds there."""
        self.table = f"s{next(_COUNTER)}"
        self.partial = head is not None
        self._databases = databases
        self._home: Instance | None = None
        if databases is not None:
            self._con, self._home = databases.cursor()
        else:
            self._con = memory_database()
        self.total = 0
        try:
            if opening is not None:
                opening.started(self._con)
            with PROFILER.measure("open session", f"CREATE TABLE {self.table} AS <view_entries>"):
                self._build(session, head)
        except BaseException:
            self.close()
            raise

    def cursor(self) -> duckdb.DuckDBPyConnection:
        """A cursor on the view's database, for another thread (close it after)."""
        return self._con.cursor()

    def _settle_last_line(self, main: str) -> None:
        """A last line with no newline yet: kept if it reads as a record (the file is taken
        as read to its end, so its newline, when it comes, adds nothing), else left for the
        next refresh (a half-written line). Read both ways, it appeared twice."""
        version = self.versions[main]
        if version.end >= version.size:
            return
        try:
            with open_regular(main) as f:
                f.seek(version.end)
                tail = f.read(min(version.size - version.end, 65536))
        except OSError:
            return
        if not tail.strip(BLANK):
            return  # only blanks after the last newline
        last = self._con.execute(
            "SELECT max(line), bool_and(bad) FROM raw WHERE file = $f AND line = "
            "(SELECT max(line) FROM raw WHERE file = $f)",
            {"f": main},
        ).fetchone()
        if last is None or last[0] is None:
            return
        if last[1]:  # a torn line (repair.parse_whole): read when it ends
            self._con.execute("DELETE FROM raw WHERE file = ? AND line = ?", [main, last[0]])
            return
        with open_regular(main) as f:
            signature = signature_at(f, version.size)
        self.versions[main] = FileVersion(
            version.size, version.mtime_ns, version.size, signature, version.inode
        )

    def _files(self) -> list[tuple[str, str]]:
        s = self.session
        return [(str(s.path), s.source.value)] + [
            (str(p), s.source.value) for p in s.subagent_paths
        ]

    def _build(self, session: Session, head: int | None = None) -> None:
        self.session = session
        self.report = LoadReport()
        files = self._files()
        for path, _ in files:  # DuckDB would wait on a FIFO, or read /dev/zero forever
            if not is_regular(path):
                raise NotRegularFile(errno.EINVAL, "not a regular file", path)
        if head is not None:
            files = files[:1]
            load_tail(self._con, *files[0], head_lines(files[0][0], head), 0)
            self.versions = {}  # a head follows nothing: the whole view will
        else:
            for _ in range(3):  # a file written to during the read is read again
                before = {path: file_state(path) for path, _ in files}
                load_raw(self._con, files, self.report)
                self.versions = {path: version_of(Path(path)) for path, _ in files}
                if all(before[p] == (v.size, v.mtime_ns) for p, v in self.versions.items()):
                    break
            self._settle_last_line(files[0][0])
        self._con.execute(
            "CREATE OR REPLACE TEMP TABLE file_order (path VARCHAR, rank INTEGER, agent_id VARCHAR)"
        )
        rows = [
            [p, i, Path(p).stem.removeprefix("agent-") if i else None]
            for i, (p, _) in enumerate(files)
        ]
        insert_columns(self._con, "file_order", rows)
        self._con.execute(f"DROP TABLE IF EXISTS {self.table}")
        self._con.execute(
            f"CREATE TABLE {self.table} AS " + sql.with_entries(sql.load("view_entries")),
            {"seq_base": 0},
        )
        # Records a resumed session wrote again are shown once; the status bar says so.
        # Counting them runs the entries' SQL again (15% of an open): only where some
        # assistant message is written twice at one time (a superset of replays.sql's
        # rp_files, read off columns without parsing any content).
        twice = self._scalar(
            "SELECT count(*) FROM (SELECT 1 FROM raw WHERE NOT bad AND type = 'assistant' "
            "AND timestamp LIKE '____-__-__T%' GROUP BY file, timestamp, message.id "
            "HAVING count(*) > 1)"
        )
        self.replayed = (
            self._scalar(sql.with_entries("SELECT count(*) FROM replayed")) if twice else 0
        )
        self._latest = self._latest_time(files[0][0], 0)
        main = self._con.execute(
            "SELECT max(line) FROM raw WHERE file = ?", [files[0][0]]
        ).fetchone()
        self._next_line = (main[0] + 1) if main and main[0] is not None else 0
        self._con.execute("DROP TABLE raw")
        if session.source.value == "codex":
            self._promote_codex_user_items()
        self._pair(0)
        self.total = self._scalar(f"SELECT count(*) FROM {self.table}")

    def refresh(self, session: Session | None = None) -> Change:
        """Catch up with the files: append new main-file lines, or rebuild if need be.

        A half-written last line is left for the next refresh. `session` gives the
        catalog's newer facts (a new subagent file, say).
        """
        session = session or self.session
        files = [(str(session.path), session.source.value)]
        files += [(str(p), session.source.value) for p in session.subagent_paths]
        if [p for p, _ in files] != [p for p, _ in self._files()]:
            self._build(session)
            return Change("rebuilt", self.total)
        self.session = session  # the same files: newer facts (title, project) are kept
        main = files[0][0]
        now = {path: file_state(path) for path, _ in files}
        changed = [p for p, v in self.versions.items() if now[p] != (v.size, v.mtime_ns)]
        if not changed:
            return Change("none")
        tail = appended(Path(main), self.versions[main]) if changed == [main] else None
        if tail is None:
            self._build(session)
            return Change("rebuilt", self.total)
        data, version = tail
        self.versions[main] = version
        lines = nonblank_lines(data)
        if not lines:
            return Change("none")
        added = self._append(main, lines)
        if added is None:
            self._build(session)
            return Change("rebuilt", self.total)
        return Change("appended", added)

    def _latest_time(self, main: str, from_seq: int) -> str:
        """The latest time of the main file's entries from `from_seq` on ('' if none)."""
        row = self._con.execute(
            f"SELECT max(timestamp) FROM {self.table} WHERE file = ? AND seq >= ? "
            "AND timestamp LIKE '____-__-__T%'",
            [main, from_seq],
        ).fetchone()
        return str(row[0]) if row and row[0] is not None else ""

    def _goes_back(self, main: str) -> bool:
        """Whether new lines may replay old ones (replays.sql needs the records before
        them): a new entry timed before the last one read, or one the same as an entry
        read at that last time under another uuid."""
        if not self._latest:
            return False
        return bool(
            self._scalar(
                sql.with_entries(
                    "SELECT count(*) FROM entries n WHERE NOT n.bad AND n.ts LIKE '____-__-__T%' "
                    "AND (n.ts < $latest OR n.ts = $latest AND EXISTS (SELECT 1 "
                    f"FROM {self.table} v WHERE v.file = $f AND v.timestamp = $latest "
                    "AND v.kind = n.kind "
                    "AND v.text IS NOT DISTINCT FROM n.text "
                    "AND v.tool_use_id IS NOT DISTINCT FROM n.tool_use_id "
                    "AND v.uuid IS DISTINCT FROM n.uuid))"
                ),
                {"f": main, "latest": self._latest},
            )
        )

    def _append(self, main: str, lines: list[bytes]) -> int | None:
        """Add the entries of new lines; None when they go back in time (a resumed session
        replaying its history), which only the whole file can tell: then rebuild."""
        load_tail(self._con, main, self.session.source.value, lines, self._next_line)
        if self._goes_back(main):
            self._con.execute("DROP TABLE raw")
            return None
        self._next_line += len(lines)
        before = self.total
        self._con.execute(
            f"INSERT INTO {self.table} " + sql.with_entries(sql.load("view_entries")),
            {"seq_base": before},
        )
        self._con.execute("DROP TABLE raw")
        if self.session.source.value == "codex":
            self._promote_codex_user_items()
        self._pair(before)
        self.total = self._scalar(f"SELECT count(*) FROM {self.table}")
        self._latest = max(self._latest, self._latest_time(main, before))
        return self.total - before

    def _pair(self, from_seq: int) -> None:
        """Pair tool calls with their results (entries from `from_seq` on), by
        tool_use_id: a result's `pair` is its call, a call's is its first result. A
        result also takes its call's tool name, so that a tool filter (`t Bash`) shows
        what the commands printed, not just the commands."""
        t = self.table
        self._con.execute(
            f"UPDATE {t} AS r SET pair = c.seq, tool = coalesce(r.tool, c.tool) FROM {t} AS c "
            "WHERE r.seq >= ? AND r.kind IN ('tool_result', 'error') AND r.pair IS NULL "
            "AND r.tool_use_id = c.tool_use_id AND c.kind = 'tool_call' AND c.seq < r.seq",
            [from_seq],
        )
        self._con.execute(
            f"UPDATE {t} AS c SET pair = r.seq, pair_kind = r.kind, pair_chars = r.chars, "
            f"pair_lines = r.lines FROM (SELECT pair AS call, min(seq) AS first FROM {t} "
            "WHERE seq >= ? AND kind IN ('tool_result', 'error') AND pair IS NOT NULL "
            f"GROUP BY pair) AS f JOIN {t} AS r ON r.seq = f.first "
            "WHERE c.seq = f.call AND c.pair IS NULL",
            [from_seq],
        )

    def _promote_codex_user_items(self) -> None:
        # Rollouts from before `event_msg/user_message` carry prompts only as response items.
        if self._scalar(f"SELECT count(*) FROM {self.table} WHERE kind = 'prompt'") == 0:
            self._con.execute(
                f"UPDATE {self.table} SET kind = 'prompt' "
                "WHERE label = 'response_item:message:user'"
            )

    def _scalar(self, query: str, params: list[object] | dict[str, object] | None = None) -> int:
        row = self._con.execute(query, params or []).fetchone()
        return int(row[0]) if row and row[0] is not None else 0

    def close(self) -> None:
        """Drop the table and close the connection; the database closes with its last view."""
        with contextlib.suppress(duckdb.Error):
            self._con.execute(f"DROP TABLE IF EXISTS {self.table}")
        self._con.close()
        if self._databases is not None and self._home is not None:
            self._databases.done(self._home)
            self._home = None

    def counts(self) -> dict[str, int]:
        """Entries per kind (every kind present, zeros included) and `subagent`."""
        rows = self._con.execute(
            f"SELECT kind, count(*) FROM {self.table} GROUP BY kind"
        ).fetchall()
        out = {k.value: 0 for k in ALL_KINDS}
        out.update({k: int(n) for k, n in rows})
        out["subagent"] = self._scalar(f"SELECT count(*) FROM {self.table} WHERE sidechain")
        return out

    def visible(self, flt: Filter) -> list[int]:
        """The ordered `seq`s a filter shows (one query)."""
        where, params = flt.where()
        rows = self._con.execute(f"SELECT seq FROM {self.table} WHERE {where} ORDER BY seq", params)
        return [r[0] for r in rows.fetchall()]

    def units(self, flt: Filter) -> list[Unit]:
        """What reading mode shows for a filter, in order, in one query: each entry the
        filter shows, with a tool call and its result as one unit (the call's seq) when
        either shows, and the sizes that estimate a unit's wrapped height."""
        where, params = flt.where()
        by_result, result_params = flt.where(kind="pair_kind")
        query = (  # one scan: a paired result is in its call's row
            "SELECT seq, kind, chars, lines, pair, pair_kind, pair_chars, pair_lines "
            f"FROM {self.table} WHERE CASE "
            "WHEN pair IS NOT NULL AND kind IN ('tool_result', 'error') THEN false "
            f"WHEN pair IS NOT NULL AND kind = 'tool_call' THEN ({where}) OR ({by_result}) "
            f"ELSE {where} END ORDER BY seq"
        )
        params = [*params, *result_params, *params]
        with PROFILER.measure("filter", query):
            rows = self._con.execute(query, params).fetchall()
        kinds = {k.value: k for k in ALL_KINDS}
        return [
            Unit(seq, kinds[kind], chars or 0, lines or 1, result, kinds.get(rkind), rchars, rlines)
            for seq, kind, chars, lines, result, rkind, rchars, rlines in rows
        ]

    def entries_at(self, seqs: list[int]) -> list[Entry]:
        """The entries (previews) with these seqs, in order: a page of units and their
        results, in one query."""
        if not seqs:
            return []
        query = (
            f"SELECT {_ENTRY_COLUMNS}, preview FROM {self.table} "
            "WHERE seq BETWEEN ? AND ? AND list_contains(?, seq) ORDER BY seq"
        )
        with PROFILER.measure("window", query):
            rows = self._con.execute(query, [min(seqs), max(seqs), seqs]).fetchall()
        return [_entry(r) for r in rows]

    def window(self, first_seq: int, count: int, flt: Filter | None = None) -> list[Entry]:
        """Up to `count` entries from `first_seq` on (keyset paging), previews only."""
        where, params = (flt or Filter()).where()
        query = (
            f"SELECT {_ENTRY_COLUMNS}, preview FROM {self.table} "
            f"WHERE seq >= ? AND {where} ORDER BY seq LIMIT ?"
        )
        with PROFILER.measure("window", query):
            rows = self._con.execute(query, [first_seq, *params, count]).fetchall()
        return [_entry(r) for r in rows]

    def full_text(self, seq: int) -> str:
        """The whole text of one entry, fetched when it is expanded."""
        row = self._con.execute(f"SELECT text FROM {self.table} WHERE seq = ?", [seq]).fetchone()
        return clean_text(row[0] or "") if row else ""

    def whole_text(self, entry: Entry) -> str:
        """The whole text of an entry read as a preview: the preview itself when it is
        shorter than a preview can be (no query), else fetched."""
        return entry.text if len(entry.text) < PREVIEW_CHARS else self.full_text(entry.seq)

    def entries(
        self,
        flt: Filter | None = None,
        batch: int = 2000,
        cursor: duckdb.DuckDBPyConnection | None = None,
    ) -> Iterator[Entry]:
        """Every entry the filter shows, in order, with full text (for `show` and export);
        `cursor` reads from another thread than the view's own."""
        where, params = (flt or Filter()).where()
        cur = cursor or self._con
        last = -1
        while True:
            rows = cur.execute(
                f"SELECT {_ENTRY_COLUMNS}, text FROM {self.table} "
                f"WHERE seq > ? AND {where} ORDER BY seq LIMIT ?",
                [last, *params, batch],
            ).fetchall()
            if not rows:
                return
            yield from (_entry(r) for r in rows)
            last = rows[-1][0]

    def matching(self, query: Query) -> list[int]:
        """The seqs of the entries a search matches (every kind), in order."""
        from sessions_tui.store.search import matching_seqs  # not needed to open a view

        return matching_seqs(self._con, self.table, query)

    def seq_of(self, path: str, n: int) -> int | None:
        """The seq of the `n`-th entry of file `path` in file order (a search hit's place)."""
        row = self._con.execute(
            f"SELECT seq FROM {self.table} WHERE file = ? ORDER BY k LIMIT 1 OFFSET ?", [path, n]
        ).fetchone()
        return int(row[0]) if row else None

    def same_entries(self, other: SessionView, seqs: Iterable[int]) -> dict[int, int]:
        """{seq here: seq in `other`} for these entries of the main file, matched by their
        order in it (a head's entries in the whole view, where subagents' entries come
        between them; line numbers may count from another origin there)."""
        wanted = sorted(set(seqs))
        if not wanted:
            return {}
        main = str(self.session.path)
        ranked = "SELECT seq, row_number() OVER (ORDER BY k) AS n FROM {} WHERE file = $main"
        here = self._con.execute(
            f"SELECT seq, n FROM ({ranked.format(self.table)}) WHERE list_contains($w, seq)",
            {"main": main, "w": wanted},
        ).fetchall()
        there = dict(
            other._con.execute(
                f"SELECT n, seq FROM ({ranked.format(other.table)}) WHERE list_contains($n, n)",
                {"main": main, "n": [n for _, n in here]},
            ).fetchall()
        )
        return {int(seq): int(there[n]) for seq, n in here if n in there}

    def pairs(self) -> dict[int, int]:
        """Tool calls paired with their results by tool_use_id: {call seq: result seq}."""
        rows = self._con.execute(
            f"SELECT seq, pair FROM {self.table} WHERE kind = 'tool_call' AND pair IS NOT NULL"
        ).fetchall()
        return {int(a): int(b) for a, b in rows}


class Unit(NamedTuple):  # a tuple: thousands are made per open, fast
    """What reading mode shows as one: an entry, or a tool call with its result; with the
    sizes (characters, lines) that estimate its height before it is laid out."""

    seq: int
    kind: Kind
    chars: int
    lines: int
    result: int | None = None
    result_kind: Kind | None = None
    result_chars: int = 0
    result_lines: int = 0


def _entry(row: tuple[Any, ...]) -> Entry:
    seq, kind, ts, tool, side, uuid, tuid, label, text = row
    return Entry(
        seq=int(seq),
        kind=Kind(kind),
        timestamp=ts,
        tool=tool,
        sidechain=bool(side),
        uuid=uuid,
        text=clean_text(text or ""),
        tool_use_id=tuid,
        label=label,
    )
