"""Each rename as one edit group: a symbol's declaration and every use of
it across the run, applied whole or not at all.

A field group is a class's field (with the classes that inherit it); a
parameter group is a function's parameter, or a method's in every class of
its override family. A use joins the group its receiver's type (or its
callee) ties it to. A group is blocked, with the reason, when a use might
belong to it but cannot be tied with certainty, when a class of it also
carries the new name (two fields, two meanings), or when it reaches code
outside the run (a base class the run does not declare). The Group itself,
and what the builders of other kinds share with these, is group.py's.
"""

from __future__ import annotations

import fnmatch

from nooble_codemod.project import families, values
from nooble_codemod.project.facts import FileFacts, Pos
from nooble_codemod.project.group import (KEYED_BASES, NEUTRAL_BASES, NEUTRAL_DECORATORS, Group, Renames,
                                          field_candidates, may_be)
from nooble_codemod.project.index import EXTERNAL, UNKNOWN, Callable_, ClassKey, Index, UnknownMethod


def _line(facts: FileFacts, pos: Pos, lines: dict) -> int:
    return lines[facts.path](pos[0])


def build(files: dict[str, FileFacts], renames: Renames, line_of, known=(), load=None) -> list[Group]:
    """The run's groups, each with its sites and, when it must not be done, why.
    `line_of(path, offset)` gives a 1-based line; `known`: every Python file
    of the run; `load(path)`: the facts of one of them not in `files`, read
    when a name leads there."""
    index = Index(files, known, load)
    groups: dict[str, Group] = {}
    by_class: dict[tuple[ClassKey, str], Group] = {}
    by_method: dict[tuple[str, str, str], Group] = {}  # (path, qual, old) of each def
    _field_groups(index, renames, groups, by_class, line_of)
    _param_groups(index, renames, groups, by_method, line_of)
    field_groups = {}
    for g in groups.values():
        if g.kind == "field":
            field_groups.setdefault(g.old, []).append(g)
    param_groups = {}
    for (path, qual, old), g in by_method.items():
        param_groups.setdefault((qual.rsplit(".", 1)[-1], old), []).append(g)
    renamed = frozenset(renames.all_fields) | frozenset(renames.params)
    ties: list[tuple[Group, Group, str]] = []
    for path, facts in sorted(files.items()):
        for s in facts.sites:
            if s.kind == "splat":
                ties += _splat(index, path, s, renames, by_class, by_method, field_groups, param_groups)
                continue
            if s.name not in renamed:
                continue  # a value map's name (values.py)
            where = f"`{s.text}` at {path}:{s.line}"
            if s.kind in ("attr", "getattr", "copykey", "string", "dumpkey"):
                if s.name not in renames.all_fields:
                    continue
                owner = index.type_of(path, s.target)
                candidates, certain = field_candidates(index, owner, s.name, by_class, field_groups)
                if not certain and s.also:
                    candidates = [g for g in candidates if may_be(index, g, s.also)]
                unknown, verb = "its receiver's type is unknown", "declare"
            else:  # kwarg, kwkey: the callee decides
                target = index.callee(path, s.target)
                candidates, certain = _call_candidates(index, target, s.target, s.name, renames, by_class,
                                                       by_method, field_groups, param_groups)
                unknown = ("its receiver's type is unknown" if isinstance(target, UnknownMethod)
                           else "what it calls cannot be told")
                verb = "take"
                captured = _captured(index, target, s.name, renames) if candidates else None
                if captured:
                    for g in {g.id: g for g in candidates}.values():
                        g.block(f"{where}: {captured}")
                        g.sites.append((path, s.pos, s.line, s.text))
                    continue
            if not candidates:
                continue  # not ours: an outside object's attribute, a keyword of an outside function
            unique = sorted({g.id: g for g in candidates}.values(), key=lambda g: g.id)
            if not certain:
                names = " and ".join(_named(g, unique) for g in unique)
                both = "both " if len(unique) == 2 else "each of " if len(unique) > 2 else ""
                for g in unique:
                    g.block(f"{where}: {unknown}, and {both}{names} "
                            f"{verb}{'s' if len(unique) == 1 else ''} {s.name}")
                    g.sites.append((path, s.pos, s.line, s.text))
                continue
            g = unique[0]
            g.sites.append((path, s.pos, s.line, s.text))
            if s.kind in ("kwarg", "kwkey") and isinstance(target, ClassKey) and index.method(target, "__init__") is None:
                g.constructions.append((path, s.pos, s.line))
            if s.kind in ("getattr", "string"):  # `@field_validator("tenant_id")` must follow the field
                g.block(f"{where} names the field in a string: decide by hand")
            elif s.kind == "dumpkey" and s.use == ("alias",):
                g.block(f"{where} reads the object's dict by alias, which the rename leaves: decide by hand")
            elif s.use[:1] == ("escapes",):
                how = ("is a module's, which any module may import and change" if s.use[1:] == ("module",)
                       else "is used otherwise too (or passed on twice)")
                g.block(f"{where}: the dict {how}, so renaming its key for the call changes it there as well; "
                        "decide by hand")
    _tie(ties, renames)
    for g in [*values.groups(index, renames, files, line_of), *families.key_groups(files, renames, line_of),
              *families.method_groups(index, files, renames)]:
        groups[g.id] = g
    return sorted(groups.values(), key=lambda g: g.id)


