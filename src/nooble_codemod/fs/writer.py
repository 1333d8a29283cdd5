"""Atomic writes: a killed run leaves every file either old or new."""

from __future__ import annotations

import os
import re
import stat
import tempfile
import time
from pathlib import Path

SUFFIX = ".nooble-tmp"
# `.<name>.<pid of the writer>.<random>.nooble-tmp`: the pid tells a later
# run whether the writer is gone (its temp file is then stale).
_TEMP = re.compile(r"\.(\d+)\.[A-Za-z0-9_]+" + re.escape(SUFFIX) + "$")
_OLD_TEMP_AGE = 600  # seconds; temp files of versions that did not name their writer


class StaleFile(Exception):
    """The file changed on disk after it was read; it is not overwritten."""


class NotRewritable(Exception):
    """Rewriting the file would change more than its text (read-only, hard links)."""


def _temp_beside(path: Path, data: bytes, mode: int, owner: tuple[int, int] | None = None) -> str:
    """A fully written, synced temp file in `path`'s folder (same file system,
    so it can be renamed or linked into place), with `mode` and, when it can
    be given, `owner` (uid, gid)."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.{os.getpid()}.", suffix=SUFFIX)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        if owner is not None and hasattr(os, "chown"):
            try:
                os.chown(tmp, *owner)
            except PermissionError:
                pass  # only root can give a file away; a file we could write is ours or our group's
    except BaseException:
        _unlink(tmp)
        raise
    return tmp


def remove_stale_temps(folder: Path) -> list[str]:
    """Remove the temp files of writers that are gone (a killed apply) from
    `folder`; the names removed."""
    removed = []
    try:
        names = [n for n in os.listdir(folder) if n.startswith(".") and n.endswith(SUFFIX)]
    except OSError:
        return removed
    for name in names:
        m = _TEMP.search(name)
        path = folder / name
        try:
            stale = not _alive(int(m.group(1))) if m else time.time() - path.lstat().st_mtime > _OLD_TEMP_AGE
            if stale and path.is_file() and not path.is_symlink():
                path.unlink()
                removed.append(name)
        except OSError:
            pass
    return removed


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, OSError):
        return True  # someone else's process, or not ours to judge
    return True


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
    st = path.stat()
    if not st.st_mode & stat.S_IWUSR:
        raise NotRewritable("the file is read-only; not rewritten (make it writable to migrate it)")
    if st.st_nlink > 1:
        raise NotRewritable(f"the file has {st.st_nlink} hard links, which a rewrite would split; not rewritten")
    tmp = _temp_beside(path, data, stat.S_IMODE(st.st_mode), (st.st_uid, st.st_gid))
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
