"""`nooble-codemod apply`: migrate files in place, or preview the migration.

Typer-free (see common.py): cli/app.py and cli/launcher.py both read the
options this module declares (ApplyOptions) and call run_apply. The run is
the engine's; the report, the last stage, is this module's.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from nooble_codemod.cli import options as o
from nooble_codemod.cli.common import (Exit, check_paths, configuration, fail, run_with_progress, setup, stderr_console,
                                       stdout_console)
from nooble_codemod.cli.options import ApplyFormat
from nooble_codemod.engine.request import RunRequest
from nooble_codemod.model import FileStatus, RunMode

if TYPE_CHECKING:
    from nooble_codemod.model import RunResult
    from nooble_codemod.spec.loader import Spec


@dataclass(frozen=True)
class ApplyOptions:
    """`apply`'s option table (cli/options.py)."""

    paths: tuple[Path, ...] = o.paths()
    dry_run: bool = o.option("--dry-run", default=False, help="Show diffs and the checklist report; write nothing.")
    diff: bool = o.option("--diff", default=False, help="Print a plain unified diff (for git apply) and write nothing.")
    select: tuple[str, ...] = o.select()
    ignore: tuple[str, ...] = o.ignore()
    jobs: int | None = o.jobs()
    backend_strategy: str | None = o.backend_strategy()
    format: ApplyFormat = o.option("--format", default=ApplyFormat.text, help="Report format on standard output.")
    report: Path | None = o.option("--report", help="Also write the report to FILE (.json, .md or text).")
    link_base: str | None = o.option(
        "--link-base", help="Start the Markdown report's links to files with URL (e.g. a repository's "
                            "https://github.com/ORG/REPO/blob/BRANCH/), or with `auto`: the branch's page on the "
                            "origin remote's GitHub; default: relative to the repository's root.")
    allow_dirty: bool = o.option("--allow-dirty", default=False, help="Write even into files with uncommitted changes.")
    unsafe_fixes: bool = o.option("--unsafe-fixes", default=False, help="Also apply fixes marked as needing review.")
    verify: bool = o.option("--verify", default=False,
                            help="Type-check before and after (basedpyright, the project's tsc); drop the edits "
                                 "that bring new errors and report them for a human.")
    todo_comments: bool = o.option("--todo-comments", default=False,
                                   help="Put a to-do comment naming the checklist id and its advice above each "
                                        "site that needs a human.")
    spec_file: Path | None = o.spec_file()
    include: tuple[str, ...] = o.include()
    exclude: tuple[str, ...] = o.exclude()
    file_timeout: float | None = o.file_timeout()
    max_file_size: float | None = o.max_file_size()
    no_cache: bool = o.no_cache()
    interactive: bool = o.option("--interactive", "-i", default=False,
                                 help="Review the edits by checklist item in the terminal (accept, file by file, "
                                      "hunk by hunk, skip) before anything is written.")


def run_apply(opts: ApplyOptions) -> None:
    """Migrate files in place (atomically), or preview with --dry-run / --diff."""
    from nooble_codemod.rules import rule_infos

    check_paths(opts.paths)
    spec, settings = setup(opts, unsafe_fixes=opts.unsafe_fixes)
    mode = RunMode.DRY_RUN if (opts.dry_run or opts.diff) else RunMode.APPLY
    config = configuration(opts.paths)[1]
    verify = opts.verify or bool(config.get("verify", False))
    todo_comments = opts.todo_comments or bool(config.get("todo-comments", False))
    review = _review(opts, spec) if opts.interactive else None
    request = RunRequest(opts.paths, spec, settings, mode, jobs=opts.jobs, allow_dirty=opts.allow_dirty,
                         verify=verify, review=review, todo_comments=todo_comments)
    try:
        # No progress bar under a review: it would draw over the dialog.
        result = run_with_progress(request, quiet=opts.diff or review is not None)
    except KeyboardInterrupt as exc:
        from nooble_codemod.engine.stages.writing import WriteInterrupted

        if isinstance(exc, WriteInterrupted):
            stderr_console().print(
                f"interrupted while writing: {exc.written} of {exc.total} file(s) were migrated, the others are "
                "unchanged (each file is whole, old or new); run the same apply again to finish", soft_wrap=True)
        else:
            stderr_console().print("interrupted: nothing was written", soft_wrap=True)
        raise Exit(130) from None
    # The reports need only which checklist items the rules cover (model.RuleInfo).
    rules = result.rules if result.rules is not None else rule_infos(settings, spec)
    report(result, opts, spec, rules)
    raise Exit(2 if result.has_errors else 1 if result.findings else 0)


