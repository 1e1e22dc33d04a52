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
