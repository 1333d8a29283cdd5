"""ts-type-edits: the spec's type changes on interfaces and type aliases."""

from __future__ import annotations

import fnmatch

from nooble_codemod.model import Edit, Severity
from nooble_codemod.rules import Rule
from nooble_codemod.rules.typescript import _ast
from nooble_codemod.rules.typescript._types import (annotated_names, mirrors, object_types, remove_member,
                                                    tables_for_type, with_separator)

# Utility types whose second argument names members of the first.
_KEY_UTILITIES = {"Omit", "Pick"}


def _matches(edit: dict, name: str) -> bool:
    return any(fnmatch.fnmatchcase(name, pat) for pat in edit.get("match", []))


def _applies(ctx, edit: dict, name: str) -> bool:
    """The edit is for the type `name`: its name matches, and if this file
    declares it, its members mirror the edit's table."""
    return _matches(edit, name) and name not in _unmirrored(ctx)


def _unmirrored(ctx) -> set[str]:
    """Types this file declares that are named like a row but whose members
    say they are not one: neither they nor their Omit<>/Pick<> and reads are edited."""
    def make():
        return {o.name for o in object_types(ctx) for e in ctx.spec.type_edits
                if _matches(e, o.name) and _verdict(ctx, o, e) is False}
    return ctx.cached("ts-type-edits.unmirrored", make)


def _verdict(ctx, otype, edit) -> bool | None:
    """Whether `otype` is a row of the edit's table (None: its columns are not known)."""
    return mirrors(ctx.spec, otype.member_names(ctx), _tables(ctx.spec, edit, otype.name))


def _named(edit: dict) -> set[str]:
    """Every member name an edit mentions: a type with none of them does not
    have the shape of the row it is meant for (e.g. a `WidgetType` union)."""
    out = set(edit.get("remove_members", [])) | set(edit.get("rename_members", {}))
    out |= set(edit.get("rename_members", {}).values())
    for r in edit.get("replace_members", []):
        out |= {r["old"], r["name"]}
    out |= {u["member"] for u in edit.get("extend_unions", [])}
    return out


def _old_members(edit: dict) -> list[str]:
    """The members an edit takes away or renames: a type that has one holds
    the old shape."""
    return list(dict.fromkeys([*edit.get("remove_members", []), *edit.get("rename_members", {}),
                               *(r["old"] for r in edit.get("replace_members", []))]))


def _tables(spec, edit: dict, name: str) -> tuple[str, ...]:
    """The tables whose rows the types of an edit are: its `table`, else the
    one the type's name says."""
    if edit.get("table"):
        return spec.expand(edit["table"])
    return tables_for_type(spec, name) or ()


def _renamed(edit: dict) -> dict[str, str]:
    out = dict(edit.get("rename_members", {}))
    out.update({r["old"]: r["name"] for r in edit.get("replace_members", [])})
    return out


