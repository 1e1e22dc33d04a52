"""What the verbs share: the user's mistakes as one line, the catalog, finding a session."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from sessions_tui.model import Kind, Session
from sessions_tui.output.console import warn

if TYPE_CHECKING:  # DuckDB loads with the verb that needs it: the browser paints first
    from sessions_tui.sources.discovery import Root
    from sessions_tui.store.catalog import Catalog


class UserError(Exception):
    """A problem the user can fix; printed as one line, exit status 1."""


def open_catalog(roots: list[Root], args: argparse.Namespace) -> Catalog:
    """The catalog, refreshed; problems go to stderr, one line each."""
    from sessions_tui.store.catalog import Catalog
    from sessions_tui.store.db import cache_dir

    catalog = Catalog(roots, None if args.no_cache else cache_dir())
    report = catalog.refresh()
    if catalog.notice:  # the cache's state, as opening and writing it found it
        warn(catalog.notice)
    for problem in report.problems:
        warn(problem)
    return catalog


def parse_kinds(text: str | None) -> frozenset[Kind] | None:
    if not text:
        return None
    kinds = set()
    for name in (p.strip() for p in text.split(",") if p.strip()):
        try:
            kinds.add(Kind(name))
        except ValueError:
            valid = ", ".join(k.value for k in Kind)
            raise UserError(f"unknown kind {name!r}; kinds are: {valid}") from None
    return frozenset(kinds)


def find_session(catalog: Catalog, ident: str) -> Session:
    try:
        return catalog.find(ident)
    except LookupError as exc:
        raise UserError(str(exc)) from None
