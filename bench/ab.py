"""Times the commands of `make bench` under two installs of nooble-codemod.

    python bench/ab.py OTHER_PYTHON [--files 20000] [--seed 8] [--runs 9]
                       [--only cold,warm,ten,apply]

OTHER_PYTHON is the interpreter of another install (a virtualenv with a
variant of the tool, say without one speed shortcut); this one is the
interpreter running the script. For each command the two take turns run by
run on the same tree, so the machine's drift hits both alike; the table
gives each side's median and the median of the paired ratios (other / this),
of the wall-clock time and of the CPU time (user and system, the command's
whole process tree). What a shortcut is worth is its paired ratio on the
command it is for. The sides take turns in both orders (this first in odd
rounds, the other first in even ones), so neither always runs on the
machine the other one has just warmed.

CPU time moves less than wall time with what the machine's other tenants
do (it does not count the time a process waits for a core), so a change of
a few percent shows in it first; wall time is what the targets are about.
Run an A/A comparison (the same build installed on both sides) to see the
noise of the day: a paired ratio inside it says nothing.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from generate import bench_tree, sample_sources  # noqa: E402


def timed(cmd: list[str], cwd: Path, prepare=None) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the command and every process it waited for)."""
    if prepare:
        prepare()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("other", help="the other install's python")
    ap.add_argument("--files", type=int, default=20000)
    ap.add_argument("--seed", type=int, default=8)
    ap.add_argument("--runs", type=int, default=9)
    ap.add_argument("--only", default="cold,warm,ten,apply", help="which commands (comma-separated)")
    args = ap.parse_args()

    tree = bench_tree(args.files, args.seed)
    cache = tree / ".nooble-codemod-cache"
    copy = HERE / ".work" / "copy-ab"
    ten = [str(p.relative_to(tree)) for p in sample_sources(tree)]

    def no_cache():
        shutil.rmtree(cache, ignore_errors=True)

    def fresh_copy():
        shutil.rmtree(copy, ignore_errors=True)
        shutil.copytree(tree, copy, symlinks=True, ignore=shutil.ignore_patterns(".nooble-codemod-cache"))

    check = ["check", ".", "--exit-zero", "--format", "json", "--output", os.devnull]
    commands = {
        "cold": ("check, cold (-j 2)", check + ["-j", "2"], tree, no_cache),
        "warm": ("check, warm", check, tree, None),
        "ten": ("check 10 files (pre-commit)", ["check", "--exit-zero", "--no-cache", *ten], tree, None),
        "apply": ("apply, fresh copy", ["apply", ".", "--allow-dirty", "--no-cache"], copy, fresh_copy),
    }
    other = os.path.abspath(args.other) if os.sep in args.other else args.other  # the commands run in the tree
    sides = {"this": [sys.executable, "-m", "nooble_codemod"], "other": [other, "-m", "nooble_codemod"]}
    rows = []
    for key in args.only.split(","):
        name, cmd, cwd, prepare = commands[key]
        if key == "warm":
            for tool in sides.values():  # each install fills its own cache file (the key holds the version)
                subprocess.run(tool + cmd, cwd=cwd, capture_output=True)
        times: dict[str, list[tuple[float, float]]] = {side: [] for side in sides}
        print(f"  {name} …", file=sys.stderr, flush=True)
        for run in range(args.runs):
            for side in (("this", "other") if run % 2 == 0 else ("other", "this")):
                times[side].append(timed(sides[side] + cmd, cwd, prepare))
        rows.append((name, *(_summary(times, k) for k in (0, 1))))
    shutil.rmtree(copy, ignore_errors=True)

    print(f"\n{args.files} files, seed {args.seed}, {os.cpu_count()} cores, {args.runs} runs each side\n")
    print("| command                     | this s | other s | other / this (paired) "
          "| CPU: this s | other s | other / this (paired) |")
    print("|-----------------------------|-------:|--------:|----------------------:"
          "|------------:|--------:|----------------------:|")
    for name, (this, other, paired), (cpu_this, cpu_other, cpu_paired) in rows:
        print(f"| {name:<27} | {this:6.3f} | {other:7.3f} | {paired:20.3f}x "
              f"| {cpu_this:11.3f} | {cpu_other:7.3f} | {cpu_paired:20.3f}x |")


def _summary(times: dict[str, list[tuple[float, float]]], k: int) -> tuple[float, float, float]:
    """Each side's median of measure `k` (0: wall, 1: CPU) and the median of the paired ratios."""
    this = [t[k] for t in times["this"]]
    other = [t[k] for t in times["other"]]
    return statistics.median(this), statistics.median(other), statistics.median(o / t for o, t in zip(other, this))


if __name__ == "__main__":
    main()
