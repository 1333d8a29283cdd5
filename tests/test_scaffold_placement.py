"""Scaffolds placed once per run (BE-2 models, BE-6 enums): the trees of
fixtures/scenarios/scaffold-placement/ (its README says how a case is
written), migrated with `apply`, and the placed code type-checked."""

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

CASES_DIR = FIXTURES / "scenarios" / "scaffold-placement"
CASES = sorted(p for p in CASES_DIR.iterdir() if (p / "before").is_dir())
runner = CliRunner()


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _spec_creating(tmp: Path) -> Path:
    """The built-in spec with `when_missing = "create"` on every placed entry
    (the built-in one reports a missing module): a copy beside its templates."""
    from nooble_codemod.spec.loader import default_spec_path

    folder = tmp / "spec"
    path = folder / default_spec_path().name
    if path.exists():
        return path  # the second run's
    shutil.copytree(default_spec_path().parent, folder)
    text = path.read_text(encoding="utf-8")
    assert 'when_missing = "report"' in text
    path.write_text(text.replace('when_missing = "report"', 'when_missing = "create"'), encoding="utf-8")
    return path


def _apply(work: Path, case: Path, monkeypatch) -> dict:
    from nooble_codemod.cli.app import app

    options = tomllib.loads((case / "options.toml").read_text()) if (case / "options.toml").exists() else {}
    args = ["apply", ".", "--allow-dirty", "--no-cache", "--format", "json"]
    for key in ("select", "ignore"):
        if options.get(key):
            args += [f"--{key}", ",".join(options[key])]
    if options.get("when_missing") == "create":
        args += ["--spec", str(_spec_creating(work.parent))]
    monkeypatch.chdir(work)
    res = runner.invoke(app, args)
    assert res.exit_code in (0, 1), res.output
    return json.loads(res.stdout)


def _expected_findings(case: Path) -> list[tuple[str, list[str]]]:
    path = case / "findings"
    if not path.exists():
        return []
    out = []
    for line in path.read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            head, *texts = (part.strip() for part in line.split(" | "))
            out.append((head, texts))
    return out


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_placement_case(case: Path, tmp_path, monkeypatch):
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
        assert got[name] == expected[name], name  # bytes too: newlines

    found = [f for f in doc["findings"] if f["rule"] == "py-scaffold"]
    want = _expected_findings(case)
    assert [f"{f['path']}:{f['line']}:{f['column']} {f['rule']} {f['checklist']}" for f in found] \
        == [head for head, _ in want]
    for f, (_, texts) in zip(found, want):
        for text in texts:
            assert text in f["message"], (text, f["message"])

    again = _apply(work, case, monkeypatch)
    assert not again["fixed"], "a second run changed the tree again"
    assert _tree(work) == got


def test_every_situation_of_the_brief_has_a_case():
    """Renaming a case folder must not drop a situation silently."""
    names = {p.name for p in CASES}
    assert {"types-beside-client-unrelated-content", "models-in-two-packages",
            "noop-no-types-module-reported", "no-types-module-created-beside-client",
            "no-types-module-created-beside-models", "noop-no-supabase-client-reported",
            "noop-clients-in-two-packages-reported", "noop-already-v6"} <= names


@pytest.mark.parametrize("name", ["types-beside-client-unrelated-content", "types-beside-client-without-enum-import",
                                  "no-types-module-created-beside-client", "models-in-two-packages"])
def test_placed_code_adds_no_type_error(name, tmp_path):
    """basedpyright on the tree before and after: the placed classes and
    their imports bring no new error."""
    import typecheck

    case = CASES_DIR / name
    before = typecheck.pyright_errors(case / "before" / "backend", tmp_path / "before")
    after = typecheck.pyright_errors(case / "after" / "backend", tmp_path / "after")
    assert typecheck.new_errors(before, after) == {}, after


def test_a_placed_scaffold_the_checker_rejects_is_dropped_and_said(tmp_path, spec, monkeypatch):
    """apply --verify: a placed group that brings a new error is dropped (the
    file executed again does not get it back) and reported with the checker's words."""
    from dataclasses import replace

    import typecheck
    from nooble_codemod.engine.run import RunRequest, run
    from nooble_codemod.model import FileStatus, RunMode
    from nooble_codemod.rules.python import scaffold
    from nooble_codemod.settings import Settings

    tree = tmp_path / "backend"
    shutil.copytree(CASES_DIR / "types-beside-client-unrelated-content" / "before" / "backend", tree)
    (tree / "supabase").mkdir()
    (tree / "supabase" / "__init__.py").write_text(typecheck.SUPABASE_STUB)
    real = scaffold.Scaffold._appended

    def broken(self, ctx, entry, template, classes, missing):
        f = real(self, ctx, entry, template, classes, missing)
        last = max(f.fix.edits)  # the classes, after the imports
        edits = tuple(sorted([*(e for e in f.fix.edits if e is not last),
                              replace(last, text=last.text + "broken: int = 'placed'\n")]))
        return replace(f, fix=replace(f.fix, edits=edits))

    def engine():
        request = RunRequest([tree], spec, Settings(cache=False, select=("BE-6",)), RunMode.DRY_RUN, jobs=1,
                             verify=True, cwd=str(tree))
        result = run(request)
        (types,) = [r for r in result.files if r.path.endswith("app/types.py")]
        return result, types

    result, types = engine()
    assert types.status is FileStatus.CHANGED and "class MessageRole" in types.new_text
    assert result.verification.dropped == 0
    monkeypatch.setattr(scaffold.Scaffold, "_appended", broken)
    result, types = engine()
    assert types.status is FileStatus.UNCHANGED
    assert result.verification.dropped == 1
    (human,) = [f for f in types.findings if f.checklist == "BE-6"]
    assert human.fix is None and "not changed" in human.message and "reportAssignmentType" in human.message
