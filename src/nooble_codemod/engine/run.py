"""A run over many files: discovery, workers, dirty-tree guard, atomic writes.

Rules and the per-file pipeline know nothing of this; the CLI only calls
`run()` and renders the RunResult.
"""

from __future__ import annotations

import gc
import os
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable

from nooble_codemod.engine.cache import ResultCache, store
from nooble_codemod.fs.discovery import discover
from nooble_codemod.engine.gcpause import collected_at_end, collector_paused
from nooble_codemod.fs.ignores import IgnoreMemo
from nooble_codemod.languages import language_of
from nooble_codemod.model import FileResult, FileStatus, Finding, Output, RuleInfo, RunMode, RunResult
from nooble_codemod.engine.replay import Replay
from nooble_codemod.settings import Settings
from nooble_codemod.spec.loader import Spec
from nooble_codemod.engine.timelimit import FileTimeout, time_limit

if TYPE_CHECKING:
    from nooble_codemod.engine.pipeline import Pipeline

CHECK, DRY_RUN, APPLY = RunMode.CHECK, RunMode.DRY_RUN, RunMode.APPLY
# Files go to the workers in batches from BATCH to MAX_BATCH files. Each
# batch costs the main process (pickling, pipes, futures: its threads took
# 0.25-0.30 s of CPU beside the workers with 625 batches of 32 on the bench
# tree, 0.10-0.15 s with batches of 128-512); small ones keep the workers
# busy at the start and even at the end.
BATCH = 32
MAX_BATCH = 512
WRITERS = 8
# Below this many files a process pool costs more than it saves.
POOL_THRESHOLD = 64
# pathspec's answers for the walk (ignores.IgnoreMemo), beside the result cache.
IGNORE_MEMO = "gitignore-1.json"


# -- workers -------------------------------------------------------------------------
_PIPELINE: Pipeline | None = None


def _init_worker(spec: Spec, settings: Settings, collect: bool, languages: tuple[str, ...] = ()) -> None:
    # The spec object itself, not its path: a forked worker has it already,
    # where reading the TOML again cost each worker 40 ms.
    from nooble_codemod.engine.pipeline import Pipeline

    # A worker forked while discovery has the cycle collector paused would
    # keep it paused: the parse trees' cycles were never freed (each worker
    # 49 -> 100 MB on the bench tree). It takes the caller's own setting.
    if collect:
        gc.enable()
    global _PIPELINE
    _PIPELINE = Pipeline(spec, settings)
    # The languages of the first files found: their rules, parsers and
    # prefilters, imported and built before the other workers are forked
    # from this one (workers.py).
    for language in languages:
        _PIPELINE.warm(language)


def _pool(jobs: int, spec: Spec, settings: Settings, collect: bool, languages: Iterable[str] = ()):
    from nooble_codemod.engine import workers

    kind = workers.ForkedPool if workers.forking() else workers.ExecutorPool
    return kind(jobs, _init_worker, (spec, settings, collect, tuple(sorted({x for x in languages if x}))))


def _rule_infos() -> tuple[RuleInfo, ...]:
    from nooble_codemod.rules import select_rules

    assert _PIPELINE is not None
    return tuple(RuleInfo.of(r) for r in select_rules(_PIPELINE.settings))


def _process_batch(batch: list[tuple[str, str, int]], fix: bool) -> list[FileResult | str]:
    """The batch's results, a plain unchanged file's as its path alone: most
    files are, and pickling a dataclass each way cost 2 us a file on both sides."""
    assert _PIPELINE is not None
    with collected_at_end():
        results = [_process_one(_PIPELINE, abs_path, rel, size, fix) for abs_path, rel, size in batch]
    return [r.path if r.plain else r for r in results]


def _unpacked(results: list[FileResult | str]) -> list[FileResult]:
    unchanged = FileStatus.UNCHANGED
    return [FileResult(r, unchanged) if type(r) is str else r for r in results]


_READ_FLAGS = os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0)


