"""HTTP contracts: a back-end route's JSON and the TS type the front end
reads it as (guide §2.7, §3). The two sides must keep agreeing, so a key is
decided for both at once: kept by the back end (a dict literal's key, a
field kept or aliased, a blocked rename) → the TS member stays and both
sides are reported, each naming the other; renamed with a model field's
group → the TS member and its reads join the group (certain links only; an
uncertain link blocks the group: never a half-renamed pair).

`find` reads the run's files for routes and the front-end calls naming
their paths (before the Python model, so the files wait for it); `decide`
turns the links into each file's `FileDecisions.contracts`. The spec's
`[contracts]` says what a route and a fetch call look like.
"""

from __future__ import annotations

import ast
import re
import warnings
from dataclasses import dataclass, field, replace

from nooble_codemod.project import facts as facts_mod

_PARAM = re.compile(r"\{[^}]*\}|<[^>]*>")  # FastAPI `{id}`, Flask `<int:id>`


@dataclass(frozen=True)
class Contract:
    """A file's part of a contract. `kind` "member": the TS type `type_name`
    reads key `old` (its declaration and reads in this file); "key": the back
    end's key at [start, end) of this file. `new` and `group`: the member
    follows that rename; empty: it stays and `text` is what is reported."""

    kind: str
    old: str
    new: str = ""
    group: str = ""
    checklist: str = ""
    text: str = ""
    type_name: str = ""
    start: int = 0
    end: int = 0
    count: int = 0  # a renamed member: its sites in the file, each a fix of the group


@dataclass
class Route:
    path: str  # report path of the Python file
    url: str  # as declared
    line: int
    keys: dict = field(default_factory=dict)  # name -> (start, end, line) of a dict literal's key
    model: str = ""  # the response model's class name


@dataclass
class Link:
    route: Route
    ts_path: str
    line: int
    type_name: str
    certain: bool  # the whole path matched (no unknown prefix)


@dataclass
class Found:
    routes: list = field(default_factory=list)
    links: list = field(default_factory=list)
    types: dict = field(default_factory=dict)  # type name -> [(ts path, line, members)] of its declarations
    users: dict = field(default_factory=dict)  # type name -> TS files naming it
    counts: dict = field(default_factory=dict)  # (TS path, type, member) -> its sites there (_contract.member_sites)
    loose: dict = field(default_factory=dict)  # (TS path, member) -> where else the file names it (lines)
    files: set = field(default_factory=set)  # every file a decision may go to


def norm(url: str) -> str:
    return _PARAM.sub("{}", url).rstrip("/") or "/"


# --- the back end -----------------------------------------------------------------

def routes_of(path: str, raw: bytes, spec, names: frozenset[str]) -> list[Route]:
    """The routes a Python file declares, with the keys of interest (`names`) of their payloads."""
    c = spec.contracts
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # invalid escapes and the like: not ours to say
            tree = ast.parse(raw)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return []  # the file's own analysis says what is wrong with it
    starts = [0, *(m.end() for m in re.finditer(b"\n", raw))]
    out = []
    for fn in ast.walk(tree):
        if not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        declared = [(d.args[0].value, d.lineno, d.keywords) for d in fn.decorator_list
                    if isinstance(d, ast.Call) and isinstance(d.func, ast.Attribute)
                    and d.func.attr in c.route_decorators and d.args
                    and isinstance(d.args[0], ast.Constant) and isinstance(d.args[0].value, str)]
        doc = (ast.get_docstring(fn) or "").split(None, 2)
        if not declared and len(doc) >= 2 and doc[0] in c.docstring_verbs and doc[1].startswith("/"):
            declared = [(doc[1].rstrip(":.,;"), fn.lineno, [])]  # `"""GET /jobs/{job_id}"""`: routed elsewhere
        for url, line, keywords in declared:
            route = Route(path, url, line)
            for kw in keywords:
                if kw.arg in c.response_model_keywords:
                    route.model = _last_name(kw.value)
            if not route.model and fn.returns is not None:
                route.model = _last_name(fn.returns)
            for node in _own_nodes(fn):
                if isinstance(node, ast.Return) and isinstance(node.value, ast.Dict):
                    for k in node.value.keys:
                        if isinstance(k, ast.Constant) and k.value in names:
                            start = starts[k.lineno - 1] + k.col_offset
                            end = starts[k.end_lineno - 1] + k.end_col_offset
                            route.keys.setdefault(k.value, (start, end, k.lineno))
            out.append(route)
    return out


