"""The run, told against the guide's checklist, in text or JSON (Markdown: markdown.py)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from nooble_codemod import __version__
from nooble_codemod.engine.evidence import ANCHOR
from nooble_codemod.jsontext import pretty
from nooble_codemod.model import (ACKNOWLEDGED, SKIPPED_BY_USER, FileStatus, Finding, RuleInfo, RunMode, RunResult,
                                   skipped_by_user)
from nooble_codemod.spec.loader import Spec

DONE, HUMAN, LEFT, UNCHECKED = "done", "needs a human", "left over", "not checked"
# An item with nothing done and nothing found says which, from evidence (engine/evidence.py).
# ALREADY is followed by the spec's word for the code after the migration (ItemStatus.label).
ALREADY, NOT_APPLICABLE = "already", "not applicable"


@dataclass
class ItemStatus:
    id: str
    area: str
    text: str
    advice: str
    covered: bool
    edits: int = 0
    files: set[str] = field(default_factory=set)
    manual: list[Finding] = field(default_factory=list)
    leftover: list[Finding] = field(default_factory=list)
    # Sites whose edits the user skipped (apply --interactive): not in `manual`.
    skipped: list[Finding] = field(default_factory=list)
    looks_for: str = ""
    # Where the item's evidence stands (the first file by path, its line), if anywhere in the run.
    evidence: tuple[str, int] | None = None
    anchor: tuple[str, int] | None = None  # where the code it is about stands
    adds: bool = False  # ChecklistItem.adds
    after: str = ""  # the spec's word for the code after the migration (Spec.after): "already V6"

    def label(self, state: str) -> str:
        """How a state reads in a report: ALREADY with the spec's word."""
        return f"{ALREADY} {self.after}" if state == ALREADY and self.after else state

    @property
    def not_added(self) -> bool:
        """Its code is there without the V6 shape it must add, and nothing added it."""
        return self.covered and self.adds and self.anchor is not None and not self.evidence and not self.edits

    @property
    def states(self) -> list[str]:
        out = []
        if self.edits:
            out.append(DONE)
        if self.manual or self.not_added:
            out.append(HUMAN)
        if self.skipped:
            out.append(SKIPPED_BY_USER)
        if self.leftover:
            out.append(LEFT)
        if not out:
            out.append(UNCHECKED if not self.covered else ALREADY if self.evidence else NOT_APPLICABLE)
        return out

    def describe(self, mode: str) -> str:
        parts = []
        if self.edits:
            verb = "would do" if mode != "apply" else "done"
            if mode == RunMode.CHECK:
                verb = "fixable"
            parts.append(f"{verb}: {self.edits} edit{'s' * (self.edits != 1)} in "
                         f"{len(self.files)} file{'s' * (len(self.files) != 1)}")
        if self.manual:
            acknowledged = sum(f.acknowledged for f in self.manual)
            parts.append(f"needs a human: {len(self.manual)} site{'s' * (len(self.manual) != 1)}"
                         + (f" ({acknowledged} acknowledged)" if acknowledged else ""))
        elif self.not_added:
            parts.append(f"needs a human: not added ({self.looks_for} at {self.anchor[0]}:{self.anchor[1]})")
        if self.skipped:
            parts.append(f"{SKIPPED_BY_USER}: {len(self.skipped)} site{'s' * (len(self.skipped) != 1)}")
        if self.leftover:
            parts.append(f"left over: {len(self.leftover)} site{'s' * (len(self.leftover) != 1)}")
        if not parts:
            if not self.covered:
                parts.append(f"{UNCHECKED} by this version")
            elif self.evidence:
                parts.append(f"{self.label(ALREADY)}: found at {self.evidence[0]}:{self.evidence[1]}")
            else:
                parts.append(f"{NOT_APPLICABLE}: no {self.looks_for or 'code it is about'} in these paths")
        return "; ".join(parts)

    def to_json(self, mode: str) -> dict:
        return {
            "id": self.id, "area": self.area, "text": self.text, "status": [self.label(x) for x in self.states],
            "summary": self.describe(mode), "edits": self.edits, "files": sorted(self.files),
            "manual": [f.to_json() for f in self.manual], "left_over": [f.to_json() for f in self.leftover],
            **({"skipped_by_user": [f.to_json() for f in self.skipped]} if self.skipped else {}),
            "advice": self.advice,
            "evidence": {"path": self.evidence[0], "line": self.evidence[1]} if self.evidence else None,
            "anchor": {"path": self.anchor[0], "line": self.anchor[1]} if self.anchor else None,
        }