class TypeEdits(Rule):
    id = "ts-type-edits"
    local = True
    language = "typescript"
    reads = ("type_edits",)
    summary = "Apply the spec's type edits: members removed, renamed, replaced or added, unions extended"
    fix_safety = "safe"
    doc = """
Applies each spec `[[type_edits]]` entry to the interfaces and type aliases
its `match` names (glob patterns, e.g. `Widget*`) and whose members show they
mirror that row. A name is not a table: when the spec lists the table's
columns (`[tables.columns]`), at least half the type's members (beside `id`)
must be columns of it, so a chat widget's `Message { id; text; role;
timestamp }` is left alone, and a V5 member such a type has anyway is
reported, not edited; otherwise a type naming none of the members the entry
mentions (`WidgetProps`) is left alone:

- `remove_members`: the member goes, with its doc (the comments on their
  own lines right above it, at its indentation) and the comment ending its
  line (`agents: string[]; // Array of agent UUIDs`) with the `//` lines
  continuing it below; a comment of the next member stays;
- `rename_members` / `replace_members`: the name changes (and, for a
  replacement, the type: `is_active: boolean` → `status: 'active' | 'closed' | 'archived'`);
  a type that already has the new name is reported;
- `add_members`: members still missing are appended in the type's own
  indentation and separator style (`;`, `,` or none);
- `extend_unions`: a literal is added to a member's union (`role`), in the
  file's quote style;
- string keys in `Omit<T, 'k'>` / `Pick<T, 'k'>` of an edited type follow
  the renames; a `Pick` of, or an indexed access to, a removed member is
  reported; an `Omit` of a type that gains required members omits them too
  (the data its callers pass never had them; an insert without them is
  reported under its own item);
- reads of a renamed member follow where the receiver is declared with the
  type (`(link: ProfileLink) => link.profile_id` → `link.user_id`); other
  reads of it in a statement naming the type are reported (the receiver's
  type is not known here).

Why: the new rows have different columns (guide §2.7); the types must say so, or
the compiler hides the places that still use the old shape.

Example: `interface Profile { …; widgets: Widget[]; version: number }` →
`interface Profile { … }`; `interface BaseWidget { id: string; profile_id: string }` →
`{ id: string; user_id: string; position: number; is_active: boolean; updated_at: string }`.
"""

    def words(self, spec, settings):
        # A type's name with a member the edit names: the shape test of run(), in bytes.
        out = set()
        for edit in spec.type_edits:
            members = _named(edit) | {a["name"] for a in edit.get("add_members", [])}
            for pat in edit.get("match", []):
                stem = pat.split("*")[0]
                if stem:
                    out |= {(stem, m) for m in members}
        return out

    def statement_words(self, spec, settings):
        # The edits act on the type's declaration and on Omit<>/Pick<> of it: both name the type.
        return {stem for stem, _ in self.words(spec, settings)}

    def run(self, ctx):
        edits = ctx.spec.type_edits
        if not edits:
            return
        for otype in object_types(ctx):
            for edit in edits:
                if _matches(edit, otype.name):
                    yield from self._edit_type(ctx, otype, edit)
        yield from self._utility_keys(ctx, edits)
        yield from self._member_reads(ctx, edits)

    # -- one type ----------------------------------------------------------------------
    def _edit_type(self, ctx, otype, edit):
        members = {}
        for m in otype.members:
            named = _ast.property_name(ctx, m.child_by_field_name("name"))
            if named is not None:
                members.setdefault(named[0], (m, named[1]))
        cid = edit["checklist"]
        advice = ctx.spec.checklist[cid].advice
        verdict = _verdict(ctx, otype, edit)
        if verdict is False:
            yield from self._not_a_row(ctx, otype, edit, members, advice)
            return
        if verdict is None and not (_named(edit) & set(members)):
            return  # no columns to compare with: the members the edit names say it is the row

        for name in edit.get("remove_members", []):
            if name in members:
                m, _ = members[name]
                yield self.finding(ctx, m.start_byte, m.end_byte, cid,
                                   f"{otype.name}: '{name}' is gone in {ctx.spec.after}",
                                   [remove_member(ctx, m)])

        renames = dict(edit.get("rename_members", {}))
        replaces = {r["old"]: r for r in edit.get("replace_members", [])}
        fields = ctx.spec.field_renames_for(self.language)
        for old in sorted(set(renames) | set(replaces)):
            if old not in members or (old in fields and old not in replaces):
                continue  # a field rename (tenant_id) is ts-type-fields' to make, table-aware
            m, quote = members[old]
            new = replaces[old]["name"] if old in replaces else renames[old]
            key = m.child_by_field_name("name")
            if new in members:
                yield self.finding(ctx, key.start_byte, key.end_byte, cid,
                                   f"{otype.name} has both '{old}' and '{new}': merge them by hand. {advice}")
                continue
            out = [Edit(key.start_byte + len(quote), key.end_byte - len(quote), new)]
            if old in replaces:
                ann = m.child_by_field_name("type")
                typ = ann.named_children[0] if ann is not None and ann.named_children else None
                if typ is None:
                    continue
                out.append(Edit(typ.start_byte, typ.end_byte, _quoted(ctx, replaces[old]["type"])))
                message = f"{otype.name}: '{old}' is '{new}: {replaces[old]['type']}' in {ctx.spec.after}"
            else:
                message = f"{otype.name}: '{old}' is '{new}' in {ctx.spec.after}"
            yield self.finding(ctx, key.start_byte, key.end_byte, cid, message, out)

        for union in edit.get("extend_unions", []):
            if union["member"] not in members:
                continue
            yield from self._extend_union(ctx, otype, members[union["member"]][0], union, cid)

        missing = [a for a in edit.get("add_members", []) if a["name"] not in members
                   and a["name"] not in set(renames.values()) | {r["name"] for r in replaces.values()}]
        if missing and not otype.extends_other and len(otype.bodies) == 1:
            added = _added_members(ctx, otype.bodies[0], missing)
            names = ", ".join(a["name"] for a in missing)
            if added:
                yield self.finding(ctx, otype.name_node.start_byte, otype.name_node.end_byte, cid,
                                   f"{otype.name} gains {names} in {ctx.spec.after}", added)

    def _not_a_row(self, ctx, otype, edit, members, advice):
        """A type named like a row whose members are not the row's columns
        (a chat widget's own `Message`): left as it is; a V5 member it has is
        reported, for a human to say what it holds."""
        tables = ", ".join(_tables(ctx.spec, edit, otype.name))
        fields = ctx.spec.field_renames_for(self.language)
        for name in _old_members(edit):
            if name not in members or (name in fields and name in edit.get("rename_members", {})):
                continue  # a field rename (tenant_id) is judged by ts-type-fields
            key = members[name][0].child_by_field_name("name")
            yield self.finding(ctx, key.start_byte, key.end_byte, edit["checklist"],
                               f"{otype.name} is named like a row of {tables}, but its members are not that "
                               f"table's columns: its '{name}' is left as it is. If it is that column, "
                               f"edit the type by hand. {advice}", severity=Severity.WARNING)

    def _extend_union(self, ctx, otype, member, union, cid):
        ann = member.child_by_field_name("type")
        typ = ann.named_children[0] if ann is not None and ann.named_children else None
        if typ is None:
            return
        literals = [typ] if typ.type == "literal_type" else \
            [c for c in typ.named_children if c.type == "literal_type"] if typ.type == "union_type" else []
        if not literals:
            return
        add = _quoted(ctx, union["add"], like=literals[0])
        if any(_ast.text(ctx, lit)[1:-1] == add[1:-1] for lit in literals):
            return
        yield self.finding(ctx, typ.start_byte, typ.end_byte, cid,
                           f"{otype.name}.{union['member']} gains {union['add']} in {ctx.spec.after}",
                           [Edit(typ.end_byte, typ.end_byte, f" | {add}")])

    # -- reads of a renamed member ----------------------------------------------------
    def _member_reads(self, ctx, edits):
        """`link.profile_id` where `link` is declared with a type the edit
        renames a member of: the read follows. Other reads of that member in a
        file naming such a type are reported: their receiver's type is not
        known here."""
        types = {_ast.text(ctx, t) for t in _ast.nodes(ctx, "type_identifier")}
        for edit in edits:
            renamed = _renamed(edit)
            fields = ctx.spec.field_renames_for(self.language)
            renamed = {o: n for o, n in renamed.items() if o not in fields or o in
                       {r["old"] for r in edit.get("replace_members", [])}}
            if not renamed or not any(_applies(ctx, edit, t) for t in types):
                continue
            known = annotated_names(ctx, lambda name, edit=edit: _applies(ctx, edit, name))
            for expr in _ast.nodes(ctx, "member_expression"):
                prop, obj = expr.child_by_field_name("property"), expr.child_by_field_name("object")
                if prop is None or obj is None or _ast.text(ctx, prop) not in renamed:
                    continue
                old = _ast.text(ctx, prop)
                new, cid = renamed[old], edit["checklist"]
                typed = obj.type == "identifier" and any(
                    name == _ast.text(ctx, obj) and _ast.contains(scope, expr) for name, scope, _ in known)
                if old in {r["old"] for r in edit.get("replace_members", [])}:
                    typed = False  # a replaced member changes its values too: a human reads them
                if typed:
                    yield self.finding(ctx, prop.start_byte, prop.end_byte, cid,
                                       f"'{_ast.text(ctx, expr)}' reads '{old}', which is '{new}' in {ctx.spec.after}",
                                       [Edit(prop.start_byte, prop.end_byte, new)])
                else:
                    yield self.finding(ctx, prop.start_byte, prop.end_byte, cid,
                                       f"'{_ast.text(ctx, expr)}' may read '{old}' of a type that has '{new}' "
                                       f"instead in {ctx.spec.after}; its receiver's type is not known here. "
                                       f"{ctx.spec.checklist[cid].advice}")

    def _omit_added(self, ctx, edit, target, keys_node, keys):
        """`Omit<Row, 'id' | …>` of a row type that gains required members:
        the new members join the omitted keys, so the data callers pass (which
        never had them) still fits; inserts without them are reported by the
        rules of their own items."""
        added = [a["name"] for a in edit.get("add_members", []) if not a.get("optional")]
        have = {k.value for k in keys}
        if not added or not keys or len(keys) != len([c for c in _ast.descendants(keys_node)
                                                      if c.type in ("literal_type",)]) or set(added) <= have:
            return
        missing = [a for a in added if a not in have]
        quote = ctx.source.data[keys[0].start - 1:keys[0].start].decode()
        text = "".join(f" | {quote}{a}{quote}" for a in missing)
        yield self.finding(ctx, keys_node.start_byte, keys_node.end_byte, edit["checklist"],
                           f"Omit<{target}, …>: {target} gains {', '.join(missing)} in {ctx.spec.after}; "
                           f"the Omit leaves them out too", [Edit(keys_node.end_byte, keys_node.end_byte, text)])

    # -- Omit<T, 'k'> / Pick<T, 'k'> -------------------------------------------------
    def _utility_keys(self, ctx, edits):
        for generic in _ast.nodes(ctx, "generic_type"):
            name = generic.child_by_field_name("name")
            args = generic.child_by_field_name("type_arguments")
            if name is None or args is None or _ast.text(ctx, name) not in _KEY_UTILITIES:
                continue
            targs = [a for a in args.named_children if a.type != "comment"]
            if len(targs) != 2 or targs[0].type != "type_identifier":
                continue
            target = _ast.text(ctx, targs[0])
            for edit in edits:
                if not _applies(ctx, edit, target):
                    continue
                renamed = _renamed(edit)
                removed = set(edit.get("remove_members", []))
                keys = [_ast.static_string(ctx, lit) for lit in _ast.descendants(targs[1]) if lit.type == "string"]
                if _ast.text(ctx, name) == "Omit":
                    yield from self._omit_added(ctx, edit, target, targs[1], [k for k in keys if k is not None])
                for lit in _ast.descendants(targs[1]):
                    s = _ast.static_string(ctx, lit) if lit.type == "string" else None
                    if s is None:
                        continue
                    if s.value in renamed:
                        yield self.finding(ctx, s.start, s.end, edit["checklist"],
                                           f"{_ast.text(ctx, name)}<{target}, …>: '{s.value}' is "
                                           f"'{renamed[s.value]}' in {ctx.spec.after}", [Edit(s.start, s.end, renamed[s.value])])
                    elif s.value in removed and _ast.text(ctx, name) == "Pick":
                        yield self.finding(ctx, s.start, s.end, edit["checklist"],
                                           f"Pick<{target}, …> names '{s.value}', which {target} no longer has: "
                                           f"{ctx.spec.checklist[edit['checklist']].advice}")


