"""An independent, pure-Python reader of session files: the oracle for differential tests.

It follows the format note and the issue's kind rules directly, record by record, with
none of the store's SQL. Slow, simple, and meant to be obviously right.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

_HARNESS = re.compile(
    r"^(<(task-notification|local-command-stdout|local-command-stderr|bash-stdout|bash-stderr"
    r"|system-reminder)>|\[Request interrupted by user)"
)


def _first_wins(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A key given twice keeps its first value (what DuckDB's scan does with such a line)."""
    out: dict[str, Any] = {}
    for key, value in pairs:
        out.setdefault(key, value)
    return out


_DECODER = json.JSONDecoder(object_pairs_hook=_first_wins)


@dataclass
class FileFacts:
    records: int = 0
    malformed_lines: int = 0
    kinds: Counter[str] = field(default_factory=Counter)
    tokens: dict[str, int] = field(
        default_factory=lambda: dict.fromkeys(
            ("input", "output", "cache_read", "cache_creation"), 0
        )
    )

    replayed: int = 0

    @property
    def entries(self) -> int:
        return sum(self.kinds.values())


def _objects(raw: bytes) -> list[dict[str, Any]]:
    text = raw.decode("utf-8", errors="replace").lstrip("\ufeff").strip()
    out: list[dict[str, Any]] = []
    pos = 0
    while True:
        start = text.find("{", pos)
        if start < 0:
            return out
        try:
            value, pos = _DECODER.raw_decode(text, start)
        except RecursionError:  # nested past Python's stack: the rest cannot be read
            return out
        except json.JSONDecodeError:
            pos = text.find('{"', start + 1)
            if pos < 0:
                return out
            continue
        # Only records of the format count: an object nested in a broken one does not.
        if isinstance(value, dict) and (
            value.get("type") is not None
            or (value.get("uuid") is not None and value.get("sessionId") is not None)
        ):
            out.append(value)


def _whole(raw: bytes) -> list[dict[str, Any]]:
    """A last line with no newline is still being written unless it is JSON objects from
    end to end: only then are its records read."""
    text = raw.decode("utf-8", errors="replace").lstrip("\ufeff").strip()
    out: list[dict[str, Any]] = []
    pos = 0
    while pos < len(text):
        try:
            value, pos = _DECODER.raw_decode(text, pos)
        except (ValueError, RecursionError):
            return []
        if not isinstance(value, dict):
            return []
        if value.get("type") is not None or (
            value.get("uuid") is not None and value.get("sessionId") is not None
        ):
            out.append(value)
        pos = len(text) - len(text[pos:].lstrip())
    return out


def read_records(path: Path) -> tuple[list[dict[str, Any]], int]:
    records: list[dict[str, Any]] = []
    malformed = 0
    lines = path.read_bytes().split(b"\n")
    for n, raw in enumerate(lines):
        if not raw.replace(b"\xef\xbb\xbf", b"").strip(b" \t\r\n\x0b\x0c"):
            continue  # blank (a byte-order mark alone is no content either)
        found = _whole(raw) if n == len(lines) - 1 else _objects(raw)
        if not found:
            malformed += 1
        records += found
    return records, malformed


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _text_of_user(content: Any) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list) and content and isinstance(content[0], dict):
        return str(content[0].get("text") or "")
    return ""


