"""The per-session view: reading order, windows, filters, appends and rewrites."""

from __future__ import annotations

import json
import os
import threading
import time
from pathlib import Path
from typing import Any

import duckdb
import pytest

from sessions_tui.model import Kind
from sessions_tui.sources.discovery import root_from_arg
from sessions_tui.sources.files import NotRegularFile
from sessions_tui.store import db
from sessions_tui.store.catalog import Catalog
from sessions_tui.store.db import memory_database
from sessions_tui.store.filters import Filter
from sessions_tui.store.opening import Opening
from sessions_tui.store.session_view import SessionView

SID = "11111111-2222-3333-4444-555555555555"


def line(kind: str, uuid: str, **fields: Any) -> str:
    rec: dict[str, Any] = {"type": kind, "uuid": uuid, "sessionId": SID,
                           "timestamp": "2026-11-01T10:00:00Z"}  # fmt: skip
    rec.update(fields)
    return json.dumps(rec)


def prompt(uuid: str, text: str) -> str:
    return line("user", uuid, message={"role": "user", "content": text})


def open_view(root: Path) -> tuple[Catalog, SessionView]:
    catalog = Catalog(root_from_arg(str(root)), None)
    catalog.refresh()
    (session,) = [s for s in catalog.sessions() if s.id == SID]
    return catalog, SessionView(session)


def test_appended_lines_are_read_once_and_torn_lines_wait(tmp_path: Path) -> None:
    path = tmp_path / "p" / f"{SID}.jsonl"
    path.parent.mkdir()
    path.write_text(prompt("u0", "first") + "\n")
    _, view = open_view(tmp_path)
    assert view.total == 1
    texts: list[str] = []
    for burst in range(5):
        with path.open("a") as f:
            for i in range(200):
                f.write(prompt(f"u{burst}-{i}", f"p{burst}-{i}") + "\n")
            f.write(prompt(f"torn{burst}", f"t{burst}")[:25])  # half-written
        change = view.refresh()
        # 200 new lines, plus the line left half-written by the previous burst
        assert change.kind == "appended" and change.new_entries == 200 + (burst > 0)
        with path.open("a") as f:  # the writer finishes the line
            f.write(prompt(f"torn{burst}", f"t{burst}")[25:] + "\n")
        texts += [f"p{burst}-{i}" for i in range(200)] + [f"t{burst}"]
    assert view.refresh().kind == "appended"
    got = [e.text for e in view.entries()]
    assert got == ["first", *texts]
    assert [e.seq for e in view.entries()] == list(range(len(got)))
    assert view.refresh().kind == "none"


def test_rewritten_file_is_rebuilt(tmp_path: Path) -> None:
    path = tmp_path / "p" / f"{SID}.jsonl"
    path.parent.mkdir()
    path.write_text(prompt("a", "one") + "\n" + prompt("b", "two") + "\n")
    _, view = open_view(tmp_path)
    path.write_text(prompt("c", "three") + "\n")  # shorter: truncated and rewritten
    assert view.refresh().kind == "rebuilt"
    assert [e.text for e in view.entries()] == ["three"]
    path.write_text(prompt("d", "four!") + "\n" + prompt("e", "five") + "\n")  # same prefix length
    assert view.refresh().kind == "rebuilt"
    assert [e.text for e in view.entries()] == ["four!", "five"]


def test_subagent_entries_follow_the_call_that_spawned_them(tmp_path: Path) -> None:
    folder = tmp_path / "p"
    task = {"type": "tool_use", "id": "toolu_T", "name": "Task", "input": {"prompt": "look"}}
    result = {"type": "tool_result", "tool_use_id": "toolu_T", "content": "done\nagentId: abc123"}
    lines = [
        prompt("u1", "start"),
        line("assistant", "a1", message={"id": "m1", "role": "assistant", "content": [task]}),
        line("user", "r1", message={"role": "user", "content": [result]}),
        prompt("u2", "after"),
    ]
    (folder / SID / "subagents").mkdir(parents=True)
    (folder / f"{SID}.jsonl").write_text("\n".join(lines) + "\n")
    sub = [prompt("s1", "sub prompt"), prompt("s2", "sub second")]
    (folder / SID / "subagents" / "agent-abc123.jsonl").write_text("\n".join(sub) + "\n")
    _, view = open_view(tmp_path)
    order = [(e.kind.value, e.sidechain, e.text.split("\n")[0]) for e in view.entries()]
    assert order == [
        ("prompt", False, "start"),
        ("tool_call", False, '{"prompt":"look"}'),
        ("prompt", True, "sub prompt"),
        ("prompt", True, "sub second"),
        ("tool_result", False, "done"),
        ("prompt", False, "after"),
    ]
    assert view.pairs() == {1: 4}
    assert view.visible(Filter(subagent_only=True)) == [2, 3]
    assert view.counts()["subagent"] == 2


