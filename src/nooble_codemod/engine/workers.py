"""Worker processes, forked from one warmed worker.

A worker's start is mostly imports and tables: the rules, LibCST (a fifth
of a second of CPU on its own), the parsers, the prefilters. A process pool
forks every worker from the main process, so each paid for all of it, at
the same time as the main process walked the tree. Here the first worker
(the leader) pays once, then forks the others, which start with all of it
in memory: one start-up's CPU instead of one per worker, at no cost in
time (the others could not have started sooner: their own imports would
have taken as long).

Where fork is not the platform's way of starting processes (Windows,
macOS), ExecutorPool gives the same interface over ProcessPoolExecutor.
"""

from __future__ import annotations

import gc
import os
import pickle
import queue
import signal
import sys
import traceback
from itertools import count
from typing import Any, Callable, Iterator

# How often an idle worker checks that the process that started it is
# alive, and how often the main process, waiting, checks on the workers.
_IDLE_CHECK = 1.0
_WAIT_CHECK = 0.2
# How long workers told to stop get before they are made to.
_STOP_WAIT = 10.0


class WorkerDied(RuntimeError):
    """A worker process ended before its work was done."""


_DIED = ("a worker process ended before its files were done (killed, out of memory, or crashed in a parser); "
         "no file was written")


def forking() -> bool:
    return hasattr(os, "fork") and sys.platform not in ("darwin", "win32")


class ForkedPool:
    """`jobs` workers: the leader runs `setup(*args)`, then forks the others.

    Tasks (a module-level function and its arguments) go through one queue
    that every worker takes from; results come back, in the order they are
    done, through another. Each worker holds the write end of its own pipe,
    so that the main process sees a worker's end (even a crash) as the
    pipe's end. The workers have a process group of their own: the
    terminal's Ctrl-C reaches the main process only, which stops them."""

    def __init__(self, jobs: int, setup: Callable[..., None], args: tuple) -> None:
        import multiprocessing

        ctx = multiprocessing.get_context("fork")
        self._tasks = ctx.Queue()
        self._results = ctx.Queue()
        self._ids = count()
        self._pending: set[int] = set()
        pipes = [os.pipe() for _ in range(jobs)]
        self._leader = ctx.Process(target=_lead, daemon=False,
                                   args=(ctx, setup, args, self._tasks, self._results, [w for _, w in pipes],
                                         os.getpid()))
        self._leader.start()
        # The leader makes the group too; either may run first, and a stop
        # (_stop) must find the group from the start.
        try:
            os.setpgid(self._leader.pid, self._leader.pid)
        except OSError:
            pass  # the leader did it first, or has already gone
        for _, w in pipes:
            os.close(w)
        self._ends = [r for r, _ in pipes]
        self.jobs = jobs

    def submit(self, fn: Callable, *args: Any) -> int:
        task = next(self._ids)
        self._pending.add(task)
        self._tasks.put((task, fn, args))
        return task

    def completed(self) -> Iterator[tuple[int, Any]]:
        """(task, its value) as tasks are done, until none is left; a task's
        exception is raised here."""
        from multiprocessing.connection import wait

        while self._pending:
            try:
                task, ok, value = self._results.get(timeout=_WAIT_CHECK)
            except queue.Empty:
                if wait(self._ends, 0):
                    raise WorkerDied(_DIED) from None
                continue
            self._pending.discard(task)
            if not ok:
                raise value
            yield task, value

    def close(self) -> None:
        """Stop the workers: after their work when all of it was taken back
        (completed() ran out), at once when not (an error, Ctrl-C)."""
        if self._pending:
            self._stop()
        else:
            for _ in range(self.jobs):
                self._tasks.put(None)
            self._leader.join(timeout=_STOP_WAIT)
            if self._leader.exitcode is None:
                self._stop()  # a worker that does not stop: the run's output is complete without it
        for fd in self._ends:
            os.close(fd)
        self._ends = []
        # Nothing more goes to the workers; the queue's thread need not wait
        # for them to take what is left.
        self._tasks.cancel_join_thread()

    def _stop(self) -> None:
        try:
            os.killpg(self._leader.pid, signal.SIGTERM)
        except (ProcessLookupError, PermissionError):
            pass
        self._leader.join()


