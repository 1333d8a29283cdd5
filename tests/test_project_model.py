"""The project model (project/) through the command, on small trees of
several files: a rename is decided for a symbol, across files, whole or not
at all."""

from __future__ import annotations

import json
import os

import pytest
from typer.testing import CliRunner

from nooble_codemod.cli.app import app

runner = CliRunner()

HANDLERS = '''\
class ConfigHandler:
    def get_configs(self, tenant_id: str) -> list:
        return [tenant_id]
'''

SERVICE = '''\
from common.handlers import ConfigHandler
from common.schemas import AgentConfig


class QueryService:
    def __init__(self) -> None:
        self.handler = ConfigHandler()

    def run(self, owner: str) -> AgentConfig:
        self.handler.get_configs(tenant_id=owner)
        return AgentConfig(tenant_id=owner)
'''

MODELS = '''\
from pydantic import BaseModel


class AgentConfig(BaseModel):
    tenant_id: str
'''


def _tree(root, files: dict[str, str]):
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def _run(root, *args):
    old = os.getcwd()
    os.chdir(root)
    try:
        res = runner.invoke(app, [*args, ".", "--format", "json", "-j", "1"])
    finally:
        os.chdir(old)
    return res


def _apply(root, *extra):
    res = _run(root, "apply", "--allow-dirty", *extra)
    assert res.exit_code in (0, 1), res.output
    return json.loads(res.stdout)


def _findings(doc, rule):
    return [f for f in doc["findings"] if f["rule"] == rule]


def test_keyword_callers_in_other_modules_follow_their_parameter_and_field(tmp_path):
    _tree(tmp_path, {"common/handlers.py": HANDLERS, "common/schemas.py": MODELS, "query/service.py": SERVICE})
    _apply(tmp_path, "--no-cache")
    assert "def get_configs(self, user_id: str)" in (tmp_path / "common/handlers.py").read_text()
    assert "    user_id: str\n" in (tmp_path / "common/schemas.py").read_text()
    service = (tmp_path / "query/service.py").read_text()
    assert "self.handler.get_configs(user_id=owner)" in service
    assert "AgentConfig(user_id=owner)" in service


def test_a_class_carrying_both_names_is_left_whole_and_reported_once(tmp_path):
    envelope = ("from pydantic import BaseModel\n\n\nclass Envelope(BaseModel):\n"
                "    tenant_id: str\n    user_id: str\n")
    router = ("from common.schemas import Envelope\n\n\n"
              "def same_account(env: Envelope, owner: str) -> bool:\n    return env.tenant_id == owner\n")
    _tree(tmp_path, {"common/schemas.py": envelope, "chat/router.py": router})
    for strategy in ("rename", "alias"):
        doc = _apply(tmp_path, "--no-cache", "--backend-strategy", strategy)
        assert (tmp_path / "common/schemas.py").read_text() == envelope, strategy
        assert (tmp_path / "chat/router.py").read_text() == router, strategy
        heads = [f for f in _findings(doc, "py-symbol-rename") if "has both" in f["message"]]
        assert len(heads) == 1 and "§3.3" in heads[0]["message"], (strategy, heads)
        assert heads[0]["path"] == "common/schemas.py" and not heads[0]["fixable"]
        use = [f for f in _findings(doc, "py-symbol-rename") if f["path"] == "chat/router.py"]
        assert use and use[0]["group"] == "field:tenant_id:common/schemas.py:Envelope"


def test_an_untyped_receiver_blocks_every_class_it_may_be(tmp_path):
    models = MODELS + "\n\nclass Conversation(BaseModel):\n    tenant_id: str\n"
    audit = "def owner(obj):\n    return obj.tenant_id\n"
    _tree(tmp_path, {"common/schemas.py": models, "audit.py": audit})
    doc = _apply(tmp_path, "--no-cache")
    assert (tmp_path / "common/schemas.py").read_text() == models
    heads = [f for f in _findings(doc, "py-symbol-rename") if "is not renamed" in f["message"]]
    assert sorted(f["line"] for f in heads) == [5, 9]
    for f in heads:
        assert ("`obj.tenant_id` at audit.py:2: its receiver's type is unknown, and both "
                "`AgentConfig.tenant_id` and `Conversation.tenant_id` declare tenant_id") in f["message"]


def test_a_receiver_reading_attributes_only_one_class_has_is_that_class(tmp_path):
    models = MODELS + "\n\nclass Job(BaseModel):\n    tenant_id: str\n    document_id: str\n"
    audit = "def owner(job):\n    return job.document_id, job.tenant_id\n"
    _tree(tmp_path, {"common/schemas.py": models, "audit.py": audit})
    _apply(tmp_path, "--no-cache")
    # AgentConfig has no document_id: it is renamed; Job is blocked by the untyped read.
    assert (tmp_path / "common/schemas.py").read_text() == models.replace(
        "class AgentConfig(BaseModel):\n    tenant_id", "class AgentConfig(BaseModel):\n    user_id")
    assert (tmp_path / "audit.py").read_text() == audit


def test_a_file_that_does_not_parse_holds_back_the_renames_of_what_it_names(tmp_path):
    _tree(tmp_path, {"common/schemas.py": MODELS, "broken.py": "def f(:\n    return x.tenant_id\n"})
    res = _run(tmp_path, "apply", "--allow-dirty", "--no-cache")
    assert res.exit_code == 2, res.output
    assert (tmp_path / "common/schemas.py").read_text() == MODELS
    doc = json.loads(res.stdout)
    (head,) = [f for f in _findings(doc, "py-symbol-rename") if "is not renamed" in f["message"]]
    assert "broken.py names tenant_id but does not parse" in head["message"]


def test_a_group_held_back_in_one_file_is_dropped_in_every_file(tmp_path):
    models = ("class Conn:\n    tenant_id: str = ''\n\n    def __getattr__(self, name: str) -> str:\n"
              "        return ''\n")
    auth = ("from common.schemas import Conn\n\n\n"
            "def ok(conn: Conn) -> str:\n    return conn.tenant_id and conn.user_id\n")
    _tree(tmp_path, {"common/schemas.py": models, "auth.py": auth})
    doc = _apply(tmp_path, "--no-cache")
    # Renaming would make `conn.user_id and conn.user_id`: the declaration stays too.
    assert (tmp_path / "common/schemas.py").read_text() == models
    assert (tmp_path / "auth.py").read_text() == auth
    held = _findings(doc, "py-symbol-rename")
    assert {f["path"] for f in held} == {"common/schemas.py", "auth.py"}
    assert all(not f["fixable"] for f in held)
    assert any("not every site of the group could be changed" in f["message"]
               or "two operands the same" in f["message"] for f in held if f["path"] == "common/schemas.py")


