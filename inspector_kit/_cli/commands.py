"""The AWS-facing subcommands: findings, coverage, cost, rescore, triage."""

from __future__ import annotations

import argparse
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any, TextIO

from inspector_kit.models import FindingStatus, severity_rank

from .common import (
    EXIT_FAIL_ON,
    EXIT_OK,
    EXIT_PARTIAL,
    SEVERITIES,
    account_directory,
    emit,
    explain,
    fetch_findings,
    finding_filters,
    global_options,
    group_options,
    make_inspector,
    make_org,
    output_format,
    progress_bar,
    report_errors,
    table_options,
    uses_sample_inventory,
)
from .output import one_line

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from inspector_kit._accounts_dir import AccountDirectory, AccountGroups
    from inspector_kit.coverage import Inventory
    from inspector_kit.errors import PriceNotFoundError
    from inspector_kit.fetch import Inspector
    from inspector_kit.models import Finding

_FINDING_COLUMNS = (
    ("severity", "Severity"),
    ("score", "Score"),
    ("vulnerability", "Vulnerability"),
    ("resource", "Resource"),
    ("account", "Account"),
    ("region", "Region"),
    ("status", "Status"),
    ("fix", "Fix"),
)
_COVERAGE_COLUMNS = (
    ("instance_id", "Instance"),
    ("name", "Name"),
    ("account_id", "Account"),
    ("region", "Region"),
    ("status", "Status"),
    ("expected_method", "Method"),
    ("reason", "Reason"),
    ("fix", "Fix"),
)
_USAGE_COLUMNS = (
    ("account_id", "Account"),
    ("region", "Region"),
    ("type", "Usage type"),
    ("quantity", "Quantity"),
    ("ours", "Ours (USD)"),
    ("aws", "AWS (USD)"),
    ("difference", "Difference"),
)
_MODE_COLUMNS = (
    ("region", "Region"),
    ("current", "Now (USD)"),
    ("switch", "Switching adds"),
    ("agent_based", "All agent-based (USD)"),
    ("hybrid", "All hybrid (USD)"),
    ("added", "Hybrid adds"),
)
_TRIAGE_COLUMNS = (
    ("due", "Due"),
    ("days_overdue", "Days late"),
    ("severity", "Severity"),
    ("vulnerability_id", "Vulnerability"),
    ("resource_id", "Resource"),
    ("aws_account_id", "Account"),
    ("region", "Region"),
    ("queue", "Queue"),
    ("status", "Status"),
    ("review_decision", "Review"),
)
# --group-by: the leading columns of each grouping, then each command's counts (the library's
# COVERAGE_GROUP_COLUMNS, COST_GROUP_COLUMNS, USAGE_GROUP_COLUMNS and TRIAGE_GROUP_COLUMNS;
# tests/test_grouping_cli.py checks they agree), so --sort and --columns accept them.
_GROUP_HEAD = (
    ("account_id", "Account"),
    ("account_name", "Account name"),
    ("ou", "OU"),
    ("accounts", "Accounts"),
)
_COVERAGE_GROUP_COLUMNS = (
    *_GROUP_HEAD,
    ("instances", "Instances"),
    ("covered", "Covered"),
    ("pending", "Pending"),
    ("not_covered", "Not covered"),
    ("unsupported", "Unsupported"),
    ("excluded", "Excluded"),
    ("stopped", "Stopped"),
    ("coverage", "Coverage"),
    ("covered_agent_based", "Agent-based"),
    ("covered_agentless", "Agentless"),
    ("covered_vm_scanner", "VM Scanner"),
    ("mismatches", "Mismatches"),
    ("hybrid_would_add", "Hybrid adds"),
    ("regions", "Regions"),
    ("reasons", "Reasons"),
)
_COST_GROUP_COLUMNS = (
    *_GROUP_HEAD,
    ("instances", "Instances"),
    ("current", "Now (USD)"),
    ("switch", "Switching adds"),
    ("agent_based", "All agent-based (USD)"),
    ("hybrid", "All hybrid (USD)"),
    ("added", "Hybrid adds"),
    ("currency", "Currency"),
    ("unpriced_instances", "Unpriced instances"),
    ("unpriced_regions", "Unpriced regions"),
)
_USAGE_GROUP_COLUMNS = (
    *_GROUP_HEAD,
    ("usage_lines", "Usage lines"),
    ("compared", "Compared"),
    ("aws", "AWS (USD)"),
    ("ours", "Ours (USD)"),
    ("difference", "Difference"),
    ("not_compared", "Not compared"),
)
_TRIAGE_GROUP_COLUMNS = (
    *_GROUP_HEAD,
    ("queued", "Queued"),
    ("overdue", "Overdue"),
    ("due_today", "Due today"),
    ("no_deadline", "No deadline"),
    ("most_days_overdue", "Most days late"),
    ("acknowledged", "Acknowledged"),
)
_RESCORE_COLUMNS = (
    ("vulnerability_id", "Vulnerability"),
    ("resource", "Resource"),
    ("exposure", "Exposure"),
    ("base", "Before"),
    ("after", "After"),
    ("adjustments", "Why"),
)


