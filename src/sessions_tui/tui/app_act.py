"""Acting on a session: stats (s), export (x), resume (R), copy (y / Y / c)."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import TYPE_CHECKING

from textual import work
from textual.app import SuspendNotSupported
from textual.message import Message

from sessions_tui.store.filters import Filter
from sessions_tui.text import file_stem
from sessions_tui.tui.app_find import FindActions

if TYPE_CHECKING:  # loaded when first used, not before the first paint
    from sessions_tui.model import Session
    from sessions_tui.output.resume import ResumePlan
    from sessions_tui.sources.discovery import Root
    from sessions_tui.tui.screens.dialogs import ExportChoice
    from sessions_tui.tui.state.viewstate import SessionState


class Exported(Message):
    def __init__(self, note: str) -> None:
        super().__init__()
        self.note = note


class ActActions(FindActions):
    """What a person does with a session besides reading it."""

    async def action_stats(self) -> None:
        if self.catalog is None:
            self.say("still reading the sessions; try again in a moment")
            return
        from sessions_tui.tui.screens.stats import StatsScreen

        await self.show(StatsScreen(self.catalog, self.current_session()))

    # -- export ------------------------------------------------------------------------------
    async def action_export(self) -> None:
        state = self.open.current
        if state is None:
            self.say("open a session to export it")
            return
        from sessions_tui.tui.screens.dialogs import ExportScreen

        default = Path.cwd() / f"session-{file_stem(state.view.session.id[:8])}.md"
        flt = state.filter.describe()

        def chosen(choice: ExportChoice | None) -> None:
            if choice is not None and self.open.current is state and self.catalog is not None:
                self._export_worker(state, choice, list(self.catalog.roots))

        await self.show(ExportScreen(default, flt), chosen)

    @work(thread=True, group="export", description="exporting", exit_on_error=False)
    def _export_worker(self, state: SessionState, choice: ExportChoice, roots: list[Root]) -> None:
        import duckdb

        from sessions_tui.output.export import (
            ExportInfo,
            ExportRefused,
            check_target,
            export,
            write_atomically,
        )

        flt = state.filter if choice.filtered else Filter(None)
        try:
            check_target(choice.path, roots)
            cur = state.view.cursor()
            try:
                entries = list(state.view.entries(flt, cursor=cur))
            finally:
                cur.close()
            text = export(choice.fmt, state.view.session, entries, ExportInfo(flt.describe()))
            write_atomically(choice.path, text)
        except ExportRefused as exc:
            self.post_message(Exported(str(exc)))
            return
        except OSError as exc:
            self.post_message(Exported(f"cannot write {choice.path}: {exc.strerror or exc}"))
            return
        except duckdb.Error as exc:  # the session was closed meanwhile, say
            self.post_message(Exported(f"cannot export: {str(exc).splitlines()[0]}"))
            return
        self.post_message(Exported(f"wrote {choice.path} ({len(entries)} entries, {choice.fmt})"))

    def on_exported(self, message: Exported) -> None:
        self.say(message.note)

    # -- resume ------------------------------------------------------------------------------
    async def action_resume(self) -> None:
        session = self.current_session()
        if session is None:
            self.say("select a session to resume")
            return
        from sessions_tui.output.resume import plan
        from sessions_tui.tui.screens.dialogs import CommandScreen

        resume = plan(session)
        if resume.problem is not None:

            def copy(wanted: bool | None) -> None:
                if wanted:
                    self.copy_to_clipboard(resume.shell_line)
                    self.say("copied the command")

            await self.show(CommandScreen(resume.problem, resume.shell_line), copy)
            return
        self.run_resume(session, resume)

    def run_resume(self, session: Session, resume: ResumePlan) -> None:
        """Hand the terminal to the program; come back when it exits."""
        try:
            with self.suspend():
                code = subprocess.call(resume.argv, cwd=resume.cwd)
        except SuspendNotSupported:  # no terminal to hand over (a headless run)
            code = subprocess.call(
                resume.argv,
                cwd=resume.cwd,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        except OSError as exc:
            self.say(f"cannot run {resume.argv[0]}: {exc.strerror or exc}")
            return
        self.say(f"back from {resume.argv[0]} (exit status {code})")
        self.start_catalog_refresh()  # the program may have written to the session

    # -- copy ------------------------------------------------------------------------------
    def action_copy_id(self) -> None:
        session = self.current_session()
        if session is not None:
            self.copy_to_clipboard(session.id)
            self.say(f"copied the session id {session.id}")

    def action_copy_path(self) -> None:
        session = self.current_session()
        if session is not None:
            self.copy_to_clipboard(str(session.path))
            self.say("copied the session file's path")

    def action_copy_entry(self) -> None:
        state = self.open.current
        if state is None or not state.visible:
            self.say("open a session and select an entry to copy it")
            return
        seq = state.visible[state.position.selected]
        text = state.view.full_text(seq)
        self.copy_to_clipboard(text)
        self.say(f"copied entry #{seq} ({len(text)} characters)")
