"""Settings from [tool.nooble-codemod] in pyproject.toml (flags win)."""

from __future__ import annotations

import sys
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

KNOWN_KEYS = {
    "backend-strategy": str,
    "select": list,
    "ignore": list,
    "include": list,
    "exclude": list,
    "unsafe-fixes": bool,
    "verify": bool,
    "todo-comments": bool,
    "spec": str,
    "severity": dict,
    "file-timeout": (int, float),
    "max-file-size": (int, float),
    "no-cache": bool,  # rule or checklist id (or prefix) -> "error" | "warning" | "info"
}
SEVERITIES = ("error", "warning", "info")


class ConfigError(Exception):
    pass


def find_pyproject(paths: list[Path]) -> Path | None:
    """The nearest pyproject.toml with a [tool.nooble-codemod] table, walking
    up from the first given path (then from the working folder)."""
    starts = [p.absolute() for p in paths[:1]] + [Path.cwd()]
    for start in starts:
        folder = start if start.is_dir() else start.parent
        for p in (folder, *folder.parents):
            candidate = p / "pyproject.toml"
            if candidate.is_file():
                try:
                    text = candidate.read_text(encoding="utf-8")
                except (OSError, UnicodeDecodeError):
                    continue
                try:
                    data = tomllib.loads(text)
                except tomllib.TOMLDecodeError as exc:
                    if "nooble-codemod" in text:  # our settings are in there, unreadable: never drop them silently
                        raise ConfigError(f"{candidate}: not valid TOML ({exc}); its [tool.nooble-codemod] "
                                          "settings cannot be read") from None
                    continue
                if "nooble-codemod" in data.get("tool", {}):
                    return candidate
    return None


def load_config(path: Path) -> dict:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read [tool.nooble-codemod]: {exc}") from None
    table = data.get("tool", {}).get("nooble-codemod", {})
    out = {}
    for key, value in table.items():
        if key not in KNOWN_KEYS:
            raise ConfigError(
                f"{path}: unknown key {key!r} in [tool.nooble-codemod] (known: {', '.join(sorted(KNOWN_KEYS))})"
            )
        want = KNOWN_KEYS[key]
        if not isinstance(value, want) or (want is list and not all(isinstance(v, str) for v in value)):
            name = "number" if isinstance(want, tuple) else want.__name__
            raise ConfigError(f"{path}: [tool.nooble-codemod] {key} must be a {name}"
                              f"{' of strings' if want is list else ''}")
        if key == "severity":
            for ids, level in value.items():
                if level not in SEVERITIES:
                    raise ConfigError(f"{path}: [tool.nooble-codemod] severity of {ids!r} must be one of "
                                      f"{', '.join(SEVERITIES)}, not {level!r}")
        out[key] = value
    if "spec" in out:
        out["spec"] = str((path.parent / out["spec"]).resolve())
    return out
