"""Where a back-end name reaches beyond the back end (spec `[reaches]`).

Under a strategy that keeps a word inside the back end (a leftover with
`reaches_only_under`: tenant_id under alias, guide §3.3 Option 2), the word
is a leftover only where something outside the back end sees it. Three kinds:

- a V6 table or RPC: the arguments of a query chain's filter, select or
  payload call on a known table (or one whose table cannot be resolved), the
  payload a variable passed there holds, an rpc() call's arguments, and a
  row a query returned read by key (`response.data[0]["tenant_id"]`);
- a class mirroring a table: its fields, unless declared as an alias of
  another name (`Field(..., alias="user_id")`);
- the front end's JSON contract: the keys of the dict displays a route
  handler returns (`dict(k=…)` keywords too).

`reaches(ctx, words)` returns the places (byte spans) once per file; the
innermost span holding a site says what it reaches. No Rule lives here.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass

import libcst as cst

from nooble_codemod.rules.python import _cst
from nooble_codemod.rules.python._chains import ChainIndex, method_call
from nooble_codemod.rules.python._names import payload_dicts

TABLE = "a {after} table or RPC"  # {after}: the spec's version word
MIRROR = "a class mirroring a table"
JSON = "the front end's JSON contract"


@dataclass(frozen=True)
class Reach:
    kind: str  # TABLE, MIRROR or JSON
    what: str  # the place, for messages

    def describe(self, spec) -> str:
        return f"{self.kind.format(after=spec.after)} ({self.what})"


class Places:
    """The byte spans of a file where a kept word reaches beyond the back end."""

    def __init__(self):
        self.strings: list[tuple[int, int, Reach]] = []  # strings inside these spans reach
        self.names: dict[int, Reach] = {}  # the start of a Name that reaches

    def add(self, ctx, node, reach: Reach) -> None:
        if node is not None:
            self.strings.append((*_cst.span(ctx, node), reach))

    def at(self, start: int, end: int) -> Reach | None:
        """The innermost place holding [start, end)."""
        best = None
        for s, e, reach in self.strings:
            if s <= start and end <= e and (best is None or e - s < best[1] - best[0]):
                best = (s, e, reach)
        return best[2] if best is not None else None


def reaches(ctx, words: set[str]) -> Places:
    return ctx.cached("py.reaches", lambda: _build(ctx, frozenset(words)))


def _build(ctx, words: frozenset[str]) -> Places:
    places = Places()
    _queries(ctx, places)
    _rows(ctx, words, places)
    _mirrors(ctx, words, places)
    _routes(ctx, places)
    return places


# -- a V6 table or RPC ----------------------------------------------------------------
def _queries(ctx, places: Places) -> None:
    spec = ctx.spec
    chains = ChainIndex.of(ctx)
    for call, target in chains.calls:
        if target.resolved and not any(t in spec.known_tables for t in target.tables):
            continue  # a table the spec does not know: its columns are not the migration's
        on = target.describe(spec) if target.resolved else f"{target.method}({target.written}), a table not resolved here"
        reach = Reach(TABLE, f"{call.name}() of a query on {on}")
        for arg in call.node.args:
            places.add(ctx, arg.value, reach)
            _dict_keywords(ctx, arg.value, reach, places)
        if call.name in chains.syntax.payload_methods:
            payload = call.arg(0, "json")
            if isinstance(payload, cst.Name):  # `rows = [...]` then `.insert(rows)`
                for d in payload_dicts(payload, ctx):
                    places.add(ctx, d, reach)
                    _dict_keywords(ctx, d, reach, places)
    for rpc in chains.rpcs:
        reach = Reach(TABLE, f"the parameters of rpc('{rpc.function}')" if rpc.function else "an rpc() call")
        for arg in rpc.call.node.args:
            places.add(ctx, arg.value, reach)
        params = rpc.call.arg(1, "params")
        if isinstance(params, cst.Name):
            places.add(ctx, _cst.assigned_value(ctx, params), reach)


def _rows(ctx, words: frozenset[str], places: Places) -> None:
    """Keys read from a row a query returned: `resp.data[0]["k"]`, `row.get("k")`."""
    r = ctx.spec.reaches
    reach = Reach(TABLE, "a row a query returned")
    for node in _cst.nodes(ctx, cst.Subscript):
        keys = [el.slice.value for el in node.slice if isinstance(el.slice, cst.Index)]
        # Only keys naming a kept word: following every subscript's receiver costs.
        keys = [k for k in keys if _cst.string_value(k) in words]
        if keys and _holds_rows(ctx, node.value, 0):
            for k in keys:
                places.add(ctx, k, reach)
    for node in _cst.nodes(ctx, cst.Call):
        call = method_call(node)
        if call is None or call.name not in r.row_methods or not call.node.args:
            continue
        key = call.node.args[0].value
        if _cst.string_value(key) in words and _holds_rows(ctx, call.receiver, 0):
            places.add(ctx, key, reach)


def _holds_rows(ctx, node, depth: int) -> bool:
    """Is `node` the rows a query returned, one of them, or a name bound to those?"""
    if depth > 8:
        return False
    if isinstance(node, cst.Subscript):
        return _holds_rows(ctx, node.value, depth + 1)
    if isinstance(node, cst.Attribute):
        return node.attr.value in ctx.spec.reaches.row_attributes and _is_result(ctx, node.value, depth + 1)
    if isinstance(node, cst.Name):
        value = _cst.assigned_value(ctx, node)
        if value is not None:
            return _holds_rows(ctx, value, depth + 1)
        loop = _loop_over(ctx, node)
        return loop is not None and _holds_rows(ctx, loop, depth + 1)
    return False


def _is_result(ctx, node, depth: int) -> bool:
    """Is `node` what a query chain or rpc() call returned (`….execute()`, or a name given it)?"""
    if depth > 8:
        return False
    if isinstance(node, cst.Await):
        node = node.expression
    if isinstance(node, cst.Name):
        value = _cst.assigned_value(ctx, node)
        return value is not None and _is_result(ctx, value, depth + 1)
    syntax = ctx.spec.client("python")
    call = method_call(node)
    while call is not None:
        if call.name in syntax.rpc_methods:
            return True
        if call.name in syntax.table_methods:  # as for queries: a table the spec knows, or one not resolved
            tables = ChainIndex.of(ctx).resolve_name(call.arg(0))
            return tables is None or any(t in ctx.spec.known_tables for t in tables)
        receiver = call.receiver
        call = method_call(receiver)
        if call is None and isinstance(receiver, cst.Name):
            return _is_result(ctx, receiver, depth + 1)  # `q = client.table(…)` then `q.execute()`
    return False


def _loop_over(ctx, name: cst.Name):
    """What a `for` or comprehension binding `name` in the same scope iterates."""
    scope = _cst.owner(ctx, name)
    for loop in _cst.nodes(ctx, cst.For, cst.CompFor):
        if isinstance(loop.target, cst.Name) and loop.target.value == name.value and _cst.owner(ctx, loop) is scope:
            return loop.iter
    return None


# -- a class mirroring a table --------------------------------------------------------
def mirrored_table(spec, name: str, fields: set[str]) -> str | None:
    """The table a class with these fields mirrors: the one [type_tables]
    names for it (two of its [row_columns] if it has them), else the one most
    of whose fields are its [tables.columns], two of them not shared by most
    tables. `fields` leaves out the kept words: they are no evidence."""
    table = spec.table_for_type(name)
    if table is not None:
        return table if spec.is_row_of(table, fields) else None
    for table in sorted(spec.known_tables):
        columns = spec.columns_for(table)
        if columns is None:
            continue
        if spec.fields_mirror(fields, columns):
            return table
    return None


def _fields(cls: cst.ClassDef) -> list[cst.AnnAssign]:
    if not isinstance(cls.body, cst.IndentedBlock):
        return []
    return [small for stmt in cls.body.body if isinstance(stmt, cst.SimpleStatementLine)
            for small in stmt.body if isinstance(small, cst.AnnAssign) and isinstance(small.target, cst.Name)]


def _mirrors(ctx, words: frozenset[str], places: Places) -> None:
    for cls in _cst.nodes(ctx, cst.ClassDef):
        fields = _fields(cls)
        names = {f.target.value for f in fields}
        if not names & words:
            continue
        table = mirrored_table(ctx.spec, cls.name.value, names - words)
        if table is None:
            continue
        reach = Reach(MIRROR, f"{cls.name.value} mirrors {table}, whose {ctx.spec.after} rows have no such column")
        for f in fields:
            if f.target.value in words and not _aliased(ctx, f, words):
                places.add(ctx, f, reach)
                places.names[_cst.span(ctx, f.target)[0]] = reach


def _aliased(ctx, field: cst.AnnAssign, words: frozenset[str]) -> bool:
    """Is the field declared as an alias of a name that is not kept (`Field(..., alias="user_id")`)?"""
    alias = ctx.spec.backend_alias
    value = field.value
    if not isinstance(value, cst.Call) or _cst.written(ctx, value.func).split(".")[-1] != alias.field_call:
        return False
    given = [_cst.string_value(a.value) for a in value.args if a.keyword is not None
             and a.keyword.value in alias.field_keywords]
    return bool(given) and all(g is not None and g not in words for g in given)


# -- the front end's JSON contract ----------------------------------------------------
def _routes(ctx, places: Places) -> None:
    r = ctx.spec.reaches
    by_file = any(fnmatch.fnmatchcase(ctx.path.rsplit("/", 1)[-1], p) for p in r.route_files)
    for ret in _cst.nodes(ctx, cst.Return):
        fn = _cst.owner(ctx, ret)
        if ret.value is None or not isinstance(fn, cst.FunctionDef):
            continue
        if not (by_file or any(_route_decorator(d.decorator, r.route_decorators) for d in fn.decorators)):
            continue
        reach = Reach(JSON, f"what the route handler {fn.name.value}() returns")
        value = ret.value
        if isinstance(value, cst.Name):  # `body = {...}` then `return body`
            value = _cst.assigned_value(ctx, value)
        for node in _cst.walk(value) if value is not None else ():
            if isinstance(node, cst.Dict):  # its keys: a value's text is prose or data
                for el in node.elements:
                    if isinstance(el, cst.DictElement):
                        places.add(ctx, el.key, reach)
        _dict_keywords(ctx, value, reach, places)


def _dict_keywords(ctx, node, reach: Reach, places: Places) -> None:
    """The keyword names of the `dict(k=…)` calls in `node` are keys too."""
    for n in _cst.walk(node) if node is not None else ():
        if isinstance(n, cst.Call) and isinstance(n.func, cst.Name) and n.func.value == "dict":
            for a in n.args:
                if a.keyword is not None:
                    places.names[_cst.span(ctx, a.keyword)[0]] = reach


def _route_decorator(node, methods) -> bool:
    """`@router.get("/x")`, `@app.route(…)`: a call of one of the route methods."""
    if not isinstance(node, cst.Call):
        return False
    func = node.func
    name = func.attr.value if isinstance(func, cst.Attribute) else func.value if isinstance(func, cst.Name) else None
    return name in methods
