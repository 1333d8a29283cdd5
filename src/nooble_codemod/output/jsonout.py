"""json.dumps(obj, indent=2, ensure_ascii=False), byte for byte, faster.

With an indent the standard library encodes in pure Python, one generator
per level: slow for a report of thousands of findings, which a warm `check
--format json` writes (figures in docs/performance.md). This writes the
same text with plain loops and the C string encoder. tests/test_jsonout.py
compares the two on generated documents.
"""

from __future__ import annotations

from json.encoder import encode_basestring  # the C one where there is one, as json.dumps uses

_INDENT = "  "


def _float(o: float) -> str:
    if o != o:
        return "NaN"
    if o == float("inf"):
        return "Infinity"
    if o == -float("inf"):
        return "-Infinity"
    return float.__repr__(o)


def _scalar(o) -> str | None:
    """The JSON of a string, number, boolean or None; None for anything else."""
    if isinstance(o, str):
        return encode_basestring(o)
    if o is None:
        return "null"
    if o is True:
        return "true"
    if o is False:
        return "false"
    if isinstance(o, int):
        return int.__repr__(o)
    if isinstance(o, float):
        return _float(o)
    return None


def _key(k) -> str:
    if isinstance(k, str):
        return encode_basestring(k)
    if isinstance(k, (int, float, bool)) or k is None:
        # json.dumps turns these keys into strings first.
        text = _scalar(k)
        return encode_basestring(text)
    raise TypeError(f"keys must be str, int, float, bool or None, not {type(k).__name__}")


def _item(v) -> str | None:
    # The common leaves first, by exact type (a str or int subclass, such as
    # an Enum, goes the longer way through _scalar with the same result).
    t = type(v)
    if t is str:
        return encode_basestring(v)
    if t is int:
        return int.__repr__(v)
    if t is bool:
        return "true" if v else "false"
    return _scalar(v)


# (keys, level) -> what comes before each value: a report has thousands of
# dicts of the same keys (its findings), whose keys need encoding only once.
_PREFIXES: dict[tuple, list[str]] = {}


def _flat(o: dict, level: int) -> str | None:
    """The JSON of a non-empty dict of str keys and leaf values, or None."""
    keys = tuple(o)
    prefixes = _PREFIXES.get((keys, level))
    if prefixes is None:
        if not all(type(k) is str for k in keys):
            return None
        inner = "\n" + _INDENT * (level + 1)
        prefixes = [("{" if i == 0 else ",") + inner + encode_basestring(k) + ": " for i, k in enumerate(keys)]
        if len(_PREFIXES) < 256:  # a report has a handful of shapes; arbitrary data must not grow this
            _PREFIXES[(keys, level)] = prefixes
    out = []
    for prefix, v in zip(prefixes, o.values()):
        text = _item(v)
        if text is None:
            return None
        out.append(prefix + text)
    out.append("\n" + _INDENT * level + "}")
    return "".join(out)


def _encode(o, parts: list, level: int) -> None:
    text = _scalar(o)
    if text is not None:
        parts.append(text)
        return
    if isinstance(o, dict):
        if not o:
            parts.append("{}")
            return
        inner = "\n" + _INDENT * (level + 1)
        flat = _flat(o, level)
        if flat is not None:
            parts.append(flat)
            return
        sep = "{" + inner
        for k, v in o.items():
            key = encode_basestring(k) if type(k) is str else _key(k)
            text = _item(v)
            if text is not None:
                parts.append(sep + key + ": " + text)
            else:
                parts.append(sep + key + ": ")
                _encode(v, parts, level + 1)
            sep = "," + inner
        parts.append("\n" + _INDENT * level + "}")
        return
    if isinstance(o, (list, tuple)):
        if not o:
            parts.append("[]")
            return
        inner = "\n" + _INDENT * (level + 1)
        sep = "[" + inner
        for v in o:
            text = _item(v)
            if text is not None:
                parts.append(sep + text)
            else:
                parts.append(sep)
                _encode(v, parts, level + 1)
            sep = "," + inner
        parts.append("\n" + _INDENT * level + "]")
        return
    raise TypeError(f"Object of type {type(o).__name__} is not JSON serializable")


def dumps(obj) -> str:
    """What json.dumps(obj, indent=2, ensure_ascii=False) returns."""
    parts: list[str] = []
    _encode(obj, parts, 0)
    return "".join(parts)
