"""User settings: `config.toml` under `platformdirs.user_config_dir("sessions-tui")`.

`SESSIONS_TUI_CONFIG` names another file. Every setting is optional; a bad value is
reported with its key and line and the default is used for that key alone, so one typo
never costs the rest of the file. `sessions-tui config` prints the effective settings and
where each came from.

```toml
roots = ["~/.claude", "~/work/old-claude-home"]   # instead of the default roots
theme = "gruvbox"                                  # any Textual theme
open_limit = 24                                    # sessions kept open
default_kinds = ["prompt", "assistant", "error"]   # or ["all"]
date_format = "%Y-%m-%d %H:%M"                     # or "auto" (the default), "relative", "absolute"

[keymap]                                           # binding id = keys
"app.search_all" = "ctrl+f,ctrl+s"
"pane.next" = "j,down,n"
```
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from sessions_tui.model import Kind
from sessions_tui.paths import expand

DEFAULT_OPEN_LIMIT = 16


@dataclass(frozen=True, slots=True)
class Settings:
    roots: tuple[str, ...] = ()  # empty: the default roots
    theme: str | None = None  # None: Textual's default
    keymap: dict[str, str] = field(default_factory=dict)  # binding id -> keys
    default_kinds: tuple[str, ...] | None = None  # None: every kind but `other`
    open_limit: int = DEFAULT_OPEN_LIMIT
    date_format: str = "auto"


@dataclass(slots=True)
class Loaded:
    """The settings, where each came from, and what was wrong with the file."""

    settings: Settings
    path: Path
    sources: dict[str, str]
    problems: list[str]


def config_path() -> Path:
    override = os.environ.get("SESSIONS_TUI_CONFIG")
    if override:
        return expand(override)
    import platformdirs

    return Path(platformdirs.user_config_dir("sessions-tui")) / "config.toml"


_UNKNOWN_SHOWN = 5  # unknown keys named one by one; the rest are counted
# A top-level `key =` or `[table]` line: its key, bare or quoted.
_KEY_LINE = re.compile(
    r'^[ \t]*(?:"([^"\n]*)"|([A-Za-z0-9_.-]+))[ \t]*=|^[ \t]*\[[ \t]*"?([^"\]\n]*)"?[ \t]*\]'
)


def _key_lines(text: str) -> dict[str, int]:
    """The line where each top-level key or table first appears, in one pass (a search
    per key took 44 s on a file of 20,000 keys)."""
    found: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), 1):
        m = _KEY_LINE.match(line)
        if m:
            found.setdefault(next(g for g in m.groups() if g is not None).strip(), number)
    return found


def _where(path: Path, lines: dict[str, int], key: str) -> str:
    line = lines.get(key)
    return f"{path.name} line {line}" if line else path.name


def _check(key: str, value: Any) -> Any:
    """The value as the setting wants it; ValueError says what is wrong."""
    if key == "roots":
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ValueError("must be a list of folder paths")
        return tuple(value)
    if key == "theme":
        if not isinstance(value, str) or not value:
            raise ValueError("must be a theme name")
        return value
    if key == "keymap":
        if not isinstance(value, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in value.items()
        ):
            raise ValueError('must be a table of binding id = "keys"')
        return dict(value)
    if key == "default_kinds":
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ValueError("must be a list of kinds")
        if value == ["all"]:
            return ("all",)
        names = {k.value for k in Kind}
        unknown = [v for v in value if v not in names]
        if unknown:
            raise ValueError(f"unknown kind {unknown[0]!r}; kinds are {', '.join(sorted(names))}")
        return tuple(value)
    if key == "open_limit":
        if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 1000:
            raise ValueError("must be a whole number from 1 to 1000")
        return value
    if key == "date_format":
        if not isinstance(value, str) or not value:
            raise ValueError(
                'must be "auto", "relative", "absolute" or a strftime pattern such as '
                '"%Y-%m-%d %H:%M"'
            )
        return value
    raise KeyError(key)


def load_config(path: Path | None = None) -> Loaded:
    """Read the settings (a missing file means the defaults)."""
    path = path or config_path()
    names = [f.name for f in fields(Settings)]
    sources = dict.fromkeys(names, "default")
    try:
        text = path.read_text("utf-8")
    except FileNotFoundError:
        return Loaded(Settings(), path, sources, [])
    except (OSError, UnicodeDecodeError) as exc:
        return Loaded(Settings(), path, sources, [f"cannot read {path}: {exc}; using defaults"])
    import tomllib  # only when there is a file to read

    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        return Loaded(Settings(), path, sources, [f"{path}: {exc}; using defaults"])
    except RecursionError:
        return Loaded(Settings(), path, sources, [f"{path}: nested too deeply; using defaults"])
    values: dict[str, Any] = {}
    problems = []
    lines = _key_lines(text)
    unknown = 0
    for key, value in raw.items():
        if key not in names:
            unknown += 1
            if unknown <= _UNKNOWN_SHOWN:
                problems.append(f"{_where(path, lines, key)}: unknown setting {key!r} (ignored)")
            continue
        where = _where(path, lines, key)
        try:
            values[key] = _check(key, value)
            sources[key] = where
        except ValueError as exc:
            problems.append(f"{where}: {key} {exc}; using the default")
    if unknown > _UNKNOWN_SHOWN:
        more = unknown - _UNKNOWN_SHOWN
        problems.append(f"{path.name}: {more} more unknown settings (ignored)")
    return Loaded(Settings(**values), path, sources, problems)


def effective(loaded: Loaded) -> dict[str, Any]:
    """The settings and their sources, as `sessions-tui config --json` prints them."""
    s = loaded.settings
    return {
        "file": str(loaded.path),
        "settings": {
            "roots": list(s.roots),
            "theme": s.theme,
            "keymap": s.keymap,
            "default_kinds": list(s.default_kinds) if s.default_kinds is not None else None,
            "open_limit": s.open_limit,
            "date_format": s.date_format,
        },
        "sources": loaded.sources,
        "problems": loaded.problems,
    }
