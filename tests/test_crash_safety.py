"""Crash safety: `apply` killed with SIGKILL at random
moments leaves every file byte-equal to its original or to its fully migrated
version, never a mix or a truncation; a created file is whole or absent.

200 trials over a tree of 120 files, two at a time. Half the kills land at a
random moment of the whole run; the other half wait until the first file has
been written, so that they fall inside the write phase."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

TRIALS = 200
FILES = 120
NEW_FILE = "subscription-api.ts"


def _source(i: int) -> str:
    return (f"import {{ supabase }} from '../lib/supabase';\n\n"
            f"export async function list{i}(tenantId: string) {{\n"
            f"    const {{ data }} = await supabase.from('conversations').select('id, tenant_id')"
            f".eq('tenant_id', tenantId);\n    return data;\n}}\n" + "// filler\n" * (50 + i))


def _apply(tree: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "nooble_codemod", "apply", str(tree), "--allow-dirty", "-j", "1"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def test_sigkill_never_leaves_a_half_written_file(tmp_path):
    originals = {f"api{i:03d}-api.ts": _source(i).encode() for i in range(FILES)}
    reference = tmp_path / "reference"
    reference.mkdir()
    for name, data in originals.items():
        (reference / name).write_bytes(data)
    started = time.monotonic()
    assert _apply(reference).wait(timeout=300) in (0, 1)
    full_run = time.monotonic() - started
    migrated = {name: (reference / name).read_bytes() for name in originals}
    assert all(migrated[n] != originals[n] for n in originals)
    created = (reference / NEW_FILE).read_bytes()

    def trial(k: int) -> str:
        rng = random.Random(k)
        tree = tmp_path / f"t{threading.get_ident()}"  # one tree per worker thread
        if tree.exists():
            shutil.rmtree(tree)
        tree.mkdir()
        for name, data in originals.items():
            (tree / name).write_bytes(data)
        first = tree / sorted(originals)[0]
        proc = _apply(tree)
        if k % 2:
            time.sleep(rng.uniform(0, full_run))
        else:  # wait for the write phase, then kill inside it
            deadline = time.monotonic() + 60
            while first.read_bytes() == originals[first.name] and proc.poll() is None and time.monotonic() < deadline:
                time.sleep(0.001)
            time.sleep(rng.uniform(0, 0.05))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        done = 0
        for name in originals:
            data = (tree / name).read_bytes()
            assert data in (originals[name], migrated[name]), f"trial {k}: {name} is neither old nor new"
            done += data == migrated[name]
        if (tree / NEW_FILE).exists():
            assert (tree / NEW_FILE).read_bytes() == created, f"trial {k}: {NEW_FILE} is partial"
        leftovers = [p.name for p in tree.iterdir() if p.name not in originals and p.name != NEW_FILE]
        assert all(p.endswith(".nooble-tmp") for p in leftovers), leftovers  # only temp files can be left
        return "none" if done == 0 else "all" if done == FILES else "some"

    started = time.monotonic()
    with ThreadPoolExecutor(2) as pool:
        outcomes = list(pool.map(trial, range(TRIALS)))
    counts = {o: outcomes.count(o) for o in ("none", "some", "all")}
    print(f"\n{TRIALS} SIGKILL trials in {time.monotonic() - started:.0f} s over {FILES} files "
          f"(a full run takes {full_run:.2f} s): killed before any write {counts['none']}, "
          f"mid-way {counts['some']}, after the last write {counts['all']}; no file half-written")
    assert counts["some"] >= 10, "too few kills landed inside the write phase to prove anything"
