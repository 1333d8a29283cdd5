"""`apply --report migration.md`: the migration told as a pull request's
description, read back the way GitHub reads it (a CommonMark parser with
tables): the counts, every checklist item with its status and evidence, the
sites for a human by item with links to their lines, long lists folded,
what verification found."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from typer.testing import CliRunner

from conftest import FIXTURES, ROOT
from nooble_codemod.cli.app import app

CLI = str(Path(sys.executable).parent / "nooble-codemod")
SERVICES = "fixtures/services-app"


def _cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([CLI, *args, "--no-cache"], cwd=cwd, capture_output=True, text=True, timeout=300)


class Read:
    """A Markdown document as GitHub shows it: tables, links and the <details> folds."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = MarkdownIt("commonmark").enable("table").parse(text)

    @staticmethod
    def plain(inline) -> str:
        return "".join(c.content for c in inline.children if c.type in ("text", "code_inline"))

    def tables(self) -> list[list[list[str]]]:
        """Each table's rows (its header first), each cell as the text it shows."""
        rows, table = [], None
        for t in self.tokens:
            if t.type == "table_open":
                table = []
            elif t.type == "table_close":
                rows.append(table)
                table = None
            elif t.type == "tr_open" and table is not None:
                table.append([])
            elif t.type == "inline" and table is not None:
                table[-1].append(self.plain(t))
        return rows

    def links(self) -> list[tuple[str, str, bool, str]]:
        """(href, text, inside a fold, heading above) for every link, in order."""
        out, folded, heading, pending = [], False, "", None
        for i, t in enumerate(self.tokens):
            if t.type == "html_block":
                folded = "<details>" in t.content or (folded and "</details>" not in t.content)
            elif t.type == "heading_open":
                heading = self.plain(self.tokens[i + 1])
            elif t.type == "inline":
                for c in t.children:
                    if c.type == "link_open":
                        pending = c.attrs["href"]
                    elif c.type == "text" and pending is not None:
                        out.append((pending, c.content, folded, heading))
                        pending = None
        return out

    def headings(self) -> list[str]:
        return [self.plain(self.tokens[i + 1]) for i, t in enumerate(self.tokens) if t.type == "heading_open"]


@pytest.fixture(scope="module")
def preview(tmp_path_factory):
    """The dry run of the services app, its Markdown report and its JSON report."""
    report = tmp_path_factory.mktemp("report") / "migration.md"
    out = _cli("apply", SERVICES, "--dry-run", "--format", "json", "--report", str(report))
    assert out.returncode == 1, out.stderr
    return Read(report.read_text(encoding="utf-8")), json.loads(out.stdout)


def test_the_counts_and_every_checklist_item_with_its_status(preview):
    md, doc = preview
    assert md.headings()[0] == "Migration to Nooble8 database V6.0 (preview)"
    counts, items = md.tables()
    s = doc["summary"]
    assert counts == [["Files changed", "Edits", "New files", "Sites for a human", "Failed", "Verification"],
                      [str(s["files_changed"]), str(s["edits"]), str(s["files_created"]), str(s["manual"]),
                       str(s["files_failed"]), "not run"]]
    assert items[0] == ["", "ID", "Item", "Status"]
    # Each item as the JSON report has it: its text (widget_* is no emphasis), its status with its evidence.
    assert [row[1:] for row in items[1:]] == [[it["id"], it["text"], it["summary"]] for it in doc["checklist"]]
    statuses = {it["id"]: it["summary"] for it in doc["checklist"]}
    assert any(v.startswith("already V6: found at ") for v in statuses.values())
    assert any(v.startswith("not applicable: ") for v in statuses.values())
    # The evidence's place is a link to its line.
    evidence = {(it["evidence"]["path"], it["evidence"]["line"]) for it in doc["checklist"] if it["evidence"]}
    hrefs = {href for href, *_ in md.links()}
    assert {f"{path}#L{line}" for path, line in evidence} <= hrefs
    assert "Verification" not in md.headings()


