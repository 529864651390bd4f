"""inspector_kit.criteria is pure: no boto3/botocore (nor the fetch package), even at run time.

``impure_imports`` is written for any pure package (models, scoring, coverage, ...): it
runs a snippet in a fresh interpreter in which importing boto3, botocore or
``inspector_kit.fetch`` raises, then reports what was imported anyway.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FORBIDDEN = ("boto3", "botocore", "inspector_kit.fetch")

_RUNNER = """
import importlib.abc, json, sys

FORBIDDEN = {forbidden!r}

def _forbidden(name):
    return any(name == f or name.startswith(f + ".") for f in FORBIDDEN)

class _Block(importlib.abc.MetaPathFinder):
    # Importing a forbidden module fails where it happens, lazily or not, with a traceback.
    def find_spec(self, name, path=None, target=None):
        if _forbidden(name):
            raise ImportError(f"pure code imported {{name}}")
        return None

sys.meta_path.insert(0, _Block())
import {package}
{snippet}
print(json.dumps(sorted(m for m in sys.modules if _forbidden(m))))
"""


def impure_imports(package: str, snippet: str, forbidden: tuple[str, ...] = FORBIDDEN) -> list[str]:
    """Run ``import package`` then ``snippet`` in a fresh interpreter; what got imported.

    Returns the forbidden modules found in ``sys.modules`` at the end (an empty list for a
    pure package). A forbidden import raises ``ImportError`` in the child, so the snippet
    fails and this raises ``AssertionError`` with the child's traceback.
    """
    code = _RUNNER.format(
        forbidden=forbidden, package=package, snippet=textwrap.dedent(snippet).strip()
    )
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
    }
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=env
    )
    assert out.returncode == 0, out.stderr
    found: list[str] = json.loads(out.stdout.strip().splitlines()[-1])
    return found


# Every kind of criteria built, serialized, read back and rejected, as a user would.
CRITERIA_SNIPPET = """
import pickle
from datetime import datetime, timedelta, timezone

from inspector_kit.criteria import (
    CLOSED_VALUES, CoverageCriteria, DateFilter, FindingCriteria, MapFilter, NumberFilter,
    PackageFilter, PortRangeFilter, StringFilter, check_closed,
)
from inspector_kit.errors import CriteriaError, CriteriaUsageError

T0 = datetime(2024, 1, 1, tzinfo=timezone.utc)

def one_of_each(kind, api, closed):
    value = closed[api][0] if api in closed else "a"
    return {
        "string": [StringFilter(value), StringFilter.not_equals(value)],
        "number": NumberFilter(gte=1, lte=5),
        "date": [DateFilter(start=T0), DateFilter(end=T0.astimezone(timezone(timedelta(hours=9))))],
        "map": {"Environment": "prod", "Team": None},
        "port": PortRangeFilter(begin=22, end=443),
        "package": PackageFilter(name="openssl", version=StringFilter.prefix("3."),
                                 epoch=NumberFilter(gte=0)),
    }[kind]

for cls in (FindingCriteria, CoverageCriteria):
    closed = CLOSED_VALUES[cls._RULES.shape]
    crit = cls(**{n: one_of_each(k, a, closed) for n, (a, k) in cls._MEMBERS.items()})
    api = crit.to_api()
    assert set(api) == crit.fields_set() and len(api) == len(cls._MEMBERS)
    assert cls.from_api(api) == crit
    assert eval(repr(crit.where(**{n: () for n in cls._MEMBERS}))) == cls()
    assert pickle.loads(pickle.dumps(crit)) == crit
    assert (crit & crit) == crit

assert FindingCriteria.from_api(
    {"firstObservedAt": [{"startInclusive": "2024-01-01T00:00:00Z", "endInclusive": 1.8e9}]}
).first_observed_at[0].start == T0
assert FindingCriteria.from_api({"severity": [{"comparison": "EQUALS", "value": "NEW"}]},
                                check=False)

def rejected(build):
    try:
        build()
    except (CriteriaError, CriteriaUsageError) as exc:
        return str(exc)
    raise AssertionError("accepted")

assert rejected(lambda: FindingCriteria(severity="critical")).startswith("severity[0].value")
assert rejected(lambda: FindingCriteria(vulnerability_id=["a", "x" * 1025])).startswith(
    "vulnerabilityId[1].value")
assert rejected(lambda: FindingCriteria(title=["t"] * 11)).startswith("title:")
assert rejected(lambda: CoverageCriteria(resource_id=StringFilter.prefix("i-"))).startswith(
    "resourceId[0].comparison")
assert rejected(lambda: CoverageCriteria(ecr_image_in_use_count=NumberFilter(lte=1.5)))
assert rejected(lambda: FindingCriteria.from_api({"sevrity": []})).startswith("sevrity:")
assert rejected(lambda: FindingCriteria.from_api({"portRange": [{"beginInclusive": 70000}]}))
assert rejected(lambda: FindingCriteria(vulnerable_packages=PackageFilter(epoch=1)))
assert rejected(lambda: FindingCriteria(resource_tags={"k" * 129: "v"}))
assert rejected(lambda: DateFilter(start=datetime(2024, 1, 1)))
assert rejected(lambda: DateFilter.from_api({"startInclusive": "not a date"}))
assert rejected(lambda: FindingCriteria().where(sevrity="HIGH"))
assert rejected(lambda: FindingCriteria().combine(CoverageCriteria()))
assert rejected(lambda: check_closed(StringFilter("x"), ("HIGH",), "severity", "severity"))
"""


def test_criteria_never_load_boto3_botocore_or_fetch() -> None:
    assert impure_imports("inspector_kit.criteria", CRITERIA_SNIPPET) == []


def test_the_check_catches_an_import_of_botocore() -> None:
    # The check must be able to fail: an import at run time is caught where it happens...
    with pytest.raises(AssertionError, match="pure code imported botocore"):
        impure_imports("inspector_kit.criteria", "def later():\n    import botocore\nlater()")
    # ...and a module loaded anyway (here before the check began: os, at start-up) is reported.
    assert "os" in impure_imports("json", "pass", forbidden=("os",))
