"""The checklist never over-claims: an item with nothing done and nothing
found says, from evidence, that it is already V6 (and where), that what it
adds is missing (and where it belongs), or that nothing it is about is in
the paths (naming what was looked for). Each item is run where its code is
missing, present (V5) and already migrated."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from nooble_codemod.model import Finding, Severity
from nooble_codemod.output.report import ItemStatus
from nooble_codemod.spec.loader import Spec

ROOT = Path(__file__).resolve().parent.parent
SPEC = Spec.load()
V5_APPS = ("sample-app", "services-app")


def _checklist(folder: Path, *args: str) -> dict[str, dict]:
    res = subprocess.run([sys.executable, "-m", "nooble_codemod", "apply", ".", "--dry-run", "--no-cache",
                          "--format", "json", *args], cwd=folder, capture_output=True, text=True)
    assert res.returncode in (0, 1), res.stderr
    return {it["id"]: it for it in json.loads(res.stdout)["checklist"]}


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> dict[str, dict[str, dict]]:
    out = {}
    for app in V5_APPS:
        for name in (app, f"{app}-expected"):
            copy = tmp_path_factory.mktemp(name) / name
            shutil.copytree(ROOT / "fixtures" / name, copy, ignore=shutil.ignore_patterns("node_modules"))
            out[name] = _checklist(copy)
            # The report's lines are the migrated files': the copy migrated is where citations are read.
            res = subprocess.run([sys.executable, "-m", "nooble_codemod", "apply", ".", "--no-cache"], cwd=copy,
                                 capture_output=True, text=True)
            assert res.returncode in (0, 1), res.stderr
            MIGRATED[name] = copy
    empty = tmp_path_factory.mktemp("unrelated")
    (empty / "util.ts").write_text("export const answer = 42;\n")
    (empty / "util.py").write_text("ANSWER = 42\n")
    out["unrelated"] = _checklist(empty)
    return out


MIGRATED: dict[str, Path] = {}  # app -> its copy, migrated (runs)


def _cited(app: str, where: dict) -> str:
    return (MIGRATED[app] / where["path"]).read_text().splitlines()[where["line"] - 1]


@pytest.mark.parametrize("cid", list(SPEC.checklist))
def test_missing_code_is_not_applicable_naming_what_was_looked_for(runs, cid):
    item = SPEC.checklist[cid]
    assert item.looks_for and (item.evidence or item.anchors), f"{cid}: the spec gives no evidence for it"
    assert runs["unrelated"][cid]["summary"] == f"not applicable: no {item.looks_for} in these paths"


@pytest.mark.parametrize("cid", list(SPEC.checklist))
def test_present_code_is_found_and_every_citation_holds_its_word(runs, cid):
    item = SPEC.checklist[cid]
    seen = [app for app in V5_APPS if "not applicable" not in runs[app][cid]["status"]]
    assert seen, f"{cid}: neither V5 app holds what it is about"
    for app in (*V5_APPS, *(f"{a}-expected" for a in V5_APPS)):
        it = runs[app][cid]
        if it["evidence"]:
            line = _cited(app, it["evidence"])
            assert any(w in line for group in item.evidence for w in group), (app, it)
        if it["anchor"]:
            line = _cited(app, it["anchor"])
            assert any(w in line for group in item.anchors for w in group), (app, it)


@pytest.mark.parametrize("cid", list(SPEC.checklist))
def test_migrated_code_has_nothing_left_to_do_and_says_why(runs, cid):
    for app in V5_APPS:
        before, after = runs[app][cid], runs[f"{app}-expected"][cid]
        assert "done" not in after["status"], (app, after["summary"])
        if "not applicable" not in before["status"]:
            assert "not applicable" not in after["status"], (app, after["summary"])
        if after["status"] == ["already V6"]:
            assert after["summary"] == (f"already V6: found at {after['evidence']['path']}:"
                                        f"{after['evidence']['line']}")


def test_the_wording_of_each_status():
    def item(**kw) -> ItemStatus:
        return ItemStatus("X-1", "Area", "text", "advice", kw.pop("covered", True), looks_for="widget rows", after="V6", **kw)

    assert item(edits=3, files={"a.ts", "b.ts"}).describe("apply") == "done: 3 edits in 2 files"
    assert item(edits=1, files={"a.ts"}).describe("dry-run") == "would do: 1 edit in 1 file"
    assert item(evidence=("a.ts", 4)).describe("apply") == "already V6: found at a.ts:4"
    assert item(anchor=("a.ts", 2), adds=True).describe("apply") == \
        "needs a human: not added (widget rows at a.ts:2)"
    assert item(adds=True, anchor=("a.ts", 2), evidence=("b.ts", 1)).describe("apply") == \
        "already V6: found at b.ts:1"
    assert item().describe("apply") == "not applicable: no widget rows in these paths"
    assert item(covered=False, anchor=("a.ts", 2)).describe("apply") == "not checked by this version"
    site = Finding("rule", "X-1", "a.ts", 1, 1, 1, 2, Severity.ERROR, "message")
    human = item(manual=[site, site])
    assert human.describe("apply") == "needs a human: 2 sites" and human.states == ["needs a human"]
    assert item(manual=[site, replace(site, acknowledged=True)]).describe("check") == \
        "needs a human: 2 sites (1 acknowledged)"
    assert item(anchor=("a.ts", 2), adds=True).states == ["needs a human"]
    assert item(evidence=("a.ts", 4)).states == ["already"]  # its id; reports add the word (below)
    assert item().states == ["not applicable"]
    assert item(evidence=("a.ts", 4)).to_json("apply")["status"] == ["already V6"]


def test_the_evidence_found_is_what_reading_every_file_finds(tmp_path, monkeypatch):
    """gather() on the workers' masks, with common words only "may hold"
    after a few files (Vocabulary.LEARN), cites what a search of every file
    in path order cites, and reads few files to do it."""
    sys.path.insert(0, str(ROOT / "bench"))
    from generate import generate

    from nooble_codemod.engine import evidence
    from nooble_codemod.languages import language_of

    generate(tmp_path, 400, 5)
    files = sorted((str(p.relative_to(tmp_path)), p.read_bytes()) for p in tmp_path.rglob("*")
                   if p.is_file() and "node_modules" not in p.parts and language_of(p.name))
    data = dict(files)
    monkeypatch.setattr(evidence.Vocabulary, "LEARN", 8)
    vocabularies = evidence.Vocabularies(SPEC)
    masks = [(path, vocabularies.scan(path, raw)) for path, raw in files]
    assert any(v._maybe for v in vocabularies.values())  # some words became "may hold"
    reads = []
    got = evidence.gather(SPEC, masks, list(SPEC.checklist), lambda p: reads.append(p) or data[p])

    def first(item):
        for kind, groups in ((evidence.EVIDENCE, item.evidence), (evidence.ANCHOR, item.anchors)):
            for path, raw in files:
                if item.evidence_in in ("", language_of(path)) and any(
                        all(w.encode() in raw for w in g) for g in groups):
                    return kind, path
        return None

    expected = {cid: first(item) for cid, item in SPEC.checklist.items()}
    assert {cid: v[:2] for cid, v in got.items()} == {cid: v for cid, v in expected.items() if v}
    assert any(v is None for v in expected.values())  # and some items are not applicable there
    assert len(set(reads)) <= 3 * len(got)


def test_a_ui_type_named_like_a_row_is_no_evidence(runs):
    """The services app's chat panel has a UI-only `Message` (no table's
    columns): the rules leave it, and the checklist neither asks a human to
    add the token fields to it nor calls it the V6 row."""
    assert runs["services-app"]["FE-9"]["summary"] == "not applicable: no front-end Message row types in these paths"
    assert runs["sample-app"]["FE-9"]["status"] == ["done"]


def test_evidence_lines_are_those_of_the_migrated_files(tmp_path):
    # To-do comments (and placed code) move lines: "already V6: found at path:N"
    # of a dry run must be the line the applied file has, as the report says.
    from conftest import FIXTURES

    shutil.copytree(FIXTURES / "services-app", tmp_path / "app")

    def places(*args: str) -> dict:
        out = subprocess.run([sys.executable, "-m", "nooble_codemod", *args, "--no-cache", "--format", "json"],
                             cwd=tmp_path / "app", capture_output=True, text=True, timeout=300)
        assert out.returncode == 1, out.stderr
        return {it["id"]: (it["evidence"]["path"], it["evidence"]["line"])
                for it in json.loads(out.stdout)["checklist"] if it.get("evidence")}

    preview = places("apply", ".", "--dry-run", "--todo-comments")
    out = subprocess.run([sys.executable, "-m", "nooble_codemod", "apply", ".", "--todo-comments", "--no-cache"],
                         cwd=tmp_path / "app", capture_output=True, text=True, timeout=300)
    assert out.returncode == 1, out.stderr
    after = places("check", ".")
    shared = set(preview) & set(after)
    assert shared and {cid: preview[cid] for cid in shared} == {cid: after[cid] for cid in shared}
    assert any(line != 1 for _, line in preview.values())
