"""What one Python file declares and uses of the names a migration renames.

Read with CPython's `ast`: the model needs every file that mentions a
migrated name before any rule runs, and LibCST would parse each twice.
Positions are byte offsets into the file's UTF-8 text (what edits use).

A *type* is a small tuple, resolved across files later (index.py):

- ("name", "a.B")          a class or function named in this file
- ("self", "Cls")          `self`/`cls` in a method of class Cls
- ("attr", type, "x")      attribute x of what `type` is (`self.handler`)
- ("call", callee)         what calling `callee` gives
- None                     unknown

A *callee* is ("name", "a.f") for `f(…)`/`mod.f(…)`/`Cls(…)`,
("method", type, "m") for `obj.m(…)`, ("super", "Cls", "m") for
`super().m(…)` inside Cls.
"""

from __future__ import annotations

import ast
import bisect
import hashlib
import re
import warnings
from dataclasses import dataclass, field

from nooble_codemod.fs.source import SourceText
from nooble_codemod.languages.python_narrow import outline
from nooble_codemod.project import dumps, keysites, kwdicts
from nooble_codemod.project.dumps import COPY_METHODS, VALIDATE_METHODS
from nooble_codemod.project.pyast import DICT_KEY_METHODS, bound, dotted, scope_nodes

Pos = tuple[int, int]  # byte span [start, end)

# Calls whose string argument names an attribute.
_ATTRIBUTE_BY_NAME = frozenset({"getattr", "hasattr", "setattr", "delattr"})
# Calls whose keywords are those of the callable they are given first.
_PARTIALS = frozenset({"partial", "functools.partial", "partialmethod", "functools.partialmethod"})
# Class methods whose keywords are the fields of the class they are called on
# (pydantic's construction without validation: an unknown keyword is dropped).
_CONSTRUCTORS = frozenset({"model_construct"})
# Copies with changes, whose keywords are fields of the object given first
# (as a function's argument) or of the receiver (NamedTuple's _replace).
_REPLACE_FUNCTIONS = frozenset({"dataclasses.replace", "copy.replace"})
_REPLACE_METHODS = frozenset({"_replace"})
# Annotations that wrap the type a value has.
_WRAPPERS = frozenset({"Optional", "Annotated", "Final", "ClassVar"})


@dataclass
class Function:
    qual: str  # "f", "Cls.m"
    pos: Pos  # its name
    params: dict[str, Pos]  # the names of interest a caller may pass by keyword
    returns: tuple | None  # type of what it returns (its annotation)
    # The callees it passes its `**kwargs` on to: a keyword it does not take
    # itself may be theirs. Then also every name a caller may pass it by
    # keyword, and whether its text holds an old name (it may read one from
    # its **kwargs by key).
    forwards: tuple = ()
    takes: frozenset = frozenset()
    holds: bool = False
    kwargs: bool = False  # it takes **kwargs: a keyword of the new name may go there today
    # Its decorators as written ("router.get" for `@router.get("/x")`; "" for one not a dotted name):
    # a decorator may read or pass a parameter by its name.
    decorators: tuple = ()
    # (parameter, the call its default or Annotated metadata makes, by its last name): `Query()` makes
    # a parameter a request's of that name.
    markers: tuple = ()


@dataclass
class Class:
    qual: str
    pos: Pos
    bases: tuple[str, ...]  # dotted names as written
    decorators: tuple[str, ...]
    fields: dict[str, list[Pos]]  # names of interest it declares (body, self.x = …), at each declaration
    attr_types: dict[str, tuple | None] = field(default_factory=dict)
    methods: dict[str, Function | None] = field(default_factory=dict)  # None: a method without a name of interest
    # Where and how an annotated field of interest is declared in the body
    # (`_Reader.declaration`): what a change of its type and default edits.
    forms: dict[str, tuple] = field(default_factory=dict)


@dataclass
class Site:
    """A use of a name of interest: `kind` is "attr" (`x.name`), "kwarg"
    (`f(name=…)`), "kwkey" (`f(**{"name": …})`), "copykey"
    (`x.model_copy(update={"name": …})`), "getattr" (`getattr(x, "name")`),
    "string" (the name as a string in a class body, `@validator("name")`) or
    "dumpkey" (a key of the dict made of an object: `x.model_dump()["name"]`,
    `asdict(x).get("name")`, `d["name"]` after `d = x.model_dump()`,
    `"name" in x.model_dump()`, `M.model_fields["name"]`,
    `x.model_dump(exclude={"name"})`; `use` ("alias",) when it is by alias)
    or "splat" (the dict made of an object passed on by keyword:
    `f(**x.model_dump())`, `f(**d)` after `d = asdict(x)`,
    `M.model_validate(x.model_dump())`, `m.model_copy(update=x.model_dump())`;
    `name` "", `target` the callee, or ("into", a type) for a copy's fields,
    `use` ("from", the object's type, the call's other keywords of interest,
    by alias, "model" for a model's dump method or "any", the names the
    dump leaves out by its include/exclude))."""

    kind: str
    name: str
    pos: Pos
    # The receiver's type; for kwarg/kwkey, the callee ("forward", the call's, the function it is given first).
    target: tuple | None
    line: int
    text: str = ""  # the expression, as written (for messages)
    # For `x.name` with x a variable: every attribute the scope reads on x
    # (a receiver of unknown type is one of the classes declaring them all).
    also: frozenset = frozenset()
    # How the value is used (what a change of the field's type must edit):
    # ("test",) `if x.name:`, a `while` or `assert` test, an `and`/`or`
    # operand; ("not", span of `not `) `not x.name`; ("set", value span, b)
    # `x.name = True`; ("kw", value span, b) `f(name=False)`; () anything else.
    use: tuple = ()


@dataclass
class MethodDef:
    """A def named by a method rename (`[[identifier_renames]]` member or family)."""

    name: str
    pos: Pos
    owner: str | None  # its class's qual; None for a module-level function
    line: int
    delegates: bool  # its body calls the new name (an alias already)
    listed: bool = True  # False: named `<verb>_<stem>` for a family stem, with a verb the family does not list


@dataclass
class MethodUse:
    """A use of such a name: `kind` "use" (`x.name`, `name`), "import"
    (`from m import name`) or "string" (a string that is exactly the name)."""

    kind: str
    name: str
    pos: Pos
    target: tuple | None  # a callee (see the module's docstring)
    line: int
    text: str = ""


