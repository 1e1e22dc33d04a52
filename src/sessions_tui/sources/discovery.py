"""Where session files live, and one directory walk that finds them (no file is opened)."""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from sessions_tui.model import Role, SessionFile, Source
from sessions_tui.paths import expand
from sessions_tui.sources.files import open_regular


@dataclass(frozen=True, slots=True)
class Root:
    """A folder to scan. `source` None means: tell each file's format by its name."""

    path: Path
    source: Source | None


@dataclass(slots=True)
class Discovery:
    """What one walk found: the files, and one line per thing it could not read."""

    files: list[SessionFile] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def default_roots(env: Mapping[str, str] | None = None) -> list[Root]:
    """The roots Claude Code and Codex use, honouring CLAUDE_CONFIG_DIR and CODEX_HOME."""
    env = os.environ if env is None else env
    home = Path(env["HOME"]) if env.get("HOME") else _home_or_none()
    roots: list[Root] = []
    claude = env.get("CLAUDE_CONFIG_DIR", "").strip()
    if claude:
        roots += [
            Root(expand(p.strip()) / "projects", Source.CLAUDE)
            for p in claude.split(",")
            if p.strip()
        ]
    elif home is not None:
        roots += [
            Root(home / ".claude" / "projects", Source.CLAUDE),
            Root(home / ".config" / "claude" / "projects", Source.CLAUDE),
        ]
    codex = env.get("CODEX_HOME", "").strip()
    codex_home = expand(codex) if codex else (home / ".codex" if home else None)
    if codex_home is not None:
        # `sessions/` is listed first so that it wins over an archived copy of a file.
        roots += [
            Root(codex_home / "sessions", Source.CODEX),
            Root(codex_home / "archived_sessions", Source.CODEX),
        ]
    return roots


def root_from_arg(arg: str) -> list[Root]:
    """Turn a `--root PATH` into roots: a Claude or Codex home, or any folder of files."""
    path = expand(arg).absolute()  # the same files by the same names, from any folder
    if (path / "projects").is_dir():
        return [Root(path / "projects", Source.CLAUDE)]
    codex = [
        Root(path / sub, Source.CODEX)
        for sub in ("sessions", "archived_sessions")
        if (path / sub).is_dir()
    ]
    return codex or [Root(path, None)]


def _home_or_none() -> Path | None:
    try:
        return Path.home()
    except (RuntimeError, KeyError):
        return None


def discover(roots: Iterable[Root]) -> Discovery:
    """Walk every root once and classify the `.jsonl` files found."""
    found = Discovery()
    seen_dirs: set[tuple[int, int]] = set()
    seen_codex_names: set[str] = set()
    for root in roots:
        if not root.path.exists():
            continue
        for path, st, nested in _walk(root.path, seen_dirs, found.problems):
            session_file = _classify(path, st, root.source, nested)
            if session_file is None:
                continue
            if session_file.source is Source.CODEX:
                # The same rollout in sessions/ and archived_sessions/: the first wins.
                if path.name in seen_codex_names:
                    continue
                seen_codex_names.add(path.name)
            found.files.append(session_file)
    return found


# Folders below a root: Claude's deepest layout is 6 (a workflow's agent files), Codex's 4.
MAX_DEPTH = 16


def _walk(
    top: Path, seen: set[tuple[int, int]], problems: list[str]
) -> Iterator[tuple[Path, os.stat_result, bool]]:
    """(path, stat, whether a folder on its way is named `subagents`) of each readable
    `.jsonl` file under `top`."""
    inside = os.path.realpath(top)
    stack = [(top, 0)]
    while stack:
        folder, depth = stack.pop()
        try:
            st = folder.stat()
        except OSError as exc:
            problems.append(f"cannot read {folder}: {exc.strerror or exc}")
            continue
        key = (st.st_dev, st.st_ino)
        if key in seen:  # a symlink loop, or two roots that overlap
            continue
        seen.add(key)
        try:
            with os.scandir(folder) as it:
                children = list(it)
        except OSError as exc:
            problems.append(f"cannot read {folder}: {exc.strerror or exc}")
            continue
        subdirs: list[tuple[Path, int]] = []
        nested = "subagents" in folder.parts
        for child in sorted(children, key=lambda e: e.name):
            try:
                child_st = child.stat()
            except OSError as exc:
                if not child.is_symlink():
                    problems.append(f"cannot read {child.path}: {exc.strerror or exc}")
                continue
            if stat.S_ISDIR(child_st.st_mode):
                if depth >= MAX_DEPTH:
                    continue  # deeper than any layout of Claude Code or Codex
                if child.is_symlink() and not _within(os.path.realpath(child.path), inside):
                    continue  # a link out of the root (to `/`, say) would walk the disk
                subdirs.append((Path(child.path), depth + 1))
            elif stat.S_ISREG(child_st.st_mode) and child.name.endswith(".jsonl"):
                if not os.access(child.path, os.R_OK):
                    problems.append(f"cannot read {child.path}: permission denied")
                    continue
                yield _child(folder, child.name), child_st, nested
        stack.extend(reversed(subdirs))


def _child(folder: Path, name: str) -> Path:
    """`folder / name` without parsing the folder again: a third of the time of a
    discovery of 100,000 files went into building their paths."""
    make = getattr(folder, "_make_child_relpath", None)  # CPython's own, where it exists
    return make(name) if make is not None else folder / name


# A Codex record at the top of a file: its type is one only Codex writes.
_CODEX_TYPE = re.compile(rb'"type"\s*:\s*"(session_meta|response_item|event_msg|turn_context)"')


def _codex(path: Path) -> bool:
    """Whether a file not named `rollout-*` is a Codex rollout, from its first 4 KiB
    (`codex-pomodor-timer.jsonl`, a fixture's `session-01.jsonl`): read only for files in
    plain folders, where the name says nothing."""
    try:
        with open_regular(path) as f:
            head = f.read(4096)
    except OSError:
        return False
    return _CODEX_TYPE.search(head) is not None


def _within(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def _classify(
    path: Path, st: os.stat_result, source: Source | None, in_subagents: bool
) -> SessionFile | None:
    name = path.name
    stem = name[: -len(".jsonl")]
    if source is None:  # a plain folder: the records say which agent wrote the file
        codex = name.startswith("rollout-") or (not stem.startswith("agent-") and _codex(path))
        source = Source.CODEX if codex else Source.CLAUDE
    if source is Source.CODEX:
        # rollout-<YYYY-MM-DDThh-mm-ss>-<uuid>.jsonl: the id is the trailing uuid.
        file_id = stem[-36:] if len(stem) > 36 + len("rollout-") else stem
        return SessionFile(path, st.st_size, st.st_mtime_ns, source, Role.MAIN, file_id)
    if stem.startswith("agent-"):
        parent = None
        if in_subagents:
            parts = path.parts
            idx = len(parts) - 2 - list(reversed(parts[:-1])).index("subagents")
            parent = parts[idx - 1] if idx >= 1 else None
        return SessionFile(
            path, st.st_size, st.st_mtime_ns, source, Role.SUBAGENT, stem, parent_hint=parent
        )
    if in_subagents:
        return None  # workflow journals and other sidecar files are not transcripts
    return SessionFile(path, st.st_size, st.st_mtime_ns, source, Role.MAIN, stem)
