"""`apply --interactive`, driven through a pseudo-terminal with real key
presses (pexpect), on a copy of the services app."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import FIXTURES

pexpect = pytest.importorskip("pexpect")

# The prompt ends every question: "DB-3 [a,f,h,s,q]? ", "DB-3 backend/common/models.py:30 [a,s,q]? ".
PROMPT = re.compile(r"(\S+)(?: (\S+?)(?::\d+)?)? \[([a-z,]+)\]\? ")


def env() -> dict:
    out = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", "COLUMNS")}
    # No colour, so the prompt is plain text to match.
    out.update(TERM="dumb", PYTHONPATH=str(FIXTURES.parent / "src") + os.pathsep + out.get("PYTHONPATH", ""))
    return out


@pytest.fixture
def app(tmp_path) -> Path:
    shutil.copytree(FIXTURES / "services-app", tmp_path / "app")
    return tmp_path


def session(cwd: Path, answer, *args: str) -> tuple[str, int]:
    """Run `apply app --interactive` in a terminal; `answer(item, path, keys)`
    gives the key to press at each prompt. Returns the screen text and the exit code."""
    argv = ["-m", "nooble_codemod", "apply", "app", "--interactive", "--no-cache", *args]
    child = pexpect.spawn(sys.executable, argv, cwd=str(cwd), env=env(), encoding="utf-8", dimensions=(50, 120),
                          timeout=120)
    screen = []
    while child.expect([PROMPT, pexpect.EOF]) == 0:
        screen.append(child.before + child.after)
        item, path, keys = child.match.group(1), child.match.group(2), child.match.group(3).split(",")
        key = answer(item, path, keys)
        assert key in keys, (item, path, keys)
        child.send(key)
    screen.append(child.before)
    child.close()
    return "".join(screen).replace("\r\n", "\n"), child.exitstatus


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_accepting_every_item_writes_what_plain_apply_writes(app, tmp_path):
    plain = tmp_path / "plain"
    shutil.copytree(FIXTURES / "services-app", plain / "app")
    res = subprocess.run([sys.executable, "-m", "nooble_codemod", "apply", "app", "--no-cache"], cwd=plain, env=env(),
                         capture_output=True, timeout=120)
    asked = []
    screen, code = session(app, lambda item, path, keys: asked.append(item) or "a")
    assert code == res.returncode == 1
    assert tree(app / "app") == tree(plain / "app")
    assert tree(app / "app") != tree(FIXTURES / "services-app")
    # Items in the spec's checklist order, each asked once (none of BE-3's kind: already V6 here).
    assert asked[:4] == ["DB-1", "DB-2", "DB-3", "DB-4"] and len(asked) == len(set(asked))
    assert "Review done: 50 edit group(s) accepted, 0 skipped" in screen


def test_a_skipped_item_leaves_its_files_and_is_reported(app):
    report = app / "report.json"
    asked = []

    def answer(item, path, keys):
        asked.append((item, path))
        return "s" if item == "DB-3" else "f" if path is None else "a"  # DB-1 file by file

    screen, code = session(app, answer, "--select", "DB-1,DB-3", "--report", str(report))
    assert asked == [("DB-1", None), ("DB-1", "app/backend/common/db/client.py"),
                     ("DB-1", "app/frontend/src/api/conversations.ts"), ("DB-3", None)]
    assert code == 1
    original = FIXTURES / "services-app"
    # common/models.py: DocumentChunk mirrors documents_rag, its profile_id field is DB-3's too.
    for only_db3 in ("backend/ingest_service/worker.py", "backend/query_service/service.py",
                     "backend/common/models.py"):
        assert (app / "app" / only_db3).read_bytes() == (original / only_db3).read_bytes(), only_db3
    # DB-1's edits are written, DB-3's in the same file are not.
    conversations = (app / "app/frontend/src/api/conversations.ts").read_text()
    assert ".eq('user_id', tenantId)" in conversations and ".eq('profile_id', userId)" in conversations
    client = "backend/common/db/client.py"
    assert (app / "app" / client).read_bytes() != (original / client).read_bytes()
    items = {it["id"]: it for it in json.loads(report.read_text())["checklist"]}
    assert items["DB-3"]["status"] == ["skipped by the user"]
    assert items["DB-3"]["summary"] == "skipped by the user: 8 sites"
    assert all(f["message"].endswith("skipped by the user") for f in items["DB-3"]["skipped_by_user"])
    assert items["DB-1"]["status"] == ["done"]
    # File by file, each file's diff is shown once: where it is asked about, not before too.
    for path in ("app/backend/common/db/client.py", "app/frontend/src/api/conversations.ts"):
        assert screen.count(f"+++ b/{path}") == 1, path
    assert ("app/backend/ingest_service/worker.py:29:15  documents_rag: column 'profile_id' is 'user_id' in V6 — "
            "not changed: skipped by the user\n") in screen
    assert "; 8 sites need a human (8 skipped by the user); 0 failed;" in screen


def test_d_shows_an_items_diffs_before_it_is_decided(app):
    asked = []

    def answer(item, path, keys):
        asked.append((item, keys))
        return "d" if "d" in keys else "a"

    screen, code = session(app, answer, "--select", "DB-1")
    assert asked == [("DB-1", ["a", "d", "f", "h", "s", "q"]), ("DB-1", ["a", "f", "h", "s", "q"])]
    before, after = screen.split("d — show its diffs", 1)
    assert "+++ b/app/backend/common/db/client.py" not in before
    assert after.count("+++ b/app/backend/common/db/client.py") == 1
    assert "Review done: 2 edit group(s) accepted" in screen and code == 0


def test_skipping_a_hunk_skips_its_groups_in_every_file(app):
    """Hunk by hunk through DB-3: skipping the hunk of DocumentChunk.profile_id
    leaves its uses in worker.py too; skipping service.py's hunk, which also
    holds BE-1 renames, leaves those renames wherever they reach (run_query's
    caller in router.py, AgentConfig in models.py). Column renames in worker.py,
    groups of their own, are written."""
    skip = ("app/backend/common/models.py", "app/backend/query_service/service.py")

    def answer(item, path, keys):
        if path is None:
            return "h" if item == "DB-3" else "a"
        return "s" if path in skip else "a"

    screen, code = session(app, answer, "--select", "DB-3,BE-1")
    assert code == 1
    assert "this hunk also holds edits of BE-1" in screen
    assert "skipping this hunk skips every edit group with an edit in it, everywhere:" in screen
    for group, item, files in (
            ("field:profile_id:app/backend/common/models.py:DocumentChunk", "DB-3",
             "app/backend/common/models.py, app/backend/ingest_service/worker.py"),
            ("param:tenant_id:app/backend/query_service/service.py:QueryService.run_query", "BE-1",
             "app/backend/chat_service/router.py, app/backend/query_service/service.py")):
        assert f"{group} ({item}; edits {files})" in screen
    original = FIXTURES / "services-app"
    for unchanged in ("backend/query_service/service.py", "backend/chat_service/router.py"):
        assert (app / "app" / unchanged).read_bytes() == (original / unchanged).read_bytes(), unchanged
    models = (app / "app/backend/common/models.py").read_text()
    assert "    id: str\n    profile_id: str\n" in models  # DocumentChunk
    assert "agent_name: str\n    tenant_id: uuid.UUID\n" in models  # AgentConfig: its uses were in service.py's hunk
    assert "    id: str\n    user_id: str\n    session_id: str\n" in models  # Conversation, BE-1: accepted
    worker = (app / "app/backend/ingest_service/worker.py").read_text()
    assert "profile_id=chunk.profile_id" in worker
    assert '{"user_id": job.tenant_id, "collection_id"' in worker
    assert '.select("id, user_id, collection_id' in worker


def test_quit_skips_the_rest_and_writes_nothing_of_it(app):
    screen, code = session(app, lambda item, path, keys: "q")
    assert code == 1
    assert re.search(r"quit: the 50 edit group\(s\) not decided yet are skipped", screen)
    assert tree(app / "app") == tree(FIXTURES / "services-app")


def test_not_a_terminal_is_refused(app):
    res = subprocess.run([sys.executable, "-m", "nooble_codemod", "apply", "app", "--interactive", "--no-cache"],
                         cwd=app, env=env(), stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=120)
    assert res.returncode == 2
    assert "--interactive asks at the terminal, and standard input is not one" in res.stderr
    assert tree(app / "app") == tree(FIXTURES / "services-app")
