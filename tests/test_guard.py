"""`check` as a CI guard: every output format parsed back, baselines, exit codes."""

from __future__ import annotations

import json
import re
import shutil

import pytest
from typer.testing import CliRunner

from conftest import FIXTURES, ROOT
from nooble_codemod.cli.app import app

runner = CliRunner()
SARIF_SCHEMA = ROOT / "tools" / "node" / "node_modules" / "@microsoft" / "jest-sarif" / "lib" / "schemas" / "sarif-2.1.0-rtm.5.json"
# https://docs.github.com/actions/reference/workflow-commands-for-github-actions
GITHUB_LINE = re.compile(r"::(error|warning|notice) file=[^,:]+,line=\d+,col=\d+,endLine=\d+,endColumn=\d+,"
                         r"title=[^,:]+::[^\r\n]+\Z")


@pytest.fixture
def v5(tmp_path, monkeypatch):
    shutil.copytree(FIXTURES / "sample-app", tmp_path / "app")
    monkeypatch.chdir(tmp_path)
    return tmp_path / "app"


def _check(*args):
    return runner.invoke(app, ["check", *args])


def _json_findings(path="app"):
    res = _check(path, "--format", "json")
    return json.loads(res.stdout)["findings"]


def test_github_annotations_are_workflow_commands(v5):
    res = _check("app", "--format", "github")
    assert res.exit_code == 1
    lines = res.stdout.splitlines()
    assert lines and all(GITHUB_LINE.match(ln) for ln in lines), lines[:3]
    assert len(lines) == len(_json_findings())
    assert any(ln.startswith("::error file=app/frontend/src/api/conversation-api.ts,line=") for ln in lines)


def test_sarif_validates_against_the_official_schema(v5):
    jsonschema = pytest.importorskip("jsonschema")
    assert SARIF_SCHEMA.exists(), "the SARIF schema comes from npm: `make test` installs tools/node"
    out = v5.parent / "out.sarif"
    res = _check("app", "--format", "sarif", "--output", str(out))
    assert res.exit_code == 1 and res.stdout == ""
    doc = json.loads(out.read_text())
    jsonschema.Draft4Validator(json.loads(SARIF_SCHEMA.read_text())).validate(doc)
    run = doc["runs"][0]
    assert len(run["results"]) == len(_json_findings())
    ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert all(ids[r["ruleIndex"]] == r["ruleId"] for r in run["results"])
    first = run["results"][0]
    assert first["locations"][0]["physicalLocation"]["region"]["startLine"] >= 1
    assert first["partialFingerprints"]


def test_markdown_and_json_parse_back(v5):
    md = _check("app", "--format", "markdown")
    assert md.exit_code == 1 and md.stdout.startswith("## nooble-codemod")
    assert "| DB-1 |" in md.stdout or "DB-1" in md.stdout
    doc = json.loads(_check("app", "--format", "json").stdout)
    assert doc["summary"]["findings"] == len(doc["findings"]) > 0


@pytest.mark.parametrize("fmt", ["text", "json", "github", "sarif", "markdown"])
def test_the_migrated_tree_is_clean_in_every_format(fmt, monkeypatch):
    monkeypatch.chdir(FIXTURES)
    res = _check("sample-app-expected", "--format", fmt, "--no-cache")  # no cache folder left in fixtures/
    assert res.exit_code == 0, res.output
    if fmt == "github":
        assert res.stdout == ""


def test_exit_zero(v5):
    assert _check("app", "--exit-zero").exit_code == 0


def test_github_escapes_what_would_break_the_command(tmp_path, monkeypatch):
    folder = tmp_path / "a,b:c"
    folder.mkdir()
    (folder / "x.ts").write_text("const tenantId = 1;\nexport { tenantId };\n")
    monkeypatch.chdir(tmp_path)
    lines = _check(".", "--format", "github").stdout.splitlines()
    assert lines and all(ln.startswith("::error file=a%2Cb%3Ac/x.ts,") for ln in lines)


def test_github_warns_of_a_file_it_did_not_read(tmp_path, monkeypatch):
    """A binary .py (NUL bytes) is skipped: a green job says it did not look at it."""
    (tmp_path / "blob.py").write_bytes(b"tenant_id = 1\x00\x01")
    (tmp_path / "ok.py").write_text("user_id = 1\n")
    monkeypatch.chdir(tmp_path)
    res = _check(".", "--format", "github", "--no-cache")
    assert res.exit_code == 0, res.output
    assert res.stdout == ("::warning file=blob.py,title=nooble-codemod::not checked: binary file (contains NUL "
                          "bytes)\n"), res.stdout


# -- baselines -----------------------------------------------------------------------------
def test_a_baseline_reports_only_what_is_new_even_after_lines_move(v5):
    base = v5.parent / "baseline.json"
    wrote = _check("app", "--write-baseline", str(base))
    assert wrote.exit_code == 0, wrote.output
    assert len(json.loads(base.read_text())["findings"]) == len(_json_findings())
    assert _check("app", "--baseline", str(base)).exit_code == 0

    api = v5 / "frontend" / "src" / "api" / "conversation-api.ts"
    text = api.read_text()
    # Tomorrow: lines inserted above every finding, and one new V5 reference.
    api.write_text("// a new header\n// that moves every line\n\n" + text
                   + "\nexport const legacy = (tenantId: string) => tenantId;\n")
    res = _check("app", "--baseline", str(base), "--format", "json")
    assert res.exit_code == 1
    new = json.loads(res.stdout)["findings"]
    assert {(f["path"], f["checklist"]) for f in new} == {("app/frontend/src/api/conversation-api.ts", "FE-1")}
    assert len(new) >= 1 and all(f["line"] > text.count("\n") for f in new)


