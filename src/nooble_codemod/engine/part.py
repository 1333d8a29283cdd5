"""The part of the discovered files a `check` executes and reports:
a shard (`--shard K/N`) or the files changed since a git ref (`--since`).

Only what is executed and reported is restricted. Discovery still walks the
whole tree and the project model still reads every file that names an old
name (a rename's group spans files; a contract pairs a back-end and a
front-end file), so a file's findings are those a full run gives it.
"""

from __future__ import annotations

import hashlib
from typing import NamedTuple


class Part(NamedTuple):
    # (K, N): the files whose path hashes to K of N.
    shard: tuple[int, int] | None = None
    # Report paths (relative to the working folder, POSIX): the files changed since a ref.
    files: frozenset[str] | None = None

    def takes(self, rel: str) -> bool:
        """Whether the file at report path `rel` is executed and reported."""
        if self.files is not None and rel not in self.files:
            return False
        return self.shard is None or shard_of(rel, self.shard[1]) == self.shard[0]

    @property
    def key(self) -> list:
        """What an output replayed for this part depends on (engine/replay.py)."""
        files = None
        if self.files is not None:
            files = hashlib.sha256("\0".join(sorted(self.files)).encode("utf-8", "surrogateescape")).hexdigest()
        return [list(self.shard) if self.shard else None, files]


def shard_of(rel: str, count: int) -> int:
    """The shard (1..count) of report path `rel`: by its SHA-1, so it does not
    depend on the order of discovery, the machine or the other files."""
    digest = hashlib.sha1(rel.encode("utf-8", "surrogateescape")).digest()
    return int.from_bytes(digest[:8], "big") % count + 1


def parse_shard(text: str) -> tuple[int, int]:
    """(K, N) from "K/N" with 1 ≤ K ≤ N; ValueError saying what is wrong."""
    k, slash, n = text.partition("/")
    try:
        index, count = int(k), int(n)
    except ValueError:
        index = count = 0
    if not slash or count < 1 or not 1 <= index <= count:
        raise ValueError(f"--shard {text!r}: expected K/N with 1 ≤ K ≤ N, e.g. 2/4")
    return index, count