def _last_name(node) -> str:
    if isinstance(node, ast.Subscript):  # list[JobOut], List[JobOut]: the rows' model
        return _last_name(node.slice)
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def _own_nodes(fn):
    """The nodes of a function's body, not of the functions and classes nested in it."""
    stack = list(fn.body)
    while stack:
        node = stack.pop()
        yield node
        for child in ast.iter_child_nodes(node):
            if not isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
                stack.append(child)


# --- the front end ----------------------------------------------------------------

def _ctx(path: str, raw: bytes, spec, settings):
    """A RuleContext over a TS file, for the tree helpers (None: it does not parse)."""
    from nooble_codemod.fs.source import DecodeError, SourceText
    from nooble_codemod.languages import SyntaxProblem, typescript
    from nooble_codemod.rules import RuleContext

    try:
        source = SourceText.decode(raw)
        tree = typescript.parse(source.data, path)
    except (DecodeError, SyntaxProblem, ValueError):
        return None
    return RuleContext(path, "typescript", source, tree, spec, settings)


def calls_of(ctx, routes: list[Route]) -> list[Link]:
    """The fetch calls of a TS file naming a route's path, with the type their JSON is read as."""
    from nooble_codemod.rules.typescript import _ast

    c = ctx.spec.contracts
    by_url = {}
    for r in routes:
        by_url.setdefault(norm(r.url), []).append(r)
    found = []  # (call, route, certain)
    for call in _ast.nodes(ctx, "call_expression"):
        fn, args = call.child_by_field_name("function"), call.child_by_field_name("arguments")
        name = fn.child_by_field_name("property") if fn is not None and fn.type == "member_expression" else fn
        if name is None or _ast.text(ctx, name) not in c.fetch_calls or args is None or not args.named_children:
            continue
        url, prefixed = _url(ctx, args.named_children[0])
        if url is None:
            continue
        for key, rs in by_url.items():
            # An unknown prefix (`${base}/jobs`, `/api/jobs` under a router prefix) may still be the route.
            if url == key and not prefixed:
                found.extend((call, r, True) for r in rs)
            elif url.endswith(key) and (url == key or url[-len(key) - 1] == "/" or key.startswith("/")):
                found.extend((call, r, False) for r in rs)
    out = []
    for call, route, certain in found:
        scope = next((a for a in _ast.ancestors(call) if a.type in _ast.FUNCTION_NODES), None)
        others = [f for f in found if f[0] is not call and scope is not None and _ast.contains(scope, f[0])]
        types = _type_args(ctx, call) or (_json_types(ctx, scope) if scope is not None and not others else set())
        if len(types) == 1:
            out.append(Link(route, ctx.path, ctx.source.position(call.start_byte)[0], types.pop(), certain))
    return out


def _url(ctx, node) -> tuple[str | None, bool]:
    """(the path with each `${…}` as `{}`, whether it starts with one); (None, _) if not a literal."""
    from nooble_codemod.rules.typescript import _ast

    if node.type == "string":
        s = _ast.static_string(ctx, node)
        return (norm(s.value), False) if s is not None else (None, False)
    if node.type != "template_string":
        return None, False
    parts, lead = [], True
    prefixed = False
    for child in node.children[1:-1]:
        if child.type == "template_substitution":
            prefixed = prefixed or lead
            parts.append("{}")
        elif child.type == "string_fragment":
            parts.append(_ast.text(ctx, child))
        else:
            return None, False
        lead = False
    url = "".join(parts)
    if prefixed:
        url = url[2:]
    return (norm(url) if url.startswith("/") else None), prefixed


