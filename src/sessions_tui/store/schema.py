"""The explicit `read_json` schema for both formats (never auto-detected: see design.md).

Fields whose JSON type varies between records (a message's `content` is a string or a
list of blocks; a tool result's `content` likewise) are typed `JSON` and taken apart in
SQL, so one schema serves Claude Code and Codex files in a single scan.
"""

from __future__ import annotations

SCHEMA_VERSION = 9

_USAGE = (
    "STRUCT(input_tokens DOUBLE, output_tokens DOUBLE, "
    "cache_read_input_tokens DOUBLE, cache_creation_input_tokens DOUBLE, "
    # the part of the cache writes kept an hour (priced higher than the 5-minute ones)
    "cache_creation STRUCT(ephemeral_1h_input_tokens DOUBLE))"
)
_CODEX_USAGE = (
    "STRUCT(input_tokens DOUBLE, cached_input_tokens DOUBLE, output_tokens DOUBLE, "
    "reasoning_output_tokens DOUBLE, total_tokens DOUBLE)"
)

RECORD_COLUMNS: dict[str, str] = {
    # Claude Code envelope and metadata records
    "type": "VARCHAR",
    "subtype": "VARCHAR",
    "timestamp": "VARCHAR",
    "uuid": "VARCHAR",
    "parentUuid": "VARCHAR",
    "sessionId": "VARCHAR",
    "cwd": "VARCHAR",
    "gitBranch": "VARCHAR",
    "isSidechain": "BOOLEAN",
    "isMeta": "BOOLEAN",
    "isCompactSummary": "BOOLEAN",
    "isApiErrorMessage": "BOOLEAN",
    "agentId": "VARCHAR",
    "requestId": "VARCHAR",
    "summary": "VARCHAR",
    "leafUuid": "VARCHAR",
    "aiTitle": "VARCHAR",
    "customTitle": "VARCHAR",
    "operation": "VARCHAR",
    "level": "VARCHAR",
    "lastPrompt": "VARCHAR",  # `last-prompt` records
    # `system/api_error` records: why, and which retry in how long (numbers as DOUBLE:
    # an absurd one is read, then left out of the text, never fails the record)
    "error": "JSON",
    "cause": "JSON",
    "retryAttempt": "DOUBLE",
    "maxRetries": "DOUBLE",
    "retryInMs": "DOUBLE",
    "snapshot": "STRUCT(timestamp VARCHAR)",  # `file-history-snapshot`: its only time
    "content": "JSON",
    "data": "STRUCT(type VARCHAR)",
    # A Task result names the subagent it ran (a dict here; other shapes read as NULL).
    "toolUseResult": "STRUCT(agentId VARCHAR)",
    "message": (
        "STRUCT(id VARCHAR, role VARCHAR, model VARCHAR, content JSON, usage " + _USAGE + ")"
    ),
    # Codex envelope: {timestamp, type, payload}
    "payload": (
        "STRUCT(type VARCHAR, role VARCHAR, name VARCHAR, id VARCHAR, cwd VARCHAR, "
        "message VARCHAR, text VARCHAR, model VARCHAR, call_id VARCHAR, reason VARCHAR, "
        "content JSON, summary JSON, output JSON, arguments JSON, input JSON, action JSON, "
        "source JSON, git STRUCT(branch VARCHAR), "
        "info STRUCT(total_token_usage " + _CODEX_USAGE + "))"
    ),
}

# The catalog reads only what its facts need (the per-session view needs everything).
CATALOG_COLUMNS: dict[str, str] = {
    k: v
    for k, v in RECORD_COLUMNS.items()
    if k
    not in (
        *("parentUuid", "operation", "data", "content", "lastPrompt", "snapshot"),
        *("error", "cause", "retryAttempt", "maxRetries", "retryInMs", "toolUseResult"),
    )
}
CATALOG_COLUMNS["payload"] = (
    "STRUCT(type VARCHAR, role VARCHAR, name VARCHAR, id VARCHAR, cwd VARCHAR, "
    "message VARCHAR, model VARCHAR, content JSON, output JSON, source JSON, "
    "git STRUCT(branch VARCHAR), info STRUCT(total_token_usage " + _CODEX_USAGE + "))"
)

# The search index reads what entries are made of, and no facts of the catalog's (the
# ids, folders and token counts of every record: 15 % of the raw table's build).
INDEX_COLUMNS: dict[str, str] = {
    k: v
    for k, v in RECORD_COLUMNS.items()
    if k not in ("parentUuid", "cwd", "gitBranch", "requestId", "leafUuid")
}
INDEX_COLUMNS["message"] = "STRUCT(id VARCHAR, model VARCHAR, content JSON)"
INDEX_COLUMNS["payload"] = (
    "STRUCT(type VARCHAR, role VARCHAR, name VARCHAR, cwd VARCHAR, message VARCHAR, "
    "text VARCHAR, model VARCHAR, call_id VARCHAR, reason VARCHAR, content JSON, "
    "summary JSON, output JSON, arguments JSON, input JSON, action JSON)"
)

# How one Claude content block is taken apart (json_transform is lenient: a field of the
# wrong JSON type becomes NULL instead of failing the record).
CLAUDE_BLOCKS = (
    '[{"type":"VARCHAR","text":"VARCHAR","thinking":"VARCHAR","name":"VARCHAR",'
    '"id":"VARCHAR","input":"JSON","tool_use_id":"VARCHAR","is_error":"BOOLEAN",'
    '"content":"JSON","source":{"type":"VARCHAR","media_type":"VARCHAR","data":"VARCHAR",'
    '"url":"VARCHAR"}}]'
)
# The inner blocks of a tool_result's list-shaped content, and Codex message content.
INNER_BLOCKS = (
    '[{"type":"VARCHAR","text":"VARCHAR","source":{"media_type":"VARCHAR","data":"VARCHAR"}}]'
)
CODEX_SUMMARY = '[{"type":"VARCHAR","text":"VARCHAR"}]'
