"""The DuckDB store: the catalog of sessions and per-session views. Never imports Textual."""
