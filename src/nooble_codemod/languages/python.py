"""Python through LibCST (a concrete syntax tree: formatting and comments survive)."""

from __future__ import annotations

from nooble_codemod.languages import SyntaxProblem


def parse(text: str):
    import libcst

    try:
        return libcst.parse_module(text)
    except libcst.ParserSyntaxError as exc:
        msg = str(exc).strip().splitlines()[0] if str(exc).strip() else "syntax error"
        raise SyntaxProblem(f"syntax error at {exc.raw_line}:{exc.raw_column + 1}: {msg}") from None
    except RecursionError:
        raise SyntaxProblem("nested too deeply to parse") from None
