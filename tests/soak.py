"""Random keypresses through the pilot: the soak test and the benchmark's key → frame P99."""

from __future__ import annotations

import random
from typing import Any

from textual.pilot import Pilot

from tests.pilot import send_at_once, workers_done

# Keys a person presses, weighted towards moving around; no quit.
MOVES = ["j", "k", "down", "up", "pagedown", "pageup", "g", "G", "J", "K", "ctrl+d", "ctrl+u"]
OTHERS = [
    "enter", "tab", "left_square_bracket", "right_square_bracket", "w", "n", "N",
    *"123456789", "0", "e", "y", "Y", "c", "p", "v", "i", "f", "z",
    "greater_than_sign", "less_than_sign", "right_parenthesis", "left_parenthesis",
]  # fmt: skip
DIALOGS = {  # a key that opens something, then what is typed there, then the way out
    "slash": [*"the", "enter"],
    "ctrl+f": [*"lock", "wait", "escape"],  # wait: the results come
    "s": ["escape"],
    "f12": ["escape"],
    "question_mark": ["escape"],
    "x": ["escape"],
    "R": ["escape"],
    "t": [*"Bash", "enter"],
}
SIZES = [(120, 36), (80, 24), (200, 50), (40, 12), (100, 30)]


def key_sequence(presses: int, seed: int = 1) -> list[Any]:
    """The keys a soak presses, from a seed: or ("resize", w, h); or "wait" (for results
    to come); or "settle" (a dialog's work is let to finish before the next keys)."""
    rng = random.Random(seed)
    out: list[Any] = []
    done = 0
    while done < presses:
        roll = rng.random()
        if roll < 0.01:
            out.append(("resize", *rng.choice(SIZES)))
            continue
        if roll < 0.06:
            opener = rng.choice(list(DIALOGS))
            # typed at once (keys are handled in order), then its work is let to finish
            keys = [opener, *DIALOGS[opener], "settle"]
        elif roll < 0.3:
            keys = [rng.choice(OTHERS)]
        else:
            keys = [rng.choice(MOVES)]
        out += keys
        done += sum(1 for k in keys if k not in ("wait", "settle"))
    return out


async def soak(pilot: Pilot[Any], presses: int, seed: int = 1) -> int:
    """Send `presses` random keys as a terminal would (events, not one wait per key);
    every few keys the app is let to catch up. Returns the number of keys sent."""
    app = pilot.app
    sent = 0
    for n, key in enumerate(key_sequence(presses, seed)):
        if isinstance(key, tuple):
            await pilot.resize_terminal(key[1], key[2])
        elif key == "wait":
            await pilot.pause(0.25)
            await workers_done(app)
        elif key == "settle":
            await workers_done(app)
        else:
            send_at_once(app, key)  # the way a terminal's keys arrive
            sent += 1
        if n % 20 == 19:
            await pilot.pause()
        if n % 500 == 499:
            await workers_done(app)  # let opens and searches land
    return sent
