"""Run settings: what the command line and [tool.nooble-codemod] decide."""

from __future__ import annotations

from dataclasses import dataclass, field

@dataclass(frozen=True)
class Settings:
    # One of the spec's `[meta.strategies]`; "" is the spec's default.
    backend_strategy: str = ""
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    unsafe_fixes: bool = False
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    # (rule or checklist ids, "error" | "warning" | "info"), in the order given.
    severity: tuple[tuple[str, str], ...] = ()
    # Seconds one file may take before it is reported and skipped (0: no limit).
    file_timeout: float = 60.0
    # MiB a file may have to be analysed; a larger one is an error (0: no limit).
    max_file_size: float = 5.0
    # Reuse what earlier runs found in unchanged files (.nooble-codemod-cache/).
    cache: bool = True
    extra: dict = field(default_factory=dict, compare=False, hash=False)
