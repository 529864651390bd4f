"""Network exposure, and the policies that turn it into CVSS environmental metrics.

Inspector lowers the score of an EC2 package finding when "no open network path to the
instance is available from the internet", and after adjustment the attack vector is
Network, Adjacent or Local (docs/facts.md#score). The exact rule is not published, so here it is
a named, documented, replaceable [`ExposurePolicy`][inspector_kit.scoring.ExposurePolicy]:

* [`ExposurePolicy.inspector`][inspector_kit.scoring.ExposurePolicy.inspector] (the default): not
  internet-reachable and ``AV:N`` becomes ``MAV:A``; nothing else changes. This fits every
  documented behaviour.
* [`ExposurePolicy.strict`][inspector_kit.scoring.ExposurePolicy.strict]: as above, and an ISOLATED
  resource (no inbound path at all) gets ``MAV:L``.
* [`ExposurePolicy.unchanged`][inspector_kit.scoring.ExposurePolicy.unchanged]: never adjusts (the
  published base score).
* Your own: [`ExposureRule`][inspector_kit.scoring.ExposureRule] objects, plus
  confidentiality/integrity/availability requirements (``CR``/``IR``/``AR``) read from resource tags
  ([`TagRequirement`][inspector_kit.scoring.TagRequirement]).

A policy only ever sets a metric whose *effective* value changes (an environmental
metric overrides its base metric); setting ``MAV:N`` on an ``AV:N`` vector would change
nothing but could still move a v3.1 score by 0.1 (docs/facts.md#score), so it is never done.
"""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING

import attrs

from inspector_kit.errors import InvalidArgumentError

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from typing_extensions import Self

__all__ = [
    "ExposurePolicy",
    "ExposureRule",
    "NetworkExposure",
    "TagRequirement",
    "effective",
]


class NetworkExposure(str, Enum):
    """How a resource can be reached over the network.

    Examples:
        >>> NetworkExposure("INTERNAL") is NetworkExposure.INTERNAL
        True
        >>> NetworkExposure.INTERNET == "INTERNET"
        True
    """

    INTERNET = "INTERNET"
    """An open path from the internet (e.g. through an internet gateway)."""
    INTERNAL = "INTERNAL"
    """Reachable only from inside its networks (VPC, peering, VPN)."""
    ISOLATED = "ISOLATED"
    """No inbound network path at all."""
    UNKNOWN = "UNKNOWN"
    """Not known: policies leave the score alone."""

    def __str__(self) -> str:
        return self.value


#: Each environmental metric and the base metric it overrides (CVSS v3.x).
MODIFIED_OF: Mapping[str, str] = {
    "MAV": "AV",
    "MAC": "AC",
    "MPR": "PR",
    "MUI": "UI",
    "MS": "S",
    "MC": "C",
    "MI": "I",
    "MA": "A",
}


def effective(metrics: Mapping[str, str], metric: str) -> str | None:
    """The value a metric has in effect: its environmental override, else its base value.

    ``metric`` is a base metric (``AV``) or an environmental one (``MAV``); both give the
    effective attack vector.

    Examples:
        >>> effective({"AV": "N", "MAV": "A"}, "AV"), effective({"AV": "N"}, "MAV")
        ('A', 'N')
    """
    base = MODIFIED_OF.get(metric, metric)
    modified = "M" + base
    if modified in metrics:
        return metrics[modified]
    return metrics.get(base)


def _exposures(value: Iterable[NetworkExposure | str]) -> frozenset[NetworkExposure]:
    return frozenset(NetworkExposure(v) for v in value)


def _when(value: Mapping[str, Iterable[str]]) -> dict[str, frozenset[str]]:
    return {k: frozenset(v) for k, v in value.items()}


def _metrics(value: Mapping[str, str]) -> dict[str, str]:
    out = dict(value)
    for metric in out:
        if metric not in MODIFIED_OF and metric not in ("CR", "IR", "AR"):
            raise InvalidArgumentError(
                f"a rule may set environmental metrics only ({', '.join(MODIFIED_OF)}, CR, IR, "
                f"AR), not {metric!r}"
            )
    return out


