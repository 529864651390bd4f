"""``inspector-kit demo``: the sample estate, served and fetched through a loopback Inspector."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TextIO

from inspector_kit._values import _printable
from inspector_kit._version import __version__
from inspector_kit.models import Finding, FindingStatus

from .common import EXIT_OK, EXIT_PARTIAL
from .summary import summary_lines

if TYPE_CHECKING:
    import argparse
    from collections.abc import Sequence
    from datetime import datetime

__all__ = ["run_demo"]

_RESCORE_TOP = 2
_COVERAGE_TOP = 3
_TRIAGE_TOP = 2


def run_demo(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    import boto3

    from inspector_kit.fetch import Inspector
    from inspector_kit.testing import LoopbackDataset, LoopbackInspector

    dataset = LoopbackDataset.sample()
    print(
        f"inspector_kit {__version__} demo: the bundled sample estate (synthetic data), served "
        "by a loopback Inspector on 127.0.0.1 and fetched the way you would fetch from AWS",
        file=out,
    )
    # Dummy credentials: the loopback server checks signatures' shape, not their secret.
    session = boto3.Session(
        aws_access_key_id="DEMO", aws_secret_access_key="demo", region_name=dataset.regions[0]
    )
    with LoopbackInspector(dataset) as server:
        inspector = Inspector(session, regions=dataset.regions, endpoint_url=server.endpoint_url)
        print(f"Endpoint: {server.endpoint_url}  Regions: {', '.join(inspector.regions)}", file=out)
        stream = inspector.findings(include_suppressed=True, include_closed=True)
        findings = list(stream)
        counts = inspector.count()
        coverage = list(inspector.coverage())
        status = inspector.account_status(sorted({f.aws_account_id for f in findings}))
        images = _machine_images(inspector, coverage)
    print(file=out)
    for line in summary_lines(findings):
        print(line, file=out)
    print(file=out)
    outcomes = stream.outcomes
    per_region = ", ".join(f"{r} {o.findings} in {o.pages} pages" for r, o in outcomes.items())
    retries = sum(o.retries for o in outcomes.values())
    print(f"Fetched {per_region}; {retries} retries", file=out)
    for region, outcome in outcomes.items():
        if not outcome.ok:
            print(f"  {region} FAILED: {outcome.error}", file=out)
    active = sum(1 for f in findings if f.status == FindingStatus.ACTIVE)
    agree = "matches" if counts.total == active else "DIFFERS FROM"
    print(
        f"ListFindingAggregations counts {counts.total} active findings: {agree} the listing",
        file=out,
    )
    from inspector_kit.scoring import exposures_from_findings

    # The sample estate is frozen on its "today": coverage and due dates are judged then.
    today = _coverage_report(coverage, status, out)
    for line in images:
        print(line, file=out)
    exposures = exposures_from_findings(findings, coverage)
    _rescore_report(findings, exposures, out)
    _triage_report(findings, exposures, today, out)
    enabled = sum(1 for a in status.accounts if a.is_enabled("EC2"))
    print(
        f"Accounts x regions with EC2 scanning enabled: {enabled} of {len(status.accounts)}",
        file=out,
    )
    failed = stream.errors or counts.errors or status.errors
    for record in stream.item_errors:
        print(f"error: {record}", file=err)
    return EXIT_PARTIAL if failed or stream.item_errors else EXIT_OK


def _coverage_report(coverage: Sequence[Any], status: Any, out: TextIO) -> datetime:
    """Print the sample's coverage report; return the time it was judged at."""
    import attrs

    from inspector_kit.coverage import ScanMethod
    from inspector_kit.coverage._os import END_OF_LIFE_TAIL_CODE
    from inspector_kit.sample import sample_inventory

    # The sample's EC2/SSM inventory, checked against the coverage and account status just
    # fetched (Inspector.inventory() gathers all of it from AWS).
    enabled = {(a.account_id, a.region): a.is_enabled("EC2") for a in status.accounts}
    inventory = attrs.evolve(sample_inventory(), coverage=coverage, account_enabled=enabled)
    report = inventory.analyze()
    statuses = report.counts_by_status()
    methods = report.counts_by_method()
    print(
        f"EC2 coverage of {len(report)} instances (inventory vs Inspector's records): "
        + " · ".join(f"{s.value} {n}" for s, n in statuses.items() if n)
        + f"; {report.coverage_ratio or 0:.0%} of the {len(report.in_scope)} in scope scanned",
        file=out,
    )
    print(
        "  Expected method: "
        + " · ".join(f"{m.value} {n}" for m, n in methods.items() if n)
        + f"; hybrid scan mode would add {len(report.hybrid_would_add)}"
        + f"; Inspector disagrees with the rules on {len(report.mismatches)}",
        file=out,
    )
    # The third method: where the VM scanner runs, and what activating it everywhere changes.
    vm = [c for c in report if c.expected_method is ScanMethod.VM_SCANNER]
    print(
        f"  Enhanced EC2 Scanning (VM scanner) scans {len(vm)}: "
        + ", ".join(
            f"{_printable(c.instance.name or c.instance_id)} ({c.instance.platform}"
            + (", installed by hand, no SSM" if c.instance.ssm is None else ", through SSM")
            + ")"
            for c in vm
        )
        + f"; activating it everywhere would move {len(report.vm_scanner_would_switch)} more"
        + f" and add {len(report.vm_scanner_would_add)} unscanned",
        file=out,
    )
    for c in report.end_of_life:
        tail = next(r for r in c.reasons if r.code == END_OF_LIFE_TAIL_CODE)
        name = _printable(c.instance.name or c.instance_id)
        print(f"  {name:<20} END OF LIFE {_printable(tail.message)}", file=out)
    _cost_line(report, out)
    attention = report.needs_attention
    for c in attention[:_COVERAGE_TOP]:
        reason = c.deciding_reason or c.reasons[0]  # what decides the status
        print(
            f"  {_printable(c.instance.name or c.instance_id):<20} {c.status.value:<11} "
            f"{_printable(reason.message)}",
            file=out,
        )
    if len(attention) > _COVERAGE_TOP:
        print(
            f"  ... and {len(attention) - _COVERAGE_TOP} more, each with its fix "
            "(inspector-kit coverage --sample)",
            file=out,
        )
    return report.now


