"""The workspace: which sessions were open, and how each was being read, kept across runs.

Saved on quit (a temporary file renamed into place, so a crash never leaves half a file)
under `platformdirs.user_state_dir("sessions-tui")` (`SESSIONS_TUI_STATE_DIR` overrides),
and read on the next start. Positions are kept as entry numbers (seq), not screen lines,
so they survive a different terminal size.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sessions_tui.model import Kind
from sessions_tui.store.filters import Filter

if TYPE_CHECKING:
    from sessions_tui.tui.state.open_sessions import OpenSessions

VERSION = 1
FILE_NAME = "workspace.json"


class WorkspaceError(ValueError):
    """The state file exists but cannot be used (its message says why)."""


def state_dir() -> Path:
    override = os.environ.get("SESSIONS_TUI_STATE_DIR")
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_state_dir("sessions-tui"))


@dataclass(frozen=True, slots=True)
class Tab:
    """One open session as it was left."""

    session_id: str
    path: str
    kinds: list[str] | None = None  # None: every kind
    tool: str | None = None
    subagent_only: bool = False
    selected_seq: int | None = None
    top_seq: int | None = None
    expanded: list[int] = field(default_factory=list)

    def filter(self) -> Filter:
        kinds = None if self.kinds is None else frozenset(Kind(k) for k in self.kinds)
        return Filter(kinds, self.tool, self.subagent_only)

    @staticmethod
    def filter_fields(flt: Filter) -> dict[str, Any]:
        return {
            "kinds": None if flt.kinds is None else sorted(k.value for k in flt.kinds),
            "tool": flt.tool,
            "subagent_only": flt.subagent_only,
        }


@dataclass(frozen=True, slots=True)
class Workspace:
    tabs: list[Tab] = field(default_factory=list)
    active: str | None = None

    @classmethod
    def of(cls, open_sessions: OpenSessions) -> Workspace:
        """The open sessions as they are being read now."""
        tabs = []
        for sid in open_sessions.tabs:
            st = open_sessions.states[sid]
            selected = st.visible[st.position.selected] if st.visible else None
            top = st.visible[st.locate(st.position.scroll_y)[0]] if st.visible else None
            tabs.append(
                Tab(
                    sid,
                    str(st.view.session.path),
                    **Tab.filter_fields(st.filter),
                    selected_seq=selected,
                    top_seq=top,
                    expanded=sorted(st.expanded),
                )
            )
        return cls(tabs, open_sessions.active)


def save(workspace: Workspace, folder: Path | None = None) -> Path:
    """Write the workspace atomically; returns the file written."""
    data = {
        "version": VERSION,
        "active": workspace.active,
        "tabs": [asdict(t) for t in workspace.tabs],
    }
    return write_json((folder or state_dir()) / FILE_NAME, data)


def write_json(target: Path, data: object) -> Path:
    """Write `data` as JSON to `target` through a temporary file renamed into place, so
    a crash never leaves half a file (the folder is made if missing)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        with temp.open("w", encoding="utf-8") as f:
            json.dump(data, f, ensure_ascii=False)
            f.flush()
            os.fsync(f.fileno())
        os.replace(temp, target)
    finally:
        temp.unlink(missing_ok=True)
    return target


def load(folder: Path | None = None) -> Workspace | None:
    """The saved workspace; None when there is none; WorkspaceError when it is unusable."""
    target = (folder or state_dir()) / FILE_NAME
    try:
        raw = target.read_text("utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise WorkspaceError(f"cannot read {target}: {exc}") from None
    try:
        data = json.loads(raw)
        if not isinstance(data, dict) or data.get("version") != VERSION:
            raise ValueError("unknown version")
        tabs = [_tab(t) for t in data.get("tabs", [])]
        active = data.get("active")
        if active is not None and not isinstance(active, str):
            raise ValueError("active is not an id")
    except (ValueError, TypeError, KeyError, OverflowError, RecursionError) as exc:
        # RecursionError: nested past Python's stack; OverflowError: 1e400 as a number.
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise WorkspaceError(f"ignored the saved workspace {target} ({reason})") from None
    return Workspace(tabs, active)


def _tab(raw: Any) -> Tab:
    if not isinstance(raw, dict):
        raise ValueError("a tab is not an object")
    kinds = raw.get("kinds")
    if kinds is not None:
        for k in kinds:
            Kind(k)  # raises ValueError on an unknown kind
    expanded = [int(s) for s in raw.get("expanded", [])]
    return Tab(
        session_id=str(raw["session_id"]),
        path=str(raw["path"]),
        kinds=list(kinds) if kinds is not None else None,
        tool=raw.get("tool"),
        subagent_only=bool(raw.get("subagent_only", False)),
        selected_seq=_int_or_none(raw.get("selected_seq")),
        top_seq=_int_or_none(raw.get("top_seq")),
        expanded=expanded,
    )


def _int_or_none(value: Any) -> int | None:
    return None if value is None else int(value)
