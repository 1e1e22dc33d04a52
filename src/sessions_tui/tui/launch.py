"""Starting the browser: `sessions-tui` with no verb (imports no DuckDB before the first paint)."""

from __future__ import annotations

import argparse
import gc
import os
import signal
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from sessions_tui.output.console import warn
from sessions_tui.paths import cache_dir, expand
from sessions_tui.sources.discovery import Root

if TYPE_CHECKING:
    from sessions_tui.config import Loaded
    from sessions_tui.store.catalog import Catalog


GRACE_SECONDS = 3.0  # a quit by signal not done by then ends the process anyway


class Exits(Protocol):
    def exit(self) -> None: ...


def quit_on_signals(app: Exits, grace: float = GRACE_SECONDS) -> None:
    """SIGTERM and SIGHUP quit cleanly: workers stopped, the terminal restored, files
    removed. If that has not finished within `grace` seconds the process ends anyway.

    When the terminal has gone (its window closed, tmux killed), Textual's shutdown can
    block for ever writing to it: seen as a process waiting on its full output queue,
    minutes after tmux was gone, using CPU and memory for nothing. What a forced end leaves
    (temporary files, a spill folder) the next start sweeps (`store/tempfiles.py`).
    """

    def stop(signum: int, _frame: object) -> None:
        app.exit()
        timer = threading.Timer(grace, os._exit, args=(128 + signum,))
        timer.daemon = True  # a quit that finishes in time is not held back by it
        timer.start()

    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, stop)


def run_app(
    roots: list[Root],
    args: argparse.Namespace,
    notice: str | None = None,
    loaded: Loaded | None = None,
) -> int:
    """Run the app; the catalog is opened by a worker once the list is on screen."""
    profile = expand(args.profile) if args.profile else None
    if profile is not None:
        from sessions_tui.output.export import ExportRefused, check_target

        try:
            check_target(profile, roots)
        except ExportRefused as exc:
            warn(f"--profile: {exc}")
            return 1
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        # With no terminal Textual spins on a closed stdin, or writes escapes into a pipe
        # forever; neither is what anyone asked for.
        warn("the browser needs a terminal (stdin and stdout); in a script use a verb, "
             "such as `sessions-tui ls --json`")  # fmt: skip
        return 2
    # Textual draws at most MAX_FPS frames a second, so a key waits for the next tick:
    # 60 fps made page-down P95 22 ms on a real terminal, 120 fps 17 ms. Idle costs
    # nothing (the update timer only runs while something is dirty). A user's setting wins.
    os.environ.setdefault("TEXTUAL_FPS", "120")
    # A lone Escape is told from the start of a key's sequence by waiting for more bytes
    # (tui/quick_escape.py): Textual's 100 ms made every Escape a 110–140 ms key. A key's
    # sequence is written at once and arrives in one read, over ssh too; tmux (3.5) waits
    # 10 ms by default, crossterm not at all. A user's setting wins.
    os.environ.setdefault("ESCDELAY", "10")
    # The size comes from the terminal. Textual asks `shutil.get_terminal_size()`, which
    # takes COLUMNS and LINES from the environment first: with them exported (a shell
    # rc file, a tmux server started by a script), the app kept that size whatever the
    # window's, resizes included.
    for name in ("COLUMNS", "LINES"):
        os.environ.pop(name, None)
    from sessions_tui.tui import quick_escape
    from sessions_tui.tui.app import SessionsApp

    quick_escape.install()

    cache = None if args.no_cache else cache_dir()

    def make_catalog() -> Catalog:
        from sessions_tui.store.catalog import Catalog

        return Catalog(roots, cache)

    from sessions_tui.tui.state.workspace import state_dir

    if loaded and loaded.problems:  # a bad setting: said on screen, the default is used
        notice = "; ".join([*loaded.problems, *([notice] if notice else [])])
    app = SessionsApp(
        make_catalog,
        notice=notice,
        snapshot_dir=cache,
        open_limit=args.max_open,
        state_folder=state_dir,  # resolved after the first paint
        fresh=args.fresh,
        settings=loaded.settings if loaded else None,
        here=_here(),
    )

    quit_on_signals(app)
    try:
        app.run()
    finally:
        gc.enable()  # off while starting (cli.main), if the first frame never came
    if profile is not None and app.final_report is not None:
        from sessions_tui.output.export import write_atomically
        from sessions_tui.text import json_text

        try:
            write_atomically(profile, json_text(app.final_report, indent=1) + "\n")
        except OSError as exc:
            warn(f"cannot write {args.profile}: {exc.strerror or exc}")
            return 1
    return 0


def _here() -> Path | None:
    """The folder the app was started in (None if it is gone)."""
    try:
        return Path.cwd()
    except OSError:
        return None
