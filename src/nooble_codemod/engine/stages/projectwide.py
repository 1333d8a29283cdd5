"""Stage 3, project: the place for a pass over the whole project before the
rules run file by file (a model built from every file, which rules could
then consult).

There is no such pass yet: the plan goes on unchanged.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from nooble_codemod.engine.stages.planning import Plan


def project(plan: Plan) -> Plan:
    return plan
