"""The entry point reads plain `check` command lines itself (without typer's
start-up cost) and must read them exactly as typer does; anything else is
typer's."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

import nooble_codemod.cli.apply as apply_command
import nooble_codemod.cli.check as check_command
from nooble_codemod.cli.app import app
from nooble_codemod.cli.launcher import parse_apply, parse_check

runner = CliRunner()
NAMES = ("paths", "format", "output", "exit_zero", "baseline", "write_baseline", "select", "ignore", "jobs",
         "backend_strategy", "spec_file", "include", "exclude", "file_timeout", "no_cache")


def through_typer(argv: list[str], monkeypatch) -> dict:
    seen = {}

    def capture(*args):
        seen.update(zip(NAMES, args))

    monkeypatch.setattr(check_command, "run_check", capture)
    res = runner.invoke(app, argv)
    assert res.exit_code == 0, res.output
    return seen


def normalised(kwargs: dict) -> dict:
    # An option not given is None (typer) or absent (ours: run_check's default).
    defaults = {"format": "text", "exit_zero": False, "no_cache": False}
    out = {name: kwargs.get(name, defaults.get(name)) for name in NAMES}
    return {k: (None if v in ([], ()) else list(v) if isinstance(v, (list, tuple)) else v) for k, v in out.items()}


@pytest.mark.parametrize("argv", [
    ["check", "."],
    ["check", ".", "--exit-zero", "--format", "json", "--output", "/dev/null"],
    ["check", "src", "tests", "--format=sarif", "-o", "out.sarif", "-j", "2"],
    ["check", "--select", "FE", "--select", "DB-1,BE", ".", "--ignore", "ts-leftover"],
    ["check", "a.ts", "--include", "src/", "--exclude", "*.test.ts", "--exclude=legacy/", "--no-cache"],
    ["check", ".", "--baseline", "b.json", "--backend-strategy", "alias", "--spec", "my.toml"],
    ["check", ".", "--write-baseline", "b.json", "--file-timeout", "2.5", "--jobs=1"],
    ["check", "my app", "ünï.ts", "--file-timeout", "0"],
])
def test_plain_command_lines_are_read_as_typer_reads_them(argv, monkeypatch):
    ours = parse_check(argv)
    assert ours is not None
    assert normalised(ours) == normalised(through_typer(argv, monkeypatch))
    for name in ("paths", "output", "baseline", "write_baseline", "spec_file"):
        value = ours.get(name)
        assert value is None or all(isinstance(p, Path) for p in (value if name == "paths" else [value]))


@pytest.mark.parametrize("argv", [
    [],
    ["--version"],
    ["check"],                               # no path: typer says what is missing
    ["check", "--help"],
    ["check", ".", "-oout.json"],            # glued short option
    ["check", "--", "-odd-name.ts"],
    ["check", ".", "--format", "yaml"],      # not a format
    ["check", ".", "--format"],              # no value
    ["check", ".", "--jobs", "0"],           # below the minimum
    ["check", ".", "-j", "two"],
    ["check", ".", "--file-timeout", "-1"],
    ["check", ".", "--output", "a", "--output", "b"],  # repeated single option
    ["check", ".", "--exit-zero=yes"],
    ["check", ".", "--bogus"],
    ["check", ".", "--backend-strategy", "Rename"],
    ["check", ""],
    ["apply", ".", "--format", "sarif"],     # a check format, not an apply one
    ["apply", ".", "--dry-run", "--dry-run"],
    ["apply", ".", "--exit-zero"],           # a check option
    ["apply", ".", "--report"],
    ["apply", "--help"],
])
def test_anything_else_is_left_to_typer(argv):
    assert parse_check(argv) is None and parse_apply(argv) is None


APPLY_NAMES = ("paths", "dry_run", "diff", "select", "ignore", "jobs", "backend_strategy", "format", "report",
               "allow_dirty", "unsafe_fixes", "spec_file", "include", "exclude", "file_timeout", "no_cache")


@pytest.mark.parametrize("argv", [
    ["apply", "."],
    ["apply", "frontend", "backend", "--dry-run"],
    ["apply", ".", "--diff", "--select", "FE", "--ignore=DB-1", "-j", "2", "--no-cache"],
    ["apply", ".", "--format", "json", "--report", "r.md", "--allow-dirty", "--unsafe-fixes"],
    ["apply", ".", "--backend-strategy", "alias", "--spec", "s.toml", "--include", "src/", "--exclude", "x/",
     "--file-timeout", "1.5", "--jobs=1", "--format=markdown"],
])
def test_plain_apply_command_lines_are_read_as_typer_reads_them(argv, monkeypatch):
    seen = {}
    monkeypatch.setattr(apply_command, "run_apply", lambda *args: seen.update(zip(APPLY_NAMES, args)))
    res = runner.invoke(app, argv)
    assert res.exit_code == 0, res.output
    ours = parse_apply(argv)
    assert ours is not None and set(ours) == set(APPLY_NAMES)

    def plain(kwargs):
        return {k: (None if v in ([], ()) else list(v) if isinstance(v, (list, tuple)) else v)
                for k, v in kwargs.items()}

    assert plain(ours) == plain(seen)


def test_the_program_runs_check_without_importing_typer_or_the_rules(tmp_path):
    (tmp_path / "a.ts").write_text("export const f = (tenantId: string) => tenantId;\n")
    code = ("import sys\nfrom nooble_codemod.cli.launcher import main\n"
            "sys.argv = ['nooble-codemod', 'check', '.', '--format', 'json', '--output', 'out.json']\n"
            "try:\n    main()\nexcept SystemExit as e:\n    code = e.code\n"
            "mods = sorted(m for m in sys.modules if m in ('typer', 'libcst', 'pydantic') or m.startswith('nooble_codemod.rules.'))\n"
            "print(code, ' '.join(mods))\n")
    cold = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=True)
    assert cold.stdout.split()[0] == "1"  # a finding
    warm = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=True)
    # All answered from the cache: neither typer nor any rule (nor LibCST) was needed.
    assert warm.stdout.split() == ["1"], warm.stdout + warm.stderr
    assert '"tenantId' in (tmp_path / "out.json").read_text() or "tenantId" in (tmp_path / "out.json").read_text()


def test_errors_still_come_from_typer(tmp_path):
    res = subprocess.run([sys.executable, "-m", "nooble_codemod", "check", ".", "--format", "yaml"], cwd=tmp_path,
                         capture_output=True, text=True)
    assert res.returncode == 2 and "yaml" in res.stderr


def test_the_program_runs_apply_without_importing_typer(tmp_path):
    (tmp_path / "a.ts").write_text("export const f = (tenantId: string) => tenantId;\n")
    code = ("import sys\nfrom nooble_codemod.cli.launcher import main\n"
            "sys.argv = ['nooble-codemod', 'apply', '.', '--dry-run', '--format', 'json']\n"
            "try:\n    main()\nexcept SystemExit as e:\n    code = e.code\n"
            "print(code, 'typer' in sys.modules, file=sys.stderr)\n")
    res = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=True)
    assert res.stderr.split()[-2:] == ["0", "False"], res.stderr  # all fixed: nothing left to report
    assert "+export const f = (userId: string)" in res.stdout and "tenantId" in (tmp_path / "a.ts").read_text()
