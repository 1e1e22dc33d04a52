"""Every key of the browser, as data: one table read by the bindings, the help screen, the
filter bar, the `keymap` setting and `sessions-tui config`.

No Textual here (`tui/bindings.py` makes Textual's bindings from it): `sessions-tui
config` lists and checks the ids without loading it. The ids are a public contract (users
name them in config.toml): never rename one. `owner` says who handles the key:

- `app`: the App, under every screen (quit, help, search all, stats, refresh, perf);
- `browser`: the browser screen, so inactive under Stats, Search and dialogs (the keys
  of the open session; their ids keep the `app.` prefix they always had);
- `list`, `pane`, `query`: the session list, the message pane, a query box;
- `search`, `stats`, `export`, `command`, `help`, `perf`: those screens.
"""

from __future__ import annotations

from dataclasses import dataclass

from sessions_tui.model import Kind


@dataclass(frozen=True, slots=True)
class Key:
    """One binding: its id, default keys, action, what it does, and who handles it."""

    id: str
    keys: str
    action: str
    description: str
    owner: str
    show: bool = True
    priority: bool = False


# Number keys 1–9 toggle these, in this order; None is "subagent entries only".
FILTER_KEYS: tuple[Kind | None, ...] = (
    Kind.PROMPT,
    Kind.ASSISTANT,
    Kind.THINKING,
    Kind.TOOL_CALL,
    Kind.TOOL_RESULT,
    Kind.ERROR,
    Kind.SYSTEM,
    None,
    Kind.OTHER,
)


def _hidden(id: str, keys: str, action: str, description: str, owner: str) -> Key:
    return Key(id, keys, action, description, owner, show=False)


KEYS: tuple[Key, ...] = (
    # the App's keys (under every screen) and the browser's (the open session's), in the
    # order the help lists them
    Key("app.quit", "q", "quit", "Quit", "app"),
    Key("app.help", "question_mark", "help", "Help", "app"),
    Key("app.focus", "tab", "switch_focus", "Focus", "browser", show=False, priority=True),
    Key("app.find", "slash", "slash", "Find", "browser"),
    _hidden("app.find_next", "n", "find_next(1)", "Next hit", "browser"),
    _hidden("app.find_prev", "N", "find_next(-1)", "Previous hit", "browser"),
    Key("app.search_all", "ctrl+f", "search_all", "Search all", "app"),
    Key("app.stats", "s", "stats", "Stats", "app"),
    Key("app.export", "x", "export", "Export", "browser"),
    Key("app.resume", "R", "resume", "Resume", "browser"),
    _hidden("app.copy_id", "y", "copy_id", "Copy id", "browser"),
    _hidden("app.copy_path", "Y", "copy_path", "Copy path", "browser"),
    _hidden("app.copy_entry", "c", "copy_entry", "Copy entry", "browser"),
    _hidden("app.prev_tab", "left_square_bracket", "cycle(-1)", "Prev tab", "browser"),
    _hidden("app.next_tab", "right_square_bracket", "cycle(1)", "Next tab", "browser"),
    *(_hidden(f"app.tab{n}", f"alt+{n}", f"tab({n})", f"Tab {n}", "browser") for n in range(1, 10)),
    *(
        _hidden(f"app.kind{n}", str(n), f"kind({n})", f"Kind {n}", "browser")
        for n in range(1, len(FILTER_KEYS) + 1)
    ),
    _hidden("app.all_kinds", "0", "all_kinds", "Show everything", "browser"),
    Key("app.errors", "e", "errors", "Errors", "browser"),
    Key("app.tool_filter", "t", "tool_filter", "Tool", "browser"),
    _hidden("app.close_tab", "w,ctrl+w", "close_tab", "Close tab", "browser"),
    Key("app.refresh", "r", "refresh", "Refresh", "app"),
    _hidden("app.escape", "escape", "escape", "Back", "browser"),
    _hidden("app.perf", "f12", "perf", "Performance", "app"),
    # the session list
    _hidden("list.next", "j,down", "move(1)", "Next", "list"),
    _hidden("list.prev", "k,up", "move(-1)", "Prev", "list"),
    _hidden("list.page_down", "pagedown", "page(1)", "Page down", "list"),
    _hidden("list.page_up", "pageup", "page(-1)", "Page up", "list"),
    _hidden("list.first", "g,home", "edge(-1)", "First", "list"),
    _hidden("list.last", "G,end", "edge(1)", "Last", "list"),
    Key("list.open", "enter", "open", "Open", "list"),
    Key("list.group", "p", "group", "Group", "list"),
    # the message pane
    _hidden("pane.next", "j,down", "move(1)", "Next", "pane"),
    _hidden("pane.prev", "k,up", "move(-1)", "Prev", "pane"),
    _hidden("pane.page_down", "pagedown,space", "page(1)", "Page down", "pane"),
    _hidden("pane.page_up", "pageup,b", "page(-1)", "Page up", "pane"),
    _hidden("pane.half_down", "ctrl+d", "half(1)", "Half down", "pane"),
    _hidden("pane.half_up", "ctrl+u", "half(-1)", "Half up", "pane"),
    _hidden("pane.top", "g,home", "edge(-1)", "Top", "pane"),
    _hidden("pane.bottom", "G,end", "edge(1)", "Bottom", "pane"),
    Key("pane.next_prompt", "J,right_curly_bracket", "prompt(1)", "Next prompt", "pane"),
    Key("pane.prev_prompt", "K,left_curly_bracket", "prompt(-1)", "Prev prompt", "pane"),
    Key("pane.toggle", "enter", "toggle_entry", "Expand", "pane"),
    # a query box, and the screens
    Key("query.regex", "ctrl+r", "toggle_regex", "Regex on/off", "query"),
    Key("search.back", "escape", "back", "Back", "search"),
    Key("search.order", "ctrl+o", "toggle_order", "Ranked/newest", "search"),
    _hidden("search.results", "down", "results", "Results", "search"),
    Key("stats.back", "escape,s,q", "back", "Back", "stats"),
    Key("stats.all", "a", "scope_all", "All projects", "stats"),
    Key("stats.project", "p", "scope_project", "This project", "stats"),
    Key("stats.dates", "d", "dates", "Date range", "stats"),
    Key("export.cancel", "escape", "dismiss(None)", "Cancel", "export"),
    Key("export.format", "ctrl+t", "next_format", "Next format", "export"),
    Key("export.filtered", "ctrl+f", "toggle_filtered", "All / filtered", "export"),
    Key("command.copy", "c,y", "dismiss(True)", "Copy the command", "command"),
    Key("command.close", "escape,q", "dismiss(False)", "Close", "command"),
    Key("help.close", "escape,question_mark,q", "dismiss", "Close", "help"),
    Key("perf.close", "escape,f12,q", "dismiss", "Close", "perf"),
)


def of(*owners: str) -> list[Key]:
    """The keys of these owners, in the table's order (for the help screen)."""
    return [k for k in KEYS if k.owner in owners]


def binding_ids() -> dict[str, tuple[str, str]]:
    """{binding id: (default keys, what it does)}."""
    return {k.id: (k.keys, k.description) for k in KEYS}


def check_keymap(keymap: dict[str, str]) -> list[str]:
    """Problems with a keymap setting: ids that name no binding."""
    known = binding_ids()
    return [
        f"keymap: no binding has the id {name!r} (`sessions-tui config` lists them)"
        for name in keymap
        if name not in known
    ]
