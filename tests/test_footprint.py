"""The footprint budget for Lambda (issue 18, item 13), and the install without the extras.

What a handler imports loads no heavy module (checked in ``sys.modules`` of a fresh
interpreter); the base install brings neither the CLI's rich nor triage's holiday data; and
without those extras (blocked by a meta path finder in a subprocess) the command prints plain
tables and a country calendar says which extra to install. The handler path (issue 19,
item 7: ``load_findings`` and one EventBridge event) stays within a budget of modules and
attrs classes and loads none of the models, criteria, scoring, writers... it does not need;
the lazy package surfaces give the same names and objects as eager imports did, and decode
the same. The figures themselves are measured by ``benchmarks/footprint.py``.
"""

from __future__ import annotations

import importlib.util
import io
import json
import os
import re
import subprocess
import sys
import textwrap
from datetime import date, timedelta
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from inspector_kit._cli.common import progress_bar
from inspector_kit.errors import CalendarError
from inspector_kit.triage import BusinessCalendar

ROOT = Path(__file__).resolve().parent.parent


def _footprint() -> ModuleType:
    spec = importlib.util.spec_from_file_location("footprint", ROOT / "benchmarks/footprint.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


footprint = _footprint()

# Installed first in the child: imports of these top-level names fail as if not installed.
_BLOCKER = """\
import sys

class _Missing:
    def __init__(self, names):
        self.names = set(names)

    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in self.names:
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None

sys.meta_path.insert(0, _Missing(BLOCKED))
"""


def _child(code: str, *, blocked: tuple[str, ...] = ()) -> dict[str, Any]:
    """Run ``code`` in a fresh interpreter (``blocked`` not importable); its JSON result."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_DEFAULT_REGION"):
        env.setdefault(name, "testing" if name != "AWS_DEFAULT_REGION" else "us-east-1")
    script = _BLOCKER.replace("BLOCKED", repr(sorted(blocked))) + textwrap.dedent(code)
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, check=False
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


_LOADED = """
import json, sys
print(json.dumps(sorted({m.split(".")[0] for m in sys.modules})))
"""


@pytest.mark.parametrize(
    "statement",
    [
        "import inspector_kit\nfrom inspector_kit import load_findings, Finding",
        "import inspector_kit.triage",
    ],
)
def test_handler_imports_load_no_heavy_module(statement: str) -> None:
    loaded = set(_child(statement + _LOADED))
    assert "inspector_kit" in loaded  # the check itself sees what was imported
    assert not loaded & set(footprint.HEAVY)


def test_decoding_an_event_loads_no_heavy_module(tmp_path: Path) -> None:
    event = footprint.sample_event(tmp_path)
    loaded = _child(
        f"from inspector_kit import load_findings\n"
        f"assert len(list(load_findings({event!r}))) == 1\n" + _LOADED
    )
    assert not set(loaded) & set(footprint.HEAVY)


def test_the_measure_sees_heavy_modules() -> None:
    """The same check does catch a heavy import (it is not vacuous)."""
    loaded = set(_child("import inspector_kit._cli.common\nimport rich.table" + _LOADED))
    assert "rich" in loaded


def test_base_install_leaves_out_the_cli_and_holiday_data() -> None:
    base, extras = footprint.project_requirements()
    names = {footprint.normalise(r.split(";")[0].split("[")[0].split(">")[0]) for r in base}
    assert names >= {"boto3", "attrs", "cvss", "packageurl-python", "pyyaml"}
    assert not names & {"rich", "holidays"}
    assert extras["cli"] == ["rich>=13"]
    assert extras["holidays"] == ["holidays>=0.60"]
    # make test installs the dev extra: it must bring both back.
    everything = footprint.closure(extras["dev"], extras)
    assert {"rich", "holidays"} <= everything
    assert not footprint.closure(base, extras) & set(footprint.NOT_IN_BASE)


def test_the_closure_follows_dependencies() -> None:
    """Checked against requirements known independently: rich needs pygments."""
    _, extras = footprint.project_requirements()
    cli = footprint.closure(extras["cli"], extras)
    assert {"rich", "pygments", "markdown-it-py", "mdurl"} <= cli
    assert "holidays" not in cli


def test_base_for_lambda_within_the_size_budget() -> None:
    groups = footprint.measure_sizes()
    lean = groups["base without the AWS SDK (Lambda)"]
    assert "boto3" not in lean["dists"] and "inspector-kit" in lean["dists"]
    assert 0 < lean["bytes"] <= footprint.DEPLOY_BUDGET_MB * 1e6
    before = groups["base before issue 18 (rich and holidays in it)"]["bytes"]
    saved = groups["extra cli (added)"]["bytes"] + groups["extra holidays (added)"]["bytes"]
    assert groups["base"]["bytes"] == before - saved


# --- without the extras --------------------------------------------------------------------


def test_calendar_with_a_country_names_the_extra_without_holidays() -> None:
    result = _child(
        """
        import json
        from datetime import date
        from inspector_kit.errors import MissingExtraError
        from inspector_kit.triage import BusinessCalendar, TriagePolicy

        try:
            BusinessCalendar("JP")
        except MissingExtraError as exc:
            error = [str(exc), isinstance(exc, ImportError)]
        closure = [(date(2026, 12, 24), "Company closure")]
        cal = BusinessCalendar(None, extra_holidays=closure)
        print(json.dumps({
            "error": error,
            "next": cal.next_business_day(date(2026, 12, 23)).isoformat(),
            "name": cal.holiday_name(date(2026, 12, 24)),
        }))
        """,
        blocked=("holidays",),
    )
    assert result["error"] == [
        "BusinessCalendar('JP') needs holidays: pip install 'inspector-kit[holidays]'",
        True,
    ]
    assert result["next"] == "2026-12-25"  # Thursday 24th closed, Friday 25th open
    assert result["name"] == "Company closure"


_CLI = """
import contextlib, io, json, sys
from inspector_kit._cli.common import progress_bar
from inspector_kit.cli import main
from inspector_kit.testing import LoopbackInspector

class Terminal(io.StringIO):
    def isatty(self):
        return True

with progress_bar(Terminal()) as on_progress:
    bar = on_progress is not None

def run(*argv):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([*argv, "--endpoint-url", server.endpoint_url, "--regions", "us-east-1"])
    return code, out.getvalue(), err.getvalue()

with LoopbackInspector() as server:
    table = run("findings", "--severity", "CRITICAL", "--format", "table")
    rows = run("findings", "--severity", "CRITICAL", "--format", "json")
    triage = run("triage", "--format", "table")
demo_out, demo_err = io.StringIO(), io.StringIO()
with contextlib.redirect_stdout(demo_out), contextlib.redirect_stderr(demo_err):
    demo = [main(["demo"]), demo_out.getvalue(), demo_err.getvalue()]
print(json.dumps({
    "table": table, "json": json.loads(rows[1]), "triage": triage, "bar": bar, "demo": demo,
    "loaded": sorted({m.split(".")[0] for m in sys.modules}),
}))
"""


@pytest.fixture(scope="module")
def bare_cli() -> dict[str, Any]:
    """The CLI run with neither rich nor holidays importable."""
    return _child(_CLI, blocked=("rich", "holidays"))


def test_cli_prints_a_plain_table_without_rich(bare_cli: dict[str, Any]) -> None:
    code, out, err = bare_cli["table"]
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == "Findings"
    assert lines[1].split() == [
        "Severity", "Score", "Vulnerability", "Resource", "Account", "Region", "Status", "Fix",
    ]  # fmt: skip
    assert set(lines[2]) == {"-", " "}
    findings = bare_cli["json"]
    assert findings and len(lines) == 3 + len(findings)
    # Columns are where the rule's dashes are (cells may be empty: a code finding's score).
    spans = [m.span() for m in re.finditer(r"-+", lines[2])]
    cells = [[line[a:b].strip() for a, b in spans] for line in lines[3:]]
    assert sorted((row[0], row[4]) for row in cells) == sorted(
        (f["severity"], f["awsAccountId"]) for f in findings
    )
    assert not {"rich", "holidays"} & set(bare_cli["loaded"])


def test_no_progress_bar_without_rich(bare_cli: dict[str, Any]) -> None:
    assert bare_cli["bar"] is False
    with io.StringIO() as stream:  # the same call with rich installed draws a bar
        stream.isatty = lambda: True  # type: ignore[method-assign]
        with progress_bar(stream) as on_progress:
            assert on_progress is not None


def test_cli_triage_names_the_extra_without_holidays(bare_cli: dict[str, Any]) -> None:
    code, out, err = bare_cli["triage"]
    assert code == 5  # EXIT_CONFIG: the install cannot do it, as for every missing extra
    assert "pip install 'inspector-kit[holidays]'" in err
    assert out == ""


def test_demo_runs_on_a_base_install_and_says_what_it_left_out(bare_cli: dict[str, Any]) -> None:
    code, out, err = bare_cli["demo"]
    assert code == 0, err
    line = next(line for line in out.splitlines() if line.startswith("Triage under"))
    assert "Japanese holidays need pip install 'inspector-kit[holidays]'" in line
    assert "Japanese business days" not in line


# --- the calendar without a country (holidays installed: it must not be used) --------------


def test_calendar_without_a_country_counts_weekdays_only() -> None:
    cal = BusinessCalendar(None, timezone="Asia/Tokyo")
    assert cal.holidays_in(2026) == {}
    assert cal.country is None
    # 2026-01-01 is a public holiday in Japan, not in a calendar without a country.
    assert cal.is_business_day(date(2026, 1, 1))
    assert not BusinessCalendar("JP").is_business_day(date(2026, 1, 1))
    start, end = date(2026, 1, 4), date(2027, 3, 7)  # both Sundays
    weekdays = sum(
        (start + timedelta(days=i)).weekday() < 5 for i in range(1, (end - start).days + 1)
    )
    assert cal.business_days_between(start, end) == weekdays
    assert cal.add_business_days(date(2026, 1, 2), 1) == date(2026, 1, 5)


def test_calendar_without_a_country_refuses_a_subdivision() -> None:
    with pytest.raises(CalendarError, match="subdivision 'CA' needs a country"):
        BusinessCalendar(None, "CA")


# --- cold start: the handler path (issue 19, item 7) ---------------------------------------

_COUNTED = """
import json, sys
ours = sorted(m for m in list(sys.modules) if m.partition(".")[0] == "inspector_kit")
attr = sys.modules.get("attr")
classes = {
    id(v)
    for m in ours
    for v in vars(sys.modules[m]).values()
    if isinstance(v, type) and attr is not None and attr.has(v) and v.__module__ == m
}
print(json.dumps({"all": sorted(sys.modules), "ours": ours, "attrs_classes": len(classes)}))
"""


def _handler(event: str, then: str = "") -> dict[str, Any]:
    return _child(
        "from inspector_kit import load_findings\n"
        f"findings = list(load_findings({event!r}))\n"
        "assert len(findings) == 1 and findings[0].finding_arn.startswith('arn:aws:inspector2:')\n"
        + then
        + _COUNTED
    )


def test_the_handler_loads_what_it_needs_and_nothing_it_does_not(tmp_path: Path) -> None:
    result = _handler(footprint.sample_event(tmp_path))
    assert footprint.not_loaded_violations(result["all"]) == []
    # What the budget counts is really there: the finding models, the loader, attrs.
    assert {"inspector_kit.loaders", "inspector_kit.models._finding", "attr"} <= set(result["all"])
    assert len(result["ours"]) <= footprint.HANDLER_MODULE_BUDGET  # 61 before issue 19
    # Finding, Resource, VulnerablePackage and their parts at least; 126 before issue 19.
    assert 10 <= result["attrs_classes"] <= footprint.HANDLER_ATTRS_CLASS_BUDGET


def test_the_handler_budget_sees_what_it_forbids(tmp_path: Path) -> None:
    """Reading a name of the coverage models, criteria or scoring loads them: it is caught."""
    result = _handler(
        footprint.sample_event(tmp_path),
        "import inspector_kit, inspector_kit.models\n"
        "inspector_kit.models.CoveredResource, inspector_kit.FindingCriteria\n"
        "findings[0].purls\n",
    )
    banned = footprint.not_loaded_violations(result["all"])
    assert {
        "inspector_kit.models._coverage",
        "inspector_kit.criteria",
        "inspector_kit.purl",
        "packageurl",
    } <= set(banned)
    assert "inspector_kit.models._aggregations" not in banned  # only what was read
    assert len(result["ours"]) > len(_handler(footprint.sample_event(tmp_path))["ours"])


def test_the_not_loaded_list_matches_modules_and_what_is_under_them() -> None:
    assert footprint.not_loaded_violations(
        ["inspector_kit.criteria", "inspector_kit.criteria._finding", "inspector_kit.criteriax"]
    ) == ["inspector_kit.criteria", "inspector_kit.criteria._finding"]


def test_a_bare_import_loads_the_exceptions_only() -> None:
    result = _child("import inspector_kit" + _COUNTED)
    assert result["ours"] == [
        "inspector_kit",
        "inspector_kit._lazy",
        "inspector_kit._version",
        "inspector_kit.errors",
    ]
    assert "attr" not in result["all"]


# The lazy surfaces: the same names, objects and dir() as eager imports gave.

_LAZY_PACKAGES = ("inspector_kit", "inspector_kit.models", "inspector_kit.formats")


def _type_checking_imports(package: str) -> dict[str, list[str]]:
    """Module -> names of the ``if TYPE_CHECKING:`` imports of a package's ``__init__``."""
    import ast

    path = ROOT / Path(*package.split(".")) / "__init__.py"
    found: dict[str, list[str]] = {}
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.If) and getattr(node.test, "id", None) == "TYPE_CHECKING":
            for imp in node.body:
                assert isinstance(imp, ast.ImportFrom) and imp.module is not None
                found["." * imp.level + imp.module] = [a.name for a in imp.names]
    return found


