"""Pure packages never load boto3, botocore or the fetch package: not at import, not at run time.

Importing a package proves little (a function-level import runs later), so each pure
package's own runnable examples (every docstring example of every module in it) run in a
fresh interpreter in which importing ``boto3``, ``botocore`` or ``inspector_kit.fetch``
raises ``ImportError`` where it happens. The examples exercise the public API with real
data (the sample estate, published payloads), so an I/O dependency hidden in a code path
fails the example that reaches it. ``inspector_kit.testing``'s payload builders are allowed:
examples use them to build findings.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FORBIDDEN = ("boto3", "botocore", "inspector_kit.fetch")

PURE = [
    "inspector_kit.models",
    "inspector_kit.criteria",
    "inspector_kit.scoring",
    "inspector_kit.coverage",
    "inspector_kit.pricing",
    "inspector_kit.triage",
    "inspector_kit.formats",
    "inspector_kit.history",
    "inspector_kit.sample",
    "inspector_kit.loaders",
    "inspector_kit.purl",
    "inspector_kit.sbom",
    "inspector_kit.logs",
]

# The one allowed way out: the deprecated PriceTable.from_price_list delegates to
# inspector_kit.fetch.fetch_price_table (it calls AWS; its example uses boto3's Stubber).
EXEMPT = {
    "inspector_kit.pricing._compat.from_price_list",
    "inspector_kit.pricing._table.PriceTable.from_price_list",
}

_RUNNER = """
import doctest, importlib, importlib.abc, json, pkgutil, sys

FORBIDDEN = {forbidden!r}
EXEMPT = {exempt!r}

def forbidden(name):
    return any(name == f or name.startswith(f + ".") for f in FORBIDDEN)

class Block(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if forbidden(name):
            raise ImportError(f"pure code imported {{name}}")
        return None

sys.meta_path.insert(0, Block())
package = importlib.import_module({package!r})
modules = [package]
for info in pkgutil.walk_packages(getattr(package, "__path__", []), package.__name__ + "."):
    modules.append(importlib.import_module(info.name))
{extra}
flags = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
runner = doctest.DocTestRunner(optionflags=flags)
ran = 0
for module in modules:
    for test in doctest.DocTestFinder().find(module, module.__name__):
        if test.name not in EXEMPT and test.examples:
            runner.run(test)
            ran += 1
print(json.dumps({{"ran": ran, "failed": runner.failures,
                  "loaded": sorted(m for m in sys.modules if forbidden(m))}}))
"""


def _run(package: str, extra: str = "") -> dict[str, object]:
    code = _RUNNER.format(forbidden=FORBIDDEN, exempt=EXEMPT, package=package, extra=extra)
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
    }
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=env, timeout=300
    )
    assert out.returncode == 0, out.stderr
    *report, last = out.stdout.strip().splitlines()
    result: dict[str, object] = json.loads(last)
    result["report"] = "\n".join(report)[-4000:]
    return result


@pytest.mark.parametrize("package", PURE)
def test_pure_package_runs_its_examples_without_boto3(package: str) -> None:
    result = _run(package)
    assert result["loaded"] == [], result["report"]
    assert result["failed"] == 0, result["report"]
    assert isinstance(result["ran"], int) and result["ran"] > 0


def test_the_check_catches_a_lazy_import_of_botocore() -> None:
    # The test can fail: a function that imports botocore when called is caught.
    lazy = (
        "def later():\n    import botocore\n\n"
        "try:\n    later()\nexcept ImportError as exc:\n    print(exc)\n"
    )
    result = _run("inspector_kit.purl", extra=lazy)
    assert "pure code imported botocore" in str(result["report"])
    assert result["loaded"] == []


def test_the_fetch_package_is_what_the_check_forbids() -> None:
    # ... and code that reaches the fetch layer fails where it does.
    with pytest.raises(AssertionError, match=r"pure code imported inspector_kit\.fetch"):
        _run("inspector_kit.purl", extra="import inspector_kit.fetch")
