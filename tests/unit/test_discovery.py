"""Where sessions are looked for, and what one walk of the roots finds."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from sessions_tui.model import Role, Source
from sessions_tui.sources.discovery import Root, default_roots, discover, root_from_arg
from sessions_tui.store.catalog import Catalog


def test_default_roots_follow_the_environment(tmp_path: Path) -> None:
    env = {"HOME": str(tmp_path)}
    assert default_roots(env) == [
        Root(tmp_path / ".claude" / "projects", Source.CLAUDE),
        Root(tmp_path / ".config" / "claude" / "projects", Source.CLAUDE),
        Root(tmp_path / ".codex" / "sessions", Source.CODEX),
        Root(tmp_path / ".codex" / "archived_sessions", Source.CODEX),
    ]
    env = {"HOME": str(tmp_path), "CLAUDE_CONFIG_DIR": "/a, /b", "CODEX_HOME": "/c"}
    assert default_roots(env) == [
        Root(Path("/a/projects"), Source.CLAUDE),
        Root(Path("/b/projects"), Source.CLAUDE),
        Root(Path("/c/sessions"), Source.CODEX),
        Root(Path("/c/archived_sessions"), Source.CODEX),
    ]
    assert default_roots({}) != []  # no HOME: falls back to the password database


def test_root_argument_recognises_homes_and_plain_folders(tmp_path: Path) -> None:
    (tmp_path / "claude" / "projects").mkdir(parents=True)
    (tmp_path / "codex" / "sessions").mkdir(parents=True)
    assert root_from_arg(str(tmp_path / "claude")) == [
        Root(tmp_path / "claude" / "projects", Source.CLAUDE)
    ]
    assert root_from_arg(str(tmp_path / "codex")) == [
        Root(tmp_path / "codex" / "sessions", Source.CODEX)
    ]
    assert root_from_arg(str(tmp_path)) == [Root(tmp_path, None)]


def _touch(path: Path, text: str = "{}\n") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_classification_and_archived_duplicates(tmp_path: Path) -> None:
    sid = "11111111-2222-3333-4444-555555555555"
    _touch(tmp_path / "c" / "projects" / "-p" / f"{sid}.jsonl")
    _touch(tmp_path / "c" / "projects" / "-p" / "agent-a1.jsonl")
    _touch(tmp_path / "c" / "projects" / "-p" / sid / "subagents" / "agent-a2.jsonl")
    _touch(
        tmp_path / "c" / "projects" / "-p" / sid / "subagents" / "workflows" / "r" / "journal.jsonl"
    )
    rollout = "rollout-2026-11-01T10-00-00-019c8bfe-ec25-79e0-97d7-bda6a9c575ff.jsonl"
    _touch(tmp_path / "x" / "sessions" / "2026" / "11" / "01" / rollout)
    _touch(tmp_path / "x" / "archived_sessions" / "2026" / "11" / "01" / rollout)
    roots = root_from_arg(str(tmp_path / "c")) + root_from_arg(str(tmp_path / "x"))
    found = {f.path.relative_to(tmp_path).as_posix(): f for f in discover(roots).files}
    assert set(found) == {
        f"c/projects/-p/{sid}.jsonl",
        "c/projects/-p/agent-a1.jsonl",
        f"c/projects/-p/{sid}/subagents/agent-a2.jsonl",
        f"x/sessions/2026/11/01/{rollout}",
    }
    assert found["c/projects/-p/agent-a1.jsonl"].role is Role.SUBAGENT
    assert found["c/projects/-p/agent-a1.jsonl"].parent_hint is None  # learnt from sessionId
    assert found[f"c/projects/-p/{sid}/subagents/agent-a2.jsonl"].parent_hint == sid
    assert (
        found[f"x/sessions/2026/11/01/{rollout}"].file_id == "019c8bfe-ec25-79e0-97d7-bda6a9c575ff"
    )


def test_symlink_loops_and_unreadable_folders(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _touch(tmp_path / "a" / "ok.jsonl")
    os.symlink(tmp_path, tmp_path / "a" / "loop")
    (tmp_path / "locked").mkdir()
    real_scandir = os.scandir

    def scandir(path: str | os.PathLike[str]) -> object:
        if Path(path).name == "locked":
            raise PermissionError(13, "Permission denied")
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    found = discover([Root(tmp_path, None)])
    assert [f.path.name for f in found.files] == ["ok.jsonl"]
    assert found.problems == [f"cannot read {tmp_path / 'locked'}: Permission denied"]


def test_codex_subagent_thread_attaches_to_its_parent(tmp_path: Path) -> None:
    parent = "019c8bfe-ec25-79e0-97d7-bda6a9c575ff"
    child = "019c8bff-0000-7000-8000-000000000001"

    def rollout(sid: str, source: object, usage: int) -> str:
        when = "2026-11-01T10:00:00Z"
        meta = {"type": "session_meta", "timestamp": when,
                "payload": {"id": sid, "cwd": "/w", "source": source}}  # fmt: skip
        total = {"input_tokens": usage, "cached_input_tokens": 0, "output_tokens": 1}
        info = {"type": "token_count", "info": {"total_token_usage": total}}
        tokens = {"type": "event_msg", "timestamp": when, "payload": info}
        return json.dumps(meta) + "\n" + json.dumps(tokens) + "\n"

    day = tmp_path / "sessions" / "2026" / "11" / "01"
    _touch(day / f"rollout-2026-11-01T10-00-00-{parent}.jsonl", rollout(parent, "cli", 100))
    spawn = {"subagent": {"thread_spawn": {"parent_thread_id": parent}}}
    _touch(day / f"rollout-2026-11-01T10-00-05-{child}.jsonl", rollout(child, spawn, 7))
    catalog = Catalog(root_from_arg(str(tmp_path)), None)
    catalog.refresh()
    (session,) = catalog.sessions()
    assert session.id == parent and session.subagents == 1
    assert session.tokens.input == 100 and session.subagent_tokens.input == 7


def test_links_out_of_a_root_are_not_followed_and_depth_is_bounded(tmp_path: Path) -> None:
    root = tmp_path / "projects"
    _touch(root / "-p" / "a.jsonl")
    outside = tmp_path / "elsewhere"
    _touch(outside / "stray.jsonl")
    os.symlink("/", root / "-p" / "to-root")  # walked the whole disk: 31 s, 770 MB
    os.symlink(outside, root / "-p" / "out")
    os.symlink(root / "-p", root / "inside")  # a link within the root is fine
    deep = root / "-q"
    for i in range(30):
        deep = deep / f"d{i}"
    _touch(deep / "buried.jsonl")
    found = discover([Root(root, Source.CLAUDE)])
    names = sorted(f.path.name for f in found.files)
    assert names == ["a.jsonl"]  # once (the inside link leads to a folder already seen)
    assert found.problems == []
