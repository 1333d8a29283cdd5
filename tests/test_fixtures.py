"""The fixture-pair harness.

Two folders of cases, the same kind of case in each:

- fixtures/rules/<rule-id>/** test one rule: each case runs with only that
  rule selected (`select = [<rule-id>]`), so what it expects is that rule's
  work alone. The first folder under fixtures/rules/ must be a rule id
  (`nooble-codemod rules` lists them); folders below it group cases.
- fixtures/scenarios/<situation>/** run with every rule (unless their
  options.toml selects some): cases whose expected output or findings need
  several rules (a rename beside what the leftover report still says, a
  guide example touching several checklist items, a back-end strategy).
  The folder names say the situation.

A case: <case>.input.<ext> is migrated and compared with
<case>.expected.<ext> beside it; `noop-*` cases have no expected file and
must come out byte-identical. Every case is also checked for idempotence (a
second run changes nothing) and for parsing after the change. An optional
<case>.findings file lists what must still be reported afterwards, one
`line:column rule checklist` a line (`#` starts a comment line).

An optional options.toml in a case's own folder sets the run's settings:
its keys are Settings fields (e.g. backend_strategy = "alias",
unsafe_fixes = true; a `select` there replaces the rule folder's own), and
`spec = "relative/path/to/spec.toml"` (relative to the options.toml's
folder) runs the folder's cases with that spec instead of the default one.
"""

from __future__ import annotations

import sys
from functools import lru_cache
from pathlib import Path

import pytest

from conftest import FIXTURES

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

RULES = FIXTURES / "rules"
SCENARIOS = FIXTURES / "scenarios"
CASES = sorted(RULES.rglob("*.input.*")) + sorted(SCENARIOS.rglob("*.input.*"))


def _case_id(p: Path) -> str:
    return str(p.relative_to(FIXTURES)).replace(".input", "")


def _rule_of(case: Path) -> str | None:
    """The rule a case under fixtures/rules/ tests (its first folder there);
    None for a scenario."""
    try:
        return case.relative_to(RULES).parts[0]
    except ValueError:
        return None


def _rule_ids() -> set[str]:
    from nooble_codemod.rules import all_rules

    return {r.id for r in all_rules()}


def _options(folder: Path) -> dict:
    opts = folder / "options.toml"
    return tomllib.loads(opts.read_text()) if opts.exists() else {}


def _settings(folder: Path, rule: str | None = None):
    """The folder's options.toml as Settings (without its `spec`); a rule
    folder's case selects its rule unless the options select otherwise."""
    from nooble_codemod.settings import Settings

    data = {k: v for k, v in _options(folder).items() if k != "spec"}
    if rule is not None:
        data.setdefault("select", [rule])
    return Settings(**{k: tuple(v) if isinstance(v, list) else v for k, v in data.items()})


@lru_cache(maxsize=None)
def _load_spec(path: Path):
    from nooble_codemod.spec.loader import Spec

    return Spec.load(path)


def _spec_for(folder: Path, default):
    """The spec the folder's options.toml names (relative to the folder), or `default`."""
    named = _options(folder).get("spec")
    if named is None:
        return default
    path = (folder / named).resolve()
    assert path.is_file(), f"{folder / 'options.toml'}: spec {named!r} is not a file ({path})"
    return _load_spec(path)


def _run(pipeline, name: str, raw: bytes):
    from nooble_codemod.model import FileStatus

    result = pipeline.process(name, raw, fix=True)
    assert result.status is not FileStatus.FAILED, result.reason
    return result, (result.new if result.status is FileStatus.CHANGED else raw)


def test_there_are_fixture_cases():
    assert any(_rule_of(c) is not None for c in CASES)
    assert any(_rule_of(c) is None for c in CASES)


