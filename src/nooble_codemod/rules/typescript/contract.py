"""ts-contract: TS types that read a back-end route's JSON follow the back end."""

from __future__ import annotations

from nooble_codemod.model import Edit, Severity
from nooble_codemod.rules import Rule
from nooble_codemod.rules.typescript._contract import member_sites


class Contract(Rule):
    id = "ts-contract"
    language = "typescript"
    # Its findings lie at the contract's sites, in statements naming the key: narrowing keeps them.
    local = True
    reads = ("contracts",)
    summary = "Keep TS types of a route's JSON in step with the back end (HTTP contracts)"
    fix_safety = "safe"
    doc = """
A TS type the front end reads a back-end route's JSON as (the type argument
of `api.get<T>('/jobs')`, or `T` in `(await res.json()) as T` beside a
`fetch('/jobs/${id}')`) mirrors that route's payload, not a table. The
project model links them by the route's path (the spec's `[contracts]`; a
route is a decorated function, or a handler whose docstring starts
`GET /jobs/{job_id}`)
and decides each key of interest (`tenant_id`) for both sides at once:

- the back end keeps the key (a dict literal's key, a model field kept,
  aliased or blocked): the member and its reads stay, and it is reported
  here naming the route, while py-contract reports the key naming this type;
- the back end's response model renames the field (its edit group): the
  member and its reads through parameters and variables declared with the
  type follow, in the same group — only when the path matched whole and the
  type is declared once in the run; otherwise the group is blocked on both
  sides and reported.

Why: guide §2.7 and §3 — front end and back end must keep agreeing; renaming
only the TS side of a route's JSON (or only the model) breaks the pair.

Example: `@router.get("/jobs/{job_id}")` returning `{"tenant_id": …}` and
a `fetch` of the template `/jobs/${id}` whose `.json()` is read `as JobStatus`:
`JobStatus.tenant_id` stays, both sides are reported. With
`response_model=JobOut` whose `tenant_id` becomes `user_id`:
`interface JobOut { tenant_id: string }` → `{ user_id: string }`.
"""

    def words(self, spec, settings):
        return set(spec.field_renames_for(self.language)) if spec.contracts.fetch_calls else set()

    def run(self, ctx):
        contracts = [c for c in (ctx.project.contracts if ctx.project is not None else ()) if c.kind == "member"]
        if not contracts:
            return
        by_type = {}
        for c in contracts:
            by_type.setdefault(c.type_name, {})[c.old] = c
        for tname, old, start, end, expr in member_sites(ctx, {t: set(m) for t, m in by_type.items()}):
            c = by_type[tname][old]
            text = c.text if not expr else f"'{expr}' reads {tname}.{old}: " + (
                f"'{c.new}' in {ctx.spec.after}, with the route's model" if c.new else "it stays with the route's JSON")
            yield self._finding(ctx, start, end, c, text)

    def _finding(self, ctx, start, end, c, text):
        if c.new:
            return self.finding(ctx, start, end, c.checklist, text, [Edit(start, end, c.new)], group=c.group)
        return self.finding(ctx, start, end, c.checklist, text, severity=Severity.WARNING)
