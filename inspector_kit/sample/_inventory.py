"""The sample estate as coverage-analysis inputs: ``sample_inventory``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._files import sample_coverage_records, sample_resources, sample_settings

if TYPE_CHECKING:
    from inspector_kit.coverage import Ec2Instance, Inventory


def sample_inventory() -> Inventory:
    """The sample estate's EC2 inventory as coverage-analysis inputs (no AWS needed).

    What [`Inspector.inventory`][inspector_kit.fetch.Inspector.inventory] would gather from the
    estate:

    * ``instances``: every EC2 instance of ``resources.json`` (31: the 17 with findings
      plus 14 coverage scenarios), with its SSM status, volumes and OS (``os_source``
      ``"ssm"`` for SSM-managed instances, ``"image"`` for the others) and
      ``vm_scanner_installed`` for the one whose VM scanner was installed by hand;
    * ``coverage``: the ``ListCoverage`` records of ``coverage.json`` (which the loopback
      server also serves), EC2 and otherwise, each with its ``region``;
    * ``configurations`` and ``deep_inspection``: per (account, region), from
      ``settings.json`` (``EC2_HYBRID`` everywhere but ``EC2_SSM_AGENT_BASED`` for
      111122223333 in us-east-1; the VM scanner of Enhanced EC2 Scanning activated for
      444455556666 in eu-west-1; deep inspection activated, no custom paths);
    * ``account_enabled``: ``True`` for every account and region;
    * ``gathered_at``: the estate's "today", 2026-11-22 00:00 UTC.

    Each instance's ``expected_status`` and ``expected_method`` in ``resources.json`` say
    what the analysis should conclude.

    Examples:
        >>> inv = sample_inventory()
        >>> len(inv.instances), inv.gathered_at.isoformat()
        (31, '2026-11-22T00:00:00+00:00')
        >>> sorted({i.platform for i in inv.instances})
        ['linux', 'macos', 'windows']
        >>> str(inv.configurations[("111122223333", "us-east-1")].mode)
        'EC2_SSM_AGENT_BASED'
        >>> web = next(i for i in inv.instances if i.name == "web-prod-01")
        >>> web.os_name, web.os_version, web.ssm.ping_status, web.total_volume_gib
        ('Amazon Linux', '2023', 'Online', 30)
        >>> sum(r.resource_type == "AWS_EC2_INSTANCE" for r in inv.coverage)
        31
    """
    from inspector_kit.coverage import DeepInspectionSettings, Inventory, ScanConfiguration
    from inspector_kit.models import Configuration, CoveredResource
    from inspector_kit.models import DeepInspectionConfiguration as DeepInspectionModel
    from inspector_kit.models._time import parse_timestamp

    resources = sample_resources()
    gathered_at = parse_timestamp(resources["as_of"])
    records = sample_coverage_records()
    settings = sample_settings()
    coverage = [
        CoveredResource.from_api(record, region=region)
        for region in sorted(records)
        for record in records[region]
    ]
    configurations = {}
    for pair, payload in sorted(settings.configurations.items()):
        scan = ScanConfiguration.from_model(Configuration.from_api(payload, region=pair[1]))
        if scan is not None:
            configurations[pair] = scan
    deep_inspection = {
        pair: DeepInspectionSettings.from_model(
            DeepInspectionModel.from_api(payload, region=pair[1])
        )
        for pair, payload in sorted(settings.deep_inspection.items())
    }
    # Passed as keywords typed Any: Inventory's ``converter=tuple`` fields are typed
    # ``Iterable[_T_co]`` by the attrs mypy plugin, which no argument satisfies.
    fields: dict[str, Any] = {
        "instances": tuple(_instance(item) for item in resources["ec2_instances"]),
        "coverage": tuple(coverage),
    }
    return Inventory(
        **fields,
        configurations=configurations,
        deep_inspection=deep_inspection,
        account_enabled=dict.fromkeys(sorted(configurations), True),
        gathered_at=gathered_at,
    )


def _instance(item: dict[str, Any]) -> Ec2Instance:
    from inspector_kit.coverage import Ec2Instance, SsmStatus, Volume
    from inspector_kit.models._time import parse_timestamp

    ssm = item.get("ssm")
    return Ec2Instance(
        item["instance_id"],
        account_id=item["account"],
        region=item["region"],
        state=item["state"],
        platform=item["os_family"],
        os_name=item.get("os_name"),
        os_version=item.get("os_version"),
        tags=item.get("tags") or {},
        root_device_type=item.get("root_device_type"),
        volumes=tuple(
            Volume(v["volume_id"], v["size_gib"], v.get("filesystem"))
            for v in item.get("volumes") or ()
        ),
        ssm=None
        if ssm is None
        else SsmStatus(
            managed=bool(ssm["managed"]),
            ping_status=ssm.get("ping_status"),
            last_inventory_at=parse_timestamp(ssm["last_inventory_at"])
            if ssm.get("last_inventory_at")
            else None,
            agent_version=ssm.get("agent_version"),
        ),
        launched_at=parse_timestamp(item["launch_time"]) if item.get("launch_time") else None,
        image_id=item.get("image_id"),
        instance_type=item.get("instance_type"),
        os_source="ssm" if ssm is not None and ssm.get("managed") else "image",
        # "manual": the Inspector VM Scanner installed by hand (resources.json says so; no AWS
        # API does, see docs/facts.md#vm-scanner).
        vm_scanner_installed=True if item.get("vm_scanner") == "manual" else None,
    )
