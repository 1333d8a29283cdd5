"""Atomic writes: a killed run leaves every file either old or new."""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path


class StaleFile(Exception):
    """The file changed on disk after it was read; it is not overwritten."""


def _temp_beside(path: Path, data: bytes, mode: int) -> str:
    """A fully written, synced temp file in `path`'s folder (same file system,
    so it can be renamed or linked into place)."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".nooble-tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
    except BaseException:
        _unlink(tmp)
        raise
    return tmp


def _unlink(tmp: str) -> None:
    try:
        os.unlink(tmp)
    except OSError:
        pass


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
    tmp = _temp_beside(path, data, stat.S_IMODE(path.stat().st_mode))
    try:
        os.replace(tmp, path)
    except BaseException:
        _unlink(tmp)
        raise


def create_exclusively(path: Path, data: bytes) -> None:
    """Create `path` holding `data`, all at once, and never over a file that
    exists (FileExistsError): written to a temp file, then hard-linked into
    place, which fails rather than replaces."""
    tmp = _temp_beside(path, data, 0o666 & ~_umask())
    try:
        try:
            os.link(tmp, path)
        except (AttributeError, PermissionError, NotImplementedError):
            # No hard links here (some mounts): an exclusive open is still never an overwrite.
            with open(path, "xb") as fh:
                fh.write(data)
    finally:
        _unlink(tmp)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
