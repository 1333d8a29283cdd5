"""`apply --interactive`: the person at the terminal reviews the edits by
checklist item (DB-1, then DB-3, …) before anything is written.

The engine calls a Review once the edits are known and verified
(RunRequest.review, engine/stages/review.py); it answers which edit groups
to drop. Each group — a rename with every use, a new file — is accepted or
skipped whole, the first time it is shown, whichever item, file or hunk it is
shown under; later it is shown as decided. A diff is shown once, where it
is decided: an item lists its files and shows its diffs on `d`, file by
file or hunk by hunk shows each as it asks. The dialog goes to standard error,
so standard output stays the report (or the patch, with --diff).
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Callable

from nooble_codemod.cli.review_items import Hunk, Item, Plan
from nooble_codemod.model import SKIPPED_BY_USER

if TYPE_CHECKING:
    from nooble_codemod.model import RunResult
    from nooble_codemod.spec.loader import Spec

ITEM_KEYS = {"a": "accept the item", "d": "show its diffs", "f": "file by file", "h": "hunk by hunk",
             "s": "skip the item", "q": "quit (skip the rest)"}
FILE_KEYS = {"a": "accept this file", "s": "skip this file", "q": "quit (skip the rest)"}
HUNK_KEYS = {"a": "accept this hunk", "s": "skip this hunk", "q": "quit (skip the rest)"}


def read_key() -> str:
    """One key press from the terminal, without Enter. Ctrl-C stays an
    interrupt (nothing is written); Ctrl-D is one too."""
    try:
        import termios
        import tty
    except ImportError:  # Windows
        import msvcrt

        key = msvcrt.getwch()
    else:
        fd = sys.stdin.fileno()
        saved = termios.tcgetattr(fd)
        try:
            tty.setcbreak(fd)
            key = os.read(fd, 8).decode("utf-8", "replace")
        finally:
            termios.tcsetattr(fd, termios.TCSADRAIN, saved)
    if key in ("", "\x03", "\x04"):
        raise KeyboardInterrupt
    return key[:1].lower()


class _Quit(Exception):
    pass


class Review:
    """The hook: called with the run's result, returns {group: why} for the groups to drop."""

    def __init__(self, spec: Spec, console, key: Callable[[], str] = read_key) -> None:
        self.spec, self.console, self.key = spec, console, key
        self.decided: dict[str, bool] = {}

    def __call__(self, result: RunResult) -> dict[str, str]:
        plan = self.plan = Plan.of(result, self.spec)
        groups = set(plan.group_files)
        if not groups:
            self.console.print("Nothing to review: the run has no edits.")
            return {}
        edits = sum(sum(it.edits.values()) for it in plan.items)
        self.console.print(
            f"[bold]Review[/]: {edits} edits in {len(plan.files)} files, {len(groups)} edit groups, under "
            f"{len(plan.items)} checklist items. An edit group (a rename with all its uses, a new file) is "
            "accepted or skipped whole; nothing is written before the review ends.", soft_wrap=True)
        try:
            for n, item in enumerate(plan.items, 1):
                self._item(item, n)
        except _Quit:
            left = len(groups - set(self.decided))
            self.console.print(f"[magenta]quit[/]: the {left} edit group(s) not decided yet are skipped.")
        skipped = sorted(g for g in groups if not self.decided.get(g))
        self.console.print(f"[bold]Review done[/]: {len(groups) - len(skipped)} edit group(s) accepted, "
                           f"{len(skipped)} skipped (reported as \"{SKIPPED_BY_USER}\").", soft_wrap=True)
        return {g: SKIPPED_BY_USER for g in skipped}

    # -- the three levels -----------------------------------------------------------
    def _item(self, item: Item, n: int) -> None:
        from rich.markup import escape

        c, plan = self.console, self.plan
        c.rule(f"[bold]{item.id}[/] ({n}/{len(plan.items)}) {escape(item.text)}", align="left")
        shared = sum(1 for g in item.groups if len(plan.group_files[g]) > 1)
        c.print(f"{_count(sum(item.edits.values()), 'edit')} in {_count(len(item.edits), 'file')}, "
                f"{_count(len(item.groups), 'edit group')}"
                + (f" ({shared} with edits in several files)" if shared else ""), soft_wrap=True)
        if item.advice:
            c.print(f"[dim]advice: {escape(item.advice)}[/]", soft_wrap=True)
        for path, k in sorted(item.edits.items()):
            c.print(f"  {escape(path)}  {_count(k, 'edit')}", soft_wrap=True)
        if not self._open(item.groups):
            c.print(f"Every edit group of {item.id} was decided under an earlier item: {self._tally(item.groups)}.")
            return
        choice = self._ask(ITEM_KEYS, item.id)
        if choice == "d":
            for path in sorted(item.edits):
                self._file(item, path)
            choice = self._ask({k: v for k, v in ITEM_KEYS.items() if k != "d"}, item.id)
        if choice in ("a", "s"):
            self._decide(self._open(item.groups), choice == "a", f"item {item.id}", item)
        elif choice == "f":
            for path in sorted(item.edits):
                self._by_file(item, path)
        else:
            for path in sorted(item.edits):
                for h in plan.hunks(item, path):
                    self._by_hunk(item, h)

    def _by_file(self, item: Item, path: str) -> None:
        here = [g for g in item.groups if path in self.plan.group_files[g]]
        open_ = self._open(here)
        self._file(item, path)
        if not open_:
            self.console.print(f"  every {item.id} edit group here was decided already: {self._tally(here)}")
            return
        choice = self._ask(FILE_KEYS, f"{item.id} {path}")
        self._decide(open_, choice == "a", path, item)

    def _by_hunk(self, item: Item, h: Hunk) -> None:
        from rich.markup import escape

        self.console.print(f"[bold]{escape(h.path)}[/]")
        self._hunk(item, h)
        open_ = self._open(h.groups)
        if not open_ & item.groups:  # decided already (said under the hunk); what is left is later items'
            return
        choice = self._ask(HUNK_KEYS, f"{item.id} {h.path}:{h.first}")
        if choice == "a":
            # What belongs to a later item is decided under it.
            self._decide(open_ & item.groups, True, "this hunk", item)
        else:
            # The hunk cannot be written in part: every group with an edit in it goes, whole.
            if open_ - item.groups or self.plan.elsewhere(open_, h.path):
                self.console.print("  skipping this hunk skips every edit group with an edit in it, everywhere:")
            self._decide(open_, False, "this hunk", item)

    # -- showing ------------------------------------------------------------------
    def _file(self, item: Item, path: str) -> None:
        from rich.markup import escape
        from rich.syntax import Syntax

        c = self.console
        c.rule(f"{escape(path)} — {item.id}: {_count(item.edits[path], 'edit')}", align="left", style="dim")
        c.print(Syntax(self.plan.files[path].header.rstrip("\n"), "diff", theme="ansi_dark",
                       background_color="default", word_wrap=True))
        for h in self.plan.hunks(item, path):
            self._hunk(item, h)

    def _hunk(self, item: Item, h: Hunk) -> None:
        from rich.markup import escape
        from rich.syntax import Syntax

        c = self.console
        c.print(Syntax(h.text.rstrip("\n"), "diff", theme="ansi_dark", background_color="default", word_wrap=True))
        others = sorted({self.plan.home[g] for g in h.groups} - {item.id})
        if others:
            c.print(f"  [dim]this hunk also holds edits of {', '.join(others)}[/]")
        done = [g for g in h.groups & item.groups if g in self.decided]
        if done:
            c.print(f"  [dim]{item.id}'s edit groups here decided already: {self._tally(done)}[/]", soft_wrap=True)

    # -- deciding -----------------------------------------------------------------
    def _open(self, groups) -> set[str]:
        return {g for g in groups if g not in self.decided}

    def _tally(self, groups) -> str:
        yes = sum(1 for g in groups if self.decided.get(g))
        no = sum(1 for g in groups if self.decided.get(g) is False)
        return f"{yes} accepted, {no} skipped"

    def _decide(self, groups: set[str], accept: bool, what: str, item: Item) -> None:
        """Decide `groups`, naming those the decision reaches beyond what was
        shown: edits in other files, or of another item."""
        from rich.markup import escape

        verb = "[green]accepted[/]" if accept else "[magenta]skipped[/]"
        for g in sorted(groups):
            self.decided[g] = accept
        self.console.print(f"{verb} {escape(what)}: {_count(len(groups), 'edit group')}", soft_wrap=True)
        for g in sorted(groups):
            home, files = self.plan.home[g], sorted(self.plan.group_files[g])
            if len(files) > 1 or home != item.id:
                self.console.print(f"    {escape(self.plan.labels[g])} [dim]({home}; edits {', '.join(files)})[/]",
                                   soft_wrap=True)

    def _ask(self, keys: dict[str, str], where: str) -> str:
        from rich.markup import escape

        legend = "  ".join(f"[bold cyan]{k}[/] {v}" for k, v in keys.items())
        while True:
            self.console.print(f"{legend}\n[bold]{escape(where)}[/] \\[{','.join(keys)}]? ", end="")
            key = self.key()
            if key in keys:
                self.console.print(f"{key} [dim]— {keys[key]}[/]")
                if key == "q":
                    raise _Quit
                return key
            self.console.print(f"{escape(repr(key))}: not one of the keys shown")


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"
