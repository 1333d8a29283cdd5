"""`nooble-codemod check`: every old reference left, in the format CI reads.

Typer-free (see common.py): cli/app.py and cli/launcher.py both read the
options this module declares (CheckOptions) and call run_check. The run is
the engine's; the report, the last stage, is this module's.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from nooble_codemod.cli import options as o
from nooble_codemod.cli.common import Exit, check_paths, fail, run_with_progress, setup, stderr_console, stdout_console
from nooble_codemod.cli.options import CheckFormat
from nooble_codemod.engine.gcpause import collector_paused
from nooble_codemod.engine.request import RunRequest
from nooble_codemod.model import FileStatus, Output, RunMode

if TYPE_CHECKING:
    from nooble_codemod.engine.part import Part
    from nooble_codemod.model import RuleInfo, RunResult
    from nooble_codemod.settings import Settings
    from nooble_codemod.spec.loader import Spec


class Reported(Protocol):
    """What the report stage reads of a command's options: check's, or merge's
    (cli/merge.py), which reports shards as one check."""

    format: CheckFormat
    output: Path | None
    exit_zero: bool


@dataclass(frozen=True)
class CheckOptions:
    """`check`'s option table (cli/options.py)."""

    paths: tuple[Path, ...] = o.paths("check")
    format: CheckFormat = o.option("--format", default=CheckFormat.text, help="Output format.")
    output: Path | None = o.output()
    exit_zero: bool = o.exit_zero()
    baseline: Path | None = o.option("--baseline", help="Report only findings this baseline file does not hold.")
    write_baseline: Path | None = o.option(
        "--write-baseline", help="Record every current finding in FILE (for --baseline) and exit 0.")
    shard: str | None = o.option(
        "--shard", help="Check and report only shard K of N (K/N, e.g. 2/4): the files whose path hashes to K, "
                        "each with the findings a full check gives it; combine the shards' JSON or SARIF with "
                        "`merge`.")
    since: str | None = o.option(
        "--since", help="Check and report only the files changed since the git ref REF (what a pull request onto "
                        "it touches): in `git diff REF...HEAD` (from the merge base), or modified, staged or "
                        "untracked now; deleted files are left out.")
    select: tuple[str, ...] = o.select()
    ignore: tuple[str, ...] = o.ignore()
    jobs: int | None = o.jobs()
    backend_strategy: str | None = o.backend_strategy()
    spec_file: Path | None = o.spec_file()
    include: tuple[str, ...] = o.include()
    exclude: tuple[str, ...] = o.exclude()
    file_timeout: float | None = o.file_timeout()
    max_file_size: float | None = o.max_file_size()
    no_cache: bool = o.no_cache()


def run_check(opts: CheckOptions) -> None:
    """Report every reference to the old schema left (read only). Exit 1 when there are any."""
    check_paths(opts.paths)
    part = _part(opts)
    spec, settings = setup(opts)
    known = _baseline(opts.baseline) if opts.baseline is not None else None
    request = RunRequest(opts.paths, spec, settings, RunMode.CHECK, jobs=opts.jobs, part=part,
                         output_key=_output_key(opts, part))
    result = run_with_progress(request, quiet=opts.output is None and opts.format is not CheckFormat.text)
    if result.replayed is not None:
        emit(result.replayed, opts.output)
        raise Exit(result.replayed.code)
    if opts.write_baseline is not None:
        _write_baseline(opts.write_baseline, result)
    if known is not None:
        _drop_known(result, known)
    output = report(result, opts, spec, settings, _shard(opts, part, spec, settings))
    if output is not None:
        emit(output, opts.output)
        if result.output_memo is not None:
            result.output_memo.save(output)
    raise Exit(exit_code(result, opts))


def _part(opts: CheckOptions) -> Part | None:
    """The files this check executes and reports (engine/part.py), or None for all."""
    if opts.shard is None and opts.since is None:
        return None
    from nooble_codemod.engine.part import Part, parse_shard

    try:
        shard = parse_shard(opts.shard) if opts.shard is not None else None
    except ValueError as exc:
        raise fail(str(exc))
    files = None
    if opts.since is not None:
        from nooble_codemod.fs.gitstate import GitError, changed_since

        try:
            files = frozenset(changed_since(opts.since, os.getcwd()))
        except GitError as exc:
            raise fail(str(exc))
    return Part(shard, files)


def _shard(opts: CheckOptions, part: Part | None, spec: Spec, settings: Settings) -> dict | None:
    """What a shard's report says for `merge` (cli/merge.py): which shard it
    is, and a key of what makes shards of one run (the spec, the settings,
    the paths as given), which merge requires to be the same in every shard."""
    if part is None or part.shard is None:
        return None
    import hashlib
    import json
    from dataclasses import asdict

    what = {k: v for k, v in asdict(settings).items() if k not in ("cache", "extra")}
    material = json.dumps([spec.digest, what, [str(p) for p in opts.paths], opts.since], sort_keys=True, default=str)
    index, count = part.shard
    return {"part": f"{index}/{count}", "key": hashlib.sha256(material.encode()).hexdigest()[:20],
            "digest": spec.digest}