@dataclass
class FileFacts:
    path: str
    digest: str = ""  # of the text the positions refer to
    starts: list[int] = field(default_factory=list)  # the byte offset of each line
    imports: dict[str, tuple[str, str | None, int]] = field(default_factory=dict)  # local -> (module, name, level)
    classes: dict[str, Class] = field(default_factory=dict)
    functions: dict[str, Function | None] = field(default_factory=dict)  # module level
    variables: dict[str, tuple | None] = field(default_factory=dict)  # module level, with their types
    sites: list[Site] = field(default_factory=list)
    keys: list = field(default_factory=list)  # keysites.KeySite: where a cache key namespace is named
    defs: list[MethodDef] = field(default_factory=list)
    uses: list[MethodUse] = field(default_factory=list)
    # The top-level defs and classes, for narrowing the file in a worker without parsing it again.
    outline: tuple = ()
    # The module-level functions whose text holds an old name: as a decorator, one may read it by name.
    holders: frozenset = frozenset()
    # The functions it hands a framework to call (`Depends(get_owner)`, `add_api_route("/x", handler)`),
    # as written: the framework fills their parameters from the request by name.
    handed: frozenset = frozenset()


def annotation_type(node) -> tuple | None:
    """The class an annotation says a value is: `X`, `Optional[X]`, `X | None`, `"X"`."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        try:
            node = ast.parse(node.value, mode="eval").body
        except SyntaxError:
            return None
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        sides = [s for s in (node.left, node.right) if not (isinstance(s, ast.Constant) and s.value is None)]
        return annotation_type(sides[0]) if len(sides) == 1 else None
    if isinstance(node, ast.Subscript):
        head = dotted(node.value)
        if head and head.rsplit(".", 1)[-1] in _WRAPPERS:
            inner = node.slice.elts[0] if isinstance(node.slice, ast.Tuple) else node.slice
            return annotation_type(inner)
        return None
    name = dotted(node)
    return ("name", name) if name else None


class _Reader:
    def __init__(self, path: str, source: SourceText, names: frozenset[str], declared: frozenset[str],
                 methods: dict[str, str] | None = None, stems: frozenset[str] = frozenset(),
                 field_call: str = "Field", handing: tuple[dict, frozenset] = ({}, frozenset()),
                 forwarding: frozenset[str] = frozenset()) -> None:
        # names: whose uses are sites; declared: whose declarations a class's fields record (the new names too);
        # methods: renamed method names (old -> new), whose defs and uses are recorded;
        # handing: the calls and the mappings handing a framework a function it calls ([contracts]);
        # forwarding: calls passing their keywords on to the function given first ([client.python]).
        self.facts = FileFacts(path)
        self.names, self.declared = names, names | declared
        self.methods = methods or {}
        self.stems = tuple("_" + s for s in sorted(stems))  # a def ending so is named for a family
        words = sorted(names | set(self.methods))
        # One search over the statement's bytes in place, not a copy of them searched once per name.
        self.words = re.compile(b"|".join(re.escape(w.encode()) for w in words)) if words else None
        self.source, self.data = source, source.data
        self.field_call = field_call  # the models' field declaration call (`Field(default=True)`)
        self.splats = dumps.may_splat(self.data)  # most files pass on no object's dict: their statements need no screen
        self.handing_calls, self.handing_mappings = handing
        self.forwarding = forwarding
        # The module's variables bound once to a dict with literal keys naming an old name (kwdicts.py),
        # and a search for a statement passing one on by `**`: any module may change such a dict.
        self.module_dicts: dict[str, list] = {}
        self.module_splats: re.Pattern | None = None

    def at(self, line: int, col: int) -> int:
        return self.source.line_offset(line) + col

    def name_pos(self, line: int, col: int, name: str) -> Pos:
        start = self.at(line, col)
        return start, start + len(name.encode())

    def text(self, node, limit: int = 60) -> str:
        start, end = self.at(node.lineno, node.col_offset), self.at(node.end_lineno, node.end_col_offset)
        text = " ".join(self.data[start:end].decode("utf-8", "replace").split())
        return text if len(text) <= limit else text[:limit - 1] + "…"

    def def_pos(self, node) -> Pos:
        """A def's or class's name: after `def`/`async def`/`class` (the node starts there, decorators aside)."""
        start = self.at(node.lineno, node.col_offset)
        word = node.name.encode()
        at = self.data.find(word, start)
        return at, at + len(word)

    def string_pos(self, node: ast.Constant) -> Pos | None:
        """The span of a plain string literal's text (inside its quotes)."""
        start, end = self.at(node.lineno, node.col_offset), self.at(node.end_lineno, node.end_col_offset)
        raw = self.data[start:end]
        word = node.value.encode()
        for quote in (b'"', b"'"):
            if raw.endswith(quote) and raw.lstrip(b"rRuU").startswith(quote) and raw.count(word) == 1:
                at = raw.index(word)
                return start + at, start + at + len(word)
        return None

    # -- declarations ------------------------------------------------------------------
    def module(self, tree: ast.Module) -> FileFacts:
        for node in scope_nodes(tree.body):  # the module's imports, in `try`/`if` blocks too
            self.statement_imports(node)
        for node in tree.body:
            if isinstance(node, ast.ClassDef):
                self.klass(node, "")
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                self.facts.functions[node.name] = self.function(node, "", None)
                self.method_def(node, None)
                if self.holds(node):
                    self.facts.holders |= {node.name}
        self.facts.variables = {k: v for k, v in _assigned(tree.body).items()
                                if k not in self.facts.classes and k not in self.facts.functions}
        if self.words is not None and b"**" in self.data:
            self.module_dicts = {name: keys for name, keys in kwdicts.bindings(tree.body).items()
                                 if any((k.arg if isinstance(k, ast.keyword) else k.value) in self.names for k in keys)}
            if self.module_dicts:
                self.module_splats = re.compile(rb"\*\*\s*(?:%s)\b" % b"|".join(
                    re.escape(n.encode()) for n in sorted(self.module_dicts)))
        self.module_body(tree)
        handing = [re.escape(n.encode()) + rb"\s*\(" for n in sorted(self.handing_calls)] + [
            re.escape(n.encode()) + rb"\s*\[" for n in sorted(self.handing_mappings)]
        if handing and re.search(rb"\b(?:%s)" % b"|".join(handing), self.data):
            self.facts.handed = frozenset(_handed(tree, self.handing_calls, self.handing_mappings))
        return self.facts

    def method_def(self, node, owner: str | None) -> None:
        new = self.methods.get(node.name)
        if new is None:
            if node.name.endswith(self.stems) and node.name not in self.methods:
                self.facts.defs.append(MethodDef(node.name, self.def_pos(node), owner, node.lineno, False, False))
            return
        delegates = any(isinstance(n, ast.Call) and (dotted(n.func) or "").rsplit(".", 1)[-1] == new
                        for stmt in node.body for n in ast.walk(stmt))
        self.facts.defs.append(MethodDef(node.name, self.def_pos(node), owner, node.lineno, delegates))

    def statement_imports(self, node) -> None:
        if isinstance(node, ast.ImportFrom):
            for a in node.names:
                if a.name in self.methods:
                    pos = self.name_pos(a.lineno, a.col_offset, a.name)
                    if not any(u.pos == pos for u in self.facts.uses):  # a def's imports are read again
                        self.facts.uses.append(MethodUse("import", a.name, pos, ("name", a.asname or a.name),
                                                         a.lineno, self.text(node)))
        if isinstance(node, ast.Import):
            for a in node.names:
                local = a.asname or a.name.split(".", 1)[0]
                self.facts.imports[local] = (a.name if a.asname else local, None, 0)
        elif isinstance(node, ast.ImportFrom):
            for a in node.names:
                if a.name != "*":
                    self.facts.imports[a.asname or a.name] = (node.module or "", a.name, node.level)

    def function(self, node, prefix: str, owner: str | None) -> Function | None:
        a = node.args
        params = {p.arg: self.name_pos(p.lineno, p.col_offset, p.arg)
                  for p in a.args + a.kwonlyargs if p.arg in self.names}
        returns = annotation_type(node.returns) if node.returns is not None else None
        forwards = _forwards(node, owner) if a.kwarg is not None else ()
        if not params and returns is None and not forwards:
            return None
        decorators = tuple(dotted(d.func if isinstance(d, ast.Call) else d) or "" for d in node.decorator_list)
        markers = _markers(a, params) if params else ()
        if not forwards:
            return Function(prefix + node.name, self.def_pos(node), params, returns, kwargs=a.kwarg is not None,
                            decorators=decorators, markers=markers)
        return Function(prefix + node.name, self.def_pos(node), params, returns, forwards,
                        frozenset(p.arg for p in a.args + a.kwonlyargs), self.holds(node), True, decorators, markers)

    def klass(self, node: ast.ClassDef, prefix: str) -> None:
        qual = prefix + node.name
        c = Class(qual, self.def_pos(node),
                  tuple(d for d in (dotted(b.value if isinstance(b, ast.Subscript) else b) for b in node.bases) if d),
                  tuple(d for d in (dotted(x.func if isinstance(x, ast.Call) else x) for x in node.decorator_list) if d),
                  {})
        self.facts.classes[qual] = c
        for stmt in node.body:
            if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
                self.declare(c, stmt.target)
                if stmt.target.id in self.names:
                    pos = self.name_pos(stmt.target.lineno, stmt.target.col_offset, stmt.target.id)
                    c.forms.setdefault(stmt.target.id, (pos, self.declaration(stmt)))
                c.attr_types.setdefault(stmt.target.id, annotation_type(stmt.annotation))
            elif isinstance(stmt, ast.Assign):
                for t in stmt.targets:
                    if isinstance(t, ast.Name):
                        self.declare(c, t)
            elif isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
                c.methods[stmt.name] = self.function(stmt, qual + ".", qual)
                self.method_def(stmt, qual)
                if stmt.name in self.declared:  # a property or method named like a field
                    c.fields.setdefault(stmt.name, []).append(self.def_pos(stmt))
                self.self_attributes(c, stmt)
            elif isinstance(stmt, ast.ClassDef):
                self.klass(stmt, qual + ".")

    def declare(self, c: Class, target: ast.Name) -> None:
        if target.id in self.declared:
            c.fields.setdefault(target.id, []).append(self.name_pos(target.lineno, target.col_offset, target.id))

    def self_attributes(self, c: Class, fn) -> None:
        """`self.x = …` / `self.x: T = …` in a method: x is an attribute of the class."""
        if not fn.args.args:
            return
        me = fn.args.args[0].arg
        params = {p.arg: annotation_type(p.annotation) for p in fn.args.args + fn.args.kwonlyargs if p.annotation}
        for node in scope_nodes(fn.body):
            if isinstance(node, ast.Assign):
                pairs = [(t, node.value) for t in node.targets]
            elif isinstance(node, ast.AnnAssign):
                pairs = [(node.target, node.value)]
            else:
                continue
            for target, value in pairs:
                if isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name) and target.value.id == me:
                    if target.attr in self.declared:
                        c.fields.setdefault(target.attr, []).append(self._attr_pos(target))
                    if isinstance(node, ast.AnnAssign):
                        kind = annotation_type(node.annotation)
                    elif isinstance(value, ast.Name) and value.id in params:
                        kind = params[value.id]
                    elif isinstance(value, ast.Call) and (callee := dotted(value.func)):
                        kind = ("call", ("name", callee))
                    else:
                        kind = None
                    known = c.attr_types.get(target.attr, kind)
                    c.attr_types[target.attr] = kind if known == kind else None

    def holds(self, node) -> bool:
        """Does the statement's text (decorators included) hold an old name? A
        def or class that does not has no site: its uses are not walked."""
        if self.words is None:
            return False
        first = min([node.lineno, *(d.lineno for d in getattr(node, "decorator_list", ()))])
        start, end = self.source.line_offset(first), self.at(node.end_lineno, node.end_col_offset)
        return self.words.search(self.data, start, end) is not None

    def walks(self, node) -> bool:
        """Are the statement's uses read: does it hold an old name, or pass on the dict made of an object?"""
        if self.holds(node):
            return True
        if not self.splats and self.module_splats is None:
            return False
        first = min([node.lineno, *(d.lineno for d in getattr(node, "decorator_list", ()))])
        start, end = self.source.line_offset(first), self.at(node.end_lineno, node.end_col_offset)
        return (self.splats and dumps.may_splat(self.data, start, end)
                or self.module_splats is not None and self.module_splats.search(self.data, start, end) is not None)

    def span(self, node) -> Pos:
        return self.at(node.lineno, node.col_offset), self.at(node.end_lineno, node.end_col_offset)

    def not_pos(self, node: ast.UnaryOp) -> Pos:
        """`not` and the blanks after it."""
        start = self.at(node.lineno, node.col_offset)
        end = start + 3
        while self.data[end:end + 1] in (b" ", b"\t"):
            end += 1
        return start, end

    def declaration(self, stmt: ast.AnnAssign) -> tuple:
        """("decl", span of `bool` in the annotation, span of a True/False
        default or None, its value or None), or ("", why it is not that)."""
        ann = _bool_in(stmt.annotation)
        if ann is None:
            return ("", f"annotated `{self.text(stmt.annotation)}`, not bool")
        value = stmt.value
        if isinstance(value, ast.Call):  # Field(default=True, …), Field(True, …)
            if (dotted(value.func) or "").rsplit(".", 1)[-1] != self.field_call:
                return ("", f"its default `{self.text(value)}` is a call, not {self.field_call}(…)")
            if any(k.arg == "default_factory" for k in value.keywords):
                return ("", "its default comes from a default_factory")
            given = [k.value for k in value.keywords if k.arg == "default"] or value.args[:1]
            value = given[0] if given else None
        if value is None or (isinstance(value, ast.Constant) and (value.value is None or value.value is ...)):
            return ("decl", self.span(ann), None, None)
        if isinstance(value, ast.Constant) and isinstance(value.value, bool):
            return ("decl", self.span(ann), self.span(value), value.value)
        return ("", f"its default `{self.text(value)}` is not True, False or None")

    def _attr_pos(self, node: ast.Attribute) -> Pos:
        end = self.at(node.end_lineno, node.end_col_offset)
        return end - len(node.attr.encode()), end

    # -- uses --------------------------------------------------------------------------
    def module_body(self, tree: ast.Module) -> None:
        _Uses(self, {}, None, None).visit_all(s for s in tree.body if self.walks(s))


