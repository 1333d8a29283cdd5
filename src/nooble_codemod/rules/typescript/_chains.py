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
A receiver that is not a call (a variable) ends the walk: `base_target` is
the place a later issue plugs variables, Promise.all and subqueries into.

No Rule lives here; the index is built once per file (ctx.cached).
"""

from __future__ import annotations

from dataclasses import dataclass

from nooble_codemod.rules.typescript import _ast


@dataclass(frozen=True)
class Target:
    """What a chain's table method was given. `tables` is None when the
    argument could not be resolved to table names."""

    tables: tuple[str, ...] | None
    written: str  # the argument as written, for messages
    node: object  # the table method's call

    @property
    def resolved(self) -> bool:
        return self.tables is not None

    def describe(self, spec) -> str:
        """For messages: `conversations`, or `from(`widget_${type}`) (widget_*)`."""
        if self.tables is None:
            return f"from({self.written})"
        if len(self.tables) == 1 and self.written[1:-1] == self.tables[0]:
            return self.tables[0]
        family = next((p for p, ts in spec.families.items() if set(ts) == set(self.tables)), None)
        return f"from({self.written}) ({family or ', '.join(self.tables)})"


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


class ChainIndex:
    """Every method call of the file that sits on a query chain, with its Target."""

    def __init__(self, ctx):
        self.ctx = ctx
        self.syntax = ctx.spec.client("typescript")
        self._targets: dict[int, Target | None] = {}
        self.calls: list[tuple[MethodCall, Target]] = []
        self.rpcs: list[RpcCall] = []
        for node in _ast.nodes(ctx, "call_expression"):
            call = method_call(ctx, node)
            if call is None:
                continue
            if call.name in self.syntax.rpc_methods:
                self.rpcs.append(self._rpc(call))
            elif call.name not in self.syntax.table_methods:
                target = self.target_of(call)
                if target is not None:
                    self.calls.append((call, target))

    @classmethod
    def of(cls, ctx) -> "ChainIndex":
        return ctx.cached("ts.chains", lambda: cls(ctx))

    # -- walking down a chain ----------------------------------------------------
    def target_of(self, call: MethodCall) -> Target | None:
        """The Target of the chain `call` is on; None when the chain does not
        start at a table method (it is not a query, as far as we can tell)."""
        key = call.node.id
        if key not in self._targets:
            self._targets[key] = self._walk(call)
        return self._targets[key]

    def _walk(self, call: MethodCall) -> Target | None:
        receiver = call.receiver
        below = method_call(self.ctx, receiver)
        if below is None:
            return self.base_target(receiver)
        if self.is_table_call(below):
            return self.table_target(below)
        return self.target_of(below)

    def base_target(self, node) -> Target | None:
        """A chain base that is not a method call (`q.eq(...)` with `q` a
        variable). Extension point for the variables issue; none yet."""
        return None

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
        return Target(self.resolve_name(arg), written, call.node)

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

    # -- rpc ---------------------------------------------------------------------------
    def _rpc(self, call: MethodCall) -> RpcCall:
        name = _ast.static_string(self.ctx, call.arg(0))
        params = _ast.unwrap(call.arg(1))
        return RpcCall(call, name.value if name else None,
                       params if params is not None and params.type == "object" else None)
