"""Times nooble-codemod next to ripgrep and ast-grep on the synthetic monorepo.

    python bench/compare.py [--files 20000] [--seed 8] [--runs 5]

Each command runs --runs times (median, min–max), taking turns with the
commands it is compared with, and once more with its whole process tree's
peak RSS sampled (not during the timed runs: sampling costs CPU); one table
of medians and the ratios the speed targets are about is printed. Not part
of `make test` (machines are noisy): `make bench`.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import psutil

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from generate import bench_tree, sample_sources  # noqa: E402

WORDS = ["tenant_id", "tenantId", "p_tenant_id", "getConversationsByTenant", "get_tenant_info", "tenant_info"]
TOOL = [sys.executable, "-m", "nooble_codemod"]

SG_RULES = {
    "TypeScript": ("identifier", "property_identifier", "string_fragment"),
    "Tsx": ("identifier", "property_identifier", "string_fragment"),
    "Python": ("identifier", "string_content"),
}


def sg_config(folder: Path) -> Path:
    """ast-grep rules equivalent to the tenant part of ours: the V5 names as
    identifiers, properties and whole strings, each with its V6 fix."""
    rules = folder / "rules"
    rules.mkdir(parents=True, exist_ok=True)
    renames = {"tenant_id": "user_id", "tenantId": "userId", "p_tenant_id": "p_user_id"}
    for lang, kinds in SG_RULES.items():
        for old, new in renames.items():
            items = "\n".join(f"    - {{ kind: {k}, regex: '^{old}$' }}" for k in kinds)
            (rules / f"{lang}-{old}.yml").write_text(
                f"id: {lang.lower()}-{old}\nlanguage: {lang}\nseverity: error\nmessage: V5 name {old}\n"
                f"rule:\n  any:\n{items}\nfix: {new}\n")
    cfg = folder / "sgconfig.yml"
    cfg.write_text("ruleDirs:\n  - rules\n")
    return cfg


class Job:
    def __init__(self, name, cmd, cwd, prepare=None, env=None):
        self.name, self.cmd, self.cwd, self.prepare, self.env = name, cmd, cwd, prepare, env
        self.times: list[float] = []

    def run_once(self) -> None:
        if self.prepare:
            self.prepare()
        start = time.perf_counter()
        subprocess.run(self.cmd, cwd=self.cwd, env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.times.append(time.perf_counter() - start)

    def peak_rss(self) -> float:
        """The peak RSS of the whole process tree in one more run, in MB."""
        if self.prepare:
            self.prepare()
        proc = psutil.Popen(self.cmd, cwd=self.cwd, env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        peak = 0
        while proc.poll() is None:
            try:
                procs = [proc] + proc.children(recursive=True)
                peak = max(peak, sum(p.memory_info().rss for p in procs if p.is_running()))
            except psutil.Error:
                pass
            time.sleep(0.01)
        return peak / 2**20


def measure(jobs: list[Job], runs: int) -> list[tuple[str, dict]]:
    """Median wall time of `runs` runs of each job, the jobs taking turns run
    by run: this machine's speed drifts by a third within minutes, and jobs
    compared in a ratio must meet the same drift. Then the peak RSS of each
    from one more run: sampling /proc every 10 ms costs CPU the timed
    command would otherwise have (on 2 cores, a tenth of a second of a 3 s run)."""
    for job in jobs:
        print(f"  {job.name}: {' '.join(str(c) for c in job.cmd[:6])} …", file=sys.stderr, flush=True)
    for _ in range(runs):
        for job in jobs:
            job.run_once()
    return [(job.name, {"median": statistics.median(job.times), "min": min(job.times), "max": max(job.times),
                        "rss": job.peak_rss(), "times": job.times}) for job in jobs]


def verify_jobs(app: Path, env: dict) -> list[Job]:
    """`apply --verify` against plain `apply` on the sample app (the type
    checkers' cost is per project, not per file), with the pinned tsc linked
    in as a project's own."""
    shutil.rmtree(app, ignore_errors=True)
    shutil.copytree(HERE.parent / "fixtures" / "sample-app", app)
    node = HERE.parent / "tools" / "node"
    shutil.copy(node / "tsconfig.json", app / "frontend" / "tsconfig.json")
    (app / "frontend" / "node_modules").symlink_to(node / "node_modules", target_is_directory=True)
    # A repository of its own: bench/.work/ is git-ignored, and so would be the app's files.
    (app / ".gitignore").write_text("node_modules\n")
    subprocess.run(["git", "init", "-q", str(app)], check=True)
    dry = TOOL + ["apply", ".", "--dry-run", "--no-cache", "--format", "json"]
    return [Job("ours: apply --dry-run, sample app", dry, app, None, env),
            Job("ours: apply --dry-run --verify, sample app", dry + ["--verify"], app, None, env)]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--files", type=int, default=20000)
    ap.add_argument("--seed", type=int, default=8)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()

    work = HERE / ".work"
    tree = bench_tree(args.files, args.seed)
    copy = work / "copy"
    cache = tree / ".nooble-codemod-cache"
    env = dict(os.environ)
    bindir = str(Path(sys.executable).parent)
    rg = shutil.which("rg")
    sg = shutil.which("ast-grep", path=bindir) or shutil.which("ast-grep")
    sgcfg = sg_config(work / "sg")  # beside the tree (git-ignored), not a new temp folder per run

    def no_cache():
        shutil.rmtree(cache, ignore_errors=True)

    def fresh_copy():
        shutil.rmtree(copy, ignore_errors=True)
        shutil.copytree(tree, copy, symlinks=True, ignore=shutil.ignore_patterns(".nooble-codemod-cache"))

    touched = sample_sources(tree)

    def touch_ten():
        # A new mtime is what a checkout or an editor leaves; the cache must re-read these.
        for p in touched:
            os.utime(p, None)

    check = TOOL + ["check", ".", "--exit-zero", "--format", "json", "--output", os.devnull]
    scan = [Job("ours: check, cold (-j 2)", check + ["-j", "2"], tree, no_cache, env),
            Job("ours: check, cold (-j 1)", check + ["-j", "1"], tree, no_cache, env)]
    rewrite = [Job("ours: apply --dry-run, cold", TOOL + ["apply", ".", "--dry-run", "--format", "json"],
                   tree, no_cache, env),
               Job("ours: apply, fresh copy", TOOL + ["apply", ".", "--allow-dirty", "--no-cache"],
                   copy, fresh_copy, env)]
    if sg:
        scan.append(Job("ast-grep: scan", [sg, "scan", "-c", str(sgcfg), "."], tree))
        rewrite.append(Job("ast-grep: rewrite, fresh copy", [sg, "scan", "-c", str(sgcfg), "--update-all", "."],
                           copy, fresh_copy))
    ten = TOOL + ["check", "--exit-zero", "--no-cache"] + [str(p.relative_to(tree)) for p in touched]
    warm = [Job("ours: check, warm", check, tree, None, env),
            Job("ours: check, warm, 10 files touched", check, tree, touch_ten, env),
            Job("ours: check 10 files (pre-commit)", ten, tree, None, env)]
    if rg:
        warm.append(Job("ripgrep: the V5 words", [rg, "-l", "-w"] + [a for w in WORDS for a in ("-e", w)] + ["."],
                        tree))
    rows = measure(scan, args.runs)
    subprocess.run(check, cwd=tree, env=env, capture_output=True)  # fill the cache
    rows += measure(warm, args.runs)
    rows += measure(rewrite, args.runs)
    rows += measure(verify_jobs(work / "sample-app", env), args.runs)
    shutil.rmtree(copy, ignore_errors=True)

    width = max(len(n) for n, _ in rows)
    print(f"\n{args.files} files, seed {args.seed}, {os.cpu_count()} cores, {args.runs} runs each\n")
    print(f"| {'command'.ljust(width)} | median s | min–max s | peak RSS MB |")
    print(f"|{'-' * (width + 2)}|---------:|----------:|------------:|")
    for name, m in rows:
        print(f"| {name.ljust(width)} | {m['median']:8.2f} | {m['min']:.2f}–{m['max']:.2f} | {m['rss']:11.0f} |")
    t = {n: m["median"] for n, m in rows}
    times = {n: m["times"] for n, m in rows}

    def ratio(a, b):
        # The ratio of the medians, then the median of the ratios of the runs
        # made in the same round (one after the other): the machine's speed
        # drifts within minutes, and a pair of runs meets nearly the same.
        if a not in t or b not in t:
            return "n/a"
        paired = statistics.median(x / y for x, y in zip(times[a], times[b]))
        return f"{t[a] / t[b]:.1f}x (paired {paired:.1f}x)"

    print("\nratios of medians, and medians of the ratios of runs made in the same round (targets in brackets):")
    print(f"- ast-grep scan / our cold check: {ratio('ast-grep: scan', 'ours: check, cold (-j 2)')} [>= 5x]")
    print(f"- our warm check / ripgrep: {ratio('ours: check, warm', 'ripgrep: the V5 words')} [<= 2x]")
    print(f"- ast-grep rewrite / our apply: {ratio('ast-grep: rewrite, fresh copy', 'ours: apply, fresh copy')} [>= 3x]")
    print(f"- -j 1 / -j 2 on cold check: {ratio('ours: check, cold (-j 1)', 'ours: check, cold (-j 2)')} [>= 1.6x]")
    print(f"- pre-commit on 10 files: {t['ours: check 10 files (pre-commit)']:.2f} s [< 1 s]")
    # The tool's own peak: --verify's rows add the type checkers' processes (Node.js), not ours.
    ours = [m["rss"] for name, m in rows if name.startswith("ours") and "--verify" not in name]
    print(f"- peak RSS: {max(ours):.0f} MB [<= 400 MB] (the --verify row counts the type checkers too)")


if __name__ == "__main__":
    main()
