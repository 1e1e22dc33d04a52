"""How entries read when expanded: diffs for edits, fields for tool input, literal text."""

from __future__ import annotations

import json

from rich.style import Style
from rich.text import Text

from sessions_tui.model import Entry, Kind
from sessions_tui.tui.widgets.entry_render import (
    expanded_renderable,
    preview_lines,
    render_lines,
    summary,
)


def entry(kind: Kind, text: str, tool: str | None = None) -> Entry:
    return Entry(seq=0, kind=kind, timestamp=None, tool=tool, sidechain=False, uuid=None, text=text)


def plain(renderable: object, width: int = 80) -> list[str]:
    lines = render_lines(renderable, width, Style())  # type: ignore[arg-type]
    return ["".join(seg.text for seg in line).rstrip() for line in lines]


def styled_lines(text: Text) -> dict[str, str]:
    """Each line's text, with the styles that apply to it."""
    out: dict[str, str] = {}
    for line in text.split("\n"):
        spans = {str(s.style) for s in line.spans} | ({str(line.style)} if line.style else set())
        out[line.plain] = ",".join(sorted(spans))
    return out


def test_edit_is_a_coloured_diff() -> None:
    call = json.dumps(
        {"file_path": "/src/a.py", "old_string": "return 0\n", "new_string": "return main()\n"}
    )
    rendered = expanded_renderable(entry(Kind.TOOL_CALL, call, "Edit"), call)
    assert isinstance(rendered, Text)
    lines = styled_lines(rendered)
    assert lines["-return 0"] == "red" and lines["+return main()"] == "green"
    assert "/src/a.py" in lines


def test_write_is_every_line_added() -> None:
    call = json.dumps({"file_path": "/src/new.py", "content": "a = 1\nb = 2\n"})
    rendered = expanded_renderable(entry(Kind.TOOL_CALL, call, "Write"), call)
    assert isinstance(rendered, Text)
    lines = styled_lines(rendered)
    assert lines["+a = 1"] == "green" and lines["+b = 2"] == "green"


def test_codex_patch_is_coloured() -> None:
    patch = "*** Begin Patch\n*** Update File: x.py\n@@\n-old\n+new\n*** End Patch"
    rendered = expanded_renderable(entry(Kind.TOOL_CALL, patch, "apply_patch"), patch)
    assert isinstance(rendered, Text)
    lines = styled_lines(rendered)
    assert (
        lines["-old"] == "red" and lines["+new"] == "green" and lines["*** Begin Patch"] == "bold"
    )


def test_tool_input_reads_as_fields() -> None:
    call = json.dumps({"command": "make test", "description": "Run the tests", "timeout": 60})
    e = entry(Kind.TOOL_CALL, call, "Bash")
    assert summary(e) == "$ make test" and preview_lines(e, 1) == ["$ make test"]
    text = "\n".join(plain(expanded_renderable(e, call)))
    assert "make test" in text and "description: Run the tests" in text and "timeout: 60" in text
    cut = call[:20]  # a preview cut mid-JSON still yields the command
    assert summary(entry(Kind.TOOL_CALL, cut, "Bash")).startswith("$ make")


def test_text_is_never_markup_and_long_output_is_cut() -> None:
    nasty = "[bold]x[/bold] \x1b[31mred"
    lines = plain(expanded_renderable(entry(Kind.TOOL_RESULT, nasty), nasty))
    assert lines[0] == "[bold]x[/bold] ␛[31mred"
    huge = "\n".join(f"line {i}" for i in range(5000))
    lines = plain(expanded_renderable(entry(Kind.TOOL_RESULT, huge), huge))
    assert lines[2999] == "line 2999" and "2000 more lines" in lines[-1]


def test_collapsed_preview_has_exactly_the_lines_asked_for() -> None:
    e = entry(Kind.PROMPT, "one\ntwo\n\nfour\nfive")
    assert preview_lines(e, 3) == ["one", "two", ""]
    assert preview_lines(entry(Kind.PROMPT, "only"), 2) == ["only", ""]


def test_one_long_line_is_cut_by_characters_too() -> None:
    # 5 MB with no newline took 14 s to expand (the cut counted only newlines).
    from sessions_tui.tui.widgets.entry_render import MAX_EXPANDED_CHARS

    entry = Entry(seq=0, kind=Kind.TOOL_RESULT, timestamp=None, tool=None, sidechain=False,
                  uuid=None, text="y" * 5_000_000)  # fmt: skip
    shown = expanded_renderable(entry, entry.text)
    assert isinstance(shown, Text)
    assert len(shown.plain) < MAX_EXPANDED_CHARS + 100
    assert "4,800,000 more characters" in shown.plain
