"""Stage 3, project: the project model, built before the rules run, from
every Python file of the run that names a migrated name (project/).

Its decisions go to each file's rules; a result the cache kept for a file
stands only while the file's decisions are the same (FileResult.project_key).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from nooble_codemod.languages import language_of
from nooble_codemod.model import FileStatus

if TYPE_CHECKING:
    from nooble_codemod.engine.stages.execution import Outcome
    from nooble_codemod.engine.stages.planning import Plan

# How many times settle drops groups and executes their files again.
_ROUNDS = 3


def project(plan: Plan) -> Plan:
    from nooble_codemod.engine.tasks import read
    from nooble_codemod.fs.source import DecodeError, SourceText
    from nooble_codemod.project import decisions

    request = plan.request
    renames = decisions.renames_of(request.spec, request.settings)
    names = sorted(renames.old)
    if not names:
        return plan._replace(project={})
    words = [n.encode() for n in names]
    python = {}  # every Python file of the run: a module a name may lead to
    sources, unread = {}, {}
    for abs_path in plan.found.paths:
        rel = request.relative(abs_path)
        if language_of(rel) != "python":
            continue
        python[rel] = abs_path
        try:
            raw = read(abs_path, -1)
        except OSError:
            continue  # execute says so
        held = {n for n, w in zip(names, words) if w in raw}
        if held:
            try:
                sources[rel] = SourceText.decode(raw, python=True)
            except DecodeError:
                unread[rel] = held

    def load(rel: str):
        try:
            return SourceText.decode(read(python[rel], -1), python=True)
        except (OSError, DecodeError):
            return None

    model = decisions.model(sources, renames, unread, python, load) if sources or unread else {}
    # A cached result made with other decisions is analysed again.
    known, work, stamps = [], list(plan.work), dict(plan.stamps)
    for r in plan.known:
        d = model.get(r.path)
        if d is not None and r.status is not FileStatus.SKIPPED and r.project_key != d.key:
            stamp = plan.found.stamps.get(python[r.path])
            stamps[r.path] = stamp
            work.append((python[r.path], r.path, stamp[1] if stamp else -1))
        else:
            known.append(r)
    return plan._replace(known=known, work=work, stamps=stamps, project=model)


def settle(outcome: Outcome) -> Outcome:
    """A group is applied whole or not at all: one with a site left unchanged
    (a file that failed, a fix held back or overlapped, a parameter its own
    scope could not rename) is dropped in every file, which runs again."""
    if not outcome.request.mode.fixes or not outcome.project:
        return outcome
    from nooble_codemod.engine.redo import rerun

    dropped: dict[str, str] = {}
    for _ in range(_ROUNDS):
        missing = _incomplete(outcome, dropped)
        if not missing:
            break
        dropped.update(missing)
        outcome = rerun(outcome, dropped)
    return outcome


def _incomplete(outcome: Outcome, dropped: dict) -> dict[str, str]:
    from collections import Counter

    by_path = {r.path: r for r in outcome.result.files}
    out: dict[str, str] = {}
    for path, d in sorted(outcome.project.items()):
        want = Counter(s.group for s in (*d.sites, *d.params.values()) if not s.blocked and s.group not in dropped)
        if not want:
            continue
        r = by_path.get(path)
        got = Counter(f.fix.group for f in (r.fixed if r is not None else ()) if f.fix and f.fix.group)
        for group, n in sorted(want.items()):
            if got[group] < n and group not in out:
                why = (r.reason if r is not None and r.status is FileStatus.FAILED and r.reason
                       else f"{n - got[group]} of its sites there could not be changed")
                out[group] = f"not every site of the group could be changed ({path}: {why}); decide by hand"
    return out