def test_rule_folders_are_rule_ids():
    """fixtures/rules/ holds one folder per rule, named by its id; a case of
    several rules belongs in fixtures/scenarios/."""
    known = _rule_ids()
    unknown = sorted(p.name for p in RULES.iterdir() if not (p.is_dir() and p.name in known))
    assert not unknown, (f"under fixtures/rules/, not a rule id: {unknown} (known: {sorted(known)}); "
                         "name the folder after the rule it tests, or move a case of several rules "
                         "to fixtures/scenarios/<situation>/")


def test_a_rule_folder_selects_its_rule_alone(spec):
    """`select` matches by prefix (a rule id, its language, a checklist id):
    a rule folder's id must select that one rule and no other."""
    from nooble_codemod.rules import select_rules
    from nooble_codemod.settings import Settings

    for folder in sorted(p for p in RULES.iterdir() if p.is_dir()):
        selected = [r.id for r in select_rules(Settings(select=(folder.name,)), spec)]
        assert selected == [folder.name], folder.name


def test_options_name_a_spec(tmp_path, spec):
    from nooble_codemod.spec.loader import Spec

    other = tmp_path / "specs" / "other" / "spec.toml"
    other.parent.mkdir(parents=True)
    other.write_bytes(spec.path.read_bytes())
    case = tmp_path / "cases" / "some-rule"
    case.mkdir(parents=True)
    (case / "options.toml").write_text('spec = "../../specs/other/spec.toml"\nbackend_strategy = "alias"\n')

    loaded = _spec_for(case, spec)
    assert isinstance(loaded, Spec) and loaded is not spec
    assert loaded.path == other.resolve()
    assert loaded.digest == spec.digest
    settings = _settings(case, "py-model-fields")
    assert settings.backend_strategy == "alias" and settings.select == ("py-model-fields",)
    # Without a `spec` option (or an options.toml), the default spec.
    (case / "options.toml").write_text('backend_strategy = "alias"\n')
    assert _spec_for(case, spec) is spec
    assert _spec_for(tmp_path, spec) is spec
    # A spec that is not there is said, not silently replaced by the default.
    (case / "options.toml").write_text('spec = "missing.toml"\n')
    with pytest.raises(AssertionError, match="missing.toml"):
        _spec_for(case, spec)


@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_fixture_pair(case: Path, spec):
    from nooble_codemod.model import FileStatus
    from nooble_codemod.engine.pipeline import Pipeline

    rule = _rule_of(case)
    if rule is not None:
        assert rule in _rule_ids(), f"fixtures/rules/{rule}/ is not a rule id: see test_rule_folders_are_rule_ids"
    pipeline = Pipeline(_spec_for(case.parent, spec), _settings(case.parent, rule))
    name = case.name.replace(".input", "")
    raw = case.read_bytes()
    if case.name.startswith("noop-"):
        expected = raw
    else:
        expected_path = case.with_name(case.name.replace(".input.", ".expected."))
        assert expected_path.exists(), f"{expected_path.name} is missing (or name the case noop-*)"
        expected = expected_path.read_bytes()
        assert expected != raw, "an expected file equal to its input: name the case noop-*"

    result, out = _run(pipeline, name, raw)
    assert out.decode("utf-8", "replace") == expected.decode("utf-8", "replace")
    assert out == expected  # bytes too: BOM, newlines, encoding

    again, out2 = _run(pipeline, name, out)
    assert again.status is FileStatus.UNCHANGED, "a second run changed the file again"
    assert out2 == out

    # The output parses (the pipeline re-parses it; parse once more to be sure).
    from nooble_codemod.languages import language_of
    from nooble_codemod.fs.source import SourceText

    lang = language_of(name)
    pipeline.parse(lang, SourceText.decode(out, python=lang == "python"), name)

    findings_file = case.with_name(case.name.split(".input.")[0] + ".findings")
    if findings_file.exists():
        want = [ln.strip() for ln in findings_file.read_text().splitlines() if ln.strip() and not ln.startswith("#")]
        got = [f"{f.line}:{f.column} {f.rule} {f.checklist}" for f in again.findings]
        assert got == want
