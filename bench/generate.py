"""A seeded synthetic monorepo, for benchmarks (not for tests).

    python bench/generate.py OUT [--files 20000] [--seed 8]

TS ~55%, TSX ~15%, Python ~30%; 50–400 lines a file of supabase chains,
interfaces, React components, pydantic models, helpers and comments; ~5% of
the files mention V5 (tenant_id chains, tenantId parameters, widget
profile_id, conversations.is_active). A git-ignored node_modules holds V5
references that every tool must skip. The same seed gives the same bytes.
"""

from __future__ import annotations

import argparse
import random
import subprocess
from pathlib import Path

TABLES = ["agents", "messages", "profiles", "subscriptions", "usage_metrics", "product_categories"]


def ts_block(rng: random.Random, i: int, v5: bool, t: str) -> str:
    kind = rng.choice(["chain", "interface", "helper", "comment", "payload"])
    if v5 and rng.random() < 0.5:
        kind = rng.choice(["v5chain", "v5param", "v5widget", "v5active"])
    if kind == "chain":
        return (f"export async function load{i}(userId: string) {{\n    const {{ data, error }} = await supabase\n"
                f"        .from('{t}')\n        .select('id, name, created_at')\n        .eq('user_id', userId)\n"
                f"        .order('created_at', {{ ascending: false }});\n    if (error) throw error;\n    return data;\n}}\n")
    if kind == "interface":
        return (f"export interface Row{i} {{\n    id: string;\n    user_id: string;\n    name: string;\n"
                f"    created_at: string;\n    metadata?: Record<string, unknown>;\n}}\n")
    if kind == "helper":
        return (f"export function format{i}(value: number, digits = 2): string {{\n"
                f"    return value.toFixed(digits).replace(/\\.0+$/, '');\n}}\n")
    if kind == "comment":
        return f"/**\n * Section {i}: helpers for the dashboard.\n * Nothing here talks to the database.\n */\n"
    if kind == "payload":
        return (f"export const save{i} = (userId: string, name: string) =>\n"
                f"    supabase.from('{t}').insert({{ user_id: userId, name, is_active: true }});\n")
    if kind == "v5chain":
        return (f"export async function byTenant{i}(tenantId: string) {{\n    return supabase\n"
                f"        .from('conversations')\n        .select('*')\n        .eq('tenant_id', tenantId);\n}}\n")
    if kind == "v5param":
        return f"export const products{i} = (tenantId: string) => supabase.from('products').select('*').eq('tenant_id', tenantId);\n"
    if kind == "v5widget":
        return f"export const links{i} = (id: string) => supabase.from('widget_links').select('*').eq('profile_id', id);\n"
    return f"export const open{i} = () => supabase.from('conversations').select('*').eq('is_active', true);\n"


def tsx_block(rng: random.Random, i: int, v5: bool, t: str) -> str:
    if rng.random() < 0.5:
        return ts_block(rng, i, v5, t)
    return (f"export function Card{i}({{ title, items }}: {{ title: string; items: string[] }}) {{\n"
            f"    return (\n        <section className=\"card\">\n            <h2>{{title}}</h2>\n"
            f"            <ul>{{items.map((it) => <li key={{it}}>{{it}}</li>)}}</ul>\n        </section>\n    );\n}}\n")


def py_block(rng: random.Random, i: int, v5: bool, t: str) -> str:
    kind = rng.choice(["query", "model", "helper", "comment"])
    if v5 and rng.random() < 0.5:
        kind = rng.choice(["v5query", "v5model"])
    if kind == "query":
        return (f"async def load_{i}(self, user_id: str):\n    response = await self.client.table('{t}') \\\n"
                f"        .select('*') \\\n        .eq('user_id', user_id) \\\n        .execute()\n"
                f"    return response.data\n")
    if kind == "model":
        return (f"class Record{i}(BaseModel):\n    id: str\n    user_id: str\n    name: str\n"
                f"    created_at: datetime\n")
    if kind == "helper":
        return f"def clamp_{i}(value, low=0, high=100):\n    return max(low, min(high, value))\n"
    if kind == "comment":
        return f"# Section {i}: nothing in here reads the database.\n"
    if kind == "v5query":
        return (f"async def by_tenant_{i}(self, tenant_id: str):\n"
                f"    return await self.client.table('conversations').select('*').eq('tenant_id', tenant_id).execute()\n")
    return f"class Conversation{i}(BaseModel):\n    id: str\n    tenant_id: str\n    is_active: bool\n"


HEAD = {"ts": "import { supabase } from '../lib/supabase';\n\n",
        "tsx": "import React from 'react';\nimport { supabase } from '../lib/supabase';\n\n",
        "py": "from datetime import datetime\n\nfrom pydantic import BaseModel\n\n"}
BLOCK = {"ts": ts_block, "tsx": tsx_block, "py": py_block}


def generate(out: Path, files: int, seed: int) -> None:
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    for n in range(files):
        ext = rng.choices(["ts", "tsx", "py"], weights=[55, 15, 30])[0]
        v5 = rng.random() < 0.05
        table = rng.choice(TABLES)  # a module is about one table, like a real API module
        target_lines = rng.randint(50, 400)
        parts, lines, i = [HEAD[ext]], HEAD[ext].count("\n"), 0
        while lines < target_lines:
            block = BLOCK[ext](rng, i, v5 and i == 0 or (v5 and rng.random() < 0.1), table) + "\n"
            parts.append(block)
            lines += block.count("\n")
            i += 1
        folder = out / f"pkg{n % 40:02d}" / ("frontend/src" if ext != "py" else "backend") / f"m{n % 7}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"file{n:05d}.{ext}").write_text("".join(parts))
    deps = out / "node_modules" / "legacy-sdk"
    deps.mkdir(parents=True, exist_ok=True)
    for k in range(200):
        (deps / f"index{k}.ts").write_text("export const tenantId = 'x'; // tenant_id\n" * 50)
    (out / ".gitignore").write_text("node_modules/\n")
    if not (out / ".git").exists():
        subprocess.run(["git", "init", "-q", str(out)], check=True)


def bench_tree(files: int, seed: int) -> Path:
    """The benchmarks' tree (bench/.work/, git-ignored), generated on first use."""
    tree = Path(__file__).resolve().parent / ".work" / f"tree-{files}-{seed}"
    if not tree.exists():
        print(f"generating {files} files in {tree} …", flush=True)
        generate(tree, files, seed)
    return tree


def sample_sources(tree: Path, n: int = 10) -> list[Path]:
    """`n` TypeScript files spread over the tree (a pre-commit run's share)."""
    sources = sorted(p for p in tree.rglob("*.ts") if "node_modules" not in p.parts)
    return sources[:: max(1, len(sources) // n)][:n]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--files", type=int, default=20000)
    ap.add_argument("--seed", type=int, default=8)
    args = ap.parse_args()
    generate(args.out, args.files, args.seed)


if __name__ == "__main__":
    main()