class _Uses:
    """The uses of names of interest in one scope, with the types its
    variables have (parameters' annotations, single assignments)."""

    def __init__(self, reader: _Reader, types: dict, klass: str | None, me: str | None,
                 owner: str | None = None) -> None:
        # klass: the class whose body this is; owner: the class of the method this is in (for super()).
        self.r, self.types, self.klass, self.me, self.owner = reader, types, klass, me, owner
        self.reads: dict[str, set[str]] = {}  # variable -> the attributes read on it
        self.roles: dict[int, tuple] = {}  # id(node) -> its use (Site.use), where a statement or operator says
        self.pending: list[tuple[Site, str]] = []
        self.dumps: dict[str, ast.expr | None] = {}  # variable -> the dump call bound to it (None: not one alone)
        # variable -> the literal dict it passes on by `**` (kwdicts.py), read when a call first passes a name so
        self.kwdicts: dict[str, kwdicts.KeywordDict] | None = {}
        self.scope: tuple = ((), ())  # (body, parameters) of the function this is the scope of

    def visit_all(self, body) -> None:
        for stmt in body:
            self.visit(stmt)

    def visit(self, node) -> None:
        if isinstance(node, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and not self.r.walks(node):
            return  # no old name in it, no dict passed on: no site
        if isinstance(node, ast.ClassDef):
            qual = node.name if self.klass is None else f"{self.klass}.{node.name}"
            for d in node.decorator_list + node.bases + [k.value for k in node.keywords]:
                self.expr(d)
            inner = _Uses(self.r, {}, qual, None)
            for stmt in node.body:
                inner.visit(stmt)
            return
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            self.function(node)
            return
        if isinstance(node, (ast.If, ast.While, ast.Assert)):
            self.roles[id(node.test)] = ("test",)
        elif isinstance(node, ast.Assign) and len(node.targets) == 1 and _is_bool(node.value):
            self.roles[id(node.targets[0])] = ("set", self.r.span(node.value), node.value.value)
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.expr):
                self.expr(child)
            else:
                self.visit(child)

    def function(self, node) -> None:
        a = node.args
        for d in getattr(node, "decorator_list", []) + a.defaults + [d for d in a.kw_defaults if d]:
            self.expr(d)
        types = dict(self.types)  # closures see the outer names
        me = None
        if self.klass is not None and not isinstance(node, ast.Lambda) and a.args and not any(
                dotted(d) == "staticmethod" for d in node.decorator_list):
            me = a.args[0].arg
        params = {p.arg: annotation_type(p.annotation) if p.annotation is not None else None
                  for p in a.posonlyargs + a.args + a.kwonlyargs}
        for extra in (a.vararg, a.kwarg):
            if extra is not None:
                params[extra.arg] = None
        if me is not None:
            params[me] = ("self", self.klass)
        types.update(params)
        body = node.body if isinstance(node.body, list) else [node.body]
        for sub in scope_nodes(body):  # imports in a function bind names there (kept module-wide)
            self.r.statement_imports(sub)
        for name, kind in _assigned(body).items():
            # A parameter assigned again keeps a type only if both agree.
            types[name] = kind if name not in params else params[name] if params[name] == kind else None
        if me is not None:
            types[me] = params[me]
        owner = self.klass if me is not None else self.owner
        scope = _Uses(self.r, types, self.klass if isinstance(node, ast.Lambda) else None, me, owner)
        scope.dumps = dumps.variables(body)
        scope.kwdicts, scope.scope = None, (body, frozenset(params))
        for stmt in body:
            scope.visit(stmt) if not isinstance(stmt, ast.expr) else scope.expr(stmt)
        for site, var in scope.pending:
            site.also = frozenset(scope.reads.get(var, ()))

    def type_of(self, node) -> tuple | None:
        if isinstance(node, ast.Name):
            if node.id in self.types:
                return self.types[node.id]
            return ("name", node.id)  # a module-level name: a class, a function or a module variable
        if isinstance(node, ast.Attribute):
            head = dotted(node.value)
            if head and head.split(".", 1)[0] in self.r.facts.imports and head.split(".", 1)[0] not in self.types:
                return ("name", f"{head}.{node.attr}")
            inner = self.type_of(node.value)
            return ("attr", inner, node.attr) if inner is not None else None
        if isinstance(node, ast.Await):
            return self.type_of(node.value)
        if isinstance(node, ast.Call):
            callee = self.callee(node)
            return ("call", callee) if callee is not None else None
        return None

    def callee(self, call: ast.Call) -> tuple | None:
        return self.callee_of(call.func)

    def callee_of(self, f) -> tuple | None:
        """What `f` names, when called (`f(…)`)."""
        if isinstance(f, ast.Name):
            if f.id not in self.types:
                return ("name", f.id)
            t = self.types[f.id]  # `cls(…)` in a classmethod constructs the class
            return ("class", t[1]) if t is not None and t[0] == "self" and f.id == "cls" else None
        if isinstance(f, ast.Attribute):
            v = f.value
            if isinstance(v, ast.Call) and isinstance(v.func, ast.Name) and v.func.id == "super" and self.owner:
                return ("super", self.owner, f.attr)
            head = dotted(v)
            if head and head.split(".", 1)[0] not in self.types:
                return ("name", f"{head}.{f.attr}")  # a module's function, a class's method, a class
            recv = self.type_of(v)
            return ("method", recv, f.attr)
        return None

    def expr(self, node) -> None:
        self.mark(node)
        for sub in ast.walk(node):
            if isinstance(sub, (ast.Lambda,)):
                continue
            if isinstance(sub, ast.Attribute) and isinstance(sub.value, ast.Name):
                self.reads.setdefault(sub.value.id, set()).add(sub.attr)
            if self.r.methods:
                self.method_use(sub)
            if isinstance(sub, ast.Attribute) and sub.attr in self.r.names:
                self.site("attr", sub.attr, self.r._attr_pos(sub), self.type_of(sub.value), sub.lineno, sub,
                          self.roles.pop(id(sub), ()))
                if isinstance(sub.value, ast.Name):
                    self.pending.append((self.r.facts.sites[-1], sub.value.id))
            elif isinstance(sub, ast.Call):
                self.call(sub)
            elif isinstance(sub, ast.Subscript):
                self.dump_key(sub.value, sub.slice, sub)
            elif isinstance(sub, ast.Compare) and len(sub.ops) == 1 and isinstance(sub.ops[0], (ast.In, ast.NotIn)):
                self.dump_key(sub.comparators[0], sub.left, sub)  # `"tenant_id" in row.model_dump()`
            elif (isinstance(sub, ast.Constant) and sub.value in self.r.names and self.klass is not None
                  and self.me is None and (pos := self.r.string_pos(sub)) is not None):
                # A class body's string naming a field (a validator's): a change of the field must follow it.
                self.site("string", sub.value, pos, ("self", self.klass), sub.lineno, sub)

    def mark(self, node) -> None:
        """The uses of the attributes in `node` that a boolean position gives
        them: a statement's test (set by visit), `and`/`or` operands, `not`'s
        operand, a conditional expression's or a comprehension's test."""
        todo = [(node, self.roles.pop(id(node), None))]
        while todo:
            n, role = todo.pop()
            if isinstance(n, ast.Attribute):
                if role is not None:
                    self.roles[id(n)] = role
                todo.append((n.value, None))
            elif isinstance(n, ast.BoolOp):
                todo += [(v, ("test",)) for v in n.values]
            elif isinstance(n, ast.UnaryOp) and isinstance(n.op, ast.Not):
                todo.append((n.operand, ("not", self.r.not_pos(n))))
            elif isinstance(n, ast.IfExp):
                todo += [(n.test, ("test",)), (n.body, None), (n.orelse, None)]
            elif isinstance(n, ast.comprehension):
                todo += [(n.target, None), (n.iter, None)] + [(i, ("test",)) for i in n.ifs]
            else:
                todo += [(c, None) for c in ast.iter_child_nodes(n)]

    def method_use(self, sub) -> None:
        methods, r = self.r.methods, self.r
        if isinstance(sub, ast.Attribute) and sub.attr in methods:
            r.facts.uses.append(MethodUse("use", sub.attr, r._attr_pos(sub), self.callee_of(sub), sub.lineno,
                                          r.text(sub)))
        elif isinstance(sub, ast.Name) and sub.id in methods:
            target = self.callee_of(sub)
            r.facts.uses.append(MethodUse("use", sub.id, r.name_pos(sub.lineno, sub.col_offset, sub.id), target,
                                          sub.lineno, sub.id))
        elif isinstance(sub, ast.Constant) and isinstance(sub.value, str) and sub.value in methods:
            pos = r.string_pos(sub) or r.name_pos(sub.lineno, sub.col_offset, "")
            r.facts.uses.append(MethodUse("string", sub.value, pos, None, sub.lineno, r.text(sub)))

    def call(self, call: ast.Call) -> None:
        names = self.r.names
        f = call.func
        callee = copied = None
        splats = [(k, made) for k in call.keywords if k.arg is None and (made := self.made(k.value))[0]]
        passed = {id(k): found for k in call.keywords if k.arg is None and (found := self.passed_keys(k.value))}
        if splats or passed or any(k.arg in names or k.arg is None and isinstance(k.value, ast.Dict)
                                   for k in call.keywords):
            if call.args and dotted(f) in _PARTIALS:
                callee = self.callee_of(call.args[0])  # partial(f, tenant_id=…): f's keywords
            elif call.args and (dotted(f) or "").rsplit(".", 1)[-1] in self.r.forwarding:
                callee = ("forward", self.callee(call), self.callee_of(call.args[0]))  # add_task(f, tenant_id=…)
            elif isinstance(f, ast.Attribute) and f.attr in _CONSTRUCTORS:
                callee = self.callee_of(f.value)  # M.model_construct(tenant_id=…): M's fields
            else:
                callee = self.callee(call)
            copied = self.copied(call)
        if splats:  # into a copy's fields (`replace(d, **asdict(e))`), else the callee's keywords
            self.splats(call, splats, ("into", copied) if copied is not None else callee)
        elif (isinstance(f, ast.Attribute) and f.attr in VALIDATE_METHODS and len(call.args) == 1
              and (made := self.made(call.args[0]))[0]):
            self.splats(call, [(call.args[0], made)], self.callee_of(f.value))  # M(**d) as well
        if (isinstance(f, ast.Attribute) and f.attr in VALIDATE_METHODS and call.args
                and isinstance(call.args[0], ast.Dict)):
            self.dict_keys("copykey", call.args[0], self.type_of(f.value))  # M.model_validate({"tenant_id": …})
        for k in call.keywords:
            if k.arg in names and copied is not None:  # replace(d, tenant_id=…): d's field
                self.site("copykey", k.arg, self.r.name_pos(k.lineno, k.col_offset, k.arg), copied, k.lineno, call)
            elif k.arg in names:
                use = ("kw", self.r.span(k.value), k.value.value) if _is_bool(k.value) else ()
                self.site("kwarg", k.arg, self.r.name_pos(k.lineno, k.col_offset, k.arg), callee, k.lineno,
                          call.func, use)
            elif k.arg is None and isinstance(k.value, ast.Dict):
                self.dict_keys("kwkey", k.value, callee)
            elif id(k) in passed:  # `f(**opts)` after `opts = {"tenant_id": t}`, `f(**dict(tenant_id=t))`
                keys, escapes = passed[id(k)]
                kind, target = ("copykey", copied) if copied is not None else ("kwkey", callee)
                for key in keys:
                    self.passed_key(key, kind, target, call, ("escapes", escapes) if escapes else ())
            elif (k.arg == "update" and isinstance(k.value, ast.Dict) and isinstance(f, ast.Attribute)
                  and f.attr in COPY_METHODS):
                self.dict_keys("copykey", k.value, self.type_of(f.value))
        if isinstance(f, ast.Attribute) and f.attr in COPY_METHODS:  # m.model_copy(update=row.model_dump())
            for k in call.keywords:
                if k.arg == "update" and (made := self.made(k.value))[0]:
                    self.splats(call, [(k.value, made)], ("into", self.type_of(f.value)))
        if isinstance(f, ast.Attribute) and f.attr in DICT_KEY_METHODS and call.args:
            self.dump_key(f.value, call.args[0], call)
        if dumps.made(call) is not None:
            for k in call.keywords:  # model_dump(include={"tenant_id"}): names of fields
                if k.arg in ("include", "exclude") and isinstance(k.value, (ast.Set, ast.List, ast.Tuple, ast.Dict)):
                    for key in (k.value.keys if isinstance(k.value, ast.Dict) else k.value.elts):
                        self.dump_key(call, key, call)
        if dotted(f) in ("attrgetter", "operator.attrgetter"):  # of any object: its type is unknown
            for a in call.args:
                if isinstance(a, ast.Constant) and a.value in names and (pos := self.r.string_pos(a)) is not None:
                    self.site("getattr", a.value, pos, None, call.lineno, call)
        if (isinstance(f, ast.Name) and f.id in _ATTRIBUTE_BY_NAME and len(call.args) >= 2
                and isinstance(call.args[1], ast.Constant) and call.args[1].value in names):
            pos = self.r.string_pos(call.args[1])
            if pos is not None:
                self.site("getattr", call.args[1].value, pos, self.type_of(call.args[0]), call.lineno, call)

    def passed_keys(self, node) -> tuple[list, str] | None:
        """(the key nodes, how they reach more: "used", "module" or "") of a literal dict `node`
        passes on by `**` that names a name of interest: `dict(k=…)`, or a
        variable bound to one (kwdicts.py); None for anything else."""
        names = self.r.names
        if isinstance(node, ast.Name) and self.kwdicts is None:
            self.kwdicts = kwdicts.keyword_dicts(*self.scope)
        if isinstance(node, ast.Name) and node.id in self.kwdicts:
            d = self.kwdicts[node.id]
            keys, escapes = d.keys, "used" if d.escapes or d.splats > 1 else ""
        elif isinstance(node, ast.Name) and node.id in self.r.module_dicts and node.id not in self.types:
            keys, escapes = self.r.module_dicts[node.id], "module"  # changed or imported anywhere
        elif isinstance(node, ast.Call) and (keys := kwdicts.literal(node)) is not None:
            escapes = ""
        else:
            return None
        keys = [k for k in keys if (k.arg if isinstance(k, ast.keyword) else k.value) in names]
        return (keys, escapes) if keys else None

    def passed_key(self, key, kind: str, target, call: ast.Call, use: tuple) -> None:
        """A key site at the key, which may be lines away from the call it reaches."""
        text = f"{self.r.text(key, 30)} passed on by {self.r.text(call)}"
        if isinstance(key, ast.keyword):
            pos = self.r.name_pos(key.lineno, key.col_offset, key.arg)
            self.r.facts.sites.append(Site(kind, key.arg, pos, target, key.lineno, text, use=use))
        elif (pos := self.r.string_pos(key)) is not None:
            self.r.facts.sites.append(Site(kind, key.value, pos, target, key.lineno, text, use=use))

    def made(self, node) -> tuple[list, set]:
        """The dumps (dumps.made_in) `node` passes on, directly or through a variable
        bound once; with the keys of interest a dict display gives beside them."""
        if isinstance(node, ast.Name) and node.id in self.dumps:
            node = self.dumps[node.id]
        keys = {k.value for k in node.keys if isinstance(k, ast.Constant)} if isinstance(node, ast.Dict) else set()
        return dumps.made_in(node), keys & self.r.declared

    def splats(self, call: ast.Call, splats, callee) -> None:
        """A "splat" site for each dict made of an object that `call` passes on by keyword."""
        named = {k.arg for k in call.keywords if k.arg in self.r.declared}
        for node, (made, keys) in splats:
            given = tuple(sorted(named | keys))
            for obj, dump in made:
                keywords = getattr(dump, "keywords", ())
                alias = any(k.arg == "by_alias" for k in keywords)
                how = ("model" if isinstance(dump, ast.Call) and isinstance(dump.func, ast.Attribute)
                       and dump.func.attr in dumps.MODEL_DUMP_METHODS else "any")
                self.site("splat", "", self.r.span(node), callee, call.lineno, call,
                          ("from", self.type_of(obj), given, alias, how, dumps.left_out(keywords, self.r.names)))

    def copied(self, call: ast.Call) -> tuple | None:
        """The type of the object a copy-with-changes call copies
        (`dataclasses.replace(d, …)`, `n._replace(…)`), else None."""
        f = call.func
        if isinstance(f, ast.Attribute) and f.attr in _REPLACE_METHODS:
            return self.type_of(f.value) or ("unknown",)
        name = dotted(f)
        imported = self.r.facts.imports.get(name) if name else None
        if call.args and (name in _REPLACE_FUNCTIONS or imported is not None and imported[1] is not None
                          and f"{imported[0]}.{imported[1]}" in _REPLACE_FUNCTIONS):
            return self.type_of(call.args[0]) or ("unknown",)
        return None

    def dump_key(self, receiver, key, node) -> None:
        """`key` read from `receiver`: a site when it names a field and the
        receiver is the dict made of an object (dumps.made)."""
        if not (isinstance(key, ast.Constant) and key.value in self.r.names):
            return
        if isinstance(receiver, ast.Name) and receiver.id in self.dumps:
            receiver = self.dumps[receiver.id]
        made = dumps.made(receiver)
        pos = self.r.string_pos(key) if made is not None else None
        if pos is not None:
            obj, dump = made
            use = ("alias",) if any(k.arg == "by_alias" for k in getattr(dump, "keywords", ())) else ()
            self.site("dumpkey", key.value, pos, self.type_of(obj), key.lineno, node, use)

    def dict_keys(self, kind: str, d: ast.Dict, target) -> None:
        for key in d.keys:
            if isinstance(key, ast.Constant) and key.value in self.r.names:
                pos = self.r.string_pos(key)
                if pos is not None:
                    self.site(kind, key.value, pos, target, key.lineno, d)

    def site(self, kind, name, pos, target, line, node, use: tuple = ()) -> None:
        self.r.facts.sites.append(Site(kind, name, pos, target, line, self.r.text(node), use=use))


