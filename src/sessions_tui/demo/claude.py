"""Writes demo Claude Code transcripts: the real record shapes, quirks included."""

from __future__ import annotations

import json
import random
import uuid as uuidlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta

SURROGATE_MARK = "\ue000SURR\ue000"  # written out as the lone escape \ud83c


def _uuid(rng: random.Random) -> str:
    return str(uuidlib.UUID(int=rng.getrandbits(128), version=4))


def _dump(record: dict[str, object]) -> str:
    line = json.dumps(record, ensure_ascii=False, separators=(",", ":"))
    return line.replace(SURROGATE_MARK, "\\ud83c")


@dataclass
class ClaudeTranscript:
    """Builds one transcript (a main session or a subagent) as a list of JSONL lines."""

    rng: random.Random
    session_id: str
    cwd: str
    version: str
    clock: datetime
    branch: str = "main"
    agent_id: str | None = None
    lines: list[str] = field(default_factory=list)
    parent: str | None = None
    uuids: list[str] = field(default_factory=list)
    subagents: list[ClaudeTranscript] = field(default_factory=list)
    nbytes: int = 0

    # -- low level ---------------------------------------------------------------------
    def _tick(self, seconds: float) -> str:
        self.clock += timedelta(seconds=seconds)
        return self.clock.strftime("%Y-%m-%dT%H:%M:%S.") + f"{self.clock.microsecond // 1000:03d}Z"

    def _envelope(self, kind: str, seconds: float = 1.0) -> dict[str, object]:
        uid = _uuid(self.rng)
        rec: dict[str, object] = {
            "parentUuid": self.parent,
            "isSidechain": self.agent_id is not None,
            "userType": "external",
            "cwd": self.cwd,
            "sessionId": self.session_id,
            "version": self.version,
            "gitBranch": self.branch,
        }
        if self.agent_id is not None:
            rec["agentId"] = self.agent_id
        rec.update({"type": kind, "uuid": uid, "timestamp": self._tick(seconds)})
        self.parent = uid
        self.uuids.append(uid)
        return rec

    def emit(self, record: dict[str, object]) -> None:
        line = _dump(record)
        self.lines.append(line)
        self.nbytes += len(line) + 1

    # -- records ------------------------------------------------------------------------
    def prompt(self, content: object) -> None:
        if self.agent_id is None:
            self.emit(
                {
                    "type": "file-history-snapshot",
                    "messageId": _uuid(self.rng),
                    "snapshot": {"trackedFileBackups": {}, "timestamp": self._tick(0)},
                    "isSnapshotUpdate": False,
                }
            )
        rec = self._envelope("user", self.rng.uniform(20, 400))
        rec["message"] = {"role": "user", "content": content}
        self.emit(rec)

    def meta(self, text: str) -> None:
        rec = self._envelope("user", 0.1)
        rec["isMeta"] = True
        rec["message"] = {"role": "user", "content": text}
        self.emit(rec)

    def assistant(self, blocks: list[dict[str, object]], model: str) -> None:
        """One API response written as one line per block, usage repeated (quirk Q1/Q2)."""
        msg_id = "msg_" + uuidlib.UUID(int=self.rng.getrandbits(128)).hex[:24]
        req_id = "req_" + uuidlib.UUID(int=self.rng.getrandbits(128)).hex[:24]
        base_in = self.rng.randrange(2, 40)
        cache_read = self.rng.randrange(5_000, 90_000)
        cache_new = self.rng.randrange(0, 4_000)
        final_out = self.rng.randrange(40, 2_500)
        for i, block in enumerate(blocks):
            rec = self._envelope("assistant", self.rng.uniform(0.5, 8))
            last = i == len(blocks) - 1
            rec["message"] = {
                "id": msg_id,
                "type": "message",
                "role": "assistant",
                "model": model,
                "content": [block],
                "stop_reason": None,
                "stop_sequence": None,
                "usage": {
                    "input_tokens": base_in,
                    "cache_creation_input_tokens": cache_new,
                    "cache_read_input_tokens": cache_read,
                    "output_tokens": final_out if last else self.rng.randrange(1, 30),
                    "service_tier": "standard",
                },
            }
            rec["requestId"] = req_id
            self.emit(rec)

    def tool_result(self, tool_id: str, content: object, is_error: bool, extra: object) -> None:
        rec = self._envelope("user", self.rng.uniform(0.2, 30))
        block: dict[str, object] = {
            "tool_use_id": tool_id,
            "type": "tool_result",
            "content": content,
        }
        if is_error:
            block["is_error"] = True
        rec["message"] = {"role": "user", "content": [block]}
        rec["toolUseResult"] = extra
        self.emit(rec)

    def system(self, subtype: str, **fields: object) -> None:
        rec = self._envelope("system", 0.5)
        rec["subtype"] = subtype
        rec.update(fields)
        self.emit(rec)

    def progress(self, tool_id: str) -> None:
        rec = self._envelope("progress", 0.2)
        rec["data"] = {"type": "bash_progress", "output": "building…", "elapsedTimeSeconds": 3}
        rec["toolUseID"] = tool_id
        rec["parentToolUseID"] = tool_id
        self.emit(rec)

    def synthetic_error(self) -> None:
        rec = self._envelope("assistant", 0.3)
        rec["message"] = {
            "id": _uuid(self.rng),
            "model": "<synthetic>",
            "role": "assistant",
            "stop_reason": "stop_sequence",
            "type": "message",
            "usage": {"input_tokens": 0, "output_tokens": 0},
            "content": [{"type": "text", "text": "API Error: 529 Overloaded · Retrying later"}],
        }
        rec["isApiErrorMessage"] = True
        rec["error"] = "overloaded"
        self.emit(rec)

    def compaction(self) -> None:
        rec = self._envelope("system", 2)
        logical = rec["parentUuid"]
        rec.update(
            {
                "parentUuid": None,
                "logicalParentUuid": logical,
                "subtype": "compact_boundary",
                "content": "Conversation compacted",
                "level": "info",
                "compactMetadata": {"trigger": "auto", "preTokens": 155_000},
            }
        )
        self.emit(rec)
        summary = self._envelope("user", 1)
        summary["isCompactSummary"] = True
        summary["isVisibleInTranscriptOnly"] = True
        summary["message"] = {
            "role": "user",
            "content": "This session is being continued from a previous conversation that "
            "ran out of context. The conversation is summarized below:\n1. The user asked "
            "to fix the tests.\n2. Two files were changed.",
        }
        self.emit(summary)

    def metadata(self, record: dict[str, object]) -> None:
        self.emit(record)