def test_windows_filters_and_lazy_text(tmp_path: Path) -> None:
    path = tmp_path / "p" / f"{SID}.jsonl"
    path.parent.mkdir()
    big = "x" * 5000
    rows = [prompt(f"u{i}", f"n{i} " + (big if i == 7 else "")) for i in range(50)]
    rows.append(line("system", "e1", subtype="api_error", level="error"))
    path.write_text("\n".join(rows) + "\n")
    _, view = open_view(tmp_path)
    window = view.window(10, 5)
    assert [e.seq for e in window] == [10, 11, 12, 13, 14]
    assert len(view.window(7, 1)[0].text) == 600  # previews only
    assert len(view.full_text(7)) == len("n7 ") + 5000
    errors = view.visible(Filter(kinds=frozenset({Kind.ERROR})))
    assert errors == [50]
    assert [e.seq for e in view.window(45, 10, Filter(kinds=frozenset({Kind.ERROR})))] == [50]


def test_a_line_too_long_for_the_fast_scan_is_still_read(tmp_path: Path) -> None:
    path = tmp_path / "p" / f"{SID}.jsonl"
    path.parent.mkdir()
    huge = "y" * (17 * 1024 * 1024)  # over the scan's 16 MiB object limit
    path.write_text(
        prompt("a", "before") + "\n" + prompt("b", huge) + "\n" + prompt("c", "after") + "\n"
    )
    catalog, view = open_view(tmp_path)
    (session,) = catalog.sessions()
    assert (session.records, session.malformed_lines) == (3, 0)
    assert [len(e.text) for e in view.entries()] == [6, len(huge), 5]


@pytest.fixture
def made(monkeypatch: pytest.MonkeyPatch) -> list[duckdb.DuckDBPyConnection]:
    """Every database the view pools make, in order."""
    out: list[duckdb.DuckDBPyConnection] = []

    def counted() -> duckdb.DuckDBPyConnection:
        out.append(memory_database())
        return out[-1]

    monkeypatch.setattr(db, "memory_database", counted)
    return out


def closed(con: duckdb.DuckDBPyConnection) -> bool:
    try:
        con.execute("SELECT 1")
    except duckdb.ConnectionException:
        return True
    return False


def test_views_share_a_database_up_to_a_bound_and_it_closes_with_the_last(
    tmp_path: Path, made: list[duckdb.DuckDBPyConnection]
) -> None:
    path = tmp_path / "p" / f"{SID}.jsonl"
    path.parent.mkdir()
    path.write_text(prompt("u0", "first") + "\n" + prompt("u1", "second") + "\n")
    catalog, alone = open_view(tmp_path)  # no pool: a database of its own
    session = alone.session
    del made[:]  # the catalog's, in memory
    pool = db.ViewDatabases(builds=2)
    a, b, c = (SessionView(session, databases=pool) for _ in range(3))
    assert len(made) == 2  # a and b in the first, c in the second
    cur = b.cursor()
    assert cur.execute(f"SELECT count(*) FROM {a.table}").fetchall() == [(2,)]
    other = c.cursor()
    with pytest.raises(duckdb.CatalogException):
        other.execute(f"SELECT count(*) FROM {a.table}")
    other.close()
    a.close()
    with pytest.raises(duckdb.CatalogException):  # a closed view's table goes at once
        cur.execute(f"SELECT count(*) FROM {a.table}")
    cur.close()
    assert not closed(made[0])  # b still uses it
    b.close()
    assert closed(made[0])  # full, and its last view closed: everything it kept goes
    c.close()
    assert not closed(made[1])  # the current one waits for the next view
    assert [e.text for e in SessionView(session, databases=pool).entries()] == ["first", "second"]
    pool.close()
    assert len(made) == 2
    alone.close()
    with pytest.raises(duckdb.ConnectionException):
        alone.cursor()
    catalog.close()


def test_a_stopped_open_stops_its_query_and_gives_its_database_back(
    tmp_path: Path, made: list[duckdb.DuckDBPyConnection]
) -> None:
    path = tmp_path / "p" / f"{SID}.jsonl"
    path.parent.mkdir()
    path.write_text(prompt("u0", "first") + "\n")
    catalog, view = open_view(tmp_path)
    early = Opening()
    early.stop()  # superseded before its build began
    del made[:]  # the catalog's, in memory
    pool = db.ViewDatabases()
    with pytest.raises(duckdb.InterruptException):
        SessionView(view.session, databases=pool, opening=early)
    pool.close()
    assert closed(made[0])  # the view that never was gave its place back
    # Stopped while a query runs on it (another thread, as the app's open worker).
    late, busy = Opening(), memory_database()
    late.started(busy)
    errors: list[BaseException] = []

    def run() -> None:
        try:
            busy.execute("SELECT count(*) FROM range(1000000000000) a WHERE a % 7 = 3").fetchall()
        except duckdb.Error as exc:
            errors.append(exc)

    worker = threading.Thread(target=run)
    worker.start()
    time.sleep(0.2)
    late.stop()
    worker.join(10)
    assert not worker.is_alive() and isinstance(errors[0], duckdb.InterruptException)
    busy.close()
    view.close()
    catalog.close()


