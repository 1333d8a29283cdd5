"""The spec's entries, one frozen dataclass per kind of table in the TOML
(`[[column_renames]]`, `[[value_maps]]`, …).

loader.py builds them from the TOML on first use.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class ColumnRename:
    tables: tuple[str, ...]
    old: str
    new: str
    checklist: str


@dataclass(frozen=True)
class ColumnRemoval:
    tables: tuple[str, ...]
    column: str
    checklist: str
    reason: str = ""
    # The column that always held the same value (documents_rag.tenant_id ->
    # user_id): uses become it, and where it is already set the removed one goes.
    duplicate_of: str | None = None
    # A column carrying the data in another shape (`replacement_kind`, e.g. "jsonb-array").
    replacement: str | None = None
    replacement_kind: str | None = None


@dataclass(frozen=True)
class ColumnAddition:
    tables: tuple[str, ...]
    checklist: str
    columns: tuple[dict, ...]


@dataclass(frozen=True)
class ValueMap:
    tables: tuple[str, ...]
    old: str
    new: str
    checklist: str
    values: dict  # "true"/"false" -> new value
    filters: dict  # "true"/"false" -> {"method", "value"}
    enum: tuple[str, ...]
    # Back-end models mirroring the table: the new field's annotation where
    # the old one was `bool` ("": their field is left to a human), and what
    # a finding about them adds.
    python_type: str = ""
    python_advice: str = ""


@dataclass(frozen=True)
class RpcParamRename:
    function: str
    old: str
    new: str
    checklist: dict  # language -> id

    def checklist_for(self, language: str) -> str:
        return self.checklist[language]


@dataclass(frozen=True)
class IdentifierRename:
    languages: tuple[str, ...]
    old: str
    new: str
    scope: str  # "local" | "member" | "family"
    checklist: str
    strategy: str | None = None  # None: under every backend strategy
    verbs: tuple[str, ...] = ()  # a family's: its methods are `<verb>_<old>`

    def members(self) -> dict[str, str]:
        """Old method name -> new: the family's `<verb>_<old>`, or a member rename's one name."""
        if self.scope != "family":
            return {self.old: self.new}
        return {f"{v}_{self.old}": f"{v}_{self.new}" for v in self.verbs}


@dataclass(frozen=True)
class StringRename:
    languages: tuple[str, ...]
    old: str
    new: str
    context: str
    checklist: str
    strategy: str | None = None


@dataclass(frozen=True)
class CacheKeys:
    """What makes a string a cache key (`[cache_keys]`; see the spec's comments)."""

    separator: str = ":"
    key_builders: frozenset[str] = frozenset()
    cache_receivers: tuple[str, ...] = ()
    cache_methods: frozenset[str] = frozenset()
    key_names: tuple[str, ...] = ()
    data_methods: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Contracts:
    """How routes and the front-end calls reading them are found (`[contracts]`; see the spec's comments)."""

    route_decorators: frozenset[str] = frozenset()
    # Calls whose use as a parameter's default or Annotated metadata makes it the request's (`Query()`).
    parameter_markers: frozenset[str] = frozenset()
    # Calls handing the framework a function it calls with the request's parameters by name
    # (`Depends(f)`): {the call's last name: (the function's position among the arguments, its keyword)}.
    handing_calls: dict[str, tuple[int, str]] = field(default_factory=dict)
    # Mappings a function stored into is called by the framework so (`app.dependency_overrides[f] = g`).
    handing_mappings: frozenset[str] = frozenset()
    response_model_keywords: frozenset[str] = frozenset()
    docstring_verbs: frozenset[str] = frozenset()
    fetch_calls: frozenset[str] = frozenset()
    json_methods: frozenset[str] = frozenset()
    checklist: tuple[tuple[str, str], ...] = ()  # (language, checklist id)
    kept: str = ""

    def checklist_for(self, language: str) -> str:
        return dict(self.checklist).get(language, "")


@dataclass(frozen=True)
class FieldRename:
    languages: tuple[str, ...]
    old: str
    new: str
    checklist: dict  # language -> id
    # What to say of a class carrying both names (two fields, two meanings):
    # never renamed; the guide's decision is the human's.
    both_names: str = ""

    def checklist_for(self, language: str) -> str:
        return self.checklist[language]


@dataclass(frozen=True)
class Leftover:
    word: str
    checklist: dict  # language -> id
    strategy: str | None = None  # None: under every backend strategy
    # Backend strategies under which the word stays as a Python name (a
    # documented alias) and only its mentions in strings are leftovers.
    names_kept_under: tuple[str, ...] = ()
    # Backend strategies under which the word is a Python leftover only
    # where it reaches beyond the back end (`[reaches]`).
    reaches_only_under: tuple[str, ...] = ()


@dataclass(frozen=True)
class RemovedMethods:
    languages: tuple[str, ...]
    names: tuple[str, ...]
    checklist: str


@dataclass(frozen=True)
class MethodAlias:
    """A method that, under `strategy`, becomes `new` and keeps `old` as a
    delegating alias; `inside` is the strategy whose names the new method uses."""

    languages: tuple[str, ...]
    old: str = ""
    new: str = ""
    checklist: str = ""
    strategy: str = ""
    inside: str = ""
    note: str = ""
    family: str = ""  # the stem of an [[identifier_renames]] family: every method of it (old/new then one member's)


@dataclass(frozen=True)
class Reaches:
    """Where a back-end name reaches beyond the back end (`[reaches]`): the
    rows a query returns and the JSON a route handler returns."""

    row_attributes: tuple[str, ...] = ()
    row_methods: tuple[str, ...] = ()
    route_decorators: tuple[str, ...] = ()
    route_files: tuple[str, ...] = ()


@dataclass(frozen=True)
class BackendAlias:
    """How the back end declares a kept old name as an alias of its new name
    (`[backend_alias]`), under `strategy` ("": the spec has no such strategy)."""

    strategy: str = ""
    field_call: str = "Field"
    field_keywords: tuple[str, ...] = ()
    config_attribute: str = "model_config"
    config_call: str = "ConfigDict"
    config: dict = field(default_factory=dict)
    note: str = ""

    def note_for(self, old: str, new: str) -> str:
        return self.note.format(old=old, new=new)