def add_commands(sub: Any) -> None:
    """Register the subcommands on ``sub`` (the parser's subparsers action)."""
    common, filters = global_options(), finding_filters()

    findings = sub.add_parser(
        "findings",
        parents=[common, filters, table_options(_FINDING_COLUMNS)],
        help="list findings (a CI gate with --fail-on)",
    )
    findings.add_argument(
        "--fail-on",
        choices=SEVERITIES[:-1],
        metavar="SEVERITY",
        help="exit 1 when an ACTIVE finding is at or above SEVERITY (e.g. HIGH)",
    )
    findings.set_defaults(run=_findings)

    sample = argparse.ArgumentParser(add_help=False)
    # For tests and demos against a loopback --endpoint-url: analyse the bundled sample's
    # EC2/SSM inventory against the coverage and account status fetched from Inspector,
    # instead of calling EC2 and SSM (which --endpoint-url does not redirect).
    sample.add_argument(
        "--sample-inventory",
        action="store_true",
        help="take the EC2/SSM inventory from the bundled sample estate instead of calling "
        "EC2 and SSM (with --endpoint-url of a loopback server; --sample implies it)",
    )

    groups = group_options()
    coverage = sub.add_parser(
        "coverage",
        parents=[common, sample, groups, table_options(_COVERAGE_COLUMNS, _COVERAGE_GROUP_COLUMNS)],
        help="EC2 scan coverage, each gap with its fix",
    )
    coverage.set_defaults(run=_coverage)

    cost = sub.add_parser(
        "cost",
        parents=[
            common,
            sample,
            groups,
            table_options(_USAGE_COLUMNS, _MODE_COLUMNS, _COST_GROUP_COLUMNS, _USAGE_GROUP_COLUMNS),
        ],
        help="estimate Inspector's cost",
    )
    source = cost.add_mutually_exclusive_group(required=True)
    source.add_argument(
        "--usage-totals", action="store_true", help="price ListUsageTotals, vs AWS's estimate"
    )
    source.add_argument(
        "--coverage", action="store_true", help="the EC2 estate in agent-based vs hybrid mode"
    )
    cost.add_argument("--prices", metavar="FILE", help="prices (JSON/CSV) over the bundled ones")
    cost.set_defaults(run=_cost)

    rescore = sub.add_parser(
        "rescore",
        parents=[common, filters, table_options(_RESCORE_COLUMNS)],
        help="rescore findings for network exposure; show the ones whose severity changes",
    )
    rescore.add_argument(
        "--policy", choices=("inspector", "strict", "unchanged"), default="inspector"
    )
    rescore.add_argument(
        "--adjusted",
        action="store_true",
        help="show every finding the policy adjusted, also those that keep their severity",
    )
    rescore.set_defaults(run=_rescore)

    triage = sub.add_parser(
        "triage",
        parents=[common, filters, groups, table_options(_TRIAGE_COLUMNS, _TRIAGE_GROUP_COLUMNS)],
        help="plan findings into queues with due dates",
    )
    triage.add_argument("--policy", metavar="FILE", help="a YAML triage policy (default: ours)")
    triage.add_argument(
        "--country",
        default="JP",
        help="holidays of this country (default JP; needs the holidays extra); "
        "'none': weekends only",
    )
    triage.add_argument("--subdivision", help="and of this subdivision (e.g. CA)")
    triage.add_argument("--timezone", default="Asia/Tokyo", help="team time zone (IANA)")
    triage.add_argument(
        "--reviews",
        metavar="FILE",
        help="a review log (JSON Lines): due dates count from each finding's last review",
    )
    triage.add_argument(
        "--fail-on-overdue",
        action="store_true",
        help="exit 1 when a planned finding is overdue (a CI or cron gate)",
    )
    triage.set_defaults(run=_triage)


