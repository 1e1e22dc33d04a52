"""Where the app keeps its own files (never under a session root)."""

from __future__ import annotations

import os
from pathlib import Path


def cache_dir() -> Path:
    """Where the catalog cache lives (`SESSIONS_TUI_CACHE_DIR` overrides)."""
    override = os.environ.get("SESSIONS_TUI_CACHE_DIR")
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_cache_dir("sessions-tui"))


def demo_dir() -> Path:
    """The bundled demo history, generated on first use when no sessions exist."""
    override = os.environ.get("SESSIONS_TUI_DEMO_DIR")
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_data_dir("sessions-tui")) / "demo"


def from_root(path: Path, roots: list[Path]) -> str:
    """`path` from the folder of the root it is under (`projects/-home-me-app/x.jsonl`)."""
    for root in roots:
        if path.is_relative_to(root):
            return str(Path(root.name) / path.relative_to(root))
    return str(path)


def expand(text: str) -> Path:
    """`text` as a path with `~` expanded; left as written when it cannot be (`~nosuchuser`,
    or no home at all), so the caller says "no such folder" instead of failing."""
    try:
        return Path(text).expanduser()
    except RuntimeError:
        return Path(text)
