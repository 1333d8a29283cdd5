"""Invariants on hostile input (DESIGN.md §6): every bad file gets one clear
message naming it, nothing is written that should not be, the run goes on."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from nooble_codemod.cli import app

runner = CliRunner()


def test_a_file_slower_than_the_limit_is_reported_and_the_run_goes_on(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    # LibCST's parse time grows with the square of an expression's length.
    (tmp_path / "slow.py").write_text("x = " + " + ".join(["tenant_id"] * 3000) + "\n")
    (tmp_path / "fine.ts").write_text("export const tenantId = 1;\n")
    res = runner.invoke(app, ["apply", ".", "--dry-run", "--format", "json", "--file-timeout", "0.05"])
    assert res.exit_code == 2
    doc = json.loads(res.stdout)
    errors = doc["summary"]["errors"]
    assert errors == ["slow.py: took longer than 0.05 s to analyse; not migrated (see --file-timeout)"]
    assert [f["path"] for f in doc["findings"]] == ["fine.ts"]


def test_a_types_or_models_module_of_another_library_gets_no_v6_classes(spec):
    from nooble_codemod.model import FileStatus
    from nooble_codemod.pipeline import Pipeline
    from nooble_codemod.settings import Settings

    # A real case: pydantic's own types.py uses Enum and BaseModel, like a Nooble back end.
    pipeline = Pipeline(spec, Settings())
    types_py = b'from enum import Enum\n\n\nclass ByteUnit(str, Enum):\n    KB = "kb"\n'
    models_py = b"from pydantic import BaseModel\n\n\nclass Invoice(BaseModel):\n    total: int\n"
    assert pipeline.process("lib/types.py", types_py, True).status is FileStatus.UNCHANGED
    assert pipeline.process("lib/models.py", models_py, True).status is FileStatus.UNCHANGED
    nooble = types_py.replace(b"ByteUnit", b"WidgetType")
    assert pipeline.process("backend/types.py", nooble, True).status is FileStatus.CHANGED
