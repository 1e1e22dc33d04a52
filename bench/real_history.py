"""A benchmark history made of real files: the session files of `../shared/corpus` and
`../shared/realworld` (or SESSIONS_TUI_CORPUS / SESSIONS_TUI_REALWORLD), copied as many
times as it takes to pass a size, each copy under new ids.

Every UUID in a copy's file names, folder names and contents is replaced by one derived
from the copy's number and the old UUID, so each copy is its own set of sessions with
its subagents still beside their parents (the `<session>/subagents/` layout and the flat
`agent-*.jsonl` one alike), and a session id is the same in the file name and in its
records. Codex rollouts go under `codex/`, everything else under `claude/`; both are
plain folders of session files, classified by the app as any `--root` is.

Built once under bench/out (a `.done` file marks it), never committed.
"""

from __future__ import annotations

import os
import re
import sys
import uuid
from pathlib import Path

OUT = Path(__file__).parent / "out"
_UUID = re.compile(rb"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def sources() -> list[tuple[Path, Path]]:
    """(folder, file) for every session file of the real corpora found."""
    shared = Path(__file__).resolve().parents[2] / "shared"
    folders = [Path(os.environ[v]) for v in ("SESSIONS_TUI_CORPUS", "SESSIONS_TUI_REALWORLD")
               if v in os.environ]  # fmt: skip
    folders += [shared / "corpus", shared / "realworld"]
    found: dict[Path, tuple[Path, Path]] = {}
    for folder in folders:
        if folder.is_dir():
            for p in sorted(folder.rglob("*.jsonl")):
                found.setdefault(p.resolve(), (folder, p))  # a corpus may be named twice
    return list(found.values())


def real_history(min_bytes: int = 1_000_000_000) -> Path | None:
    """The history (made on first use), or None without any real files."""
    files = sources()
    if not files:
        return None
    size = sum(p.stat().st_size for _, p in files)
    copies = -(-min_bytes // size)
    folder = OUT / f"real-{min_bytes // 1_000_000}mb"
    if (folder / ".done").exists():
        return folder
    print(f"writing {copies} copies of {len(files)} real files under {folder} …", file=sys.stderr)
    for k in range(copies):

        def new_id(m: re.Match[bytes], k: int = k) -> bytes:
            return str(uuid.uuid5(uuid.NAMESPACE_OID, f"{k}-{m.group(0).decode()}")).encode()

        for base, path in files:
            rel = str(path.relative_to(base.parent)).encode()
            codex = path.name.startswith("rollout-") or b"codex" in rel.lower()
            target = folder / ("codex" if codex else "claude") / f"copy{k:03d}"
            target = target / _UUID.sub(new_id, rel).decode()
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(_UUID.sub(new_id, path.read_bytes()))
    (folder / ".done").write_text(f"{copies} copies of {len(files)} files, {size} bytes each\n")
    return folder
