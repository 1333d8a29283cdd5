"""`apply` on TypeScript nobody here wrote: the sources of @azure/msal-common
(Microsoft's authentication library, pinned, from the npm registry), whose
120 files say `tenantId` in locals, parameters, object literals and
interfaces it exports.

The package's `src/` is migrated by the installed `nooble-codemod apply`
under each back-end strategy; the pinned tsc of tools/node checks it before
and after with a strict tsconfig. An error (file, code, message) that the
run adds is a failure, printed with the diff of the run. The package needs
no other package to compile. Without npm or the registry the tests skip,
saying so.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tarfile

import pytest
import typecheck
from test_foreign_code import STRATEGIES, migrated_copy

PACKAGE = "@azure/msal-common@15.1.0"
TSCONFIG = {"compilerOptions": {"target": "es2020", "module": "esnext", "moduleResolution": "node", "strict": True,
                                "noEmit": True, "skipLibCheck": True, "esModuleInterop": True,
                                "lib": ["es2020", "dom", "dom.iterable"]},
            "include": ["src"]}


@pytest.fixture(scope="module")
def msal_common(tmp_path_factory):
    """The package's sources and a tsconfig.json, in a folder named `frontend`."""
    npm = shutil.which("npm")
    if npm is None:
        pytest.skip("npm is not installed: the TypeScript package cannot be fetched")
    work = tmp_path_factory.mktemp("msal-common")
    out = subprocess.run([npm, "pack", PACKAGE, "--silent", "--pack-destination", str(work)],
                         capture_output=True, text=True, timeout=300)
    tarballs = sorted(work.glob("*.tgz"))
    if out.returncode != 0 or not tarballs:
        pytest.skip(f"{PACKAGE}: cannot reach the npm registry: "
                    + (out.stderr.strip().splitlines() or ["npm pack failed"])[-1])
    root = work / "frontend"
    with tarfile.open(tarballs[0]) as tar:
        members = [m for m in tar.getmembers() if m.name.startswith("package/src/") and m.isfile()]
        tar.extractall(work / "unpacked", members=members, filter="data")
    shutil.move(work / "unpacked" / "package" / "src", root / "src")
    (root / "tsconfig.json").write_text(json.dumps(TSCONFIG, indent=2))
    assert len(list((root / "src").rglob("*.ts"))) > 100
    return root


@pytest.fixture(scope="module")
def input_errors(msal_common, tmp_path_factory):
    return typecheck.tsc_errors(typecheck.tsc(msal_common, tmp_path_factory.mktemp("msal-common-before")))


def _relative(errors):
    return [(f.replace("\\", "/").rsplit("/frontend/", 1)[-1], code, message, line)
            for f, code, message, line in errors]


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_apply_adds_no_type_error(strategy, msal_common, input_errors, tmp_path):
    copy, report = migrated_copy(msal_common, tmp_path, strategy)
    assert report["summary"]["files_changed"] >= 5, report["summary"]
    after = _relative(typecheck.tsc_errors(typecheck.tsc(copy, tmp_path / "after")))
    before = _relative(input_errors)
    new = typecheck.new_errors(before, after)
    print(f"\n{strategy}: {report['summary']['files_changed']} files changed, {report['summary']['edits']} edits; "
          f"tsc errors {len(before)} before, {len(after)} after")
    if new:
        diff = subprocess.run(["git", "diff"], cwd=copy, capture_output=True, text=True).stdout
        pytest.fail(f"{sum(new.values())} new tsc errors under --backend-strategy {strategy}:\n"
                    + "\n".join(f"{f}:{line} {code} {message}" for f, code, message, line in after
                                if (f, code, message) in new) + "\n\nwhat apply changed:\n" + diff)
