"""`nooble-codemod merge`: the reports of `check --shard K/N` as one.

A shard executed and reported only its own files (engine/part.py), so its
checklist and summary are partial. This reads every shard's JSON (or
SARIF), rebuilds the result of the run they split from what they say, and
reports it through check's report stage: the output and the exit code of
one `check` of the whole tree. Typer-free, like check.py.

What a shard's JSON carries for this (output/report.py, `shard`): its part
("2/4"), a key of the spec, settings and paths it ran with, the checklist
items its rules cover, and per finding the line text (SARIF fingerprints)
and the edit count (the checklist's "fixable: N edits"). SARIF keeps the
part and key in the run's properties, the failed files and errors in its
invocation; it merges into SARIF or GitHub commands only (it holds no
checklist evidence nor file counts).
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from nooble_codemod.cli import options as o
from nooble_codemod.cli.check import emit, exit_code, report
from nooble_codemod.cli.common import Exit, configuration, fail, load_spec
from nooble_codemod.cli.options import CheckFormat
from nooble_codemod.model import (ACKNOWLEDGED, Edit, FileResult, FileStatus, Finding, Fix, RuleInfo, RunMode,
                                   RunResult, Severity)


@dataclass(frozen=True)
class MergeOptions:
    """`merge`'s option table (cli/options.py)."""

    files: tuple[Path, ...] = o.argument("The shards' reports: the JSON or SARIF of `check --shard K/N`.")
    format: CheckFormat = o.option("--format", default=CheckFormat.text,
                                   help="Output format (from SARIF shards: sarif or github).")
    output: Path | None = o.output()
    exit_zero: bool = o.exit_zero()
    spec_file: Path | None = o.spec_file()


class Shard(NamedTuple):
    path: Path
    kind: str  # "json" or "sarif"
    part: tuple[int, int]
    key: str  # the spec, settings and paths the check ran with (cli/check.py, _shard)
    digest: str  # the spec's
    version: str
    doc: dict


_LEVELS = {"error": Severity.ERROR, "warning": Severity.WARNING, "note": Severity.INFO}


def run_merge(opts: MergeOptions) -> None:
    """Combine the reports of `check --shard K/N` into one, with check's exit codes."""
    if not opts.files:
        raise fail("give the shards' reports (JSON or SARIF of `check --shard K/N`)")
    shards = sorted((_read(p) for p in opts.files), key=lambda s: s.part)
    _consistent(shards)
    spec = load_spec(opts.spec_file, configuration()[1])
    if spec.digest != shards[0].digest:
        raise fail(f"{shards[0].path}: made with another spec than {spec.path}; give theirs with --spec")
    if shards[0].kind == "sarif" and opts.format not in (CheckFormat.sarif, CheckFormat.github):
        raise fail(f"SARIF shards merge into --format sarif or github; for {opts.format.value}, "
                   "run the shards with --format json")
    try:
        result, prints = _from_json(shards) if shards[0].kind == "json" else _from_sarif(shards)
    except (KeyError, TypeError, ValueError, IndexError) as exc:
        raise fail(f"a shard's report is not as `check --shard` writes it ({type(exc).__name__}: {exc})")
    from nooble_codemod.settings import Settings

    output = report(result, opts, spec, Settings(), prints=prints)
    if output is not None:
        emit(output, opts.output)
    raise Exit(exit_code(result, opts))


# -- reading and checking the shards -------------------------------------------------
def _read(path: Path) -> Shard:
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise fail(f"{path}: cannot read: {exc.strerror or exc}")
    except ValueError as exc:
        raise fail(f"{path}: not JSON ({exc})")
    try:
        if isinstance(doc, dict) and "runs" in doc:
            (run,) = doc["runs"]
            props = run.get("properties") or {}
            kind, part, key, digest = "sarif", props.get("part"), props.get("key"), props.get("digest")
            version = run["tool"]["driver"]["version"]
        elif isinstance(doc, dict) and doc.get("tool") == "nooble-codemod" and doc.get("mode") == "check":
            merge = doc.get("merge") or {}
            kind, part, key, digest, version = "json", doc.get("shard"), merge.get("key"), merge.get("digest"), \
                doc["version"]
        else:
            raise fail(f"{path}: neither the JSON nor the SARIF of `nooble-codemod check`")
    except (KeyError, TypeError, ValueError, AttributeError):
        raise fail(f"{path}: a SARIF file of more than one run, or not nooble-codemod's")
    if not (isinstance(part, str) and isinstance(key, str) and isinstance(digest, str)):
        raise fail(f"{path}: not the report of a shard (run `check --shard K/N`)")
    if kind == "json" and not isinstance(doc["merge"].get("errors"), list):
        raise fail(f"{path}: a shard's report without its run's errors (made by another version?)")
    from nooble_codemod.engine.part import parse_shard

    try:
        return Shard(path, kind, parse_shard(part), key, digest, version, doc)
    except ValueError as exc:
        raise fail(f"{path}: {exc}")


def _consistent(shards: list[Shard]) -> None:
    """Shards of one check, each once, all of them; else a clear refusal."""
    first = shards[0]
    seen: dict[int, Shard] = {}
    for s in shards:
        if s.kind != first.kind:
            raise fail(f"{s.path}: {s.kind.upper()}, but {first.path} is {first.kind.upper()}: "
                       "merge the shards of one format")
        if s.version != first.version:
            raise fail(f"{s.path}: made by nooble-codemod {s.version}, {first.path} by {first.version}")
        if s.digest != first.digest:
            raise fail(f"{s.path}: made with another spec than {first.path}")
        if s.key != first.key:
            raise fail(f"{s.path}: not a shard of the same check as {first.path} "
                       "(other settings or paths)")
        if s.part[1] != first.part[1]:
            raise fail(f"{s.path}: shard {s.part[0]}/{s.part[1]}, but {first.path} is one of {first.part[1]}")
        if s.part[0] in seen:
            raise fail(f"{s.path}: shard {s.part[0]}/{s.part[1]} again (as {seen[s.part[0]].path}): shards overlap")
        seen[s.part[0]] = s
    missing = sorted(set(range(1, first.part[1] + 1)) - set(seen))
    if missing:
        raise fail(f"shard{'s' * (len(missing) > 1)} {', '.join(map(str, missing))} of {first.part[1]} missing: "
                   "some shards are not the whole check")


