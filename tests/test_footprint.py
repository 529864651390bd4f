"""The footprint budget for Lambda (issue 18, item 13), and the install without the extras.

What a handler imports loads no heavy module (checked in ``sys.modules`` of a fresh
interpreter); the base install brings neither the CLI's rich nor triage's holiday data; and
without those extras (blocked by a meta path finder in a subprocess) the command prints plain
tables and a country calendar says which extra to install. The figures themselves are
measured by ``benchmarks/footprint.py``.
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