def test_a_cached_result_follows_a_decision_made_in_another_file(tmp_path):
    _tree(tmp_path, {"common/schemas.py": MODELS, "use.py": "def f(c):\n    return c\n"})
    first = json.loads(_run(tmp_path, "check").stdout)
    (decl,) = _findings(first, "py-symbol-rename")
    assert decl["fixable"]
    # Another file now reads tenant_id on an untyped receiver, with a second declaring class.
    _tree(tmp_path, {"use.py": "def f(c):\n    return c.tenant_id\n",
                     "other.py": "class Other:\n    tenant_id: str = ''\n"})
    second = json.loads(_run(tmp_path, "check").stdout)
    decl = [f for f in _findings(second, "py-symbol-rename") if f["path"] == "common/schemas.py"]
    assert decl and not decl[0]["fixable"] and "its receiver's type is unknown" in decl[0]["message"]


@pytest.mark.parametrize("strategy", ["rename", "alias"])
def test_cls_in_a_classmethod_constructs_its_class(tmp_path, strategy):
    record = ("class Record:\n    def __init__(self, tenant_id: str) -> None:\n        self._owner = tenant_id\n\n"
              "    @classmethod\n    def load(cls, data: dict) -> 'Record':\n"
              "        return cls(tenant_id=data['t'])\n")
    _tree(tmp_path, {"record.py": record})
    _apply(tmp_path, "--no-cache", "--backend-strategy", strategy)
    text = (tmp_path / "record.py").read_text()
    if strategy == "rename":
        assert "def __init__(self, user_id: str)" in text and "cls(user_id=data['t'])" in text
    else:  # the back end keeps its parameters under alias
        assert text == record


def test_a_base_in_a_file_without_the_old_name_is_read_when_needed(tmp_path):
    """The model reads the files naming an old name, and the others a name
    leads to: here the base declaring user_id, so the subclass carries both."""
    base = "from pydantic import BaseModel\n\n\nclass Visitor(BaseModel):\n    user_id: str\n"
    envelope = "from common.base import Visitor\n\n\nclass Envelope(Visitor):\n    tenant_id: str\n"
    _tree(tmp_path, {"common/base.py": base, "common/envelope.py": envelope})
    doc = _apply(tmp_path, "--no-cache")
    assert (tmp_path / "common/envelope.py").read_text() == envelope
    (head,) = [f for f in _findings(doc, "py-symbol-rename") if "has both" in f["message"]]
    assert head["path"] == "common/envelope.py"


def test_a_receiver_typed_by_a_module_of_the_run_the_model_cannot_read_is_unknown(tmp_path):
    """A module of the run is not an outside one: an attribute read through
    it may be the field's, so the field waits."""
    registry = "from common.schemas import AgentConfig\n\n\ndef current() -> 'AgentConfig':\n    ...\n(\n"
    use = "from common.registry import current\n\n\ndef owner() -> str:\n    return current().tenant_id\n"
    _tree(tmp_path, {"common/schemas.py": MODELS, "common/registry.py": registry, "use.py": use})
    _apply(tmp_path, "--no-cache")
    assert (tmp_path / "common/schemas.py").read_text() == MODELS
    # Readable, the module is read when the name leads there: the use follows its field.
    fresh = tmp_path / "fresh"
    _tree(fresh, {"common/schemas.py": MODELS, "common/registry.py": registry[:-2], "use.py": use})
    _apply(fresh, "--no-cache")
    assert "    user_id: str\n" in (fresh / "common/schemas.py").read_text()
    assert "current().user_id" in (fresh / "use.py").read_text()


def test_facts_kept_in_the_result_cache_are_the_facts_read():
    """What the cache keeps of a file (JSON) comes back as the same facts,
    on every Python file of both sample apps."""
    from conftest import FIXTURES
    from nooble_codemod.fs.source import SourceText
    from nooble_codemod.project import facts
    from nooble_codemod.project.decisions import read, renames_of
    from nooble_codemod.settings import Settings
    from nooble_codemod.spec.loader import Spec

    renames = renames_of(Spec.load(), Settings())
    files = sorted((FIXTURES / "sample-app").rglob("*.py")) + sorted((FIXTURES / "services-app").rglob("*.py"))
    read_any = 0
    for path in files:
        f = read(path.name, SourceText.decode(path.read_bytes(), python=True), renames)
        if f is not None:
            read_any += bool(f.sites or f.classes)
            assert facts.from_json(json.loads(json.dumps(facts.to_json(f)))) == f, path
    assert read_any >= 10


def test_under_alias_constructions_pass_the_alias_with_its_declaration(tmp_path):
    """The kept field is declared an alias of user_id; `Model(tenant_id=…)`
    becomes `Model(user_id=…)` (what a type checker accepts), in one group:
    a model py-model-fields cannot declare (pydantic v1 `class Config`) keeps
    its constructions too."""
    v1 = ("from pydantic import BaseModel\n\n\nclass Legacy(BaseModel):\n    tenant_id: str\n\n"
          "    class Config:\n        extra = 'ignore'\n")
    use = ("from common.schemas import AgentConfig\nfrom common.legacy import Legacy\n\n\n"
           "def make(owner: str):\n    return AgentConfig(tenant_id=owner), Legacy(tenant_id=owner)\n")
    _tree(tmp_path, {"common/schemas.py": MODELS, "common/legacy.py": v1, "use.py": use})
    _apply(tmp_path, "--no-cache", "--backend-strategy", "alias")
    assert 'alias="user_id"' in (tmp_path / "common/schemas.py").read_text()
    assert (tmp_path / "common/legacy.py").read_text() == v1
    assert "AgentConfig(user_id=owner), Legacy(tenant_id=owner)" in (tmp_path / "use.py").read_text()


BASE_PLUGIN = '''\
class BasePlugin:
    def __init__(self, *, tenant_id=None):
        self.project = tenant_id
'''


