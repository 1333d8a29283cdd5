"""The README's example outputs, made by running their commands.

    python tools/readme_examples.py --check   # exit 1 with a diff when a block is stale
    python tools/readme_examples.py --write   # rewrite the stale blocks in place

Each example is a fenced block preceded by a marker comment that names the
command and the lines of its output to show:

    <!-- example: nooble-codemod check fixtures/sample-app | lines 1-2, -1 | exit 1 -->
    ```text
    $ nooble-codemod check fixtures/sample-app
    fixtures/sample-app/backend/auth.py:18:32: BE-1 …
    …
    Found 86 V5 references in 13 files (68 fixable with `nooble-codemod apply`).
    ```

The marker is `<!-- example: COMMAND | OPTION | OPTION … -->` on one line:

- COMMAND is split like a shell line (no pipes, no variables) and runs from
  the repository's root with the installed `nooble-codemod` (the one beside
  this Python, else .venv/bin/, else the PATH's). `check` and `apply` get
  `--no-cache`. The environment is fixed so that rich prints the same text
  everywhere: COLUMNS=120, NO_COLOR=1, TERM=dumb, UTF-8 output, and none of
  the variables that force a terminal or colours.
- `lines SELECTOR, SELECTOR, …` picks the lines shown (default: all). A
  selector is a line number `N` (1-based; `-1` is the last line), a range
  `N-M` (`1-3`, `-3--1`), a pattern `/REGEX/` (every line it finds, Python
  `re.search`), or `/REGEX/+K` (each such line and the K after it). A
  selector that selects nothing is an error, so a changed message cannot
  silently empty an example. Lines are shown in output order; where lines
  are left out (between, before or after the selected ones) the block shows
  one line `…`.
- `exit N`: the command must end with exit code N. Without it, 0 and 1 are
  accepted (1 is "findings" or "needs a human") and anything else is an
  error.

The block starts with `$ COMMAND` (as written in the marker), then the
selected lines, each without trailing spaces. A marker without a block
after it gets one on --write. --check and --write exit 2 when a command
fails or a marker is wrong (nothing is written then).
"""

from __future__ import annotations

import argparse
import difflib
import os
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MARKER = re.compile(r"^<!--\s*example:\s*(?P<body>.*?)\s*-->\s*$")
FENCE = re.compile(r"^(?P<fence>`{3,})(?P<info>.*)$")
ELISION = "…"
WIDTH = "120"
CACHED_COMMANDS = ("check", "apply")
# Variables that would make rich (or the tool) think it writes to a terminal,
# colour its output, or complete a shell command.
_DROPPED = ("FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE", "CLICOLOR_FORCE", "COLUMNS", "LINES",
            "JUPYTER_COLUMNS", "JUPYTER_LINES")


class ExampleError(Exception):
    """A marker that cannot be read, or a command that did not run as it should."""


@dataclass(frozen=True)
class Selector:
    first: int | None = None  # line number (1-based, negative from the end)
    last: int | None = None
    pattern: re.Pattern | None = None
    after: int = 0  # lines after each line the pattern finds

    def indexes(self, lines: list[str]) -> list[int]:
        """The 0-based indexes this selector picks; ExampleError if none."""
        n = len(lines)
        if self.pattern is not None:
            found = [i for i, line in enumerate(lines) if self.pattern.search(line)]
            if not found:
                raise ExampleError(f"/{self.pattern.pattern}/ finds no line of the output")
            return sorted({j for i in found for j in range(i, min(n, i + self.after + 1))})

        def index(k: int) -> int:
            i = k - 1 if k > 0 else n + k
            if k == 0 or not 0 <= i < n:
                raise ExampleError(f"line {k} is not in the output ({n} lines)")
            return i

        start = index(self.first)
        end = index(self.last if self.last is not None else self.first)
        if end < start:
            raise ExampleError(f"lines {self.first}-{self.last} are in the wrong order ({n} lines)")
        return list(range(start, end + 1))


@dataclass(frozen=True)
class Example:
    command: str
    selectors: tuple[Selector, ...] = ()
    exit_code: int | None = None

    @property
    def argv(self) -> list[str]:
        try:
            argv = shlex.split(self.command)
        except ValueError as exc:
            raise ExampleError(f"cannot split the command: {exc}") from None
        if not argv or argv[0] != "nooble-codemod":
            raise ExampleError("the command must start with nooble-codemod")
        if len(argv) > 1 and argv[1] in CACHED_COMMANDS and "--no-cache" not in argv:
            argv.append("--no-cache")
        return argv


def _split_outside_slashes(text: str, sep: str) -> list[str]:
    """`text` split at `sep`, except between the slashes of a /regex/
    (a backslash escapes a slash)."""
    parts, current, in_regex, i = [], [], False, 0
    while i < len(text):
        c = text[i]
        if c == "\\" and in_regex and i + 1 < len(text):
            current.append(text[i:i + 2])
            i += 2
            continue
        if c == "/":
            in_regex = not in_regex
        if c == sep and not in_regex:
            parts.append("".join(current))
            current = []
        else:
            current.append(c)
        i += 1
    if in_regex:
        raise ExampleError(f"a /regex/ is not closed in {text!r}")
    parts.append("".join(current))
    return parts


_NUMBERS = re.compile(r"^(-?\d+)(?:-(-?\d+))?$")
_PATTERN = re.compile(r"^/(.*)/(?:\+(\d+))?$", re.S)