def checklist(result: RunResult, spec: Spec, rules: tuple[RuleInfo, ...],
              findings: list[Finding] | None = None) -> list[ItemStatus]:
    """`findings`: result.findings when the caller has it already (it is
    sorted afresh on each use)."""
    findings = result.findings if findings is None else findings
    covered = {cid for r in rules for cid in r.checklist}
    items = {cid: ItemStatus(cid, it.area, it.text, it.advice, cid in covered, looks_for=it.looks_for, adds=it.adds,
                            after=spec.after)
             for cid, it in spec.checklist.items()}
    for cid, (kind, path, line) in result.evidence.items():
        if cid in items:
            setattr(items[cid], "anchor" if kind == ANCHOR else "evidence", (path, line))
    if result.mode == RunMode.CHECK:
        # For check, a fixable finding is what apply would do.
        for f in findings:
            item = items.get(f.checklist)
            if item is None:
                continue
            if f.fixable:
                item.edits += len(f.fix.edits)
                item.files.add(f.path)
            else:
                item.manual.append(f)
        return list(items.values())
    for f in result.fixed:
        item = items.get(f.checklist)
        if item:
            item.edits += len(f.fix.edits)
            item.files.add(f.path)
    for f in findings:
        item = items.get(f.checklist)
        if item:
            (item.leftover if f.fixable else item.skipped if skipped_by_user(f) else item.manual).append(f)
    return list(items.values())


def summary(result: RunResult, findings: list[Finding] | None = None) -> dict:
    findings = result.findings if findings is None else findings
    # One pass over the files: a warm run has one per file of the tree.
    scanned = changed = created = skipped = 0
    failed = []
    for r in result.files:
        status = r.status
        if status is FileStatus.SKIPPED:
            skipped += 1
        elif not r.created:
            scanned += 1
        if status is FileStatus.CHANGED:
            changed += 1
            created += bool(r.created)
        elif status is FileStatus.FAILED:
            failed.append(f"{r.path}: {r.reason}")
    return {
        "files_scanned": scanned,
        "files_changed": changed,
        "files_created": created,
        "files_written": len(result.written),
        "files_skipped": skipped,
        "files_failed": len(failed),
        "edits": sum(len(f.fix.edits) for f in result.fixed if f.fix),
        "findings": len(findings),
        "fixable": sum(1 for f in findings if f.fixable),
        "manual": sum(1 for f in findings if not f.fixable),
        "acknowledged": sum(1 for f in findings if f.acknowledged),
        **({"todo_comments": sum(r.todos for r in result.files), "todo_comments_left_out": result.todos_left_out}
           if result.todos_left_out is not None else {}),
        "errors": result.errors + failed,
    }


# -- JSON ------------------------------------------------------------------------------
def to_json(result: RunResult, spec: Spec, rules: tuple[RuleInfo, ...], shard: dict | None = None) -> str:
    """`shard`: {"part": "K/N", …} for `check --shard`, whose checklist and
    summary are the shard's alone: what `merge` needs to recompute them over
    every shard goes with it (cli/merge.py)."""
    doc: dict = {"tool": "nooble-codemod", "version": __version__, "mode": result.mode,
                 "spec": spec.meta.get("name", str(spec.path))}
    findings = result.findings
    if shard is None:
        doc["findings"] = [f.to_json() for f in findings]
    else:
        doc["shard"] = shard["part"]
        # The run's own errors apart from its failed files' (the summary lists both).
        doc["merge"] = {**{k: v for k, v in shard.items() if k != "part"}, "rules": RuleInfo.to_json(rules),
                        "errors": list(result.errors)}
        # A fingerprint's line text (SARIF) and the item's edit count (the checklist).
        doc["findings"] = [{**f.to_json(), "context": f.context, "edits": len(f.fix.edits) if f.fix else 0}
                           for f in findings]
    if result.mode != RunMode.CHECK:
        doc["fixed"] = [f.to_json() for f in result.fixed]
        doc["files"] = [
            {"path": r.path, "status": r.status.value, "reason": r.reason, "edits": r.edit_count,
             **({"todo_comments": r.todos} if r.todos else {})}
            for r in result.files if r.status is not FileStatus.UNCHANGED or r.findings
        ]
    else:
        doc["files"] = [{"path": r.path, "status": r.status.value, "reason": r.reason}
                        for r in result.files if r.status in (FileStatus.SKIPPED, FileStatus.FAILED)]
    doc["checklist"] = [it.to_json(result.mode) for it in checklist(result, spec, rules, findings)]
    doc["summary"] = summary(result, findings)
    if result.verification is not None:
        doc["verification"] = result.verification.to_json()
    return pretty(doc)


