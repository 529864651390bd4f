"""A transparent risk ranking of findings, and roll-ups that cut notification noise.

[`rank`][inspector_kit.triage.rank] scores every finding as a weighted sum of six components, each a
value between 0 and 1 (see [`Weights`][inspector_kit.triage.Weights] for what each one reads), and
returns them in a stable order with every component's contribution and a one-line ``why``.
[`rollup_by_cve`][inspector_kit.triage.rollup_by_cve] and
[`rollup_by_resource`][inspector_kit.triage.rollup_by_resource] fold a ranking into one row per
vulnerability or per resource. Each result ([`Ranking`][inspector_kit.triage.Ranking],
[`CveRollups`][inspector_kit.triage.CveRollups],
[`ResourceRollups`][inspector_kit.triage.ResourceRollups]) is a ``list`` of its rows with
``columns`` and ``to_records()``: flat dicts (one per row, scalar values only, lists joined with
``;``) for CSV, JSON or a chat message.

The score is::

    score = Σ weight(c) * value(c)   for c in cvss, epss, kev, exploit, fix, exposure

rounded to 4 decimal places. With the default weights (summing to 10) the score lies
between 0 and 10. A seventh, optional component, runtime reachability, counts only when
``Weights(reachability=...)`` gives it a weight: then it is a column of the ranking and
``why`` says what Inspector found (see [`Weights`][inspector_kit.triage.Weights]).
"""

from __future__ import annotations

import math
import warnings
from typing import TYPE_CHECKING, ClassVar, Protocol, TypeVar

import attrs

from inspector_kit._html import html_table
from inspector_kit._records import RecordsMixin
from inspector_kit.errors import TriageError
from inspector_kit.models import ExploitAvailable, Finding, FixAvailable, severity_rank
from inspector_kit.scoring import (
    REACHABILITY_UNKNOWN_VALUE,
    FindingReachability,
    NetworkExposure,
    finding_reachability,
    rescore_all,
)
from inspector_kit.scoring._gcpause import paused_gc

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from inspector_kit.models import FindingDetail
    from inspector_kit.scoring import ExposurePolicy

__all__ = [
    "Component",
    "CveRollup",
    "CveRollups",
    "RankedFinding",
    "Ranking",
    "ResourceRollup",
    "ResourceRollups",
    "Weights",
    "rank",
    "records",
    "rollup_by_cve",
    "rollup_by_resource",
]

#: A flat record's value: scalars only.
RecordValue = str | int | float | None

_SEPARATOR = ";"

# Exposure -> component value. UNKNOWN sits with INTERNAL: not knowing is no evidence of
# isolation, nor of an open path from the internet.
_EXPOSURE_VALUE: dict[NetworkExposure, float] = {
    NetworkExposure.INTERNET: 1.0,
    NetworkExposure.INTERNAL: 0.5,
    NetworkExposure.UNKNOWN: 0.5,
    NetworkExposure.ISOLATED: 0.0,
}

_FIX_VALUE = {FixAvailable.YES.value: 1.0, FixAvailable.PARTIAL.value: 0.5}

_COMPONENTS = ("cvss", "epss", "kev", "exploit", "fix", "exposure")
_REACHABILITY = "reachability"  # the optional component: present only when weighted

RANK_COLUMNS: tuple[str, ...] = (
    "rank",
    "score",
    "severity",
    "vulnerability_id",
    "resource_id",
    "aws_account_id",
    "finding_arn",
    "cvss_source",
    *_COMPONENTS,
    "why",
)
REACHABILITY_RANK_COLUMNS: tuple[str, ...] = (
    *RANK_COLUMNS[: RANK_COLUMNS.index("why")],
    _REACHABILITY,
    "why",
)
CVE_ROLLUP_COLUMNS: tuple[str, ...] = (
    "vulnerability_id",
    "worst_score",
    "worst_rank",
    "worst_severity",
    "count",
    "resource_count",
    "resources",
    "accounts",
)
RESOURCE_ROLLUP_COLUMNS: tuple[str, ...] = (
    "resource_id",
    "resource_type",
    "aws_account_id",
    "worst_score",
    "worst_rank",
    "count",
    "worst_vulnerabilities",
    "worst_findings",
)


def _weight(instance: object, attribute: attrs.Attribute[float], value: float | None) -> None:
    if value is None:
        return
    if not math.isfinite(value) or value < 0:
        raise TriageError(f"weight {attribute.name!r} must be a finite number >= 0, not {value!r}")


def _optional_float(value: float | None) -> float | None:
    return None if value is None else float(value)


