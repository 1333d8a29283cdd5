"""Plain parameter renames are decided without ScopeProvider
(rules/python/_param_renames.py); every finding and fix must be what the
scope analysis gives, and the rest must still go to it."""

from __future__ import annotations

from dataclasses import replace

import pytest

from nooble_codemod.engine.pipeline import Pipeline
from nooble_codemod.rules.python import _param_renames
from nooble_codemod.settings import Settings
from nooble_codemod.spec.loader import Spec
from test_narrowing import outcome, python_files

# Each function is one case the shortcut must leave to the scope analysis.
NOT_PLAIN = '''\
from typing import cast


def nested(tenant_id):
    def inner():
        return tenant_id
    return inner


def comprehension(tenant_id):
    return [tenant_id for _ in range(3)]


def lam(tenant_id):
    return lambda: tenant_id


def augmented(tenant_id):
    tenant_id += "x"
    return tenant_id


def deleted(tenant_id):
    del tenant_id


def collision(tenant_id, user_id):
    return tenant_id + user_id


def string_annotation(tenant_id):
    x: "tenant_id" = tenant_id
    return cast("tenant_id", x)


def keyword_called(tenant_id):
    return tenant_id
# called by keyword below: the call is found through the scope analysis
keyword_called(tenant_id="t")


def with_as(tenant_id):
    with open(tenant_id) as tenant_id:
        return tenant_id


def default(x, tenant_id=tenant_id):
    return tenant_id
'''

PLAIN = '''\
class Service:
    tenant_id: str

    async def get(self, tenant_id: str, *, limit: int = 10):
        rows, tenant_id = await self.client.table("t").select("*").eq("tenant_id", tenant_id).execute(), tenant_id
        for item in rows:
            print(f"{tenant_id}: {item}")
        return self.other(tenant_id=tenant_id)

    def other(self, tenant_id):
        return tenant_id
'''


@pytest.mark.parametrize("strategy", ["rename", "alias"])
def test_shortcut_gives_what_the_scope_analysis_gives(tmp_path, monkeypatch, strategy):
    spec, settings = Spec.load(), replace(Settings(), backend_strategy=strategy)
    files = [("plain.py", PLAIN.encode())] + [
        (f"not_plain_{i}.py", ("from typing import cast\n\n\n" + block).encode())
        for i, block in enumerate(NOT_PLAIN.split("\n\n\n")[1:])] + python_files(tmp_path)
    taken = []
    real = _param_renames.param_renames

    def counting(ctx, old, new):
        out = real(ctx, old, new)
        taken.append(out is not None)
        return out

    monkeypatch.setattr(_param_renames, "param_renames", counting)
    short = [outcome(Pipeline(spec, settings), n, raw) for n, raw in files]
    monkeypatch.setattr(_param_renames, "param_renames", lambda ctx, old, new: None)
    full = [outcome(Pipeline(spec, settings), n, raw) for n, raw in files]
    for (name, _), a, b in zip(files, short, full):
        assert a == b, name
    print(f"{len(files)} files: {sum(taken)} renames decided by the shortcut, "
          f"{len(taken) - sum(taken)} by the scope analysis")
    if strategy == "rename":
        assert sum(taken) >= 40 and len(taken) - sum(taken) >= 20


def test_each_unplain_case_goes_to_the_scope_analysis():
    from nooble_codemod.rules import RuleContext
    from nooble_codemod.fs.source import SourceText
    import libcst

    spec, settings = Spec.load(), Settings()
    for block in NOT_PLAIN.split("\n\n\n")[1:]:
        text = "from typing import cast\n\n\n" + block
        ctx = RuleContext("x.py", "python", SourceText(text), libcst.parse_module(text), spec, settings)
        assert _param_renames.param_renames(ctx, "tenant_id", "user_id") is None, block
    ctx = RuleContext("x.py", "python", SourceText(PLAIN), libcst.parse_module(PLAIN), spec, settings)
    plans = _param_renames.param_renames(ctx, "tenant_id", "user_id")
    assert [(p.function.name.value, len(p.names), p.references) for p in plans] == [("get", 6, 4), ("other", 2, 1)]
