"""`apply`: migrate files in place, or preview the migration.

The options are cli.apply's (their help, defaults and checks are declared
there); launcher.py gives the same values for the command lines it reads.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import List, Optional

from nooble_codemod.cli.common import (ApplyFormat, Exit, Strategy, check_paths, fail, run_with_progress, setup,
                                     stderr_console, stdout_console)


def run_apply(paths: List[Path], dry_run: bool, diff: bool, select, ignore, jobs: Optional[int],
              backend_strategy: Optional[Strategy], format: ApplyFormat, report: Optional[Path], allow_dirty: bool,
              unsafe_fixes: bool, spec_file: Optional[Path], include, exclude, file_timeout: Optional[float],
              no_cache: bool) -> None:
    """Migrate files in place (atomically), or preview with --dry-run / --diff."""
    from nooble_codemod.output import report as rep
    from nooble_codemod.engine.request import RunRequest
    from nooble_codemod.model import FileStatus, RunMode
    from nooble_codemod.output.diffs import file_diff
    from nooble_codemod.rules import select_rules

    check_paths(paths)
    spec, settings = setup(paths, spec_file, select, ignore, backend_strategy, include, exclude, unsafe_fixes,
                           file_timeout, no_cache)
    mode = RunMode.DRY_RUN if (dry_run or diff) else RunMode.APPLY
    request = RunRequest(paths, spec, settings, mode, jobs=jobs, allow_dirty=allow_dirty)
    result = run_with_progress(request, quiet=diff)
    # The reports need only which checklist items the rules cover (model.RuleInfo).
    rules = result.rules if result.rules is not None else select_rules(settings)

    if diff:
        out = sys.stdout
        for r in result.by_status(FileStatus.CHANGED):
            out.write(file_diff(r))
        out.flush()
        err = stderr_console()
        rep._render_problems(err, result)
        s = rep.summary(result)
        err.print(f"{s['files_changed']} file(s) would change ({s['edits']} edits); "
                  f"{s['manual']} site(s) need a human (see `nooble-codemod apply --dry-run`).")
    elif format is ApplyFormat.json:
        doc = rep.to_json(result, spec, rules)
        sys.stdout.write(_with_diffs(doc, result))
    elif format is ApplyFormat.markdown:
        sys.stdout.write(rep.to_markdown(result, spec, rules))
    else:
        rep.render_text(stdout_console(), result, spec, rules, show_diffs=mode is RunMode.DRY_RUN)

    if report:
        _write_report(report, result, spec, rules, show_diffs=mode is RunMode.DRY_RUN)
    raise Exit(2 if result.has_errors else 1 if result.findings else 0)


def _with_diffs(doc: str, result) -> str:
    import json

    from nooble_codemod.output.diffs import file_diff
    from nooble_codemod.model import FileStatus

    data = json.loads(doc)
    changed = {r.path: r for r in result.by_status(FileStatus.CHANGED)}
    for entry in data.get("files", []):
        r = changed.get(entry["path"])
        if r is not None:
            entry["diff"] = file_diff(r)
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _write_report(path: Path, result, spec, rules, show_diffs: bool) -> None:
    from nooble_codemod.output import report as rep

    suffix = path.suffix.lower()
    if suffix == ".json":
        text = rep.to_json(result, spec, rules)
    elif suffix in (".md", ".markdown"):
        text = rep.to_markdown(result, spec, rules)
    else:
        text = rep.text_without_style(result, spec, rules, show_diffs)
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise fail(f"{path}: cannot write the report: {exc.strerror or exc}")
