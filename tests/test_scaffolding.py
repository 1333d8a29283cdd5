"""Files a migration creates (FE-7 subscription-api.ts): found missing by
check, shown as a new-file diff, created by apply and never over a file."""

from __future__ import annotations

import json
import subprocess

import pytest
from typer.testing import CliRunner

from nooble_codemod.cli.app import app
from nooble_codemod.fs.writer import create_exclusively

runner = CliRunner()
NEW = "src/api/subscription-api.ts"


@pytest.fixture
def project(tmp_path, monkeypatch):
    api = tmp_path / "src" / "api"
    api.mkdir(parents=True)
    (api / "agents-api.ts").write_text(
        "import { supabase, type Db } from '../lib/supabase';\n\nexport const list = () => supabase.from('agents').select('*');\n")
    (api / "design-api.ts").write_text("import { supabase } from '../lib/supabase';\nexport const d = 1;\n")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_check_reports_the_missing_file_where_it_belongs(project):
    res = runner.invoke(app, ["check", ".", "--format", "json"])
    assert res.exit_code == 1, res.output
    found = [f for f in json.loads(res.stdout)["findings"] if f["checklist"] == "FE-7"]
    assert [(f["path"], f["line"], f["rule"], f["fixable"]) for f in found] == [(NEW, 1, "ts-scaffold-file", True)]
    assert not (project / NEW).exists()


def test_diff_is_a_new_file_git_apply_accepts(project):
    res = runner.invoke(app, ["apply", ".", "--diff"])
    assert f"--- /dev/null\n+++ b/{NEW}\n" in res.stdout
    assert "+import { supabase } from '../lib/supabase';\n" in res.stdout  # only the binding it needs
    assert not (project / NEW).exists()
    subprocess.run(["git", "init", "-q"], check=True)
    (project / "patch.diff").write_text(res.stdout)
    subprocess.run(["git", "apply", "patch.diff"], check=True)
    assert "class SubscriptionAPI" in (project / NEW).read_text()


def test_apply_creates_it_once(project):
    res = runner.invoke(app, ["apply", ".", "--allow-dirty"])
    assert res.exit_code in (0, 1), res.output
    text = (project / NEW).read_text()
    assert text.startswith("import { supabase } from '../lib/supabase';\n")
    again = runner.invoke(app, ["apply", ".", "--diff"])
    assert NEW not in again.stdout


def test_an_existing_file_is_left_alone(project):
    (project / NEW).write_text("// ours\n")
    res = runner.invoke(app, ["check", ".", "--format", "json"])
    assert not [f for f in json.loads(res.stdout)["findings"] if f["checklist"] == "FE-7"]


def test_without_an_import_to_copy_it_is_reported_not_created(project):
    for p in (project / "src" / "api").iterdir():
        p.write_text("export const x = 1;\n")
    res = runner.invoke(app, ["apply", ".", "--allow-dirty", "--format", "json"])
    assert not (project / NEW).exists()
    findings = [f for f in json.loads(res.stdout)["findings"] if f["checklist"] == "FE-7"]
    assert len(findings) == 1 and not findings[0]["fixable"] and "supabase" in findings[0]["message"]


def test_ignoring_the_item_creates_nothing(project):
    runner.invoke(app, ["apply", ".", "--allow-dirty", "--ignore", "FE-7"])
    assert not (project / NEW).exists()


def test_create_exclusively_never_overwrites(tmp_path):
    target = tmp_path / "a.ts"
    target.write_text("mine")
    with pytest.raises(FileExistsError):
        create_exclusively(target, b"theirs")
    assert target.read_text() == "mine"
    assert [p.name for p in tmp_path.iterdir()] == ["a.ts"]  # no temp file left behind
    create_exclusively(tmp_path / "b.ts", b"new")
    assert (tmp_path / "b.ts").read_bytes() == b"new"
