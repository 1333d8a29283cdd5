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


def _fresh(code: str, tmp_path: Path) -> str:
    """`code` run by a new interpreter (this one may hold threads other tests
    left, a parser's, which keep background.start from forking)."""
    out = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    return out.stdout


def test_work_runs_in_a_child_and_is_done_after_wait(tmp_path):
    said = _fresh("""if True:
        import os, sys
        from pathlib import Path
        from nooble_codemod.engine import background
        out = Path(sys.argv[1]) / "pid"
        background.start(lambda: out.write_text(str(os.getpid())))
        background.wait()
        print(os.getpid(), out.read_text())""", tmp_path)
    parent, child = said.split()
    assert parent != child  # a child wrote it, and it was done when wait() returned


def test_with_another_thread_alive_the_work_runs_here(tmp_path):
    out = tmp_path / "pid"
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        background.start(lambda: out.write_text(str(os.getpid())))
        assert out.read_text() == str(os.getpid())  # done already, in this process
    finally:
        stop.set()
        other.join()


def test_a_closed_pool_leaves_this_process_one_thread(tmp_path):
    # The queue's feeder thread is joined on a normal close: otherwise every
    # save would run in the report's time (see the test above).
    said = _fresh("""if True:
        import threading
        from nooble_codemod.engine import workers
        pool = workers.ForkedPool(2, print, ())
        for _ in range(20):
            pool.submit(abs, -1)
        assert sum(v for _, v in pool.completed()) == 20
        pool.close()
        print(threading.active_count())""", tmp_path)
    assert said.split()[-1] == "1"


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
