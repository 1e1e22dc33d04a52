"""A quit by signal ends the browser's process even when the clean quit cannot finish
(Textual writing to a terminal that is gone)."""

from __future__ import annotations

import signal
import subprocess
import sys
import time

STUCK = """
import os, signal, time
from sessions_tui.tui.launch import quit_on_signals

class Stuck:  # a clean quit that never finishes
    def exit(self) -> None:
        print("quitting", flush=True)

quit_on_signals(Stuck(), grace=0.5)
os.kill(os.getpid(), signal.SIG{name})
time.sleep(60)
print("still here", flush=True)
"""


def test_a_quit_that_cannot_finish_still_ends_the_process() -> None:
    for sig in (signal.SIGHUP, signal.SIGTERM):
        started = time.monotonic()
        done = subprocess.run([sys.executable, "-c", STUCK.format(name=sig.name[3:])],
                              capture_output=True, text=True, timeout=30)  # fmt: skip
        assert done.returncode == 128 + sig, done.stderr
        assert done.stdout == "quitting\n"  # the clean quit was asked for first
        assert time.monotonic() - started < 10
