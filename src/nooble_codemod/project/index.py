"""Names tied to declarations across the files of a run.

Modules are found by path: `common.models` is the run's file ending in
`common/models.py` (or `common/models/__init__.py`), so no import root
needs configuring; a name imported from a module the run lacks is
EXTERNAL. What cannot be told is UNKNOWN: the two are different answers
(an external object's attribute is not ours; an unknown one may be).
"""

from __future__ import annotations

import builtins
import posixpath
from typing import NamedTuple

from nooble_codemod.project.facts import Class, FileFacts, Function


class ClassKey(NamedTuple):
    path: str
    qual: str


class Callable_(NamedTuple):
    """A function or method the run declares (`function` None: it has no parameter of interest)."""

    path: str
    qual: str
    function: Function | None
    owner: ClassKey | None


EXTERNAL = "external"
UNKNOWN = "unknown"
_BUILTINS = frozenset(dir(builtins))
_DEPTH = 8


class UnknownMethod(NamedTuple):
    """A call of method `name` on a receiver of unknown type."""

    name: str


class Index:
    def __init__(self, files: dict[str, FileFacts], known=(), load=None) -> None:
        """`files`: the facts read; `known`: every Python file of the run (a
        module among them is the run's, read by `load(path)` when a name
        leads there, and UNKNOWN when it cannot be)."""
        self.files: dict[str, FileFacts | None] = dict(files)
        self._load = load
        self._by_suffix: dict[tuple[str, ...], list[str]] = {}
        for path in sorted(set(files) | set(known)):
            parts = path[:-3].split("/") if path.endswith(".py") else path.split("/")
            if parts[-1] == "__init__":
                parts = parts[:-1]
            for i in range(len(parts)):
                self._by_suffix.setdefault(tuple(parts[i:]), []).append(path)
        self._known = {p for paths in self._by_suffix.values() for p in paths}
        self._mro: dict[ClassKey, tuple[list[ClassKey], list[str]]] = {}
        self.subclasses: dict[ClassKey, list[ClassKey]] = {}
        for key in self.classes():
            for base in self.direct_bases(key)[0]:
                self.subclasses.setdefault(base, []).append(key)
        for subs in self.subclasses.values():
            subs[:] = sorted(set(subs))

    # -- modules and names -----------------------------------------------------------
    def module(self, dotted: str, path: str, level: int) -> str | None:
        """The run's file for a module; None when the run has no such module, or several."""
        parts = tuple(p for p in dotted.split(".") if p)
        if level:
            folder = posixpath.dirname(path)
            for _ in range(level - 1):
                folder = posixpath.dirname(folder)
            base = "/".join(((folder,) if folder else ()) + parts)
            for candidate in (base + ".py", base + "/__init__.py"):
                if candidate in self._known:
                    return candidate
            return None
        found = self._by_suffix.get(parts, [])
        return found[0] if len(found) == 1 else None

    def resolve(self, path: str, dotted: str, depth: int = 0):
        """What a dotted name written in `path` is: a ClassKey, a Callable_, a
        ("type", t, path) for a typed module variable, ("module", path),
        EXTERNAL or UNKNOWN."""
        facts = self.facts(path)
        if depth > _DEPTH or facts is None:
            return UNKNOWN
        head, _, rest = dotted.partition(".")
        if head in facts.classes:
            return self._member(ClassKey(path, head), rest)
        if head in facts.functions:
            return Callable_(path, head, facts.functions[head], None) if not rest else UNKNOWN
        if head in facts.variables:
            return ("type", facts.variables[head], path, rest)
        if head in facts.imports:
            module, name, level = facts.imports[head]
            if name is None:  # `import a.b` / `import a.b as c`
                return self._in_module(module.split("."), rest.split(".") if rest else [], path, depth)
            target = self.module(module, path, level)
            # A package's __init__ importing its own submodule binds the name to that submodule.
            if target is not None and target != path and self._binds(target, name):
                return self.resolve(target, name + ("." + rest if rest else ""), depth + 1)
            # `from pkg import base`: a name the package does not bind is its submodule.
            sub = self.module(f"{module}.{name}" if module else name, path, level)
            if sub is not None:
                return self.resolve(sub, rest, depth + 1) if rest else ("module", sub)
            if target is not None and target != path:
                return self.resolve(target, name + ("." + rest if rest else ""), depth + 1)
            return EXTERNAL if not self._ambiguous(module, level) and target is None else UNKNOWN
        return EXTERNAL if head in _BUILTINS else UNKNOWN

    def _binds(self, path: str, name: str) -> bool:
        facts = self.facts(path)
        return facts is not None and (name in facts.classes or name in facts.functions
                                      or name in facts.variables or name in facts.imports)

    def _ambiguous(self, module: str, level: int) -> bool:
        return not level and len(self._by_suffix.get(tuple(module.split(".")), [])) > 1

    def _in_module(self, module: list[str], rest: list[str], path: str, depth: int):
        """`a.b.C` after `import a.b`: the longest module prefix the run has, then the name in it."""
        parts = module + rest
        for cut in range(len(parts), 0, -1):
            target = self.module(".".join(parts[:cut]), path, 0)
            if target is not None:
                if cut == len(parts):
                    return ("module", target)
                return self.resolve(target, ".".join(parts[cut:]), depth + 1)
        return EXTERNAL

    def _member(self, key: ClassKey, rest: str):
        if not rest:
            return key
        nested = ClassKey(key.path, f"{key.qual}.{rest}")
        if nested.qual in self.files[key.path].classes:
            return nested
        found = self.method(key, rest)
        return found if found is not None else UNKNOWN

    def facts(self, path: str) -> FileFacts | None:
        """A file's facts, read on first use; None for a file that does not parse."""
        if path not in self.files:
            self.files[path] = self._load(path) if self._load is not None and path in self._known else None
        return self.files[path]

    # -- classes ------------------------------------------------------------------------
    def classes(self) -> list[ClassKey]:
        return [ClassKey(p, q) for p, f in sorted(self.files.items()) if f is not None for q in f.classes]

    def klass(self, key: ClassKey) -> Class:
        return self.files[key.path].classes[key.qual]

    def direct_bases(self, key: ClassKey) -> tuple[list[ClassKey], list[str]]:
        """The bases the run declares, and the names of the others."""
        found, outside = [], []
        for base, r in zip(self.klass(key).bases, self._bases(key)):
            (found if isinstance(r, ClassKey) else outside).append(r if isinstance(r, ClassKey) else base)
        return found, outside

    def _bases(self, key: ClassKey) -> list:
        """Each base of a class, in order: a ClassKey, EXTERNAL or UNKNOWN."""
        out = []
        outer = key.qual.rsplit(".", 1)[0] if "." in key.qual else None
        for base in self.klass(key).bases:
            r = self.resolve(key.path, base)
            if r == UNKNOWN and outer and base in self.files[key.path].classes:
                r = ClassKey(key.path, base)
            out.append(r if isinstance(r, ClassKey) or r in (EXTERNAL, UNKNOWN) else UNKNOWN)
        return out

    def mro(self, key: ClassKey) -> tuple[list[ClassKey], list[str]]:
        """The class and its in-run ancestors (depth first), and every base
        name along the way the run does not declare."""
        if key not in self._mro:
            self._mro[key] = ([key], [])  # a cycle stops here
            seen, outside = [key], []
            for base in self.direct_bases(key)[0]:
                for k in self.mro(base)[0]:
                    if k not in seen:
                        seen.append(k)
            for k in seen:
                outside += [b for b in self.direct_bases(k)[1] if b not in outside]
            self._mro[key] = (seen, outside)
        return self._mro[key]

    def descendants(self, key: ClassKey) -> list[ClassKey]:
        out, todo = [], list(self.subclasses.get(key, ()))
        while todo:
            k = todo.pop()
            if k not in out:
                out.append(k)
                todo.extend(self.subclasses.get(k, ()))
        return sorted(out)

    def method(self, key: ClassKey, name: str) -> Callable_ | None:
        for k in self.mro(key)[0]:
            c = self.klass(k)
            if name in c.methods:
                return Callable_(k.path, f"{k.qual}.{name}", c.methods[name], k)
        return None

    # -- types ----------------------------------------------------------------------------
    def type_of(self, path: str, t, depth: int = 0):
        """The class an expression's type names: a ClassKey, EXTERNAL or UNKNOWN."""
        if t is None or depth > _DEPTH:
            return UNKNOWN
        kind = t[0]
        if kind == "name":
            return self._value_type(self.resolve(path, t[1]), depth)
        if kind == "self":
            key = ClassKey(path, t[1])
            return key if t[1] in self.facts(path).classes else UNKNOWN
        if kind == "attr":
            owner = self.type_of(path, t[1], depth + 1)
            if not isinstance(owner, ClassKey):
                return owner
            for k in self.mro(owner)[0]:
                types = self.klass(k).attr_types
                if t[2] in types:
                    return self.type_of(k.path, types[t[2]], depth + 1)
            return UNKNOWN
        if kind == "call":
            return self.returns(path, t[1], depth)
        return UNKNOWN

    def _value_type(self, r, depth: int):
        if isinstance(r, ClassKey):
            return r
        if isinstance(r, tuple) and r and r[0] == "type":
            _, t, path, rest = r
            inner = self.type_of(path, t, depth + 1)
            if not rest:
                return inner
            return self.type_of(path, ("attr", t, rest), depth + 1) if "." not in rest else UNKNOWN
        return r if r in (EXTERNAL, UNKNOWN) else UNKNOWN

    def callee(self, path: str, c):
        """What a call calls: a ClassKey (a construction), a Callable_,
        UnknownMethod, EXTERNAL or UNKNOWN."""
        if c is None:
            return UNKNOWN
        kind = c[0]
        if kind == "name":
            r = self.resolve(path, c[1])
            if isinstance(r, tuple) and r and r[0] == "type":
                _, t, vpath, rest = r
                if rest and "." not in rest:
                    return self.callee(vpath, ("method", t, rest))
                return UNKNOWN
            if isinstance(r, (ClassKey, Callable_)) or r in (EXTERNAL, UNKNOWN):
                return r
            return UNKNOWN
        if kind == "method":
            owner = self.type_of(path, c[1])
            if isinstance(owner, ClassKey):
                found = self.method(owner, c[2])
                if found is not None:
                    return found
                return EXTERNAL if self.mro(owner)[1] else UNKNOWN
            return UnknownMethod(c[2]) if owner == UNKNOWN else EXTERNAL
        if kind == "forward":  # `tasks.add_task(f, k=…)`: the call's own callee if the run declares it, else f
            r = self.callee(path, c[1])
            if isinstance(r, (ClassKey, Callable_)) or isinstance(r, UnknownMethod) and any(
                    r.name in self.klass(k).methods for k in self.classes()):
                return r
            return self.callee(path, c[2])
        if kind == "class":
            return ClassKey(path, c[1]) if c[1] in self.files[path].classes else UNKNOWN
        if kind == "super":
            key = ClassKey(path, c[1])
            if c[1] not in self.files[path].classes:
                return UNKNOWN
            for base in self._bases(key):
                if base == UNKNOWN:
                    return UNKNOWN  # the method may be that base's
                found = self.method(base, c[2]) if isinstance(base, ClassKey) else None
                if found is not None:
                    return found
            return EXTERNAL
        return UNKNOWN

    def returns(self, path: str, c, depth: int):
        r = self.callee(path, c)
        if isinstance(r, ClassKey):
            return r
        if isinstance(r, Callable_):
            if r.function is None or r.function.returns is None:
                return UNKNOWN
            return self.type_of(r.path, r.function.returns, depth + 1)
        return EXTERNAL if r == EXTERNAL else UNKNOWN
