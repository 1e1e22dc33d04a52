"""`sessions-tui config`: the settings in effect, where they come from, the key ids."""

from __future__ import annotations

import argparse
import json

from rich.table import Table
from rich.text import Text

from sessions_tui.config import Loaded, effective
from sessions_tui.output.console import console, write_json


def run(loaded: Loaded, args: argparse.Namespace) -> int:
    """`sessions-tui config`: the effective settings, their sources, the binding ids."""
    from sessions_tui.tui.keys import binding_ids, check_keymap

    result = effective(loaded)
    result["problems"] = [*loaded.problems, *check_keymap(loaded.settings.keymap)]
    ids = binding_ids()
    if args.json:
        result["bindings"] = {k: {"keys": v[0], "does": v[1]} for k, v in ids.items()}
        write_json(result)
        return 0
    out = console()
    out.print(Text(f"settings file: {result['file']}", style="bold"))
    table = _plain_table("setting", "value", "from")
    table.columns[1].no_wrap = False
    table.columns[1].overflow = "fold"
    for key, value in result["settings"].items():
        table.add_row(Text(key), Text(json.dumps(value, ensure_ascii=False)),
                      Text(result["sources"][key]))  # fmt: skip
    out.print(table)
    for problem in result["problems"]:
        out.print(Text(f"problem: {problem}", style="red"))
    keys = _plain_table("binding id", "keys", "does")
    keys.columns[2].no_wrap = False
    for name, (default, does) in ids.items():
        keys.add_row(Text(name), Text(loaded.settings.keymap.get(name, default)), Text(does))
    out.print()
    out.print(keys)
    return 0


def _plain_table(*columns: str) -> Table:
    table = Table(box=None, header_style="bold", pad_edge=False)
    for name in columns:
        table.add_column(name, no_wrap=True)
    return table
