"""Atomic writes: a killed run leaves every file either old or new."""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path


class StaleFile(Exception):
    """The file changed on disk after it was read; it is not overwritten."""


def write_atomically(path: Path, data: bytes, expected_current: bytes) -> None:
    """Replace `path` with `data` via a temp file in the same folder and
    os.replace, keeping the file's permission bits. Refuses (StaleFile) if the
    file no longer holds `expected_current`."""
    try:
        current = path.read_bytes()
    except FileNotFoundError:
        raise StaleFile("the file was deleted during the run; not recreated") from None
    if current != expected_current:
        raise StaleFile("the file changed during the run; not overwritten")
    mode = stat.S_IMODE(path.stat().st_mode)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".nooble-tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
