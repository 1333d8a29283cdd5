"""What the reports need to know of a rule, without importing the rules.

Importing the rules means importing LibCST and the TypeScript grammar, which
takes longer than a whole warm `check` should. The JSON, Markdown and text
reports only ask which checklist items the selected rules cover, so the
result cache keeps that (keyed, like its entries, on the tool version and
the settings that select rules) and a run that reads no file can report from it.
"""

from __future__ import annotations

from typing import NamedTuple


class RuleInfo(NamedTuple):
    id: str
    checklist: tuple[str, ...]

    @classmethod
    def of(cls, rule) -> "RuleInfo":
        return cls(rule.id, tuple(rule.checklist))

    @staticmethod
    def to_json(rules: tuple["RuleInfo", ...]) -> list:
        return [[r.id, list(r.checklist)] for r in rules]

    @classmethod
    def from_json(cls, data) -> tuple["RuleInfo", ...] | None:
        """None unless `data` is a list of [id, [checklist ids]] as to_json writes."""
        if not isinstance(data, list):
            return None
        out = []
        for item in data:
            if (not isinstance(item, list) or len(item) != 2 or not isinstance(item[0], str)
                    or not isinstance(item[1], list) or not all(isinstance(c, str) for c in item[1])):
                return None
            out.append(cls(item[0], tuple(item[1])))
        return tuple(out)