@attrs.frozen(kw_only=True)
class Weights:
    """How much each risk component counts. Every weight is a finite number >= 0.

    Each component is a value in ``[0, 1]``; its contribution is ``weight * value`` and
    the score is the sum of the contributions. The defaults sum to 10, so scores lie
    between 0 and 10 (a CVSS-like scale), with CVSS counting most.

    Attributes:
        cvss: 4.0. The CVSS score / 10: rescored for the resource's exposure when
            [`rank`][inspector_kit.triage.rank] is given one, else the finding's ``inspectorScore``,
            else its base CVSS (``Finding.cvss <inspector_kit.Finding.cvss>``), else 0.
        epss: 2.0. The EPSS probability (0-1): the finding's own, else the one in its
            [`FindingDetail`][inspector_kit.models.FindingDetail], else 0.
        kev: 1.5. 1 when the finding's details carry CISA KEV data (``cisaData``), else 0.
        exploit: 1.0. 1 when ``exploitAvailable`` is ``YES``, else 0.
        fix: 0.5. 1 when ``fixAvailable`` is ``YES``, 0.5 for ``PARTIAL``, 0 for ``NO``;
            without ``fixAvailable``, 1 when a vulnerable package has a fixed version.
            A fix *raises* the score: a fixable finding is actionable now, so it is
            worth a notification before an equally risky one nobody can fix yet. Set
            it to 0 to rank on risk alone.
        exposure: 1.0. The primary resource's network exposure: INTERNET 1, INTERNAL 0.5,
            UNKNOWN 0.5 (no evidence either way), ISOLATED 0.
        reachability: ``None`` (omitted). Runtime reachability, the strongest signal a
            ranking can get: whether Inspector saw the vulnerable package used at run
            time ([`finding_reachability`][inspector_kit.scoring.finding_reachability]):
            REACHABLE 1 (any package), NOT_REACHABLE 0 (every package), UNKNOWN 0.5 (an
            assumption: ``rank(..., reachability_unknown=...)`` changes it). ``None`` or 0
            leaves the component out entirely (no column, no note in ``why``), so a ranking
            made without it is unchanged; give it a weight (say 2) to use it.

    Examples:
        >>> w = Weights(kev=3)
        >>> w.kev, w.total
        (3.0, 11.5)
        >>> Weights(reachability=2).components[-1], Weights(reachability=2).total
        ('reachability', 12.0)
        >>> Weights().components == Weights(reachability=0).components
        True
        >>> Weights(epss=-1)
        Traceback (most recent call last):
        ...
        inspector_kit.errors.TriageError: weight 'epss' must be a finite number >= 0, not -1.0
    """

    cvss: float = attrs.field(default=4.0, converter=float, validator=_weight)
    epss: float = attrs.field(default=2.0, converter=float, validator=_weight)
    kev: float = attrs.field(default=1.5, converter=float, validator=_weight)
    exploit: float = attrs.field(default=1.0, converter=float, validator=_weight)
    fix: float = attrs.field(default=0.5, converter=float, validator=_weight)
    exposure: float = attrs.field(default=1.0, converter=float, validator=_weight)
    reachability: float | None = attrs.field(
        default=None, converter=_optional_float, validator=_weight
    )

    def __attrs_post_init__(self) -> None:
        if self.total == 0:
            raise TriageError("at least one weight must be positive")

    @property
    def components(self) -> tuple[str, ...]:
        """The components scored, in order: the six, then ``reachability`` when weighted."""
        return (*_COMPONENTS, _REACHABILITY) if self.reachability else _COMPONENTS

    @property
    def total(self) -> float:
        """The sum of the weights: the highest score possible."""
        return sum(getattr(self, name) for name in self.components)  # type: ignore[no-any-return]


@attrs.frozen
class Component:
    """One component of a score: its value (0-1), weight, and ``weight * value``.

    Examples:
        >>> Component("epss", 0.5, 2.0, 1.0)
        Component(name='epss', value=0.5, weight=2.0, contribution=1.0)
    """

    name: str
    value: float
    weight: float
    contribution: float


_FIELDS = ("finding", "rank", "score", "components", "why", "cvss_source", "reachability")


class _RankedRow:
    """The slots of a ranked finding, set without checks: ``rank`` builds rows this way."""

    __slots__ = ("_why", "components", "cvss_source", "finding", "rank", "reachability", "score")

    finding: Finding
    rank: int
    score: float
    components: tuple[Component, ...]
    cvss_source: str
    reachability: FindingReachability | None
    _why: str | None  # None: made from the components (and reachability) when read

    def __init__(
        self,
        finding: Finding,
        rank: int,
        score: float,
        components: tuple[Component, ...],
        why: str | None,
        cvss_source: str,
        reachability: FindingReachability | None,
    ) -> None:
        self.finding = finding
        self.rank = rank
        self.score = score
        self.components = components
        self._why = why
        self.cvss_source = cvss_source
        self.reachability = reachability


