"""Every entry of every session in one table: the `entries` view of `sessions-tui sql`.

Files are read batch by batch (as the catalog reads them) into a TEMP table of the
cursor; DuckDB spills to its temp directory when the text outgrows memory.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from sessions_tui.model import Role, SessionFile, Source
from sessions_tui.store import sql
from sessions_tui.store.build import batches
from sessions_tui.store.catalog import Catalog
from sessions_tui.store.loader import LoadReport, insert_columns, load_raw

_ENTRIES = """
SELECT o.session_id, e.file AS path, e.line, e.sub, e.bi, e.kind, e.tool, e.ts AS timestamp,
    e.sidechain OR o.is_subagent AS sidechain, e.uuid, e.tool_use_id, e.label, e.text
FROM entries e JOIN owners o ON o.path = e.file
WHERE NOT e.bad AND NOT e.replay
"""


def build_all_entries(catalog: Catalog, cur: duckdb.DuckDBPyConnection) -> LoadReport:
    """Create the cursor's TEMP table `entries` from every catalogued session file."""
    report = LoadReport()
    owners: list[list[object]] = []
    for s in catalog.sessions():
        owners.append([str(s.path), s.id, s.role.value == "subagent"])
        owners += [[str(p), s.id, True] for p in s.subagent_paths]
    cur.execute(
        "CREATE OR REPLACE TEMP TABLE owners "
        "(path VARCHAR, session_id VARCHAR, is_subagent BOOLEAN)"
    )
    insert_columns(cur, "owners", owners)
    cur.execute(
        "CREATE OR REPLACE TEMP TABLE entries (session_id VARCHAR, path VARCHAR, line BIGINT, "
        "sub INTEGER, bi INTEGER, kind VARCHAR, tool VARCHAR, timestamp VARCHAR, "
        "sidechain BOOLEAN, uuid VARCHAR, tool_use_id VARCHAR, label VARCHAR, text VARCHAR)"
    )
    facts = catalog.file_facts()
    files = [
        SessionFile(
            Path(p),
            int(f["size"]),
            int(f["mtime_ns"]),
            Source(f["source"]),
            Role(f["role"]),
            f["file_id"],
        )
        for p, f in facts.items()
    ]
    for batch in batches(files):
        load_raw(cur, [(str(f.path), f.source.value) for f in batch], report)
        # The entries CTE is named like the table being filled: insert through a staging name.
        cur.execute("CREATE OR REPLACE TEMP TABLE staged AS " + sql.with_entries(_ENTRIES))
        cur.execute("INSERT INTO entries FROM staged")
    cur.execute("DROP TABLE IF EXISTS staged")
    cur.execute("DROP TABLE IF EXISTS raw")
    return report
