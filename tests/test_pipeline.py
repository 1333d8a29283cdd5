"""The per-file pipeline: prefilter, bad input, fix rounds, validation, suppression."""

from __future__ import annotations

import codecs
import os
import re
import resource
import subprocess
import sys

import pytest

from conftest import ROOT
from nooble_codemod.model import Edit, FileStatus
from nooble_codemod.engine.pipeline import Pipeline
from nooble_codemod.rules import Rule
from nooble_codemod.settings import Settings


class WordRule(Rule):
    """Test rule: replaces OLDWORD by `replacement` (which may be broken code)."""

    id = "test-word"
    checklist = ("FE-1",)

    def __init__(self, language="typescript", replacement="newWord"):
        self.language = language
        self.replacement = replacement

    def words(self, spec, settings):
        return {"OLDWORD"}

    def run(self, ctx):
        for m in re.finditer(rb"OLDWORD", ctx.source.data):
            yield self.finding(ctx, m.start(), m.end(), "FE-1", "old word",
                               [Edit(m.start(), m.end(), self.replacement)])


def pipeline_with(spec, *rules, **settings):
    p = Pipeline(spec, Settings(**settings))
    p.__dict__["rules"] = {"typescript": tuple(r for r in rules if r.language == "typescript"),
                           "python": tuple(r for r in rules if r.language == "python")}
    return p


def test_file_without_relevant_words_is_never_parsed(spec, monkeypatch):
    p = pipeline_with(spec, WordRule())
    monkeypatch.setattr(p, "parse", lambda *a: pytest.fail("parsed an irrelevant file"))
    r = p.process("a.ts", b"const x = 1;\n", fix=True)
    assert r.status is FileStatus.UNCHANGED and r.new is None


def test_fix_keeps_bom_crlf_and_missing_final_newline(spec):
    p = pipeline_with(spec, WordRule())
    raw = codecs.BOM_UTF8 + b"const OLDWORD = 1;\r\nconst y = OLDWORD;"
    r = p.process("a.ts", raw, fix=True)
    assert r.status is FileStatus.CHANGED
    assert r.new == codecs.BOM_UTF8 + b"const newWord = 1;\r\nconst y = newWord;"
    assert r.edit_count == 2


def test_second_run_changes_nothing(spec):
    p = pipeline_with(spec, WordRule())
    first = p.process("a.ts", b"let OLDWORD = 2;\n", fix=True)
    again = p.process("a.ts", first.new, fix=True)
    assert again.status is FileStatus.UNCHANGED


def test_fix_that_would_not_parse_is_reverted_and_reported(spec):
    p = pipeline_with(spec, WordRule(replacement="= = ="))
    raw = b"let OLDWORD = 2;\n"
    r = p.process("a.ts", raw, fix=True)
    assert r.status is FileStatus.FAILED
    assert "would not parse" in r.reason and "left unchanged" in r.reason
    assert r.new is None
    assert [f.rule for f in r.findings] == ["test-word"]


def test_python_fix_that_would_not_parse_is_reverted(spec):
    p = pipeline_with(spec, WordRule(language="python", replacement="def ("))
    r = p.process("a.py", b"OLDWORD = 1\n", fix=True)
    assert r.status is FileStatus.FAILED and "would not parse" in r.reason


@pytest.mark.parametrize("name,raw,status,reason", [
    ("bin.ts", b"OLDWORD\x00\x01\x02", FileStatus.SKIPPED, "binary file"),
    ("latin.ts", "const OLDWORD = 'caf\u00e9';\n".encode("latin-1"), FileStatus.FAILED, "not valid utf-8"),
    ("broken.ts", b"const OLDWORD = ;;; {\n", FileStatus.FAILED, "at 1:"),
    ("broken.py", b"def OLDWORD(:\n", FileStatus.FAILED, "syntax error at 1:"),
    ("notes.md", b"OLDWORD", FileStatus.SKIPPED, "not a TypeScript"),
])
def test_bad_input_gets_a_clear_reason(spec, name, raw, status, reason):
    p = pipeline_with(spec, WordRule(), WordRule(language="python"))
    r = p.process(name, raw, fix=True)
    assert r.status is status
    assert reason in r.reason
    assert r.new is None


def test_python_syntax_error_names_what_the_parser_expected():
    from nooble_codemod.languages import SyntaxProblem, python

    with pytest.raises(SyntaxProblem) as err:
        python.parse("def f(:\n    pass\n")
    msg = str(err.value)
    assert msg.startswith("syntax error at ")
    assert "expected one of" in msg
    assert "Syntax Error @" not in msg and "parser error" not in msg