def _is_bool(node) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, bool)


def _bool_in(annotation) -> ast.Name | None:
    """The `bool` of an annotation `bool`, `Optional[bool]` or `bool | None`."""
    node = annotation
    if isinstance(node, ast.Subscript) and (dotted(node.value) or "").rsplit(".", 1)[-1] == "Optional":
        node = node.slice
    elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        sides = [s for s in (node.left, node.right) if not (isinstance(s, ast.Constant) and s.value is None)]
        node = sides[0] if len(sides) == 1 else None
    return node if isinstance(node, ast.Name) and node.id == "bool" else None


def _assigned(body) -> dict[str, tuple | None]:
    """Names a scope binds, with the type when every binding agrees (`x: T =
    …`, `x = T(…)`, `x = await f(…)`); other bindings make it unknown."""
    out: dict[str, tuple | None] = {}

    def bind(name: str, kind) -> None:
        out[name] = kind if name not in out or out[name] == kind else None

    for node in scope_nodes(body):
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            bind(node.target.id, annotation_type(node.annotation))
        elif isinstance(node, ast.Assign):
            value = node.value.value if isinstance(node.value, ast.Await) else node.value
            kind = None
            if isinstance(value, ast.Call) and (callee := dotted(value.func)):
                kind = ("call", ("name", callee))
            for t in node.targets:
                for n in bound(t):
                    bind(n.id, kind if t is n else None)
        elif isinstance(node, (ast.For, ast.AsyncFor, ast.With, ast.AsyncWith, ast.NamedExpr,
                               ast.AugAssign, ast.ExceptHandler, ast.comprehension)):
            targets = [node.target] if getattr(node, "target", None) is not None else []
            if isinstance(node, (ast.With, ast.AsyncWith)):
                targets = [i.optional_vars for i in node.items if i.optional_vars is not None]
            if isinstance(node, ast.ExceptHandler) and node.name:
                out[node.name] = None
            for t in targets:
                for n in bound(t):
                    out[n.id] = None
    return out


