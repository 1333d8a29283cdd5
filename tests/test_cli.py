"""The command line contract (README "Usage") on a copy of the sample app."""

from __future__ import annotations

import json
import shutil

import pytest
from typer.testing import CliRunner

from conftest import FIXTURES
from nooble_codemod.cli.app import app

runner = CliRunner()


@pytest.fixture
def app_copy(tmp_path, monkeypatch):
    dest = tmp_path / "app"
    shutil.copytree(FIXTURES / "sample-app", dest)
    monkeypatch.chdir(tmp_path)
    return dest


def snapshot(root):
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_check_json_lists_tenant_leftovers_and_exits_1(app_copy):
    res = runner.invoke(app, ["check", "app", "--format", "json"])
    assert res.exit_code == 1, res.output
    doc = json.loads(res.stdout)
    assert doc["tool"] == "nooble-codemod"
    f = doc["findings"][0]
    # "group": the edit group of a rename's site, when it belongs to one.
    assert set(f) - {"group"} == {"rule", "checklist", "path", "line", "column", "end_line", "end_column",
                                  "severity", "message", "fixable"}
    paths = {x["path"] for x in doc["findings"]}
    assert "app/frontend/src/api/conversation-api.ts" in paths
    assert all(x["line"] >= 1 and x["column"] >= 1 for x in doc["findings"])


def test_dry_run_writes_nothing(app_copy):
    before = snapshot(app_copy)
    res = runner.invoke(app, ["apply", "app", "--dry-run"])
    assert res.exit_code in (0, 1), res.output
    assert "conversation-api.ts" in res.stdout
    assert snapshot(app_copy) == before


def test_apply_then_apply_again_changes_nothing(app_copy):
    before = snapshot(app_copy)
    first = runner.invoke(app, ["apply", "app", "--allow-dirty"])
    assert first.exit_code in (0, 1), first.output
    after = snapshot(app_copy)
    assert after != before
    # files with no migration terms are byte-identical
    for name in ("frontend/src/api/design-api.ts", "frontend/src/utils/format.ts"):
        assert after[name] == before[name]
    assert b"tenant" not in after["frontend/src/api/products-api.ts"]
    second = runner.invoke(app, ["apply", "app", "--allow-dirty"])
    assert snapshot(app_copy) == after
    assert "0 changed" in second.stdout


def test_bad_files_get_one_line_each_and_the_rest_is_migrated(app_copy):
    (app_copy / "broken.ts").write_text("const tenant_id = ;;{\n")
    (app_copy / "binary.ts").write_bytes(b"tenant_id\x00\x01")
    (app_copy / "latin.ts").write_bytes("const tenant_id = 'caf\u00e9';\n".encode("latin-1"))
    res = runner.invoke(app, ["apply", "app", "--allow-dirty"])
    assert res.exit_code == 2
    out = res.stdout
    assert out.count("app/broken.ts") == 1 and "syntax error" in out
    assert out.count("app/binary.ts") == 1 and "binary" in out
    assert out.count("app/latin.ts") == 1 and "not valid utf-8" in out
    assert b"tenant_id" not in (app_copy / "frontend/src/api/products-api.ts").read_bytes()


def test_diff_is_accepted_by_git_apply(app_copy, tmp_path):
    import subprocess

    res = runner.invoke(app, ["apply", "app", "--diff"])
    patch = tmp_path / "p.diff"
    patch.write_text(res.stdout)
    before = snapshot(app_copy)
    subprocess.run(["git", "apply", str(patch)], cwd=tmp_path, check=True)
    assert snapshot(app_copy) != before
    again = runner.invoke(app, ["apply", "app", "--diff"])
    assert again.stdout == ""


def test_missing_path_and_unknown_id_exit_2(app_copy):
    assert runner.invoke(app, ["check", "nowhere"]).exit_code == 2
    assert runner.invoke(app, ["check", "app", "--select", "XX-9"]).exit_code == 2


