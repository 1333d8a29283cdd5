"""A model's bool field that a value map turns into an enum (py-value-field,
project/values.py), across the files of a run: the declaration and every
use tied to the class change together, or none does."""

from __future__ import annotations

import json
import os

import pytest
from typer.testing import CliRunner

from nooble_codemod.cli.app import app

runner = CliRunner()

MODELS = '''\
from pydantic import BaseModel, Field


class Conversation(BaseModel):
    id: str
    tenant_id: str
    session_id: str
    agent_id: str
    is_active: bool = Field(default=True)


class WidgetLink(BaseModel):
    id: str
    user_id: str
    url: str
    position: int
    is_active: bool = True
'''

REPOSITORY = '''\
from common.models import Conversation


def load(session_id: str) -> Conversation:
    return Conversation(id="c", tenant_id="t", session_id=session_id, agent_id="a", is_active=False)
'''

CHAT = '''\
from common.models import WidgetLink
from common.repository import load


def reply(session_id: str, link: WidgetLink) -> str:
    conv = load(session_id)
    if not conv.is_active:
        conv.is_active = True
    return link.url if link.is_active else ""
'''


def _tree(root, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def _apply(root, *extra) -> dict:
    old = os.getcwd()
    os.chdir(root)
    try:
        res = runner.invoke(app, ["apply", ".", "--allow-dirty", "--no-cache", "--format", "json", "-j", "1",
                                  "--select", "py-value-field", *extra])
    finally:
        os.chdir(old)
    assert res.exit_code in (0, 1), res.output
    return json.loads(res.stdout)


@pytest.mark.parametrize("strategy", ["rename", "alias"])
def test_uses_in_other_modules_follow_the_declaration(tmp_path, strategy):
    _tree(tmp_path, {"common/models.py": MODELS, "common/repository.py": REPOSITORY, "chat/service.py": CHAT})
    _apply(tmp_path, "--backend-strategy", strategy)
    models = (tmp_path / "common/models.py").read_text()
    assert '    status: str = Field(default="active")\n' in models
    assert "    is_active: bool = True\n" in models  # the widget row keeps it
    assert 'agent_id="a", status="closed")' in (tmp_path / "common/repository.py").read_text()
    # The receiver's type comes from load()'s return annotation, in another module.
    assert (tmp_path / "chat/service.py").read_text() == CHAT.replace(
        "if not conv.is_active:\n        conv.is_active = True",
        'if conv.status != "active":\n        conv.status = "active"')


def _held_back(tmp_path, rel: str, text: str) -> dict:
    """The app with one more file `rel`, applied: every file is as it was; the report."""
    files = {"common/models.py": MODELS, "common/repository.py": REPOSITORY, "chat/service.py": CHAT, rel: text}
    _tree(tmp_path, files)
    doc = _apply(tmp_path)
    for path, before in files.items():
        assert (tmp_path / path).read_text() == before, path
    return doc


def test_one_use_it_cannot_change_holds_back_every_file(tmp_path):
    audit = ("from common.repository import load\n\n\n"
             "def flag(session_id: str) -> bool:\n    return load(session_id).is_active\n")
    doc = _held_back(tmp_path, "audit.py", audit)
    mine = [f for f in doc["findings"] if f["rule"] == "py-value-field"]
    assert mine and not any(f["fixable"] for f in mine)
    (head,) = [f for f in mine if "is not turned into 'status'" in f["message"]]
    assert head["path"] == "common/models.py" and head["line"] == 9
    assert "`load(session_id).is_active` at audit.py:5" in head["message"]
    assert "chat/service.py:7" in head["message"] and "common/repository.py:5" in head["message"]
    assert {f["path"] for f in mine} == {"common/models.py", "common/repository.py", "chat/service.py", "audit.py"}


def test_its_object_passed_on_by_keyword_holds_it_back(tmp_path):
    """`store.put(**conv.model_dump())` in a file naming no field: the key
    would become `status`, with another value, where it goes."""
    archive = ("from common.repository import load\n\n\n"
               "def archive(session_id: str, store) -> None:\n    store.put(**load(session_id).model_dump())\n")
    doc = _held_back(tmp_path, "archive.py", archive)
    (head,) = [f for f in doc["findings"] if "is not turned into 'status'" in f["message"]]
    assert "`store.put(**load(session_id).model_dump())` at archive.py:5 passes the fields of Conversation on by " \
        "keyword" in head["message"], head["message"]


def test_facts_keep_the_uses_and_declaration_forms_between_runs():
    from nooble_codemod.fs.source import SourceText
    from nooble_codemod.project import facts

    source = SourceText.decode((MODELS + "\n\ndef f(c: Conversation):\n    return not c.is_active\n").encode(),
                               python=True)
    read = facts.read("m.py", source, frozenset({"is_active"}), frozenset({"status"}))
    again = facts.from_json(json.loads(json.dumps(facts.to_json(read))))
    assert again == read
    pos, form = read.classes["Conversation"].forms["is_active"]
    assert form[0] == "decl" and source.data[slice(*form[1])] == b"bool"
    assert source.data[slice(*form[2])] == b"True" and form[3] is True
    (use,) = [s.use for s in read.sites if s.kind == "attr"]
    assert use[0] == "not" and source.data[slice(*use[1])] == b"not "
