"""`sessions-tui demo DIR`: writes the generated demo history."""

from __future__ import annotations

import argparse
import shutil

from sessions_tui.cli.common import UserError
from sessions_tui.paths import expand

MAX_DEMO_BYTES = 1_000_000_000_000  # 1 TB: a demo bigger than any test of ours


def parse_size(text: str) -> int:
    units = {"": 1, "B": 1, "KB": 1_000, "MB": 1_000_000, "GB": 1_000_000_000}
    raw = text.strip().upper()
    number = raw.rstrip("KMGB")
    unit = raw[len(number) :]
    try:
        value = float(number) * units[unit]
    except (ValueError, KeyError):
        raise UserError(f"cannot read size {text!r}: use e.g. 500KB, 100MB or 2GB") from None
    if not 1 <= value <= MAX_DEMO_BYTES:  # NaN fails both
        raise UserError(f"size {text!r} is out of range (1 byte to 1000GB)")
    return int(value)


def run(args: argparse.Namespace) -> int:
    from sessions_tui.demo import generate_history

    size = parse_size(args.size)
    dest = expand(args.dir)
    if dest.exists() and not dest.is_dir():
        raise UserError(f"{args.dir} exists and is not a folder")
    try:
        dest.mkdir(parents=True, exist_ok=True)
        free = shutil.disk_usage(dest).free
        if size > free - 100_000_000:  # and leave the disk some room
            raise UserError(f"{args.size} would not fit: {free / 1e9:.1f} GB free under {dest}")
        report = generate_history(
            dest,
            seed=args.seed,
            sessions=args.sessions,
            total_bytes=size,
            big_records=args.big_records,
        )
    except OSError as exc:
        raise UserError(f"cannot write the demo into {args.dir}: {exc.strerror or exc}") from None
    print(
        f"wrote {report.sessions} sessions ({report.subagent_files} subagent files, "
        f"{report.bytes / 1e6:.1f} MB) under {args.dir}"
    )
    return 0
