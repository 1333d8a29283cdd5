"""Cache key namespaces and method families as edit groups (guide §3.4, BE-5).

A namespace is one group: every string of the run that is a key of it
(keysites.py), renamed together; one place that may or may not be a key
blocks it, and every site is reported. Its strings that are data (a
response's dict key) are no part of it: left as is, and reported.

A family is the methods a rename names (`get_tenant_info`,
`set_tenant_info`, … of one `[[identifier_renames]]` family): every
declaration and every use of each, across the run, is one group. A use
through a receiver of unknown type, a string naming a method, a method that
may override one of a base outside the run, or a class or module that
already has the new name blocks the whole family. Under a strategy that
keeps the methods as aliases, the group is the declarations
(py-method-alias), blocked by a new name already beside an old one that
does not delegate to it.
"""

from __future__ import annotations

from nooble_codemod.project.group import NEUTRAL_BASES, Group
from nooble_codemod.project.index import EXTERNAL, Callable_, ClassKey

_LISTED = 12  # sites a blocked group's report lists before "and N more"


def key_groups(files, renames, line_of) -> list[Group]:
    out = []
    for ns, rename in sorted(renames.keys.items()):
        g = Group(f"cachekey:{ns}", "key", ns, rename.new, rename.checklist, f"the cache key namespace '{ns}'")
        for path, f in sorted(files.items()):
            for k in f.keys:
                if k.name != ns:
                    continue
                if k.kind == "data":
                    g.data.append((path, k.pos, k.line, k.why))
                    continue
                g.sites.append((path, k.pos, k.line, k.text))
                if k.kind == "unsure":
                    g.block(f"`{k.text}` at {path}:{k.line}: {k.why}")
        if g.sites or g.data:
            out.append(g)
    return out


def method_groups(index, files, renames) -> list[Group]:
    neutral = NEUTRAL_BASES | renames.model_bases
    families: dict[tuple, list[str]] = {}
    for old, r in sorted(renames.methods.items()):
        families.setdefault((r.old, r.new, r.checklist, r.scope), []).append(old)
    members = renames.method_names
    out = []
    for (stem, new_stem, checklist, scope), names in sorted(families.items()):
        g = Group(f"methods:{stem}", "method", stem, new_stem, checklist, "", aliased=stem in renames.aliased)
        declared: set[tuple[str, str]] = set()
        for path, f in sorted(files.items()):
            for d in f.defs:
                if not d.listed and scope == "family" and d.name.endswith("_" + stem):
                    _unlisted(g, path, d, stem, new_stem)
                elif d.name in names:
                    g.names[(path, d.pos)] = (d.name, members[d.name])
                    _declaration(index, g, path, f, d, members[d.name], g.aliased, neutral, declared)
        if not g.aliased:
            for path, f in sorted(files.items()):
                for u in f.uses:
                    if u.name in names:
                        g.names[(path, u.pos)] = (u.name, members[u.name])
                        _use(index, g, path, u, declared)
        if g.declarations:
            seen = sorted({old for old, _ in g.names.values()})
            g.label = f"the {stem} family [{', '.join(seen)}]" if scope == "family" else f"'{stem}'"
            out.append(g)
    return out


def _declaration(index, g: Group, path: str, f, d, new: str, aliased: bool, neutral, declared: set) -> None:
    qual = f"{d.owner}.{d.name}" if d.owner else d.name
    where = f"{path}:{d.line}"
    if d.owner:
        key = ClassKey(path, d.owner)
        scope = [key] if aliased else index.mro(key)[0] + index.descendants(key)
        beside = next((k.qual for k in scope if new in index.klass(k).methods), None)
    else:
        beside = path if any(new in names for names in (f.functions, f.classes, f.variables, f.imports)) else None
    if aliased:
        if beside is not None and d.delegates:
            return  # an alias already
        if beside is not None:
            g.block(f"{qual} at {where} has '{new}' beside it and does not delegate to it: merge the two by hand")
        g.declarations.append((path, d.pos, d.line))
        return
    declared.add((path, qual))
    g.declarations.append((path, d.pos, d.line))
    if beside is not None:
        g.block(f"{beside} already has '{new}' ({qual} at {where}): merge the two by hand")
    if d.owner:
        outside = [b for b in index.mro(ClassKey(path, d.owner))[1] if b.rsplit(".", 1)[-1] not in neutral]
        if outside and not d.name.startswith("__"):
            g.block(f"{qual} at {where} may override a method of {', '.join(outside)}, which the run does not declare")


def _unlisted(g: Group, path: str, d, stem: str, new_stem: str) -> None:
    """A def named for the family with a verb the spec does not list: the family waits for a human."""
    verb = d.name[:-len(stem) - 1]
    qual = f"{d.owner}.{d.name}" if d.owner else d.name
    g.names[(path, d.pos)] = (d.name, f"{verb}_{new_stem}")
    g.sites.append((path, d.pos, d.line, d.name))
    g.block(f"{qual} at {path}:{d.line} is named for {stem}, but '{verb}' is not among the family's verbs: "
            "add it to the spec's `verbs`, or rename it by hand with the rest")


def _use(index, g: Group, path: str, u, declared: set) -> None:
    where = f"`{u.text}` at {path}:{u.line}"
    if u.kind == "string":
        g.sites.append((path, u.pos, u.line, u.text))
        g.block(f"{where} names the method in a string: decide by hand")
        return
    r = index.callee(path, u.target)
    if isinstance(r, Callable_):
        if (r.path, r.qual) in declared:
            g.sites.append((path, u.pos, u.line, u.text))
        return
    if r == EXTERNAL or isinstance(r, ClassKey):
        return  # an object outside the run: its method is not ours
    g.sites.append((path, u.pos, u.line, u.text))
    g.block(f"{where}: its receiver's type is unknown, so it may be this family's or another's")


def place(g: Group, out: dict, site_type) -> None:
    """The group's decisions in each file's FileDecisions (`keys` or `methods`)."""
    kind = "keys" if g.kind == "key" else "methods"
    for path, pos, _, why in g.data:
        getattr(out[path], kind).append(site_type(pos[0], pos[1], g.old, g.new, g.id, g.checklist, "data", why,
                                                  g.label))
    sites = sorted({(p, pos, line) for p, pos, line in g.declarations}
                   | {(p, pos, line) for p, pos, line, _ in g.sites})
    if not sites:
        return
    reasons = "; ".join(r for r in g.blocked if r).rstrip(".")  # a reason may end its own sentence
    listed = ", ".join(f"{p}:{line}" for p, _, line in sites[:_LISTED])
    if len(sites) > _LISTED:
        listed += f" and {len(sites) - _LISTED} more"
    first = sites[0]
    declared = {(p, pos) for p, pos, _ in g.declarations}
    verb = f"turned into its {g.new} methods with aliases" if g.aliased else f"renamed to '{g.new}'"
    for p, pos, line in sites:
        old, new = g.names.get((p, pos), (g.old, g.new))
        text = ""
        if g.blocked:
            text = (f"{g.label} is not {verb} (edit group {g.id}): {reasons}. "
                    f"Its {len(sites)} site{'s' if len(sites) != 1 else ''}, one decision: {listed}"
                    if (p, pos) == first[:2] else
                    f"'{old}' belongs to edit group {g.id} ({g.label}), not changed: see {first[0]}:{first[2]}")
        role = "key" if g.kind == "key" else ("use" if (p, pos) not in declared else
                                              "alias" if g.aliased else "declaration")
        getattr(out[p], kind).append(site_type(pos[0], pos[1], old, new, g.id, g.checklist, role, text, g.label))
