"""What a run is asked to do: the input of its first stage (engine/run.py).

The stages' records (this one, Plan, Outcome) are NamedTuples, not
dataclasses: a warm `check` imports them all, and making a dataclass costs
its start-up far more (as model.RuleInfo).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Mapping, NamedTuple, Sequence

from nooble_codemod.model import RunMode

if TYPE_CHECKING:
    from nooble_codemod.model import RunResult
    from nooble_codemod.engine.part import Part
    from nooble_codemod.settings import Settings
    from nooble_codemod.spec.loader import Spec


class RunRequest(NamedTuple):
    paths: Sequence[Path]
    spec: Spec
    settings: Settings
    mode: RunMode
    # Worker processes; None: one per core. 1 analyses in this process.
    jobs: int | None = None
    # APPLY writes even into files with uncommitted changes.
    allow_dirty: bool = False
    # What the command's output depends on besides the run's inputs, when
    # that output may be replayed (stages/planning.py); None when it may not.
    output_key: tuple | None = None
    # The working folder: report paths are relative to it, the caches live
    # in it. None: the process's, when the run starts (started).
    cwd: str | None = None
    # Type-check the tree before and after the edits, and drop the edit
    # groups that bring new errors (stages/verification.py).
    verify: bool = False
    # Asked, once the edits are known and verified and before anything is
    # written, which edit groups not to apply: {group: why} (stages/review.py).
    # The command's to ask a person; None: every group is applied.
    review: Callable[[RunResult], Mapping[str, str]] | None = None
    # The files executed and reported (check --shard, --since: engine/part.py);
    # None: all. The project model reads every file whatever it is.
    part: Part | None = None
    # Put a to-do comment above each site left for a human (stages/todos.py).
    todo_comments: bool = False

    def started(self) -> RunRequest:
        """This request with its working folder known."""
        return self if self.cwd is not None else self._replace(cwd=os.getcwd())

    @property
    def workers(self) -> int:
        """How many processes analyse files (at least one)."""
        return max(1, self.jobs or os.cpu_count() or 1)

    def relative(self, path: str) -> str:
        """`path` (absolute) relative to the working folder, POSIX-style."""
        cwd = self.cwd
        if path.startswith(cwd + os.sep):  # the common case, without pathlib's cost
            return path[len(cwd) + 1:].replace(os.sep, "/")
        return Path(os.path.relpath(path, cwd)).as_posix()
