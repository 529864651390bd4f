"""Triage policies: which queue a finding goes to, and by when someone must look at it.

A [`TriagePolicy`][inspector_kit.triage.TriagePolicy] is an ordered list of rules
([`Rule`][inspector_kit.triage.Rule]); the first rule whose
[`Condition`][inspector_kit.triage.Condition] matches a finding wins, and its
[`Deadline`][inspector_kit.triage.Deadline] (counted from the finding's ``firstObservedAt`` in a
[`BusinessCalendar`][inspector_kit.triage.BusinessCalendar]'s time zone) gives the due date. A
finding no rule matches goes to the queue ``"unmatched"`` with no deadline. A CISA KEV due date
(``FindingDetail.cisa_data.date_due``: CISA publishes a calendar date, which Inspector sends as UTC
midnight, so it is read as that UTC date and never shifted by the team's time zone) tightens any
deadline: due = min(rule due, KEV due), and a finding with no deadline gets the KEV one.

[`TriagePolicy.default`][inspector_kit.triage.TriagePolicy.default] is the operations policy of
docs/facts.md#policy: CRITICAL and HIGH by the next business day, MEDIUM and LOW by the first
business day of the next month, INFORMATIONAL never. UNTRIAGED (the vendor has not scored it yet) is
treated like MEDIUM and LOW (monthly, queue ``"monthly"``): it may turn out to be anything, and once
Inspector scores it the next plan triages it by its real severity.

Condition semantics are in ``inspector_kit.triage._values`` (with
[`Condition`][inspector_kit.triage.Condition]).

The YAML file form (``rules`` is required; in ``when`` every field is optional and an
absent ``when`` matches everything; ``deadline`` is one of the four forms shown)::

    name: operations
    statuses: [ACTIVE]                     # the statuses planned (default: ACTIVE only)
    rules:
      - name: kev-or-exploited             # unique; reported as the item's rule
        queue: urgent                      # any label
        notify_now: true                   # route() pages at once (default: next morning)
        when:
          severities: [CRITICAL, HIGH]     # Severity names
          rescored_severities: [CRITICAL]  # after rescoring for exposure
          finding_types: [PACKAGE_VULNERABILITY]
          kev: true
          exploit_available: true
          fix_available: true              # YES or PARTIAL
          exposures: [INTERNET]            # INTERNET, INTERNAL, ISOLATED, UNKNOWN
          tags: {env: prod, owner: "*"}    # quote "*": unquoted it is a YAML alias
          accounts: ["111122223333"]
        deadline:
          business_days: 1                 # 1 = the next business day
      - name: monthly
        queue: monthly
        deadline:
          monthly: {business_day: 1}       # by business day 1 of the next month
      - name: month-out
        queue: later
        deadline:
          calendar_days: 30
      - name: never
        queue: informational
        deadline: none

Reading a file is bounded and strict (see docs/triage.md): at most ``max_bytes``
(``MAX_POLICY_BYTES``, 256 KiB) of UTF-8, nested at most 32 levels; deadline numbers in plain
decimal digits (YAML 1.1's octal ``010``, base-60 ``1:30``, ``0x10``, ``0b1`` and ``1_000``
are refused, saying what YAML would read), at most
[`Deadline.MAX_BUSINESS_DAYS`][inspector_kit.triage.Deadline.MAX_BUSINESS_DAYS] (1000) business days
or [`Deadline.MAX_CALENDAR_DAYS`][inspector_kit.triage.Deadline.MAX_CALENDAR_DAYS] (1500) calendar
days; names, queues and tags free of control characters. Every problem is a
[`PolicyFileError`][inspector_kit.triage.PolicyFileError].

Examples:
    >>> from datetime import datetime, timezone
    >>> from inspector_kit import Finding
    >>> from inspector_kit.testing import finding_payload
    >>> from inspector_kit.triage import BusinessCalendar, TriagePolicy
    >>> f = Finding.from_api(finding_payload(severity="HIGH",
    ...     firstObservedAt="2026-05-01T10:00:00Z"))
    >>> plan = TriagePolicy.default().plan([f], calendar=BusinessCalendar("JP",
    ...     timezone="Asia/Tokyo"), now=datetime(2026, 5, 8, tzinfo=timezone.utc))
    >>> item = plan.items[0]
    >>> item.queue, item.due.isoformat(), item.overdue
    ('next-business-day', '2026-05-07', True)
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import attrs

from ._engine import apply_policy
from ._values import MAX_POLICY_BYTES, Condition, Deadline, Rule, _nonempty, _rules, _statuses

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping
    from datetime import datetime

    from inspector_kit.models import Finding, FindingDetail
    from inspector_kit.scoring import NetworkExposure

    from ._calendar import BusinessCalendar
    from ._plan import TriagePlan
    from ._reviews import ReviewLog

__all__ = ["MAX_POLICY_BYTES", "TriagePolicy"]


@attrs.frozen
class TriagePolicy:
    """Ordered triage rules: the first matching rule wins (see the module docs).

    Examples:
        >>> policy = TriagePolicy([Rule("all", Condition(), Deadline.calendar_days(7), "week")],
        ...                       name="simple")
        >>> TriagePolicy.from_yaml(policy.to_yaml()) == policy
        True
    """

    rules: tuple[Rule, ...] = attrs.field(converter=_rules)
    name: str = attrs.field(default="custom", kw_only=True, validator=_nonempty)
    statuses: tuple[str, ...] = attrs.field(default=("ACTIVE",), kw_only=True, converter=_statuses)
    """The finding statuses planned (names of ``FindingStatus``; YAML key ``statuses``).
    Findings in another status are left out and counted in ``TriagePlan.excluded_by_status``;
    [`route`][inspector_kit.triage.route] drops them."""

    @classmethod
    def default(cls) -> TriagePolicy:
        """docs/facts.md#policy's operations policy (UNTRIAGED goes monthly; see the module docs).

        It plans ACTIVE findings only (``statuses``; docs/facts.md#triage-ops) and no rule
        says ``notify_now``: [`route`][inspector_kit.triage.route] holds CRITICAL and HIGH
        findings to the next business morning.

        Examples:
            >>> [(r.name, r.queue, str(r.deadline)) for r in TriagePolicy.default().rules]
            ... # doctest: +NORMALIZE_WHITESPACE
            [('critical-high', 'next-business-day', 'next business day'),
             ('medium-low', 'monthly', 'by business day 1 of the next month'),
             ('untriaged', 'monthly', 'by business day 1 of the next month'),
             ('informational', 'informational', 'no deadline')]
        """
        monthly = Deadline.monthly(business_day=1)
        return cls(
            [
                Rule(
                    "critical-high",
                    Condition(severities={"CRITICAL", "HIGH"}),
                    Deadline.business_days(1),
                    "next-business-day",
                ),
                Rule("medium-low", Condition(severities={"MEDIUM", "LOW"}), monthly, "monthly"),
                Rule("untriaged", Condition(severities={"UNTRIAGED"}), monthly, "monthly"),
                Rule(
                    "informational",
                    Condition(severities={"INFORMATIONAL"}),
                    Deadline.none(),
                    "informational",
                ),
            ],
            name="default",
        )

    def plan(
        self,
        findings: Iterable[Finding],
        *,
        now: datetime,
        calendar: BusinessCalendar,
        exposures: Mapping[str, NetworkExposure | str] | None = None,
        details: Mapping[str, FindingDetail] | None = None,
        reviews: ReviewLog | None = None,
    ) -> TriagePlan:
        """Triage ``findings`` as of ``now`` (aware) in ``calendar``.

        Only findings whose status is in ``statuses`` (default: ACTIVE) are planned; the
        others are counted per status in ``plan.excluded_by_status``.
        ``exposures`` maps resource id -> exposure (missing: UNKNOWN); ``details`` maps
        finding ARN -> [`FindingDetail`][inspector_kit.models.FindingDetail] (for KEV due dates).
        ``reviews`` is a [`ReviewLog`][inspector_kit.triage.ReviewLog]: a reviewed finding's
        deadline counts from its last review, and a finding acknowledged out of the queue
        (risk accepted until a later date, false positive) goes to ``plan.acknowledged``
        unless it re-entered (see ``inspector_kit.triage._reviews``).
        A finding whose ``firstObservedAt`` is the Unix epoch (a source with no timestamp,
        such as an Inspector Scan API report) has no known first-seen time: its deadline
        counts from ``now`` and ``why`` says so.
        Rescoring runs only when a rule has ``rescored_severities``. A due date that
        cannot be computed (first seen so late that it falls past 9999-12-31) leaves that
        item without one, says why in ``why``, and the rest of the plan goes on.

        Examples:
            >>> from datetime import datetime, timezone
            >>> from inspector_kit import Finding
            >>> from inspector_kit.testing import finding_payload
            >>> from inspector_kit.triage import BusinessCalendar
            >>> f = Finding.from_api(finding_payload(severity="NEW"))
            >>> item = TriagePolicy.default().plan([f], calendar=BusinessCalendar("US"),
            ...     now=datetime(2026, 10, 5, tzinfo=timezone.utc)).items[0]
            >>> item.queue, item.due, item.why
            ('unmatched', None, 'no rule of policy default matched; no deadline')
        """
        return apply_policy(
            self.rules,
            self.name,
            findings,
            now=now,
            calendar=calendar,
            exposures=exposures,
            details=details,
            statuses=self.statuses,
            reviews=reviews,
        )

    # ------------------------------------------------------------------------- files

    def to_yaml(self) -> str:
        """The policy as YAML (the file form in the module docs).

        Examples:
            >>> print(TriagePolicy.default().to_yaml()[:150])
            name: default
            rules:
            - name: critical-high
              queue: next-business-day
              when:
                severities: [CRITICAL, HIGH]
              deadline: {business_days: 1}
            ...
        """
        from ._policy_file import dump_policy  # PyYAML, imported when a file is used

        return dump_policy(self.name, self.rules, self.statuses)

    @classmethod
    def from_yaml(
        cls,
        text_or_path: str | os.PathLike[str],
        *,
        source: str | None = None,
        max_bytes: int = MAX_POLICY_BYTES,
    ) -> TriagePolicy:
        """Read a policy from YAML text (a ``str``) or a file (a ``Path``).

        At most ``max_bytes`` (``MAX_POLICY_BYTES``, 256 KiB) are read; a file must be
        UTF-8. See the module docs for what else is checked.

        Raises:
            PolicyFileError: every problem found, each with its line and field path; also
                a file that is missing, unreadable, a directory, too large or not UTF-8.

        Examples:
            >>> p = TriagePolicy.from_yaml('''
            ... name: tiny
            ... rules:
            ...   - name: everything
            ...     queue: weekly
            ...     deadline: {calendar_days: 7}
            ... ''')
            >>> p.name, p.rules[0].deadline
            ('tiny', Deadline(kind='calendar_days', n=7))
        """
        from ._policy_file import read_policy_file, read_policy_text  # PyYAML, when used

        if isinstance(text_or_path, os.PathLike):
            path = Path(text_or_path)
            name, rules, statuses = read_policy_file(
                path, source=source or path.name, max_bytes=max_bytes
            )
        else:
            where = source or "<policy>"
            name, rules, statuses = read_policy_text(
                text_or_path, source=where, max_bytes=max_bytes
            )
        return cls(rules, name=name, statuses=statuses)

    @classmethod
    def load(
        cls, path: str | os.PathLike[str], *, max_bytes: int = MAX_POLICY_BYTES
    ) -> TriagePolicy:
        """Read a policy file (UTF-8 YAML, at most ``max_bytes``).

        Raises:
            PolicyFileError: see [`from_yaml`][inspector_kit.triage.TriagePolicy.from_yaml].

        Examples:
            >>> import pathlib, tempfile
            >>> with tempfile.TemporaryDirectory() as tmp:
            ...     path = pathlib.Path(tmp, "policy.yaml")
            ...     TriagePolicy.default().save(path)
            ...     TriagePolicy.load(path) == TriagePolicy.default()
            True
        """
        return cls.from_yaml(Path(path), max_bytes=max_bytes)

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write [`to_yaml`][inspector_kit.triage.TriagePolicy.to_yaml] to ``path`` (UTF-8).

        Examples:
            >>> import pathlib, tempfile
            >>> with tempfile.TemporaryDirectory() as tmp:
            ...     TriagePolicy.default().save(pathlib.Path(tmp, "p.yaml"))
        """
        Path(path).write_text(self.to_yaml(), encoding="utf-8")
