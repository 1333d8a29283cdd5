"""Findings in the formats CI tools read: GitHub workflow commands, SARIF
2.1.0, and the fingerprints baselines and SARIF share.

The human formats (text, JSON, Markdown) live in report.py; these are for
machines, so each follows its consumer's specification to the letter.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from urllib.parse import quote

from nooble_codemod import __version__
from nooble_codemod.jsontext import pretty
from nooble_codemod.model import ACKNOWLEDGED, Finding, Severity

INFORMATION_URI = "https://github.com/nooble8/nooble-codemod"
FINGERPRINT_KEY = "noobleCodemod/v1"


# -- fingerprints -------------------------------------------------------------------------
def fingerprints(findings: list[Finding]) -> list[str]:
    """One fingerprint per finding, in order: the path, rule, checklist item and
    the text of the finding's line, plus its rank among findings with the same
    four (so two identical lines stay two). Line numbers are left out, so
    inserting lines above a finding does not change it."""
    seen: Counter = Counter()
    out = []
    for f in sorted(findings, key=Finding.sort_key):
        key = (f.path, f.rule, f.checklist, " ".join(f.context.split()))
        rank = seen[key]
        seen[key] += 1
        out.append((f, hashlib.sha256("\0".join((*key, str(rank))).encode("utf-8")).hexdigest()[:32]))
    by_id = {id(f): fp for f, fp in out}
    return [by_id[id(f)] for f in findings]


# -- GitHub Actions workflow commands ----------------------------------------------------------
_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def _escape_data(s: str) -> str:
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(s: str) -> str:
    return _escape_data(s).replace(":", "%3A").replace(",", "%2C")


def to_github(findings: list[Finding], failed: list[tuple[str, str]] = (),
              skipped: list[tuple[str, str]] = ()) -> str:
    """`::error file=…,line=…::message` lines: GitHub shows each on the pull
    request's diff at its line. A file that could not be analysed (`failed`:
    path, reason) is an error on the file, so a red job always says why; one
    the run did not read (`skipped`: a binary file, a link not followed) a
    warning, so that a green job says what it did not look at."""
    lines = [f"::error file={_escape_property(path)},title=nooble-codemod::{_escape_data(reason)}\n"
             for path, reason in failed]
    lines += [f"::warning file={_escape_property(path)},title=nooble-codemod::{_escape_data(f'not checked: {why}')}\n"
              for path, why in skipped]
    for f in findings:
        props = [f"file={_escape_property(f.path)}", f"line={f.line}", f"col={f.column}",
                 f"endLine={f.end_line}", f"endColumn={f.end_column}",
                 f"title={_escape_property(f'{f.checklist} {f.rule}'.strip())}"]
        fix = " (fixable with `nooble-codemod apply`)" if f.fixable else ACKNOWLEDGED * f.acknowledged
        lines.append(f"::{_LEVEL[f.severity]} {','.join(props)}::{_escape_data(f.message + fix)}\n")
    return "".join(lines)


# -- SARIF 2.1.0 ----------------------------------------------------------------------------------
_SARIF_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def to_sarif(findings: list[Finding], rules, spec, errors: list[str] = (), failed: list[tuple[str, str]] = (),
             properties: dict | None = None, prints=fingerprints) -> str:
    """`errors`: what stopped the run; `failed`: (path, reason) of the files
    that could not be analysed: the invocation's notifications, which make it
    unsuccessful. `properties`: the run's (check --shard). `prints`: how the
    findings' fingerprints are made (cli/merge.py keeps the shards')."""
    rule_list = sorted(rules, key=lambda r: r.id)
    ids = {r.id: i for i, r in enumerate(rule_list)}
    extra = sorted({f.rule for f in findings} - set(ids))  # findings of engine checks without a Rule
    descriptors = []
    for r in rule_list:
        covered = r.checklist_ids(spec)
        advice = " ".join(spec.checklist[c].advice for c in covered if c in spec.checklist)
        descriptors.append({
            "id": r.id,
            "name": "".join(w.capitalize() for w in r.id.split("-")),
            "shortDescription": {"text": r.summary},
            "fullDescription": {"text": " ".join(r.doc.split()) or r.summary},
            "help": {"text": advice or r.summary},
            "defaultConfiguration": {"level": "error"},
            "properties": {"checklist": list(covered), "fix": r.fix_safety, "language": r.language},
        })
    for i, rid in enumerate(extra):
        ids[rid] = len(rule_list) + i
        descriptors.append({"id": rid, "shortDescription": {"text": rid}})
    results = []
    for f, fp in zip(findings, prints(findings)):
        results.append({
            "ruleId": f.rule,
            "ruleIndex": ids[f.rule],
            "level": _SARIF_LEVEL[f.severity],
            "message": {"text": f.message + ACKNOWLEDGED * f.acknowledged},
            "locations": [{"physicalLocation": {
                "artifactLocation": {"uri": quote(f.path), "uriBaseId": "%SRCROOT%"},  # a URI reference (RFC 3986)
                "region": {"startLine": f.line, "startColumn": f.column,
                           "endLine": f.end_line, "endColumn": f.end_column},
            }}],
            "partialFingerprints": {FINGERPRINT_KEY: fp},
            "properties": {"checklist": f.checklist, "fixable": f.fixable,
                           **({"acknowledged": True} if f.acknowledged else {})},
        })
    doc = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "nooble-codemod", "version": __version__,
                                "informationUri": INFORMATION_URI, "rules": descriptors}},
            "originalUriBaseIds": {"%SRCROOT%": {"description": {"text": "The folder nooble-codemod ran in."}}},
            "results": results,
            "invocations": [{"executionSuccessful": not (errors or failed), "toolExecutionNotifications": [
                {"level": "error", "message": {"text": text}, **({"locations": [{"physicalLocation": {
                    "artifactLocation": {"uri": quote(path), "uriBaseId": "%SRCROOT%"}}}]} if path else {})}
                for path, text in [("", e) for e in errors] + list(failed)]}],
            **({"properties": properties} if properties else {}),
        }],
    }
    return pretty(doc)
