"""Every binding of the app by id (for the `keymap` setting and `sessions-tui config`)."""

from __future__ import annotations

from textual.binding import Binding, BindingType


def _bindings() -> list[BindingType]:
    from sessions_tui.app import SessionsApp
    from sessions_tui.screens.dialogs import CommandScreen, ExportScreen
    from sessions_tui.screens.help import HelpScreen
    from sessions_tui.screens.search import SearchScreen
    from sessions_tui.screens.stats import StatsScreen
    from sessions_tui.widgets.message_pane import MessagePane
    from sessions_tui.widgets.query_input import QueryInput
    from sessions_tui.widgets.session_list import SessionList

    owners = (SessionsApp, SessionList, MessagePane, QueryInput, SearchScreen, StatsScreen,
              ExportScreen, CommandScreen, HelpScreen)  # fmt: skip
    return [b for owner in owners for b in owner.BINDINGS]


def binding_ids() -> dict[str, tuple[str, str]]:
    """{binding id: (default keys, what it does)}."""
    out = {}
    for b in _bindings():
        if isinstance(b, Binding) and b.id:
            out[b.id] = (b.key, b.description or b.action)
    return out


def check_keymap(keymap: dict[str, str]) -> list[str]:
    """Problems with a keymap setting: ids that name no binding."""
    known = binding_ids()
    return [
        f"keymap: no binding has the id {name!r} (`sessions-tui config` lists them)"
        for name in keymap
        if name not in known
    ]
