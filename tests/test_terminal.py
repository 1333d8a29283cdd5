"""Terminal behaviour: colour and a progress bar on a TTY, plain text otherwise
or under NO_COLOR (https://no-color.org)."""

from __future__ import annotations

import os
import pty
import re
import select
import shutil
import subprocess
import sys

import pytest

from conftest import FIXTURES

ESC = re.compile(rb"\x1b\[")
COLOUR = re.compile(rb"\x1b\[[0-9;]*(3[0-9]|9[0-7]|38;)")


def run_in_pty(args, cwd, env) -> bytes:
    """Run the CLI with a pseudo-terminal as stdout and stderr; return all it wrote."""
    master, slave = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "nooble_codemod", *args], cwd=cwd, env=env,
                            stdin=subprocess.DEVNULL, stdout=slave, stderr=slave, close_fds=True)
    os.close(slave)
    out = b""
    while True:
        ready, _, _ = select.select([master], [], [], 60)
        if not ready:
            proc.kill()
            break
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        out += chunk
    proc.wait(timeout=60)
    os.close(master)
    return out


def env_for(**extra) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", "TERM", "COLUMNS")}
    env.update(TERM="xterm-256color", COLUMNS="120", **extra)
    src = str(FIXTURES.parent / "src")
    env["PYTHONPATH"] = src + os.pathsep + env.get("PYTHONPATH", "")
    return env


@pytest.fixture
def app_copy(tmp_path):
    shutil.copytree(FIXTURES / "sample-app", tmp_path / "app")
    return tmp_path


def test_not_a_tty_gives_plain_text(app_copy):
    res = subprocess.run([sys.executable, "-m", "nooble_codemod", "apply", "app", "--dry-run"],
                         cwd=app_copy, env=env_for(), capture_output=True, timeout=120)
    assert res.returncode in (0, 1), res.stderr
    assert b"conversation-api.ts" in res.stdout
    assert not ESC.search(res.stdout) and not ESC.search(res.stderr)


def test_not_a_tty_prints_diff_lines_unwrapped(app_copy):
    env = env_for()
    env["COLUMNS"] = "40"  # narrower than any diff header
    res = subprocess.run([sys.executable, "-m", "nooble_codemod", "apply", "app", "--dry-run"],
                         cwd=app_copy, env=env, capture_output=True, timeout=120)
    out = res.stdout.decode()
    assert "diff --git a/app/backend/client.py b/app/backend/client.py\n" in out
    assert "-            .eq('tenant_id', tenant_id) \\\n" in out
    assert re.search(r"\n16 files scanned; \d+ would change \(\d+ edits, 1 new file\); .* skipped\.\n", out)


def test_a_tty_gets_colour(app_copy):
    out = run_in_pty(["apply", "app", "--dry-run"], app_copy, env_for())
    assert b"conversation-api.ts" in out
    assert COLOUR.search(out)


def test_no_color_on_a_tty_gives_no_colour(app_copy):
    out = run_in_pty(["apply", "app", "--dry-run"], app_copy, env_for(NO_COLOR="1"))
    assert b"conversation-api.ts" in out
    assert not COLOUR.search(out)


def test_progress_bar_on_a_tty_for_a_large_run(tmp_path):
    src = tmp_path / "many"
    src.mkdir()
    for i in range(250):
        (src / f"m{i:03}.ts").write_text(f"export const v{i} = {i};\n")
    out = run_in_pty(["check", "many", "-j", "1"], tmp_path, env_for())
    assert "━".encode() in out  # rich's bar


def test_no_progress_bar_for_a_small_run(app_copy):
    out = run_in_pty(["check", "app"], app_copy, env_for())
    assert "━".encode() not in out


def _many(tmp_path, n=250):
    src = tmp_path / "many"
    src.mkdir()
    for i in range(n):
        (src / f"m{i:03}.ts").write_text(f"export const v{i} = {i};\n")
    return src


def test_large_run_to_a_pipe_does_not_import_rich(tmp_path):
    # rich's import is ~30 ms of CPU: not paid to learn that a pipe is no terminal.
    _many(tmp_path)
    res = subprocess.run([sys.executable, "-X", "importtime", "-m", "nooble_codemod", "check", "many", "-j", "1",
                          "--format", "json", "--output", "out.json"],
                         cwd=tmp_path, env=env_for(), capture_output=True, timeout=120)
    assert res.returncode == 0, res.stderr
    assert (tmp_path / "out.json").exists()
    assert b"| rich.console" not in res.stderr


def test_forced_terminal_still_gets_the_bar(tmp_path):
    _many(tmp_path)
    res = subprocess.run([sys.executable, "-m", "nooble_codemod", "check", "many", "-j", "1"],
                         cwd=tmp_path, env=env_for(FORCE_COLOR="1"), capture_output=True, timeout=120)
    assert res.returncode == 0, res.stderr
    assert "━".encode() in res.stderr  # rich's bar, on a pipe rich was told is a terminal
