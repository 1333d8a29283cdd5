"""What git says of the work tree: the files holding uncommitted work, which
`apply` refuses to write over (cargo fix does the same), the files a pull
request touches (`check --since`), and where the repository's files are on
its web host (the links of `apply --report migration.md`)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections import defaultdict
from pathlib import Path


class GitUnavailable(Exception):
    """git could not say which files hold uncommitted work (not installed,
    or it refused the repository: "dubious ownership" and the like)."""


def _repo_root(path: Path) -> Path | None:
    for p in path.parents:
        if (p / ".git").exists():
            return p
    return None


def folder_in_repository(folder: Path) -> str:
    """`folder` relative to the root of the git work tree holding it, POSIX
    style ("" at the root, or outside any work tree): what git's diff paths
    are relative to."""
    folder = folder.resolve()
    for p in (folder, *folder.parents):
        if (p / ".git").exists():
            return folder.relative_to(p).as_posix() if p != folder else ""
    return ""


def dirty_files(paths: list[Path]) -> list[Path]:
    """Those of `paths` that are modified, staged or untracked in their git
    work tree. Files outside any work tree are never dirty. Raises
    GitUnavailable, with git's own words, when a work tree holds some of them
    and git cannot answer: the guard fails closed."""
    if not paths:
        return []
    by_repo: dict[Path, list[Path]] = defaultdict(list)
    for p in paths:
        root = _repo_root(p.resolve())
        if root is not None:
            by_repo[root].append(p.resolve())
    if by_repo and shutil.which("git") is None:
        raise GitUnavailable(f"{min(by_repo)} is a git work tree, but git is not installed")
    dirty: list[Path] = []
    for root, files in sorted(by_repo.items()):
        for i in range(0, len(files), 500):
            chunk = files[i:i + 500]
            proc = subprocess.run(
                ["git", "-C", str(root), "status", "--porcelain=v1", "-z", "--untracked-files=all", "--",
                 *[str(f.relative_to(root)) for f in chunk]],
                capture_output=True,
            )
            if proc.returncode != 0:
                said = proc.stderr.decode("utf-8", "replace").strip().replace("\n", " ")
                raise GitUnavailable(f"git status failed in {root}: {said or f'exit {proc.returncode}'}")
            entries = proc.stdout.split(b"\0")
            i_entry = 0
            while i_entry < len(entries):
                entry = entries[i_entry]
                i_entry += 1
                if len(entry) < 4:
                    continue
                status, name = entry[:2], entry[3:]
                if status[0:1] in (b"R", b"C"):
                    i_entry += 1  # the rename's source path follows
                dirty.append(root / name.decode("utf-8", "surrogateescape"))
    wanted = {p.resolve() for p in paths}
    return sorted(p for p in dirty if p in wanted)


class GitError(Exception):
    """A git question that has no answer here: not a work tree, an unknown ref."""


def _git(cwd: str, *args: str) -> bytes:
    if shutil.which("git") is None:
        raise GitError("git is not installed")
    proc = subprocess.run(["git", "-C", cwd, *args], capture_output=True)
    if proc.returncode != 0:
        said = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(said[0] if said else f"git {args[0]} failed (exit {proc.returncode})")
    return proc.stdout


def changed_since(ref: str, cwd: str) -> set[str]:
    """The files of the work tree holding `cwd` that a pull request from here
    onto `ref` touches: changed between the merge base of `ref` and HEAD
    (`git diff REF...HEAD`), plus what is modified, staged or untracked (not
    ignored) in the work tree. Deleted files are left out. Paths relative to
    `cwd`, POSIX style. Raises GitError, saying why, when git cannot answer."""

    try:
        up = _git(cwd, "rev-parse", "--show-cdup").decode("utf-8", "surrogateescape").strip()
    except GitError as exc:
        raise GitError(f"{cwd} is not in a git work tree ({exc})") from None
    try:
        _git(cwd, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}")
    except GitError:
        raise GitError(f"--since {ref}: no such commit, branch or tag in this repository") from None
    try:
        base = _git(cwd, "merge-base", "--end-of-options", ref, "HEAD").decode().strip()
    except GitError:
        raise GitError(f"--since {ref}: it has no common ancestor with HEAD") from None
    # From the merge base to the work tree: committed, staged and unstaged changes at once.
    names = _git(cwd, "diff", "--name-only", "-z", "--no-renames", "--diff-filter=d", "--no-relative", base,
                 "--").split(b"\0")
    names += _git(cwd, "ls-files", "--others", "--exclude-standard", "-z", "--full-name", "--",
                  ":(top)").split(b"\0")
    out = set()
    for name in names:
        if name:
            rel = os.path.normpath(os.path.join(up, name.decode("utf-8", "surrogateescape")))
            out.add(rel.replace(os.sep, "/"))
    return out


# The remotes whose file pages `path#Lline` opens at a line: (host, blob path).
_BLOB_PAGES = {"github.com": "blob"}
_REMOTE = re.compile(r"^(?:https?://(?:[^@/]+@)?|ssh://(?:[^@/]+@)?|[^@/]+@)?(?P<host>[^/:]+)(?::\d+(?=/))?[:/](?P<repo>[^\s]+?)"
                     r"(?:\.git)?/?$")


def blob_base(cwd: str) -> str:
    """The URL a file's path is put after to open it on the repository's web
    host at the branch checked out (e.g. `https://github.com/ORG/REPO/blob/
    BRANCH/`), from the `origin` remote; "" when there is none, or it is on
    a host whose pages are not known, or git cannot say."""
    from urllib.parse import quote

    try:
        url = _git(cwd, "remote", "get-url", "origin").decode().strip()
        ref = _git(cwd, "rev-parse", "--abbrev-ref", "HEAD").decode().strip()
        if ref == "HEAD":  # detached: the commit itself
            ref = _git(cwd, "rev-parse", "HEAD").decode().strip()
    except (GitError, UnicodeDecodeError):
        return ""
    m = _REMOTE.match(url)
    page = _BLOB_PAGES.get(m.group("host").lower()) if m else None
    if page is None or not ref:
        return ""
    return f"https://{m.group('host').lower()}/{m.group('repo')}/{page}/{quote(ref, safe='/')}/"
