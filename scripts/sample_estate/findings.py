"""Pure builders of the findings (``findings.jsonl``), in the botocore API shape."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from types import MappingProxyType
from typing import TYPE_CHECKING

from .catalogue import (
    DETECTORS,
    DISTROS,
    HOST_ONLY_PACKAGES,
    NEGLIGIBLE_WORDS,
    UNTRIAGED_WORDS,
    VENDOR_WORDS,
    Distro,
    Function,
    Image,
    Instance,
    Pkg,
)
from .common import (
    ADJUSTMENT_METRIC,
    ADJUSTMENT_REASON,
    CLOSED_SINCE,
    JSON,
    WINDOW_END,
    WINDOW_START,
    cvss3_inspector,
    iso,
    rand_between,
    severity_for,
    sha_hex,
)
from .inventory import Estate, function_arn, image_arn, instance_tags
from .oracle import expected_scan
from .vulns import VENDOR_CVSS, VULNS, WINDOWS_KB, Cvss, Vuln

if TYPE_CHECKING:
    import random
    from collections.abc import Iterable, Sequence

# --------------------------------------------------------------------------------------
# Building findings
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """The resource a finding is about, in API shape, plus what scoring needs to know."""

    account: str
    region: str
    resource: JSON
    kind: str  # ec2 | ecr | lambda
    exposure: str  # internet | internal | isolated; "n/a" for ECR and Lambda

    @property
    def resource_id(self) -> str:
        return str(self.resource["id"])


def ec2_target(inst: Instance) -> Target:
    distro = DISTROS[inst.distro]
    details: JSON = {
        "type": inst.instance_type,
        "imageId": inst.image_id,
        "ipV4Addresses": [inst.private_ip] + ([inst.public_ip] if inst.public_ip else []),
        "ipV6Addresses": [],
    }
    if distro.family == "linux":
        details["keyName"] = f"{inst.account[-4:]}-{inst.region}-ops"
    if inst.ssm is not None:
        # Unmanaged instances usually lack the SSM instance profile: that is why.
        details["iamInstanceProfileArn"] = (
            f"arn:aws:iam::{inst.account}:instance-profile/AmazonSSMRoleForInstancesQuickSetup"
        )
    details.update(
        {
            "vpcId": inst.vpc_id,
            "subnetId": inst.subnet_id,
            "launchedAt": iso(inst.launched_at),
            "platform": distro.platform,
        }
    )
    resource = {
        "type": "AWS_EC2_INSTANCE",
        "id": inst.instance_id,
        "partition": "aws",
        "region": inst.region,
        "tags": instance_tags(inst),
        "details": {"awsEc2Instance": details},
        "provider": "AWS",
    }
    return Target(inst.account, inst.region, resource, "ec2", inst.exposure)


def ecr_target(img: Image) -> Target:
    details: JSON = {
        "repositoryName": img.repository,
        "imageTags": list(img.tags),
        "pushedAt": iso(img.pushed_at),
    }
    if img.author:
        details["author"] = img.author
    details.update(
        {
            "architecture": img.architecture,
            "imageHash": img.digest,
            "registry": img.account,
            "platform": DISTROS[img.distro].platform,
            "lastInUseAt": iso(img.last_in_use_at),
            "inUseCount": img.in_use_count,
        }
    )
    resource = {
        "type": "AWS_ECR_CONTAINER_IMAGE",
        "id": image_arn(img),
        "partition": "aws",
        "region": img.region,
        "tags": {},
        "details": {"awsEcrContainerImage": details},
        "provider": "AWS",
    }
    return Target(img.account, img.region, resource, "ecr", "n/a")


def lambda_target(fn: Function) -> Target:
    suffix = sha_hex("role", fn.account, fn.name)[:8]
    details: JSON = {
        "functionName": fn.name,
        "runtime": fn.runtime,
        "codeSha256": fn.code_sha256,
        "version": "$LATEST",
        "executionRoleArn": f"arn:aws:iam::{fn.account}:role/service-role/{fn.name}-role-{suffix}",
    }
    if fn.layers:
        details["layers"] = list(fn.layers)
    if fn.in_vpc:
        h = sha_hex("vpc", fn.account, fn.region) + sha_hex("vpc2", fn.account, fn.region)
        details["vpcConfig"] = {
            "subnetIds": [f"subnet-{h[:17]}", f"subnet-{h[17:34]}"],
            "securityGroupIds": [f"sg-{h[34:51]}"],
            "vpcId": f"vpc-{h[51:68]}",
        }
    details.update(
        {
            "packageType": "ZIP",
            "architectures": [fn.architecture],
            "lastModifiedAt": iso(fn.last_modified_at),
        }
    )
    resource = {
        "type": "AWS_LAMBDA_FUNCTION",
        "id": function_arn(fn),
        "partition": "aws",
        "region": fn.region,
        "tags": {"Service": fn.name},
        "details": {"awsLambdaFunction": details},
        "provider": "AWS",
    }
    return Target(fn.account, fn.region, resource, "lambda", "n/a")


def finding_arn(target: Target, key: str) -> str:
    return (
        f"arn:aws:inspector2:{target.region}:{target.account}:finding/"
        f"{sha_hex(target.account, target.region, target.resource_id, key)[:32]}"
    )


@dataclass(frozen=True)
class Observation:
    first: datetime
    last: datetime
    updated: datetime
    status: str


def observe(rng: random.Random, since: datetime, forced: str | None = None) -> Observation:
    """Draw a status and consistent timestamps for one finding."""
    roll = rng.random()
    status = forced or ("CLOSED" if roll < 0.09 else "SUPPRESSED" if roll < 0.16 else "ACTIVE")
    first = rand_between(rng, since + timedelta(minutes=5), since + timedelta(days=3))
    if status == "CLOSED":
        updated = rand_between(rng, max(first + timedelta(days=1), CLOSED_SINCE), WINDOW_END)
        last = updated - timedelta(minutes=rng.randint(30, 720))
        last = max(last, first)
    else:
        # Open findings are re-observed by every scan; as in AWS's examples, the record is
        # updated together with (a moment after) the latest observation.
        last = rand_between(rng, WINDOW_END - timedelta(hours=36), WINDOW_END)
        updated = last + timedelta(milliseconds=rng.randint(0, 90_000))
    return Observation(first, last, updated, status)


def arch_for(distro: Distro, arch: str) -> str:
    arm = arch in ("arm64", "aarch64", "ARM64")
    if distro.arch_style == "deb":
        return "ARM64" if arm else "AMD64"
    return "AARCH64" if arm else "X86_64"


def choose_base(vuln: Vuln, vendor_source: str | None) -> tuple[list[Cvss], Cvss | None]:
    """The ``cvss`` list and the v3.1 entry Inspector starts from (docs/facts.md#score)."""
    entries: list[Cvss] = []
    vendor: Cvss | None = None
    if vendor_source and (vuln.vuln_id, vendor_source) in VENDOR_CVSS:
        vendor = Cvss(vendor_source, VENDOR_CVSS[(vuln.vuln_id, vendor_source)])
        entries.append(vendor)
    entries.extend(vuln.scores)
    v31 = [c for c in entries if c.version == "3.1"]
    if vendor is not None:
        return entries, vendor
    for source in ("NVD", "GITHUB"):
        for c in v31:
            if c.source == source:
                return entries, c
    return entries, None


def inspector_score(base: Cvss, target: Target) -> JSON:
    """Apply the documented EC2 network-reachability adjustment; return adjustedCvss."""
    vector = base.vector
    adjustments: list[JSON] = []
    if target.kind == "ec2" and target.exposure != "internet" and "/AV:N/" in vector + "/":
        vector = vector + "/MAV:A"
        adjustments.append({"metric": ADJUSTMENT_METRIC, "reason": ADJUSTMENT_REASON})
    return {
        "scoreSource": base.source,
        "cvssSource": base.source,
        "version": "3.1",
        "score": cvss3_inspector(vector),
        "scoringVector": vector,
        "adjustments": adjustments,
    }


def vendor_severity(
    source: str, base: Cvss | None, untriaged: bool, negligible: bool
) -> str | None:
    if untriaged:
        return UNTRIAGED_WORDS.get(source)
    if negligible:
        return NEGLIGIBLE_WORDS.get(source, "LOW")
    if base is None:
        return None
    low, medium, high, critical = VENDOR_WORDS.get(source, VENDOR_WORDS["NVD"])
    return {"LOW": low, "MEDIUM": medium, "HIGH": high, "CRITICAL": critical, "INFORMATIONAL": low}[
        severity_for(base.base)
    ]


def source_url(source: str, distro: Distro | None, vuln: Vuln) -> str:
    if source == "GITHUB" and vuln.advisory:
        return f"https://github.com/advisories/{vuln.advisory}"
    if source in ("NVD", "GITHUB") or distro is None:
        return f"https://nvd.nist.gov/vuln/detail/{vuln.vuln_id}"
    return distro.source_url.format(cve=vuln.vuln_id, year=vuln.vuln_id[4:8])


def reference_urls(source: str, vuln: Vuln) -> list[str]:
    urls = [f"https://www.cve.org/CVERecord?id={vuln.vuln_id}"]
    if source == "AMAZON_CVE":
        urls.append(f"https://explore.alas.aws.amazon.com/{vuln.vuln_id}.html")
    elif source == "UBUNTU_CVE":
        urls.append(f"https://ubuntu.com/security/{vuln.vuln_id}")
    elif source == "DEBIAN_CVE":
        urls.append(f"https://security-tracker.debian.org/tracker/{vuln.vuln_id}")
    elif source == "REDHAT_CVE":
        urls.append(f"https://access.redhat.com/security/cve/{vuln.vuln_id}")
    if vuln.advisory:
        urls.append(f"https://github.com/advisories/{vuln.advisory}")
    return urls


def package_api(pkg: Pkg, distro: Distro | None, arch: str, target: Target) -> JSON:
    out: JSON = {"name": pkg.name, "version": pkg.version}
    if target.kind == "ecr":
        # OS packages come from the base-image layer, everything else from the app layer.
        layer = "base" if pkg.manager == "OS" else "app"
        out["sourceLayerHash"] = "sha256:" + sha_hex("layer", target.resource_id, layer)
    out["epoch"] = pkg.epoch
    if pkg.release:
        out["release"] = pkg.release
    if pkg.manager == "OS" and distro is not None:
        out["arch"] = arch_for(distro, arch)
    out["packageManager"] = pkg.manager
    if pkg.path:
        out["filePath"] = pkg.path
    out["fixedInVersion"] = pkg.fixed
    if pkg.manager == "OS" and distro is not None and pkg.fixed != "NotAvailable":
        out["remediation"] = distro.update_cmd.format(names=pkg.name)
    elif pkg.manager != "OS" and pkg.fixed != "NotAvailable":
        out["remediation"] = f"Upgrade {pkg.name} to {pkg.fixed} or later"
    if pkg.layer and target.kind == "lambda":
        out["sourceLambdaLayerArn"] = pkg.layer
    return out


def exploit_seen(vuln_id: str) -> datetime:
    """A per-CVE (not per-finding) date of the last known exploitation, inside the window."""
    span = int((WINDOW_END - WINDOW_START).total_seconds()) - 86400
    return WINDOW_START + timedelta(seconds=int(sha_hex("exploit", vuln_id), 16) % span)


def fix_available(pkgs: Sequence[Pkg]) -> str:
    fixed = [p.fixed != "NotAvailable" for p in pkgs]
    return "YES" if all(fixed) else "NO" if not any(fixed) else "PARTIAL"


def package_finding(
    rng: random.Random,
    target: Target,
    since: datetime,
    vuln: Vuln,
    pkgs: Sequence[Pkg],
    distro: Distro | None,
    arch: str,
    vendor: bool,
    forced: str | None = None,
) -> JSON:
    """One PACKAGE_VULNERABILITY finding for one (resource, CVE) pair."""
    source = distro.source if (distro is not None and vendor) else "NVD"
    entries, base = choose_base(vuln, source if vendor else None)
    if not vendor and base is not None:
        source = base.source
    untriaged = not entries and vuln.vuln_id not in ("CVE-2024-6119",)
    negligible = bool(entries) and all(c.version == "2.0" for c in entries)
    obs = observe(rng, since, "SUPPRESSED" if negligible and forced is None else forced)

    finding: JSON = {
        "findingArn": finding_arn(target, vuln.vuln_id),
        "awsAccountId": target.account,
        "type": "PACKAGE_VULNERABILITY",
        "description": vuln.summary,
        "title": f"{vuln.vuln_id} - {', '.join(dict.fromkeys(p.name for p in pkgs))}",
    }
    remediation: JSON = {"text": "None Provided"}
    if rng.random() < 0.3 and all(p.fixed != "NotAvailable" for p in pkgs):
        remediation = {
            "text": f"Update {', '.join(dict.fromkeys(p.name for p in pkgs))} to a "
            "version that includes the fix.",
            "Url": source_url(source, distro, vuln),
        }
    finding["remediation"] = {"recommendation": remediation}

    adjusted: JSON | None = None
    if base is not None:
        adjusted = inspector_score(base, target)
        severity = severity_for(adjusted["score"])
    elif untriaged:
        severity = "UNTRIAGED"
    elif negligible:
        severity = "INFORMATIONAL"
    else:  # vendor severity only (as in AWS's CVE-2024-6119 example)
        severity = "MEDIUM"
    finding.update(
        {
            "severity": severity,
            "firstObservedAt": iso(obs.first),
            "lastObservedAt": iso(obs.last),
            "updatedAt": iso(obs.updated),
            "status": obs.status,
            "resources": [target.resource],
        }
    )
    if adjusted is not None:
        finding["inspectorScore"] = adjusted["score"]
        finding["inspectorScoreDetails"] = {"adjustedCvss": adjusted}

    details: JSON = {
        "vulnerabilityId": vuln.vuln_id,
        "vulnerablePackages": [package_api(p, distro, arch, target) for p in pkgs],
        "source": source,
        "cvss": [c.to_api() for c in entries],
        "relatedVulnerabilities": [],
        "sourceUrl": source_url(source, distro, vuln),
    }
    own = next((c for c in entries if c.source == source and c.version == "3.1"), base)
    words = vendor_severity(source, own, untriaged, negligible)
    if vuln.vuln_id == "CVE-2024-6119":
        words = "medium"  # as in AWS's example: a vendor severity but no CVSS at all
    if words:
        details["vendorSeverity"] = words
    details["vendorCreatedAt"] = vuln.published
    details["referenceUrls"] = reference_urls(source, vuln)
    finding["packageVulnerabilityDetails"] = details
    finding["fixAvailable"] = fix_available(pkgs)
    finding["exploitAvailable"] = "YES" if vuln.exploited else "NO"
    if vuln.exploited:
        finding["exploitabilityDetails"] = {"lastKnownExploitAt": iso(exploit_seen(vuln.vuln_id))}
    finding["epss"] = {"score": vuln.epss}
    return finding


def windows_finding(rng: random.Random, target: Target, since: datetime) -> JSON:
    """A KB-style Windows finding carrying the highest CVSS/EPSS of its CVEs."""
    cves = [VULNS[c] for c in WINDOWS_KB["cves"]]
    top = max(cves, key=lambda v: v.scores[0].base)
    kb = str(WINDOWS_KB["kb"])
    obs = observe(rng, since)
    adjusted = inspector_score(top.scores[0], target)
    pkg = Pkg(
        "Windows Server 2022 Datacenter",
        str(WINDOWS_KB["installed"]),
        None,
        0,
        str(WINDOWS_KB["fixed"]),
    )
    return {
        "findingArn": finding_arn(target, kb),
        "awsAccountId": target.account,
        "type": "PACKAGE_VULNERABILITY",
        "description": f"The Windows cumulative security update {kb} is missing. It fixes "
        + "; ".join(f"{v.vuln_id} ({v.summary.rstrip('.')})" for v in cves)
        + ".",
        "title": f"{kb} - {pkg.name}",
        "remediation": {
            "recommendation": {
                "text": f"Install {kb} or a later cumulative update.",
                "Url": f"https://support.microsoft.com/help/{kb[2:]}",
            }
        },
        "severity": severity_for(adjusted["score"]),
        "firstObservedAt": iso(obs.first),
        "lastObservedAt": iso(obs.last),
        "updatedAt": iso(obs.updated),
        "status": obs.status,
        "resources": [target.resource],
        "inspectorScore": adjusted["score"],
        "inspectorScoreDetails": {"adjustedCvss": adjusted},
        "packageVulnerabilityDetails": {
            "vulnerabilityId": kb,
            "vulnerablePackages": [
                {
                    "name": pkg.name,
                    "version": pkg.version,
                    "epoch": 0,
                    "arch": "X86_64",
                    "packageManager": "OS",
                    "fixedInVersion": pkg.fixed,
                    "remediation": f"Install {kb}",
                }
            ],
            "source": "NVD",
            "cvss": [c.to_api() for v in cves for c in v.scores],
            "relatedVulnerabilities": [v.vuln_id for v in cves],
            "sourceUrl": f"https://support.microsoft.com/help/{kb[2:]}",
            "vendorSeverity": "Critical",
            "vendorCreatedAt": str(WINDOWS_KB["published"]),
            "referenceUrls": [
                f"https://msrc.microsoft.com/update-guide/vulnerability/{v.vuln_id}" for v in cves
            ],
        },
        "fixAvailable": "YES",
        "exploitAvailable": "YES" if any(v.exploited for v in cves) else "NO",
        **(
            {"exploitabilityDetails": {"lastKnownExploitAt": iso(exploit_seen(kb))}}
            if any(v.exploited for v in cves)
            else {}
        ),
        "epss": {"score": max(v.epss for v in cves)},
    }


PATH_KINDS = MappingProxyType(
    {
        "igw": ("AWS::EC2::InternetGateway", "an Internet Gateway", "internet gateway", "MEDIUM"),
        "pcx": ("AWS::EC2::VPCPeeringConnection", "a Peered VPC", "VPC peering connection", "LOW"),
        "vgw": (
            "AWS::EC2::VPNGateway",
            "a Virtual Private Gateway",
            "virtual private gateway",
            "LOW",
        ),
    }
)


def network_finding(
    rng: random.Random, target: Target, inst: Instance, port: int, protocol: str, kind: str
) -> JSON:
    component_type, title_from, prose_from, severity = PATH_KINDS[kind]
    gateway = (
        inst.gateway_id
        if kind == "igw"
        else ("pcx-" if kind == "pcx" else "vgw-") + sha_hex(kind, inst.account, inst.region)[:17]
    )
    obs = observe(rng, inst.launched_at)
    steps = [
        {"componentId": gateway, "componentType": component_type},
        {"componentId": inst.acl_id, "componentType": "AWS::EC2::NetworkAcl"},
        {"componentId": inst.sg_id, "componentType": "AWS::EC2::SecurityGroup"},
        {"componentId": inst.eni_id, "componentType": "AWS::EC2::NetworkInterface"},
        {"componentId": inst.instance_id, "componentType": "AWS::EC2::Instance"},
    ]
    return {
        "findingArn": finding_arn(target, f"net:{protocol}:{port}:{kind}"),
        "awsAccountId": target.account,
        "type": "NETWORK_REACHABILITY",
        "description": (
            f"On instance {inst.instance_id}, port range {port}-{port} ({protocol}) "
            f"is reachable from the {prose_from} {gateway} through network "
            f"interface {inst.eni_id}."
        ),
        "title": f"Port {port} is reachable from {title_from} - {protocol}",
        "remediation": {
            "recommendation": {
                "text": "Restrict access to this port by tightening the security groups or "
                "network ACLs on the network path."
            }
        },
        "severity": severity,
        "firstObservedAt": iso(obs.first),
        "lastObservedAt": iso(obs.last),
        "updatedAt": iso(obs.updated),
        "status": obs.status,
        "resources": [target.resource],
        "networkReachabilityDetails": {
            "openPortRange": {"begin": port, "end": port},
            "protocol": protocol,
            "networkPath": {"steps": steps},
        },
    }


def code_finding(
    rng: random.Random, target: Target, fn: Function, key: str, path: str, line: int
) -> JSON:
    det = DETECTORS[key]
    obs = observe(rng, fn.last_modified_at)
    details: JSON = {
        "filePath": {
            "fileName": path.rsplit("/", 1)[-1],
            "filePath": path,
            "startLine": line,
            "endLine": line + (0 if "credentials" in key else 2),
        },
        "detectorTags": list(det.tags),
        "referenceUrls": [f"https://cwe.mitre.org/data/definitions/{c[4:]}.html" for c in det.cwes],
        "detectorId": f"{key}@v1.0",
        "detectorName": det.name,
        "cwes": list(det.cwes),
    }
    if det.rule_id:
        details["ruleId"] = det.rule_id
    return {
        "findingArn": finding_arn(target, f"code:{key}:{path}:{line}"),
        "awsAccountId": target.account,
        "type": "CODE_VULNERABILITY",
        "description": det.description,
        "title": f"{det.cwes[0]} - {det.name}",
        "remediation": {
            "recommendation": {
                "text": det.remediation,
                "Url": f"https://docs.aws.amazon.com/amazonq/detector-library/{key}/",
            }
        },
        "severity": det.severity,
        "firstObservedAt": iso(obs.first),
        "lastObservedAt": iso(obs.last),
        "updatedAt": iso(obs.updated),
        "status": obs.status,
        "resources": [target.resource],
        "codeVulnerabilityDetails": details,
    }


def group_lang(lang: Iterable[tuple[str, Pkg]]) -> dict[str, list[Pkg]]:
    grouped: dict[str, list[Pkg]] = {}
    for vuln_id, pkg in lang:
        grouped.setdefault(vuln_id, []).append(pkg)
    return grouped


def _package_findings(
    rng: random.Random,
    target: Target,
    since: datetime,
    hits: Iterable[tuple[str, Sequence[Pkg]]],
    distro: Distro | None,
    arch: str,
) -> list[JSON]:
    """One package finding per (vulnerability, packages); vendor scores only with a distro."""
    return [
        package_finding(
            rng, target, since, VULNS[vuln_id], pkgs, distro, arch, vendor=distro is not None
        )
        for vuln_id, pkgs in hits
    ]


def build_findings(rng: random.Random, estate: Estate) -> list[JSON]:
    findings: list[JSON] = []
    for inst in estate.instances:
        if expected_scan(inst)[0] is None:
            continue  # excluded, stopped or agentless-ineligible: Inspector reports nothing
        target = ec2_target(inst)
        distro = DISTROS[inst.distro]
        if distro.family == "windows":
            findings.append(windows_finding(rng, target, inst.launched_at))
        findings += _package_findings(rng, target, inst.launched_at, distro.hits, distro, inst.arch)
        lang = group_lang(inst.lang).items()
        findings += _package_findings(rng, target, inst.launched_at, lang, None, inst.arch)
        for port, protocol, kind in inst.ports:
            findings.append(network_finding(rng, target, inst, port, protocol, kind))
    for img in estate.images:
        target = ecr_target(img)
        distro = DISTROS[img.distro]
        lang_by_vuln = group_lang(img.lang)
        os_hits = [
            # An OS hit also takes a language copy of the package (e.g. a GENERIC curl).
            (v, [p for p in pkgs if p.name not in HOST_ONLY_PACKAGES] + lang_by_vuln.pop(v, []))
            for v, pkgs in distro.hits + img.extra_os
            if v not in img.drop_os
        ]
        os_hits = [(v, pkgs) for v, pkgs in os_hits if pkgs]  # all host-only: no finding
        findings += _package_findings(rng, target, img.pushed_at, os_hits, distro, img.architecture)
        findings += _package_findings(
            rng, target, img.pushed_at, lang_by_vuln.items(), None, img.architecture
        )
    for fn in estate.functions:
        target = lambda_target(fn)
        lang = group_lang(fn.lang).items()
        findings += _package_findings(rng, target, fn.last_modified_at, lang, None, fn.architecture)
        for key, path, line in fn.code:
            findings.append(code_finding(rng, target, fn, key, path, line))
    findings.sort(
        key=lambda f: (
            f["awsAccountId"],
            f["resources"][0]["region"],
            f["resources"][0]["type"],
            f["resources"][0]["id"],
            f["type"],
            f["title"],
        )
    )
    return findings
