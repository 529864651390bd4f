"""What the loopback Inspector serves: findings, coverage, configuration, status, usage, members.

A [`LoopbackDataset`][inspector_kit.testing.LoopbackDataset] is immutable once built. Build one with
a named constructor:

* [`LoopbackDataset.sample`][inspector_kit.testing.LoopbackDataset.sample] - the bundled sample
  estate (274 findings, 3 accounts, 3 regions) plus coverage, configuration, status, usage, members
  and finding details, all read from the estate's generated files through
  [`inspector_kit.sample`][inspector_kit.sample];
* [`LoopbackDataset.from_findings`][inspector_kit.testing.LoopbackDataset.from_findings] - your own
  findings (``Finding`` objects or API payload dicts) and, optionally, every other part;
* [`LoopbackDataset.replicated`][inspector_kit.testing.LoopbackDataset.replicated] /
  [`LoopbackDataset.synthetic`][inspector_kit.testing.LoopbackDataset.synthetic] - a large synthetic
  dataset for benchmarks: clones of the findings with fresh unique ARNs, spread over regions.

Each finding is serialised to its wire JSON once, when the dataset is built; pages are built
by joining those strings, so even 100,000 findings serve fast.
"""

from __future__ import annotations

import copy
import json
from functools import cache
from typing import TYPE_CHECKING, Any

from inspector_kit.errors import DatasetError
from inspector_kit.models import Finding, OnDemandScan
from inspector_kit.pricing import HOURS_PER_MONTH, PriceTable, UsageItem
from inspector_kit.sample import (
    sample_coverage_records,
    sample_finding_details,
    sample_finding_payloads,
    sample_machine_images,
    sample_on_demand_scans,
    sample_settings,
    sample_usage_totals,
)

from . import _service
from ._query import coverage_features, finding_features

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Mapping, Sequence

__all__ = ["LoopbackDataset"]

AccountRegion = tuple[str, str]

_SEPARATORS = (",", ":")
_RESOURCE_KINDS = ("ec2", "ecr", "lambda", "lambdaCode")


class _Template:
    """One finding body in wire form, minus its ARN, with its features."""

    __slots__ = ("account", "details", "features", "region", "rest")

    def __init__(
        self,
        rest: str,
        features: dict[str, tuple[Any, ...]],
        account: str,
        region: str,
        details: dict[str, Any] | None,
    ) -> None:
        self.rest = rest
        self.features = features
        self.account = account
        self.region = region
        self.details = details


class _Record:
    """One coverage record: wire text and features."""

    __slots__ = ("account", "features", "text")

    def __init__(self, wire: Mapping[str, Any]) -> None:
        self.text = json.dumps(wire, separators=_SEPARATORS)
        self.features = coverage_features(wire)
        self.account = str(wire.get("accountId", ""))


def _region_of(arn: str, wire: Mapping[str, Any]) -> str:
    parts = arn.split(":", 5)
    if len(parts) == 6 and parts[3]:
        return parts[3]
    for resource in wire.get("resources") or ():
        if resource.get("region"):
            return str(resource["region"])
    raise DatasetError(f"cannot tell the region of finding {arn!r} (no region in ARN or resource)")


def _check_arn(arn: Any) -> str:
    if not isinstance(arn, str) or not arn:
        raise DatasetError(f"a finding needs a findingArn, got {arn!r}")
    if json.dumps(arn)[1:-1] != arn:
        raise DatasetError(f"findingArn {arn!r} has characters that need JSON escaping")
    return arn


def _template(wire: dict[str, Any], details: Mapping[str, Any] | None) -> tuple[str, _Template]:
    arn = _check_arn(wire.pop("findingArn", None))
    region = _region_of(arn, wire)
    body = json.dumps(wire, separators=_SEPARATORS)
    rest = "," + body[1:] if len(body) > 2 else "}"
    detail = None
    if details is not None:
        detail = _service.to_wire(_service.shape("FindingDetail"), details)
        detail.pop("findingArn", None)
    template = _Template(
        rest, finding_features(wire), str(wire.get("awsAccountId", "")), region, detail
    )
    return arn, template