def _lead(ctx, setup: Callable[..., None], args: tuple, tasks, results, ends: list[int], parent: int) -> None:
    _end_with(parent)
    os.setpgid(0, 0)
    setup(*args)
    # What the start-up built lives as long as the workers: out of the
    # collector's sight, so that no collection walks it (and, in the
    # workers forked next, copies its pages).
    gc.freeze()
    others = [ctx.Process(target=_work, args=(tasks, results, ends, k, os.getpid()), daemon=True)
              for k in range(1, len(ends))]
    for p in others:
        p.start()
    _keep(ends, 0)
    if not _serve(tasks, results):
        # The main process is gone: the others would wait on for the leader.
        for p in others:
            p.terminate()
    for p in others:
        p.join()


def _work(tasks, results, ends: list[int], k: int, leader: int) -> None:
    _end_with(leader)
    _keep(ends, k)
    _serve(tasks, results)


def _end_with(parent: int) -> None:
    """Where the system can (Linux), this process is killed when `parent`
    ends, however it ends. A main process killed outright (SIGTERM from a CI
    time limit, SIGKILL) may leave a task half written to the workers' pipe:
    a worker then waits for the rest of it forever, and the others for that
    worker (an idle worker's check of its parent, in _serve, never runs)."""
    if sys.platform.startswith("linux"):
        import ctypes

        try:
            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:  # it ended before this process could ask
        os._exit(1)


def _keep(ends: list[int], k: int) -> None:
    for i, fd in enumerate(ends):
        if i != k:
            os.close(fd)


def _serve(tasks, results) -> bool:
    """Run tasks until told to stop (True) or the process that started
    this one is gone (False)."""
    parent = os.getppid()
    # Results are all taken before the main process sends the stop
    # (ForkedPool.close): nothing is left for the queue's thread to wait for
    # at exit, and after a stop nothing need be.
    results.cancel_join_thread()
    while True:
        try:
            item = tasks.get(timeout=_IDLE_CHECK)
        except queue.Empty:
            if os.getppid() != parent:
                return False
            continue
        if item is None:
            return True
        task, fn, args = item
        try:
            results.put((task, True, fn(*args)))
        except Exception as exc:  # the main process raises it
            results.put((task, False, _picklable(exc)))


def _picklable(exc: Exception) -> Exception:
    try:
        pickle.dumps(exc)
        return exc
    except Exception:
        return RuntimeError("".join(traceback.format_exception(exc)))


class ExecutorPool:
    """ForkedPool's interface over ProcessPoolExecutor, where processes are
    not forked: each worker runs `setup` itself."""

    def __init__(self, jobs: int, setup: Callable[..., None], args: tuple) -> None:
        from concurrent.futures import ProcessPoolExecutor

        self._executor = ProcessPoolExecutor(max_workers=jobs, initializer=setup, initargs=args)
        self._futures: dict = {}
        self._ids = count()
        self.jobs = jobs

    def submit(self, fn: Callable, *args: Any) -> int:
        task = next(self._ids)
        self._futures[self._executor.submit(fn, *args)] = task
        return task

    def completed(self) -> Iterator[tuple[int, Any]]:
        from concurrent.futures import as_completed
        from concurrent.futures.process import BrokenProcessPool

        for fut in as_completed(list(self._futures)):
            try:
                value = fut.result()
            except BrokenProcessPool:
                raise WorkerDied(_DIED) from None
            yield self._futures.pop(fut), value

    def close(self) -> None:
        self._executor.shutdown(wait=True, cancel_futures=True)
