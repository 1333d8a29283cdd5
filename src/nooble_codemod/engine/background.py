"""Work for after a run, done beside the report: the result cache's save.

When the workers are done, the rest of a run (settling, the evidence, the
report) is this process's alone, on one core of two. Saving the result cache
(encoding every file's entry, a few megabytes of JSON on a large tree) is
most of that tail and needs nothing the report does: a forked child writes
it while this process goes on. The command waits for the child before it
ends (`wait()`), so the cache is whole when the command returns, as before.

Only where the platform forks, and only while this process has no other
thread (a thread holding a lock at the fork would leave the child stuck);
otherwise the work runs here, in order.
"""

from __future__ import annotations

import os
import threading
from typing import Callable

from nooble_codemod.engine.workers import forking

_children: list[int] = []


def start(work: Callable[[], None]) -> None:
    """Run `work` (no result, no output) in a forked child, or here."""
    if not forking() or threading.active_count() > 1:
        work()
        return
    try:
        pid = os.fork()
    except OSError:
        work()
        return
    if pid == 0:
        code = 1
        try:
            work()
            code = 0
        finally:
            os._exit(code)  # no atexit hooks, no flush of the parent's buffers
    _children.append(pid)


def wait() -> None:
    """Wait for the children `start` forked: their work is done after."""
    while _children:
        pid = _children.pop()
        try:
            os.waitpid(pid, 0)
        except ChildProcessError:
            pass  # reaped already