def _splat(index: Index, path: str, s, renames: Renames, by_class, by_method, field_groups,
           param_groups) -> list[tuple[Group, Group, str]]:
    """A dict made of an object passed on by keyword (`Out(**row.model_dump())`):
    its keys are the object's fields, so each field group of the object and the
    group of the keyword it reaches are one decision (the ties returned). A
    field whose key reaches nothing the run renames with it, or reaches it
    beside a keyword of its new name, or from an object of unknown type,
    blocks its group."""
    _, obj, given, alias, how, left_out = s.use
    owner = index.type_of(path, obj)
    into = s.target is not None and s.target[0] == "into"  # a copy's fields: `m.model_copy(update=…)`
    target = index.type_of(path, s.target[1]) if into else index.callee(path, s.target)
    what = "what it copies into" if into else "what it calls"
    where = f"`{s.text}` at {path}:{s.line}"
    ties = []
    for old in sorted(set(renames.all_fields) - set(left_out)):
        sources, certain = field_candidates(index, owner, old, by_class, field_groups)
        if not certain and how == "model":
            sources = [g for g in sources if g.models]  # only a model has model_dump()
        if not sources:
            continue
        sinks, sure = (field_candidates(index, target, old, by_class, field_groups) if into else
                       _call_candidates(index, target, s.target, old, renames, by_class, by_method, field_groups,
                                        param_groups))
        sources = sorted({g.id: g for g in sources}.values(), key=lambda g: g.id)
        sinks = sorted({g.id: g for g in sinks}.values(), key=lambda g: g.id)
        why = ""
        if not certain:
            names = " and ".join(_named(g, sources) for g in sources)
            why = f"the object's type is unknown, and {names} declare{'s' if len(sources) == 1 else ''} {old}"
        elif alias:
            why = "the dict is made by alias, which the rename leaves"
        elif not sinks and not sure and not isinstance(target, ClassKey):
            why = f"{what} cannot be told"
        elif not sinks and target == EXTERNAL:
            why = f"{what} is outside the run"
        elif not sinks:
            why = f"{what} takes no '{old}' renamed with {sources[0].label}"
        elif not sure:
            why = f"{what} cannot be told, and {' and '.join(_named(g, sinks) for g in sinks)} take {old}"
        for g in sources:
            if g.new in given:
                g.block(f"{where} passes {g.label}'s fields beside '{g.new}=': renamed, '{g.new}' is passed twice")
                g.sites.append((path, s.pos, s.line, s.text))
        if why:
            for g in [*sources, *sinks]:
                g.block(f"{where} passes the fields of an object on by keyword: {why}")
                g.sites.append((path, s.pos, s.line, s.text))
            continue
        ties += [(a, b, where) for a in sources for b in sinks if a is not b]
    return ties


