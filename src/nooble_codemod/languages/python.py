"""Python through LibCST (a concrete syntax tree: formatting and comments survive)."""

from __future__ import annotations

import os
import queue
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


class _ParserThread:
    """One long-lived thread with the large stack, fed one text at a time:
    a thread started per file costs a good part of a small file's parse
    (its fresh stack pages fault in as the parser recurses)."""

    def __init__(self) -> None:
        self.jobs: queue.SimpleQueue = queue.SimpleQueue()
        self.results: queue.SimpleQueue = queue.SimpleQueue()
        old = threading.stack_size()
        threading.stack_size(_STACK_BYTES)
        try:
            self.thread = threading.Thread(target=self._serve, name="libcst-parse", daemon=True)
            self.thread.start()
        finally:
            threading.stack_size(old)

    def _serve(self) -> None:
        while (text := self.jobs.get()) is not None:
            try:
                self.results.put((True, _parse(text)))
            except BaseException as exc:  # handed back to the calling thread
                self.results.put((False, exc))


_parser: tuple[int, _ParserThread] | None = None  # (the process it belongs to, the thread)
_parser_lock = threading.Lock()


def parse(text: str):
    global _parser
    line = _too_deep(text)
    if line is not None:
        raise SyntaxProblem(f"more than {MAX_NESTING} nested brackets at line {line} (Python's own limit)")
    with _parser_lock:
        # A forked worker inherits the object but not the thread.
        if _parser is None or _parser[0] != os.getpid() or not _parser[1].thread.is_alive():
            _parser = (os.getpid(), _ParserThread())
        parser = _parser[1]
        parser.jobs.put(text)
        try:
            ok, value = parser.results.get()
        except BaseException:
            # Interrupted (the file's time limit): the thread is still busy
            # with this text. It ends when done; the next parse gets a new one.
            # Forget it first: the limit's alarm repeats and may interrupt this
            # block too, and a parse must never wait on a thread told to end.
            _parser = None
            parser.jobs.put(None)
            raise
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
