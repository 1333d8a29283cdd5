"""Scope analysis runs on the module cut down to the statements that can
matter (_scopes.scope_module); every Python finding and fix must be the same
as with the whole module."""

from __future__ import annotations

import random
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from nooble_codemod.engine.pipeline import Pipeline
from nooble_codemod.rules.python import _scopes
from nooble_codemod.settings import Settings
from nooble_codemod.spec.loader import Spec

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from generate import generate  # noqa: E402

MIXED = '''\
from __future__ import annotations
import logging

user_id = "module global"


def helper(tenant_id: str, limit: int = 10):
    return tenant_id * limit


def unrelated(a):
    return a + 1


def caller():
    return helper(tenant_id="t", limit=2)


class Service:
    def uses_global(self, tenant_id):
        return tenant_id + user_id

    def plain(self, tenant_id):
        log = logging.getLogger(tenant_id)
        return [tenant_id for _ in range(3)]


def nested(tenant_id):
    def inner():
        return tenant_id
    return inner


tenant_id = "module level"
'''


def python_files(tmp_path: Path) -> list[tuple[str, bytes]]:
    files = [("mixed.py", MIXED.encode())]
    for folder in ("fixtures/sample-app", "fixtures/rules", "fixtures/scenarios"):
        files += [(str(p.relative_to(ROOT)), p.read_bytes()) for p in sorted((ROOT / folder).rglob("*.py"))]
    generate(tmp_path / "gen", 400, 3)
    generated = sorted((tmp_path / "gen").rglob("*.py"))
    files += [(p.name, p.read_bytes()) for p in random.Random(1).sample(generated, min(60, len(generated)))]
    return files


def outcome(pipeline: Pipeline, name: str, raw: bytes):
    r = pipeline.process(name, raw, fix=True)
    return (r.status, r.reason, r.new, [(f.rule, f.start, f.end, f.message, f.fix) for f in r.findings],
            [(f.rule, f.start, f.end, f.message) for f in r.fixed])


@pytest.mark.parametrize("strategy", ["rename", "alias"])
def test_findings_and_fixes_equal_whole_module_analysis(tmp_path, monkeypatch, strategy):
    spec, settings = Spec.load(), replace(Settings(), backend_strategy=strategy)
    files = python_files(tmp_path)
    reduced = [outcome(Pipeline(spec, settings), n, raw) for n, raw in files]
    monkeypatch.setattr(_scopes, "scope_module", lambda ctx: ctx.tree)
    whole = [outcome(Pipeline(spec, settings), n, raw) for n, raw in files]
    for (name, _), a, b in zip(files, reduced, whole):
        assert a == b, name
    changed = sum(1 for a in reduced if a[2] is not None)
    print(f"{len(files)} Python files, {changed} changed: same findings and fixes")
    assert changed >= 10