def _type_args(ctx, call) -> set[str]:
    targs = call.child_by_field_name("type_arguments")
    named = [a for a in targs.named_children if a.type != "comment"] if targs is not None else []
    name = _named_type(ctx, named[0]) if len(named) == 1 else None
    return {name} if name else set()


def _named_type(ctx, node) -> str | None:
    """`T` of a type written `T` or `T[]` (a list of rows reads the same keys)."""
    from nooble_codemod.rules.typescript import _ast

    if node is not None and node.type == "array_type" and len(node.named_children) == 1:
        node = node.named_children[0]
    return _ast.text(ctx, node) if node is not None and node.type == "type_identifier" else None


def _json_types(ctx, scope) -> set[str]:
    """`T` of `(await res.json()) as T` and `const x: T = await res.json()` in the function."""
    from nooble_codemod.rules.typescript import _ast

    methods = ctx.spec.contracts.json_methods
    out = set()
    for node in _ast.descendants(scope):
        if node.type == "as_expression":
            value, typ = node.named_children[0], node.named_children[-1]
        elif node.type == "variable_declarator":
            value, ann = node.child_by_field_name("value"), node.child_by_field_name("type")
            typ = ann.named_children[0] if ann is not None and ann.named_children else None
        else:
            continue
        name = _named_type(ctx, typ)
        if value is None or name is None:
            continue
        if any(n.type == "call_expression" and (f := n.child_by_field_name("function")) is not None
               and f.type == "member_expression" and _ast.text(ctx, f.child_by_field_name("property")) in methods
               for n in _ast.descendants(value)):
            out.add(name)
    return out


def declarations_of(ctx, names: set[str]) -> list[tuple[str, int, set[str]]]:
    """(type name, line, member names) of the interfaces and type aliases named in `names`."""
    from nooble_codemod.rules.typescript._types import object_types

    return [(o.name, ctx.source.position(o.name_node.start_byte)[0], o.member_names(ctx))
            for o in object_types(ctx) if o.name in names]


# --- finding and deciding ---------------------------------------------------------

def words(spec) -> tuple[bytes, ...]:
    """What a Python file holding a route holds (a byte screen)."""
    c = spec.contracts
    return (*(f".{v}(".encode() for v in sorted(c.route_decorators)),
            *(f"{v} /".encode() for v in sorted(c.docstring_verbs)))


def interest(spec) -> frozenset[str]:
    """The keys a contract is about: the fields both languages rename (`tenant_id`)."""
    return frozenset(spec.field_renames_for("python")) & frozenset(spec.field_renames_for("typescript"))