def test_dirty_git_tree_is_refused(app_copy):
    import subprocess

    subprocess.run(["git", "init", "-q"], cwd=app_copy, check=True)
    before = snapshot(app_copy)
    res = runner.invoke(app, ["apply", "app"])
    assert res.exit_code == 2 and "uncommitted" in res.stdout
    assert {k: v for k, v in snapshot(app_copy).items() if not k.startswith(".git/")} == \
        {k: v for k, v in before.items() if not k.startswith(".git/")}


def test_rules_and_explain(app_copy):
    assert "ts-column-rename" in runner.invoke(app, ["rules"]).stdout
    res = runner.invoke(app, ["explain", "FE-1"])
    assert res.exit_code == 0 and "advice" in res.stdout
    assert runner.invoke(app, ["explain", "nope"]).exit_code == 2


def test_manual_sites_print_the_advice_once_per_item(tmp_path, monkeypatch, spec):
    (tmp_path / "rows.py").write_text(
        "def rows(client, table, owner):\n"
        "    a = client.table(table).select('*').eq('profile_id', owner).execute()\n"
        "    b = client.table(table).insert({'profile_id': owner}).execute()\n"
        "    return a, b\n")
    monkeypatch.chdir(tmp_path)
    res = runner.invoke(app, ["apply", ".", "--dry-run"])
    assert res.exit_code == 1, res.output
    text = " ".join(res.stdout.split())
    advice = " ".join(spec.checklist["DB-3"].advice.split())
    assert text.count(advice) == 1, res.stdout
    assert text.count("could not be resolved: check it by hand") == 2


def test_exit_0_when_apply_leaves_nothing_for_a_human(tmp_path, monkeypatch):
    (tmp_path / "client.py").write_text(
        "def get(client, owner):\n"
        "    return client.table('products').select('*').eq('tenant_id', owner).execute()\n")
    monkeypatch.chdir(tmp_path)
    res = runner.invoke(app, ["apply", ".", "--allow-dirty"])
    assert res.exit_code == 0, res.output
    assert "eq('user_id', owner)" in (tmp_path / "client.py").read_text()
    assert runner.invoke(app, ["check", "."]).exit_code == 0


def test_check_exit_zero_reports_but_exits_0(app_copy):
    res = runner.invoke(app, ["check", "app", "--exit-zero"])
    assert res.exit_code == 0
    assert "tenant_id" in res.stdout


def test_the_summary_counts_one_file_in_the_singular(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "one.ts").write_text("export const userId = 1;\n")
    res = runner.invoke(app, ["apply", "one.ts", "--dry-run"])
    assert res.exit_code == 0
    assert "1 file scanned; 0 would change (0 edits)" in res.stdout


def test_ids_are_matched_whatever_their_case(app_copy):
    import json

    upper = runner.invoke(app, ["check", "app", "--format", "json", "--select", "DB-1,ts-column-rename", "--no-cache"])
    lower = runner.invoke(app, ["check", "app", "--format", "json", "--select", "db-1,TS-Column-Rename", "--no-cache"])
    assert upper.exit_code == lower.exit_code == 1
    assert json.loads(upper.stdout)["findings"] == json.loads(lower.stdout)["findings"] != []
    assert runner.invoke(app, ["explain", "fe-1"]).exit_code == 0
    assert runner.invoke(app, ["explain", "PY-COLUMN-RENAME"]).exit_code == 0


def test_backend_strategies_are_the_specs(app_copy):
    bad = runner.invoke(app, ["check", "app", "--backend-strategy", "Rename"])
    assert bad.exit_code == 2
    assert "'rename' or 'alias'" in bad.stderr and "spec.toml" in bad.stderr
    assert runner.invoke(app, ["check", "app", "--backend-strategy", "alias", "--no-cache"]).exit_code == 1


