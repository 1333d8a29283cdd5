"""The result cache saved beside the report (engine/background.py): in a
forked child when this process has no other thread, here otherwise, and
whole when the command returns."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from nooble_codemod.engine import background, workers

pytestmark = pytest.mark.skipif(not workers.forking(), reason="forked on this platform only")


def _write(path: Path, text: str) -> None:
    path.write_text(text)


def test_work_runs_in_a_child_and_is_done_after_wait(tmp_path):
    out = tmp_path / "pid"
    background.start(lambda: _write(out, str(os.getpid())))
    background.wait()
    assert out.read_text() != str(os.getpid())  # a child wrote it


def test_with_another_thread_alive_the_work_runs_here(tmp_path):
    out = tmp_path / "pid"
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        background.start(lambda: _write(out, str(os.getpid())))
        assert out.read_text() == str(os.getpid())  # done already, in this process
    finally:
        stop.set()
        other.join()


def _ping() -> int:
    return 1


def test_a_closed_pool_leaves_this_process_one_thread(tmp_path):
    # The queue's feeder thread is joined on a normal close: otherwise every
    # save would run here (see the test above), in the report's time.
    pool = workers.ForkedPool(2, lambda: None, ())
    for _ in range(20):
        pool.submit(_ping)
    assert sum(v for _, v in pool.completed()) == 20
    pool.close()
    assert threading.active_count() == 1


def test_the_cache_is_whole_when_check_returns(tmp_path):
    # Enough files for the workers (dispatch.POOL_THRESHOLD), so the save is forked.
    for i in range(120):
        (tmp_path / f"m{i}.ts").write_text(f"export const q{i} = (t: string) => supabase.from('conversations')"
                                           f".select('*').eq('tenant_id', t);\n")
    subprocess.run([sys.executable, "-m", "nooble_codemod", "check", ".", "-j", "2", "--exit-zero",
                    "--format", "json", "--output", os.devnull], cwd=tmp_path, check=True, timeout=300)
    saved = [p for p in (tmp_path / ".nooble-codemod-cache").glob("*.json")
             if not p.name.startswith(("replay-", "gitignore-"))]
    assert len(saved) == 1
    files = json.loads(saved[0].read_text())["files"]
    assert sorted(files) == sorted(f"m{i}.ts" for i in range(120))
