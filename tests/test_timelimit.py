"""The per-file time limit holds even when code under it swallows the alarm,
and leaves no alarm behind once its block is left."""

import signal
import time

import pytest

from nooble_codemod.engine.timelimit import FileTimeout, time_limit

pytestmark = pytest.mark.skipif(not hasattr(signal, "setitimer"), reason="no SIGALRM here")


def test_an_alarm_swallowed_once_fires_again():
    # As when the first alarm lands in a GC callback or a __del__ and is dropped.
    swallowed = 0
    started = time.monotonic()
    with pytest.raises(FileTimeout):
        with time_limit(0.05):
            try:
                time.sleep(5)
            except FileTimeout:
                swallowed += 1
            time.sleep(5)
    assert swallowed == 1
    assert time.monotonic() - started < 4


def test_a_library_catching_exception_does_not_stop_the_limit():
    with pytest.raises(FileTimeout):
        with time_limit(0.05):
            try:
                time.sleep(5)
            except Exception:  # noqa: BLE001 - the point of the test
                pass


def test_no_alarm_outlives_the_block():
    before = signal.getsignal(signal.SIGALRM)
    with pytest.raises(FileTimeout):
        with time_limit(0.01):
            time.sleep(5)
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    assert signal.getsignal(signal.SIGALRM) is before
    time.sleep(0.1)  # an alarm left armed would raise here


def test_a_block_that_ends_in_time_is_untouched():
    with time_limit(5):
        value = sum(range(1000))
    assert value == 499500
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