def _state(status: str) -> dict[str, str]:
    if status == "ENABLED":
        return {"status": status, "errorCode": "ALREADY_ENABLED", "errorMessage": "Enabled"}
    return {
        "status": status,
        "errorCode": "RESOURCE_NOT_FOUND",
        "errorMessage": f"Amazon Inspector is {status.lower()} for this account in this Region",
    }


def _account_state(account: str, status: str | Mapping[str, Any]) -> dict[str, Any]:
    if not isinstance(status, str):
        state = dict(status)
        state.setdefault("accountId", account)
        return state
    return {
        "accountId": account,
        "state": _state(status),
        "resourceState": {kind: _state(status) for kind in _RESOURCE_KINDS},
    }


def _default_configuration(mode: str = "EC2_HYBRID") -> dict[str, Any]:
    return {
        "ec2Configuration": {"scanModeState": {"scanMode": mode, "scanModeStatus": "SUCCESS"}},
        "ecrConfiguration": {
            "rescanDurationState": {"rescanDuration": "LIFETIME", "status": "SUCCESS"}
        },
    }


def _default_deep_inspection() -> dict[str, Any]:
    return {"status": "ACTIVATED", "packagePaths": [], "orgPackagePaths": []}


class LoopbackDataset:
    """The data a [`LoopbackInspector`][inspector_kit.testing.LoopbackInspector] serves (immutable).

    Findings are regional (the region comes from each finding's ARN,
    ``arn:aws:inspector2:<region>:<account>:finding/<id>``); so are coverage records,
    configuration, deep inspection configuration, account status and usage, all keyed by
    ``(account, region)``. Members are the delegated administrator's view (every region).

    Build one with [`sample`][inspector_kit.testing.LoopbackDataset.sample],
    [`from_findings`][inspector_kit.testing.LoopbackDataset.from_findings],
    [`synthetic`][inspector_kit.testing.LoopbackDataset.synthetic] or
    [`replicated`][inspector_kit.testing.LoopbackDataset.replicated]; the constructor itself is
    internal.

    Examples:
        >>> ds = LoopbackDataset.sample()
        >>> len(ds), ds.regions
        (274, ('ap-northeast-1', 'eu-west-1', 'us-east-1'))
        >>> ds.administrator_account_id
        '123456789012'
    """

    def __init__(
        self,
        *,
        templates: list[_Template],
        row_template: list[int],
        row_arn: list[str],
        coverage: Mapping[str, list[_Record]],
        configurations: Mapping[AccountRegion, dict[str, Any]],
        deep_inspection: Mapping[AccountRegion, dict[str, Any]],
        account_status: Mapping[AccountRegion, dict[str, Any]],
        usage_totals: Mapping[AccountRegion, list[dict[str, Any]]],
        members: Sequence[dict[str, Any]],
        administrator_account_id: str | None,
        amis: Mapping[AccountRegion, Sequence[str]] | None = None,
        on_demand_scans: Mapping[AccountRegion, Sequence[dict[str, Any]]] | None = None,
        on_demand_failures: Mapping[str, str] | None = None,
        free_trials: Mapping[AccountRegion, list[dict[str, Any]]] | None = None,  # --- cost ---
    ) -> None:
        self._templates = templates
        self._row_template = row_template
        self._row_arn = row_arn
        self._coverage = dict(coverage)
        self._configurations = dict(configurations)
        self._deep_inspection = dict(deep_inspection)
        self._account_status = dict(account_status)
        self._usage_totals = dict(usage_totals)
        self._members = list(members)
        self._amis = None if amis is None else {p: tuple(v) for p, v in amis.items()}
        self._on_demand_scans = {p: list(v) for p, v in (on_demand_scans or {}).items()}
        self._on_demand_failures = dict(on_demand_failures or {})
        self._free_trials = dict(free_trials or {})  # --- cost: BatchGetFreeTrialInfo ---
        self._by_region: dict[str, list[int]] = {}
        self._arn_index: dict[str, int] = {}
        for row, arn in enumerate(row_arn):
            if arn in self._arn_index:
                raise DatasetError(f"duplicate findingArn {arn!r}")
            self._arn_index[arn] = row
            region = templates[row_template[row]].region
            self._by_region.setdefault(region, []).append(row)
        accounts = {t.account for t in templates}
        accounts.update(r.account for records in self._coverage.values() for r in records)
        for part in (configurations, deep_inspection, account_status, usage_totals):
            accounts.update(account for account, _ in part)
        accounts.update(str(m["accountId"]) for m in self._members if m.get("accountId"))
        regions = set(self._by_region) | set(self._coverage)
        for part in (configurations, deep_inspection, account_status, usage_totals):
            regions.update(region for _, region in part)
        accounts.update(account for account, _ in self._free_trials)  # --- cost ---
        if administrator_account_id is not None:
            accounts.add(administrator_account_id)
        accounts.discard("")
        self._accounts = tuple(sorted(accounts))
        self._regions = tuple(sorted(regions))
        self._administrator = administrator_account_id

    # ------------------------------------------------------------------ constructors

    @classmethod
    def sample(cls) -> LoopbackDataset:
        """The bundled sample estate, every part read through ``inspector_kit.sample``.

        Nothing is derived here: ``scripts/make_sample_estate.py`` writes each part from
        the estate's inventory (``resources.json``) into ``coverage.json``,
        ``settings.json``, ``usage.json``, ``kev.json`` and ``finding_details.json``. The
        one thing added at load time is each usage line's ``estimatedMonthlyCost``, priced
        from the bundled price table
        ([`PriceTable.bundled`][inspector_kit.pricing.PriceTable.bundled]).

        * findings: the 274 findings of ``findings.jsonl``;
        * coverage (``ListCoverage``): one record per EC2 instance (scanType ``PACKAGE``,
          ``scanMode`` from ``expected_scan_mode``, ``scanStatus`` ACTIVE when the
          ``expected_coverage_reason`` is ``SUCCESSFUL`` or ``PENDING_INITIAL_SCAN``, else
          INACTIVE with that reason; ``lastScannedAt`` on scanned instances = the newest
          ``lastObservedAt`` of its findings, or an hour before ``as_of`` for one without
          findings, and none while the first scan is pending; ``resourceMetadata.ec2``
          tags, AMI and platform ``LINUX``, ``WINDOWS`` or ``MACOS`` from ``os_family``);
          one per ECR image and one per ECR repository; one ``PACKAGE`` and (when code
          scanning is on) one ``CODE`` record per Lambda function; one ``MACHINE_IMAGE``
          record per AMI that continuous AMI scanning covers;
        * configuration: the EC2 scan mode of each account and region from
          ``accounts[].ec2_scan_mode_by_region`` (``EC2_HYBRID`` everywhere but
          ``EC2_SSM_AGENT_BASED`` for 111122223333 in us-east-1; status SUCCESSFUL), the VM
          scanner (``vmScannerState``) activated for 444455556666 in eu-west-1, continuous
          AMI scanning (``amiConfiguration``) for 123456789012 in us-east-1; deep
          inspection ACTIVATED with no custom paths; every account ENABLED (ec2, ecr, lambda,
          lambdaCode) in the estate's three regions;
        * machine images: the AMIs the instances run (their coverage records' ``amiId``)
          and the estate's own AMIs (``sample_machine_images()``), each owned by its
          account; their past on-demand scans (``ListOnDemandScans``); a new scan of an AMI
          whose last scan failed fails with the same reason;
        * usage totals (last 30 days, per account and region): ``EC2_INSTANCE_HOURS`` = the
          hours running agent-based instances ran in the 30 days (720 for one that ran all
          month), ``EC2_AGENTLESS_INSTANCE_HOURS`` likewise for agentless instances
          (stopped, excluded, unsupported and unscanned instances count 0),
          ``ECR_INITIAL_SCAN`` = images pushed in the 30 days, ``ECR_RESCAN`` = 4 x images
          in use during the 30 days (one rescan a week, our convention),
          ``LAMBDA_FUNCTION_HOURS`` = 720 x functions, ``LAMBDA_FUNCTION_CODE_HOURS`` = 720
          x functions with code scanning; ``estimatedMonthlyCost`` only where the bundled
          price table has a price (EC2 in us-east-1 and ap-northeast-1; ECR and Lambda in
          us-east-1), usage / 720 hours x price for hourly items, scans x price for ECR;
        * members: the two other accounts, ENABLED, administered by ``123456789012``
          (acme-shared), which is the delegated administrator;
        * finding details: for each finding with a CVE id, its ``epssScore`` and
          ``referenceUrls``; ``exploitObserved`` when an exploit is known; ``cisaData`` for
          the CVEs in CISA's KEV catalogue (illustrative dates).

        Examples:
            >>> ds = LoopbackDataset.sample()
            >>> sorted({r["resourceType"] for r in ds.coverage_records()})
            ['AWS_EC2_INSTANCE', 'AWS_ECR_CONTAINER_IMAGE', 'AWS_ECR_REPOSITORY',
             'AWS_LAMBDA_FUNCTION', 'MACHINE_IMAGE']
        """
        return _sample()

    @classmethod
    def from_findings(
        cls,
        findings: Iterable[Finding | Mapping[str, Any]],
        *,
        coverage: Mapping[str, Iterable[Mapping[str, Any]]] | None = None,
        configurations: Mapping[AccountRegion, Mapping[str, Any]] | None = None,
        deep_inspection: Mapping[AccountRegion, Mapping[str, Any]] | None = None,
        account_status: Mapping[AccountRegion, str | Mapping[str, Any]] | None = None,
        usage_totals: Mapping[AccountRegion, Iterable[Mapping[str, Any]]] | None = None,
        members: Iterable[Mapping[str, Any]] | None = None,
        finding_details: Mapping[str, Mapping[str, Any]] | None = None,
        administrator_account_id: str | None = None,
        free_trials: Mapping[AccountRegion, Iterable[Mapping[str, Any]]] | None = None,
    ) -> LoopbackDataset:
        """A dataset of your findings, plus whatever other parts you give.

        Args:
            findings: ``Finding`` objects or API payload dicts (any timestamp form).
            coverage: ``CoveredResource`` payloads per region.
            configurations: ``GetConfiguration`` responses per ``(account, region)``.
                Every (account, region) holding findings or coverage defaults to
                ``EC2_HYBRID``; entries given here replace those defaults.
            deep_inspection: ``GetEc2DeepInspectionConfiguration`` responses per
                ``(account, region)`` (default: ACTIVATED, no custom paths).
            account_status: an ``AccountState`` payload, or just a status such as
                ``"DISABLED"``, per ``(account, region)`` (default: ENABLED).
            usage_totals: ``Usage`` payloads per ``(account, region)`` (default: none).
            members: ``Member`` payloads for ``ListMembers``.
            finding_details: ``FindingDetail`` payloads per findingArn.
            administrator_account_id: the account an unmapped access key acts as (see
                [`LoopbackInspector`][inspector_kit.testing.LoopbackInspector]).
            free_trials: ``FreeTrialInfo`` payloads per ``(account, region)`` for
                ``BatchGetFreeTrialInfo`` (default: none; a known account gets an empty list).

        Examples:
            >>> from inspector_kit.testing import finding_payload
            >>> ds = LoopbackDataset.from_findings([finding_payload()],
            ...     account_status={("111122223333", "us-east-1"): "DISABLED"})
            >>> len(ds), ds.regions, ds.accounts
            (1, ('eu-west-1', 'us-east-1'), ('111122223333',))
        """
        details = dict(finding_details or {})
        templates: list[_Template] = []
        arns: list[str] = []
        finding_shape = _service.shape("Finding")
        for item in findings:
            payload = item.to_api() if isinstance(item, Finding) else item
            wire = _service.to_wire(finding_shape, payload)
            arn, template = _template(wire, details.get(str(payload.get("findingArn"))))
            arns.append(arn)
            templates.append(template)
        records: dict[str, list[_Record]] = {}
        covered_shape = _service.shape("CoveredResource")
        for region, items in (coverage or {}).items():
            records[region] = [_Record(_service.to_wire(covered_shape, r)) for r in items]
        pairs = {(t.account, t.region) for t in templates}
        pairs.update((r.account, region) for region, rs in records.items() for r in rs)
        pairs.discard(("", ""))
        config_shape = _service.shape("GetConfigurationResponse")
        deep_shape = _service.shape("GetEc2DeepInspectionConfigurationResponse")
        state_shape = _service.shape("AccountState")
        usage_shape = _service.shape("Usage")
        member_shape = _service.shape("Member")
        configs = {pair: _default_configuration() for pair in pairs}
        configs.update({pair: dict(value) for pair, value in (configurations or {}).items()})
        deep = {pair: _default_deep_inspection() for pair in pairs}
        deep.update({pair: dict(value) for pair, value in (deep_inspection or {}).items()})
        states = {pair: _account_state(pair[0], "ENABLED") for pair in pairs}
        states.update(
            {pair: _account_state(pair[0], value) for pair, value in (account_status or {}).items()}
        )
        return cls(
            templates=templates,
            row_template=list(range(len(templates))),
            row_arn=arns,
            coverage=records,
            configurations={p: _service.to_wire(config_shape, v) for p, v in configs.items()},
            deep_inspection={p: _service.to_wire(deep_shape, v) for p, v in deep.items()},
            account_status={p: _service.to_wire(state_shape, v) for p, v in states.items()},
            usage_totals={
                p: [_service.to_wire(usage_shape, u) for u in v]
                for p, v in (usage_totals or {}).items()
            },
            members=[_service.to_wire(member_shape, m) for m in members or ()],
            administrator_account_id=administrator_account_id,
            free_trials={  # --- cost ---
                p: [_service.to_wire(_service.shape("FreeTrialInfo"), t) for t in v]
                for p, v in (free_trials or {}).items()
            },
        )

    @classmethod
    def synthetic(cls, n: int, *, regions: Sequence[str] | None = None) -> LoopbackDataset:
        """``n`` findings cloned from the sample estate: ``sample().replicated(n, regions=...)``.

        Examples:
            >>> ds = LoopbackDataset.synthetic(1000, regions=["us-east-1", "us-west-2"])
            >>> len(ds), ds.regions
            (1000, ('ap-northeast-1', 'eu-west-1', 'us-east-1', 'us-west-2'))
            >>> len(ds.finding_arns("us-west-2"))
            500
        """
        return cls.sample().replicated(n, regions=regions)

    def replicated(self, n: int, *, regions: Sequence[str] | None = None) -> LoopbackDataset:
        """A dataset of ``n`` clones of this dataset's findings, spread over ``regions``.

        Clone ``i`` copies finding ``i % len(self)`` with a fresh, unique, deterministic ARN
        (``.../finding/c10e...``) in region ``regions[(i + i // len(self)) % len(regions)]``
        (default: this dataset's regions). A clone moved to another region has that region
        in its ARN, its resources' ``region`` and the resource ARNs. Coverage, usage and
        members are kept as they are; configuration, deep inspection and account status are
        copied to the new regions from each account's existing entries.

        Each distinct (finding, region) body is serialised once; building 100,000 findings
        takes well under a second.

        Examples:
            >>> big = LoopbackDataset.sample().replicated(3000)
            >>> len(big), len(set(big.finding_arns()))
            (3000, 3000)
        """
        if n < 0:
            raise DatasetError(f"n must not be negative, got {n}")
        if not self._row_arn:
            raise DatasetError("cannot replicate a dataset without findings")
        targets = tuple(regions) if regions else self.regions
        source_rows = len(self._row_arn)
        variants: dict[tuple[int, str], int] = {}
        templates: list[_Template] = []
        row_template: list[int] = []
        row_arn: list[str] = []
        for i in range(n):
            source = self._templates[self._row_template[i % source_rows]]
            region = targets[(i + i // source_rows) % len(targets)]
            key = (self._row_template[i % source_rows], region)
            index = variants.get(key)
            if index is None:
                index = variants[key] = len(templates)
                templates.append(_rehome(source, region))
            row_template.append(index)
            row_arn.append(f"arn:aws:inspector2:{region}:{source.account}:finding/c10e{i:028x}")
        return LoopbackDataset(
            templates=templates,
            row_template=row_template,
            row_arn=row_arn,
            coverage=self._coverage,
            configurations=_spread(self._configurations, targets),
            deep_inspection=_spread(self._deep_inspection, targets),
            account_status=_spread(self._account_status, targets),
            usage_totals=self._usage_totals,
            members=self._members,
            administrator_account_id=self._administrator,
            amis=self._amis,
            on_demand_scans=self._on_demand_scans,
            on_demand_failures=self._on_demand_failures,
            free_trials=self._free_trials,  # --- cost ---
        )

    def with_on_demand(
        self,
        *,
        amis: Mapping[AccountRegion, Iterable[str]] | None = None,
        scans: Iterable[OnDemandScan | Mapping[str, Any]] = (),
        account: str | None = None,
        failures: Mapping[str, str] | None = None,
        ami_configuration: Mapping[str, Any] | None = None,
    ) -> LoopbackDataset:
        """A copy with machine images (AMIs), on-demand scan history and AMI settings.

        Args:
            amis: The AMIs each ``(account, region)`` owns, replacing the default: the AMIs
                the coverage records' ``resourceMetadata.ec2.amiId`` name. Only owned AMIs
                can be scanned (``StartOnDemandScan`` of another is ``AccessDeniedException``).
            scans: Past on-demand scans (``OnDemandScan`` models, each with its ``region``,
                or payloads with a ``region`` key), served by ``ListOnDemandScans`` and
                ``GetOnDemandScanStatus``.
            account: The account those scans belong to (default: the administrator's).
            failures: AMI id -> ``OnDemandScanStatusReason``: scans of that AMI end FAILED
                with that reason (all others end SUCCESSFUL).
            ami_configuration: An ``AmiConfigurationState`` payload added to every
                ``GetConfiguration`` answer as ``amiConfiguration``.

        Raises:
            DatasetError: a scan without a region, or no account to put scans in.

        Examples:
            >>> ds = LoopbackDataset.sample().with_on_demand(
            ...     amis={("123456789012", "us-east-1"): ["ami-0abcdef1234567890"]},
            ...     failures={"ami-0abcdef1234567890": "UNSUPPORTED_OS"})
            >>> ds.amis("us-east-1")
            ['ami-0abcdef1234567890']
        """
        owner = account if account is not None else self.caller_account()
        history = {p: list(v) for p, v in self._on_demand_scans.items()}
        scan_shape = _service.shape("OnDemandScan")
        for scan in scans:
            payload = dict(scan.to_api()) if isinstance(scan, OnDemandScan) else dict(scan)
            region = scan.region if isinstance(scan, OnDemandScan) else payload.pop("region", None)
            if not region or owner is None:
                raise DatasetError(f"an on-demand scan needs a region and an account: {payload!r}")
            history.setdefault((owner, str(region)), []).append(
                _service.to_wire(scan_shape, payload)
            )
        configurations = dict(self._configurations)
        if ami_configuration is not None:
            ami_shape = _service.shape("AmiConfigurationState")
            wire = _service.to_wire(ami_shape, dict(ami_configuration))
            configurations = {
                pair: {**value, "amiConfiguration": copy.deepcopy(wire)}
                for pair, value in configurations.items()
            }
        failed = dict(self._on_demand_failures)
        failed.update(failures or {})
        return LoopbackDataset(
            templates=self._templates,
            row_template=self._row_template,
            row_arn=self._row_arn,
            coverage=self._coverage,
            configurations=configurations,
            deep_inspection=self._deep_inspection,
            account_status=self._account_status,
            usage_totals=self._usage_totals,
            members=self._members,
            administrator_account_id=self._administrator,
            amis=self._amis if amis is None else {p: tuple(v) for p, v in amis.items()},
            on_demand_scans=history,
            on_demand_failures=failed,
            free_trials=self._free_trials,  # --- cost ---
        )

    # ------------------------------------------------------------------ reading

    def __len__(self) -> int:
        return len(self._row_arn)

    def __repr__(self) -> str:
        return (
            f"<LoopbackDataset {len(self)} findings, {len(self._accounts)} accounts, "
            f"regions {list(self._regions)}>"
        )

    @property
    def regions(self) -> tuple[str, ...]:
        """Every region with findings, coverage, configuration or status (sorted)."""
        return self._regions

    @property
    def accounts(self) -> tuple[str, ...]:
        """Every account the dataset knows (sorted)."""
        return self._accounts

    @property
    def administrator_account_id(self) -> str | None:
        """The delegated administrator's account, as given (``None``: not set)."""
        return self._administrator

    def finding_arns(self, region: str | None = None) -> list[str]:
        """The findings' ARNs in dataset order, in one region or all.

        Examples:
            >>> len(LoopbackDataset.sample().finding_arns("eu-west-1"))
            85
        """
        if region is None:
            return list(self._row_arn)
        return [self._row_arn[row] for row in self._by_region.get(region, ())]

    def finding_payloads(self, region: str | None = None) -> Iterator[dict[str, Any]]:
        """The findings in wire form (timestamps as epoch seconds), in dataset order.

        Examples:
            >>> first = next(LoopbackDataset.sample().finding_payloads("us-east-1"))
            >>> type(first["firstObservedAt"]).__name__
            'float'
        """
        rows = range(len(self._row_arn)) if region is None else self._by_region.get(region, [])
        for row in rows:
            yield json.loads(self.finding_text(row))

    def coverage_records(self, region: str | None = None) -> list[dict[str, Any]]:
        """The coverage records (``CoveredResource``, wire form), in one region or all."""
        regions = self._regions if region is None else (region,)
        return [json.loads(r.text) for name in regions for r in self._coverage.get(name, ())]

    def configurations(self) -> dict[AccountRegion, dict[str, Any]]:
        """``GetConfiguration`` responses (wire form) per ``(account, region)``; a copy.

        Examples:
            >>> configs = LoopbackDataset.sample().configurations()
            >>> configs[("111122223333", "us-east-1")]["ec2Configuration"]["scanModeState"]
            {'scanMode': 'EC2_SSM_AGENT_BASED', 'scanModeStatus': 'SUCCESS'}
        """
        return {pair: copy.deepcopy(value) for pair, value in self._configurations.items()}

    def deep_inspection_configurations(self) -> dict[AccountRegion, dict[str, Any]]:
        """``GetEc2DeepInspectionConfiguration`` responses per ``(account, region)``; a copy.

        Examples:
            >>> deep = LoopbackDataset.sample().deep_inspection_configurations()
            >>> deep[("444455556666", "eu-west-1")]["status"]
            'ACTIVATED'
        """
        return {pair: copy.deepcopy(value) for pair, value in self._deep_inspection.items()}

    def amis(self, region: str | None = None) -> list[str]:
        """The machine images (AMI ids) the dataset's accounts own, sorted, in one region or all.

        By default the AMIs the EC2 coverage records name (``resourceMetadata.ec2.amiId``);
        [`with_on_demand`][inspector_kit.testing.LoopbackDataset.with_on_demand] replaces them.

        Examples:
            >>> len(LoopbackDataset.sample().amis("us-east-1")) > 0
            True
        """
        return sorted(
            {ami for (_, r), ids in self.ami_owners().items() if region in (None, r) for ami in ids}
        )

    def ami_owners(self) -> dict[AccountRegion, tuple[str, ...]]:
        """The AMIs per ``(account, region)`` (see ``amis``); a copy."""
        if self._amis is None:
            found: dict[AccountRegion, set[str]] = {}
            for region, records in self._coverage.items():
                for record in records:
                    wire = json.loads(record.text)
                    ec2 = (wire.get("resourceMetadata") or {}).get("ec2") or {}
                    if isinstance(ec2.get("amiId"), str):
                        found.setdefault((record.account, region), set()).add(ec2["amiId"])
            self._amis = {pair: tuple(sorted(ids)) for pair, ids in found.items()}
        return dict(self._amis)

    def on_demand_scans(self) -> dict[AccountRegion, list[dict[str, Any]]]:
        """The past on-demand scans (wire form) per ``(account, region)``; a copy."""
        return {pair: copy.deepcopy(scans) for pair, scans in self._on_demand_scans.items()}

    def on_demand_failure(self, ami: str) -> str | None:
        """The ``OnDemandScanStatusReason`` a scan of ``ami`` fails with (``None``: it succeeds)."""
        return self._on_demand_failures.get(ami)

    # ------------------------------------------------------------------ for the server

    def finding_text(self, row: int) -> str:
        """The wire JSON text of finding ``row`` (internal, used to build pages)."""
        return (
            '{"findingArn":"'
            + self._row_arn[row]
            + '"'
            + self._templates[self._row_template[row]].rest
        )

    def caller_account(self) -> str | None:
        """The account an unmapped (administrator) access key acts as."""
        if self._administrator is not None:
            return self._administrator
        return self._accounts[0] if self._accounts else None


def _rehome(source: _Template, region: str) -> _Template:
    if source.region == region:
        return source
    rest = source.rest.replace(f":{source.region}:", f":{region}:").replace(
        f'"region":"{source.region}"', f'"region":"{region}"'
    )
    wire = json.loads('{"findingArn":"x"' + rest)
    return _Template(rest, finding_features(wire), source.account, region, source.details)


def _spread(part: Mapping[AccountRegion, Any], regions: Sequence[str]) -> dict[AccountRegion, Any]:
    out = dict(part)
    first: dict[str, Any] = {}
    for (account, _), value in sorted(part.items()):
        first.setdefault(account, value)
    for account, value in first.items():
        for region in regions:
            out.setdefault((account, region), value)
    return out


# ----------------------------------------------------------------------------- the sample

# ListUsageTotals usage types and the bundled price table's items. Regions or items the
# table has no price for get no estimatedMonthlyCost: the loopback never invents a price.
_USAGE_ITEMS = {
    "EC2_INSTANCE_HOURS": UsageItem.EC2_AGENT_BASED,
    "EC2_AGENTLESS_INSTANCE_HOURS": UsageItem.EC2_AGENTLESS,
    "ECR_INITIAL_SCAN": UsageItem.ECR_INITIAL_SCAN,
    "ECR_RESCAN": UsageItem.ECR_RESCAN,
    "LAMBDA_FUNCTION_HOURS": UsageItem.LAMBDA_STANDARD,
    "LAMBDA_FUNCTION_CODE_HOURS": UsageItem.LAMBDA_CODE,
}


def _priced(
    usage: Mapping[AccountRegion, Sequence[Mapping[str, Any]]], table: PriceTable
) -> dict[AccountRegion, list[dict[str, Any]]]:
    """Usage totals with ``estimatedMonthlyCost`` from ``table`` where it has the price."""
    out: dict[AccountRegion, list[dict[str, Any]]] = {}
    for (account, region), items in usage.items():
        priced = []
        for raw in items:
            item = dict(raw)
            usage_item = _USAGE_ITEMS.get(str(item["type"]))
            price = None if usage_item is None else table.get(region, usage_item)
            if usage_item is not None and price is not None:
                total = float(item["total"])
                per_unit = total / float(HOURS_PER_MONTH) if usage_item.hourly else total
                item["estimatedMonthlyCost"] = round(per_unit * float(price.amount), 4)
            priced.append(item)
        out[(account, region)] = priced
    return out


@cache
def _sample() -> LoopbackDataset:
    settings = sample_settings()
    pairs = sorted(settings.configurations)
    dataset = LoopbackDataset.from_findings(
        sample_finding_payloads(),
        coverage=sample_coverage_records(),
        configurations=settings.configurations,
        deep_inspection=settings.deep_inspection,
        account_status={pair: settings.account_status[pair] for pair in pairs},
        usage_totals=_priced(sample_usage_totals(), PriceTable.bundled()),
        members=settings.members,
        finding_details=sample_finding_details(),
        administrator_account_id=settings.administrator_account_id,
    )
    # Machine images: the instances' AMIs (from the coverage records) and the estate's own
    # AMIs; their past on-demand scans; a new scan of an AMI whose last one failed fails alike.
    images = sample_machine_images()
    amis = {pair: set(ids) for pair, ids in dataset.ami_owners().items()}
    for image in images:
        amis.setdefault((image["account"], image["region"]), set()).add(image["image_id"])
    failures = {
        image["image_id"]: image["on_demand_scan"]["reason"]
        for image in images
        if image.get("on_demand_scan") and image["on_demand_scan"]["status"] == "FAILED"
    }
    dataset = dataset.with_on_demand(
        amis={pair: sorted(ids) for pair, ids in amis.items()}, failures=failures
    )
    for (account, region), scans in sorted(sample_on_demand_scans().items()):
        dataset = dataset.with_on_demand(
            scans=[{**scan, "region": region} for scan in scans], account=account
        )
    return dataset