def parse_selectors(text: str) -> tuple[Selector, ...]:
    out = []
    for token in (t.strip() for t in _split_outside_slashes(text, ",")):
        if m := _NUMBERS.match(token):
            out.append(Selector(first=int(m.group(1)), last=int(m.group(2)) if m.group(2) else None))
        elif m := _PATTERN.match(token):
            try:
                pattern = re.compile(m.group(1).replace("\\/", "/"))
            except re.error as exc:
                raise ExampleError(f"bad regex /{m.group(1)}/: {exc}") from None
            out.append(Selector(pattern=pattern, after=int(m.group(2) or 0)))
        else:
            raise ExampleError(f"not a line selector: {token!r} (N, N-M, /REGEX/ or /REGEX/+K)")
    return tuple(out)


def parse_marker(body: str) -> Example:
    """The example of a marker's text (what stands between `example:` and `-->`)."""
    command, _, rest = body.partition("|")
    command = command.strip()
    if not command:
        raise ExampleError("the marker names no command")
    selectors: tuple[Selector, ...] = ()
    exit_code = None
    for option in (o.strip() for o in _split_outside_slashes(rest, "|") if rest.strip()):
        name, _, value = option.partition(" ")
        if name == "lines" and value.strip():
            selectors += parse_selectors(value)
        elif name == "exit" and value.strip().isdigit():
            exit_code = int(value)
        else:
            raise ExampleError(f"unknown marker option {option!r} (lines SELECTORS, exit N)")
    return Example(command, selectors, exit_code)


def select(lines: list[str], selectors: tuple[Selector, ...]) -> list[str]:
    """The lines the selectors pick, in order, with `…` where lines are left out."""
    if not selectors:
        return list(lines)
    chosen = sorted({i for s in selectors for i in s.indexes(lines)})
    out = []
    previous = -1
    for i in chosen:
        if i > previous + 1:
            out.append(ELISION)
        out.append(lines[i])
        previous = i
    if previous < len(lines) - 1:
        out.append(ELISION)
    return out


def tool() -> str:
    """The installed nooble-codemod: beside this Python, else the repo's .venv, else the PATH's."""
    for candidate in (Path(sys.executable).with_name("nooble-codemod"), ROOT / ".venv" / "bin" / "nooble-codemod"):
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    found = shutil.which("nooble-codemod")
    if found is None:
        raise ExampleError("nooble-codemod is not installed (make install)")
    return found


def environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _DROPPED and not k.endswith("_COMPLETE")}
    env.update(COLUMNS=WIDTH, NO_COLOR="1", TERM="dumb", PYTHONUTF8="1", PYTHONIOENCODING="utf-8")
    return env


def run(example: Example, root: Path) -> list[str]:
    """The output lines of the example's command (stdout, trailing spaces and
    trailing blank lines removed)."""
    argv = example.argv
    try:
        proc = subprocess.run([tool(), *argv[1:]], cwd=root, env=environment(), capture_output=True,
                              text=True, encoding="utf-8", timeout=300)
    except subprocess.TimeoutExpired:
        raise ExampleError("the command took more than 300 s") from None
    allowed = (example.exit_code,) if example.exit_code is not None else (0, 1)
    if proc.returncode not in allowed:
        raise ExampleError(f"exit code {proc.returncode}, expected {' or '.join(map(str, allowed))}"
                           + (f"; stderr:\n{proc.stderr.rstrip()}" if proc.stderr.strip() else ""))
    lines = [line.rstrip() for line in proc.stdout.splitlines()]
    while lines and not lines[-1]:
        lines.pop()
    return lines


def block(example: Example, root: Path, runner=run) -> list[str]:
    return [f"$ {example.command}", *select(runner(example, root), example.selectors)]


def regenerate(text: str, root: Path, runner=run) -> tuple[str, list[str]]:
    """`text` (a README) with every example block made anew, and the errors
    (`line N: …`) of the markers that could not be."""
    lines = text.split("\n")
    out: list[str] = []
    errors: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        out.append(line)
        i += 1
        m = MARKER.match(line)
        if m is None:
            continue
        where = f"line {i}: {m.group('body')}"
        fence = FENCE.match(lines[i]) if i < len(lines) else None
        end = None
        if fence is not None:
            closing = fence.group("fence")
            end = next((j for j in range(i + 1, len(lines)) if lines[j].rstrip() == closing), None)
            if end is None:
                errors.append(f"{where}: the block after the marker is not closed")
                continue
        try:
            new = block(parse_marker(m.group("body")), root, runner)
        except ExampleError as exc:
            errors.append(f"{where}: {exc}")
            continue
        if fence is None:
            out += ["```text", *new, "```"]
        else:
            out += [lines[i], *new, lines[end]]
            i = end + 1
    return "\n".join(out), errors


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    mode = ap.add_mutually_exclusive_group(required=True)
    mode.add_argument("--check", action="store_true", help="report stale blocks (exit 1) with a diff")
    mode.add_argument("--write", action="store_true", help="rewrite stale blocks in place")
    ap.add_argument("--readme", type=Path, default=ROOT / "README.md", help="the file to check (default: README.md)")
    ap.add_argument("--root", type=Path, default=ROOT, help="where the commands run (default: the repository)")
    args = ap.parse_args(argv)

    text = args.readme.read_text(encoding="utf-8")
    new, errors = regenerate(text, args.root.resolve())
    if errors:
        for e in errors:
            print(f"{args.readme}: {e}", file=sys.stderr)
        return 2
    if new == text:
        return 0
    if args.write:
        args.readme.write_text(new, encoding="utf-8")
        print(f"{args.readme}: examples rewritten")
        return 0
    sys.stdout.writelines(difflib.unified_diff(text.splitlines(True), new.splitlines(True),
                                               f"{args.readme} (as written)", f"{args.readme} (as the commands print)"))
    print(f"\n{args.readme}: examples out of date; run `python tools/readme_examples.py --write`")
    return 1


if __name__ == "__main__":
    sys.exit(main())