def _machine_images(inspector: Any, coverage: Sequence[Any]) -> list[str]:
    """Lines on the sample's AMIs: continuous scanning and the on-demand scans, fetched."""
    from inspector_kit.sample import sample_machine_images

    continuous = [r for r in coverage if str(r.resource_type) == "MACHINE_IMAGE"]
    settings = {r: inspector.ami_configuration(r) for r in sorted({r.region for r in continuous})}
    scans = []
    for image in sample_machine_images():
        stream = inspector.on_demand_scans(image["image_id"], regions=image["region"])
        scans += [(_printable(image["name"]), scan) for scan in stream]
    where = ", ".join(
        f"{region} (created within {str(s.created_within).removeprefix('DAYS_')} days)"
        for region, s in settings.items()
        if s is not None
    )
    lines = [f"Machine images: {len(continuous)} AMIs scanned continuously in {where or '-'}"]
    for name, scan in scans:
        reason = f" ({scan.scan_status_reason})" if scan.scan_status_reason else ""
        lines.append(f"  on-demand scan of {name}: {scan.scan_status}{reason}")
    return lines


def _cost_line(report: Any, out: TextIO) -> None:
    from inspector_kit.pricing import compare_modes

    modes = compare_modes(report)
    unpriced = ", ".join(e.region for e in modes.unpriced)
    # One definition of the instances a switch adds: CoverageReport.hybrid_would_add.
    print(
        f"  Monthly EC2 estimate at bundled prices ({', '.join(a.region for a in modes.hybrid)}): "
        f"now {modes.current_total:.2f} USD; switching to hybrid mode adds "
        f"{modes.switch_cost():.2f} USD for {len(modes.switching)} agentless "
        f"(every account agent-based {modes.agent_based_total:.2f}, every account hybrid "
        f"{modes.hybrid_total:.2f})"
        + (f"; {unpriced}: no bundled price, not estimated" if unpriced else ""),
        file=out,
    )