def _review(opts: ApplyOptions, spec: Spec):
    """The review hook for --interactive; refused when no one can answer it."""
    from nooble_codemod.cli.review import Review

    if not sys.stdin.isatty():
        raise fail("--interactive asks at the terminal, and standard input is not one; run it in a terminal, "
                   "or without --interactive (--dry-run shows every edit)")
    console = stderr_console()
    console.print("[dim]reading the files; the review starts when every edit is known…[/]")
    return Review(spec, console)


def report(result: RunResult, opts: ApplyOptions, spec: Spec, rules) -> None:
    """The report stage: the diffs or the report on standard output (and in
    the --report file)."""
    from nooble_codemod.output import report as rep
    from nooble_codemod.output.diffs import file_diff

    show_diffs = result.mode == RunMode.DRY_RUN
    if opts.diff:
        from nooble_codemod.fs.gitstate import folder_in_repository

        # Paths from the repository's root, as `git diff` prints them: `git apply` reads them so from any folder.
        root = folder_in_repository(Path.cwd())
        out = sys.stdout
        for r in result.by_status(FileStatus.CHANGED):
            out.write(file_diff(r, root))
        out.flush()
        err = stderr_console()
        rep._render_problems(err, result)
        s = rep.summary(result)
        todos = f", {s['todo_comments']} to-do comment(s)" if "todo_comments" in s else ""
        err.print(f"{s['files_changed']} file(s) would change ({s['edits']} edits{todos}); "
                  f"{s['manual']} site(s) need a human (see `nooble-codemod apply --dry-run`).", soft_wrap=True)
    elif opts.format is ApplyFormat.json:
        doc = rep.to_json(result, spec, rules)
        sys.stdout.write(_with_diffs(doc, result))
    elif opts.format is ApplyFormat.markdown:
        sys.stdout.write(_markdown(result, spec, rules, opts.link_base))
    else:
        rep.render_text(stdout_console(), result, spec, rules, show_diffs=show_diffs)

    if opts.report:
        _write_report(opts.report, result, spec, rules, show_diffs=show_diffs, link_base=opts.link_base)


def _with_diffs(doc: str, result: RunResult) -> str:
    import json

    from nooble_codemod.jsontext import pretty
    from nooble_codemod.output.diffs import file_diff

    data = json.loads(doc)
    changed = {r.path: r for r in result.by_status(FileStatus.CHANGED)}
    for entry in data.get("files", []):
        r = changed.get(entry["path"])
        if r is not None:
            entry["diff"] = file_diff(r)
    return pretty(data)


def _markdown(result: RunResult, spec: Spec, rules, link_base: str | None) -> str:
    """The pull request's description, its links to files from the repository's root: after --link-base
    (`auto`: the branch's page on the `origin` remote's web host), else relative."""
    from nooble_codemod.fs.gitstate import blob_base, folder_in_repository
    from nooble_codemod.output import markdown

    if link_base == "auto":
        link_base = blob_base(str(Path.cwd()))
        if not link_base:
            stderr_console().print("--link-base auto: the origin remote is not on GitHub (or there is none); "
                                   "the report's links are relative to the repository's root", soft_wrap=True)
    base = link_base + "/" if link_base and not link_base.endswith("/") else link_base or ""
    return markdown.to_markdown(result, spec, rules, markdown.links(folder_in_repository(Path.cwd()), base))


def _write_report(path: Path, result: RunResult, spec: Spec, rules, show_diffs: bool, link_base: str | None) -> None:
    from nooble_codemod.output import report as rep

    suffix = path.suffix.lower()
    if suffix == ".json":
        text = rep.to_json(result, spec, rules)
    elif suffix in (".md", ".markdown"):
        text = _markdown(result, spec, rules, link_base)
    else:
        text = rep.text_without_style(result, spec, rules, show_diffs)
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise fail(f"{path}: cannot write the report: {exc.strerror or exc}")
