"""Where a file names a cache key namespace, and whether each place is a key.

A key's namespace is its leading segment (the spec's `[cache_keys]`
separator): "tenant_info", "tenant_info:*", f"tenant_info:{id}",
"tenant_info:" + id, "tenant_info:%s" % id and get_key("tenant_info", id)
lead with tenant_info; "other:tenant_info", "tenant_infos" and
"tenant_info_v2:1" do not, and are no site. Each site is judged from its
context, as the spec's `[cache_keys]` says: "key", "data" (a dict's key, a
subscript, a dict read: left as is) or "unsure" (the namespace cannot be
renamed anywhere while it stands). Strings of log calls, docstrings and
prose (the namespace and the separator in a text holding whitespace, outside
a key's context: "tenant_info: not cached") are no site.
"""

from __future__ import annotations

import ast
import fnmatch
from dataclasses import dataclass


@dataclass
class KeySite:
    name: str  # the namespace
    pos: tuple[int, int]  # the namespace's text inside the literal
    kind: str  # "key" | "data" | "unsure"
    line: int
    text: str  # the key expression, as written
    why: str = ""  # what the context says (for messages)


def _last_name(node) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def _matches(name: str | None, patterns) -> bool:
    return name is not None and any(fnmatch.fnmatchcase(name.lower(), p.lower()) for p in patterns)