def _tie(ties: list[tuple[Group, Group, str]], renames: Renames) -> None:
    """Tied groups (_splat) are one decision: one edit group (the first id),
    applied whole or not at all; blocked together, with why they are tied.
    Each keeps its own label, checklist and declarations."""
    parent: dict[str, Group] = {}

    def root(g: Group) -> Group:
        while parent.get(g.id, g) is not g:
            g = parent[g.id]
        return g

    links: dict[str, list[str]] = {}
    members: dict[str, Group] = {}
    for a, b, where in ties:
        kept = [g for g in (a, b) if g.kind == "field" and g.old not in renames.fields]
        if len(kept) == 2:
            continue  # the strategy keeps both fields: nothing of them is renamed
        if kept or a.new != b.new:
            differ = (f"the strategy keeps {kept[0].label} and renames the other" if kept
                      else f"they rename '{a.old}' to '{a.new}' and '{b.new}'")
            for g in (a, b):
                if g not in kept:
                    g.block(f"{where} passes the fields of {a.label} on to {b.label}, and {differ}: "
                            "decide both by hand")
            continue
        members[a.id], members[b.id] = a, b
        ra, rb = root(a), root(b)
        links.setdefault(a.id, []).append(f"{where} passes {a.label} on to {b.label}")
        if ra is not rb:
            first, second = sorted((ra, rb), key=lambda g: g.id)
            parent[second.id] = first
    components: dict[str, list[Group]] = {}
    for g in members.values():
        components.setdefault(root(g).id, []).append(g)
    for top, gs in sorted(components.items()):
        reasons = [r for g in gs for r in g.blocked if r]
        if reasons:
            why = "; ".join(sorted({w for g in gs for w in links.get(g.id, [])}))
            for g in gs:
                for r in reasons:
                    g.block(r)
                g.block(f"one decision with {', '.join(sorted(o.label for o in gs if o is not g))}: {why}")
        for g in gs:
            g.id = top


def _field_groups(index: Index, renames: Renames, groups, by_class, line_of) -> None:
    neutral = NEUTRAL_BASES | renames.model_bases
    for old, rename in sorted(renames.all_fields.items()):
        declaring = [k for k in index.classes() if old in index.klass(k).fields]
        if old in renames.scoped:  # renamed in the rows of its tables only
            declaring = [k for k in declaring if old in getattr(_row_of(index, renames, k), "renamed", {})]
        parent: dict[ClassKey, ClassKey] = {}

        def root(k: ClassKey) -> ClassKey:
            while parent.get(k, k) != k:
                k = parent[k]
            return k

        for k in declaring:
            parent.setdefault(k, k)
            for a in index.mro(k)[0][1:]:
                if a in parent:
                    parent[root(k)] = root(a)
        members: dict[ClassKey, list[ClassKey]] = {}
        for k in declaring:
            members.setdefault(root(k), []).append(k)
        for top, ks in sorted(members.items()):
            new, checklist = rename.new, rename.checklist_for("python")
            if old in renames.scoped:
                new, checklist = _row_of(index, renames, top).renamed[old]
            g = Group(f"field:{old}:{top.path}:{top.qual}", "field", old, new, checklist, f"{top.qual}.{old}")
            family = sorted(set(ks) | {d for k in ks for d in index.descendants(k)})
            g.classes = family
            g.models = all(any(b.rsplit(".", 1)[-1] in renames.model_bases for b in index.mro(k)[1]) for k in family)
            for k in family:
                by_class[(k, old)] = g
                c = index.klass(k)
                for pos in c.fields.get(old, []):
                    g.declarations.append((k.path, pos, line_of(k.path, pos[0])))
                declared = {f for a in index.mro(k)[0] for f in index.klass(a).fields}
                duplicate = renames.duplicate(k.qual.rsplit(".", 1)[-1], old, declared)
                carriers = [a for a in index.mro(k)[0] if new in index.klass(a).fields]
                if duplicate:
                    g.both = True  # two owner columns, whatever the strategy: a human merges them
                    g.block(f"{k.qual} has '{old}' and {duplicate[0]}: {duplicate[1]}")
                elif carriers:
                    g.both = True
                    g.block(f"{k.qual} has both '{old}' and '{new}'. {renames.both_text.get(old, '')}".strip())
                outside = [b for b in index.mro(k)[1] if b.rsplit(".", 1)[-1] not in neutral]
                keyed = [b for b in outside if b.rsplit(".", 1)[-1] in KEYED_BASES]
                if keyed:
                    g.block(f"{k.qual} is a {keyed[0]}: its keys are read as strings (`row[\"{old}\"]`), "
                            "which the run cannot follow")
                elif outside:
                    g.block(f"{k.qual} derives from {', '.join(outside)}, which the run does not declare: "
                            f"its code may read '{old}'")
            if old not in renames.fields:
                g.block("")  # the strategy keeps the field: only a class carrying both names is reported
            groups[g.id] = g


