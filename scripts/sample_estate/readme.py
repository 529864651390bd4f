"""Rendering of the estate's ``README.md`` (counts, conventions, sources)."""

from __future__ import annotations

from collections import Counter

from .catalogue import DISTROS
from .common import ADJUSTMENT_METRIC, ADJUSTMENT_REASON, JSON, SEED
from .vulns import VENDOR_CVSS, VULNS, Cvss

# --------------------------------------------------------------------------------------
# README
# --------------------------------------------------------------------------------------


def table(title: str, counter: Counter[str]) -> str:
    rows = "\n".join(f"| {k} | {v} |" for k, v in sorted(counter.items()))
    return f"| {title} | findings |\n|---|---|\n{rows}\n"


def readme(findings: list[JSON], resources: JSON, reviews: str = "") -> str:
    """The README; ``reviews`` is the review log's section (``reviews.readme_section``)."""
    by = {
        "type": Counter(f["type"] for f in findings),
        "resource type": Counter(f["resources"][0]["type"] for f in findings),
        "region": Counter(f["resources"][0]["region"] for f in findings),
        "account": Counter(f["awsAccountId"] for f in findings),
        "status": Counter(f["status"] for f in findings),
        "severity": Counter(f["severity"] for f in findings),
    }
    adjusted = sum(
        1
        for f in findings
        if f.get("inspectorScoreDetails", {}).get("adjustedCvss", {}).get("adjustments")
    )
    managers = Counter(
        p["packageManager"]
        for f in findings
        for p in f.get("packageVulnerabilityDetails", {}).get("vulnerablePackages", [])
    )
    manager_list = ", ".join(f"{k} ({v})" for k, v in sorted(managers.items()))
    vuln_ids = sorted(
        {
            f["packageVulnerabilityDetails"]["vulnerabilityId"]
            for f in findings
            if f["type"] == "PACKAGE_VULNERABILITY"
        }
    )
    cve_rows = "\n".join(
        f"| {v.vuln_id} | {', '.join(f'{c.source} {c.base}' for c in v.scores) or '-'} | "
        f"{v.verified_by} |"
        for v in sorted(VULNS.values(), key=lambda v: v.vuln_id)
    )
    vendor_rows = "\n".join(
        f"| {cve} | {src} | {Cvss(src, vec).base} | `{vec}` |"
        for (cve, src), vec in sorted(VENDOR_CVSS.items())
    )
    platform_rows = "\n".join(
        f"| `{d.platform}` | {d.platform_confirmed} |"
        for d in sorted(DISTROS.values(), key=lambda d: d.platform)
    )
    ec2 = resources["ec2_instances"]
    inst_rows = "\n".join(
        f"| {i['name']} | {i['account']} | {i['region']} | `{i['platform']}` | "
        f"{i['internet_exposure']} | {i['expected_scan_mode'] or '-'} | "
        f"{i['expected_coverage_reason']} | {i['expected_status']} | {i['expected_method']} |"
        for i in ec2
    )
    inst_header = (
        "| name | account | region | platform | exposure | coverage scan mode | "
        "coverage reason | expected status | expected method |\n" + "|---" * 9 + "|"
    )
    scenarios = [i for i in ec2 if i["scenario"]]
    scenario_rows = "\n".join(
        f"| {i['name']} | {i['instance_id']} | {i['account']} | {i['region']} | "
        f"{i['scenario']} | {i['expected_status']} | {i['expected_method']} |"
        for i in scenarios
    )
    statuses = Counter(i["expected_status"] for i in ec2)
    status_list = ", ".join(f"{k} {v}" for k, v in sorted(statuses.items()))
    mode_rows = "\n".join(
        f"| {a['account_id']} ({a['alias']}) | "
        + " | ".join(f"`{a['ec2_scan_mode_by_region'][r]}`" for r in resources["regions"])
        + " |"
        for a in resources["accounts"]
    )
    vm_rows = "\n".join(
        f"| {a['account_id']} ({a['alias']}) | {r} | {v['activatedAt']} |"
        for a in resources["accounts"]
        for r, v in sorted((a.get("vm_scanner_by_region") or {}).items())
    )
    amis = resources.get("machine_images") or []
    ami_rows = "\n".join(
        f"| {m['name']} | {m['image_id']} | {m['account']} | {m['region']} | {m['platform']} | "
        f"{m['creation_date'][:10]} | {'yes' if m['expected_continuous_scan'] else 'no'} | "
        + (
            f"{m['on_demand_scan']['status']}"
            + (f" ({m['on_demand_scan']['reason']})" if m["on_demand_scan"]["reason"] else "")
            if m["on_demand_scan"]
            else "-"
        )
        + " |"
        for m in amis
    )
    ami_settings = "\n".join(
        f"| {a['account_id']} ({a['alias']}) | {r} | {v['scanModeConfiguration']['scanMode']} | "
        f"{v['createdWithin']} |"
        for a in resources["accounts"]
        for r, v in sorted((a.get("ami_scanning_by_region") or {}).items())
    )
    mode_header = " | ".join(resources["regions"])
    mode_rule = "|".join("---" for _ in resources["regions"])
    counts = "\n".join(table(k, c) for k, c in by.items())
    return f"""# Sample estate: SYNTHETIC Amazon Inspector data

**Everything in this directory is synthetic.** The AWS accounts (AWS documentation-style
ids), instance/image/function ids, IP addresses (RFC 5737 documentation ranges), package
inventories, statuses and timestamps are made up. The CVE ids and their CVSS vectors are
real public data, used for realism; every score is computed from its vector with the
`cvss` package. EPSS values are illustrative, not the live FIRST scores.

The data was generated by `scripts/make_sample_estate.py` (seed {SEED}) and is
byte-for-byte reproducible. Do not edit these files by hand: change the script and run
`python scripts/make_sample_estate.py`; `python scripts/make_sample_estate.py --check`
fails when the committed files are stale.

"Today" for this estate is 2026-11-22. Every observation, scan and inventory date lies
between 2026-05-01 and 2026-11-21. The one deliberate exception is
`packageVulnerabilityDetails.vendorCreatedAt`, which carries each CVE's real publication
date.

## Files

- `findings.jsonl`: {len(findings)} Inspector findings, one JSON object per line, in the
  botocore `Finding` shape (camelCase, `remediation.recommendation.Url` with a capital U,
  timestamps as ISO-8601 UTC strings with milliseconds and `Z`).
- `resources.json`: the inventory the findings were generated from:
  {len(resources["accounts"])} accounts, {len(resources["regions"])} regions,
  {len(ec2)} EC2 instances, {len(resources["ecr_images"])} ECR images,
  {len(resources["lambda_functions"])} Lambda functions, with the facts a coverage or cost
  analysis needs (SSM status, expected scan mode, volumes, filesystem, exposure, state, tags;
  see "EC2 instances" below).
- `coverage.json`: the `ListCoverage` records Inspector would return for that inventory,
  per region (restated from the expectation table, not derived by the library).
- `settings.json`: the scan configuration, deep-inspection settings, account status,
  members and delegated administrator of each account and region.
- `usage.json`: usage quantities per account, region and type, unpriced (the loopback
  prices them from the bundled price table).
- `kev.json`: illustrative CISA Known Exploited Vulnerabilities entries (date added, due
  date) for the sample's CVEs; written for the sample, not fetched.
- `finding_details.json`: what `BatchGetFindingDetails` returns for the findings.
- `reviews.jsonl`: the review log of the team running the estate (see "Review log").
- `README.md`: this file (also generated).

## Counts

{counts}
{adjusted} package findings on EC2 instances without an internet path carry an
attack-vector adjustment. Package managers seen: {manager_list}.
Distinct vulnerability ids in package findings: {len(vuln_ids)}.

## EC2 instances

{inst_header}
{inst_rows}

Expected statuses: {status_list}.

`excluded-15` (tag `InspectorEc2Exclusion`), `stopped-16` (stopped) and `archive-17`
(unmanaged, 9 volumes / 1500 GiB: agentless-ineligible) have no findings.

### EC2 scan mode per account and region

| account | {mode_header} |
|---|{mode_rule}|
{mode_rows}

`accounts[].ec2_scan_mode` is each account's usual mode; `accounts[].ec2_scan_mode_by_region`
is authoritative (acme-prod runs agent-based only in us-east-1, where every instance it
has is SSM-managed except `reports-unmanaged-18`).

### Enhanced EC2 Scanning (the Inspector VM Scanner)

Accounts and regions that activated it (`GetConfiguration`'s
`ec2Configuration.vmScannerState`, status `SUCCESS`):

| account | region | activated at |
|---|---|---|
{vm_rows}

There Inspector installs and manages the VM scanner through SSM on the managed instances, and
coverage reports them `EC2_INSPECTOR_AGENT_BASED`. A scanner installed by hand
(`vm_scanner: "manual"`, `ops-manual-30`) is agent-based scanning that needs no SSM, in any
region (docs/facts.md#vm-scanner).

### Coverage scenarios

{len(scenarios)} instances exist to exercise every coverage status and every scan method. They
have **no findings** (nothing else in the estate changed when they were added: their ids and
dates come from their own random stream, drawn after the original one).

| name | instance id | account | region | scenario | expected status | expected method |
|---|---|---|---|---|---|---|
{scenario_rows}

### Per-instance fields

- `ssm`: what Systems Manager reports, or `null` when SSM does not manage the instance:
  `managed`, `ping_status`, `platform_name` and `platform_version` (SSM's `PlatformName` /
  `PlatformVersion`, e.g. `Ubuntu` / `22.04`), `last_inventory_at` (inventory runs every 30
  minutes while the agent answers; older than 7 days is stale), `agent_version`.
  `ssm_managed` and `ssm_ping_status` repeat `ssm.managed` and `ssm.ping_status`.
- `os_name` / `os_version`: the OS in SSM's naming, also for unmanaged instances (where an
  inventory would infer it from the AMI).
- `volumes`: the attached EBS volumes (`volume_id`, `size_gib`, `filesystem`), root volume
  first; `volume_count`, `total_volume_gib` and `filesystem` summarise them.
  `root_device_type` is `ebs` or `instance-store` (`scratch-nvme-20` boots from an instance
  store and has one EBS data volume).
- `expected_scan_mode` / `expected_coverage_reason`: what Inspector's coverage
  (`ListCoverage`) reports: `scanMode` and `scanStatus.reason`.
- `expected_status` / `expected_method`: what a coverage analysis should conclude (docs/facts.md#ec2
  rules, applied in order): STOPPED (not running), EXCLUDED (tag
  `InspectorEc2Exclusion`), UNSUPPORTED (OS not supported), then VM_SCANNER (COVERED,
  scan mode `EC2_INSPECTOR_AGENT_BASED`) when the VM scanner was installed by hand, or when the
  region activated Enhanced EC2 Scanning and SSM manages the instance with fresh inventory;
  then AGENT_BASED when SSM manages
  the instance, its agent is Online and its inventory is at most 7 days old (PENDING when
  launched in the last 24 hours and not scanned yet, else COVERED); else, in `EC2_HYBRID`
  regions only, AGENTLESS (COVERED) when it is Linux, EBS-backed, ext3/ext4/xfs, with fewer
  than 8 volumes and at most 1200 GiB; else NOT_COVERED. The method is NONE whenever nothing
  scans the instance.
- `vm_scanner`: `"manual"` when the Inspector VM Scanner was installed by hand on the
  instance, else `null`.
- `scenario`: what a coverage-scenario instance demonstrates (`null` for the others).

Coverage reasons that are **our convention**: an unmanaged instance that agentless scanning
cannot read for a reason other than storage (instance-store root, btrfs, macOS/Windows) is
reported `UNMANAGED_EC2_INSTANCE`; Inspector publishes no more specific reason. SSM's
`platform_name` for macOS (`macOS`) and SLES (`SLES`), and the platform strings of the
scenario-only operating systems (`CENTOS_7`, `SLES_15_7`, `WINDOWS_SERVER_2012_R2`,
`MACOS_14`), are UNCONFIRMED. `stopped-16` keeps the ping status it had before it stopped
(SSM does not list stopped instances).

Amazon Linux 2 (`batch-prod-03`, `legacy-app-04`) and Debian 11 (`legacy-deb11-31`):
Inspector discontinued them before this estate's "today" and keeps scanning (and billing) a
discontinued OS for 12 months with an end-of-life finding (docs/facts.md#supported-os). All
three are in that tail: scanned, COVERED, with findings observed in November for the two
Amazon Linux 2 instances. The end-of-life finding itself is not in `findings.jsonl` (AWS
publishes no example of one).

## Machine images (AMIs)

`machine_images` in `resources.json`: AMIs the accounts own, with ids derived from their names.
Continuous AMI scanning (`GetConfiguration`'s `amiConfiguration`) is on in:

| account | region | scan mode | created within |
|---|---|---|---|
{ami_settings}

It covers an AMI created within the window (`expected_continuous_scan`; `coverage.json` holds
a `MACHINE_IMAGE` record for each). `on_demand_scan` is the last `StartOnDemandScan` of an AMI
(`scanId`, `status`, `reason`, `startedAt`, `completedAt`), as `ListOnDemandScans` returns it.

| name | image id | account | region | platform | created | continuous | on-demand scan |
|---|---|---|---|---|---|---|---|
{ami_rows}

{reviews}
## Conventions

- **Inspector score.** Start from the vendor CVSS v3.1 vector when one is listed (vendor
  source = `packageVulnerabilityDetails.source`), else NVD, else GitHub. For EC2 instances
  whose exposure is `internal` or `isolated` (no open path from the internet) and whose
  vector has `AV:N`, the adjusted vector is the base vector plus `/MAV:A` and
  `inspectorScore` is that vector's environmental score. Otherwise (internet-exposed EC2,
  ECR images, Lambda functions) the vector is unchanged, `adjustments` is `[]` and
  `inspectorScore` is the base score. `scoreSource` and `cvssSource` both name the source
  of the starting vector.
- **Adjustment strings are OUR CONVENTION** (AWS does not publish them):
  `{{"metric": "{ADJUSTMENT_METRIC}", "reason": "{ADJUSTMENT_REASON}"}}`.
- **Severity** of package findings follows `inspectorScore` with Inspector's bands
  (0 INFORMATIONAL, 0.1-3.9 LOW, 4.0-6.9 MEDIUM, 7.0-8.9 HIGH, 9.0-10.0 CRITICAL).
  Findings without a CVSS v3.1 vector have no `inspectorScore`: UNTRIAGED when no score
  exists at all (CVE-2023-48795, CVE-2023-42363, CVE-2024-0727, CVE-2024-24790: their NVD
  records had no score in the snapshot we checked, and are UNTRIAGED here by construction);
  INFORMATIONAL and SUPPRESSED for the CVSS v2-only CVE-2005-2541 (vendor severity
  negligible/unimportant, our convention); MEDIUM for CVE-2024-6119 on Ubuntu 24.04, which
  carries a vendor severity but no CVSS, as in AWS's own example.
- **Network reachability**: path through `AWS::EC2::InternetGateway` = MEDIUM (as in AWS's
  example for port 22); through `AWS::EC2::VPCPeeringConnection` or `AWS::EC2::VPNGateway`
  = LOW (our convention). Steps: gateway, network ACL, security group, network interface,
  instance. Titles `Port N is reachable from ... - TCP|UDP`. No `inspectorScore`.
- **Code findings** (Lambda only): detector ids `python/...@v1.0` and `javascript/...@v1.0`
  from the Amazon Q detector library; `ruleId` only where a real one is published
  (`python-detect-hardcoded-aws-credentials`); severities are our convention except
  hardcoded credentials = CRITICAL (AWS example). Titles `CWE-n - <detector name>`.
- **Windows** findings are per Microsoft KB (`vulnerabilityId` `KB5041160`, CVEs in
  `relatedVulnerabilities`), carry the highest CVSS/EPSS of their CVEs, and come from
  agent-based scanning only (no deep inspection). The package name/version shape of KB
  findings is UNCONFIRMED.
- **Scan modes and paths.** Every account uses `EC2_HYBRID` except acme-prod in us-east-1
  (`EC2_SSM_AGENT_BASED`, see above). SSM-managed instances with status Online and fresh
  inventory are agent-based and report language packages only under the deep-inspection
  default paths (`/usr/lib`, `/usr/lib64`, `/usr/local/lib`, `/usr/local/lib64`).
  Unmanaged, ConnectionLost or stale-inventory instances with EBS, ext4/xfs, fewer than 8
  volumes and at most 1200 GiB are scanned agentless in hybrid regions and also report
  packages elsewhere (`/opt`, `/home`, `/srv`, `/var`). Windows and macOS are agent-based only.
- **Vulnerable packages**: OS packages with `packageManager` `OS`, rpm/deb/apk-style
  `version`/`release`/`epoch`, `fixedInVersion` as `epoch:version-release` (apk:
  `version-rN`), `NotAvailable` when no fix exists; `fixAvailable` is YES/NO/PARTIAL from
  the packages. Language packages use PYTHONPKG/PIP, NODEPKG/NPM, JAR (`group:artifact`),
  GOBINARY (module path; `stdlib` for the Go standard library) and, once,
  **`GENERIC`** (a static curl binary in the `tools/builder` image), a value that occurs in
  real exports but is not in the botocore enum. ECR packages carry a `sourceLayerHash`;
  one Lambda package carries a `sourceLambdaLayerArn`.
- **Vendor severity** words are derived from the vendor score in the vendor's vocabulary
  (Amazon: Low/Medium/Important/Critical; Red Hat: Low/Moderate/Important/Critical; Ubuntu
  and Debian lower-case); this mapping is our convention.
- **CLOSED** findings were all closed after 2026-11-01 (Inspector deletes closed findings
  after a short retention period), and their `lastObservedAt` precedes `updatedAt`.

## Where this data knowingly departs from, or goes beyond, AWS's documentation

- AWS's score page says the Inspector score "isn't available" for Ubuntu instances, yet
  AWS's own EventBridge example for an Ubuntu 22.04 instance carries `inspectorScore` 4.8
  from `UBUNTU_CVE`. We follow the example: Ubuntu findings have an `inspectorScore`.
- AWS's Lambda example omits `adjustments`; its EC2/ECR examples send `adjustments: []`.
  We always send the list.
- Descriptions, remediation texts and network-path prose are our own wording; package
  findings mostly use Inspector's literal `"None Provided"` recommendation text, as AWS's
  examples do.
- Agentless paths avoid Python virtual environments: AWS documents that EC2 scanning does
  not scan virtual-environment directories.
- Package versions and fixed versions are plausible but invented; they are not checked
  against the distributions' real advisories.

## Platform strings

| platform | where we saw it |
|---|---|
{platform_rows}

## CVEs and where their vectors were verified

| id | NVD/GitHub scores | verified against |
|---|---|---|
{cve_rows}

Vendor vectors (only those we could verify):

| id | source | score | vector |
|---|---|---|---|
{vendor_rows}
"""