def _output_key(opts: CheckOptions, part: Part | None = None) -> tuple | None:
    """What the output depends on besides the run, when it may be replayed:
    a file, or a machine format (text on a terminal depends on the terminal).
    A part's output is its own (a shard's, or the files changed since a ref)."""
    if opts.write_baseline is not None or (opts.output is None and opts.format is CheckFormat.text):
        return None
    baseline_digest = None
    if opts.baseline is not None:
        import hashlib

        try:
            with open(opts.baseline, "rb") as fh:
                baseline_digest = hashlib.sha256(fh.read()).hexdigest()
        except OSError:
            baseline_digest = "unreadable"
    return (opts.format.value, os.path.abspath(opts.output) if opts.output is not None else None, opts.exit_zero,
            str(opts.baseline) if opts.baseline is not None else None, baseline_digest,
            part.key if part is not None else None)


def report(result: RunResult, opts: Reported, spec: Spec, settings: Settings,
           shard: dict | None = None, prints=None) -> Output | None:
    """The report stage: the output of the run in the format asked for, or
    None when it was drawn on the terminal (text on standard output).
    `shard`: what a shard's JSON and SARIF say for `merge` (_shard);
    `prints`: SARIF's fingerprints (formats.to_sarif)."""
    from nooble_codemod.output import report as rep
    from nooble_codemod.rules import rule_infos

    # Only SARIF describes each rule; the other reports need only which
    # checklist items the rules cover, which the result cache may know.
    fmt = opts.format
    rules = result.rules if result.rules is not None else rule_infos(settings, spec)
    with collector_paused():  # thousands of dicts and strings that live until written (gcpause.py)
        if fmt is CheckFormat.json:
            text = rep.to_json(result, spec, rules, shard)
        elif fmt is CheckFormat.github:
            from nooble_codemod.output import formats

            text = formats.to_github(result.findings, [(r.path, r.reason) for r in result.by_status(FileStatus.FAILED)],
                                     [(r.path, r.reason) for r in result.by_status(FileStatus.SKIPPED)])
        elif fmt is CheckFormat.sarif:
            text = sarif(result, rules, spec, shard, prints)
        elif fmt is CheckFormat.markdown:
            from nooble_codemod.output.markdown import to_markdown

            text = to_markdown(result, spec, rules)
        else:
            text = None
    if text is None:
        if opts.output is None:
            rep.render_text(stdout_console(), result, spec, rules, show_diffs=False)
            return None
        text = rep.text_without_style(result, spec, rules, False)
    # Machine formats keep stdout parseable; what stopped the run still gets said.
    problems = tuple(f"error: {line}" for line in
                     result.errors + [f"{r.path}: {r.reason}" for r in result.by_status(FileStatus.FAILED)])
    return Output(text, problems, exit_code(result, opts))


def sarif(result: RunResult, rules: tuple[RuleInfo, ...], spec: Spec, shard: dict | None = None,
          prints=None) -> str:
    """SARIF of the run, describing the rules `rules` names (`prints`: see formats.to_sarif)."""
    from nooble_codemod.output import formats
    from nooble_codemod.rules import all_rules

    ids = {r.id for r in rules}
    return formats.to_sarif(result.findings, [r for r in all_rules() if r.id in ids], spec, result.errors,
                            [(r.path, r.reason) for r in result.by_status(FileStatus.FAILED)],
                            properties=shard, prints=prints or formats.fingerprints)


def exit_code(result: RunResult, opts: Reported) -> int:
    return 2 if result.has_errors else 0 if opts.exit_zero or not result.findings else 1


def _baseline(path: Path) -> dict:
    from nooble_codemod.output import baseline as bl

    try:
        return bl.load(path)
    except bl.BaselineError as exc:
        raise fail(str(exc))


def _drop_known(result: RunResult, known) -> None:
    from nooble_codemod.output import baseline as bl

    keep = {id(f) for f in bl.new_findings(result.findings, known)}
    for r in result.files:
        r.findings = [f for f in r.findings if id(f) in keep]


def _write_baseline(path: Path, result: RunResult) -> None:
    from nooble_codemod.output import baseline as bl

    try:
        bl.write(path, result.findings)
    except bl.BaselineError as exc:
        raise fail(str(exc))
    stderr_console().print(f"Wrote a baseline of {len(result.findings)} finding(s) to {path}; "
                           f"`check --baseline {path}` now reports only new ones.")
    raise Exit(2 if result.has_errors else 0)


def emit(output: Output, path: Path | None) -> None:
    if path:
        try:
            path.write_text(output.stdout, encoding="utf-8")
        except OSError as exc:
            raise fail(f"{path}: cannot write: {exc.strerror or exc}")
    else:
        sys.stdout.write(output.stdout)
    if output.stderr:  # rich costs its import: only when there is something to say
        console = stderr_console()
        for line in output.stderr:
            console.print(line, markup=False, soft_wrap=True)  # one line per problem, whatever the width