def without_advice(message: str, advice: str) -> str:
    """A finding's message without the item's advice, where the report prints
    that advice once above the sites."""
    if advice and message.endswith(advice):
        return message[:-len(advice)].rstrip(" :.") or message
    return message


# -- Text (rich) ----------------------------------------------------------------------
def render_text(console, result: RunResult, spec: Spec, rules: tuple[RuleInfo, ...], show_diffs: bool) -> None:
    from rich.markup import escape
    from rich.syntax import Syntax
    from rich.table import Table

    from nooble_codemod.output.diffs import file_diff

    if result.mode == RunMode.CHECK:
        _render_check(console, result, spec)
        return
    changed = result.by_status(FileStatus.CHANGED)
    if show_diffs:
        for r in changed:
            diff = file_diff(r)
            console.rule(f"[bold]{escape(r.path)}[/] — {_file_edits(r)}", align="left")
            if console.is_terminal:
                console.print(Syntax(diff, "diff", theme="ansi_dark", background_color="default", word_wrap=True))
            else:  # piped or saved: the diff as it is, never wrapped at the console width
                console.out(diff, highlight=False, end="")
    else:
        if result.mode == RunMode.APPLY:  # what reached the disk, not what would have
            written = set(result.written)
            changed = [r for r in changed if r.path in written]
        verb = "migrated" if result.mode == RunMode.APPLY else "would migrate"
        if changed:
            # One print for all: each print is rich's whole layout pass, which a print per file repeats.
            console.print("\n".join(f"{verb} {escape(r.path)} ({_file_edits(r)})" for r in changed))
    _render_problems(console, result)

    items = checklist(result, spec, rules)
    table = Table(title=f"Checklist — {spec.meta.get('name', '')}", title_justify="left")
    table.add_column("ID", no_wrap=True)
    table.add_column("Item")
    table.add_column("Status")
    styles = {DONE: "green", HUMAN: "yellow", LEFT: "red", ALREADY: "green", NOT_APPLICABLE: "dim", UNCHECKED: "dim",
              SKIPPED_BY_USER: "magenta"}
    for it in items:
        style = styles[HUMAN] if it.manual or it.not_added else styles[LEFT] if it.leftover else styles[_lead(it)]
        table.add_row(it.id, escape(it.text), f"[{style}]{escape(it.describe(result.mode))}[/]")
    console.print(table)

    pending = [it for it in items if it.manual or it.skipped or it.leftover]
    if pending:
        console.print("[bold]Needs a human[/] (the guide's advice under each item):")
        for it in pending:
            console.print(f"[yellow]{it.id}[/] {escape(it.text)}")
            console.print(f"    [dim]advice:[/] {escape(it.advice)}", soft_wrap=True)
            for a in _agreements(result, it.id):
                console.print(f"    [dim]{escape(a)}[/]", soft_wrap=True)
            for f in it.manual + it.skipped + it.leftover:
                console.print(f"    {escape(f.path)}:{f.line}:{f.column}  {escape(without_advice(f.message, it.advice))}"
                              f"{ACKNOWLEDGED * f.acknowledged}", soft_wrap=True)
    for line in verification_lines(result):
        console.print(f"[bold]verify:[/] {escape(line)}", soft_wrap=True)
    s = summary(result)
    verb = "would change" if result.mode == "dry-run" else "changed"
    n_changed = s['files_written'] if result.mode == RunMode.APPLY else s['files_changed']
    by_user = sum(len(it.skipped) for it in items)
    console.print(
        f"{_count(s['files_scanned'], 'file')} scanned; {n_changed} {verb} ({_count(s['edits'], 'edit')}"
        f"{_new_files(s)}{_todos(s)}); "
        f"{s['manual']} sites need a human{_acknowledged(s)}{f' ({by_user} {SKIPPED_BY_USER})' if by_user else ''}; "
        f"{s['files_failed']} failed; {s['files_skipped']} skipped.",
        soft_wrap=True,  # one line a script can grep, whatever the width
    )
    if result.mode == "dry-run" and changed:
        console.print("Dry run: nothing was written.")


