"""The store's SQL, kept in `sql/*.sql` and filled only with the project's own constants."""

from __future__ import annotations

from functools import cache
from importlib import resources

from sessions_tui.store import schema


@cache
def load(name: str) -> str:
    """The text of `sql/<name>.sql`, with schema constants substituted."""
    text = resources.files("sessions_tui.store").joinpath("sql", f"{name}.sql").read_text("utf-8")
    # Comments go: the files are spliced into one another, and no `--` is inside a string.
    text = "\n".join(line.split("--", 1)[0].rstrip() for line in text.splitlines())
    for key in ("CLAUDE_BLOCKS", "INNER_BLOCKS", "CODEX_SUMMARY"):
        text = text.replace("{" + key + "}", getattr(schema, key))
    if "{REPLAYS}" in text:  # the one rule for replayed history, in the catalog and views
        text = text.replace("{REPLAYS}", load("replays"))
    return text


def with_entries(tail: str) -> str:
    """`WITH <entries CTEs>, <tail>`: a query over the entries of the `raw` table."""
    return "WITH " + load("entries") + ",\n" + tail
