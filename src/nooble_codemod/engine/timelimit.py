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

# Once the limit is reached the alarm goes on firing at this pace until the
# block is left: an exception raised while Python runs a GC callback or a
# __del__ is printed and dropped, so one alarm alone can go unheard (seen in
# CI, with hypothesis's GC callback installed).
REPEAT = 0.02


class FileTimeout(BaseException):
    """BaseException, like KeyboardInterrupt: a library's `except Exception`
    must not take the limit for its own error and carry on."""


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
    signal.setitimer(signal.ITIMER_REAL, seconds, REPEAT)
    try:
        yield
    finally:
        # An alarm may still land here, before the timer is off: retry until
        # both steps are done, so no alarm outlives the block.
        while True:
            try:
                signal.setitimer(signal.ITIMER_REAL, 0)
                signal.signal(signal.SIGALRM, previous)
                break
            except FileTimeout:
                continue