def find(python: dict[str, bytes], typescript: dict[str, bytes], spec, settings) -> Found:
    """The routes of `python` (path -> bytes) and the TS calls and types of `typescript` linked to them."""
    out = Found()
    c = spec.contracts
    if not (c.route_decorators or c.docstring_verbs) or not c.fetch_calls:
        return out
    names = interest(spec)
    screen = words(spec)
    for path, raw in sorted(python.items()):
        if any(w in raw for w in screen):
            out.routes.extend(routes_of(path, raw, spec, names))
    if not out.routes:
        return out
    pieces = {seg.encode() for r in out.routes for seg in norm(r.url).split("{}") if seg.strip("/")}
    ctxs = {}
    for path, raw in sorted(typescript.items()):
        if not pieces or any(p in raw for p in pieces):
            ctx = ctxs[path] = _ctx(path, raw, spec, settings)
            if ctx is not None:
                out.links.extend(calls_of(ctx, out.routes))
    from nooble_codemod.rules.typescript._contract import member_sites

    wanted = {link.type_name for link in out.links}
    for path, raw in sorted(typescript.items()):
        if any(t.encode() in raw for t in wanted):
            ctx = ctxs[path] if path in ctxs else _ctx(path, raw, spec, settings)
            if ctx is None:
                continue
            for name, line, members in declarations_of(ctx, wanted):
                out.types.setdefault(name, []).append((path, line, members))
            for name in wanted:
                if re.search(rf"\b{re.escape(name)}\b", ctx.source.text):
                    out.users.setdefault(name, set()).add(path)
            sites = member_sites(ctx, {t: set(names) for t in wanted})
            for tname, member, *_ in sites:
                out.counts[(path, tname, member)] = out.counts.get((path, tname, member), 0) + 1
            # The member's name elsewhere in a file naming the type (a read through an
            # untyped receiver, another type's member): a rename could not follow it.
            for member in names:
                tied = {start for _, m, start, _, _ in sites if m == member}
                data = ctx.source.data
                for m in re.finditer(rf"\b{re.escape(member)}\b".encode(), data):
                    if m.start() not in tied:
                        out.loose.setdefault((path, member), []).append(data.count(b"\n", 0, m.start()) + 1)
    return out


def decide(found: Found, model: dict, files: dict, spec, digests: dict) -> None:
    """Put each link's decisions into `model` (path -> FileDecisions); `files`
    the Python facts the model was built from; `digests` path -> text digest
    of the files that get decisions and have none yet."""
    from nooble_codemod.project.decisions import FileDecisions

    c = spec.contracts
    fe, be = c.checklist_for("typescript"), c.checklist_for("python")
    names = interest(spec)
    after = spec.after
    pairs = {}  # (route path, line, key, type name) -> Link, the certain one first
    for link in found.links:
        decls = found.types.get(link.type_name, [])
        members = set().union(*(m for _, _, m in decls)) if decls else set()
        for key in sorted(_keys(link.route, files) & members & names):
            k = (link.route.path, link.route.line, key, link.type_name)
            if k not in pairs or (link.certain and not pairs[k].certain):
                pairs[k] = link

    def put(path, contract):
        d = model.get(path)
        if d is None:
            d = model[path] = FileDecisions(digests.get(path, ""))
        if contract not in d.contracts:
            d.contracts.append(contract)

    judged = {}  # (type, key) -> [(link, route text, new, group, kept because, model field, uncertain because)]
    for (rpath, rline, key, tname), link in sorted(pairs.items()):
        decls = found.types[tname]
        users = found.users.get(tname, set()) | {p for p, _, _ in decls}
        loose = [f"{p}:{line}" for p in sorted(users) for line in found.loose.get((p, key), [])]
        new, group, blocked, at = _renamed(link.route, key, files, model)
        unsure = ("through a path with an unknown prefix" if not link.certain else
                  "to a type declared more than once" if len(decls) != 1 else
                  f"and '{key}' is also named where the type's reads cannot be told ({', '.join(loose[:6])})"
                  if loose else "")
        judged.setdefault((tname, key), []).append(
            (link, f"{link.route.url} ({rpath}:{rline})", new, group, blocked, at, unsure))

    for (tname, key), pairs_of in sorted(judged.items(), key=lambda kv: kv[0]):
        decls = found.types[tname]
        tsite = f"{decls[0][0]}:{decls[0][1]}" if len(decls) == 1 else f"{tname} ({len(decls)} declarations)"
        users = sorted(found.users.get(tname, set()) | {p for p, _, _ in decls})
        groups = {j[3] for j in pairs_of}
        if all(j[2] and not j[6] for j in pairs_of) and len(groups) == 1:
            routes = ", ".join(j[1] for j in pairs_of)
            text = f"{tname}.{key} reads route {routes}, whose model renames '{key}' to '{pairs_of[0][2]}' in {after}"
            for p in users:
                put(p, Contract("member", key, pairs_of[0][2], pairs_of[0][3], fe, text, tname,
                                count=found.counts.get((p, tname, key), 0)))
            continue
        # One side cannot follow the other: every rename of the pair is blocked, both sides reported.
        kept_by = next((j[1] for j in pairs_of if not j[2]), "")
        reasons = []
        for link, route, new, group, blocked, at, unsure in pairs_of:
            if new:
                why = (f"the front end's {tname} ({tsite}) reads '{key}' of route {route}, linked by "
                       f"{link.ts_path}:{link.line} " + (unsure or f"as it reads route {kept_by}, which keeps '{key}'")
                       if unsure or kept_by else
                       f"the front end's {tname} ({tsite}) reads '{key}' of routes whose models rename it apart")
                _block(model, group, why)
                blocked = why
            reasons.append(f"route {route}: " + (f"the back end keeps it ({blocked})" if blocked else
                                                 "the back end's model keeps it" if at is not None else
                                                 "the back end returns it from a dict literal"))
            where = at if at is not None else (link.route.path, *link.route.keys.get(key, (0, 0, 0))[:2])
            if where[1] != where[2]:
                put(where[0], Contract("key", key, "", "", be,
                                       f"'{key}' of route {link.route.url} is read by the front end as {tname}.{key} "
                                       f"({tsite}, fetched at {link.ts_path}:{link.line}): it stays on both sides. "
                                       f"{c.kept}", start=where[1], end=where[2]))
        text = f"{tname}.{key} ({tsite}) is '{key}' of the JSON of " + "; ".join(reasons) + f"; it stays. {c.kept}"
        for p in users:
            put(p, Contract("member", key, "", "", fe, text, tname))


