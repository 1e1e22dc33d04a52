-- Small files, concatenated into one temporary file ($cpath) because DuckDB spends about a
-- millisecond per file it opens: each row is mapped back to its file and its line there.
SELECT ($cfiles)[j.ordinality] AS file,
       ($csources)[j.ordinality] AS source,
       ($clines)[j.ordinality] AS ord,
       (j.type IS NULL AND j.timestamp IS NULL AND j.uuid IS NULL AND j.message IS NULL
        AND j.payload IS NULL AND j.sessionId IS NULL) AS bad,
       j.* EXCLUDE (ordinality)
FROM (SELECT * FROM read_json($cpath, columns = $columns, format = 'newline_delimited',
               ignore_errors = true, maximum_object_size = 16777216) WITH ORDINALITY) AS j
