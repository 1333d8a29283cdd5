"""A source file's text, and the way back to its exact bytes.

Rules work on the UTF-8 text with byte offsets (what tree-sitter and LibCST's
ByteSpanPositionProvider give). Newlines are left as they are in the text, so
CRLF, mixed newlines, tabs and a missing final newline survive untouched; the
BOM and the original encoding are put back when the text is encoded again.
"""

from __future__ import annotations

import bisect
from itertools import accumulate
import codecs
import re
from dataclasses import dataclass, field

_CODING_RE = re.compile(rb"^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)")


class DecodeError(Exception):
    pass


# Bytes of a line kept on either side of a finding (SourceText.excerpt).
EXCERPT = 120


def _python_declared_encoding(raw: bytes) -> str | None:
    # PEP 263: a coding cookie on line 1 or 2.
    for line in raw.split(b"\n", 2)[:2]:
        m = _CODING_RE.match(line)
        if m:
            return m.group(1).decode("ascii")
    return None


@dataclass
class SourceText:
    text: str
    encoding: str = "utf-8"
    bom: bool = False
    data: bytes = field(init=False)
    _line_starts: list[int] = field(init=False, repr=False)
    _char_line_starts: list[int] | None = field(init=False, repr=False, default=None)

    def __post_init__(self) -> None:
        self.data = data = self.text.encode("utf-8")
        # bytes.splitlines breaks at \r\n, \r and \n only: the newlines this file counts.
        starts = list(accumulate(map(len, data.splitlines(True)), initial=0))
        if data and not data.endswith((b"\n", b"\r")):
            starts.pop()  # the last line has no newline: no line starts after it
        self._line_starts = starts

    @classmethod
    def decode(cls, raw: bytes, *, python: bool = False) -> "SourceText":
        bom = raw.startswith(codecs.BOM_UTF8)
        body = raw[len(codecs.BOM_UTF8):] if bom else raw
        encoding = "utf-8"
        if python and not bom:
            declared = _python_declared_encoding(body)
            if declared:
                try:
                    encoding = codecs.lookup(declared).name
                except LookupError:
                    raise DecodeError(f"unknown encoding {declared!r} in the coding declaration")
        try:
            text = body.decode(encoding)
        except UnicodeDecodeError as exc:
            raise DecodeError(
                f"not valid {encoding}: byte 0x{body[exc.start]:02x} at offset {exc.start + (3 if bom else 0)}"
            ) from None
        return cls(text=text, encoding=encoding, bom=bom)

    def encode(self, text: str) -> bytes:
        """Bytes for `text` in this file's encoding and BOM."""
        body = text.encode(self.encoding)
        return codecs.BOM_UTF8 + body if self.bom else body

    @property
    def newline(self) -> str:
        """The file's own newline, for text a rule inserts."""
        crlf = self.data.count(b"\r\n")
        lf = self.data.count(b"\n") - crlf
        return "\r\n" if crlf > lf else "\n"

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column in characters) of a byte offset."""
        idx = bisect.bisect_right(self._line_starts, offset) - 1
        start = self._line_starts[idx]
        col = len(self.data[start:offset].decode("utf-8", errors="replace"))
        return idx + 1, col + 1

    def offset(self, line: int, column: int) -> int:
        """Byte offset of a 1-based line and 0-based character column."""
        start = self._line_starts[line - 1]
        end = self._line_starts[line] if line < len(self._line_starts) else len(self.data)
        chunk = self.data[start:end].decode("utf-8")
        return start + len(chunk[:column].encode("utf-8"))

    def line_text(self, line: int) -> str:
        start = self._line_starts[line - 1]
        end = self._line_starts[line] if line < len(self._line_starts) else len(self.data)
        return self.data[start:end].decode("utf-8").rstrip("\r\n")

    def excerpt(self, start: int, end: int) -> str:
        """The line around bytes [start, end), cut to EXCERPT bytes on either
        side: what a finding keeps of its line (a minified bundle's line can
        be megabytes, and thousands of findings share it)."""
        data = self.data
        lo = data.rfind(b"\n", max(0, start - EXCERPT), start)
        lo = lo + 1 if lo >= 0 else max(0, start - EXCERPT)
        hi = data.find(b"\n", end, end + EXCERPT)
        hi = hi if hi >= 0 else min(len(data), end + EXCERPT)
        return data[lo:hi].decode("utf-8", "ignore").strip()  # "ignore": a cut may split a character

    @property
    def line_count(self) -> int:
        return len(self._line_starts)

    def line_offsets(self) -> list[int]:
        """The byte offset where each line starts, the first line's first."""
        return list(self._line_starts)

    def line_offset(self, line: int) -> int:
        """The byte offset where 1-based `line` starts."""
        return self._line_starts[line - 1]

    def line_start(self, offset: int) -> int:
        idx = bisect.bisect_right(self._line_starts, offset) - 1
        return self._line_starts[idx]

    def indent_at(self, offset: int) -> str:
        """The leading whitespace of the line holding `offset`."""
        start = self.line_start(offset)
        m = re.match(rb"[ \t]*", self.data[start:])
        return m.group(0).decode() if m else ""

    def byte_offset(self, char_index: int) -> int:
        """Byte offset in `data` of a character index in `text`."""
        if len(self.data) == len(self.text):
            return char_index  # ASCII: the same
        if self._char_line_starts is None:
            self._char_line_starts = [0] + [m.end() for m in re.finditer(r"\r\n|\r|\n", self.text)]
        idx = bisect.bisect_right(self._char_line_starts, char_index) - 1
        start = self._char_line_starts[idx]
        return self._line_starts[idx] + len(self.text[start:char_index].encode("utf-8"))

    def slice(self, start: int, end: int) -> str:
        return self.data[start:end].decode("utf-8")
