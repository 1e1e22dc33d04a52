"""What the person picked in the app and expects back next time: the theme.

Kept beside the workspace (`preferences.json` in the state folder) and written the moment
it changes, not on quit, so a crash keeps it. The config file's `theme` still rules when
it is edited: a pick is remembered with the config's theme of the time, and a config that
says something else since wins.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from sessions_tui.tui.state.workspace import write_json

FILE_NAME = "preferences.json"


@dataclass(frozen=True, slots=True)
class Preferences:
    theme: str | None = None  # picked in the app
    config_theme: str | None = None  # the config's `theme` when it was picked

    def theme_for(self, config_theme: str | None) -> str | None:
        """The theme to start with, given the config's `theme` now."""
        if self.theme is not None and self.config_theme == config_theme:
            return self.theme
        return config_theme


def load(folder: Path) -> Preferences:
    """The saved preferences; none saved, or a file that cannot be used, is no preference
    (a theme is not worth a warning at every start)."""
    try:
        data = json.loads((folder / FILE_NAME).read_text("utf-8"))
    except (OSError, UnicodeDecodeError, ValueError, RecursionError):
        return Preferences()
    if not isinstance(data, dict):
        return Preferences()
    theme, config_theme = data.get("theme"), data.get("config_theme")
    return Preferences(
        theme if isinstance(theme, str) else None,
        config_theme if isinstance(config_theme, str) else None,
    )


def save(folder: Path, preferences: Preferences) -> Path:
    data = {"theme": preferences.theme, "config_theme": preferences.config_theme}
    return write_json(folder / FILE_NAME, data)
