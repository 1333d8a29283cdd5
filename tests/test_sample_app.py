"""End to end: the sample app migrated by the tool, plus the human part, is
the hand-written V6 tree.

fixtures/sample-app/            V5 input (what `make demo` runs on)
fixtures/sample-app-expected/   the V6 result, written by hand from the guide
fixtures/sample-app-manual/     patches for what the guide leaves to a human
                                (FE-3, FE-4, …), applied after the tool

Files that need rules of later issues are listed in PENDING as strict
expected failures naming the issue: the gap stays visible, and a file that
starts matching makes the test fail until it is taken off the list.
"""

from __future__ import annotations

import json
import py_compile
import shutil
import subprocess

import pytest
from typer.testing import CliRunner

import typecheck
from conftest import FIXTURES
from nooble_codemod.cli.app import app
from nooble_codemod.languages import language_of

APP = FIXTURES / "sample-app"
EXPECTED = FIXTURES / "sample-app-expected"
MANUAL = FIXTURES / "sample-app-manual"

# relative path -> what is still missing, and which issue builds it
PENDING = {
}

runner = CliRunner()


def _files(root):
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


@pytest.fixture(scope="module")
def migrated(tmp_path_factory):
    """A copy of the sample app after `apply` and the manual patches; the
    patches that did not apply, by file."""
    work = tmp_path_factory.mktemp("e2e")
    dest = work / "app"
    shutil.copytree(APP, dest)
    res = runner.invoke(app, ["apply", str(dest), "--allow-dirty", "-j", "1"])
    assert res.exit_code in (0, 1), res.output
    failed = {}
    for patch in sorted(MANUAL.glob("*.patch")):
        rel = patch.name[:-len(".patch")].replace("__", "/")
        out = subprocess.run(["git", "apply", "--whitespace=nowarn", str(patch)], cwd=dest,
                             capture_output=True, text=True)
        if out.returncode != 0:
            failed[rel] = out.stderr.strip()
    return dest, failed


def _cases():
    # Only source files: each tree's README describes its own tree.
    for rel in sorted(r for r in set(_files(APP)) | set(_files(EXPECTED)) if language_of(r)):
        marks = [pytest.mark.xfail(strict=True, reason=PENDING[rel])] if rel in PENDING else []
        yield pytest.param(rel, marks=marks, id=rel)


def test_the_expected_tree_and_the_patches_exist():
    assert len(_files(EXPECTED)) >= 15
    assert list(MANUAL.glob("*.patch"))
    for patch in MANUAL.glob("*.patch"):
        rel = patch.name[:-len(".patch")].replace("__", "/")
        assert (EXPECTED / rel).is_file(), f"{patch.name} patches a file the expected tree does not have"
    assert set(PENDING) <= set(_files(APP)) | set(_files(EXPECTED)), "PENDING names a file that does not exist"


@pytest.mark.parametrize("rel", list(_cases()))
def test_migrated_file_matches_the_expected_tree(migrated, rel):
    dest, failed = migrated
    assert rel not in failed, f"the manual patch for {rel} does not apply to the tool's output: {failed[rel]}"
    got = dest / rel
    want = EXPECTED / rel
    assert want.is_file(), f"the tool produced {rel}, which the expected tree does not have"
    assert got.is_file(), f"{rel} is missing from the migrated tree"
    assert got.read_text(encoding="utf-8") == want.read_text(encoding="utf-8")
    assert got.read_bytes() == want.read_bytes()


def test_the_expected_tree_passes_check(monkeypatch):
    monkeypatch.chdir(FIXTURES)
    res = runner.invoke(app, ["check", "sample-app-expected", "--no-cache"])  # no cache folder left in fixtures/
    assert res.exit_code == 0, res.output


def test_the_sample_app_fails_check():
    res = runner.invoke(app, ["check", str(APP), "--format", "json"])
    assert res.exit_code == 1, res.output


def test_expected_python_compiles(tmp_path):
    files = sorted(EXPECTED.rglob("*.py"))
    assert files
    for f in files:
        py_compile.compile(str(f), cfile=str(tmp_path / (f.name + "c")), doraise=True)


def test_files_without_migration_terms_are_byte_identical_in_both_trees():
    # The expected tree keeps every file the migration has no reason to touch.
    untouched = [rel for rel in _files(APP)
                 if (EXPECTED / rel).is_file() and (APP / rel).read_bytes() == (EXPECTED / rel).read_bytes()]
    assert "frontend/src/utils/format.ts" in untouched
    assert "backend/settings.py" in untouched


