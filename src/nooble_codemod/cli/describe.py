"""`rules` and `explain`: what the rules and the checklist items of a spec are."""

from __future__ import annotations

from nooble_codemod.cli.common import fail
from nooble_codemod.spec.loader import Spec

# The one finding the engine itself reports (engine/pipeline.py).
_UNUSED_SUPPRESSION_DOC = (
    "(engine; warning) — a `nooble-codemod: ignore[…]` comment that suppresses nothing on its line or the "
    "line below. Remove it: it would hide a real finding later. Not reported when --select/--ignore narrow "
    "the rules.")


def print_rules(console, spec: Spec) -> None:
    """A table of every rule with the checklist items it covers under `spec`."""
    from rich.markup import escape
    from rich.table import Table

    from nooble_codemod.rules import all_rules

    table = Table(title=f"nooble-codemod rules ({spec.meta.get('name', spec.path.name)})", title_justify="left")
    for col in ("Rule", "Language", "Checklist", "Fix", "Summary"):
        table.add_column(col, no_wrap=col == "Rule")
    for r in all_rules():
        covered = r.checklist_ids(spec)
        table.add_row(r.id, r.language, ", ".join(covered) or "-", r.fix_safety, escape(r.summary))
    console.print(table)
    strategies = {name: what for name, what in spec.strategies.items() if name}
    if strategies:
        console.print("Back-end strategies (--backend-strategy), the first the default:")
        for name, what in strategies.items():
            console.print(f"  {name}: {what}", markup=False)


def print_explanation(console, spec: Spec, wanted: str) -> None:
    """A rule's documentation, or a checklist item with the guide's advice;
    ids are matched whatever their case."""
    from rich.markdown import Markdown
    from rich.markup import escape

    from nooble_codemod.engine.pipeline import UNUSED_SUPPRESSION
    from nooble_codemod.rules import all_rules

    key = wanted.strip().lower()
    rules = {r.id.lower(): r for r in all_rules()}
    items = {cid.lower(): it for cid, it in spec.checklist.items()}
    if key in rules:
        r = rules[key]
        console.print(f"[bold]{r.id}[/] ({r.language}; fix: {r.fix_safety}) — {escape(r.summary)}")
        console.print(Markdown(r.doc.strip()))
        for cid in r.checklist_ids(spec):
            it = spec.checklist[cid]
            console.print(f"\n[bold]{cid}[/] {it.text} (guide {it.guide})\n  advice: {it.advice}")
        return
    if key == UNUSED_SUPPRESSION.lower():
        console.print(f"[bold]{UNUSED_SUPPRESSION}[/] {_UNUSED_SUPPRESSION_DOC}")
        return
    if key in items:
        it = items[key]
        console.print(f"[bold]{it.id}[/] ({it.area}) {it.text}")
        console.print(f"guide: {spec.guide}, {it.guide}" if it.guide else f"guide: {spec.guide}")
        console.print(f"advice: {it.advice}")
        covering = [r.id for r in all_rules() if it.id in r.checklist_ids(spec)]
        console.print(f"rules: {', '.join(covering) if covering else 'none yet: this version does not check this item'}")
        return
    examples = ", ".join(list(spec.checklist)[:3])
    raise fail(f"unknown id {wanted!r}: give a rule id (`nooble-codemod rules`) or a checklist id ({examples}, …)")
