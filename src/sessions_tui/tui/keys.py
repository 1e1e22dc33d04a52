"""Every key of the browser, as data: one table read by the bindings, the help screen, the
filter bar, the `keymap` setting and `sessions-tui config`.

No Textual here (`tui/bindings.py` makes Textual's bindings from it): `sessions-tui
config` lists and checks the ids without loading it. The ids are a public contract (users
name them in config.toml): never rename one. `owner` says who handles the key (the folder names it):

- `app`: the App (`app.py`), under every screen: quit, help, search all, stats, refresh,
  perf;
- `browser`: the browser screen (`screens/browser.py`): focus, `/`, Escape, resume, copy
  the id or path of the session open or selected;
- `tabs`, `reader`: the panes (`panes/`): switching and closing tabs; filters, finding,
  copying an entry, exporting. Their keys work wherever the focus is on the browser, so
  the browser screen holds their bindings and hands the action over; they are inactive
  under Stats, Search and the dialogs. (The ids of these keys keep the `app.` prefix they
  always had.)
- `list`, `pane`, `query`: the session list, the message pane, a query box (`widgets/`);
- `search`, `stats`, `help`, `perf`: those screens; `export`, `command`, `switcher`: the
  dialogs.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from sessions_tui.model import Kind
from sessions_tui.output.format import KIND_LABEL


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


def _kind_key(kind: Kind | None) -> str:
    """What a number key does (`FILTER_KEYS`)."""
    return (
        "Only subagent entries, on or off" if kind is None else f"Show or hide {KIND_LABEL[kind]}"
    )


def _hidden(id: str, keys: str, action: str, description: str, owner: str) -> Key:
    return Key(id, keys, action, description, owner, show=False)


KEYS: tuple[Key, ...] = (
    # the App's keys (under every screen), the browser's and its panes' (the open
    # session's), in the order the footer lists them
    Key("app.quit", "q", "quit", "Quit", "app"),
    Key("app.help", "question_mark", "help", "Help", "app"),
    Key("app.focus", "tab", "switch_focus", "Focus", "browser", show=False, priority=True),
    _hidden("app.zoom", "z", "zoom", "Zoom the reader (hide the list), or back", "browser"),
    Key("app.find", "slash", "slash", "Find", "browser"),
    _hidden("app.find_next", "n", "find_next(1)", "Next hit", "reader"),
    _hidden("app.find_prev", "N", "find_next(-1)", "Previous hit", "reader"),
    _hidden("app.go_to", "colon", "go_to", "Go to an entry number, +N, -N or a time", "reader"),
    Key("app.search_all", "ctrl+f", "search_all", "Search all", "app"),
    Key("app.stats", "s", "stats", "Stats", "app"),
    Key("app.export", "x", "export", "Export", "reader"),
    Key("app.resume", "R", "resume", "Resume", "browser"),
    _hidden("app.copy_id", "y", "copy_id", "Copy id", "browser"),
    _hidden("app.copy_path", "Y", "copy_path", "Copy path", "browser"),
    _hidden("app.copy_entry", "c", "copy_entry", "Copy entry", "reader"),
    _hidden("app.prev_tab", "left_square_bracket,ctrl+pageup", "cycle(-1)", "Prev tab", "tabs"),
    _hidden("app.next_tab", "right_square_bracket,ctrl+pagedown", "cycle(1)", "Next tab", "tabs"),
    _hidden("app.switcher", "T", "switcher", "Open sessions, to switch", "tabs"),
    *(_hidden(f"app.tab{n}", f"alt+{n}", f"tab({n})", f"Tab {n}", "tabs") for n in range(1, 10)),
    *(
        _hidden(f"app.kind{n}", str(n), f"kind({n})", _kind_key(kind), "reader")
        for n, kind in enumerate(FILTER_KEYS, start=1)
    ),
    _hidden("app.all_kinds", "0", "all_kinds", "Show everything", "reader"),
    Key("app.errors", "e", "errors", "Errors", "reader"),
    Key("app.tool_filter", "t", "tool_filter", "Tool", "reader"),
    _hidden("app.close_tab", "w,ctrl+w", "close_tab", "Close tab", "tabs"),
    Key("app.refresh", "r", "refresh", "Refresh", "app"),
    _hidden("app.escape", "escape", "escape", "Back", "browser"),
    _hidden("app.perf", "f12", "perf", "Performance", "app"),
    # the session list
    _hidden("list.next", "j,down", "move(1)", "Next session", "list"),
    _hidden("list.prev", "k,up", "move(-1)", "Previous session", "list"),
    _hidden("list.page_down", "pagedown", "page(1)", "Page of sessions down", "list"),
    _hidden("list.page_up", "pageup", "page(-1)", "Page of sessions up", "list"),
    _hidden("list.first", "g,home", "edge(-1)", "First session", "list"),
    _hidden("list.last", "G,end", "edge(1)", "Last session", "list"),
    Key("list.open", "enter", "open", "Open", "list"),
    Key("list.group", "p", "group", "Group", "list"),
    Key("list.sort", "o", "sort", "Sort", "list"),
    Key("list.preview", "space", "preview", "Preview", "list"),
    _hidden("list.reverse", "O", "reverse", "Reverse the order", "list"),
    _hidden(
        "list.dates", "d", "dates", "Dates: recent relative, all relative, all absolute", "list"
    ),
    _hidden("list.here", "h", "here", "This folder's project only, or all", "list"),
    # the message pane
    _hidden("pane.next", "j,down", "move(1)", "Next entry", "pane"),
    _hidden("pane.prev", "k,up", "move(-1)", "Previous entry", "pane"),
    _hidden("pane.page_down", "pagedown,space", "page(1)", "Page down", "pane"),
    _hidden("pane.page_up", "pageup,b", "page(-1)", "Page up", "pane"),
    _hidden("pane.half_down", "ctrl+d", "half(1)", "Half down", "pane"),
    _hidden("pane.half_up", "ctrl+u", "half(-1)", "Half up", "pane"),
    _hidden("pane.top", "g,home", "edge(-1)", "First entry", "pane"),
    _hidden("pane.bottom", "G,end", "edge(1)", "Last entry", "pane"),
    Key("pane.next_prompt", "J,right_curly_bracket", "next('prompt', 1)", "Next prompt", "pane"),
    Key("pane.prev_prompt", "K,left_curly_bracket", "next('prompt', -1)", "Prev prompt", "pane"),
    _hidden("pane.next_error", "greater_than_sign", "next('error', 1)", "Next error", "pane"),
    _hidden("pane.prev_error", "less_than_sign", "next('error', -1)", "Previous error", "pane"),
    _hidden(
        "pane.next_tool", "right_parenthesis", "next('tool_call', 1)", "Next tool call", "pane"
    ),
    _hidden(
        "pane.prev_tool", "left_parenthesis", "next('tool_call', -1)", "Previous tool call", "pane"
    ),
    Key("pane.toggle", "enter", "toggle_entry", "Open/fold", "pane"),
    Key("pane.detail", "v", "detail", "Tool detail", "pane"),
    _hidden("pane.thinking", "i", "thinking", "Thinking: whole or folded", "pane"),
    _hidden("pane.fold_all", "f", "fold_all", "Fold everything, or open everything", "pane"),
    # a query box, and the screens
    Key("query.regex", "ctrl+r", "toggle_regex", "Regex on/off", "query"),
    Key("search.back", "escape", "back", "Back", "search"),
    Key("search.order", "ctrl+o", "toggle_order", "Ranked/newest", "search"),
    _hidden("search.results", "down", "results", "Results", "search"),
    Key("search.expand", "right", "expand", "Show its hits", "search"),
    Key("search.collapse", "left", "collapse", "Hide its hits", "search"),
    Key("stats.back", "escape,s,q", "back", "Back", "stats"),
    Key("stats.all", "a", "scope_all", "All projects", "stats"),
    Key("stats.project", "p", "scope_project", "This project", "stats"),
    Key("stats.dates", "d", "dates", "Date range", "stats"),
    Key("export.cancel", "escape", "dismiss(None)", "Cancel", "export"),
    Key("export.format", "ctrl+t", "next_format", "Next format", "export"),
    Key("export.filtered", "ctrl+f", "toggle_filtered", "All / filtered", "export"),
    Key("command.copy", "c,y", "dismiss(True)", "Copy the command", "command"),
    Key("command.close", "escape,q", "dismiss(False)", "Close", "command"),
    Key("switcher.close", "escape", "dismiss(None)", "Close", "switcher"),
    Key("help.close", "escape", "close", "Clear what was typed, or close", "help"),
    _hidden("help.down", "down", "scroll(1)", "Scroll down", "help"),
    _hidden("help.up", "up", "scroll(-1)", "Scroll up", "help"),
    _hidden("help.page_down", "pagedown", "scroll(10)", "Page down", "help"),
    _hidden("help.page_up", "pageup", "scroll(-10)", "Page up", "help"),
    Key("perf.close", "escape,f12,q", "dismiss", "Close", "perf"),
)


# The help, by what a person does: (heading, the ids of its keys, in order; `*` ends a
# family). Every key of the browser and its panes is in exactly one (a test checks).
HELP: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Move", ("pane.next", "pane.prev", "pane.page_down", "pane.page_up", "pane.half_down",
              "pane.half_up", "pane.top", "pane.bottom", "pane.next_prompt",
              "pane.prev_prompt", "pane.next_error", "pane.prev_error", "pane.next_tool",
              "pane.prev_tool", "app.go_to", "app.focus")),
    ("Read", ("pane.toggle", "pane.detail", "pane.thinking", "pane.fold_all", "app.zoom",
              "app.copy_entry")),
    ("Show only", ("app.kind*", "app.all_kinds", "app.errors", "app.tool_filter")),
    ("Find", ("app.find", "app.find_next", "app.find_prev", "query.regex", "app.search_all")),
    ("Sessions", ("list.open", "list.next", "list.prev", "list.page_down", "list.page_up",
                  "list.first", "list.last", "list.sort", "list.reverse", "list.dates",
                  "list.here", "list.group", "list.preview", "app.prev_tab", "app.next_tab",
                  "app.switcher", "app.tab*", "app.close_tab", "app.refresh")),
    ("Act on a session", ("app.stats", "app.export", "app.resume", "app.copy_id",
                          "app.copy_path")),
    ("The app", ("app.escape", "app.help", "app.perf", "app.quit")),
)  # fmt: skip

_NAMES = {
    "slash": "/", "question_mark": "?", "left_square_bracket": "[",
    "right_square_bracket": "]", "left_curly_bracket": "{", "right_curly_bracket": "}",
    "pagedown": "PgDn", "pageup": "PgUp", "down": "↓", "up": "↑", "left": "←",
    "right": "→", "home": "Home", "end": "End", "enter": "Enter", "escape": "Esc",
    "tab": "Tab", "space": "Space", "f12": "F12", "colon": ":", "greater_than_sign": ">",
    "less_than_sign": "<", "left_parenthesis": "(", "right_parenthesis": ")",
}  # fmt: skip


def key_names(keys: str) -> str:
    """Keys as a person reads them: `pagedown,space` → `PgDn / Space`, `ctrl+f` → `Ctrl+F`."""
    out = []
    for key in keys.split(","):
        *mods, last = key.split("+")
        name = _NAMES.get(last, last.upper() if mods and len(last) == 1 else last)
        out.append("+".join([*(m.capitalize() for m in mods), name]))
    return " / ".join(out)


def help_groups() -> list[tuple[str, list[tuple[str, str]]]]:
    """The help's rows: (heading, [(keys, what they do)]); a family (`app.tab*`, the
    kinds) is one row per key."""
    by_id = {k.id: k for k in KEYS}
    groups = []
    for heading, ids in HELP:
        rows = []
        for pattern in ids:
            found = (
                [k for k in KEYS if k.id.startswith(pattern[:-1])]
                if pattern.endswith("*")
                else [by_id[pattern]]
            )
            rows += [(key_names(k.keys), k.description) for k in found]
        groups.append((heading, rows))
    return groups


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


_NUMBERED = re.compile(r"(.*) \d")  # a description of a family member: `Tab 3`
README_START = "<!-- keys: made from tui/keys.py by `make readme-keys` -->"
README_END = "<!-- /keys -->"


def markdown_table() -> str:
    """The README's key table: one row per group of the help, keys as a person types them;
    a numbered family (Tab 1 … Tab 9) is one cell."""

    def family(pair: tuple[str, str]) -> object:
        numbered = _NUMBERED.fullmatch(pair[1])
        return numbered.group(1) if numbered else pair

    rows = ["| | keys |", "|---|---|"]
    for heading, pairs in help_groups():
        cells = []
        for _, run in itertools.groupby(pairs, key=family):
            (k0, w0), *rest = run
            what = f"{w0[0].lower()}{w0[1:]}"
            if rest:
                cells.append(f"`{k0}`…`{rest[-1][0]}` {what}…{rest[-1][1][-1]}")
            else:
                cells.append(" / ".join(f"`{k}`" for k in k0.split(" / ")) + f" {what}")
        rows.append(f"| {heading} | {' · '.join(cells)} |")
    return "\n".join(rows)


def with_table(readme: str) -> str:
    """`readme` with the text between its key markers replaced by `markdown_table()`."""
    start = readme.index(README_START) + len(README_START)
    end = readme.index(README_END, start)
    return f"{readme[:start]}\n{markdown_table()}\n{readme[end:]}"


if __name__ == "__main__":  # make readme-keys
    import sys
    from pathlib import Path

    target = Path(sys.argv[1])
    target.write_text(with_table(target.read_text("utf-8")), encoding="utf-8")
