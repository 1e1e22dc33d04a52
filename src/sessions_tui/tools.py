"""A tool call's input read as fields, and said in one line (`$ pytest -x`,
`src/app.py`): what the reader, the search results and exports show for a call."""

from __future__ import annotations

import json
import re
from typing import Any

SUMMARY_FIELDS = ("command", "cmd", "file_path", "path", "pattern", "url", "query",
                  "description", "prompt")  # fmt: skip


def tool_input(text: str) -> dict[str, Any]:
    """A tool call's input as fields (from its JSON, or from a cut-off preview)."""
    try:
        value = json.loads(text)
    except ValueError:
        found = re.findall(
            r'"(command|file_path|path|pattern|url|query)"\s*:\s*"((?:[^"\\]|\\.)*)', text
        )
        return {k: v.encode().decode("unicode_escape", "replace") for k, v in found}
    if isinstance(value, dict):
        return value
    return {"input": value}


def summary_of(fields: dict[str, Any], fallback: str) -> str:
    """The field that says what a call does (its command, its file…), else `fallback`."""
    for key in SUMMARY_FIELDS:
        value = fields.get(key)
        if isinstance(value, list):
            value = " ".join(str(v) for v in value)
        if value:
            return ("$ " if key in ("command", "cmd") else "") + str(value)
    return fallback


def flat_fields(fields: dict[str, Any]) -> str:
    """Every field as `name: value`, one after another (the values' text, not JSON)."""
    parts = []
    for key, value in fields.items():
        shown = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
        parts.append(f"{key}: {shown}")
    return " · ".join(parts)