@pytest.mark.parametrize("call", [
    "class Token(base.BasePlugin):\n    def __init__(self, *, tenant_id=None):\n"
    "        super().__init__(tenant_id=tenant_id)\n",
    "class Token(base.BasePlugin):\n    def __init__(self, *, tenant_id=None):\n"
    "        base.BasePlugin.__init__(self, tenant_id=tenant_id)\n",
    "def make(t):\n    return base.BasePlugin(tenant_id=t)\n",
], ids=["super", "explicit-init", "construction"])
def test_a_keyword_caller_through_a_submodule_imported_from_its_package_follows(tmp_path, call):
    """`from auth import base` names the submodule auth/base.py when the
    package's __init__ does not bind `base` (keystoneauth1 does this): its
    callers' keywords were left as `tenant_id=` while the parameter was
    renamed, a TypeError at run time."""
    _tree(tmp_path, {"auth/__init__.py": "", "auth/base.py": BASE_PLUGIN,
                     "auth/token.py": "from auth import base\n\n\n" + call})
    _apply(tmp_path, "--no-cache")
    assert "def __init__(self, *, user_id=None):" in (tmp_path / "auth/base.py").read_text()
    token = (tmp_path / "auth/token.py").read_text()
    assert "tenant_id" not in token and "user_id=" in token, token


def test_a_keyword_caller_whose_callee_cannot_be_told_blocks_what_it_may_call(tmp_path):
    """A call through a module of the run the model cannot resolve (not an
    outside one) may be the run's own function of that name: it waits."""
    _tree(tmp_path, {"auth/__init__.py": "", "auth/base.py": BASE_PLUGIN,
                     "auth/token.py": "from auth import nowhere\n\n\ndef make(t):\n"
                                      "    return nowhere.BasePlugin(tenant_id=t)\n"})
    doc = _apply(tmp_path, "--no-cache")
    assert (tmp_path / "auth/base.py").read_text() == BASE_PLUGIN
    (head,) = [f for f in _findings(doc, "py-local-rename") if "is not renamed" in f["message"]]
    assert ("`nowhere.BasePlugin` at auth/token.py:5: what it calls cannot be told, and "
            "`BasePlugin.__init__(tenant_id)` takes tenant_id") in head["message"]


def test_a_keyword_passed_on_through_kwargs_follows_its_parameter(tmp_path):
    """`Plugin(tenant_id=t)` where Plugin.__init__ passes its **kwargs to
    BasePlugin.__init__: the keyword is BasePlugin's, renamed with it."""
    plugin = ("from auth.base import BasePlugin\n\n\nclass Plugin(BasePlugin):\n"
              "    def __init__(self, token=None, **kwargs):\n        super().__init__(**kwargs)\n"
              "        self.token = token\n")
    use = "from auth.plugin import Plugin\n\n\ndef make(t):\n    return Plugin(token='x', tenant_id=t)\n"
    _tree(tmp_path, {"auth/base.py": BASE_PLUGIN, "auth/plugin.py": plugin, "use.py": use})
    _apply(tmp_path, "--no-cache")
    assert "def __init__(self, *, user_id=None):" in (tmp_path / "auth/base.py").read_text()
    assert "Plugin(token='x', user_id=t)" in (tmp_path / "use.py").read_text()


def test_a_keyword_passed_on_to_a_parameter_the_forwarder_has_the_new_name_of_blocks(tmp_path):
    """keystoneclient's generic Password takes user_id (the user's) and
    passes **kwargs to a base taking tenant_id: renamed, `Password(tenant_id=t)`
    would become `Password(user_id=t)`, which is Password's own parameter."""
    password = ("from auth.base import BasePlugin\n\n\ndef build(user_id=None, **kwargs):\n"
                "    return BasePlugin(**kwargs), user_id\n")
    use = "from auth.password import build\n\n\ndef make(t):\n    return build(user_id='u', tenant_id=t)\n"
    _tree(tmp_path, {"auth/base.py": BASE_PLUGIN, "auth/password.py": password, "use.py": use})
    doc = _apply(tmp_path, "--no-cache")
    assert (tmp_path / "auth/base.py").read_text() == BASE_PLUGIN
    assert (tmp_path / "use.py").read_text() == use
    (head,) = [f for f in _findings(doc, "py-local-rename") if "is not renamed" in f["message"]]
    assert ("build passes 'tenant_id' on through its **kwargs and takes 'user_id' itself: the renamed "
            "keyword would be its own parameter") in head["message"]
    # Without user_id of its own, the keyword follows the base's parameter through build.
    fresh = tmp_path / "fresh"
    _tree(fresh, {"auth/base.py": BASE_PLUGIN, "auth/password.py": password.replace("user_id", "name"),
                  "use.py": use.replace("user_id='u'", "name='u'")})
    _apply(fresh, "--no-cache")
    assert "def __init__(self, *, user_id=None):" in (fresh / "auth/base.py").read_text()
    assert "build(name='u', user_id=t)" in (fresh / "use.py").read_text()


def test_a_package_importing_its_own_submodule_names_that_submodule(tmp_path):
    """keystoneauth1/identity/__init__.py does `from keystoneauth1.identity
    import v2`: the name leads back into the package, which is the submodule."""
    _tree(tmp_path, {"auth/__init__.py": "from auth import base\n", "auth/base.py": BASE_PLUGIN,
                     "auth/use.py": "from auth import base\n\n\ndef make(t):\n"
                                    "    return base.BasePlugin(tenant_id=t)\n"})
    _apply(tmp_path, "--no-cache")
    assert "def __init__(self, *, user_id=None):" in (tmp_path / "auth/base.py").read_text()
    assert "base.BasePlugin(user_id=t)" in (tmp_path / "auth/use.py").read_text()


def test_a_parameter_of_a_function_taking_kwargs_keeps_its_name(tmp_path):
    """`f(tenant_id=1, user_id=2)` to f(a, tenant_id, **kwargs): renamed, a
    repeated keyword (a SyntaxError), and `f(user_id=2)` elsewhere, which
    reaches **kwargs today, would become the parameter (cinderclient's
    _construct_http_client takes tenant_id and **kwargs)."""
    text = ("def f(a=None, tenant_id=None, **kwargs):\n    return tenant_id, kwargs\n\n\n"
            "def g():\n    return f(tenant_id=1, user_id=2)\n")
    _tree(tmp_path, {"m.py": text, "other.py": "from m import f\n\n\ndef h():\n    return f(user_id=2)\n"})
    doc = _apply(tmp_path, "--no-cache")
    assert (tmp_path / "m.py").read_text() == text
    (head,) = [f for f in _findings(doc, "py-local-rename") if "is not renamed" in f["message"]]
    assert "f takes **kwargs: a caller's 'user_id=' goes there today" in head["message"]


