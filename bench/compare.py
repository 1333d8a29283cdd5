"""Times nooble-codemod next to ripgrep and ast-grep on the synthetic monorepo.

    python bench/compare.py [--files 20000] [--seed 8] [--runs 5]

Each command runs --runs times (median, min–max), and once more with its
whole process tree's peak RSS sampled (not during the timed runs: sampling
costs CPU); one table of medians and the ratios the speed targets are about
is printed. Not part of `make test` (machines are noisy): `make bench`.
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
from generate import generate  # noqa: E402

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


def measure(cmd, cwd, runs, prepare=None, env=None) -> dict:
    """Median wall time of `runs` runs, and the peak RSS of the whole process
    tree from one more run. The memory run is separate: sampling /proc every
    10 ms costs CPU the timed command would otherwise have (on 2 cores, a
    tenth of a second of a 3 s run)."""
    print(f"  {' '.join(str(c) for c in cmd[:6])} … ({runs} runs + 1 for memory)", file=sys.stderr, flush=True)
    times = []
    for _ in range(runs):
        if prepare:
            prepare()
        start = time.perf_counter()
        subprocess.run(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    if prepare:
        prepare()
    proc = psutil.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak = 0
    while proc.poll() is None:
        try:
            procs = [proc] + proc.children(recursive=True)
            peak = max(peak, sum(p.memory_info().rss for p in procs if p.is_running()))
        except psutil.Error:
            pass
        time.sleep(0.01)
    return {"median": statistics.median(times), "min": min(times), "max": max(times), "rss": peak / 2**20}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--files", type=int, default=20000)
    ap.add_argument("--seed", type=int, default=8)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()

    work = HERE / ".work"
    tree = work / f"tree-{args.files}-{args.seed}"
    if not tree.exists():
        print(f"generating {args.files} files in {tree} …", flush=True)
        generate(tree, args.files, args.seed)
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

    sources = sorted(p for p in tree.rglob("*.ts") if "node_modules" not in p.parts)
    touched = sources[:: max(1, len(sources) // 10)][:10]

    def touch_ten():
        # A new mtime is what a checkout or an editor leaves; the cache must re-read these.
        for p in touched:
            os.utime(p, None)

    rows = []
    check = TOOL + ["check", ".", "--exit-zero", "--format", "json", "--output", os.devnull]
    rows.append(("ours: check, cold (-j 2)", measure(check + ["-j", "2"], tree, args.runs, no_cache, env)))
    rows.append(("ours: check, cold (-j 1)", measure(check + ["-j", "1"], tree, args.runs, no_cache, env)))
    subprocess.run(check, cwd=tree, env=env, capture_output=True)  # fill the cache
    rows.append(("ours: check, warm", measure(check, tree, args.runs, None, env)))
    rows.append(("ours: check, warm, 10 files touched", measure(check, tree, args.runs, touch_ten, env)))
    ten = TOOL + ["check", "--exit-zero", "--no-cache"] + [str(p.relative_to(tree)) for p in touched]
    rows.append(("ours: check 10 files (pre-commit)", measure(ten, tree, args.runs, None, env)))
    rows.append(("ours: apply --dry-run, cold", measure(TOOL + ["apply", ".", "--dry-run", "--format", "json"],
                                                        tree, args.runs, no_cache, env)))
    rows.append(("ours: apply, fresh copy", measure(TOOL + ["apply", ".", "--allow-dirty", "--no-cache"],
                                                    copy, args.runs, fresh_copy, env)))
    if rg:
        rg_cmd = [rg, "-l", "-w"] + [a for w in WORDS for a in ("-e", w)] + ["."]
        rows.append(("ripgrep: the V5 words", measure(rg_cmd, tree, args.runs)))
    if sg:
        rows.append(("ast-grep: scan", measure([sg, "scan", "-c", str(sgcfg), "."], tree, args.runs)))
        rows.append(("ast-grep: rewrite, fresh copy", measure([sg, "scan", "-c", str(sgcfg), "--update-all", "."],
                                                              copy, args.runs, fresh_copy)))
    shutil.rmtree(copy, ignore_errors=True)

    width = max(len(n) for n, _ in rows)
    print(f"\n{args.files} files, seed {args.seed}, {os.cpu_count()} cores, {args.runs} runs each\n")
    print(f"| {'command'.ljust(width)} | median s | min–max s | peak RSS MB |")
    print(f"|{'-' * (width + 2)}|---------:|----------:|------------:|")
    for name, m in rows:
        print(f"| {name.ljust(width)} | {m['median']:8.2f} | {m['min']:.2f}–{m['max']:.2f} | {m['rss']:11.0f} |")
    t = {n: m["median"] for n, m in rows}

    def ratio(a, b):
        return f"{t[a] / t[b]:.1f}x" if a in t and b in t else "n/a"

    print("\nratios (targets in brackets):")
    print(f"- ast-grep scan / our cold check: {ratio('ast-grep: scan', 'ours: check, cold (-j 2)')} [>= 5x]")
    print(f"- our warm check / ripgrep: {ratio('ours: check, warm', 'ripgrep: the V5 words')} [<= 2x]")
    print(f"- ast-grep rewrite / our apply: {ratio('ast-grep: rewrite, fresh copy', 'ours: apply, fresh copy')} [>= 3x]")
    print(f"- -j 1 / -j 2 on cold check: {ratio('ours: check, cold (-j 1)', 'ours: check, cold (-j 2)')} [>= 1.6x]")
    print(f"- pre-commit on 10 files: {t['ours: check 10 files (pre-commit)']:.2f} s [< 1 s]")
    print(f"- peak RSS: {max(m['rss'] for _, m in rows if _.startswith('ours')):.0f} MB [<= 400 MB]")


if __name__ == "__main__":
    main()
