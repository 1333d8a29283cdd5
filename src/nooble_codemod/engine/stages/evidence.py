"""Stage 8, evidence: for each checklist item the run did nothing for and
found nothing of, where its code or its V6 shape stands (engine/evidence.py),
so the report says "already V6" or "not applicable" from something found."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from nooble_codemod.engine.stages.execution import Outcome


def evidence(outcome: Outcome) -> Outcome:
    from nooble_codemod.engine.evidence import gather

    result, request = outcome.result, outcome.request
    named = {f.checklist for r in result.files for f in (*r.findings, *r.fixed)}
    pending = [cid for cid in request.spec.checklist if cid not in named]
    # The report's lines are the migrated files' (a dry run's too): their new text where they change.
    migrated = {r.path: r.new for r in result.files if r.new is not None}
    result.evidence = gather(request.spec, [(r.path, r.evidence) for r in result.files if r.evidence], pending,
                             lambda rel: migrated[rel] if rel in migrated else _read(os.path.join(request.cwd, rel)))
    return outcome


def _read(path: str) -> bytes:
    with open(path, "rb") as fh:
        return fh.read()