def _triage_report(
    findings: Sequence[Finding], exposures: Any, today: datetime, out: TextIO
) -> None:
    from inspector_kit.errors import MissingExtraError
    from inspector_kit.sample import sample_reviews
    from inspector_kit.triage import BusinessCalendar, Decision, TriagePolicy, rank
    from inspector_kit.triage._reviews import review_change

    active = [f for f in findings if f.status == FindingStatus.ACTIVE]
    days = "Japanese business days"
    try:
        calendar = BusinessCalendar("JP", timezone="Asia/Tokyo")
    except MissingExtraError:  # a base install: weekends only, and the line says so
        calendar = BusinessCalendar(None, timezone="Asia/Tokyo")
        days = "weekdays: Japanese holidays need pip install 'inspector-kit[holidays]'"
    # The default policy plans ACTIVE findings only (its statuses); the rest is counted.
    # Due dates count from each finding's last review in the team's review log, as of the
    # sample's "today" (the log is frozen with the estate).
    reviews = sample_reviews()
    plan = TriagePolicy.default().plan(
        findings, now=today, calendar=calendar, exposures=exposures, reviews=reviews
    )
    queues = " · ".join(
        f"{queue} {len(items)} ({sum(i.overdue for i in items)} overdue)"
        for queue, items in plan.by_queue().items()
    )
    planned = [*plan.items, *plan.acknowledged]
    reviewed = sum(i.review is not None for i in planned)
    out_of_queue = plan.acknowledged
    accepted = sum(
        i.review is not None and i.review.decision is Decision.ACCEPT_RISK for i in out_of_queue
    )
    false_positives = len(out_of_queue) - accepted
    reentered = sum(
        i.review is not None and review_change(i.finding, i.review) is not None for i in plan.items
    )
    print(
        f"Triage under the default policy ({days}, Asia/Tokyo) with the sample's review log, "
        f"{len(planned)} active findings, {reviewed} reviewed: {queues}; "
        f"out of the queue after review: {len(out_of_queue)} ({accepted} risk accepted, "
        f"{false_positives} false positive{'s' if false_positives != 1 else ''}); "
        f"{reentered} re-entered since their review",
        file=out,
    )
    for r in rank(active, exposures=exposures)[:_TRIAGE_TOP]:
        f = r.finding
        print(
            f"  risk #{r.rank} {r.score:.2f}/10 {f.vulnerability_id or f.title} on "
            f"{f.primary_resource.short_name}: {r.why}",
            file=out,
        )


def _rescore_report(findings: Sequence[Finding], exposures: Any, out: TextIO) -> None:
    from inspector_kit.scoring import ExposurePolicy, rescore_all

    policy = ExposurePolicy.inspector()
    active = [f for f in findings if f.status == FindingStatus.ACTIVE]
    results = rescore_all(active, exposures, policy=policy)
    scored = [r for r in results if r.score is not None]
    compared = [r for r in scored if r.agrees_with_inspector is not None]
    agree = sum(1 for r in compared if r.agrees_with_inspector)
    moved = results.severity_changes()  # the one meaning of "severity changed"
    unknown = sum(1 for r in compared if not r.agrees_with_inspector and r.exposure == "UNKNOWN")
    print(
        f"Rescored {len(scored)} active findings with the '{policy.name}' policy, exposure from "
        f"Inspector's network findings ({len(exposures)} resources known); "
        f"{agree} of {len(compared)} agree with Inspector's own score "
        f"({unknown} others are on resources whose exposure those findings do not show)",
        file=out,
    )
    print(f"{len(moved)} change severity once network exposure is applied:", file=out)
    for r in sorted(moved, key=lambda r: (-(r.base_score or 0.0), r.finding_arn))[:_RESCORE_TOP]:
        f = r.finding
        why = "; ".join(str(a) for a in r.adjustments)
        print(
            f"  {f.vulnerability_id or f.title:<16} {f.primary_resource.short_name[:21]:<21} "
            f"{r.base_score} {r.base_severity} -> {r.score} {r.severity} ({r.exposure}: {why})",
            file=out,
        )
    if len(moved) > _RESCORE_TOP:
        print(f"  ... and {len(moved) - _RESCORE_TOP} more", file=out)