def _row_of(index: Index, renames: Renames, key: ClassKey):
    """The RowModel `key` mirrors (its name, and its fields with its ancestors'), or None."""
    fields = {f for a in index.mro(key)[0] for f in index.klass(a).fields}
    return renames.row(key.qual.rsplit(".", 1)[-1], fields)


def _param_groups(index: Index, renames: Renames, groups, by_method, line_of) -> None:
    neutral = NEUTRAL_BASES | renames.model_bases
    handed = _handed(index)
    for old, rename in sorted(renames.params.items()):
        for path, facts in sorted(index.files.items()):
            for qual, fn in facts.functions.items():
                if fn is not None and old in fn.params:
                    g = Group(f"param:{old}:{path}:{qual}", "param", old, rename.new, rename.checklist,
                              f"{qual}({old})")
                    g.declarations.append((path, fn.params[old], line_of(path, fn.params[old][0])))
                    _takes_kwargs(g, fn, rename.new)
                    _decorated(index, g, path, fn, renames)
                    _called_by_framework(g, handed.get((path, qual)))
                    groups[g.id] = by_method[(path, qual, old)] = g
        # Methods: one group per override family (the classes sharing the method through inheritance).
        done: set[tuple[ClassKey, str]] = set()
        for key in index.classes():
            for name, fn in sorted(index.klass(key).methods.items()):
                if fn is None or old not in fn.params or (key, name) in done:
                    continue
                family = _override_family(index, key, name)
                top = family[0]
                g = Group(f"param:{old}:{top.path}:{top.qual}.{name}", "param", old, rename.new, rename.checklist,
                          f"{top.qual}.{name}({old})")
                for k in family:
                    done.add((k, name))
                    m = index.klass(k).methods[name]
                    if m is None or old not in m.params:
                        g.block(f"{k.qual}.{name} overrides or is overridden by a method without '{old}': "
                                "their signatures must change together")
                        continue
                    g.declarations.append((k.path, m.params[old], line_of(k.path, m.params[old][0])))
                    _takes_kwargs(g, m, rename.new)
                    _decorated(index, g, k.path, m, renames)
                    _called_by_framework(g, handed.get((k.path, f"{k.qual}.{name}")))
                    by_method[(k.path, f"{k.qual}.{name}", old)] = g
                    outside = [b for b in index.mro(k)[1] if b.rsplit(".", 1)[-1] not in neutral]
                    if outside and not name.startswith("__"):
                        g.block(f"{k.qual}.{name} may override a method of {', '.join(outside)}, which the run "
                                "does not declare")
                groups[g.id] = g


def _named(g: Group, among: list[Group]) -> str:
    """A group's label in a message listing `among`, with the file that
    declares it when another of them has the same label (two `Auth.__init__`)."""
    if sum(o.label == g.label for o in among) > 1 and g.declarations:
        return f"`{g.label}` ({g.declarations[0][0]})"
    return f"`{g.label}`"


