"""`nooble-codemod rules` and `nooble-codemod explain`: what the rules and the
checklist items are, for a person reading them.

Typer-free (see common.py): cli/app.py reads the options this module
declares (RulesOptions, ExplainOptions). The spec is loaded as the other
commands load it ([tool.nooble-codemod] spec, or --spec).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from nooble_codemod.cli import options as o
from nooble_codemod.cli.common import configuration, fail, load_spec, stdout_console

if TYPE_CHECKING:
    from nooble_codemod.spec.loader import Spec


@dataclass(frozen=True)
class RulesOptions:
    """`rules`' option table (cli/options.py)."""

    spec_file: Path | None = o.spec_file()


@dataclass(frozen=True)
class ExplainOptions:
    """`explain`'s option table (cli/options.py)."""

    id: str = o.argument("A rule id (see `rules`) or a checklist id such as FE-1.")
    spec_file: Path | None = o.spec_file()


def run_rules(opts: RulesOptions) -> None:
    """List the rules with the checklist items they cover."""
    _, cfg = configuration()
    list_rules(load_spec(opts.spec_file, cfg))


def run_explain(opts: ExplainOptions) -> None:
    """Print a rule's documentation, or a checklist item with the guide's advice."""
    _, cfg = configuration()
    explain(opts.id, load_spec(opts.spec_file, cfg))


# A finding the engine itself reports (engine/pipeline.py; todo-marker's is in engine/todos.py).
_UNUSED_SUPPRESSION_DOC = (
    "(engine; warning) — a `nooble-codemod: ignore[…]` comment that suppresses nothing on its line or the "
    "line below. Remove it: it would hide a real finding later. Not reported when --select/--ignore narrow "
    "the rules.")


def list_rules(spec: Spec) -> None:
    """A table of every rule with the checklist items it covers under `spec`."""
    from rich.markup import escape
    from rich.table import Table

    from nooble_codemod.rules import all_rules

    console = stdout_console()
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


def explain(wanted: str, spec: Spec) -> None:
    """A rule's documentation, or a checklist item with the guide's advice;
    ids are matched whatever their case."""
    from rich.markdown import Markdown
    from rich.markup import escape

    from nooble_codemod.engine.pipeline import UNUSED_SUPPRESSION
    from nooble_codemod.rules import all_rules

    console = stdout_console()
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
    from nooble_codemod.engine import todos

    engine = {UNUSED_SUPPRESSION: _UNUSED_SUPPRESSION_DOC, todos.RULE: todos.DOC}
    for rid, doc in engine.items():
        if key == rid.lower():
            console.print(f"[bold]{rid}[/] {escape(doc)}")
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
