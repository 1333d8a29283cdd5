"""The references stage: the `path:line` sites the findings' messages list
(an edit group's, from the project model, counted in the files as read),
moved to where those lines are in the text as written (engine/references.py)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from nooble_codemod.engine.references import LineMap
    from nooble_codemod.engine.stages.execution import Outcome
    from nooble_codemod.model import FileResult


def references(outcome: Outcome) -> Outcome:
    if not outcome.request.mode.fixes:
        return outcome
    edited = {r.path: r for r in outcome.result.files
              if r.original_text is not None and r.new_text is not None and r.original_text != r.new_text}
    if not edited:
        return outcome
    from nooble_codemod.engine.references import moved

    maps = _Maps(edited)
    for r in outcome.result.files:
        if r.findings:
            r.findings = moved(r.findings, maps, with_column=False)
    return outcome


class _Maps(Mapping):
    """The edited files' line maps, each made when a message first names its file."""

    def __init__(self, edited: dict[str, FileResult]) -> None:
        self.edited, self.made = edited, {}

    def __getitem__(self, path: str) -> LineMap:
        if path not in self.made:
            from nooble_codemod.engine.references import edited_map

            r = self.edited[path]
            self.made[path] = edited_map(r.original_text, r.new_text)
        return self.made[path]

    def __iter__(self):
        return iter(self.edited)

    def __len__(self) -> int:
        return len(self.edited)
