-- Turns the records of session files into entries (the unit of the message pane).
-- Expects a relation `raw(file, source, line, sub, bad, <schema.RECORD_COLUMNS>)`,
-- one row per non-blank line (sub > 0 for records recovered from glued lines).
-- Yields one row per entry plus one `_bad` row per malformed line; record-level facts
-- (type, timestamp, uuid, sidechain, replay: written again by a resumed session, see
-- replays.sql) ride along on every row.
-- Placeholders in braces are the project's own constants, never user text.
c AS (
    SELECT r.*,
           json_type(r.message.content) AS ctype,
           CASE WHEN json_type(r.message.content) = 'ARRAY'
                THEN json_transform(r.message.content, '{CLAUDE_BLOCKS}') END AS blocks
    FROM raw r WHERE r.source = 'claude' AND NOT r.bad
),
rp_in AS (
    SELECT file, line * 4096 + sub AS pos, type,
        CASE WHEN timestamp LIKE '____-__-__T%' THEN timestamp END AS ts, uuid,
        replay_sigs(type, message.id, ctype,
                    CASE WHEN ctype = 'VARCHAR' THEN json_extract_string(message.content, '$') END,
                    blocks, blocks) AS sigs
    FROM c
),
{REPLAYS},
c_block AS (
    SELECT c.*, unnest(blocks) AS b, generate_subscripts(blocks, 1) AS bi
    FROM c WHERE type IN ('user', 'assistant') AND len(blocks) > 0
),
c_block_text AS (
    SELECT c_block.*,
        CASE
            WHEN b.type = 'text' THEN b.text
            WHEN b.type = 'thinking' THEN b.thinking
            WHEN b.type = 'redacted_thinking' THEN '[redacted thinking]'
            WHEN b.type IN ('tool_use', 'server_tool_use') THEN CAST(b.input AS VARCHAR)
            WHEN b.type IN ('image', 'document') THEN
                '[' || b.type || ': ' || coalesce(b.source.media_type, b.source.type, '?')
                || coalesce(', ' || CAST(len(b.source.data) * 3 // 4 // 1024 AS VARCHAR) || ' KB', '')
                || coalesce(', ' || b.source.url, '') || ']'
            WHEN json_type(b.content) = 'VARCHAR' THEN json_extract_string(b.content, '$')
            WHEN json_type(b.content) = 'ARRAY' THEN array_to_string(list_transform(
                json_transform(b.content, '{INNER_BLOCKS}'),
                lambda x: CASE WHEN x.type = 'text' THEN x.text
                               ELSE '[' || coalesce(x.type, '?') || ': '
                                    || coalesce(x.source.media_type, '?') || ']' END), E'\n')
            WHEN b.content IS NOT NULL THEN CAST(b.content AS VARCHAR)
            ELSE coalesce(b.text, '')
        END AS btext
    FROM c_block
),
-- The person's text and images of one user record become one entry (tool results apart).
c_user_text AS (
    SELECT file, line, sub,
           array_to_string(list(btext ORDER BY bi), E'\n') AS text, min(bi) AS bi
    FROM c_block_text
    WHERE type = 'user' AND coalesce(b.type, '') <> 'tool_result'
    GROUP BY file, line, sub
),
claude_entries AS (
    -- assistant blocks, one entry each
    SELECT t.file, t.line, t.sub, t.bi,
        CASE WHEN coalesce(t.message.model = '<synthetic>', false) OR coalesce(t.isApiErrorMessage, false)
                  THEN 'error'
             WHEN t.b.type = 'text' THEN 'assistant'
             WHEN t.b.type IN ('thinking', 'redacted_thinking') THEN 'thinking'
             WHEN t.b.type IN ('tool_use', 'server_tool_use') THEN 'tool_call'
             WHEN t.b.type LIKE '%tool_result' THEN 'tool_result'
             ELSE 'other' END AS kind,
        CASE WHEN t.b.type IN ('tool_use', 'server_tool_use') THEN t.b.name END AS tool,
        coalesce(t.b.id, t.b.tool_use_id) AS tool_use_id,
        t.b.type AS label, t.btext AS text
    FROM c_block_text t WHERE t.type = 'assistant'
    UNION ALL
    -- tool results (user records), one entry each
    SELECT t.file, t.line, t.sub, t.bi,
        CASE WHEN coalesce(t.b.is_error, false) THEN 'error' ELSE 'tool_result' END,
        NULL, t.b.tool_use_id, 'tool_result', t.btext
    FROM c_block_text t WHERE t.type = 'user' AND t.b.type = 'tool_result'
    UNION ALL
    -- list-shaped user text
    SELECT u.file, u.line, u.sub, u.bi, NULL, NULL, NULL, 'user', u.text FROM c_user_text u
    UNION ALL
    -- string-shaped content and every other record type: one entry per record
    SELECT c.file, c.line, c.sub, 0,
        CASE WHEN c.type = 'user' THEN NULL
             WHEN c.type = 'assistant' THEN
                CASE WHEN coalesce(c.message.model = '<synthetic>', false) OR coalesce(c.isApiErrorMessage, false)
                     THEN 'error' ELSE 'assistant' END
             WHEN c.type = 'system' AND (coalesce(c.subtype, '') = 'api_error' OR coalesce(c.level, '') = 'error') THEN 'error'
             WHEN c.type = 'system' THEN 'system'
             ELSE 'other' END,
        NULL, NULL,
        CASE WHEN c.type = 'system' THEN 'system:' || coalesce(c.subtype, '')
             WHEN c.type = 'user' THEN 'user'
             ELSE coalesce(c.type, '(no type)') END,
        CASE
            WHEN c.type IN ('user', 'assistant') THEN coalesce(json_extract_string(c.message.content, '$'), '')
            WHEN c.type = 'system' AND c.subtype = 'api_error'
                THEN api_error_text(c.error, c.cause, c.retryAttempt, c.maxRetries, c.retryInMs)
            WHEN c.type = 'system' THEN coalesce(json_extract_string(c.content, '$'), c.subtype, '')
            WHEN c.type = 'summary' THEN coalesce(c.summary, '')
            WHEN c.type = 'ai-title' THEN coalesce(c.aiTitle, '')
            WHEN c.type = 'custom-title' THEN coalesce(c.customTitle, '')
            WHEN c.type = 'queue-operation' THEN coalesce(c.operation, '') || coalesce(': ' || json_extract_string(c.content, '$'), '')
            WHEN c.type = 'progress' THEN coalesce(c.data.type, '')
            WHEN c.type = 'last-prompt' THEN coalesce(c.lastPrompt, '')
            WHEN c.type = 'file-history-snapshot' THEN 'file history snapshot'
            ELSE ''
        END
    -- (a record with no type is one entry too, whatever its content: found by fuzzing)
    FROM c WHERE NOT (coalesce(c.type IN ('user', 'assistant'), false) AND coalesce(len(c.blocks), 0) > 0)
),
x AS (
    SELECT r.*,
        CASE WHEN r.type = 'response_item' AND r.payload.type = 'message'
             THEN array_to_string(list_transform(
                json_transform(r.payload.content, '{INNER_BLOCKS}'),
                lambda x: coalesce(x.text, '[' || coalesce(x.type, '?') || ']')), E'\n') END AS mtext,
        -- Codex tool output is a JSON document inside a string; anything else is plain text.
        CASE WHEN r.payload.type LIKE '%call_output' AND json_valid(json_extract_string(r.payload.output, '$'))
             THEN json_extract_string(r.payload.output, '$') END AS out_doc,
        TRY_CAST(json_extract(out_doc, '$.metadata.exit_code') AS BIGINT) AS exit_code
    FROM raw r WHERE r.source = 'codex' AND NOT r.bad
),
codex_entries AS (
    SELECT x.file, x.line, x.sub, 0 AS bi,
        replace(codex_kind(x.type, x.payload.type, x.payload.role, x.mtext, x.exit_code),
                'user_copy', 'other') AS kind,
        CASE WHEN x.payload.type IN ('function_call', 'custom_tool_call') THEN x.payload.name
             WHEN x.payload.type = 'local_shell_call' THEN 'local_shell'
             WHEN x.payload.type = 'web_search_call' THEN 'web_search' END AS tool,
        x.payload.call_id AS tool_use_id,
        x.type || coalesce(':' || x.payload.type, '') || coalesce(':' || x.payload.role, '') AS label,
        CASE
            WHEN x.payload.type = 'message' THEN coalesce(x.mtext, '')
            WHEN x.payload.type = 'user_message' THEN coalesce(x.payload.message, '')
            WHEN x.payload.type IN ('agent_message') THEN coalesce(x.payload.message, '')
            WHEN x.payload.type IN ('agent_reasoning') THEN coalesce(x.payload.text, '')
            WHEN x.payload.type = 'reasoning' THEN coalesce(nullif(array_to_string(list_transform(
                json_transform(x.payload.summary, '{CODEX_SUMMARY}'), lambda s: s.text), E'\n'), ''),
                '[encrypted reasoning]')
            WHEN x.payload.type = 'function_call' THEN coalesce(json_extract_string(x.payload.arguments, '$'), '')
            WHEN x.payload.type = 'custom_tool_call' THEN coalesce(json_extract_string(x.payload.input, '$'), '')
            WHEN x.payload.type IN ('function_call_output', 'custom_tool_call_output') THEN
                coalesce(json_extract_string(x.out_doc, '$.output'),
                         json_extract_string(x.payload.output, '$'), '')
            WHEN x.payload.type IN ('local_shell_call', 'web_search_call') THEN coalesce(CAST(x.payload.action AS VARCHAR), '')
            WHEN x.type = 'session_meta' THEN 'session started in ' || coalesce(x.payload.cwd, '?')
            WHEN x.type = 'turn_context' THEN 'model ' || coalesce(x.payload.model, '?')
            WHEN x.type = 'compacted' THEN 'Conversation compacted'
            WHEN x.payload.type = 'turn_aborted' THEN 'Turn aborted: ' || coalesce(x.payload.reason, '')
            WHEN x.payload.type = 'context_compacted' THEN 'Context compacted'
            ELSE coalesce(x.payload.message, x.payload.type, x.type, '')
        END AS text
    FROM x
),
all_entries AS (
    SELECT * FROM claude_entries UNION ALL SELECT * FROM codex_entries
),
entries AS (
    SELECT e.file, r.source, e.line, e.sub, e.bi,
        CASE WHEN e.kind IS NOT NULL THEN e.kind
             WHEN coalesce(r.isCompactSummary, false) OR coalesce(r.isMeta, false) THEN 'system'
             WHEN harness_text(e.text) THEN 'system'
             -- A subagent's user text is its instructions, written by the parent agent
             -- (1.0.x wrote them into the main file): never the person's prompt.
             WHEN coalesce(r.isSidechain, false) OR r.agentId IS NOT NULL THEN 'system'
             ELSE 'prompt' END AS kind,
        CASE WHEN e.kind IS NOT NULL THEN e.label
             WHEN coalesce(r.isCompactSummary, false) THEN 'compaction summary'
             WHEN coalesce(r.isMeta, false) THEN 'meta'
             WHEN harness_text(e.text) THEN 'harness'
             WHEN coalesce(r.isSidechain, false) OR r.agentId IS NOT NULL THEN 'subagent instructions'
             ELSE e.label END AS label,
        e.tool, e.tool_use_id, e.text,
        r.type, r.subtype, coalesce(r.timestamp, r.snapshot.timestamp) AS ts, r.uuid,
        coalesce(r.isSidechain, false) OR r.agentId IS NOT NULL AS sidechain,
        false AS bad,
        (e.file, e.line * 4096 + e.sub) IN (SELECT (file, pos) FROM replayed) AS replay,
        -- The subagent a Task result reports (toolUseResult, or "agentId: …" in its text).
        CASE WHEN e.label = 'tool_result' THEN coalesce(r.toolUseResult.agentId,
             nullif(regexp_extract(e.text, 'agentId: ([A-Za-z0-9_-]+)', 1), '')) END AS agent_link
    FROM all_entries e JOIN raw r USING (file, line, sub)
    UNION ALL
    SELECT file, source, line, sub, 0, '_bad', NULL, NULL, NULL, NULL,
           NULL, NULL, NULL, NULL, false, true, false, NULL
    FROM raw WHERE bad
)
