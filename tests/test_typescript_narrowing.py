"""TypeScript files are narrowed before the rules walk them
(languages/typescript_narrow.py): declarations no rule can need are blanked.
Every finding and fix must be what the whole file gives."""

from __future__ import annotations

import random
import re
import sys
from pathlib import Path

from nooble_codemod.languages import typescript, typescript_narrow
from nooble_codemod.languages.typescript_narrow import narrow
from nooble_codemod.settings import Settings
from nooble_codemod.spec.loader import Spec
from test_narrowing import compare_with_and_without

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from generate import generate  # noqa: E402

# Each declaration here is one way a statement without a V5 word can still matter.
NEEDED_ELSEWHERE = """\
import { supabase } from './client';

const conversations = supabase.from('conversations');  // a chain's start, used below

function helper(x: number) { return x + 1 }

export async function close(id: string) {
  return conversations.update({ is_active: false }).eq('id', id).eq('tenant_id', helper(1));
}

const userId = 'module';   // the new name of a module-level rename: a collision

let tenantId = 'x';
console.log(tenantId);

export interface Unrelated { a: string }
const before = tenantId
function unrelated() { return 2 }
(function iife() { return 3 })()
"""


def _npm_files(limit: int) -> list[tuple[str, bytes]]:
    """Real TypeScript with common names turned into V5 ones."""
    base = ROOT / "tools" / "node" / "node_modules"
    assert base.is_dir(), "TypeScript's own sources are missing: `make test` installs them (tools/node)"
    paths = sorted(p for p in base.rglob("*.ts") if p.stat().st_size < 30_000)
    out = []
    for p in random.Random(3).sample(paths, min(limit, len(paths))):
        text = p.read_text(encoding="utf-8", errors="replace")
        mutated = re.sub(r"\bvalue\b", "tenantId", re.sub(r"\bname\b", "tenant_id", text))
        if mutated != text:
            out.append((f"npm/{p.name}", mutated.encode()))
    return out


def typescript_files(tmp_path: Path) -> list[tuple[str, bytes]]:
    files = [("needed.ts", NEEDED_ELSEWHERE.encode()), ("crlf.ts", NEEDED_ELSEWHERE.replace("\n", "\r\n").encode())]
    for folder in ("fixtures/sample-app", "fixtures/rules", "fixtures/scenarios"):
        files += [(str(p.relative_to(ROOT)), p.read_bytes()) for p in sorted((ROOT / folder).rglob("*"))
                  if p.suffix in (".ts", ".tsx")]
    generate(tmp_path / "gen", 300, 4)
    generated = sorted(p for p in (tmp_path / "gen").rglob("*") if p.suffix in (".ts", ".tsx"))
    files += [(p.name, p.read_bytes()) for p in random.Random(4).sample(generated, min(80, len(generated)))]
    return files + _npm_files(120)


def test_findings_and_fixes_equal_whole_file_analysis(tmp_path, monkeypatch):
    narrowed, changed = compare_with_and_without(monkeypatch, typescript_narrow, "narrow", typescript_files(tmp_path),
                                                 Spec.load(), Settings(), "TypeScript")
    assert changed >= 40 and narrowed >= 25


def test_blanking_keeps_offsets_and_statement_boundaries():
    data = NEEDED_ELSEWHERE.encode()
    out = narrow(typescript.parse(data, "x.ts"), data, ["tenant_id", "tenantId", "is_active"], {"tenantId": {"userId"}}).data
    assert out is not None and len(out) == len(data) and out.count(b"\n") == data.count(b"\n")
    for needed in (b"const conversations", b"function helper", b"const userId", b"let tenantId"):
        assert out.index(needed) == data.index(needed)
    assert b"interface Unrelated" not in out
    assert b"function unrelated" not in out
    # The blanked declaration starts with `;`: without it, `tenantId` and the
    # parenthesised call after it would read as one call, `tenantId(function …)()`.
    tree = typescript.parse(out, "x.ts")
    assert not tree.root_node.has_error
    kinds = [c.type for c in tree.root_node.children]
    whole = [c.type for c in typescript.parse(data, "x.ts").root_node.children]
    assert kinds.count("expression_statement") == whole.count("expression_statement")
    assert kinds.count("lexical_declaration") == whole.count("lexical_declaration")


def test_blanked_spans_follow_the_edits_of_a_fix_round():
    from nooble_codemod.languages._narrowing import after_edits
    from nooble_codemod.model import Edit

    spans = [(10, 20), (30, 40)]
    # before the first span (+3), at the first span's end (+1: after it), between: the second moves by 4
    assert after_edits(spans, [Edit(0, 2, "abcde"), Edit(20, 20, "x")]) == [(13, 23), (34, 44)]
    assert after_edits(spans, [Edit(10, 10, "ab")]) == [(12, 22), (32, 42)]  # inserted before the span
    assert after_edits(spans, [Edit(25, 28, "")]) == [(10, 20), (27, 37)]
    assert after_edits(spans, [Edit(15, 16, "y")]) is None  # inside a blanked declaration
    assert after_edits(spans, [Edit(35, 35, "z")]) is None
    assert after_edits(spans, [Edit(18, 25, "")]) is None  # reaching into one