def _findings(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    findings, failed = fetch_findings(make_inspector(args), args, err)
    rows = [_finding_row(f) for f in findings]
    fmt = output_format(args, out)
    emit(out, fmt, findings, _FINDING_COLUMNS, rows, title="Findings", **_table(args))
    if args.fail_on:
        floor = severity_rank(args.fail_on)
        hits = [
            f
            for f in findings
            if f.status == FindingStatus.ACTIVE and severity_rank(f.severity) >= floor
        ]
        if hits:
            print(f"{len(hits)} active findings at or above {args.fail_on}", file=err)
            return EXIT_FAIL_ON
    return EXIT_PARTIAL if failed else EXIT_OK


def _finding_row(f: Finding) -> dict[str, Any]:
    return {
        "severity": f.severity,
        "score": f.inspector_score,
        "vulnerability": f.vulnerability_id or f.title,
        "resource": f.primary_resource.short_name,
        "account": f.aws_account_id,
        "region": f.region,
        "status": f.status,
        "fix": f.fix_available,
    }


def _table(args: argparse.Namespace) -> dict[str, Any]:
    """``--sort`` and ``--columns``, as ``emit``'s keyword arguments."""
    return {"sort": args.sort, "select": args.columns}


def _org_inventory(args: argparse.Namespace, err: TextIO) -> Inventory | None:
    """With ``--accounts``/``--org``/``--ou``: every member's inventory, read with its role.

    One ``Inventory`` merged from each (account, region); a pair that failed (a role that
    cannot be assumed, Inspector not enabled...) is one of its ``errors``, printed one line
    each by the caller, and the command exits with the partial-result code.
    """
    org = make_org(args)
    if org is None:
        return None
    from inspector_kit.coverage import Inventory
    from inspector_kit.errors import FetchOptionError

    if getattr(args, "sample_inventory", False):
        raise FetchOptionError(
            "--sample-inventory reads the bundled sample; it does not go with --accounts, "
            "--org or --ou (each member's EC2 and SSM are read with its role)"
        )
    stream = org.inventory()
    parts = list(stream)
    merged = Inventory().merge(*parts)
    pair_errors = tuple(stream.errors.values())
    if not pair_errors:
        return merged
    import attrs

    return attrs.evolve(merged, errors=(*merged.errors, *pair_errors))


def _inventory(inspector: Inspector, args: argparse.Namespace, err: TextIO) -> Inventory:
    many = _org_inventory(args, err)
    if many is not None:
        return many
    if not uses_sample_inventory(args):
        if args.endpoint_url:
            # --endpoint-url redirects inspector2 only: EC2 and SSM would be called at AWS
            # (offline: connection retries, then an empty table).
            print(
                "note: --endpoint-url redirects Inspector calls only; the EC2 and SSM "
                "inventory is read from AWS (for a loopback server add --sample-inventory, "
                "or use --sample)",
                file=err,
            )
        with progress_bar(err) as on_progress:
            return inspector.inventory(on_progress=on_progress)
    import attrs

    from inspector_kit.sample import sample_inventory

    stream = inspector.coverage()
    coverage = list(stream)
    status = inspector.account_status(sorted({c.account_id for c in coverage}))
    enabled = {(a.account_id, a.region): a.is_enabled("EC2") for a in status.accounts if a.region}
    errors = (*stream.errors.values(), *status.errors.values())
    return attrs.evolve(
        sample_inventory(), coverage=coverage, account_enabled=enabled, errors=errors
    )


def _coverage(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    inventory = _inventory(make_inspector(args), args, err)
    failed = report_errors(inventory.errors, err, debug=args.debug)
    report = inventory.analyze()
    fmt = output_format(args, out)
    directory = account_directory(args, err)
    if args.group_by:
        groups = (
            report.by_account(directory)
            if args.group_by == "account"
            else report.by_ou(directory or _no_directory(), depth=args.ou_depth)
        )
        _emit_groups(out, fmt, groups, _COVERAGE_GROUP_COLUMNS, args)
    else:
        rows = report.to_records()
        emit(out, fmt, report, _COVERAGE_COLUMNS, rows, title="EC2 coverage", **_table(args))
    if not report.instances and inventory.errors:
        print(
            "no EC2 instance could be listed (see the errors above); without AWS access, "
            "try --sample",
            file=err,
        )
    if fmt == "table":
        print(report.to_text().splitlines()[0], file=out)
    if report.other_cloud:  # Azure/GCP records: never EC2 instances, never dropped silently
        clouds = ", ".join(f"{one_line(c)} {n}" for c, n in report.counts_by_cloud().items())
        note = f"{len(report.other_cloud)} Azure/GCP coverage record(s) not analysed: {clouds}"
        print(note if fmt == "table" else f"note: {note}", file=out if fmt == "table" else err)
    return EXIT_PARTIAL if failed else EXIT_OK


def _cost(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from inspector_kit.pricing import PriceTable, compare_modes, compare_with_aws

    prices = PriceTable.bundled()
    if args.prices:
        prices = prices.merge(PriceTable.from_file(args.prices))
    inspector = make_inspector(args)
    fmt = output_format(args, out)
    if args.usage_totals:
        # Usage totals are the delegated administrator's view: with account flags, the
        # administrator's totals of those accounts (no member role is assumed).
        org = make_org(args)
        ids = None if org is None else list(org.accounts)
        with progress_bar(err) as on_progress:
            stream = inspector.usage_totals(ids, on_progress=on_progress)
            totals = list(stream)
        failed = report_errors(stream.errors.values(), err, debug=args.debug)
        comparison = compare_with_aws(totals, prices=prices)
        if args.group_by:
            directory = account_directory(args, err)
            groups = (
                comparison.by_account(directory)
                if args.group_by == "account"
                else comparison.by_ou(directory or _no_directory(), depth=args.ou_depth)
            )
            _emit_groups(out, fmt, groups, _USAGE_GROUP_COLUMNS, args)
        else:
            rows = _cents(comparison.to_records()) if fmt == "table" else comparison.to_records()
            title = "Usage (last 30 days)"
            emit(out, fmt, comparison, _USAGE_COLUMNS, rows, title=title, **_table(args))
        summary = comparison.to_text().splitlines()[0]
    else:
        inventory = _inventory(inspector, args, err)
        failed = report_errors(inventory.errors, err, debug=args.debug)
        report = inventory.analyze()
        modes = compare_modes(report, prices=prices)
        if args.group_by:
            from inspector_kit.pricing import cost_by_account, cost_by_ou

            directory = account_directory(args, err)
            groups = (
                cost_by_account(report, directory, prices=prices)
                if args.group_by == "account"
                else cost_by_ou(
                    report, directory or _no_directory(), depth=args.ou_depth, prices=prices
                )
            )
            _emit_groups(out, fmt, groups, _COST_GROUP_COLUMNS, args)
        else:
            rows = _cents(modes.to_records()) if fmt == "table" else modes.to_records()
            title = "Monthly EC2 cost by mode"
            emit(out, fmt, modes, _MODE_COLUMNS, rows, title=title, **_table(args))
        summary = modes.to_text().splitlines()[0]
        for missing in modes.unpriced:
            print(f"not priced: {_price_hint(missing)}", file=err)
    if fmt == "table":
        print(summary, file=out)
    return EXIT_PARTIAL if failed else EXIT_OK


def _cents(rows: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Rows for a table: money rounded to the cent (half even); the other formats stay exact."""
    from decimal import Decimal

    cent = Decimal("0.01")
    return [
        {
            k: v.quantize(cent) if isinstance(v, Decimal) and v.is_finite() else v
            for k, v in row.items()
        }
        for row in rows
    ]


def _rescore(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from inspector_kit.scoring import ExposurePolicy, exposures_from_findings, rescore_all

    findings, failed = fetch_findings(make_inspector(args), args, err)
    policy = {
        "inspector": ExposurePolicy.inspector,
        "strict": ExposurePolicy.strict,
        "unchanged": ExposurePolicy.unchanged,
    }[args.policy]()
    # Exposure comes from Inspector's NETWORK_REACHABILITY findings among those fetched.
    results = rescore_all(findings, exposures_from_findings(findings), policy=policy)
    # One meaning of "severity changed" everywhere: Rescore.severity_changed.
    moved = results.severity_changes()
    adjusted = results.changed()
    changed = adjusted if args.adjusted else moved
    rows = [
        {
            "vulnerability_id": r.finding.vulnerability_id or r.finding.title,
            "resource": r.finding.primary_resource.short_name,
            "exposure": r.exposure.value,
            "base": f"{r.base_score} {_name(r.base_severity)}",
            "after": f"{r.score} {_name(r.severity)}",
            "adjustments": "; ".join(str(a) for a in r.adjustments),
        }
        for r in changed
    ]
    title = (
        f"{len(moved)} of {len(results)} findings change severity under the "
        f"'{policy.name}' policy ({len(adjusted)} adjusted, "
        f"{len(adjusted) - len(moved)} of them within their severity)"
    )
    fmt = output_format(args, out)
    emit(out, fmt, changed, _RESCORE_COLUMNS, rows, title=title, **_table(args))
    return EXIT_PARTIAL if failed else EXIT_OK


def _triage(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from inspector_kit._values import _printable
    from inspector_kit.scoring import exposures_from_findings
    from inspector_kit.triage import BusinessCalendar, ReviewLog, TriagePolicy

    policy = TriagePolicy.load(args.policy) if args.policy else TriagePolicy.default()
    country = None if args.country.lower() == "none" else args.country
    calendar = BusinessCalendar(country, args.subdivision, timezone=args.timezone)
    reviews = ReviewLog.load(args.reviews) if args.reviews else None
    now = datetime.now(timezone.utc)
    if getattr(args, "sample", False):
        # The sample estate is frozen on its "today" (coverage --sample judges it then too),
        # and its team's review log goes with it unless --reviews names another.
        from inspector_kit.sample import sample_inventory, sample_reviews

        now = sample_inventory().gathered_at or now
        note = f"note: --sample: planned as of the sample estate's today, {now.date()}"
        if reviews is None:
            reviews = sample_reviews()
            note += f", with its review log ({len(reviews)} reviews; --reviews FILE to use another)"
        print(note, file=err)
    bad_reviews = () if reviews is None else reviews.problems
    for problem in bad_reviews:  # each malformed entry is skipped, the others used
        print(f"warning: {_printable(problem)} (entry skipped)", file=err)
    findings, failed = fetch_findings(make_inspector(args), args, err)
    # The policy's statuses decide what is planned (ACTIVE by default); the rest is counted.
    plan = policy.plan(
        findings,
        now=now,
        calendar=calendar,
        exposures=exposures_from_findings(findings),
        reviews=reviews,
    )
    fmt = output_format(args, out)
    directory = account_directory(args, err)
    if args.group_by:
        groups = (
            plan.counts_by_account(directory)
            if args.group_by == "account"
            else plan.by_ou(directory or _no_directory(), depth=args.ou_depth)
        )
        _emit_groups(out, fmt, groups, _TRIAGE_GROUP_COLUMNS, args)
    elif fmt == "table" and not (args.sort or args.columns):
        print(plan.to_text(), file=out)  # the plan by queue: overdue first, then due today
    else:  # --sort/--columns: one row per planned finding
        title = f"Triage plan for {plan.today}" if fmt == "table" else None
        if directory is None:
            emit(out, fmt, plan, _TRIAGE_COLUMNS, plan.to_records(), title=title, **_table(args))
        else:  # --accounts-file: each record with its account's name and OU
            records = plan.to_records(directory=directory)
            emit(out, fmt, records, _TRIAGE_COLUMNS, records, title=title, **_table(args))
    if args.fail_on_overdue and plan.overdue:
        count = len(plan.overdue)
        print(f"{count} finding{'s' if count != 1 else ''} overdue", file=err)
        return EXIT_FAIL_ON
    return EXIT_PARTIAL if failed or bad_reviews else EXIT_OK


def _no_directory() -> AccountDirectory:
    """An empty directory: grouping by OU without one puts every account in the unknown OU."""
    from inspector_kit import AccountDirectory

    return AccountDirectory.from_mappings({})


def _emit_groups(
    out: TextIO,
    fmt: str,
    groups: AccountGroups,
    columns: Sequence[tuple[str, str]],
    args: argparse.Namespace,
) -> None:
    """Write a grouped result: its own columns, money to the cent in a table."""
    shown = [c for c in columns if c[0] in groups.columns]
    records = groups.to_records()
    rows = records
    if fmt == "table":  # money to the cent, a ratio as a percentage; other formats exact
        rows = [
            {k: f"{v:.0%}" if k == "coverage" and isinstance(v, float) else v for k, v in r.items()}
            for r in _cents(records)
        ]
    title = groups.title if fmt == "table" else None
    emit(out, fmt, groups, shown, rows, title=title, **_table(args))


def _price_hint(missing: PriceNotFoundError) -> str:
    """What to do about a missing price, in the command's own terms (a flag, a file)."""
    return explain(missing)


def _name(value: object) -> str | None:
    return None if value is None else str(getattr(value, "value", value))


__all__: Sequence[str] = ["add_commands"]
