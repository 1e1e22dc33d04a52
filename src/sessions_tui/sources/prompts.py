"""The first prompts of a session, read from the head of its file (the list's preview).

No view is built: the file is read line by line from its start until `count` prompts
are found or `budget` bytes are read, so a preview costs a few milliseconds whatever the
session's size. A prompt is what the person typed: harness text (caveats, slash-command
bodies, IDE context, a compaction summary, Codex's environment and instructions) is not
one, and a slash command reads as it was typed (`/init args`).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sessions_tui.harness import CAVEAT_CHIP, is_chip, readable
from sessions_tui.model import Source
from sessions_tui.sources.files import open_regular

BUDGET = 1 << 20  # bytes read at most
LINE_CAP = 256 * 1024  # a longer line (a pasted log, an image) is passed over unread
_CODEX_CONTEXT = ("<environment_context>", "<user_instructions>", "# AGENTS.md", "<INSTRUCTIONS>")


def first_prompts(path: Path, source: Source, count: int = 3, budget: int = BUDGET) -> list[str]:
    """Up to `count` prompts from the start of `path` (an unreadable file has none)."""
    found: list[str] = []
    items: list[str] = []  # Codex: response items, the prompts of rollouts without events
    read = 0
    try:
        with open_regular(path) as f:
            while read < budget and len(found) < count:
                line = f.readline(LINE_CAP)
                if not line:
                    break
                read += len(line)
                if not line.endswith(b"\n") and len(line) >= LINE_CAP:
                    while (rest := f.readline(LINE_CAP)) and not rest.endswith(b"\n"):
                        read += len(rest)  # the rest of the long line, skipped
                    read += len(rest)
                    continue
                said = _prompt(line, source)
                if said is not None:
                    (items if said[0] else found).append(said[1])
    except (OSError, ValueError):
        pass
    # Codex writes each prompt twice (an event and a response item) in newer rollouts:
    # the events, when there are any, are the prompts as typed.
    return (found or items)[:count]


def _prompt(line: bytes, source: Source) -> tuple[bool, str] | None:
    """(whether it is a Codex response item, the text) of a prompt's line; else None."""
    try:
        rec = json.loads(line)
    except ValueError:  # a damaged line
        return None
    if not isinstance(rec, dict):
        return None
    if source is Source.CODEX:
        item, text = rec.get("type") == "response_item", _codex(rec)
    else:
        item, text = False, _claude(rec)
    text = (text or "").strip()
    return (item, text) if text else None


def _claude(rec: dict[str, Any]) -> str | None:
    if rec.get("type") != "user" or rec.get("isMeta") or rec.get("isCompactSummary"):
        return None
    if rec.get("isSidechain"):
        return None
    message = rec.get("message")
    content = message.get("content") if isinstance(message, dict) else None
    if isinstance(content, list):
        if any(isinstance(b, dict) and b.get("type") == "tool_result" for b in content):
            return None
        texts = [b for b in content if isinstance(b, dict) and b.get("type") == "text"]
        content = "\n".join(str(b.get("text", "")) for b in texts)
    if not isinstance(content, str):
        return None
    text = readable(content)
    lines = [ln for ln in text.split("\n") if ln.strip()]
    if not lines or text == CAVEAT_CHIP or all(is_chip(ln) for ln in lines):
        return None  # only harness context: nothing typed
    return "\n".join(ln for ln in text.split("\n") if not is_chip(ln))


def _codex(rec: dict[str, Any]) -> str | None:
    payload = rec.get("payload")
    if not isinstance(payload, dict):
        return None
    text: object = None
    if rec.get("type") == "event_msg" and payload.get("type") == "user_message":
        text = payload.get("message")
    elif rec.get("type") == "response_item" and payload.get("role") == "user":
        parts = payload.get("content")
        if isinstance(parts, list):
            text = "\n".join(
                str(p.get("text", "")) for p in parts
                if isinstance(p, dict) and p.get("type") in ("input_text", "text")
            )  # fmt: skip
    if not isinstance(text, str) or text.lstrip().startswith(_CODEX_CONTEXT):
        return None
    return text
