"""What every AWS-facing subcommand shares: options, the Inspector, errors, output."""

from __future__ import annotations

import argparse
import re
import traceback
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence

    from inspector_kit.fetch import Inspector, Progress
    from inspector_kit.models import Finding

EXIT_OK = 0
EXIT_FAIL_ON = 1
EXIT_USAGE = 2
EXIT_PARTIAL = 3
EXIT_BAD_SOURCE = 4

FORMATS = ("table", "json", "csv", "md")
SEVERITIES = ("CRITICAL", "HIGH", "MEDIUM", "LOW", "INFORMATIONAL", "UNTRIAGED")

_CREDENTIAL_CODES = frozenset(
    {
        "NoCredentialsError",
        "PartialCredentialsError",
        "CredentialRetrievalError",
        "TokenRetrievalError",
        "ExpiredToken",
        "ExpiredTokenException",
    }
)
_NOT_ENABLED = re.compile(r"not (been )?(enabled|activated)", re.IGNORECASE)
# The IAM prefix of the operations inspector_kit calls outside inspector2 (inventory).
_SERVICES = {
    "DescribeInstances": "ec2",
    "DescribeVolumes": "ec2",
    "DescribeImages": "ec2",
    "DescribeInstanceInformation": "ssm",
    "GetInventory": "ssm",
}


def global_options() -> argparse.ArgumentParser:
    """The options every AWS-facing subcommand takes (a parent parser)."""
    parser = argparse.ArgumentParser(add_help=False)
    aws = parser.add_argument_group("AWS (the standard credential chain applies)")
    aws.add_argument("--profile", help="AWS profile (default: AWS_PROFILE or the default one)")
    aws.add_argument(
        "--region",
        action="append",
        default=[],
        metavar="REGION",
        help="a region to read (repeatable; default: the profile's region)",
    )
    aws.add_argument("--regions", metavar="A,B|all", help="comma-separated regions, or 'all'")
    aws.add_argument("--endpoint-url", help="send Inspector calls here (e.g. a loopback server)")
    out = parser.add_argument_group("output")
    out.add_argument(
        "--format",
        choices=FORMATS,
        help="table in a terminal, else json (the default when stdout is not a terminal)",
    )
    out.add_argument("--debug", action="store_true", help="print tracebacks of errors")
    return parser


def finding_filters() -> argparse.ArgumentParser:
    """The finding filters of ``findings``, ``rescore`` and ``triage`` (a parent parser)."""
    parser = argparse.ArgumentParser(add_help=False)
    group = parser.add_argument_group("finding filters")
    group.add_argument(
        "--severity", action="append", default=[], choices=SEVERITIES, help="(repeatable)"
    )
    group.add_argument(
        "--status",
        choices=("ACTIVE", "SUPPRESSED", "CLOSED"),
        help="finding status (default: ACTIVE)",
    )
    group.add_argument(
        "--type",
        choices=("PACKAGE_VULNERABILITY", "NETWORK_REACHABILITY", "CODE_VULNERABILITY"),
        help="finding type",
    )
    group.add_argument(
        "--account", action="append", default=[], metavar="ID", help="AWS account (repeatable)"
    )
    group.add_argument(
        "--fix-available", choices=("YES", "NO", "PARTIAL"), help="fixed version available"
    )
    group.add_argument("--limit", type=int, metavar="N", help="stop after N findings")
    return parser


def output_format(args: argparse.Namespace, out: TextIO) -> str:
    """``--format``, else ``table`` on a terminal and ``json`` when piped."""
    chosen: str | None = args.format
    return chosen or ("table" if out.isatty() else "json")


def make_inspector(args: argparse.Namespace) -> Inspector:
    """An :class:`~inspector_kit.Inspector` for ``--profile``, the regions and the endpoint."""
    import boto3

    from inspector_kit.fetch import Inspector

    regions: list[str] = list(args.region)
    if args.regions:
        if args.regions.strip().lower() == "all":
            return Inspector(
                boto3.Session(profile_name=args.profile),
                regions="all",
                endpoint_url=args.endpoint_url,
            )
        regions += [r.strip() for r in args.regions.split(",") if r.strip()]
    return Inspector(
        boto3.Session(profile_name=args.profile),
        regions=regions or None,
        endpoint_url=args.endpoint_url,
    )


