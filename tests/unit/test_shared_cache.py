"""One cache, several processes: no process keeps the catalog or the index file open, so a
browser, a second browser and the CLI all read (and write) the same cache."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from sessions_tui.sources.discovery import root_from_arg
from sessions_tui.store import shared_file
from sessions_tui.store.catalog import Catalog
from sessions_tui.store.db import cache_file
from tests.cli_run import run_cli
from tests.records import assistant, user, write

SRC = str(Path(__file__).resolve().parents[2] / "src")


def _history(root: Path, sessions: int, start: int = 0) -> list[str]:
    ids = []
    for i in range(start, start + sessions):
        sid = f"{i:08d}-0000-4000-8000-000000000000"
        records = [
            user(f"question {i} about zebras", uuid=f"u{i}", sessionId=sid),
            assistant({"type": "text", "text": f"answer {i}"}, f"m{i}", 5, f"a{i}", sessionId=sid),
        ]
        write(root / f"-proj{i % 3}", f"{sid}.jsonl", records)
        ids.append(sid)
    return ids


def _python(code: str, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={"PYTHONPATH": SRC, "PATH": "/usr/bin:/bin"},
    )


REFRESH = """
import json, sys
from pathlib import Path
from sessions_tui.sources.discovery import root_from_arg
from sessions_tui.store.catalog import Catalog
c = Catalog(root_from_arg(sys.argv[1]), Path(sys.argv[2]))
report = c.refresh()
print(json.dumps({"notice": c.notice, "cache": str(c.cache_path), "changed": report.changed,
                  "ids": sorted(s.id for s in c.sessions())}))
c.close()
"""


def test_a_second_process_reads_the_cache_of_a_running_one(tmp_path: Path) -> None:
    ids = _history(tmp_path / "root", 6)
    running = Catalog(root_from_arg(str(tmp_path / "root")), tmp_path / "cache")
    running.refresh()
    running.index.update(running.file_facts(), running.con.cursor())  # and its index
    try:
        done = _python(REFRESH, str(tmp_path / "root"), str(tmp_path / "cache"))
        assert done.returncode == 0, done.stderr
        got = json.loads(done.stdout)
        # the cache file, no fallback notice, and nothing read again: it came from the file
        assert got["notice"] is None and got["cache"] == str(cache_file(tmp_path / "cache"))
        assert got["changed"] == 0 and got["ids"] == sorted(ids)
        # the running one still works on its own facts, and searches its index
        assert sorted(s.id for s in running.sessions()) == sorted(ids)
    finally:
        running.close()


def test_what_one_process_reads_the_other_takes_on_its_next_refresh(tmp_path: Path) -> None:
    ids = _history(tmp_path / "root", 3)
    running = Catalog(root_from_arg(str(tmp_path / "root")), tmp_path / "cache")
    assert running.refresh().changed == 3
    more = _history(tmp_path / "root", 2, start=3)  # two new sessions...
    done = _python(REFRESH, str(tmp_path / "root"), str(tmp_path / "cache"))  # ...read there
    assert done.returncode == 0 and json.loads(done.stdout)["changed"] == 2, done.stderr
    report = running.refresh()
    try:
        assert report.changed == 0  # taken from the file, not read again
        assert sorted(s.id for s in running.sessions()) == sorted(ids + more)
    finally:
        running.close()


def test_two_processes_refreshing_at_once_both_end_with_everything(tmp_path: Path) -> None:
    ids = _history(tmp_path / "root", 40)
    args = [sys.executable, "-c", REFRESH, str(tmp_path / "root"), str(tmp_path / "cache")]
    env = {"PYTHONPATH": SRC, "PATH": "/usr/bin:/bin"}
    procs = [subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              env=env) for _ in range(2)]  # fmt: skip
    outs = [p.communicate(timeout=120) for p in procs]
    for proc, (out, err) in zip(procs, outs, strict=True):
        assert proc.returncode == 0 and "Traceback" not in err, err
        got = json.loads(out)
        assert got["notice"] is None and got["ids"] == sorted(ids)
    after = _python(REFRESH, str(tmp_path / "root"), str(tmp_path / "cache"))
    got = json.loads(after.stdout)
    assert got["changed"] == 0 and got["ids"] == sorted(ids)  # the file has them all


HOLD = """
import sys, time, duckdb
con = duckdb.connect(sys.argv[1])  # a process that keeps the file open (not one of ours)
print("holding", flush=True)
time.sleep(60)
"""


def test_a_file_held_for_good_by_another_program_falls_back_to_memory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = _history(tmp_path / "root", 2)
    (tmp_path / "cache").mkdir()
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(cache_file(tmp_path / "cache"))],
                              stdout=subprocess.PIPE, text=True)  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
        monkeypatch.setattr(shared_file, "LOCK_WAIT", 0.3)
        started = time.monotonic()
        c = Catalog(root_from_arg(str(tmp_path / "root")), tmp_path / "cache")
        waited = time.monotonic() - started
        c.refresh()
        assert c.cache_path is None and c.notice is not None
        assert f"PID {holder.pid}" in c.notice and "in-memory catalog" in c.notice
        assert waited < 3 and sorted(s.id for s in c.sessions()) == sorted(ids)
        c.close()
    finally:
        holder.kill()
        holder.wait()


def test_a_busy_index_is_waited_for_then_said(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _history(tmp_path / "root", 2)
    c = Catalog(root_from_arg(str(tmp_path / "root")), tmp_path / "cache")
    c.refresh()
    index = c.index
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(index.path)],
                              stdout=subprocess.PIPE, text=True)  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
        monkeypatch.setattr(shared_file, "LOCK_WAIT", 0.3)
        report = index.update(c.file_facts(), c.con.cursor())
        assert report.bytes_read == 0 and "in use by another process" in report.problems[0]
        with pytest.raises(duckdb.Error, match="in use by another process"), index.using():
            pass
    finally:
        holder.kill()
        holder.wait()
    report = index.update(c.file_facts(), c.con.cursor())  # free again: it goes on
    assert report.files == 2 and not report.problems
    c.close()


def test_search_on_an_index_held_by_another_program_says_so_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _history(tmp_path / "root", 2)
    cache = tmp_path / "cache"
    monkeypatch.setenv("SESSIONS_TUI_CACHE_DIR", str(cache))
    code, _, _ = run_cli(capsys, "--root", str(tmp_path / "root"), "search", "zebras")
    assert code == 0  # the index is built
    index = next(cache.glob("search-*.duckdb"))
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(index)],
                              stdout=subprocess.PIPE, text=True)  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
        monkeypatch.setattr(shared_file, "LOCK_WAIT", 0.3)
        code, out, err = run_cli(capsys, "--root", str(tmp_path / "root"), "search", "zebras")
    finally:
        holder.kill()
        holder.wait()
    assert code == 1 and out == "" and "Traceback" not in err
    assert f"in use by another process (PID {holder.pid}); try again" in err.splitlines()[-1]