@attrs.frozen(kw_only=True)
class ExposureRule:
    """One rule: for these exposures, when the vector looks like this, set these metrics.

    Attributes:
        exposures: The exposures the rule applies to.
        when: Metric -> the *effective* values it must have (``{"AV": {"N"}}``); empty
            means always.
        set: Environmental metrics to set (``{"MAV": "A"}``).
        reason: The reason reported with each [`Adjustment`][inspector_kit.scoring.Adjustment].
        description: What the rule means, for people.

    Examples:
        >>> rule = ExposureRule(exposures=["INTERNAL"], when={"AV": ["N"]}, set={"MAV": "A"},
        ...                     reason="NO_OPEN_NETWORK_PATH_FROM_INTERNET")
        >>> rule.applies({"AV": "N", "AC": "L"}, NetworkExposure.INTERNAL)
        True
        >>> rule.applies({"AV": "L"}, NetworkExposure.INTERNAL)
        False
    """

    exposures: frozenset[NetworkExposure] = attrs.field(converter=_exposures)
    when: dict[str, frozenset[str]] = attrs.field(factory=dict, converter=_when, hash=False)
    set: dict[str, str] = attrs.field(converter=_metrics, hash=False)
    reason: str
    description: str = ""

    def applies(self, metrics: Mapping[str, str], exposure: NetworkExposure) -> bool:
        """Whether this rule fires for a vector's metrics at ``exposure``."""
        if exposure not in self.exposures:
            return False
        return all(effective(metrics, m) in allowed for m, allowed in self.when.items())


_LEVELS = {"l": "L", "low": "L", "m": "M", "medium": "M", "h": "H", "high": "H"}


def _levels(value: Mapping[str, str] | None) -> dict[str, str]:
    if value is None:
        return dict(_LEVELS)
    out = {k.strip().lower(): v for k, v in value.items()}
    bad = sorted(v for v in out.values() if v not in ("L", "M", "H"))
    if bad:
        raise InvalidArgumentError(f"requirement levels are L, M or H, not {bad[0]!r}")
    return out


@attrs.frozen(kw_only=True)
class TagRequirement:
    """Set ``CR``, ``IR`` or ``AR`` from a resource tag.

    Attributes:
        metric: ``"CR"``, ``"IR"`` or ``"AR"``.
        tag: The resource tag key to read (e.g. ``DataClassification``).
        levels: Tag value (case-insensitive) -> ``L``/``M``/``H``. Default: ``low``/``l``,
            ``medium``/``m``, ``high``/``h``. Other values leave the metric undefined.

    Examples:
        >>> req = TagRequirement(metric="CR", tag="Confidentiality")
        >>> req.value({"Confidentiality": "High"}), req.value({"Other": "x"})
        ('H', None)
    """

    metric: str = attrs.field(validator=attrs.validators.in_(("CR", "IR", "AR")))
    tag: str
    levels: dict[str, str] = attrs.field(default=None, converter=_levels, hash=False)

    def value(self, tags: Mapping[str, str] | None) -> str | None:
        """The metric value for a resource with ``tags``, or ``None``."""
        if not tags or self.tag not in tags:
            return None
        return self.levels.get(str(tags[self.tag]).strip().lower())


_NOT_INTERNET = "NO_OPEN_NETWORK_PATH_FROM_INTERNET"
_ISOLATED = "NO_INBOUND_NETWORK_PATH"
_EC2 = frozenset({"AWS_EC2_INSTANCE"})


def _rule_tuple(value: Iterable[ExposureRule]) -> tuple[ExposureRule, ...]:
    return tuple(value)


def _req_tuple(value: Iterable[TagRequirement]) -> tuple[TagRequirement, ...]:
    return tuple(value)


def _resource_types(value: Iterable[str] | None) -> frozenset[str] | None:
    return None if value is None else frozenset(str(getattr(v, "value", v)) for v in value)


