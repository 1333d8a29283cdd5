"""A second migration, with no engine change: fixtures/specs/orders/.

An invented spec (a column renamed on an `orders` table, a front-end method
removed, its own checklist ids ORD-1 and ORD-2) drives every command. Its
output must not speak of the built-in migration: no version word of it and
none of its checklist ids.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import FIXTURES

ORDERS = FIXTURES / "specs" / "orders"
SPEC = ORDERS / "spec.toml"
CLI = str(Path(sys.executable).parent / "nooble-codemod")


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, COLUMNS="200", NO_COLOR="1")
    return subprocess.run([CLI, *args, "--spec", str(SPEC)], cwd=cwd, capture_output=True, text=True, env=env,
                          timeout=120)


@pytest.fixture(scope="module")
def builtin_words(spec) -> re.Pattern:
    words = [spec.before, spec.after, *spec.checklist]
    return re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(w) for w in words) + r")(?![\w-])")


def _speaks_only_of_orders(text: str, builtin_words: re.Pattern) -> None:
    found = builtin_words.findall(text)
    assert not found, f"the built-in migration's words in an orders run: {sorted(set(found))}"


@pytest.fixture
def app(tmp_path: Path) -> Path:
    shutil.copytree(ORDERS / "app", tmp_path / "app")
    return tmp_path / "app"


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and ".nooble-codemod-cache" not in p.parts}


def test_apply_migrates_the_app_as_written_by_hand(app, builtin_words):
    res = _cli("apply", ".", "--allow-dirty", cwd=app)
    assert res.returncode == 1, res.stderr  # the leftover on customers is for a human
    assert _tree(app) == _tree(ORDERS / "app-expected")
    assert "ORD-1" in res.stdout and "ORD-2" in res.stdout
    _speaks_only_of_orders(res.stdout + res.stderr, builtin_words)


def test_check_selects_by_the_specs_own_ids_whatever_their_case(app, builtin_words):
    res = _cli("check", ".", "--select", "ord", "--format", "json", cwd=app)
    assert res.returncode == 1, res.stderr
    findings = json.loads(res.stdout)["findings"]
    assert findings and {f["checklist"] for f in findings} == {"ORD-1", "ORD-2"}
    assert {f["rule"] for f in findings} >= {"ts-column-rename", "py-column-rename", "ts-removed-methods"}
    only_two = _cli("check", ".", "--select", "Ord-2", "--format", "json", cwd=app)
    assert {f["checklist"] for f in json.loads(only_two.stdout)["findings"]} == {"ORD-2"}
    text = _cli("check", ".", cwd=app)
    assert text.returncode == 1 and "orders-1 reference" in text.stdout
    _speaks_only_of_orders(res.stdout + text.stdout + text.stderr, builtin_words)


def test_an_item_already_done_is_named_with_the_specs_own_word(tmp_path, builtin_words):
    """"already orders-2", from the spec's `after`, not the built-in migration's word."""
    done = tmp_path / "done"
    shutil.copytree(ORDERS / "app-expected", done)
    res = _cli("check", "backend", "--format", "json", cwd=done)  # the front end keeps a leftover for a human
    assert res.returncode == 0, res.stderr  # nothing left to do in the back end
    item = {i["id"]: i for i in json.loads(res.stdout)["checklist"]}["ORD-1"]
    assert item["status"] == ["already orders-2"], item
    assert item["summary"].startswith("already orders-2: found at "), item
    for args in (("check", "backend", "--format", "markdown"), ("apply", "backend", "--dry-run")):
        out = _cli(*args, cwd=done)
        assert out.returncode == 0, out.stderr
        assert "already orders-2" in out.stdout, out.stdout
        _speaks_only_of_orders(out.stdout + out.stderr, builtin_words)


def test_the_builtin_ids_are_unknown_under_another_spec(app, spec):
    first = next(iter(spec.checklist))
    res = _cli("check", ".", "--select", first, cwd=app)
    assert res.returncode == 2 and "unknown rule or checklist id" in res.stderr


def test_rules_and_explain_follow_the_spec(app, builtin_words):
    rules = _cli("rules", cwd=app)
    assert rules.returncode == 0, rules.stderr
    assert "ORD-1" in rules.stdout and "ORD-2" in rules.stdout
    item = _cli("explain", "ord-1", cwd=app)
    assert item.returncode == 0, item.stderr
    assert "Shop Orders 2.0 Upgrade Notes" in item.stdout and "ts-column-rename" in item.stdout
    rule = _cli("explain", "ts-removed-methods", cwd=app)
    assert rule.returncode == 0 and "ORD-2" in rule.stdout
    _speaks_only_of_orders(rules.stdout + item.stdout, builtin_words)


def test_the_or_filters_reference_keywords_come_from_the_spec(tmp_path):
    """`.or_("…", reference_table="t")` filters the embedded table t: which
    keywords say so is the client's syntax in the spec, not the rule's."""
    from conftest import ROOT
    from nooble_codemod.engine.pipeline import Pipeline
    from nooble_codemod.settings import Settings
    from nooble_codemod.spec.loader import Spec

    line = 'reference_keywords = ["reference_table", "foreign_table"]'
    shutil.copytree(ROOT / "specs" / "v6", tmp_path / "v6")
    spec_path = tmp_path / "v6" / "spec.toml"
    text = spec_path.read_text(encoding="utf-8")
    assert text.count(line) == 1
    spec_path.write_text(text.replace(line, "reference_keywords = []"), encoding="utf-8")
    src = (FIXTURES / "rules" / "py-column-rename" / "or-filter-strings.input.py").read_bytes()
    shipped = Pipeline(Spec.load(ROOT / "specs" / "v6" / "spec.toml"), Settings()).process("m.py", src, fix=True)
    bare = Pipeline(Spec.load(spec_path), Settings()).process("m.py", src, fix=True)
    assert b'.or_(f"user_id.eq.{user_id}", reference_table="conversations")' in shipped.new
    # Without the keywords the filter is judged on the chain's table (messages), whose tenant_id stays.
    assert b'.or_(f"tenant_id.eq.{user_id}", reference_table="conversations")' in bare.new


def test_an_unresolved_reference_keyword_is_named_as_written(tmp_path):
    """A filter's embedded table the rule cannot resolve is reported with
    the keyword the code wrote, one of the spec's: no client word is the rule's."""
    from conftest import ROOT
    from nooble_codemod.engine.pipeline import Pipeline
    from nooble_codemod.settings import Settings
    from nooble_codemod.spec.loader import Spec

    line = 'reference_keywords = ["reference_table", "foreign_table"]'
    shutil.copytree(ROOT / "specs" / "v6", tmp_path / "v6")
    spec_path = tmp_path / "v6" / "spec.toml"
    spec_path.write_text(spec_path.read_text(encoding="utf-8").replace(line, 'reference_keywords = ["within"]'),
                         encoding="utf-8")
    src = b'def f(client, t):\n    return client.table("profiles").select("id").or_("tenant_id.eq.1", within=t)\n'
    result = Pipeline(Spec.load(spec_path), Settings()).process("m.py", src, fix=False)
    (finding,) = [f for f in result.findings if f.rule == "py-column-rename"]
    assert "within(t)" in finding.message and "could not be resolved" in finding.message
