"""Parsers, one module per language, behind one small interface:
`parse(source) -> tree` raising SyntaxProblem, and `errors(tree)`."""

from __future__ import annotations

from pathlib import PurePath


class SyntaxProblem(Exception):
    """The file does not parse; the message says where."""


EXTENSIONS = {
    ".ts": "typescript",
    ".mts": "typescript",
    ".cts": "typescript",
    ".tsx": "typescript",
    ".js": "typescript",
    ".jsx": "typescript",
    ".mjs": "typescript",
    ".cjs": "typescript",
    ".py": "python",
    # Read as text (migrations, seeds, functions): no parser, only word rules.
    ".sql": "sql",
}
# Every language a rule package exists for (rules/<language>/).
LANGUAGES = ("typescript", "python", "sql")


def language_of(path: str | PurePath) -> str | None:
    name = path.rsplit("/", 1)[-1] if isinstance(path, str) else path.name  # a str: no PurePath (hot path)
    dot = name.rfind(".")
    return EXTENSIONS.get(name[dot:].lower()) if dot > 0 else None
