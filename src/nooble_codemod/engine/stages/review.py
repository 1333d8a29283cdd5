"""Stage 6b, review: the edit groups the command's review hook declines
(`apply --interactive` asks a person) are dropped and the files they touch
executed again (engine/redo.py), as verify's drops are, before anything is
written. The hook only decides; its reason is what the dropped groups'
findings report (model.SKIPPED_BY_USER).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from nooble_codemod.engine.redo import rerun
from nooble_codemod.model import Finding, group_of

if TYPE_CHECKING:
    from nooble_codemod.engine.stages.execution import Outcome

ROUNDS = 3
# A fix that another, overlapping one kept out applies once that one is dropped: nobody saw it.
UNSEEN = "not shown for review (it applies only once a skipped edit is left out); decide by hand"


def review(outcome: Outcome) -> Outcome:
    ask = outcome.request.review
    if ask is None or not outcome.request.mode.fixes:
        return outcome
    shown = {group_of(f) for f in _fixed(outcome)}
    dropped = dict(ask(outcome.result))
    # A fix of no named group is named after its line's text: when another
    # fix changed that line in an earlier round, the same site comes back
    # under a new name, and keeps the reason it was declined for.
    declined = {_site(f): dropped[group_of(f)] for f in _fixed(outcome) if group_of(f) in dropped}
    for _ in range(ROUNDS):
        if not dropped:
            break
        outcome = rerun(outcome, dropped)
        unseen = {group_of(f): declined.get(_site(f), UNSEEN) for f in _fixed(outcome) if group_of(f) not in shown}
        if not unseen:
            break
        dropped.update(sorted(unseen.items()))
    return outcome


def _fixed(outcome: Outcome):
    return (f for r in outcome.result.files for f in r.fixed)


def _site(f: Finding) -> tuple:
    return (f.path, f.line, f.rule, f.checklist, f.message)
