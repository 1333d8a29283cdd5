"""py-rpc-params: RPC parameter names renamed by the spec, per function."""

from __future__ import annotations

from nooble_codemod.rules import Rule
from nooble_codemod.rules.shared.query import RpcParamsRule
from nooble_codemod.rules.python._chains import ChainIndex
from nooble_codemod.rules.python._names import dict_keys


class RpcParams(RpcParamsRule, Rule):
    chains = ChainIndex
    id = "py-rpc-params"
    local = True
    language = "python"
    reads = ("rpc_param_renames",)
    summary = "Rename the parameters of supabase-py .rpc() calls the spec renames"
    fix_safety = "safe"
    doc = """
Renames the string keys of the parameter dict of `.rpc('function', {…})`
(or `params={…}`) the way the spec's `[[rpc_param_renames]]` says for that
function.

Why: RPC functions are called by name with named parameters; the migration renamed
`p_tenant_id` to `p_user_id` in `generate_conversation_id`, and a call with the
old name fails at run time only.

Reported without a fix: an old parameter name (spec `[rpc] suspect_params`)
passed to a function the spec does not know, and a renamed parameter passed
to a function whose name is not a literal.

Example: `self.client.rpc('generate_conversation_id', {'p_tenant_id': tenant_id})` →
`self.client.rpc('generate_conversation_id', {'p_user_id': tenant_id})`.
"""

    def param_sites(self, ctx, params):
        return dict_keys(ctx, params)
