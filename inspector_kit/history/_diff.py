"""What changed between two snapshots: ``diff`` and ``FindingsDiff``."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import attrs

from inspector_kit.formats import FINDING_COLUMNS, RecordsMixin, RecordValue, to_records
from inspector_kit.models import Finding, FindingStatus, severity_rank

from ._snapshot import Snapshot, logger

if TYPE_CHECKING:
    from collections.abc import Iterable

__all__ = ["CHANGE_KINDS", "FindingsDiff", "diff"]

CHANGE_KINDS: tuple[str, ...] = (
    "new",
    "resolved",
    "reopened",
    "still_open",
    "unobserved",
    "severity_changed",
)
"""The values of the ``change`` column of ``FindingsDiff.to_records``, in row order."""


def _by_arn(side: Snapshot | Iterable[Finding]) -> dict[str, Finding]:
    findings = side.findings if isinstance(side, Snapshot) else side
    return {f.finding_arn: f for f in findings}  # a repeated ARN: the last one wins


def _covers(side: Snapshot | Iterable[Finding], finding: Finding) -> bool:
    """Whether ``side`` fetched the finding's account and region (``None``: all)."""
    if not isinstance(side, Snapshot):
        return True
    return (side.regions is None or finding.region in side.regions) and (
        side.accounts is None or finding.aws_account_id in side.accounts
    )


@attrs.frozen
class FindingsDiff(RecordsMixin):
    """The changes between an old and a new set of findings (see ``diff``).

    Attributes:
        new: ACTIVE in new, absent from old.
        resolved: ACTIVE in old and CLOSED in new (the new, CLOSED version), or ACTIVE
            in old and absent from a new snapshot that covered its account and region
            (the old version).
        reopened: CLOSED in old, ACTIVE in new (the new version).
        still_open: ACTIVE in both (the new version).
        unobserved: ACTIVE in old, absent from new, and outside the new snapshot's
            ``regions``/``accounts``: not known to be resolved (the old version).
        severity_changed: ``(old, new)`` pairs, in both with different severities.
        taken_at: The new snapshot's ``taken_at`` (``None`` for plain findings).

    Examples:
        >>> from inspector_kit.testing import finding_payload
        >>> old = [Finding.from_api(finding_payload(severity="HIGH"))]
        >>> new = [Finding.from_api(finding_payload(severity="CRITICAL"))]
        >>> d = diff(old, new)
        >>> len(d.still_open), [(a.severity.value, b.severity.value) for a, b in d.severity_changed]
        (1, [('HIGH', 'CRITICAL')])
    """

    new: tuple[Finding, ...] = ()
    resolved: tuple[Finding, ...] = ()
    reopened: tuple[Finding, ...] = ()
    still_open: tuple[Finding, ...] = ()
    unobserved: tuple[Finding, ...] = ()
    severity_changed: tuple[tuple[Finding, Finding], ...] = ()
    taken_at: datetime | None = None

    def closed_at(self, finding: Finding) -> datetime | None:
        """When a resolved finding was closed, as far as the snapshots tell.

        ``updatedAt`` of the CLOSED finding, else the new snapshot's ``taken_at``, else
        ``None`` (absent from plain findings, or CLOSED without ``updatedAt``).

        Examples:
            >>> from inspector_kit.testing import finding_payload
            >>> closed = Finding.from_api(finding_payload(status="CLOSED",
            ...                                           updatedAt="2026-10-11T08:00:00Z"))
            >>> FindingsDiff().closed_at(closed).isoformat()
            '2026-10-11T08:00:00+00:00'
        """
        if finding.status == FindingStatus.CLOSED and finding.updated_at is not None:
            return finding.updated_at
        return self.taken_at

    def mean_time_to_remediate(self) -> dict[str, timedelta]:
        """Mean time from ``firstObservedAt`` to ``closed_at``, per severity.

        Over [`resolved`][inspector_kit.history.FindingsDiff]; findings with no known closing time
        are left out, and so are severities with no findings. Keys are severity values
        (``"CRITICAL"``), most severe first; the severity is the one in
        [`resolved`][inspector_kit.history.FindingsDiff].

        Examples:
            >>> from inspector_kit.testing import finding_payload
            >>> old = [Finding.from_api(finding_payload(firstObservedAt="2026-10-01T08:00:00Z"))]
            >>> new = [Finding.from_api(finding_payload(status="CLOSED",
            ...        firstObservedAt="2026-10-01T08:00:00Z", updatedAt="2026-10-11T20:00:00Z"))]
            >>> diff(old, new).mean_time_to_remediate()
            {'HIGH': datetime.timedelta(days=10, seconds=43200)}
        """
        spans: dict[str, list[timedelta]] = {}
        for finding in self.resolved:
            closed = self.closed_at(finding)
            if closed is not None:
                key = str(finding.severity)
                spans.setdefault(key, []).append(closed - finding.first_observed_at)
        order = sorted(spans, key=severity_rank, reverse=True)
        return {key: sum(spans[key], timedelta()) / len(spans[key]) for key in order}

    @property
    def columns(self) -> tuple[str, ...]:
        """``change``, ``old_severity``, then ``FINDING_COLUMNS``.

        Examples:
            >>> FindingsDiff().columns[:3]
            ('change', 'old_severity', 'finding_arn')
        """
        return ("change", "old_severity", *FINDING_COLUMNS)

    def to_records(self) -> list[dict[str, RecordValue]]:
        """One row per finding: ``change`` (see ``CHANGE_KINDS``) and the finding's record.

        Each finding appears once, under the first of
        [`CHANGE_KINDS`][inspector_kit.history.CHANGE_KINDS] it belongs to (``severity_changed``
        only for findings in no other list, e.g. CLOSED in both). Every row also has
        ``old_severity`` (the old severity when it changed, else ``None``), then the columns of
        [`to_records`][inspector_kit.formats.to_records].

        Examples:
            >>> from inspector_kit.testing import finding_payload
            >>> d = diff([], [Finding.from_api(finding_payload())])
            >>> row = d.to_records()[0]
            >>> row["change"], row["old_severity"], row["severity"]
            ('new', None, 'HIGH')
        """
        old_severity = {new.finding_arn: old.severity for old, new in self.severity_changed}
        rows: list[dict[str, RecordValue]] = []
        seen: set[str] = set()
        lists = (self.new, self.resolved, self.reopened, self.still_open, self.unobserved)
        changed = tuple(new for _, new in self.severity_changed)
        for kind, findings in zip(CHANGE_KINDS, (*lists, changed), strict=True):
            for finding in findings:
                if finding.finding_arn in seen:
                    continue
                seen.add(finding.finding_arn)
                before = old_severity.get(finding.finding_arn)
                rows.append(
                    {
                        "change": kind,
                        "old_severity": None if before is None else str(before),
                        **to_records([finding])[0],
                    }
                )
        return rows

    def to_text(self) -> str:
        """A short plain-text summary: counts per change, then MTTR per severity.

        Examples:
            >>> from inspector_kit.testing import finding_payload
            >>> print(diff([], [Finding.from_api(finding_payload())]).to_text())
            new 1, resolved 0, reopened 0, still open 0, unobserved 0, severity changed 0
        """
        counts = (
            f"new {len(self.new)}, resolved {len(self.resolved)}, "
            f"reopened {len(self.reopened)}, still open {len(self.still_open)}, "
            f"unobserved {len(self.unobserved)}, "
            f"severity changed {len(self.severity_changed)}"
        )
        lines = [counts]
        mttr = self.mean_time_to_remediate()
        if mttr:
            lines.append("mean time to remediate:")
            lines += [f"  {key}: {_days(span)}" for key, span in mttr.items()]
        return "\n".join(lines)


