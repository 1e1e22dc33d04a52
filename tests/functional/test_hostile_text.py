"""Text from sessions and file names never reaches the terminal as control, nor as markup.

Every CLI verb and every screen of the browser is rendered over `tests/hostile.py`'s
history, where every field (file and folder names included) holds OSC 52, OSC 0, OSC 8,
CSI, C1 controls, bidi and zero-width characters and Rich markup.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from sessions_tui.cli.main import main
from sessions_tui.model import Role, Session, Source, Tokens
from sessions_tui.output.resume import plan
from sessions_tui.sources.discovery import root_from_arg
from sessions_tui.store.catalog import Catalog
from sessions_tui.text import json_text, printable
from sessions_tui.tui.app import SessionsApp
from tests.hostile import EVIL, EVIL_NAME, RAW_CONTROL, SID, hostile_history
from tests.pilot import open_session, settle

# Rich's own colours, when it writes to a terminal: the only escapes allowed out.
_SGR = re.compile("\x1b\\[[0-9;]*m")

VERBS = [
    ["ls"],
    ["ls", "--json"],
    ["show", SID[:8]],
    ["show", SID[:8], "--json"],
    ["search", "evil"],
    ["search", "evil", "--json"],
    ["stats"],
    ["stats", "--json"],
    ["stats", SID[:8]],
    ["export", SID[:8]],
    ["export", SID[:8], "--format", "html"],
    ["export", SID[:8], "--format", "json"],
    ["sql", "SELECT id, title, project FROM sessions"],
    ["sql", "SELECT id, title, project FROM sessions", "--json"],
]


@pytest.fixture()
def hostile(tmp_path: Path) -> Path:
    return hostile_history(tmp_path / "h")


def _raw_controls(text: str) -> list[str]:
    return sorted({f"U+{ord(c):04X}" for c in RAW_CONTROL.findall(_SGR.sub("", text))})


@pytest.mark.parametrize("colour", [False, True], ids=["pipe", "terminal"])
def test_every_cli_verb_prints_no_control_and_no_markup(
    hostile: Path,
    colour: bool,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    if colour:  # as at a terminal: Rich writes its own escapes, and only those
        monkeypatch.setenv("FORCE_COLOR", "1")
        monkeypatch.setenv("COLUMNS", "200")
    config = hostile.parent / "config.toml"
    config.write_text(
        '"\\u001b]52;c;cm0=\\u0007[red]key" = 1\n'
        'theme = "\\u001b]0;pwned\\u0007[red]theme"\n'
        'date_format = "\\u009b2J\\u202e[bold"\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("SESSIONS_TUI_CONFIG", str(config))
    for verb in [*VERBS, ["config"], ["config", "--json"]]:
        code = main(["--root", str(hostile), *verb])
        out, err = capsys.readouterr()
        assert code == 0, (verb, err)
        assert not _raw_controls(out + err), (verb, _raw_controls(out + err))
        if "--json" in verb or "json" in verb:
            continue
        # Markup is shown as typed, never interpreted (the title starts with it).
        assert ("[red]theme" if verb == ["config"] else "[red]abc") in _SGR.sub("", out), verb


def test_json_keeps_hostile_text_as_data(hostile: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["--root", str(hostile), "ls", "--json"])
    rows = json.loads(capsys.readouterr().out)
    assert {r["id"] for r in rows} == {SID, EVIL_NAME}
    assert all(r["title"].startswith(EVIL) for r in rows)
    main(["--root", str(hostile), "show", SID[:8], "--json"])
    entries = json.loads(capsys.readouterr().out)
    assert any(e["tool"] == EVIL for e in entries)


def test_file_names_do_not_break_rows(hostile: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["--root", str(hostile), "ls"])
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 3  # the header and one row a session: the newline is shown, not kept
    assert "\t" not in "".join(lines)


def test_the_sanitiser_and_its_json_twin() -> None:
    shown = printable(EVIL + "👩\u200d💻 tag\U000e0041")
    assert not RAW_CONTROL.search(shown)
    assert "␛]52;c;" in shown and "‹U+202E›" in shown and "‹U+E0041›" in shown
    assert "👩💻" in shown and "[red]abc[/red]" in shown
    text = json_text({"t": EVIL + "\ud83c\U000e0041"})
    assert not RAW_CONTROL.search(text)
    assert json.loads(text) == {"t": EVIL + "\ud83c\U000e0041"}


def _screen_text(app: SessionsApp) -> str:
    update = app.screen._compositor.render_full_update()
    out = []
    for line in update.strips:
        for strip in line:
            out += [s.text for s in strip if not s.control]
        out.append("\n")
    return "".join(out)


async def test_every_screen_draws_no_control_and_no_markup(hostile: Path) -> None:
    app = SessionsApp(Catalog(root_from_arg(str(hostile)), None), follow=False)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(app, pilot)
        seen: dict[str, str] = {"list": _screen_text(app)}
        await open_session(app, pilot, SID)
        await pilot.press("G", "t")
        await settle(app, pilot)
        seen["tool filter"] = _screen_text(app)
        await pilot.press("escape", "g")
        for _ in range(9):  # expand every entry
            await pilot.press("enter", "j")
        await settle(app, pilot)
        seen["session, expanded"] = _screen_text(app)
        screens = {
            "performance": ("f12",),
            "stats": ("s",),
            "export": ("x",),
            "help": ("question_mark",),
            "search": ("ctrl+f", *"evil", "enter"),
            "resume": ("R",),
        }
        for name, keys in screens.items():
            await pilot.press(*keys)
            await settle(app, pilot)
            seen[name] = _screen_text(app)
            await pilot.press("escape")
            await settle(app, pilot)
    for name, text in seen.items():
        assert not _raw_controls(text), (name, _raw_controls(text))
        if name != "help":
            assert "[red]abc" in text, name


def _session(ident: str) -> Session:
    return Session(
        id=ident, source=Source.CLAUDE, role=Role.MAIN, path=Path(f"/x/{ident}.jsonl"),
        project="/tmp", git_branch=None, title=None, started=None, ended=None, size=0,
        mtime_ns=0, records=0, malformed_lines=0, entries=0, tool_calls=0, errors=0,
        subagents=0, models=(), tokens=Tokens(), subagent_tokens=Tokens(),
    )  # fmt: skip


def test_resume_never_puts_a_file_name_on_the_command_line() -> None:
    hostile = plan(_session("--dangerously-skip-permissions"))
    assert hostile.problem is not None and "not a session id" in hostile.problem
    assert not any(a.startswith("--dangerously") for a in hostile.argv)
    good = plan(_session(SID))
    assert good.argv[-1] == SID
