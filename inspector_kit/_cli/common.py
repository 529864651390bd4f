"""What every AWS-facing subcommand shares: options, the Inspector, errors, output."""

from __future__ import annotations

import argparse
import itertools
import re
import traceback
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TextIO

from .output import one_line

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence

    from rich.text import Text

    from inspector_kit._accounts_dir import AccountDirectory
    from inspector_kit.fetch import Inspector, OrgInspector, Progress
    from inspector_kit.models import Finding

EXIT_OK = 0
EXIT_FAIL_ON = 1
EXIT_USAGE = 2
EXIT_PARTIAL = 3
EXIT_BAD_SOURCE = 4
EXIT_CONFIG = 5
EXIT_OUTPUT = 6
EXIT_INTERNAL = 70  # EX_SOFTWARE of sysexits.h: a bug
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report it

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
    where = aws.add_mutually_exclusive_group()
    where.add_argument(
        "--endpoint-url",
        help="send Inspector calls here (e.g. a loopback server; EC2 and SSM still go to AWS)",
    )
    where.add_argument(
        "--sample",
        action="store_true",
        help="read the bundled sample estate (synthetic) from a loopback Inspector on "
        "127.0.0.1, and its EC2/SSM inventory: no AWS account, credentials or network",
    )
    add_account_options(parser)
    out = parser.add_argument_group("output")
    out.add_argument(
        "--format",
        choices=FORMATS,
        help="table in a terminal, else json (the default when stdout is not a terminal)",
    )
    add_debug(out)
    return parser


def group_options() -> argparse.ArgumentParser:
    """``--group-by account|ou``, ``--ou-depth N`` and ``--accounts-file FILE`` (a parent parser).

    Examples:
        >>> parser = argparse.ArgumentParser(parents=[group_options()])
        >>> args = parser.parse_args(["--group-by", "ou", "--ou-depth", "2"])
        >>> args.group_by, args.ou_depth, args.accounts_file
        ('ou', 2, None)
    """
    parser = argparse.ArgumentParser(add_help=False)
    group = parser.add_argument_group("grouping by account and organisational unit")
    group.add_argument(
        "--group-by",
        choices=("account", "ou"),
        help="one row per account, or per organisational unit (OU), instead of the detail",
    )
    group.add_argument(
        "--ou-depth",
        type=positive_int,
        metavar="N",
        help="with --group-by ou: cut OU paths to their first N names (Root is 1)",
    )
    group.add_argument(
        "--accounts-file",
        metavar="FILE",
        help="account names and OU paths (CSV account_id,name,ou, or YAML); --sample "
        "uses the sample estate's",
    )
    return parser


def account_directory(args: argparse.Namespace, err: TextIO) -> AccountDirectory | None:
    """The directory of ``--accounts-file`` (or the sample's with ``--sample``), else ``None``.

    Grouping by OU without one puts every account under "(unknown OU)": a note says so.

    Raises:
        AccountsFileError: The file is missing or not valid (exit code 4).
    """
    path = getattr(args, "accounts_file", None)
    if path:
        from inspector_kit import AccountDirectory

        return AccountDirectory.load(path)
    if getattr(args, "sample", False):
        from inspector_kit.sample import sample_accounts

        return sample_accounts()
    if getattr(args, "group_by", None) == "ou":
        print(
            "note: no --accounts-file: every account is grouped under (unknown OU)",
            file=err,
        )
    return None


def add_account_options(parser: argparse.ArgumentParser) -> None:
    """``--accounts`` / ``--org`` / ``--ou`` / ``--role`` / ``--external-id`` (many accounts)."""
    many = parser.add_argument_group("many accounts (a role is assumed in each; see docs)")
    which = many.add_mutually_exclusive_group()
    which.add_argument("--accounts", metavar="ID,ID", help="these account ids")
    which.add_argument(
        "--org", action="store_true", help="every ACTIVE account of the AWS Organization"
    )
    which.add_argument(
        "--ou",
        action="append",
        default=[],
        metavar="OU_ID",
        help="the ACTIVE accounts under this OU, recursively (repeatable)",
    )
    many.add_argument(
        "--role",
        metavar="NAME|ARN-TEMPLATE",
        help="the role to assume in each account: a name, or an ARN template with {account}",
    )
    many.add_argument("--external-id", help="ExternalId for AssumeRole")