def claude_kinds(rec: dict[str, Any]) -> list[str]:
    typ = rec.get("type")
    msg = _dict(rec.get("message"))
    content = msg.get("content")
    blocks = (
        [b if isinstance(b, dict) else {} for b in content] if isinstance(content, list) else None
    )
    synthetic = msg.get("model") == "<synthetic>" or bool(rec.get("isApiErrorMessage"))
    if typ == "assistant":
        if not blocks:
            return ["error" if synthetic else "assistant"]
        if synthetic:
            return ["error"] * len(blocks)
        table = {
            "text": "assistant",
            "thinking": "thinking",
            "redacted_thinking": "thinking",
            "tool_use": "tool_call",
            "server_tool_use": "tool_call",
        }
        return [
            table.get(
                b.get("type") or "",
                "tool_result" if str(b.get("type") or "").endswith("tool_result") else "other",
            )
            for b in blocks
        ]
    if typ == "user":
        kinds = []
        results = [b for b in blocks or [] if b.get("type") == "tool_result"]
        for b in results:
            kinds.append("error" if b.get("is_error") is True else "tool_result")
        if blocks is None or not blocks or len(results) < len(blocks):
            meta = rec.get("isMeta") is True or rec.get("isCompactSummary") is True
            injected = bool(_HARNESS.match(_text_of_user(content).lstrip()))
            # a subagent's instructions (inline in 1.0.x main files) are not prompts
            side = rec.get("isSidechain") is True or rec.get("agentId") is not None
            kinds.append("system" if meta or injected or side else "prompt")
        return kinds
    if typ == "system":
        err = rec.get("subtype") == "api_error" or rec.get("level") == "error"
        return ["error" if err else "system"]
    return ["other"]


def codex_kind(rec: dict[str, Any], has_user_events: bool) -> str:
    typ = rec.get("type")
    p = _dict(rec.get("payload"))
    ptype = p.get("type")
    if typ == "event_msg":
        return {
            "user_message": "prompt",
            "turn_aborted": "system",
            "context_compacted": "system",
            "error": "error",
            "stream_error": "error",
        }.get(str(ptype), "other")
    if typ == "compacted":
        return "system"
    if typ != "response_item":
        return "other"
    if ptype == "message":
        role = p.get("role")
        if role == "assistant":
            return "assistant"
        content = p.get("content") if isinstance(p.get("content"), list) else []
        first = content[0].get("text", "") if content and isinstance(content[0], dict) else ""
        injected = (first or "").lstrip().startswith("<") or (first or "").startswith("# AGENTS.md")
        if role == "user" and not injected:
            return "other" if has_user_events else "prompt"
        return "system"
    if ptype == "reasoning":
        return "thinking"
    if ptype in ("function_call", "custom_tool_call", "local_shell_call", "web_search_call"):
        return "tool_call"
    if ptype in ("function_call_output", "custom_tool_call_output"):
        code = 0
        out = p.get("output")
        if isinstance(out, str):
            try:
                doc = json.loads(out)
                code = (
                    int(doc.get("metadata", {}).get("exit_code") or 0)
                    if isinstance(doc, dict)
                    else 0
                )
            except (ValueError, TypeError, AttributeError):
                code = 0
        return "error" if code else "tool_result"
    return "other"


def _time(value: Any) -> str | None:
    """A timestamp as the store takes one (`LIKE '____-__-__T%'`), else None."""
    if isinstance(value, str) and len(value) >= 11 and value[4] == value[7] == "-":
        return value if value[10] == "T" else None
    return None


def _s(value: Any) -> str:
    """A JSON value read as text, as DuckDB reads one into a VARCHAR ('' for none)."""
    if value is None:
        return ""
    return value if isinstance(value, str) else json.dumps(value, separators=(",", ":"))


def _md5(text: str) -> str:
    return hashlib.md5(text.encode("utf-8", "surrogatepass")).hexdigest()


def _parts(rec: dict[str, Any]) -> list[str]:
    """What a Claude record is made of, to know it again when it is replayed."""
    typ = rec.get("type")
    msg = _dict(rec.get("message"))
    content = msg.get("content")
    if typ == "assistant":
        if isinstance(content, str):
            return [f"a{_s(msg.get('id'))}::"]
        if isinstance(content, list):
            return [
                f"a{_s(msg.get('id'))}:{_s(b.get('type'))}:{_s(b.get('id'))}"
                for b in (_dict(b) for b in content)
            ]
    if typ == "user":
        if isinstance(content, str):
            return ["t" + _md5(content)]
        if isinstance(content, list):
            parts = []
            for b in (_dict(b) for b in content):
                if b.get("type") == "tool_result":
                    parts.append("r" + _s(b.get("tool_use_id")))
                elif b.get("type") == "text":
                    parts.append("t" + _md5(_s(b.get("text"))))
                else:
                    parts.append("o" + _s(b.get("type")))
            return parts
    return []


