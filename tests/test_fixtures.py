"""The fixture-pair harness (DESIGN.md §7).

fixtures/rules/<area>/<case>.input.<ext> is migrated and compared with
<case>.expected.<ext> beside it; `noop-*` cases have no expected file and
must come out byte-identical. Every case is also checked for idempotence (a
second run changes nothing) and for parsing after the change. An optional
<case>.findings file lists what must still be reported afterwards, one
`line:column rule checklist` a line; an optional options.toml in the folder
sets the run's settings (e.g. backend_strategy = "alias").
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from conftest import FIXTURES

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

CASES = sorted((FIXTURES / "rules").rglob("*.input.*"))


def _case_id(p: Path) -> str:
    return str(p.relative_to(FIXTURES / "rules")).replace(".input", "")


def _settings(folder: Path):
    from nooble_codemod.settings import Settings

    opts = folder / "options.toml"
    if not opts.exists():
        return Settings()
    data = tomllib.loads(opts.read_text())
    return Settings(**{k: tuple(v) if isinstance(v, list) else v for k, v in data.items()})


def _run(pipeline, name: str, raw: bytes):
    from nooble_codemod.model import FileStatus

    result = pipeline.process(name, raw, fix=True)
    assert result.status is not FileStatus.FAILED, result.reason
    return result, (result.new if result.status is FileStatus.CHANGED else raw)


def test_there_are_fixture_cases():
    assert len(CASES) >= 1


@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_fixture_pair(case: Path, spec):
    from nooble_codemod.model import FileStatus
    from nooble_codemod.engine.pipeline import Pipeline

    pipeline = Pipeline(spec, _settings(case.parent))
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
