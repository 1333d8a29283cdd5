"""`apply` on more code nobody here wrote: keystoneauth1 and
python-keystoneclient (OpenStack's identity clients, pinned wheels from
PyPI), whose tenant_id reaches its parameters through a package that
imports its own submodules, `super().__init__(tenant_id=…)` and
`**kwargs` passed on to a base taking tenant_id beside a user_id of the
subclass's own. Before the project model followed those, apply renamed
`BaseGenericPlugin.__init__`'s tenant_id while its callers kept
`tenant_id=`: 2 new basedpyright errors, each a TypeError at run time.

As tests/test_foreign_code.py (whose helpers this uses): unpacked into one
root, migrated under each back-end strategy, basedpyright before and
after; no new error. Their own dependencies are left out: imports of them
stay unresolved alike before and after. Without the registry the tests skip.
"""

from __future__ import annotations

import shutil

import pytest

from test_foreign_code import (STRATEGIES, _download, _pyright_errors, _unpack, assert_no_new_errors,
                               migrated_copy)

PACKAGES = ("keystoneauth1==5.18.1", "python-keystoneclient==6.0.0")
INCLUDE = ("keystoneauth1", "keystoneclient")


@pytest.fixture(scope="module")
def keystone(tmp_path_factory):
    work = tmp_path_factory.mktemp("keystone")
    wheels = _download(PACKAGES, work / "wheels")
    assert len(wheels) == 2, wheels
    root = work / "src"
    for wheel in wheels:
        _unpack(wheel, root)
    assert (root / "keystoneauth1" / "identity" / "generic" / "base.py").is_file()
    assert (root / "keystoneclient" / "auth" / "identity" / "generic" / "password.py").is_file()
    return root


@pytest.fixture(scope="module")
def keystone_errors(keystone, tmp_path_factory):
    copy = tmp_path_factory.mktemp("keystone-input") / "src"
    shutil.copytree(keystone, copy)
    return _pyright_errors(copy, None, INCLUDE)


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_apply_adds_no_type_error(strategy, keystone, keystone_errors, tmp_path):
    copy, report = migrated_copy(keystone, tmp_path, strategy)
    if strategy == "rename":
        assert report["summary"]["files_changed"] >= 5, report["summary"]
        # keystoneclient's generic Password takes user_id and passes tenant_id on through **kwargs.
        held = [f["message"] for f in report["findings"] if "is not renamed" in f["message"]]
        assert any("passes 'tenant_id' on through its **kwargs and takes 'user_id' itself" in m for m in held), held
    assert_no_new_errors(copy, report, strategy, keystone_errors, _pyright_errors(copy, None, INCLUDE))
