"""The command line as typer reads it: apply, check, rules, explain.

Each command is built from its option table (cli/options.py): a function
whose signature holds one typer.Option or typer.Argument per field of the
command's options dataclass, and which hands the command an instance of it.

Exit codes: 0 done / clean; 1 manual follow-ups remain / findings;
2 error (bad arguments, unreadable path, a file that failed to parse, a
refused write).
"""

from __future__ import annotations

import inspect
from typing import Any, List, Optional

import typer

from nooble_codemod import __version__
from nooble_codemod.cli.common import Exit
from nooble_codemod.cli.options import COMMANDS, Command, Param, build, params

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


def _parameter(p: Param) -> inspect.Parameter:
    """The parameter typer reads for one field: its annotation and its
    typer.Option or typer.Argument."""
    if not p.flags:
        info = typer.Argument(... if p.required else p.default, help=p.help, show_default=False)
        annotation: Any = List[p.type] if p.multiple else p.type
    else:
        # A flag takes no value: no "<bool>" beside it in --help.
        extra = {"metavar": ""} if p.type is bool else {}
        info = typer.Option(p.default if not p.multiple else None, *p.flags, help=p.help, min=p.min, **extra)
        if p.multiple:
            annotation = Optional[List[p.type]]
        elif p.default is None:
            annotation = Optional[p.type]
        else:
            annotation = p.type
    return inspect.Parameter(p.name, inspect.Parameter.KEYWORD_ONLY, default=info, annotation=annotation)


def _command(command: Command):
    """The typer command for `command`: the options it reads go to the body
    (looked up when it runs) as the command's dataclass."""
    options = command.options()

    def run(**values: Any) -> None:
        try:
            command.function()(build(options, values))
        except Exit as exc:
            raise typer.Exit(exc.code) from None

    run.__name__ = command.name
    run.__doc__ = command.help
    run.__signature__ = inspect.Signature([_parameter(p) for p in params(options)])  # type: ignore[attr-defined]
    return run


for _c in COMMANDS:
    app.command(_c.name)(_command(_c))
