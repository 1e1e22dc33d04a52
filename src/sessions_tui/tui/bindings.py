"""Textual's bindings, made from the key table (tui/keys.py)."""

from __future__ import annotations

from textual.binding import Binding, BindingType

from sessions_tui.tui.keys import KEYS, Key

# Panes whose keys work wherever the focus is on the browser: their bindings are held by
# the browser screen, which hands the action to the pane (`BrowserScreen.action_to`).
ROUTED = ("tabs", "reader")


def binding_action(key: Key, host: str) -> str:
    """The action string `host`'s binding of `key` runs."""
    if key.owner == host:
        return key.action
    if key.owner == "app":
        return "app." + key.action
    name, _, args = key.action.partition("(")
    args = args.removesuffix(")")
    return f"to({key.owner!r}, {name!r}{', ' + args if args else ''})"


def bindings(*owners: str, host: str | None = None) -> list[BindingType]:
    """The Textual bindings of these owners' keys, in the table's order, for the class of
    `host` (default: the only owner). A key of another owner runs that owner's action:
    the App's by its namespace (`app.quit`), a routed pane's through the host's `to`
    action. Imports Textual: call it from `tui/` classes."""
    host = host or owners[0]
    return [
        Binding(
            k.keys,
            binding_action(k, host),
            k.description,
            id=k.id,
            show=k.show,
            priority=k.priority,
        )
        for k in KEYS
        if k.owner in owners
    ]
