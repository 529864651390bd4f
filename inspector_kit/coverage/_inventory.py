"""The inventory the coverage analysis reads: instances, coverage records and settings.

A value that knows how to analyse itself
([`Inventory.analyze`][inspector_kit.coverage.Inventory.analyze]), so it sits above both the input
values (``_model``) and the analysis (``_analysis``) in the import graph.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import TYPE_CHECKING

import attrs

from inspector_kit.models import CoveredResource

from ._analysis import analyze
from ._model import DeepInspectionSettings, Ec2Instance, ScanConfiguration, _aware

if TYPE_CHECKING:
    from ._report import CoverageReport

__all__ = ["AccountRegion", "Inventory"]

AccountRegion = tuple[str, str]


def _instances(value: Iterable[Ec2Instance]) -> tuple[Ec2Instance, ...]:
    return tuple(value)


def _records(value: Iterable[CoveredResource]) -> tuple[CoveredResource, ...]:
    return tuple(value)


def _errors(value: Iterable[Exception]) -> tuple[Exception, ...]:
    return tuple(value)


@attrs.frozen(kw_only=True)
class Inventory:
    """Everything the coverage analysis needs, as gathered by ``Inspector.inventory()``.

    Settings are keyed by ``(account_id, region)``; a value of ``None`` in
    ``account_enabled`` means the status could not be read. ``errors`` holds what could not
    be gathered (a region denied, a call throttled out): the analysis never reads a gap as
    "clean".

    Examples:
        >>> from datetime import datetime, timezone
        >>> from inspector_kit.coverage import SsmStatus
        >>> inv = Inventory(
        ...     instances=(Ec2Instance("i-1", account_id="111122223333", region="us-east-1",
        ...                            ssm=SsmStatus(managed=False)),),
        ...     configurations={("111122223333", "us-east-1"): ScanConfiguration("EC2_HYBRID")})
        >>> report = inv.analyze(now=datetime(2026, 11, 22, tzinfo=timezone.utc))
        >>> report[0].expected_method
        <ScanMethod.AGENTLESS: 'AGENTLESS'>
    """

    instances: tuple[Ec2Instance, ...] = attrs.field(default=(), converter=_instances)
    """The EC2 instances."""
    coverage: tuple[CoveredResource, ...] = attrs.field(default=(), converter=_records)
    """Inspector's coverage records (``ListCoverage``), EC2 and otherwise."""
    configurations: Mapping[AccountRegion, ScanConfiguration] = attrs.field(factory=dict)
    """The EC2 scan mode per (account, region)."""
    deep_inspection: Mapping[AccountRegion, DeepInspectionSettings] = attrs.field(factory=dict)
    """Deep inspection settings per (account, region)."""
    account_enabled: Mapping[AccountRegion, bool | None] = attrs.field(factory=dict)
    """Whether Inspector EC2 scanning is enabled per (account, region); ``None`` = unknown."""
    errors: tuple[Exception, ...] = attrs.field(default=(), converter=_errors)
    """What could not be gathered, per region and call."""
    gathered_at: datetime | None = attrs.field(default=None, converter=_aware)
    """When the inventory was gathered (aware UTC)."""

    def merge(self, *others: Inventory) -> Inventory:
        """One inventory from several, e.g. one per account gathered with that account's role.

        Instances are kept once per instance id and coverage records once per (resource,
        scan type, region), the first seen winning; settings are combined (later inventories
        win for the same (account, region)); errors are all kept; ``gathered_at`` is the
        earliest, so staleness is never judged against a later time than some data had.

        Examples:
            >>> a = Inventory(instances=(Ec2Instance("i-1", account_id="111122223333",
            ...     region="us-east-1"),), configurations={("111122223333", "us-east-1"):
            ...     ScanConfiguration("EC2_HYBRID")})
            >>> b = Inventory(instances=(Ec2Instance("i-2", account_id="444455556666",
            ...     region="us-east-1"),), configurations={("444455556666", "us-east-1"):
            ...     ScanConfiguration("EC2_SSM_AGENT_BASED")})
            >>> m = a.merge(b)
            >>> [i.instance_id for i in m.instances], sorted(m.configurations)
            (['i-1', 'i-2'], [('111122223333', 'us-east-1'), ('444455556666', 'us-east-1')])
        """
        parts = (self, *others)
        instances: dict[str, Ec2Instance] = {}
        records: dict[tuple[str, str, str | None], CoveredResource] = {}
        configurations: dict[AccountRegion, ScanConfiguration] = {}
        deep: dict[AccountRegion, DeepInspectionSettings] = {}
        enabled: dict[AccountRegion, bool | None] = {}
        for part in parts:
            for instance in part.instances:
                instances.setdefault(instance.instance_id, instance)
            for record in part.coverage:
                key = (record.resource_id, str(record.scan_type), record.region)
                records.setdefault(key, record)
            configurations.update(part.configurations)
            deep.update(part.deep_inspection)
            enabled.update(part.account_enabled)
        times = [p.gathered_at for p in parts if p.gathered_at is not None]
        return Inventory(
            instances=tuple(instances.values()),
            coverage=tuple(records.values()),
            configurations=configurations,
            deep_inspection=deep,
            account_enabled=enabled,
            errors=tuple(e for p in parts for e in p.errors),
            gathered_at=min(times) if times else None,
        )

    def analyze(self, *, now: datetime | None = None) -> CoverageReport:
        """Run [`analyze`][inspector_kit.coverage.analyze] on this inventory.

        ``now`` defaults to ``gathered_at``, then to the current time.
        """
        return analyze(
            self.instances,
            configuration=dict(self.configurations),
            coverage=self.coverage,
            deep_inspection=dict(self.deep_inspection) or None,
            account_enabled=dict(self.account_enabled) if self.account_enabled else True,
            now=now or self.gathered_at,
            errors=self.errors,
        )
