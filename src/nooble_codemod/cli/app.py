"""The command line: apply, check, rules, explain (DESIGN.md §5).

Exit codes: 0 done / clean; 1 manual follow-ups remain / findings;
2 error (bad arguments, unreadable path, a file that failed to parse, a
refused write).
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import List, Optional

import typer

from nooble_codemod import __version__
from nooble_codemod.cli.common import ApplyFormat, CheckFormat, Exit, Strategy, fail, stdout_console

app = typer.Typer(
    name="nooble-codemod",
    help="Migrate a supabase code base (TypeScript front end, Python back end) along a migration spec.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"nooble-codemod {__version__}")
        raise typer.Exit(0)


@app.callback()
def _main(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                 help="Print the version and exit."),
) -> None:
    pass


def _exits(command):
    """A command that ends by raising common.Exit, as a typer command
    (typer reads the signature and annotations through functools.wraps)."""
    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except Exit as exc:
            raise typer.Exit(exc.code) from None
    return wrapper


PATHS = typer.Argument(..., help="Files or folders to migrate.", show_default=False)
SELECT = typer.Option(None, "--select", help="Only these rule or checklist ids (comma-separated; prefixes like FE, DB-1).")
IGNORE = typer.Option(None, "--ignore", help="Skip these rule or checklist ids.")
JOBS = typer.Option(None, "--jobs", "-j", min=1, help="Worker processes (default: one per core; 1 runs in-process).")
STRATEGY = typer.Option(None, "--backend-strategy", help="Back end: rename tenant_id to user_id, or keep it as a documented alias.")
SPEC = typer.Option(None, "--spec", help="Load another migration spec (TOML).", exists=False)
INCLUDE = typer.Option(None, "--include", help="Only files matching this gitignore-style pattern (repeatable).")
EXCLUDE = typer.Option(None, "--exclude", help="Skip files matching this gitignore-style pattern (repeatable).")
NO_CACHE = typer.Option(False, "--no-cache", help="Read every file again (ignore and do not update .nooble-codemod-cache/).")
FILE_TIMEOUT = typer.Option(None, "--file-timeout", min=0, help="Seconds one file may take before it is reported and skipped (default 60; 0: no limit).")


@app.command()
@_exits
def apply(
    paths: List[Path] = PATHS,
    dry_run: bool = typer.Option(False, "--dry-run", help="Show diffs and the checklist report; write nothing."),
    diff: bool = typer.Option(False, "--diff", help="Print a plain unified diff (for git apply) and write nothing."),
    select: Optional[List[str]] = SELECT,
    ignore: Optional[List[str]] = IGNORE,
    jobs: Optional[int] = JOBS,
    backend_strategy: Optional[Strategy] = STRATEGY,
    format: ApplyFormat = typer.Option(ApplyFormat.text, "--format", help="Report format on standard output."),
    report: Optional[Path] = typer.Option(None, "--report", help="Also write the report to FILE (.json, .md or text)."),
    allow_dirty: bool = typer.Option(False, "--allow-dirty", help="Write even into files with uncommitted changes."),
    unsafe_fixes: bool = typer.Option(False, "--unsafe-fixes", help="Also apply fixes marked as needing review."),
    spec_file: Optional[Path] = SPEC,
    include: Optional[List[str]] = INCLUDE,
    exclude: Optional[List[str]] = EXCLUDE,
    file_timeout: Optional[float] = FILE_TIMEOUT,
    no_cache: bool = NO_CACHE,
) -> None:
    """Migrate files in place (atomically), or preview with --dry-run / --diff."""
    from nooble_codemod.cli.apply import run_apply

    run_apply(paths, dry_run, diff, select, ignore, jobs, backend_strategy, format, report, allow_dirty, unsafe_fixes,
              spec_file, include, exclude, file_timeout, no_cache)


@app.command()
@_exits
def check(
    paths: List[Path] = PATHS,
    format: CheckFormat = typer.Option(CheckFormat.text, "--format", help="Output format."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write the output to FILE instead of standard output."),
    exit_zero: bool = typer.Option(False, "--exit-zero", help="Exit 0 even when old references are found."),
    baseline: Optional[Path] = typer.Option(None, "--baseline", help="Report only findings this baseline file does not hold."),
    write_baseline: Optional[Path] = typer.Option(None, "--write-baseline", help="Record every current finding in FILE (for --baseline) and exit 0."),
    select: Optional[List[str]] = SELECT,
    ignore: Optional[List[str]] = IGNORE,
    jobs: Optional[int] = JOBS,
    backend_strategy: Optional[Strategy] = STRATEGY,
    spec_file: Optional[Path] = SPEC,
    include: Optional[List[str]] = INCLUDE,
    exclude: Optional[List[str]] = EXCLUDE,
    file_timeout: Optional[float] = FILE_TIMEOUT,
    no_cache: bool = NO_CACHE,
) -> None:
    """Report every reference to the old schema left (read only). Exit 1 when there are any."""
    from nooble_codemod.cli.check import run_check

    run_check(paths, format, output, exit_zero, baseline, write_baseline, select, ignore, jobs, backend_strategy,
              spec_file, include, exclude, file_timeout, no_cache)


@app.command("rules")
@_exits
def rules_cmd(spec_file: Optional[Path] = SPEC) -> None:
    """List the rules with the checklist items they cover."""
    from nooble_codemod.cli.describe import print_rules

    print_rules(stdout_console(), _load_spec(spec_file))


@app.command()
@_exits
def explain(id: str = typer.Argument(..., help="A rule id (see `rules`) or a checklist id such as FE-1."),
            spec_file: Optional[Path] = SPEC) -> None:
    """Print a rule's documentation, or a checklist item with the guide's advice."""
    from nooble_codemod.cli.describe import print_explanation

    print_explanation(stdout_console(), _load_spec(spec_file), id)


def _load_spec(path):
    from nooble_codemod.spec.loader import Spec, SpecError

    try:
        return Spec.load(path)
    except SpecError as exc:
        raise fail(str(exc))


def main() -> None:
    from nooble_codemod.cli.launcher import main as launch

    launch()
