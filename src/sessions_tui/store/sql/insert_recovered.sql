-- Records recovered in Python from damaged lines, read back with the same schema.
-- `$max_size` fits the longest recovered record (DuckDB reserves it per reader up front).
INSERT INTO raw
SELECT ($files)[j.ordinality] AS file, ($sources)[j.ordinality] AS source,
       ($lines)[j.ordinality] AS line, ($subs)[j.ordinality] AS sub, false AS bad,
       j.* EXCLUDE (ordinality)
FROM (SELECT * FROM read_json($path, columns = $columns, format = 'newline_delimited',
               ignore_errors = true, maximum_object_size = $max_size) WITH ORDINALITY) AS j
