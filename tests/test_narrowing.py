"""Python files are narrowed before LibCST parses them (languages/python_narrow.py):
definitions no rule can need become one comment line of the same length. Every
finding and fix must be what the whole file gives."""

from __future__ import annotations

import random
import re
import sys
import sysconfig
from dataclasses import replace
from pathlib import Path

import pytest

from nooble_codemod.languages import python_narrow
from nooble_codemod.languages.python_narrow import narrow
from nooble_codemod.engine.pipeline import Pipeline
from nooble_codemod.settings import Settings
from nooble_codemod.spec.loader import Spec

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from generate import generate  # noqa: E402

# Each definition here is one way a statement without a V5 word can still matter.
NEEDED_ELSEWHERE = '''\
"""Module docstring."""
from pydantic import BaseModel


def Field(*args, **kwargs):  # binds a name a rule may import: the alias rule must see it
    return None


class Base(BaseModel):  # the base that makes Conversation a model
    id: str


class Conversation(Base):
    tenant_id: str


def audit(fn):  # a decorator of a kept function
    return fn


@audit
def load(client, tenant_id):
    payload = build()
    return client.table("conversations").insert(payload).eq("tenant_id", tenant_id).execute()


def build():  # called by a kept function
    return {"tenant_id": "t", "is_active": True}


def unrelated(a, b):
    """Nothing here."""
    return a + b

# ---- a banner between two definitions ----

# tenant_id in a comment: py-leftover reads it


class Unrelated:
    def method(self):
        return 1


user_id = "module global"
'''


def _site_packages_files(limit: int) -> list[tuple[str, bytes]]:
    """Real modules with a common parameter name turned into tenant_id: many
    renames, collisions and chains in code nobody wrote for this tool."""
    site = Path(sysconfig.get_paths()["purelib"])
    paths = sorted(p for pkg in ("libcst", "typer", "rich", "pathspec") for p in (site / pkg).rglob("*.py")
                   if p.stat().st_size < 40_000)
    out = []
    for p in random.Random(7).sample(paths, min(limit, len(paths))):
        text = p.read_text(encoding="utf-8", errors="replace")
        mutated = re.sub(r"\bvalue\b", "tenant_id", text)
        if mutated != text:
            out.append((f"site/{p.name}", mutated.encode()))
    return out


def python_files(tmp_path: Path) -> list[tuple[str, bytes]]:
    files = [("needed_elsewhere.py", NEEDED_ELSEWHERE.encode()),
             ("crlf.py", NEEDED_ELSEWHERE.replace("\n", "\r\n").encode()),
             ("unicode.py", ("# café\n" + NEEDED_ELSEWHERE.replace("Nothing here.", "Nothing here: naïve ✓.")).encode())]
    for folder in ("fixtures/sample-app", "fixtures/rules", "fixtures/scenarios"):
        files += [(str(p.relative_to(ROOT)), p.read_bytes()) for p in sorted((ROOT / folder).rglob("*.py"))]
    generate(tmp_path / "gen", 400, 5)
    generated = sorted((tmp_path / "gen").rglob("*.py"))
    files += [(p.name, p.read_bytes()) for p in random.Random(2).sample(generated, min(60, len(generated)))]
    return files + _site_packages_files(90)


def outcome(pipeline: Pipeline, name: str, raw: bytes):
    r = pipeline.process(name, raw, fix=True)
    return (r.status, r.reason, r.new, [(f.rule, f.start, f.end, f.line, f.message, f.fix) for f in r.findings],
            [(f.rule, f.start, f.end, f.message) for f in r.fixed])


def compare_with_and_without(monkeypatch, module, attr: str, files, spec, settings, what: str) -> tuple[int, int]:
    """Outcomes with `module.attr` (a narrowing function) as it is and with it
    turned off must be equal for every file; (texts it changed, files changed)."""
    hits = []
    real = getattr(module, attr)

    def counting(text, *args):
        out = real(text, *args)
        if out is not None:
            hits.append(text)
        return out

    monkeypatch.setattr(module, attr, counting)
    narrowed = [outcome(Pipeline(spec, settings), n, raw) for n, raw in files]
    monkeypatch.setattr(module, attr, lambda *a: None)
    whole = [outcome(Pipeline(spec, settings), n, raw) for n, raw in files]
    for (name, _), a, b in zip(files, narrowed, whole):
        assert a == b, name
    changed = sum(1 for a in narrowed if a[2] is not None)
    print(f"{len(files)} {what} files, {len(set(hits))} narrowed texts, {changed} changed: same findings and fixes")
    return len(set(hits)), changed


