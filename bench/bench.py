"""`make bench`: the reader's speed and memory on a generated history of ≥ 1 GB, and the
cold catalog, the index and search on a ≥ 1 GB history made of real files
(`real_history.py`; its figures are `real_…`).

Prints a table and writes bench/out/bench.json. Figures are medians (and P95 where the
issue names it) over repeated runs; this machine is noisy, so compare ratios, not digits.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

OUT = Path(__file__).parent / "out"


def _history(args: argparse.Namespace) -> Path:
    folder = OUT / f"history-s{args.sessions}-{args.size_mb}mb-r{args.big_records}"
    if not (folder / ".done").exists():
        from sessions_tui.demo import generate_history

        print(f"generating {folder} …", file=sys.stderr)
        generate_history(
            folder,
            seed=3,
            sessions=args.sessions,
            total_bytes=args.size_mb * 1_000_000,
            big_records=args.big_records,
        )
        (folder / ".done").write_text("ok")
    return folder


_COLD = """
import resource, sys, time, json
from pathlib import Path
from sessions_tui.sources.discovery import root_from_arg
from sessions_tui.store.catalog import Catalog
roots = root_from_arg(sys.argv[1] + "/claude") + root_from_arg(sys.argv[1] + "/codex")
c = Catalog(roots, Path(sys.argv[2]))
r = c.refresh()
print(json.dumps({"seconds": r.seconds, "bytes": r.bytes_read, "files": r.files,
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def cold_build(history: Path, runs: int) -> dict[str, float]:
    results = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as cache:
            out = subprocess.run(
                [sys.executable, "-c", _COLD, str(history), cache],
                capture_output=True,
                text=True,
                check=True,
            )
            results.append(json.loads(out.stdout))
    secs = statistics.median(r["seconds"] for r in results)
    return {
        "cold_seconds": secs,
        "cold_mb_s": results[0]["bytes"] / 1e6 / secs,
        "cold_peak_rss_mb": max(r["rss_mb"] for r in results),
        "files": results[0]["files"],
        "history_mb": results[0]["bytes"] / 1e6,
    }


def _ccusage() -> str | None:
    """ccusage 20.0.24 as `make bench` installs it (npm), or on PATH."""
    local = OUT / "ccusage" / "node_modules" / ".bin" / "ccusage"
    return str(local) if local.exists() else shutil.which("ccusage")


def against_ccusage(history: Path, runs: int) -> dict[str, float]:
    """The cold catalog of the history's Claude files against ccusage reading the same
    files (`ccusage claude daily --json --offline`, its fastest report), same page cache.
    Skipped when ccusage is not installed."""
    ccusage = _ccusage()
    if ccusage is None:
        print("ccusage not installed: its comparison is skipped", file=sys.stderr)
        return {}
    ours = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as cache:
            out = subprocess.run([sys.executable, "-c", _COLD_CLAUDE, str(history), cache],
                                 capture_output=True, text=True, check=True)  # fmt: skip
            ours.append(json.loads(out.stdout)["seconds"])
    theirs = []
    with tempfile.TemporaryDirectory() as home:
        config = Path(home) / "claude"
        config.mkdir()
        (config / "projects").symlink_to((history / "claude").resolve())
        env = dict(os.environ, HOME=home, CLAUDE_CONFIG_DIR=str(config))
        cmd = [ccusage, "claude", "daily", "--json", "--offline"]
        for _ in range(runs + 1):  # the first run warms node's caches
            started = time.perf_counter()
            subprocess.run(cmd, env=env, capture_output=True, check=True)
            theirs.append(time.perf_counter() - started)
    catalog, peer = statistics.median(ours), statistics.median(theirs[1:])
    return {"claude_cold_seconds": catalog, "ccusage_claude_seconds": peer,
            "ccusage_vs_catalog_ratio": peer / catalog}  # fmt: skip


_COLD_CLAUDE = """
import sys, json
from pathlib import Path
from sessions_tui.sources.discovery import root_from_arg
from sessions_tui.store.catalog import Catalog
r = Catalog(root_from_arg(sys.argv[1] + "/claude"), Path(sys.argv[2])).refresh()
print(json.dumps({"seconds": r.seconds}))
"""


def warm_ls(history: Path, runs: int) -> dict[str, float]:
    env = dict(os.environ)
    with tempfile.TemporaryDirectory() as cache:
        env["SESSIONS_TUI_CACHE_DIR"] = cache
        cmd = [
            sys.executable,
            "-m",
            "sessions_tui",
            "--root",
            str(history / "claude"),
            "--root",
            str(history / "codex"),
            "ls",
            "--json",
        ]
        subprocess.run(cmd, env=env, capture_output=True, check=True)  # builds the cache
        times = []
        for _ in range(runs):
            t = time.perf_counter()
            subprocess.run(cmd, env=env, capture_output=True, check=True)
            times.append(time.perf_counter() - t)
    return {"warm_ls_json_seconds": statistics.median(times)}


def session_view(history: Path, runs: int) -> dict[str, float]:
    from sessions_tui.model import Kind
    from sessions_tui.sources.discovery import root_from_arg
    from sessions_tui.store.catalog import Catalog
    from sessions_tui.store.filters import Filter
    from sessions_tui.store.session_view import SessionView

    c = Catalog(root_from_arg(str(history / "claude")), None)
    c.refresh()
    big = max(c.sessions(), key=lambda s: s.records)
    opens, windows, toggles = [], [], []
    rng = random.Random(1)
    for _ in range(runs):
        t = time.perf_counter()
        view = SessionView(big)
        view.window(0, 60)
        opens.append(time.perf_counter() - t)
        for _ in range(200):
            start = rng.randrange(view.total)
            t = time.perf_counter()
            view.window(start, 60)
            windows.append(time.perf_counter() - t)
        for kinds in ({Kind.PROMPT}, {Kind.ERROR}, {Kind.TOOL_CALL, Kind.TOOL_RESULT}, None):
            t = time.perf_counter()
            view.visible(Filter(kinds=frozenset(kinds) if kinds else None))
            toggles.append(time.perf_counter() - t)
        view.close()
    windows.sort()
    return {
        "big_session_records": big.records,
        "open_first_window_ms": statistics.median(opens) * 1e3,
        "window_p95_ms": windows[int(len(windows) * 0.95)] * 1e3,
        "filter_toggle_ms": statistics.median(toggles) * 1e3,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sessions", type=int, default=1100)
    parser.add_argument("--size-mb", type=int, default=1100)
    parser.add_argument("--big-records", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--reader-only", action="store_true", help="skip the app's measures")
    parser.add_argument("--only", choices=("find",), help="only search, follow and workspace")
    parser.add_argument(
        "--many", type=int, default=100_000, help="small sessions to list (0 skips that)"
    )
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    history = _history(args)
    result: dict[str, float] = {}
    if not args.only:
        result |= cold_build(history, args.runs)
        result |= warm_ls(history, args.runs + 2)
        result |= session_view(history, args.runs)
        if args.many:
            import bench_many

            result |= bench_many.many_sessions(args.many, args.runs)
    if not args.reader_only and not args.only:
        import bench_tui

        result |= bench_tui.start_times(history, args.runs + 2)
        import bench_shared

        result |= bench_shared.shared_cache(history, args.runs + 2)
        result |= bench_shared.enter_at_once(history, args.runs + 2)
        result |= bench_shared.make_run_first_frame()
        result |= bench_tui.open_times(history, args.runs)
        result |= bench_tui.keys_and_memory(history)
    import bench_find

    result |= bench_find.search(history, args.runs)
    if not args.reader_only:
        import bench_list

        plain = [text for text, regex in bench_find.QUERIES if not regex]
        result |= bench_list.search_first_row(history, plain, args.runs)
        result |= bench_list.list_keys(10_000)
        result |= bench_list.keys_during_index_build(history)
    if not args.reader_only:
        result |= bench_find.append_to_screen(history)
        result |= bench_find.idle_cpu(history)
        result |= bench_find.workspace(history, args.runs)
        import bench_soak

        result |= bench_soak.random_keys(history)
        result |= bench_soak.memory(history)
    import real_history

    real = real_history.real_history()
    if real is not None and not args.only:  # the goals refer to these (issue 16)
        made = (real / ".done").read_text().strip()
        print(f"real-file history: {made}", file=sys.stderr)
        result |= {f"real_{k}": v for k, v in cold_build(real, args.runs).items()}
        result |= {f"real_{k}": v for k, v in against_ccusage(real, args.runs).items()}
        found = bench_find.search(real, args.runs, bench_find.REAL_QUERIES)
        result |= {f"real_{k}": v for k, v in found.items()}
        if not args.reader_only:
            import bench_tui

            opens = bench_tui.open_times(real, args.runs)
            result |= {f"real_{k}": v for k, v in opens.items()}
    goals = {
        "cold_mb_s": "≥ 300",
        "warm_ls_json_seconds": "≤ 0.5",
        "open_first_window_ms": "≤ 300",
        "window_p95_ms": "≤ 5",
        "filter_toggle_ms": "≤ 50",
        "cold_peak_rss_mb": "≤ 400",
        "warm_vs_bare_ratio": "≤ 1.5",
        "cold_first_list_paint_s": "≤ 1",
        "page_down_p95_ms": "≤ 16",
        "jump_end_p95_ms": "≤ 16",
        "resize_160_to_80_ms": "≤ 100",
        "reading_keys_median_ms": "(report)",
        "switch_p95_ms": "≤ 16",
        "filter_toggle_median_ms": "≤ 50",
        "rss_10_open_mb": "≤ 250",
        "search_vs_rg_ratio": "≤ 2",
        "search_vs_rg_worst_ratio": "(report)",
        "search_first_row_median_ms": "≤ 150",
        "list_filter_key_median_ms": "≤ 30",
        "list_filter_key_p95_ms": "(report)",
        "list_sort_median_ms": "≤ 50",
        "index_file_vs_history": "≤ 0.35",
        "keys_during_index_build_p99_ms": "≤ 50",
        "rss_during_index_build_max_mb": "≤ 400",
        "append_to_screen_p95_s": "≤ 1.5",
        "idle_cpu_percent": "near 0",
        "random_key_frame_p99_ms": "≤ 50",
        "random_key_frame_max_ms": "≤ 150",
        "escape_frame_median_ms": "(report)",
        "rss_growth_100_open_close_mb": "< 5",
        "rss_growth_next_100_open_close_mb": "(report)",
        "workspace_save_ms": "≤ 100",
        "workspace_file_load_ms": "≤ 200",
        "workspace_restore_active_ms": "≤ 300 (open)",
        "many_warm_ls_json_s": "≤ 2",
        "ls_beside_browser_ratio": "≤ 1.5",
        "second_browser_full_list_s": "≤ 1",
        "warm_enter_at_once_first_screen_s": "≤ 0.6",
        "warm_enter_after_a_look_to_screen_ms": "(report)",
        "make_run_fresh_clone_first_frame_s": "≤ 10",
        "many_warm_peak_rss_mb": "≤ 400",
        "real_cold_mb_s": "≥ 300",
        "real_cold_peak_rss_mb": "≤ 400",
        "real_ccusage_vs_catalog_ratio": "≥ 1 (aim 2)",
        "real_search_vs_rg_ratio": "≤ 2",
        "real_index_file_vs_history": "≤ 0.35",
        "real_index_build_mb_s": "≥ 300",
    }
    for prefix in ("", "real_"):  # the first screen of any session (issue 16)
        for n in range(1, 6):
            goals[f"{prefix}open_largest{n}_first_screen_ms"] = "≤ 150"
        goals[f"{prefix}open_1to3mb_first_screen_ms"] = "≤ 60"
    print(f"{'measure':<26}{'median':>12}  goal")
    for key, value in result.items():
        print(f"{key:<26}{value:>12.2f}  {goals.get(key, '')}")
    (OUT / "bench.json").write_text(json.dumps(result, indent=1))
    print(f"wrote {OUT / 'bench.json'}")


if __name__ == "__main__":
    main()