def _owned(shard: Shard, paths) -> None:
    """Every file a shard reports hashes to it: else the shards overlap."""
    from nooble_codemod.engine.part import shard_of

    index, count = shard.part
    for p in paths:
        if p and shard_of(p, count) != index:
            raise fail(f"{shard.path}: reports {p}, a file of shard {shard_of(p, count)}/{count}: shards overlap")


# -- the run they split, rebuilt ------------------------------------------------------
def _from_json(shards: list[Shard]) -> tuple[RunResult, None]:
    from nooble_codemod.engine.evidence import ANCHOR, EVIDENCE

    files: list[FileResult] = []
    errors: dict[str, None] = {}  # the run's own errors (a path not found…): every shard says them
    places: dict[str, list] = defaultdict(list)  # item -> (anchor?, path, line, kind) of each shard
    rules = None
    for s in shards:
        doc = s.doc
        rules = RuleInfo.from_json(doc["merge"]["rules"])
        mine = {e["path"]: FileResult(e["path"], FileStatus(e["status"]), e["reason"] or "") for e in doc["files"]}
        for f in doc["findings"]:
            edits = tuple(Edit(0, 0, "") for _ in range(f["edits"]))
            found = Finding(f["rule"], f["checklist"], f["path"], f["line"], f["column"], f["end_line"],
                            f["end_column"], Severity(f["severity"]), f["message"],
                            fix=Fix(edits) if f["fixable"] else None, context=f["context"], group=f.get("group", ""),
                            acknowledged=f.get("acknowledged", False))
            mine.setdefault(f["path"], FileResult(f["path"], FileStatus.UNCHANGED)).findings.append(found)
        _owned(s, mine)
        summary = doc["summary"]
        scanned = sum(r.status is not FileStatus.SKIPPED for r in mine.values())
        # The files found clean are only counted in a shard's report: as many plain results.
        files += [*mine.values(), *(FileResult("", FileStatus.UNCHANGED)
                                    for _ in range(summary["files_scanned"] - scanned))]
        errors.update(dict.fromkeys(doc["merge"]["errors"]))
        for item in doc["checklist"]:
            for kind, name in ((EVIDENCE, "evidence"), (ANCHOR, "anchor")):
                if item[name]:
                    places[item["id"]].append((kind == ANCHOR, item[name]["path"], item[name]["line"], kind))
    result = RunResult(RunMode.CHECK, files=sorted(files, key=lambda r: r.path), errors=list(errors), rules=rules)
    # As engine/evidence.py: for an item nothing was found of, its evidence in
    # the first file by path, else its anchor; each shard named its own first.
    named = {f.checklist for f in result.findings}
    for cid, found in sorted(places.items()):
        if cid not in named:
            _, path, line, kind = min(found)
            result.evidence[cid] = (kind, path, line)
    return result, None


def _from_sarif(shards: list[Shard]):
    from urllib.parse import unquote

    from nooble_codemod.output.formats import FINGERPRINT_KEY

    files: list[FileResult] = []
    errors: dict[str, None] = {}
    kept: dict[int, str] = {}  # id(finding) -> its fingerprint, as the shard made it
    rules: dict[str, RuleInfo] = {}
    for s in shards:
        (run,) = s.doc["runs"]
        for r in run["tool"]["driver"]["rules"]:
            rules.setdefault(r["id"], RuleInfo(r["id"], tuple(r.get("properties", {}).get("checklist", ()))))
        mine: dict[str, FileResult] = {}
        for res in run["results"]:
            (loc,) = res["locations"]
            where, region = loc["physicalLocation"]["artifactLocation"], loc["physicalLocation"]["region"]
            path = unquote(where["uri"])
            props = res["properties"]
            acknowledged = props.get("acknowledged", False)
            text = res["message"]["text"]  # an acknowledged finding's says so after its message
            found = Finding(res["ruleId"], props["checklist"], path, region["startLine"], region["startColumn"],
                            region["endLine"], region["endColumn"], _LEVELS[res["level"]],
                            text.removesuffix(ACKNOWLEDGED) if acknowledged else text,
                            fix=Fix((Edit(0, 0, ""),)) if props["fixable"] else None, acknowledged=acknowledged)
            kept[id(found)] = res["partialFingerprints"][FINGERPRINT_KEY]
            mine.setdefault(path, FileResult(path, FileStatus.UNCHANGED)).findings.append(found)
        for invocation in run.get("invocations", ()):
            for note in invocation.get("toolExecutionNotifications", ()):
                text, locations = note["message"]["text"], note.get("locations")
                if locations:
                    path = unquote(locations[0]["physicalLocation"]["artifactLocation"]["uri"])
                    failed = mine.setdefault(path, FileResult(path, FileStatus.FAILED))
                    failed.status, failed.reason = FileStatus.FAILED, text
                else:
                    errors[text] = None
        _owned(s, mine)
        files += mine.values()
    result = RunResult(RunMode.CHECK, files=sorted(files, key=lambda r: r.path), errors=list(errors),
                       rules=tuple(rules.values()))
    return result, lambda findings: [kept[id(f)] for f in findings]
