"""Text the harness wrote into a user record, shown as what it is.

Claude Code wraps some of what it puts in a user record in tags (format note, "Special
user text"): a slash command is `<command-message>…<command-name>/init…<command-args>…`,
the IDE's context is `<ide_opened_file>The user opened the file …</ide_opened_file>`,
the output of a local command is `<local-command-stdout>` with the terminal's colour
codes still in it. Read raw, a prompt starts with a paragraph of tags. `readable` turns
them into what a person saw: `/init args`, a one-line `⟨IDE: opened src/app.py⟩`, the
output without its tags and colour codes, a record of nothing but the caveat before a
local command's output as one line saying so. Plain text comes back unchanged (a fast path:
no `<`, no work).
"""

from __future__ import annotations

import re

from sessions_tui.model import Entry

USER_LABELS = frozenset({"user", "meta", "harness", "system:local_command"})  # harness text
_COMMAND = re.compile(r"<command-name>\s*([^<]*?)\s*</command-name>")
_ARGS = re.compile(r"<command-args>(.*?)</command-args>", re.S)
_COMMAND_PARTS = re.compile(r"<(command-message|command-name|command-args)>.*?</\1>\s*", re.S)
_IDE = re.compile(r"<(ide_opened_file|ide_selection|ide_diagnostics)>(.*?)</\1>\s*", re.S)
_OPENED = re.compile(r"The user opened the file (.+?) in the IDE\.")
_SELECTED = re.compile(r"The user selected the lines (\d+) to (\d+) from (.+?):", re.S)
_OUTPUT = re.compile(
    r"<(local-command-stdout|local-command-stderr|bash-stdout|bash-stderr)>(.*?)</\1>", re.S
)
# A record holding only the harness's caveat before a local command's output
CAVEAT_CHIP = "⟨local command: what follows is its output, not a prompt⟩"
_CAVEAT = re.compile(r"<local-command-caveat>.*?</local-command-caveat>\s*", re.S)
# CSI sequences (colours, cursor moves) and OSC ones (titles, links), as terminals write them
_ESCAPES = re.compile(r"\x1b\[[0-9;:?<=>]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?")


def without_escapes(text: str) -> str:
    """`text` with terminal escape sequences (colours, cursor moves, titles) removed."""
    return _ESCAPES.sub("", text) if "\x1b" in text else text


def _ide_chip(tag: str, body: str) -> str:
    if tag == "ide_opened_file" and (opened := _OPENED.search(body)):
        return f"⟨IDE: opened {opened.group(1)}⟩"
    if tag == "ide_selection" and (selected := _SELECTED.search(body)):
        first, last, path = selected.groups()
        return f"⟨IDE: selected lines {first}–{last} of {path}⟩"
    return "⟨IDE: diagnostics⟩" if tag == "ide_diagnostics" else f"⟨IDE: {tag[4:]}⟩"


def readable(text: str) -> str:
    """What the person saw of a user record's text (see the module's note)."""
    if "<" not in text:
        return text
    command = _COMMAND.search(text)
    if command is not None:
        args = _ARGS.search(text)
        typed = command.group(1) + (" " + args.group(1).strip() if args else "")
        text = typed.strip() + "\n" + _COMMAND_PARTS.sub("", text)
    chips = [_ide_chip(m.group(1), m.group(2)) for m in _IDE.finditer(text)]
    if chips:
        text = "\n".join([*chips, _IDE.sub("", text)])
    text, caveats = _CAVEAT.subn("", text)
    text = _OUTPUT.sub(lambda m: without_escapes(m.group(2).strip("\n")), text)
    text = text.strip("\n")
    return text if text.strip() or not caveats else CAVEAT_CHIP


def is_chip(line: str) -> bool:
    """A line `readable` made of harness context (drawn dim)."""
    return line.startswith("⟨") and line.endswith("⟩")


def shown_text(entry: Entry, text: str | None = None) -> str:
    """An entry's text (or `text`, its full version) as a person reads it: a user
    record's harness text made readable; every other entry's as it is."""
    text = entry.text if text is None else text
    return readable(text) if entry.label in USER_LABELS else text
