"""An edit group (Group) and what the builders of each kind share.

The builders are groups.py (fields and parameters, and the run's groups in
order), values.py (a bool field a value map turns into an enum) and
families.py (cache key namespaces, method families); each reads the
renames the run decides (Renames) and builds Groups.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from nooble_codemod.project.facts import Pos
from nooble_codemod.project.index import EXTERNAL, ClassKey, Index

# Bases that neither read a subclass's fields by name nor declare methods
# taking its parameters; the spec's model bases join them.
NEUTRAL_BASES = frozenset({"object", "ABC", "Generic", "Protocol", "NamedTuple", "Exception", "BaseException",
                           "ValueError", "RuntimeError", "KeyError", "LookupError", "TypeError"})
# Python's decorators that keep a function's keywords as they are; the
# spec's passing decorators join them. A setter, getter or deleter counts
# by its last name (`@x.setter`).
NEUTRAL_DECORATORS = frozenset({"staticmethod", "classmethod", "property", "cached_property", "abstractmethod",
                                "override", "overload", "final", "cache", "lru_cache", "wraps", "contextmanager",
                                "asynccontextmanager", "setter", "getter", "deleter", "singledispatchmethod"})
# A class name's words: `DocumentChunk` -> Document, Chunk (as the TS rules split type names).
_WORDS = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|\d+")
# Bases whose fields are read by string key (`row["tenant_id"]`): their renames need a human.
KEYED_BASES = frozenset({"TypedDict"})


@dataclass
class Group:
    id: str
    # "field" | "param" | "value" (a bool field a value map turns into an enum:
    # values.py) | "key" (a cache key namespace) | "method" (a family; families.py)
    kind: str
    old: str
    new: str
    checklist: str
    label: str  # "AgentConfig.tenant_id", "ConfigHandler.get_configs(tenant_id)"
    declarations: list[tuple[str, Pos, int]] = field(default_factory=list)  # path, span, line
    sites: list[tuple[str, Pos, int, str]] = field(default_factory=list)  # path, span, line, text
    blocked: list[str] = field(default_factory=list)
    classes: list = field(default_factory=list)  # a field group's classes (ClassKey), subclasses included
    constructions: list = field(default_factory=list)  # `Cls(old=…)` sites: (path, span, line)
    data: list = field(default_factory=list)  # a key group's sites that are no key: (path, span, line, why)
    names: dict = field(default_factory=dict)  # a method group's (path, span) -> (old, new) name there
    aliased: bool = False  # a method group kept as aliases: its declarations are py-method-alias's
    models: bool = False  # every class of it is a model (a spec model base is among its ancestors)
    both: bool = False  # a class of it carries the new name too
    table: str = ""  # a value group's table
    uses: dict = field(default_factory=dict)  # a value group's (path, span) -> how the site uses it (facts.Site.use)

    def block(self, reason: str) -> None:
        if reason not in self.blocked:
            self.blocked.append(reason)


@dataclass
class Renames:
    """What the spec renames in the back end, under the run's strategy."""

    fields: dict  # old -> FieldRename (empty under a strategy that keeps fields)
    params: dict  # old -> IdentifierRename
    model_bases: frozenset[str]
    both_text: dict  # old -> the guide's decision text for a class carrying both names
    all_fields: dict  # old -> FieldRename, whatever the strategy (a class with both is reported under each)
    values: dict = field(default_factory=dict)  # old -> [values.ValueField], the bool fields a value map changes
    # Data models that mirror a table (spec [type_tables]): class name -> RowModel.
    rows: dict = field(default_factory=dict)
    # Fields renamed only in the rows of some tables (profile_id on documents_rag), not everywhere.
    scoped: frozenset = frozenset()
    keys: dict = field(default_factory=dict)  # cache key namespace -> StringRename
    cache: object = None  # CacheKeys: what makes a string a key
    logs: frozenset = frozenset()  # log receivers: their strings are no key site
    methods: dict = field(default_factory=dict)  # old method name -> the IdentifierRename of its family
    aliased: frozenset = frozenset()  # the families (stems) whose methods stay as aliases (py-method-alias)
    field_call: str = "Field"  # the models' field declaration call (`[backend_alias]` field_call)
    decorators: frozenset = frozenset()  # decorators passing keywords on unchanged ([client.python])
    forwarding: frozenset = frozenset()  # calls passing keywords on to the function given first ([client.python])
    routes: frozenset = frozenset()  # a route's decorator methods ([contracts] route_decorators)
    markers: frozenset = frozenset()  # a request parameter's default calls ([contracts] parameter_markers)
    handing: dict = field(default_factory=dict)  # calls handing the framework a function ([contracts] handing_calls)
    mappings: frozenset = frozenset()  # mappings a function stored into is the framework's ([contracts])
    tests: tuple = ((), ())  # (file patterns, function patterns) of tests taking fixtures by name

    @property
    def method_names(self) -> dict[str, str]:
        """Old method name -> new."""
        return {old: r.members()[old] for old, r in self.methods.items()}

    @property
    def stems(self) -> frozenset[str]:
        """The stems of the method families (a def named `<verb>_<stem>` belongs to one by its name)."""
        return frozenset(r.old for r in self.methods.values() if r.scope == "family")

    @property
    def words(self) -> frozenset[str]:
        """What a file must name for the model to read it."""
        return self.old | frozenset(self.keys) | frozenset(self.methods) | self.stems

    @property
    def old(self) -> frozenset[str]:
        """The names whose every use the model follows: a file without one is not read for its uses."""
        return frozenset(self.all_fields) | frozenset(self.params) | frozenset(self.values)

    @property
    def new(self) -> frozenset[str]:
        """The new names of fields: a class declaring one beside the old carries both."""
        return frozenset(r.new for r in self.all_fields.values()) | {v.new for vs in self.values.values() for v in vs}

    @property
    def declared(self) -> frozenset[str]:
        """The fields a class's facts record: the new names, and the columns
        that tell a table's row (its shape, the owner columns of a duplicate)."""
        out = set(self.new)
        for row in self.rows.values():
            out |= row.columns | set(row.renamed) | {n for twin, into, _ in row.duplicates.values() for n in (twin, *into)}
        return frozenset(out)

    def row(self, class_name: str, fields: set[str]):
        """The RowModel of a class whose name and fields say it mirrors a table, else None."""
        row = self.rows.get(class_name) or self._row_by_words(class_name)
        if row is None or (row.columns and len(row.columns & fields) < 2):
            return None
        return row

    def _row_by_words(self, class_name: str):
        # `DocumentChunk` is a `Document` row as the TS rules take it: a run of
        # the name's words, longest first; only for tables with [row_columns],
        # whose two columns then decide (a name alone says too little).
        words = _WORDS.findall(class_name)
        for size in range(len(words) - 1, 0, -1):
            for i in range(len(words) - size + 1):
                row = self.rows.get("".join(words[i:i + size]))
                if row is not None and row.columns:
                    return row
        return None

    def duplicate(self, class_name: str, old: str, fields: set[str]) -> tuple[str, str] | None:
        """(the owner columns the class has, why) when the class mirrors a
        table where `old` duplicated one of them: the field goes and its twin
        stays, which is no rename; else None."""
        row = self.row(class_name, fields)
        if row is None or old not in row.duplicates:
            return None
        twin, into, why = row.duplicates[old]
        has = sorted(fields & {twin, *into})
        return (" and ".join(f"'{n}'" for n in has), why) if has else None


