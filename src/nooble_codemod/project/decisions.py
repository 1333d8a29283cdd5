"""The project model's answer for each file: which spans of it belong to
which rename group, and whether that group is done or needs a human.

Built once per run in the project stage (or for one file, when a file is
analysed alone), handed to the file's rules (`RuleContext.project`).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from nooble_codemod.fs.source import SourceText
from nooble_codemod.project import families
from nooble_codemod.project import facts as facts_mod
from nooble_codemod.project.facts import FileFacts
from nooble_codemod.project.group import Group, Renames, RowModel
from nooble_codemod.project.groups import build
from nooble_codemod.project.values import ValueField
from nooble_codemod.spec.entries import FieldRename

# How many sites a blocked group's report lists before "and N more".
_LISTED = 12


@dataclass(frozen=True)
class Site:
    start: int
    end: int
    old: str
    new: str
    group: str
    checklist: str
    # "declaration" | "use" | "alias" (a field kept and declared an alias by
    # py-model-fields, a method by py-method-alias); a parameter's declaration
    # is in FileDecisions.params; "key" (a cache key), "data" (a string of the
    # namespace that is no key: `blocked` says what it is).
    role: str
    blocked: str  # "" when the group is done; else what the finding says
    label: str
    both: bool = False  # a class of the group carries the new name too (two fields, two meanings)
    # A value group's site (project/values.py): the value map's table, and
    # how the site uses the field (facts.Site.use; a declaration's form).
    table: str = ""
    use: tuple = ()


@dataclass
class FileDecisions:
    digest: str  # of the text the positions refer to
    sites: list[Site] = field(default_factory=list)
    params: dict[int, Site] = field(default_factory=dict)  # a parameter's start -> its group's decision
    keys: list[Site] = field(default_factory=list)  # cache key namespaces (families.py)
    methods: list[Site] = field(default_factory=list)  # method families (families.py)
    alias_groups: set = field(default_factory=set)  # the kept-and-aliased groups with sites in this file
    outline: tuple | None = None  # the text's top-level defs and classes (facts.FileFacts.outline)
    contracts: list = field(default_factory=list)  # HTTP contracts' decisions here (contracts.Contract)

    def outline_of(self, data: bytes) -> tuple | None:
        """The outline, if `data` is the text it was made from (not a fix round's)."""
        return self.outline if self.outline is not None and facts_mod.digest(data) == self.digest else None

    def aliased(self, group: str) -> bool:
        """Is `group` a field kept and declared an alias (its sites here pass the alias)?"""
        return group in self.alias_groups

    @property
    def key(self) -> str:
        """What a cached result of the file depends on ("" when nothing is decided in it)."""
        if not self.sites and not self.params and not self.keys and not self.methods and not self.contracts:
            return ""
        material = repr((self.digest, sorted(self.sites, key=lambda s: (s.start, s.group)),
                         sorted(self.params.items()), self.keys, self.methods, self.contracts))
        return hashlib.sha256(material.encode()).hexdigest()[:16]


def renames_of(spec, settings) -> Renames:
    strategy = settings.backend_strategy or spec.default_strategy
    spec_fields = spec.field_renames_for("python")
    keeps = strategy == spec.backend_alias.strategy
    aliased = spec.method_families_for("python", strategy)
    families = [*spec.method_renames_for("python", strategy), *aliased]
    rows = _rows(spec)
    # A column a table renames (profile_id on documents_rag) is renamed in that
    # table's models under every strategy: the alias strategy keeps tenant_id only.
    scoped = {}
    for name, row in sorted(rows.items()):
        for old, (new, checklist) in row.renamed.items():
            if old not in spec_fields:
                scoped.setdefault(old, FieldRename(("python",), old, new, {"python": checklist}, both_names=(
                    f"In {spec.after} the table has one owner column, '{new}': keep one field by hand. "
                    f"{spec.checklist[checklist].advice}")))
    all_fields = {**spec_fields, **scoped}
    return Renames(fields={**({} if keeps else spec_fields), **scoped},
                   params=spec.identifier_renames_for("python", "local", strategy),
                   model_bases=spec.client("python").model_bases,
                   both_text={o: r.both_names for o, r in all_fields.items()},
                   all_fields=all_fields,
                   values=_value_fields(spec),
                   rows=rows,
                   scoped=frozenset(scoped),
                   keys=spec.cache_key_renames_for("python", strategy),
                   cache=spec.cache_keys,
                   logs=spec.client("python").log_receivers,
                   methods={old: r for r in families for old in r.members()},
                   aliased=frozenset(r.old for r in aliased),
                   field_call=spec.backend_alias.field_call,
                   decorators=spec.client("python").passing_decorators,
                   forwarding=spec.client("python").forwarding_calls,
                   routes=spec.contracts.route_decorators,
                   markers=spec.contracts.parameter_markers,
                   handing=spec.contracts.handing_calls,
                   mappings=spec.contracts.handing_mappings,
                   tests=(spec.client("python").test_files, spec.client("python").test_functions))


def _value_fields(spec) -> dict:
    """old -> the value maps' ValueFields, one per table whose columns the spec lists.
    Every strategy: a value map changes the data, not a name the alias strategy keeps."""
    out: dict = {}
    for vm in spec.value_maps:
        if not vm.python_type:
            continue
        for pattern in vm.tables:
            for table in spec.expand(pattern):
                columns = spec.columns_for(table) or frozenset()
                if columns:
                    out.setdefault(vm.old, []).append(
                        ValueField(vm.old, vm.new, table, vm.checklist, columns, spec.shared_columns))
    return out


def _rows(spec) -> dict[str, RowModel]:
    """Class name -> RowModel, for the models ([type_tables]) of tables that
    rename a column other than a field rename, or remove one as a duplicate
    of another (documents_rag: profile_id is user_id, tenant_id held user_id)."""
    out = {}
    fields = spec.field_renames_for("python")
    for name, table in spec.type_tables.items():
        renamed = {o: (r.new, r.checklist) for o, r in spec.column_renames_for(table).items() if o not in fields}
        duplicates = {}
        for old, twin in spec.duplicates_for(table).items():
            removal = spec.column_removals_for(table)[old]
            into = tuple(sorted(o for o, r in spec.column_renames_for(table).items() if r.new == twin))
            now = "".join(f"; '{o}' is '{twin}' in {spec.after}" for o in into)
            why = (f"the class mirrors {table}, where '{old}' always held the same id as '{twin}' and is gone in "
                   f"{spec.after}{now}: drop '{old}' and keep one '{twin}', with their uses, by hand. "
                   f"{spec.checklist[removal.checklist].advice.rstrip('.')}")
            duplicates[old] = (twin, into, why)
        if renamed or duplicates:
            out[name] = RowModel(table, spec.row_columns.get(table, frozenset()), renamed, duplicates)
    return out


def model(files: dict[str, FileFacts], renames: Renames, unread: dict[str, set[str]] | None = None,
          known=(), load=None) -> dict[str, FileDecisions]:
    """Every file's decisions, from the facts of the files of a run that
    name an old name (facts.read). `unread`: such files that could not be
    read (-> the names they hold); `known`: every Python file of the run, and
    `load(path)` the facts of one, read when a name leads to it."""
    unread = unread or {}
    groups = build(files, renames, lambda path, offset: facts_mod.line_of(files[path], offset), known, load)
    for g in groups:
        for path, held in sorted(unread.items()):
            named = {o for o, r in renames.methods.items() if r.old == g.old} if g.kind == "method" else {g.old}
            if named & held:
                g.block(f"{path} names {g.old} but does not parse: its uses cannot be tied to a declaration")
    out = {path: FileDecisions(f.digest, outline=f.outline) for path, f in files.items()}
    for g in groups:
        if g.kind in ("key", "method"):
            families.place(g, out, Site)
        else:
            _place(g, out, renames)
    return out


def read(path: str, source: SourceText, renames: Renames) -> FileFacts | None:
    """A file's facts for the model (None: it does not parse)."""
    return facts_mod.read(path, source, renames.old, renames.declared, methods=renames.method_names,
                          keys=frozenset(renames.keys), cache=renames.cache, logs=renames.logs, stems=renames.stems,
                          field_call=renames.field_call, handing=(renames.handing, renames.mappings),
                          forwarding=renames.forwarding)


def of_sources(sources: dict[str, SourceText], renames: Renames) -> dict[str, FileDecisions]:
    """The model of these files alone (a file analysed by itself, tests)."""
    files, unread = {}, {}
    for path, source in sorted(sources.items()):
        f = read(path, source, renames)
        if f is not None:
            files[path] = f
        else:
            unread[path] = {n for n in renames.words if n in source.text}
    return model(files, renames, unread, list(sources))


def _aliased(g: Group, out: dict[str, FileDecisions]) -> None:
    """Under a strategy that keeps the field, py-model-fields declares it an
    alias of the new name; constructions pass the alias (`Model(user_id=…)`:
    what a type checker accepts, and what the model reads). One group: the
    declarations (role "alias", py-model-fields' edits) with the constructions."""
    for p, pos, _ in g.declarations:
        out[p].sites.append(Site(pos[0], pos[1], g.old, g.new, g.id, g.checklist, "alias", "", g.label))
        out[p].alias_groups.add(g.id)
    for p, pos, _ in g.constructions:
        out[p].sites.append(Site(pos[0], pos[1], g.old, g.new, g.id, g.checklist, "use", "", g.label))
        out[p].alias_groups.add(g.id)


def _place(g: Group, out: dict[str, FileDecisions], renames: Renames) -> None:
    kept = g.kind == "field" and g.old not in renames.fields
    if not g.declarations:
        return
    if kept and not g.both:
        if g.models:
            _aliased(g, out)
        return  # the strategy keeps the field and its uses
    reasons = "; ".join(r for r in g.blocked if r).rstrip(".")  # a reason may end its own sentence
    first = g.declarations[0]
    sites = sorted({(p, pos, line) for p, pos, line, _ in g.sites} | set(g.declarations))
    listed = ", ".join(f"{p}:{line}" for p, _, line in sites[:_LISTED])
    if len(sites) > _LISTED:
        listed += f" and {len(sites) - _LISTED} more"
    verb, undone = ("turned into", "not changed") if g.kind == "value" else ("renamed to", "not renamed")
    head = (f"{g.label} is not {verb} '{g.new}' (edit group {g.id}): {reasons}. "
            f"Its {len(sites)} site{'s' if len(sites) != 1 else ''}, one decision: {listed}") if g.blocked else ""
    where = f"{first[0]}:{first[2]}"
    declared = {(p, pos) for p, pos, _ in g.declarations}
    for p, pos, line in sites:
        if g.blocked:
            text = head if (p, pos) == (first[0], first[1]) else (
                f"'{g.old}' belongs to edit group {g.id} ({g.label}), {undone}: see {where}")
        else:
            text = ""
        role = "declaration" if (p, pos) in declared else "use"
        site = Site(pos[0], pos[1], g.old, g.new, g.id, g.checklist, role, text, g.label, g.both,
                    g.table, g.uses.get((p, pos), ()))
        if g.kind == "param" and role == "declaration":
            out[p].params[pos[0]] = site
        else:
            out[p].sites.append(site)