def test_the_sites_for_a_human_by_item_with_links_to_their_lines(preview):
    md, doc = preview
    links = md.links()
    for item in doc["checklist"]:
        sites = item["manual"] + item["left_over"]
        heading = f"{item['id']} — {item['text']}"
        under = [(href, text, folded) for href, text, folded, h in links if h == heading]
        if not sites:
            # Not added (no site, a place where it belongs), or nothing for a human.
            anchor = item["anchor"] if "needs a human" in item["status"] else None
            assert [href for href, *_ in under] == ([f"{anchor['path']}#L{anchor['line']}"] if anchor else [])
            continue
        assert heading in md.headings()
        assert [(href, text) for href, text, _ in under] == [
            (f"{f['path']}#L{f['line']}", f"{f['path']}:{f['line']}") for f in sites]
        # More than ten sites are folded; a few are not.
        assert {folded for *_, folded in under} == {len(sites) > 10}
    # A long message is cut, at a word, to keep the description short.
    said = [Read.plain(t) for t in md.tokens if t.type == "inline" and t.content.startswith("[fixtures/")]
    cut = [text for text in said if text.endswith(" …")]
    assert cut and max(len(text.split(" ", 1)[1]) for text in said) <= 282
    folded_items = {h for *_, folded, h in links if folded and not h.startswith("Files")}
    assert folded_items and all(h.startswith("BE-1 ") for h in folded_items)
    # The list of files changed is folded too, a link each.
    files = [(href, text) for href, text, folded, h in links if h == "Files changed"]
    changed = sorted(f["path"] for f in doc["files"] if f["status"] == "changed")
    assert files == [(p, p) for p in changed] and all(folded for *_, folded, h in links if h == "Files changed")


def test_the_advice_is_said_once_per_item(preview):
    md, doc = preview
    for item in doc["checklist"]:
        if item["manual"]:
            said = [p for p in md.tokens if p.type == "inline" and p.content.startswith("The guide's advice: ")]
            assert sum(Read.plain(p) == f"The guide's advice: {item['advice']}" for p in said) == 1


def test_the_report_is_the_same_from_one_run_to_the_next(preview, tmp_path):
    again = tmp_path / "again.md"
    _cli("apply", SERVICES, "--dry-run", "--report", str(again))
    assert again.read_text(encoding="utf-8") == preview[0].text


