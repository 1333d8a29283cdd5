"""Baselines: adopt the guard on a code base that still has old references,
and fail only on new ones (like ruff's --add-noqa or Semgrep's baseline).

A baseline is the fingerprints (formats.fingerprints) of the findings of one
run. Matching is by count, so a line that holds two known findings and gains
a third reports one.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from nooble_codemod import __version__
from nooble_codemod.jsontext import pretty
from nooble_codemod.output.formats import fingerprints
from nooble_codemod.model import Finding

FORMAT = 1


class BaselineError(Exception):
    pass


def write(path: Path, findings: list[Finding]) -> None:
    entries = [{"fingerprint": fp, "path": f.path, "line": f.line, "rule": f.rule, "checklist": f.checklist}
               for f, fp in zip(findings, fingerprints(findings))]
    doc = {"tool": "nooble-codemod", "version": __version__, "format": FORMAT, "findings": entries}
    try:
        path.write_text(pretty(doc), encoding="utf-8")
    except OSError as exc:
        raise BaselineError(f"{path}: cannot write the baseline: {exc.strerror or exc}") from None


def load(path: Path) -> Counter:
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise BaselineError(f"{path}: cannot read the baseline: {exc.strerror or exc}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BaselineError(f"{path}: not a nooble-codemod baseline (invalid JSON: {exc})") from None
    if not isinstance(doc, dict) or doc.get("tool") != "nooble-codemod" or doc.get("format") != FORMAT:
        raise BaselineError(f"{path}: not a nooble-codemod baseline (format {FORMAT}); "
                            "write one with `check --write-baseline FILE`")
    try:
        return Counter(e["fingerprint"] for e in doc["findings"])
    except (KeyError, TypeError):
        raise BaselineError(f"{path}: a baseline entry has no fingerprint") from None


def new_findings(findings: list[Finding], known: Counter) -> list[Finding]:
    """The findings the baseline does not account for."""
    left = Counter(known)
    out = []
    for f, fp in zip(findings, fingerprints(findings)):
        if left[fp] > 0:
            left[fp] -= 1
        else:
            out.append(f)
    return out
