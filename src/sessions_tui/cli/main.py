"""The command line: `sessions-tui [ls|show|stats|sql|demo] …` (data layer only, no Textual)."""

from __future__ import annotations

import argparse
import contextlib
import gc
import importlib
import os
import signal
import sys
from collections.abc import Callable, Sequence
from datetime import datetime

from sessions_tui import __version__
from sessions_tui.cli.common import UserError, open_catalog
from sessions_tui.output.console import say, warn
from sessions_tui.paths import expand
from sessions_tui.sources.discovery import Root, default_roots, discover, root_from_arg
from sessions_tui.store.list_query import SORTS

EXAMPLES = r"""examples:
  sessions-tui ls --project payments --since 2026-11-01
  sessions-tui show 3f2a --kind prompt,error
  sessions-tui show 3f2a --tool Bash --json
  sessions-tui search "connection refused" --project api
  sessions-tui search 'timeout \d+ms' --regex --kind tool_result,error --json
  sessions-tui export 3f2a --format html -o session.html
  sessions-tui stats --json
  sessions-tui sql "SELECT project, count(*) FROM sessions GROUP BY ALL ORDER BY 2 DESC"
  sessions-tui demo /tmp/demo --size 100MB
  sessions-tui --profile /tmp/profile.json        # the browser; timings written on exit
"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sessions-tui",
        description="Browse Claude Code and Codex sessions.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"sessions-tui {__version__}")
    parser.add_argument(
        "--root",
        action="append",
        metavar="PATH",
        help="a Claude or Codex home, or any folder of session files (repeatable)",
    )
    parser.add_argument("--no-cache", action="store_true", help="use an in-memory catalog")
    parser.add_argument(
        "--max-open",
        type=count(1, 1000),
        default=None,
        metavar="N",
        help="sessions kept open in the browser before the least recent closes (16)",
    )
    parser.add_argument(
        "--fresh", action="store_true", help="start without reopening the last open sessions"
    )
    parser.add_argument(
        "--profile",
        metavar="FILE",
        help="on exit, write the performance panel's numbers (F12) to FILE as JSON",
    )
    sub = parser.add_subparsers(dest="verb", metavar="VERB")
    # The options every verb reads are accepted after the verb too (`ls --root X`), as
    # people type them; SUPPRESS keeps a value given before the verb.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--root",
        action="append",
        metavar="PATH",
        default=argparse.SUPPRESS,
        help="a Claude or Codex home, or any folder of session files",
    )
    common.add_argument("--no-cache", action="store_true", default=argparse.SUPPRESS,
                        help="use an in-memory catalog")  # fmt: skip

    ls = sub.add_parser(
        "ls",
        parents=[common],
        help="list sessions, newest activity first",
        epilog="examples:\n  sessions-tui ls --project api --since 2026-11-01 --json\n"
        "  sessions-tui ls --filter 'auth 2025-09 has:errors -draft' --sort cost\n\n"
        'filter terms (all must hold): words and "phrases" (title, project, branch, model,\n'
        "id prefix), -term, project: branch: model: tool: id: has:errors|subagents|tools|damage,\n"
        "2025-09 2025-09-14 today yesterday 7d 12h 2w, after:DATE before:DATE",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    ls.add_argument("--project", metavar="TEXT", help="only projects whose path contains TEXT")
    ls.add_argument(
        "--since", type=iso_date, metavar="DATE", help="only sessions active on or after DATE (ISO)"
    )
    ls.add_argument("--filter", metavar="TERMS", help="the list's filter (see below)")
    ls.add_argument("--sort", choices=tuple(SORTS), default="activity",
                    help="order (default: activity, the newest first)")  # fmt: skip
    ls.add_argument("--reverse", action="store_true", help="the other way round")
    ls.add_argument("--json", action="store_true")

    show = sub.add_parser(
        "show",
        parents=[common],
        help="print one session's entries",
        epilog="example: sessions-tui show 3f2a --kind prompt,assistant",
    )
    show.add_argument("id", metavar="ID", help="session id (a unique prefix is enough) or path")
    show.add_argument(
        "--kind", metavar="K,K", help="only these kinds (" + ", ".join(_kind_names()) + ")"
    )
    show.add_argument("--tool", metavar="NAME", help="only entries of this tool (e.g. Bash)")
    show.add_argument("--json", action="store_true")

    search = sub.add_parser(
        "search",
        parents=[common],
        help="search every entry of every session",
        epilog="examples:\n  sessions-tui search 'lock twice'\n"
        "  sessions-tui search '\"connection refused\" -docker after:2025-09' --by-session\n"
        "  sessions-tui search 'exit code [1-9]' --regex --kind error --newest --json",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    search.add_argument(
        "query",
        metavar="QUERY",
        help='words (all must occur; a capital makes it case-sensitive), "a phrase", -word, '
        "kind:K tool:NAME project:TEXT after:DATE before:DATE",
    )
    search.add_argument("--regex", action="store_true", help="QUERY is a regular expression (RE2)")
    search.add_argument("--project", metavar="TEXT", help="only projects whose path contains TEXT")
    search.add_argument("--kind", metavar="K,K", help="only entries of these kinds")
    search.add_argument("--newest", action="store_true", help="newest first instead of ranked")
    search.add_argument(
        "--limit", type=count(1, 10**9), default=50, metavar="N",
        help="at most N hits, or N sessions with --by-session (50)",
    )  # fmt: skip
    search.add_argument("--by-session", action="store_true",
                        help="one row per session (its hit count, its best hits)")  # fmt: skip
    search.add_argument("--json", action="store_true")

    export = sub.add_parser(
        "export",
        parents=[common],
        help="write one session as Markdown, HTML or JSON",
        epilog="examples:\n  sessions-tui export 3f2a --format md > session.md\n"
        "  sessions-tui export 3f2a --format html --kind prompt,assistant -o chat.html",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    export.add_argument("id", metavar="ID", help="session id (a unique prefix is enough) or path")
    export.add_argument(
        "--format", choices=("md", "html", "json"), help="default: from -o, else md"
    )
    export.add_argument("-o", "--output", metavar="FILE", help="write to FILE (default: stdout)")
    export.add_argument("--kind", metavar="K,K", help="only entries of these kinds")
    export.add_argument("--tool", metavar="NAME", help="only entries of this tool")

    stats = sub.add_parser(
        "stats",
        parents=[common],
        help="counts, tokens and tools, global or for one session",
        epilog="example: sessions-tui stats 3f2a --json",
    )
    stats.add_argument("id", nargs="?", metavar="ID", help="one session (default: all)")
    stats.add_argument("--project", metavar="TEXT", help="only projects whose path contains TEXT")
    stats.add_argument("--since", type=iso_date, metavar="DATE", help="from this day on (ISO)")
    stats.add_argument("--until", type=iso_date, metavar="DATE", help="up to this day (ISO)")
    stats.add_argument("--json", action="store_true")

    sql = sub.add_parser(
        "sql",
        parents=[common],
        help="run a read-only query over the catalog (`sessions`, `entries`, …)",
        description=(
            "Run queries (SELECT, WITH, FROM, PIVOT, DESCRIBE, SHOW, SUMMARIZE, EXPLAIN) "
            "over the catalog. They can read: `sessions` (one row a session; DESCRIBE sessions "
            "lists its columns), "
            "`files` and `catalog_files` (one row a session or subagent file), and `entries` "
            "(every entry of every session, built from the files when a query names it). "
            "Nothing else: no other file, database or URL can be read or written, no "
            "extension installed or loaded, no setting changed; the cache is left as it was."
        ),
        epilog='example: sessions-tui sql "SELECT kind, count(*) FROM entries GROUP BY kind"',
    )
    sql.add_argument("query", metavar="SQL")
    sql.add_argument("--json", action="store_true")

    config = sub.add_parser(
        "config",
        help="print the effective settings, where each comes from, and the binding ids",
        epilog="examples:\n  sessions-tui config\n"
        "  SESSIONS_TUI_CONFIG=~/alt.toml sessions-tui config --json",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    config.add_argument("--json", action="store_true")

    demo = sub.add_parser(
        "demo",
        help="write a demo history (deterministic by seed)",
        epilog="example: sessions-tui demo /tmp/demo --sessions 1000 --size 1GB",
    )
    demo.add_argument("dir", metavar="DIR")
    demo.add_argument("--seed", type=count(0, 2**63 - 1), default=7)
    demo.add_argument("--sessions", type=count(1, 1_000_000), default=40)
    demo.add_argument("--size", default="8MB", help="total size, e.g. 500KB, 100MB, 2GB")
    demo.add_argument(
        "--big-records",
        type=count(0, 10_000_000),
        default=0,
        help="make the first session at least this many records long",
    )
    return parser


def _kind_names() -> list[str]:
    from sessions_tui.model import Kind

    return [k.value for k in Kind]


def count(low: int, high: int) -> Callable[[str], int]:
    """An argparse type: a whole number from `low` to `high`, else a one-line error."""

    def parse(text: str) -> int:
        try:
            value = int(text.strip())
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{value} is out of range ({low} to {high:,})")
        return value

    return parse


def iso_date(text: str) -> str:
    """An argparse type: an ISO date or date and time (2026-11-01, 2026-11-01T09:30)."""
    try:
        return datetime.fromisoformat(text.strip()).isoformat()[: len(text.strip())]
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"cannot read date {text!r}: use YYYY-MM-DD (or YYYY-MM-DDTHH:MM)"
        ) from None


def resolve_roots(
    args: argparse.Namespace, configured: Sequence[str] = ()
) -> tuple[list[Root], str | None]:
    """The roots to scan (`--root`, else the settings' `roots`, else the defaults), and a
    notice when the bundled demo stands in for none."""
    chosen = args.root or list(configured)
    if chosen:
        roots = [r for arg in chosen for r in root_from_arg(arg)]
        missing = [a for a in chosen if not expand(a).exists()]
        if missing:
            where = "" if args.root else " (from the settings' roots)"
            raise UserError(f"no such folder: {missing[0]}{where}")
        return roots, None
    roots = default_roots()
    if discover(roots).files:
        return roots, None
    from sessions_tui.demo import generate_history
    from sessions_tui.paths import demo_dir

    folder = demo_dir()
    if not (folder / "claude").exists():
        generate_history(folder)
    return root_from_arg(str(folder / "claude")) + root_from_arg(str(folder / "codex")), (
        f"no sessions found; showing the demo history in {folder}"
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Run one verb (or the browser); every failure is one line on stderr and an exit
    status, never a traceback (SESSIONS_TUI_DEBUG=1 shows one for an unexpected error)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if sys.stdout is None and not _writes_file(args):
        warn("standard output is closed: nothing could be written")
        return 1
    _exit_on_signals()
    try:
        code = _main(args)
        if sys.stdout is not None:
            sys.stdout.flush()  # here, so a full disk is reported, not lost at exit
        return code
    except UserError as exc:
        warn(str(exc))
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `sessions-tui show ID | head`: the reader has what it wanted
        _detach_stdout()
        return 0
    except OSError as exc:
        _detach_stdout()
        where = f": {exc.filename}" if exc.filename else ""
        warn(f"stopped: {exc.strerror or exc}{where}")
        return 1
    except Exception as exc:  # the last guard: a bug, said in one line
        if os.environ.get("SESSIONS_TUI_DEBUG"):
            raise
        first = (str(exc).splitlines() or [""])[0]
        warn(f"unexpected error ({type(exc).__name__}: {first}); SESSIONS_TUI_DEBUG=1 shows where")
        return 70


def _exit_on_signals() -> None:
    """SIGTERM and SIGHUP (a closed terminal) end a verb like Ctrl+C does, through every
    `finally`, so no temporary file is left (Python's default ends the process at once)."""

    def stop(signum: int, _frame: object) -> None:
        raise SystemExit(128 + signum)

    with contextlib.suppress(ValueError):  # not the main thread (a test's runner)
        for sig in (signal.SIGTERM, signal.SIGHUP):
            signal.signal(sig, stop)


def _writes_file(args: argparse.Namespace) -> bool:
    return args.verb == "demo" or bool(getattr(args, "output", None))


def _detach_stdout() -> None:
    """Point the real stdout at /dev/null so Python's own flush at exit cannot fail again."""
    out = sys.__stdout__
    if out is None or sys.stdout is not out:
        return  # not the process's stdout (a test captures it): nothing flushes it at exit
    with contextlib.suppress(OSError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, out.fileno())
        os.close(devnull)


def _main(args: argparse.Namespace) -> int:
    if args.verb is None:
        # Starting the browser makes ~200k objects (Textual's, then ours) and the
        # collector would pass over them again and again: 8 ms of a warm start. The app
        # turns it back on once its first frame is drawn (and run_app when it ends).
        gc.disable()
    if args.verb == "demo":
        from sessions_tui.cli import demo

        return demo.run(args)
    from sessions_tui.config import load_config

    loaded = load_config()
    if args.verb == "config":
        from sessions_tui.cli import config

        return config.run(loaded, args)
    if args.max_open is None:
        args.max_open = loaded.settings.open_limit
    roots, notice = resolve_roots(args, loaded.settings.roots)
    if args.verb is None:
        from sessions_tui.tui.launch import run_app

        return run_app(roots, args, notice, loaded)
    for problem in loaded.problems:
        warn(problem)
    if notice:
        say(notice)
    return _run_verb(args.verb, roots, args)


def _run_verb(verb: str, roots: list[Root], args: argparse.Namespace) -> int:
    """One verb over the refreshed catalog; each verb is its own module, imported when used."""
    module = importlib.import_module(f"sessions_tui.cli.{VERBS[verb]}")
    catalog = open_catalog(roots, args)
    try:
        return int(module.run(catalog, args))
    finally:
        catalog.close()


# The verbs that read the catalog, and their modules.
VERBS = {"ls": "ls", "show": "show", "search": "search", "stats": "stats", "sql": "sql",
         "export": "export"}  # fmt: skip


if __name__ == "__main__":
    raise SystemExit(main())
