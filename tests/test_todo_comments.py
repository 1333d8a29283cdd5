"""`apply --todo-comments` and what `check` makes of the comments, driven
through the command line on copies of real trees (engine/todos.py)."""

from __future__ import annotations

import ast
import json
import re
import shutil
from collections import Counter
from pathlib import Path

import pytest
from typer.testing import CliRunner

import typecheck
from conftest import FIXTURES
from nooble_codemod.cli.app import app

runner = CliRunner()
MARKER = re.compile(r"^[ \t]*(#|//|--) TODO\(V6 ([A-Z]+-\d+)\): \S.*\n", re.M)

# Sites a human must see where a comment line above them would be code:
# inside a multi-line string, a template literal, JSX children, a SQL
# function body; and one where no comment fits (a backslash continuation).
EXTRA = {
    "owned.py": '''\
def owned(client, owner_id, ok):
    sql = """
        select id
        from conversations
        where tenant_id = %s
    """
    more = client.table(table_for("x")).insert({"profile_id": owner_id}).execute()
    if ok: \\
        more = client.table(table_for("y")).insert({"profile_id": owner_id}).execute()
    return sql, more
''',
    "ui.tsx": '''\
import { supabase } from './supabase';

export async function load(userId: string) {
    const { data: profile } = await supabase
        .from('profiles')
        .select(`
            id,
            widgets
        `)
        .eq('id', userId)
        .single();
    return profile;
}

export const List = ({ userProfile }: { userProfile: any }) => (
    <ul>
        {userProfile.widgets.map(String)}
    </ul>
);
''',
    "views.sql": '''\
CREATE VIEW active_conversations AS
    SELECT id, tenant_id FROM conversations WHERE is_active;

CREATE FUNCTION owner_count() RETURNS bigint AS $$
  SELECT count(*)
  FROM conversations WHERE tenant_id IS NOT NULL;
$$ LANGUAGE sql;
''',
}


def _tree(root: Path) -> Path:
    shutil.copytree(FIXTURES / "sample-app", root)
    for name, text in EXTRA.items():
        (root / "extra" / name).parent.mkdir(exist_ok=True)
        (root / "extra" / name).write_text(text)
    return root


def _files(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): p.read_text() for p in sorted(root.rglob("*")) if p.is_file()
            and ".nooble-codemod-cache" not in p.parts}


def _apply(*args):
    return runner.invoke(app, ["apply", *args, "--allow-dirty"])


def _check_json(path="app", *args) -> dict:
    res = runner.invoke(app, ["check", path, "--format", "json", *args])
    assert res.exit_code == 1, res.output
    return json.loads(res.stdout)


def _line_above(text: str, line_start: str) -> str:
    """The line above the first line starting (after its indent) with `line_start`."""
    lines = text.splitlines()
    return lines[next(i for i, ln in enumerate(lines) if ln.lstrip().startswith(line_start)) - 1]


def _above(text: str, line_start: str) -> str:
    return _line_above(text, line_start).strip()


@pytest.fixture
def marked(tmp_path, monkeypatch):
    """The sample app and the extra files applied twice: with to-do comments
    (app) and without (plain); and what the first run printed."""
    monkeypatch.chdir(tmp_path)
    _tree(tmp_path / "app")
    _tree(tmp_path / "plain")
    res = _apply("app", "--todo-comments")
    assert res.exit_code == 1, res.output  # sites for a human are left
    assert _apply("plain").exit_code == 1
    return tmp_path, res.stdout