DUMPS = '''\
import dataclasses
from dataclasses import dataclass

from pydantic import BaseModel


class M(BaseModel):
    tenant_id: str


@dataclass
class D:
    tenant_id: str


def f(m: M):
    return m.model_dump()["tenant_id"]


def g(d: D):
    return dataclasses.asdict(d)["tenant_id"]


def h(m: M):
    data = m.model_dump()
    return data.get("tenant_id"), m.model_dump(exclude={"tenant_id"})
'''


def test_a_key_of_the_dict_made_of_a_model_follows_its_field(tmp_path):
    """`m.model_dump()["tenant_id"]` after the field is renamed is a
    KeyError, which no type checker sees: the key is a use of the field."""
    _tree(tmp_path, {"m.py": DUMPS})
    _apply(tmp_path, "--no-cache")
    text = (tmp_path / "m.py").read_text()
    assert "tenant_id" not in text, text
    for renamed in ('m.model_dump()["user_id"]', 'dataclasses.asdict(d)["user_id"]', 'data.get("user_id")',
                    'exclude={"user_id"}'):
        assert renamed in text, renamed


def test_a_key_of_a_dict_made_of_an_untyped_object_blocks_the_fields_it_may_be(tmp_path):
    text = DUMPS + "\n\ndef k(x):\n    return x.model_dump()['tenant_id']\n"
    _tree(tmp_path, {"m.py": text})
    doc = _apply(tmp_path, "--no-cache")
    assert (tmp_path / "m.py").read_text() == text
    heads = [f for f in _findings(doc, "py-symbol-rename") if "is not renamed" in f["message"]]
    assert len(heads) == 2 and all("`x.model_dump()['tenant_id']` at m.py:30: its receiver's type is unknown" in f["message"]
                                   for f in heads), heads


def test_attrgetter_naming_a_field_blocks_it(tmp_path):
    """`sorted(ms, key=attrgetter("tenant_id"))` reads the field of objects
    of any type: renamed, an AttributeError at run time."""
    text = ("from operator import attrgetter\n\nfrom pydantic import BaseModel\n\n\nclass M(BaseModel):\n"
            "    tenant_id: str\n\n\ndef owners(ms: list[M]):\n    return sorted(ms, key=attrgetter('tenant_id'))\n")
    _tree(tmp_path, {"m.py": text})
    doc = _apply(tmp_path, "--no-cache")
    assert (tmp_path / "m.py").read_text() == text
    (head,) = [f for f in _findings(doc, "py-symbol-rename") if "is not renamed" in f["message"]]
    assert "`attrgetter('tenant_id')` at m.py:11: its receiver's type is unknown" in head["message"]


def test_partial_and_model_validate_follow_the_renames(tmp_path):
    """`partial(fetch, tenant_id=t)` passes fetch's keyword (a TypeError when
    it is called, had fetch's parameter been renamed alone);
    `M.model_validate({"tenant_id": t})` names M's field (a validation error)."""
    text = ("from functools import partial\n\nfrom pydantic import BaseModel\n\n\nclass M(BaseModel):\n"
            "    tenant_id: str\n\n\ndef fetch(tenant_id: str) -> str:\n    return tenant_id\n\n\n"
            "def later(t: str):\n    return partial(fetch, tenant_id=t)\n\n\n"
            "def load(t: str) -> M:\n    return M.model_validate({'tenant_id': t})\n")
    # Another library's validator, untyped, given the same dict: not M's, no reason to wait.
    schema = "def check(validator, t):\n    return validator.validate({'tenant_id': t})\n"
    _tree(tmp_path, {"m.py": text, "schema.py": schema})
    _apply(tmp_path, "--no-cache")
    out = (tmp_path / "m.py").read_text()
    assert "tenant_id" not in out, out
    assert "partial(fetch, user_id=t)" in out and "M.model_validate({'user_id': t})" in out
    assert (tmp_path / "schema.py").read_text() == schema


def test_copies_with_changes_name_the_fields_of_what_they_copy(tmp_path):
    """`replace(d, tenant_id=…)` (dataclasses, imported or not) and a
    NamedTuple's `n._replace(tenant_id=…)`: a TypeError once the field is
    renamed alone. The keyword is the field's, renamed with it."""
    text = ("import dataclasses\nfrom dataclasses import dataclass, replace\nfrom typing import NamedTuple\n\n\n"
            "@dataclass\nclass D:\n    tenant_id: str\n\n\nclass N(NamedTuple):\n    tenant_id: str\n\n\n"
            "def f(d: D, n: N):\n    return replace(d, tenant_id='x'), dataclasses.replace(d, tenant_id='y'), "
            "n._replace(tenant_id='z')\n\n\ndef g(x):\n    return x._replace(tenant_id='w')\n")
    _tree(tmp_path, {"m.py": text})
    doc = _apply(tmp_path, "--no-cache")
    # g's receiver is untyped: both classes wait, each with the reason.
    assert (tmp_path / "m.py").read_text() == text
    heads = [f for f in _findings(doc, "py-symbol-rename") if "is not renamed" in f["message"]]
    assert len(heads) == 2 and all("`x._replace(tenant_id='w')` at m.py:20: its receiver's type is unknown"
                                   in f["message"] for f in heads), heads
    _tree(tmp_path, {"m.py": text[:text.index("\n\n\ndef g")] + "\n"})
    _apply(tmp_path, "--no-cache")
    out = (tmp_path / "m.py").read_text()
    assert "tenant_id" not in out, out
    assert "replace(d, user_id='x'), dataclasses.replace(d, user_id='y'), n._replace(user_id='z')" in out


def test_two_groups_of_one_label_are_told_apart_by_their_files(tmp_path):
    """keystoneauth1 and keystoneclient both declare `Auth.__init__(tenant_id)`:
    a message listing both names each with its file."""
    auth = "class Auth:\n    def __init__(self, tenant_id=None):\n        self.t = tenant_id\n"
    use = "from auth import Auth\n\n\ndef make(t):\n    return Auth(tenant_id=t)\n"  # which auth.py: either
    _tree(tmp_path, {"a/auth.py": auth, "b/auth.py": auth, "use.py": use})
    doc = _apply(tmp_path, "--no-cache")
    heads = [f["message"] for f in _findings(doc, "py-local-rename") if "is not renamed" in f["message"]]
    assert heads and all("`Auth.__init__(tenant_id)` (a/auth.py) and `Auth.__init__(tenant_id)` (b/auth.py)" in m
                         for m in heads), heads


SPLAT_MODELS = '''\
from pydantic import BaseModel


class Row(BaseModel):
    tenant_id: str
    name: str


class Out(BaseModel):
    tenant_id: str
    name: str
'''


