"""Pausing Python's cycle collector while a run builds what it keeps.

A warm run creates tens of thousands of lists, dicts and objects that all
live to the end (the file list, the cache's entries, one result per file,
the report); each 700 of them start a collection that walks the young ones
and every so often all of them, for no garbage at all. The collector is
paused only around those phases; file analysis, where cycles are made and
dropped, runs with it as usual. A speed shortcut that moves the cold and
warm `check` by 10-14% (docs/performance.md).
"""

from __future__ import annotations

import gc
from contextlib import contextmanager

# Set by the program's entry point (launcher.py), which owns the process:
# after a pause, everything alive is moved out of the collector's sight
# (gc.freeze), or the first collection after the pause would walk all that
# the pause saved it from. Objects frozen are still freed when no longer
# referenced; only cycles among them would stay, and these phases make none.
# A library caller's objects are not ours to freeze, hence off by default.
freeze_after = False


@contextmanager
def collector_paused():
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if freeze_after:
            gc.freeze()
        if enabled:
            gc.enable()


@contextmanager
def collected_at_end():
    """For a batch of files (in a worker, in a run without workers, the
    project model's reading): the block runs with the collector paused and
    ends with one collection of the youngest generation, which then holds
    all the block allocated.
    Collections triggered by allocation counts (every 700) walked the older
    generations too, again and again, including modules imported mid-run and
    the results kept so far. Nothing happens if the collector was off."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.collect(0)
        gc.enable()
