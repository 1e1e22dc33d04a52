"""The watch that tells the app to look for changed sessions without walking every root."""

from __future__ import annotations

import os
import time
from pathlib import Path

from sessions_tui.sources.discovery import discover, root_from_arg
from sessions_tui.sources.watch import RECENT_SECONDS, Watch


def files(tmp_path: Path) -> Path:
    (tmp_path / "projects" / "-a").mkdir(parents=True)
    (tmp_path / "projects" / "-a" / "old.jsonl").write_text("{}\n")
    (tmp_path / "projects" / "-a" / "new.jsonl").write_text("{}\n")
    old = time.time() - 2 * RECENT_SECONDS
    os.utime(tmp_path / "projects" / "-a" / "old.jsonl", (old, old))
    return tmp_path


def watch_of(root: Path) -> Watch:
    roots = root_from_arg(str(root))
    return Watch(discover(roots).files, [r.path for r in roots])


def test_nothing_changed(tmp_path: Path) -> None:
    assert not watch_of(files(tmp_path)).changed()


def test_a_new_session_file_or_folder(tmp_path: Path) -> None:
    root = files(tmp_path)
    watch = watch_of(root)
    (root / "projects" / "-a" / "third.jsonl").write_text("{}\n")
    assert watch.changed()
    watch = watch_of(root)
    (root / "projects" / "-b").mkdir()
    assert watch.changed()


def test_an_append_to_an_active_file(tmp_path: Path) -> None:
    root = files(tmp_path)
    watch = watch_of(root)
    with (root / "projects" / "-a" / "new.jsonl").open("a") as f:
        f.write("{}\n")
    assert watch.changed()


def test_old_files_are_left_to_the_full_walk(tmp_path: Path) -> None:
    root = files(tmp_path)
    watch = watch_of(root)
    assert str(root / "projects" / "-a" / "old.jsonl") not in watch.paths
    assert str(root / "projects" / "-a" / "new.jsonl") in watch.paths
