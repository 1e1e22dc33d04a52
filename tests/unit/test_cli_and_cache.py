"""The CLI verbs as a person runs them, and the persistent, disposable cache."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from sessions_tui.demo import DemoReport
from sessions_tui.model import Session
from sessions_tui.sources.discovery import root_from_arg
from sessions_tui.store.catalog import Catalog
from sessions_tui.store.db import cache_dir, cache_file, memory_database
from tests.cli_run import roots_args, run_cli
from tests.records import user, write

LS_FIELDS = {
    "id",
    "source",
    "project",
    "path",
    "title",
    "started",
    "ended",
    "records",
    "malformed_lines",
    "entries",
    "tool_calls",
    "errors",
    "subagents",
    "models",
    "tokens",
}


def test_ls_json_has_every_field_newest_first(
    demo_history: tuple[Path, DemoReport], capsys: pytest.CaptureFixture[str]
) -> None:
    root, report = demo_history
    code, out, _ = run_cli(capsys, *roots_args(root), "ls", "--json")
    rows = json.loads(out)
    assert code == 0 and len(rows) == report.sessions
    assert all(set(r) >= LS_FIELDS for r in rows)
    ends = [r["ended"] for r in rows]
    assert ends == sorted(ends, reverse=True)
    assert {r["source"] for r in rows} == {"claude", "codex"}
    assert set(rows[0]["tokens"]) == {"input", "output", "cache_read", "cache_creation"}


def test_show_filters_by_kind_and_tool(
    demo_history: tuple[Path, DemoReport], capsys: pytest.CaptureFixture[str]
) -> None:
    root, _ = demo_history
    _, out, _ = run_cli(capsys, *roots_args(root), "ls", "--json")
    session = max(json.loads(out), key=lambda r: r["tool_calls"])
    code, out, _ = run_cli(
        capsys, *roots_args(root), "show", session["id"][:8], "--kind", "tool_call", "--json"
    )
    calls = json.loads(out)
    # The catalog counts the main file; `show` adds the subagents' entries.
    assert code == 0 and len(calls) >= session["tool_calls"] > 0
    assert {e["kind"] for e in calls} == {"tool_call"}
    seqs = [e["seq"] for e in calls]
    assert seqs == sorted(seqs)
    _, out, _ = run_cli(
        capsys, *roots_args(root), "show", session["id"], "--tool", "Bash", "--json"
    )
    assert {e["tool"] for e in json.loads(out)} <= {"Bash"}


def test_errors_are_one_line_and_nonzero(
    demo_history: tuple[Path, DemoReport], capsys: pytest.CaptureFixture[str]
) -> None:
    root, _ = demo_history
    for args in (
        ["show", "nope-no-such"],
        ["show", "x", "--kind", "bogus"],
        ["sql", "SELEC nonsense"],
    ):
        code, _, err = run_cli(capsys, *roots_args(root), *args)
        assert code == 1 and err.count("\n") == 1 and err.startswith("sessions-tui: "), (args, err)
    code, _, err = run_cli(capsys, "--root", "/no/such/folder", "ls")
    assert code == 1 and "no such folder" in err


def test_sql_over_sessions_and_entries(
    demo_history: tuple[Path, DemoReport], capsys: pytest.CaptureFixture[str]
) -> None:
    root, report = demo_history
    _, out, _ = run_cli(
        capsys, *roots_args(root), "sql", "SELECT count(*) AS n FROM sessions", "--json"
    )
    assert json.loads(out) == [{"n": report.sessions}]
    _, out, _ = run_cli(
        capsys, *roots_args(root), "sql", "SELECT sum(entries) AS n FROM catalog_files", "--json"
    )
    total = json.loads(out)[0]["n"]
    _, out, _ = run_cli(
        capsys, *roots_args(root), "sql", "SELECT count(*) AS n FROM entries", "--json"
    )
    assert json.loads(out)[0]["n"] == total


def test_stats_json_matches_ls(
    demo_history: tuple[Path, DemoReport], capsys: pytest.CaptureFixture[str]
) -> None:
    root, _ = demo_history
    _, out, _ = run_cli(capsys, *roots_args(root), "ls", "--json")
    rows = json.loads(out)
    _, out, _ = run_cli(capsys, *roots_args(root), "stats", "--json")
    stats = json.loads(out)
    assert stats["sessions"] == len(rows)
    spent = sum(r["tokens"]["output"] + r["subagent_tokens"]["output"] for r in rows)
    assert stats["tokens"]["output"] == spent


def test_markup_and_escapes_print_literally(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "p"
    folder.mkdir()
    text = "[bold red]not markup[/] \x1b[31mred\x1b[0m"
    line = {
        "type": "user",
        "uuid": "u",
        "timestamp": "2026-11-01T00:00:00Z",
        "message": {"role": "user", "content": text},
    }
    (folder / "aaaaaaaa-0000-0000-0000-000000000000.jsonl").write_text(json.dumps(line) + "\n")
    code, out, _ = run_cli(capsys, "--root", str(tmp_path), "show", "aaaa")
    assert (
        code == 0 and "[bold red]not markup[/]" in out and "\x1b" not in out and "␛[31mred" in out
    )


def test_warm_cache_reads_only_changed_files(
    demo_history: tuple[Path, DemoReport], tmp_path: Path
) -> None:
    root, report = demo_history
    roots = root_from_arg(str(root / "claude")) + root_from_arg(str(root / "codex"))
    first = Catalog(roots, tmp_path / "cache")
    assert first.refresh().changed == report.files
    before = [s.id for s in first.sessions()]
    first.close()
    second = Catalog(roots, tmp_path / "cache")
    warm = second.refresh()
    assert warm.changed == 0 and [s.id for s in second.sessions()] == before
    second.close()


def test_changed_file_is_reread(tmp_path: Path) -> None:
    folder = tmp_path / "root" / "p"
    folder.mkdir(parents=True)
    path = folder / "aaaaaaaa-0000-0000-0000-000000000000.jsonl"
    line = json.dumps({"type": "user", "uuid": "u1", "message": {"role": "user", "content": "one"}})
    path.write_text(line + "\n")
    c = Catalog(root_from_arg(str(tmp_path / "root")), tmp_path / "cache")
    c.refresh()
    with path.open("a") as f:
        f.write(line.replace("u1", "u2") + "\n")
    report = c.refresh()
    assert report.changed == 1 and c.sessions()[0].records == 2


def test_corrupt_cache_is_rebuilt(tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    folder.mkdir()
    cache_file(folder).write_bytes(b"this is not a duckdb file" * 100)
    c = Catalog([], folder)
    assert c.notice is not None and "rebuilt" in c.notice and c.cache_path is not None
    c.close()


@pytest.fixture()
def own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A cache folder of the test's own, where the CLI keeps its catalog and index."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("SESSIONS_TUI_CACHE_DIR", str(folder))
    return folder


@pytest.mark.parametrize("damage", ["cut in half", "a block overwritten"])
def test_a_cache_damaged_after_it_was_written_is_moved_aside_and_rebuilt(
    demo_history: tuple[Path, DemoReport],
    own_cache: Path,
    damage: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    root, _ = demo_history
    folder = own_cache
    code, good, _ = run_cli(capsys, *roots_args(root), "ls", "--json")
    assert code == 0
    path = cache_file(folder)
    data = path.read_bytes()
    if damage == "cut in half":
        path.write_bytes(data[: len(data) // 2])
    else:  # the first data block: DuckDB opens the file, then fails its first query
        path.write_bytes(data[:12288] + b"\xab" * 4096 + data[12288 + 4096 :])
    code, out, err = run_cli(capsys, *roots_args(root), "ls", "--json")
    assert code == 0 and "Traceback" not in err
    assert "rebuilt the cache" in err and err.count("\n") == 1
    assert json.loads(out) == json.loads(good)
    assert Path(str(path) + ".corrupt").exists()  # kept for a bug report
    code, _, err = run_cli(capsys, *roots_args(root), "ls", "--json")
    assert code == 0 and err == ""  # the new cache is sound


def test_read_only_cache_folder_uses_memory(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root ignores folder permissions; the read-only case cannot be made here")
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    c = Catalog([], folder / "sub")
    assert c.cache_path is None and c.notice


def test_memory_databases_spill_under_the_cache_not_the_current_folder(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    here = tmp_path / "somebody's folder"
    here.mkdir()
    monkeypatch.chdir(here)  # DuckDB's default for a database in memory is ./.tmp
    con = memory_database()
    con.execute("SET memory_limit = '20MB'")
    con.execute("CREATE TABLE t AS SELECT repeat('x', 100) || range AS s FROM range(1000000)")
    spilled = [p for p in (cache_dir() / "spill").rglob("*") if p.is_file()]
    assert spilled, "the table should not fit in 20 MB"
    assert list(here.iterdir()) == []
    con.close()
    assert not any(p.is_file() for p in (cache_dir() / "spill").rglob("*"))


def test_cache_dir_honours_override(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("SESSIONS_TUI_CACHE_DIR", str(tmp_path))
    assert cache_dir() == tmp_path


def test_refresh_reports_discovery_first_then_progress(
    demo_history: tuple[Path, DemoReport],
) -> None:
    root, report = demo_history
    roots = root_from_arg(str(root / "claude")) + root_from_arg(str(root / "codex"))
    catalog = Catalog(roots, None)
    events: list[tuple[str, int, int]] = []

    def discovered(files: list[Any]) -> None:
        events.append(("discovered", len(files), len(catalog.sessions())))

    def progress(done: int, total: int) -> None:
        events.append(("progress", done, total))

    catalog.refresh(progress=progress, discovered=discovered)
    assert events[0] == ("discovered", report.files, 0)  # before anything was read
    done = [e[1] for e in events[1:]]
    assert done == sorted(done) and events[-1][1] == events[-1][2] == report.bytes


def test_list_snapshot_round_trips_and_is_disposable(
    demo_history: tuple[Path, DemoReport], tmp_path: Path
) -> None:
    from sessions_tui.store import snapshot

    root, _ = demo_history
    roots = root_from_arg(str(root / "claude")) + root_from_arg(str(root / "codex"))
    catalog = Catalog(roots, tmp_path / "cache")
    catalog.refresh()

    def row(s: Session) -> tuple[Any, ...]:  # what a list row shows
        cost = None if s.cost is None else round(s.cost, 6)
        tokens = s.tokens.total + s.subagent_tokens.total
        return (s.id, s.title, s.project, s.ended, s.entries, s.errors, tokens, cost, s.path)

    shown = [row(s) for s in catalog.sessions()]
    assert any(r[7] for r in shown) and any(r[6] > 0 for r in shown)
    loaded = snapshot.load(tmp_path / "cache")
    assert loaded is not None
    assert [row(s) for s in loaded] == shown
    snapshot.snapshot_file(tmp_path / "cache").write_text("{ not json")
    assert snapshot.load(tmp_path / "cache") is None
    assert snapshot.load(tmp_path / "nowhere") is None


def test_a_session_by_relative_path_and_one_id_in_two_roots(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    sid = "12345678-aaaa-4bbb-8ccc-000000000001"
    for machine, text in (("laptop", "from the laptop"), ("desktop", "from the desktop")):
        write(tmp_path / machine / "projects" / "-p", f"{sid}.jsonl",
              [user(text, "u1", sessionId=sid)])  # fmt: skip
    roots = ["--root", str(tmp_path / "laptop"), "--root", str(tmp_path / "desktop")]
    code, _, err = run_cli(capsys, *roots, "show", sid)
    assert code == 1 and "matches 2 sessions" in err and "give its file's path" in err
    assert "laptop" in err and "desktop" in err
    monkeypatch.chdir(tmp_path / "desktop")
    code, out, err = run_cli(capsys, *roots, "show", f"projects/-p/{sid}.jsonl", "--json")
    assert code == 0, err
    assert json.loads(out)[0]["text"] == "from the desktop"
    code, out, _ = run_cli(capsys, *roots, "show", f"./projects/-p/../-p/{sid}.jsonl", "--json")
    assert code == 0 and json.loads(out)[0]["text"] == "from the desktop"


def test_ls_json_from_duckdb_is_exactly_session_facts(
    demo_history: tuple[Path, DemoReport], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`ls --json` is made by DuckDB (100,000 sessions in Python took 3 s and 400 MB); it
    must say what `export.session_facts` says, key for key, on every kind of session."""
    from sessions_tui.output.export import session_facts
    from tests.hostile import hostile_history
    from tests.records import usage_record

    root, _ = demo_history
    hostile = hostile_history(tmp_path / "hostile")
    write(hostile / "projects" / "-n", "numbers.jsonl", [
        user("numbers", "u1", sessionId="n"), usage_record("a1", "m1", -1, "n"),
    ])  # fmt: skip
    for roots in (roots_args(root), ["--root", str(hostile)]):
        code, out, _ = run_cli(capsys, *roots, "ls", "--json")
        assert code == 0
        catalog = Catalog([r for arg in roots[1::2] for r in root_from_arg(arg)], None)
        catalog.refresh()
        expected = [session_facts(s) for s in catalog.sessions()]
        catalog.close()
        got = json.loads(out)
        assert [list(g) for g in got] == [list(e) for e in expected]  # keys in order
        assert got == json.loads(json.dumps(expected))


