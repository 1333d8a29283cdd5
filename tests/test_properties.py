"""Property tests (hypothesis): sources built from the shapes the rules handle
— query chains on renamed and untouched tables, payloads, renamed parameters,
interfaces and models — mixed with unrelated code, comments and odd
whitespace. For each: the result parses, a second run changes nothing, and
every unrelated fragment comes out verbatim and in order."""

from __future__ import annotations

import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from nooble_codemod.model import FileStatus  # noqa: E402

EXAMPLES = 120
WS = st.sampled_from(["", " ", "  ", "\t", "\n    ", "\n\t\t", " \n  "])
TABLES = st.sampled_from(["conversations", "products", "agents", "documents_rag", "widget_links", "profiles",
                          "messages"])
COLUMNS = st.sampled_from(["tenant_id", "profile_id", "is_active", "user_id", "name", "id", "agent_id"])
VALUES_TS = st.sampled_from(["true", "false", "id", "'x'", "null", "userId"])
VALUES_PY = st.sampled_from(["True", "False", "user_id", "'x'", "None"])


@st.composite
def unrelated_ts(draw, n):
    kind = draw(st.sampled_from(["const", "comment", "fn", "block"]))
    if kind == "const":
        return f"const keep{n} = {draw(st.sampled_from(['1', 'null', '[1, 2]', '`t${1}`']))};"
    if kind == "comment":
        return f"/* keep{n} */ // unrelated {n}"
    if kind == "fn":
        return f"function keep{n}(a: number)  {{ return a  +  {n}; }}"
    return f"if (keep{n} === undefined) {{\n\tconsole.log('keep{n}');\n}}"


@st.composite
def migratable_ts(draw, n):
    kind = draw(st.sampled_from(["filter", "select", "payload", "param", "iface", "rpc"]))
    ws = draw(WS)
    table, col = draw(TABLES), draw(COLUMNS)
    if kind == "filter":
        return (f"export const q{n} = (id: string, userId: string) => supabase{ws}.from('{table}'){ws}"
                f".select('*'){ws}.{draw(st.sampled_from(['eq', 'neq', 'in', 'order']))}('{col}', {draw(VALUES_TS)});")
    if kind == "select":
        cols = ", ".join(draw(st.lists(COLUMNS, min_size=1, max_size=4)))
        return f"export const s{n} = supabase.from('{table}').select('{cols}');"
    if kind == "payload":
        keys = draw(st.lists(COLUMNS, min_size=1, max_size=3, unique=True))
        body = f",{ws}".join(f"{k}: {draw(VALUES_TS)}" for k in keys)
        return f"export const p{n} = (id: string, userId: string) => supabase.from('{table}').insert({{ {body} }});"
    if kind == "param":
        return f"export function f{n}(tenantId: string) {{{ws}return tenantId;{ws}}}"
    if kind == "iface":
        name = draw(st.sampled_from(["Conversation", "BaseWidget", "Message", "Thing"]))
        members = draw(st.lists(COLUMNS, min_size=1, max_size=4, unique=True))
        return f"export interface {name}{n} {{\n" + "".join(f"    {m}: string;\n" for m in members) + "}"
    return f"export const r{n} = supabase.rpc('generate_conversation_id', {{ p_tenant_id: 'x' }});"


@st.composite
def unrelated_py(draw, n):
    kind = draw(st.sampled_from(["assign", "comment", "fn"]))
    if kind == "assign":
        return f"keep_{n} = {draw(st.sampled_from(['1', 'None', '[1, 2]', repr('t')]))}"
    if kind == "comment":
        return f"# keep {n}: unrelated"
    return f"def keep_{n}(a):\n    return a  +  {n}"


@st.composite
def migratable_py(draw, n):
    kind = draw(st.sampled_from(["filter", "payload", "param", "model"]))
    table, col = draw(TABLES), draw(COLUMNS)
    if kind == "filter":
        method = draw(st.sampled_from(["eq", "neq", "in_", "order"]))
        return (f"def q_{n}(client, user_id):\n    return client.table('{table}') \\\n        .select('*')"
                f" \\\n        .{method}('{col}', {draw(VALUES_PY)}).execute()")
    if kind == "payload":
        keys = draw(st.lists(COLUMNS, min_size=1, max_size=3, unique=True))
        body = ", ".join(f"'{k}': {draw(VALUES_PY)}" for k in keys)
        return f"def p_{n}(client, user_id):\n    return client.table('{table}').insert({{{body}}}).execute()"
    if kind == "param":
        return f"def f_{n}(tenant_id: str) -> str:\n    return tenant_id"
    members = draw(st.lists(COLUMNS, min_size=1, max_size=3, unique=True))
    return f"class Model{n}(BaseModel):\n" + "".join(f"    {m}: str\n" for m in members).rstrip("\n")


def _check(pipeline, name, pieces, keep):
    raw = "\n\n".join(pieces).encode() + b"\n"
    result = pipeline.process(name, raw, True)
    assert result.status is not FileStatus.FAILED, (result.reason, raw.decode())
    out = result.new if result.status is FileStatus.CHANGED else raw
    again = pipeline.process(name, out, True)
    assert again.status is not FileStatus.CHANGED, ("not idempotent", raw.decode(), out.decode())
    pos = 0
    text = out.decode()
    for fragment in keep:
        found = text.find(fragment, pos)
        assert found >= 0, (f"unrelated code changed: {fragment!r}", raw.decode(), text)
        pos = found + len(fragment)


def _pipeline(spec):
    from nooble_codemod.engine.pipeline import Pipeline
    from nooble_codemod.settings import Settings

    return Pipeline(spec, Settings())


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_typescript_sources(spec, data):
    n = data.draw(st.integers(1, 6))
    pieces, keep = ["import { supabase } from './supabase';"], []
    for i in range(n):
        if data.draw(st.booleans()):
            frag = data.draw(unrelated_ts(i))
            keep.append(frag)
        else:
            frag = data.draw(migratable_ts(i))
        pieces.append(frag)
    name = data.draw(st.sampled_from(["a.ts", "a.tsx"]))
    _check(_pipeline(spec), name, pieces, keep)


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_python_sources(spec, data):
    n = data.draw(st.integers(1, 5))
    pieces, keep = ["from pydantic import BaseModel"], []
    for i in range(n):
        if data.draw(st.booleans()):
            frag = data.draw(unrelated_py(i))
            keep.append(frag)
        else:
            frag = data.draw(migratable_py(i))
        pieces.append(frag)
    _check(_pipeline(spec), "service.py", pieces, keep)
