"""HTTP contracts (guide §2.7, §3): the trees of fixtures/scenarios/http-contracts/
(its README says how a case is written), migrated with `apply`: a route's
JSON key and the TS member reading it are renamed together or reported
together, never one side alone."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import FIXTURES

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

CASES_DIR = FIXTURES / "scenarios" / "http-contracts"
CASES = sorted(p for p in CASES_DIR.iterdir() if (p / "before").is_dir())
RULES = ("py-contract", "ts-contract")
runner = CliRunner()


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _apply(work: Path, case: Path, monkeypatch) -> dict:
    from nooble_codemod.cli.app import app

    options = tomllib.loads((case / "options.toml").read_text()) if (case / "options.toml").exists() else {}
    args = ["apply", ".", "--allow-dirty", "--no-cache", "--format", "json", "-j", "1"]
    if options.get("backend_strategy"):
        args += ["--backend-strategy", options["backend_strategy"]]
    monkeypatch.chdir(work)
    res = runner.invoke(app, args)
    assert res.exit_code in (0, 1), res.output
    return json.loads(res.stdout)


def _expected_findings(case: Path) -> list[tuple[str, list[str]]]:
    out = []
    for line in (case / "findings").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            head, *texts = (part.strip() for part in line.split(" | "))
            out.append((head, texts))
    return out


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_contract_case(case: Path, tmp_path, monkeypatch):
    assert case.name.startswith("noop-") == (not (case / "after").exists()), \
        "a case without after/ must be named noop-*, and a noop-* case has no after/"
    work = tmp_path / "work"
    shutil.copytree(case / "before", work)
    doc = _apply(work, case, monkeypatch)
    expected = _tree(case / "after") if (case / "after").exists() else _tree(case / "before")
    got = _tree(work)
    assert sorted(got) == sorted(expected)
    for name in expected:
        assert got[name].decode() == expected[name].decode(), name

    found = sorted((f for f in doc["findings"] if f["rule"] in RULES),
                   key=lambda f: (f["path"], f["line"], f["column"]))
    want = _expected_findings(case)
    assert [f"{f['path']}:{f['line']}:{f['column']} {f['rule']} {f['checklist']}" for f in found] \
        == [head for head, _ in want]
    for f, (_, texts) in zip(found, want):
        for text in texts:
            assert text in f["message"], (text, f["message"])

    again = _apply(work, case, monkeypatch)
    assert not again["fixed"], "a second run changed the tree again"
    assert _tree(work) == got


def test_a_renamed_pair_is_one_edit_group(tmp_path, monkeypatch):
    """The model's field, its construction and the TS member and read carry one group id."""
    case = CASES_DIR / "model-field-renamed-ts-follows"
    work = tmp_path / "work"
    shutil.copytree(case / "before", work)
    doc = _apply(work, case, monkeypatch)
    groups = {(f["path"], f.get("group")) for f in doc["fixed"]}
    ids = {g for _, g in groups}
    assert len(ids) == 1 and None not in ids and "" not in ids, groups
    assert {p for p, _ in groups} == {"backend/models.py", "backend/routes.py",
                                      "frontend/src/types.ts", "frontend/src/owner.ts"}


def test_a_ts_site_left_drops_the_whole_pair(tmp_path, monkeypatch):
    """A TS read the group's fix cannot reach (a suppression holds it back)
    leaves the model unrenamed too: never a half-renamed pair."""
    case = CASES_DIR / "model-field-renamed-ts-follows"
    work = tmp_path / "work"
    shutil.copytree(case / "before", work)
    owner = work / "frontend" / "src" / "owner.ts"
    owner.write_text(owner.read_text().replace("    return job.tenant_id;",
                                               "    // nooble-codemod: ignore[ts-contract]\n    return job.tenant_id;"))
    before = _tree(work)
    _apply(work, case, monkeypatch)
    assert _tree(work) == before


def test_the_result_cache_follows_the_contract(tmp_path, monkeypatch):
    """A TS file unchanged while its route moves: its kept result was made
    with the contract, so it is read again (and again when the route is back)."""
    from nooble_codemod.cli.app import app

    work = tmp_path / "work"
    shutil.copytree(CASES_DIR / "noop-dict-key-kept-both-reported" / "before", work)
    monkeypatch.chdir(work)

    def rules() -> list[str]:
        res = runner.invoke(app, ["check", ".", "--format", "json", "-j", "1"])
        assert res.exit_code in (0, 1), res.output
        return sorted(f["rule"] for f in json.loads(res.stdout)["findings"] if f["path"].startswith("frontend/"))

    routes = work / "backend" / "routes.py"
    text = routes.read_text()
    assert rules() == ["ts-contract", "ts-contract"]
    routes.write_text(text.replace('"/jobs/{job_id}"', '"/tasks/{job_id}"'))
    assert "ts-contract" not in rules()
    routes.write_text(text)
    assert rules() == ["ts-contract", "ts-contract"]


def test_a_route_file_too_deep_to_parse_is_reported_not_a_crash(tmp_path, monkeypatch):
    # The contract pass parses route files in the main process: a RecursionError
    # there ended the whole run; the file is the file's failure only.
    monkeypatch.chdir(tmp_path)
    (tmp_path / "routes.py").write_text('from fastapi import APIRouter\nrouter = APIRouter()\n\n@router.get("/x")\n'
                                        'def f(tenant_id: str):\n    return {"tenant_id": tenant_id, "n": '
                                        + "+".join(["1"] * 3000) + "}\n")
    (tmp_path / "api.ts").write_text('export interface X { tenant_id: string }\n'
                                     'export const g = () => fetch("/x");\n')
    from nooble_codemod.cli.app import app

    res = runner.invoke(app, ["check", ".", "--no-cache", "--format", "json"])
    assert res.exit_code == 2, res.output
    doc = json.loads(res.stdout)
    assert [(f["path"], f["status"]) for f in doc["files"]] == [("routes.py", "failed")]
    assert any(f["path"] == "api.ts" for f in doc["findings"])
