"""A deterministic demo history: realistic Claude Code and Codex files, faults included.

`generate_history(dest, seed=..., sessions=..., total_bytes=...)` writes
`dest/claude/projects/...` (a Claude config root) and `dest/codex/sessions/...` (a Codex
home). The same seed and sizes always give the same bytes. It feeds `make run` on a machine
with no sessions, the tests and the benchmark.
"""

from __future__ import annotations

import json
import os
import random
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sessions_tui.demo import text as T
from sessions_tui.demo.claude import ClaudeTranscript, _uuid
from sessions_tui.demo.claude_story import Story
from sessions_tui.demo.codex import CodexRollout

END_OF_DEMO = datetime(2026, 11, 20, 18, 0, tzinfo=UTC)
FAULTS = ("torn", "glued", "nul", "garbage", "bom", "blank")


@dataclass
class DemoReport:
    """What was written, for tests and the benchmark to check against."""

    files: int = 0
    sessions: int = 0
    subagent_files: int = 0
    bytes: int = 0
    faults: dict[str, list[Path]] = field(default_factory=dict)
    big_session: Path | None = None


def encode_project(cwd: str) -> str:
    """Claude Code's folder name for a cwd (lossy: every non-alphanumeric becomes `-`)."""
    return re.sub(r"[^a-zA-Z0-9]", "-", cwd)[:200]


def _fault_for(index: int) -> str | None:
    """Every fault type twice among the first 60 sessions, then one session in 50.

    Real histories have few damaged files (a torn last line on a live session, a rare
    crash); a small demo still shows each kind.
    """
    step = 5 if index < 60 else 50
    if index % step != 3:
        return None
    return FAULTS[(index // step) % len(FAULTS)]


def _inject(lines: list[str], fault: str, rng: random.Random) -> tuple[list[str], str]:
    """Damage a file the ways real ones get damaged; returns the lines and a trailer."""
    trailer = ""
    at = rng.randrange(1, max(2, len(lines)))
    if fault == "torn":
        trailer = lines[-1][: len(lines[-1]) // 2]  # a half-written last line, no newline
    elif fault == "glued" and len(lines) > 2:
        lines = [*lines[: at - 1], lines[at - 1] + lines[at], *lines[at + 1 :]]
    elif fault == "nul":
        lines = [*lines[:at], "\x00" * 64, *lines[at:]]
    elif fault == "garbage":
        lines = [*lines[:at], '{"type":"user","message":{"content":"cut here', *lines[at:]]
    elif fault == "bom":
        lines = ["\ufeff" + lines[0], *lines[1:]]
    elif fault == "blank":
        lines = [*lines[:at], "", "   ", *lines[at:]]
    return lines, trailer


def _write(path: Path, lines: list[str], trailer: str, mtime: datetime) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    data = "".join(line + "\n" for line in lines) + trailer
    raw = data.encode("utf-8")
    path.write_bytes(raw)
    stamp = mtime.timestamp()
    os.utime(path, (stamp, stamp))
    return len(raw)


def generate_history(
    dest: Path,
    *,
    seed: int = 7,
    sessions: int = 40,
    total_bytes: int = 8_000_000,
    big_records: int = 0,
    codex_share: float = 0.2,
) -> DemoReport:
    """Write a demo history under `dest` and report what it holds."""
    rng = random.Random(seed)
    report = DemoReport()
    per_session = max(2_000, total_bytes // max(1, sessions))
    span = timedelta(days=60).total_seconds()
    for index in range(sessions):
        srng = random.Random(rng.getrandbits(64))
        start = END_OF_DEMO - timedelta(seconds=srng.uniform(3_600, span))
        cwd = T.pick(srng, T.PROJECTS)
        target = int(per_session * srng.lognormvariate(0, 0.6))
        min_records = big_records if index == 0 else 0
        fault = _fault_for(index)
        if srng.random() < codex_share and index != 0:
            _write_codex(dest, srng, cwd, start, target, fault, report)
        else:
            path = _write_claude(dest, srng, cwd, start, target, min_records, fault, report)
            if index == 0 and big_records:
                report.big_session = path
    return report


def _write_claude(
    dest: Path,
    rng: random.Random,
    cwd: str,
    start: datetime,
    target: int,
    min_records: int,
    fault: str | None,
    report: DemoReport,
) -> Path:
    session_id = _uuid(rng)
    legacy = rng.random() < 0.3
    story = Story(rng, session_id, cwd, start, legacy)
    story.play(target, min_records)
    folder = dest / "claude" / "projects" / encode_project(cwd)
    main = story.main
    lines, trailer = _inject(main.lines, fault, rng) if fault else (main.lines, "")
    path = folder / f"{session_id}.jsonl"
    report.bytes += _write(path, lines, trailer, main.clock)
    if fault:
        report.faults.setdefault(fault, []).append(path)
    report.files += 1
    report.sessions += 1
    for sub in main.subagents:
        report.bytes += _write_subagent(folder, session_id, sub, legacy)
        report.files += 1
        report.subagent_files += 1
    return path


def _write_subagent(folder: Path, session_id: str, sub: ClaudeTranscript, legacy: bool) -> int:
    name = f"agent-{sub.agent_id}"
    if legacy:
        return _write(folder / f"{name}.jsonl", sub.lines, "", sub.clock)
    sub_dir = folder / session_id / "subagents"
    size = _write(sub_dir / f"{name}.jsonl", sub.lines, "", sub.clock)
    meta = {"agentType": "Explore", "description": "Explore the code", "toolUseId": ""}
    (sub_dir / f"{name}.meta.json").write_text(json.dumps(meta), encoding="utf-8")
    return size


def _write_codex(
    dest: Path,
    rng: random.Random,
    cwd: str,
    start: datetime,
    target: int,
    fault: str | None,
    report: DemoReport,
) -> None:
    session_id = str(_uuid(rng))
    rollout = CodexRollout(rng, session_id, cwd, start)
    rollout.play(target)
    day = start.strftime("%Y/%m/%d")
    name = f"rollout-{start.strftime('%Y-%m-%dT%H-%M-%S')}-{session_id}.jsonl"
    path = dest / "codex" / "sessions" / day / name
    lines, trailer = _inject(rollout.lines, fault, rng) if fault else (rollout.lines, "")
    report.bytes += _write(path, lines, trailer, rollout.clock)
    if fault:
        report.faults.setdefault(fault, []).append(path)
    report.files += 1
    report.sessions += 1
