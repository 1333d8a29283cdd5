"""Value groups: a bool field of a class mirroring a table whose column a
value map turns into an enum (`conversations.is_active` → `status`).

The field and its uses are one decision, like a rename's: the declaration
(its name, `bool` annotation and default) and every use the model ties to
the class. A use is changed only where its meaning is a truth value (a
test, `not`, True/False written to it, `Cls(old=False)`); any other use, a
receiver of unknown type, a string naming the field in the class, or a
declaration of another shape blocks the group, reported with every site.
A class that does not mirror the table (widget rows keep is_active) is not
the value map's: its field and uses are left alone.
"""

from __future__ import annotations

from dataclasses import dataclass

from nooble_codemod.project.facts import FileFacts
from nooble_codemod.project.group import NEUTRAL_BASES, Group, Renames, field_candidates, may_be
from nooble_codemod.project.index import ClassKey, Index
from nooble_codemod.spec.loader import fields_mirror

# The uses a value group can change by itself (facts.Site.use).
_MAPPED = frozenset({"test", "not", "set", "kw"})


@dataclass(frozen=True)
class ValueField:
    """A value map as the back end's models see it (spec `[[value_maps]]` with a `python_type`)."""

    old: str
    new: str
    table: str
    checklist: str
    columns: frozenset[str]  # the table's columns, V5 names included
    shared: frozenset[str]  # columns that do not tell tables apart


def mirrors(fields: set[str], vf: ValueField) -> bool:
    """Most of a class's fields (its value-mapped one aside) are the table's
    columns, and two of them are more than the columns every table has."""
    return fields_mirror(fields - {vf.old}, vf.columns, vf.shared)


def _fields(index: Index, key: ClassKey) -> set[str]:
    out: set[str] = set()
    for k in index.mro(key)[0]:
        c = index.klass(k)
        out |= set(c.attr_types) | set(c.fields)
    return out


def groups(index: Index, renames: Renames, files: dict[str, FileFacts], line_of) -> list[Group]:
    out: dict[str, Group] = {}
    by_class: dict[tuple[ClassKey, str], Group] = {}
    for old, fields in sorted(renames.values.items()):
        for key in index.classes():
            if old not in index.klass(key).fields:
                continue
            top = [k for k in index.mro(key)[0] if old in index.klass(k).fields][-1]  # where the field starts
            if (top, old) in by_class:
                continue
            family = sorted({top, *index.descendants(top)})
            # A base may declare the field for classes that hold the columns: any class of the family may mirror.
            vf = next((vf for vf in fields if any(mirrors(_fields(index, k), vf) for k in family)), None)
            if vf is None:
                continue  # not the table's field (widget rows keep is_active)
            g = _group(index, renames, top, vf, line_of)
            leaves = [k for k in family if not any(d in family for d in index.descendants(k))]
            others = [k.qual for k in leaves if not mirrors(_fields(index, k), vf)]
            if others:
                g.block(f"{top.qual} also gives '{old}' to {', '.join(others)}, which {'does' if len(others) == 1 else 'do'} "
                        f"not mirror {vf.table}: decide which classes change")
            out[g.id] = g
            for k in g.classes:
                by_class[(k, old)] = g
    per_name: dict[str, list[Group]] = {}
    for g in out.values():
        per_name.setdefault(g.old, []).append(g)
    for path, facts in sorted(files.items()):
        for s in facts.sites:
            if s.name in renames.values:
                _tie(index, path, s, by_class, per_name)
            elif s.kind == "splat":
                _passed_on(index, path, s, by_class, per_name)
    return list(out.values())


def _passed_on(index: Index, path: str, s, by_class, per_name) -> None:
    """The dict made of an object passed on by keyword (facts "splat"): its
    key of the field would change name and value, where it goes."""
    _, obj, _, _, _, left_out = s.use
    owner = index.type_of(path, obj)
    for old in sorted(set(per_name) - set(left_out)):
        candidates, certain = field_candidates(index, owner, old, by_class, per_name)
        for g in candidates:
            g.sites.append((path, s.pos, s.line, s.text))
            g.block(f"`{s.text}` at {path}:{s.line} passes the fields of "
                    f"{'an object of unknown type' if not certain else g.label.rsplit('.', 1)[0]} on by keyword: "
                    "change it by hand")


def _group(index: Index, renames: Renames, top: ClassKey, vf: ValueField, line_of) -> Group:
    g = Group(f"value:{vf.old}:{top.path}:{top.qual}", "value", vf.old, vf.new, vf.checklist,
              f"{top.qual}.{vf.old}", table=vf.table)
    g.classes = sorted({top, *index.descendants(top)})
    neutral = NEUTRAL_BASES | renames.model_bases
    for k in g.classes:
        c = index.klass(k)
        if vf.old in c.forms:  # its annotation in the body; `self.old = …` in a method is a use
            pos, form = c.forms[vf.old]
            found = [(pos, form)]
        else:
            found = [(pos, ("", "not declared as an annotated field")) for pos in c.fields.get(vf.old, [])]
        for pos, form in found:
            g.declarations.append((k.path, pos, line_of(k.path, pos[0])))
            g.uses[(k.path, pos)] = form
            if not form[0]:
                g.block(f"{k.qual}.{vf.old} is {form[1]}: change the declaration by hand")
        if any(vf.new in index.klass(a).fields for a in index.mro(k)[0]):
            g.both = True
            g.block(f"{k.qual} has both '{vf.old}' and '{vf.new}': decide which one the table's '{vf.new}' is")
        outside = [b for b in index.mro(k)[1] if b.rsplit(".", 1)[-1] not in neutral]
        if outside:
            g.block(f"{k.qual} derives from {', '.join(outside)}, which the run does not declare: "
                    f"its code may read '{vf.old}'")
    return g


def _tie(index: Index, path: str, s, by_class, per_name) -> None:
    """Join a use to its group, blocking it when the use cannot be changed
    or may not be the group's."""
    where = f"`{s.text}` at {path}:{s.line}"
    if s.kind in ("attr", "getattr", "copykey", "string", "dumpkey"):
        owner = index.type_of(path, s.target)
    else:  # kwarg, kwkey: what the call constructs
        owner = index.callee(path, s.target)
        if not isinstance(owner, ClassKey):
            return  # a function's keyword (a method of the class included): not the field
    candidates, certain = field_candidates(index, owner, s.name, by_class, per_name)
    if not certain and s.also:
        candidates = [g for g in candidates if may_be(index, g, s.also)]
    for g in candidates:
        g.sites.append((path, s.pos, s.line, s.text))
        g.uses[(path, s.pos)] = s.use
        if not certain:
            g.block(f"{where}: its receiver's type is unknown, and {g.label.rsplit('.', 1)[0]} declares {s.name}")
        elif s.kind in ("kwarg", "kwkey") and index.method(owner, "__init__") is not None:
            g.block(f"{where} passes {s.name} to an __init__ of its own: change it by hand")
        elif s.kind == "string":
            g.block(f"{where} names the field in a string: change it by hand")
        elif not s.use or s.use[0] not in _MAPPED:
            g.block(f"{where} uses the value otherwise than as a truth value or a True/False written to it: "
                    "change it by hand")
