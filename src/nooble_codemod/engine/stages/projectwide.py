"""Stage 3, project: the project model, built before the rules run, from
every Python file of the run that names a migrated name (project/).

Its decisions go to each file's rules; a result the cache kept for a file
stands only while the file's decisions are the same (FileResult.project_key).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from nooble_codemod.engine.gcpause import collected_at_end
from nooble_codemod.languages import language_of
from nooble_codemod.model import FileStatus

if TYPE_CHECKING:
    from nooble_codemod.engine.dispatch import Workers
    from nooble_codemod.engine.stages.execution import Outcome
    from nooble_codemod.engine.stages.planning import Plan

# How many times settle drops groups and executes their files again.
_ROUNDS = 3


def project(plan: Plan, workers: Workers | None = None) -> Plan:
    """The plan with the project model's decisions; `workers` (running on a
    cold run) are given the files the model needs not wait for meanwhile."""
    from nooble_codemod.project import decisions

    request = plan.request
    renames = decisions.renames_of(request.spec, request.settings)
    if not renames.words:
        return plan._replace(project={})
    reader = _Reader(plan, renames)
    named = [rel for rel in reader.python if reader.named(rel)]
    found, digests = _contracts(plan, reader)
    if workers is not None:
        # Files without an old name have no decision: to the workers now, not after the model.
        waiting = set(named) | found.files
        workers.send_now([w for w in workers.unsent(plan.work) if w[1] not in waiting])
    files, unread = {}, {}
    # CPython's ast trees make no cycles: the 800-odd collections their
    # allocations set off on the bench tree found none and took a fifth of the stage.
    with collected_at_end():
        for rel in named:
            kind, value = reader.facts(rel, only_if_named=True)
            if kind == "facts":
                files[rel] = value
            elif kind == "unread":
                unread[rel] = value
        model = decisions.model(files, renames, unread, reader.python, reader.lazily) if files or unread else {}
    if found.links:
        from nooble_codemod.project import contracts

        contracts.decide(found, model, files, request.spec, digests)
    python = {**reader.python, **reader.typescript}  # report path -> absolute path
    # A cached result made with other decisions is analysed again.
    known, work, stamps = [], list(plan.work), dict(plan.stamps)
    for r in plan.known:
        d = model.get(r.path)
        # A TS file a contract no longer reaches has no decisions now, but its result was made with some.
        stale = d is None and r.project_key and r.path in reader.typescript
        if (stale or d is not None and r.project_key != d.key) and r.status is not FileStatus.SKIPPED:
            stamp = plan.found.stamps.get(python[r.path])
            stamps[r.path] = stamp
            work.append((python[r.path], r.path, stamp[1] if stamp else -1))
        else:
            known.append(r)
    return plan._replace(known=known, work=work, stamps=stamps, project=model)


def _contracts(plan: Plan, reader: _Reader):
    """The HTTP contracts of the run (project/contracts.py): its routes and the
    TS calls reading them; with the digests of the files they link. A Python
    file's bytes come from the model's reader when it read them; whether a
    file may hold a route is kept in the result cache."""
    from nooble_codemod.engine.tasks import read
    from nooble_codemod.project import contracts

    spec, request = plan.request.spec, plan.request
    found = contracts.Found()
    if not (spec.contracts.route_decorators or spec.contracts.docstring_verbs):
        return found, {}
    paths = {"python": list(reader.python.items()), "typescript": list(reader.typescript.items())}
    texts: dict[str, dict[str, bytes]] = {"python": {}, "typescript": {}}
    from ahocorasick_rs import BytesAhoCorasick, MatchKind

    screen = BytesAhoCorasick(contracts.words(spec), matchkind=MatchKind.LeftmostLongest)
    cache, stamps = plan.cache, plan.found.stamps
    for lang in ("python", "typescript"):  # the front end is read only when the back end has a route
        for rel, abs_path in paths[lang] if lang == "python" or texts["python"] else ():
            stamp = stamps.get(abs_path)
            if lang == "python" and cache is not None and cache.screened(rel, stamp, "routes") is False:
                continue
            try:
                raw = reader.raw(rel) if lang == "python" else None
                raw = raw if raw is not None else read(abs_path, -1)
            except OSError:
                continue  # execute says so
            if lang == "typescript":
                texts[lang][rel] = raw
                continue
            held = bool(screen.find_matches_as_indexes(raw))
            if cache is not None:
                cache.put_screened(rel, stamp, "routes", held)
            if held:
                texts[lang][rel] = raw
    found = contracts.find(texts["python"], texts["typescript"], spec, request.settings)
    found.files = {link.route.path for link in found.links} | {p for ps in found.users.values() for p in ps} \
        | {p for ds in found.types.values() for p, _, _ in ds}
    digests = {p: contracts.digest(texts[language_of(p)][p]) for p in found.files}
    return found, digests


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
        want = Counter(s.group for s in (*d.sites, *d.params.values(), *d.keys, *d.methods)
                       if not s.blocked and s.group not in dropped)
        for c in d.contracts:  # a TS member following a model's rename: each of its sites a fix
            if c.group and c.group not in dropped:
                want[c.group] += c.count
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


class _Reader:
    """The Python files of the run as the model reads them, through the
    result cache: a file unchanged since a run kept its facts is not read."""

    def __init__(self, plan: Plan, renames) -> None:
        self.plan, self.renames, self.cache = plan, renames, plan.cache
        self.words = [(n, n.encode()) for n in sorted(renames.words)]
        from ahocorasick_rs import BytesAhoCorasick, MatchKind

        from nooble_codemod.project.dumps import DUMP_WORDS, may_splat

        self.may_splat = may_splat
        # Calls handing a framework a function it fills by name (`Depends(get_owner)`): the file says
        # which function, and need not name an old name.
        self.handing = [f"{m}(".encode() for m in sorted(renames.handing)] + [
            f"{m}[".encode() for m in sorted(renames.mappings)]
        # One scan of a file for all the words (most files hold none), not one `in` each; with the
        # words of an object's dict passed on by keyword, whose keys the text need not name.
        self._any = BytesAhoCorasick([w for _, w in self.words] + self.handing + list(DUMP_WORDS),
                                     matchkind=MatchKind.LeftmostLongest)
        self._named = len(self.words) + len(self.handing)  # the indexes below it are read without more
        self.python: dict[str, str] = {}  # report path -> absolute path, every Python file of the run
        self.typescript: dict[str, str] = {}  # the same, for TypeScript (HTTP contracts)
        self._raw: dict[str, bytes] = {}  # files read by `named`, until `facts` reads them
        for abs_path in plan.found.paths:
            rel = plan.request.relative(abs_path)
            if language_of(rel) == "python":
                self.python[rel] = abs_path
            elif language_of(rel) == "typescript":
                self.typescript[rel] = abs_path

    def named(self, rel: str) -> bool:
        """May the file name an old name, pass on an object's dict by keyword or
        hand a framework a function (what the cache kept, else its bytes)?"""
        stamp = self.plan.found.stamps.get(self.python[rel])
        kept = self.cache.facts(rel, stamp) if self.cache is not None else None
        if kept is not None and kept[0] != "facts":
            return kept[0] != "none"
        if kept is not None:
            return True  # read for its facts: the model takes it as it is
        from nooble_codemod.engine.tasks import read

        try:
            raw = read(self.python[rel], -1)
        except OSError:
            return False  # execute says so
        self._raw[rel] = raw
        found = self._any.find_matches_as_indexes(raw)
        held = any(i < self._named for i, _, _ in found) or (bool(found) and self.may_splat(raw))
        if not held and self.cache is not None:
            self.cache.put_facts(rel, stamp, ["none"])  # a later run need not read it for this
        return held

    def raw(self, rel: str) -> bytes | None:
        """The bytes `named` read of a Python file, if it read them."""
        return self._raw.get(rel)

    def facts(self, rel: str, only_if_named: bool) -> tuple[str, object]:
        """("facts", FileFacts), ("unread", the old names it holds) or ("none", None)."""
        from nooble_codemod.project import facts as facts_mod

        stamp = self.plan.found.stamps.get(self.python[rel])
        kept = self.cache.facts(rel, stamp) if self.cache is not None else None
        if kept is not None and (kept[0] != "none" or only_if_named):
            try:
                if kept[0] == "facts":
                    return "facts", facts_mod.from_json(kept[1])
                if kept[0] in ("none", "unread"):
                    return kept[0], set(kept[1]) if kept[0] == "unread" else None
            except (KeyError, TypeError, ValueError, IndexError):
                pass  # not what this version wrote: read the file
        kind, value = self._read(rel, only_if_named)
        if self.cache is not None and (kind != "none" or only_if_named):
            self.cache.put_facts(rel, stamp, [kind, facts_mod.to_json(value) if kind == "facts"
                                              else sorted(value) if kind == "unread" else None])
        return kind, value

    def _read(self, rel: str, only_if_named: bool) -> tuple[str, object]:
        from nooble_codemod.engine.tasks import read
        from nooble_codemod.fs.source import DecodeError, SourceText
        from nooble_codemod.project import decisions

        try:
            raw = self._raw.pop(rel) if rel in self._raw else read(self.python[rel], -1)
        except OSError:
            return "none", None  # execute says so
        held = {n for n, w in self.words if w in raw}
        if only_if_named and not held and not self.may_splat(raw) and not any(w in raw for w in self.handing):
            return "none", None
        try:
            source = SourceText.decode(raw, python=True)
        except DecodeError:
            return "unread", held
        facts = decisions.read(rel, source, self.renames)
        return ("facts", facts) if facts is not None else ("unread", held)

    def lazily(self, rel: str):
        """The facts of a file a name leads to (it may name no old name); None if unreadable."""
        kind, value = self.facts(rel, only_if_named=False)
        return value if kind == "facts" else None