def _read(path: str, size: int) -> bytes:
    """The file's bytes. `size` (from discovery's stat; -1 if unknown) sizes
    the first read: three system calls (open, read, close) and no file
    object, about half the cost of open().read() on the 20,000 small files of
    a run. The file may have changed since: read on until the end."""
    fd = os.open(path, _READ_FLAGS)
    try:
        data = os.read(fd, size + 1 if size >= 0 else 1 << 16)
        # Exactly the size stat gave, of the one byte more asked for: the end
        # of the file (a regular file's read is short only there), without a
        # fourth system call to be told so.
        if data and len(data) != size:
            more = [data]
            while chunk := os.read(fd, 1 << 20):
                more.append(chunk)
            if len(more) > 1:
                data = b"".join(more)
    finally:
        os.close(fd)
    return data


def _process_one(pipeline: Pipeline, abs_path: str, rel: str, size: int, fix: bool) -> FileResult:
    try:
        raw = _read(abs_path, size)
    except OSError as exc:
        return FileResult(rel, FileStatus.FAILED, f"cannot read: {exc.strerror or exc}", transient=True)
    early = pipeline.screen(rel, raw)
    if early is not None:
        return early  # decided without parsing: nothing a time limit could catch
    limit = pipeline.settings.file_timeout
    pipeline.warm(language_of(rel))
    try:
        with time_limit(limit):
            result = pipeline.examine(rel, raw, fix)
    except FileTimeout:
        return FileResult(rel, FileStatus.FAILED,
                          f"took longer than {limit:g} s to analyse; not migrated (see --file-timeout)", transient=True)
    if result.status is FileStatus.CHANGED:
        result.original = raw
    return result