def read(path: str, source: SourceText, names: frozenset[str], declared: frozenset[str] = frozenset(),
         methods: dict[str, str] | None = None, keys: frozenset[str] = frozenset(), cache=None,
         logs: frozenset[str] = frozenset(), stems: frozenset[str] = frozenset(),
         field_call: str = "Field", handing: tuple[dict, frozenset] = ({}, frozenset()),
         forwarding: frozenset[str] = frozenset()) -> FileFacts | None:
    """The facts of one file (`names`: the old names; `declared`: more names
    whose declarations count, the new ones; `methods`: renamed methods, old ->
    new; `keys`: cache key namespaces, judged by `cache` ([cache_keys]), log
    calls on `logs` aside; `stems`: method families' stems, whose other
    `<verb>_<stem>` defs are recorded too; `handing`: the calls and the
    mappings handing a framework what it calls, `Depends`,
    `dependency_overrides`; `forwarding`: calls passing their
    keywords on to the function given first); None when it does not parse."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # invalid escapes and the like: not ours to say
            tree = ast.parse(source.text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    reader = _Reader(path, source, names, declared, methods, stems, field_call, handing, forwarding)
    facts = reader.module(tree)
    facts.keys = keysites.read(reader, tree, keys, cache, logs)
    facts.digest = digest(source.data)
    facts.outline = outline(tree)
    facts.starts = source.line_offsets()
    return facts


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


def line_of(facts: FileFacts, offset: int) -> int:
    """The 1-based line of a byte offset of the file."""
    return bisect.bisect_right(facts.starts, offset)


def _handed(tree: ast.Module, calls: dict[str, tuple[int, str]], mappings: frozenset[str]) -> set[str]:
    """The functions, as written, that the module hands a framework: the
    argument at a call's position or keyword ([contracts] handing_calls),
    the value stored into a mapping (handing_mappings)."""
    out = set()
    for node in ast.walk(tree):
        if (isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Subscript)
                and (dotted(node.targets[0].value) or "").rsplit(".", 1)[-1] in mappings
                and (name := dotted(node.value))):
            out.add(name)
        elif isinstance(node, ast.Call) and (where := calls.get((dotted(node.func) or "").rsplit(".", 1)[-1])):
            at, keyword = where
            given = [k.value for k in node.keywords if k.arg == keyword]
            if len(node.args) > at and not any(isinstance(a, ast.Starred) for a in node.args[:at + 1]):
                given.append(node.args[at])
            out.update(name for g in given if (name := dotted(g)))
    return out


def _given(a: ast.arguments):
    """(parameter, node) for each parameter's default and `Annotated[…]` metadata element."""
    positional = a.posonlyargs + a.args
    defaults = dict(zip((p.arg for p in positional[len(positional) - len(a.defaults):]), a.defaults))
    defaults.update((p.arg, d) for p, d in zip(a.kwonlyargs, a.kw_defaults) if d is not None)
    for p in positional + a.kwonlyargs:
        if p.arg in defaults:
            yield p.arg, defaults[p.arg]
        ann = p.annotation
        if (isinstance(ann, ast.Subscript) and (dotted(ann.value) or "").rsplit(".", 1)[-1] == "Annotated"
                and isinstance(ann.slice, ast.Tuple)):
            for d in ann.slice.elts[1:]:
                yield p.arg, d


