"""Plain data shared by every layer: kinds of entry, session files, summaries."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path


class Source(enum.StrEnum):
    """Which agent wrote a session file."""

    CLAUDE = "claude"
    CODEX = "codex"


class Role(enum.StrEnum):
    """Whether a file is a main session or a subagent transcript attached to one."""

    MAIN = "main"
    SUBAGENT = "subagent"


class Kind(enum.StrEnum):
    """The kind of one displayable entry (the unit of the message pane and `show`)."""

    PROMPT = "prompt"
    ASSISTANT = "assistant"
    THINKING = "thinking"
    TOOL_CALL = "tool_call"
    TOOL_RESULT = "tool_result"
    ERROR = "error"
    SYSTEM = "system"
    OTHER = "other"


ALL_KINDS: tuple[Kind, ...] = tuple(Kind)


@dataclass(frozen=True, slots=True)
class SessionFile:
    """One JSONL file found by discovery; nothing inside it has been read yet.

    `parent_hint` is the parent session id when the layout says it (the 2.1.x
    `<session>/subagents/agent-*.jsonl` folder); flat `agent-*.jsonl` files learn their
    parent from the `sessionId` inside them, when the catalog reads them.
    """

    path: Path
    size: int
    mtime_ns: int
    source: Source
    role: Role
    file_id: str
    parent_hint: str | None = None


@dataclass(frozen=True, slots=True)
class Tokens:
    """Token counts, deduplicated as the format note describes."""

    input: int = 0
    output: int = 0
    cache_read: int = 0
    cache_creation: int = 0

    @property
    def total(self) -> int:
        return self.input + self.output + self.cache_read + self.cache_creation

    def as_dict(self) -> dict[str, int]:
        return {
            "input": self.input,
            "output": self.output,
            "cache_read": self.cache_read,
            "cache_creation": self.cache_creation,
        }


@dataclass(frozen=True, slots=True)
class Session:
    """One row of the catalog: a main session (or an orphan subagent) with its facts."""

    id: str
    source: Source
    role: Role
    path: Path
    project: str | None
    git_branch: str | None
    title: str | None
    started: str | None
    ended: str | None
    size: int
    mtime_ns: int
    records: int
    malformed_lines: int
    entries: int
    tool_calls: int
    errors: int
    subagents: int
    models: tuple[str, ...]
    tokens: Tokens
    subagent_tokens: Tokens
    kind_counts: dict[str, int] = field(default_factory=dict)
    parent_id: str | None = None
    subagent_paths: tuple[Path, ...] = ()
    tools: dict[str, int] = field(default_factory=dict)
    incomplete_tail: bool = False
    bad_numbers: int = 0  # records whose token counts were impossible (counted as 0)
    subagent_malformed_lines: int = 0  # damaged lines in its subagents' files
    replayed_records: int = 0  # a resumed session's history written again, shown once
    cost: float | None = None  # estimated dollars, main and subagents (None: no price)


@dataclass(frozen=True, slots=True)
class Entry:
    """One displayable entry of a session, with its (possibly long) text."""

    seq: int
    kind: Kind
    timestamp: str | None
    tool: str | None
    sidechain: bool
    uuid: str | None
    text: str
    tool_use_id: str | None = None
    paired_seq: int | None = None
    label: str | None = None


def placeholder(f: SessionFile) -> Session:
    """A session known only from discovery (its file not read yet): for a cold start."""
    zero = Tokens()
    when = datetime.fromtimestamp(f.mtime_ns / 1e9, UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    return Session(
        id=f.file_id, source=f.source, role=f.role, path=f.path, project=None,
        git_branch=None, title=f"{f.file_id} (reading…)", started=None, ended=when,
        size=f.size, mtime_ns=f.mtime_ns, records=0, malformed_lines=0, entries=0,
        tool_calls=0, errors=0, subagents=0, models=(), tokens=zero, subagent_tokens=zero,
    )  # fmt: skip