@dataclass(frozen=True)
class RowModel:
    """A data model that mirrors a table: the columns that tell its row, the
    fields the table renames, and those it removes as a duplicate of another."""

    table: str
    columns: frozenset  # its [row_columns]: two of them make a class its row (empty: the name decides)
    renamed: dict  # old -> (new, checklist)
    duplicates: dict  # old -> (twin, the columns renamed to the twin, the guide's words)


def may_be(index: Index, g: Group, attributes: frozenset) -> bool:
    """Could a receiver reading every one of `attributes` be an instance of one of g's classes?"""
    for key in g.classes:
        known: set[str] = set()
        for a in index.mro(key)[0]:
            k = index.klass(a)
            known |= set(k.attr_types) | set(k.methods) | set(k.fields)
        if attributes <= known:
            return True
    return False


def field_candidates(index: Index, owner, old: str, by_class, field_groups) -> tuple[list[Group], bool]:
    """The groups a use of field `old` on a receiver of type `owner` may
    belong to, and whether that is certain."""
    if isinstance(owner, ClassKey):
        for a in index.mro(owner)[0]:  # a class of the model, or one read later that derives from it
            g = by_class.get((a, old))
            if g is not None:
                return [g], True
        # A base-typed receiver: the field lives in subclasses only.
        subs = {by_class[(d, old)].id: by_class[(d, old)] for d in index.descendants(owner) if (d, old) in by_class}
        return list(subs.values()), len(subs) == 1
    if owner == EXTERNAL:
        return [], True
    return list(field_groups.get(old, [])), False