def _markers(a: ast.arguments, params) -> tuple:
    """(parameter, last name of a call) for each call a parameter of interest
    has as its default or in its `Annotated[…]` metadata (`Query()`)."""
    return tuple(sorted({(p, name.rsplit(".", 1)[-1]) for p, d in _given(a)
                         if p in params and isinstance(d, ast.Call) and (name := dotted(d.func))}))


def _forwards(node, owner: str | None) -> tuple:
    """The callees of the calls in a function that pass on its `**kwargs`
    (`super().__init__(**kwargs)`, `self.m(x, **kw)`, `f(**kwargs)`); None
    for one that cannot be told (`handlers[k](**kw)`). Nested functions
    are their own."""
    kw, me = node.args.kwarg.arg, node.args.args[0].arg if owner and node.args.args else None
    out = []
    stack = list(node.body)
    while stack:
        n = stack.pop()
        if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            continue
        if isinstance(n, ast.Call) and any(k.arg is None and isinstance(k.value, ast.Name) and k.value.id == kw
                                           for k in n.keywords):
            out.append(_written_callee(n.func, owner, me))
        stack.extend(ast.iter_child_nodes(n))
    return tuple(sorted(set(out), key=repr))


def _written_callee(f, owner: str | None, me: str | None) -> tuple | None:
    """A callee as written, for a function read without its scope's types (facts' docstring)."""
    if isinstance(f, ast.Name):
        return ("name", f.id)
    if isinstance(f, ast.Attribute):
        v = f.value
        if isinstance(v, ast.Call) and isinstance(v.func, ast.Name) and v.func.id == "super" and owner:
            return ("super", owner, f.attr)
        if isinstance(v, ast.Name) and me is not None and v.id == me:
            return ("method", ("self", owner), f.attr)
        head = dotted(v)
        if head:
            return ("name", f"{head}.{f.attr}")
    return None


