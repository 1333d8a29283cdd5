""".gitignore matching: the screened spec answers exactly as pathspec does, and
the walk keeps git's semantics on the cases the screen could get wrong."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pathspec
from hypothesis import given, settings
from hypothesis import strategies as st

from nooble_codemod.fs.discovery import discover
from nooble_codemod.fs.ignore_memo import IgnoreMemo
from nooble_codemod.fs.ignores import ScreenedSpec

segment = st.sampled_from(["a", "b", "src", "gen", "x.ts", "y.py", "*.ts", "*", "**", "a?", "[ab]", "node_modules"])
patterns = st.builds(
    lambda neg, lead, parts, trail: ("!" if neg else "") + ("/" if lead else "") + "/".join(parts) + ("/" if trail else ""),
    st.booleans(), st.booleans(), st.lists(segment, min_size=1, max_size=3), st.booleans(),
)
paths = st.builds(lambda parts, d: "/".join(parts) + ("/" if d else ""),
                  st.lists(st.sampled_from(["a", "b", "src", "gen", "x.ts", "y.py", "ab", "node_modules"]),
                           min_size=1, max_size=4), st.booleans())


@settings(max_examples=400, deadline=None)
@given(st.lists(patterns | st.sampled_from(["# comment", "", "\\#x", "\\!y"]), max_size=6), st.lists(paths, min_size=1, max_size=8))
def test_the_screen_never_changes_pathspecs_answer(lines, files):
    spec = pathspec.GitIgnoreSpec.from_lines(lines)
    screened = ScreenedSpec(spec)
    for f in files:
        assert screened.check(f) == spec.check_file(f).include, (lines, f)
        assert screened.matches(f) == spec.match_file(f)


def touch(root: Path, rel: str) -> Path:
    p = root / rel
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text("const x = 1;\n")
    return p


def names(found, root: Path) -> list[str]:
    return [p.relative_to(root).as_posix() for p in found.files]


def test_directory_patterns_negations_and_anchors(tmp_path):
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    touch(tmp_path, ".gitignore").write_text("out.ts/\n/top.ts\n*.gen.ts\n!keep/*.gen.ts\n")
    for rel in ("out.ts", "dir/out.ts/inner.ts", "top.ts", "sub/top.ts", "a.gen.ts", "keep/b.gen.ts", "sub/c.ts"):
        touch(tmp_path, rel)
    touch(tmp_path, "sub/.gitignore").write_text("!a.gen.ts\nc.ts\n")
    touch(tmp_path, "sub/a.gen.ts")
    found = discover([tmp_path])
    # out.ts/ names folders only; /top.ts only the root's; the deeper file re-includes a.gen.ts under sub/.
    assert names(found, tmp_path) == ["keep/b.gen.ts", "out.ts", "sub/a.gen.ts", "sub/top.ts"]
    # The same from inside the sub-folder: the root .gitignore still applies, and sub's own too.
    assert names(discover([tmp_path / "sub"]), tmp_path) == ["sub/a.gen.ts", "sub/top.ts"]


def test_a_folder_named_on_the_command_line_is_walked_even_if_ignored(tmp_path):
    """As ruff does: naming an ignored folder means "this one". Only its own
    .gitignore files apply then; the tree's walk still skips it."""
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    touch(tmp_path, ".gitignore").write_text("build/\n*.gen.ts\n")
    touch(tmp_path, "build/app/a.ts")
    touch(tmp_path, "build/app/b.gen.ts")
    touch(tmp_path, "build/app/.gitignore").write_text("skip.ts\n")
    touch(tmp_path, "build/app/skip.ts")
    touch(tmp_path, "src/c.ts")
    assert names(discover([tmp_path]), tmp_path) == ["src/c.ts"]
    assert names(discover([tmp_path / "build" / "app"]), tmp_path) == ["build/app/a.ts", "build/app/b.gen.ts"]
    assert names(discover([tmp_path / "build"]), tmp_path) == ["build/app/a.ts", "build/app/b.gen.ts"]


def test_a_tree_deeper_than_the_python_stack_is_walked(tmp_path):
    deep = tmp_path
    for _ in range(1100):  # os.makedirs would recurse as deep
        deep = deep / "d"
        deep.mkdir()
    (deep / "x.ts").write_text("const x = 1;\n")
    try:
        found = discover([tmp_path])
        assert [p.name for p in found.files] == ["x.ts"]
    finally:
        # shutil.rmtree (pytest's clean-up of old temporary folders) recurses
        # once per level and would fail on this tree in a later session.
        (deep / "x.ts").unlink()
        while deep != tmp_path:
            deep.rmdir()
            deep = deep.parent


