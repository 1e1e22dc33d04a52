"""Resuming a session in its own program: `claude --resume ID` or `codex resume ID`."""

from __future__ import annotations

import shlex
import shutil
from dataclasses import dataclass
from pathlib import Path

from sessions_tui.model import Session, Source


@dataclass(frozen=True, slots=True)
class ResumePlan:
    """The command, where to run it, and why it cannot run here (None: it can)."""

    argv: list[str]
    cwd: Path | None
    problem: str | None

    @property
    def shell_line(self) -> str:
        """The command as a person would type it (for copying)."""
        run = shlex.join(self.argv)
        return f"cd {shlex.quote(str(self.cwd))} && {run}" if self.cwd else run


def plan(session: Session) -> ResumePlan:
    argv = (
        ["claude", "--resume", session.id]
        if session.source is Source.CLAUDE
        else ["codex", "resume", session.id]
    )
    cwd = Path(session.project) if session.project else None
    problem = None
    if shutil.which(argv[0]) is None:
        problem = f"{argv[0]} is not on PATH"
    elif cwd is None:
        problem = "the session does not say which folder it ran in"
    elif not cwd.is_dir():
        problem = f"its folder {cwd} no longer exists"
    return ResumePlan(argv, cwd, problem)