def _takes_kwargs(g: Group, fn, new: str) -> None:
    """A function taking **kwargs gets every keyword it does not name: a
    caller's `new=` goes there today, and would become the renamed parameter
    (`f(tenant_id=1, user_id=2)` a repeated keyword). Its callers that pass
    only the new name need not name the old one: the run cannot list them."""
    if fn.kwargs:
        g.block(f"{fn.qual} takes **kwargs: a caller's '{new}=' goes there today and would become the renamed "
                "parameter")


def _handed(index: Index) -> dict[tuple[str, str], str]:
    """(path, qual) of each function the run hands a framework to call
    (`Depends(get_owner)`; a class: its __init__; an object: its __call__;
    `service.get_owner`: that method of service's class) -> where, for messages."""
    out: dict[tuple[str, str], str] = {}
    for path, facts in sorted(list(index.files.items())):
        for name in sorted(facts.handed) if facts is not None else ():
            r = index.resolve(path, name)
            if isinstance(r, tuple) and r and r[0] == "type":  # a module variable, or its attribute
                _, t, where, rest = r
                owner = index.type_of(where, t)
                r = (index.method(owner, rest or "__call__") or UNKNOWN) if isinstance(owner, ClassKey) else r
            if isinstance(r, Callable_):
                out.setdefault((r.path, r.qual), f"{name} in {path}")
            elif isinstance(r, ClassKey):
                out.setdefault((r.path, f"{r.qual}.__init__"), f"{name} in {path}")
    return out


def _called_by_framework(g: Group, where: str | None) -> None:
    if where is not None:
        g.block(f"{where} is handed to the framework, which fills '{g.old}' from the request by name; "
                "rename both sides together, by hand")


def _decorated(index: Index, g: Group, path: str, fn, renames: Renames) -> None:
    """A decorator may read or pass a parameter by its name: a route's
    parameter is the API's (clients send it by name), a CLI command's is an
    option, a fixture's is another fixture. Only Python's own decorators, the
    spec's passing ones and the run's own not naming the old name keep it a
    keyword its callers alone decide. A test's parameters are fixtures, which
    the test runner passes by name."""
    files, functions = renames.tests
    name = fn.qual.rsplit(".", 1)[-1]
    if (any(fnmatch.fnmatchcase(path.rsplit("/", 1)[-1], f) for f in files)
            and any(fnmatch.fnmatchcase(name, f) for f in functions)):
        g.block(f"{fn.qual} is a test: its parameter '{g.old}' is the fixture of that name, passed by name")
    for param, marker in fn.markers:
        if param == g.old and marker in renames.markers:
            g.block(f"{fn.qual}'s parameter '{g.old}' is the request's ({marker}()), which clients send by name; "
                    "rename both sides together, by hand")
    for d in fn.decorators:
        last = d.rsplit(".", 1)[-1]
        if last in NEUTRAL_DECORATORS or last in renames.decorators:
            continue
        r = index.resolve(path, d) if d else UNKNOWN
        if isinstance(r, Callable_):
            if r.qual not in index.facts(r.path).holders:
                continue
            g.block(f"{fn.qual} is decorated by @{d}, which names '{g.old}': it may read the keyword by name")
        elif "." in d and last in renames.routes:
            g.block(f"{fn.qual} is a route (@{d}): its parameter '{g.old}' is the API's, which clients send by "
                    "name; rename both sides together, by hand")
        else:
            g.block(f"{fn.qual} is decorated by @{d or 'an expression'}, which the run does not declare: it may "
                    f"read or pass '{g.old}' by name (a CLI option, a fixture, a task's keyword)")


def _override_family(index: Index, key: ClassKey, name: str) -> list[ClassKey]:
    """Every class of the run defining method `name` that shares it with `key` by inheritance."""
    family: list[ClassKey] = []
    todo = [key]
    while todo:
        k = todo.pop()
        if k in family:
            continue
        family.append(k)
        for other in index.mro(k)[0][1:] + index.descendants(k):
            if name in index.klass(other).methods and other not in family:
                todo.append(other)
    return sorted(family)


