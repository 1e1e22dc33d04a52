"""Who handles a key: the kinds 1–9, and the open session's keys only on the browser."""

from __future__ import annotations

from pathlib import Path

from textual.binding import Binding

from sessions_tui.model import Kind
from sessions_tui.tui.bindings import ROUTED
from sessions_tui.tui.keys import FILTER_KEYS, KEYS
from sessions_tui.tui.screens.search import SearchScreen
from sessions_tui.tui.screens.stats import StatsScreen
from tests.pilot import A, app_for, open_session, opened, session_a, settle, story


def test_every_kind_key_has_a_binding_and_every_id_is_unique() -> None:
    ids = [k.id for k in KEYS]
    assert len(ids) == len(set(ids))
    kind_keys = [k.keys for k in KEYS if k.id.startswith("app.kind")]
    assert kind_keys == [str(n) for n in range(1, len(FILTER_KEYS) + 1)] == list("123456789")


async def test_key_9_toggles_other(tmp_path: Path) -> None:
    app = app_for(story(tmp_path / "h", tmp_path / "work"))
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        await open_session(app, pilot, A)
        state = opened(app).current
        assert state is not None and state.filter.kinds is not None
        assert Kind.OTHER not in state.filter.kinds  # the usual kinds leave `other` out
        await pilot.press("9")
        assert state.filter.kinds == frozenset({Kind.OTHER})
        await pilot.press("9")  # toggled off: back to the usual kinds
        assert state.filter.kinds is not None and Kind.OTHER not in state.filter.kinds


async def test_session_keys_do_nothing_under_stats_or_search(tmp_path: Path) -> None:
    async with session_a(tmp_path) as (app, pilot, state):
        before = state.filter
        await pilot.press("s")
        await settle(app, pilot)
        assert isinstance(app.screen, StatsScreen)
        await pilot.press("e", "w", "1", "x")  # errors, close tab, a kind, export
        await settle(app, pilot)
        assert isinstance(app.screen, StatsScreen)
        assert (
            opened(app).current is state and state.filter == before and len(opened(app).tabs) == 1
        )
        await pilot.press("escape")
        await pilot.press("ctrl+f")
        assert isinstance(app.screen, SearchScreen)
        await pilot.press("escape")
        assert not isinstance(app.screen, SearchScreen)
        await pilot.press("e")  # back on the browser, the session keys work again
        assert state.filter.kinds == frozenset({Kind.ERROR})


def test_the_help_lists_every_key_of_the_browser_once_by_what_it_does() -> None:
    from fnmatch import fnmatch

    from sessions_tui.tui.keys import HELP, help_groups

    browser = [
        k.id for k in KEYS if k.owner in ("app", "browser", *ROUTED, "list", "pane", "query")
    ]
    placed = [[p for _, ids in HELP for p in ids if fnmatch(key, p)] for key in browser]
    assert [k for k, p in zip(browser, placed, strict=True) if len(p) != 1] == []
    patterns = [p for _, ids in HELP for p in ids]
    assert all(any(fnmatch(k, p) for k in browser) for p in patterns)  # no row for no key
    rows = dict(help_groups())
    assert ("9", "Show or hide other") in rows["Show only"]
    assert ("PgDn / Space", "Page down") in rows["Move"]  # names a person reads
    assert ("Ctrl+F", "Search all") in rows["Find"]


def test_every_key_is_handled_by_the_class_its_owner_names() -> None:
    from sessions_tui.tui.app import SessionsApp
    from sessions_tui.tui.dialogs import CommandScreen, ExportScreen, SwitchScreen
    from sessions_tui.tui.panes.reader import ReaderPane
    from sessions_tui.tui.panes.tabs import TabsPane
    from sessions_tui.tui.screens.browser import BrowserScreen
    from sessions_tui.tui.screens.help import HelpScreen
    from sessions_tui.tui.screens.perf import PerfScreen
    from sessions_tui.tui.screens.search import SearchScreen
    from sessions_tui.tui.screens.stats import StatsScreen
    from sessions_tui.tui.widgets.message_pane import MessagePane
    from sessions_tui.tui.widgets.query_input import QueryInput
    from sessions_tui.tui.widgets.session_list import SessionList

    owners: dict[str, type] = {
        "app": SessionsApp, "browser": BrowserScreen, "tabs": TabsPane, "reader": ReaderPane,
        "list": SessionList, "pane": MessagePane, "query": QueryInput, "search": SearchScreen,
        "stats": StatsScreen, "help": HelpScreen, "perf": PerfScreen, "export": ExportScreen,
        "command": CommandScreen, "switcher": SwitchScreen,
    }  # fmt: skip
    assert {k.owner for k in KEYS} == set(owners)
    missing = [k.id for k in KEYS
               if not hasattr(owners[k.owner], "action_" + k.action.partition("(")[0])]  # fmt: skip
    assert missing == []
    # A pane's key is bound on the browser screen (active wherever the focus is there), and
    # runs the pane's action.
    routed = {b.id: b.action for b in BrowserScreen.BINDINGS if isinstance(b, Binding)}
    assert routed["app.kind3"] == "to('reader', 'kind', 3)"
    assert routed["app.close_tab"] == "to('tabs', 'close_tab')"
    assert routed["app.quit"] == "app.quit" and routed["app.escape"] == "escape"


def test_the_readme_key_table_is_made_from_the_key_table() -> None:
    from sessions_tui.tui.keys import with_table

    readme = (Path(__file__).parents[2] / "README.md").read_text("utf-8")
    assert with_table(readme) == readme, "the README's keys are stale: run `make readme-keys`"


async def test_the_palette_has_every_action_that_works_where_it_is_opened(
    tmp_path: Path,
) -> None:
    async with session_a(tmp_path) as (app, pilot, state):
        on_browser = {c.title for c in app.get_system_commands(app.browser)}
        wanted = {"Export", "Resume", "Close tab", "Copy entry", "Errors", "Tool", "Help",
                  "Show or hide you", "Open sessions, to switch", "Stats"}  # fmt: skip
        assert wanted <= on_browser
        assert not any(t.startswith("Tab ") for t in on_browser)  # Tab 1…9 stay keys
        await pilot.press("s")
        on_stats = {c.title for c in app.get_system_commands(app.screen)}
        assert "Stats" in on_stats and "Errors" not in on_stats  # not the hidden session's
        await pilot.press("escape")

        await pilot.press("ctrl+p")  # the palette itself: type, Enter runs the command
        await pilot.press(*"Errors")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause(0.3)
        assert state.filter.kinds == frozenset({Kind.ERROR})
