"""TypeScript object types (interfaces, type aliases) and the tables they mirror."""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass, field

from nooble_codemod.model import Edit
from nooble_codemod.rules.shared.lines import remove_lines
from nooble_codemod.rules.typescript import _ast

_WORDS = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|\d+")
# Type operators whose operands are the alias's own members (`Base & { … }`).
_COMBINATORS = {"intersection_type", "union_type", "parenthesized_type"}


@dataclass
class ObjectType:
    name: str
    name_node: object
    members: list  # property_signature nodes, in order
    bodies: list = field(default_factory=list)  # the interface_body / object_type nodes holding them
    # An alias that also takes members from another type (`Base & { … }`).
    extends_other: bool = False

    def member_names(self, ctx) -> set[str]:
        out = set()
        for m in self.members:
            named = _ast.property_name(ctx, m.child_by_field_name("name"))
            if named:
                out.add(named[0])
        return out


def object_types(ctx) -> list[ObjectType]:
    """Interfaces and type aliases with their own property signatures (not
    those of nested object types, which belong to a property)."""
    out = []
    for decl in _ast.nodes(ctx, "interface_declaration", "type_alias_declaration"):
        name = decl.child_by_field_name("name")
        bodies = []
        extends_other = False
        if decl.type == "interface_declaration":
            body = decl.child_by_field_name("body")
            bodies = [body] if body is not None else []
            extends_other = any(c.type == "extends_type_clause" for c in decl.children)
        else:
            stack = [decl.child_by_field_name("value")]
            while stack:
                n = stack.pop()
                if n is None:
                    continue
                if n.type == "object_type":
                    bodies.append(n)
                elif n.type in _COMBINATORS:
                    stack.extend(n.named_children)
                elif n.type in ("type_identifier", "generic_type"):
                    extends_other = True
        members = [m for b in bodies for m in b.named_children if m.type == "property_signature"]
        if name is not None:
            out.append(ObjectType(_ast.text(ctx, name), name, members, bodies, extends_other))
    return out


def tables_for_type(spec, name: str) -> tuple[str, ...] | None:
    """The tables a type mirrors: the spec's [type_tables], a [[type_edits]]
    entry with a `table`, else a run of the name's words that names a known
    table (`ConversationRow` -> conversations, `WidgetLink` -> widget_links).
    None when nothing matches."""
    direct = _direct(spec, name)
    if direct:
        return direct
    words = _WORDS.findall(name)
    for size in range(len(words), 0, -1):  # longest run first, then leftmost
        for i in range(len(words) - size + 1):
            run = words[i:i + size]
            found = _direct(spec, "".join(run)) or _by_table_name(spec, "_".join(w.lower() for w in run))
            if found:
                return found
    return None


def _direct(spec, name: str) -> tuple[str, ...] | None:
    table = spec.table_for_type(name)
    if table:
        return spec.expand(table)
    for edit in spec.type_edits:
        if edit.get("table") and any(fnmatch.fnmatchcase(name, pat) for pat in edit.get("match", [])):
            return spec.expand(edit["table"])
    return None


def _by_table_name(spec, snake: str) -> tuple[str, ...] | None:
    forms = [snake, snake + "s", snake + "es"]
    if snake.endswith("y"):
        forms.append(snake[:-1] + "ies")
    for form in forms:
        if form in spec.known_tables:
            return (form,)
    return None


def mirrors(spec, members: set[str], tables) -> bool | None:
    """Whether a type with these member names is a row of one of `tables`:
    leaving aside the columns every table has (`id`), at least one member
    and at least half of them are columns of the table. A UI type named like
    a table (`Message { id; text; role; timestamp }`) is not. None when it
    mirrors none of the tables whose columns the spec knows but there are
    others (a family whose tables are not all listed): only the name can
    tell then."""
    own = members - spec.common_columns
    unknown = False
    for table in tables:
        columns = spec.columns_for(table)
        if columns is None:
            unknown = True
            continue
        shared = own & columns
        if shared and 2 * len(shared) >= len(own):
            return True
    return None if unknown or not tables else False


def with_separator(member) -> int:
    """Where a member ends, with the `;` or `,` after it."""
    after = member.next_sibling
    return after.end_byte if after is not None and after.type in (";", ",") else member.end_byte


def _doc_start(ctx, member) -> int:
    """Start of the member's doc: the comments right above it, each on its
    own line at the member's indentation (`/** … */`, `/* … */` or `//`). A
    comment further right continues the trailing comment of the member above."""
    data = ctx.source.data
    start = member.start_byte
    prev = member.prev_sibling
    while prev is not None and prev.type == "comment" and prev.start_point[1] == member.start_point[1]:
        gap = data[prev.end_byte:start]
        line_start = data.rfind(b"\n", 0, prev.start_byte) + 1
        if gap.count(b"\n") != 1 or gap.strip() or data[line_start:prev.start_byte].strip():
            break
        start = prev.start_byte
        prev = prev.prev_sibling
    return start


def remove_member(ctx, member) -> Edit:
    """The edit removing a member with its separator, the comment ending its
    line (and the lines continuing that comment), and its doc above it."""
    start = _doc_start(ctx, member)
    after = member.next_sibling
    last = after if after is not None and after.type in (";", ",") else member
    return remove_lines(ctx.source.data, start, _ast.trailing_comments_end(ctx, last))


_FUNCTIONS = _ast.FUNCTION_NODES


def annotated_names(ctx, matches) -> list[tuple[str, object, str]]:
    """(name, scope node, type name) of the parameters and variables the file
    declares with one named type that `matches(type name)` accepts
    (`link: ProfileLink`, `x: ProfileLink | null`)."""
    out = []
    for node in _ast.nodes(ctx, "required_parameter", "optional_parameter", "variable_declarator"):
        ident = node.child_by_field_name("pattern" if node.type != "variable_declarator" else "name")
        ann = node.child_by_field_name("type")
        if ident is None or ident.type != "identifier" or ann is None or not ann.named_children:
            continue
        typ = ann.named_children[0]
        parts = [typ] if typ.type != "union_type" else list(typ.named_children)
        named = [p for p in parts if p.type == "type_identifier"]
        others = [p for p in parts if p.type != "type_identifier" and _ast.text(ctx, p) not in ("null", "undefined")]
        if len(named) != 1 or others or not matches(_ast.text(ctx, named[0])):
            continue
        scope = next((a for a in _ast.ancestors(node) if a.type in _FUNCTIONS), None) \
            if node.type != "variable_declarator" else next(
                (a for a in _ast.ancestors(node) if a.type in ("statement_block", "program")), None)
        if scope is not None:
            out.append((_ast.text(ctx, ident), scope, _ast.text(ctx, named[0])))
    return out
