-- Small files, concatenated into one temporary file ($cpath) because DuckDB spends about a
-- millisecond per file it opens: each row is mapped back to its file and its line there.
SELECT ($cfiles)[j.ordinality] AS file,
       ($csources)[j.ordinality] AS source,
       ($clines)[j.ordinality] AS ord,
       -- Not a record of either format (unreadable, or an object that is not a record):
       -- a record has `type`, or `uuid` and `sessionId` (repair.is_record says the same).
       (j.type IS NULL AND (j.uuid IS NULL OR j.sessionId IS NULL)) AS bad,
       j.* EXCLUDE (ordinality)
FROM (SELECT * FROM read_json($cpath, columns = $columns, format = 'newline_delimited',
               ignore_errors = true, maximum_object_size = 16777216) WITH ORDINALITY) AS j