def test_deep_nesting_does_not_crash(spec):
    p = pipeline_with(spec, WordRule(language="python"))
    raw = ("x = " + "[" * 3000 + "]" * 3000 + "\nOLDWORD = 1\n").encode()
    r = p.process("deep.py", raw, fix=True)
    assert r.status is FileStatus.FAILED
    assert "more than 200 nested brackets at line 1" in r.reason


def test_long_operator_chain_parses_without_crashing(tmp_path):
    # LibCST's native parser recurses on the C stack: a long operator chain
    # overflows the main thread's stack and the process dies (segfault). The
    # parse runs on a thread with its own large stack. A 1 MiB main stack
    # makes 2,000 terms enough to show it (8,000 crash the default 8 MiB; the
    # parse time grows with the square of the length, so keep this small).
    script = tmp_path / "chain.py"
    script.write_text(
        "import sys\n"
        "from nooble_codemod.languages import python\n"
        "module = python.parse('x = ' + '+'.join(['1'] * 2000) + '\\n')\n"
        "print(len(module.body))\n")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    res = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, env=env, timeout=300,
                         preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_STACK, (1 << 20, 1 << 20)))
    assert res.returncode == 0, res.stderr
    assert res.stdout.strip() == "1"


@pytest.mark.parametrize("comment,suppressed", [
    ("// nooble-codemod: ignore", True),
    ("// nooble-codemod: ignore[FE-1]", True),
    ("// nooble-codemod: ignore[test-word]", True),
    ("// nooble-codemod: ignore[fe-1]", True),  # ids match whatever their case
    ("// nooble-codemod: ignore[Test-Word]", True),
    ("// nooble-codemod: ignore[DB-9]", False),
])
def test_inline_suppression(spec, comment, suppressed):
    p = pipeline_with(spec, WordRule())
    raw = f"const OLDWORD = 1; {comment}\n".encode()
    r = p.process("a.ts", raw, fix=False)
    assert (r.findings == []) is suppressed


def test_suppression_on_the_line_above(spec):
    p = pipeline_with(spec, WordRule())
    r = p.process("a.ts", b"// nooble-codemod: ignore[FE-1]\nconst OLDWORD = 1;\n", fix=False)
    assert r.findings == []


def test_check_mode_reports_without_changing(spec):
    p = pipeline_with(spec, WordRule())
    r = p.process("a.ts", b"const OLDWORD = 1;\n", fix=False)
    assert r.status is FileStatus.UNCHANGED
    assert [(f.line, f.column, f.end_column, f.fixable) for f in r.findings] == [(1, 7, 14, True)]


def test_python_parses_share_one_parser_thread_and_survive_an_interrupted_one():
    import threading

    from nooble_codemod.languages import python
    from nooble_codemod.engine.timelimit import FileTimeout, time_limit

    python.parse("a = 1\n")
    before = threading.active_count()
    for _ in range(5):
        python.parse("b = 2\n")
    assert threading.active_count() == before  # no thread per file

    # A parse cut off by the time limit leaves its thread busy with that text:
    # the next parse must get its own tree, not the abandoned one's.
    with pytest.raises(FileTimeout):
        with time_limit(0.01):
            python.parse("x = " + " + ".join(["1"] * 1500) + "\n")
    module = python.parse("y = 2\n")
    assert module.code == "y = 2\n"


def test_python_parse_in_a_forked_child(tmp_path):
    import multiprocessing

    from nooble_codemod.languages import python

    python.parse("a = 1\n")  # the parent's thread exists; the child has none
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(1) as pool:
        assert pool.apply_async(_parse_code, ("z = 3\n",)).get(timeout=30) == "z = 3\n"


def _parse_code(text):
    from nooble_codemod.languages import python

    return python.parse(text).code


@pytest.mark.parametrize("folder", ["backend", "frontend"])
def test_no_object_of_ours_is_left_in_a_reference_cycle_after_a_file(spec, folder):
    # The rules' per-file memos referred back to their context, a cycle that
    # kept each file's whole tree until the cycle collector found it (a tenth
    # of the analysis's time on the bench tree). LibCST's ScopeProvider has
    # cycles of its own, for the few files that need it: not ours to break.
    import gc

    p = Pipeline(spec, Settings())
    files = sorted((ROOT / "fixtures" / "sample-app" / folder).rglob("*.*"))
    gc.collect()
    gc.disable()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        results = [p.process(f.name, f.read_bytes(), fix=fix) for f in files for fix in (False, True)]
        gc.collect()
        ours = sorted({type(o).__qualname__ for o in gc.garbage if type(o).__module__.startswith("nooble_codemod")})
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.enable()
    assert any(r.findings for r in results)  # the rules did run
    assert ours == []
