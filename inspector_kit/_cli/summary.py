"""``inspector-kit summary``, and the summary lines ``demo`` prints too."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timezone
from typing import TYPE_CHECKING, TextIO

from inspector_kit._values import _printable
from inspector_kit.loaders import LoadedFindings, load_findings
from inspector_kit.models import Finding, FindingStatus, FindingType, Severity, severity_rank

from .common import EXIT_OK, EXIT_PARTIAL
from .output import one_line

if TYPE_CHECKING:
    import argparse
    from collections.abc import Iterable, Mapping, Sequence

__all__ = ["SUMMARY_COLUMNS", "run_summary", "shapes_line", "summary_lines", "summary_records"]

_TOP = 5


def _counts(values: Iterable[object], order: Sequence[str] | None = None) -> str:
    counter = Counter(_printable(v) for v in values)
    keys = list(order or []) + sorted(k for k in counter if not order or k not in order)
    return " · ".join(f"{k} {counter[k]}" for k in keys if counter[k])


def summary_lines(findings: Sequence[Finding], *, now: datetime | None = None) -> list[str]:
    r"""A short, human summary of findings, as lines of text (pure: it prints nothing).

    Each line is one line, safe to print to a terminal: control characters and line breaks
    in the data (titles, ids, package names) are shown as escapes (``\x1b``, ``\n``).

    Examples:
        >>> from inspector_kit import sample_findings
        >>> lines = summary_lines(list(sample_findings()))
        >>> lines[0].startswith("Findings:")
        True
    """
    if not findings:
        return ["Findings: 0"]
    now = now or datetime.now(timezone.utc)
    active = [f for f in findings if f.status == FindingStatus.ACTIVE]
    severities = [s.value for s in sorted(Severity, key=lambda s: -severity_rank(s))]
    package = [f for f in active if f.type == FindingType.PACKAGE_VULNERABILITY]
    fixable = sum(f.is_fixable for f in package)
    resources = {(f.primary_resource.type, f.primary_resource.id) for f in findings}
    statuses = _counts((f.status for f in findings), [s.value for s in FindingStatus])
    lines = [
        f"Findings: {len(findings)} ({statuses})",
        f"Types:    {_counts(f.type for f in findings)}",
        f"Active by severity: {_counts((f.severity for f in active), severities)}",
        f"Active by region:   {_counts(f.region for f in active)}",
        f"Active by account:  {_counts(f.aws_account_id for f in active)}",
        f"Resources with findings: {_counts(kind for kind, _ in resources)}",
    ]
    if package:
        lines.append(
            f"Fixable: {fixable} of {len(package)} active package findings "
            f"({100 * fixable // len(package)}%) have a fixed version"
        )
    ranked = sorted(
        active,
        key=lambda f: (
            -(f.inspector_score if f.inspector_score is not None else -1.0),
            -severity_rank(f.severity),
            f.finding_arn,
        ),
    )[:_TOP]
    if ranked:
        lines.append(f"Top {len(ranked)} active findings by Inspector score:")
        for f in ranked:
            score = "  - " if f.inspector_score is None else f"{f.inspector_score:4.1f}"
            what = _printable(f.vulnerability_id or f.title or str(f.type))
            names = sorted({p.name for p in f.vulnerable_packages})[:2]
            packages = ", ".join(_printable(name) for name in names)
            purl = _printable(next((str(p) for p in f.purls if p is not None), ""))
            resource = _printable(f.primary_resource.short_name)[:28]
            lines.append(
                f"  {score} {f.severity!s:<8} {what:<16} {packages:<22.22} "
                f"{resource:<28} {_printable(f.region)} ({f.age(now).days}d)"
            )
            if purl:
                lines.append(f"         {purl}")
    return lines


SUMMARY_COLUMNS = ("file", "group", "value", "count")
"""The columns of ``summary --format json|csv|md``: one row per count of the summary."""


def _tally(values: Iterable[object], order: Sequence[str] = ()) -> list[tuple[str, int]]:
    counter = Counter(str(getattr(v, "value", v)) for v in values)
    keys = [k for k in order if counter[k]] + sorted(k for k in counter if k not in order)
    return [(k, counter[k]) for k in keys]


def summary_records(
    findings: Sequence[Finding], name: str, shapes: Mapping[str, int] | None = None
) -> list[dict[str, str | int]]:
    """The counts of ``summary_lines`` as flat rows (``SUMMARY_COLUMNS``), for machines.

    Groups: ``findings`` (the total), ``status``, ``type``, ``active_severity``,
    ``active_region``, ``active_account``, ``resource_type`` (resources with findings),
    ``fixable`` (active package findings with and without a fixed version) and ``shape``
    (what the records were read as). Values are the data's own, unescaped.

    Examples:
        >>> from inspector_kit import sample_findings
        >>> rows = summary_records(list(sample_findings()), "sample")
        >>> rows[0]
        {'file': 'sample', 'group': 'findings', 'value': 'all', 'count': 274}
        >>> [r["value"] for r in rows if r["group"] == "active_severity"][:2]
        ['CRITICAL', 'HIGH']
    """
    active = [f for f in findings if f.status == FindingStatus.ACTIVE]
    severities = [s.value for s in sorted(Severity, key=lambda s: -severity_rank(s))]
    package = [f for f in active if f.type == FindingType.PACKAGE_VULNERABILITY]
    fixable = sum(f.is_fixable for f in package)
    resources = {(f.primary_resource.type, f.primary_resource.id) for f in findings}
    groups: list[tuple[str, list[tuple[str, int]]]] = [
        ("findings", [("all", len(findings))]),
        ("status", _tally((f.status for f in findings), [s.value for s in FindingStatus])),
        ("type", _tally(f.type for f in findings)),
        ("active_severity", _tally((f.severity for f in active), severities)),
        ("active_region", _tally(f.region for f in active)),
        ("active_account", _tally(f.aws_account_id for f in active)),
        ("resource_type", _tally(kind for kind, _ in resources)),
        ("fixable", [("yes", fixable), ("no", len(package) - fixable)] if package else []),
        ("shape", sorted((shapes or {}).items(), key=lambda item: (-item[1], item[0]))),
    ]
    return [
        {"file": name, "group": group, "value": value, "count": count}
        for group, counts in groups
        for value, count in counts
    ]


def shapes_line(shapes: Mapping[str, int]) -> str:
    """One line naming the shapes findings were read from, most first (ties by name).

    ``shapes`` is ``LoadedFindings.shapes``. ``summary`` prints it after each file's
    summary; ``demo`` does not (its output is pinned).

    Examples:
        >>> shapes_line({"EventBridge event": 2, "Security Hub ASFF": 10})
        'read 12 findings: 10 Security Hub ASFF, 2 EventBridge event'
        >>> shapes_line({"Inspector finding": 1}), shapes_line({})
        ('read 1 finding: 1 Inspector finding', 'read 0 findings')
    """
    total = sum(shapes.values())
    head = f"read {total} finding{'' if total == 1 else 's'}"
    ordered = sorted(shapes.items(), key=lambda item: (-item[1], item[0]))
    parts = ", ".join(f"{n} {_printable(name)}" for name, n in ordered if n)
    return f"{head}: {parts}" if parts else head


def _report(loaded: LoadedFindings, out: TextIO, err: TextIO) -> int:
    findings = list(loaded)
    for line in summary_lines(findings):
        print(line, file=out)
    print(shapes_line(loaded.shapes), file=out)
    return _problems(loaded, err)


def _problems(loaded: LoadedFindings, err: TextIO) -> int:
    for record in loaded.skipped:
        print(f"skipped {record.index}: {one_line(record.reason)}", file=err)
    for error in loaded.errors:
        print(f"error: {one_line(loaded.name)}: {one_line(error)}", file=err)
    return EXIT_PARTIAL if loaded.errors else EXIT_OK


def run_summary(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    fmt = getattr(args, "format", None) or "table"
    status = EXIT_OK
    if fmt != "table":  # one document for every file: rows carry the file's name
        from .common import emit

        rows: list[dict[str, str | int]] = []
        for path in args.files:
            loaded = load_findings(path)
            rows += summary_records(list(loaded), str(path), loaded.shapes)
            status = max(status, _problems(loaded, err))
        emit(out, fmt, rows, (), rows)
        return status
    for path in args.files:
        print(f"== {one_line(path)}", file=out)
        status = max(status, _report(load_findings(path), out, err))
    return status
