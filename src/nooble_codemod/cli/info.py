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


def list_rules(spec: Spec) -> None:
    from rich.table import Table

    from nooble_codemod.rules import all_rules

    table = Table(title="nooble-codemod rules", title_justify="left")
    for col in ("Rule", "Language", "Checklist", "Fix", "Summary"):
        table.add_column(col)
    for r in all_rules():
        table.add_row(r.id, r.language, ", ".join(r.checklist), r.fix_safety, r.summary)
    stdout_console().print(table)


def explain(id: str, spec: Spec) -> None:
    from rich.markdown import Markdown

    from nooble_codemod.engine.pipeline import UNUSED_SUPPRESSION
    from nooble_codemod.rules import all_rules

    out = stdout_console()
    rules = {r.id: r for r in all_rules()}
    if id in rules:
        r = rules[id]
        out.print(f"[bold]{r.id}[/] ({r.language}; fix: {r.fix_safety}) — {r.summary}")
        out.print(Markdown(r.doc.strip()))
        for cid in r.checklist:
            it = spec.checklist.get(cid)
            if it:
                out.print(f"\n[bold]{cid}[/] {it.text} (guide {it.guide})\n  advice: {it.advice}")
        return
    if id == UNUSED_SUPPRESSION:
        out.print(f"[bold]{UNUSED_SUPPRESSION}[/] (engine; warning) — a `nooble-codemod: ignore[…]` comment that "
                  "suppresses nothing on its line or the line below. Remove it: it would hide a real finding later. "
                  "Not reported when --select/--ignore narrow the rules.")
        return
    key = id.upper()
    if key in spec.checklist:
        it = spec.checklist[key]
        out.print(f"[bold]{it.id}[/] ({it.area}) {it.text}")
        out.print(f"guide: {it.guide}")
        out.print(f"advice: {it.advice}")
        covering = [r.id for r in all_rules() if key in r.checklist]
        out.print(f"rules: {', '.join(covering) if covering else 'none yet: this version does not check this item'}")
        return
    raise fail(f"unknown id {id!r}: give a rule id (`nooble-codemod rules`) or a checklist id ({', '.join(list(spec.checklist)[:3])}, …)")