class RankedFinding(_RankedRow):
    """A finding, its place in the ranking, its score and how the score was made.

    Attributes:
        finding: The finding.
        rank: 1-based position in the ranking.
        score: The weighted sum of [`components`][inspector_kit.triage.RankedFinding], rounded to 4
            places.
        components: One [`Component`][inspector_kit.triage.Component] per weight, in
            [`Weights`][inspector_kit.triage.Weights] order.
        why: The components that contributed, largest first; when the ranking weighed
            runtime reachability, then what Inspector found (``runtime reachability
            REACHABLE: <package purl> (<reason>)``).
        cvss_source: Where the CVSS component came from: ``"rescored"``,
            ``"inspector"`` (``inspectorScore``), ``"cvss"`` (base CVSS) or ``"none"``.
        reachability: The finding's runtime reachability when the ranking weighed it
            (``Weights(reachability=...)``), else ``None``.

    Examples:
        >>> from inspector_kit import Finding
        >>> from inspector_kit.testing import finding_payload
        >>> f = Finding.from_api(finding_payload(inspectorScore=9.8, exploitAvailable="YES"))
        >>> r = rank([f])[0]
        >>> r.rank, r.score, r.cvss_source
        (1, 5.42, 'inspector')
        >>> r.why
        'cvss 0.98 x 4 = 3.92; exploit 1 x 1 = 1; exposure 0.5 x 1 = 0.5'
        >>> r.component("exposure").contribution
        0.5
    """

    __slots__ = ()

    columns: ClassVar[tuple[str, ...]] = RANK_COLUMNS
    """The keys of [`to_record`][inspector_kit.triage.RankedFinding.to_record], in order."""

    def __init__(
        self,
        *,
        finding: Finding,
        rank: int,
        score: float,
        components: tuple[Component, ...],
        why: str | None = None,
        cvss_source: str,
        reachability: FindingReachability | None = None,
    ) -> None:
        for name, value in zip(
            _FIELDS,
            (finding, rank, score, components, why, cvss_source, reachability),
            strict=True,
        ):
            object.__setattr__(self, "_why" if name == "why" else name, value)

    def __setattr__(self, name: str, value: object) -> None:
        raise attrs.exceptions.FrozenInstanceError

    def __delattr__(self, name: str) -> None:
        raise attrs.exceptions.FrozenInstanceError

    @property
    def why(self) -> str:
        """The components that contributed, largest first (see the class docs).

        Made when first read, from the components (and the runtime reachability when the
        ranking weighed it), then kept.
        """
        text = self._why
        if text is None:
            text = _why(self.components)
            if self.reachability is not None:
                text = f"{text}; runtime reachability {self.reachability.explain()}"
            object.__setattr__(self, "_why", text)
        return text

    def _values(self) -> tuple[object, ...]:
        return (
            self.finding,
            self.rank,
            self.score,
            self.components,
            self.why,
            self.cvss_source,
            self.reachability,
        )

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        assert isinstance(other, RankedFinding)
        return self._values() == other._values()

    def __ne__(self, other: object) -> bool:
        result = self.__eq__(other)
        return result if result is NotImplemented else not result

    def __hash__(self) -> int:
        return hash((self.__class__, *self._values()))

    def __repr__(self) -> str:
        fields = ", ".join(
            f"{name}={value!r}" for name, value in zip(_FIELDS, self._values(), strict=True)
        )
        return f"{self.__class__.__qualname__}({fields})"

    def __reduce__(self) -> tuple[object, ...]:
        return (_rebuild, (self.__class__, self._values()))

    def component(self, name: str) -> Component:
        """The component called ``name`` (``KeyError`` if there is none)."""
        for component in self.components:
            if component.name == name:
                return component
        raise KeyError(name)

    def to_record(self) -> dict[str, RecordValue]:
        """A flat dict: rank, score, the finding's identity, each component's contribution.

        The keys are ``columns``: with runtime reachability weighed, ``reachability`` comes
        after ``exposure``.

        Examples:
            >>> from inspector_kit import Finding
            >>> from inspector_kit.testing import finding_payload
            >>> rec = rank([Finding.from_api(finding_payload())])[0].to_record()
            >>> rec["rank"], rec["severity"], rec["resource_id"], rec["exposure"]
            (1, 'HIGH', 'i-0123456789abcdef0', 0.5)
        """
        finding = self.finding
        record: dict[str, RecordValue] = {
            "rank": self.rank,
            "score": self.score,
            "severity": str(finding.severity),
            "vulnerability_id": finding.vulnerability_id,
            "resource_id": finding.primary_resource.id,
            "aws_account_id": finding.aws_account_id,
            "finding_arn": finding.finding_arn,
            "cvss_source": self.cvss_source,
        }
        record.update((c.name, c.contribution) for c in self.components)
        record["why"] = self.why
        return record

    def _repr_html_(self) -> str:
        row = {
            "rank": self.rank,
            "score": self.score,
            "severity": self.finding.severity,
            "vulnerability": self.finding.vulnerability_id,
            "resource": self.finding.primary_resource.short_name,
            "why": self.why,
        }
        return html_table([row], severity_column="severity")


