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

    from nooble_codemod.fs.writer import remove_stale_temps

    for folder in sorted({(cwd / r.path).parent for r in changed}):
        remove_stale_temps(folder)  # a killed run's; every file it left is whole, old or new
    # Each write is atomic on its own; most of its time is fsync, which lets
    # other threads run, so a few at once take a fraction of the time.
    writers = ThreadPoolExecutor(max_workers=WRITERS)
    try:
        problems = list(writers.map(lambda r: _write_one(cwd, r), changed))
    except KeyboardInterrupt:
        writers.shutdown(wait=True, cancel_futures=True)  # the writes under way end; no new one starts
        written = sum(1 for r in changed if _holds(cwd / r.path, r.new))
        raise WriteInterrupted(written, len(changed)) from None
    finally:
        writers.shutdown(wait=True)
    for r, problem in zip(changed, problems):
        if problem is None:
            result.written.append(r.path)
        else:
            _not_written(r, problem)


class WriteInterrupted(KeyboardInterrupt):
    """Ctrl-C while writing: `written` of `total` files hold their new text
    (each file is whole, old or new)."""

    def __init__(self, written: int, total: int) -> None:
        super().__init__(written, total)
        self.written, self.total = written, total


def _holds(path: Path, data: bytes | None) -> bool:
    try:
        return data is not None and path.read_bytes() == data
    except OSError:
        return False


def _write_one(cwd: Path, r: FileResult) -> str | None:
    """Write one migrated file; None, or why it was not written."""
    from nooble_codemod.fs.writer import NotRewritable, StaleFile, create_exclusively, write_atomically

    try:
        if r.created:
            create_exclusively(cwd / r.path, r.new)
        else:
            write_atomically(cwd / r.path, r.new, r.original)
        return None
    except FileExistsError:
        return "a file appeared at this path during the run; not overwritten"
    except (StaleFile, NotRewritable) as exc:
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
