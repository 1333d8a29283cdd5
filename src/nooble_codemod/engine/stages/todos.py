"""The todos stage: with `apply --todo-comments`, a to-do comment above each
site left for a human (engine/todos.py), put into the files' text after
every other stage has decided its edits, and written with them."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from nooble_codemod.model import FileResult, FileStatus

if TYPE_CHECKING:
    from nooble_codemod.engine.stages.execution import Outcome
    from nooble_codemod.engine.todos import Markers


def todos(outcome: Outcome) -> Outcome:
    request, result = outcome.request, outcome.result
    if not (request.todo_comments and request.mode.fixes):
        return outcome
    markers = outcome.pipeline.markers
    left_out: list[str] = []
    inserted: dict[str, list[tuple[int, int]]] = {}
    for r in result.files:
        if r.status in (FileStatus.CHANGED, FileStatus.UNCHANGED) and any(f.fix is None for f in r.findings):
            left_out += _mark(r, markers, request.cwd, inserted)
    if inserted:
        # A message may list an edit group's sites in other files (`a.py:40`):
        # where those lines are now, below the markers put above them.
        from nooble_codemod.engine.references import inserted_map, moved

        maps = {path: inserted_map(lines) for path, lines in inserted.items()}
        for r in result.files:
            r.findings = moved(r.findings, maps)
    result.todos_left_out = sorted(left_out)
    return outcome


def _mark(r: FileResult, markers: Markers, cwd: str, inserted_by_path: dict) -> list[str]:
    """Put the markers into one file's result; what could not be marked.
    `inserted_by_path` gets the lines put in, by path."""
    from nooble_codemod.engine.todos import moved
    from nooble_codemod.fs.source import DecodeError, SourceText
    from nooble_codemod.languages import language_of

    language = language_of(r.path)
    try:
        if r.new is not None:  # this run's text
            raw = r.new
        else:  # the file as it is (its result may come from the cache: it was not read)
            with open(os.path.join(cwd, r.path), "rb") as fh:
                raw = fh.read()
        source = SourceText.decode(raw, python=language == "python")
    except (OSError, DecodeError):
        return []  # gone or changed since it was analysed: nothing to mark
    done = markers.insert(r.path, language, source, r.findings)
    if done is None:
        return []
    text, inserted, marked, left = done
    if inserted:
        try:
            data = source.encode(text)
        except UnicodeEncodeError:
            return [f"{r.path}: the to-do comments cannot be written in the file's encoding ({source.encoding})"]
        findings = moved(r.findings, source, SourceText(text, source.encoding, source.bom), inserted, marked)
        ids = {id(f) for f in left}
        left = [new for old, new in zip(r.findings, findings) if id(old) in ids]  # where they stand now
        r.findings = findings
    why = [f"{f.path}:{f.line} ({f.checklist}): no comment fits above this line or its statement without "
           "changing the code" for f in left]
    if not inserted:
        return why
    inserted_by_path[r.path] = inserted
    r.todos = sum(n for _, n in inserted)
    if r.status is FileStatus.UNCHANGED:
        r.status, r.original, r.original_text = FileStatus.CHANGED, raw, source.text
    r.new, r.new_text = data, text
    return why