class _ReachabilityRankedFinding(RankedFinding):
    """A row of a ranking that weighed runtime reachability: one more column."""

    __slots__ = ()

    columns: ClassVar[tuple[str, ...]] = REACHABILITY_RANK_COLUMNS


def _rebuild(cls: type[RankedFinding], values: tuple[object, ...]) -> RankedFinding:
    return cls(**dict(zip(_FIELDS, values, strict=True)))  # type: ignore[arg-type]


def _number(value: float) -> str:
    return f"{value:.4g}"


def _why(components: tuple[Component, ...]) -> str:
    scored = sorted(
        (c for c in components if c.contribution > 0), key=lambda c: -c.contribution
    )  # sorted() is stable: equal contributions keep Weights order
    if not scored:
        return "no risk signal"
    return "; ".join(
        f"{c.name} {_number(c.value)} x {_number(c.weight)} = {_number(c.contribution)}"
        for c in scored
    )


def _plain_text(value: object) -> bool:
    """A plain string (a value an open enum does not know), not a member: compare it as is."""
    return value.__class__ is str


def _clamp(value: float) -> float:
    return min(1.0, max(0.0, value))


def _fix_value(finding: Finding) -> float:
    fix = finding.fix_available
    if fix is None:
        return 1.0 if finding.is_fixable else 0.0
    if fix is FixAvailable.YES:  # members first: str() of an Enum member runs Python code
        return 1.0
    if fix is FixAvailable.NO:
        return 0.0
    if fix is FixAvailable.PARTIAL:
        return 0.5
    return _FIX_VALUE.get(str(fix), 0.0)


def rank(
    findings: Iterable[Finding],
    *,
    exposures: Mapping[str, NetworkExposure | str] | None = None,
    weights: Weights | None = None,
    details: Mapping[str, FindingDetail] | None = None,
    policy: ExposurePolicy | None = None,
    reachability_unknown: float = REACHABILITY_UNKNOWN_VALUE,
) -> Ranking:
    """Score and order findings, riskiest first; see ``Weights`` for each component.

    Args:
        findings: The findings.
        exposures: Resource id -> [`NetworkExposure`][inspector_kit.scoring.NetworkExposure], read
            for the finding's primary resource. A finding whose resource is listed gets
            its CVSS rescored for that exposure ([`rescore`][inspector_kit.scoring.rescore],
            under ``policy``); the others keep ``inspectorScore`` (which already holds
            Inspector's own adjustment), else their base CVSS. Unlisted resources count
            as UNKNOWN for the exposure component.
        weights: The weights (default ``Weights()``).
        details: Finding ARN -> [`FindingDetail`][inspector_kit.models.FindingDetail], for CISA
            KEV membership and for EPSS when the finding has none.
        policy: The rescoring policy (default: Inspector's documented one).
        reachability_unknown: The runtime reachability component's value (0-1) for a
            finding whose reachability is UNKNOWN (an assumption; default
            [`REACHABILITY_UNKNOWN_VALUE`][inspector_kit.scoring.REACHABILITY_UNKNOWN_VALUE]).
            Read only when ``weights.reachability`` is set.

    Returns:
        One [`RankedFinding`][inspector_kit.triage.RankedFinding] per finding, ordered by score
        (highest first), then severity (highest first), then finding ARN, so equal inputs in any
        order rank the same way.

    Examples:
        >>> from inspector_kit import Finding
        >>> from inspector_kit.testing import finding_payload
        >>> low = Finding.from_api(finding_payload(findingArn="arn:a", inspectorScore=5.0))
        >>> high = Finding.from_api(finding_payload(findingArn="arn:b", inspectorScore=9.0,
        ...                                          epss={"score": 0.5}))
        >>> [(r.rank, r.finding.finding_arn, r.score) for r in rank([low, high])]
        [(1, 'arn:b', 5.1), (2, 'arn:a', 2.5)]
        >>> rank([low], exposures={"i-0123456789abcdef0": "ISOLATED"})[0].score
        2.0

        Weighing runtime reachability (a seventh component, and a column):

        >>> def uses(arn, status):
        ...     return Finding.from_api(finding_payload(findingArn=arn, inspectorScore=5.0,
        ...         packageVulnerabilityDetails={"vulnerabilityId": "CVE-2021-44228",
        ...         "source": "NVD", "vulnerablePackages": [{"version": "2.14.1",
        ...         "name": "org.apache.logging.log4j:log4j-core", "packageManager": "JAR",
        ...         "runtimeReachability": status}]}))
        >>> pair = [uses("arn:a", "NOT_REACHABLE"), uses("arn:z", "REACHABLE")]
        >>> [r.finding.finding_arn for r in rank(pair)]
        ['arn:a', 'arn:z']
        >>> top = rank(pair, weights=Weights(reachability=3))[0]
        >>> top.finding.finding_arn, top.score, top.to_record()["reachability"]
        ('arn:z', 5.5, 3.0)
        >>> print(top.why)  # doctest: +NORMALIZE_WHITESPACE
        reachability 1 x 3 = 3; cvss 0.5 x 4 = 2; exposure 0.5 x 1 = 0.5; runtime
        reachability REACHABLE: pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1
    """
    weights = weights or Weights()
    details = details or {}
    names = weights.components
    weigh_reachability = _REACHABILITY in names
    if not 0.0 <= float(reachability_unknown) <= 1.0:  # also rejects NaN
        raise TriageError(
            f"reachability_unknown must be between 0 and 1, not {reachability_unknown!r}"
        )
    known = {rid: NetworkExposure(e) for rid, e in (exposures or {}).items()}
    items = list(findings)
    with paused_gc():  # one object per finding, no cycles: see scoring._gcpause
        return _rank(
            items, known, weights, details, policy, reachability_unknown, weigh_reachability
        )


