-- Small files, concatenated into one temporary file ($cpath) because DuckDB spends about a
-- millisecond per file it opens. File k's lines follow one another from row $cstarts[k]
-- ($ccounts[k] of them, numbered from $cfirsts[k] in the file): a join maps each row
-- back to its file and line. (A list of every row's file, indexed per row, made a
-- constant of 100,000 strings and cost a third of the small files' scan.)
SELECT m.file,
       m.source,
       m.line AS ord,
       -- Not a record of either format (unreadable, or an object that is not a record):
       -- a record has `type`, or `uuid` and `sessionId` (repair.is_record says the same).
       (j.type IS NULL AND (j.uuid IS NULL OR j.sessionId IS NULL)) AS bad,
       j.* EXCLUDE (ordinality)
FROM (SELECT * FROM read_json($cpath, columns = $columns, format = 'newline_delimited',
               ignore_errors = true, maximum_object_size = 16777216) WITH ORDINALITY) AS j
JOIN (SELECT file, source, start + i AS row, first + i AS line
      FROM (SELECT file, source, start, first, unnest(range(n)) AS i
            FROM (SELECT unnest($cfiles) AS file, unnest($csources) AS source,
                         unnest($cstarts) AS start, unnest($cfirsts) AS first,
                         unnest($ccounts) AS n))) AS m
  ON m.row = j.ordinality