def test_a_damaged_search_index_is_moved_aside_and_built_again(
    demo_history: tuple[Path, DemoReport], own_cache: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root, _ = demo_history
    folder = own_cache
    code, good, _ = run_cli(capsys, *roots_args(root), "search", "the", "--json")
    assert code == 0
    (index,) = folder.glob("search-*.duckdb")
    data = index.read_bytes()
    index.write_bytes(data[: len(data) // 2])  # cut in half: it opens, then fails a read
    code, out, err = run_cli(capsys, *roots_args(root), "search", "the", "--json")
    assert code == 0 and "Traceback" not in err, err
    assert "rebuilt the search index" in err
    assert json.loads(out)["matched"] == json.loads(good)["matched"]
    assert Path(str(index) + ".corrupt").exists()


def test_options_every_verb_reads_also_work_after_the_verb(
    demo_history: tuple[Path, DemoReport], capsys: pytest.CaptureFixture[str]
) -> None:
    root, report = demo_history
    after = ["ls", "--json", "--root", str(root / "claude"), "--root", str(root / "codex")]
    code, out, err = run_cli(capsys, *after, "--no-cache")
    assert code == 0, err
    code, before, _ = run_cli(capsys, *roots_args(root), "ls", "--json")
    assert json.loads(out) == json.loads(before) and len(json.loads(out)) == report.sessions
