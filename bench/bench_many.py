"""100,000 small session files: what the CLI costs when a history has very many sessions.

The history is made of real files: the small sessions of `../shared/corpus` and
`../shared/realworld` (or SESSIONS_TUI_CORPUS), copied under new ids (the id in the file
name and in every record) into 200 project folders; without them, of the demo's small
sessions. It is built once, under bench/out. Each measure runs in a fresh process and
reports its own peak RSS.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

OUT = Path(__file__).parent / "out"
SMALL = 16_384  # bytes: a "tiny" session

_RUN = """
import json, os, resource, sys, time
from sessions_tui.cli.main import main
sys.stdout = open(os.devnull, "w")
t = time.perf_counter()
code = main(sys.argv[1:])
print(json.dumps({"code": code, "seconds": time.perf_counter() - t,
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}),
      file=sys.stderr)
"""


def _sources() -> list[Path]:
    """Small real Claude session files (main sessions, not agents)."""
    here = Path(__file__).resolve().parents[2] / "shared"
    folders = (
        [Path(os.environ["SESSIONS_TUI_CORPUS"])] if "SESSIONS_TUI_CORPUS" in os.environ else []
    )
    folders += [here / "corpus", here / "realworld"]
    found: dict[Path, Path] = {}
    for folder in folders:
        if folder.is_dir():
            for p in sorted(folder.rglob("*.jsonl")):
                small = p.stat().st_size <= SMALL and "codex" not in str(p).lower()
                if small and not p.name.startswith(("agent-", "rollout-")):
                    found.setdefault(p.resolve(), p)  # the corpus may be named twice
    return list(found.values())


def _history(count: int) -> tuple[Path, str]:
    folder = OUT / f"many-{count}"
    if (folder / ".done").exists():
        return folder, (folder / ".done").read_text()
    sources = _sources()
    made_of = f"{len(sources)} real files" if sources else "the demo's small sessions"
    if not sources:
        from sessions_tui.demo import generate_history

        with tempfile.TemporaryDirectory() as tmp:
            generate_history(Path(tmp), seed=5, sessions=200, total_bytes=600_000)
            sources = [p for p in Path(tmp).rglob("*.jsonl") if p.stat().st_size <= SMALL]
            return _copies(folder, count, [(p.stem, p.read_bytes()) for p in sources], made_of)
    return _copies(folder, count, [(p.stem, p.read_bytes()) for p in sources], made_of)


def _copies(
    folder: Path, count: int, sources: list[tuple[str, bytes]], made_of: str
) -> tuple[Path, str]:
    print(f"writing {count} sessions from {made_of} under {folder} …", file=sys.stderr)
    root = folder / "projects"
    for i in range(count):
        stem, data = sources[i % len(sources)]
        new = str(uuid.UUID(int=i + 1, version=4))
        project = root / f"-home-dev-project{i % 200}"
        if i < 200:
            project.mkdir(parents=True, exist_ok=True)
        (project / f"{new}.jsonl").write_bytes(data.replace(stem.encode(), new.encode()))
    (folder / ".done").write_text(made_of)
    return folder, made_of


def _measure(args: list[str], cache: str) -> dict[str, float]:
    env = dict(os.environ, SESSIONS_TUI_CACHE_DIR=cache)
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", _RUN, *args], env=env, capture_output=True,
                          text=True, check=True)  # fmt: skip
    wall = time.perf_counter() - started
    result: dict[str, float] = json.loads(done.stderr.strip().splitlines()[-1])
    result["seconds"] = wall  # the whole process, as a person waits for it
    if result["code"] != 0:
        raise RuntimeError(f"{args} exited {result['code']}")
    return result


def many_sessions(count: int, runs: int) -> dict[str, float]:
    """Cold and warm `ls --json` and a warm `show ID` over `count` small sessions."""
    history, made_of = _history(count)
    print(f"{count} small sessions made of {made_of}", file=sys.stderr)
    ls = ["--root", str(history), "ls", "--json"]
    first = str(uuid.UUID(int=1, version=4))
    with tempfile.TemporaryDirectory() as cache:
        cold = _measure(ls, cache)
        warm = [_measure(ls, cache) for _ in range(runs)]
        show = [_measure(["--root", str(history), "show", first], cache) for _ in range(runs)]
    return {
        "many_sessions": count,
        "many_cold_ls_json_s": cold["seconds"],
        "many_cold_peak_rss_mb": cold["rss_mb"],
        "many_warm_ls_json_s": statistics.median(r["seconds"] for r in warm),
        "many_warm_peak_rss_mb": max(r["rss_mb"] for r in warm),
        "many_show_s": statistics.median(r["seconds"] for r in show),
    }


if __name__ == "__main__":
    sizes = [int(a) for a in sys.argv[1:]] or [100_000]
    for n in sizes:
        for key, value in many_sessions(n, 3).items():
            print(f"{key:<26}{value:>12.2f}")
