"""How units read: a tool call in one line, its first lines, or whole (diffs for edits,
fields for tool input); messages whole with literal text."""

from __future__ import annotations

import json
import subprocess
import sys

from rich.style import Style
from rich.text import Text

from sessions_tui.model import Entry, Kind
from sessions_tui.tui.widgets.entry_render import (
    message_renderable,
    render_lines,
    text_preview,
    tool_line,
    tool_preview,
    tool_whole,
)


def entry(kind: Kind, text: str, tool: str | None = None) -> Entry:
    return Entry(seq=0, kind=kind, timestamp=None, tool=tool, sidechain=False, uuid=None, text=text)


def whole(call: Entry) -> object:
    """A tool call whole, with no result: its input only (the first part of the stack)."""
    parts: list[object] = getattr(tool_whole(call, call.text, None, ""), "parts", [])
    return parts[0]


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
    rendered = whole(entry(Kind.TOOL_CALL, call, "Edit"))
    assert isinstance(rendered, Text)
    lines = styled_lines(rendered)
    assert lines["-return 0"] == "red" and lines["+return main()"] == "green"
    assert "/src/a.py" in lines


def test_write_is_every_line_added() -> None:
    call = json.dumps({"file_path": "/src/new.py", "content": "a = 1\nb = 2\n"})
    rendered = whole(entry(Kind.TOOL_CALL, call, "Write"))
    assert isinstance(rendered, Text)
    lines = styled_lines(rendered)
    assert lines["+a = 1"] == "green" and lines["+b = 2"] == "green"


def test_codex_patch_is_coloured() -> None:
    patch = "*** Begin Patch\n*** Update File: x.py\n@@\n-old\n+new\n*** End Patch"
    rendered = whole(entry(Kind.TOOL_CALL, patch, "apply_patch"))
    assert isinstance(rendered, Text)
    lines = styled_lines(rendered)
    assert (
        lines["-old"] == "red" and lines["+new"] == "green" and lines["*** Begin Patch"] == "bold"
    )


def test_tool_input_reads_as_fields() -> None:
    call = json.dumps({"command": "make test", "description": "Run the tests", "timeout": 60})
    e = entry(Kind.TOOL_CALL, call, "Bash")
    assert tool_line(e, e.text, None, 0)[0] == "$ make test"
    text = "\n".join(plain(whole(e)))
    assert "make test" in text and "description: Run the tests" in text and "timeout: 60" in text
    cut = call[:20]  # a preview cut mid-JSON still yields the command
    assert tool_line(entry(Kind.TOOL_CALL, cut, "Bash"), cut, None, 0)[0].startswith("$ make")


def test_text_is_never_markup_and_long_output_is_cut() -> None:
    nasty = "[bold]x[/bold] \x1b[31mred"
    call = entry(Kind.TOOL_CALL, '{"command": "cat x"}', "Bash")
    lines = plain(tool_whole(call, call.text, entry(Kind.TOOL_RESULT, nasty), nasty))
    assert lines == ["cat x", "── output ──", "[bold]x[/bold] ␛[31mred"]
    huge = "\n".join(f"line {i}" for i in range(5000))
    lines = plain(message_renderable(entry(Kind.PROMPT, huge), huge, cut=False))
    assert lines[2999] == "line 2999" and "2,000 more lines" in lines[-1]


def test_a_long_message_is_cut_for_reading_and_says_how_to_see_all() -> None:
    huge = "\n".join(f"line {i}" for i in range(1000))
    lines = plain(message_renderable(entry(Kind.PROMPT, huge), huge, cut=True))
    assert lines[399] == "line 399" and lines[-1] == "… 600 more lines (Enter shows all)"


def test_a_reply_is_markdown_and_a_prompt_is_literal() -> None:
    reply = "# Plan\n\n- **one**\n- two\n\n```python\nx = 1\n```"
    lines = plain(message_renderable(entry(Kind.ASSISTANT, reply), reply, cut=False))
    assert "Plan" in lines[0] and "#" not in lines[0]  # a heading, not its hashes
    assert any(line.strip() == "• one" for line in lines)  # a list, no asterisks
    assert any("x = 1" in line for line in lines)
    prompt = "keep *these*\nlines apart"
    assert plain(message_renderable(entry(Kind.PROMPT, prompt), prompt, cut=False)) == [
        "keep *these*",
        "lines apart",
    ]


def test_the_first_lines_have_exactly_the_lines_asked_for() -> None:
    e = entry(Kind.ERROR, "one\ntwo\n\nfour\nfive")
    assert plain(text_preview(e, 3)) == ["one", "two", "", "… 2 more lines"]
    assert plain(text_preview(entry(Kind.ERROR, "only"), 2)) == ["only"]
    wide = entry(Kind.ERROR, "x" * 200)
    assert plain(text_preview(wide, 2), width=20) == ["x" * 19 + "…"]  # cut, not wrapped


