"""Textual's bindings, made from the key table (tui/keys.py)."""

from __future__ import annotations

from textual.binding import Binding, BindingType

from sessions_tui.tui.keys import KEYS


def bindings(*owners: str, namespace: str = "") -> list[BindingType]:
    """The Textual bindings of these owners, in the table's order (imports Textual: call
    it from `tui/` classes); `namespace` (`app.`) sends the actions to the App."""

    return [
        Binding(
            k.keys, namespace + k.action, k.description, id=k.id, show=k.show, priority=k.priority
        )
        for k in KEYS
        if k.owner in owners
    ]