def _heads(doc):
    return [f["message"] for f in doc["findings"] if "is not renamed" in f["message"]]


def test_a_dict_of_a_model_passed_on_by_keyword_ties_its_fields_to_what_it_reaches(tmp_path):
    """`Out(**row.model_dump())` passes Row's fields by the names Row
    declares, in a file that names neither: Row's and Out's tenant_id are one
    decision. Renamed together; one held back holds back the other (Out
    also carries user_id here: Row renamed alone would fill Out's user_id)."""
    use = ("from models import Out, Row\n\n\ndef convert(row: Row) -> Out:\n    return Out(**row.model_dump())\n\n\n"
           "def check(row: Row) -> Out:\n    data = row.model_dump()\n    return Out.model_validate(data)\n")
    _tree(tmp_path, {"models.py": SPLAT_MODELS, "use.py": use})
    _apply(tmp_path, "--no-cache")
    assert "tenant_id" not in (tmp_path / "models.py").read_text()
    both = SPLAT_MODELS.replace("class Out(BaseModel):\n", "class Out(BaseModel):\n    user_id: str | None = None\n")
    _tree(tmp_path, {"models.py": both})
    doc = _apply(tmp_path, "--no-cache")
    assert (tmp_path / "models.py").read_text() == both
    heads = _heads(doc)
    row = [m for m in heads if m.startswith("Row.tenant_id")]
    assert row and "one decision with Out.tenant_id: `Out(**row.model_dump())` at use.py:5 passes Row.tenant_id on to " \
        "Out.tenant_id" in row[0], heads


def test_a_dict_passed_on_beside_the_new_name_or_to_no_renamed_keyword_blocks_the_field(tmp_path):
    """`log_event(**row.model_dump(), user_id=u)`: renamed alone, Row's key
    would be passed twice (a TypeError). `template.format(**vars(row))`
    reads `{tenant_id}` by key: nothing the run renames takes it."""
    use = ("from models import Row\n\n\ndef log_event(**fields):\n    print(fields)\n\n\n"
           "def note(row: Row, u: str):\n    log_event(**row.model_dump(), user_id=u)\n")
    _tree(tmp_path, {"models.py": SPLAT_MODELS, "use.py": use})
    doc = _apply(tmp_path, "--no-cache")
    (row,) = [m for m in _heads(doc) if m.startswith("Row.tenant_id")]
    assert "`log_event(**row.model_dump(), user_id=u)` at use.py:9 passes Row.tenant_id's fields beside 'user_id='" in row
    assert "tenant_id: str" in (tmp_path / "models.py").read_text().split("class Out")[0]
    fmt = "from models import Row\n\n\ndef show(row: Row, template: str) -> str:\n    return template.format(**vars(row))\n"
    _tree(tmp_path, {"models.py": SPLAT_MODELS, "use.py": fmt})
    doc = _apply(tmp_path, "--no-cache")
    (row,) = [m for m in _heads(doc) if m.startswith("Row.tenant_id")]
    assert "`template.format(**vars(row))` at use.py:5 passes the fields of an object on by keyword: what it calls " \
        "is outside the run" in row, row
    # Spread into a dict display beside the new name: the same.
    spread = ("from models import Out, Row\n\n\ndef f(row: Row, u: str) -> Out:\n"
              "    data = {**row.model_dump(), 'user_id': u}\n    return Out.model_validate(data)\n")
    _tree(tmp_path, {"models.py": SPLAT_MODELS, "use.py": spread})
    doc = _apply(tmp_path, "--no-cache")
    assert "tenant_id: str" in (tmp_path / "models.py").read_text().split("class Out")[0]
    assert any("`Out.model_validate(data)` at use.py:6 passes Row.tenant_id's fields beside 'user_id='" in m
               for m in _heads(doc)), _heads(doc)
    # What the dump leaves out travels nowhere.
    excl = ("from models import Out, Row\n\n\ndef f(row: Row, t: str) -> Out:\n"
            "    return Out(**row.model_dump(exclude={'tenant_id'}), tenant_id=t)\n")
    _tree(tmp_path, {"models.py": SPLAT_MODELS, "use.py": excl})
    _apply(tmp_path, "--no-cache")
    assert "Out(**row.model_dump(exclude={'user_id'}), user_id=t)" in (tmp_path / "use.py").read_text()


def test_a_dict_copied_into_another_object_ties_the_two_fields(tmp_path):
    """`out.model_copy(update=row.model_dump())` and `replace(d, **asdict(e))`
    set the copy's fields by Row's (E's) names: one decision. Out carrying
    user_id too, Row renamed alone would set a field Out has no more."""
    both = SPLAT_MODELS.replace("class Out(BaseModel):\n", "class Out(BaseModel):\n    user_id: str | None = None\n")
    use = ("from models import Out, Row\n\n\ndef merge(out: Out, row: Row) -> Out:\n"
           "    return out.model_copy(update=row.model_dump())\n")
    _tree(tmp_path, {"models.py": both, "use.py": use})
    doc = _apply(tmp_path, "--no-cache")
    assert (tmp_path / "models.py").read_text() == both
    assert any(m.startswith("Row.tenant_id") and "one decision with Out.tenant_id" in m for m in _heads(doc)), \
        _heads(doc)
    dc = ("from dataclasses import asdict, dataclass, replace\n\n\n@dataclass\nclass D:\n    tenant_id: str\n\n\n"
          "@dataclass\nclass E:\n    tenant_id: str\n\n\ndef f(d: D, e: E) -> D:\n    return replace(d, **asdict(e))\n")
    _tree(tmp_path, {"models.py": SPLAT_MODELS, "use.py": use, "dc.py": dc})
    _apply(tmp_path, "--no-cache")
    out = (tmp_path / "dc.py").read_text()
    assert "tenant_id" not in out and "tenant_id" not in (tmp_path / "models.py").read_text(), out


def test_a_dict_of_an_untyped_object_passed_on_blocks_the_models_it_may_be(tmp_path):
    use = "from models import Out\n\n\ndef convert(row) -> Out:\n    return Out(**row.model_dump())\n"
    _tree(tmp_path, {"models.py": SPLAT_MODELS, "use.py": use})
    doc = _apply(tmp_path, "--no-cache")
    assert (tmp_path / "models.py").read_text() == SPLAT_MODELS
    heads = _heads(doc)
    assert len(heads) == 2 and all("the object's type is unknown, and `Out.tenant_id` and `Row.tenant_id` declare "
                                   "tenant_id" in m for m in heads), heads


