"""Loads the migration spec (specs/v6/spec.toml) and answers questions about it.

The spec is the only place the migration's facts live; everything here is
generic over its content.
"""

from __future__ import annotations

import fnmatch
import hashlib
import sys
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

from nooble_codemod.spec import entries as spec_entries
from nooble_codemod.spec.entries import (BackendAlias, CacheKeys, ColumnAddition, ColumnRemoval, ColumnRename, Contracts,
                                         FieldRename, IdentifierRename, Leftover, MethodAlias, Reaches, RemovedMethods,
                                         RpcParamRename, StringRename, ValueMap)

LANGUAGES = ("typescript", "python")


class SpecError(Exception):
    pass


# Where a `[[scaffolds]]` entry with `place` goes: "client_package", the
# package of the class holding the supabase client (rules/python/_placement.py).
SCAFFOLD_PLACES = ("client_package",)


@dataclass(frozen=True)
class ClientSyntax:
    table_methods: frozenset[str]
    rpc_methods: frozenset[str]
    filter_methods: frozenset[str]
    select_methods: frozenset[str]
    or_methods: frozenset[str]
    payload_methods: frozenset[str]
    model_bases: frozenset[str] = frozenset()
    # Filters meaning "column = value" and "column <> value" (for value maps).
    equality_methods: frozenset[str] = frozenset()
    inequality_methods: frozenset[str] = frozenset()
    # Objects whose method calls write logs (`console.error(…)`, `logger.info(…)`).
    log_receivers: frozenset[str] = frozenset()
    # Keyword arguments of an `or` filter naming the embedded table it
    # filters instead of the chain's (`.or_("…", reference_table="t")`).
    reference_keywords: frozenset[str] = frozenset()
    # How the back end holds its client (`[client.python]` client_*): the
    # attribute a class assigns ("self.client"), the modules the client comes
    # from, the calls that make one and the types it is annotated with.
    client_attribute: str = ""
    # What the reports call it ("the supabase client").
    client_name: str = "client"
    client_modules: frozenset[str] = frozenset()
    client_factories: frozenset[str] = frozenset()
    client_types: frozenset[str] = frozenset()
    # Decorators of the back end's functions that pass every keyword on
    # unchanged (tenacity's `retry`): their parameters are renamed with the callers.
    passing_decorators: frozenset[str] = frozenset()
    # Calls passing their keywords on to the function given first (`add_task(f, k=v)`), by last name.
    forwarding_calls: frozenset[str] = frozenset()
    # Tests whose parameters a test runner fills by name from its fixtures
    # (pytest): functions named like `test_functions` in files named like `test_files`.
    test_files: tuple[str, ...] = ()
    test_functions: tuple[str, ...] = ()


@dataclass(frozen=True)
class ChecklistItem:
    id: str
    area: str
    text: str
    guide: str
    advice: str
    # What tells, when nothing was done or found, that the item is already V6
    # (evidence), that its code is there with nothing to change (anchors), or
    # neither (the spec's [checklist] comment): groups of words a file holds
    # together, in the files of `evidence_in` (a language; "" all).
    looks_for: str = ""
    evidence: tuple[tuple[str, ...], ...] = ()
    anchors: tuple[tuple[str, ...], ...] = ()
    evidence_in: str = ""
    adds: bool = False  # its V6 shape is something added: its code without it needs a human


def fields_mirror(fields: set[str], columns: frozenset[str], shared: frozenset[str]) -> bool:
    """Most of a class's fields are the table's columns, and two of those are
    more than the `shared` columns most tables have (which tell none apart)."""
    hits = fields & columns
    return len(hits - shared) >= 2 and 2 * len(hits) >= len(fields)


def _t(value: Any) -> tuple:
    return tuple(value) if isinstance(value, (list, tuple)) else (value,)


