-- Replayed history. A resumed session may write its history again: the same records with
-- new uuids but their old timestamps and ids (a user record's blocks may come one per
-- record). A file replays when a block of an API response (message id, block type and
-- id) is written twice at the same time; a streamed response writes each block once. In
-- such a file a record is a replay when time went back to it (its timestamp is no later
-- than that of some record before it) and each of its parts (`sigs`: an assistant block
-- by message id, type and block id; a tool result by its call id; text by its hash; any
-- other block by its type) was written at that same time by an earlier record of the
-- same type with another uuid.
-- Expects `rp_in(file, pos, type, ts, uuid, sigs)` for every record (ts NULL when it is
-- not a time; sigs empty for most types).
rp_files AS (
    SELECT DISTINCT file FROM (
        SELECT file FROM rp_in WHERE type = 'assistant' AND ts IS NOT NULL AND len(sigs) > 0
        GROUP BY file, ts, sigs[1] HAVING count(*) > 1)
),
rp_back AS (
    SELECT i.*, coalesce(i.ts <= max(i.ts) OVER (PARTITION BY i.file ORDER BY i.pos
        ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), false) AS back
    FROM rp_in i SEMI JOIN rp_files USING (file)
),
rp_parts AS (
    SELECT file, pos, type, ts, uuid, back, len(list_distinct(sigs)) AS n_sigs,
        unnest(list_distinct(sigs)) AS sig
    FROM rp_back WHERE len(sigs) > 0 AND ts IS NOT NULL
),
replayed AS (
    SELECT c.file, c.pos FROM rp_parts c
    WHERE c.back AND EXISTS (SELECT 1 FROM rp_parts p WHERE p.file = c.file AND p.pos < c.pos
        AND p.type = c.type AND p.ts = c.ts AND p.sig = c.sig AND p.uuid IS DISTINCT FROM c.uuid)
    GROUP BY c.file, c.pos HAVING count(*) = any_value(c.n_sigs)
)
