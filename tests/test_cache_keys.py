"""Cache key namespaces and method families (guide §3.4, BE-5) through the
command, on small trees of several files: a namespace is renamed at every
key of the run or at none; a family of methods is renamed (or aliased)
whole, across modules, or reported whole."""

from __future__ import annotations

import json
import os

import pytest
from typer.testing import CliRunner

from nooble_codemod.cli.app import app

runner = CliRunner()

CACHE = '''\
from typing import Any, Dict, Optional


class CacheService:
    def __init__(self, cache_manager, key_manager) -> None:
        self.cache_manager = cache_manager
        self.key_manager = key_manager

    async def get_tenant_info(self, tenant_id: str) -> Optional[Dict[str, Any]]:
        return await self.cache_manager.get(self.key_manager.get_key("tenant_info", tenant_id))

    async def set_tenant_info(self, tenant_id: str, info: Dict[str, Any]) -> None:
        await self.cache_manager.set(self.key_manager.get_key("tenant_info", tenant_id), info)

    async def invalidate_tenant_info(self, tenant_id: str) -> None:
        await self.cache_manager.delete(self.key_manager.get_key("tenant_info", tenant_id))
'''

AUTH = '''\
from backend.cache import CacheService


class WebSocketAuth:
    def __init__(self, cache: CacheService) -> None:
        self.cache = cache

    async def authenticate(self, owner: str) -> bool:
        return await self.cache.get_tenant_info(owner) is not None

    async def logout(self, owner: str) -> None:
        await self.cache.invalidate_tenant_info(owner)
'''

ADMIN = '''\
async def purge(redis) -> int:
    keys = [k async for k in redis.scan_iter(match="tenant_info:*")]
    return await redis.delete(*keys) if keys else 0


def stats(count: int) -> dict:
    return {"tenant_info": count}
'''


def _tree(root, files: dict[str, str]):
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def _apply(root, *extra) -> dict:
    old = os.getcwd()
    os.chdir(root)
    try:
        res = runner.invoke(app, ["apply", "--allow-dirty", "--no-cache", *extra, ".", "--format", "json", "-j", "1"])
    finally:
        os.chdir(old)
    assert res.exit_code in (0, 1), res.output
    return json.loads(res.stdout)


def _findings(doc, rule):
    return [f for f in doc["findings"] if f["rule"] == rule]


@pytest.mark.parametrize("strategy", ["rename", "alias"])
def test_a_namespace_is_renamed_at_every_key_of_the_run_and_a_response_key_is_left(tmp_path, strategy):
    _tree(tmp_path, {"backend/cache.py": CACHE, "backend/auth.py": AUTH, "backend/admin.py": ADMIN})
    doc = _apply(tmp_path, "--backend-strategy", strategy)
    cache = (tmp_path / "backend/cache.py").read_text()
    assert cache.count('get_key("user_info", ') == 3 and '"tenant_info"' not in cache
    admin = (tmp_path / "backend/admin.py").read_text()
    assert 'match="user_info:*"' in admin
    assert 'return {"tenant_info": count}' in admin  # the API's response key: data
    (left,) = [f for f in _findings(doc, "py-string-rename") if f["path"] == "backend/admin.py"]
    assert left["line"] == 7 and left["severity"] == "warning" and not left["fixable"]


def test_one_string_that_may_be_a_key_holds_back_the_namespace_in_every_file(tmp_path):
    labels = 'NAMESPACES = ["tenant_info", "profile"]\n'
    _tree(tmp_path, {"backend/cache.py": CACHE, "backend/admin.py": ADMIN, "backend/labels.py": labels})
    doc = _apply(tmp_path)
    assert 'match="tenant_info:*"' in (tmp_path / "backend/admin.py").read_text()
    assert (tmp_path / "backend/cache.py").read_text().count('get_key("tenant_info", ') == 3
    keys = _findings(doc, "py-string-rename")
    assert {f["path"] for f in keys if not f["fixable"]} >= {"backend/cache.py", "backend/admin.py",
                                                               "backend/labels.py"}
    (head,) = [f for f in keys if "one decision" in f["message"]]
    assert "`\"tenant_info\"` at backend/labels.py:1" in head["message"]
    assert head["group"] == "cachekey:tenant_info"


def test_a_family_is_renamed_with_its_uses_in_other_modules(tmp_path):
    jobs = ("from backend.cache import CacheService\n\n\n"
            "async def nightly(cache: CacheService, owner: str) -> None:\n"
            "    await cache.set_tenant_info(tenant_id=owner, info={})\n")
    _tree(tmp_path, {"backend/cache.py": CACHE, "backend/auth.py": AUTH, "backend/jobs.py": jobs})
    _apply(tmp_path)
    cache = (tmp_path / "backend/cache.py").read_text()
    for verb in ("get", "set", "invalidate"):
        assert f"async def {verb}_user_info(self, user_id: str" in cache
    assert "tenant_info(" not in cache
    auth = (tmp_path / "backend/auth.py").read_text()
    assert "self.cache.get_user_info(owner)" in auth and "self.cache.invalidate_user_info(owner)" in auth
    # The parameter and the method follow together: a keyword caller too.
    assert "await cache.set_user_info(user_id=owner, info={})" in (tmp_path / "backend/jobs.py").read_text()


