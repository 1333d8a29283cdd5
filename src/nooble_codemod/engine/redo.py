"""Running files again without some edit groups.

A stage that finds an edit group must not be applied (it breaks a type
checker, or it could not be applied whole) names it with a reason; `rerun`
executes again, in this process, only the files that group touches, and the
group's findings are then reported for a human with that reason. Why a group
is dropped is the caller's business.
"""

from __future__ import annotations

import os
from dataclasses import replace
from typing import TYPE_CHECKING, Mapping

from nooble_codemod.model import FileResult, FileStatus, group_of

if TYPE_CHECKING:
    from nooble_codemod.engine.stages.execution import Outcome


def touches(result: FileResult, groups) -> bool:
    return any(group_of(f) in groups for f in (*result.fixed, *result.findings) if f.fix is not None)


def rerun(outcome: Outcome, dropped: Mapping[str, str]) -> Outcome:
    """The outcome with every file touched by a dropped group executed again
    without the dropped groups (all of them, so a file rerun twice loses both)."""
    if not dropped:
        return outcome
    result, pipeline, request = outcome.result, outcome.pipeline, outcome.request
    files, again = [], False
    for r in result.files:
        if touches(r, dropped):
            r, again = _again(r, pipeline, request, dropped, outcome.project), True
        files.append(r)
    if again:
        # What the scaffold stage placed into a file executed again, but the dropped groups.
        from nooble_codemod.engine.stages.placement import place

        files = place(files, outcome.paths, pipeline, request.mode.fixes, request.relative, dropped)
    return outcome._replace(result=replace(result, files=files))


def _again(r: FileResult, pipeline, request, dropped: Mapping[str, str], outcome_project: dict) -> FileResult:
    if r.created:
        # A scaffold is one fix: dropped, the file is not created.
        return FileResult(r.path, FileStatus.UNCHANGED,
                          findings=[replace(f, fix=None, message=f"{f.message} — not changed: {dropped[group_of(f)]}")
                                    if f.fix is not None and group_of(f) in dropped else f
                                    for f in (*r.fixed, *r.findings)])
    raw = r.original
    if raw is None:
        with open(os.path.join(request.cwd, r.path), "rb") as fh:
            raw = fh.read()
    again = pipeline.process(r.path, raw, request.mode.fixes, outcome_project.get(r.path), dropped)
    again.evidence = r.evidence
    if again.status is FileStatus.CHANGED:
        again.original = raw
    return again
