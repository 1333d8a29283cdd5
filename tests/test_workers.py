"""The worker pool: the others forked from a warmed leader, results in the
order they are done, errors and ends of workers seen by the caller."""

from __future__ import annotations

import os
import signal
import sys
import time

import pytest

from nooble_codemod.engine import workers
from nooble_codemod.engine.tasks import process_batch as _real_process_batch

pytestmark = pytest.mark.skipif(not workers.forking(), reason="workers are forked on this platform only")


def _setup(log: str) -> None:
    with open(log, "a") as f:
        f.write(f"{os.getpid()}\n")


def _where(delay: float) -> tuple[int, int]:
    time.sleep(delay)  # long enough for every worker to take a task
    return os.getpid(), os.getppid()


def _fail(message: str) -> None:
    raise ValueError(message)


def _unpicklable() -> None:
    raise ValueError(lambda: None)


def _die() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def _busy(log: str) -> None:
    with open(log, "a") as f:
        f.write(f"{os.getpid()}\n")
    time.sleep(60)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def _gone(pids, within: float = 10.0) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if not any(_alive(p) for p in pids):
            return True
        time.sleep(0.05)
    return False


def test_the_setup_runs_once_and_the_other_workers_are_forked_from_the_leader(tmp_path):
    log = tmp_path / "setup.log"
    pool = workers.ForkedPool(3, _setup, (str(log),))
    try:
        tasks = {pool.submit(_where, 0.3) for _ in range(6)}
        done = dict(pool.completed())
    finally:
        pool.close()
    assert set(done) == tasks
    (leader,) = [int(line) for line in log.read_text().split()]
    pids = {pid for pid, _ in done.values()}
    assert len(pids) == 3 and leader in pids
    assert {parent for pid, parent in done.values() if pid != leader} == {leader}
    assert _gone(pids)


def test_a_tasks_exception_is_raised_by_the_caller_and_the_workers_stop(tmp_path):
    pool = workers.ForkedPool(2, _setup, (str(tmp_path / "log"),))
    pool.submit(_where, 0.0)
    pool.submit(_fail, "no such column")
    pool.submit(_where, 5.0)
    with pytest.raises(ValueError, match="no such column"):
        try:
            for _ in pool.completed():
                pass
        finally:
            pool.close()  # with a task still running: stops at once
    (leader,) = [int(line) for line in (tmp_path / "log").read_text().split()]
    assert _gone([leader], within=3.0)


def test_an_exception_that_cannot_be_pickled_comes_back_as_its_traceback(tmp_path):
    pool = workers.ForkedPool(2, _setup, (str(tmp_path / "log"),))
    pool.submit(_unpicklable)
    with pytest.raises(RuntimeError, match="ValueError"):
        try:
            list(pool.completed())
        finally:
            pool.close()


@pytest.mark.parametrize("kind", [workers.ForkedPool, workers.ExecutorPool])
def test_a_worker_that_dies_is_reported_instead_of_waited_for(tmp_path, kind):
    pool = kind(2, _setup, (str(tmp_path / "log"),))
    pool.submit(_where, 0.0)
    pool.submit(_die)
    started = time.monotonic()
    with pytest.raises(workers.WorkerDied, match="no file was written"):
        try:
            list(pool.completed())
        finally:
            pool.close()
    assert time.monotonic() - started < 30


@pytest.mark.parametrize("kind", [workers.ForkedPool, workers.ExecutorPool])
def test_both_pools_give_every_tasks_value_and_its_exception(tmp_path, kind):
    pool = kind(2, _setup, (str(tmp_path / "log"),))
    try:
        tasks = [pool.submit(pow, 2, n) for n in range(40)]
        assert dict(pool.completed()) == {t: 2 ** n for n, t in enumerate(tasks)}
        pool.submit(_fail, "no such table")
        with pytest.raises(ValueError, match="no such table"):
            list(pool.completed())
    finally:
        pool.close()


def test_workers_end_when_the_caller_is_gone(tmp_path):
    # The caller killed outright (no close()): idle workers notice and end.
    log, seen = tmp_path / "log", tmp_path / "pids"
    caller = os.fork()
    if caller == 0:  # pragma: no cover - the child
        try:
            pool = workers.ForkedPool(2, _setup, (str(log),))
            pool.submit(_where, 0.3)
            pool.submit(_where, 0.3)
            seen.write_text(" ".join(str(pid) for _, (pid, _) in pool.completed()))
        finally:  # never back into pytest
            os.kill(os.getpid(), signal.SIGKILL)
    os.waitpid(caller, 0)
    pids = [int(p) for p in seen.read_text().split()]
    assert len(set(pids)) == 2 and _gone(pids, within=workers._IDLE_CHECK * 3 + 5)


def _killed_on_the_broken_file(batch, fix, *project):
    if any(rel.endswith("crash.ts") for _, rel, _ in batch):
        os.kill(os.getpid(), signal.SIGKILL)  # as a crash in a parser would
    return _real_process_batch(batch, fix, *project)


def test_a_run_whose_worker_dies_fails_with_a_message_and_writes_nothing(tmp_path, monkeypatch, capsys):
    from nooble_codemod.cli.common import Exit, run_with_progress
    from nooble_codemod.engine import tasks
    from nooble_codemod.engine.request import RunRequest
    from nooble_codemod.model import RunMode
    from nooble_codemod.settings import Settings
    from nooble_codemod.spec.loader import Spec

    for i in range(100):
        (tmp_path / f"m{i:03}.ts").write_text("const t = profile.tenant_id;\n")
    (tmp_path / "crash.ts").write_text("const t = 1;\n")
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(tasks, "process_batch", _killed_on_the_broken_file)
    request = RunRequest([tmp_path], Spec.load(), Settings(cache=False), RunMode.APPLY, jobs=2, allow_dirty=True)
    with pytest.raises(Exit) as stop:
        run_with_progress(request, quiet=True)
    assert stop.value.code == 2
    assert "worker process ended" in capsys.readouterr().err
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's")
def test_busy_workers_end_with_a_caller_killed_outright(tmp_path):
    # Busy, they never check on the caller: the system ends them with it.
    busy = tmp_path / "busy"
    caller = os.fork()
    if caller == 0:  # pragma: no cover - the child
        try:
            pool = workers.ForkedPool(2, _setup, (str(tmp_path / "log"),))
            pool.submit(_busy, str(busy))
            pool.submit(_busy, str(busy))
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline and not (busy.exists() and len(busy.read_text().split()) == 2):
                time.sleep(0.05)
        finally:
            os.kill(os.getpid(), signal.SIGKILL)
    os.waitpid(caller, 0)
    pids = [int(p) for p in busy.read_text().split()]
    assert len(pids) == 2 and _gone(pids, within=5)


def test_workers_that_do_not_stop_when_told_are_made_to(tmp_path, monkeypatch):
    real = workers._serve

    def stuck(tasks, results):  # serves, then hangs instead of ending
        real(tasks, results)
        time.sleep(60)

    monkeypatch.setattr(workers, "_serve", stuck)  # the forked workers run this module as patched
    monkeypatch.setattr(workers, "_STOP_WAIT", 0.5)
    pool = workers.ForkedPool(2, _setup, (str(tmp_path / "log"),))
    pool.submit(_where, 0.3)
    pool.submit(_where, 0.3)
    pids = {pid for _, (pid, _) in pool.completed()}
    started = time.monotonic()
    pool.close()
    assert time.monotonic() - started < 10 and _gone(pids, within=5)