@contextmanager
def progress_bar(err: TextIO) -> Iterator[Callable[[Progress], None] | None]:
    """An ``on_progress`` callback drawing regions and pages on ``err`` (a terminal only)."""
    if not err.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, TextColumn
    from rich.progress import Progress as Bar

    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total} regions"),
    )
    with Bar(*columns, console=Console(file=err), transient=True) as bar:
        task = bar.add_task("Fetching", total=None)
        pages: dict[str, int] = {}

        def update(p: Progress) -> None:
            pages[p.region] = p.pages
            bar.update(
                task,
                total=p.regions_total,
                completed=p.regions_done,
                description=f"{sum(pages.values())} pages, {p.total_items} results",
            )

        yield update


def fetch_findings(
    inspector: Inspector, args: argparse.Namespace, err: TextIO
) -> tuple[list[Finding], bool]:
    """The findings the filters select, and whether some region or finding failed."""
    from inspector_kit.fetch import FindingCriteria

    criteria = FindingCriteria(
        severity=args.severity,
        finding_status=args.status or (),
        finding_type=args.type or (),
        aws_account_id=args.account,
        fix_available=args.fix_available or (),
    )
    with progress_bar(err) as on_progress:
        stream = inspector.findings(criteria, limit=args.limit, on_progress=on_progress)
        findings = list(stream)
    failed = report_errors(stream.errors.values(), err, debug=args.debug)
    for record in stream.item_errors:
        print(f"error: {record}", file=err)
    return findings, failed or bool(stream.item_errors)


def explain(exc: BaseException) -> str:
    """One readable line for an error, with the fix where we know it."""
    from botocore.exceptions import NoCredentialsError, ProfileNotFound

    from inspector_kit.errors import AccessDeniedError, FetchError

    if isinstance(exc, NoCredentialsError) or getattr(exc, "code", None) in _CREDENTIAL_CODES:
        return "no AWS credentials: run `aws sso login` or set AWS_PROFILE"
    if isinstance(exc, ProfileNotFound):
        return f"{exc}: check `aws configure list-profiles` or set AWS_PROFILE"
    if isinstance(exc, FetchError):
        region = exc.region or "the region"
        if _NOT_ENABLED.search(exc.message):
            return (
                f"Inspector is not enabled in {region}: enable it "
                f"(`aws inspector2 enable --resource-types EC2 ECR LAMBDA --region {region}`) "
                "or ask your delegated administrator"
            )
        if isinstance(exc, AccessDeniedError):
            operation = exc.operation or "the operation"
            service = _SERVICES.get(operation, "inspector2")
            return (
                f"access denied in {region} for {operation}: grant {service}:{operation} "
                "to your role (and check SCPs)"
            )
    return str(exc) or type(exc).__name__


def report_errors(errors: Iterable[BaseException], err: TextIO, *, debug: bool) -> bool:
    """Print each error as one line (identical lines once); True if there were any."""
    seen: set[str] = set()
    for exc in errors:
        if debug:
            traceback.print_exception(type(exc), exc, exc.__traceback__, file=err)
        line = f"error: {explain(exc)}"
        if line not in seen:
            seen.add(line)
            print(line, file=err)
    return bool(seen)


def emit(
    out: TextIO,
    fmt: str,
    items: object,
    columns: Sequence[tuple[str, str]],
    rows: Iterable[Mapping[str, Any]],
    *,
    title: str | None = None,
) -> None:
    """Write ``items`` with :mod:`inspector_kit.formats`, or ``rows`` as a rich table.

    ``columns`` are the table's (row key, header) pairs.
    """
    if fmt != "table":
        from inspector_kit import formats

        write = {"json": formats.to_json, "csv": formats.to_csv, "md": formats.to_markdown}
        text = write[fmt](items)
        out.write(text if text.endswith("\n") or not text else text + "\n")
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title, title_justify="left")
    for _, header in columns:
        table.add_column(header)
    for row in rows:
        table.add_row(*(_cell(row.get(key)) for key, _ in columns))
    Console(file=out, width=None if out.isatty() else 200).print(table)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    return str(getattr(value, "value", value))
