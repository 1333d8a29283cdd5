"""What the commands share, without typer: settings, consoles, errors, the run.

`check` runs through here without importing typer (launcher.py), so nothing
in this module may import it: a command says how it ends by raising Exit,
which cli/app.py turns into typer's.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Optional, Protocol

from nooble_codemod.cli.config import ConfigError, find_pyproject, load_config
from nooble_codemod.settings import Settings
from nooble_codemod.spec.loader import Spec, SpecError

if TYPE_CHECKING:
    from nooble_codemod.engine.request import RunRequest
    from nooble_codemod.model import RunResult


class Exit(Exception):
    """End the command with this exit code (what was to be said is said)."""

    def __init__(self, code: int = 0) -> None:
        super().__init__(code)
        self.code = code


class RunOptions(Protocol):
    """The options of the commands that run the rules (CheckOptions, ApplyOptions)."""

    paths: tuple[Path, ...]
    select: tuple[str, ...]
    ignore: tuple[str, ...]
    backend_strategy: Optional[str]
    spec_file: Optional[Path]
    include: tuple[str, ...]
    exclude: tuple[str, ...]
    file_timeout: Optional[float]
    max_file_size: Optional[float]
    no_cache: bool


def _may_be_terminal(stream) -> bool:
    """False only where rich's Console.is_terminal is False too: the stream
    is not a tty and no variable rich reads says it is one."""
    if os.environ.get("TTY_COMPATIBLE", "") == "1" or os.environ.get("FORCE_COLOR") is not None:
        return True
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError, OSError):
        return True  # rich decides


def stderr_console():
    from rich.console import Console

    return Console(stderr=True, highlight=False)


# The width of a report that goes to a log or a file (no terminal to ask, no
# COLUMNS): rich's 80 cut the checklist table's rows in CI logs.
LOG_WIDTH = 120


def stdout_console():
    from rich.console import Console

    console = Console(highlight=False, soft_wrap=False)
    if not console.is_terminal and not os.environ.get("COLUMNS"):
        console.width = LOG_WIDTH
    return console


def fail(message: str) -> Exit:
    """Say `message` as an error (its brackets are text, not markup; one
    line, however wide the terminal) and end with exit code 2."""
    from rich.markup import escape

    stderr_console().print(f"[red]error:[/] {escape(message)}", highlight=False, soft_wrap=True)
    return Exit(2)


def ids(values: Iterable[str] | None) -> tuple[str, ...]:
    out: list[str] = []
    for v in values or []:
        out.extend(x.strip() for x in v.split(",") if x.strip())
    return tuple(out)


def configuration(paths: Iterable[Path] = ()) -> tuple[Path | None, dict]:
    """The [tool.nooble-codemod] table nearest to the paths (or the working
    folder), and the file it is in."""
    try:
        cfg_path = find_pyproject(list(paths))
        return cfg_path, load_config(cfg_path) if cfg_path else {}
    except ConfigError as exc:
        raise fail(str(exc))


def load_spec(spec_file: Path | None, cfg: dict) -> Spec:
    """The spec --spec names, else the configuration's, else the one shipped."""
    try:
        return Spec.load(spec_file or cfg.get("spec"))
    except SpecError as exc:
        raise fail(str(exc))


def setup(opts: RunOptions, unsafe_fixes: bool = False) -> tuple[Spec, Settings]:
    """Settings from [tool.nooble-codemod], overridden by the flags given."""
    cfg_path, cfg = configuration(opts.paths)
    spec = load_spec(opts.spec_file, cfg)
    strategy = opts.backend_strategy
    strategy_value = strategy or cfg.get("backend-strategy", spec.default_strategy)
    if strategy_value not in spec.strategies:
        where = "--backend-strategy" if strategy else cfg_path
        choices = " or ".join(repr(s) for s in spec.strategies)
        raise fail(f"{where}: backend-strategy must be {choices} (declared by {spec.path.name}), not {strategy_value!r}")
    settings = Settings(
        backend_strategy=strategy_value,
        select=ids(opts.select) or tuple(cfg.get("select", ())),
        ignore=ids(opts.ignore) or tuple(cfg.get("ignore", ())),
        unsafe_fixes=unsafe_fixes or bool(cfg.get("unsafe-fixes", False)),
        include=tuple(opts.include) or tuple(cfg.get("include", ())),
        exclude=tuple(opts.exclude) + tuple(cfg.get("exclude", ())),
        severity=tuple(cfg.get("severity", {}).items()),
        file_timeout=float(opts.file_timeout if opts.file_timeout is not None else cfg.get("file-timeout", 60.0)),
        max_file_size=float(opts.max_file_size if opts.max_file_size is not None else cfg.get("max-file-size", 5.0)),
        cache=not opts.no_cache and not cfg.get("no-cache", False),
    )
    wanted = settings.select + settings.ignore + tuple(i for ids, _ in settings.severity for i in ids.split(","))
    if wanted:
        # Only now: importing the rules (and LibCST with them) is most of a warm run's time.
        from nooble_codemod.rules import all_rules

        known = {r.id.lower() for r in all_rules()} | {c.lower() for c in spec.checklist}
        prefixes = {k.split("-")[0] for k in known}
        for one in wanted:
            if one.lower() not in known and one.lower() not in prefixes:
                raise fail(f"unknown rule or checklist id {one!r} (see `nooble-codemod rules`)")
    return spec, settings


PROGRESS_MIN_FILES = 200


def run_with_progress(request: RunRequest, quiet: bool) -> RunResult:
    """The run, with a progress bar on a terminal unless `quiet`; a worker
    that died is an error (exit 2)."""
    try:
        return _run_with_progress(request, quiet)
    except Exception as exc:
        from nooble_codemod.engine.workers import WorkerDied  # here: only when something went wrong

        if isinstance(exc, WorkerDied):
            raise fail(str(exc)) from None
        raise


def _run_with_progress(request: RunRequest, quiet: bool) -> RunResult:
    from nooble_codemod.engine.run import run

    if quiet:
        return run(request)
    # The console (and rich with it) only once a run turns out large enough
    # for a bar: a warm run that analyses a handful of files never pays for it.
    bar: dict = {}

    def on_progress(done: int, total: int) -> None:
        if total < PROGRESS_MIN_FILES:  # small runs finish before a bar is worth drawing
            return
        if not bar:
            # rich's own answer costs its import (CPU taken from the workers):
            # asked only when stderr may be a terminal.
            if not _may_be_terminal(sys.stderr):
                bar["p"] = None
                return
            err = stderr_console()
            if not err.is_terminal:
                bar["p"] = None
                return
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            bar["p"] = Progress(TextColumn("[progress.description]{task.description}"), BarColumn(),
                                MofNCompleteColumn(), TimeElapsedColumn(), console=err, transient=True)
            bar["p"].start()
            bar["task"] = bar["p"].add_task("scanning", total=total)
        if bar["p"] is not None:
            bar["p"].update(bar["task"], completed=done, total=total)

    try:
        return run(request, on_progress)
    finally:
        if bar.get("p") is not None:
            bar["p"].stop()


def check_paths(paths: Iterable[Path]) -> None:
    if not paths:
        raise fail("give at least one path")