def test_a_real_apply_links_the_lines_of_the_migrated_files_from_the_repository_root(tmp_path):
    repo = tmp_path / "repo"
    shutil.copytree(FIXTURES / "services-app", repo / "app")
    for args in (["init", "-q"], ["add", "-A"], ["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "v5"]):
        subprocess.run(["git", *args], cwd=repo, check=True)
    base = "https://github.com/acme/shop/blob/v6-migration"
    out = _cli("apply", ".", "--report", str(tmp_path / "migration.md"), "--link-base", base, cwd=repo / "app")
    assert out.returncode == 1, out.stderr
    md = Read((tmp_path / "migration.md").read_text(encoding="utf-8"))
    assert md.headings()[0] == "Migration to Nooble8 database V6.0"
    sites = [(href, text) for href, text, _, h in md.links() if h not in ("Checklist", "Files changed")]
    assert len(sites) > 30
    for href, text in sites:
        # From the repository's root, though the run was in app/; the line is the migrated file's.
        path, line = re.fullmatch(re.escape(base) + r"/(app/[\w/.-]+)#L(\d+)", href).groups()
        assert text == f"{path}:{line}"
        assert 0 < int(line) <= len((repo / path).read_text().splitlines())
    # A V5 name left over is on the line linked.
    left = [(href, h) for href, _, _, h in md.links() if h.startswith("BE-1 ")]
    for href, _ in left:
        path, line = href[len(base) + 1:].split("#L")
        assert "tenant_id" in (repo / path).read_text().splitlines()[int(line) - 1], href
    written = [text for _, text, _, h in md.links() if h == "Files changed"]
    assert written and all((repo / p).read_text() != (FIXTURES / "services-app" / p[4:]).read_text() for p in written)


@pytest.mark.parametrize("remote, base", [
    ("git@github.com:acme/shop.git", "https://github.com/acme/shop/blob/v6/migration/"),
    ("https://github.com/acme/shop", "https://github.com/acme/shop/blob/v6/migration/"),
    ("ssh://git@github.com:22/acme/shop.git", "https://github.com/acme/shop/blob/v6/migration/"),
    ("https://git.example.org/acme/shop.git", ""),  # a host whose pages are not known: relative links
])
def test_link_base_auto_is_the_branch_on_the_origin_remotes_github(tmp_path, remote, base):
    repo = tmp_path / "repo"
    shutil.copytree(FIXTURES / "services-app", repo)
    for args in (["init", "-q", "-b", "v6/migration"], ["remote", "add", "origin", remote], ["add", "-A"],
                 ["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "v5"]):
        subprocess.run(["git", *args], cwd=repo, check=True)
    out = _cli("apply", ".", "--dry-run", "--no-cache", "--report", str(tmp_path / "m.md"), "--link-base", "auto",
               cwd=repo)
    assert out.returncode == 1, out.stderr
    hrefs = [href for href, _, _, h in Read((tmp_path / "m.md").read_text(encoding="utf-8")).links()]
    assert hrefs and all(re.fullmatch(re.escape(base) + r"[\w/.-]+(#L\d+)?", href) for href in hrefs), hrefs[:3]
    assert ("not on GitHub" in out.stderr) == (base == "")


SERVICE = '''\
def load(tenant_id: str) -> str:
    return tenant_id


def main() -> str:
    return load(tenant_id="t")
'''


def test_what_verification_found(tmp_path, monkeypatch):
    """The project model made to skip keyword callers: basedpyright sees
    the call break, the rename is dropped, and the report says so."""
    from nooble_codemod.project import facts

    (tmp_path / "svc.py").write_text(SERVICE)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(facts._Uses, "call", lambda self, call: None)
    res = CliRunner().invoke(app, ["apply", ".", "--dry-run", "--verify", "--jobs", "1", "--no-cache",
                                   "--report", "migration.md"])
    assert res.exit_code == 1, res.output
    md = Read((tmp_path / "migration.md").read_text(encoding="utf-8"))
    assert md.tables()[0][1][-1] == "1 edit group dropped"
    assert md.headings()[-1] == "Verification"
    section = md.text[md.text.index("### Verification"):]
    assert "type-checked with basedpyright 1.40.2: 1 edit group(s) dropped" in section
    (dropped,) = re.findall(r"^- (basedpyright reports reportCallIssue at svc\.py:6:\d+ after this edit "
                            r"\(svc\.py:1:10\): .+)$", section, re.M)
    # The site itself is under its item, a link to its line.
    assert any(href == "svc.py#L1" and h.startswith("BE-1 ") for href, _, _, h in md.links())


def test_check_markdown_is_a_step_summary_without_links(tmp_path):
    out = _cli("check", SERVICES, "--format", "markdown")
    md = Read(out.stdout)
    assert out.returncode == 1 and md.headings()[:3] == [
        "nooble-codemod — V5 references left (Nooble8 database V6.0)", "Checklist", "Sites for a human"]
    assert md.links() == [] and "Files changed" not in md.headings()
    counts, items = md.tables()
    assert counts[0] == ["Files scanned", "Findings", "Fixable", "Sites for a human", "Acknowledged", "Failed"]
    assert len(items) == 1 + 28
    assert "`fixtures/services-app/backend/chat_service/auth.py:11`" in out.stdout


def test_tsc_agrees_beside_its_item_and_under_verification(tmp_path):
    node = ROOT / "tools" / "node"
    assert (node / "node_modules" / ".bin" / "tsc").exists(), "`make test` installs tools/node"
    app = tmp_path / "app"
    shutil.copytree(FIXTURES / "sample-app", app)
    shutil.copy(node / "tsconfig.json", app / "frontend" / "tsconfig.json")
    (app / "frontend" / "node_modules").symlink_to(node / "node_modules", target_is_directory=True)
    out = _cli("apply", ".", "--dry-run", "--verify", "--report", str(tmp_path / "migration.md"), cwd=app)
    assert out.returncode == 1, out.stderr
    md = Read((tmp_path / "migration.md").read_text(encoding="utf-8"))
    assert md.tables()[0][1][-1] == "no new errors"
    item = md.text[md.text.index("#### FE-3 "):]
    assert "\n- tsc agrees: 1 site\n" in item[:item.index("\n#### ")]
    verification = md.text[md.text.index("### Verification"):md.text.index("### Files changed")]
    assert re.search(r"^- type-checked with basedpyright 1\.40\.2, tsc [\d.]+: no new errors$", verification, re.M)
    assert "\n- FE-3: tsc agrees: 1 site\n" in verification
