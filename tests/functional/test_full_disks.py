"""A full disk, a full temporary folder, a killed process: one line, no traceback, and no
temporary file left behind."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

import pytest

from sessions_tui.cli.main import _exit_on_signals
from sessions_tui.demo import DemoReport
from sessions_tui.sources.discovery import root_from_arg
from sessions_tui.store import tempfiles
from sessions_tui.store.catalog import Catalog


@pytest.fixture()
def full_disk(tmp_path: Path) -> Iterator[Path]:
    """A 400 KB tmpfs, filled: writing there fails with ENOSPC."""
    mount = tmp_path / "full"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=400k", "tmpfs", str(mount)],
                          capture_output=True, check=False)  # fmt: skip
    if done.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here: {done.stderr.decode().strip()}")
    try:
        with contextlib.suppress(OSError), (mount / "filler").open("wb") as f:
            f.write(b"\0" * 1_000_000)
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def _cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "sessions_tui", *args]
    environ = {**os.environ, **env}
    return subprocess.run(
        command, capture_output=True, text=True, env=environ, timeout=120, check=False
    )


def _roots(root: Path) -> list[str]:
    return ["--root", str(root / "claude"), "--root", str(root / "codex")]


def test_a_full_temporary_folder_uses_the_next_one(
    demo_history: tuple[Path, DemoReport], full_disk: Path, tmp_path: Path
) -> None:
    root, report = demo_history
    env = {"TMPDIR": str(full_disk), "SESSIONS_TUI_CACHE_DIR": str(tmp_path / "cache")}
    done = _cli(*_roots(root), "ls", "--json", env=env)
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    assert done.stdout.count('"id"') == report.sessions
    assert sorted(p.name for p in full_disk.iterdir()) == ["filler"]  # no partial file


def test_a_temporary_file_goes_where_there_is_room(
    full_disk: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    roomy = tmp_path / "roomy"
    monkeypatch.setattr(tempfiles, "folders", lambda: [full_disk, roomy])
    calls = []

    def fill(out: BinaryIO) -> None:
        calls.append(1)
        out.write(b"x" * 200_000)

    path = Path(tempfiles.write_temp(fill))
    assert path.parent == roomy and path.stat().st_size == 200_000 and len(calls) == 2
    assert sorted(p.name for p in full_disk.iterdir()) == ["filler"]  # the partial is gone
    monkeypatch.setattr(tempfiles, "folders", lambda: [full_disk])
    with pytest.raises(OSError, match="No space"):
        tempfiles.write_temp(fill)
    assert sorted(p.name for p in full_disk.iterdir()) == ["filler"]


def test_no_room_anywhere_still_lists_every_session(
    demo_history: tuple[Path, DemoReport], full_disk: Path
) -> None:
    root, report = demo_history
    env = {"TMPDIR": str(full_disk), "SESSIONS_TUI_CACHE_DIR": str(full_disk / "cache")}
    done = _cli(*_roots(root), "ls", "--json", env=env)
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    assert "in-memory catalog" in done.stderr
    assert done.stdout.count('"id"') == report.sessions
    assert not list(full_disk.glob("sessions-tui-*"))


def test_files_left_by_a_killed_process_are_swept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", None)  # read TMPDIR again
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True).stdout.strip()  # fmt: skip
    left = tmp_path / f"sessions-tui-{dead}-abc.jsonl"
    left.write_text("{}\n")
    mine = tmp_path / f"sessions-tui-{os.getpid()}-abc.jsonl"
    mine.write_text("{}\n")
    other = tmp_path / "sessions-tui-notes.txt"
    other.write_text("not ours to remove")
    Catalog(root_from_arg(str(tmp_path / "none")), tmp_path / "cache").close()
    assert not left.exists() and mine.exists() and other.exists()


def test_sigterm_ends_a_verb_through_its_cleanups() -> None:
    before = signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGHUP)
    cleaned = []
    try:
        _exit_on_signals()
        with pytest.raises(SystemExit) as stopped:
            try:
                os.kill(os.getpid(), signal.SIGTERM)
                signal.sigtimedwait([], 0.5) if hasattr(signal, "sigtimedwait") else None
            finally:
                cleaned.append(True)
        assert stopped.value.code == 128 + signal.SIGTERM
    finally:
        signal.signal(signal.SIGTERM, before[0])
        signal.signal(signal.SIGHUP, before[1])
    assert cleaned == [True]