def make_org(args: argparse.Namespace) -> OrgInspector | None:
    """An ``OrgInspector`` when ``--accounts``, ``--org`` or ``--ou`` is given, else ``None``."""
    accounts_arg = getattr(args, "accounts", None)
    if not (accounts_arg or getattr(args, "org", False) or getattr(args, "ou", None)):
        return None
    import boto3

    from inspector_kit.errors import FetchOptionError
    from inspector_kit.fetch import MemberRole, Organization, OrgInspector

    if getattr(args, "sample", False):
        raise FetchOptionError("--accounts, --org and --ou read AWS; they do not go with --sample")
    if not args.role:
        raise FetchOptionError("--accounts, --org and --ou need --role (a name or ARN template)")
    session = boto3.Session(profile_name=args.profile)
    accounts: Any
    if accounts_arg:
        accounts = [a.strip() for a in accounts_arg.split(",") if a.strip()]
    else:
        accounts = Organization(session, ous=args.ou or None).account_ids()
    regions: list[str] = list(args.region)
    if args.regions:
        if args.regions.strip().lower() == "all":
            regions = ["all"]
        else:
            regions += [r.strip() for r in args.regions.split(",") if r.strip()]
    return OrgInspector(
        accounts,
        MemberRole(args.role, external_id=args.external_id),
        session=session,
        regions=("all" if regions == ["all"] else regions) or None,
        endpoint_url=args.endpoint_url,
    )


def add_debug(parser: argparse.ArgumentParser | Any) -> None:
    """Add ``--debug`` (tracebacks, and botocore's DEBUG log with credentials redacted)."""
    parser.add_argument(
        "--debug",
        action="store_true",
        help="print tracebacks of errors, and the DEBUG log of inspector_kit and botocore "
        "(credentials redacted)",
    )


