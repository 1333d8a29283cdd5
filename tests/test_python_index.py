"""The Python rules' one-pass index (_cst._Indexer) against LibCST's own
PositionProvider and `children` walk: same spans, same parents, same nodes."""

from __future__ import annotations

import random
import sys
from pathlib import Path

import libcst as cst
import pytest
from libcst.metadata import MetadataWrapper, PositionProvider

from nooble_codemod.rules import RuleContext
from nooble_codemod.rules.python import _cst
from nooble_codemod.settings import Settings
from nooble_codemod.fs.source import SourceText
from nooble_codemod.spec.loader import Spec

SAMPLES = {
    "non-ascii": "# café ☕\ndef f(tenant_id: str = 'é'):\n    return {'ñ': tenant_id}  # ü\n",
    "crlf-and-cr": "x = 1\r\nif x:\r\n    y = 'a'\r    z = (1,\r\n         2)\r\n",
    "no-final-newline": "def f():\n    return g(a, b)",
    "decorators-and-ifexp": "@retry(stop=3)\n@other\nasync def f(a, *, b=1):\n    return a if b else (lambda: b)()\n",
    "empty": "",
}


def corpus(n: int = 40) -> list[Path]:
    site = next(p for p in sys.path if p.endswith("site-packages"))
    files = sorted(p for p in Path(site).glob("*/**/*.py") if p.stat().st_size < 30_000)
    return random.Random(6).sample(files, min(n, len(files)))


def _offset(source: SourceText, pos) -> int:
    # PositionProvider puts the end of a file without a final newline one line past it.
    lines = source.data.count(b"\n") + source.data.count(b"\r") - source.data.count(b"\r\n") + 1
    return len(source.data) if pos.line > lines else source.offset(pos.line, pos.column)


def _compare(text: str) -> int:
    module = cst.parse_module(text)
    source = SourceText(text)
    ctx = RuleContext(path="x.py", language="python", source=source, tree=module, spec=Spec.load(), settings=Settings())
    positions = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    expected_parents, stack, count = {}, [module], 0
    while stack:
        node = stack.pop()
        for child in node.children:
            expected_parents[id(child)] = node
        stack.extend(node.children)
        if node is module or (isinstance(node, cst.SimpleWhitespace) and not node.value):
            continue  # the module's end and empty whitespace have no place in the text
        r = positions[node]
        want = (_offset(source, r.start), _offset(source, r.end))
        assert _cst.span(ctx, node) == want, (type(node).__name__, want)
        assert _cst.parent(ctx, node) is expected_parents.get(id(node))
        count += 1
    return count


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_spans_match_position_provider_on_edge_cases(name):
    _compare(SAMPLES[name])


def test_spans_match_position_provider_on_installed_code():
    checked = nodes = 0
    for path in corpus():
        try:
            text = path.read_text(encoding="utf-8")
            cst.parse_module(text)
        except Exception:
            continue
        nodes += _compare(text)
        checked += 1
    print(f"{checked} files, {nodes} nodes: spans and parents as PositionProvider and `children` give")
    assert checked > 20