def _rank(
    items: list[Finding],
    known: dict[str, NetworkExposure],
    weights: Weights,
    details: Mapping[str, FindingDetail],
    policy: ExposurePolicy | None,
    reachability_unknown: float,
    weigh_reachability: bool,
) -> Ranking:
    names = weights.components
    scores = rescore_all(items, known, policy=policy).scores()  # no per-finding objects
    weight_of = {name: getattr(weights, name) for name in names}
    unknown = NetworkExposure.UNKNOWN
    yes_member = ExploitAvailable.YES
    yes = yes_member.value
    # Findings take few distinct component values: one profile (components, score, why)
    # per distinct tuple of values, shared by every finding that has it.
    profiles: dict[tuple[float, ...], tuple[tuple[Component, ...], float, str | None]] = {}
    severities: dict[object, int] = {}  # severity -> rank (members by identity, strings)
    # Rows by (score, severity): few groups; each is sorted by ARN alone (strings sort
    # much faster than tuples), and the groups in score then severity order.
    groups: dict[tuple[float, int], list[int]] = {}
    arns: list[str] = []
    # Per finding, in input order: its profile and CVSS source (no tuple per finding).
    chosen: list[tuple[tuple[Component, ...], float, str | None]] = []
    sources: list[str] = []
    reaches: list[FindingReachability | None] = []
    for index, (finding, rescored_score) in enumerate(zip(items, scores, strict=True)):
        detail = details.get(finding.finding_arn) if details else None
        resource_id = finding.primary_resource.id
        exposure = known.get(resource_id, unknown)

        cvss: float | None = None
        source = "none"
        if resource_id in known and rescored_score is not None:
            cvss, source = rescored_score, "rescored"
        elif finding.inspector_score is not None:
            cvss, source = finding.inspector_score, "inspector"
        elif finding.cvss is not None:
            cvss, source = finding.cvss.score, "cvss"
        epss = finding.epss_score
        if epss is None and detail is not None:
            epss = detail.epss_score
        reach: FindingReachability | None = None
        exploit = finding.exploit_available
        values: tuple[float, ...] = (
            _clamp((cvss or 0.0) / 10),
            _clamp(epss or 0.0),
            1.0 if detail is not None and detail.cisa_data is not None else 0.0,
            1.0 if exploit is yes_member or (_plain_text(exploit) and exploit == yes) else 0.0,
            _fix_value(finding),
            _EXPOSURE_VALUE[exposure],
        )
        if weigh_reachability:
            reach = finding_reachability(finding, unknown=reachability_unknown)
            values = (*values, reach.value)
        profile = profiles.get(values)
        if profile is None:
            profile = profiles[values] = _profile(names, values, weight_of, weigh_reachability)
        severity = finding.severity
        level = severities.get(severity)
        if level is None:
            level = severities[severity] = severity_rank(severity)
        group = groups.get((profile[1], level))
        if group is None:
            group = groups[profile[1], level] = []
        group.append(index)
        arns.append(finding.finding_arn)
        chosen.append(profile)
        sources.append(source)
        reaches.append(reach)
    order: list[int] = []
    by_arn = arns.__getitem__
    for group_key in sorted(groups, key=lambda k: (-k[0], -k[1])):
        group = groups[group_key]
        group.sort(key=by_arn)  # stable: a repeated ARN keeps input order
        order += group
    row_class = _ReachabilityRankedFinding if weigh_reachability else RankedFinding
    ranked: list[RankedFinding] = []
    append = ranked.append
    for position, index in enumerate(order, 1):
        components, score, why = chosen[index]
        row = _RankedRow(
            items[index], position, score, components, why, sources[index], reaches[index]
        )
        row.__class__ = row_class  # frozen from here on: RankedFinding refuses assignment
        append(row)  # type: ignore[arg-type]
    return _ReachabilityRanking(ranked) if weigh_reachability else Ranking(ranked)


