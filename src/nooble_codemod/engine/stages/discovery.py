"""Stage 1, discover: the files under the paths given."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Callable

from nooble_codemod.engine.cache import FOLDER, store
from nooble_codemod.engine.gcpause import collector_paused
from nooble_codemod.fs.discovery import Discovered, discover as walk
from nooble_codemod.fs.ignore_memo import IgnoreMemo

if TYPE_CHECKING:
    from nooble_codemod.engine.request import RunRequest

# pathspec's answers for the walk (fs/ignore_memo.py), beside the result cache.
IGNORE_MEMO = "gitignore-1.json"


def discover(request: RunRequest, on_files: Callable[[list[str], dict], None] | None = None) -> Discovered:
    """`on_files(new paths, stamps)`: called with the files of each folder as
    the walk reads it (engine/dispatch.py hands them to workers)."""
    settings = request.settings
    folder = os.path.join(request.cwd, FOLDER)
    memo = IgnoreMemo(os.path.join(folder, IGNORE_MEMO)) if settings.cache else None
    # What the walk builds lives to the end of the run (gcpause.py).
    with collector_paused():
        found = walk(list(request.paths), settings.include, settings.exclude, on_files=on_files, ignore_memo=memo)
        if memo is not None:
            memo.save(lambda path, text: store(folder, path, text))
    return found