def test_a_dict_passed_on_to_a_function_ties_its_parameter_to_the_field(tmp_path):
    """`save(**row.model_dump())` fills save's tenant_id from Row's: the
    parameter and the field are renamed together, or neither (save's is held
    back here by its **kwargs, where a caller's user_id= goes today)."""
    use = ("from models import Row\n\n\ndef save(tenant_id: str, name: str) -> str:\n    return tenant_id + name\n\n\n"
           "def store(row: Row) -> str:\n    return save(**row.model_dump())\n")
    _tree(tmp_path, {"models.py": SPLAT_MODELS, "use.py": use})
    _apply(tmp_path, "--no-cache")
    assert "def save(user_id: str, name: str)" in (tmp_path / "use.py").read_text()
    assert "tenant_id" not in (tmp_path / "models.py").read_text()
    held = use.replace("name: str)", "name: str, **extra)")
    _tree(tmp_path, {"models.py": SPLAT_MODELS, "use.py": held})
    doc = _apply(tmp_path, "--no-cache")
    assert (tmp_path / "use.py").read_text() == held
    assert "tenant_id: str" in (tmp_path / "models.py").read_text().split("class Out")[0]
    (row,) = [m for m in _heads(doc) if m.startswith("Row.tenant_id")]
    assert "save takes **kwargs" in row and "one decision with save(tenant_id)" in row, row


DECORATED = '''\
import click
from fastapi import APIRouter
from functools import lru_cache

router = APIRouter()


def require_tenant(fn):
    def wrapper(*args, **kwargs):
        if not kwargs.get("tenant_id"):
            raise ValueError("no owner")
        return fn(*args, **kwargs)
    return wrapper


def timed(fn):
    def wrapper(*args, **kwargs):
        return fn(*args, **kwargs)
    return wrapper


@router.get("/agents")
async def list_agents(tenant_id: str):
    return [tenant_id]


@click.command()
@click.option("--tenant-id")
def export(tenant_id: str):
    print(tenant_id)


@require_tenant
def guarded(tenant_id: str):
    return tenant_id


@timed
@lru_cache
def plain(tenant_id: str):
    return tenant_id


def use():
    return guarded(tenant_id="x"), plain(tenant_id="y")
'''


def test_a_decorator_that_may_read_a_parameter_by_name_holds_it_back(tmp_path):
    """A route's parameter is the API's query parameter, a click command's
    its option, and a decorator of the run reading `kwargs["tenant_id"]`
    reads it by name: renamed, each changes what the program accepts or
    does. Python's own decorators and the run's others pass it on."""
    _tree(tmp_path, {"m.py": DECORATED})
    doc = _apply(tmp_path, "--no-cache")
    out = (tmp_path / "m.py").read_text()
    for kept in ("async def list_agents(tenant_id: str)", "def export(tenant_id: str)",
                 "def guarded(tenant_id: str)", 'guarded(tenant_id="x")'):
        assert kept in out, kept
    assert "def plain(user_id: str)" in out and 'plain(user_id="y")' in out, out
    heads = "\n".join(_heads(doc))
    assert "list_agents is a route (@router.get): its parameter 'tenant_id' is the API's" in heads
    assert "export is decorated by @click.option, which the run does not declare" in heads
    assert "guarded is decorated by @require_tenant, which names 'tenant_id'" in heads


def test_a_test_s_parameter_is_a_fixture_and_keeps_its_name(tmp_path):
    """pytest fills `test_owner(tenant_id)` from the fixture `tenant_id`:
    renamed, the test asks for a fixture that does not exist."""
    tests = ("import pytest\n\n\n@pytest.fixture\ndef tenant_id():\n    return 't'\n\n\n"
             "def test_owner(tenant_id):\n    assert tenant_id == 't'\n")
    helper = "def owner(tenant_id: str) -> str:\n    return tenant_id\n"
    _tree(tmp_path, {"tests/test_owner.py": tests, "tests/helpers.py": helper})
    doc = _apply(tmp_path, "--no-cache")
    assert (tmp_path / "tests/test_owner.py").read_text() == tests
    assert "def owner(user_id: str)" in (tmp_path / "tests/helpers.py").read_text()
    heads = _heads(doc)
    assert any("test_owner is a test: its parameter 'tenant_id' is the fixture of that name" in m for m in heads), heads


def test_a_request_parameter_keeps_its_name(tmp_path):
    """FastAPI reads `tenant_id: str = Header(...)` (or `Annotated[str,
    Query()]`) from the request by its name, route or dependency alike."""
    deps = ("from typing import Annotated\n\nfrom fastapi import Header, Query\n\n\n"
            "def owner(tenant_id: str = Header(...)) -> str:\n    return tenant_id\n\n\n"
            "def scope(tenant_id: Annotated[str, Query()]) -> str:\n    return tenant_id\n\n\n"
            "def plain(tenant_id: str = 'x') -> str:\n    return tenant_id\n")
    _tree(tmp_path, {"deps.py": deps})
    doc = _apply(tmp_path, "--no-cache")
    out = (tmp_path / "deps.py").read_text()
    assert "def owner(tenant_id: str = Header(...))" in out and "def scope(tenant_id: Annotated" in out
    assert "def plain(user_id: str = 'x')" in out, out
    heads = "\n".join(_heads(doc))
    assert "owner's parameter 'tenant_id' is the request's (Header())" in heads
    assert "scope's parameter 'tenant_id' is the request's (Query())" in heads


def test_tied_groups_that_rename_differently_are_both_held_back():
    """A tie (project/groups.py `_tie`) between two groups whose renames
    differ, or one kept by the strategy: neither may be renamed alone."""
    from nooble_codemod.project.group import Group, Renames
    from nooble_codemod.project.groups import _tie

    renames = Renames(fields={"tenant_id": object()}, params={}, model_bases=frozenset(), both_text={},
                      all_fields={"tenant_id": object()})
    a = Group("field:tenant_id:a.py:A", "field", "tenant_id", "user_id", "BE-1", "A.tenant_id")
    b = Group("param:tenant_id:b.py:f", "param", "tenant_id", "owner_id", "BE-1", "f(tenant_id)")
    c = Group("field:tenant_id:c.py:C", "field", "tenant_id", "user_id", "BE-1", "C.tenant_id")
    d = Group("field:tenant_id:d.py:D", "field", "tenant_id", "user_id", "BE-1", "D.tenant_id")
    d.block("D has both 'tenant_id' and 'user_id'")
    _tie([(a, b, "`f(**a.model_dump())` at u.py:3"), (c, d, "`D(**c.model_dump())` at u.py:4")], renames)
    assert a.blocked and b.blocked and "they rename 'tenant_id' to 'user_id' and 'owner_id'" in a.blocked[0]
    assert c.id == d.id == "field:tenant_id:c.py:C"  # one edit group, blocked with its member's reason
    assert "D has both 'tenant_id' and 'user_id'" in c.blocked
    assert any(r.startswith("one decision with D.tenant_id: `D(**c.model_dump())` at u.py:4") for r in c.blocked)


