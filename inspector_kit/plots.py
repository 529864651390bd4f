"""Charts for notebooks and reports: findings by severity, coverage by method, cost by region.

Needs the ``plot`` extra (``pip install 'inspector-kit[plot]'``); without it each function
raises [`MissingExtraError`][inspector_kit.formats.MissingExtraError]. Matplotlib is imported
on first use, and every chart is a standalone ``matplotlib.figure.Figure`` (no
``pyplot`` global state), so it works under the ``Agg`` backend, in threads and in
notebooks alike (Jupyter displays a returned ``Figure``; ``fig.savefig(path)`` writes it).
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Literal

from inspector_kit._html import COLOURS
from inspector_kit.coverage import CoverageReport, ScanMethod
from inspector_kit.errors import InputError
from inspector_kit.formats import MissingExtraError
from inspector_kit.models import Severity
from inspector_kit.pricing import CostEstimate, ModeComparison

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence

    from matplotlib.figure import Figure

    from inspector_kit.models import Finding

__all__ = ["MissingExtraError", "cost_by_region", "coverage_by_method", "severity_by"]

# Stacked from the bottom: the worst first, so it is what the eye meets at the axis.
_SEVERITY_ORDER = (
    Severity.CRITICAL,
    Severity.HIGH,
    Severity.MEDIUM,
    Severity.LOW,
    Severity.INFORMATIONAL,
    Severity.UNTRIAGED,
)


def _figure(feature: str) -> Figure:
    try:
        from matplotlib.figure import Figure
    except ImportError as exc:
        raise MissingExtraError("matplotlib", "plot", feature=feature) from exc
    return Figure(figsize=(7.0, 4.0), layout="constrained")


def _stacked(
    fig: Figure,
    groups: Sequence[str],
    stacks: Mapping[str, Sequence[float]],
    *,
    title: str,
    ylabel: str,
) -> Figure:
    ax = fig.add_subplot()
    positions = list(range(len(groups)))
    bottom = [0.0] * len(groups)
    for name, values in stacks.items():
        ax.bar(positions, values, bottom=bottom, label=name, color=COLOURS.get(name))
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    ax.set_xticks(positions, list(groups))
    ax.set_title(title)
    ax.set_ylabel(ylabel)
    if stacks:
        ax.legend(fontsize="small")
    return fig


def severity_by(findings: Iterable[Finding], by: Literal["region", "account"] = "region") -> Figure:
    """Findings per region (or per account) as bars stacked by severity.

    Only the severities present get a stack (worst at the bottom, in the HTML colours);
    findings with no region are grouped as ``unknown``.

    Args:
        findings: The findings to count (read once).
        by: ``"region"`` or ``"account"``.

    Returns:
        A new figure: one bar per group and severity present.

    Examples:
        >>> from inspector_kit import sample_findings
        >>> fig = severity_by(sample_findings(), by="account")
        >>> [t.get_text() for t in fig.axes[0].get_xticklabels()]
        ['111122223333', '123456789012', '444455556666']
    """
    if by not in ("region", "account"):
        raise InputError(f"by must be 'region' or 'account', got {by!r}")
    fig = _figure("severity_by")
    counts = Counter(
        ((f.region or "unknown") if by == "region" else f.aws_account_id, str(f.severity))
        for f in findings
    )
    groups = sorted({group for group, _ in counts})
    present = {severity for _, severity in counts}
    stacks: dict[str, list[float]] = {
        s.value: [float(counts[g, s.value]) for g in groups]
        for s in _SEVERITY_ORDER
        if s.value in present
    }
    # Open enum: a severity this version does not know still gets counted.
    stacks.update({s: [float(counts[g, s]) for g in groups] for s in sorted(present - {*stacks})})
    return _stacked(fig, groups, stacks, title=f"Findings by {by}", ylabel="findings")


def coverage_by_method(report: CoverageReport) -> Figure:
    """Instances per expected scan method, stacked by coverage status.

    Args:
        report: A coverage report ([`Inventory.analyze`][inspector_kit.coverage.Inventory.analyze]).

    Returns:
        A new figure: one bar per method and status present, in the status colours.

    Examples:
        >>> from inspector_kit.sample import sample_inventory
        >>> fig = coverage_by_method(sample_inventory().analyze())
        >>> [t.get_text() for t in fig.axes[0].get_xticklabels()]
        ['AGENT_BASED', 'AGENTLESS', 'VM_SCANNER', 'NONE']
    """
    fig = _figure("coverage_by_method")
    counts = Counter((c.expected_method, c.status) for c in report)
    methods = list(ScanMethod)
    stacks = {
        status.value: [float(counts[m, status]) for m in methods]
        for status, n in report.counts_by_status().items()
        if n
    }
    return _stacked(
        fig,
        [m.value for m in methods],
        stacks,
        title=f"EC2 coverage by scan method ({len(report)} instances)",
        ylabel="instances",
    )


def cost_by_region(estimates: Mapping[str, CostEstimate] | ModeComparison) -> Figure:
    """Monthly cost per region: one bar each, or agent-based next to hybrid for a comparison.

    Args:
        estimates: Estimates keyed by a label (usually the region), or a
            [`ModeComparison`][inspector_kit.pricing.ModeComparison] (from ``compare_modes``).

    Returns:
        A new figure: one bar per estimate (two per region for a comparison).

    Examples:
        >>> from inspector_kit.pricing import Usage, estimate
        >>> usage = Usage(agent_based_hours=7200)
        >>> fig = cost_by_region({r: estimate(usage, region=r)
        ...                       for r in ("us-east-1", "ap-northeast-1")})
        >>> len(fig.axes[0].patches), fig.axes[0].get_ylabel()
        (2, 'USD / month')
    """
    fig = _figure("cost_by_region")
    ax = fig.add_subplot()
    if isinstance(estimates, ModeComparison):
        modes = {"agent-based": estimates.agent_based, "hybrid": estimates.hybrid}
        labels = [e.region for e in estimates.agent_based]
        currency = next((e.currency for e in estimates.hybrid), "USD")
        for offset, (mode, values) in zip((-0.2, 0.2), modes.items(), strict=True):
            xs = [i + offset for i in range(len(labels))]
            ax.bar(xs, [float(e.total) for e in values], width=0.4, label=mode)
        ax.legend(fontsize="small")
        ax.set_title(f"Agent-based vs hybrid mode (+{estimates.added:.2f} {currency})")
    else:
        labels = list(estimates)
        currency = next((e.currency for e in estimates.values()), "USD")
        ax.bar(range(len(labels)), [float(e.total) for e in estimates.values()])
        ax.set_title("Estimated monthly cost by region")
    ax.set_xticks(range(len(labels)), labels)
    ax.set_ylabel(f"{currency} / month")
    return fig