# -- kept between runs (the result cache, JSON) ------------------------------------
def to_json(f: FileFacts) -> dict:
    # By hand, not dataclasses.asdict: that deep-copies every value, and a cold run keeps hundreds of files.
    def fn(x):
        return None if x is None else {"qual": x.qual, "pos": x.pos, "params": x.params, "returns": x.returns,
                                       "forwards": x.forwards, "takes": sorted(x.takes), "holds": x.holds,
                                       "kwargs": x.kwargs, "decorators": x.decorators, "markers": x.markers}

    return {"path": f.path, "digest": f.digest, "starts": f.starts, "imports": f.imports,
            "classes": {q: {"qual": c.qual, "pos": c.pos, "bases": c.bases, "decorators": c.decorators,
                            "fields": c.fields, "attr_types": c.attr_types, "forms": c.forms,
                            "methods": {k: fn(m) for k, m in c.methods.items()}} for q, c in f.classes.items()},
            "functions": {k: fn(v) for k, v in f.functions.items()}, "variables": f.variables,
            "keys": [[k.name, k.pos, k.kind, k.line, k.text, k.why] for k in f.keys],
            "defs": [[d.name, d.pos, d.owner, d.line, d.delegates, d.listed] for d in f.defs],
            "uses": [[u.kind, u.name, u.pos, u.target, u.line, u.text] for u in f.uses],
            "outline": f.outline, "holders": sorted(f.holders), "handed": sorted(f.handed),
            "sites": [{"kind": s.kind, "name": s.name, "pos": s.pos, "target": s.target, "line": s.line,
                       "text": s.text, "also": sorted(s.also), "use": s.use} for s in f.sites]}