def positive_int(text: str) -> int:
    """An ``argparse`` type: an integer of at least 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def closed_value(api: str) -> Any:
    """An argparse ``type`` for a filter flag whose values are a closed set in the API.

    The same check as [`FindingCriteria`][inspector_kit.criteria.FindingCriteria] (a value that can
    never match is an error naming the valid values and the likely one), made while the command
    line is parsed: exit code 2, before any credentials are looked for.

    Examples:
        >>> parse = closed_value("severity")
        >>> parse("CRITICAL")
        'CRITICAL'
        >>> parse("critical")
        Traceback (most recent call last):
        ...
        argparse.ArgumentTypeError: 'critical' is not a severity value: this filter can never
        match. Did you mean 'CRITICAL'? Valid values: ...
    """
    from inspector_kit.criteria import CLOSED_VALUES, StringFilter, check_closed
    from inspector_kit.errors import CriteriaError

    allowed = CLOSED_VALUES["FilterCriteria"][api]

    def parse(text: str) -> str:
        try:
            check_closed(StringFilter(text), allowed, api, api)
        except CriteriaError as exc:
            # argparse's own "invalid choice" names the choices but never the likely one.
            reason = exc.reason.split("; StringFilter(", 1)[0]
            raise argparse.ArgumentTypeError(reason) from None
        return text

    parse.__name__ = api  # argparse names the type in some messages
    return parse


def finding_filters() -> argparse.ArgumentParser:
    """The finding filters of ``findings``, ``rescore`` and ``triage`` (a parent parser)."""
    parser = argparse.ArgumentParser(add_help=False)
    group = parser.add_argument_group("finding filters")
    group.add_argument(
        "--severity",
        action="append",
        default=[],
        type=closed_value("severity"),
        metavar="SEVERITY",
        help=f"{', '.join(SEVERITIES)} (repeatable)",
    )
    group.add_argument(
        "--status",
        type=closed_value("findingStatus"),
        metavar="STATUS",
        help="ACTIVE, SUPPRESSED or CLOSED (default: ACTIVE)",
    )
    group.add_argument(
        "--type",
        type=closed_value("findingType"),
        metavar="TYPE",
        help="PACKAGE_VULNERABILITY, NETWORK_REACHABILITY or CODE_VULNERABILITY",
    )
    group.add_argument(
        "--account", action="append", default=[], metavar="ID", help="AWS account (repeatable)"
    )
    group.add_argument(
        "--fix-available",
        type=closed_value("fixAvailable"),
        metavar="YES|NO|PARTIAL",
        help="fixed version available",
    )
    group.add_argument("--limit", type=positive_int, metavar="N", help="stop after N findings")
    return parser


def _column_names(columns: Sequence[tuple[str, str]]) -> dict[str, str]:
    """Every accepted spelling of a column (its key, its header; any case) -> its key."""
    names: dict[str, str] = {}
    for key, header in columns:
        names[key.lower()] = key
        names[header.lower()] = key
    return names


def table_options(*tables: Sequence[tuple[str, str]]) -> argparse.ArgumentParser:
    """``--sort`` and ``--columns`` over the columns of ``tables`` (a parent parser).

    A column is named by its key or its header, in any case. The names are checked while
    the command line is parsed (exit code 2, before any credentials are looked for).

    Examples:
        >>> parser = argparse.ArgumentParser(parents=[table_options((("score", "Score"),
        ...     ("region", "Region")))])
        >>> args = parser.parse_args(["--sort", "Score:desc", "--columns", "region,SCORE"])
        >>> args.sort, args.columns
        ('-score', ['region', 'score'])
        >>> parser.parse_args(["--sort=-region"]).sort, parser.parse_args(["--sort=score"]).sort
        ('-region', 'score')
    """
    names = _column_names([c for table in tables for c in table])
    keys = list(dict.fromkeys(key for table in tables for key, _ in table))

    def column(text: str) -> str:
        key = names.get(text.strip().lower())
        if key is None:
            raise argparse.ArgumentTypeError(
                f"no column {text.strip()!r}; columns: {', '.join(keys)}"
            )
        return key

    def sort(text: str) -> str:
        name, _, order = text.strip().rpartition(":") if ":" in text else (text, "", "asc")
        if order.lower() not in ("asc", "desc"):
            raise argparse.ArgumentTypeError(f"{text!r}: write COLUMN, COLUMN:asc or COLUMN:desc")
        descending = order.lower() == "desc" or name.startswith("-")
        return ("-" if descending else "") + column(name.removeprefix("-"))

    def columns(text: str) -> list[str]:
        chosen = [column(name) for name in text.split(",") if name.strip()]
        if not chosen:
            raise argparse.ArgumentTypeError("name at least one column")
        return chosen

    sort.__name__, columns.__name__ = "column", "columns"  # argparse names them in messages
    parser = argparse.ArgumentParser(add_help=False)
    group = parser.add_argument_group("rows and columns (every format)")
    group.add_argument(
        "--sort",
        type=sort,
        metavar="COLUMN[:desc]",
        help="order rows by COLUMN (:desc for descending; --sort=-COLUMN too); severities "
        f"sort CRITICAL first, empty cells last. Columns: {', '.join(keys)}",
    )
    group.add_argument(
        "--columns",
        type=columns,
        metavar="A,B,...",
        help="only these columns, in this order (json, csv and md then hold exactly them)",
    )
    return parser


def output_format(args: argparse.Namespace, out: TextIO) -> str:
    """``--format``, else ``table`` on a terminal and ``json`` when piped."""
    chosen: str | None = args.format
    return chosen or ("table" if out.isatty() else "json")


def make_inspector(args: argparse.Namespace) -> Inspector:
    """An ``Inspector`` for ``--profile``, the regions and the endpoint (or ``--sample``)."""
    import boto3

    from inspector_kit.fetch import Inspector

    regions: list[str] = list(args.region)
    if args.regions:
        if args.regions.strip().lower() == "all":
            if getattr(args, "sample", False):
                return _sample_inspector(None)
            return Inspector(
                boto3.Session(profile_name=args.profile),
                regions="all",
                endpoint_url=args.endpoint_url,
            )
        regions += [r.strip() for r in args.regions.split(",") if r.strip()]
    if getattr(args, "sample", False):
        return _sample_inspector(regions or None)
    return Inspector(
        boto3.Session(profile_name=args.profile),
        regions=regions or None,
        endpoint_url=args.endpoint_url,
    )


def _sample_inspector(regions: list[str] | None) -> Inspector:
    """An ``Inspector`` on a loopback server serving the sample estate, started here.

    The server (a daemon thread on 127.0.0.1) stops when the ``Inspector`` is released.
    """
    import weakref

    from inspector_kit.testing import LoopbackInspector

    server = LoopbackInspector().start()
    inspector = server.inspector() if regions is None else server.inspector(regions=regions)
    weakref.finalize(inspector, server.stop)
    return inspector


def uses_sample_inventory(args: argparse.Namespace) -> bool:
    """Whether the EC2/SSM inventory comes from the sample estate (no EC2 or SSM calls)."""
    return bool(getattr(args, "sample", False) or getattr(args, "sample_inventory", False))


@contextmanager
def progress_bar(err: TextIO) -> Iterator[Callable[[Progress], None] | None]:
    """An ``on_progress`` callback drawing regions and pages on ``err`` (a terminal only).

    Without rich (the ``cli`` extra) there is no bar: the command runs the same, silently.
    """
    if not err.isatty():
        yield None
        return
    try:
        from rich.console import Console
        from rich.progress import BarColumn, TextColumn
        from rich.progress import Progress as Bar
    except ImportError:
        yield None
        return

    # rich draws the bar with escape sequences of its own: it writes unescaped (the text is
    # only numbers), and failures still surface as the command's output errors.
    err = getattr(err, "raw", err)

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
    org = make_org(args)
    if org is not None:
        many = org.findings(criteria)
        findings = list(many if args.limit is None else itertools.islice(many, args.limit))
        return findings, report_errors(many.errors.values(), err, debug=args.debug)
    with progress_bar(err) as on_progress:
        stream = inspector.findings(criteria, limit=args.limit, on_progress=on_progress)
        findings = list(stream)
    failed = report_errors(stream.errors.values(), err, debug=args.debug)
    for record in stream.item_errors:
        print(f"error: {one_line(record)}", file=err)
    return findings, failed or bool(stream.item_errors)


def explain(exc: BaseException, args: argparse.Namespace | None = None) -> str:
    r"""One readable line for an error, with the fix where we know it (not yet escaped).

    A message listing problems on indented lines (a policy or price file) is joined into
    one line; any other line break is left for ``one_line`` to show as ``\n``.

    Examples:
        >>> from inspector_kit.pricing import PriceFileError
        >>> explain(PriceFileError("p.csv", ["line 2: bad price", "line 5: no region"]))
        'p.csv: 2 problems: line 2: bad price; line 5: no region'
    """
    return _single_line(_explain(exc, args))


def _single_line(text: str) -> str:
    lines = text.split("\n")
    out, listing = lines[0], False
    for line in lines[1:]:
        if listing or line[:1] in (" ", "\t") or out.endswith(":"):
            item = line.strip()
            if item:
                out += (" " if out.endswith(":") else "; " if listing else ": ") + item
                listing = True
        else:
            out += "\n" + line
    return out


def _explain(exc: BaseException, args: argparse.Namespace | None) -> str:
    from botocore.exceptions import NoCredentialsError, ProfileNotFound

    from inspector_kit.errors import (
        AccessDeniedError,
        AssumeRoleError,
        CriteriaError,
        FetchError,
        FetchOptionError,
        PriceNotFoundError,
    )

    if isinstance(exc, CriteriaError):
        return _criteria(exc, args)
    # The library's messages name its Python API; the command names its own flags.
    if isinstance(exc, FetchOptionError) and str(exc).startswith("no AWS region"):
        return (
            "no AWS region: pass --region REGION (repeatable) or --regions all, "
            "or set AWS_REGION or a profile region"
        )
    if isinstance(exc, PriceNotFoundError):
        item = getattr(exc.item, "value", exc.item)
        return (
            f"no price for {item} in {exc.region}: give one with --prices FILE "
            f'(JSON {{"{exc.region}": {{"{item}": "<USD>"}}}}, or CSV)'
        )
    if isinstance(exc, NoCredentialsError) or getattr(exc, "code", None) in _CREDENTIAL_CODES:
        return "no AWS credentials: run `aws sso login` or set AWS_PROFILE"
    if isinstance(exc, ProfileNotFound):
        return f"{exc}: check `aws configure list-profiles` or set AWS_PROFILE"
    if isinstance(exc, AssumeRoleError):
        return f"{exc}: check the role's trust policy (and --external-id)"
    if isinstance(exc, FetchError):
        region = exc.region or "the region"
        where = f"{region} (account {exc.account})" if exc.account else region
        if _NOT_ENABLED.search(exc.message):
            return (
                f"Inspector is not enabled in {where}: enable it "
                f"(`aws inspector2 enable --resource-types EC2 ECR LAMBDA --region {region}`) "
                "or ask your delegated administrator"
            )
        if isinstance(exc, AccessDeniedError):
            operation = exc.operation or "the operation"
            service = _SERVICES.get(operation, "inspector2")
            return (
                f"access denied in {where} for {operation}: grant {service}:{operation} "
                "to your role (and check SCPs)"
            )
    return str(exc) or type(exc).__name__


# The command-line flag behind each FindingCriteria member the commands set.
_CRITERIA_FLAGS = {
    "severity": ("--severity", "severity"),
    "findingStatus": ("--status", "status"),
    "findingType": ("--type", "type"),
    "awsAccountId": ("--account", "account"),
    "fixAvailable": ("--fix-available", "fix_available"),
}
_CRITERIA_PATH = re.compile(r"(\w+)(?:\[(\d+)\])?")


def _criteria(exc: Any, args: argparse.Namespace | None) -> str:
    """A CriteriaError named by the flag and value it came from, when we can tell."""
    match = _CRITERIA_PATH.match(exc.path or "")
    flag = _CRITERIA_FLAGS.get(match.group(1)) if match else None
    if match is None or flag is None or args is None:
        return f"invalid filter: {exc}"
    name, attribute = flag
    given = getattr(args, attribute, None)
    values = list(given) if isinstance(given, (list, tuple)) else [given]
    if match.group(2) is not None:
        index = int(match.group(2))
    elif len(values) == 1:
        index = 0
    else:  # about the flag as a whole (e.g. how many times it was given)
        return f"{name}: {exc.reason}"
    if given is None or not 0 <= index < len(values):
        return f"{name}: {exc.reason}"
    return f"{name} {values[index]!r}: {exc.reason}"


def report_errors(errors: Iterable[BaseException], err: TextIO, *, debug: bool) -> bool:
    """Print each error as one line (identical lines once); True if there were any."""
    from inspector_kit.logs import redact

    seen: set[str] = set()
    for exc in errors:
        if debug:
            trace = traceback.format_exception(type(exc), exc, exc.__traceback__)
            err.write(redact("".join(trace)))
        line = f"error: {one_line(redact(explain(exc)))}"
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
    sort: str | None = None,
    select: Sequence[str] | None = None,
) -> None:
    """Write ``items`` with ``inspector_kit.formats``, or ``rows`` as a rich table.

    ``columns`` are the table's (row key, header) pairs; ``rows`` holds one row per item.
    ``sort`` (``--sort``: a row key, ``-`` first for descending) orders the rows (and the
    items the other formats write); ``select`` (``--columns``) keeps those columns of the
    table, in that order, and makes JSON, CSV and Markdown write exactly those cells of
    the rows instead of the items. Every cell of a table is literal text (never rich
    markup) with its control characters escaped; JSON, CSV and Markdown are written
    exactly as the formats give them when ``out`` is a pipe or a file, and with control
    characters escaped when it is a terminal. Without rich (the ``cli`` extra) a table is
    plain text: the title, then the columns aligned (as ``formats.to_text``).

    Raises:
        InvalidArgumentError: ``sort`` or ``select`` names a column this table lacks.
    """
    from inspector_kit._values import _printable_lines

    raw = getattr(out, "raw", out)  # the stream unescaped: the escaping is done here
    terminal = out.isatty()
    rows = list(rows)
    _check_columns(columns, [*([sort.lstrip("-")] if sort else []), *(select or ())])
    if sort:
        order = sorted_order(rows, sort)
        rows = [rows[i] for i in order]
        listed = list(items) if isinstance(items, (list, tuple)) else None
        if listed is not None and len(listed) == len(order):
            items = [listed[i] for i in order]
        else:  # a result object: its records are the rows
            items = rows
    if select:
        columns = [next(c for c in columns if c[0] == key) for key in select]
        if fmt != "table":
            items = [{key: row.get(key) for key in select} for row in rows]
    if fmt != "table":
        from inspector_kit import formats

        write = {"json": formats.to_json, "csv": formats.to_csv, "md": formats.to_markdown}
        text = write[fmt](items)
        text = text if text.endswith("\n") or not text else text + "\n"
        raw.write(_printable_lines(text) if terminal else text)
        return
    try:
        from rich.console import Console
        from rich.table import Table
    except ImportError:
        _plain_table(raw, columns, rows, title=title)
        return

    table = Table(title=None if title is None else cell(title), title_justify="left")
    for _, header in columns:
        table.add_column(cell(header))
    for row in rows:
        table.add_row(*(cell(row.get(key)) for key, _ in columns))
    console = Console(
        file=raw,
        width=None if terminal else 200,
        markup=False,
        emoji=False,
        highlight=False,
    )
    console.print(table)


def _plain_table(
    out: TextIO,
    columns: Sequence[tuple[str, str]],
    rows: Iterable[Mapping[str, Any]],
    *,
    title: str | None,
) -> None:
    """``rows`` as a plain-text table (every cell escaped), for an install without rich."""
    from inspector_kit._records import text_table
    from inspector_kit._values import _printable

    headers = [header for _, header in columns]
    table = [{header: _plain_cell(row.get(key)) for key, header in columns} for row in rows]
    if title is not None:
        out.write(_printable(title) + "\n")
    out.write(text_table(headers, table) or "(none)\n")


def _plain_cell(value: Any) -> str:
    """A cell's text as ``cell`` shows it: lists joined with ``, ``, enums by value."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return ", ".join(str(getattr(v, "value", v)) for v in value)
    return str(getattr(value, "value", value))


