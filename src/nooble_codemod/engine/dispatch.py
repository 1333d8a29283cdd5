"""Handing files to the worker processes (workers.py): started only when
there are enough files to pay for them, and on a cold run while discovery
still walks the tree.

A run that knows no file yet (no result cache, nothing to replay) hands the
files to the workers folder by folder as the walk finds them, once there
are enough of them: the walk and the workers' start-up then overlap. The
files left after the walk go in guided batches (see `guided`).
"""

from __future__ import annotations

import gc
import os
from typing import TYPE_CHECKING, Callable, Iterable, Iterator

from nooble_codemod.languages import language_of

if TYPE_CHECKING:
    from nooble_codemod.engine.request import RunRequest
    from nooble_codemod.engine.tasks import Work
    from nooble_codemod.settings import Settings
    from nooble_codemod.spec.loader import Spec

# Files go to the workers in batches from BATCH to MAX_BATCH files. Each
# batch costs the main process (pickling, pipes, futures), so large ones
# while there is much to do; small ones keep the workers busy at the start
# and even at the end.
BATCH = 32
MAX_BATCH = 512
# Guided batches end this small: the files held back for the project model
# name an old name and are nearly all parsed, and one last batch of 32 of
# them kept a single worker busy for a sixth of a second after the other
# had finished.
LAST_BATCH = 4
# Below this many files a process pool costs more than it saves.
POOL_THRESHOLD = 64


class Workers:
    """The worker processes of one run, as a context that stops them.

    `early`: nothing is known of any file (a cold run), so the files the
    walk finds may go to workers before it ends (`on_files`)."""

    def __init__(self, request: RunRequest, early: bool) -> None:
        self.jobs = request.workers
        self.spec, self.settings = request.spec, request.settings
        self.fix = request.mode.fixes
        # What the workers run with: read before discovery pauses the collector.
        self.collect = gc.isenabled()
        self.streaming = early and self.jobs > 1 and os.sep == "/"
        self.pool = None
        self._base = request.cwd + os.sep
        self._part = request.part
        self._size = BATCH
        self._pending: list[Work] = []
        self._sent: set[str] = set()
        self._languages: set[str | None] = set()  # of the files the walk found before the pool started

    def __enter__(self) -> "Workers":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def on_files(self) -> Callable[[list[str], dict], None] | None:
        """What discovery calls with the files of each folder it reads, or
        None when they wait for the end of the walk."""
        return self._take if self.streaming else None

    def start(self, languages: Iterable[str | None]):
        """The pool, started now; `languages`: of the first files, whose
        rules and parsers the first worker builds before the others fork."""
        self.pool = _pool(self.jobs, self.spec, self.settings, self.collect, languages)
        return self.pool

    def start_for(self, work: list[Work]):
        """The pool for `work` (the files left after the walk), when it pays
        for itself and none is running yet; None to analyse them here."""
        if self.pool is None and self.jobs > 1 and len(work) >= POOL_THRESHOLD:
            self.start(language_of(rel) for _, rel, _ in work[:POOL_THRESHOLD])
        return self.pool

    def send_now(self, work: list[Work]) -> None:
        """Hand `work` to the workers already running (a cold run's), so they
        are busy while this process builds the project model; nothing when
        no pool runs yet (execute decides then)."""
        if self.pool is not None and work:
            for batch in guided(work, self.jobs):
                self._send(batch)

    def unsent(self, work: list[Work]) -> list[Work]:
        """The files of `work` not handed over during the walk."""
        return [w for w in work if w[0] not in self._sent] if self._sent else work

    def close(self) -> None:
        if self.pool is not None:
            self.pool.close()
            self.pool = None

    # -- during the walk -------------------------------------------------------------
    def _take(self, paths: list[str], stamps: dict) -> None:
        base, cut, part = self._base, len(self._base), self._part
        if self.pool is None:
            # Python files wait for the project model, yet the workers get them
            # later: their rules (and LibCST) are then imported once, by the
            # first worker before the others fork from it, not by each.
            self._languages.update(map(language_of, paths))
        for p in paths:
            # Python files wait for the project model (stages/projectwide.py); files
            # outside the working folder, for the end of the walk.
            if p.startswith(base) and not p.endswith(".py") and (part is None or part.takes(p[cut:])):
                stamp = stamps.get(p)
                self._pending.append((p, p[cut:], stamp[1] if stamp else -1))
        if self.pool is None and len(self._pending) >= POOL_THRESHOLD:
            self.start(self._languages)
        if self.pool is not None:
            # The walk's end is unknown: batches grow from the first.
            while len(self._pending) >= self._size:
                self._send(self._pending[:self._size])
                del self._pending[:self._size]
                self._size = min(2 * self._size, MAX_BATCH)

    def _send(self, batch: list[Work]) -> None:
        from nooble_codemod.engine import tasks

        self.pool.submit(tasks.process_batch, batch, self.fix)
        self._sent.update(p for p, _, _ in batch)


def _pool(jobs: int, spec: Spec, settings: Settings, collect: bool, languages: Iterable[str | None] = ()):
    from nooble_codemod.engine import tasks, workers

    kind = workers.ForkedPool if workers.forking() else workers.ExecutorPool
    return kind(jobs, tasks.init_worker, (spec, settings, collect, tuple(sorted({x for x in languages if x}))))


def guided(work: list[Work], jobs: int) -> Iterator[list[Work]]:
    """`work` in batches of a fraction of what is left (guided scheduling):
    large while there is much, LAST_BATCH files at the end, so the workers
    finish together."""
    at = 0
    while at < len(work):
        size = max(LAST_BATCH, min(MAX_BATCH, (len(work) - at) // (2 * jobs)))
        yield work[at:at + size]
        at += size
