"""What is done to the files to analyse, in a worker process or, for a small
run, in the main one: read each file and run it through the pipeline."""

from __future__ import annotations

import gc
import os
from typing import TYPE_CHECKING

from nooble_codemod.engine.gcpause import collected_at_end
from nooble_codemod.engine.timelimit import FileTimeout, time_limit
from nooble_codemod.languages import language_of
from nooble_codemod.model import FileResult, FileStatus, RuleInfo, not_done

if TYPE_CHECKING:
    from nooble_codemod.engine.pipeline import Pipeline
    from nooble_codemod.settings import Settings
    from nooble_codemod.spec.loader import Spec

# A file to analyse: (absolute path, report path, size from discovery's stat or -1).
Work = tuple[str, str, int]

# -- in a worker ---------------------------------------------------------------------
_PIPELINE: Pipeline | None = None


def init_worker(spec: Spec, settings: Settings, collect: bool, languages: tuple[str, ...] = ()) -> None:
    # The spec object itself, not its path: a forked worker has it already.
    from nooble_codemod.engine.pipeline import Pipeline

    # A worker forked while discovery has the cycle collector paused would
    # keep it paused and never free its parse trees: it takes the caller's setting.
    if collect:
        gc.enable()
    global _PIPELINE
    _PIPELINE = Pipeline(spec, settings)
    # The languages of the first files found: their rules, parsers and
    # prefilters, built before the other workers are forked from this one
    # (workers.py).
    for language in languages:
        _PIPELINE.warm(language)


def rule_infos() -> tuple[RuleInfo, ...]:
    """What the reports need of the selected rules, which a worker has imported."""
    from nooble_codemod.rules import rule_infos as infos

    assert _PIPELINE is not None
    return infos(_PIPELINE.settings, _PIPELINE.spec)


def process_batch(batch: list[Work], fix: bool, project: dict | None = None) -> list[FileResult | str]:
    """The batch's results, a plain unchanged file's as its path alone: most
    files are, and pickling a dataclass each way costs both sides.
    `project`: the project model's decisions for the batch's files."""
    assert _PIPELINE is not None
    project = project or {}
    with collected_at_end():
        results = [process_one(_PIPELINE, abs_path, rel, size, fix, project.get(rel))
                   for abs_path, rel, size in batch]
    return [(r.path if not r.evidence else (r.path, r.evidence)) if r.plain else r for r in results]


def unpacked(results: list[FileResult | str]) -> list[FileResult]:
    """process_batch's results as FileResults again."""
    unchanged = FileStatus.UNCHANGED
    return [FileResult(r, unchanged) if type(r) is str else FileResult(r[0], unchanged, evidence=r[1])
            if type(r) is tuple else r for r in results]


# -- one file ------------------------------------------------------------------------
_READ_FLAGS = os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0)


def read(path: str, size: int) -> bytes:
    """The file's bytes. `size` (from discovery's stat; -1 if unknown) sizes
    the first read: three system calls (open, read, close) and no file
    object, where most files of a run are small. The file may have changed
    since: read on until the end."""
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


def process_one(pipeline: Pipeline, abs_path: str, rel: str, size: int, fix: bool, project=None) -> FileResult:
    try:
        raw = read(abs_path, size)
    except OSError as exc:
        return FileResult(rel, FileStatus.FAILED, f"cannot read: {exc.strerror or exc}", transient=True)
    mask = pipeline.evidence.scan(rel, raw)
    early = pipeline.screen(rel, raw)
    if early is not None:
        early.evidence = mask
        return early  # decided without parsing: nothing a time limit could catch
    limit = pipeline.settings.file_timeout
    pipeline.warm(language_of(rel))
    try:
        with time_limit(limit):
            result = pipeline.examine(rel, raw, fix, project)
    except FileTimeout:
        return FileResult(rel, FileStatus.FAILED,
                          f"took longer than {limit:g} s to analyse; {not_done(fix)} (see --file-timeout)",
                          transient=True)
    except RecursionError:
        return FileResult(rel, FileStatus.FAILED, f"nested too deeply to analyse; {not_done(fix)}")
    except Exception as exc:  # a bug of ours must cost one file, not the run and its report
        return FileResult(rel, FileStatus.FAILED,
                          f"internal error while analysing ({type(exc).__name__}: {exc}); {not_done(fix)} "
                          "(please report it with this file)", transient=True)
    if result.status is FileStatus.CHANGED:
        result.original = raw
    result.evidence = mask
    return result
