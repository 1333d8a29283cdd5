"""Stage 6, verify: the place for checks of the changes as a whole before
anything is written (for instance type-checking the code before and after,
and dropping the edits that break it).

There are no such checks yet: the changes go on unchanged.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from nooble_codemod.engine.stages.execution import Outcome


def verify(outcome: Outcome) -> Outcome:
    return outcome
