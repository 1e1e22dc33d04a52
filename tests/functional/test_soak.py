"""Soak: 10,000 random keypresses across sessions, filters, searches, dialogs and resizes."""

from __future__ import annotations

import os
from pathlib import Path

from sessions_tui.demo import DemoReport
from sessions_tui.profile import PROFILER
from sessions_tui.sources.discovery import root_from_arg
from sessions_tui.store.catalog import Catalog
from sessions_tui.tui.app import SessionsApp
from tests.pilot import opened, workers_done
from tests.soak import soak

PRESSES = int(os.environ.get("SOAK_PRESSES", "10000"))


async def test_ten_thousand_random_keys(demo_history: tuple[Path, DemoReport]) -> None:
    root, _ = demo_history
    roots = root_from_arg(str(root / "claude")) + root_from_arg(str(root / "codex"))
    app = SessionsApp(Catalog(roots, None), open_limit=4)
    before = dict(PROFILER.counts)
    async with app.run_test(size=(120, 36)) as pilot:
        await workers_done(app)
        sent = await soak(pilot, PRESSES, seed=7)
        await workers_done(app)
        await pilot.pause()
        assert sent >= PRESSES
        assert app.is_running  # no exception ended it (run_test re-raises one on exit)
        assert len(opened(app)) <= 4
    done = {k: PROFILER.counts.get(k, 0) - before.get(k, 0) for k in PROFILER.counts}
    # The keys reached everything: sessions opened, filters applied, searches run.
    assert done["open session"] > 3 and done["filter"] > 20 and done["search"] > 2
