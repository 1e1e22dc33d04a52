"""Running the CLI in-process, and a history whose text tries every trick."""

from __future__ import annotations

from pathlib import Path

import pytest

from sessions_tui.cli.main import main
from tests.records import SID, assistant, user, write

EVIL = (
    "</pre><script>alert(1)</script> [x](javascript:alert(1)) ``` fence\n"
    "# not a heading\n<img src=x onerror=alert(1)> \x1b[31mred\x1b[0m & done"
)


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def roots_args(root: Path) -> list[str]:
    return ["--root", str(root / "claude"), "--root", str(root / "codex")]


def evil_session(root: Path) -> Path:
    folder = root / "projects" / "-home-u-evil"
    write(folder, f"{SID}.jsonl", [
        user(EVIL, "u1", cwd="/home/u/<evil>"),
        assistant({"type": "text", "text": "````\nfour ticks"}, "m1", 7, "a1"),
        assistant({"type": "tool_use", "id": "t1", "name": "Bash<b>", "input": {"c": "ls"}},
                  "m2", 3, "a2"),
    ])  # fmt: skip
    return root
