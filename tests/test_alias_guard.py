"""`check --backend-strategy alias` as a guard a team keeps switched on.

fixtures/services-app-internal-alias/ is a back end migrated by hand under
the guide's §3.3 Option 2: tenant_id stays inside it (parameters, locals, a
vector store's payload keys, log `extra=`), and nothing it sends to a V6
table or RPC, a class mirroring a table or the front end's JSON names it.
The guard must be silent on it; each Supabase-facing tenant_id put back into
a copy must be an error that says what it reaches.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import FIXTURES

TREE = FIXTURES / "services-app-internal-alias"
CLI = Path(sys.executable).parent / "nooble-codemod"


def _check(root: Path, strategy: str = "alias") -> list[dict]:
    out = subprocess.run([str(CLI), "check", "backend", "--backend-strategy", strategy, "--no-cache", "-j", "1",
                          "--format", "json"], cwd=root, capture_output=True, text=True, timeout=300)
    assert out.returncode in (0, 1), out.stdout + out.stderr
    return json.loads(out.stdout)["findings"]


def _errors(findings) -> list[dict]:
    return [f for f in findings if f["severity"] == "error"]


@pytest.fixture
def copy(tmp_path) -> Path:
    root = tmp_path / "app"
    shutil.copytree(TREE, root)
    return root


def test_the_internal_alias_tree_has_no_errors(copy):
    findings = _check(copy)
    assert _errors(findings) == [], [(f["path"], f["line"], f["message"]) for f in findings]


def test_under_rename_the_same_tree_is_not_clean(copy):
    # The tree does keep tenant_id: the rename strategy (Option 1) still wants it gone.
    rules = {f["rule"] for f in _errors(_check(copy, "rename"))}
    assert {"py-local-rename", "py-leftover"} <= rules, rules


# (file, text there, the text put instead, the rule that reports it, words its message must hold)
PUT_BACK = {
    "filter-on-a-renamed-table": (
        "common/db/client.py",
        '.select("id, session_id, agent_id, started_at") \\\n            .eq("user_id", tenant_id)',
        '.select("id, session_id, agent_id, started_at") \\\n            .eq("tenant_id", tenant_id)',
        "py-column-rename", "conversations: column 'tenant_id'"),
    "model-mirroring-conversations": (
        "common/models.py",
        "class SubscriptionInfo(BaseModel):",
        "class Conversation(BaseModel):\n    id: uuid.UUID\n    tenant_id: uuid.UUID\n    session_id: str\n"
        "    agent_id: uuid.UUID\n\n\nclass SubscriptionInfo(BaseModel):",
        "py-model-fields", "(Conversation mirrors conversations)"),
    "row-type-mirroring-conversations": (
        "common/models.py",
        "class SubscriptionInfo(BaseModel):",
        "@dataclass\nclass ConversationRow:\n    tenant_id: str\n    session_id: str\n    agent_id: str\n"
        "    started_at: datetime\n\n\nclass SubscriptionInfo(BaseModel):",
        "py-leftover", "a class mirroring a table (ConversationRow mirrors conversations"),
    "rpc-param-p_tenant_id": (
        "common/db/client.py",
        "{'p_user_id': user_id}",
        "{'p_tenant_id': user_id}",
        "py-rpc-params", "rpc('get_user_subscription') gets 'p_tenant_id'"),
    "rpc-param-tenant_id": (
        "common/db/client.py",
        "{'p_user_id': user_id, 'p_resource_type': resource_type}",
        "{'tenant_id': user_id, 'p_resource_type': resource_type}",
        "py-leftover", "a V6 table or RPC (the parameters of rpc('check_resource_limit'))"),
    "key-of-a-returned-row": (
        "common/db/client.py",
        'response.data[0]["user_id"]',
        'response.data[0]["tenant_id"]',
        "py-leftover", "a V6 table or RPC (a row a query returned)"),
    "payload-key-on-documents_rag": (
        "ingest_service/worker.py",
        '{"user_id": job.tenant_id, "collection_id"',
        '{"tenant_id": job.tenant_id, "collection_id"',
        "py-removed-columns", "documents_rag: 'tenant_id' is gone"),
    "json-a-route-returns": (
        "ingest_service/routes.py",
        '"user_id": job.tenant_id,',
        '"tenant_id": job.tenant_id,',
        "py-leftover", "the front end's JSON contract (what the route handler job_status() returns)"),
}


@pytest.mark.parametrize("variant", sorted(PUT_BACK))
def test_a_supabase_facing_tenant_id_put_back_is_reported(copy, variant):
    path, old, new, rule, words = PUT_BACK[variant]
    target = copy / "backend" / path
    text = target.read_text()
    assert text.count(old) == 1, f"{old!r} is not once in {path}"
    text = text.replace(old, new)
    if "@dataclass" in new and "from dataclasses import dataclass" not in text:
        text = "from dataclasses import dataclass\n" + text
    target.write_text(text)
    first = text.index(new) + new.index("tenant_id")
    line = text[:first].count("\n") + 1

    errors = _errors(_check(copy))
    found = [(f["path"], f["line"], f["rule"], f["message"]) for f in errors]
    assert [f for f in found if f[0] == f"backend/{path}" and f[1] == line and f[2] == rule and words in f[3]], found
    # Nothing else starts failing: the guard points at what was put back.
    assert {(f[0], f[1]) for f in found} == {(f"backend/{path}", line)}, found