def _profile(
    names: tuple[str, ...],
    values: tuple[float, ...],
    weight_of: dict[str, float],
    weigh_reachability: bool,
) -> tuple[tuple[Component, ...], float, str | None]:
    """The components, score and ``why`` of one tuple of component values (in ``names`` order).

    ``why`` is ``None`` when the ranking weighed reachability: each row then makes it when
    read, from its components and its own reachability.
    """
    components = tuple(
        Component(name, value, weight_of[name], round(value * weight_of[name], 4))
        for name, value in zip(names, values, strict=True)
    )
    score = round(
        sum(value * weight_of[name] for name, value in zip(names, values, strict=True)), 4
    )
    return components, score, None if weigh_reachability else _why(components)


# -- roll-ups ---------------------------------------------------------------------------


def _join(values: Iterable[str]) -> str:
    return _SEPARATOR.join(values)


@attrs.frozen(kw_only=True)
class CveRollup:
    """One vulnerability across the estate: every resource it affects, and its worst finding.

    Attributes:
        vulnerability_id: The CVE (or GHSA, ALAS, code rule, ...) id.
        worst: The best-ranked (riskiest) finding of this vulnerability.
        count: How many findings name it.
        resources: The ids of every resource those findings name, sorted.
        accounts: The AWS accounts of those findings, sorted.

    Examples:
        >>> from inspector_kit import Finding
        >>> from inspector_kit.testing import finding_payload
        >>> f = Finding.from_api(finding_payload(inspectorScore=7.5, packageVulnerabilityDetails={
        ...     "vulnerabilityId": "CVE-2023-38545", "source": "NVD"}))
        >>> row = rollup_by_cve(rank([f]))[0]
        >>> row.vulnerability_id, row.count, row.resources, row.worst_score
        ('CVE-2023-38545', 1, ('i-0123456789abcdef0',), 3.5)
    """

    columns: ClassVar[tuple[str, ...]] = CVE_ROLLUP_COLUMNS
    """The keys of [`to_record`][inspector_kit.triage.CveRollup.to_record], in order."""

    vulnerability_id: str
    worst: RankedFinding
    count: int
    resources: tuple[str, ...]
    accounts: tuple[str, ...]

    @property
    def worst_score(self) -> float:
        """The highest score among this vulnerability's findings."""
        return self.worst.score

    def to_record(self) -> dict[str, RecordValue]:
        """A flat dict; ``resources`` and ``accounts`` are joined with ``;``.

        Examples:
            >>> from inspector_kit import Finding
            >>> from inspector_kit.testing import finding_payload
            >>> pvd = {"vulnerabilityId": "CVE-2023-38545", "source": "NVD"}
            >>> f = Finding.from_api(finding_payload(packageVulnerabilityDetails=pvd))
            >>> row = rollup_by_cve(rank([f]))[0]
            >>> row.to_record()["resources"], row.to_record()["resource_count"]
            ('i-0123456789abcdef0', 1)
        """
        return {
            "vulnerability_id": self.vulnerability_id,
            "worst_score": self.worst_score,
            "worst_rank": self.worst.rank,
            "worst_severity": str(self.worst.finding.severity),
            "count": self.count,
            "resource_count": len(self.resources),
            "resources": _join(self.resources),
            "accounts": _join(self.accounts),
        }


