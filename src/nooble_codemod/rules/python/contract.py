"""py-contract: a route's JSON key the front end reads, kept on both sides."""

from __future__ import annotations

from nooble_codemod.model import Severity
from nooble_codemod.rules import Rule


class Contract(Rule):
    id = "py-contract"
    language = "python"
    # Its findings lie at the contract's sites, in statements naming the key: narrowing keeps them.
    local = True
    reads = ("contracts",)
    summary = "Report route JSON keys a front-end type reads and the back end keeps (HTTP contracts)"
    fix_safety = "none"
    doc = """
The back-end side of ts-contract. A route (a function decorated as the
spec's `[contracts]` says: `@router.get("/jobs/{job_id}")`) whose JSON
carries a key of interest (`tenant_id`: a key of a returned dict literal, or
a field of its response model) that a front-end type reads: when the back
end keeps that key (the dict key is not renamed; the model's field is kept,
aliased or its rename blocked), the key is reported here naming the TS type
and the call that fetches it, and the TS member is reported naming the
route. Nothing is changed: the contract is renamed on both sides or neither.

Why: guide §2.7 and §3.3 — the front end and the back end must keep
agreeing; a key renamed on one side only breaks the front end at run time.

Example: `return {"tenant_id": job.tenant_id}` in `@router.get("/jobs/{job_id}")`,
read as `JobStatus.tenant_id` → reported on both sides, left as is.
"""

    def words(self, spec, settings):
        return set(spec.field_renames_for(self.language)) if spec.contracts.fetch_calls else set()

    def run(self, ctx):
        for c in ctx.project.contracts if ctx.project is not None else ():
            if c.kind != "key":
                continue
            span = ctx.moved(c.start, c.end)
            if span is not None:
                yield self.finding(ctx, span[0], span[1], c.checklist, c.text, severity=Severity.WARNING)