def test_a_bad_baseline_is_a_clear_error(v5):
    bad = v5.parent / "nope.json"
    bad.write_text("{not json")
    res = _check("app", "--baseline", str(bad))
    assert res.exit_code == 2 and "nope.json" in res.output and "baseline" in res.output


# -- suppressions and per-id severity --------------------------------------------------------
def test_a_suppression_that_suppresses_nothing_is_reported(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "used.ts").write_text("const tenantId = 1; // nooble-codemod: ignore[FE-1]\nexport { tenantId };\n")
    (tmp_path / "stale.py").write_text("USER = 1  # nooble-codemod: ignore[BE-1]\n")
    doc = json.loads(_check(".", "--format", "json").stdout)
    got = sorted((f["path"], f["line"], f["rule"]) for f in doc["findings"])
    assert ("stale.py", 1, "unused-suppression") in got
    assert ("used.ts", 1, "ts-local-rename") not in got and ("used.ts", 1, "unused-suppression") not in got


def test_severity_per_id_from_pyproject(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pyproject.toml").write_text('[tool.nooble-codemod]\nseverity = { "FE-1" = "warning" }\n')
    (tmp_path / "a.ts").write_text("export const tenantId = 1;\n")
    lines = _check(".", "--format", "github").stdout.splitlines()
    assert lines and all(ln.startswith("::warning ") for ln in lines)


def test_a_bad_severity_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pyproject.toml").write_text('[tool.nooble-codemod]\nseverity = { "FE-1" = "fatal" }\n')
    (tmp_path / "a.ts").write_text("export const x = 1;\n")
    res = _check(".")
    assert res.exit_code == 2 and "pyproject.toml" in res.output and "fatal" in res.output


def test_sql_files_are_read_as_text_and_warn(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "migrations").mkdir()
    (tmp_path / "migrations" / "001_view.sql").write_text("CREATE VIEW v AS SELECT tenant_id FROM conversations;\n")
    res = _check(".", "--format", "github")
    assert res.exit_code == 1
    assert res.stdout.startswith("::warning file=migrations/001_view.sql,line=1,col=25,")


def test_the_ci_example_runs_as_written(tmp_path, monkeypatch):
    import shlex

    yaml = pytest.importorskip("yaml")
    workflow = yaml.safe_load((ROOT / "examples" / "github-actions.yml").read_text())
    commands = [s["run"] for s in workflow["jobs"]["check"]["steps"] if s.get("run", "").startswith("nooble-codemod")]
    assert any("--format github" in c for c in commands) and any("--format sarif" in c for c in commands)
    # The commands as written leave a result cache where they run: on a copy, not in fixtures/.
    shutil.copytree(FIXTURES / "sample-app-expected", tmp_path / "tree")
    monkeypatch.chdir(tmp_path / "tree")
    for command in commands:
        args = shlex.split(command.replace('"$GITHUB_STEP_SUMMARY"', str(tmp_path / "summary.md")))[1:]
        args = [str(tmp_path / a) if a.endswith(".sarif") else a for a in args]
        res = runner.invoke(app, args)
        assert res.exit_code == 0, (command, res.output)


def test_prose_is_a_warning_code_is_an_error(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    src = FIXTURES / "rules" / "py-leftover" / "noop-comments-logs-sql-docstrings-are-warnings.input.py"
    (tmp_path / "audit.py").write_bytes(src.read_bytes())
    levels = [ln.split(" ", 1)[0] + ln.split(",")[1] for ln in _check(".", "--format", "github").stdout.splitlines()]
    assert levels == ["::warningline=1", "::warningline=8", "::warningline=9", "::warningline=10", "::errorline=11"]


def test_a_file_that_cannot_be_analysed_is_said_in_every_format(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "bad.ts").write_text("const tenant_id = (;\n")
    for fmt in ("github", "json", "sarif", "markdown"):
        res = runner.invoke(app, ["check", ".", "--format", fmt])
        assert res.exit_code == 2, fmt
        assert "error: bad.ts: syntax error at 1:17" in res.stderr, fmt
    res = runner.invoke(app, ["check", ".", "--format", "github"])
    assert res.stdout.splitlines() == ["::error file=bad.ts,title=nooble-codemod::syntax error at 1:17; file not checked"]


def test_sarif_uris_are_percent_encoded(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "my app").mkdir()
    (tmp_path / "my app" / "a#1.ts").write_text("export const tenantId = 1;\n")
    res = runner.invoke(app, ["check", ".", "--format", "sarif", "--no-cache"])
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            for r in json.loads(res.stdout)["runs"][0]["results"]}
    assert uris == {"my%20app/a%231.ts"}