@attrs.frozen(kw_only=True)
class ResourceRollup:
    """One resource: its riskiest findings and how many it has.

    Attributes:
        resource_id: The resource id (instance id, image ARN, function ARN, ...).
        resource_type: Its type, as the finding gives it.
        aws_account_id: The account of its first (riskiest) finding.
        worst: Its best-ranked findings, riskiest first (at most ``top``).
        count: How many findings name it.

    Examples:
        >>> from inspector_kit import Finding
        >>> from inspector_kit.testing import finding_payload
        >>> fs = [Finding.from_api(finding_payload(findingArn=f"arn:{n}", inspectorScore=n))
        ...       for n in range(1, 6)]
        >>> row = rollup_by_resource(rank(fs), top=2)[0]
        >>> row.resource_id, row.count, [r.finding.finding_arn for r in row.worst]
        ('i-0123456789abcdef0', 5, ['arn:5', 'arn:4'])
    """

    columns: ClassVar[tuple[str, ...]] = RESOURCE_ROLLUP_COLUMNS
    """The keys of [`to_record`][inspector_kit.triage.ResourceRollup.to_record], in order."""

    resource_id: str
    resource_type: str
    aws_account_id: str
    worst: tuple[RankedFinding, ...]
    count: int

    @property
    def worst_score(self) -> float:
        """The highest score among the resource's findings."""
        return self.worst[0].score

    def to_record(self) -> dict[str, RecordValue]:
        """A flat dict; the worst findings' vulnerability ids are joined with ``;``.

        Examples:
            >>> from inspector_kit import Finding
            >>> from inspector_kit.testing import finding_payload
            >>> pvd = {"vulnerabilityId": "CVE-2023-38545", "source": "NVD"}
            >>> f = Finding.from_api(finding_payload(packageVulnerabilityDetails=pvd))
            >>> row = rollup_by_resource(rank([f]))[0]
            >>> row.to_record()["worst_vulnerabilities"], row.to_record()["count"]
            ('CVE-2023-38545', 1)
        """
        return {
            "resource_id": self.resource_id,
            "resource_type": self.resource_type,
            "aws_account_id": self.aws_account_id,
            "worst_score": self.worst_score,
            "worst_rank": self.worst[0].rank,
            "count": self.count,
            "worst_vulnerabilities": _join(
                r.finding.vulnerability_id or str(r.finding.type) for r in self.worst
            ),
            "worst_findings": _join(r.finding.finding_arn for r in self.worst),
        }


def rollup_by_cve(ranked: Iterable[RankedFinding]) -> CveRollups:
    """One row per vulnerability id, riskiest first (by the rank of its worst finding).

    Findings without a vulnerability id (network reachability) are left out: they are
    about exposure, not a vulnerability (see
    [`rollup_by_resource`][inspector_kit.triage.rollup_by_resource]).

    Examples:
        >>> from inspector_kit import Finding
        >>> from inspector_kit.testing import finding_payload
        >>> pvd = {"vulnerabilityId": "CVE-2023-38545", "source": "NVD"}
        >>> fs = [Finding.from_api(finding_payload(findingArn=f"arn:{rid}",
        ...       packageVulnerabilityDetails=pvd,
        ...       resources=[{"type": "AWS_EC2_INSTANCE", "id": rid}])) for rid in ("i-1", "i-2")]
        >>> [(r.vulnerability_id, r.count, r.resources) for r in rollup_by_cve(rank(fs))]
        [('CVE-2023-38545', 2, ('i-1', 'i-2'))]
    """
    groups: dict[str, list[RankedFinding]] = {}
    for item in sorted(ranked, key=lambda r: r.rank):
        vid = item.finding.vulnerability_id
        if vid is not None:
            groups.setdefault(vid, []).append(item)
    return CveRollups(
        CveRollup(
            vulnerability_id=vid,
            worst=items[0],
            count=len(items),
            resources=tuple(sorted({res.id for r in items for res in r.finding.resources})),
            accounts=tuple(sorted({r.finding.aws_account_id for r in items})),
        )
        for vid, items in groups.items()
    )


def rollup_by_resource(ranked: Iterable[RankedFinding], *, top: int = 3) -> ResourceRollups:
    """One row per resource, riskiest first, with its ``top`` worst findings.

    A finding naming several resources counts towards each of them.

    Examples:
        >>> from inspector_kit import Finding
        >>> from inspector_kit.testing import finding_payload
        >>> ec2 = "AWS_EC2_INSTANCE"
        >>> f = Finding.from_api(finding_payload(resources=[
        ...     {"type": ec2, "id": "i-1"}, {"type": ec2, "id": "i-2"}]))
        >>> [(r.resource_id, r.count) for r in rollup_by_resource(rank([f]))]
        [('i-1', 1), ('i-2', 1)]
        >>> rollup_by_resource([], top=0)
        Traceback (most recent call last):
        ...
        inspector_kit.errors.TriageError: top must be at least 1, not 0
    """
    if top < 1:
        raise TriageError(f"top must be at least 1, not {top}")
    groups: dict[str, list[RankedFinding]] = {}
    types: dict[str, str] = {}
    for item in sorted(ranked, key=lambda r: r.rank):
        for resource in item.finding.resources:
            groups.setdefault(resource.id, []).append(item)
            types.setdefault(resource.id, str(resource.type))
    return ResourceRollups(
        ResourceRollup(
            resource_id=rid,
            resource_type=types[rid],
            aws_account_id=items[0].finding.aws_account_id,
            worst=tuple(items[:top]),
            count=len(items),
        )
        for rid, items in groups.items()
    )