@attrs.frozen(kw_only=True)
class ExposurePolicy:
    """A named set of rules mapping network exposure (and tags) to environmental metrics.

    Rules are applied in order; a later rule sees the metrics earlier rules set, and a
    metric is set only when its effective value changes.

    Attributes:
        name: Shown in every rescoring result.
        rules: The [`ExposureRule`][inspector_kit.scoring.ExposureRule] list.
        requirements: [`TagRequirement`][inspector_kit.scoring.TagRequirement] list (CR/IR/AR from
            resource tags).
        resource_types: Resource types the exposure rules apply to (Inspector adjusts EC2
            findings only; ECR and Lambda scores are the base score). ``None``: all.
        description: What the policy does, for people.

    Examples:
        >>> policy = ExposurePolicy.inspector()
        >>> metrics = {"AV": "N", "AC": "L", "PR": "N", "UI": "N", "S": "U", "C": "H"}
        >>> policy.changes(metrics, NetworkExposure.INTERNAL)
        [('MAV', 'N', 'A', 'NO_OPEN_NETWORK_PATH_FROM_INTERNET')]
        >>> policy.changes(metrics, NetworkExposure.INTERNET)
        []
        >>> policy.changes(metrics, NetworkExposure.UNKNOWN)
        []
    """

    name: str
    rules: tuple[ExposureRule, ...] = attrs.field(default=(), converter=_rule_tuple)
    requirements: tuple[TagRequirement, ...] = attrs.field(default=(), converter=_req_tuple)
    resource_types: frozenset[str] | None = attrs.field(default=_EC2, converter=_resource_types)
    description: str = ""

    @classmethod
    def inspector(cls) -> Self:
        """Inspector's documented behaviour: not internet-reachable and ``AV:N`` -> ``MAV:A``.

        INTERNAL and ISOLATED resources both count as "no open network path from the
        internet"; INTERNET and UNKNOWN change nothing.
        """
        rule = ExposureRule(
            exposures=[NetworkExposure.INTERNAL, NetworkExposure.ISOLATED],
            when={"AV": ["N"]},
            set={"MAV": "A"},
            reason=_NOT_INTERNET,
            description="exploitable over the network, but no open path from the internet",
        )
        return cls(
            name="inspector",
            rules=(rule,),
            description="Inspector's documented adjustment: AV:N becomes MAV:A when the "
            "resource has no open network path from the internet (EC2 only).",
        )

    @classmethod
    def strict(cls) -> Self:
        """Inspector's rule, and ISOLATED resources (no inbound path at all) get ``MAV:L``."""
        base = cls.inspector()
        isolated = ExposureRule(
            exposures=[NetworkExposure.ISOLATED],
            when={"AV": ["N", "A"]},
            set={"MAV": "L"},
            reason=_ISOLATED,
            description="no inbound network path at all: only local access remains",
        )
        return cls(
            name="strict",
            rules=(*base.rules, isolated),
            description="As inspector(), and ISOLATED resources get MAV:L.",
        )

    @classmethod
    def unchanged(cls) -> Self:
        """Never adjust: the score is the base score."""
        return cls(name="unchanged", description="No adjustment: the published base score.")

    def with_rules(self, *rules: ExposureRule, name: str | None = None) -> Self:
        """This policy with more rules (applied after the existing ones)."""
        return attrs.evolve(self, rules=(*self.rules, *rules), name=name or self.name)

    def with_tag_requirements(
        self,
        *,
        cr: str | None = None,
        ir: str | None = None,
        ar: str | None = None,
        levels: Mapping[str, str] | None = None,
        name: str | None = None,
    ) -> Self:
        """This policy with CR/IR/AR read from the given resource tag keys.

        Examples:
            >>> p = ExposurePolicy.inspector().with_tag_requirements(cr="Confidentiality")
            >>> metrics = {"AV": "N", "C": "H"}
            >>> p.changes(metrics, NetworkExposure.INTERNET, tags={"Confidentiality": "low"})
            [('CR', 'X', 'L', 'TAG:Confidentiality')]
        """
        added = [
            TagRequirement(metric=metric, tag=tag, levels=levels)
            for metric, tag in (("CR", cr), ("IR", ir), ("AR", ar))
            if tag is not None
        ]
        return attrs.evolve(self, requirements=(*self.requirements, *added), name=name or self.name)

    def applies_to(self, resource_type: str | None) -> bool:
        """Whether the exposure rules apply to a resource type."""
        return self.resource_types is None or (
            resource_type is not None and resource_type in self.resource_types
        )

    def tag_values(self, tags: Mapping[str, str] | None) -> tuple[tuple[str, str], ...]:
        """The tags this policy reads, as ``(tag, value)`` pairs (hashable, for caching)."""
        if not tags:
            return ()
        return tuple((r.tag, str(tags[r.tag])) for r in self.requirements if r.tag in tags)

    def changes(
        self,
        metrics: Mapping[str, str],
        exposure: NetworkExposure,
        *,
        tags: Mapping[str, str] | None = None,
        resource_type: str | None = "AWS_EC2_INSTANCE",
    ) -> list[tuple[str, str, str, str]]:
        """The metric changes for a vector: ``(metric, before, after, reason)`` each.

        ``before`` is the effective value before the change (``X`` when the metric was
        not defined and has no base metric, as for CR/IR/AR).
        """
        current = dict(metrics)
        # metric -> (before, after, reason): a metric two rules set is one change, from
        # its original value to the last one set, with the last rule's reason.
        out: dict[str, tuple[str, str, str]] = {}

        def change(metric: str, value: str, reason: str) -> None:
            found = effective(current, metric) if metric in MODIFIED_OF else current.get(metric)
            now = found or "X"
            if now == value:
                return
            original = out[metric][0] if metric in out else now
            current[metric] = value
            if original == value:
                del out[metric]
            else:
                out[metric] = (original, value, reason)

        if self.applies_to(resource_type):
            for rule in self.rules:
                if rule.applies(current, exposure):
                    for metric, value in rule.set.items():
                        change(metric, value, rule.reason)
        for req in self.requirements:
            level = req.value(tags)
            if level is not None:
                change(req.metric, level, f"TAG:{req.tag}")
        return [(metric, *rest) for metric, rest in out.items()]
