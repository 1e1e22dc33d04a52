"""Where `export -o` and `--profile` write: through devices and FIFOs, never over them, and
never into a session folder, however the path gets there."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from sessions_tui.cli.main import main
from tests.cli_run import evil_session, run_cli
from tests.records import SID


def _export(capsys: pytest.CaptureFixture[str], root: Path, target: str) -> tuple[int, str]:
    code, _, err = run_cli(capsys, "--root", str(root), "export", SID[:8], "-o", target)
    return code, err


def test_export_to_dev_null_leaves_it_a_device(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = evil_session(tmp_path / "h")
    code, err = _export(capsys, root, "/dev/null")
    assert code == 0, err
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_export_writes_through_a_fifo_and_refuses_one_nobody_reads(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = evil_session(tmp_path / "h")
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    code, err = _export(capsys, root, f"{fifo}.md")  # not the FIFO: a new file beside it
    assert code == 0
    code, err = _export(capsys, root, str(fifo))
    assert code == 1 and "nothing reads from it" in err and err.count("\n") == 1
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)  # a reader is there now
    try:
        code, err = _export(capsys, root, str(fifo))  # small: fits the pipe's buffer
        got = os.read(reader, 1 << 20)
    finally:
        os.close(reader)
    assert code == 0, err
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert got.startswith(b"# ")


def test_export_through_a_symlink_replaces_its_target_and_keeps_the_link(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = evil_session(tmp_path / "h")
    real = tmp_path / "out" / "real.md"
    real.parent.mkdir()
    real.write_text("old")
    link = tmp_path / "link.md"
    link.symlink_to(real)
    assert _export(capsys, root, str(link))[0] == 0
    assert link.is_symlink() and real.read_text().startswith("# ")
    into_root = tmp_path / "sneaky.md"
    into_root.symlink_to(root / "projects" / "x.md")
    before = sorted(root.rglob("*"))
    code, err = _export(capsys, root, str(into_root))
    assert code == 1 and "will not write into a session folder" in err
    assert sorted(root.rglob("*")) == before
    code, err = _export(capsys, root, str(tmp_path))
    assert code == 1 and "folder" in err


def test_profile_inside_a_session_root_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = evil_session(tmp_path / "h")
    before = sorted(root.rglob("*"))
    target = root / "projects" / "profile.json"
    code = main(["--root", str(root), "--profile", str(target)])
    err = capsys.readouterr().err
    assert code == 1 and "--profile" in err and "session folder" in err, err
    assert sorted(root.rglob("*")) == before


def test_the_browser_refuses_to_start_without_a_terminal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = evil_session(tmp_path / "h")
    code = main(["--root", str(root)])  # pytest's stdin and stdout are not terminals
    err = capsys.readouterr().err
    assert code == 2 and "needs a terminal" in err and err.count("\n") == 1