def test_a_tool_in_one_line_says_what_it_did_and_how_it_went() -> None:
    bash = entry(Kind.TOOL_CALL, json.dumps({"command": "pytest -x"}), "Bash")
    failed = entry(Kind.ERROR, "Exit code 1\nFAILED test_a")
    assert tool_line(bash, bash.text, failed, 2) == ("$ pytest -x", "exit 1", True)
    ok = entry(Kind.TOOL_RESULT, "a\nb\nc")
    assert tool_line(bash, bash.text, ok, 3) == ("$ pytest -x", "3 lines", False)
    assert tool_line(bash, bash.text, entry(Kind.TOOL_RESULT, ""), 1)[1] == "no output"
    codex = entry(Kind.TOOL_RESULT, "Exit code: 2\nWall time: 1 seconds\nOutput:\nno")
    assert tool_line(bash, bash.text, codex, 4)[1:] == ("exit 2", True)
    edit_input = {"file_path": "src/app.py", "old_string": "a\nb\nc", "new_string": "a\nB\nc\nd"}
    edit = entry(Kind.TOOL_CALL, json.dumps(edit_input), "Edit")
    done = entry(Kind.TOOL_RESULT, "The file src/app.py has been updated.")
    assert tool_line(edit, edit.text, done, 1) == ("src/app.py", "+2 \u22121", False)
    read = entry(Kind.TOOL_CALL, json.dumps({"file_path": "notes.md"}), "Read")
    assert tool_line(read, read.text, ok, 120)[1] == "(120 lines)"
    task_input = {"description": "find the bug", "prompt": "…"}
    task = entry(Kind.TOOL_CALL, json.dumps(task_input), "Task")
    assert tool_line(task, task.text, None, 0) == ('"find the bug"', "", False)
    todos = [{"content": "a", "status": "completed"}, {"content": "b", "status": "pending"},
             {"content": "c", "status": "pending"}]  # fmt: skip
    todo = entry(Kind.TOOL_CALL, json.dumps({"todos": todos}), "TodoWrite")
    assert tool_line(todo, todo.text, done, 1)[0] == "3 todos: 1 done, 2 pending"
    denied = entry(Kind.ERROR, "\n  The user denied this.  \nmore")
    assert tool_line(bash, bash.text, denied, 3) == ("$ pytest -x", "The user denied this.", True)


def test_a_tools_first_lines_are_an_edits_diff_or_its_output() -> None:
    edit_input = {"file_path": "a.py", "old_string": "x = 1", "new_string": "x = 2"}
    edit = entry(Kind.TOOL_CALL, json.dumps(edit_input), "Edit")
    done = entry(Kind.TOOL_RESULT, "The file a.py has been updated.")
    assert plain(tool_preview(edit, edit.text, done, 5)) == ["-x = 1", "+x = 2"]  # no @@
    bash = entry(Kind.TOOL_CALL, json.dumps({"command": "ls"}), "Bash")
    out = entry(Kind.TOOL_RESULT, "\n".join(f"f{i}" for i in range(9)))
    assert plain(tool_preview(bash, bash.text, out, 3)) == ["f0", "f1", "f2", "… 6 more lines"]
    assert plain(tool_preview(bash, bash.text, None, 3)) == ["(no result yet)"]


def test_one_long_line_is_cut_by_characters_too() -> None:
    # 5 MB with no newline took 14 s to expand (the cut counted only newlines).
    from sessions_tui.tui.widgets.entry_render import MAX_EXPANDED_CHARS

    entry = Entry(seq=0, kind=Kind.TOOL_RESULT, timestamp=None, tool=None, sidechain=False,
                  uuid=None, text="y" * 5_000_000)  # fmt: skip
    shown = message_renderable(entry, entry.text, cut=False)
    assert isinstance(shown, Text)
    assert len(shown.plain) < MAX_EXPANDED_CHARS + 100
    assert "4,800,000 more characters" in shown.plain


def test_warm_up_imports_what_a_reply_needs_in_a_fresh_process() -> None:
    """Run in a worker after the list is read, so the first open's key does not wait
    for Markdown and Pygments to import (about 100 ms)."""
    check = (
        "import sys\n"
        "from sessions_tui.tui.widgets.entry_render import warm_up\n"
        "needed = ('rich.markdown', 'rich.syntax', 'pygments.lexers.shell')\n"
        "assert not any(m in sys.modules for m in needed), 'imported at start'\n"
        "warm_up()\n"
        "assert all(m in sys.modules for m in needed), 'not imported'\n"
    )
    done = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
