"""The stages of a run, in the order engine/run.py calls them:

- discover (discovery.py): the files under the paths given;
- recall, plan (planning.py): what the result cache and the replay of the
  last output already know; the files left to analyse;
- project (projectwide.py): the project model, before the rules run: each
  rename decided for its symbol, as one edit group;
- execute (execution.py): the rules, file by file, in worker processes;
- settle (projectwide.py): a group some of whose sites could not be changed
  is dropped everywhere, its files executed again;
- scaffold (scaffolding.py): the new files the migration adds;
- verify (verification.py): with --verify, type checkers before and after
  the changes, dropping the edit groups that bring new errors;
- review (review.py): the edit groups the command's review hook declines
  (apply --interactive) are dropped, their files executed again;
- references (references.py): the `path:line` sites messages list, moved
  from the text as read to the text as written;
- todos (todos.py): with --todo-comments, a to-do comment above each site
  left for a human;
- evidence (evidence.py): where the checklist items the run found nothing
  of stand, for the report's "already V6" and "not applicable";
- write (writing.py): the migrated files to disk (apply only).

The report is the command's (cli/check.py, cli/apply.py). Each stage is
imported on first use: a run whose output is replayed ends after plan and
never loads the others.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from nooble_codemod.engine.stages.discovery import discover
    from nooble_codemod.engine.stages.evidence import evidence
    from nooble_codemod.engine.stages.execution import execute
    from nooble_codemod.engine.stages.planning import plan, recall
    from nooble_codemod.engine.stages.projectwide import project, settle
    from nooble_codemod.engine.stages.references import references
    from nooble_codemod.engine.stages.review import review
    from nooble_codemod.engine.stages.scaffolding import scaffold
    from nooble_codemod.engine.stages.todos import todos
    from nooble_codemod.engine.stages.verification import verify
    from nooble_codemod.engine.stages.writing import write

_MODULES = {"discover": "discovery", "recall": "planning", "plan": "planning", "project": "projectwide",
            "execute": "execution", "settle": "projectwide", "scaffold": "scaffolding", "verify": "verification",
            "review": "review", "references": "references",
            "todos": "todos", "evidence": "evidence", "write": "writing"}

__all__ = list(_MODULES)


def __getattr__(name: str):
    module = _MODULES.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    stage = getattr(import_module(f"{__name__}.{module}"), name)
    globals()[name] = stage
    return stage