def _keys(route: Route, files: dict) -> set[str]:
    out = set(route.keys)
    for _, cls in _model_classes(route, files):
        out |= set(cls.fields)
    return out


def _model_classes(route: Route, files: dict):
    if not route.model:
        return []
    found = [(p, c) for p, f in sorted(files.items()) for q, c in f.classes.items()
             if q == route.model or q.endswith("." + route.model)]
    own = [(p, c) for p, c in found if p == route.path]
    return own or found


def _renamed(route: Route, key: str, files: dict, model: dict):
    """(new name, group, why it is kept, (path, start, end) of the model's field)
    of `key` in the route's payload; new is "" when the back end keeps it."""
    if key in route.keys:
        start, end, _ = route.keys[key]
        d = model.get(route.path)
        for s in (d.sites + d.keys) if d is not None else ():
            if s.start < end and start < s.end and not s.blocked:
                return s.new, s.group, "", None
        return "", "", "", None
    classes = _model_classes(route, files)
    if len(classes) != 1 or key not in classes[0][1].fields:
        return "", "", f"its response model {route.model} could not be told apart", None
    path, cls = classes[0]
    pos = cls.fields[key][0]
    d = model.get(path)
    site = next((s for s in (d.sites if d is not None else ()) if s.start == pos[0]), None)
    at = (path, pos[0], pos[1])
    if site is None:
        return "", "", "", at
    if site.blocked:
        return "", "", f"{site.label}: not renamed, see its report", at
    if site.role == "alias":
        return "", "", f"{site.label} is declared an alias of '{site.new}'; the JSON key depends on "  \
            "how the route serialises it (by_alias)", at
    return site.new, site.group, "", at


def _block(model: dict, group: str, why: str) -> None:
    """Block `group` in every file: its sites are reported, none renamed."""
    for d in model.values():
        d.sites = [replace(s, blocked=s.blocked or f"'{s.old}' ({s.label}) is not renamed: {why}")
                   if s.group == group else s for s in d.sites]
        d.params = {k: replace(s, blocked=s.blocked or f"'{s.old}' is not renamed: {why}")
                    if s.group == group else s for k, s in d.params.items()}


def digest(data: bytes) -> str:
    return facts_mod.digest(data)
