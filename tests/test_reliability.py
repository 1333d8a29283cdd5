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
