"""Python through LibCST (a concrete syntax tree: formatting and comments survive)."""

from __future__ import annotations

import re
import threading

from nooble_codemod.languages import SyntaxProblem

# LibCST's native parser recurses on the C stack: a long operator chain or
# deep nesting overflows the default 8 MiB main-thread stack and kills the
# process (segfault). Parsing in a thread with a large stack turns that into
# a normal parse (or a RecursionError we report).
_STACK_BYTES = 512 * 1024 * 1024


def _parse(text: str):
    import libcst

    try:
        return libcst.parse_module(text)
    except libcst.ParserSyntaxError as exc:
        # exc.message is the parser's own words ("expected one of ), NAME"); the
        # first line of str(exc) only repeats the position.
        msg = re.sub(r"^parser error:\s*(error at \d+:\d+:\s*)?", "", exc.message or "").strip()
        raise SyntaxProblem(f"syntax error at {exc.raw_line}:{exc.raw_column + 1}" + (f": {msg}" if msg else "")) from None
    except RecursionError:
        raise SyntaxProblem("nested too deeply to parse") from None


# CPython's tokenizer refuses more than 200 nested brackets, so deeper code is
# not valid Python; LibCST would spend minutes on it before saying so.
MAX_NESTING = 200
_BRACKETS = re.compile(r"[\[\](){}]")


def _too_deep(text: str) -> int | None:
    depth = 0
    for m in _BRACKETS.finditer(text):
        depth += 1 if m.group() in "([{" else -1
        if depth > MAX_NESTING:
            return text.count("\n", 0, m.start()) + 1
    return None


def parse(text: str):
    line = _too_deep(text)
    if line is not None:
        raise SyntaxProblem(f"more than {MAX_NESTING} nested brackets at line {line} (Python's own limit)")
    box: list = []

    def work() -> None:
        try:
            box.append((True, _parse(text)))
        except BaseException as exc:  # handed back to the calling thread
            box.append((False, exc))

    old = threading.stack_size()
    threading.stack_size(_STACK_BYTES)
    try:
        t = threading.Thread(target=work, name="libcst-parse")
        t.start()
    finally:
        threading.stack_size(old)
    t.join()
    ok, value = box[0]
    if not ok:
        raise value
    return value


def check(text: str) -> None:
    """Raise SyntaxProblem unless `text` is valid Python (CPython's own
    parser: for text whose tree nobody needs)."""
    import ast
    import warnings

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ast.parse(text)
    except SyntaxError as exc:
        raise SyntaxProblem(f"syntax error at {exc.lineno}:{exc.offset}: {exc.msg}") from None
    except (RecursionError, MemoryError, ValueError) as exc:
        raise SyntaxProblem(f"cannot be parsed ({type(exc).__name__})") from None
