-- One scan over a batch of files (listed in the cursor's `batch_files`): one row per
-- non-blank line, in file order, all-NULL (`bad`) where the line could not be read.
SELECT j.filename AS file,
       b.source,
       j.ordinality AS ord,
       -- Not a record of either format (unreadable, or an object that is not a record):
       -- a record has `type`, or `uuid` and `sessionId` (repair.is_record says the same).
       (j.type IS NULL AND (j.uuid IS NULL OR j.sessionId IS NULL)) AS bad,
       j.* EXCLUDE (filename, ordinality)
FROM (SELECT * FROM read_json($files, columns = $columns, format = 'newline_delimited',
               ignore_errors = true, maximum_object_size = 16777216,
               filename = true) WITH ORDINALITY) AS j
JOIN batch_files b ON b.path = j.filename
