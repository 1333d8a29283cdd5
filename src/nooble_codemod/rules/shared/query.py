"""What the TypeScript and Python query rules share, whatever the parser.

A query chain starts at a table method (`from('t')`, `table('t')`); its
Target says which tables that is. A NameSite is one written column or
parameter name with the edit that renames it. The judgements (is this name
renamed on this table? is this RPC parameter renamed for this function?)
depend only on the spec, so both languages' rules call the same functions
here and differ only in how they find the sites.

No Rule lives here (rule discovery only scans the language packages).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from nooble_codemod.model import Edit, Severity

PLAIN_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


@dataclass(frozen=True)
class Target:
    """What a chain's table method was given. `tables` is None when the
    argument could not be resolved to table names."""

    tables: tuple[str, ...] | None
    written: str  # the argument as written, for messages
    node: object  # the table method's call
    method: str = "from"  # the table method's name, for messages

    @property
    def resolved(self) -> bool:
        return self.tables is not None

    def describe(self, spec) -> str:
        """For messages: `conversations`, or `from(`widget_${type}`) (widget_*)`."""
        call = f"{self.method}({self.written})"
        if self.tables is None:
            return call
        if len(self.tables) == 1 and self.written[1:-1] == self.tables[0]:
            return self.tables[0]
        family = next((p for p, ts in spec.families.items() if set(ts) == set(self.tables)), None)
        return f"{call} ({family or ', '.join(self.tables)})"


def referenced_target(spec, table: str | None, written: str, node, method: str) -> Target:
    """The Target of the embedded resource a filter names instead of the
    chain's table (supabase's `referencedTable`, `reference_table=`): its
    tables when the name is a known table or family, else unresolved."""
    tables = spec.expand(table) if table in spec.known_tables or table in spec.families else None
    return Target(tables, written, node, method)


@dataclass(frozen=True)
class StaticString:
    """A string literal whose content is exactly its value (no escapes or
    substitutions): `value` starts at byte `start` of the file."""

    node: object
    value: str
    start: int
    end: int
    quote: str


@dataclass(frozen=True)
class NameSite:
    """One written name: an object/dict key, a shorthand property, a name in a
    column-list string. `start`/`end` are the name's bytes (inside the quotes
    for a string key)."""

    name: str
    start: int
    end: int
    shorthand: bool = False  # TS `{ name }`: the name is also the value

    def rename(self, new: str) -> Edit:
        if self.shorthand:
            return Edit(self.start, self.end, f"{new}: {self.name}")
        return Edit(self.start, self.end, new)


def column_list_items(value: str) -> list[tuple[str, int]]:
    """(name, character index) of the top-level items of a PostgREST column
    list such as 'id, tenant_id, rel(col)' that are exactly a name (not
    `alias:col`, `col::text`, `rel(col)` or `*`)."""
    out: list[tuple[str, int]] = []
    depth, item_start = 0, 0
    for i, ch in enumerate(value + ","):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        elif ch == "," and depth == 0:
            item = value[item_start:i]
            name = item.strip()
            if PLAIN_NAME.match(name):
                out.append((name, item_start + len(item) - len(item.lstrip())))
            item_start = i + 1
    return out


_EMBED_HEAD = re.compile(r"\s*(?:[A-Za-z_][A-Za-z0-9_]*\s*:\s*)?([A-Za-z_][A-Za-z0-9_]*)(?:\s*!\s*[A-Za-z_][A-Za-z0-9_]*)?\s*\Z")


def embedded_lists(value: str, base: int = 0) -> list[tuple[str, str, int]]:
    """(resource, its column list, character index of that list) for each
    embedded resource of a PostgREST column list — `agents(id, name)`,
    `owner:profiles!user_id(id)`, nested ones too. The resource is named as
    written (a table, or a relation the caller may not know)."""
    out: list[tuple[str, str, int]] = []
    depth, item_start, open_at = 0, 0, -1
    for i, ch in enumerate(value):
        if ch == "(":
            if depth == 0:
                open_at = i
            depth += 1
        elif ch == ")" and depth > 0:
            depth -= 1
            if depth == 0 and open_at >= 0:
                head = _EMBED_HEAD.match(value[item_start:open_at])
                inner = value[open_at + 1:i]
                if head:
                    out.append((head.group(1), inner, base + open_at + 1))
                    out.extend(embedded_lists(inner, base + open_at + 1))
                open_at = -1
        elif ch == "," and depth == 0:
            item_start = i + 1
    return out


def sites_in_string(value: str, start: int) -> list[NameSite]:
    """column_list_items of a literal whose content `value` starts at byte `start`."""
    out = []
    for name, index in column_list_items(value):
        s = start + len(value[:index].encode("utf-8"))
        out.append(NameSite(name, s, s + len(name.encode("utf-8"))))
    return out


# A column at the start of a PostgREST filter item (`col.op.value`, `col.not.op.value`).
_OR_ITEM = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)\.(?=(?:not\.)?[a-z]+[.(])")


def or_filter_items(value: str, at_start: bool = True) -> list[tuple[str, int]]:
    """(column, character index) of the items of a PostgREST `or`/`and` filter
    string such as 'tenant_id.eq.1,and(a.gt.2,b.is.null)'. An item starts at
    the beginning (when `at_start`: the string opens the filter) or after `,` / `(`."""
    out = []
    for m in _OR_ITEM.finditer(value):
        i = m.start()
        before = value[:i].rstrip()
        if (not before and at_start) or (before and before[-1] in ",("):
            out.append((m.group(1), i))
    return out


def opens_or_item(text: str) -> bool:
    """Whether what follows `text` in a filter string starts an item (the
    column's place): `text` ends with `,` or `(`."""
    return text.rstrip()[-1:] in (",", "(")


# A string that reads as SQL (keywords in capitals, as SQL is written in code).
SQL_TEXT = re.compile(r"\b(?:SELECT|INSERT INTO|UPDATE|DELETE FROM|WHERE|CREATE|ALTER TABLE)\b")


def word_pattern(words) -> re.Pattern[str]:
    """Whole-word matches of any of `words` (identifier characters bound a word,
    so `tenant_id` is not found inside `p_tenant_id`)."""
    alts = "|".join(re.escape(w) for w in sorted(words, key=lambda w: (-len(w), w)))
    return re.compile(rf"(?<![A-Za-z0-9_$])(?:{alts})(?![A-Za-z0-9_$])")


def ambiguous_checklist(spec, language: str, name: str, candidates: list[str]) -> str:
    """One checklist id for a name whose table is not known: the only candidate,
    else the language-wide item for the word (e.g. FE-1 for tenant_id), else
    the first candidate."""
    ids = list(dict.fromkeys(candidates))
    if len(ids) == 1:
        return ids[0]
    field = spec.field_renames_for(language).get(name)
    if field is not None:
        return field.checklist_for(language)
    return spec.leftovers_for(language).get(name, ids[0])


def tables_text(tables) -> str:
    return ", ".join(tables)


def judge_column(rule, ctx, site: NameSite, target: Target):
    """The finding for a column name written in a query on `target`: a rename
    when every table the chain can be on renames it the same way, a report when
    the table is unknown or the family disagrees, None when no table renames it."""
    spec = ctx.spec
    if not target.resolved:
        everywhere = [r for r in spec.column_renames if r.old == site.name]
        tables = [t for r in everywhere for t in r.tables]
        cid = ambiguous_checklist(spec, rule.language, site.name, [r.checklist for r in everywhere])
        advice = spec.checklist[cid].advice
        return rule.finding(
            ctx, site.start, site.end, cid,
            f"'{site.name}' is renamed on {tables_text(tables)}, but the table of this query "
            f"({target.describe(spec)}) could not be resolved: check it by hand. {advice}")
    per_table = {t: spec.column_renames_for(t).get(site.name) for t in target.tables}
    hits = [r for r in per_table.values() if r is not None]
    if not hits:
        return None  # e.g. agents.tenant_id: not a renamed column
    if len(hits) == len(per_table) and len({r.new for r in hits}) == 1:
        rename = hits[0]
        return rule.finding(ctx, site.start, site.end, rename.checklist,
                            f"{target.describe(spec)}: column '{site.name}' is '{rename.new}' in {ctx.spec.after}",
                            [site.rename(rename.new)])
    # A family some of whose tables rename the column and some do not.
    some = [t for t, r in per_table.items() if r is not None]
    rest = [t for t, r in per_table.items() if r is None]
    return rule.finding(
        ctx, site.start, site.end, hits[0].checklist,
        f"{target.describe(spec)} can be any of {tables_text(target.tables)}; '{site.name}' is renamed on "
        f"{tables_text(some)} but not on {tables_text(rest)}: split the query or check it by hand. "
        f"{spec.checklist[hits[0].checklist].advice}")


def judge_unknown_column(rule, ctx, start: int, end: int, written: str, target: Target):
    """A filter item whose column is an expression (`f"{col}.eq.{x}"`): when
    the chain's table renames columns, a human says whether it names one; a
    finding without a fix. None when the table renames nothing or is unknown."""
    spec = ctx.spec
    if not target.resolved:
        return None
    renames = {r.old: r for t in target.tables for r in spec.column_renames_for(t).values()}
    if not renames:
        return None
    cid = next(iter(renames.values())).checklist
    pairs = ", ".join(f"'{old}' → '{r.new}'" for old, r in renames.items())
    return rule.finding(
        ctx, start, end, cid,
        f"{target.describe(spec)}: the column of this filter item is '{written}', which is not known here, and "
        f"{ctx.spec.after} renames {pairs} on it: if it can name one, write the new name. {spec.checklist[cid].advice}",
        severity=Severity.WARNING)


def judge_rpc_params(rule, ctx, function: str | None, sites):
    """Findings for the parameter names passed to rpc(function, {...}):
    renamed per function; reported when the function is not a literal, or is
    unknown to the spec and gets an old-looking parameter (`[rpc] suspect_params`)."""
    spec = ctx.spec
    every_old = {r.old for r in spec.rpc_param_renames}
    suspects = set(spec.suspect_rpc_params)
    renames = spec.rpc_renames_for(function) if function else {}
    for site in sites:
        rename = renames.get(site.name)
        if rename is not None:
            yield rule.finding(ctx, site.start, site.end, rename.checklist_for(rule.language),
                               f"rpc('{function}'): parameter '{site.name}' is '{rename.new}' in {ctx.spec.after}",
                               [site.rename(rename.new)])
        elif function is None and site.name in every_old:
            cid = _rpc_checklist(rule, spec, site.name)
            yield rule.finding(ctx, site.start, site.end, cid,
                               f"'{site.name}' is a {ctx.spec.before} RPC parameter, but the function name of this rpc() "
                               f"call is not a literal: check it by hand. {spec.checklist[cid].advice}")
        elif function is not None and function not in spec.rpc_functions and site.name in suspects:
            cid = _rpc_checklist(rule, spec, site.name)
            yield rule.finding(ctx, site.start, site.end, cid,
                               f"rpc('{function}') gets '{site.name}', a {ctx.spec.before} parameter name: check the "
                               f"function's {ctx.spec.after} signature. {spec.checklist[cid].advice}")


def _rpc_checklist(rule, spec, name: str) -> str:
    return spec.leftovers_for(rule.language).get(name, rule.checklist_ids(spec)[0])


class LeftoverReport:
    """The leftover rules of both languages word their findings alike: an old
    name in code is an error; in text (a comment, docstring, log message or
    SQL string) it only informs, so it is a warning."""

    def _report(self, ctx, word, cid, start, end, where: str | None = None):
        advice = ctx.spec.checklist[cid].advice
        if where is None:
            return self.finding(ctx, start, end, cid, f"'{word}' is a {ctx.spec.before} name left over: {advice}")
        return self.finding(ctx, start, end, cid, f"'{word}' in {where} is a {ctx.spec.before} name: update the text. {advice}",
                            severity=Severity.WARNING)


class ChainIndexBase:
    """Every method call of a file that sits on a query chain, with its Target.

    A chain is followed from a call down its receivers to the table method;
    each language says what a call node is (`call_nodes`, `method_call`) and
    how a table argument reads (`resolve_name`). A receiver that is not a
    call (a variable) ends the walk at `base_target`, the place following
    variables plugs in. Built once per file (ctx.cached).
    """

    language = ""

    def __init__(self, ctx):
        self.ctx = ctx
        self.syntax = ctx.spec.client(self.language)
        self._targets: dict = {}
        # (MethodCall, Target) of the calls a rule reads: those the spec names
        # as filter, select, payload or `or` methods. Following every other
        # call's chain (a `console.log`, a `.map`) was most of the index's time.
        self.calls: list = []
        self.rpcs: list = []
        s = self.syntax
        read = (s.filter_methods | s.select_methods | s.payload_methods | s.or_methods | s.equality_methods
                | s.inequality_methods) - s.table_methods
        for node in self.call_nodes():
            call = self.method_call(node)
            if call is None:
                continue
            if call.name in s.rpc_methods:
                self.rpcs.append(self.rpc(call))
            elif call.name in read:
                target = self.target_of(call)
                if target is not None:
                    self.calls.append((call, target))

    @classmethod
    def of(cls, ctx):
        return ctx.cached(f"{cls.language}.chains", lambda: cls(ctx))

    def target_of(self, call) -> Target | None:
        """The Target of the chain `call` is on; None when the chain does not
        start at a table method (it is not a query, as far as we can tell)."""
        key = self.key(call.node)
        if key not in self._targets:
            # Iterative: a chain of hundreds of calls must not recurse that deep.
            pending = [call]
            below = self.method_call(call.receiver)
            while below is not None and self.key(below.node) not in self._targets and not self.is_table_call(below):
                pending.append(below)
                below = self.method_call(below.receiver)
            if below is None:
                found = self.base_target(pending[-1].receiver)
            elif self.key(below.node) in self._targets:
                found = self._targets[self.key(below.node)]
            else:
                found = self.table_target(below)
            for c in pending:
                self._targets[self.key(c.node)] = found
        return self._targets[key]

    def base_target(self, node) -> Target | None:
        """A chain base that is not a method call: `q.eq(...)` with `q` a
        variable continues at the value the variable was given
        (`variable_value`, per language), however many variables deep (bounded)."""
        call = self.method_call(self.variable_value(node))
        if call is None:
            return None
        if self.is_table_call(call):
            return self.table_target(call)
        self._following = getattr(self, "_following", 0) + 1
        try:
            return self.target_of(call) if self._following < 32 else None
        finally:
            self._following -= 1

    def variable_value(self, node):
        """The value a variable at `node` was last given before it, in scope; None if unknown."""
        return None

    # -- per language ------------------------------------------------------------
    def call_nodes(self):
        raise NotImplementedError

    def method_call(self, node):
        raise NotImplementedError

    def key(self, node):
        raise NotImplementedError

    def is_table_call(self, call) -> bool:
        raise NotImplementedError

    def table_target(self, call) -> Target:
        raise NotImplementedError

    def rpc(self, call):
        raise NotImplementedError


class ColumnRenameRule:
    """The column-rename rules of both languages: for each call on a query
    chain, the names it writes (`sites`, per language) judged on its table.
    A mixin for Rule subclasses that set `chains` to their ChainIndex class."""

    chains: type = ChainIndexBase

    def words(self, spec, settings):
        return {r.old for r in spec.column_renames}

    def run(self, ctx):
        chains = self.chains.of(ctx)
        renamed = {r.old for r in ctx.spec.column_renames}
        for call, target in chains.calls:
            target = self.filtered_table(ctx, chains, call, target)
            for site in self.sites(ctx, chains, call):
                if site.name in renamed:
                    finding = judge_column(self, ctx, site, target)
                    if finding is not None:
                        yield finding
            for start, end, written in self.unknown_columns(ctx, chains, call):
                finding = judge_unknown_column(self, ctx, start, end, written, target)
                if finding is not None:
                    yield finding
            if call.name in chains.syntax.select_methods:
                for literal in self.select_strings(ctx, call):
                    yield from self._embedded(ctx, literal, renamed)

    def _embedded(self, ctx, literal: StaticString, renamed):
        """Columns of embedded resources (`.select('*, documents_rag(profile_id)')`)
        are judged on the resource's own table."""
        for resource, inner, index in embedded_lists(literal.value):
            tables = ctx.spec.expand(resource) if resource in ctx.spec.known_tables else None
            target = Target(tables, f"'{resource}'", literal.node, "embedded")
            start = literal.start + len(literal.value[:index].encode("utf-8"))
            for site in sites_in_string(inner, start):
                if site.name in renamed:
                    finding = judge_column(self, ctx, site, target)
                    if finding is not None:
                        yield finding

    def sites(self, ctx, chains, call):
        raise NotImplementedError

    def select_strings(self, ctx, call) -> list[StaticString]:
        """The column-list literals of a select call (for embedded resources);
        a language without it yet returns none."""
        return []

    def filtered_table(self, ctx, chains, call, target: Target) -> Target:
        """The table whose columns the call names: the chain's, unless the
        call filters an embedded resource (supabase-py's `reference_table=`)."""
        return target

    def unknown_columns(self, ctx, chains, call) -> list[tuple[int, int, str]]:
        """(start, end, text) of the expressions a call writes where a column
        goes (an `or` filter's `f"{col}.eq.1"`); a language without it yet returns none."""
        return []


def value_map_filter(syntax, vm, method: str, value: bool) -> tuple[str, str] | None:
    """The filter on the new column that means `method(old, value)` on the old
    boolean: (method, value) from the spec's value map, or None when the
    method is not a plain (in)equality."""
    if method in syntax.equality_methods:
        wanted = value
    elif method in syntax.inequality_methods:
        wanted = not value
    else:
        return None
    f = vm.filters["true" if wanted else "false"]
    return f["method"], f["value"]


def value_map_tables(spec, target: Target, column: str):
    """The value map for `column` when every table the chain can be on has the
    same one; None otherwise (unresolved chains are not guessed: the old
    column still exists on other tables)."""
    if not target.resolved:
        return None
    maps = [spec.value_maps_for(t).get(column) for t in target.tables]
    if maps and all(m is not None and m == maps[0] for m in maps):
        return maps[0]
    return None


class IdentifierRenameRule:
    """Mixin for the rules driven by spec `[[identifier_renames]]` of one
    scope ("local" or "member"), under the run's backend strategy."""

    rename_scope = ""

    def _renames(self, spec, settings):
        return spec.identifier_renames_for(self.language, self.rename_scope, settings.backend_strategy)

    def words(self, spec, settings):
        return set(self._renames(spec, settings))


class ValueMapRule:
    """The value-map rules of both languages (a boolean column replaced by an
    enum): which calls of a query chain name the old column, judged on the
    chain's table. Each language reads its own literals (`filter_column`,
    `payloads`, `select_sites`) and builds its own edits (`filter`, `payload`)."""

    chains: type = ChainIndexBase

    def words(self, spec, settings):
        # The old column matters only on its tables: both names must be in the file.
        return {(table.rstrip("*"), v.old) for v in spec.value_maps for table in v.tables}

    def statement_words(self, spec, settings):
        return {column for _, column in self.words(spec, settings)}

    def run(self, ctx):
        chains = self.chains.of(ctx)
        syntax = chains.syntax
        olds = {v.old for v in ctx.spec.value_maps}
        for call, target in chains.calls:
            if call.name in syntax.filter_methods:
                column = self.filter_column(ctx, call)
                if column is None or column.value not in olds:
                    continue
                vm = value_map_tables(ctx.spec, target, column.value)
                if vm is not None:
                    yield self.filter(ctx, syntax, vm, call, column)
            elif call.name in syntax.payload_methods:
                for payload in self.payloads(ctx, call):
                    yield from self.payload(ctx, target, olds, payload)
            elif call.name in syntax.select_methods:
                for site in self.select_sites(ctx, call):
                    vm = value_map_tables(ctx.spec, target, site.name) if site.name in olds else None
                    if vm is not None:
                        yield self.report(ctx, vm, site.start, site.end,
                                          f"select of '{vm.old}', which is '{vm.new}' (an enum) in {ctx.spec.after}")

    def report(self, ctx, vm, start, end, what):
        return self.finding(ctx, start, end, vm.checklist, f"{what}. {ctx.spec.checklist[vm.checklist].advice}")


class RpcParamsRule:
    """The RPC-parameter rules of both languages: each `.rpc(fn, {...})` of the
    chain index whose parameters are written inline, judged per function.
    A mixin for Rule subclasses that set `chains` and implement `param_sites`."""

    chains: type = ChainIndexBase

    def words(self, spec, settings):
        return {r.old for r in spec.rpc_param_renames} | set(spec.suspect_rpc_params)

    def run(self, ctx):
        for rpc in self.chains.of(ctx).rpcs:
            if rpc.params is None:
                continue  # parameters built elsewhere: following variables comes later
            yield from judge_rpc_params(self, ctx, rpc.function, self.param_sites(ctx, rpc.params))

    def param_sites(self, ctx, params):
        raise NotImplementedError
