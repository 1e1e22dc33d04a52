-- Text in a user record that the harness wrote, not the person: output of commands,
-- background-agent notices, reminders, interrupt markers (format note §1.4).
CREATE OR REPLACE MACRO harness_text(t) AS
    coalesce(regexp_matches(ltrim(t), '^(<(task-notification|local-command-stdout|local-command-stderr|bash-stdout|bash-stderr|system-reminder)>|\[Request interrupted by user)'), false);
-- The kind of a Codex record (entries.sql and catalog_agg.sql share it). `user_copy` is
-- the response_item copy of a prompt, which event_msg/user_message already carries.
CREATE OR REPLACE MACRO codex_kind(rtype, ptype, prole, first_text, exit_code) AS
    CASE rtype || '/' || coalesce(ptype, '')
        WHEN 'event_msg/user_message' THEN 'prompt'
        WHEN 'response_item/message' THEN
            CASE WHEN prole = 'assistant' THEN 'assistant'
                 WHEN prole = 'user' AND NOT (ltrim(first_text) LIKE '<%'
                      OR first_text LIKE '# AGENTS.md%') THEN 'user_copy'
                 ELSE 'system' END
        WHEN 'response_item/reasoning' THEN 'thinking'
        WHEN 'response_item/function_call' THEN 'tool_call'
        WHEN 'response_item/custom_tool_call' THEN 'tool_call'
        WHEN 'response_item/local_shell_call' THEN 'tool_call'
        WHEN 'response_item/web_search_call' THEN 'tool_call'
        WHEN 'response_item/function_call_output' THEN
            CASE WHEN coalesce(exit_code, 0) <> 0 THEN 'error' ELSE 'tool_result' END
        WHEN 'response_item/custom_tool_call_output' THEN
            CASE WHEN coalesce(exit_code, 0) <> 0 THEN 'error' ELSE 'tool_result' END
        WHEN 'event_msg/turn_aborted' THEN 'system'
        WHEN 'event_msg/context_compacted' THEN 'system'
        WHEN 'event_msg/error' THEN 'error'
        WHEN 'event_msg/stream_error' THEN 'error'
        WHEN 'compacted/' THEN 'system'
        ELSE 'other' END;
-- A token count is taken only when it is one a model could have produced: 0 to 10^10
-- (a Codex session's running total included). Others (negative, INT64_MAX, 5e18 twice,
-- which overflowed the sums) count as 0 and flag their record (`bad_numbers`).
CREATE OR REPLACE MACRO sane_tokens(n) AS CASE WHEN n BETWEEN 0 AND 10000000000 THEN CAST(trunc(n) AS BIGINT) END;
CREATE OR REPLACE MACRO absurd_tokens(n) AS coalesce(NOT (n BETWEEN 0 AND 10000000000), false);
CREATE OR REPLACE MACRO sane_usage(u) AS CASE WHEN u IS NOT NULL THEN {
    'input_tokens': sane_tokens(u.input_tokens), 'output_tokens': sane_tokens(u.output_tokens),
    'cache_read_input_tokens': sane_tokens(u.cache_read_input_tokens),
    'cache_creation_input_tokens': sane_tokens(u.cache_creation_input_tokens),
    -- the one-hour writes are a part of cache_creation_input_tokens, never more than it
    -- (least() skips NULLs, so a missing count is kept NULL here by hand)
    'cache_creation_1h': CASE WHEN sane_tokens(u.cache_creation.ephemeral_1h_input_tokens) IS NOT NULL
        THEN least(sane_tokens(u.cache_creation.ephemeral_1h_input_tokens),
                   coalesce(sane_tokens(u.cache_creation_input_tokens), 0)) END} END;
CREATE OR REPLACE MACRO absurd_usage(u) AS absurd_tokens(u.input_tokens)
    OR absurd_tokens(u.output_tokens) OR absurd_tokens(u.cache_read_input_tokens)
    OR absurd_tokens(u.cache_creation_input_tokens)
    OR absurd_tokens(u.cache_creation.ephemeral_1h_input_tokens);
