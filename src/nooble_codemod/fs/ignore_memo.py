"""pathspec's answers kept between runs, so that a warm run need not import it.

A speed shortcut: importing pathspec was 6-7% of a warm `check` of the
bench tree (docs/performance.md). Per .gitignore text, the memo keeps its
screen and the verdicts of the paths the screen found; a run that meets
only known texts and known paths never imports pathspec.
"""

from __future__ import annotations

import hashlib
import json
import os
import re

from nooble_codemod.fs.ignores import ScreenedSpec

MAX_REMEMBERED = 4096  # verdicts per .gitignore text


class IgnoreMemo:
    """pathspec's answers kept between runs (in the result cache's folder),
    under the installed pathspec: a new one (another version, reinstalled)
    starts afresh. The texts a run did not meet drop out when it saves;
    their verdicts stay, up to MAX_REMEMBERED per text. Anything not of the
    expected shape counts as nothing remembered. (It is trusted as the
    result cache is: both could hide a file from a run, and both live in a
    folder git ignores.)"""

    def __init__(self, path: str) -> None:
        self.path, self.dirty = path, False
        self.stamp: list | None = None
        self._texts: dict | None = None  # read when the walk meets its first .gitignore
        self._specs: dict[str, ScreenedSpec] = {}

    def _load(self) -> dict:
        self.stamp, self._texts = _pathspec_stamp(), {}
        try:
            with open(self.path, encoding="utf-8") as fh:
                doc = json.load(fh)
            if isinstance(doc, dict) and doc.get("pathspec") == self.stamp and isinstance(doc.get("texts"), dict):
                self._texts = doc["texts"]
        except (OSError, ValueError):
            pass
        return self._texts

    def spec(self, lines: list[str]) -> ScreenedSpec:
        key = hashlib.sha256("\n".join(lines).encode("utf-8", "surrogatepass")).hexdigest()
        got = self._specs.get(key)
        if got is not None:
            return got
        entry = (self._texts if self._texts is not None else self._load()).get(key)
        spec = None
        if (isinstance(entry, list) and len(entry) == 2 and isinstance(entry[1], dict)
                and (entry[0] is None or isinstance(entry[0], str))
                and all(v is None or type(v) is bool for v in entry[1].values())):
            try:
                spec = ScreenedSpec(None, lines, entry[0], entry[1], self) if entry[0] is not None else None
            except re.error:
                spec = None
        if spec is None:
            import pathspec

            spec = ScreenedSpec(pathspec.GitIgnoreSpec.from_lines(lines), lines, known={}, memo=self)
            self.dirty = True
        self._specs[key] = spec
        return spec

    def save(self, store) -> None:
        """Write the memo through `store(path, text)` when this run asked
        pathspec anything new (or met a new text)."""
        if not self.dirty or self.stamp is None:
            return
        texts = {}
        for key, s in self._specs.items():
            if s._used is not None:
                # What earlier runs asked stays (a run over a sub-folder asks
                # less), unless that grew large.
                merged = {**s._known, **s._used}
                texts[key] = [s.screen, merged if len(merged) <= MAX_REMEMBERED else s._used]
        store(self.path, json.dumps({"pathspec": self.stamp, "texts": texts}, separators=(",", ":")))
        self.dirty = False


def _pathspec_stamp() -> list | None:
    """Which pathspec is installed, without importing it: its package's path
    and the (mtime, size) of its __init__.py and of its folder (an upgrade
    or reinstall writes both)."""
    import importlib.util

    try:
        found = importlib.util.find_spec("pathspec")
        origin = found.origin if found is not None else None
        if not origin:
            return None
        a, b = os.stat(origin), os.stat(os.path.dirname(origin))
    except (ImportError, ValueError, OSError):
        return None
    return [origin, a.st_mtime_ns, a.st_size, b.st_mtime_ns]