def _check_columns(columns: Sequence[tuple[str, str]], names: Sequence[str]) -> None:
    from inspector_kit.errors import InvalidArgumentError

    keys = [key for key, _ in columns]
    for name in names:
        if name not in keys:
            raise InvalidArgumentError(
                f"this table has no column {name!r}; its columns: {', '.join(keys)}"
            )


def _sort_value(value: Any) -> tuple[int, Any]:
    """A key that orders one column's cells: severities by rank, numbers, dates, text."""
    import datetime as dt
    from decimal import Decimal

    value = getattr(value, "value", value)  # enums by their API value
    if isinstance(value, bool):
        return (1, int(value))
    if isinstance(value, (int, float, Decimal)):
        return (1, float(value))
    if isinstance(value, (dt.datetime, dt.date)):
        return (2, value.isoformat())
    text = str(value)
    if text in SEVERITIES:  # CRITICAL first, as people read severities
        return (0, SEVERITIES.index(text))
    return (3, text.casefold())


def sorted_order(rows: Sequence[Mapping[str, Any]], sort: str) -> list[int]:
    """The indexes of ``rows`` in ``--sort`` order: stable, empty cells last either way.

    Examples:
        >>> rows = [{"s": "LOW"}, {"s": None}, {"s": "CRITICAL"}, {"s": "HIGH"}]
        >>> sorted_order(rows, "s"), sorted_order(rows, "-s")
        ([2, 3, 0, 1], [0, 3, 2, 1])
        >>> sorted_order([{"n": 2.5}, {"n": 10}, {"n": None}, {"n": 3}], "-n")
        [1, 3, 0, 2]
    """
    key = sort.lstrip("-")
    full = [i for i, row in enumerate(rows) if row.get(key) not in (None, "")]
    empty = [i for i, row in enumerate(rows) if row.get(key) in (None, "")]
    full.sort(key=lambda i: _sort_value(rows[i][key]), reverse=sort.startswith("-"))
    return full + empty


def cell(value: Any) -> Text:
    r"""A table cell as literal rich text: never markup, control characters escaped.

    Lists are joined with ``, ``, enum members shown by value, ``None`` left empty.

    Examples:
        >>> cell("[link=http://x]y[/link] \x1b[2J").plain
        '[link=http://x]y[/link] \\x1b[2J'
    """
    from rich.text import Text

    from inspector_kit._values import _printable

    if value is None:
        return Text("")
    if isinstance(value, (list, tuple)):
        return Text(", ".join(_printable(getattr(v, "value", v)) for v in value))
    return Text(_printable(getattr(value, "value", value)))