@pytest.mark.parametrize("package", _LAZY_PACKAGES)
def test_the_lazy_map_says_what_the_type_checker_reads(package: str) -> None:
    module = importlib.import_module(package)
    exports = {m: list(names) for m, names in module._EXPORTS.items()}
    assert exports == _type_checking_imports(package)
    lazy = {name for names in exports.values() for name in names}
    eager = {n for n in module.__all__ if n in vars(module) and n not in lazy}
    assert set(module.__all__) == lazy | eager
    assert set(module.__all__) <= set(dir(module))
    for where, names in exports.items():
        defining = importlib.import_module(where, package)
        for name in names:
            assert getattr(module, name) is getattr(defining, name), (package, name)


_SAME_OBJECTS = """
import json, warnings
from inspector_kit.models._finding import Finding
from inspector_kit.models._enums import Severity
import inspector_kit
from inspector_kit import Severity as top_severity
from inspector_kit.models import Finding as models_finding, Severity as models_severity
assert inspector_kit.Finding is models_finding is Finding
assert top_severity is models_severity is Severity
assert inspector_kit.models.account.__name__ == "inspector_kit.models.account"
assert inspector_kit.formats.to_csv.__module__ == "inspector_kit.formats._csv"
assert inspector_kit.scoring.__name__ == "inspector_kit.scoring"
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    old = inspector_kit.RecordError
assert old is inspector_kit.RecordIssue and caught[0].category is DeprecationWarning
errors = []
for spelling in ("inspector_kit.nothing", "inspector_kit.models.nothing"):
    try:
        eval(spelling)
    except AttributeError as exc:
        errors.append(str(exc))
try:
    from inspector_kit import nothing
except ImportError as exc:
    errors.append(type(exc).__name__)
print(json.dumps(errors))
"""


