"""Rescoring findings by network exposure, explaining every change, and what-if questions.

[`rescore`][inspector_kit.scoring.rescore] picks the base vector the way Inspector does (the CVSS
v3.x score of the vulnerability's own source, e.g. the distribution's, else NVD's, else another
vendor's; docs/facts.md#score), applies an
[`ExposurePolicy`][inspector_kit.scoring.ExposurePolicy], and reports the adjusted vector, score and
severity with one [`Adjustment`][inspector_kit.scoring.Adjustment] per metric that actually changed.

Runtime reachability ([`finding_reachability`][inspector_kit.scoring.finding_reachability]) is
never part of the score: Inspector's score does not use it, and the rescorer reproduces
Inspector's score. ``rescore(..., reachability=True)`` makes
[`Rescore.explain`][inspector_kit.scoring.Rescore.explain] say it;
[`rank`][inspector_kit.triage.rank] can weigh it (``Weights(reachability=...)``).

Bulk work ([`rescore_all`][inspector_kit.scoring.rescore_all],
[`what_if`][inspector_kit.scoring.what_if]) caches by (vector, source, exposure, tags), so 200,000
findings over a few hundred distinct vectors cost a few hundred scorings.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import Enum
from itertools import repeat
from typing import TYPE_CHECKING, Any, ClassVar, overload

import attrs

from inspector_kit._html import html_table
from inspector_kit._records import RecordsMixin, RecordValue, join_cell
from inspector_kit.errors import InvalidArgumentError
from inspector_kit.models import Finding, FindingType, RuntimeReachability, Severity

from ._exposure import ExposurePolicy, NetworkExposure
from ._vectors import CvssVector, InvalidVectorError, parse_vector, severity_for_score

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Mapping

    from inspector_kit.models import CoveredResource, CvssScore, VulnerablePackage

__all__ = [
    "BASE_CVSS_COLUMNS",
    "REACHABILITY_UNKNOWN_VALUE",
    "Adjustment",
    "FindingReachability",
    "Rescore",
    "Rescores",
    "SeverityChange",
    "WhatIf",
    "base_cvss_columns",
    "exposures_from_findings",
    "finding_reachability",
    "rescore",
    "rescore_all",
    "what_if",
]

_AGREE_TOLERANCE = 0.05  # scores are reported to one decimal
_INTERNET_GATEWAY = "AWS::EC2::InternetGateway"


@attrs.frozen
class Adjustment:
    """One metric a policy changed.

    Attributes:
        metric: The CVSS metric set (``MAV``, ``CR``, ...).
        before: Its effective value before (the base metric's value for ``M*`` metrics;
            ``X`` when it was not defined).
        after: The value set.
        reason: Why (the rule's reason, e.g. ``NO_OPEN_NETWORK_PATH_FROM_INTERNET``).

    Examples:
        >>> str(Adjustment("MAV", "N", "A", "NO_OPEN_NETWORK_PATH_FROM_INTERNET"))
        'MAV N -> A (NO_OPEN_NETWORK_PATH_FROM_INTERNET)'
    """

    metric: str
    before: str
    after: str
    reason: str

    def __str__(self) -> str:
        return f"{self.metric} {self.before} -> {self.after} ({self.reason})"


@attrs.frozen
class _Core:
    """What a rescoring gives for one (vector, source, exposure, tags): shared by findings."""

    base_vector: CvssVector | None
    base_source: str | None
    vector: CvssVector | None
    score: float | None
    severity: Severity | None
    base_severity: Severity | None
    adjustments: tuple[Adjustment, ...]
    reason: str | None
    exposure: NetworkExposure


def _severity_changed(before: Severity | None, after: Severity | None) -> bool:
    """THE definition of "severity changed", used by every count in inspector_kit.

    Two computed severity bands differ. A finding that could not be rescored (no CVSS v3
    vector: ``None``) never changed severity, and a score that moves within its band
    (10.0 -> 9.7, both CRITICAL) is an adjustment, not a severity change.
    """
    return before is not None and after is not None and before != after


def _subject(finding: Finding) -> str:
    """What a sentence about a finding starts with: the vulnerability and the resource."""
    what = finding.vulnerability_id or finding.title or str(finding.type)
    return f"{what} on {finding.primary_resource.short_name}"


class Rescore:
    """The rescoring of one finding: base, adjusted, every change, and Inspector's own score.

    Attributes:
        finding: The finding.
        exposure: The network exposure assumed.
        policy: The policy's name.
        base_vector: The base vector chosen the way Inspector chooses it, or ``None``.
        base_source: Its source (``NVD``, ``AMAZON_CVE``, ``UBUNTU_CVE``, ...).
        vector: The adjusted vector (the base vector when nothing changed).
        score: The adjusted score, or ``None`` when nothing could be computed.
        severity: Inspector's severity band of [`score`][inspector_kit.scoring.Rescore.score].
        adjustments: One [`Adjustment`][inspector_kit.scoring.Adjustment] per metric that changed
            (empty: unchanged).
        reason: Why nothing was computed (v2-only, UNTRIAGED, network reachability,
            code), else ``None``.
        reachability: The finding's runtime reachability
            ([`FindingReachability`][inspector_kit.scoring.FindingReachability]); never part
            of ``score``. [`explain`][inspector_kit.scoring.Rescore.explain] mentions it when
            the rescoring was asked to (``rescore(..., reachability=True)``).

    Examples:
        >>> from inspector_kit import Finding
        >>> from inspector_kit.testing import finding_payload
        >>> f = Finding.from_api(finding_payload(packageVulnerabilityDetails={
        ...     "vulnerabilityId": "CVE-2023-0001", "source": "NVD", "cvss": [
        ...     {"source": "NVD", "version": "3.1", "baseScore": 9.8,
        ...      "scoringVector": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}]}))
        >>> r = rescore(f, NetworkExposure.INTERNAL)
        >>> r.base_score, r.score, r.severity.value, [str(a) for a in r.adjustments]
        (9.8, 8.8, 'HIGH', ['MAV N -> A (NO_OPEN_NETWORK_PATH_FROM_INTERNET)'])
        >>> str(r.vector)
        'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/MAV:A'
    """

    __slots__ = ("_core", "finding", "policy", "with_reachability")

    finding: Finding
    policy: str
    _core: _Core
    with_reachability: bool
    """Whether ``explain()`` mentions runtime reachability."""

    def __init__(
        self, finding: Finding, policy: str, core: _Core, with_reachability: bool = False
    ) -> None:
        self.finding = finding
        self.policy = policy
        self._core = core
        self.with_reachability = with_reachability

    @property
    def reachability(self) -> FindingReachability:
        """The finding's runtime reachability (never part of the score).

        Examples:
            >>> from inspector_kit import Finding
            >>> from inspector_kit.testing import finding_payload
            >>> rescore(Finding.from_api(finding_payload())).reachability.status.value
            'UNKNOWN'
        """
        return finding_reachability(self.finding)

    @property
    def exposure(self) -> NetworkExposure:
        """The network exposure assumed."""
        return self._core.exposure

    @property
    def finding_arn(self) -> str:
        """The finding's ARN."""
        return self.finding.finding_arn

    @property
    def base_vector(self) -> CvssVector | None:
        """The base vector chosen (see the class docs)."""
        return self._core.base_vector

    @property
    def base_source(self) -> str | None:
        """The source of the base vector."""
        return self._core.base_source

    @property
    def base_score(self) -> float | None:
        """The base vector's score."""
        v = self._core.base_vector
        return None if v is None else v.score

    @property
    def base_severity(self) -> Severity | None:
        """Inspector's severity band of the base score."""
        return self._core.base_severity

    @property
    def vector(self) -> CvssVector | None:
        """The adjusted vector."""
        return self._core.vector

    @property
    def score(self) -> float | None:
        """The adjusted score."""
        return self._core.score

    @property
    def severity(self) -> Severity | None:
        """Inspector's severity band of the adjusted score."""
        return self._core.severity

    @property
    def adjustments(self) -> tuple[Adjustment, ...]:
        """Every metric the policy changed."""
        return self._core.adjustments

    @property
    def reason(self) -> str | None:
        """Why nothing was computed, or ``None``."""
        return self._core.reason

    @property
    def changed(self) -> bool:
        """True when the policy changed at least one metric (the finding was *adjusted*).

        An adjusted finding may keep its severity (9.8 -> 9.1 stays CRITICAL): count
        severity changes with [`severity_changed`][inspector_kit.scoring.Rescore.severity_changed].
        """
        return bool(self._core.adjustments)

    @property
    def severity_changed(self) -> bool:
        """True when the adjusted severity band differs from the base one.

        This is the one meaning of "severity changed" in inspector_kit
        ([`Rescores.severity_changes`][inspector_kit.scoring.Rescores.severity_changes],
        ``by_transition``, the ``severity_changed`` column, the ``rescore`` command and the
        demo all count it): both severities computed and different. A finding without a
        CVSS v3 vector never changed severity; an adjustment that keeps the band is
        [`changed`][inspector_kit.scoring.Rescore.changed] but not a severity change.

        Examples:
            >>> from inspector_kit import Finding
            >>> from inspector_kit.testing import finding_payload
            >>> def vector(v):
            ...     return Finding.from_api(finding_payload(packageVulnerabilityDetails={
            ...         "vulnerabilityId": "CVE-2024-0001", "source": "NVD", "cvss": [
            ...         {"source": "NVD", "version": "3.1", "baseScore": 0,
            ...          "scoringVector": v}]}))
            >>> moved = rescore(vector("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"),
            ...                 "INTERNAL")
            >>> moved.changed, moved.severity_changed, moved.base_severity, moved.severity
            (True, True, <Severity.CRITICAL: 'CRITICAL'>, <Severity.HIGH: 'HIGH'>)
            >>> kept = rescore(vector("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H"),
            ...                "INTERNAL")
            >>> kept.base_score, kept.score, kept.changed, kept.severity_changed
            (10.0, 9.7, True, False)
        """
        return _severity_changed(self._core.base_severity, self._core.severity)

    @property
    def inspector_score(self) -> float | None:
        """The finding's own ``inspectorScore``."""
        return self.finding.inspector_score

    @property
    def agrees_with_inspector(self) -> bool | None:
        """Whether our score equals the finding's ``inspectorScore`` (``None``: no pair)."""
        ours, theirs = self._core.score, self.finding.inspector_score
        if ours is None or theirs is None:
            return None
        return abs(ours - theirs) < _AGREE_TOLERANCE

    def explain(self) -> str:
        """One line saying what happened and why, starting with the vulnerability and resource.

        ``CVE-2024-0001 on i-0abc: 9.8 CRITICAL -> 8.8 HIGH (INTERNAL, policy inspector:
        MAV N -> A (...))``: the vulnerability id (the title when there is none) and the
        primary resource's short name come first, as people look findings up; the finding
        ARN is [`finding_arn`][inspector_kit.scoring.Rescore.finding_arn].

        With ``rescore(..., reachability=True)`` the line ends with the finding's runtime
        reachability, marked as not scored: Inspector's score does not use it, so neither
        does the rescoring (rank with ``Weights(reachability=...)`` to use it).

        Examples:
            >>> from inspector_kit import sample_findings
            >>> r = rescore(next(iter(sample_findings())), NetworkExposure.UNKNOWN)
            >>> isinstance(r.explain(), str)
            True
            >>> from inspector_kit import Finding
            >>> from inspector_kit.testing import finding_payload
            >>> f = Finding.from_api(finding_payload(findingArn="arn:f",
            ...     packageVulnerabilityDetails={"vulnerabilityId": "CVE-2024-0001",
            ...     "source": "NVD", "vulnerablePackages": [{"name": "libcurl",
            ...     "version": "8.5.0", "packageManager": "OS",
            ...     "purl": "pkg:rpm/amazon/libcurl@8.5.0-1.amzn2023",
            ...     "runtimeReachability": "NOT_REACHABLE",
            ...     "runtimeReachabilityReason": "PROCESS_NOT_OBSERVED_IN_EC2_RUNTIME"}]}))
            >>> print(rescore(f, reachability=True).explain())  # doctest: +NORMALIZE_WHITESPACE
            CVE-2024-0001 on i-0123456789abcdef0: not rescored: no CVSS score on the finding;
            runtime reachability
            NOT_REACHABLE: pkg:rpm/amazon/libcurl@8.5.0-1.amzn2023
            (PROCESS_NOT_OBSERVED_IN_EC2_RUNTIME) (not scored: Inspector's score does not use it)
        """
        text = self._explain()
        if self.with_reachability:
            text += (
                f"; runtime reachability {self.reachability.explain()} "
                "(not scored: Inspector's score does not use it)"
            )
        return text

    def _explain(self) -> str:
        core = self._core
        subject = _subject(self.finding)
        if core.reason is not None:
            return f"{subject}: not rescored: {core.reason}"
        if not core.adjustments:
            return (
                f"{subject}: {self.base_score} {core.base_severity} unchanged "
                f"({self.exposure}, policy {self.policy})"
            )
        changes = "; ".join(str(a) for a in core.adjustments)
        return (
            f"{subject}: {self.base_score} {core.base_severity} -> {core.score} "
            f"{core.severity} ({self.exposure}, policy {self.policy}: {changes})"
        )

    def _html_row(self) -> dict[str, Any]:
        core = self._core
        change = f"{core.base_severity} -> {core.severity}" if self.severity_changed else ""
        return {
            "vulnerability": self.finding.vulnerability_id,
            "resource": self.finding.primary_resource.short_name,
            "base": self.base_score,
            "rescored": core.score,
            "severity": core.severity,
            "severity change": change,
            "exposure": self.exposure,
            "adjustments": core.reason or "; ".join(str(a) for a in core.adjustments),
        }

    def _repr_html_(self) -> str:
        return html_table(
            [self._html_row()], caption=f"policy {self.policy}", severity_column="severity"
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Rescore):
            return NotImplemented
        return (self.finding, self.policy, self._core, self.with_reachability) == (
            other.finding,
            other.policy,
            other._core,
            other.with_reachability,
        )

    def __hash__(self) -> int:
        return hash((self.finding.finding_arn, self.policy, self._core, self.with_reachability))

    def __repr__(self) -> str:
        core = self._core
        if core.reason is not None:
            return f"Rescore({self.finding_arn!r}, reason={core.reason!r})"
        return (
            f"Rescore({self.finding_arn!r}, {self.exposure.value}, policy={self.policy!r}, "
            f"base={self.base_score} {core.base_severity}, score={core.score} {core.severity}, "
            f"adjustments={len(core.adjustments)})"
        )


# -- runtime reachability (never part of the score) -----------------------------------

REACHABILITY_UNKNOWN_VALUE = 0.5
"""The value (0-1) of a finding whose runtime reachability is UNKNOWN: an assumption.

Inspector says nothing about how likely an unevaluated package is to be loaded, so
"unknown" sits halfway between NOT_REACHABLE (0) and REACHABLE (1), like an UNKNOWN
network exposure; pass another value to
[`finding_reachability`][inspector_kit.scoring.finding_reachability] or
``rank(..., reachability_unknown=...)`` (docs/facts.md#model-1-44-8).

Examples:
    >>> REACHABILITY_UNKNOWN_VALUE
    0.5
"""

_REACHABLE = RuntimeReachability.REACHABLE.value
_NOT_REACHABLE = RuntimeReachability.NOT_REACHABLE.value
_LISTED = 3  # packages named in an explanation before "and N more"


def _plain(value: object) -> str | None:
    if value is None:
        return None
    return str(getattr(value, "value", value))


def _package_label(package: VulnerablePackage, platform: str | None) -> str:
    """Inspector's own ``purl`` as sent, else a built one, else ``name@version``."""
    if package.purl:
        return package.purl
    from inspector_kit.purl import to_purl  # packageurl: only when a label is needed

    built = to_purl(package, platform=platform)
    if built is not None:
        return str(built)
    return f"{package.name}@{package.version}" if package.version else str(package.name)


@attrs.frozen(kw_only=True)
class FindingReachability:
    """A finding's runtime reachability, made from its vulnerable packages'.

    Inspector evaluates each vulnerable package separately (``runtimeReachability``:
    REACHABLE, NOT_REACHABLE or UNKNOWN, with the evidence in
    ``runtimeReachabilityReason``). For the finding: any REACHABLE package makes it
    REACHABLE (value 1); every package NOT_REACHABLE makes it NOT_REACHABLE (0); anything
    else (a package without the field, UNKNOWN, a value this library does not know, or no
    vulnerable package at all) is UNKNOWN, valued
    [`REACHABILITY_UNKNOWN_VALUE`][inspector_kit.scoring.REACHABILITY_UNKNOWN_VALUE] unless
    told otherwise.

    Attributes:
        status: ``REACHABLE``, ``NOT_REACHABLE`` or ``UNKNOWN``.
        value: 1, 0 or the unknown value.
        packages: The packages that decided ``status`` (the reachable ones; every one; the
            ones without evidence), each named by Inspector's own ``purl`` when present.
        reasons: ``runtimeReachabilityReason`` of each of ``packages`` (``None``: absent).
        total: How many vulnerable packages the finding has.

    Examples:
        >>> fr = FindingReachability(status=RuntimeReachability.NOT_REACHABLE, value=0.0,
        ...     packages=("pkg:npm/lodash@4.17.20",),
        ...     reasons=("PACKAGE_NOT_IN_DOCKERFILE_WORKLOAD_PATH",), total=1)
        >>> fr.explain()
        'NOT_REACHABLE: pkg:npm/lodash@4.17.20 (PACKAGE_NOT_IN_DOCKERFILE_WORKLOAD_PATH)'
    """

    status: RuntimeReachability
    value: float
    packages: tuple[str, ...] = ()
    reasons: tuple[str | None, ...] = ()
    total: int = 0

    def explain(self) -> str:
        """The status, and the packages and evidence behind it, in one line.

        Examples:
            >>> FindingReachability(status=RuntimeReachability.UNKNOWN, value=0.5).explain()
            'UNKNOWN: no vulnerable package (valued 0.5)'
        """
        status = self.status.value
        if not self.packages:
            return f"{status}: no vulnerable package (valued {self.value:g})"
        named = [
            f"{label} ({reason})" if reason else label
            for label, reason in zip(self.packages[:_LISTED], self.reasons[:_LISTED], strict=True)
        ]
        if len(self.packages) > _LISTED:
            named.append(f"and {len(self.packages) - _LISTED} more")
        text = f"{status}: {', '.join(named)}"
        if self.status is RuntimeReachability.UNKNOWN:
            count = len(self.packages)
            text += (
                f" {'has' if count == 1 else 'have'} no runtime evidence"
                f" ({count} of {self.total} packages; valued {self.value:g})"
            )
        return text


def _unit_interval(value: float, name: str) -> float:
    number = float(value)
    if not 0.0 <= number <= 1.0:  # also rejects NaN
        raise InvalidArgumentError(f"{name} must be between 0 and 1, not {value!r}")
    return number


def finding_reachability(
    finding: Finding, *, unknown: float = REACHABILITY_UNKNOWN_VALUE
) -> FindingReachability:
    """The finding's runtime reachability (see ``FindingReachability`` for the rule).

    Args:
        finding: The finding.
        unknown: The value (0-1) of an UNKNOWN finding (an assumption; default
            [`REACHABILITY_UNKNOWN_VALUE`][inspector_kit.scoring.REACHABILITY_UNKNOWN_VALUE]).

    Examples:
        >>> from inspector_kit import Finding
        >>> from inspector_kit.testing import finding_payload
        >>> def pkg(name, status=None, reason=None):
        ...     p = {"name": name, "version": "1.0", "packageManager": "NPM"}
        ...     if status: p["runtimeReachability"] = status
        ...     if reason: p["runtimeReachabilityReason"] = reason
        ...     return p
        >>> def finding(*packages):
        ...     return Finding.from_api(finding_payload(packageVulnerabilityDetails={
        ...         "vulnerabilityId": "CVE-2024-0001", "source": "NVD",
        ...         "vulnerablePackages": list(packages)}))
        >>> r = finding_reachability(finding(pkg("a", "NOT_REACHABLE"),
        ...     pkg("b", "REACHABLE", "PROCESS_OBSERVED_IN_EC2_RUNTIME")))
        >>> r.status.value, r.value, r.explain()
        ('REACHABLE', 1.0, 'REACHABLE: pkg:npm/b@1.0 (PROCESS_OBSERVED_IN_EC2_RUNTIME)')
        >>> finding_reachability(finding(pkg("a", "NOT_REACHABLE"))).value
        0.0
        >>> finding_reachability(finding(pkg("a", "NOT_REACHABLE"), pkg("c")), unknown=0.25).value
        0.25
    """
    middle = _unit_interval(unknown, "unknown")
    packages = finding.vulnerable_packages
    reachable: list[VulnerablePackage] = []
    unevaluated: list[VulnerablePackage] = []
    for package in packages:
        status = _plain(package.runtime_reachability)
        if status == _REACHABLE:
            reachable.append(package)
        elif status != _NOT_REACHABLE:
            unevaluated.append(package)
    if reachable:
        status_, value, chosen = RuntimeReachability.REACHABLE, 1.0, reachable
    elif packages and not unevaluated:
        status_, value, chosen = RuntimeReachability.NOT_REACHABLE, 0.0, list(packages)
    else:
        status_, value, chosen = RuntimeReachability.UNKNOWN, middle, unevaluated
    platform = finding.primary_resource.platform if chosen else None
    return FindingReachability(
        status=status_,
        value=value,
        packages=tuple(_package_label(p, platform) for p in chosen),
        reasons=tuple(_plain(p.runtime_reachability_reason) for p in chosen),
        total=len(packages),
    )


# -- choosing the base vector --------------------------------------------------------


def _pick(entries: tuple[CvssScore, ...], vendor: str) -> CvssScore | None:
    """The v3 entry Inspector starts from: the vulnerability's own source, else NVD, else others.

    Within a rank, 3.1 beats 3.0; among equals the first listed wins. (Inlined in
    ``_Rescorer.many``: keep the two the same.)
    """
    best: CvssScore | None = None
    best_rank = -1
    for entry in entries:
        version = entry.version
        if version[:1] != "3":
            continue
        source = entry.source
        rank = (4 if source == vendor else 2 if source == "NVD" else 0) + (version == "3.1")
        if rank > best_rank:
            best, best_rank = entry, rank
    return best


def _no_score(reason: str, exposure: NetworkExposure) -> _Core:
    return _Core(None, None, None, None, None, None, (), reason, exposure)


_NOT_PACKAGE = {
    "NETWORK_REACHABILITY": "network reachability findings carry no CVSS vector "
    "(they are the exposure, not a vulnerability score)",
    "CODE_VULNERABILITY": "code vulnerability findings carry no CVSS vector",
}


def _source_of(finding: Finding) -> tuple[str, str, str] | str:
    """``(vector, version, source)`` of the base score, or the reason there is none."""
    kind = str(getattr(finding.type, "value", finding.type))
    if kind in _NOT_PACKAGE:
        return _NOT_PACKAGE[kind]
    pvd = finding.package_vulnerability_details
    entries = pvd.cvss if pvd is not None else None
    if entries:
        entry = _pick(entries, pvd.source if pvd is not None else "")
        if entry is not None:
            return entry.scoring_vector, entry.version, entry.source
    details = finding.inspector_score_details
    adjusted = details.adjusted_cvss if details is not None else None
    if adjusted is not None and adjusted.version.strip().startswith("3"):
        return (
            adjusted.scoring_vector,
            adjusted.version,
            adjusted.cvss_source or adjusted.score_source,
        )
    if entries:
        versions = sorted({e.version for e in entries})
        return (
            f"only CVSS {', '.join(versions)} scores; Inspector scores with v3.x, so no "
            "adjusted score is computed"
        )
    if str(finding.severity) == "UNTRIAGED":
        return "UNTRIAGED: the vendor has not scored this vulnerability yet"
    return "no CVSS score on the finding"


BASE_CVSS_COLUMNS: tuple[str, ...] = ("cvss_vector", "cvss_version", "cvss_source")
"""The record columns of a finding's base CVSS v3 entry: what rescoring starts from.

``cvss_vector``, ``cvss_version`` and ``cvss_source`` of the entry
[`rescore`][inspector_kit.scoring.rescore] picks (the vulnerability's own source's v3.x
score, else NVD's, else another source's; else Inspector's adjusted v3 vector), or ``None``
when the finding has no CVSS v3 score. They are columns of every finding record, of Parquet
snapshots and of snapshot datasets, and what
[`rescore_table`][inspector_kit.scoring.rescore_table] reads.

Examples:
    >>> BASE_CVSS_COLUMNS
    ('cvss_vector', 'cvss_version', 'cvss_source')
"""

_MISSING: Any = object()


def base_cvss_columns(
    findings: Sequence[Finding],
) -> tuple[list[str | None], list[str | None], list[str | None]]:
    """The ``BASE_CVSS_COLUMNS`` of ``findings``: vectors, versions and sources, in order.

    One pick per distinct CVSS list (the decoder shares equal lists between findings), so
    a column over many findings costs about a dict lookup per finding.

    Examples:
        >>> from inspector_kit.testing import finding_payload
        >>> f = Finding.from_api(finding_payload(type="NETWORK_REACHABILITY"))
        >>> base_cvss_columns([f])
        ([None], [None], [None])
    """
    vectors: list[str | None] = []
    versions: list[str | None] = []
    sources: list[str | None] = []
    package = FindingType.PACKAGE_VULNERABILITY
    # (id(cvss list), vulnerability source) -> picked (vector, version, source) or None.
    # ``findings`` keeps every list alive for the whole call, so no id is reused.
    picked: dict[tuple[int, str], tuple[str, str, str] | None] = {}
    for finding in findings:
        pvd = finding.package_vulnerability_details
        base: tuple[str, str, str] | str | None = None
        if finding.type is package and pvd is not None and pvd.cvss:
            key = (id(pvd.cvss), pvd.source)
            base = picked.get(key, _MISSING)
            if base is _MISSING:
                entry = _pick(pvd.cvss, pvd.source)
                base = picked[key] = (
                    None if entry is None else (entry.scoring_vector, entry.version, entry.source)
                )
        if base is None:
            base = _source_of(finding)
        if isinstance(base, str):
            vectors.append(None)
            versions.append(None)
            sources.append(None)
        else:
            vectors.append(base[0])
            versions.append(base[1])
            sources.append(base[2])
    return vectors, versions, sources


# -- the computation, cached ---------------------------------------------------------


_BASE_GROUP = frozenset(
    {"AV", "AC", "PR", "UI", "S", "C", "I", "A"}
)  # v3 base metrics: everything else is cleared from the base vector


def _core(
    vector_text: str,
    version: str,
    source: str,
    exposure: NetworkExposure,
    tags: tuple[tuple[str, str], ...],
    resource_type: str | None,
    policy: ExposurePolicy,
) -> _Core:
    try:
        parsed = parse_vector(vector_text, version=version)
    except InvalidVectorError as exc:
        return _no_score(f"the {source} vector cannot be read: {exc.reason}", exposure)
    if not parsed.version.startswith("3"):
        return _no_score(
            f"the {source} score is CVSS {parsed.version}; only v3.x is rescored", exposure
        )
    extra = [m for m in parsed.metrics if m not in _BASE_GROUP]
    base = parsed.with_metrics(**dict.fromkeys(extra, "X")) if extra else parsed
    changes = policy.changes(base.metrics, exposure, tags=dict(tags), resource_type=resource_type)
    base_severity = severity_for_score(base.score)
    if not changes:
        return _Core(
            base, source, base, base.score, base_severity, base_severity, (), None, exposure
        )
    vector = base.with_metrics(**{metric: after for metric, _, after, _ in changes})
    adjustments = tuple(Adjustment(*change) for change in changes)
    return _Core(
        base,
        source,
        vector,
        vector.score,
        severity_for_score(vector.score),
        base_severity,
        adjustments,
        None,
        exposure,
    )


class _Rescorer:
    """One policy, with a cache of results by (vector, version, source, exposure, tags).

    ``many`` is the bulk path: the same rules as ``__call__``, inlined, because
    it runs once per finding (``benchmarks/bench_rescore.py``).
    """

    def __init__(self, policy: ExposurePolicy, *, with_reachability: bool = False) -> None:
        self.policy = policy
        self.with_reachability = with_reachability
        self.name = policy.name
        self.cache: dict[tuple[Any, ...], _Core] = {}
        self.reasons: dict[tuple[str, NetworkExposure], _Core] = {}
        self.uses_tags = bool(policy.requirements)
        self.types: dict[object, str] = {}  # resource type (enum or str) -> plain str

    def _type(self, value: object) -> str:
        if not isinstance(value, Enum):  # an unknown type arrives as a plain string
            return str(value)
        # Hashing a str-based Enum member runs Python code; members are singletons, so
        # their identity is a cheap, exact key.
        plain = self.types.get(id(value))
        if plain is None:
            plain = self.types[id(value)] = str(getattr(value, "value", value))
        return plain

    def _compute(self, finding: Finding, exposure: NetworkExposure) -> _Core:
        source = _source_of(finding)
        if isinstance(source, str):
            core = self.reasons.get((source, exposure))
            if core is None:
                core = self.reasons[source, exposure] = _no_score(source, exposure)
            return core
        resource = finding.resources[0]
        tags = self.policy.tag_values(resource.tags) if self.uses_tags else ()
        resource_type = self._type(resource.type)
        key = (*source, exposure._value_, tags, resource_type)
        core = self.cache.get(key)
        if core is None:
            core = self.cache[key] = _core(*source, exposure, tags, resource_type, self.policy)
        return core

    def __call__(self, finding: Finding, exposure: NetworkExposure) -> Rescore:
        return Rescore(finding, self.name, self._compute(finding, exposure), self.with_reachability)

    def many(
        self,
        findings: Iterable[Finding],
        exposures: Mapping[str, NetworkExposure],
        fallback: NetworkExposure,
    ) -> Rescores:
        get_exposure = exposures.get
        items = list(findings)
        if self.uses_tags:  # results depend on each resource's tags: no sharing
            return Rescores(
                items,
                [self._compute(f, get_exposure(f.resources[0].id, fallback)) for f in items],
                self.name,
                with_reachability=self.with_reachability,
            )
        cores: list[_Core] = []
        append_core = cores.append
        package = FindingType.PACKAGE_VULNERABILITY
        # Each exposure as (member, position): results per CVSS list sit in a list
        # indexed by position, cheaper than hashing an Enum member.
        position = {member: n for n, member in enumerate(NetworkExposure)}
        numbered = {rid: (e, position[e]) for rid, e in exposures.items()}
        get_numbered = numbered.get
        default = (fallback, position[fallback])
        # Findings' CVSS lists are shared between equal findings (the decoder interns
        # them), so most findings hit this identity-keyed cache. ``items`` keeps every
        # list (and every resource type) alive for the whole call, so an id cannot be
        # reused while it is a key. A list is shared by vulnerabilities of several sources
        # and by several resource types: both are part of the key, or they evict each other.
        # (id(cvss list), source, id(resource type)) -> [result per exposure]
        by_identity: dict[tuple[int, str, int], list[_Core | None]] = {}
        lookup = by_identity.get
        # id(finding type) -> [result per exposure], for the types never scored
        by_type: dict[int, list[_Core | None]] = {}
        identity = id
        for finding in items:
            resource = finding.resources[0]
            exposure, n = get_numbered(resource.id, default)
            kind = finding.type
            if kind is not package:  # network, code: a reason that depends on the type only
                reasons = by_type.get(identity(kind))
                if reasons is None:  # empty: a type this library does not know
                    known_type = _plain(kind) in _NOT_PACKAGE
                    empty: list[_Core | None] = [None]
                    reasons = by_type[identity(kind)] = empty * len(position) * known_type
                if not reasons:
                    append_core(self._compute(finding, exposure))
                    continue
                core = reasons[n]
                if core is None:
                    core = reasons[n] = self._compute(finding, exposure)
                append_core(core)
                continue
            pvd = finding.package_vulnerability_details
            if pvd is None:
                append_core(self._compute(finding, exposure))
                continue
            entries = pvd.cvss
            if not entries:
                append_core(self._compute(finding, exposure))
                continue
            key = (identity(entries), pvd.source, identity(resource.type))
            slot = lookup(key)
            if slot is not None:
                core = slot[n]
                if core is not None:
                    append_core(core)
                    continue
            core = self._compute(finding, exposure)
            # Only a v3 pick depends on nothing else in the finding (the fallbacks read
            # its adjusted score and severity), so only then is the result shared.
            if _pick(entries, pvd.source) is not None:
                if slot is None:
                    none: list[_Core | None] = [None]
                    slot = by_identity[key] = none * len(position)
                slot[n] = core
            append_core(core)
        return Rescores(items, cores, self.name, with_reachability=self.with_reachability)


_HTML_ROWS = 50

RESCORE_COLUMNS: tuple[str, ...] = (
    "finding_arn",
    "vulnerability_id",
    "resource_id",
    "exposure",
    "base_score",
    "base_severity",
    "score",
    "severity",
    "severity_changed",
    "adjustments",
    "reason",
)
"""The columns of a rescoring's record, in order (``Rescores.to_records``)."""


def _enum_value(value: Any) -> Any:
    return value.value if isinstance(value, Enum) else value


def rescore_record(item: Rescore) -> dict[str, RecordValue]:
    """One rescoring as a flat record with the keys of ``RESCORE_COLUMNS``."""
    return {
        "finding_arn": item.finding_arn,
        "vulnerability_id": item.finding.vulnerability_id,
        "resource_id": item.finding.primary_resource.id,
        "exposure": _enum_value(item.exposure),
        "base_score": item.base_score,
        "base_severity": _enum_value(item.base_severity),
        "score": item.score,
        "severity": _enum_value(item.severity),
        "severity_changed": item.severity_changed,
        "adjustments": join_cell(str(a) for a in item.adjustments),
        "reason": item.reason,
    }


class Rescores(RecordsMixin, Sequence[Rescore]):
    """The rescorings of many findings, in input order (what ``rescore_all`` returns).

    Stored by column: each finding, its exposure and its shared result. A
    [`Rescore`][inspector_kit.scoring.Rescore] object is made when an item is read, so summaries
    ([`scores`][inspector_kit.scoring.Rescores.scores],
    [`severity_changes`][inspector_kit.scoring.Rescores.severity_changes],
    [`by_transition`][inspector_kit.scoring.Rescores.by_transition]) over 100,000s of findings
    create none. Indexing, slicing, ``len()`` and iteration work as on a list.

    Examples:
        >>> from inspector_kit import sample_findings
        >>> results = rescore_all(sample_findings())
        >>> len(results) == len(list(sample_findings())), results[0].policy
        (True, 'inspector')
    """

    __slots__ = ("_cores", "_findings", "policy", "with_reachability")

    def __init__(
        self,
        findings: list[Finding],
        cores: list[_Core],
        policy: str,
        *,
        with_reachability: bool = False,
    ) -> None:
        self._findings = findings
        self._cores = cores
        self.policy = policy
        self.with_reachability = with_reachability

    def __len__(self) -> int:
        return len(self._findings)

    @overload
    def __getitem__(self, index: int) -> Rescore: ...

    @overload
    def __getitem__(self, index: slice) -> list[Rescore]: ...

    def __getitem__(self, index: int | slice) -> Rescore | list[Rescore]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        return Rescore(
            self._findings[index], self.policy, self._cores[index], self.with_reachability
        )

    def __iter__(self) -> Iterator[Rescore]:
        # map() runs the loop in C: no generator frame to resume per result.
        policy, flag = repeat(self.policy), repeat(self.with_reachability)
        return map(Rescore, self._findings, policy, self._cores, flag)

    columns: ClassVar[tuple[str, ...]] = RESCORE_COLUMNS
    """The keys of [`to_records`][inspector_kit.scoring.Rescores.to_records], in order."""

    def to_records(self) -> list[dict[str, RecordValue]]:
        """One flat record per finding, with the keys of ``columns``.

        Examples:
            >>> from inspector_kit import sample_findings
            >>> rows = rescore_all(sample_findings()).to_records()
            >>> tuple(rows[0]) == Rescores.columns, rows[0]["finding_arn"][:19]
            (True, 'arn:aws:inspector2:')
        """
        return [rescore_record(item) for item in self]

    def __repr__(self) -> str:
        changed = sum(1 for core in self._cores if core.adjustments)
        moved = sum(
            1 for core in self._cores if _severity_changed(core.base_severity, core.severity)
        )
        return (
            f"Rescores({len(self)} findings, {changed} adjusted, {moved} change severity, "
            f"policy={self.policy!r})"
        )

    def _repr_html_(self) -> str:
        # Rows only for what is shown: a Rescore is built per displayed item, not per finding.
        rows = [r._html_row() for r in self[:_HTML_ROWS]]
        return html_table(
            rows, caption=repr(self), severity_column="severity", total=len(self), limit=None
        )

    def scores(self) -> list[float | None]:
        """The adjusted score of every finding, in order (``None``: not computed)."""
        return [core.score for core in self._cores]

    def changed(self) -> list[Rescore]:
        """The findings the policy adjusted (some may keep their severity).

        Examples:
            >>> from inspector_kit import sample_findings
            >>> results = rescore_all(sample_findings())
            >>> results.changed() == [r for r in results if r.changed]
            True
        """
        return [self[i] for i, core in enumerate(self._cores) if core.adjustments]

    def severity_changes(self) -> list[Rescore]:
        """The findings whose severity changed (see ``Rescore.severity_changed``).

        Examples:
            >>> from inspector_kit import sample_findings
            >>> results = rescore_all(sample_findings())
            >>> results.severity_changes() == [r for r in results if r.severity_changed]
            True
        """
        return [
            self[i]
            for i, core in enumerate(self._cores)
            if _severity_changed(core.base_severity, core.severity)
        ]

    def by_transition(self) -> dict[tuple[str, str], int]:
        """``(base severity, adjusted severity)`` -> count, for changed severities."""
        out: dict[tuple[str, str], int] = {}
        for core in self._cores:
            if _severity_changed(core.base_severity, core.severity):
                key = (str(core.base_severity), str(core.severity))
                out[key] = out.get(key, 0) + 1
        return out


def _exposure(value: NetworkExposure | str | None) -> NetworkExposure:
    if value is None:
        return NetworkExposure.UNKNOWN
    return value if isinstance(value, NetworkExposure) else NetworkExposure(value)


def rescore(
    finding: Finding,
    exposure: NetworkExposure | str = NetworkExposure.UNKNOWN,
    *,
    policy: ExposurePolicy | None = None,
    reachability: bool = False,
) -> Rescore:
    """Rescore one finding for a network exposure under a policy (default: Inspector's).

    Findings without a CVSS v3 score (v2-only, UNTRIAGED, network reachability, code) get
    a [`Rescore`][inspector_kit.scoring.Rescore] whose ``reason`` says why nothing was computed.
    ``reachability=True`` makes [`Rescore.explain`][inspector_kit.scoring.Rescore.explain]
    end with the finding's runtime reachability; the score never depends on it.

    Examples:
        >>> from inspector_kit import Finding
        >>> from inspector_kit.testing import finding_payload
        >>> net = Finding.from_api(finding_payload(type="NETWORK_REACHABILITY"))
        >>> rescore(net, "INTERNAL").reason.startswith("network reachability findings carry no")
        True
    """
    run = _Rescorer(policy or ExposurePolicy.inspector(), with_reachability=reachability)
    return run(finding, _exposure(exposure))


def rescore_all(
    findings: Iterable[Finding],
    exposures: Mapping[str, NetworkExposure | str] | None = None,
    *,
    policy: ExposurePolicy | None = None,
    default: NetworkExposure | str = NetworkExposure.UNKNOWN,
    reachability: bool = False,
) -> Rescores:
    """Rescore many findings; ``exposures`` maps resource id -> exposure.

    ``reachability=True`` makes each result's ``explain()`` mention runtime reachability
    (see [`rescore`][inspector_kit.scoring.rescore]); scores are the same either way.
    Resources missing from ``exposures`` get ``default`` (UNKNOWN: unchanged). Results are
    cached by vector, source, exposure and tags, so repeated vectors cost a dict lookup;
    the returned [`Rescores`][inspector_kit.scoring.Rescores] is a sequence of
    [`Rescore`][inspector_kit.scoring.Rescore], in input order.

    Examples:
        >>> from inspector_kit import sample_findings
        >>> results = rescore_all(sample_findings())
        >>> all(r.adjustments == () for r in results)  # UNKNOWN exposure changes nothing
        True
    """
    run = _Rescorer(policy or ExposurePolicy.inspector(), with_reachability=reachability)
    known = {rid: _exposure(e) for rid, e in (exposures or {}).items()}
    return run.many(findings, known, _exposure(default))


# -- exposures from Inspector's own network findings -----------------------------------


def _steps(finding: Finding) -> tuple[str, ...]:
    details = finding.network_reachability_details
    if details is None or details.network_path is None:
        return ()
    return tuple(step.component_type for step in details.network_path.steps or ())


def exposures_from_findings(
    findings: Iterable[Finding], coverage: Iterable[CoveredResource] | None = None
) -> dict[str, NetworkExposure]:
    """Resource id -> exposure, from Inspector's own NETWORK_REACHABILITY findings.

    * an ACTIVE reachability finding whose path goes through an internet gateway: INTERNET;
    * other ACTIVE open paths (peering, VPN, transit gateways): INTERNAL;
    * with ``coverage``: an EC2 instance whose NETWORK scan is ACTIVE and has no such
      finding is not internet-reachable: INTERNAL. (Absence of findings does not prove
      that no inbound path exists, so it is never ISOLATED; set that yourself.)

    Resources with neither are left out ([`rescore_all`][inspector_kit.scoring.rescore_all] treats
    them as UNKNOWN).

    Examples:
        >>> from inspector_kit import sample_findings
        >>> exposures = exposures_from_findings(sample_findings())
        >>> sorted({e.value for e in exposures.values()}) <= ["INTERNAL", "INTERNET"]
        True
    """
    out: dict[str, NetworkExposure] = {}
    for finding in findings:
        if finding.type != FindingType.NETWORK_REACHABILITY or str(finding.status) != "ACTIVE":
            continue
        found = (
            NetworkExposure.INTERNET
            if _INTERNET_GATEWAY in _steps(finding)
            else NetworkExposure.INTERNAL
        )
        for resource in finding.resources:
            if out.get(resource.id) is not NetworkExposure.INTERNET:
                out[resource.id] = found
    for record in coverage or ():
        scanned = (
            str(getattr(record.scan_type, "value", record.scan_type)) == "NETWORK"
            and record.scan_status is not None
            and str(
                getattr(record.scan_status.status_code, "value", record.scan_status.status_code)
            )
            == "ACTIVE"
        )
        if scanned and record.resource_id not in out:
            out[record.resource_id] = NetworkExposure.INTERNAL
    return out


# -- what if -------------------------------------------------------------------------


@attrs.frozen
class SeverityChange:
    """One finding whose severity differs between two exposure maps.

    Attributes:
        finding: The finding.
        before: Its rescoring under the first exposures.
        after: Its rescoring under the second exposures.

    Examples:
        >>> from inspector_kit import sample_findings
        >>> findings = list(sample_findings())
        >>> ec2 = {f.resources[0].id for f in findings if f.resources[0].type == "AWS_EC2_INSTANCE"}
        >>> change = what_if(findings, {}, {i: "INTERNAL" for i in ec2}).changes[0]
        >>> change.before.exposure, change.after.exposure
        (<NetworkExposure.UNKNOWN: 'UNKNOWN'>, <NetworkExposure.INTERNAL: 'INTERNAL'>)
        >>> change.finding in findings, change.after.score < change.before.score
        (True, True)
    """

    finding: Finding
    before: Rescore
    after: Rescore

    def __str__(self) -> str:
        b, a = self.before, self.after
        return (
            f"{_subject(self.finding)}: {b.score} {b.severity} ({b.exposure}) -> "
            f"{a.score} {a.severity} ({a.exposure})"
        )


@attrs.frozen
class WhatIf:
    """The effect of changing exposures: which findings change severity, and how.

    Attributes:
        changes: Every finding whose severity differs, in input order.
        rescored: Findings with a computed score (the others have no v3 vector).
        total: Findings looked at.

    Examples:
        >>> from inspector_kit import sample_findings
        >>> findings = list(sample_findings())
        >>> ec2 = {f.resources[0].id for f in findings if f.resources[0].type == "AWS_EC2_INSTANCE"}
        >>> result = what_if(findings, {}, {i: "INTERNAL" for i in ec2})
        >>> result.total == len(findings), 0 < result.count <= result.rescored <= result.total
        (True, True)
        >>> all(before != after for before, after in result.by_transition())
        True
    """

    changes: tuple[SeverityChange, ...]
    rescored: int
    total: int

    @property
    def count(self) -> int:
        """How many findings change severity."""
        return len(self.changes)

    def by_transition(self) -> dict[tuple[str, str], int]:
        """``(before severity, after severity)`` -> count.

        Examples:
            >>> WhatIf(changes=(), rescored=0, total=0).by_transition()
            {}
        """
        out: dict[tuple[str, str], int] = {}
        for change in self.changes:
            key = (str(change.before.severity), str(change.after.severity))
            out[key] = out.get(key, 0) + 1
        return out


def what_if(
    findings: Iterable[Finding],
    before: Mapping[str, NetworkExposure | str] | None,
    after: Mapping[str, NetworkExposure | str],
    *,
    policy: ExposurePolicy | None = None,
) -> WhatIf:
    """How many findings change severity, and which, if exposures change.

    ``after`` overrides ``before`` resource by resource ("close port 22 to the world on
    these 12 instances": ``after = {id: "INTERNAL" for id in those}``).

    Examples:
        >>> from inspector_kit import sample_findings
        >>> findings = list(sample_findings())
        >>> ec2 = {f.resources[0].id for f in findings if f.resources[0].type == "AWS_EC2_INSTANCE"}
        >>> result = what_if(findings, {i: "INTERNET" for i in ec2}, {i: "INTERNAL" for i in ec2})
        >>> result.count > 0 and all(c.after.score < c.before.score for c in result.changes)
        True
    """
    items = list(findings)
    run = _Rescorer(policy or ExposurePolicy.inspector())
    first = {rid: _exposure(e) for rid, e in (before or {}).items()}
    second = {**first, **{rid: _exposure(e) for rid, e in after.items()}}
    unknown = NetworkExposure.UNKNOWN
    olds = run.many(items, first, unknown)
    news = run.many(items, second, unknown)
    changes: list[SeverityChange] = []
    rescored = 0
    for index, (old_core, new_core) in enumerate(zip(olds._cores, news._cores, strict=True)):
        if old_core.score is None:
            continue
        rescored += 1
        if _severity_changed(old_core.severity, new_core.severity):
            changes.append(SeverityChange(items[index], olds[index], news[index]))
    return WhatIf(changes=tuple(changes), rescored=rescored, total=len(items))