@pytest.mark.parametrize("strategy", ["rename", "alias"])
def test_findings_and_fixes_equal_whole_file_analysis(tmp_path, monkeypatch, strategy):
    spec, settings = Spec.load(), replace(Settings(), backend_strategy=strategy)
    narrowed, changed = compare_with_and_without(monkeypatch, python_narrow, "narrow", python_files(tmp_path),
                                                 spec, settings, "Python")
    assert changed >= 30 and narrowed >= 30


def test_blanked_definitions_keep_every_offset():
    words = ["tenant_id"]
    out = narrow(NEEDED_ELSEWHERE, words).text
    assert out is not None and len(out) == len(NEEDED_ELSEWHERE)
    kept = [i for i, (a, b) in enumerate(zip(NEEDED_ELSEWHERE, out)) if a == b]
    # Unrelated code is gone; what the kept code needs is there, byte for byte.
    assert "def unrelated" not in out and "class Unrelated" not in out
    for needed in ("def Field", "class Base(", "def audit", "@audit", "def build", "user_id =", "import BaseModel"):
        assert needed not in out or NEEDED_ELSEWHERE.index(needed) == out.index(needed)
    assert "def build" in out and "class Base(" in out and "def audit" in out
    assert len(kept) > len(NEEDED_ELSEWHERE) // 2
    # Field is only kept when a rule may import it.
    assert "def Field" not in out
    assert "def Field" in narrow(NEEDED_ELSEWHERE, words, ["Field"]).text


def test_comment_lines_between_blanked_definitions_join_them_unless_they_hold_a_word():
    text = ("def a():\n    return 1\n\n# ---- section ----\n    # indented\n\ndef b():\n    return 2\n"
            "# tenant_id here\ndef c():\n    return 3\n\ndef d(tenant_id):\n    return tenant_id\n")
    out = narrow(text, ["tenant_id"])
    assert len(out.text) == len(text)
    # a, the banner and b are one comment line; the comment with the word stays, then c is another.
    assert [out.text[s:e].count("\n") for s, e in out.spans] == [0, 0]
    assert text[out.spans[0][0]:out.spans[0][1]].count("section") == 1
    assert "# tenant_id here\n" in out.text and out.text.index("def d(") == text.index("def d(")
    assert out.text.count("\n") == text.count("\n") - 7 - 1


def test_offsets_hold_with_crlf_and_non_ascii_text():
    text = "def a():\r\n    return 'naïve ✓'\r\n\r\ndef b(tenant_id):\r\n    return tenant_id\r\n"
    out = narrow(text, ["tenant_id"]).text
    assert len(out) == len(text)
    assert out.index("def b(tenant_id)") == text.index("def b(tenant_id)")
    assert out.count("\r\n") == text.count("\r\n") - 1  # one blanked run is one line, its own CRLF kept


def test_not_narrowed_when_unsure():
    assert narrow("def a(:\n    pass\ndef b(tenant_id): pass\n", ["tenant_id"]) is None  # syntax error
    assert narrow("def a():\r    pass\rdef b(tenant_id): pass\r", ["tenant_id"]) is None  # lone CR
    assert narrow("def b(tenant_id):\n    pass\n", ["tenant_id"]) is None  # nothing to blank


def test_the_project_models_outline_stands_for_its_own_text_only(monkeypatch):
    """The project model parsed a file already: the worker narrows it with
    that outline, the same one narrow() would make, and not a fix round's text."""
    import ast

    from nooble_codemod.fs.source import SourceText
    from nooble_codemod.project import decisions

    spec = Spec.load()
    raw = NEEDED_ELSEWHERE.encode()
    d = decisions.of_sources({"m.py": SourceText.decode(raw, python=True)},
                             decisions.renames_of(spec, Settings()))["m.py"]
    assert d.outline_of(raw) == python_narrow.outline(ast.parse(NEEDED_ELSEWHERE))
    assert d.outline_of(raw + b"\n") is None
    given = []
    real = python_narrow.narrow
    monkeypatch.setattr(python_narrow, "narrow", lambda text, w, n=(), g=None: given.append(g) or real(text, w, n, g))
    r = Pipeline(spec, Settings()).process("m.py", raw, fix=True)
    assert r.new is not None and given[0] == d.outline  # the first analysis: the model's text
    assert all(g is None for g in given[1:])  # a fix round's text is outlined anew (or its spans moved)
