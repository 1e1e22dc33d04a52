"""Where the app keeps its own files (never under a session root)."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs


def demo_dir() -> Path:
    """The bundled demo history, generated on first use when no sessions exist."""
    override = os.environ.get("SESSIONS_TUI_DEMO_DIR")
    return Path(override) if override else Path(platformdirs.user_data_dir("sessions-tui")) / "demo"
