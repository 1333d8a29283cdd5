"""The run in Markdown: for `apply`, a pull request's description (the
counts, the checklist with each item's status and evidence, the sites for a
human by item with links to their lines, what verification found, the files
changed); for `check`, the same checklist as a CI step summary.

Long lists are folded in <details> so the description stays readable.
"""

from __future__ import annotations

import posixpath
import re
from typing import Callable
from urllib.parse import quote

from nooble_codemod.model import ACKNOWLEDGED, SKIPPED_BY_USER, FileStatus, RuleInfo, RunMode, RunResult
from nooble_codemod.output.report import (ALREADY, DONE, HUMAN, LEFT, NOT_APPLICABLE, UNCHECKED, ItemStatus,
                                          _agreements, _count, _lead, checklist, summary, verification_lines,
                                          without_advice)
from nooble_codemod.spec.loader import Spec

# An item with more sites than this shows them folded; so does the list of files changed.
FOLD = 10
# A site's message is cut at about this many characters: a pull request's
# description holds 65,536 at most, and the text report has each whole.
SITE_TEXT = 280
MARKS = {DONE: "✅", HUMAN: "✋", LEFT: "⚠️", ALREADY: "✔️", NOT_APPLICABLE: "➖", UNCHECKED: "❔",
         SKIPPED_BY_USER: "⏭️"}

# (path as reported, line or 0) -> Markdown for that place.
Place = Callable[[str, int], str]


def links(root: str, base: str = "") -> Place:
    """Places as links: the path from the repository's root (`root`: the
    working folder relative to it, as git's diff paths are), after `base`
    (e.g. a repository's blob URL; "" leaves the link relative), with
    `#Lline` for a line."""
    def place(path: str, line: int) -> str:
        rel = posixpath.normpath(posixpath.join(root, path)) if root else path
        shown = f"{rel}:{line}" if line else rel
        return f"[{escape(shown)}]({base}{quote(rel, safe='/')}{f'#L{line}' if line else ''})"
    return place


def code_places(path: str, line: int) -> str:
    """Places as code, for where relative links lead nowhere (a CI run's summary page)."""
    return f"`{path}:{line}`" if line else f"`{path}`"


def escape(text: str) -> str:
    """Text that Markdown shows as it is: no emphasis from `widget_*`, no
    table cell ended by `|`, no HTML from `<T>`. Code quoted in backticks
    is left as it is (escapes would show there), and so is an underscore
    inside a word (`tenant_id`), which is never emphasis."""
    parts = _CODE.split(text)
    for i in range(0, len(parts), 2):  # the text between code spans
        parts[i] = _INTRAWORD.sub("_", _SPECIAL.sub(r"\\\g<0>", parts[i]))
    return "".join(parts)


_CODE = re.compile(r"(`[^`\n]*`)")
_SPECIAL = re.compile(r"[\\*_\[\]<>|]")
_INTRAWORD = re.compile(r"(?<=[^\W_])\\_(?=[^\W_])")


def to_markdown(result: RunResult, spec: Spec, rules: tuple[RuleInfo, ...], place: Place = code_places) -> str:
    items = checklist(result, spec, rules)
    s = summary(result)
    name = spec.meta.get("name", "")
    if result.mode == RunMode.CHECK:
        lines = [f"## nooble-codemod — {spec.before} references left ({name})", ""]
        lines += _table(["Files scanned", "Findings", "Fixable", "Sites for a human", "Acknowledged", "Failed"],
                        [s["files_scanned"], s["findings"], s["fixable"], s["manual"], s["acknowledged"],
                         s["files_failed"]])
    else:
        preview = result.mode == RunMode.DRY_RUN
        lines = [f"## Migration to {name}{' (preview)' if preview else ''}", ""]
        lines.append(f"Made by nooble-codemod against the checklist of the {escape(spec.guide)}. Lines are those of "
                     "the migrated files" + ("; a dry run: nothing was written." if preview else "."))
        lines.append("")
        changed = s["files_changed"] if preview else s["files_written"]
        heads = ["Files changed", "Edits", "New files", "Sites for a human", "Failed", "Verification"]
        values = [changed, s["edits"], s["files_created"], s["manual"], s["files_failed"], _verified(result)]
        if "todo_comments" in s:  # apply --todo-comments
            heads.insert(3, "To-do comments")
            values.insert(3, s["todo_comments"])
        lines += _table(heads, values)
    lines += ["", "### Checklist", "", "| | ID | Item | Status |", "|---|---|---|---|"]
    for it in items:
        mark = MARKS[HUMAN] if it.manual or it.not_added else MARKS[LEFT] if it.leftover else MARKS[_lead(it)]
        lines.append(f"| {mark} | {it.id} | {escape(it.text)} | {_status(it, result.mode, place)} |")
    pending = [it for it in items if it.manual or it.skipped or it.leftover or it.not_added]
    if pending:
        lines += ["", "### Sites for a human", ""]
        for it in pending:
            lines += _sites(result, it, place)
    if result.verification is not None:
        lines += ["", "### Verification", ""] + _verification(result)
    if result.mode != RunMode.CHECK:
        lines += _files(result, place)
    if s["errors"]:
        lines += ["", "### Errors", ""] + [f"- {escape(e)}" for e in s["errors"]]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).rstrip() + "\n"