def test_a_dependency_the_framework_fills_keeps_its_parameters(tmp_path):
    """`Depends(get_owner)` in a file naming no old name: FastAPI calls
    get_owner with the request's query parameter `tenant_id`, by name."""
    deps = "def get_owner(tenant_id: str) -> str:\n    return tenant_id\n"
    routes = ("from fastapi import APIRouter, Depends\n\nfrom deps import get_owner\n\nrouter = APIRouter()\n\n\n"
              "@router.get('/agents')\nasync def agents(owner: str = Depends(get_owner)):\n    return [owner]\n")
    _tree(tmp_path, {"deps.py": deps, "routes.py": routes})
    doc = _apply(tmp_path, "--no-cache")
    assert (tmp_path / "deps.py").read_text() == deps
    assert any("get_owner in routes.py is handed to the framework, which fills 'tenant_id' from the request"
               in m for m in _heads(doc)), _heads(doc)


def test_a_function_registered_with_the_framework_keeps_its_parameters(tmp_path):
    """Handed to the framework elsewhere than in a signature, a function is
    still called with the request's parameters by name: a route added by a
    call (FastAPI's add_api_route, Flask's add_url_rule, Django's path), a
    dependency of a route's decorator, a dependency's override (a test's).
    Not handed, it is renamed."""
    views = ("def list_agents(tenant_id: str):\n    return [tenant_id]\n\n\n"
             "def show(tenant_id: str):\n    return tenant_id\n\n\n"
             "def detail(request, tenant_id: str):\n    return tenant_id\n\n\n"
             "def check(tenant_id: str):\n    return tenant_id\n\n\n"
             "def fake_check(tenant_id: str):\n    return tenant_id\n\n\n"
             "def plain(tenant_id: str):\n    return tenant_id\n")
    app = ("from fastapi import APIRouter, Depends, FastAPI\nfrom flask import Flask\nfrom django.urls import path\n\n"
           "from views import check, detail, fake_check, list_agents, show\n\nrouter = APIRouter()\n"
           "api = FastAPI()\napi.dependency_overrides[check] = fake_check\n"
           "router.add_api_route('/agents', list_agents, methods=['GET'])\nflask_app = Flask(__name__)\n"
           "flask_app.add_url_rule('/show/<tenant_id>', view_func=show)\n"
           "urlpatterns = [path('detail/<str:tenant_id>/', detail)]\n\n\n"
           "@router.get('/checked', dependencies=[Depends(check)])\ndef checked():\n    return 'ok'\n")
    _tree(tmp_path, {"views.py": views, "app.py": app})
    doc = _apply(tmp_path, "--no-cache")
    out = (tmp_path / "views.py").read_text()
    for kept in ("def list_agents(tenant_id", "def show(tenant_id", "def detail(request, tenant_id",
                 "def check(tenant_id", "def fake_check(tenant_id"):
        assert kept in out, out
    assert "def plain(user_id: str)" in out, out
    heads = "\n".join(_heads(doc))
    for name in ("list_agents", "show", "detail", "check", "fake_check"):
        assert f"{name} in app.py is handed to the framework, which fills 'tenant_id'" in heads, heads


def test_a_model_s_fields_by_name_and_a_key_tested_follow_the_field(tmp_path):
    """`M.model_fields["tenant_id"]` (pydantic's fields by name, on the
    class, an instance or `type(x)`; v1's `__fields__`) and `"tenant_id" in
    m.model_dump()` read the field by its name: left as they are after the
    rename, a KeyError and a test that is silently False."""
    text = ("from pydantic import BaseModel\n\n\nclass M(BaseModel):\n    tenant_id: str\n\n\n"
            "def title() -> str:\n    return M.model_fields['tenant_id'].title or ''\n\n\n"
            "def of(m: M):\n    return type(m).model_fields.get('tenant_id'), 'tenant_id' not in M.__fields__\n\n\n"
            "def has(m: M) -> bool:\n    return 'tenant_id' in m.model_dump()\n")
    _tree(tmp_path, {"m.py": text})
    _apply(tmp_path, "--no-cache")
    out = (tmp_path / "m.py").read_text()
    assert "tenant_id" not in out, out
    for renamed in ("M.model_fields['user_id']", "type(m).model_fields.get('user_id')",
                    "'user_id' not in M.__fields__", "'user_id' in m.model_dump()"):
        assert renamed in out, renamed


def test_a_handing_call_of_the_spec_says_where_the_function_is(tmp_path):
    from nooble_codemod.spec.loader import Spec, SpecError

    text = Spec.load().path.read_text(encoding="utf-8").replace('Depends = [0, "dependency"]', 'Depends = 0', 1)
    bad = tmp_path / "spec.toml"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(SpecError, match=r"handing_calls.Depends = 0 is not \[a position, a keyword\]"):
        Spec.load(bad)


@pytest.mark.parametrize("text, renamed", [
    # `M.model_construct(tenant_id=…)` drops a keyword naming no field, silently.
    ("from pydantic import BaseModel\n\n\nclass M(BaseModel):\n    tenant_id: str\n\n\n"
     "def make() -> M:\n    return M.model_construct(tenant_id='t')\n", "M.model_construct(user_id='t')"),
    # A named tuple's `_asdict()` is keyed by its fields.
    ("from typing import NamedTuple\n\n\nclass P(NamedTuple):\n    tenant_id: str\n\n\n"
     "def key(p: P) -> str:\n    return p._asdict()['tenant_id']\n", "p._asdict()['user_id']"),
], ids=["model-construct", "named-tuple-asdict"])
def test_a_field_given_or_read_by_its_name_is_renamed_with_it(tmp_path, text, renamed):
    _tree(tmp_path, {"m.py": text})
    _apply(tmp_path, "--no-cache")
    out = (tmp_path / "m.py").read_text()
    assert renamed in out and "    user_id: str" in out, out


