"""Atomic writes: temp file + rename, mode kept, stale files refused."""

from __future__ import annotations

import os
import stat

import pytest

from nooble_codemod.fs import writer
from nooble_codemod.fs.writer import StaleFile, write_atomically


def test_replaces_content_and_keeps_permission_bits(tmp_path):
    f = tmp_path / "run.py"
    f.write_bytes(b"old\n")
    f.chmod(0o750)
    write_atomically(f, b"new\n", b"old\n")
    assert f.read_bytes() == b"new\n"
    assert stat.S_IMODE(f.stat().st_mode) == 0o750
    assert [p.name for p in tmp_path.iterdir()] == ["run.py"]  # no temp file left


def test_a_file_changed_since_it_was_read_is_not_overwritten(tmp_path):
    f = tmp_path / "a.ts"
    f.write_bytes(b"edited by someone else\n")
    with pytest.raises(StaleFile):
        write_atomically(f, b"migrated\n", b"what we read\n")
    assert f.read_bytes() == b"edited by someone else\n"


def test_a_file_deleted_during_the_run_is_not_recreated(tmp_path):
    f = tmp_path / "a.ts"
    with pytest.raises(StaleFile):
        write_atomically(f, b"migrated\n", b"what we read\n")
    assert not f.exists()


def test_a_failure_mid_write_leaves_the_original_and_no_temp_file(tmp_path, monkeypatch):
    f = tmp_path / "a.ts"
    f.write_bytes(b"original\n")

    def boom(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(writer.os, "replace", boom)
    with pytest.raises(OSError):
        write_atomically(f, b"migrated\n", b"original\n")
    assert f.read_bytes() == b"original\n"
    assert [p.name for p in tmp_path.iterdir()] == ["a.ts"]


def test_the_rename_is_the_only_moment_the_file_changes(tmp_path, monkeypatch):
    # Until os.replace runs, readers see the old bytes; the new bytes are
    # complete (flushed and fsynced) in the temp file before it does.
    f = tmp_path / "a.ts"
    f.write_bytes(b"original\n")
    seen = {}
    real_replace = os.replace

    def spy(src, dst):
        seen["target_before"] = f.read_bytes()
        with open(src, "rb") as fh:
            seen["temp"] = fh.read()
        real_replace(src, dst)

    monkeypatch.setattr(writer.os, "replace", spy)
    write_atomically(f, b"migrated\n", b"original\n")
    assert seen == {"target_before": b"original\n", "temp": b"migrated\n"}


def test_engine_reports_a_file_changed_during_the_run_and_keeps_the_other_bytes(tmp_path, monkeypatch, spec):
    from nooble_codemod.engine import tasks
    from nooble_codemod.engine.run import RunRequest, run
    from nooble_codemod.model import FileStatus, RunMode
    from nooble_codemod.settings import Settings

    f = tmp_path / "api.ts"
    f.write_text("supabase.from('conversations').select('*').eq('tenant_id', id);\n")
    real = tasks.process_one

    def racing(pipeline, abs_path, rel, size, fix, *project):
        result = real(pipeline, abs_path, rel, size, fix, *project)
        f.write_text("// someone saved the file meanwhile\n")
        return result

    monkeypatch.setattr(tasks, "process_one", racing)
    monkeypatch.chdir(tmp_path)
    result = run(RunRequest([tmp_path], spec, Settings(), RunMode.APPLY, jobs=1, allow_dirty=True))
    assert f.read_text() == "// someone saved the file meanwhile\n"
    [r] = result.files
    assert r.status is FileStatus.FAILED and "changed during the run" in r.reason
    # Nothing counts as done: the fix is reported as still to do.
    assert result.fixed == [] and any(x.fixable for x in result.findings)


V5_PY = 'def f(client, tenant_id):\n    return client.table("conversations").eq("tenant_id", tenant_id)\n'


def _apply(tmp_path, monkeypatch, *extra):
    from typer.testing import CliRunner

    from nooble_codemod.cli.app import app

    monkeypatch.chdir(tmp_path)
    return CliRunner().invoke(app, ["apply", ".", "--allow-dirty", "--no-cache", "-j", "1", *extra])


def test_a_read_only_file_is_reported_not_rewritten(tmp_path, monkeypatch):
    f = tmp_path / "a.py"
    f.write_text(V5_PY)
    f.chmod(0o444)
    res = _apply(tmp_path, monkeypatch)
    assert res.exit_code == 2
    assert f.read_text() == V5_PY and stat.S_IMODE(f.stat().st_mode) == 0o444
    assert "a.py: the file is read-only; not rewritten" in res.stdout


def test_a_file_with_hard_links_is_reported_not_split(tmp_path, monkeypatch):
    f = tmp_path / "a.py"
    f.write_text(V5_PY)
    os.link(f, tmp_path / "b.txt")
    res = _apply(tmp_path, monkeypatch)
    assert res.exit_code == 2
    assert "a.py: the file has 2 hard links" in res.stdout
    assert os.stat(f).st_ino == os.stat(tmp_path / "b.txt").st_ino and f.read_text() == V5_PY


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="giving a file away needs root")
def test_owner_and_group_are_kept(tmp_path, monkeypatch):
    f = tmp_path / "a.py"
    f.write_text(V5_PY)
    os.chown(f, 1234, 2345)
    res = _apply(tmp_path, monkeypatch)
    assert res.exit_code == 0, res.stdout
    assert "user_id" in f.read_text()
    assert (f.stat().st_uid, f.stat().st_gid) == (1234, 2345)


def test_a_later_apply_removes_the_temp_files_a_killed_one_left(tmp_path, monkeypatch):
    dead = 4_000_000  # above Linux's pid_max: no process has it
    stale = tmp_path / f".a.py.{dead}.k2j4h1x9.nooble-tmp"
    stale.write_text("half a migration")
    live = tmp_path / f".a.py.{os.getpid()}.zz9q8w7e.nooble-tmp"  # a writer still running
    live.write_text("in progress")
    (tmp_path / "a.py").write_text(V5_PY)
    res = _apply(tmp_path, monkeypatch)
    assert res.exit_code == 0, res.stdout
    assert not stale.exists() and live.exists()


def test_ctrl_c_while_writing_says_how_far_it_got(tmp_path, monkeypatch):
    for name in ("a.py", "b.py"):
        (tmp_path / name).write_text(V5_PY)
    real = writer.write_atomically

    def interrupted(path, data, expected):
        if path.name == "b.py":
            raise KeyboardInterrupt
        real(path, data, expected)

    monkeypatch.setattr(writer, "write_atomically", interrupted)
    res = _apply(tmp_path, monkeypatch)
    assert res.exit_code == 130
    assert "interrupted while writing: 1 of 2 file(s) were migrated" in res.stderr
    assert "run the same apply again to finish" in res.stderr