def test_lazy_names_are_the_objects_their_modules_define() -> None:
    errors = _child(_SAME_OBJECTS)
    assert errors == [
        "module 'inspector_kit' has no attribute 'nothing'",
        "module 'inspector_kit.models' has no attribute 'nothing'",
        "ImportError",
    ]


_DECODE = """
import json, sys
from inspector_kit import load_findings
out = []
for source in SOURCES:
    loaded = load_findings(source)
    findings = [f.to_api() for f in loaded]
    out.append({
        "findings": json.loads(json.dumps(findings, default=str)),
        "severities": [str(f.severity) for f in load_findings(source)],
        "skipped": [s.reason for s in loaded.skipped],
        "errors": [str(e.error) for e in loaded.errors],
        "completions": [str(c.scan_status) for c in loaded.scan_completions],
    })
print(json.dumps(out))
"""


def test_decoding_on_the_lazy_path_equals_decoding_with_everything_loaded(
    tmp_path: Path,
) -> None:
    """A fresh handler (lazy surfaces) and this process (every module loaded) agree."""
    from inspector_kit import load_findings, sample_estate_path
    from inspector_kit.sample import sample_events_path

    event = json.loads(Path(footprint.sample_event(tmp_path)).read_text(encoding="utf-8"))
    odd = json.loads(json.dumps(event))
    odd["detail"]["severity"] = "APOCALYPTIC"  # open enums: kept as read
    odd["detail"]["futureMember"] = {"x": [1, 2]}  # lossless extra
    bad = json.loads(json.dumps(event))
    bad["detail"]["firstObservedAt"] = "yesterday"  # an error naming the path
    edge = tmp_path / "edge.jsonl"
    edge.write_text("\n".join(json.dumps(e) for e in (event, odd, bad)) + "\n", encoding="utf-8")
    sources = [
        str(sample_estate_path() / "findings.jsonl"),
        *sorted(str(p) for p in sample_events_path().glob("*.json")),
        str(ROOT / "tests/fixtures/asff/inspector_get_findings.json"),
        str(ROOT / "tests/fixtures/ocsf/security_hub_get_findings_v2.json"),
        str(edge),
    ]
    fresh = _child(f"SOURCES = {sources!r}\n" + _DECODE)
    here: dict[str, Any] = {}
    exec(f"SOURCES = {sources!r}\n" + _DECODE.replace("print(", "RESULT = ("), here)
    assert isinstance(fresh, list) and len(fresh) == len(sources)
    assert fresh == json.loads(here["RESULT"])
    assert sum(len(r["findings"]) for r in fresh) > 274  # the estate and more were read
    assert "APOCALYPTIC" in fresh[-1]["severities"]
    assert any("firstObservedAt" in e for e in fresh[-1]["errors"])
    assert any(r["completions"] for r in fresh)
    assert load_findings  # the in-process run used the same entry point