def test_markers_go_above_the_sites_and_change_nothing_else(marked):
    root, out = marked
    todo, plain = _files(root / "app"), _files(root / "plain")
    assert todo.keys() == plain.keys()
    added = 0
    for rel, text in todo.items():
        # Take the markers out and the plain migration is left, byte for byte.
        assert MARKER.sub("", text) == plain[rel], rel
        added += len(MARKER.findall(text))
        if rel.endswith(".py"):
            assert ast.dump(ast.parse(text)) == ast.dump(ast.parse(plain[rel])), rel
    assert re.search(rf"\(\d+ edits, 1 new file, {added} to-do comments\)", out), out[-400:]

    profile = todo["frontend/src/api/public-profile-api.tsx"]
    fe3 = "// TODO(V6 FE-3): Select the profile without agents/widgets"
    # Three sites on one line: one marker; a chain line takes one between its calls.
    assert _above(profile, ".select('id, username").startswith(fe3)
    assert _above(profile, ".in('id', profile.agents").startswith(fe3)
    # In JSX children `//` would be text: above the statement instead.
    assert _above(profile, "return (").startswith(fe3)
    assert _above(profile, "{profile.widgets.map") == '<ul className="public-widgets">'

    extra_py, extra_tsx, extra_sql = (todo[f"extra/{n}"] for n in ("owned.py", "ui.tsx", "views.sql"))
    assert _above(extra_py, 'sql = """').startswith("# TODO(V6 BE-1): ")  # the site is inside the string
    assert _above(extra_py, 'more = client.table(table_for("x"))').startswith("# TODO(V6 DB-3): ")
    assert _above(extra_tsx, "const { data: profile }").startswith("// TODO(V6 DB-8): ")  # a template's line
    assert _above(extra_tsx, "export const List").startswith("// TODO(V6 DB-8): ")
    assert _above(extra_sql, "CREATE FUNCTION").startswith("-- TODO(V6 DB-1): ")  # inside $$ … $$
    assert _above(extra_sql, "SELECT id, tenant_id").startswith("-- TODO(V6 DB-1): ")
    # The one site no comment fits above is said, where it stands in the new text.
    line = extra_py.splitlines().index('        more = client.table(table_for("y")).insert({"profile_id": owner_id}).execute()') + 1
    assert f"to-do comment left out: app/extra/owned.py:{line} (DB-3)" in out
    # Each marker is one line, its advice cut to fit.
    assert all(len(m.group(0).rstrip("\n")) <= 120 for m in MARKER.finditer("".join(todo.values())))


def test_the_front_end_with_markers_type_checks_as_it_does_without(marked):
    root, _ = marked
    tsconfig = typecheck.TOOLS / "tsconfig.json"
    errors = {}
    for name in ("app", "plain"):
        out = typecheck.tsc(root / name / "frontend", root / f"tsc-{name}", tsconfig)
        errors[name] = Counter((file.partition("/frontend/")[2], code, message)
                               for file, code, message, _ in typecheck.tsc_errors(out))
    assert errors["app"] == errors["plain"] and errors["app"]  # the sites for a human, no more


def test_a_second_apply_adds_no_marker(marked):
    root, _ = marked
    before = _files(root / "app")
    res = _apply("app", "--todo-comments")
    assert res.exit_code == 1
    assert "0 changed (0 edits, 0 to-do comments)" in res.stdout
    assert _files(root / "app") == before


