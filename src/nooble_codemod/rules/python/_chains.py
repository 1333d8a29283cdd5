"""supabase-py query chains: which table each call of a chain is on.

    response = await self.client.table('conversations') \\
        .select('*') \\
        .eq('tenant_id', tenant_id) \\     <- a MethodCall whose Target is ('conversations',)
        .execute()

A chain is followed from a call down its receivers to the table method
(spec client.python.table_methods: `table`, `from_`). Parentheses, line
continuations and comments are part of LibCST's whitespace, so a chain
split over lines is one expression; a chain inside a `lambda:` body is just
another expression. The table argument gives the Target: a string literal
names one table, an f-string such as f"widget_{kind}" names the family its
prefix pins (spec.resolve_prefix), anything else is unresolved and must be
reported, not guessed. A receiver that is a variable continues at the value
assigned to it before, in the same scope. The walk itself is
_query.ChainIndexBase.

No Rule lives here.
"""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst

from nooble_codemod.rules.shared.query import ChainIndexBase, Target
from nooble_codemod.rules.python import _cst


@dataclass(frozen=True)
class MethodCall:
    """`receiver.name(args)`."""

    node: cst.Call
    name: str
    receiver: cst.BaseExpression

    def arg(self, i: int, keyword: str | None = None):
        """The i-th positional argument's value, or the one passed as `keyword=`."""
        positional = [a.value for a in self.node.args if a.keyword is None and not a.star]
        if i < len(positional):
            return positional[i]
        if keyword is not None:
            for a in self.node.args:
                if a.keyword is not None and a.keyword.value == keyword:
                    return a.value
        return None

    def positional(self) -> list:
        return [a.value for a in self.node.args if a.keyword is None and not a.star]


@dataclass(frozen=True)
class RpcCall:
    call: MethodCall
    function: str | None  # None: the function name is not a literal
    params: object | None  # the parameter dict, if written inline


def method_call(node) -> MethodCall | None:
    if not isinstance(node, cst.Call) or not isinstance(node.func, cst.Attribute):
        return None
    return MethodCall(node, node.func.attr.value, node.func.value)


class ChainIndex(ChainIndexBase):
    language = "python"

    def call_nodes(self):
        return _cst.nodes(self.ctx, cst.Call)

    def method_call(self, node):
        return method_call(node)

    def key(self, node):
        return id(node)

    def is_table_call(self, call: MethodCall) -> bool:
        if call.name not in self.syntax.table_methods or call.arg(0) is None:
            return False
        # `Table.table(x)` on a class is not a query builder (clients are values).
        r = call.receiver
        return not (isinstance(r, cst.Name) and r.value[:1].isupper())

    def table_target(self, call: MethodCall) -> Target:
        arg = call.arg(0)
        return Target(self.resolve_name(arg), _cst.written(self.ctx, arg), call.node, call.name)

    def resolve_name(self, node) -> tuple[str, ...] | None:
        value = _cst.string_value(node)
        if value is not None:
            return (value,)
        if not isinstance(node, cst.FormattedString) or not node.parts:
            return None
        head, tail = node.parts[0], node.parts[-1]
        if not isinstance(head, cst.FormattedStringText):
            return None
        tables = self.ctx.spec.resolve_prefix(head.value)
        if tables and len(node.parts) > 1 and isinstance(tail, cst.FormattedStringText):
            tables = tuple(t for t in tables if t.endswith(tail.value)) or None
        return tables

    # -- variables ---------------------------------------------------------------------
    def variable_value(self, node):
        return _cst.assigned_value(self.ctx, node) if isinstance(node, cst.Name) else None

    # -- rpc ---------------------------------------------------------------------------
    def rpc(self, call: MethodCall) -> RpcCall:
        params = call.arg(1, "params")
        return RpcCall(call, _cst.string_value(call.arg(0, "fn")),
                       params if isinstance(params, cst.Dict) else None)
