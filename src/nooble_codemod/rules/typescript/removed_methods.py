"""ts-removed-methods: methods the spec deletes, with their calls."""

from __future__ import annotations

from nooble_codemod.rules import Rule
from nooble_codemod.rules.shared.lines import remove_lines
from nooble_codemod.rules.typescript import _ast

# Definitions that go with their JSDoc: the API class's methods and plain functions.
_REMOVABLE = {"method_definition", "function_declaration", "public_field_definition"}
# Wrappers between a call and the statement it is the whole of.
_STATEMENT_WRAPPERS = {"await_expression", "parenthesized_expression", "non_null_expression"}
_NAMES = ("identifier", "property_identifier")


class RemovedMethods(Rule):
    id = "ts-removed-methods"
    local = True
    language = "typescript"
    reads = ("removed_methods",)
    summary = "Delete the methods the spec removes and their calls"
    fix_safety = "safe"
    doc = """
Deletes each method or function named in a spec `[[removed_methods]]` entry:

- its definition in a class (or a function declaration), with the JSDoc
  block directly above it and the blank line that separated it;
- every call that is a statement of its own (`await this.addAgentToProfile(id);`),
  with the `//` comment lines directly above it, which describe that call,
  and the comment ending its line (with the `//` lines below continuing it
  at its column).

Why: after the migration the agents table is the only source of a profile's agents, so the
code that kept `profiles.agents` in sync has nothing left to do (guide §2.1).

Reported, not changed: a call whose value is used (`const ok = await
this.addAgentToProfile(id)`, a call passed as an argument), a reference that
is not a call, and a same-named member elsewhere — an object property (a store
action), an interface member — since those may mean something else.

Example: `// Keep profiles.agents in sync` + `await this.addAgentToProfile(data.id);`
→ both lines are gone, and so is `private async addAgentToProfile(…) { … }`.
"""

    def _names(self, spec) -> dict[str, str]:
        return {name: entry.checklist for entry in spec.removed_methods
                if self.language in entry.languages for name in entry.names}

    def words(self, spec, settings):
        return set(self._names(spec))

    def run(self, ctx):
        names = self._names(ctx.spec)
        if not names:
            return
        data = ctx.source.data
        for node in _ast.nodes(ctx, *_NAMES):
            name = _ast.text(ctx, node)
            if name not in names:
                continue
            cid = names[name]
            advice = ctx.spec.checklist[cid].advice
            parent = node.parent
            if parent.type in _REMOVABLE and _is_name_of(parent, node) and _removable_definition(parent):
                decl = parent.parent if parent.parent is not None and parent.parent.type == "export_statement" else parent
                start = _ast.comments_above(ctx, decl, jsdoc=True)
                end = decl.end_byte
                after = decl.next_sibling
                if after is not None and after.type == ";":  # a field's `;` is the class body's token
                    end = after.end_byte
                yield self.finding(ctx, node.start_byte, node.end_byte, cid,
                                   f"'{name}' is removed in {ctx.spec.after}: its definition is deleted",
                                   [remove_lines(data, start, end, member=True)])
                continue
            call = _called(node)
            if call is not None:
                statement = _statement_of(call)
                if statement is not None:
                    start = _ast.comments_above(ctx, statement)
                    yield self.finding(ctx, node.start_byte, node.end_byte, cid,
                                       f"the call to '{name}' is removed in {ctx.spec.after}",
                                       [remove_lines(data, start, _ast.trailing_comments_end(ctx, statement))])
                else:
                    yield self.finding(ctx, node.start_byte, node.end_byte, cid,
                                       f"'{name}' is removed in {ctx.spec.after}, but the value of this call is used: "
                                       f"rewrite the code around it by hand. {advice}")
                continue
            if _is_definition_elsewhere(parent, node):
                what = "an interface member" if parent.type in ("method_signature", "property_signature") \
                    else "a member of an object (a store action?)"
                yield self.finding(ctx, node.start_byte, node.end_byte, cid,
                                   f"'{name}' here is {what}, not the API method the guide removes: "
                                   f"check whether it still has a reason to exist. {advice}")
                continue
            if parent.type in ("import_specifier", "export_specifier"):
                continue  # the definition and calls carry the finding; imports follow by hand or by lint
            yield self.finding(ctx, node.start_byte, node.end_byte, cid,
                               f"'{name}' is removed in {ctx.spec.after} and is referenced here: remove the reference by hand. "
                               f"{advice}")


def _is_name_of(decl, node) -> bool:
    name = decl.child_by_field_name("name")
    return name is not None and name.id == node.id


def _removable_definition(decl) -> bool:
    # A class member of the API class, or a function declaration; an object
    # literal's method (`{ addAgentToProfile() {} }`, a store) is not removed.
    if decl.type == "function_declaration":
        return True
    return decl.parent is not None and decl.parent.type == "class_body"


def _called(node):
    """The call_expression `node` is the callee name of (`x(…)`, `a.x(…)`, `a?.x(…)`)."""
    p = node.parent
    if p.type == "member_expression":
        if p.child_by_field_name("property") is None or p.child_by_field_name("property").id != node.id:
            return None
        callee, call = p, p.parent
    else:
        callee, call = node, p
    if call is None or call.type != "call_expression":
        return None
    fn = call.child_by_field_name("function")
    return call if fn is not None and fn.id == callee.id else None


def _statement_of(call):
    """The expression statement that is nothing but this call (maybe awaited)."""
    node = call
    while node.parent is not None and node.parent.type in _STATEMENT_WRAPPERS:
        node = node.parent
    p = node.parent
    return p if p is not None and p.type == "expression_statement" else None


def _is_definition_elsewhere(parent, node) -> bool:
    if parent.type in ("method_signature", "property_signature", "method_definition", "public_field_definition"):
        return _is_name_of(parent, node)
    if parent.type == "pair":
        key = parent.child_by_field_name("key")
        return key is not None and key.id == node.id
    return False
