"""Rich display: the safe HTML renderer, every ``_repr_html_``, and the plots."""

from __future__ import annotations

import html
import sys
from datetime import datetime, timezone
from typing import TYPE_CHECKING

import pytest

import inspector_kit
from inspector_kit import Finding, load_findings
from inspector_kit._html import html_table
from inspector_kit.coverage import CoverageReport
from inspector_kit.pricing import (
    AwsComparison,
    Usage,
    compare_modes,
    compare_with_aws,
    estimate,
)
from inspector_kit.sample import sample_inventory
from inspector_kit.scoring import rescore_all
from inspector_kit.testing import finding_payload
from inspector_kit.triage import BusinessCalendar, TriagePolicy, rank

if TYPE_CHECKING:
    from matplotlib.axes import Axes

SCRIPT = "<script>alert(1)</script>"
ATTR = '"onmouseover="x'
NOW = datetime(2026, 11, 22, tzinfo=timezone.utc)


@pytest.fixture(scope="module")
def findings() -> list[Finding]:
    return list(inspector_kit.sample_findings())


@pytest.fixture(scope="module")
def report() -> CoverageReport:
    return sample_inventory().analyze()


def hostile() -> Finding:
    payload = finding_payload(title=f"{SCRIPT} {ATTR}", description=f"{SCRIPT} &amp; {ATTR}")
    payload["resources"][0]["tags"] = {SCRIPT: ATTR}
    return Finding.from_api(payload)


# -- the renderer ---------------------------------------------------------------------


def test_hostile_finding_renders_as_text() -> None:
    out = hostile()._repr_html_()
    assert "<script" not in out
    assert 'onmouseover="' not in out
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out
    assert "&quot;onmouseover=&quot;x" in out
    assert "&amp;amp;" in out  # the literal "&amp;" stays text, not an entity


def test_column_names_caption_and_footer_are_escaped() -> None:
    out = html_table(
        [{SCRIPT: "v", ATTR: 1}], caption=f"cap {SCRIPT}", footer=ATTR, columns=[SCRIPT, ATTR]
    )
    assert "<script" not in out
    assert out.count("&lt;script&gt;") == 2
    assert out.count("&quot;onmouseover=&quot;x") == 2


def test_values_are_formatted() -> None:
    out = html_table([{"at": NOW, "none": None, "tags": ("a", "b")}])
    assert "2026-11-22T00:00:00+00:00" in out
    assert "a, b" in out
    assert "None" not in out


def test_truncation_message() -> None:
    rows = [{"n": i} for i in range(60)]
    out = html_table(rows)
    assert "… and 10 more rows" in out
    assert out.count("<tr>") == 1 + 50 + 1  # header, rows, note
    assert "more row" not in html_table(rows, limit=None)
    assert "… and 1 more row<" in html_table(rows[:3], limit=2)
    assert "… and 98 more rows" in html_table(rows[:2], total=100)


@pytest.mark.parametrize(
    ("value", "colour"),
    [
        ("CRITICAL", "#7b0000"),
        ("HIGH", "#d62728"),
        ("MEDIUM", "#ff7f0e"),
        ("LOW", "#bcbd22"),
        ("INFORMATIONAL", "#7f7f7f"),
        ("COVERED", "#2ca02c"),
        ("PENDING", "#1f77b4"),
    ],
)
def test_severity_column_is_coloured(value: str, colour: str) -> None:
    assert f"background:{colour}" in html_table([{"s": value}], severity_column="s")
    assert colour not in html_table([{"s": value}])  # only the named column


def _cells(out: str) -> list[str]:
    """The opening tags of every body cell."""
    return [c.split(">", 1)[0] for c in out.split("<td")[1:]]


def test_text_is_left_aligned_numbers_right() -> None:
    out = html_table([{"title": "a long title", "n": 3, "x": 1.5, "flag": True}])
    title, n, x, flag = _cells(out)
    # Jupyter's CSS right-aligns cells: every cell says its own alignment, the last one wins.
    assert title.rsplit("text-align:", 1)[1].startswith("left")
    assert flag.rsplit("text-align:", 1)[1].startswith("left")  # a flag is not a number
    assert n.rsplit("text-align:", 1)[1].startswith("right")
    assert x.rsplit("text-align:", 1)[1].startswith("right")
    heads = [h.split(">", 1)[0] for h in out.split("<th style")[1:]]
    assert all("text-align:left" in h for h in heads)