def replayed(records: list[dict[str, Any]]) -> set[int]:
    """Indexes of the records a resumed session wrote again (new uuids, old times): in a
    file where an assistant block is written twice at the same time, a record whose time
    is no later than one before it and whose every part an earlier record of the same type
    and time, with another uuid, already holds."""
    times = [_time(r.get("timestamp")) for r in records]
    parts = [list(dict.fromkeys(_parts(r))) for r in records]
    firsts = Counter(
        (t, p[0])
        for r, t, p in zip(records, times, parts, strict=True)
        if r.get("type") == "assistant" and t and p
    )
    if not any(n > 1 for n in firsts.values()):
        return set()
    out: set[int] = set()
    seen: dict[tuple[Any, str, str], list[Any]] = {}
    latest: str | None = None
    for i, (r, t, p) in enumerate(zip(records, times, parts, strict=True)):
        if t is None:
            continue
        uuid = r.get("uuid")
        if (
            latest is not None
            and t <= latest
            and p
            and all(any(u != uuid for u in seen.get((r.get("type"), t, part), [])) for part in p)
        ):
            out.add(i)
        for part in p:
            seen.setdefault((r.get("type"), t, part), []).append(uuid)
        latest = t if latest is None else max(latest, t)
    return out


def read_file(path: Path, source: str) -> FileFacts:
    records, malformed = read_records(path)
    facts = FileFacts(records=len(records), malformed_lines=malformed)
    if source == "codex":
        has_events = any(
            r.get("type") == "event_msg"
            and isinstance(r.get("payload"), dict)
            and r["payload"].get("type") == "user_message"
            for r in records
        )
        facts.kinds.update(codex_kind(r, has_events) for r in records)
        last = None
        for r in records:
            p = _dict(r.get("payload"))
            info = _dict(p.get("info"))
            if (
                r.get("type") == "event_msg"
                and p.get("type") == "token_count"
                and info
                and info.get("total_token_usage")
            ):
                last = info["total_token_usage"]
        if last:
            cached = _tokens(last.get("cached_input_tokens"))
            facts.tokens = {
                "input": max(_tokens(last.get("input_tokens")) - cached, 0),
                "output": _tokens(last.get("output_tokens")),
                "cache_read": cached,
                "cache_creation": 0,
            }
        return facts
    best: dict[tuple[str, str | None], dict[str, int]] = {}
    again = replayed(records)
    facts.replayed = len(again)
    for i, r in enumerate(records):
        if i not in again:
            facts.kinds.update(claude_kinds(r))
        msg = _dict(r.get("message"))
        usage = msg.get("usage")
        if r.get("type") != "assistant" or not isinstance(usage, dict):
            continue
        if msg.get("model") == "<synthetic>" or r.get("isApiErrorMessage"):
            continue
        key = (str(msg.get("id") or r.get("uuid") or i), r.get("requestId"))
        u = {
            "input": _tokens(usage.get("input_tokens")),
            "output": _tokens(usage.get("output_tokens")),
            "cache_read": _tokens(usage.get("cache_read_input_tokens")),
            "cache_creation": _tokens(usage.get("cache_creation_input_tokens")),
        }
        if key not in best or sum(u.values()) > sum(best[key].values()):
            best[key] = u
    for u in best.values():
        for k, v in u.items():
            facts.tokens[k] += v
    return facts


def _tokens(value: Any) -> int:
    """A token count a model could have produced (0 to 10^10), else 0 (the catalog's rule)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return 0
    return int(value) if 0 <= value <= 10_000_000_000 else 0
