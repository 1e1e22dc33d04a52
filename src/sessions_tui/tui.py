"""Starting the browser: `sessions-tui` with no verb (imports no DuckDB before the first paint)."""

from __future__ import annotations

import argparse
import gc
import os
from typing import TYPE_CHECKING

from sessions_tui.paths import cache_dir
from sessions_tui.sources.discovery import Root

if TYPE_CHECKING:
    from sessions_tui.config import Loaded
    from sessions_tui.store.catalog import Catalog


def run_app(
    roots: list[Root],
    args: argparse.Namespace,
    notice: str | None = None,
    loaded: Loaded | None = None,
) -> int:
    """Run the app; the catalog is opened by a worker once the list is on screen."""
    # Textual draws at most MAX_FPS frames a second, so a key waits for the next tick:
    # 60 fps made page-down P95 22 ms on a real terminal, 120 fps 17 ms. Idle costs
    # nothing (the update timer only runs while something is dirty). A user's setting wins.
    os.environ.setdefault("TEXTUAL_FPS", "120")
    from sessions_tui.app import SessionsApp

    cache = None if args.no_cache else cache_dir()

    def make_catalog() -> Catalog:
        from sessions_tui.store.catalog import Catalog

        return Catalog(roots, cache)

    from sessions_tui.workspace import state_dir

    app = SessionsApp(
        make_catalog,
        notice=notice,
        snapshot_dir=cache,
        open_limit=args.max_open,
        state_folder=state_dir,  # resolved after the first paint
        fresh=args.fresh,
        settings=loaded.settings if loaded else None,
    )
    if loaded and loaded.problems:  # a bad setting: said on screen, the default is used
        app.notice = "; ".join([*loaded.problems, *([notice] if notice else [])])
    try:
        app.run()
    finally:
        gc.enable()  # off while starting (cli.main), if the first frame never came
    if args.profile and app.final_report is not None:
        import json
        from pathlib import Path

        try:
            Path(args.profile).expanduser().write_text(
                json.dumps(app.final_report, indent=1, default=str) + "\n", encoding="utf-8"
            )
        except OSError as exc:
            print(f"sessions-tui: cannot write {args.profile}: {exc.strerror or exc}")
            return 1
    return 0
