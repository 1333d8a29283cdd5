"""A run over many files, as a sequence of stages (engine/stages/).

Rules and the per-file pipeline know nothing of this; a command builds a
RunRequest, calls `run()` and reports the RunResult (model.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from nooble_codemod.engine import stages
from nooble_codemod.engine.dispatch import Workers
from nooble_codemod.engine.request import RunRequest
from nooble_codemod.model import RunResult

if TYPE_CHECKING:
    from nooble_codemod.engine.stages.execution import Progress

__all__ = ["RunRequest", "run"]


def run(request: RunRequest, on_progress: Progress | None = None) -> RunResult:
    request = request.started()
    memory = stages.recall(request)
    # The workers may start during the walk (a cold run); they end with execute.
    with Workers(request, early=memory.empty) as workers:
        found = stages.discover(request, on_files=workers.on_files)
        planned = stages.plan(request, memory, found)
        if planned.replayed is not None:
            return RunResult(request.mode, replayed=planned.replayed)
        planned = stages.project(planned, workers)
        executed = stages.execute(planned, workers, on_progress)
    scaffolded = stages.scaffold(stages.settle(executed))
    verified = stages.review(stages.verify(scaffolded))
    return stages.write(stages.evidence(stages.todos(stages.references(verified))))
