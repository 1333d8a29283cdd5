"""How the commands declare their options, and the list of commands.

Each command module starts with its option table: a frozen dataclass whose
fields are the options, in --help order (CheckOptions in cli/check.py,
ApplyOptions in cli/apply.py, MergeOptions in cli/merge.py, RulesOptions and
ExplainOptions in cli/info.py), each field made by `option`, `repeatable` or `argument`
below (flags, help, default, minimum). Typer's interface (cli/app.py) and
the fast start (cli/launcher.py) are both built from these fields, and both
hand the command's function an instance of its dataclass.

The value type of an option comes from its field's annotation: `bool` is a
flag, `tuple[T, ...]` a repeatable option (or a variadic argument), `T |
None` an option with no default; T is str, int, float, Path or an Enum,
whose values are its choices.

No typer here, and nothing costly: the fast start imports this module.
"""

from __future__ import annotations

from dataclasses import MISSING, field, fields
from enum import Enum
from types import NoneType, UnionType
from typing import Any, Callable, NamedTuple, Union, get_args, get_origin, get_type_hints


class ApplyFormat(str, Enum):
    text = "text"
    json = "json"
    markdown = "markdown"


class CheckFormat(str, Enum):
    text = "text"
    json = "json"
    github = "github"
    sarif = "sarif"
    markdown = "markdown"


# -- declaring options --------------------------------------------------------------
def option(*flags: str, help: str, default: Any = None, min: float | None = None) -> Any:
    """A field that is an option (or a flag, when annotated bool)."""
    return field(default=default, metadata={"cli": (flags, help, min)})


def repeatable(*flags: str, help: str) -> Any:
    """A field that is an option given any number of times (a tuple of values)."""
    return field(default=(), metadata={"cli": (flags, help, None)})


def argument(help: str) -> Any:
    """A field that is the command's (required) positional argument."""
    return field(metadata={"cli": ((), help, None)})


# The options several commands share, each a new field for the class that uses it.
def paths(verb: str = "migrate") -> Any:
    return argument(f"Files or folders to {verb}.")


def select() -> Any:
    return repeatable("--select", help="Only these rule or checklist ids (comma-separated; prefixes like FE, DB-1).")


def ignore() -> Any:
    return repeatable("--ignore", help="Skip these rule or checklist ids.")


def jobs() -> Any:
    return option("--jobs", "-j", min=1, help="Worker processes (default: one per core; 1 runs in-process).")


def backend_strategy() -> Any:
    return option("--backend-strategy",
                  help="One of the back-end strategies the spec declares (see `rules`); default: its first.")


def spec_file() -> Any:
    return option("--spec", help="Load another migration spec (TOML).")


def include() -> Any:
    return repeatable("--include", help="Only files matching this gitignore-style pattern (repeatable).")


def exclude() -> Any:
    return repeatable("--exclude", help="Skip files matching this gitignore-style pattern (repeatable).")


def file_timeout() -> Any:
    return option("--file-timeout", min=0,
                  help="Seconds one file may take before it is reported and skipped (default 60; 0: no limit).")


def max_file_size() -> Any:
    return option("--max-file-size", min=0,
                  help="MiB a file may have; a larger one is reported as an error, not analysed (default 5; 0: no limit).")


def output() -> Any:
    return option("--output", "-o", help="Write the output to FILE instead of standard output.")


def exit_zero() -> Any:
    return option("--exit-zero", default=False, help="Exit 0 even when old references are found.")


def no_cache() -> Any:
    return option("--no-cache", default=False,
                  help="Read every file again (ignore and do not update .nooble-codemod-cache/).")


# -- the commands -------------------------------------------------------------------
class Command(NamedTuple):
    name: str
    module: str  # where its options dataclass and its function are; imported when the command runs
    options_class: str
    function_name: str
    help: str
    fast: bool = False  # whether cli/launcher.py reads its plain command lines without typer

    def options(self) -> type:
        return getattr(_module(self.module), self.options_class)

    def function(self) -> Callable[[Any], None]:
        return getattr(_module(self.module), self.function_name)


def _module(name: str):
    from importlib import import_module

    return import_module(name)


COMMANDS = (
    Command("apply", "nooble_codemod.cli.apply", "ApplyOptions", "run_apply",
            "Migrate files in place (atomically), or preview with --dry-run / --diff.", fast=True),
    Command("check", "nooble_codemod.cli.check", "CheckOptions", "run_check",
            "Report every reference to the old schema left (read only). Exit 1 when there are any.", fast=True),
    Command("merge", "nooble_codemod.cli.merge", "MergeOptions", "run_merge",
            "Combine the JSON or SARIF reports of `check --shard K/N` into one, with check's exit codes."),
    Command("rules", "nooble_codemod.cli.info", "RulesOptions", "run_rules",
            "List the rules with the checklist items they cover."),
    Command("explain", "nooble_codemod.cli.info", "ExplainOptions", "run_explain",
            "Print a rule's documentation, or a checklist item with the guide's advice."),
)


# -- reading the table --------------------------------------------------------------
class Param(NamedTuple):
    """One field of an options dataclass, as both parsers need it."""

    name: str
    flags: tuple[str, ...]  # () for the positional argument
    help: str
    type: type  # of one value: bool (a flag), str, int, float, Path or an Enum
    default: Any  # MISSING for a required argument
    multiple: bool  # a tuple of values
    min: float | None

    @property
    def is_flag(self) -> bool:
        return self.type is bool

    @property
    def required(self) -> bool:
        return self.default is MISSING


_PARAMS: dict[type, tuple[Param, ...]] = {}


def params(options: type) -> tuple[Param, ...]:
    """The table of an options dataclass, in declaration (and --help) order."""
    got = _PARAMS.get(options)
    if got is None:
        hints = get_type_hints(options)
        got = _PARAMS[options] = tuple(_param(f, hints[f.name]) for f in fields(options))
    return got


def _param(f, kind) -> Param:
    flags, help, minimum = f.metadata["cli"]
    multiple = False
    if get_origin(kind) is tuple:
        kind, multiple = get_args(kind)[0], True
    elif get_origin(kind) in (Union, UnionType):
        (kind,) = [a for a in get_args(kind) if a is not NoneType]
    return Param(f.name, flags, help, kind, f.default, multiple, minimum)


def build(options: type, given: dict) -> Any:
    """An instance of `options` from the values a parser read (name -> value,
    a list for a repeatable option); what was not given takes its default."""
    values = {}
    for p in params(options):
        if p.name in given:
            value = given[p.name]
            values[p.name] = tuple(value or ()) if p.multiple else value
    return options(**values)