def _lead(it: ItemStatus) -> str:
    """The state an item is marked with, after "needs a human" and "left over":
    a part skipped by the user outweighs what was done."""
    return SKIPPED_BY_USER if it.skipped else it.states[0]


def _agreements(result: RunResult, checklist_id: str) -> list[str]:
    """What the type checkers said of an item's sites for a human (apply --verify)."""
    v = result.verification
    return v.agree.get(checklist_id, []) if v is not None else []


def verification_lines(result: RunResult) -> list[str]:
    v = result.verification
    if v is None:
        return []
    checked = ", ".join(v.checkers) if v.checkers else "no checker"
    out = [f"type-checked with {checked}: "
           + (f"{v.dropped} edit group(s) dropped (under \"needs a human\")" if v.dropped else "no new errors")]
    return out + v.notes


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _file_edits(r) -> str:
    if not r.todos:
        return _count(r.edit_count, "edit")
    todos = _count(r.todos, "to-do comment")
    return f"{_count(r.edit_count, 'edit')}, {todos}" if r.edit_count else todos


def _todos(s: dict) -> str:
    """The to-do comments a run put in, when it was asked to (apply --todo-comments)."""
    return f", {_count(s['todo_comments'], 'to-do comment')}" if "todo_comments" in s else ""


def _acknowledged(s: dict) -> str:
    return f" ({s['acknowledged']} acknowledged by to-do comments)" if s["acknowledged"] else ""


def _new_files(s: dict) -> str:
    n = s["files_created"]
    return f", {n} new file{'s' if n != 1 else ''}" if n else ""


def _render_problems(console, result: RunResult) -> None:
    from rich.markup import escape

    # One line each, whatever the width: logs are read and grepped by line.
    for e in result.errors:
        console.print(f"[red]error:[/] {escape(e)}", soft_wrap=True)
    for r in result.files:
        if r.status is FileStatus.FAILED:
            console.print(f"[red]error:[/] {escape(r.path)}: {escape(r.reason)}", soft_wrap=True)
        elif r.status is FileStatus.SKIPPED:
            console.print(f"[yellow]skipped:[/] {escape(r.path)}: {escape(r.reason)}", soft_wrap=True)
    for line in result.todos_left_out or ():
        console.print(f"[yellow]to-do comment left out:[/] {escape(line)}", soft_wrap=True)


def _render_check(console, result: RunResult, spec: Spec) -> None:
    from rich.markup import escape

    findings = result.findings
    for f in findings:
        fix = " [dim](fixable)[/]" if f.fixable else " [dim](acknowledged)[/]" if f.acknowledged else ""
        console.print(f"{escape(f.path)}:{f.line}:{f.column}: [bold]{f.checklist}[/] "
                      f"{escape(f.message)} [dim]\\[{f.rule}][/]{fix}", highlight=False, soft_wrap=True)
    _render_problems(console, result)
    files = len({f.path for f in findings})
    fixable = sum(1 for f in findings if f.fixable)
    acknowledged = sum(1 for f in findings if f.acknowledged)
    if findings:
        console.print(f"Found {len(findings)} {spec.before} reference{'s' * (len(findings) != 1)} in {files} "
                      f"file{'s' * (files != 1)} ({fixable} fixable with `nooble-codemod apply`"
                      + (f"; {acknowledged} acknowledged by to-do comments" if acknowledged else "") + ").")
    elif result.has_errors:
        # Not "none found": the files above were never read through.
        failed = len(result.by_status(FileStatus.FAILED))
        console.print(f"No {spec.before} references found in the files checked; {failed} file(s) could not be "
                      "checked (errors above).")
    else:
        console.print(f"No {spec.before} references found.")


def text_without_style(result: RunResult, spec: Spec, rules: tuple[RuleInfo, ...], show_diffs: bool, width: int = 120) -> str:
    """The text report as plain text (for --report FILE)."""
    import io

    from rich.console import Console

    buf = io.StringIO()
    render_text(Console(file=buf, width=width, no_color=True, force_terminal=False, highlight=False),
                result, spec, rules, show_diffs)
    return buf.getvalue()


def by_checklist(findings: list[Finding]) -> dict[str, int]:
    out: dict[str, int] = defaultdict(int)
    for f in findings:
        out[f.checklist] += 1
    return dict(sorted(out.items()))