def test_ids_and_regions_do_not_wrap(findings: list[Finding], report: CoverageReport) -> None:
    from inspector_kit.formats import FINDING_DISPLAY_COLUMNS, to_html

    out = to_html(findings[:2])
    cells = _cells(out)[: len(FINDING_DISPLAY_COLUMNS)]
    style = dict(zip(FINDING_DISPLAY_COLUMNS, cells, strict=True))
    for name in ("region", "aws_account_id", "resource_id", "finding_arn", "vulnerability_id"):
        assert "white-space:nowrap" in style[name], name
    for name in ("title", "packages", "remediation"):
        assert "nowrap" not in style[name], name  # long text wraps, in a bounded width
        assert "max-width:36em" in style[name], name
    coverage = report._repr_html_()
    heads = [h.rsplit(">", 1)[1] for h in coverage.split("</th>")[:-1]]
    row = dict(zip(heads, _cells(coverage)[: len(heads)], strict=True))
    assert "white-space:nowrap" in row["instance"] and "white-space:nowrap" in row["region"]


def test_every_status_has_its_own_colour() -> None:
    from inspector_kit._html import COLOURS
    from inspector_kit.coverage import CoverageStatus

    statuses = [COLOURS[s.value] for s in CoverageStatus]
    assert len(set(statuses)) == len(statuses)
    assert COLOURS["EXCLUDED"] != COLOURS["STOPPED"]
    assert html_table([{"s": "EXCLUDED"}], severity_column="s") != html_table(
        [{"s": "STOPPED"}], severity_column="s"
    ).replace("STOPPED", "EXCLUDED")


# -- every _repr_html_ ----------------------------------------------------------------


def test_finding(findings: list[Finding]) -> None:
    f = next(f for f in findings if f.vulnerability_id)
    out = f._repr_html_()
    assert out.startswith("<table")
    assert f.vulnerability_id is not None and f.vulnerability_id in out


def test_loaded_findings_does_not_consume_the_stream() -> None:
    loaded = load_findings(b'[{"findingArn": 1}]')
    assert "not read yet" in loaded._repr_html_()
    assert list(loaded) == []
    out = loaded._repr_html_()
    assert out.startswith("<table")
    assert "1 error(s)" in out
    assert "expected a string" in out


def test_rescores(findings: list[Finding]) -> None:
    results = rescore_all(findings, default="INTERNAL")
    out = results._repr_html_()
    assert out.startswith("<table")
    assert f"Rescores({len(findings)} findings" in out
    assert f"… and {len(findings) - 50} more rows" in out
    changed = results.severity_changes()[0]
    one = changed._repr_html_()
    assert one.startswith("<table")
    assert f"{changed.base_severity} -&gt; {changed.severity}" in one


def test_coverage(report: CoverageReport) -> None:
    out = report._repr_html_()
    assert out.startswith("<table")
    assert f"EC2 coverage: {len(report)} instances" in out
    assert "NOT_COVERED" in out
    blocked = next(c for c in report if c.blockers)
    one = blocked._repr_html_()
    assert one.startswith("<table")
    assert blocked.deciding_reason is not None and blocked.deciding_reason.code in one


def test_cost_estimate() -> None:
    e = estimate(Usage(agent_based_hours=720), region="us-east-1")
    out = e._repr_html_()
    assert out.startswith("<table")
    assert "720 instance-hours / 720 x 1.2528 USD" in out
    assert html.escape(e.lines[0].price.source, quote=True) in out


def test_mode_comparison(report: CoverageReport) -> None:
    out = compare_modes(report, regions=["us-east-1"])._repr_html_()
    assert out.startswith("<table")
    assert "us-east-1" in out
    assert "hybrid" in out