def test_the_next_database_is_made_ahead_only_when_the_current_is_full(
    made: list[duckdb.DuckDBPyConnection],
) -> None:
    pool = db.ViewDatabases(builds=1)
    pool.prepare()
    pool.prepare()  # the current one has room
    assert len(made) == 1
    first, one = pool.cursor()
    assert len(made) == 1
    pool.prepare()  # full: the next is made now, in the caller's (worker) thread
    second, two = pool.cursor()
    assert len(made) == 2
    first.close()
    pool.done(one)
    assert closed(made[0]) and not closed(made[1])
    pool.close()
    assert not closed(made[1])  # a view still uses it
    second.close()
    pool.done(two)
    assert closed(made[1])
    pool.prepare()
    assert len(made) == 2  # a closed pool makes nothing more


def test_a_last_line_complete_but_for_its_newline_appears_once(tmp_path: Path) -> None:
    path = tmp_path / "p" / f"{SID}.jsonl"
    path.parent.mkdir()
    path.write_text(
        "".join(prompt(f"u{i}", f"p{i}") + "\n" for i in range(39)) + prompt("u39", "p39")
    )
    _, view = open_view(tmp_path)
    assert view.total == 40  # the last line reads as a record: shown at once
    with path.open("a") as f:
        f.write("\n" + prompt("u40", "p40") + "\n")
    assert view.refresh().kind == "appended"
    assert [e.text for e in view.entries()] == [f"p{i}" for i in range(41)]


def test_a_torn_last_line_waits_for_its_end(tmp_path: Path) -> None:
    path = tmp_path / "p" / f"{SID}.jsonl"
    path.parent.mkdir()
    whole = prompt("u1", "second")
    path.write_text(prompt("u0", "first") + "\n" + whole[:20])
    _, view = open_view(tmp_path)
    assert [e.text for e in view.entries()] == ["first"]
    with path.open("a") as f:
        f.write(whole[20:] + "\n")
    assert view.refresh().kind == "appended"
    assert [e.text for e in view.entries()] == ["first", "second"]


def test_a_torn_last_line_whose_block_reads_as_a_record_waits_too(tmp_path: Path) -> None:
    """Cut after its content block, a line holds an object with a `type` (the block): the
    second look reads that as a record. Kept, it took the line's place and the rest of the
    line, appended later, was lost (found following a live session)."""
    path = tmp_path / "p" / f"{SID}.jsonl"
    path.parent.mkdir()
    whole = line(
        "assistant", "a1",
        message={"id": "m1", "role": "assistant", "content": [{"type": "text", "text": "LIVE"}]},
    )  # fmt: skip
    cut = whole.index('"LIVE"}') + len('"LIVE"}')
    path.write_text(prompt("u0", "first") + "\n" + whole[:cut])
    catalog, view = open_view(tmp_path)
    assert [e.text for e in view.entries()] == ["first"]
    (session,) = catalog.sessions()  # the catalog reads it the same way: no phantom
    assert (session.records, session.malformed_lines, session.entries) == (1, 1, 1)
    with path.open("a") as f:
        f.write(whole[cut:] + "\n")
    view.refresh()
    assert [e.text for e in view.entries()] == ["first", "LIVE"]


def test_a_rewrite_by_rename_with_the_same_tail_is_rebuilt(tmp_path: Path) -> None:
    path = tmp_path / "p" / f"{SID}.jsonl"
    path.parent.mkdir()
    lines = [prompt("a", "my password is hunter2"), prompt("b", "two"), prompt("c", "three")]
    path.write_text("\n".join(lines) + "\n")
    _, view = open_view(tmp_path)
    redacted = tmp_path / "p" / "redacted.tmp"  # what `sed -i` does: a new file, renamed
    redacted.write_text("\n".join([prompt("a", "my password is *******"), *lines[1:]]) + "\n")
    redacted.replace(path)
    assert view.refresh().kind == "rebuilt"
    assert next(e.text for e in view.entries()) == "my password is *******"
    with path.open("r+") as f:  # and in place, same size: a rewrite, not an append
        f.write(prompt("a", "my password is #######"))
    assert view.refresh().kind == "rebuilt"
    assert next(e.text for e in view.entries()) == "my password is #######"


@pytest.mark.parametrize("replacement", ["fifo", "symlink to /dev/zero"])
def test_a_file_replaced_by_a_fifo_or_a_device_is_refused_not_read(
    tmp_path: Path, replacement: str
) -> None:
    path = tmp_path / "p" / f"{SID}.jsonl"
    path.parent.mkdir()
    path.write_text(prompt("a", "one") + "\n")
    _, view = open_view(tmp_path)
    path.unlink()
    if replacement == "fifo":
        os.mkfifo(path)
    else:
        path.symlink_to("/dev/zero")
    done: list[BaseException] = []

    def follow() -> None:
        try:
            view.refresh()
        except BaseException as exc:
            done.append(exc)

    worker = threading.Thread(target=follow, daemon=True)
    worker.start()
    worker.join(10)
    assert not worker.is_alive(), "refresh hung on the replaced file"
    assert done and isinstance(done[0], NotRegularFile)
    assert [e.text for e in view.entries()] == ["one"]  # what was read stays
