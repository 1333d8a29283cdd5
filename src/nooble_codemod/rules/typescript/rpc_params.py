"""ts-rpc-params: RPC parameter names renamed by the spec, per function."""

from __future__ import annotations

from nooble_codemod.rules import Rule
from nooble_codemod.rules.typescript._chains import ChainIndex
from nooble_codemod.rules.typescript._names import object_keys


class RpcParams(Rule):
    id = "ts-rpc-params"
    language = "typescript"
    checklist = ("FE-1",)
    summary = "Rename V5 parameters of supabase-js .rpc() calls (p_tenant_id → p_user_id)"
    fix_safety = "safe"
    doc = """
Renames the keys of the parameter object of `.rpc('function', { … })` the way
the spec's `[[rpc_param_renames]]` says for that function; quoted keys keep
their quotes, a shorthand `{ p_tenant_id }` becomes `{ p_user_id: p_tenant_id }`.

Why: RPC functions are called by name with named parameters; V6 renamed
`p_tenant_id` to `p_user_id` in `generate_conversation_id`, and a call with the
old name fails at run time only.

Reported without a fix: a V5 parameter name (spec `[rpc] suspect_params`)
passed to a function the spec does not know, and a renamed parameter passed
to a function whose name is not a literal.

Example: `supabase.rpc('generate_conversation_id', { p_tenant_id: tenantId })` →
`supabase.rpc('generate_conversation_id', { p_user_id: tenantId })`.
"""

    def words(self, spec, settings):
        return {r.old for r in spec.rpc_param_renames} | set(spec.suspect_rpc_params)

    def run(self, ctx):
        spec = ctx.spec
        every_old = {r.old for r in spec.rpc_param_renames}
        suspects = set(spec.suspect_rpc_params)
        for rpc in ChainIndex.of(ctx).rpcs:
            if rpc.params is None:
                continue  # parameters built elsewhere: the variables issue follows them
            renames = spec.rpc_renames_for(rpc.function) if rpc.function else {}
            for site in object_keys(ctx, rpc.params):
                rename = renames.get(site.name)
                if rename is not None:
                    yield self.finding(ctx, site.start, site.end, rename.checklist,
                                       f"rpc('{rpc.function}'): parameter '{site.name}' is '{rename.new}' in V6",
                                       [site.rename(rename.new)])
                elif rpc.function is None and site.name in every_old:
                    cid = self.checklist_for(spec, site.name)
                    yield self.finding(ctx, site.start, site.end, cid,
                                       f"'{site.name}' is a V5 RPC parameter, but the function name of this rpc() "
                                       f"call is not a literal: check it by hand. {spec.checklist[cid].advice}")
                elif rpc.function is not None and rpc.function not in spec.rpc_functions and site.name in suspects:
                    cid = self.checklist_for(spec, site.name)
                    yield self.finding(ctx, site.start, site.end, cid,
                                       f"rpc('{rpc.function}') gets '{site.name}', a V5 parameter name: check the "
                                       f"function's V6 signature. {spec.checklist[cid].advice}")

    def checklist_for(self, spec, name: str) -> str:
        return spec.leftovers_for(self.language).get(name, self.checklist[0])
