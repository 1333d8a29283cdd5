"""A warm `check` whose every input is as it was prints what it printed then.

The result cache (cache.py) spares reading unchanged files, but a warm run
still rebuilds a result per file from it and renders the report again. When
nothing the report depends on has changed, this module hands back the last
output instead.

What the output depends on, all in the key (a miss only costs the normal
run): the tool version, the spec, the settings after configuration files
(selection, strategy, severities, include/exclude, time limit…), the
command's options (format, output file, --exit-zero, the baseline file's
bytes), the working folder and the paths as given, what discovery found —
every file with its (mtime, size), every file skipped and every error — and,
for the spec's new-file scaffolds, whether each file that would be created
already exists (an ignored one counts too). Files are trusted on (mtime,
size) exactly as the result cache trusts them.

Only for output that is a file or a machine format: text on a terminal
depends on its width and colours (the command says which: RunRequest's
output_key). Not with --no-cache or --write-baseline, and not saved from a
run that met an error (exit code 2: a time limit may not be met twice).
Stored per set of options in the cache folder: a line of JSON (the key,
what went to stderr, the exit code), then the output as it was.

stages/planning.py is the only caller: it looks the output up after the walk,
and hands the Replay on (RunResult.output_memo) for the command to save.
"""

from __future__ import annotations

import fnmatch
import hashlib
import json
import os
import re
from array import array
from dataclasses import asdict
from itertools import chain
from typing import TYPE_CHECKING

from nooble_codemod import __version__
from nooble_codemod.engine.cache import FOLDER, store
from nooble_codemod.model import Output

if TYPE_CHECKING:
    from nooble_codemod.engine.request import RunRequest

FORMAT = 1
KEEP = 16


class Replay:
    def __init__(self, cwd: str, options: list) -> None:
        self.folder = os.path.join(cwd, FOLDER)
        self.options = json.dumps([FORMAT, __version__, cwd, options], default=str, sort_keys=True)
        name = hashlib.sha256(self.options.encode()).hexdigest()[:20]
        self.path = os.path.join(self.folder, f"replay-{name}.json")
        self.key: str | None = None

    @classmethod
    def for_run(cls, request: RunRequest) -> "Replay":
        """The replay of a run's output; request.output_key holds what the
        output depends on besides the run (the command's options)."""
        return cls(request.cwd, [str(request.mode), [str(p) for p in request.paths], request.spec.digest,
                                 asdict(request.settings), list(request.output_key or ())])

    def exists(self) -> bool:
        return os.path.exists(self.path)

    def note(self, found, spec) -> None:
        """Compute the key of a run with these inputs (self.key)."""
        targets = _scaffold_targets(found.paths, spec)
        h = hashlib.sha256(self.options.encode())
        h.update("\0".join(found.paths).encode("utf-8", "surrogateescape"))
        try:  # every (mtime, size) pair as one array of integers, hashed at once
            h.update(array("q", chain.from_iterable(map(found.stamps.__getitem__, found.paths))).tobytes())
        except (KeyError, TypeError, OverflowError):
            h.update(repr([found.stamps.get(p) for p in found.paths]).encode())
        h.update(json.dumps([[str(p), why] for p, why in found.skipped] + [[str(p), why] for p, why in found.errors]
                            + [[t, os.path.lexists(t)] for t in targets]).encode("utf-8", "surrogateescape"))
        self.key = h.hexdigest()

    def stored(self, found, spec) -> Output | None:
        """The output of the last run if its inputs were these (and self.key)."""
        self.note(found, spec)
        try:
            with open(self.path, encoding="utf-8", newline="") as fh:
                head, newline, stdout = fh.read().partition("\n")
            doc = json.loads(head)
        except (OSError, ValueError):
            return None
        if (not newline or not isinstance(doc, dict) or doc.get("key") != self.key
                or not isinstance(doc.get("stderr"), list) or not all(isinstance(x, str) for x in doc["stderr"])
                or type(doc.get("code")) is not int or doc.get("length") != len(stdout)):
            return None
        return Output(stdout, tuple(doc["stderr"]), doc["code"])

    def save(self, output: Output) -> None:
        """Keep `output` under the key of this run's inputs (see stored);
        not an output that reports an error (exit code 2), which may not last."""
        if self.key is None or output.code == 2:
            return
        # One line of JSON, then the output as it is: a report held in a JSON
        # string is slow to decode.
        store(self.folder, self.path, json.dumps({"key": self.key, "stderr": list(output.stderr),
                                                  "code": output.code, "length": len(output.stdout)})
              + "\n" + output.stdout)
        self._prune()

    def _prune(self) -> None:
        """Keep the outputs of the KEEP option sets used last: each set of
        paths (a pre-commit run's files, say) has its own file."""
        try:
            names = [n for n in os.listdir(self.folder) if n.startswith("replay-")]
            if len(names) <= KEEP:
                return
            paths = sorted((os.path.join(self.folder, n) for n in names), key=os.path.getmtime, reverse=True)
            for path in paths[KEEP:]:
                os.unlink(path)
        except OSError:
            pass  # another run pruned first, or a read-only folder: nothing lost


def _scaffold_targets(paths: list[str], spec) -> list[str]:
    """Every file a new-file scaffold of the spec could create beside `paths`
    (absolute), whether it exists or not and whatever rules are selected:
    whether it exists decides what stages/scaffolding.py reports."""
    targets = set()
    for entry in spec.scaffolds:
        if entry.get("kind") != "file":
            continue
        beside, name = re.compile(fnmatch.translate(entry["beside"])).match, entry["name"]
        for p in paths:  # every file of a warm run: no call per path but the match
            cut = p.rfind(os.sep) + 1
            if beside(p, cut) and p[cut:] != name:
                targets.add(p[:cut] + name)
    return sorted(targets)
