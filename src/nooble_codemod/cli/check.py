"""`nooble-codemod check`: every V5 reference left, in the format CI reads.

Typer-free (see common.py): app.py declares the options, launcher.py
parses the common command lines itself, and both end up here.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import List, Optional

from nooble_codemod.cli.common import (CheckFormat, Exit, Strategy, check_paths, fail, run_with_progress, setup,
                                     stderr_console, stdout_console)
from nooble_codemod.engine.gcpause import collector_paused
from nooble_codemod.engine.request import RunRequest
from nooble_codemod.model import Output, RunMode


def run_check(paths: List[Path], format: CheckFormat, output: Optional[Path], exit_zero: bool,
              baseline: Optional[Path], write_baseline: Optional[Path], select, ignore, jobs: Optional[int],
              backend_strategy: Optional[Strategy], spec_file: Optional[Path], include, exclude,
              file_timeout: Optional[float], no_cache: bool) -> None:
    """Report every V5 reference left (read only). Exit 1 when there are any.

    The options are cli.check's (their help, defaults and checks are declared
    there); launcher.py gives the same values for the command lines it reads."""
    check_paths(paths)
    spec, settings = setup(paths, spec_file, select, ignore, backend_strategy, include, exclude, False, file_timeout,
                           no_cache)
    known = None
    if baseline is not None or write_baseline is not None:  # only when asked for
        from nooble_codemod.output import baseline as bl
    if baseline is not None:
        try:
            known = bl.load(baseline)
        except bl.BaselineError as exc:
            raise fail(str(exc))
    output_key = None
    if write_baseline is None and (output is not None or format is not CheckFormat.text):
        output_key = _output_key(format, output, exit_zero, baseline)
    request = RunRequest(paths, spec, settings, RunMode.CHECK, jobs=jobs, output_key=output_key)
    result = run_with_progress(request, quiet=output is None and format is not CheckFormat.text)
    if result.replayed is not None:
        _emit(result.replayed.stdout, output, result.replayed.stderr)
        raise Exit(result.replayed.code)
    from nooble_codemod.output import report as rep
    from nooble_codemod.model import FileStatus
    from nooble_codemod.rules import select_rules

    # Only SARIF describes each rule; the other reports need only which
    # checklist items the rules cover, which the result cache may know.
    rules = result.rules if result.rules is not None and format is not CheckFormat.sarif else select_rules(settings)
    if write_baseline is not None:
        try:
            bl.write(write_baseline, result.findings)
        except bl.BaselineError as exc:
            raise fail(str(exc))
        stderr_console().print(f"Wrote a baseline of {len(result.findings)} finding(s) to {write_baseline}; "
                               f"`check --baseline {write_baseline}` now reports only new ones.")
        raise Exit(2 if result.has_errors else 0)
    if known is not None:
        keep = {id(f) for f in bl.new_findings(result.findings, known)}
        for r in result.files:
            r.findings = [f for f in r.findings if id(f) in keep]
    with collector_paused():  # thousands of dicts and strings that live until written (gcpause.py)
        if format is CheckFormat.json:
            text = rep.to_json(result, spec, rules)
        elif format is CheckFormat.github:
            from nooble_codemod.output import formats

            text = formats.to_github(result.findings, [(r.path, r.reason) for r in result.by_status(FileStatus.FAILED)])
        elif format is CheckFormat.sarif:
            from nooble_codemod.output import formats

            text = formats.to_sarif(result.findings, rules, spec)
        elif format is CheckFormat.markdown:
            text = rep.to_markdown(result, spec, rules)
        else:
            text = None
    if text is None:
        if output:
            text = rep.text_without_style(result, spec, rules, False)
        else:
            rep.render_text(stdout_console(), result, spec, rules, show_diffs=False)
    problems = []
    if text is not None:
        # Machine formats keep stdout parseable; what stopped the run still gets said.
        problems = [f"error: {line}" for line in
                    result.errors + [f"{r.path}: {r.reason}" for r in result.by_status(FileStatus.FAILED)]]
        _emit(text, output, problems)
    code = 2 if result.has_errors else 0 if exit_zero or not result.findings else 1
    if result.output_memo is not None and text is not None:
        result.output_memo.save(Output(text, tuple(problems), code))
    raise Exit(code)


def _output_key(format: CheckFormat, output: Optional[Path], exit_zero: bool, baseline: Optional[Path]) -> tuple:
    """What the output depends on besides the run (it may be replayed: a
    file, or a machine format)."""
    baseline_digest = None
    if baseline is not None:
        import hashlib

        try:
            with open(baseline, "rb") as fh:
                baseline_digest = hashlib.sha256(fh.read()).hexdigest()
        except OSError:
            baseline_digest = "unreadable"
    return (format.value, os.path.abspath(output) if output is not None else None, exit_zero,
            str(baseline) if baseline is not None else None, baseline_digest)


def _emit(text: str, output: Optional[Path], problems: List[str]) -> None:
    if output:
        try:
            output.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise fail(f"{output}: cannot write: {exc.strerror or exc}")
    else:
        sys.stdout.write(text)
    if problems:  # rich costs its import: only when there is something to say
        console = stderr_console()
        for line in problems:
            console.print(line, markup=False)
