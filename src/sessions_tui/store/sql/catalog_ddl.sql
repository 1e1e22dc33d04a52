CREATE TABLE IF NOT EXISTS catalog_files (
    path VARCHAR PRIMARY KEY,
    size BIGINT, mtime_ns BIGINT, source VARCHAR, role VARCHAR, file_id VARCHAR,
    parent_hint VARCHAR, incomplete_tail BOOLEAN,
    records BIGINT, malformed_lines BIGINT, started VARCHAR, ended VARCHAR,
    cwd VARCHAR, git_branch VARCHAR, session_id VARCHAR, codex_parent VARCHAR, title VARCHAR,
    entries BIGINT, n_prompt BIGINT, n_assistant BIGINT, n_thinking BIGINT,
    n_tool_call BIGINT, n_tool_result BIGINT, n_error BIGINT, n_system BIGINT,
    n_other BIGINT, n_sidechain BIGINT, models VARCHAR[], tools MAP(VARCHAR, UBIGINT),
    t_input BIGINT, t_output BIGINT, t_cache_read BIGINT, t_cache_creation BIGINT,
    usage STRUCT("day" VARCHAR, model VARCHAR, input BIGINT, output BIGINT, cache_read BIGINT,
                 cache_creation BIGINT, cache_creation_1h BIGINT, turns BIGINT)[],
    bad_numbers BIGINT,
    replayed BIGINT  -- records of a resumed session's replayed history (replays.sql)
);
CREATE OR REPLACE VIEW files AS
SELECT *,
    CASE WHEN role = 'subagent' OR codex_parent IS NOT NULL THEN 'subagent' ELSE 'main' END AS frole,
    coalesce(parent_hint, codex_parent, session_id) AS link,
    -- A session's id is its file's name (Claude) or the uuid it ends with (Codex); a
    -- file named otherwise (a renamed copy, a fixture) goes by the id inside it.
    CASE WHEN role = 'subagent' OR regexp_full_match(file_id,
              '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}')
         THEN file_id ELSE coalesce(nullif(session_id, ''), file_id) END AS sid
FROM catalog_files;
-- Subagent files are attached to their parent session; one whose parent is missing is
-- listed on its own (role 'subagent', parent_id set) rather than hidden.
CREATE OR REPLACE VIEW sessions AS
WITH m AS (SELECT * FROM files WHERE frole = 'main'),
s AS (
    SELECT f.*, (SELECT min(m.path) FROM m WHERE m.sid = f.link) AS parent_path
    FROM files f WHERE f.frole = 'subagent'
),
sub_agg AS (
    SELECT parent_path, count(*) AS n, list(path ORDER BY path) AS paths,
        sum(t_input) AS s_input, sum(t_output) AS s_output,
        sum(t_cache_read) AS s_cache_read, sum(t_cache_creation) AS s_cache_creation,
        flatten(list(models)) AS s_models, max(ended) AS s_ended,
        sum(malformed_lines) AS s_malformed, sum(replayed) AS s_replayed
    FROM s WHERE parent_path IS NOT NULL GROUP BY parent_path
)
SELECT m.sid AS id, m.source, 'main' AS role, m.path, m.cwd AS project, m.git_branch,
    m.title, m.started, greatest(m.ended, sa.s_ended) AS ended, m.size, m.mtime_ns,
    m.records, m.malformed_lines, m.entries, m.n_tool_call AS tool_calls, m.n_error AS errors,
    coalesce(sa.n, 0) AS subagents, coalesce(sa.paths, []) AS subagent_paths,
    list_sort(list_filter(list_distinct(list_concat(m.models, coalesce(sa.s_models, []))),
                          lambda x: x IS NOT NULL)) AS models,
    m.t_input, m.t_output, m.t_cache_read, m.t_cache_creation,
    coalesce(sa.s_input, 0) AS sub_input, coalesce(sa.s_output, 0) AS sub_output,
    coalesce(sa.s_cache_read, 0) AS sub_cache_read,
    coalesce(sa.s_cache_creation, 0) AS sub_cache_creation,
    m.n_prompt, m.n_assistant, m.n_thinking, m.n_tool_call, m.n_tool_result, m.n_error,
    m.n_system, m.n_other, m.tools, NULL::VARCHAR AS parent_id, m.incomplete_tail,
    m.bad_numbers, coalesce(sa.s_malformed, 0) AS sub_malformed_lines,
    m.replayed + coalesce(sa.s_replayed, 0) AS replayed
FROM m LEFT JOIN sub_agg sa ON sa.parent_path = m.path
UNION ALL
SELECT s.file_id, s.source, 'subagent', s.path, s.cwd, s.git_branch, s.title, s.started,
    s.ended, s.size, s.mtime_ns, s.records, s.malformed_lines, s.entries, s.n_tool_call,
    s.n_error, 0, [], s.models, s.t_input, s.t_output, s.t_cache_read, s.t_cache_creation,
    0, 0, 0, 0, s.n_prompt, s.n_assistant, s.n_thinking, s.n_tool_call, s.n_tool_result,
    s.n_error, s.n_system, s.n_other, s.tools, s.link, s.incomplete_tail, s.bad_numbers, 0,
    s.replayed
FROM s WHERE s.parent_path IS NULL;