CREATE OR REPLACE MACRO sane_codex_usage(u) AS CASE WHEN u IS NOT NULL THEN {
    'input_tokens': sane_tokens(u.input_tokens),
    'cached_input_tokens': sane_tokens(u.cached_input_tokens),
    'output_tokens': sane_tokens(u.output_tokens),
    'reasoning_output_tokens': sane_tokens(u.reasoning_output_tokens),
    'total_tokens': sane_tokens(u.total_tokens)} END;
CREATE OR REPLACE MACRO absurd_codex_usage(u) AS absurd_tokens(u.input_tokens)
    OR absurd_tokens(u.cached_input_tokens) OR absurd_tokens(u.output_tokens)
    OR absurd_tokens(u.reasoning_output_tokens) OR absurd_tokens(u.total_tokens);
-- A prompt as a title: a slash command (`<command-message>…<command-name>/init…`) reads as
-- what the person typed, `/init` and its arguments.
CREATE OR REPLACE MACRO prompt_title(t) AS
    CASE WHEN t LIKE '%<command-name>%</command-name>%' THEN
        trim(regexp_extract(t, '<command-name>([^<]*)</command-name>', 1) || ' '
             || coalesce(regexp_extract(t, '<command-args>([^<]*)</command-args>', 1), ''))
    ELSE t END;
-- The parts of a Claude record by which a replay of it is known (replays.sql): an
-- assistant block by message id, type and block id; a tool result by its call id; text
-- by its hash; any other block by its type. `ablocks` are an assistant's {type, id},
-- `ublocks` a user record's {type, tool_use_id, text}.
CREATE OR REPLACE MACRO replay_sigs(rtype, msg_id, content_type, content_text, ablocks, ublocks) AS
    CASE WHEN rtype = 'assistant' AND content_type = 'ARRAY' THEN
             list_transform(ablocks, lambda b: 'a' || coalesce(msg_id, '') || ':'
                 || coalesce(b.type, '') || ':' || coalesce(b.id, ''))
         WHEN rtype = 'assistant' AND content_type = 'VARCHAR' THEN ['a' || coalesce(msg_id, '') || '::']
         WHEN rtype = 'user' AND content_type = 'ARRAY' THEN
             list_transform(ublocks, lambda b: CASE
                 WHEN b.type = 'tool_result' THEN 'r' || coalesce(b.tool_use_id, '')
                 WHEN b.type = 'text' THEN 't' || md5(coalesce(b.text, ''))
                 ELSE 'o' || coalesce(b.type, '') END)
         WHEN rtype = 'user' AND content_type = 'VARCHAR' THEN ['t' || md5(coalesce(content_text, ''))]
         ELSE [] END;
-- What a `system/api_error` record says: 'API error (overloaded), retry 3/10 in 4.2 s'.
-- The reason is the API's error type (`overloaded_error`) or the network's code
-- (`FailedToOpenSocket`); a number out of reason is left out rather than shown.
CREATE OR REPLACE MACRO api_error_text(err, cause, attempt, most, wait_ms) AS
    'API error'
    || coalesce(' (' || left(replace(coalesce(
            CASE WHEN json_type(err) = 'VARCHAR' THEN json_extract_string(err, '$') END,
            json_extract_string(err, '$.error.error.type'),
            nullif(json_extract_string(err, '$.error.type'), 'error'),
            nullif(json_extract_string(err, '$.type'), 'error'),
            json_extract_string(err, '$.cause.code'),
            json_extract_string(err, '$.code'),
            json_extract_string(cause, '$.code'),
            'status ' || json_extract_string(err, '$.status')), '_error', ''), 80) || ')', '')
    || coalesce(', retry ' || CAST(CASE WHEN attempt BETWEEN 0 AND 1000000 THEN trunc(attempt) END AS BIGINT)
                || coalesce('/' || CAST(CASE WHEN most BETWEEN 0 AND 1000000 THEN trunc(most) END AS BIGINT), ''),
                ', retrying')
    || coalesce(' in ' || CASE WHEN wait_ms BETWEEN 0 AND 86400000 THEN printf('%.1f', wait_ms / 1000) END || ' s', '');