def test_leftover_finds_the_leaves_holding_its_words_as_a_walk_over_all_of_them(tmp_path):
    # ts-leftover looks up the leaves where its words occur instead of visiting
    # every name, string and comment: the same leaves, in the same order.
    from nooble_codemod.rules import RuleContext
    from nooble_codemod.rules.typescript import _ast
    from nooble_codemod.rules.typescript.leftover import _CODE_NAMES, _TEXT, _holding_words
    from nooble_codemod.fs.source import SourceText

    spec, settings = Spec.load(), Settings()
    words = spec.leftovers_for("typescript")
    extra = {**words, "value": "x", "a": "x"}  # a common word too: many leaves, nested matches
    seen = 0
    files = typescript_files(tmp_path)
    files.append(("escapes.ts", b"const s = 'x\\ntenant_id'; const t = `${a}tenantId${b}`; // tenant_id\n"
                                b"const j = <p>tenant_id &amp; tenantId</p>;\n"))
    for name, original in files:
        source = SourceText.decode(original)
        raw = source.data  # what the tree is parsed from (a BOM removed)
        try:
            tree = typescript.parse(raw, name.replace("escapes.ts", "escapes.tsx"))
        except Exception:
            continue
        ctx = RuleContext(path=name, language="typescript", source=source, tree=tree, spec=spec, settings=settings)
        for ws in (words, extra):
            def holding(nodes):
                return [(n.start_byte, n.end_byte, n.type) for n in nodes
                        if any(w.encode() in raw[n.start_byte:n.end_byte] for w in ws)]

            expected = (holding(_ast.nodes(ctx, *_CODE_NAMES)), holding(_ast.nodes(ctx, *_TEXT)),
                        holding(_ast.nodes(ctx, "comment")))
            got = tuple([(n.start_byte, n.end_byte, n.type) for n in part] for part in _holding_words(ctx, ws))
            assert got == expected, name
            seen += sum(map(len, got))
    assert seen > 1000


def test_leaves_named_within_a_scope_are_those_a_walk_of_the_scope_meets(tmp_path):
    # The rename plan looks at the leaves named old or new inside a scope.
    from nooble_codemod.rules import RuleContext
    from nooble_codemod.rules.typescript import _ast
    from nooble_codemod.rules.typescript._scopes import NAME_NODES
    from nooble_codemod.fs.source import SourceText

    spec, settings = Spec.load(), Settings()
    checked = 0
    for name, original in typescript_files(tmp_path):
        source = SourceText.decode(original)
        try:
            tree = typescript.parse(source.data, name)
        except Exception:
            continue
        ctx = RuleContext(path=name, language="typescript", source=source, tree=tree, spec=spec, settings=settings)
        scopes = [tree.root_node] + _ast.nodes(ctx, *sorted(_ast.FUNCTION_NODES))[:20]
        for scope in scopes:
            for names in (("tenantId", "userId"), ("tenant_id",), ("x", "i", "id")):
                walk = [(n.start_byte, n.end_byte) for n in _ast.descendants(scope)
                        if n.type in NAME_NODES and _ast.text(ctx, n) in names]
                got = [(n.start_byte, n.end_byte) for n in _ast.leaves_named(ctx, names, NAME_NODES, within=scope)]
                assert got == walk, (name, scope.start_byte, names)
                checked += len(got)
    assert checked > 1000


def _layout(tree) -> list[tuple]:
    out, stack = [], [tree.root_node]
    while stack:
        n = stack.pop()
        out.append((n.type, n.start_byte, n.end_byte, tuple(n.start_point), tuple(n.end_point), n.is_missing))
        stack.extend(n.children)
    return out


def test_the_narrowed_tree_reparsed_from_the_whole_one_is_the_tree_of_the_narrowed_text(tmp_path):
    words, seen = ["tenant_id", "tenantId", "is_active", "widgets", "profiles"], 0
    for name, data in typescript_files(tmp_path):
        try:
            tree = typescript.parse(data, name)
        except typescript.SyntaxProblem:
            continue
        narrowed = narrow(tree, data, words, {})
        if narrowed is None:
            continue
        seen += 1
        fresh = typescript.parse(narrowed.data, name)
        assert _layout(typescript.reparse(tree, data, narrowed.data, narrowed.spans, name)) == _layout(fresh), name
    assert seen >= 25