def test_an_invalid_pyproject_with_our_table_is_an_error(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.py").write_text("x = 1\n")
    (tmp_path / "pyproject.toml").write_text('[tool.nooble-codemod]\nbackend-strategy = "alias"\n[broken\n')
    res = runner.invoke(app, ["check", "."])
    assert res.exit_code == 2
    assert "pyproject.toml: not valid TOML" in res.stderr and "[tool.nooble-codemod]" in res.stderr
    # Someone else's broken pyproject.toml (without our table) is not ours to judge.
    (tmp_path / "pyproject.toml").write_text("[broken\n")
    assert runner.invoke(app, ["check", ".", "--no-cache"]).exit_code == 0


def test_the_dirty_tree_guard_fails_closed_when_git_cannot_answer(tmp_path, monkeypatch):
    import subprocess

    monkeypatch.chdir(tmp_path)
    subprocess.run(["git", "init", "-q"], check=True)
    v5 = 'def f(client, tenant_id):\n    return client.table("conversations").eq("tenant_id", tenant_id)\n'
    (tmp_path / "a.py").write_text(v5)
    # git refuses this repository (as it does one owned by another user).
    (tmp_path / ".git" / "HEAD").write_text("not a ref\n")
    res = runner.invoke(app, ["apply", ".", "--no-cache"])
    assert res.exit_code == 2
    assert (tmp_path / "a.py").read_text() == v5
    assert "refusing to write: cannot tell whether the files to migrate have uncommitted changes" in res.stdout
    assert "git status failed" in res.stdout and "--allow-dirty" in res.stdout
    assert "migrated a.py" not in res.stdout and "; 0 changed (0 edits)" in res.stdout
    assert runner.invoke(app, ["apply", ".", "--no-cache", "--allow-dirty"]).exit_code == 0
    assert (tmp_path / "a.py").read_text() != v5


def test_help_and_rules_read_well_in_80_columns(monkeypatch):
    from nooble_codemod.rules import all_rules

    monkeypatch.setenv("COLUMNS", "80")
    check_help = runner.invoke(app, ["check", "--help"]).stdout
    assert "Files or folders to check." in check_help and "to migrate" not in check_help
    apply_help = runner.invoke(app, ["apply", "--help"]).stdout
    dry_run = next(line for line in apply_help.splitlines() if "--dry-run" in line)
    assert "<bool>" not in dry_run  # a flag takes no value
    table = runner.invoke(app, ["rules"]).stdout
    assert all(r.id in table for r in all_rules())  # ids are what --select and explain take: never cut


def test_selecting_a_column_item_selects_the_model_field_that_mirrors_it(tmp_path, monkeypatch):
    # DocumentChunk mirrors documents_rag: its profile_id is renamed as a
    # symbol (py-symbol-rename) and reported under DB-3, so `--select DB-3`
    # must run that rule too, not only the query rules.
    tree = tmp_path / "app"
    shutil.copytree(FIXTURES / "services-app", tree)
    monkeypatch.chdir(tree)
    res = CliRunner().invoke(app, ["apply", ".", "--select", "DB-3", "--dry-run", "--no-cache", "--format", "json"])
    fixed = json.loads(res.stdout)["fixed"]
    assert {f["checklist"] for f in fixed} == {"DB-3"}
    assert any(f["rule"] == "py-symbol-rename" and f["path"] == "backend/common/models.py" for f in fixed)


def test_a_machine_format_says_each_problem_on_one_line_of_stderr(tmp_path, monkeypatch):
    # A script greps stderr: a problem's message is never wrapped at the console's width.
    monkeypatch.chdir(tmp_path)
    name = "a_module_with_a_rather_long_name_so_that_the_message_is_wider_than_eighty_columns.py"
    (tmp_path / name).write_text("def f(:\n    tenant_id = 1\n")
    res = CliRunner().invoke(app, ["check", ".", "--format", "json", "--no-cache"])
    assert res.exit_code == 2
    lines = [line for line in res.stderr.splitlines() if line]
    assert len(lines) == 1 and lines[0].startswith(f"error: {name}: syntax error") \
        and lines[0].endswith("file not checked"), res.stderr
