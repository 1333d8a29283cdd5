"""The program's entry point: `check` and `apply` without typer when the command line is plain.

Typer (and the pydantic it now validates options with) takes about 0.1 s to
import and set up, as long as a whole warm `check` should take. A command
line made only of `check` or `apply`, paths and the command's documented
options in their plain spellings is read here and run directly; anything
else — help, a short option glued to its value, `--`, an unknown or
repeated option, a value that does not validate, shell completion — goes to
the typer app, which parses and reports errors as it always has.
tests/test_launcher.py holds both parsers to the same result.
"""

from __future__ import annotations

import errno
import os
import re
import sys
from pathlib import Path

# option -> (parameter of run_check / run_apply, kind)
_VALUE, _MULTI, _FLAG = "value", "multi", "flag"
OPTIONS = {  # check's
    "--format": ("format", _VALUE),
    "--output": ("output", _VALUE),
    "-o": ("output", _VALUE),
    "--exit-zero": ("exit_zero", _FLAG),
    "--baseline": ("baseline", _VALUE),
    "--write-baseline": ("write_baseline", _VALUE),
    "--select": ("select", _MULTI),
    "--ignore": ("ignore", _MULTI),
    "--jobs": ("jobs", _VALUE),
    "-j": ("jobs", _VALUE),
    "--backend-strategy": ("backend_strategy", _VALUE),
    "--spec": ("spec_file", _VALUE),
    "--include": ("include", _MULTI),
    "--exclude": ("exclude", _MULTI),
    "--file-timeout": ("file_timeout", _VALUE),
    "--no-cache": ("no_cache", _FLAG),
}
APPLY_OPTIONS = {
    "--dry-run": ("dry_run", _FLAG),
    "--diff": ("diff", _FLAG),
    "--select": ("select", _MULTI),
    "--ignore": ("ignore", _MULTI),
    "--jobs": ("jobs", _VALUE),
    "-j": ("jobs", _VALUE),
    "--backend-strategy": ("backend_strategy", _VALUE),
    "--format": ("format", _VALUE),
    "--report": ("report", _VALUE),
    "--allow-dirty": ("allow_dirty", _FLAG),
    "--unsafe-fixes": ("unsafe_fixes", _FLAG),
    "--spec": ("spec_file", _VALUE),
    "--include": ("include", _MULTI),
    "--exclude": ("exclude", _MULTI),
    "--file-timeout": ("file_timeout", _VALUE),
    "--no-cache": ("no_cache", _FLAG),
}
_PATH_PARAMS = ("output", "baseline", "write_baseline", "spec_file", "report")


def parse_check(argv: list[str]) -> dict | None:
    """The keyword arguments of run_check for `argv` (without the program
    name), or None when typer should read it."""
    return _parse(argv, "check", OPTIONS)


def parse_apply(argv: list[str]) -> dict | None:
    """The keyword arguments of run_apply, as parse_check."""
    return _parse(argv, "apply", APPLY_OPTIONS)


def _parse(argv: list[str], command: str, options: dict) -> dict | None:
    if not argv or argv[0] != command:
        return None
    given: dict = {}
    paths: list[Path] = []
    args = iter(argv[1:])
    for arg in args:
        if not arg:
            return None
        if not arg.startswith("-"):
            paths.append(Path(arg))
            continue
        name, eq, value = arg.partition("=")
        if name not in options or (eq and not name.startswith("--")):
            return None  # --help, -oFILE, --, -: typer's
        param, kind = options[name]
        if kind is _FLAG:
            if eq or param in given:
                return None
            given[param] = True
            continue
        if not eq:
            value = next(args, None)
            if value is None:
                return None
        if not value or value.startswith("-"):
            return None
        if kind is _MULTI:
            given.setdefault(param, []).append(value)
        elif param in given:
            return None  # which one wins is typer's to say
        else:
            given[param] = value
    if not paths:
        return None
    return _converted(paths, given, command, options)


def _converted(paths: list[Path], given: dict, command: str, options: dict) -> dict | None:
    from nooble_codemod.cli.common import ApplyFormat, CheckFormat, Strategy

    formats = CheckFormat if command == "check" else ApplyFormat
    # Every parameter of the command, with cli's defaults for those not given.
    out: dict = {param: False if kind is _FLAG else None for param, kind in options.values()}
    out.update(paths=paths, format=formats.text)
    for param, value in given.items():
        if param == "format":
            if value not in formats._value2member_map_:
                return None
            value = formats(value)
        elif param == "backend_strategy":
            if value not in Strategy._value2member_map_:
                return None
            value = Strategy(value)
        elif param == "jobs":
            if not re.fullmatch(r"[0-9]+", value) or int(value) < 1:
                return None
            value = int(value)
        elif param == "file_timeout":
            if not re.fullmatch(r"[0-9]+(?:\.[0-9]+)?", value):
                return None
            value = float(value)
        elif param in _PATH_PARAMS:
            value = Path(value)
        out[param] = value
    return out


def _completing() -> bool:
    # click's shell completion is asked for through an environment variable.
    return any(k.endswith("_COMPLETE") for k in os.environ)


def main() -> None:
    from nooble_codemod.engine import gcpause

    gcpause.freeze_after = True  # this process is ours (see gcpause.py)
    argv = sys.argv[1:]
    command, args = None, None
    if not _completing():
        if (args := parse_check(argv)) is not None:
            from nooble_codemod.cli.check import run_check as command
        elif (args := parse_apply(argv)) is not None:
            from nooble_codemod.cli.apply import run_apply as command
    if command is None:
        from nooble_codemod.cli.app import app

        app()
        return
    from nooble_codemod.cli.common import Exit

    # What typer's standalone mode does with the way a command ends.
    try:
        command(**args)
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
