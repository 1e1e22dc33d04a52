"""Keeping Python's garbage collector off the keys, and freed memory given back."""

from __future__ import annotations

import gc
from collections.abc import Iterable
from functools import cache
from typing import Any


def settle_memory() -> None:
    """Collect now, then freeze what is left, so later collections skip it; then hand
    freed memory back to the system.

    A full collection over the app's ~100k long-lived objects took 60–80 ms and landed on
    a key press every few seconds (page-down P95 72 ms; 11 ms with this). It runs after
    the catalog loads, after a session opens and after one closes, when a frame has just
    been shown.
    """
    gc.unfreeze()
    gc.collect()
    gc.freeze()
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


def prune_watchers(nodes: Iterable[Any]) -> None:
    """Drop the watchers these nodes keep for widgets already gone.

    Textual 8.2 prunes a reactive's watchers only when its value changes; the footer's
    keys are composed again at every focus change and each registers a watcher on the
    footer's `compact`, which never changes: measured, 100 sessions opened and closed
    kept 3,000 dead footer keys (+110 MB). Pass the footers and the app.
    """
    for node in nodes:
        watchers: dict[str, list[tuple[Any, Any]]] = getattr(node, "__watchers", {})
        for name, pairs in watchers.items():
            watchers[name] = [(r, cb) for r, cb in pairs if r.is_attached and not r._closing]


@cache
def _malloc_trim():  # type: ignore[no-untyped-def]
    """glibc's malloc_trim: memory DuckDB and the worker threads freed stays in malloc's
    arenas otherwise (measured: 100 sessions opened and closed grew RSS by 13.6 MB without
    it, 4.1 MB with it). None where there is no glibc."""
    import ctypes.util  # not before the first frame: 2 ms

    name = ctypes.util.find_library("c")
    try:
        return ctypes.CDLL(name).malloc_trim if name else None
    except (OSError, AttributeError):
        return None
