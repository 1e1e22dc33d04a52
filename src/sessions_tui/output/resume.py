"""Resuming a session in its own program: `claude --resume ID` or `codex resume ID`."""

from __future__ import annotations

import re
import shlex
import shutil
from dataclasses import dataclass
from pathlib import Path

from sessions_tui.model import Session, Source
from sessions_tui.text import one_line


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


# Claude Code names a session file after its id, a UUID; a Codex rollout ends with its id,
# a UUID too. Anything else (a renamed copy, a hostile name such as `--flag.jsonl`) is not
# an id either program could resume, and never goes on a command line.
_SESSION_ID = re.compile(
    r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
)


def plan(session: Session) -> ResumePlan:
    valid = _SESSION_ID.fullmatch(session.id) is not None
    ident = session.id if valid else "SESSION-ID"
    argv = (
        ["claude", "--resume", ident]
        if session.source is Source.CLAUDE
        else ["codex", "resume", ident]
    )
    cwd = Path(session.project) if session.project else None
    problem = None
    if not valid:
        problem = (
            f"its id {one_line(session.id, 60)!r} is not a session id {argv[0]} knows (a UUID): "
            "the file may be a renamed copy"
        )
    elif shutil.which(argv[0]) is None:
        problem = f"{argv[0]} is not on PATH"
    elif cwd is None:
        problem = "the session does not say which folder it ran in"
    elif not cwd.is_dir():
        problem = f"its folder {cwd} no longer exists"
    return ResumePlan(argv, cwd, problem)
