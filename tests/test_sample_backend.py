"""The sample app's back end under both backend strategies (guide §3.3).

fixtures/sample-app-expected/backend/        rename: tenant_id is user_id everywhere
fixtures/sample-app-expected-alias/backend/  alias: tenant_id kept as a documented alias

test_sample_app.py compares the whole tree under the default (rename); here
the back end is also migrated with `--backend-strategy alias` and compared,
and under both strategies the migrated back end is imported and used: each
new model and enum instantiates, the client's new methods call the RPC
functions of the guide, the cache answers under both method names where the
strategy keeps both, and a second apply changes nothing.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections import Counter

import pytest
from typer.testing import CliRunner

import typecheck
from conftest import FIXTURES
from nooble_codemod.cli.app import app

APP = FIXTURES / "sample-app"
EXPECTED = {"rename": FIXTURES / "sample-app-expected", "alias": FIXTURES / "sample-app-expected-alias"}
STRATEGIES = tuple(EXPECTED)

runner = CliRunner()


def _backend_files(root):
    return sorted(p.name for p in (root / "backend").glob("*.py"))


def _apply(root, strategy):
    res = runner.invoke(app, ["apply", str(root / "backend"), "--allow-dirty", "-j", "1",
                              "--backend-strategy", strategy, "--format", "json"])
    assert res.exit_code in (0, 1), res.output
    return json.loads(res.stdout)


@pytest.fixture(scope="module", params=STRATEGIES)
def migrated(request, tmp_path_factory):
    """(strategy, a copy of the sample back end after one apply)."""
    root = tmp_path_factory.mktemp(f"backend-{request.param}")
    shutil.copytree(APP / "backend", root / "backend")
    _apply(root, request.param)
    return request.param, root


def test_the_alias_tree_has_every_back_end_file():
    assert _backend_files(EXPECTED["alias"]) == _backend_files(APP)


@pytest.mark.parametrize("name", _backend_files(APP))
def test_migrated_back_end_matches_the_expected_tree(migrated, name):
    strategy, root = migrated
    got = (root / "backend" / name).read_bytes()
    want = (EXPECTED[strategy] / "backend" / name).read_bytes()
    assert got.decode("utf-8") == want.decode("utf-8")
    assert got == want


def test_a_second_apply_changes_nothing(migrated):
    strategy, root = migrated
    before = {n: (root / "backend" / n).read_bytes() for n in _backend_files(root)}
    report = _apply(root, strategy)
    assert report["summary"]["files_changed"] == 0, report["files"]
    assert {n: (root / "backend" / n).read_bytes() for n in before} == before


def test_the_migrated_back_end_compiles(migrated):
    _, root = migrated
    out = subprocess.run([sys.executable, "-m", "compileall", "-q", str(root / "backend")],
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr


# supabase-py is not a test dependency: the client module only needs the two
# class names it annotates with.
_SUPABASE_STUB = "class AsyncClient: ...\nclass Client: ...\n"

_USE = r'''
import asyncio, datetime, inspect, sys, uuid

from backend import auth, cache, client, models, types

strategy = sys.argv[1]
now = datetime.datetime.now(datetime.timezone.utc)
models.SubscriptionInfo(id=uuid.uuid4(), user_id=uuid.uuid4(), plan_name="pro", plan_display_name="Pro",
                        status=types.SubscriptionStatus.ACTIVE.value, limits={"agents": 3},
                        current_period_start=now, current_period_end=now)
usage = models.UsageMetrics(user_id=uuid.uuid4(), period_start=now.date(), period_end=now.date())
assert usage.messages_count == 0
message = models.MessageWithTokens(id=uuid.uuid4(), conversation_id=uuid.uuid4(),
                                   role=types.MessageRole.SYSTEM.value, content="hi", created_at=now)
assert message.metadata == {} and message.tokens_input == 0
row = models.Message(id=uuid.uuid4(), conversation_id=uuid.uuid4(), role="user", content="hi", created_at=now)
assert (row.tokens_input, row.tokens_output, row.latency_ms) == (0, 0, None)
for enum in (types.SubscriptionStatus, types.ConversationStatus, types.MessageRole):
    for member in enum:
        assert enum(member.value) is member and isinstance(member, str)
assert types.ConversationStatus("archived") is types.ConversationStatus.ARCHIVED

if strategy == "alias":
    # Both names construct the model; it serialises under the V6 name.
    for kw in ("tenant_id", "user_id"):
        info = models.ConnectionInfo(connection_id="c", session_id="s", **{kw: "u1"})
        assert info.tenant_id == "u1"
        assert info.model_dump(by_alias=True)["user_id"] == "u1"
    assert "tenant_id is equivalent to user_id" in models.ConnectionInfo.__doc__
else:
    assert models.ConnectionInfo(connection_id="c", session_id="s", user_id="u1").user_id == "u1"


class Response:
    def __init__(self, data):
        self.data = data

    async def execute(self):
        return self


class FakeSupabase:
    def __init__(self):
        self.calls = []

    def rpc(self, fn, params):
        self.calls.append((fn, params))
        return Response([{"plan_name": "pro"}])


class Store:
    def __init__(self):
        self.entries = {"user_info:u1": {"is_public": True}}

    async def get(self, key):
        return self.entries.get(key)


class Keys:
    def get_key(self, kind, ident):
        return f"{kind}:{ident}"


async def main():
    fake = FakeSupabase()
    c = client.SupabaseClient(fake, None)
    for name in ("get_user_subscription", "check_user_limit", "record_message_usage"):
        assert inspect.iscoroutinefunction(getattr(c, name)), name
    assert await c.get_user_subscription("u1") == {"plan_name": "pro"}
    assert await c.check_user_limit("u1", "agents") == {"plan_name": "pro"}
    await c.record_message_usage("u1", 10, 20)
    assert [f for f, _ in fake.calls] == ["get_user_subscription", "check_resource_limit", "record_message_usage"]
    assert fake.calls[-1][1] == {"p_user_id": "u1", "p_tokens_input": 10, "p_tokens_output": 20}

    svc = cache.CacheService(Store(), Keys())
    assert await svc.get_user_info("u1") == {"is_public": True}
    if strategy == "alias":
        assert await svc.get_tenant_info("u1") == {"is_public": True}
    else:
        assert not hasattr(svc, "get_tenant_info")
    assert await svc.is_public_account("u1")

    guard = auth.WebSocketAuth(svc)
    owner = "tenant_id" if strategy == "alias" else "user_id"
    conn = models.ConnectionInfo(connection_id="c", session_id="s", **{owner: "u1"})
    assert await guard.authenticate(conn)
    mine = models.WebSocketMessage(type="chat", **{owner: "u1"})
    theirs = models.WebSocketMessage(type="chat", **{owner: "u2"})
    assert await guard.validate_message_permissions(conn, mine)
    assert not await guard.validate_message_permissions(conn, theirs)

asyncio.run(main())
print("ok")
'''


def test_the_migrated_back_end_imports_and_works(migrated, tmp_path):
    strategy, root = migrated
    stubs = tmp_path / "stubs"
    stubs.mkdir()
    (stubs / "supabase.py").write_text(_SUPABASE_STUB)
    out = subprocess.run([sys.executable, "-W", "error", "-c", _USE, strategy], cwd=root,
                         env={"PYTHONPATH": f"{root}:{stubs}", "PATH": "/usr/bin:/bin"},
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0 and out.stdout.strip() == "ok", out.stdout + out.stderr


def test_the_alias_tree_passes_check_under_alias(monkeypatch):
    # Kept tenant_id names and their docstring notes are the documented alias,
    # not leftovers; everything the database sees says user_id.
    monkeypatch.chdir(FIXTURES)
    res = runner.invoke(app, ["check", "sample-app-expected-alias", "--backend-strategy", "alias", "--no-cache"])
    assert res.exit_code == 0, res.output


# -- the type checker ---------------------------------------------------------
@pytest.fixture(scope="module")
def input_errors(tmp_path_factory):
    return typecheck.pyright_errors(APP / "backend", tmp_path_factory.mktemp("pyright-input"), at_least=5)


def test_the_migrated_back_end_adds_no_type_error(migrated, input_errors, tmp_path):
    """basedpyright before and after: a renamed parameter, field or method
    whose callers did not follow would be a new error."""
    strategy, root = migrated
    after = typecheck.pyright_errors(root / "backend", tmp_path, at_least=5)
    assert typecheck.new_errors(input_errors, after) == Counter(), (strategy, after)


def test_the_back_end_type_check_catches_a_caller_left_behind(migrated, input_errors, tmp_path):
    # The control: a keyword the rename did not follow is a new error.
    strategy, root = migrated
    back = tmp_path / "backend"
    shutil.copytree(root / "backend", back)
    (back / "control.py").write_text("from cache import CacheService\n\n\n"
                                     "async def f(c: CacheService) -> bool:\n"
                                     "    return await c.is_public_account(account_id='x')\n")
    new = typecheck.new_errors(input_errors, typecheck.pyright_errors(back, tmp_path, at_least=5))
    assert {(f, rule) for f, rule, _ in new} == {("control.py", "reportCallIssue")}, new
