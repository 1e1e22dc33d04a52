"""The CLI against hostile surroundings: closed, full or early-closed output, absurd
numbers, nonsense dates, demo targets that are not folders. One line and an exit status."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli_run import evil_session

_CLI = [sys.executable, "-m", "sessions_tui"]


def _run(cmd: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """`cmd` through a shell (for redirections and pipes), `$CLI` standing for the CLI."""
    env = dict(os.environ, CLI=" ".join(_CLI), ROOT=str(tmp_path / "h"))
    return subprocess.run(
        ["bash", "-c", cmd], capture_output=True, text=True, env=env, timeout=120, check=False
    )


@pytest.fixture()
def root(tmp_path: Path) -> Path:
    return evil_session(tmp_path / "h")


def test_a_full_disk_on_stdout_is_one_line(root: Path, tmp_path: Path) -> None:
    for verb in ("ls --json", "show 1111", "export 1111", "sql 'SELECT 1'"):
        done = _run(f"$CLI --root $ROOT {verb} > /dev/full", tmp_path)
        assert done.returncode == 1, (verb, done.stderr)
        assert done.stderr.count("\n") == 1 and "No space left" in done.stderr, done.stderr


def test_a_closed_stdout_is_an_error_not_silence(root: Path, tmp_path: Path) -> None:
    done = _run("$CLI --root $ROOT ls --json >&-", tmp_path)
    assert done.returncode == 1 and "standard output is closed" in done.stderr


def test_a_reader_that_stops_early_is_no_failure(root: Path, tmp_path: Path) -> None:
    for verb in ("show 1111", "ls", "export 1111", "stats", "ls --json"):
        done = _run(
            f"$CLI --root $ROOT {verb} | head -c1 > /dev/null; exit ${{PIPESTATUS[0]}}", tmp_path
        )
        assert done.returncode == 0 and done.stderr == "", (verb, done.stderr)


@pytest.mark.parametrize(
    ("args", "says"),
    [
        ("search x --limit 99999999999999999999", "out of range"),
        ("search x --limit 0", "out of range"),
        ("ls --since garbage", "cannot read date"),
        ("stats --until 2026-13-45", "cannot read date"),
        ("--max-open -1 ls", "out of range"),
        ("demo {tmp}/d --size 1e30", "out of range"),
        ("demo {tmp}/d --size nan", "out of range"),
        ("demo {tmp}/d --sessions 99999999999", "out of range"),
        ("demo /proc/self", "/proc/self"),
        ("demo {tmp}/a-file", "not a folder"),
    ],
)
def test_absurd_arguments_get_a_clear_line(
    root: Path, tmp_path: Path, args: str, says: str
) -> None:
    (tmp_path / "a-file").write_text("x")
    done = _run(f"$CLI --root $ROOT {args.format(tmp=tmp_path)}", tmp_path)
    assert done.returncode in (1, 2), done.stderr
    assert says in done.stderr and "Traceback" not in done.stderr, done.stderr
    assert not (tmp_path / "d").exists() or not any((tmp_path / "d").iterdir())
