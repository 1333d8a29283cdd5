"""supabase-js query chains: which table each call of a chain is on.

    await supabase
        .from('conversations')     <- table method (spec client.typescript.table_methods)
        .select('*')
        .eq('tenant_id', id)       <- a MethodCall whose Target is ('conversations',)

A chain is followed from a call down its receivers (through `await`,
parentheses, `?.`, `!`, `as`) to the table method. The table argument gives
the Target: a string literal names one table, a template literal such as
`widget_${type}` names the whole family its prefix pins (spec.resolve_prefix),
anything else is unresolved (tables = None) and must be reported, not guessed.
A receiver that is a variable continues at the chain its declaration
starts (`const q = supabase.from('t'); q.eq(…)`); chains inside
`Promise.all([...])` or passed as arguments are chains like any other.

No Rule lives here; the index is built once per file (ctx.cached).
"""

from __future__ import annotations

from dataclasses import dataclass

from nooble_codemod.rules.shared.query import ChainIndexBase, Target
from nooble_codemod.rules.typescript import _ast


@dataclass(frozen=True)
class MethodCall:
    """`receiver.name(args)`."""

    node: object  # call_expression
    name: str
    name_node: object  # property_identifier
    receiver: object  # the unwrapped object expression
    args: tuple  # the argument expressions (named nodes)

    def arg(self, i: int):
        return self.args[i] if i < len(self.args) else None


@dataclass(frozen=True)
class RpcCall:
    call: MethodCall
    function: str | None  # None: the function name is not a literal
    params: object | None  # the parameter object literal, if written inline


def method_call(ctx, node) -> MethodCall | None:
    if node is None or node.type != "call_expression":
        return None
    # tree-sitter parses `await a?.b(x)` with the await around the callee.
    fn = _ast.unwrap(node.child_by_field_name("function"))
    args = node.child_by_field_name("arguments")
    if fn is None or fn.type != "member_expression" or args is None or args.type != "arguments":
        return None
    prop = fn.child_by_field_name("property")
    if prop is None or prop.type != "property_identifier":
        return None
    real_args = tuple(a for a in args.named_children if a.type != "comment")
    return MethodCall(node, _ast.text(ctx, prop), prop, _ast.unwrap(fn.child_by_field_name("object")), real_args)


class ChainIndex(ChainIndexBase):
    language = "typescript"

    def __init__(self, ctx):
        self._method_calls: dict = {}  # node id -> MethodCall | None
        super().__init__(ctx)

    def call_nodes(self):
        return _ast.nodes(self.ctx, "call_expression")

    def method_call(self, node):
        # Each call is met as itself and again as the receiver of the call
        # after it: read once (two readings per call were most of the index).
        if node is None:
            return None
        memo, key = self._method_calls, node.id
        if key not in memo:
            memo[key] = method_call(self.ctx, node)
        return memo[key]

    def key(self, node):
        return node.id

    def is_table_call(self, call: MethodCall) -> bool:
        if call.name not in self.syntax.table_methods or not call.args:
            return False
        # `Array.from(x)`, `Buffer.from(x)`: a static constructor on a class,
        # not a query builder (supabase clients are values, named in lower case).
        r = call.receiver
        if r is not None and r.type == "identifier" and _ast.text(self.ctx, r)[:1].isupper():
            return False
        return True

    def table_target(self, call: MethodCall) -> Target:
        arg = call.args[0]
        written = _ast.text(self.ctx, arg)
        return Target(self.resolve_name(arg), written, call.node, call.name)

    def resolve_name(self, node) -> tuple[str, ...] | None:
        """Table names a literal argument stands for; None if it is not a literal
        or its variable part does not pin a known family."""
        s = _ast.static_string(self.ctx, node)
        if s is not None:
            return (s.value,)
        if node.type != "template_string":
            return None
        inner = node.children[1:-1]
        head = inner[0] if inner and inner[0].type == "string_fragment" else None
        tail = inner[-1] if len(inner) > 1 and inner[-1].type == "string_fragment" else None
        if head is None:
            return None
        tables = self.ctx.spec.resolve_prefix(_ast.text(self.ctx, head))
        if tables and tail is not None:  # `widget_${kind}s`: the suffix narrows the set
            suffix = _ast.text(self.ctx, tail)
            tables = tuple(t for t in tables if t.endswith(suffix)) or None
        return tables

    # -- variables -------------------------------------------------------------------
    def variable_value(self, node):
        return _ast.declared_value(self.ctx, node) if node is not None and node.type == "identifier" else None

    # -- rpc ---------------------------------------------------------------------------
    def rpc(self, call: MethodCall) -> RpcCall:
        name = _ast.static_string(self.ctx, call.arg(0))
        params = _ast.unwrap(call.arg(1))
        return RpcCall(call, name.value if name else None,
                       params if params is not None and params.type == "object" else None)
