"""The worker rule: a worker's unexpected error is a notice in the status bar, never a
crash, and the app goes on working."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from sessions_tui.tui.widgets.status_bar import StatusBar
from tests.pilot import A, B, app_for, open_session, opened, settle, story


async def test_an_unexpected_error_in_a_worker_is_a_notice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sessions_tui.store import session_view

    real = session_view.SessionView.__init__

    def broken(self: Any, session: Any, **kwargs: Any) -> None:
        if session.id == A:
            raise RuntimeError("a bug in the view")
        real(self, session, **kwargs)

    monkeypatch.setattr(session_view.SessionView, "__init__", broken)
    app = app_for(story(tmp_path / "h", tmp_path / "work"))
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        await open_session(app, pilot, A)
        right = app.query_one(StatusBar).right
        assert "opening a session failed (RuntimeError: a bug in the view)" in right
        assert app.is_running and A not in opened(app)
        await open_session(app, pilot, B)  # everything else still works
        assert opened(app).active == B