def test_every_manual_site_is_listed_with_its_place_and_the_patches_cover_them(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    shutil.copytree(APP, tmp_path / "app")
    res = runner.invoke(app, ["apply", "app", "--dry-run", "--format", "json"])
    assert res.exit_code == 1, res.output  # done, with follow-ups for a human
    import json

    manual = [f for f in json.loads(res.stdout)["findings"] if not f["fixable"]]
    by_item = {}
    for f in manual:
        by_item.setdefault(f["checklist"], set()).add(f["path"])
    assert by_item.get("FE-3") == {"app/frontend/src/api/public-profile-api.tsx"}
    assert by_item.get("FE-4") == {"app/frontend/src/api/profile-api.ts"}
    assert "app/frontend/src/api/profile-api.ts" in by_item.get("DB-8", set())
    patched = {"app/" + p.name[:-len(".patch")].replace("__", "/") for p in MANUAL.glob("*.patch")}
    front = {f["path"] for f in manual if f["path"].startswith("app/frontend/")}
    assert front <= patched, f"manual sites no patch takes care of: {sorted(front - patched)}"
    # The text report names each site as path:line:col with the item's advice.
    text = runner.invoke(app, ["apply", "app", "--dry-run"]).stdout
    assert "app/frontend/src/api/public-profile-api.tsx:15:" in text
    assert "get_next_widget_position" in text  # FE-4's advice


TYPECHECK = FIXTURES.parent / "tools" / "node"


def _tsc(front_end):
    """tsc --noEmit over a front end, with the pinned compiler and types."""
    tsc = TYPECHECK / "node_modules" / ".bin" / "tsc"
    assert tsc.exists(), "the TypeScript compiler is missing: `make test` installs it (tools/node)"
    shutil.copy(TYPECHECK / "tsconfig.json", front_end / "tsconfig.json")
    link = front_end / "node_modules"
    if not link.exists():
        link.symlink_to(TYPECHECK / "node_modules", target_is_directory=True)
    return subprocess.run([str(tsc), "-p", str(front_end)], capture_output=True, text=True, timeout=300)


def test_the_migrated_front_end_type_checks(migrated, tmp_path):
    dest, _ = migrated
    front = tmp_path / "frontend"
    shutil.copytree(dest / "frontend", front)
    out = _tsc(front)
    assert out.returncode == 0, out.stdout + out.stderr


def test_the_type_check_catches_a_type_error(tmp_path):
    # The control: the same set-up fails on a front end with one wrong type.
    front = tmp_path / "frontend"
    shutil.copytree(EXPECTED / "frontend", front)
    (front / "src" / "control.ts").write_text(
        "import type { Conversation } from './types/conversation';\n"
        "export const c: Conversation['is_active'] = true;\n")
    out = _tsc(front)
    assert out.returncode != 0 and "is_active" in out.stdout, out.stdout


def _in_front_end(path: str) -> str:
    """A path as tsc or a report prints it, from the front end's folder on."""
    return path.replace("\\", "/").rsplit("/frontend/", 1)[-1]


def test_the_front_end_gains_type_errors_only_where_a_human_is_asked(tmp_path):
    """tsc before and after `apply` alone (no manual patches): each new error
    stands on a line the report lists for a human, and there are some (the
    compiler agrees with the to-do list)."""
    dest = tmp_path / "app"
    shutil.copytree(APP, dest)
    res = runner.invoke(app, ["apply", str(dest), "--allow-dirty", "-j", "1", "--format", "json"])
    assert res.exit_code in (0, 1), res.output
    human = {(_in_front_end(f["path"]), f["line"]) for f in json.loads(res.stdout)["findings"] if not f["fixable"]}
    tsconfig = typecheck.TOOLS / "tsconfig.json"
    before = typecheck.tsc_errors(typecheck.tsc(APP / "frontend", tmp_path / "before", tsconfig))
    after = typecheck.tsc_errors(typecheck.tsc(dest / "frontend", tmp_path / "after", tsconfig))
    assert before == []
    new = typecheck.new_errors(before, after)
    outside = [e for e in after if e[:3] in new and (_in_front_end(e[0]), e[3]) not in human]
    assert new and outside == [], (new, outside)