def test_dry_run_and_diff_show_the_markers_and_write_nothing(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    _tree(tmp_path / "app")
    before = _files(tmp_path / "app")
    res = runner.invoke(app, ["apply", "app", "--diff", "--todo-comments"])
    assert "+    // TODO(V6 FE-3): " in res.stdout
    assert "to-do comment(s)" in res.stderr
    dry = runner.invoke(app, ["apply", "app", "--dry-run", "--todo-comments"])
    assert "app/frontend/src/api/public-profile-api.tsx — 3 to-do comments" in dry.stdout
    assert _files(tmp_path / "app") == before


def test_the_setting_in_pyproject_puts_the_markers_as_the_flag_does(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    _tree(tmp_path / "app")
    flag = runner.invoke(app, ["apply", "app", "--diff", "--no-cache", "--todo-comments"])
    (tmp_path / "app" / "pyproject.toml").write_text("[tool.nooble-codemod]\ntodo-comments = true\n")
    res = runner.invoke(app, ["apply", "app", "--diff", "--no-cache"])
    assert res.exit_code == flag.exit_code == 1, res.output
    assert "+    // TODO(V6 FE-3): " in res.stdout and res.stdout == flag.stdout


def test_check_counts_the_marked_sites_as_acknowledged(marked):
    root, _ = marked
    doc = _check_json("app")
    manual = [f for f in doc["findings"] if not f["fixable"]]
    acknowledged = [f for f in manual if f.get("acknowledged")]
    # Every site but the one no comment fits above; still findings, so check still fails.
    assert len(manual) - len(acknowledged) == 1
    assert doc["summary"]["acknowledged"] == len(acknowledged) > 10
    plain = _check_json("plain")
    assert len(plain["findings"]) == len(doc["findings"]) and plain["summary"]["acknowledged"] == 0
    text = runner.invoke(app, ["check", "app"])
    assert text.exit_code == 1
    assert f"; {len(acknowledged)} acknowledged by to-do comments)." in text.stdout
    github = runner.invoke(app, ["check", "app", "--format", "github"]).stdout
    assert github.count("(acknowledged: a to-do comment marks it)") == len(acknowledged)
    sarif = json.loads(runner.invoke(app, ["check", "app", "--format", "sarif"]).stdout)
    results = sarif["runs"][0]["results"]
    assert sum(r["properties"].get("acknowledged", False) for r in results) == len(acknowledged)


def test_a_marker_left_after_its_site_was_fixed_is_reported(marked):
    root, _ = marked
    api = root / "app" / "frontend" / "src" / "api" / "public-profile-api.tsx"
    text = api.read_text()
    api.write_text(text.replace(".in('id', profile.agents ?? [])", ".in('id', [])"))  # fixed by hand
    line = api.read_text().splitlines().index("            .in('id', [])")  # 1-based: the line above it
    doc = _check_json("app")
    stale = [f for f in doc["findings"] if f["rule"] == "todo-marker"]
    assert [(f["path"], f["line"], f["checklist"]) for f in stale] == [
        ("app/frontend/src/api/public-profile-api.tsx", line, "FE-3")]
    assert stale[0]["message"] == "TODO(V6 FE-3) marker left after its site was migrated: remove it"
    # Out of the selection, a marker is not judged.
    assert not [f for f in _check_json("app", "--select", "DB")["findings"] if f["rule"] == "todo-marker"]
    explain = runner.invoke(app, ["explain", "todo-marker"])
    assert explain.exit_code == 0 and "apply --todo-comments" in explain.stdout


def test_a_file_holding_only_a_stale_marker_is_read_cold_and_warm(tmp_path, monkeypatch):
    """No old name left in the file: the prefilter must still let it through,
    and the result cache must not answer for it once it changes."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "app").mkdir()
    done = tmp_path / "app" / "done.py"
    done.write_text("def f():\n    return 1\n")
    assert runner.invoke(app, ["check", "app"]).exit_code == 0  # cached as clean
    done.write_text("def f():\n    # TODO(V6 DB-9): filter on status\n    return 1\n")
    for _ in range(2):  # cold for the file, then from the cache
        doc = _check_json("app")
        assert [(f["rule"], f["line"], f["checklist"]) for f in doc["findings"]] == [("todo-marker", 2, "DB-9")]


def test_the_marker_words_come_from_the_spec(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    orders = FIXTURES / "specs" / "orders"
    shutil.copytree(orders / "app", tmp_path / "app")
    res = _apply("app", "--todo-comments", "--spec", str(orders / "spec.toml"))
    text = "".join(_files(tmp_path / "app").values())
    assert re.findall(r"// TODO\(orders-2 (ORD-\d)\): ", text) == ["ORD-1", "ORD-1"], res.output
    assert "V6" not in text


_REFERENCE = re.compile(r"\b(app|plain)/([\w./-]+\.(?:py|tsx?)):(\d+)")


def test_the_sites_a_message_lists_stay_on_their_lines_below_the_markers(tmp_path, monkeypatch):
    """A blocked edit group's message lists its sites in every file
    (`path:line`, services app): with markers put above those lines, each
    reference names the same line of code as without them, not a marker."""
    monkeypatch.chdir(tmp_path)
    named = {}
    for name, flags in (("app", ["--todo-comments"]), ("plain", [])):
        shutil.copytree(FIXTURES / "services-app", tmp_path / name)
        res = runner.invoke(app, ["apply", name, *flags, "--allow-dirty", "--no-cache", "--format", "json"])
        assert res.exit_code == 1, res.output
        files = {rel: text.splitlines() for rel, text in _files(tmp_path / name).items()}
        named[name] = Counter(files[rel][int(line) - 1]
                              for f in json.loads(res.stdout)["findings"]
                              for _, rel, line in _REFERENCE.findall(f["message"]))
    assert sum(named["plain"].values()) >= 10  # the services app's blocked groups list their sites
    assert not [line for line in named["app"] if MARKER.match(line + "\n")]
    assert named["app"] == named["plain"]
