"""Charts for notebooks and reports: findings by severity, coverage by method, cost by region.

Needs the ``plot`` extra (``pip install 'inspector-kit[plot]'``); without it each function
raises [`MissingExtraError`][inspector_kit.formats.MissingExtraError]. Matplotlib is imported
on first use, and every chart is a standalone ``matplotlib.figure.Figure`` (no
``pyplot`` global state), so it works under the ``Agg`` backend, in threads and in
notebooks alike; ``fig.savefig(path)`` writes it.

Each chart displays itself in Jupyter, without ``%matplotlib inline``: the figure is a
``Figure`` subclass with ``_repr_png_`` (IPython shows the PNG it returns, where a plain
``Figure`` shows as the text ``<Figure size 700x400 with 1 Axes>``). Legends sit outside the
axes, below the plot, never over the bars; each severity and coverage status has its own colour
(the HTML tables' ``COLOURS``); regions without a price are drawn as a hatched, labelled
"unpriced" bar, never left out.
"""

from __future__ import annotations

import functools
import io
from collections import Counter
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal

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


#: The mode bars of a cost comparison: now, and each mode for every account.
_MODE_COLOURS = {"now": "#7f7f7f", "agent-based": "#1f77b4", "hybrid": "#ff7f0e"}
_UNPRICED = "unpriced"


@functools.cache
def _chart_type() -> type[Figure]:
    """The ``Figure`` subclass every chart is: it displays itself as a PNG in Jupyter."""
    from matplotlib.figure import Figure

    class Chart(Figure):
        """A matplotlib ``Figure`` that IPython displays as a PNG image by itself."""

        def _repr_png_(self) -> bytes:
            """The figure as PNG bytes: what Jupyter shows (no ``%matplotlib inline``)."""
            out = io.BytesIO()
            self.savefig(out, format="png", dpi=100, bbox_inches="tight")
            return out.getvalue()

    Chart.__module__ = __name__
    Chart.__qualname__ = "Chart"
    return Chart


def _figure(feature: str) -> Figure:
    try:
        import matplotlib.figure  # noqa: F401  (the extra is installed)
    except ImportError as exc:
        raise MissingExtraError("matplotlib", "plot", feature=feature) from exc
    return _chart_type()(figsize=(7.0, 4.0), layout="constrained")


def _legend(fig: Figure, ax: Any) -> None:
    """A legend outside the axes, below the plot: it never covers a bar or the title."""
    handles, labels = ax.get_legend_handles_labels()
    if handles:
        ncols = min(len(handles), 3)
        fig.legend(handles, labels, loc="outside lower center", ncols=ncols, fontsize="small")


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
    fig.suptitle(title)
    ax.set_ylabel(ylabel)
    _legend(fig, ax)
    return fig


def severity_by(findings: Iterable[Finding], by: Literal["region", "account"] = "region") -> Figure:
    """Findings per region (or per account) as bars stacked by severity.

    Only the severities present get a stack (worst at the bottom, in the HTML colours; the
    legend, below the axes, lists them in that order); findings with no region are
    grouped as ``unknown``.

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
        A new figure: one bar per method and status present, in the status colours (each
        status its own: EXCLUDED purple, STOPPED brown).

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
    r"""Monthly cost per region: one bar each, or now / agent-based / hybrid for a comparison.

    Regions that could not be priced are shown, not dropped: a comparison's ``unpriced``
    regions get a hatched bar labelled "unpriced" (its height means nothing: there is no
    figure), and an estimate with unpriced items says which above its bar. The title of a
    comparison is its one answer,
    [`switch_cost()`][inspector_kit.pricing.ModeComparison.switch_cost], to the cent.

    Args:
        estimates: Estimates keyed by a label (usually the region), or a
            [`ModeComparison`][inspector_kit.pricing.ModeComparison] (from ``compare_modes``).

    Returns:
        A new figure: one bar per estimate (three per priced region for a comparison: now,
        every account agent-based, every account hybrid), one hatched bar per unpriced region.

    Examples:
        >>> from inspector_kit.pricing import Usage, estimate
        >>> usage = Usage(agent_based_hours=7200)
        >>> fig = cost_by_region({r: estimate(usage, region=r)
        ...                       for r in ("us-east-1", "ap-northeast-1")})
        >>> len(fig.axes[0].patches), fig.axes[0].get_ylabel()
        (2, 'USD / month')
        >>> from inspector_kit.sample import sample_inventory
        >>> from inspector_kit.pricing import compare_modes
        >>> fig = cost_by_region(compare_modes(sample_inventory().analyze()))
        >>> [t.get_text() for t in fig.axes[0].get_xticklabels()]
        ['ap-northeast-1', 'us-east-1', 'eu-west-1']
        >>> fig._repr_png_().startswith(b"\x89PNG")  # what Jupyter displays
        True
    """
    fig = _figure("cost_by_region")
    ax = fig.add_subplot()
    if isinstance(estimates, ModeComparison):
        labels = [e.region for e in estimates.agent_based]
        currency = next((e.currency for e in estimates.hybrid), "USD")
        modes: dict[str, Sequence[CostEstimate]] = {
            "now": estimates.current,
            "agent-based": estimates.agent_based,
            "hybrid": estimates.hybrid,
        }
        modes = {name: values for name, values in modes.items() if values}
        width = 0.8 / max(len(modes), 1)
        for index, (mode, values) in enumerate(modes.items()):
            offset = (index - (len(modes) - 1) / 2) * width
            xs = [i + offset for i in range(len(labels))]
            label = mode if mode == "now" else f"every account {mode}"
            heights = [float(e.total) for e in values]
            ax.bar(xs, heights, width=width, label=label, color=_MODE_COLOURS[mode])
        missing = sorted({str(e.region) for e in estimates.unpriced})
        _unpriced_bars(ax, len(labels), missing)
        labels += missing
        switch = _cents(estimates.switch_cost())
        title = f"Switching to hybrid from now: +{switch} {currency}/month"
        fig.suptitle(title + (f" ({', '.join(missing)} unpriced)" if missing else ""))
    else:
        labels = list(estimates)
        currency = next((e.currency for e in estimates.values()), "USD")
        totals = [float(e.total) for e in estimates.values()]
        ax.bar(range(len(labels)), totals, label="estimate")
        for i, e in enumerate(estimates.values()):
            if e.unpriced:
                items = ", ".join(sorted({str(x.item) for x in e.unpriced}))
                ax.annotate(
                    f"+ {_UNPRICED}: {items}",
                    (i, totals[i]),
                    ha="center",
                    va="bottom",
                    fontsize="x-small",
                )
        fig.suptitle("Estimated monthly cost by region")
    ax.set_xticks(range(len(labels)), labels)
    ax.set_ylabel(f"{currency} / month")
    _legend(fig, ax)
    return fig


def _cents(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.01')):,}"


def _unpriced_bars(ax: Any, start: int, regions: Sequence[str]) -> None:
    """A hatched, labelled bar per region without a price, after the priced ones."""
    if not regions:
        return
    top = max((p.get_height() for p in ax.patches), default=1.0) or 1.0
    xs = list(range(start, start + len(regions)))
    ax.bar(
        xs,
        [top] * len(xs),
        width=0.8,
        fill=False,
        hatch="//",
        edgecolor="#999999",
        label=f"{_UNPRICED} (no price: not estimated)",
    )
    for x in xs:
        ax.text(x, top / 2, _UNPRICED, ha="center", va="center", rotation=90, color="#555555")
