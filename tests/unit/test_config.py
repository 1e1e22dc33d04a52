"""Settings from config.toml: values, sources, and bad files that never cost the rest."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sessions_tui.cli.main import main
from sessions_tui.config import DEFAULT_OPEN_LIMIT, Settings, config_path, load_config

GOOD = """\
roots = ["~/old-claude"]
theme = "gruvbox"
open_limit = 24
default_kinds = ["prompt", "error"]
date_format = "%Y-%m-%d"

[keymap]
"app.search_all" = "ctrl+s"
"""


def test_a_missing_file_means_the_defaults(tmp_path: Path) -> None:
    loaded = load_config(tmp_path / "none.toml")
    assert loaded.settings == Settings() and loaded.problems == []
    assert set(loaded.sources.values()) == {"default"}


def test_every_setting_and_its_line(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(GOOD, encoding="utf-8")
    loaded = load_config(path)
    s = loaded.settings
    assert s.roots == ("~/old-claude",) and s.theme == "gruvbox" and s.open_limit == 24
    assert s.default_kinds == ("prompt", "error") and s.date_format == "%Y-%m-%d"
    assert s.keymap == {"app.search_all": "ctrl+s"}
    assert loaded.sources["open_limit"] == "config.toml line 3"
    assert loaded.sources["keymap"] == "config.toml line 7"
    assert loaded.problems == []


def test_a_bad_value_names_its_key_and_line_and_keeps_the_rest(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(
        'theme = "nord"\nopen_limit = "many"\ndefault_kinds = ["prompts"]\ncolour = 1\n',
        encoding="utf-8",
    )
    loaded = load_config(path)
    assert loaded.settings.theme == "nord"  # the good line still counts
    assert loaded.settings.open_limit == DEFAULT_OPEN_LIMIT
    assert loaded.settings.default_kinds is None
    assert loaded.problems == [
        "config.toml line 2: open_limit must be a whole number from 1 to 1000; using the default",
        "config.toml line 3: default_kinds unknown kind 'prompts'; kinds are assistant, error, "
        "other, prompt, system, thinking, tool_call, tool_result; using the default",
        "config.toml line 4: unknown setting 'colour' (ignored)",
    ]


def test_a_file_that_is_not_toml(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('theme = "nord"\nopen_limit = = 3\n', encoding="utf-8")
    loaded = load_config(path)
    assert loaded.settings == Settings()
    (problem,) = loaded.problems
    assert "line 2" in problem and "using defaults" in problem


def test_the_environment_names_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SESSIONS_TUI_CONFIG", str(tmp_path / "x.toml"))
    assert config_path() == tmp_path / "x.toml"


def test_config_verb_prints_settings_sources_and_bindings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "config.toml"
    path.write_text(GOOD + '"app.nonsense" = "z"\n', encoding="utf-8")
    monkeypatch.setenv("SESSIONS_TUI_CONFIG", str(path))
    assert main(["config", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["settings"]["open_limit"] == 24 and out["sources"]["theme"] == "config.toml line 2"
    assert out["bindings"]["app.search_all"]["keys"] == "ctrl+f"
    assert "pane.next" in out["bindings"] and "search.order" in out["bindings"]
    assert out["problems"] == [
        "keymap: no binding has the id 'app.nonsense' (`sessions-tui config` lists them)"
    ]
    assert main(["config"]) == 0
    text = capsys.readouterr().out
    assert "config.toml line 3" in text and "app.nonsense" in text


def test_roots_from_the_settings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "config.toml"
    path.write_text(f'roots = ["{tmp_path / "missing"}"]\n', encoding="utf-8")
    monkeypatch.setenv("SESSIONS_TUI_CONFIG", str(path))
    assert main(["ls"]) == 1
    assert "from the settings' roots" in capsys.readouterr().err


@pytest.mark.parametrize(
    "verb", ["ls", "show", "search", "export", "stats", "sql", "config", "demo", None]
)
def test_every_help_shows_examples(verb: str | None, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main([verb, "--help"] if verb else ["--help"])
    assert done.value.code == 0
    out = capsys.readouterr().out
    assert "example" in out and "sessions-tui " + (verb or "") in out


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    from sessions_tui import __version__

    with pytest.raises(SystemExit):
        main(["--version"])
    assert capsys.readouterr().out.strip() == f"sessions-tui {__version__}"


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("roots = " + "[" * 5000 + "]" * 5000 + "\n", "nested too deeply"),
        ("[a]\n" + "".join(f"[{'a.' * 400}b{i}]\n" for i in range(3)), ""),
        ("x = {" + "y = {" * 3000 + "}" * 3001 + "\n", "nested too deeply"),
    ],
    ids=["arrays", "dotted tables", "inline tables"],
)
def test_deep_nesting_is_a_problem_not_a_crash(tmp_path: Path, text: str, says: str) -> None:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    loaded = load_config(path)
    assert loaded.settings == Settings()
    assert loaded.problems and says in loaded.problems[0]


def test_a_root_of_an_unknown_user_is_no_such_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "config.toml"
    path.write_text('roots = ["~nosuchuser-sessions-tui"]\n', encoding="utf-8")
    monkeypatch.setenv("SESSIONS_TUI_CONFIG", str(path))
    assert main(["ls"]) == 1
    err = capsys.readouterr().err
    assert "no such folder: ~nosuchuser-sessions-tui" in err and err.count("\n") == 1
    assert main(["--root", "~nosuchuser-sessions-tui", "ls"]) == 1


def test_twenty_thousand_keys_are_read_in_one_pass(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    body = "".join(f"key{i} = {i}\n" for i in range(20_000))
    path.write_text('theme = "gruvbox"\n' + body + "open_limit = 5\n", encoding="utf-8")
    loaded = load_config(path)
    assert loaded.settings.theme == "gruvbox" and loaded.settings.open_limit == 5
    assert loaded.sources["open_limit"] == "config.toml line 20002"
    assert len(loaded.problems) == 6  # five named, the rest counted
    assert "config.toml line 2: unknown setting 'key0'" in loaded.problems[0]
    assert "19995 more unknown settings" in loaded.problems[-1]