class _Recordable(Protocol):
    def to_record(self) -> dict[str, RecordValue]: ...


_Row = TypeVar("_Row", bound=_Recordable)


class _Rows(RecordsMixin, list[_Row]):
    """A list of rows that can give its records (the rows' own ``to_record()``)."""

    columns: ClassVar[tuple[str, ...]] = ()

    def to_records(self) -> list[dict[str, RecordValue]]:
        """One flat dict per row, in order, with the keys of ``columns``."""
        return [row.to_record() for row in self]


class Ranking(_Rows[RankedFinding]):
    """What ``rank`` returns: a ``list`` of ``RankedFinding``, riskiest first.

    ``columns`` names the keys of ``to_records()`` (one flat dict per ranked finding, for
    CSV, JSON or a DataFrame). Slicing gives a plain ``list``.

    Examples:
        >>> from inspector_kit import Finding
        >>> from inspector_kit.testing import finding_payload
        >>> ranked = rank([Finding.from_api(finding_payload())])
        >>> ranked[0].rank, ranked.columns[:3], ranked.to_records()[0]["severity"]
        (1, ('rank', 'score', 'severity'), 'HIGH')
    """

    columns: ClassVar[tuple[str, ...]] = RANK_COLUMNS


class _ReachabilityRanking(Ranking):
    """What ``rank`` returns when it weighed runtime reachability: one more column."""

    columns: ClassVar[tuple[str, ...]] = REACHABILITY_RANK_COLUMNS


class CveRollups(_Rows[CveRollup]):
    """What ``rollup_by_cve`` returns: a ``list`` of ``CveRollup``, riskiest first.

    Examples:
        >>> from inspector_kit import Finding
        >>> from inspector_kit.testing import finding_payload
        >>> pvd = {"vulnerabilityId": "CVE-2023-38545", "source": "NVD"}
        >>> rows = rollup_by_cve(rank([Finding.from_api(finding_payload(
        ...     packageVulnerabilityDetails=pvd))]))
        >>> rows.to_records()[0]["vulnerability_id"], rows.columns[0]
        ('CVE-2023-38545', 'vulnerability_id')
    """

    columns: ClassVar[tuple[str, ...]] = CVE_ROLLUP_COLUMNS


class ResourceRollups(_Rows[ResourceRollup]):
    """What ``rollup_by_resource`` returns: a ``list`` of ``ResourceRollup``.

    Examples:
        >>> from inspector_kit import Finding
        >>> from inspector_kit.testing import finding_payload
        >>> rows = rollup_by_resource(rank([Finding.from_api(finding_payload())]))
        >>> rows.to_records()[0]["resource_id"], rows.columns[0]
        ('i-0123456789abcdef0', 'resource_id')
    """

    columns: ClassVar[tuple[str, ...]] = RESOURCE_ROLLUP_COLUMNS


def records(rows: Iterable[_Recordable]) -> list[dict[str, RecordValue]]:
    """Deprecated: use the result's ``to_records()`` (or ``to_records``).

    Flat dicts (scalar values only) for ranked findings or roll-up rows, in order: each
    row's ``to_record()``. [`rank`][inspector_kit.triage.rank],
    [`rollup_by_cve`][inspector_kit.triage.rollup_by_cve] and
    [`rollup_by_resource`][inspector_kit.triage.rollup_by_resource] return lists with
    ``to_records()``, which give the same rows.

    Examples:
        >>> from inspector_kit import Finding
        >>> from inspector_kit.testing import finding_payload
        >>> pvd = {"vulnerabilityId": "CVE-2023-38545", "source": "NVD"}
        >>> ranked = rank([Finding.from_api(finding_payload(packageVulnerabilityDetails=pvd))])
        >>> import warnings
        >>> with warnings.catch_warnings():
        ...     warnings.simplefilter("ignore", DeprecationWarning)
        ...     rows = records(rollup_by_cve(ranked))
        >>> [r["vulnerability_id"] for r in rows] == [
        ...     r["vulnerability_id"] for r in rollup_by_cve(ranked).to_records()]
        True
    """
    warnings.warn(
        "inspector_kit.triage.records(rows) is deprecated: use rows.to_records() on the "
        "result of rank(), rollup_by_cve() or rollup_by_resource(), or "
        "inspector_kit.formats.to_records(rows)",
        DeprecationWarning,
        stacklevel=2,
    )
    return [row.to_record() for row in rows]