def _captured(index: Index, target, old: str, renames: Renames, depth: int = 0) -> str:
    """Why renaming a keyword `old=` of a call of `target` would change what
    it means, when `target` passes it on through **kwargs: it takes the new
    name itself (the renamed keyword would be its own), or reads the old one
    from its **kwargs by key; "" when neither."""
    if isinstance(target, ClassKey):
        target = index.method(target, "__init__")
    fn = target.function if isinstance(target, Callable_) else None
    if fn is None or old in fn.params or not fn.forwards or depth >= _FORWARDS:
        return ""
    new = renames.params[old].new if old in renames.params else renames.all_fields[old].new
    if new in fn.takes:
        return (f"{fn.qual} passes '{old}' on through its **kwargs and takes '{new}' itself: the renamed keyword "
                f"would be its own parameter")
    if fn.holds:
        return f"{fn.qual} passes '{old}' on through its **kwargs and names '{old}' itself: it may read it by key"
    return next((why for c in fn.forwards if (why := _captured(index, index.callee(target.path, c), old, renames,
                                                                 depth + 1))), "")


# How far a keyword is followed through functions passing on their **kwargs.
_FORWARDS = 4


def _call_candidates(index: Index, target, callee, old: str, renames: Renames, by_class, by_method, field_groups,
                     param_groups, depth: int = 0) -> tuple[list[Group], bool]:
    """The groups a keyword `old=` of a call of `target` (`callee` as written,
    facts.Site.target) may belong to, and whether that is certain."""
    if isinstance(target, ClassKey):
        init = index.method(target, "__init__")
        if init is None:
            if old not in renames.all_fields:
                return [], True
            return field_candidates(index, target, old, by_class, field_groups)
        target = init
    if isinstance(target, Callable_):
        fn = target.function
        if fn is not None and old not in fn.params and fn.forwards and depth < _FORWARDS:
            # Taken by **kwargs and passed on: the keyword is the callees'.
            out, certain = [], True
            for callee in fn.forwards:
                more, sure = _call_candidates(index, index.callee(target.path, callee), callee, old, renames,
                                              by_class, by_method, field_groups, param_groups, depth + 1)
                out += more
                certain = certain and sure
            return out, certain
        if fn is None or old not in fn.params:
            return [], True  # not a parameter at all (or kept in **kwargs): the callee's own business
        g = by_method.get((target.path, target.qual, old))
        return ([g] if g is not None else []), True
    if isinstance(target, UnknownMethod):
        return list(param_groups.get((target.name, old), [])), False
    if target == UNKNOWN:  # not EXTERNAL: it may be the run's own, of the name it is called by
        return _called_as(index, callee, old, renames, by_class, by_method, field_groups, param_groups), False
    return [], True


def _called_as(index: Index, callee, old: str, renames: Renames, by_class, by_method, field_groups,
               param_groups) -> list[Group]:
    """The groups a keyword `old=` may belong to when what is called cannot be
    told: those of the functions, methods and classes of the name it is
    called by (`base.Base(…)`: every `Base`), or of any name when it is not
    called by one (`handlers[k](…)`)."""
    if callee and callee[0] == "forward":
        callee = callee[2]  # the function given first: the call's own callee was not the run's (Index.callee)
    kind = callee[0] if callee else None
    name = (callee[1] if kind in ("name", "class") else callee[2] if kind in ("method", "super") else "")
    name = name.rsplit(".", 1)[-1]
    if not name:
        return [g for (_, o), gs in sorted(param_groups.items()) if o == old for g in gs] + \
            list(field_groups.get(old, []))
    out = list(param_groups.get((name, old), []))
    for key in index.classes():
        if key.qual.rsplit(".", 1)[-1] == name:
            out += _call_candidates(index, key, None, old, renames, by_class, by_method, field_groups,
                                    param_groups)[0]
    return out
