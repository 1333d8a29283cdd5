"""A wall-clock limit on one file's analysis, so a pathological file cannot
hang a run: the file is reported and the run goes on.

SIGALRM interrupts Python code; a parser running in native code (LibCST's
Rust parser, tree-sitter) is interrupted as soon as it returns. Where there
is no SIGALRM (Windows) or outside the main thread, files run unlimited.
"""

from __future__ import annotations

import signal
import threading
from contextlib import contextmanager


class FileTimeout(Exception):
    pass


@contextmanager
def time_limit(seconds: float):
    usable = (seconds and seconds > 0 and hasattr(signal, "setitimer")
              and threading.current_thread() is threading.main_thread())
    if not usable:
        yield
        return

    def on_alarm(signum, frame):
        raise FileTimeout

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
