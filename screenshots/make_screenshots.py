"""`make screenshots`: SVGs of the real app on the demo history, for the README.

The app runs headless through Textual's pilot on a history made by the project's own
generator, with a fixed clock, so the pictures change only when the app does.
"""

from __future__ import annotations

import asyncio
import os
import tempfile
from pathlib import Path

from sessions_tui.demo import generate_history
from sessions_tui.sources.discovery import root_from_arg
from sessions_tui.store.catalog import Catalog
from sessions_tui.tui.app import SessionsApp

OUT = Path(__file__).parent
SHOTS = [
    ("list", (), (130, 36)),
    ("session", ("enter", "j", "j", "j"), (130, 36)),
    ("edit", ("most errors", "enter", "t", *"Edit", "enter", "j", "enter"), (130, 36)),
    ("errors", ("most errors", "enter", "e", "v"), (130, 36)),
    ("tools", ("enter", "z", "v"), (130, 36)),
    ("help", ("question_mark",), (110, 44)),
    ("find", ("enter", "slash", *"fixture", "enter", "n"), (130, 36)),
    ("search", ("ctrl+f", *"lock twice", "wait"), (130, 36)),
    ("stats", ("enter", "s"), (130, 48)),
]


async def shoot(root: Path, name: str, keys: tuple[str, ...], size: tuple[int, int]) -> None:
    roots = root_from_arg(str(root / "claude")) + root_from_arg(str(root / "codex"))
    app = SessionsApp(Catalog(roots, None), follow=False)
    async with app.run_test(size=size) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        for key in keys:
            if key == "wait":  # a search starts after a short quiet spell
                await pilot.pause(0.5)
            elif key == "most errors":  # the session with the most failed tools, selected
                rows = app.browser.listing.sessions.rows
                app.browser.listing.sessions.select(
                    max(range(len(rows)), key=lambda i: getattr(rows[i].session, "errors", -1))
                )
            else:
                await pilot.press(key)
            await app.workers.wait_for_complete()
            await pilot.pause()
        app.save_screenshot(f"{name}.svg", str(OUT))
    print(f"wrote {OUT / name}.svg")


async def main() -> None:
    os.environ["SESSIONS_TUI_NOW"] = "2026-11-21T00:00:00Z"
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        generate_history(root, seed=5, sessions=24, total_bytes=1_500_000)
        for name, keys, size in SHOTS:
            await shoot(root, name, keys, size)


if __name__ == "__main__":
    asyncio.run(main())