def test_a_module_function_of_the_family_follows_its_imports(tmp_path):
    helpers = "def delete_tenant_info(store: dict, key: str) -> None:\n    store.pop(key, None)\n"
    use = ("from backend.helpers import delete_tenant_info\n\n\n"
           "def drop(store: dict, key: str) -> None:\n    delete_tenant_info(store, key)\n")
    _tree(tmp_path, {"backend/helpers.py": helpers, "backend/use.py": use})
    _apply(tmp_path, "--select", "py-member-rename")
    assert (tmp_path / "backend/helpers.py").read_text() == helpers.replace("delete_tenant_info", "delete_user_info")
    assert (tmp_path / "backend/use.py").read_text() == use.replace("delete_tenant_info", "delete_user_info")


def test_an_unknown_receiver_in_another_module_holds_back_the_whole_family(tmp_path):
    worker = "async def on_logout(cache, owner: str) -> None:\n    await cache.invalidate_tenant_info(owner)\n"
    _tree(tmp_path, {"backend/cache.py": CACHE, "backend/auth.py": AUTH, "backend/worker.py": worker})
    doc = _apply(tmp_path, "--select", "py-member-rename")
    assert (tmp_path / "backend/cache.py").read_text() == CACHE
    assert (tmp_path / "backend/auth.py").read_text() == AUTH
    assert (tmp_path / "backend/worker.py").read_text() == worker
    held = _findings(doc, "py-member-rename")
    assert held and all(not f["fixable"] for f in held)
    assert {f["path"] for f in held} == {"backend/cache.py", "backend/auth.py", "backend/worker.py"}
    (head,) = [f for f in held if "one decision" in f["message"]]
    assert "`cache.invalidate_tenant_info` at backend/worker.py:2: its receiver's type is unknown" in head["message"]
    assert "get_tenant_info, invalidate_tenant_info, set_tenant_info" in head["message"]


def test_under_alias_the_family_is_aliased_and_its_callers_keep_the_old_names(tmp_path):
    _tree(tmp_path, {"backend/cache.py": CACHE, "backend/auth.py": AUTH})
    _apply(tmp_path, "--backend-strategy", "alias")
    cache = (tmp_path / "backend/cache.py").read_text()
    for verb in ("get", "set", "invalidate"):
        assert f"async def {verb}_user_info(self, user_id: str" in cache
        assert f"async def {verb}_tenant_info(self, tenant_id: str" in cache
        assert f"return await self.{verb}_user_info(tenant_id" in cache
    assert (tmp_path / "backend/auth.py").read_text() == AUTH


def test_under_alias_a_member_that_cannot_be_aliased_holds_back_the_family_in_every_file(tmp_path):
    # set_tenant_info in another class of another module cannot rename its parameter (user_id is taken).
    other = ("class LocalCache:\n"
             "    async def set_tenant_info(self, tenant_id: str, info: dict) -> None:\n"
             "        user_id = info.get('owner')\n"
             "        self.store[tenant_id] = (user_id, info)\n")
    _tree(tmp_path, {"backend/cache.py": CACHE, "backend/local.py": other})
    doc = _apply(tmp_path, "--backend-strategy", "alias", "--select", "py-method-alias")
    assert (tmp_path / "backend/cache.py").read_text() == CACHE
    assert (tmp_path / "backend/local.py").read_text() == other
    held = _findings(doc, "py-method-alias")
    assert {f["path"] for f in held} == {"backend/cache.py", "backend/local.py"}
    assert all(not f["fixable"] for f in held)


def test_the_spec_expands_a_family_and_refuses_an_alias_of_an_unknown_one(tmp_path, spec):
    from nooble_codemod.spec.loader import Spec, SpecError

    family = spec.method_renames_for("python", "rename")
    assert [r.old for r in family] == ["tenant_info"]
    assert family[0].members()["invalidate_tenant_info"] == "invalidate_user_info"
    aliases = spec.method_aliases_for("python", "alias")
    assert aliases["set_tenant_info"].new == "set_user_info" and aliases["set_tenant_info"].family == "tenant_info"
    assert spec.method_renames_for("python", "alias") == []  # kept as aliases there
    assert set(spec.cache_key_renames_for("python", "alias")) == {"tenant_info"}

    bad = tmp_path / "spec.toml"
    bad.write_text(spec.path.read_text().replace('family = "tenant_info"', 'family = "tenant_infos"'))
    with pytest.raises(SpecError, match="names family 'tenant_infos'"):
        Spec.load(bad)


def test_a_cached_result_follows_a_namespace_decision_made_in_another_file(tmp_path):
    def check() -> dict:
        old = os.getcwd()
        os.chdir(tmp_path)
        try:
            res = runner.invoke(app, ["check", ".", "--format", "json", "-j", "1"])
        finally:
            os.chdir(old)
        return json.loads(res.stdout)

    _tree(tmp_path, {"backend/cache.py": CACHE, "backend/admin.py": ADMIN})
    first = [f for f in _findings(check(), "py-string-rename") if f["path"] == "backend/cache.py"]
    assert len(first) == 3 and all(f["fixable"] for f in first)
    # cache.py is unchanged (its result is cached); another file now holds back the namespace.
    _tree(tmp_path, {"backend/labels.py": 'NAMESPACES = ["tenant_info"]\n'})
    second = [f for f in _findings(check(), "py-string-rename") if f["path"] == "backend/cache.py"]
    assert len(second) == 3 and not any(f["fixable"] for f in second)
