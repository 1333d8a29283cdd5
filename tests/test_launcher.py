"""The entry point reads plain `check` and `apply` command lines itself
(without typer's start-up cost) and must read them exactly as typer does;
anything else is typer's. Both are built from one option table
(cli/options.py)."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import fields
from pathlib import Path

import pytest
from typer.main import get_command
from typer.testing import CliRunner

import nooble_codemod.cli.apply as apply_command
import nooble_codemod.cli.check as check_command
import nooble_codemod.cli.info as info_command
from nooble_codemod.cli.app import app
from nooble_codemod.cli.launcher import parse_apply, parse_check
from nooble_codemod.cli.apply import ApplyOptions
from nooble_codemod.cli.check import CheckOptions
from nooble_codemod.cli.options import COMMANDS, params

runner = CliRunner()


def through_typer(argv: list[str], monkeypatch, module=check_command, name="run_check"):
    """The options typer hands the command's body for `argv`."""
    seen = []
    monkeypatch.setattr(module, name, seen.append)
    res = runner.invoke(app, argv)
    assert res.exit_code == 0, res.output
    (options,) = seen
    return options


def typed(options) -> list:
    """Every field with the type of its value (and of each item of a
    tuple): 1 == 1.0, but typer gives one and not the other."""
    out = []
    for f in fields(options):
        value = getattr(options, f.name)
        items = [type(v) for v in value] if isinstance(value, tuple) else None
        out.append((f.name, type(value), items, value))
    return out


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
    assert isinstance(ours, CheckOptions)
    assert typed(ours) == typed(through_typer(argv, monkeypatch))
    assert all(isinstance(p, Path) for p in ours.paths)


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
    ["check", ""],
    ["apply", ".", "--format", "sarif"],     # a check format, not an apply one
    ["apply", ".", "--dry-run", "--dry-run"],
    ["apply", ".", "--exit-zero"],           # a check option
    ["apply", ".", "--report"],
    ["apply", "--help"],
    ["rules"],                               # not a fast command
    ["explain", "FE-1"],
])
def test_anything_else_is_left_to_typer(argv):
    assert parse_check(argv) is None and parse_apply(argv) is None


@pytest.mark.parametrize("argv", [
    ["apply", "."],
    ["apply", "frontend", "backend", "--dry-run"],
    ["apply", ".", "--diff", "--select", "FE", "--ignore=DB-1", "-j", "2", "--no-cache"],
    ["apply", ".", "--format", "json", "--report", "r.md", "--allow-dirty", "--unsafe-fixes"],
    ["apply", ".", "--backend-strategy", "alias", "--spec", "s.toml", "--include", "src/", "--exclude", "x/",
     "--file-timeout", "1.5", "--jobs=1", "--format=markdown"],
])
def test_plain_apply_command_lines_are_read_as_typer_reads_them(argv, monkeypatch):
    ours = parse_apply(argv)
    assert isinstance(ours, ApplyOptions)
    assert typed(ours) == typed(through_typer(argv, monkeypatch, apply_command, "run_apply"))


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c.name)
def test_typer_declares_every_option_of_the_table_and_no_other(command):
    click = get_command(app).commands[command.name]
    declared = {p.name: (tuple(sorted(p.opts)), p.multiple or p.nargs == -1, p.required, p.default, p.min, p.help)
                for p in click.params if p.name != "help"}
    table = {p.name: (tuple(sorted(p.flags or (p.name,))), p.multiple, p.required,
                      None if p.multiple or p.required else p.default, p.min, p.help)
             for p in params(command.options())}
    assert declared == table
    assert click.help == command.help


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c.name)
def test_help_shows_every_option_with_its_help(command):
    res = runner.invoke(app, [command.name, "--help"], env={"COLUMNS": "400"})
    assert res.exit_code == 0, res.output
    lines = res.stdout.splitlines()
    for p in params(command.options()):
        assert any((p.flags[0] if p.flags else p.name) in line and p.help in line for line in lines), p.name


@pytest.mark.parametrize("name", ["rules", "explain"])
def test_rules_and_explain_load_the_spec_given(name, monkeypatch, tmp_path):
    from nooble_codemod.spec.loader import Spec

    monkeypatch.chdir(tmp_path)
    body = "list_rules" if name == "rules" else "explain"
    seen = []
    monkeypatch.setattr(info_command, body, lambda *args: seen.append(args[-1]))
    shipped = Spec.load()
    res = runner.invoke(app, [name, *(["FE-1"] if name == "explain" else []), "--spec", str(shipped.path)])
    assert res.exit_code == 0, res.output
    assert [s.digest for s in seen] == [shipped.digest]
    res = runner.invoke(app, [name, *(["FE-1"] if name == "explain" else []), "--spec", "nowhere.toml"])
    assert res.exit_code == 2 and "nowhere.toml" in res.output


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
