-- The entries of a session view, in reading order: the main file's entries in file order,
-- each subagent's entries right after the tool call that spawned it; one that no call
-- spawned (the compaction helper `agent-acompact-*`, a warm-up agent) where it ended in
-- time: before the first main entry after its last record (its first records may be old:
-- the helper is handed the conversation it summarises). With no time: last.
-- `k` orders entries within a file; `$seq_base` numbers appended entries after the rest.
ordered AS (
    SELECT e.*, fo.rank AS file_rank, fo.agent_id AS file_agent,
        e.line * 1048576 + e.sub * 1024 + e.bi AS k
    FROM entries e JOIN file_order fo ON fo.path = e.file
    WHERE NOT e.bad AND NOT e.replay
),
calls AS (
    SELECT tool_use_id, min(k) AS k FROM ordered
    WHERE file_rank = 0 AND kind = 'tool_call' AND tool_use_id IS NOT NULL
    GROUP BY tool_use_id
),
spawn AS (
    SELECT r.agent_link AS agent_id, min(coalesce(c.k, r.k)) AS anchor
    FROM ordered r LEFT JOIN calls c ON c.tool_use_id = r.tool_use_id
    WHERE r.file_rank = 0 AND r.agent_link IS NOT NULL
    GROUP BY r.agent_link
),
ended AS (
    SELECT file_agent AS agent_id, max(ts) AS ts FROM ordered
    WHERE file_rank > 0 AND ts LIKE '____-__-__T%' GROUP BY file_agent
),
by_time AS (
    SELECT en.agent_id, min(o.k) - 1 AS anchor
    FROM ended en JOIN ordered o ON o.file_rank = 0 AND o.ts > en.ts
        AND o.ts LIKE '____-__-__T%'
    GROUP BY en.agent_id
),
placed AS (
    SELECT o.*,
        CASE WHEN o.file_rank = 0 THEN o.k
             ELSE coalesce(s.anchor, t.anchor, 9223372036854775000) END AS anchor
    FROM ordered o LEFT JOIN spawn s ON o.file_rank > 0 AND s.agent_id = o.file_agent
        LEFT JOIN by_time t ON o.file_rank > 0 AND s.agent_id IS NULL AND t.agent_id = o.file_agent
)
SELECT ($seq_base + row_number() OVER (ORDER BY anchor, file_rank, k) - 1)::BIGINT AS seq,
    kind, tool, ts AS timestamp, sidechain OR file_rank > 0 AS sidechain, uuid, tool_use_id,
    label, file, line, k, file_rank, agent_link,
    left(text, 600) AS preview, text, length(text) AS chars,
    length(text) - length(replace(text, E'\n', '')) + 1 AS lines,
    -- a tool call's first result, a result's call; and that result's kind and size, on
    -- the call (SessionView._pair)
    NULL::BIGINT AS pair, NULL::VARCHAR AS pair_kind, 0::BIGINT AS pair_chars,
    0::BIGINT AS pair_lines
FROM placed
