"""The collector pause gives the collector back as it found it."""

from __future__ import annotations

import gc

from nooble_codemod import gcpause


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