def _guided(work: list, jobs: int):
    """`work` in batches of a fraction of what is left (guided scheduling):
    large while there is much, BATCH files at the end, so the workers finish
    together."""
    at = 0
    while at < len(work):
        size = max(BATCH, min(MAX_BATCH, (len(work) - at) // (2 * jobs)))
        yield work[at:at + size]
        at += size


def _relative(path: str, cwd: str) -> str:
    """`path` (absolute) relative to `cwd`, POSIX-style."""
    if path.startswith(cwd + os.sep):  # the common case, without pathlib's cost
        return path[len(cwd) + 1:].replace(os.sep, "/")
    return Path(os.path.relpath(path, cwd)).as_posix()


# -- the run ----------------------------------------------------------------------------
def _gather(found, settings: Settings, mode: str, cwd: str, cache: ResultCache | None):
    """What the cache already knows of the files found:
    (the result so far, stamps of the files to analyse, work)."""
    result = RunResult(mode=mode)
    result.errors.extend(f"{p}: {why}" for p, why in found.errors)
    for p, why in found.skipped:
        result.files.append(FileResult(_relative(str(p), cwd), FileStatus.SKIPPED, why))

    fix = mode != CHECK
    stamps: dict[str, list | None] = {}
    work = []
    # The loop a warm run spends its time in (20,000 files answered from the
    # cache): the relative path by slicing, one dict look-up per file.
    base = cwd + os.sep
    cut = len(base)
    posix = os.sep == "/"
    unsafe = settings.unsafe_fixes
    for abs_path in found.paths:
        if abs_path.startswith(base):
            rel = abs_path[cut:] if posix else abs_path[cut:].replace(os.sep, "/")
        else:
            rel = _relative(abs_path, cwd)
        stamp = found.stamps.get(abs_path)
        if cache is not None:
            hit = cache.get(rel, stamp, fix, unsafe)
            if hit is not None:
                result.files.append(hit)
                continue
            stamps[rel] = stamp
        work.append((abs_path, rel, stamp[1] if stamp else -1))
    return result, stamps, work


class _Stream:
    """A run that knows no file yet (cold cache) hands the files to the
    workers folder by folder while discovery walks on, once there are enough
    of them for workers to pay: the walk (a tenth of a second for 20,000
    files) and the workers' start-up then overlap. A small tree never starts
    a worker."""

    def __init__(self, cwd: str, jobs: int, spec: Spec, settings: Settings, fix: bool, collect: bool) -> None:
        self.base, self.jobs, self.spec, self.settings, self.fix = cwd + os.sep, jobs, spec, settings, fix
        self.collect = collect
        self.size = BATCH
        self.pending: list[tuple[str, str, int]] = []
        self.sent: set[str] = set()
        self.pool = None

    def take(self, paths: list[str], stamps: dict) -> None:
        base, cut = self.base, len(self.base)
        for p in paths:
            if p.startswith(base):  # others (outside the working folder) wait for the end of the walk
                stamp = stamps.get(p)
                self.pending.append((p, p[cut:], stamp[1] if stamp else -1))
        if self.pool is None and len(self.pending) >= POOL_THRESHOLD:
            self.pool = _pool(self.jobs, self.spec, self.settings, self.collect,
                              (language_of(rel) for _, rel, _ in self.pending))
        if self.pool is not None:
            # The walk's end is unknown: batches grow from the first.
            while len(self.pending) >= self.size:
                self._send(self.pending[:self.size])
                del self.pending[:self.size]
                self.size = min(2 * self.size, MAX_BATCH)

    def _send(self, batch) -> None:
        self.pool.submit(_process_batch, batch, self.fix)
        self.sent.update(p for p, _, _ in batch)


def run(
    paths: Iterable[Path],
    spec: Spec,
    settings: Settings,
    mode: RunMode,
    jobs: int | None = None,
    allow_dirty: bool = False,
    on_progress: Callable[[int, int], None] | None = None,
    replay: Replay | None = None,
) -> RunResult:
    """With `replay` (check only), the output of the last run when none of its
    inputs has changed (RunResult.replayed), and nothing else is done."""
    cwd = os.getcwd()
    fix = mode != CHECK
    jobs = max(1, jobs or os.cpu_count() or 1)
    collect = gc.isenabled()  # before the pauses below: what the workers run with
    cache = ResultCache(cwd, spec.digest, settings) if settings.cache else None
    stream = pool = None
    if jobs > 1 and os.sep == "/" and (cache is None or not cache.exists()) and (replay is None or not replay.exists()):
        stream = _Stream(cwd, jobs, spec, settings, fix, collect)  # nothing known of any file, nothing to replay
    memo = IgnoreMemo(os.path.join(cache.folder, IGNORE_MEMO)) if cache is not None else None
    try:
        with collector_paused():
            found = discover(list(paths), settings.include, settings.exclude,
                             on_files=stream.take if stream is not None else None, ignore_memo=memo)
            if memo is not None:
                memo.save(lambda path, text: store(cache.folder, path, text))
            if replay is not None and stream is None:
                stored = replay.stored(found, spec)
                if stored is not None:
                    return RunResult(mode=mode, replayed=stored)
            result, stamps, work = _gather(found, settings, mode, cwd, cache)
        if replay is not None and stream is not None:
            replay.note(found, spec)  # the key the output is saved under
        total = len(work)
        done = 0

        def progressed(n: int) -> None:
            nonlocal done
            done += n
            if on_progress:
                on_progress(done, total)

        def record(results: list[FileResult]) -> None:
            # Into the cache as they come: while the workers still run, the
            # main process has a core's share to spare; after them it would
            # be a tail that only one core works on.
            result.files.extend(results)
            if cache is not None and stamps:
                for r in results:
                    stamp = stamps.get(r.path)
                    if stamp is not None:
                        cache.put(r.path, stamp, r)

        # Imported here: a replayed run (above) needs none of it.
        from nooble_codemod.engine.pipeline import Pipeline
        from nooble_codemod.rules import select_rules
        from nooble_codemod.engine.scaffolding import scaffold_files

        pipeline = Pipeline(spec, settings)  # cheap: rules are imported on first use, often never (warm cache)
        infos: tuple[RuleInfo, ...] | None = None
        pool = stream.pool if stream is not None else None
        if pool is None and jobs > 1 and total >= POOL_THRESHOLD:
            pool = _pool(jobs, spec, settings, collect, (language_of(rel) for _, rel, _ in work[:POOL_THRESHOLD]))
        if pool is None:
            for at in range(0, len(work), BATCH):
                with collected_at_end():  # as in a worker
                    batch = work[at:at + BATCH]
                    record([_process_one(pipeline, abs_path, rel, size, fix) for abs_path, rel, size in batch])
                    progressed(len(batch))
        else:
            # What arrives lives to the end of the run (results, cache
            # entries): collections found nothing to free, and walked it all
            # again and again (0.11-0.13 s of the main process's CPU on the
            # bench tree, beside the workers).
            with collector_paused():
                rest = [w for w in work if w[0] not in stream.sent] if stream is not None else work
                for batch in _guided(rest, jobs):
                    pool.submit(_process_batch, batch, fix)
                # The reports need which checklist items the rules cover. A worker,
                # with its rules imported by now, says so last: importing them here
                # (LibCST alone is a fifth of a second) took CPU from the workers.
                covered = pool.submit(_rule_infos)
                for task, value in pool.completed():
                    if task == covered:
                        infos = value
                    else:
                        results = _unpacked(value)
                        record(results)
                        progressed(len(results))
    finally:
        pool = pool or (stream.pool if stream is not None else None)
        if pool is not None:
            pool.close()

    if cache is not None:
        if cache.dirty and (cache.rules is None or infos is not None):
            # Files were analysed: record what the reports need of the rules,
            # for the runs that analyse nothing. The cache file's key covers
            # the version and the settings that select rules.
            cache.remember_rules(infos if infos is not None else select_rules(settings))
        cache.save()
        result.rules = cache.rules
    elif infos is not None:
        result.rules = infos
    result.files.extend(scaffold_files(found.paths, pipeline, fix, lambda p: _relative(p, cwd)))
    with collector_paused():
        result.files.sort(key=attrgetter("path"))  # already nearly sorted: the key is the cost
    if mode == APPLY:
        _write(result, Path(cwd), allow_dirty)
    return result


def _write(result: RunResult, cwd: Path, allow_dirty: bool) -> None:
    changed = result.by_status(FileStatus.CHANGED)
    if not changed:
        return
    if not allow_dirty:
        # A created file replaces nothing: only files that exist can hold uncommitted work.
        from nooble_codemod.fs.gitstate import dirty_files  # here: subprocess is an import a check never needs

        dirty = dirty_files([cwd / r.path for r in changed if not r.created])
        if dirty:
            result.refused_dirty = [_relative(str(p.absolute()), str(cwd)) for p in dirty]
            result.errors.append(
                f"refusing to write: {len(dirty)} file(s) to migrate have uncommitted changes "
                f"({', '.join(result.refused_dirty[:5])}{', …' if len(dirty) > 5 else ''}); "
                "commit or stash them first, or pass --allow-dirty"
            )
            for r in changed:
                _not_written(r)
            return
    from concurrent.futures import ThreadPoolExecutor

    # Each write is atomic on its own; most of its time is fsync, which lets
    # other threads run, so a few at once take a fraction of the time.
    with ThreadPoolExecutor(max_workers=WRITERS) as writers:
        problems = list(writers.map(lambda r: _write_one(cwd, r), changed))
    for r, problem in zip(changed, problems):
        if problem is None:
            result.written.append(r.path)
        else:
            _not_written(r, problem)


def _write_one(cwd: Path, r: FileResult) -> str | None:
    """Write one migrated file; None, or why it was not written."""
    from nooble_codemod.fs.writer import StaleFile, create_exclusively, write_atomically  # apply only (tempfile)

    try:
        if r.created:
            create_exclusively(cwd / r.path, r.new)
        else:
            write_atomically(cwd / r.path, r.new, r.original)
        return None
    except FileExistsError:
        return "a file appeared at this path during the run; not overwritten"
    except StaleFile as exc:
        return str(exc)
    except OSError as exc:
        return f"cannot write: {exc.strerror or exc}"


def _not_written(r: FileResult, reason: str | None = None) -> None:
    # The fixes never reached the disk: what they would have fixed is still
    # there, and the report must say so rather than count it as done.
    r.findings = sorted(r.fixed + r.findings, key=Finding.sort_key)
    r.fixed = []
    if reason is not None:
        r.status, r.reason = FileStatus.FAILED, reason
