"""Pausing Python's cycle collector while a run builds what it keeps.

A warm run creates tens of thousands of lists, dicts and objects that all
live to the end (the file list, the cache's entries, one result per file,
the report); each 700 of them start a collection that walks the young ones
and every so often all of them, for no garbage at all: about a tenth of a
warm `check`. The collector is paused only around those phases; file
analysis, where cycles are made and dropped, runs with it as usual.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager


@contextmanager
def collector_paused():
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