KEYWORD_DICTS = '''\
def fetch(tenant_id: str, limit: int = 10) -> str:
    return tenant_id * limit


def built(t: str) -> str:
    opts = dict(tenant_id=t, limit=3)
    return fetch(**opts)


def inline(t: str) -> str:
    return fetch(**dict(tenant_id=t))


def filled(t: str) -> str:
    kw: dict[str, str] = {}
    kw["tenant_id"] = t
    if kw.get("tenant_id"):
        return fetch(**kw)
    return ""


def updated(t: str) -> str:
    kw = {}
    kw.update(tenant_id=t)
    return fetch(**kw)


def spread(t: str, base: dict) -> str:
    kw = {**base, "tenant_id": t}
    return fetch(**kw)
'''


def test_a_dict_of_keywords_built_for_a_call_follows_its_parameter(tmp_path):
    """`opts = dict(tenant_id=t)` … `fetch(**opts)`: renamed without its
    keys, a TypeError that no type checker sees (the dict's keys are
    strings to it). Every literal use of the key in the scope follows."""
    _tree(tmp_path, {"m.py": KEYWORD_DICTS})
    _apply(tmp_path, "--no-cache")
    out = (tmp_path / "m.py").read_text()
    assert "tenant_id" not in out, out
    for renamed in ("def fetch(user_id: str", "dict(user_id=t, limit=3)", "fetch(**dict(user_id=t))",
                    'kw["user_id"] = t', 'kw.get("user_id")', "kw.update(user_id=t)", '{**base, "user_id": t}'):
        assert renamed in out, renamed


@pytest.mark.parametrize("more, where, how", [
    # The same dict also logged: its key would change there too.
    ('\n\ndef logged(t: str) -> str:\n    kw = {"tenant_id": t}\n    print(kw)\n    return fetch(**kw)\n',
     '`"tenant_id" passed on by fetch(**kw)` at m.py:34', "is used otherwise too"),
    # A module's dict: any module may import or change it.
    ('\n\nDEFAULTS = {"tenant_id": "t"}\n\n\ndef defaults() -> str:\n    return fetch(**DEFAULTS)\n',
     '`"tenant_id" passed on by fetch(**DEFAULTS)` at m.py:33', "is a module's, which any module may import"),
], ids=["logged", "module-level"])
def test_a_dict_of_keywords_used_otherwise_too_holds_its_parameter_back(tmp_path, more, where, how):
    text = KEYWORD_DICTS + more
    _tree(tmp_path, {"m.py": text})
    doc = _apply(tmp_path, "--no-cache")
    assert (tmp_path / "m.py").read_text() == text
    assert any(f"{where}: the dict {how}" in m for m in _heads(doc)), _heads(doc)


def test_a_dict_of_keywords_is_followed_only_where_every_use_is_seen():
    import ast

    from nooble_codemod.project.kwdicts import keyword_dicts

    text = ("def scope(key, other):\n"
            "    a = {'k': 1}\n    f(**a)\n"
            "    b = {'k': 1}\n    b[key] = 2\n    f(**b)\n"
            "    c = {'k': 1}\n    def g():\n        c['x'] = 1\n    f(**c)\n"
            "    d = {'k': 1}\n    d = {}\n    f(**d)\n"
            "    e = {**other}\n    f(**e)\n"
            "    h = dict(k=1)\n    f(**h)\n    g(**h)\n"
            "    i = {'k': 1}\n"
            "    key = {'k': 1}\n    f(**key)\n")
    found = keyword_dicts(ast.parse(text).body[0].body, params={"key", "other"})
    assert sorted(found) == ["a", "b", "c", "e", "h"] and found["e"].keys == []  # a spread's keys: its own
    assert not found["a"].escapes and found["a"].splats == 1 and [k.value for k in found["a"].keys] == ["k"]
    assert found["b"].escapes and found["c"].escapes  # a computed key written; a closure
    assert found["h"].splats == 2 and [k.arg for k in found["h"].keys] == ["k"]


def test_an_object_handed_to_the_framework_keeps_its_call_s_parameters(tmp_path):
    """`Depends(scheme)` with `scheme = Scheme()`: FastAPI calls
    `scheme.__call__` by name; `Depends(svc.owner)`: the method of svc's class."""
    deps = ("class Scheme:\n    def __call__(self, tenant_id: str) -> str:\n        return tenant_id\n\n\n"
            "class Service:\n    def owner(self, tenant_id: str) -> str:\n        return tenant_id\n\n"
            "    def plain(self, tenant_id: str) -> str:\n        return tenant_id\n\n\n"
            "scheme = Scheme()\nsvc = Service()\n")
    routes = ("from fastapi import Depends\n\nfrom deps import scheme, svc\n\n\n"
              "def route(a: str = Depends(scheme), b: str = Depends(svc.owner)):\n    return a, b\n")
    _tree(tmp_path, {"deps.py": deps, "routes.py": routes})
    doc = _apply(tmp_path, "--no-cache")
    out = (tmp_path / "deps.py").read_text()
    assert "def __call__(self, tenant_id: str)" in out and "def owner(self, tenant_id: str)" in out, out
    assert "def plain(self, user_id: str)" in out, out
    heads = "\n".join(_heads(doc))
    assert "scheme in routes.py is handed to the framework" in heads and "svc.owner in routes.py" in heads, heads



@pytest.mark.parametrize("text, renamed", [
    # `background_tasks.add_task(notify, tenant_id=t)` calls notify with the
    # keyword later: renamed alone, a TypeError in the background task.
    ("from fastapi import BackgroundTasks\n\n\ndef notify(tenant_id: str) -> None:\n    print(tenant_id)\n\n\n"
     "def route(tasks: BackgroundTasks, t: str) -> None:\n    tasks.add_task(notify, tenant_id=t)\n",
     ("def notify(user_id: str)", "tasks.add_task(notify, user_id=t)")),
    # The run's own Queue.submit taking tenant_id: the keyword is submit's, not job's.
    ("class Queue:\n    def submit(self, job, tenant_id: str) -> None:\n        job(tenant_id)\n\n\n"
     "def job(t: str) -> None:\n    print(t)\n\n\ndef go(queue: Queue, t: str) -> None:\n"
     "    queue.submit(job, tenant_id=t)\n", ("def submit(self, job, user_id: str)", "queue.submit(job, user_id=t)")),
], ids=["add-task-forwards", "own-submit-takes-it"])
def test_keywords_of_a_forwarding_call_reach_the_function_given_first_unless_the_run_declares_it(
        tmp_path, text, renamed):
    _tree(tmp_path, {"m.py": text})
    _apply(tmp_path, "--no-cache")
    out = (tmp_path / "m.py").read_text()
    assert all(r in out for r in renamed), out