def _quoted(ctx, literal: str, like=None) -> str:
    """A spec type such as `'active' | 'closed'` in the quote style of `like`
    (a literal of the file), else in the file's most used quote."""
    if like is not None:
        quote = _ast.text(ctx, like)[:1]
    else:
        quote = '"' if ctx.source.data.count(b'"') > ctx.source.data.count(b"'") else "'"
    return literal.replace("'", '"') if quote == '"' else literal


def _added_members(ctx, body, missing) -> list[Edit]:
    """Edits appending `missing` members to an interface body or object type,
    in its own style: separator, indentation, newline."""
    data = ctx.source.data
    members = [m for m in body.named_children if m.type == "property_signature"]
    if not members:
        return []
    last = members[-1]
    seps = [c.type for c in body.children if c.type in (";", ",")]
    trailing = last.next_sibling is not None and last.next_sibling.type in (";", ",")
    sep = seps[-1] if seps else ""

    def member(a):
        return f"{a['name']}{'?' if a.get('optional') else ''}: {_quoted(ctx, a['type'])}"

    if data[body.start_byte:body.end_byte].count(b"\n") == 0:  # `{ id: string; name: string }`
        sep = sep or ";"
        text = "".join(f" {member(a)}{sep}" for a in missing)
        if not trailing:
            text = sep + text[:-len(sep)]
        at = with_separator(last)
        return [Edit(at, at, text)]
    out = []
    if not trailing and sep:  # the old last member needs its separator now
        out.append(Edit(last.end_byte, last.end_byte, sep))
    end = with_separator(last)
    nl_at = data.find(b"\n", end)
    rest = data[end:len(data) if nl_at < 0 else nl_at]
    if rest.strip() and not rest.strip().startswith(b"//"):
        return []  # something else shares the line: leave it to a human
    at = (len(data) if nl_at < 0 else nl_at)
    if data[at - 1:at] == b"\r":
        at -= 1
    indent = ctx.source.indent_at(last.start_byte)
    lines = [f"{indent}{member(a)}{sep}" for a in missing]
    if not trailing and sep:
        lines[-1] = lines[-1][:-len(sep)]
    text = "".join(ctx.source.newline + ln for ln in lines)
    if out and out[0].start == at:  # one insertion point: one edit, in order
        return [Edit(at, at, out[0].text + text)]
    out.append(Edit(at, at, text))
    return out