def _table(heads: list[str], values: list) -> list[str]:
    return ["| " + " | ".join(heads) + " |", "|" + "---|" * len(heads), "| " + " | ".join(map(str, values)) + " |"]


def _verified(result: RunResult) -> str:
    v = result.verification
    if v is None:
        return "not run"
    if not v.checkers:
        return "no checker ran"
    said = f"{_count(v.dropped, 'edit group')} dropped" if v.dropped else "no new errors"
    return said + (" (and notes)" if v.notes else "")


def _status(it: ItemStatus, mode: str, place: Place) -> str:
    """The item's status, its evidence or anchor a link to the line."""
    text = escape(it.describe(mode))
    for where in (it.evidence, it.anchor):
        if where is not None:
            text = text.replace(escape(f"{where[0]}:{where[1]}"), place(*where), 1)
    return text


def _sites(result: RunResult, it: ItemStatus, place: Place) -> list[str]:
    sites = it.manual + it.skipped + it.leftover
    out = [f"#### {it.id} — {escape(it.text)}", "", f"The guide's advice: {escape(it.advice)}", ""]
    out += [f"- {escape(a)}" for a in _agreements(result, it.id)]
    if it.not_added:
        out.append(f"- not added: {escape(it.looks_for)} at {place(*it.anchor)}")
    if not sites:
        return out + [""]
    listed = [f"- {place(f.path, f.line)} {escape(_cut(without_advice(f.message, it.advice)))}"
              f"{ACKNOWLEDGED * f.acknowledged}" for f in sites]
    if len(sites) > FOLD:
        listed = ["<details><summary>" + _count(len(sites), "site") + "</summary>", ""] + listed + ["", "</details>"]
    elif out[-1] != "":
        out.append("")
    return out + listed + [""]


def _cut(text: str) -> str:
    if len(text) <= SITE_TEXT:
        return text
    return text[:text.rfind(" ", 0, SITE_TEXT)].rstrip(" ,;:") + " …"


def _verification(result: RunResult) -> list[str]:
    v = result.verification
    out = [f"- {escape(line)}" for line in verification_lines(result)]
    out += [f"- {cid}: {escape(a)}" for cid, agreed in sorted(v.agree.items()) for a in agreed]
    if v.reasons:
        out += ["", "Dropped (each under its item above):", ""] + [f"- {escape(r)}" for r in v.reasons]
    return out


def _files(result: RunResult, place: Place) -> list[str]:
    changed = result.by_status(FileStatus.CHANGED)
    if result.mode == RunMode.APPLY:  # what reached the disk
        written = set(result.written)
        changed = [r for r in changed if r.path in written]
    if not changed:
        return []
    edits = sum(r.edit_count for r in changed)
    rows = [f"- {place(r.path, 0)}: {_count(r.edit_count, 'edit')}{' (new file)' if r.created else ''}"
            for r in sorted(changed, key=lambda r: r.path)]
    return (["", "### Files changed", "", f"<details><summary>{_count(len(changed), 'file')}, "
             f"{_count(edits, 'edit')}</summary>", ""] + rows + ["", "</details>"])
