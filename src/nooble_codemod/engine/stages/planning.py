"""Stage 2, plan: what earlier runs already know of this one.

The result cache answers for the files unchanged since they were last
analysed; the rest is the work. When the command's output may be replayed
(replay.py) and none of its inputs changed, the plan is that output: the
other stages do nothing. This is the only stage that asks either cache.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, NamedTuple

from nooble_codemod.engine.cache import ResultCache
from nooble_codemod.engine.gcpause import collector_paused
from nooble_codemod.engine.replay import Replay
from nooble_codemod.model import FileResult, FileStatus, Output

if TYPE_CHECKING:
    from nooble_codemod.engine.request import RunRequest
    from nooble_codemod.engine.tasks import Work
    from nooble_codemod.fs.discovery import Discovered


class Memory(NamedTuple):
    """What earlier runs left in the cache folder, before the walk."""

    cache: ResultCache | None
    replay: Replay | None

    @property
    def empty(self) -> bool:
        """Nothing known of any file and no output to replay: a cold run,
        whose files may go to workers while the walk goes on."""
        return ((self.cache is None or not self.cache.exists())
                and (self.replay is None or not self.replay.exists()))


class Plan(NamedTuple):
    request: RunRequest
    found: Discovered
    # Files decided already: skipped ones, and those the result cache answered for.
    known: list[FileResult]
    errors: list[str]  # paths that could not be walked
    work: list[Work]  # the files to analyse
    # The work's [mtime_ns, size] by report path, for its cache entries.
    stamps: dict[str, list | None]
    cache: ResultCache | None
    # The last run's output, when its inputs are all unchanged: nothing else to do.
    replayed: Output | None = None
    # Where this run's output is kept for the next, when it may be replayed.
    output_memo: Replay | None = None
    # The project model's decisions by report path (projectwide.py); None before that stage.
    project: dict | None = None


def recall(request: RunRequest) -> Memory:
    settings = request.settings
    cache = ResultCache(request.cwd, request.spec.digest, settings) if settings.cache else None
    replay = Replay.for_run(request) if settings.cache and request.output_key is not None else None
    return Memory(cache, replay)


def plan(request: RunRequest, memory: Memory, found: Discovered) -> Plan:
    replay = memory.replay
    if replay is not None:
        replayed = replay.stored(found, request.spec)  # and the key this run's output is kept under
        if replayed is not None:
            return Plan(request, found, [], [], [], {}, memory.cache, replayed=replayed)
    with collector_paused():  # one result per file, kept to the end of the run
        known, stamps, work = _gather(request, found, memory.cache)
    errors = [f"{p}: {why}" for p, why in found.errors]
    return Plan(request, found, known, errors, work, stamps, memory.cache, output_memo=replay)


def _gather(request: RunRequest, found: Discovered,
            cache: ResultCache | None) -> tuple[list[FileResult], dict[str, list | None], list[Work]]:
    """Files known already (skipped, or answered by the cache), the stamps
    of the others, and the others: the work."""
    known = [FileResult(request.relative(str(p)), FileStatus.SKIPPED, why) for p, why in found.skipped]
    part = request.part
    if part is not None:
        known = [r for r in known if part.takes(r.path)]
    stamps: dict[str, list | None] = {}
    work: list[Work] = []
    fix = request.mode.fixes
    # The loop a warm run spends its time in (every file answered from the
    # cache): the relative path by slicing, one dict look-up per file.
    base = request.cwd + os.sep
    cut = len(base)
    posix = os.sep == "/"
    unsafe = request.settings.unsafe_fixes
    for abs_path in found.paths:
        if abs_path.startswith(base):
            rel = abs_path[cut:] if posix else abs_path[cut:].replace(os.sep, "/")
        else:
            rel = request.relative(abs_path)
        if part is not None and not part.takes(rel):
            continue  # another part's: the project model still reads it (projectwide.py)
        stamp = found.stamps.get(abs_path)
        if cache is not None:
            hit = cache.get(rel, stamp, fix, unsafe)
            if hit is not None:
                known.append(hit)
                continue
            stamps[rel] = stamp
        work.append((abs_path, rel, stamp[1] if stamp else -1))
    return known, stamps, work
