"""The README's example outputs are what the commands print today
(tools/readme_examples.py), and the README and docs/ cite no file outside
the repository."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "tools" / "readme_examples.py"
FIX = "python tools/readme_examples.py --write"


def _load():
    spec = importlib.util.spec_from_file_location("readme_examples", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


rx = _load()


def script(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(SCRIPT), *args], cwd=ROOT, capture_output=True, text=True,
                          encoding="utf-8", timeout=600)


def test_readme_examples_are_what_the_commands_print():
    proc = script("--check")
    if proc.returncode != 0:
        pytest.fail(f"README.md's example outputs are out of date: run `{FIX}` and commit the result.\n"
                    f"{proc.stdout}{proc.stderr}", pytrace=False)


# -- the check can fail ----------------------------------------------------------------------------
MARKER = "<!-- example: nooble-codemod explain DB-9 | lines 1, -1 | exit 0 -->"


def test_a_stale_block_fails_the_check_and_write_mends_it(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text(f"# t\n\n{MARKER}\n```text\n$ nooble-codemod explain DB-9\nDB-9 as it was once\n```\n",
                      encoding="utf-8")
    stale = readme.read_text(encoding="utf-8")

    proc = script("--check", "--readme", str(readme))
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "-DB-9 as it was once" in proc.stdout
    assert "+DB-9 (Database) conversations.is_active" in proc.stdout
    assert FIX in proc.stdout
    assert readme.read_text(encoding="utf-8") == stale  # --check writes nothing

    assert script("--write", "--readme", str(readme)).returncode == 0
    mended = readme.read_text(encoding="utf-8")
    assert mended.startswith(f"# t\n\n{MARKER}\n```text\n$ nooble-codemod explain DB-9\nDB-9 (Database) ")
    assert "\n…\nrules: " in mended and mended.endswith("```\n")
    assert script("--check", "--readme", str(readme)).returncode == 0


def test_a_marker_without_a_block_gets_one(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text(f"{MARKER}\n\ntext after\n", encoding="utf-8")
    assert script("--check", "--readme", str(readme)).returncode == 1
    assert script("--write", "--readme", str(readme)).returncode == 0
    lines = readme.read_text(encoding="utf-8").split("\n")
    assert lines[:3] == [MARKER, "```text", "$ nooble-codemod explain DB-9"]
    assert lines[-4:] == ["```", "", "text after", ""]


@pytest.mark.parametrize("marker, why", [
    ("nooble-codemod check fixtures/no-such-folder", "exit code 2, expected 0 or 1"),
    ("nooble-codemod explain DB-9 | exit 1", "exit code 0, expected 1"),
    ("nooble-codemod explain DB-9 | lines /no such line/", "/no such line/ finds no line"),
    ("nooble-codemod explain DB-9 | lines 40", "line 40 is not in the output"),
    ("nooble-codemod explain DB-9 | colour", "unknown marker option"),
    ("rg tenant_id", "must start with nooble-codemod"),
])
def test_a_marker_that_cannot_be_made_is_an_error(tmp_path, marker, why):
    readme = tmp_path / "README.md"
    text = f"<!-- example: {marker} -->\n```text\nold\n```\n"
    readme.write_text(text, encoding="utf-8")
    for mode in ("--check", "--write"):
        proc = script(mode, "--readme", str(readme))
        assert proc.returncode == 2 and why in proc.stderr, proc.stderr
    assert readme.read_text(encoding="utf-8") == text


# -- the marker's syntax ---------------------------------------------------------------------------
LINES = [f"l{i}" for i in range(1, 11)]


@pytest.mark.parametrize("spec, shown", [
    ("1-2, -1", ["l1", "l2", "…", "l10"]),
    ("3", ["…", "l3", "…"]),
    ("-3--1", ["…", "l8", "l9", "l10"]),
    ("1-10", LINES),
    ("/^l1$/+2, 2", ["l1", "l2", "l3", "…"]),  # overlapping selections: each line once
    ("/l[57]/", ["…", "l5", "…", "l7", "…"]),
    ("/l(9|10)/, /,|^l1$/", ["l1", "…", "l9", "l10"]),  # | and , inside a /regex/
    ("/^l10$/+5", ["…", "l10"]),
])
def test_lines_selected(spec, shown):
    assert rx.select(LINES, rx.parse_selectors(spec)) == shown


def test_no_selector_shows_everything():
    assert rx.select(LINES, ()) == LINES


@pytest.mark.parametrize("spec", ["0", "11", "-11", "5-2", "/nothing/", "x", "1-", "/l1"])
def test_bad_selectors(spec):
    with pytest.raises(rx.ExampleError):
        rx.select(LINES, rx.parse_selectors(spec))


def test_marker_options():
    ex = rx.parse_marker(r"nooble-codemod check 'a b' --format json | lines 1, /x|y\/z/+1 | exit 1")
    assert ex.argv == ["nooble-codemod", "check", "a b", "--format", "json", "--no-cache"]
    assert ex.exit_code == 1
    assert [s.pattern.pattern if s.pattern else s.first for s in ex.selectors] == [1, "x|y/z"]
    assert ex.selectors[1].after == 1
    assert rx.parse_marker("nooble-codemod explain DB-9").argv == ["nooble-codemod", "explain", "DB-9"]
    assert rx.parse_marker("nooble-codemod apply . --no-cache").argv.count("--no-cache") == 1


def test_regenerate_keeps_the_rest_of_the_text():
    text = ("a\n<!-- example: nooble-codemod x | lines 2 -->\n````console\nold\n````\nb\n"
            "<!-- example: nooble-codemod y -->\nc")
    new, errors = rx.regenerate(text, ROOT, runner=lambda example, root: [f"{example.command} 1", "2", "3"])
    assert errors == []
    assert new == ("a\n<!-- example: nooble-codemod x | lines 2 -->\n````console\n$ nooble-codemod x\n…\n2\n…\n````\nb\n"
                   "<!-- example: nooble-codemod y -->\n```text\n$ nooble-codemod y\nnooble-codemod y 1\n2\n3\n```\nc")


def test_the_environment_is_fixed(monkeypatch):
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "33")
    monkeypatch.setenv("_NOOBLE_CODEMOD_COMPLETE", "bash_source")
    env = rx.environment()
    assert "FORCE_COLOR" not in env and "_NOOBLE_CODEMOD_COMPLETE" not in env
    assert (env["COLUMNS"], env["NO_COLOR"], env["TERM"]) == (rx.WIDTH, "1", "dumb")


# -- no file outside the repository ------------------------------------------------------------------
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_docs_cite_no_file_outside_the_repository(doc):
    text = doc.read_text(encoding="utf-8")
    # The guide and the design notes live beside the repository, not in it:
    # they are cited by title and section ("Migration Guide - Nooble8 Database V6.0", §4).
    for name in ("MIGRATION_GUIDE", "DESIGN.md"):
        assert name not in text, f"{doc.name} names {name}"
    for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", text):
        if "://" in target:
            continue
        assert (doc.parent / target).exists(), f"{doc.name} links to {target}, which does not exist"