@dataclass
class Spec:
    path: Path
    raw: dict
    digest: str
    meta: dict = field(default_factory=dict)

    # -- loading -----------------------------------------------------------
    @classmethod
    def load(cls, path: Path | str | None = None) -> "Spec":
        p = Path(path) if path is not None else default_spec_path()
        try:
            data = p.read_bytes()
        except OSError as exc:
            raise SpecError(f"{p}: cannot read the spec: {exc.strerror or exc}") from None
        try:
            raw = tomllib.loads(data.decode("utf-8"))
        except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise SpecError(f"{p}: not a valid TOML spec: {exc}") from None
        spec = cls(path=p, raw=raw, digest=hashlib.sha256(data).hexdigest(), meta=raw.get("meta", {}))
        spec._validate()
        return spec

    def _validate(self) -> None:
        try:
            ids = set(self.checklist)
            refs: list[tuple[str, str]] = []
            for key in ("column_renames", "column_removals", "column_additions", "value_maps",
                        "identifier_renames", "string_renames",
                        "removed_methods", "type_edits", "scaffolds", "rewrites", "insert_requirements",
                        "method_aliases"):
                for entry in self.raw.get(key, []):
                    refs.append((key, entry["checklist"]))
            for key in ("field_renames", "leftovers", "rpc_param_renames"):
                for entry in self.raw.get(key, []):
                    refs.extend((key, cid) for cid in entry["checklist"].values())
            if self.permission_checklist is not None:
                refs.append(("permission_checks", self.permission_checklist))
            refs.extend(("contracts", cid) for cid in self.raw.get("contracts", {}).get("checklist", {}).values())
            for key, cid in refs:
                if cid not in ids:
                    raise SpecError(f"{self.path}: [{key}] names checklist id {cid!r}, which [checklist] does not define")
            for lang in LANGUAGES:
                self.client(lang)
            for entry in self.raw.get("scaffolds", []):
                place = entry.get("place")
                if place is None:
                    if entry.get("kind") in ("classes", "methods"):
                        raise SpecError(f"{self.path}: [scaffolds] of kind {entry['kind']!r} need a place "
                                        f"(one of {list(SCAFFOLD_PLACES)})")
                    continue
                if place not in SCAFFOLD_PLACES:
                    raise SpecError(f"{self.path}: [scaffolds] place = {place!r} is not one of {list(SCAFFOLD_PLACES)}")
                if entry.get("when_missing", "report") not in ("report", "create"):
                    raise SpecError(f"{self.path}: [scaffolds] when_missing = {entry['when_missing']!r} is not "
                                    "'report' or 'create'")
                if not self.client(entry["language"]).client_attribute:
                    raise SpecError(f"{self.path}: [scaffolds] place = {place!r} needs client_attribute in "
                                    f"[client.{entry['language']}]")
            for r in self.raw.get("column_removals", []):
                if r.get("duplicate_of") and r.get("replacement"):
                    raise SpecError(f"{self.path}: [column_removals] {r['column']!r} has both duplicate_of and "
                                    "replacement: a duplicate's uses become the other column as they are")
            declared = set(self.strategies)
            used = {e["strategy"] for key in ("identifier_renames", "string_renames", "leftovers", "method_aliases")
                    for e in self.raw.get(key, []) if "strategy" in e}
            used |= {e["inside"] for e in self.raw.get("method_aliases", []) if "inside" in e}
            used |= {s for e in self.raw.get("leftovers", []) for key in ("names_kept_under", "reaches_only_under")
                     for s in e.get(key, [])}
            if "strategy" in self.raw.get("backend_alias", {}):
                used.add(self.raw["backend_alias"]["strategy"])
            stems = {e["old"] for e in self.raw.get("identifier_renames", []) if e.get("scope") == "family"}
            for e in self.raw.get("method_aliases", []):
                if "family" in e and e["family"] not in stems:
                    raise SpecError(f"{self.path}: [method_aliases] names family {e['family']!r}, which no "
                                    "[identifier_renames] entry with scope = \"family\" declares")
            if used - declared:
                raise SpecError(f"{self.path}: strategies {sorted(used - declared)} are used but not declared "
                                "in [meta.strategies]")
            for name, where in self.raw.get("contracts", {}).get("handing_calls", {}).items():
                if not (isinstance(where, list) and len(where) == 2 and isinstance(where[0], int)
                        and where[0] >= 0 and isinstance(where[1], str)):
                    raise SpecError(f"{self.path}: [contracts] handing_calls.{name} = {where!r} is not "
                                    "[a position, a keyword], e.g. [0, \"dependency\"]")
        except KeyError as exc:
            raise SpecError(f"{self.path}: missing key {exc}") from None

    # -- the migration's own words (`[meta]`) ---------------------------------
    @property
    def before(self) -> str:
        """How messages name the code before the migration (e.g. a schema version)."""
        return self.meta.get("before", "old")

    @property
    def after(self) -> str:
        """How messages name the code after the migration."""
        return self.meta.get("after", "new")

    @property
    def todo(self) -> str:
        """The word of the to-do comments put above the sites that need a human."""
        return self.meta.get("todo", "TODO")

    @property
    def guide(self) -> str:
        """The title of the guide the spec implements."""
        return self.meta.get("guide", self.meta.get("name", self.path.stem))

    @property
    def summary(self) -> str:
        return self.meta.get("summary", f"Migrate a code base: {self.meta.get('name', self.path.stem)}")

    @cached_property
    def strategies(self) -> dict[str, str]:
        """Back-end strategy -> what it does; the first is the default. A spec
        that declares none has one, unnamed ("")."""
        return dict(self.meta.get("strategies", {})) or {"": ""}

    @property
    def default_strategy(self) -> str:
        return next(iter(self.strategies))

    # -- vocabulary ----------------------------------------------------------
    @cached_property
    def checklist(self) -> dict[str, ChecklistItem]:
        items = {}
        for cid, body in self.raw.get("checklist", {}).items():
            items[cid] = ChecklistItem(id=cid, area=body.get("area", ""), text=body["text"],
                                       guide=body.get("guide", ""), advice=body.get("advice", ""),
                                       looks_for=body.get("looks_for", ""),
                                       evidence=tuple(tuple(g) for g in body.get("evidence", ())),
                                       anchors=tuple(tuple(g) for g in body.get("anchors", ())),
                                       evidence_in=body.get("evidence_in", ""), adds=bool(body.get("adds", False)))
        return items

    def checklist_order(self) -> list[str]:
        return list(self.checklist)

    def client(self, language: str) -> ClientSyntax:
        c = self.raw["client"][language]
        return ClientSyntax(
            table_methods=frozenset(c.get("table_methods", [])),
            rpc_methods=frozenset(c.get("rpc_methods", [])),
            filter_methods=frozenset(c.get("filter_methods", [])),
            select_methods=frozenset(c.get("select_methods", [])),
            or_methods=frozenset(c.get("or_methods", [])),
            payload_methods=frozenset(c.get("payload_methods", [])),
            model_bases=frozenset(c.get("model_bases", [])),
            equality_methods=frozenset(c.get("equality_methods", [])),
            inequality_methods=frozenset(c.get("inequality_methods", [])),
            log_receivers=frozenset(c.get("log_receivers", [])),
            reference_keywords=frozenset(c.get("reference_keywords", [])),
            client_attribute=c.get("client_attribute", ""),
            client_name=c.get("client_name", "client"),
            client_modules=frozenset(c.get("client_modules", [])),
            client_factories=frozenset(c.get("client_factories", [])),
            client_types=frozenset(c.get("client_types", [])),
            passing_decorators=frozenset(c.get("passing_decorators", [])),
            forwarding_calls=frozenset(c.get("forwarding_calls", [])),
            test_files=tuple(c.get("test_files", [])),
            test_functions=tuple(c.get("test_functions", [])),
        )

    @cached_property
    def families(self) -> dict[str, tuple[str, ...]]:
        return {pat: tuple(body["tables"]) for pat, body in self.raw.get("families", {}).items()}

    @cached_property
    def known_tables(self) -> frozenset[str]:
        out: set[str] = set()
        for name in self.raw.get("tables", {}).get("known", []):
            out.update(self.expand(name))
        return frozenset(out)

    @cached_property
    def _listed_columns(self) -> dict[str, frozenset[str]]:
        """Table -> the columns `[tables.columns]` lists for it or its family."""
        out: dict[str, set[str]] = {}
        for name, columns in self.raw.get("tables", {}).get("columns", {}).items():
            for table in self.expand(name):
                out.setdefault(table, set()).update(columns)
        return {t: frozenset(c) for t, c in out.items()}

    def columns_for(self, table: str) -> frozenset[str] | None:
        """Every column name a row of `table` has in either version: those
        `[tables.columns]` lists, plus both names of each rename and value map
        and the removed and added columns. None when the spec lists none for
        it (its columns are not known, only its changes)."""
        listed = self._listed_columns.get(table)
        if listed is None:
            return None
        return self._per_table("columns", table, lambda: listed | {
            n for r in self.column_renames_for(table).values() for n in (r.old, r.new)} | {
            n for v in self.value_maps_for(table).values() for n in (v.old, v.new)} | set(
            self.column_removals_for(table)) | {
            c["name"] for a in self.column_additions_for(table) for c in a.columns})

    @cached_property
    def common_columns(self) -> frozenset[str]:
        """Columns every table with known columns has (`id`): sharing only
        these says nothing about which table a type mirrors."""
        known = [self.columns_for(t) for t in self._listed_columns]
        return frozenset.intersection(*known) if known else frozenset()

    def expand(self, table_or_pattern: str) -> tuple[str, ...]:
        """A table name, or a family pattern, as concrete table names."""
        if table_or_pattern in self.families:
            return self.families[table_or_pattern]
        return (table_or_pattern,)

    def resolve_prefix(self, prefix: str) -> tuple[str, ...] | None:
        """Tables a name built from `prefix` + something can be, e.g. a template
        literal `widget_${type}`. None when the prefix does not pin a family."""
        for pattern, tables in self.families.items():
            stem = pattern.rstrip("*")
            if prefix.startswith(stem):
                return tuple(t for t in tables if t.startswith(prefix)) or None
        return None

    # -- per table -----------------------------------------------------------
    def _entries(self, key: str, kind: str):
        cls = getattr(spec_entries, kind)
        out = []
        for entry in self.raw.get(key, []):
            kwargs = dict(entry)
            for name in ("tables", "languages", "names", "enum", "columns", "names_kept_under",
                         "reaches_only_under", "verbs"):
                if name in kwargs:
                    kwargs[name] = _t(kwargs[name])
            out.append(cls(**kwargs))
        return tuple(out)

    @cached_property
    def column_renames(self) -> tuple[ColumnRename, ...]:
        return self._entries("column_renames", "ColumnRename")

    @cached_property
    def column_removals(self) -> tuple[ColumnRemoval, ...]:
        return self._entries("column_removals", "ColumnRemoval")

    @cached_property
    def column_additions(self) -> tuple[ColumnAddition, ...]:
        return self._entries("column_additions", "ColumnAddition")

    @cached_property
    def value_maps(self) -> tuple[ValueMap, ...]:
        return self._entries("value_maps", "ValueMap")

    @cached_property
    def rpc_param_renames(self) -> tuple[RpcParamRename, ...]:
        return self._entries("rpc_param_renames", "RpcParamRename")

    @cached_property
    def identifier_renames(self) -> tuple[IdentifierRename, ...]:
        return self._entries("identifier_renames", "IdentifierRename")

    @cached_property
    def string_renames(self) -> tuple[StringRename, ...]:
        return self._entries("string_renames", "StringRename")

    @cached_property
    def field_renames(self) -> tuple[FieldRename, ...]:
        return self._entries("field_renames", "FieldRename")

    @cached_property
    def leftovers(self) -> tuple[Leftover, ...]:
        return self._entries("leftovers", "Leftover")

    @cached_property
    def removed_methods(self) -> tuple[RemovedMethods, ...]:
        return self._entries("removed_methods", "RemovedMethods")

    @cached_property
    def method_aliases(self) -> tuple[MethodAlias, ...]:
        return self._entries("method_aliases", "MethodAlias")

    def method_aliases_for(self, language: str, strategy: str) -> dict[str, MethodAlias]:
        """Old method name -> its alias entry; a family entry stands for each method of the family."""
        out = {}
        for m in self.method_aliases:
            if language not in m.languages or m.strategy != strategy:
                continue
            if not m.family:
                out[m.old] = m
                continue
            for fam in self.identifier_renames:
                if fam.scope == "family" and fam.old == m.family and language in fam.languages:
                    out.update((old, replace(m, old=old, new=new)) for old, new in fam.members().items())
        return out

    def method_renames_for(self, language: str, strategy: str) -> list[IdentifierRename]:
        """The member and family renames of methods under `strategy`, less those
        it keeps as aliases (`[[method_aliases]]`): renamed declarations and uses."""
        aliased = set(self.method_aliases_for(language, strategy))
        return [r for r in self.identifier_renames
                if language in r.languages and r.scope in ("member", "family") and r.strategy in (None, strategy)
                and not aliased & set(r.members())]

    def method_families_for(self, language: str, strategy: str) -> list[IdentifierRename]:
        """The families whose methods `strategy` keeps as aliases of their new names (a `[[method_aliases]]`
        entry naming the family; one naming a single method is py-method-alias's alone)."""
        stems = {m.family for m in self.method_aliases
                 if language in m.languages and m.strategy == strategy and m.family}
        return [r for r in self.identifier_renames
                if language in r.languages and r.scope == "family" and r.old in stems]

    @cached_property
    def contracts(self) -> Contracts:
        """`[contracts]`: route decorators, fetch helpers (none: no contract is looked for)."""
        raw = self.raw.get("contracts", {})
        return Contracts(route_decorators=frozenset(raw.get("route_decorators", [])),
                         parameter_markers=frozenset(raw.get("parameter_markers", [])),
                         handing_calls={name: (int(at), str(keyword))
                                        for name, (at, keyword) in sorted(raw.get("handing_calls", {}).items())},
                         handing_mappings=frozenset(raw.get("handing_mappings", [])),
                         response_model_keywords=frozenset(raw.get("response_model_keywords", [])),
                         docstring_verbs=frozenset(raw.get("docstring_verbs", [])),
                         fetch_calls=frozenset(raw.get("fetch_calls", [])),
                         json_methods=frozenset(raw.get("json_methods", [])),
                         checklist=tuple(sorted(raw.get("checklist", {}).items())),
                         kept=raw.get("kept", ""))

    @cached_property
    def cache_keys(self) -> CacheKeys:
        raw = self.raw.get("cache_keys", {})
        return CacheKeys(separator=raw.get("separator", ":"),
                         key_builders=frozenset(raw.get("key_builders", [])),
                         cache_receivers=tuple(raw.get("cache_receivers", [])),
                         cache_methods=frozenset(raw.get("cache_methods", [])),
                         key_names=tuple(raw.get("key_names", [])),
                         data_methods=frozenset(raw.get("data_methods", [])))

    def cache_key_renames_for(self, language: str, strategy: str) -> dict[str, StringRename]:
        """Key namespace -> its rename (`[[string_renames]]` with context "cache_key")."""
        return {r.old: r for r in self.string_renames
                if language in r.languages and r.context == "cache_key" and r.strategy in (None, strategy)}

    @cached_property
    def backend_alias(self) -> BackendAlias:
        raw = dict(self.raw.get("backend_alias", {}))
        if "field_keywords" in raw:
            raw["field_keywords"] = _t(raw["field_keywords"])
        return BackendAlias(**raw)

    @property
    def permission_checklist(self) -> str | None:
        """The checklist id of permission checks comparing a renamed field (`[permission_checks]`)."""
        return self.raw.get("permission_checks", {}).get("checklist")

    @cached_property
    def python_imports(self) -> dict[str, str]:
        """Name -> the import statement that binds it (`[python_imports]`)."""
        return dict(self.raw.get("python_imports", {}))

    @property
    def type_edits(self) -> list[dict]:
        return list(self.raw.get("type_edits", []))

    @property
    def scaffolds(self) -> list[dict]:
        return list(self.raw.get("scaffolds", []))

    @cached_property
    def type_tables(self) -> dict[str, str]:
        return dict(self.raw.get("type_tables", {}))

    @property
    def suspect_rpc_params(self) -> tuple[str, ...]:
        return tuple(self.raw.get("rpc", {}).get("suspect_params", []))

    def _covers(self, tables: tuple[str, ...], table: str) -> bool:
        return any(table in self.expand(t) or fnmatch.fnmatchcase(table, t) for t in tables)

    def column_renames_for(self, table: str) -> dict[str, ColumnRename]:
        return self._per_table("renames", table, lambda: {
            r.old: r for r in self.column_renames if self._covers(r.tables, table)})

    def column_removals_for(self, table: str) -> dict[str, ColumnRemoval]:
        return self._per_table("removals", table, lambda: {
            r.column: r for r in self.column_removals if self._covers(r.tables, table)})

    def duplicates_for(self, table: str) -> dict[str, str]:
        """Removed column -> the column that held the same value (`duplicate_of`)."""
        return {c: r.duplicate_of for c, r in self.column_removals_for(table).items() if r.duplicate_of}

    @cached_property
    def row_columns(self) -> dict[str, frozenset[str]]:
        """Table -> the columns that show a type is its row (`[row_columns]`)."""
        return {t: frozenset(cols) for t, cols in self.raw.get("row_columns", {}).items()}

    def is_row_of(self, table: str, members) -> bool:
        """Do `members` (a type's member names) show a row of `table`? A table
        without `[row_columns]` is taken by the type's name alone; one with
        them needs two of its columns among the members."""
        columns = self.row_columns.get(table)
        return columns is None or len(columns & set(members)) >= 2

    def _per_table(self, kind: str, table: str, make):
        # Asked for every call of every chain: computed once per table.
        cache = self.__dict__.setdefault("_per_table_cache", {})
        key = (kind, table)
        if key not in cache:
            cache[key] = make()
        return cache[key]

    def column_additions_for(self, table: str) -> list[ColumnAddition]:
        return [a for a in self.column_additions if self._covers(a.tables, table)]

    def value_maps_for(self, table: str) -> dict[str, ValueMap]:
        return {v.old: v for v in self.value_maps if self._covers(v.tables, table)}

    def rpc_renames_for(self, function: str) -> dict[str, RpcParamRename]:
        return {r.old: r for r in self.rpc_param_renames if r.function == function}

    @cached_property
    def rpc_functions(self) -> frozenset[str]:
        return frozenset(r.function for r in self.rpc_param_renames)

    def identifier_renames_for(self, language: str, scope: str, strategy: str) -> dict[str, IdentifierRename]:
        return {
            r.old: r for r in self.identifier_renames
            if language in r.languages and r.scope == scope and r.strategy in (None, strategy)
        }

    def field_renames_for(self, language: str) -> dict[str, FieldRename]:
        return {r.old: r for r in self.field_renames if language in r.languages}

    def leftovers_for(self, language: str, strategy: str | None = None) -> dict[str, str]:
        """Old word -> checklist id, for a backend strategy (None: the default)."""
        strategy = self.default_strategy if strategy is None else strategy
        return {lo.word: lo.checklist[language] for lo in self.leftovers
                if language in lo.checklist and lo.strategy in (None, strategy)}

    def entries(self, section: str) -> list[dict]:
        """The raw entries of a section: an array of tables, or one table."""
        value = self.raw.get(section, [])
        return [value] if isinstance(value, dict) else list(value)

    def names_kept(self, language: str, strategy: str) -> set[str]:
        """Leftover words that, under `strategy`, stay as names in `language` code."""
        return {lo.word for lo in self.leftovers
                if language in lo.checklist and strategy in lo.names_kept_under}

    def reaching_only(self, language: str, strategy: str) -> set[str]:
        """Leftover words that, under `strategy`, are leftovers in `language`
        code only where they reach beyond the back end (`reaches_only_under`)."""
        return {lo.word for lo in self.leftovers
                if language in lo.checklist and strategy in lo.reaches_only_under}

    @cached_property
    def reaches(self) -> Reaches:
        """Where a back-end name reaches beyond the back end (`[reaches]`)."""
        return Reaches(**{k: _t(v) for k, v in self.raw.get("reaches", {}).items()})

    def rewrite_checklist(self, path: str, checklist: str) -> str:
        """The checklist id a finding carries in `path`: a file the guide
        rewrites as a whole (`[[rewrites]]`) claims the items it lists."""
        for rw in self.raw.get("rewrites", []):
            if checklist in rw["items"] and any(fnmatch.fnmatchcase(path, "*" + pat.lstrip("*")) or
                                                fnmatch.fnmatchcase(path, pat) for pat in rw["files"]):
                return rw["checklist"]
        return checklist

    def insert_requirements_for(self, table: str) -> list[dict]:
        return [r for r in self.raw.get("insert_requirements", []) if self._covers(tuple(r["tables"]), table)]

    @property
    def shared_columns(self) -> frozenset[str]:
        """Columns most tables have: they do not tell which table a class mirrors."""
        return frozenset(self.raw.get("tables", {}).get("shared_columns", ()))

    def fields_mirror(self, fields: set[str], columns: frozenset[str]) -> bool:
        """Do a class's fields mirror a table with these columns: most of them
        are its columns, and two of those are not shared_columns?"""
        return fields_mirror(fields, columns, self.shared_columns)

    def types_for_table(self, table: str) -> list[str]:
        """Type names the spec says mirror `table` (`[type_tables]`, inverted)."""
        return sorted(name for name, t in self.type_tables.items() if t == table)

    def table_for_type(self, type_name: str) -> str | None:
        return self.type_tables.get(type_name)

    def template(self, relative: str) -> str:
        p = self.path.parent / relative
        try:
            return p.read_text(encoding="utf-8")
        except OSError as exc:
            raise SpecError(f"{p}: cannot read the template: {exc.strerror or exc}") from None


def default_spec_path() -> Path:
    # Installed: the specs ship inside the package (nooble_codemod/specs/).
    # From a source checkout: the top-level specs/ folder. The package folder
    # is looked at first: importlib.resources is only for a package that is
    # not a folder on disk.
    relative = Path("specs") / "v6" / "spec.toml"
    beside = Path(__file__).resolve().parents[1] / relative
    if beside.is_file():
        return beside
    from importlib import resources

    packaged = resources.files("nooble_codemod").joinpath(*relative.parts)
    if packaged.is_file():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[3] / relative
