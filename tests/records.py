"""Writing session records by hand, for tests that need exact content."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

SID = "11111111-2222-3333-4444-555555555555"


def rec(kind: str, **fields: Any) -> str:
    base: dict[str, Any] = {
        "type": kind,
        "sessionId": SID,
        "cwd": "/home/u/proj",
        "timestamp": "2026-11-01T10:00:00.000Z",
    }
    base.update(fields)
    return json.dumps(base)


def user(text: Any, uuid: str = "u1", **extra: Any) -> str:
    return rec("user", uuid=uuid, message={"role": "user", "content": text}, **extra)


def assistant(
    block: dict[str, Any],
    msg_id: str,
    out: int,
    uuid: str,
    model: str = "claude-opus-4-6",
    request: str | None = "req_1",
    **extra: Any,
) -> str:
    usage = {
        "input_tokens": 10,
        "output_tokens": out,
        "cache_read_input_tokens": 100,
        "cache_creation_input_tokens": 5,
    }
    fields: dict[str, Any] = {
        "uuid": uuid,
        "message": {
            "id": msg_id,
            "role": "assistant",
            "model": model,
            "content": [block],
            "usage": usage,
        },
    }
    if request:
        fields["requestId"] = request
    fields.update(extra)
    return rec("assistant", **fields)


def write(folder: Path, name: str, lines: list[str], tail: str = "\n") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text("\n".join(lines) + tail, encoding="utf-8")
    return path


def usage_record(uuid: str, msg: str, value: float, session_id: str = SID) -> str:
    """An assistant record whose output token count is `value` (any number, absurd too)."""
    record = json.loads(
        assistant({"type": "text", "text": "hi"}, msg, 1, uuid, sessionId=session_id)
    )
    record["message"]["usage"]["output_tokens"] = value
    return json.dumps(record)