class _Judge:
    def __init__(self, reader, tree: ast.Module, names: frozenset[str], cache, logs: frozenset[str]) -> None:
        self.r, self.names, self.cache, self.logs = reader, names, cache, logs
        self.parent: dict[int, ast.AST] = {}
        for node in ast.walk(tree):
            for child in ast.iter_child_nodes(node):
                self.parent[id(child)] = node
        self.key_vars = self._key_vars(tree)

    def _key_vars(self, tree) -> set[str]:
        """Names this file builds keys from: `get_key(NS, id)`, `cache.get(NS)`, f"{NS}:{id}"."""
        out = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and self.call_context(node) == "key":
                out |= {a.id for a in [*node.args, *(k.value for k in node.keywords)] if isinstance(a, ast.Name)}
            elif (isinstance(node, ast.JoinedStr) and len(node.values) > 1
                  and isinstance(node.values[0], ast.FormattedValue) and isinstance(node.values[0].value, ast.Name)
                  and isinstance(node.values[1], ast.Constant) and self.cache.separator
                  and str(node.values[1].value).startswith(self.cache.separator)):
                out.add(node.values[0].value.id)
        return out

    def up(self, node):
        return self.parent.get(id(node))

    def leading(self, node) -> str | None:
        """The literal text a string expression starts with."""
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return node.value
        if isinstance(node, ast.JoinedStr) and node.values and isinstance(node.values[0], ast.Constant):
            return node.values[0].value
        return None

    def namespace(self, text: str) -> str | None:
        sep = self.cache.separator
        head = text.split(sep, 1)[0] if sep else text
        return head if head in self.names else None

    def text_pos(self, node, name: str) -> tuple[int, int] | None:
        """The namespace's bytes right after the literal's prefix and opening quote."""
        start = self.r.at(node.lineno, node.col_offset)
        data = self.r.data
        at = start
        while at < len(data) and data[at:at + 1] in b"rRuUfFbB":
            at += 1
        quote = data[at:at + 3] if data[at:at + 3] in (b'"""', b"'''") else data[at:at + 1]
        if quote not in (b'"', b"'", b'"""', b"'''"):
            return None
        at += len(quote)
        word = name.encode()
        return (at, at + len(word)) if data[at:at + len(word)] == word else None

    def call_context(self, call: ast.Call) -> str | None:
        """"key", "data", "log" or None for a string argument of `call`."""
        func = call.func
        name = _last_name(func)
        receiver = _last_name(func.value) if isinstance(func, ast.Attribute) else None
        if receiver in self.logs:
            return "log"
        if name in self.cache.key_builders:
            return "key"
        if name in self.cache.cache_methods and _matches(receiver, self.cache.cache_receivers):
            return "key"
        if name in self.cache.data_methods and receiver is not None:
            return "data"
        return None

    def judge(self, literal, name: str, separated: bool) -> tuple[str, str] | None:
        """(kind, why) of a string leading with namespace `name`; None: not a site (a log text, prose)."""
        if isinstance(self.up(literal), ast.Expr):
            return None  # a docstring, or a string statement: text
        x = literal
        while True:  # climb the key expression built from the literal
            p = self.up(x)
            if isinstance(p, ast.BinOp) and p.left is x and isinstance(p.op, (ast.Add, ast.Mod)):
                x = p
            elif (isinstance(p, ast.Attribute) and p.attr == "format" and isinstance(self.up(p), ast.Call)
                  and self.up(p).func is p):
                x = self.up(p)
            else:
                break
        p = self.up(x)
        if isinstance(p, ast.keyword):
            call = self.up(p)
            context = self.call_context(call) if isinstance(call, ast.Call) else None
            if context == "log":
                return None
            if context == "key" or _matches(p.arg, self.cache.key_names):
                return "key", "a cache key argument"
        elif isinstance(p, ast.Call) and p.func is not x:
            context = self.call_context(p)
            if context == "log":
                return None
            if context == "key":
                return "key", "a cache key argument"
            if context == "data" and not separated:
                return "data", f"read from a dict with .{_last_name(p.func)}()"
        elif isinstance(p, ast.Dict) and any(k is x for k in p.keys):
            holder = self.up(p)
            if isinstance(holder, ast.Call) and self.call_context(holder) == "key":
                return "key", "a key of a cache call's mapping"
            return "data", "a key of a dict"
        elif isinstance(p, ast.Subscript) and p.slice is x:
            if _matches(_last_name(p.value), self.cache.cache_receivers):
                return "key", "a key of a cache"
            return "data", "a subscript key"
        elif isinstance(p, ast.arguments):  # a parameter's default: `namespace="tenant_info"`
            positional = p.posonlyargs + p.args
            pairs = list(zip(positional[len(positional) - len(p.defaults):], p.defaults))
            pairs += [(a, d) for a, d in zip(p.kwonlyargs, p.kw_defaults) if d is not None]
            if any(d is x and _matches(a.arg, self.cache.key_names) for a, d in pairs):
                return "key", "the default of a cache key parameter"
        elif isinstance(p, (ast.Assign, ast.AnnAssign)):
            targets = p.targets if isinstance(p, ast.Assign) else [p.target]
            if any(_matches(_last_name(t), self.cache.key_names) for t in targets):
                return "key", "assigned to a cache key name"
            if any(isinstance(t, ast.Name) and t.id in self.key_vars for t in targets):
                return "key", "assigned to a name the file builds keys from"
        if separated:
            if any(c.isspace() for c in _constant_text(literal)):
                return None  # "tenant_info: not cached": prose (an error message), py-leftover's
            return "key", f"a key of the namespace ('{self.cache.separator}' follows it)"
        return "unsure", "its context does not say whether it is a cache key"

    def sites(self, tree: ast.Module) -> list[KeySite]:
        out = []
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(self.up(node), (ast.JoinedStr, ast.FormattedValue)):
                continue  # a piece of an f-string: the f-string is the literal
            p = self.up(node)
            if isinstance(p, ast.BinOp) and p.right is node and isinstance(p.op, ast.Add):
                continue  # `prefix + "tenant_info:"`: a segment after another, not the key's namespace
            text = self.leading(node)
            name = self.namespace(text) if text else None
            if name is None:
                continue
            verdict = self.judge(node, name, text != name)
            if verdict is None:
                continue
            kind, why = verdict
            pos = self.text_pos(node, name)
            if pos is None:  # escapes or a split literal: not an edit we can make
                start = self.r.at(node.lineno, node.col_offset)
                pos, kind, why = (start, start), "unsure", "its text cannot be edited in place"
            out.append(KeySite(name, pos, kind, node.lineno, self.r.text(node), why))
        return out


def _constant_text(node) -> str:
    """The literal text of a string or f-string (its `{…}` parts left out)."""
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str))
    return node.value


def read(reader, tree: ast.Module, names: frozenset[str], cache, logs: frozenset[str]) -> list[KeySite]:
    """The namespace sites of a parsed file (`reader`: facts._Reader, for positions)."""
    if not names or cache is None or not any(n.encode() in reader.data for n in names):
        return []
    return _Judge(reader, tree, names, cache, logs).sites(tree)
