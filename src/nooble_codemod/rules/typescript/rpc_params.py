"""ts-rpc-params: RPC parameter names renamed by the spec, per function."""

from __future__ import annotations

from nooble_codemod.rules import Rule
from nooble_codemod.rules.shared.query import RpcParamsRule
from nooble_codemod.rules.typescript._chains import ChainIndex
from nooble_codemod.rules.typescript._names import object_keys


class RpcParams(RpcParamsRule, Rule):
    chains = ChainIndex
    id = "ts-rpc-params"
    local = True
    language = "typescript"
    reads = ("rpc_param_renames",)
    summary = "Rename the parameters of supabase-js .rpc() calls the spec renames"
    fix_safety = "safe"
    doc = """
Renames the keys of the parameter object of `.rpc('function', { … })` the way
the spec's `[[rpc_param_renames]]` says for that function; quoted keys keep
their quotes, a shorthand `{ p_tenant_id }` becomes `{ p_user_id: p_tenant_id }`.

Why: RPC functions are called by name with named parameters; the migration renamed
`p_tenant_id` to `p_user_id` in `generate_conversation_id`, and a call with the
old name fails at run time only.

Reported without a fix: an old parameter name (spec `[rpc] suspect_params`)
passed to a function the spec does not know, and a renamed parameter passed
to a function whose name is not a literal.

Example: `supabase.rpc('generate_conversation_id', { p_tenant_id: tenantId })` →
`supabase.rpc('generate_conversation_id', { p_user_id: tenantId })`.
"""

    def param_sites(self, ctx, params):
        return object_keys(ctx, params)