def from_json(d: dict) -> FileFacts:
    """The facts to_json wrote; KeyError, TypeError or ValueError when `d` is not such."""
    def fn(x):
        return None if x is None else Function(x["qual"], _t(x["pos"]), {k: _t(v) for k, v in x["params"].items()},
                                               _t(x["returns"]), _t(x["forwards"]), frozenset(x["takes"]),
                                               x["holds"], x["kwargs"], _t(x["decorators"]), _t(x["markers"]))

    classes = {q: Class(c["qual"], _t(c["pos"]), tuple(c["bases"]), tuple(c["decorators"]),
                        {k: [_t(p) for p in v] for k, v in c["fields"].items()},
                        {k: _t(v) for k, v in c["attr_types"].items()}, {k: fn(m) for k, m in c["methods"].items()},
                        {k: _t(v) for k, v in c["forms"].items()})
               for q, c in d["classes"].items()}
    sites = [Site(s["kind"], s["name"], _t(s["pos"]), _t(s["target"]), s["line"], s["text"], frozenset(s["also"]),
                  _t(s["use"])) for s in d["sites"]]
    keys = [keysites.KeySite(n, _t(p), k, ln, t, w) for n, p, k, ln, t, w in d["keys"]]
    defs = [MethodDef(n, _t(p), o, ln, dl, ls) for n, p, o, ln, dl, ls in d["defs"]]
    uses = [MethodUse(k, n, _t(p), _t(t), ln, tx) for k, n, p, t, ln, tx in d["uses"]]
    return FileFacts(d["path"], d["digest"], list(d["starts"]), {k: _t(v) for k, v in d["imports"].items()},
                     classes, {k: fn(v) for k, v in d["functions"].items()},
                     {k: _t(v) for k, v in d["variables"].items()}, sites, keys, defs, uses, _t(d["outline"]),
                     frozenset(d["holders"]), frozenset(d["handed"]))


def _t(x):
    """JSON's lists as the tuples they were."""
    return tuple(_t(i) for i in x) if isinstance(x, list) else x
