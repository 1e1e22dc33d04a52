"""`sessions-tui export ID`: a session as Markdown, HTML, JSON or JSONL."""

from __future__ import annotations

import argparse
from pathlib import Path

from sessions_tui.cli.common import UserError, find_session, parse_kinds
from sessions_tui.output.console import say, write_text
from sessions_tui.output.export import (
    ExportInfo,
    ExportRefused,
    check_target,
    export,
    format_of,
    write_atomically,
)
from sessions_tui.store.catalog import Catalog
from sessions_tui.store.filters import Filter
from sessions_tui.store.session_view import SessionView


def run(catalog: Catalog, args: argparse.Namespace) -> int:
    session = find_session(catalog, args.id)
    fmt = args.format or (format_of(args.output) if args.output else None) or "md"
    flt = Filter(kinds=parse_kinds(args.kind), tool=args.tool)
    if args.output:
        try:
            check_target(Path(args.output), catalog.roots)
        except ExportRefused as exc:
            raise UserError(str(exc)) from None
    view = SessionView(session)
    try:
        text = export(fmt, session, view.entries(flt), ExportInfo(flt.describe()))
    finally:
        view.close()
    if not args.output:
        write_text(text)
        return 0
    try:
        write_atomically(Path(args.output), text)
    except OSError as exc:
        raise UserError(f"cannot write {args.output}: {exc.strerror or exc}") from None
    say(f"wrote {args.output} ({fmt}, {len(text.encode())} bytes)")
    return 0