def _days(span: timedelta) -> str:
    return f"{span.total_seconds() / 86400:.1f} days"


def diff(old: Snapshot | Iterable[Finding], new: Snapshot | Iterable[Finding]) -> FindingsDiff:
    """Compare two snapshots (or two iterables of findings), keyed by ``findingArn``.

    A finding ACTIVE in ``old`` and absent from ``new`` counts as **resolved only when
    ``new`` covered its account and region**: ``new`` is a plain iterable, or a
    [`Snapshot`][inspector_kit.history.Snapshot] whose ``regions`` and ``accounts`` include the
    finding's (``None`` means all). Otherwise it is
    [`FindingsDiff.unobserved`][inspector_kit.history.FindingsDiff]. (Inspector keeps CLOSED
    findings for a while, then deletes them, so an absent finding from a fetched scope is taken as
    remediated.) The criteria are not consulted: diff snapshots fetched with the same criteria.
    SUPPRESSED counts as neither ACTIVE nor CLOSED, so a finding that becomes suppressed is in no
    list but [`FindingsDiff.severity_changed`][inspector_kit.history.FindingsDiff]. A snapshot
    loaded with [`Snapshot.errors`][inspector_kit.history.Snapshot] lacks the findings it could not
    read: they count as absent (so perhaps resolved), and a warning says so.

    Examples:
        >>> from inspector_kit.testing import finding_payload
        >>> def f(n, **members):
        ...     return Finding.from_api(finding_payload(findingArn=f"arn:finding/{n}", **members))
        >>> old = [f(1), f(2), f(3, status="CLOSED")]
        >>> new = [f(1), f(3), f(4)]
        >>> d = diff(old, new)
        >>> [len(x) for x in (d.new, d.resolved, d.reopened, d.still_open)]
        [1, 1, 1, 1]
    """
    for label, side in (("old", old), ("new", new)):
        if isinstance(side, Snapshot) and side.errors:
            logger.warning(
                "diff: the %s snapshot %s lacks %d finding(s) it could not read; "
                "they count as absent",
                label,
                side.path,
                len(side.errors),
            )
    before, after = _by_arn(old), _by_arn(new)
    taken_at = new.taken_at if isinstance(new, Snapshot) else None
    found: dict[str, list[Finding]] = {kind: [] for kind in CHANGE_KINDS[:-1]}
    changed: list[tuple[Finding, Finding]] = []
    active, closed = FindingStatus.ACTIVE, FindingStatus.CLOSED
    for arn, now in after.items():
        then = before.get(arn)
        if then is None:
            if now.status == active:
                found["new"].append(now)
            continue
        if then.severity != now.severity:
            changed.append((then, now))
        if then.status == active and now.status == active:
            found["still_open"].append(now)
        elif then.status == active and now.status == closed:
            found["resolved"].append(now)
        elif then.status == closed and now.status == active:
            found["reopened"].append(now)
    for arn, then in before.items():
        if arn in after or then.status != active:
            continue
        found["resolved" if _covers(new, then) else "unobserved"].append(then)
    return FindingsDiff(
        new=tuple(found["new"]),
        resolved=tuple(found["resolved"]),
        reopened=tuple(found["reopened"]),
        still_open=tuple(found["still_open"]),
        unobserved=tuple(found["unobserved"]),
        severity_changed=tuple(changed),
        taken_at=taken_at,
    )
