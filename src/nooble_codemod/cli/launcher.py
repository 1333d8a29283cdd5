"""The program's entry point: `check` and `apply` without typer when the command line is plain.

Typer (and the pydantic it validates options with) is slow to import and
set up next to the rest of a warm `check`. A command line made only of a
fast command (options.COMMANDS), its paths and its options in their plain
spellings is read here, from the same option table typer's interface is
built from, and run directly; anything else — help, a short option glued to
its value, `--`, an unknown or repeated option, a value that does not
validate, shell completion — goes to the typer app, which parses and
reports errors as it always has. tests/test_launcher.py holds both parsers
to the same result.
"""

from __future__ import annotations

import errno
import os
import re
import sys
from enum import Enum
from pathlib import Path
from typing import Any

from nooble_codemod.cli.options import COMMANDS, Command, Param, build, params

_FAST = {c.name: c for c in COMMANDS if c.fast}
_INT = re.compile(r"[0-9]+")
_FLOAT = re.compile(r"[0-9]+(?:\.[0-9]+)?")
_INVALID = object()


def parse(argv: list[str]) -> tuple[Command, Any] | None:
    """The command and its options for `argv` (without the program name), or
    None when typer should read it."""
    command = _FAST.get(argv[0]) if argv else None
    if command is None:
        return None
    options = command.options()
    table = params(options)
    by_flag = {flag: p for p in table for flag in p.flags}
    (positional,) = [p for p in table if not p.flags]
    given: dict = {}
    values: list[str] = []
    args = iter(argv[1:])
    for arg in args:
        if not arg:
            return None
        if not arg.startswith("-"):
            values.append(arg)
            continue
        name, eq, value = arg.partition("=")
        p = by_flag.get(name)
        if p is None or (eq and not name.startswith("--")):
            return None  # --help, -oFILE, --, -: typer's
        if p.is_flag:
            if eq or p.name in given:
                return None
            given[p.name] = True
            continue
        if not eq:
            value = next(args, None)
            if value is None:
                return None
        if not value or value.startswith("-"):
            return None
        if not p.multiple and p.name in given:
            return None  # which one wins is typer's to say
        value = _converted(p, value)
        if value is _INVALID:
            return None
        if p.multiple:
            given.setdefault(p.name, []).append(value)
        else:
            given[p.name] = value
    converted = [_converted(positional, v) for v in values]
    if not converted or _INVALID in converted or (not positional.multiple and len(converted) != 1):
        return None
    given[positional.name] = converted if positional.multiple else converted[0]
    return command, build(options, given)


def _converted(p: Param, value: str) -> Any:
    """`value` as typer would give it, or _INVALID when typer would refuse it
    (then typer reads the command line and says why)."""
    kind = p.type
    if issubclass(kind, Enum):
        return kind(value) if value in kind._value2member_map_ else _INVALID
    if kind is int or kind is float:
        if not (_INT if kind is int else _FLOAT).fullmatch(value):
            return _INVALID
        number = kind(value)
        return number if p.min is None or number >= p.min else _INVALID
    if kind is Path:
        return Path(value)
    return value


def parse_check(argv: list[str]) -> Any | None:
    """check's options (CheckOptions) for `argv`, or None when typer should read it."""
    parsed = parse(argv)
    return parsed[1] if parsed is not None and parsed[0].name == "check" else None


def parse_apply(argv: list[str]) -> Any | None:
    """apply's options (ApplyOptions), as parse_check."""
    parsed = parse(argv)
    return parsed[1] if parsed is not None and parsed[0].name == "apply" else None


def _completing() -> bool:
    # click's shell completion is asked for through an environment variable.
    return any(k.endswith("_COMPLETE") for k in os.environ)


def main() -> None:
    from nooble_codemod.engine import gcpause

    gcpause.freeze_after = True  # this process is ours (see gcpause.py)
    parsed = None if _completing() else parse(sys.argv[1:])
    if parsed is None:
        from nooble_codemod.cli.app import app

        app()
        return
    command, options = parsed
    from nooble_codemod.cli.common import Exit

    # What typer's standalone mode does with the way a command ends.
    try:
        command.function()(options)
        code = 0
    except Exit as exc:
        code = exc.code
    except KeyboardInterrupt:
        code = 130
    except OSError as exc:
        if exc.errno != errno.EPIPE:
            raise
        sys.stdout = open(os.devnull, "w")  # nothing more can reach the reader: do not fail again on flush
        sys.stderr = open(os.devnull, "w")
        code = 1
    sys.exit(code)