def test_a_linked_folder_is_not_walked_and_a_fifo_is_named(tmp_path):
    touch(tmp_path, "real/a.ts")
    (tmp_path / "alias").symlink_to(tmp_path / "real", target_is_directory=True)
    os.mkfifo(tmp_path / "pipe.ts")
    found = discover([tmp_path])
    assert names(found, tmp_path) == ["real/a.ts"]
    assert [(p.name, why) for p, why in found.skipped] == [
        ("pipe.ts", "not a regular file (a FIFO, socket or device); not read")]


def test_stamps_are_keyed_by_the_paths_found(tmp_path):
    f = touch(tmp_path, "a.ts")
    found = discover([tmp_path])
    st_ = f.stat()
    assert found.paths == [str(f)] and found.stamps[str(f)] == [st_.st_mtime_ns, st_.st_size]


# -- pathspec's answers remembered between runs (IgnoreMemo) ----------------------------

def _store(path: str, text: str) -> None:
    Path(path).write_text(text, encoding="utf-8")


@settings(max_examples=200, deadline=None)
@given(st.lists(patterns | st.sampled_from(["# comment", "", "\\#x"]), max_size=6),
       st.lists(paths, min_size=1, max_size=6), st.lists(paths, max_size=6))
def test_remembered_answers_are_pathspecs(tmp_path_factory, lines, first, later):
    memo_file = str(tmp_path_factory.mktemp("memo") / "gitignore.json")
    spec = pathspec.GitIgnoreSpec.from_lines(lines)
    run1 = IgnoreMemo(memo_file)
    for f in first:
        assert run1.spec(lines).check(f) == spec.check_file(f).include, (lines, f)
    run1.save(_store)
    # The next run: what the first asked comes from the file, the rest from pathspec.
    run2 = IgnoreMemo(memo_file)
    for f in first + later:
        assert run2.spec(lines).check(f) == spec.check_file(f).include, (lines, f)
    assert not run2.dirty or any(f not in first for f in later)


def test_a_warm_walk_does_not_import_pathspec(tmp_path):
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    touch(tmp_path, ".gitignore").write_text("gen/\n*.gen.ts\n!keep.gen.ts\n")
    for rel in ("a.ts", "gen/b.ts", "c.gen.ts", "keep.gen.ts", "sub/d.py"):
        touch(tmp_path, rel).write_text("tenant_id = 1\n")  # a finding names each file walked
    src = str(Path(__file__).resolve().parent.parent / "src")
    env = dict(os.environ, PYTHONPATH=src + os.pathsep + os.environ.get("PYTHONPATH", ""))

    def run(*extra):
        res = subprocess.run([sys.executable, "-X", "importtime", "-m", "nooble_codemod", "check", ".", "--exit-zero",
                              "--format", "json", *extra], cwd=tmp_path, env=env, capture_output=True, text=True,
                             timeout=120)
        assert res.returncode == 0, res.stderr
        return "| pathspec\n" in res.stderr, sorted({f["path"] for f in json.loads(res.stdout)["findings"]})

    assert run()[0]  # the first run asks pathspec
    imported, scanned = run()
    assert not imported and scanned == run("--no-cache")[1] == ["a.ts", "keep.gen.ts", "sub/d.py"]
    (tmp_path / ".gitignore").write_text("gen/\n")  # a new text: pathspec again, and its answer
    imported, scanned = run()
    assert imported and scanned == run("--no-cache")[1]


def test_a_memo_of_another_pathspec_or_not_a_memo_is_ignored(tmp_path):
    memo_file = tmp_path / "gitignore.json"
    lines = ["gen/", "*.gen.ts"]
    run1 = IgnoreMemo(str(memo_file))
    assert run1.spec(lines).check("gen/") is True
    run1.save(_store)
    doc = json.loads(memo_file.read_text())
    key = next(iter(doc["texts"]))
    # Verdicts of another pathspec (its stamp differs): not used.
    doc["pathspec"][1] += 1
    doc["texts"][key][1]["gen/"] = False
    memo_file.write_text(json.dumps(doc))
    assert IgnoreMemo(str(memo_file)).spec(lines).check("gen/") is True
    for junk in ("{", "[]", '{"pathspec": null, "texts": 1}', json.dumps({**doc, "texts": {key: ["(", {}]}}),
                 json.dumps({**doc, "texts": {key: [None, {"gen/": "yes"}]}})):
        memo_file.write_text(junk)
        assert IgnoreMemo(str(memo_file)).spec(lines).check("gen/") is True
        assert IgnoreMemo(str(memo_file)).spec(lines).check("x.gen.ts") is True
