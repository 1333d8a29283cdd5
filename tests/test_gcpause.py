"""The collector pause gives the collector back as it found it."""

from __future__ import annotations

import gc

from nooble_codemod.engine import gcpause


def test_the_collector_is_back_after_a_pause_even_on_error():
    assert gc.isenabled()
    try:
        with gcpause.collector_paused():
            assert not gc.isenabled()
            raise KeyError
    except KeyError:
        pass
    assert gc.isenabled()


def test_a_disabled_collector_stays_disabled_and_nothing_is_frozen_by_default():
    assert gcpause.freeze_after is False  # only the program's entry point turns it on
    frozen = gc.get_freeze_count()
    gc.disable()
    try:
        with gcpause.collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
    assert gc.get_freeze_count() == frozen


def test_a_worker_batch_frees_its_cycles_at_its_end_and_leaves_the_collector_on():
    import subprocess
    import sys

    code = """
import gc, weakref
from nooble_codemod.engine.gcpause import collected_at_end
class Node: pass
def cycle():
    a, b = Node(), Node()
    a.b, b.a = b, a
    return weakref.ref(a)
for batch in range(2):
    with collected_at_end():
        ref = cycle()
        assert not gc.isenabled() and ref() is not None
    assert gc.isenabled() and ref() is None
gc.disable()
with collected_at_end():
    ref = cycle()
assert not gc.isenabled() and ref() is not None  # a collector that was off stays off
print("ok")
"""
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert res.stdout.strip() == "ok", res.stderr
