ordered AS (
    SELECT e.*, fo.rank AS file_rank
    FROM entries e JOIN file_order fo ON fo.path = e.file
    WHERE NOT e.bad
)
SELECT (row_number() OVER (ORDER BY file_rank, line, sub, bi) - 1)::BIGINT AS seq,
    kind, tool, ts AS timestamp, sidechain OR file_rank > 0 AS sidechain, uuid, tool_use_id,
    label, file, line,
    left(text, 600) AS preview, text, length(text) AS chars,
    length(text) - length(replace(text, E'\n', '')) + 1 AS lines
FROM ordered
