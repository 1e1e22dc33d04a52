-- Facts per file in ONE pass over `{records}` (a streaming read_json scan, or the `raw`
-- table of repaired files): file, source, ord (file order), bad, <schema columns>.
-- The kind rules are those of entries.sql, counted per record with list functions so the
-- scan is never materialised; tests check both give the same counts on every file.
WITH r AS (
    SELECT file, source, ord, bad, type, subtype, timestamp, uuid, sessionId, cwd,
        gitBranch, requestId, customTitle, aiTitle, summary, leafUuid, level,
        coalesce(isMeta, false) OR coalesce(isCompactSummary, false) AS is_meta,
        coalesce(isSidechain, false) OR agentId IS NOT NULL AS sidechain,
        message.id AS msg_id, message.model AS model, sane_usage(message.usage) AS usage,
        absurd_usage(message.usage) OR absurd_codex_usage(payload.info.total_token_usage) AS bad_number,
        (coalesce(message.model = '<synthetic>', false) OR coalesce(isApiErrorMessage, false)) AS synthetic,
        -- (JSON as read_json writes it starts with its value: no parse to tell its type)
        CASE left(message.content::VARCHAR, 1) WHEN '[' THEN 'ARRAY' WHEN '"' THEN 'VARCHAR'
             WHEN '{' THEN 'OBJECT' ELSE json_type(message.content) END AS ctype,
        CASE WHEN ctype = 'ARRAY' THEN
            json_transform(message.content, '[{"type":"VARCHAR","name":"VARCHAR","is_error":"BOOLEAN","id":"VARCHAR","text":"VARCHAR"}]')
        END AS blocks,
        -- A user record's parts, for replays; the streaming scan leaves them out (NULL) and
        -- sends a file that replays to the second look, which reads them (build.py).
        CASE WHEN type = 'user' AND ctype = 'ARRAY' THEN
            {USER_BLOCKS}
        END AS ublocks,
        -- (so is a user string in full: replays.sql hashes it)
        CASE WHEN type = 'user' AND ctype = 'VARCHAR' AND NOT {FIRST_LOOK}
             THEN json_extract_string(message.content, '$') END AS ustring,
        CASE WHEN type = 'user' AND ctype = 'VARCHAR'
             THEN left(json_extract_string(message.content, '$'), 300)
             WHEN type = 'user' AND ctype = 'ARRAY'
             THEN left(blocks[1].text, 300) END AS utext,
        payload.type AS ptype, payload.role AS prole, payload.id AS pid, payload.cwd AS pcwd,
        payload.git.branch AS pbranch, payload.model AS pmodel, payload.name AS pname,
        sane_codex_usage(payload.info.total_token_usage) AS codex_usage,
        CASE WHEN type = 'session_meta' THEN json_extract_string(payload.source,
             '$.subagent.thread_spawn.parent_thread_id') END AS codex_parent,
        CASE WHEN type = 'event_msg' AND payload.type = 'user_message' THEN left(payload.message, 300)
             WHEN type = 'response_item' AND payload.type = 'message'
             THEN left(json_extract_string(payload.content, '$[0].text'), 300) END AS ptext,
        CASE WHEN payload.type LIKE '%call_output'
              AND json_valid(json_extract_string(payload.output, '$'))
             THEN TRY_CAST(json_extract(json_extract_string(payload.output, '$'),
                  '$.metadata.exit_code') AS BIGINT) END AS exit_code
    FROM {records}
),
k AS (
    SELECT *,
        -- Claude: a user record's text/images make one entry; each tool_result one more.
        coalesce(len(list_filter(blocks, lambda b: b.type = 'tool_result')), 0) AS n_results,
        coalesce(len(list_filter(blocks, lambda b: b.type = 'tool_result' AND coalesce(b.is_error, false))), 0) AS n_result_errors,
        coalesce(len(blocks), 0) = 0
            OR len(list_filter(blocks, lambda b: b.type <> 'tool_result' OR b.type IS NULL)) > 0 AS has_user_text,
        CASE WHEN source = 'codex' THEN codex_kind(type, ptype, prole, ptext, exit_code)
        END AS codex_kind,
        CASE WHEN source = 'codex' AND ptype IN ('function_call', 'custom_tool_call') THEN pname
             WHEN source = 'codex' AND ptype = 'local_shell_call' THEN 'local_shell'
             WHEN source = 'codex' AND ptype = 'web_search_call' THEN 'web_search' END AS codex_tool
    FROM r
),
e AS (
    -- Entries of each kind contributed by one record.
    SELECT *,
        CASE WHEN source = 'codex' THEN CAST(codex_kind = 'prompt' AS INT)
             WHEN type = 'user' AND has_user_text AND NOT is_meta AND NOT sidechain
                  AND NOT harness_text(utext) THEN 1 ELSE 0 END AS e_prompt,
        CASE WHEN source = 'codex' THEN CAST(codex_kind = 'assistant' AS INT)
             WHEN type = 'assistant' AND NOT synthetic THEN
                 CASE WHEN len(blocks) > 0 THEN len(list_filter(blocks, lambda b: b.type = 'text'))
                      ELSE 1 END ELSE 0 END AS e_assistant,
        CASE WHEN source = 'codex' THEN CAST(codex_kind = 'thinking' AS INT)
             WHEN type = 'assistant' AND NOT synthetic THEN
                 len(list_filter(blocks, lambda b: b.type IN ('thinking', 'redacted_thinking')))
             ELSE 0 END AS e_thinking,
        CASE WHEN source = 'codex' THEN CAST(codex_kind = 'tool_call' AS INT)
             WHEN type = 'assistant' AND NOT synthetic THEN
                 len(list_filter(blocks, lambda b: b.type IN ('tool_use', 'server_tool_use')))
             ELSE 0 END AS e_tool_call,
        CASE WHEN source = 'codex' THEN CAST(codex_kind = 'tool_result' AS INT)
             WHEN type = 'user' THEN n_results - n_result_errors
             WHEN type = 'assistant' AND NOT synthetic THEN
                 len(list_filter(blocks, lambda b: b.type LIKE '%tool_result'))
             ELSE 0 END AS e_tool_result,
        CASE WHEN source = 'codex' THEN CAST(codex_kind = 'error' AS INT)
             WHEN type = 'user' THEN n_result_errors
             WHEN type = 'assistant' AND synthetic THEN greatest(coalesce(len(blocks), 1), 1)
             WHEN type = 'system' AND (coalesce(subtype, '') = 'api_error' OR coalesce(level, '') = 'error') THEN 1
             ELSE 0 END AS e_error,
        CASE WHEN source = 'codex' THEN CAST(codex_kind = 'system' AS INT)
             WHEN type = 'user' AND has_user_text
                  AND (is_meta OR harness_text(utext) OR sidechain) THEN 1
             WHEN type = 'system' AND NOT (coalesce(subtype, '') = 'api_error' OR coalesce(level, '') = 'error') THEN 1
             ELSE 0 END AS e_system,
        CASE WHEN bad THEN 0
             WHEN source = 'codex' THEN CAST(codex_kind IN ('other', 'user_copy') AS INT)
             WHEN type = 'assistant' AND NOT synthetic AND len(blocks) > 0 THEN
                 len(list_filter(blocks, lambda b: b.type IS NULL OR b.type NOT IN
                     ('text', 'thinking', 'redacted_thinking', 'tool_use', 'server_tool_use')
                     AND NOT b.type LIKE '%tool_result'))
             WHEN coalesce(type IN ('user', 'assistant', 'system'), false) THEN 0
             ELSE 1 END AS e_other,
        coalesce(CAST(codex_kind = 'user_copy' AS INT), 0) AS e_user_copy,
        CASE WHEN source = 'codex' THEN CASE WHEN codex_tool IS NULL THEN [] ELSE [codex_tool] END
             WHEN type = 'assistant' AND NOT synthetic THEN list_transform(list_filter(blocks,
                 lambda b: b.type IN ('tool_use', 'server_tool_use')), lambda b: b.name)
             ELSE [] END AS tool_names,
        -- What tells the first look that a file replays (replays.sql): one block of an API
        -- response written twice at the same time.
        CASE WHEN source = 'claude' AND type = 'assistant' AND NOT bad
             AND timestamp LIKE '____-__-__T%' AND (ctype = 'VARCHAR' OR len(blocks) > 0)
             THEN {'ts': timestamp,
                   'sig': replay_sigs(type, msg_id, ctype, NULL, blocks, NULL)[1]} END AS rp_key,
        CASE WHEN source = 'codex' AND codex_kind = 'prompt' THEN ptext
             WHEN source = 'claude' AND type = 'user' AND NOT is_meta THEN utext END AS prompt_text
    FROM k
),
rp_in AS (
    SELECT file, ord AS pos, type, CASE WHEN timestamp LIKE '____-__-__T%' THEN timestamp END AS ts,
        uuid, CASE WHEN source = 'claude' THEN replay_sigs(type, msg_id, ctype, ustring, blocks, ublocks)
                   ELSE [] END AS sigs
    FROM r WHERE NOT bad
),
{REPLAYED},
-- A replayed record counts as a record, and nothing else.
er AS (
    SELECT e.* REPLACE (
        CASE WHEN rp.pos IS NULL THEN e_prompt ELSE 0 END AS e_prompt,
        CASE WHEN rp.pos IS NULL THEN e_assistant ELSE 0 END AS e_assistant,
        CASE WHEN rp.pos IS NULL THEN e_thinking ELSE 0 END AS e_thinking,
        CASE WHEN rp.pos IS NULL THEN e_tool_call ELSE 0 END AS e_tool_call,
        CASE WHEN rp.pos IS NULL THEN e_tool_result ELSE 0 END AS e_tool_result,
        CASE WHEN rp.pos IS NULL THEN e_error ELSE 0 END AS e_error,
        CASE WHEN rp.pos IS NULL THEN e_system ELSE 0 END AS e_system,
        CASE WHEN rp.pos IS NULL THEN e_other ELSE 0 END AS e_other,
        CASE WHEN rp.pos IS NULL THEN tool_names ELSE [] END AS tool_names),
        rp.pos IS NOT NULL AS replay
    FROM e LEFT JOIN replayed rp ON NOT {FIRST_LOOK} AND rp.file = e.file AND rp.pos = e.ord
),
f AS (
    SELECT file, any_value(source) AS source, count(*) FILTER (replay) AS replayed,
        count(*) FILTER (NOT bad) AS records, count(*) FILTER (bad) AS malformed_lines,
        count(*) FILTER (bad_number) AS bad_numbers,
        count(*) FILTER (type = 'turn_context') AS n_turns,
        count(rp_key) > count(DISTINCT rp_key) AS replays,
        min(timestamp) FILTER (timestamp LIKE '____-__-__T%') AS started,
        max(timestamp) FILTER (timestamp LIKE '____-__-__T%') AS ended,
        arg_min(coalesce(cwd, pcwd), ord) FILTER (coalesce(cwd, pcwd) <> '') AS cwd,
        arg_min(coalesce(nullif(gitBranch, ''), pbranch), ord)
            FILTER (coalesce(nullif(gitBranch, ''), pbranch) <> '') AS git_branch,
        arg_min(sessionId, ord) FILTER (sessionId <> '') AS session_id,
        arg_min(pid, ord) FILTER (type = 'session_meta') AS codex_id,
        arg_min(codex_parent, ord) FILTER (codex_parent IS NOT NULL) AS codex_parent,
        arg_max(customTitle, ord) FILTER (type = 'custom-title' AND customTitle <> '') AS custom_title,
        arg_max(aiTitle, ord) FILTER (type = 'ai-title' AND aiTitle <> '') AS ai_title,
        list({'ord': ord, 'leaf': leafUuid, 'summary': summary})
            FILTER (type = 'summary' AND leafUuid IS NOT NULL) AS summaries,
        list(uuid) FILTER (uuid IS NOT NULL) AS uuids,
        -- the lines (from 0 in the file) the scan could not read, for the repair's look
        list(ord ORDER BY ord) FILTER (bad) AS bad_ords, min(ord) AS first_ord,
        sum(e_prompt + e_assistant + e_thinking + e_tool_call + e_tool_result + e_error
            + e_system + e_other) AS entries,
        sum(e_prompt) AS n_prompt, sum(e_assistant) AS n_assistant, sum(e_thinking) AS n_thinking,
        sum(e_tool_call) AS n_tool_call, sum(e_tool_result) AS n_tool_result,
        sum(e_error) AS n_error, sum(e_system) AS n_system, sum(e_other) AS n_other,
        sum(e_user_copy) AS n_user_copy,
        sum(e_prompt + e_assistant + e_thinking + e_tool_call + e_tool_result + e_error
            + e_system + e_other) FILTER (sidechain) AS n_sidechain,
        arg_min(prompt_text, ord) FILTER (e_prompt > 0 AND trim(prompt_text) <> ''
            AND NOT ltrim(prompt_text) LIKE '<%') AS first_prompt,
        arg_min(prompt_text, ord) FILTER (e_prompt > 0 AND trim(prompt_text) <> '') AS first_prompt_any,
        arg_min(ptext, ord) FILTER (e_user_copy > 0 AND trim(ptext) <> '') AS first_user_copy,
        -- a subagent on its own (an orphan) is titled by its instructions
        arg_min(utext, ord) FILTER (type = 'user' AND sidechain AND has_user_text
            AND NOT is_meta AND trim(utext) <> '') AS first_instructions,
        flatten(list(tool_names) FILTER (len(tool_names) > 0)) AS tool_names,
        list(coalesce(model, pmodel)) FILTER ((type = 'assistant' AND NOT synthetic)
            OR (type = 'turn_context' AND pmodel <> '')) AS models,
        arg_max(codex_usage, ord) FILTER (codex_usage IS NOT NULL) AS codex_usage
    FROM er GROUP BY file
),
-- One API response is written as several lines repeating its usage (Q1/Q2): keep the
-- largest usage per (message.id, requestId), then sum, per day and model (for the stats
-- screen's plots and costs) and per file.
tok_msg AS (
    SELECT file, min(left(timestamp, 10)) AS day, any_value(model) AS model,
        arg_max(usage, coalesce(usage.input_tokens, 0) + coalesce(usage.output_tokens, 0)
                + coalesce(usage.cache_read_input_tokens, 0)
                + coalesce(usage.cache_creation_input_tokens, 0)) AS u
    FROM e
    WHERE source = 'claude' AND type = 'assistant' AND NOT synthetic AND usage IS NOT NULL
    GROUP BY file, coalesce(msg_id, CAST(ord AS VARCHAR)), requestId
),
tok_day AS (
    SELECT file, day, model, coalesce(sum(u.input_tokens), 0) AS input,
        coalesce(sum(u.output_tokens), 0) AS output,
        coalesce(sum(u.cache_read_input_tokens), 0) AS cache_read,
        coalesce(sum(u.cache_creation_input_tokens), 0) AS cache_creation,
        coalesce(sum(u.cache_creation_1h), 0) AS cache_creation_1h, count(*) AS turns
    FROM tok_msg GROUP BY file, day, model
),
tok AS (
    SELECT file, sum(input) AS c_input, sum(output) AS c_output,
        sum(cache_read) AS c_cache_read, sum(cache_creation) AS c_cache_creation,
        list({'day': day, 'model': model, 'input': input, 'output': output,
              'cache_read': cache_read, 'cache_creation': cache_creation,
              'cache_creation_1h': cache_creation_1h, 'turns': turns}
             ORDER BY day, model) AS usage
    FROM tok_day GROUP BY file
)
SELECT b.path, b.size, b.mtime_ns, b.source, b.role, b.file_id, b.parent_hint, b.incomplete_tail,
    coalesce(f.records, 0), coalesce(f.malformed_lines, 0), f.started, f.ended, f.cwd, f.git_branch,
    coalesce(f.session_id, f.codex_id), f.codex_parent,
    -- Title: custom → ai → an in-file summary (Q9: most point elsewhere) → first prompt.
    coalesce(f.custom_title, f.ai_title,
        list_filter(list_sort(f.summaries, 'DESC'), lambda s: list_contains(f.uuids, s.leaf))[1].summary,
        f.first_prompt, prompt_title(f.first_prompt_any), f.first_user_copy, f.first_instructions),
    coalesce(f.entries, 0),
    -- Codex files from before `event_msg/user_message` only have the response_item copy.
    CASE WHEN f.source = 'codex' AND f.n_prompt = 0 THEN f.n_user_copy ELSE coalesce(f.n_prompt, 0) END,
    coalesce(f.n_assistant, 0), coalesce(f.n_thinking, 0), coalesce(f.n_tool_call, 0),
    coalesce(f.n_tool_result, 0), coalesce(f.n_error, 0), coalesce(f.n_system, 0),
    CASE WHEN f.source = 'codex' AND f.n_prompt = 0 THEN f.n_other - f.n_user_copy ELSE coalesce(f.n_other, 0) END,
    coalesce(f.n_sidechain, 0),
    list_sort(list_distinct(list_filter(coalesce(f.models, []), lambda m: m IS NOT NULL))),
    coalesce(list_aggregate(f.tool_names, 'histogram'), MAP {}),
    CASE WHEN f.source = 'codex' THEN greatest(coalesce(f.codex_usage.input_tokens, 0) - coalesce(f.codex_usage.cached_input_tokens, 0), 0)
         ELSE coalesce(tok.c_input, 0) END,
    CASE WHEN f.source = 'codex' THEN coalesce(f.codex_usage.output_tokens, 0) ELSE coalesce(tok.c_output, 0) END,
    CASE WHEN f.source = 'codex' THEN coalesce(f.codex_usage.cached_input_tokens, 0) ELSE coalesce(tok.c_cache_read, 0) END,
    CASE WHEN f.source = 'codex' THEN 0 ELSE coalesce(tok.c_cache_creation, 0) END,
    -- Codex logs running totals only: its usage goes to the last day and model.
    CASE WHEN f.source = 'codex' AND f.codex_usage IS NOT NULL THEN [{'day': left(f.ended, 10),
            'model': f.models[-1],
            'input': greatest(coalesce(f.codex_usage.input_tokens, 0) - coalesce(f.codex_usage.cached_input_tokens, 0), 0),
            'output': coalesce(f.codex_usage.output_tokens, 0),
            'cache_read': coalesce(f.codex_usage.cached_input_tokens, 0), 'cache_creation': 0,
            'cache_creation_1h': 0,
            -- a turn of Codex's opens with turn_context; one may hold no assistant message
            'turns': greatest(coalesce(f.n_assistant, 0), coalesce(f.n_turns, 0))}]
         ELSE coalesce(tok.usage, []) END,
    coalesce(f.bad_numbers, 0), -- NULL: this file replays; the streaming scan cannot tell which records, the second look will
    CASE WHEN {FIRST_LOOK} AND f.replays THEN NULL
         ELSE coalesce(f.replayed, 0) END,
    CASE WHEN {FIRST_LOOK} THEN list_transform(f.bad_ords, lambda o: o - f.first_ord) END
FROM batch_files b LEFT JOIN f ON f.file = b.path LEFT JOIN tok ON tok.file = b.path
