"""The Textual app: the user's settings, the catalog feed, the keys that work under every
screen (quit, help, search all, stats, refresh, perf) and the order typed keys go in.

Everything else has an owner one folder down: the browser screen (`screens/browser.py`)
and its panes (`panes/`): the list, the tabs, the reader. Every key and its owner is in
`tui/keys.py`.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import events, on
from textual.app import App, SystemCommand
from textual.binding import BindingType
from textual.screen import Screen
from textual.theme import Theme

from sessions_tui.config import Settings
from sessions_tui.tui import keys
from sessions_tui.tui.bindings import ROUTED, binding_action, bindings
from sessions_tui.tui.feed import CatalogFeed
from sessions_tui.tui.key_order import KeyDone, KeyOrder
from sessions_tui.tui.messages import WorkerFailed
from sessions_tui.tui.screens.browser import BrowserScreen
from sessions_tui.tui.state import preferences
from sessions_tui.tui.state.open_sessions import DEFAULT_LIMIT
from sessions_tui.tui.widgets.contrast import color_system, greys_kept

# Keys the palette leaves out: Textual's own commands quit, and Back and Focus mean
# nothing once the palette has closed.
PALETTE_SKIPS = frozenset({"app.quit", "app.escape", "app.focus"})
_TAB_N = re.compile(r"app\.tab\d")  # Tab 1…9: left to their keys (the kinds 1…9 are named)

if TYPE_CHECKING:
    # DuckDB is imported by the catalog worker, after the first paint (60 ms of import).
    from sessions_tui.store.catalog import Catalog
    from sessions_tui.store.search import Hit, Query


class SessionsApp(App[None]):
    """Browse sessions: the list on the left, the open sessions on the right."""

    CSS_PATH = "styles/app.tcss"
    TITLE = "sessions-tui"

    # The App's own keys work under every screen; the open session's keys belong to the
    # browser screen, so Stats, Search and the dialogs do not reach the hidden session.
    BINDINGS: ClassVar[list[BindingType]] = bindings("app")  # tui/keys.py

    def __init__(
        self,
        catalog: Catalog | Callable[[], Catalog],
        *,
        open_limit: int = DEFAULT_LIMIT,
        notice: str | None = None,
        snapshot_dir: Path | None = None,
        state_folder: Path | Callable[[], Path] | None = None,
        fresh: bool = False,
        follow: bool = True,
        settings: Settings | None = None,
        here: Path | None = None,
    ) -> None:
        """`catalog`, or a function making one (called in a worker, after the first
        paint); `snapshot_dir` keeps the last list shown, for the next start to paint;
        `state_folder` keeps the workspace (None: not kept), `fresh` skips restoring it;
        `follow` watches the files for changes; `settings` are the user's (config.toml);
        `notice` is said in the status bar from the start; `here` is the folder it was
        started in (its project's sessions come first)."""
        super().__init__()
        self.settings = settings or Settings()
        self._state_folder = state_folder
        self._preferences: preferences.Preferences | None = None  # None: not kept (no state folder)
        self.feed = CatalogFeed(catalog)
        self.timings: dict[str, float] = {}  # moments and durations, for the benchmarks
        self.final_report: dict[str, Any] | None = None
        self.key_order = KeyOrder(self, super().on_event)
        notice = notice or (self.feed.catalog.notice if self.feed.catalog else None)
        notices = [*self._settings_problems(), *([notice] if notice else [])]
        self.browser = BrowserScreen(
            self.feed,
            self.timings,
            self.settings,
            snapshot_dir=snapshot_dir,
            notice="; ".join(notices) or None,
            open_limit=open_limit,
            state_folder=state_folder,
            fresh=fresh,
            follow=follow,
            here=here,
        )

    def get_css_variables(self) -> dict[str, str]:
        """The theme's variables; with a 256- or 16-colour terminal its greys stay grey."""
        system = color_system(self.console.color_system)
        return greys_kept(super().get_css_variables(), system)

    def get_default_screen(self) -> Screen[Any]:
        """The browser (so that the list is in the first frame)."""
        return self.browser

    def _settings_problems(self) -> list[str]:
        s = self.settings
        problems = []
        if s.theme is not None and s.theme not in self.available_themes:
            names = ", ".join(sorted(self.available_themes))
            problems.append(f"theme {s.theme!r} is not known (themes: {names})")
        if s.keymap:
            problems += keys.check_keymap(s.keymap)
        return problems

    def on_mount(self) -> None:
        self.call_after_refresh(gc.enable)  # off while starting: see cli.main
        theme = self.settings.theme
        if self._state_folder is not None:
            if callable(self._state_folder):
                self._state_folder = self._state_folder()
            self._preferences = preferences.load(self._state_folder)
            theme = self._preferences.theme_for(theme)
        if theme in self.available_themes:
            self.theme = theme
        self.theme_changed_signal.subscribe(self, self._keep_theme)
        if self.settings.keymap:
            self.set_keymap(self.settings.keymap)

    def _keep_theme(self, theme: Theme) -> None:
        """A theme picked (palette, keys) comes back on the next start."""
        if self._preferences is None or not isinstance(self._state_folder, Path):
            return
        kept = preferences.Preferences(theme.name, self.settings.theme)
        if kept == self._preferences:
            return
        try:
            preferences.save(self._state_folder, kept)
        except OSError as exc:
            self.browser.say(f"the theme will not be kept: {exc.strerror or exc}")
            return
        self._preferences = kept

    # -- typed keys, one at a time (key_order) ------------------------------------------------
    async def on_event(self, event: events.Event) -> None:
        await self.key_order.receive(event)

    @on(KeyDone)
    async def _key_done(self, message: KeyDone) -> None:
        await self.key_order.done(message)

    # -- the App's keys -----------------------------------------------------------------------
    async def action_help(self) -> None:
        from sessions_tui.tui.screens.help import HelpScreen  # 10 ms of import, when asked for

        await self.push_screen(HelpScreen(keys.help_groups()))

    async def action_search_all(self) -> None:
        if self.feed.catalog is None:
            self.browser.say("still reading the sessions; try again in a moment")
            return
        from sessions_tui.tui.screens.search import SearchScreen

        def chosen(hit: tuple[Hit, Query] | None) -> None:
            if hit is not None:
                self.browser.open_hit(*hit)

        await self.push_screen(SearchScreen(self.feed.catalog), chosen)

    async def action_stats(self) -> None:
        if self.feed.catalog is None:
            self.browser.say("still reading the sessions; try again in a moment")
            return
        from sessions_tui.tui.screens.stats import StatsScreen

        await self.push_screen(StatsScreen(self.feed.catalog, self.browser.current_session()))

    def action_refresh(self) -> None:
        if not self.browser.refresh_catalog():
            self.notify("already reading the sessions", timeout=2)

    async def action_perf(self) -> None:
        from sessions_tui.tui.screens.perf import PerfScreen

        if not isinstance(self.screen, PerfScreen):
            await self.push_screen(PerfScreen())

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """Textual's commands, then every action of the key table that works here: the
        App's anywhere, the browser's and its panes' on the browser."""
        yield from super().get_system_commands(screen)
        owners = ("app", "browser", *ROUTED) if screen is self.browser else ("app",)
        for key in keys.KEYS:
            if key.owner not in owners or key.id in PALETTE_SKIPS or _TAB_N.fullmatch(key.id):
                continue
            yield SystemCommand(
                key.description,
                f"{keys.key_names(key.keys)} · {key.id}",
                partial(self.run_action, binding_action(key, "browser"), self.browser),
            )

    def profile_report(self) -> dict[str, Any]:
        """The performance panel's numbers (and `--profile FILE`'s)."""
        from sessions_tui.profile import PROFILER

        report = PROFILER.report()
        report["views"] = self.browser.tabs.views()
        return report

    def on_worker_failed(self, message: WorkerFailed) -> None:
        """Any worker's unexpected error (the screens' too) is a notice, never a crash."""
        self.log.error(message.notice)
        self.browser.say(message.notice)

    def on_unmount(self) -> None:
        self.final_report = self.profile_report()  # for --profile, before the views close
        self.browser.tabs.close()
        self.feed.close()
        gc.unfreeze()
