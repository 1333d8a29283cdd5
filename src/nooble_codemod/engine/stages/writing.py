"""Stage 7, write: the migrated files to disk, for APPLY only.

Each file is written atomically, and none into a git tree with uncommitted
changes in the files to migrate unless the run allows it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from nooble_codemod.model import FileResult, FileStatus, Finding, RunMode, RunResult

if TYPE_CHECKING:
    from nooble_codemod.engine.stages.execution import Outcome

WRITERS = 8


def write(outcome: Outcome) -> RunResult:
    request, result = outcome.request, outcome.result
    if request.mode is RunMode.APPLY:
        _write(result, Path(request.cwd), request.allow_dirty, request.relative)
    return result


def _write(result: RunResult, cwd: Path, allow_dirty: bool, relative) -> None:
    changed = result.by_status(FileStatus.CHANGED)
    if not changed:
        return
    if not allow_dirty:
        # A created file replaces nothing: only files that exist can hold uncommitted work.
        from nooble_codemod.fs.gitstate import GitUnavailable, dirty_files  # here: a check never needs subprocess

        try:
            dirty = dirty_files([cwd / r.path for r in changed if not r.created])
        except GitUnavailable as exc:
            result.errors.append(f"refusing to write: cannot tell whether the files to migrate have uncommitted "
                                 f"changes ({exc}); fix git's access, or pass --allow-dirty to write anyway")
            for r in changed:
                _not_written(r)
            return
        if dirty:
            result.refused_dirty = [relative(str(p.absolute())) for p in dirty]
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