def test_aws_comparison() -> None:
    from inspector_kit.models import UsageTotal

    total = UsageTotal.from_api(
        {
            "accountId": "123456789012",
            "usage": [{"type": "ECR_RESCAN", "total": 6.0, "estimatedMonthlyCost": 0.06}],
        },
        region="us-east-1",
    )
    comparison = compare_with_aws([total])
    assert isinstance(comparison, AwsComparison)
    out = comparison._repr_html_()
    assert out.startswith("<table")
    assert "ECR_RESCAN" in out


def test_triage_plan_and_ranked_finding(findings: list[Finding]) -> None:
    active = [f for f in findings if f.status == "ACTIVE"]
    calendar = BusinessCalendar("JP", timezone="Asia/Tokyo")
    plan = TriagePolicy.default().plan(active, calendar=calendar, now=NOW)
    out = plan._repr_html_()
    assert out.startswith("<table")
    assert "Triage plan for 2026-11-22" in out
    assert "next-business-day" in out
    top = rank(active)[0]
    one = top._repr_html_()
    assert one.startswith("<table")
    assert top.why.split(";")[0] in one


# -- plots ----------------------------------------------------------------------------


def heights(ax: Axes) -> list[float]:
    from matplotlib.patches import Rectangle

    return [p.get_height() for p in ax.patches if isinstance(p, Rectangle)]


@pytest.fixture
def agg() -> None:
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")


@pytest.mark.usefixtures("agg")
def test_severity_by_region_and_account(findings: list[Finding]) -> None:
    from matplotlib.figure import Figure

    from inspector_kit.plots import severity_by

    fig = severity_by(findings)
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    regions = sorted({f.region for f in findings if f.region})
    severities = {str(f.severity) for f in findings}
    assert [t.get_text() for t in ax.get_xticklabels()] == regions
    assert len(ax.patches) == len(regions) * len(severities)
    assert ax.get_legend() is None  # the legend is the figure's, outside the axes
    legend = fig.legends[0]
    assert legend.get_texts()[0].get_text() == "CRITICAL"
    assert sum(heights(ax)) == len(findings)
    accounts = severity_by(findings, by="account").axes[0].get_xticklabels()
    assert len(accounts) == len({f.aws_account_id for f in findings})
    with pytest.raises(ValueError, match="by must be"):
        severity_by(findings, by="resource")  # type: ignore[arg-type]


@pytest.mark.usefixtures("agg")
def test_coverage_by_method(report: CoverageReport) -> None:
    from inspector_kit.plots import coverage_by_method

    ax = coverage_by_method(report).axes[0]
    statuses = sum(1 for n in report.counts_by_status().values() if n)
    assert len(ax.patches) == 4 * statuses  # one bar per ScanMethod, VM_SCANNER included
    assert sum(heights(ax)) == len(report)


@pytest.mark.usefixtures("agg")
def test_cost_by_region(report: CoverageReport) -> None:
    from inspector_kit.plots import cost_by_region

    usage = Usage(agent_based_hours=720)
    regions = ["us-east-1", "ap-northeast-1"]
    ax = cost_by_region({r: estimate(usage, region=r) for r in regions}).axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == regions
    assert len(ax.patches) == 2
    assert heights(ax)[0] == pytest.approx(1.2528)
    modes = compare_modes(report)
    ax = cost_by_region(modes).axes[0]
    # now, every account agent-based, every account hybrid; one hatched bar per unpriced region
    assert len(ax.patches) == 3 * len(modes.agent_based) + len(modes.unpriced)
    assert [t.get_text() for t in ax.get_xticklabels()] == [
        *(e.region for e in modes.hybrid),
        *(str(e.region) for e in modes.unpriced),
    ]


def test_missing_matplotlib_raises_missing_extra(
    monkeypatch: pytest.MonkeyPatch, findings: list[Finding]
) -> None:
    from inspector_kit.plots import MissingExtraError, severity_by

    monkeypatch.setitem(sys.modules, "matplotlib", None)
    monkeypatch.setitem(sys.modules, "matplotlib.figure", None)
    with pytest.raises(MissingExtraError, match=r"pip install 'inspector-kit\[plot\]'"):
        severity_by(findings)
    with pytest.raises(ImportError):
        severity_by(findings)
