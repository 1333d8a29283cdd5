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
    assert {"types-beside-client-unrelated-content", "types-beside-client-without-enum-import",
            "models-in-two-packages",
            "noop-no-types-module-reported", "no-types-module-created-beside-client",
            "no-types-module-created-beside-models", "noop-no-supabase-client-reported",
            "noop-clients-in-two-packages-reported", "noop-no-supabase-named-nothing-said",
            "noop-already-v6", "methods-into-the-supabase-holder-only"} <= names


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


def test_a_module_the_run_does_not_hold_is_never_written_over(tmp_path, monkeypatch):
    """With when_missing = "create", a git-ignored types.py where the enums
    would go is not a file of the run: reported, not created over."""
    from nooble_codemod.cli.app import app

    case = CASES_DIR / "no-types-module-created-beside-client"
    work = tmp_path / "work"
    shutil.copytree(case / "before", work)
    (work / ".gitignore").write_text("/backend/app/types.py\n")
    (work / "backend" / "app" / "types.py").write_text("# generated elsewhere\n")
    monkeypatch.chdir(work)
    res = runner.invoke(app, ["apply", ".", "--allow-dirty", "--no-cache", "--format", "json", "--select", "BE-6",
                              "--spec", str(_spec_creating(tmp_path))])
    assert res.exit_code == 1, res.output
    assert (work / "backend" / "app" / "types.py").read_text() == "# generated elsewhere\n"
    (f,) = [f for f in json.loads(res.stdout)["findings"] if f["checklist"] == "BE-6"]
    assert f["path"] == "backend/app/types.py" and not f["fixable"] and "not created" in f["message"]


HOLDS = {
    "factory": "from supabase import create_client\nclass A:\n    def __init__(self, u, k):\n"
               "        self.client = create_client(u, k)\n",
    "awaited factory, aliased": "from supabase import acreate_client as make\nclass A:\n    async def start(self):\n"
                                "        self.client = await make('u', 'k')\n",
    "module attribute": "import supabase\nclass A:\n    def __init__(self):\n"
                        "        self.client = supabase.create_client('u', 'k')\n",
    "annotated attribute": "from typing import Optional\nfrom supabase import Client\nclass A:\n"
                           "    def __init__(self):\n        self.client: Optional[Client] = None\n",
    "class-level annotation": "from supabase import AsyncClient\nclass A:\n    client: AsyncClient\n",
    "quoted annotation": "from supabase import Client\nclass A:\n    client: 'Client'\n",
    "typed parameter": "from supabase._async.client import AsyncClient\nclass A:\n"
                       "    def __init__(self, client: AsyncClient):\n        self.client = client\n",
}
NOT_HOLDS = {
    "httpx client": "import httpx\nclass A:\n    def __init__(self):\n        self.client = httpx.AsyncClient()\n",
    "a Client of another library": "from httpx import Client\nclass A:\n    def __init__(self, client: Client):\n"
                                   "        self.client = client\n",
    "untyped parameter": "import supabase\nclass A:\n    def __init__(self, client):\n        self.client = client\n",
    "another attribute": "from supabase import create_client\nclass A:\n    def __init__(self):\n"
                         "        self.db = create_client('u', 'k')\n",
    "a relative module named like it": "from .supabase import create_client\nclass A:\n"
                                       "    def __init__(self):\n        self.client = create_client('u', 'k')\n",
    "module level": "from supabase import create_client\nclient = create_client('u', 'k')\n",
    "a quoted name holding it": "from supabase import Client\nclass A:\n    client: 'HttpClient'\n",
}


@pytest.mark.parametrize("shape, text", [*((k, v) for k, v in HOLDS.items()),
                                         *((k, v) for k, v in NOT_HOLDS.items())])
def test_which_class_holds_the_supabase_client(shape, text, spec):
    """Names, not strings: the client is known by where its factory or type comes from."""
    from nooble_codemod.engine.pipeline import Pipeline
    from nooble_codemod.fs.source import SourceText
    from nooble_codemod.rules import RuleContext
    from nooble_codemod.rules.python import _placement
    from nooble_codemod.settings import Settings

    pipeline = Pipeline(spec, Settings())
    source = SourceText(text)
    ctx = RuleContext(path="pkg/db.py", language="python", source=source,
                      tree=pipeline.parse("python", source, "pkg/db.py"), spec=spec, settings=Settings())
    found = [h.name for h in _placement.holders(ctx, spec.client("python"))]
    assert found == (["A"] if shape in HOLDS else []), shape


def test_the_client_package_reaches_up_through_packages_only():
    from nooble_codemod.rules.python._placement import Holder, package, place

    paths = frozenset({"svc/common/__init__.py", "svc/common/db/__init__.py", "svc/common/db/client.py",
                       "svc/common/models.py", "svc/models.py", "other/models.py"})
    assert package("svc/common/db", paths) == ["svc/common/db", "svc/common"]  # svc/ is no package
    holder = Holder("svc/common/db/client.py", "Db", 0, 2)
    assert place("models.py", [holder], paths).target == "svc/common/models.py"
    missing = place("types.py", [holder], paths, ("models.py",))
    assert (missing.target, missing.exists) == ("svc/common/types.py", False)
    assert place("types.py", [holder], paths).target == "svc/common/db/types.py"
    assert place("models.py", [], paths).target is None
    # Two in the package: the nearest the client, once.
    assert place("models.py", [holder], paths | {"svc/common/db/models.py"}).target == "svc/common/db/models.py"
