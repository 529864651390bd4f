"""Declarative catalogue of the estate: distributions and their packages, instances,
images, functions and code detectors. Nothing here is random; ids and dates are placed by
``sample_estate.inventory``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING

from .common import WINDOW_START

if TYPE_CHECKING:
    from collections.abc import Mapping
    from datetime import datetime

# --------------------------------------------------------------------------------------
# Operating-system package inventories per distribution
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Pkg:
    """An installed package as Inspector reports it in ``vulnerablePackages``."""

    name: str
    version: str
    release: str | None = None
    epoch: int = 0
    fixed: str = "NotAvailable"  # "NotAvailable" is Inspector's no-fix sentinel
    manager: str = "OS"
    path: str | None = None
    layer: str | None = None  # ECR layer key or Lambda layer ARN


@dataclass(frozen=True)
class Distro:
    """How one distribution names, versions and fixes its packages."""

    key: str
    platform: str  # Inspector platform string
    platform_confirmed: str  # where we saw the string, or "UNCONFIRMED"
    family: str  # linux | windows
    source: str  # packageVulnerabilityDetails.source for OS findings
    source_url: str  # template with {cve}
    update_cmd: str  # remediation template with {names}
    arch_style: str  # "rpm" -> X86_64/AARCH64, "deb" -> AMD64/ARM64, "apk" -> X86_64/AARCH64
    hits: tuple[tuple[str, tuple[Pkg, ...]], ...]


def rpm(name: str, ver: str, rel: str, fix_rel: str | None, epoch: int = 0) -> Pkg:
    fixed = f"{epoch}:{ver}-{fix_rel}" if fix_rel else "NotAvailable"
    return Pkg(name, ver, rel, epoch, fixed)


def deb(name: str, ver: str, rel: str | None, fix: str | None, epoch: int = 0) -> Pkg:
    fixed = f"{epoch}:{fix}" if fix else "NotAvailable"
    return Pkg(name, ver, rel, epoch, fixed)


def apk(name: str, ver: str, rel: str, fix: str | None) -> Pkg:
    return Pkg(name, ver, rel, 0, fix or "NotAvailable")


AL2023 = Distro(
    key="al2023",
    platform="AMAZON_LINUX_2023",
    platform_confirmed="UNCONFIRMED (follows the documented UPPER_SNAKE form)",
    family="linux",
    source="AMAZON_CVE",
    source_url="https://alas.aws.amazon.com/cve/json/v1/{cve}.json",
    update_cmd="dnf update {names}",
    arch_style="rpm",
    hits=(
        (
            "CVE-2023-38545",
            (
                rpm("curl-minimal", "8.3.0", "1.amzn2023.0.1", "1.amzn2023.0.2"),
                rpm("libcurl-minimal", "8.3.0", "1.amzn2023.0.1", "1.amzn2023.0.2"),
            ),
        ),
        (
            "CVE-2023-38546",
            (
                rpm("curl-minimal", "8.3.0", "1.amzn2023.0.1", "1.amzn2023.0.2"),
                rpm("libcurl-minimal", "8.3.0", "1.amzn2023.0.1", "1.amzn2023.0.2"),
            ),
        ),
        (
            "CVE-2024-6387",
            (
                rpm("openssh", "8.7p1", "8.amzn2023.0.10", "8.amzn2023.0.11"),
                rpm("openssh-server", "8.7p1", "8.amzn2023.0.10", "8.amzn2023.0.11"),
            ),
        ),
        ("CVE-2023-44487", (rpm("libnghttp2", "1.51.0", "1.amzn2023.0.1", "1.amzn2023.0.2"),)),
        ("CVE-2024-45490", (rpm("expat", "2.5.0", "1.amzn2023.0.3", "1.amzn2023.0.4"),)),
        ("CVE-2023-52425", (rpm("expat", "2.5.0", "1.amzn2023.0.3", "1.amzn2023.0.4"),)),
        ("CVE-2023-5363", (rpm("openssl-libs", "3.0.8", "1.amzn2023.0.4", "1.amzn2023.0.9", 1),)),
        ("CVE-2024-0727", (rpm("openssl-libs", "3.0.8", "1.amzn2023.0.4", "1.amzn2023.0.11", 1),)),
        ("CVE-2023-29383", (rpm("shadow-utils", "4.9", "12.amzn2023.0.2", None, 2),)),
        ("CVE-2022-48303", (rpm("tar", "1.34", "1.amzn2023.0.2", "1.amzn2023.0.4", 2),)),
        ("CVE-2023-7104", (rpm("sqlite-libs", "3.40.0", "1.amzn2023.0.3", "1.amzn2023.0.4"),)),
        ("CVE-2022-37434", (rpm("zlib", "1.2.11", "32.amzn2023.0.3", "32.amzn2023.0.5"),)),
    ),
)

AL2 = Distro(
    key="al2",
    platform="AMAZON_LINUX_2",
    platform_confirmed="AWS docs (EventBridge/ECR finding examples)",
    family="linux",
    source="AMAZON_CVE",
    source_url="https://alas.aws.amazon.com/cve/json/v1/{cve}.json",
    update_cmd="yum update {names}",
    arch_style="rpm",
    hits=(
        (
            "CVE-2023-38545",
            (
                rpm("curl", "7.88.1", "1.amzn2.0.1", "1.amzn2.0.5"),
                rpm("libcurl", "7.88.1", "1.amzn2.0.1", "1.amzn2.0.5"),
            ),
        ),
        (
            "CVE-2023-38546",
            (
                rpm("curl", "7.88.1", "1.amzn2.0.1", "1.amzn2.0.5"),
                rpm("libcurl", "7.88.1", "1.amzn2.0.1", "1.amzn2.0.5"),
            ),
        ),
        ("CVE-2022-0778", (rpm("openssl-libs", "1.0.2k", "24.amzn2.0.2", "24.amzn2.0.3", 1),)),
        ("CVE-2023-0286", (rpm("openssl-libs", "1.0.2k", "24.amzn2.0.2", "24.amzn2.0.7", 1),)),
        ("CVE-2021-3156", (rpm("sudo", "1.8.23", "9.amzn2.0.1", "10.amzn2.1"),)),
        ("CVE-2022-37434", (rpm("zlib", "1.2.7", "19.amzn2.0.1", "19.amzn2.0.2"),)),
        ("CVE-2024-45490", (rpm("expat", "2.1.0", "15.amzn2.0.2", "15.amzn2.0.4"),)),
        ("CVE-2023-52425", (rpm("expat", "2.1.0", "15.amzn2.0.2", "15.amzn2.0.3"),)),
        (
            "CVE-2025-38064",
            (Pkg("kernel", "4.14.355", "280.652.amzn2", 0, "0:5.15.189-131.202.amzn2"),),
        ),
        ("CVE-2023-29383", (rpm("shadow-utils", "4.1.5.1", "24.amzn2.0.3", None, 2),)),
        ("CVE-2022-48303", (rpm("tar", "1.26", "35.amzn2.0.2", "35.amzn2.0.3", 2),)),
        ("CVE-2023-7104", (rpm("sqlite", "3.7.17", "8.amzn2.1.1", "8.amzn2.1.2"),)),
    ),
)

RHEL9 = Distro(
    key="rhel9",
    platform="RHEL_9",
    platform_confirmed="UNCONFIRMED (follows the documented UPPER_SNAKE form)",
    family="linux",
    source="REDHAT_CVE",
    source_url="https://access.redhat.com/security/cve/{cve}",
    update_cmd="dnf update {names}",
    arch_style="rpm",
    hits=(
        (
            "CVE-2023-38545",
            (
                rpm("curl", "7.76.1", "26.el9", "26.el9_3.2"),
                rpm("libcurl", "7.76.1", "26.el9", "26.el9_3.2"),
            ),
        ),
        (
            "CVE-2023-38546",
            (
                rpm("curl", "7.76.1", "26.el9", "26.el9_3.2"),
                rpm("libcurl", "7.76.1", "26.el9", "26.el9_3.2"),
            ),
        ),
        (
            "CVE-2024-6387",
            (
                rpm("openssh", "8.7p1", "34.el9", "38.el9_4.1"),
                rpm("openssh-server", "8.7p1", "34.el9", "38.el9_4.1"),
            ),
        ),
        (
            "CVE-2023-4911",
            (
                rpm("glibc", "2.34", "60.el9", "60.el9_2.7"),
                rpm("glibc-common", "2.34", "60.el9", "60.el9_2.7"),
            ),
        ),
        ("CVE-2023-44487", (rpm("libnghttp2", "1.43.0", "5.el9", "5.el9_2.1"),)),
        ("CVE-2023-0286", (rpm("openssl-libs", "3.0.1", "43.el9_0", "47.el9_1", 1),)),
        ("CVE-2023-5363", (rpm("openssl-libs", "3.0.1", "43.el9_0", "25.el9_3", 1),)),
        ("CVE-2024-0727", (rpm("openssl-libs", "3.0.1", "43.el9_0", "27.el9_4", 1),)),
        ("CVE-2024-45490", (rpm("expat", "2.5.0", "1.el9", "2.el9_4.1"),)),
        ("CVE-2023-52425", (rpm("expat", "2.5.0", "1.el9", "2.el9_4"),)),
        ("CVE-2023-29383", (rpm("shadow-utils", "4.9", "6.el9", None, 2),)),
        ("CVE-2022-48303", (rpm("tar", "1.34", "6.el9_1", "7.el9", 2),)),
        ("CVE-2023-7104", (rpm("sqlite-libs", "3.34.1", "6.el9_1", "7.el9_3"),)),
        ("CVE-2022-37434", (rpm("zlib", "1.2.11", "39.el9", "40.el9"),)),
    ),
)

UBUNTU_2204 = Distro(
    key="ubuntu2204",
    platform="UBUNTU_22_04",
    platform_confirmed="AWS docs (EventBridge EC2 finding example)",
    family="linux",
    source="UBUNTU_CVE",
    source_url="https://people.canonical.com/~ubuntu-security/cve/{year}/{cve}.html",
    update_cmd="apt-get update && apt-get upgrade",
    arch_style="deb",
    hits=(
        (
            "CVE-2023-38545",
            (
                deb("curl", "7.81.0", "1ubuntu1.13", "7.81.0-1ubuntu1.14"),
                deb("libcurl4", "7.81.0", "1ubuntu1.13", "7.81.0-1ubuntu1.14"),
            ),
        ),
        (
            "CVE-2023-38546",
            (
                deb("curl", "7.81.0", "1ubuntu1.13", "7.81.0-1ubuntu1.14"),
                deb("libcurl4", "7.81.0", "1ubuntu1.13", "7.81.0-1ubuntu1.14"),
            ),
        ),
        ("CVE-2024-6387", (deb("openssh-server", "8.9p1", "3ubuntu0.4", "8.9p1-3ubuntu0.10", 1),)),
        (
            "CVE-2023-48795",
            (
                deb("openssh-client", "8.9p1", "3ubuntu0.4", "8.9p1-3ubuntu0.6", 1),
                deb("openssh-server", "8.9p1", "3ubuntu0.4", "8.9p1-3ubuntu0.6", 1),
            ),
        ),
        ("CVE-2024-29069", (deb("snapd", "2.61.3+22.04", None, "2.63+22.04ubuntu0.1"),)),
        (
            "CVE-2023-44487",
            (
                deb("libnghttp2-14", "1.43.0", "1build3", "1.43.0-1ubuntu0.1"),
                deb("nginx-core", "1.18.0", "6ubuntu14.4", None),
            ),
        ),
        (
            "CVE-2022-37434",
            (deb("zlib1g", "1.2.11.dfsg", "2ubuntu9", "1.2.11.dfsg-2ubuntu9.2", 1),),
        ),
        ("CVE-2005-2541", (deb("tar", "1.34+dfsg", "1ubuntu0.1.22.04.1", None),)),
        (
            "CVE-2022-48303",
            (deb("tar", "1.34+dfsg", "1ubuntu0.1.22.04.1", "1.34+dfsg-1ubuntu0.1.22.04.2"),),
        ),
        (
            "CVE-2023-29383",
            (
                deb("passwd", "4.8.1", "2ubuntu2.1", "4.8.1-2ubuntu2.2", 1),
                deb("login", "4.8.1", "2ubuntu2.1", "4.8.1-2ubuntu2.2", 1),
            ),
        ),
        ("CVE-2023-7104", (deb("libsqlite3-0", "3.37.2", "2ubuntu0.1", "3.37.2-2ubuntu0.3"),)),
        (
            "CVE-2023-5363",
            (
                deb("libssl3", "3.0.2", "0ubuntu1.10", "3.0.2-0ubuntu1.12"),
                deb("openssl", "3.0.2", "0ubuntu1.10", "3.0.2-0ubuntu1.12"),
            ),
        ),
        ("CVE-2024-45490", (deb("libexpat1", "2.4.7", "1ubuntu0.2", "2.4.7-1ubuntu0.4"),)),
        ("CVE-2023-52425", (deb("libexpat1", "2.4.7", "1ubuntu0.2", "2.4.7-1ubuntu0.3"),)),
    ),
)

UBUNTU_2404 = Distro(
    key="ubuntu2404",
    platform="UBUNTU_24_04",
    platform_confirmed="AWS docs (EventBridge ECR finding example)",
    family="linux",
    source="UBUNTU_CVE",
    source_url="https://people.canonical.com/~ubuntu-security/cve/{year}/{cve}.html",
    update_cmd="apt-get update && apt-get upgrade",
    arch_style="deb",
    hits=(
        ("CVE-2024-6387", (deb("openssh-server", "9.6p1", "3ubuntu13", "9.6p1-3ubuntu13.3", 1),)),
        ("CVE-2024-29069", (deb("snapd", "2.62+24.04", None, "2.63+24.04ubuntu0.1"),)),
        (
            "CVE-2024-6119",
            (
                deb("libssl3t64", "3.0.13", "0ubuntu3", "3.0.13-0ubuntu3.4"),
                deb("openssl", "3.0.13", "0ubuntu3", "3.0.13-0ubuntu3.4"),
            ),
        ),
        ("CVE-2024-0727", (deb("libssl3t64", "3.0.13", "0ubuntu3", "3.0.13-0ubuntu3.1"),)),
        ("CVE-2024-45490", (deb("libexpat1", "2.6.1", "2build1", "2.6.1-2ubuntu0.1"),)),
        (
            "CVE-2023-29383",
            (
                deb("passwd", "4.13+dfsg1", "4ubuntu3", "4.13+dfsg1-4ubuntu3.2", 1),
                deb("login", "4.13+dfsg1", "4ubuntu3", "4.13+dfsg1-4ubuntu3.2", 1),
            ),
        ),
    ),
)

DEBIAN_12 = Distro(
    key="debian12",
    platform="DEBIAN_12",
    platform_confirmed="AWS docs (ECR DescribeImageScanFindings example)",
    family="linux",
    source="DEBIAN_CVE",
    source_url="https://security-tracker.debian.org/tracker/{cve}",
    update_cmd="apt-get update && apt-get upgrade",
    arch_style="deb",
    hits=(
        (
            "CVE-2023-38545",
            (
                deb("curl", "7.88.1", "10+deb12u1", "7.88.1-10+deb12u4"),
                deb("libcurl4", "7.88.1", "10+deb12u1", "7.88.1-10+deb12u4"),
            ),
        ),
        (
            "CVE-2023-38546",
            (
                deb("curl", "7.88.1", "10+deb12u1", "7.88.1-10+deb12u4"),
                deb("libcurl4", "7.88.1", "10+deb12u1", "7.88.1-10+deb12u4"),
            ),
        ),
        (
            "CVE-2024-6387",
            (
                deb("openssh-server", "9.2p1", "2+deb12u2", "9.2p1-2+deb12u3", 1),
                deb("openssh-client", "9.2p1", "2+deb12u2", "9.2p1-2+deb12u3", 1),
            ),
        ),
        ("CVE-2023-44487", (deb("libnghttp2-14", "1.52.0", "1", "1.52.0-1+deb12u1"),)),
        ("CVE-2024-45490", (deb("libexpat1", "2.5.0", "1", "2.5.0-1+deb12u1"),)),
        ("CVE-2023-52425", (deb("libexpat1", "2.5.0", "1", None),)),
        (
            "CVE-2023-5363",
            (
                deb("libssl3", "3.0.9", "1", "3.0.11-1~deb12u2"),
                deb("openssl", "3.0.9", "1", "3.0.11-1~deb12u2"),
            ),
        ),
        ("CVE-2024-0727", (deb("libssl3", "3.0.9", "1", "3.0.13-1~deb12u1"),)),
        ("CVE-2005-2541", (deb("tar", "1.34+dfsg", "1.2+deb12u1", None),)),
        ("CVE-2022-48303", (deb("tar", "1.34+dfsg", "1.2+deb12u1", None),)),
        (
            "CVE-2023-29383",
            (
                deb("passwd", "4.13+dfsg1", "1", "4.13+dfsg1-1+deb12u1", 1),
                deb("login", "4.13+dfsg1", "1", "4.13+dfsg1-1+deb12u1", 1),
            ),
        ),
        ("CVE-2023-7104", (deb("libsqlite3-0", "3.40.1", "2", "3.40.1-2+deb12u1"),)),
    ),
)

ALPINE_318 = Distro(
    key="alpine318",
    platform="ALPINE_LINUX_3_18",
    platform_confirmed="UNCONFIRMED (form follows the model's documented example ALPINE_LINUX_3_8)",
    family="linux",
    source="NVD",
    source_url="https://nvd.nist.gov/vuln/detail/{cve}",
    update_cmd="apk upgrade {names}",
    arch_style="apk",
    hits=(
        (
            "CVE-2022-48174",
            (
                apk("busybox", "1.36.1", "r2", "1.36.1-r6"),
                apk("busybox-binsh", "1.36.1", "r2", "1.36.1-r6"),
                apk("ssl_client", "1.36.1", "r2", "1.36.1-r6"),
            ),
        ),
        (
            "CVE-2023-42363",
            (
                apk("busybox", "1.36.1", "r2", "1.36.1-r17"),
                apk("busybox-binsh", "1.36.1", "r2", "1.36.1-r17"),
            ),
        ),
        (
            "CVE-2023-38545",
            (apk("curl", "8.2.1", "r0", "8.4.0-r0"), apk("libcurl", "8.2.1", "r0", "8.4.0-r0")),
        ),
        (
            "CVE-2023-38546",
            (apk("curl", "8.2.1", "r0", "8.4.0-r0"), apk("libcurl", "8.2.1", "r0", "8.4.0-r0")),
        ),
        ("CVE-2024-45490", (apk("libexpat", "2.5.0", "r1", "2.6.3-r0"),)),
        ("CVE-2023-52425", (apk("libexpat", "2.5.0", "r1", "2.6.0-r0"),)),
        (
            "CVE-2023-5363",
            (
                apk("libcrypto3", "3.1.2", "r0", "3.1.4-r0"),
                apk("libssl3", "3.1.2", "r0", "3.1.4-r0"),
            ),
        ),
        ("CVE-2024-0727", (apk("libcrypto3", "3.1.2", "r0", "3.1.4-r5"),)),
        ("CVE-2023-7104", (apk("sqlite-libs", "3.41.2", "r2", "3.41.2-r3"),)),
    ),
)

WINDOWS_2022 = Distro(
    key="windows2022",
    platform="WINDOWS_SERVER_2022",
    platform_confirmed="UNCONFIRMED (follows the documented UPPER_SNAKE form)",
    family="windows",
    source="NVD",
    source_url="https://support.microsoft.com/help/{kbnum}",
    update_cmd="Install {kb}",
    arch_style="rpm",
    hits=(),
)

DISTROS = {
    d.key: d
    for d in (AL2023, AL2, RHEL9, UBUNTU_2204, UBUNTU_2404, DEBIAN_12, ALPINE_318, WINDOWS_2022)
}

# Operating systems only the coverage-scenario instances run. They carry no findings, so
# nothing but resources.json shows their platform strings (none is confirmed).
SCENARIO_DISTROS = {
    d.key: d
    for d in (
        Distro(
            key="centos7",
            platform="CENTOS_7",
            platform_confirmed="UNCONFIRMED (no finding carries it)",
            family="linux",
            source="CENTOS_CVE",
            source_url="https://access.redhat.com/security/cve/{cve}",
            update_cmd="yum update {names}",
            arch_style="rpm",
            hits=(),
        ),
        Distro(
            key="sles157",
            platform="SLES_15_7",
            platform_confirmed="UNCONFIRMED (no finding carries it)",
            family="linux",
            source="SUSE_CVE",
            source_url="https://www.suse.com/security/cve/{cve}.html",
            update_cmd="zypper update {names}",
            arch_style="rpm",
            hits=(),
        ),
        Distro(
            key="windows2012r2",
            platform="WINDOWS_SERVER_2012_R2",
            platform_confirmed="UNCONFIRMED (no finding carries it)",
            family="windows",
            source="NVD",
            source_url="https://support.microsoft.com/help/{kbnum}",
            update_cmd="Install {kb}",
            arch_style="rpm",
            hits=(),
        ),
        Distro(
            key="debian11",
            platform="DEBIAN_11",
            platform_confirmed="UNCONFIRMED (no finding carries it)",
            family="linux",
            source="DEBIAN_CVE",
            source_url="https://security-tracker.debian.org/tracker/{cve}",
            update_cmd="apt-get install --only-upgrade {names}",
            arch_style="deb",
            hits=(),
        ),
        Distro(
            key="macos14",
            platform="MACOS_14",
            platform_confirmed="UNCONFIRMED (no finding carries it)",
            family="macos",
            source="NVD",
            source_url="https://nvd.nist.gov/vuln/detail/{cve}",
            update_cmd="softwareupdate --install --all",
            arch_style="rpm",
            hits=(),
        ),
    )
}


def distro_of(key: str) -> Distro:
    return DISTROS[key] if key in DISTROS else SCENARIO_DISTROS[key]


# The OS as SSM reports it (DescribeInstanceInformation PlatformName / PlatformVersion); for
# unmanaged instances the same names are what an inventory infers from the AMI.
OS_NAMES: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        "al2023": ("Amazon Linux", "2023"),
        "al2": ("Amazon Linux", "2"),
        "rhel9": ("Red Hat Enterprise Linux", "9.4"),
        "ubuntu2204": ("Ubuntu", "22.04"),
        "ubuntu2404": ("Ubuntu", "24.04"),
        "debian12": ("Debian GNU/Linux", "12"),
        "alpine318": ("Alpine Linux", "3.18.4"),
        "windows2022": ("Microsoft Windows Server 2022 Datacenter", "10.0.20348"),
        "centos7": ("CentOS Linux", "7.9.2009"),
        "sles157": ("SLES", "15.7"),
        "windows2012r2": ("Microsoft Windows Server 2012 R2 Datacenter", "6.3.9600"),
        "macos14": ("macOS", "14.7.1"),
        "debian11": ("Debian GNU/Linux", "11"),
    }
)
# Operating systems Inspector does not scan (docs/facts.md#supported-os): UNSUPPORTED_OS.
UNSUPPORTED_OS = frozenset({"centos7", "windows2012r2"})
# SSM Agent releases the instances run (plausible 2025-2026 version strings).
SSM_AGENT_VERSIONS = ("3.3.1142.0", "3.3.1230.0", "3.3.1345.0", "3.3.1611.0")

# Packages that exist on hosts but not in container images.
HOST_ONLY_PACKAGES = frozenset(
    {"kernel", "sudo", "snapd", "openssh", "openssh-server", "openssh-client", "nginx-core"}
)

# Vendor severity vocabularies (our mapping from the vendor score, see README).
VENDOR_WORDS: Mapping[str, tuple[str, str, str, str]] = MappingProxyType(
    {  # low, medium, high, critical
        "AMAZON_CVE": ("Low", "Medium", "Important", "Critical"),
        "REDHAT_CVE": ("Low", "Moderate", "Important", "Critical"),
        "UBUNTU_CVE": ("low", "medium", "high", "critical"),
        "DEBIAN_CVE": ("low", "medium", "high", "high"),
        "NVD": ("LOW", "MEDIUM", "HIGH", "CRITICAL"),
        "GITHUB": ("LOW", "MODERATE", "HIGH", "CRITICAL"),
    }
)
UNTRIAGED_WORDS = MappingProxyType(
    {
        "AMAZON_CVE": "Pending",
        "REDHAT_CVE": "Pending",
        "UBUNTU_CVE": "needs-triage",
        "DEBIAN_CVE": "not yet assigned",
    }
)
NEGLIGIBLE_WORDS = MappingProxyType({"UBUNTU_CVE": "negligible", "DEBIAN_CVE": "unimportant"})


# --------------------------------------------------------------------------------------
# The inventory
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Instance:
    """An EC2 instance and the facts a coverage or cost analysis needs."""

    name: str
    account: str
    region: str
    distro: str
    instance_type: str
    exposure: str  # internet | internal | isolated
    ssm: str | None  # "Online", "ConnectionLost" or None (unmanaged)
    volumes: int = 1
    volume_gib: int = 30
    state: str = "running"
    excluded: bool = False
    arch: str = "x86_64"
    extra_tags: dict[str, str] = field(default_factory=dict)
    lang: tuple[tuple[str, Pkg], ...] = ()  # (vuln id, package)
    ports: tuple[tuple[int, str, str], ...] = ()  # (port, protocol, path kind)
    # Coverage facts (docs/facts.md#ec2). The defaults describe the original 17 instances.
    root_device: str = "ebs"  # ebs | instance-store
    volume_fs: str | None = None  # the volumes' file system when not the distro's default
    volume_sizes: tuple[int, ...] = ()  # explicit sizes in GiB (default: split volume_gib)
    inventory_days: int | None = None  # SSM inventory this many days old (None: fresh)
    launched_hours_ago: int | None = None  # launched this long before AS_OF (None: random)
    scenario: str | None = None  # the coverage scenario a late (findings-free) instance shows
    # The Inspector VM Scanner installed by hand (agent-based scanning without SSM,
    # docs/facts.md#vm-scanner); the console's Enhanced EC2 Scanning is an account setting.
    vm_scanner_manual: bool = False
    # placed by place_instance() (ids, addresses, launch time)
    instance_id: str = ""
    image_id: str = ""
    vpc_id: str = ""
    subnet_id: str = ""
    eni_id: str = ""
    sg_id: str = ""
    acl_id: str = ""
    gateway_id: str = ""
    private_ip: str = ""
    public_ip: str | None = None
    launched_at: datetime = WINDOW_START


@dataclass(frozen=True)
class Image:
    """An ECR container image."""

    repository: str
    account: str
    region: str
    distro: str
    tags: tuple[str, ...]
    architecture: str  # amd64 | arm64, as ECR reports it
    author: str | None
    lang: tuple[tuple[str, Pkg], ...] = ()
    drop_os: frozenset[str] = frozenset()  # OS vuln ids not present in this image
    extra_os: tuple[tuple[str, tuple[Pkg, ...]], ...] = ()
    digest: str = ""
    pushed_at: datetime = WINDOW_START
    last_in_use_at: datetime = WINDOW_START
    in_use_count: int = 0


@dataclass(frozen=True)
class Function:
    """A Lambda function."""

    name: str
    account: str
    region: str
    runtime: str
    architecture: str  # X86_64 | ARM64
    lang: tuple[tuple[str, Pkg], ...]
    code: tuple[tuple[str, str, int], ...]  # (detector key, file path, line)
    layers: tuple[str, ...] = ()
    in_vpc: bool = False
    code_sha256: str = ""
    last_modified_at: datetime = WINDOW_START


# Deep inspection default paths (agent-based) versus anywhere on disk (agentless).
def pypkg(name: str, version: str, fixed: str, site: str) -> Pkg:
    folder = f"{name}-{version}.dist-info" if name != "flask" else f"Flask-{version}.dist-info"
    return Pkg(name, version, None, 0, fixed, "PYTHONPKG", f"{site}/{folder}/METADATA")


def nodepkg(name: str, version: str, fixed: str, root: str) -> Pkg:
    return Pkg(name, version, None, 0, fixed, "NODEPKG", f"{root}/node_modules/{name}/package.json")


def jar(name: str, version: str, fixed: str, path: str) -> Pkg:
    return Pkg(name, version, None, 0, fixed, "JAR", path)


def gobin(module: str, version: str, fixed: str, path: str) -> Pkg:
    return Pkg(module, version, None, 0, fixed, "GOBINARY", path)


LOG4J = "org.apache.logging.log4j:log4j-core"
COMMONS_TEXT = "org.apache.commons:commons-text"


def requests_pkgs(version: str, site: str) -> tuple[tuple[str, Pkg], ...]:
    return (
        ("CVE-2023-32681", pypkg("requests", version, "2.31.0", site)),
        ("CVE-2024-35195", pypkg("requests", version, "2.32.0", site)),
    )


def urllib3_pkgs(version: str, site: str) -> tuple[tuple[str, Pkg], ...]:
    fix_a, fix_b = ("1.26.17", "1.26.19") if version.startswith("1.") else ("2.0.6", "2.2.2")
    return (
        ("CVE-2023-43804", pypkg("urllib3", version, fix_a, site)),
        ("CVE-2024-37891", pypkg("urllib3", version, fix_b, site)),
    )


def log4j_pkgs(path: str) -> tuple[tuple[str, Pkg], ...]:
    return (
        ("CVE-2021-44228", jar(LOG4J, "2.14.1", "2.15.0", path)),
        ("CVE-2021-45046", jar(LOG4J, "2.14.1", "2.16.0", path)),
    )


INSTANCES: tuple[Instance, ...] = (
    Instance(
        name="web-prod-01",
        account="111122223333",
        region="us-east-1",
        distro="al2023",
        instance_type="t3.medium",
        exposure="internet",
        ssm="Online",
        extra_tags={"Service": "storefront"},
        lang=requests_pkgs("2.25.0", "/usr/lib/python3.9/site-packages")
        + urllib3_pkgs("1.26.5", "/usr/lib/python3.9/site-packages"),
        ports=((22, "TCP", "igw"), (443, "TCP", "igw")),
    ),
    Instance(
        name="api-prod-02",
        account="111122223333",
        region="ap-northeast-1",
        distro="al2023",
        instance_type="m6i.large",
        exposure="internal",
        ssm="Online",
        extra_tags={"Service": "orders-api"},
        lang=(
            *log4j_pkgs("/usr/local/lib/orders-api/log4j-core-2.14.1.jar"),
            (
                "CVE-2022-42889",
                jar(
                    COMMONS_TEXT, "1.9", "1.10.0", "/usr/local/lib/orders-api/commons-text-1.9.jar"
                ),
            ),
        ),
        ports=((8443, "TCP", "pcx"),),
    ),
    Instance(
        name="batch-prod-03",
        account="111122223333",
        region="us-east-1",
        distro="al2",
        instance_type="c5.xlarge",
        exposure="internal",
        ssm="Online",
        extra_tags={"Service": "nightly-batch"},
        lang=(
            ("CVE-2022-25883", nodepkg("semver", "7.3.5", "7.5.2", "/usr/lib/node_modules/npm")),
        ),
        ports=((22, "TCP", "vgw"),),
    ),
    Instance(
        name="legacy-app-04",
        account="444455556666",
        region="ap-northeast-1",
        distro="al2",
        instance_type="t3.large",
        exposure="internet",
        ssm=None,
        volumes=2,
        volume_gib=80,
        extra_tags={"Service": "legacy-portal"},
        lang=(
            *log4j_pkgs("/opt/app/lib/log4j-core-2.14.1.jar"),
            ("CVE-2022-25883", nodepkg("semver", "7.3.5", "7.5.2", "/home/ec2-user/app")),
            ("CVE-2023-26136", nodepkg("tough-cookie", "4.0.0", "4.1.3", "/home/ec2-user/app")),
        ),
        ports=((22, "TCP", "igw"), (8080, "TCP", "igw")),
    ),
    Instance(
        name="bastion-05",
        account="123456789012",
        region="eu-west-1",
        distro="ubuntu2204",
        instance_type="t3.micro",
        exposure="internet",
        ssm="Online",
        volume_gib=16,
        extra_tags={"Service": "bastion"},
        lang=(
            (
                "CVE-2023-43804",
                pypkg("urllib3", "1.26.5", "1.26.17", "/usr/local/lib/python3.10/dist-packages"),
            ),
        ),
        ports=((22, "TCP", "igw"), (51820, "UDP", "igw")),
    ),
    Instance(
        name="ml-worker-06",
        account="444455556666",
        region="us-east-1",
        distro="ubuntu2404",
        instance_type="g5.xlarge",
        exposure="isolated",
        ssm="ConnectionLost",
        volumes=2,
        volume_gib=500,
        extra_tags={"Service": "ml-training"},
        lang=(
            (
                "CVE-2024-35195",
                pypkg(
                    "requests",
                    "2.31.0",
                    "2.32.0",
                    "/home/ubuntu/.local/lib/python3.12/site-packages",
                ),
            ),
            *urllib3_pkgs("2.0.4", "/home/ubuntu/.local/lib/python3.12/site-packages"),
        ),
    ),
    Instance(
        name="db-rhel-07",
        account="111122223333",
        region="ap-northeast-1",
        distro="rhel9",
        instance_type="r6i.xlarge",
        exposure="internal",
        ssm="Online",
        volumes=3,
        volume_gib=400,
        extra_tags={"Service": "mysql"},
        ports=((3306, "TCP", "pcx"),),
    ),
    Instance(
        name="jenkins-08",
        account="444455556666",
        region="eu-west-1",
        distro="rhel9",
        instance_type="m5.large",
        exposure="internet",
        ssm=None,
        volumes=2,
        volume_gib=200,
        extra_tags={"Service": "ci"},
        lang=(
            (
                "CVE-2022-42889",
                jar(
                    COMMONS_TEXT,
                    "1.9",
                    "1.10.0",
                    "/var/lib/jenkins/plugins/lib/commons-text-1.9.jar",
                ),
            ),
            (
                "CVE-2023-39325",
                gobin("golang.org/x/net", "0.15.0", "0.17.0", "/opt/tools/bin/terraform"),
            ),
        ),
        ports=((22, "TCP", "igw"), (8080, "TCP", "igw")),
    ),
    Instance(
        name="cache-deb-09",
        account="123456789012",
        region="eu-west-1",
        distro="debian12",
        instance_type="r6g.large",
        exposure="internal",
        ssm="Online",
        arch="arm64",
        extra_tags={"Service": "redis"},
        ports=((6379, "TCP", "pcx"),),
    ),
    Instance(
        name="app-deb-10",
        account="444455556666",
        region="us-east-1",
        distro="debian12",
        instance_type="t3.medium",
        exposure="internal",
        ssm=None,
        extra_tags={"Service": "intranet-app"},
        lang=(
            ("CVE-2024-29041", nodepkg("express", "4.18.2", "4.19.2", "/srv/intranet")),
            ("CVE-2023-26136", nodepkg("tough-cookie", "4.0.0", "4.1.3", "/srv/intranet")),
        ),
        ports=((22, "TCP", "vgw"),),
    ),
    Instance(
        name="win-ad-11",
        account="123456789012",
        region="us-east-1",
        distro="windows2022",
        instance_type="m6i.large",
        exposure="internal",
        ssm="Online",
        volume_gib=100,
        extra_tags={"Service": "active-directory"},
        ports=((3389, "TCP", "vgw"), (53, "UDP", "pcx")),
    ),
    Instance(
        name="win-rdgw-12",
        account="111122223333",
        region="ap-northeast-1",
        distro="windows2022",
        instance_type="m6i.large",
        exposure="internet",
        ssm="Online",
        volume_gib=100,
        extra_tags={"Service": "rd-gateway"},
        ports=((3389, "TCP", "igw"), (443, "TCP", "igw")),
    ),
    Instance(
        name="tools-13",
        account="444455556666",
        region="ap-northeast-1",
        distro="ubuntu2204",
        instance_type="t3.small",
        exposure="internal",
        ssm=None,
        extra_tags={"Service": "ops-tools"},
        lang=(
            (
                "CVE-2024-21626",
                gobin("github.com/opencontainers/runc", "1.1.11", "1.1.12", "/usr/local/sbin/runc"),
            ),
            (
                "CVE-2023-39325",
                gobin("golang.org/x/net", "0.15.0", "0.17.0", "/home/ubuntu/bin/deployer"),
            ),
        ),
        ports=((22, "TCP", "vgw"),),
    ),
    Instance(
        name="etl-14",
        account="123456789012",
        region="eu-west-1",
        distro="al2023",
        instance_type="m6g.large",
        exposure="isolated",
        ssm=None,
        arch="arm64",
        extra_tags={"Service": "etl"},
        lang=(
            (
                "CVE-2023-30861",
                pypkg("flask", "2.0.0", "2.3.2", "/opt/etl/lib/python3.9/site-packages"),
            ),
            (
                "CVE-2023-32681",
                pypkg("requests", "2.25.0", "2.31.0", "/opt/etl/lib/python3.9/site-packages"),
            ),
        ),
    ),
    # --- three instances that Inspector does not scan: they have NO findings ------------
    Instance(
        name="excluded-15",
        account="111122223333",
        region="us-east-1",
        distro="al2023",
        instance_type="t3.medium",
        exposure="internal",
        ssm="Online",
        excluded=True,
        extra_tags={"Service": "load-test"},
    ),
    Instance(
        name="stopped-16",
        account="444455556666",
        region="eu-west-1",
        distro="ubuntu2204",
        instance_type="t3.medium",
        exposure="internal",
        ssm="Online",
        state="stopped",
        extra_tags={"Service": "spare"},
    ),
    Instance(
        name="archive-17",
        account="123456789012",
        region="ap-northeast-1",
        distro="rhel9",
        instance_type="r6i.2xlarge",
        exposure="internal",
        ssm=None,
        volumes=9,
        volume_gib=1500,
        extra_tags={"Service": "archive"},
    ),
)

# --- coverage scenarios: instances that exercise every coverage status and both account scan
# modes. They have NO findings, and their ids and dates come from their own RNG, drawn after
# the main stream, so nothing generated for the instances above changes. ------------------
SCENARIO_INSTANCES: tuple[Instance, ...] = (
    Instance(
        name="reports-unmanaged-18",
        account="111122223333",
        region="us-east-1",
        distro="al2023",
        instance_type="t3.medium",
        exposure="internal",
        ssm=None,
        extra_tags={"Service": "reports"},
        scenario="unmanaged in an agent-based (EC2_SSM_AGENT_BASED) region: not scanned; "
        "hybrid mode would scan it agentless",
    ),
    Instance(
        name="queue-worker-19",
        account="111122223333",
        region="us-east-1",
        distro="ubuntu2404",
        instance_type="c6i.large",
        exposure="internal",
        ssm="Online",
        volume_gib=40,
        extra_tags={"Service": "queue-worker"},
        scenario="SSM-managed in an agent-based region: scanned by the agent",
    ),
    Instance(
        name="scratch-nvme-20",
        account="444455556666",
        region="us-east-1",
        distro="ubuntu2204",
        instance_type="i4i.xlarge",
        exposure="internal",
        ssm=None,
        root_device="instance-store",
        volume_gib=100,
        extra_tags={"Service": "scratch"},
        scenario="unmanaged, instance-store root: agentless reads EBS snapshots only",
    ),
    Instance(
        name="fileserver-21",
        account="444455556666",
        region="eu-west-1",
        distro="rhel9",
        instance_type="m6i.xlarge",
        exposure="internal",
        ssm=None,
        volumes=8,
        volume_sizes=(50, 100, 100, 100, 100, 100, 100, 100),
        volume_gib=750,
        extra_tags={"Service": "file-shares"},
        scenario="unmanaged with 8 volumes (750 GiB): agentless needs fewer than 8",
    ),
    Instance(
        name="mac-build-22",
        account="444455556666",
        region="us-east-1",
        distro="macos14",
        instance_type="mac2.metal",
        exposure="internal",
        ssm="Online",
        arch="arm64_mac",
        volume_gib=200,
        extra_tags={"Service": "ios-build"},
        scenario="macOS: agent-based only",
    ),
    Instance(
        name="suse-data-23",
        account="444455556666",
        region="ap-northeast-1",
        distro="sles157",
        instance_type="m6i.large",
        exposure="internal",
        ssm=None,
        volume_gib=60,
        volume_fs="btrfs",
        extra_tags={"Service": "sap-data"},
        scenario="unmanaged on btrfs: agentless reads only ext3, ext4 and xfs",
    ),
    Instance(
        name="reporting-stale-24",
        account="123456789012",
        region="eu-west-1",
        distro="debian12",
        instance_type="t3.large",
        exposure="internal",
        ssm="Online",
        inventory_days=12,
        volume_gib=50,
        extra_tags={"Service": "reporting"},
        scenario="SSM-managed but inventory 12 days old (stale after 7): hybrid scans it agentless",
    ),
    Instance(
        name="legacy-centos-25",
        account="123456789012",
        region="ap-northeast-1",
        distro="centos7",
        instance_type="m5.large",
        exposure="internal",
        ssm="Online",
        volume_gib=80,
        extra_tags={"Service": "legacy-erp"},
        scenario="CentOS Linux 7: not a supported OS",
    ),
    Instance(
        name="win2012-26",
        account="123456789012",
        region="us-east-1",
        distro="windows2012r2",
        instance_type="m5.large",
        exposure="internal",
        ssm="Online",
        volume_gib=100,
        extra_tags={"Service": "legacy-file-server"},
        scenario="Windows Server 2012 R2: not a supported OS",
    ),
    Instance(
        name="web-canary-27",
        account="123456789012",
        region="eu-west-1",
        distro="al2023",
        instance_type="t3.small",
        exposure="internet",
        ssm="Online",
        launched_hours_ago=1,
        extra_tags={"Service": "canary"},
        scenario="launched an hour ago: first scan pending (PENDING_INITIAL_SCAN)",
    ),
    # Enhanced EC2 Scanning (the Inspector VM Scanner), docs/facts.md#vm-scanner. acme-dev
    # activated it in eu-west-1 (common.ACCOUNTS ``vm_scanner_by_region``): Inspector installs
    # the scanner through SSM on the managed instances there.
    Instance(
        name="win-vmscan-28",
        account="444455556666",
        region="eu-west-1",
        distro="windows2022",
        instance_type="m6i.large",
        exposure="internal",
        ssm="Online",
        volume_gib=120,
        extra_tags={"Service": "dotnet-api"},
        scenario="Windows under Enhanced EC2 Scanning: the VM scanner, installed through SSM, "
        "scans it (EC2_INSPECTOR_AGENT_BASED)",
    ),
    Instance(
        name="api-vmscan-29",
        account="444455556666",
        region="eu-west-1",
        distro="al2023",
        instance_type="c7g.large",
        exposure="internal",
        ssm="Online",
        arch="arm64",
        volume_gib=40,
        extra_tags={"Service": "go-api"},
        scenario="Linux under Enhanced EC2 Scanning: the VM scanner replaces the SSM plugin",
    ),
    Instance(
        name="ops-manual-30",
        account="111122223333",
        region="us-east-1",
        distro="ubuntu2404",
        instance_type="t3.medium",
        exposure="internal",
        ssm=None,
        vm_scanner_manual=True,
        volume_gib=30,
        extra_tags={"Service": "ops-tools"},
        scenario="VM scanner installed by hand: agent-based scanning without SSM, in a region "
        "where an unmanaged instance is otherwise not scanned",
    ),
    Instance(
        name="legacy-deb11-31",
        account="123456789012",
        region="eu-west-1",
        distro="debian11",
        instance_type="t3.medium",
        exposure="internal",
        ssm="Online",
        volume_gib=40,
        extra_tags={"Service": "legacy-reports"},
        scenario="Debian 11 past its discontinued date: still scanned and billed in its "
        "end-of-life tail, with a CRITICAL end-of-life finding",
    ),
)

IMAGES: tuple[Image, ...] = (
    Image(
        repository="payments/api",
        account="111122223333",
        region="us-east-1",
        distro="debian12",
        tags=("v2.14.0", "latest"),
        architecture="amd64",
        author="payments-team",
        lang=(
            (
                "CVE-2023-30861",
                pypkg("flask", "2.0.0", "2.3.2", "/usr/local/lib/python3.11/site-packages"),
            ),
            *requests_pkgs("2.28.1", "/usr/local/lib/python3.11/site-packages"),
            *urllib3_pkgs("1.26.12", "/usr/local/lib/python3.11/site-packages"),
        ),
        drop_os=frozenset({"CVE-2024-0727"}),
    ),
    Image(
        repository="web/frontend",
        account="111122223333",
        region="ap-northeast-1",
        distro="alpine318",
        tags=("1.9.3",),
        architecture="amd64",
        author=None,
        lang=(
            ("CVE-2022-25883", nodepkg("semver", "7.3.8", "7.5.2", "/app")),
            ("CVE-2023-26136", nodepkg("tough-cookie", "4.1.2", "4.1.3", "/app")),
            ("CVE-2024-29041", nodepkg("express", "4.18.2", "4.19.2", "/app")),
        ),
    ),
    Image(
        repository="platform/worker",
        account="444455556666",
        region="us-east-1",
        distro="al2",
        tags=("2026.09.1",),
        architecture="arm64",
        author="platform-team",
        lang=(
            *log4j_pkgs("/opt/worker/lib/log4j-core-2.14.1.jar"),
            (
                "CVE-2022-42889",
                jar(COMMONS_TEXT, "1.9", "1.10.0", "/opt/worker/lib/commons-text-1.9.jar"),
            ),
        ),
        drop_os=frozenset({"CVE-2023-7104"}),
    ),
    Image(
        repository="data/etl",
        account="444455556666",
        region="eu-west-1",
        distro="ubuntu2404",
        tags=("nightly",),
        architecture="amd64",
        author=None,
        lang=(
            (
                "CVE-2024-35195",
                pypkg("requests", "2.31.0", "2.32.0", "/usr/lib/python3/dist-packages"),
            ),
            *urllib3_pkgs("2.0.4", "/usr/lib/python3/dist-packages"),
        ),
    ),
    Image(
        repository="infra/agent",
        account="123456789012",
        region="eu-west-1",
        distro="alpine318",
        tags=("0.42.0",),
        architecture="arm64",
        author=None,
        lang=(
            (
                "CVE-2024-21626",
                gobin("github.com/opencontainers/runc", "1.1.11", "1.1.12", "/usr/local/bin/agent"),
            ),
            (
                "CVE-2023-39325",
                gobin("golang.org/x/net", "0.15.0", "0.17.0", "/usr/local/bin/agent"),
            ),
            ("CVE-2024-24790", gobin("stdlib", "1.22.3", "1.22.4", "/usr/local/bin/agent")),
        ),
        drop_os=frozenset({"CVE-2023-38545", "CVE-2023-38546", "CVE-2023-7104"}),
    ),
    Image(
        repository="tools/builder",
        account="123456789012",
        region="ap-northeast-1",
        distro="debian12",
        tags=("bookworm-2026.10",),
        architecture="amd64",
        author="build-infra",
        # A statically linked curl found on disk: Inspector reports such packages with
        # the packageManager GENERIC, a value that is not in the botocore model's enum.
        extra_os=(
            (
                "CVE-2024-3094",
                (
                    deb("xz-utils", "5.6.1", "1", "5.6.1+really5.4.5-1"),
                    deb("liblzma5", "5.6.1", "1", "5.6.1+really5.4.5-1"),
                ),
            ),
        ),
        lang=(
            (
                "CVE-2023-38545",
                Pkg("curl", "8.3.0", None, 0, "8.4.0", "GENERIC", "/usr/local/bin/curl"),
            ),
        ),
        drop_os=frozenset({"CVE-2023-38546", "CVE-2023-52425", "CVE-2023-29383"}),
    ),
)

LAYER_DEPS = "arn:aws:lambda:us-east-1:111122223333:layer:shared-python-deps:7"

FUNCTIONS: tuple[Function, ...] = (
    Function(
        name="orders-webhook",
        account="111122223333",
        region="us-east-1",
        runtime="PYTHON_3_12",
        architecture="X86_64",
        lang=(
            (
                "CVE-2023-32681",
                Pkg("requests", "2.28.2", None, 0, "2.31.0", "PIP", "requirements.txt"),
            ),
            (
                "CVE-2024-35195",
                Pkg("requests", "2.28.2", None, 0, "2.32.0", "PIP", "requirements.txt"),
            ),
            (
                "CVE-2023-43804",
                Pkg(
                    "urllib3",
                    "1.26.15",
                    None,
                    0,
                    "1.26.17",
                    "PYTHONPKG",
                    "python/lib/python3.12/site-packages/urllib3-1.26.15.dist-info/METADATA",
                    layer=LAYER_DEPS,
                ),
            ),
        ),
        code=(
            ("python/hardcoded-credentials", "app/settings.py", 12),
            ("python/log-injection", "app/handler.py", 48),
        ),
        layers=(LAYER_DEPS,),
        in_vpc=True,
    ),
    Function(
        name="image-resizer",
        account="111122223333",
        region="ap-northeast-1",
        runtime="NODEJS_20_X",
        architecture="ARM64",
        lang=(
            (
                "CVE-2022-25883",
                Pkg("semver", "7.3.8", None, 0, "7.5.2", "NPM", "package-lock.json"),
            ),
        ),
        code=(("javascript/os-command-injection", "src/resize.js", 27),),
    ),
    Function(
        name="report-builder",
        account="444455556666",
        region="us-east-1",
        runtime="PYTHON_3_11",
        architecture="ARM64",
        lang=(
            ("CVE-2023-30861", Pkg("flask", "2.2.2", None, 0, "2.2.5", "PIP", "requirements.txt")),
            (
                "CVE-2024-37891",
                Pkg("urllib3", "1.26.15", None, 0, "1.26.19", "PIP", "requirements.txt"),
            ),
        ),
        code=(("python/sql-injection", "reports/query.py", 73),),
    ),
    Function(
        name="auth-token-check",
        account="444455556666",
        region="eu-west-1",
        runtime="NODEJS_18_X",
        architecture="X86_64",
        lang=(
            (
                "CVE-2023-26136",
                Pkg("tough-cookie", "4.1.2", None, 0, "4.1.3", "NPM", "package-lock.json"),
            ),
            (
                "CVE-2024-29041",
                Pkg("express", "4.18.2", None, 0, "4.19.2", "NPM", "package-lock.json"),
            ),
        ),
        code=(("javascript/log-injection", "index.js", 19),),
        in_vpc=True,
    ),
    Function(
        name="log-shipper",
        account="123456789012",
        region="eu-west-1",
        runtime="PYTHON_3_9",
        architecture="X86_64",
        lang=(
            (
                "CVE-2023-43804",
                Pkg("urllib3", "1.26.12", None, 0, "1.26.17", "PIP", "requirements.txt"),
            ),
            (
                "CVE-2024-37891",
                Pkg("urllib3", "1.26.12", None, 0, "1.26.19", "PIP", "requirements.txt"),
            ),
            (
                "CVE-2023-32681",
                Pkg("requests", "2.27.1", None, 0, "2.31.0", "PIP", "requirements.txt"),
            ),
        ),
        code=(("python/log-injection", "lambda_function.py", 31),),
    ),
    Function(
        name="graphql-gateway",
        account="123456789012",
        region="ap-northeast-1",
        runtime="NODEJS_22_X",
        architecture="X86_64",
        lang=(
            (
                "CVE-2024-29041",
                Pkg("express", "4.18.3", None, 0, "4.19.2", "NPM", "package-lock.json"),
            ),
            (
                "CVE-2022-25883",
                Pkg("semver", "6.3.0", None, 0, "6.3.1", "NPM", "package-lock.json"),
            ),
        ),
        code=(("javascript/hardcoded-credentials", "src/config.js", 8),),
    ),
)


@dataclass(frozen=True)
class Detector:
    """An Amazon Q / CodeGuru detector used by Lambda code scanning."""

    name: str
    cwes: tuple[str, ...]
    tags: tuple[str, ...]
    severity: str
    rule_id: str | None  # only where a real rule id is published
    description: str
    remediation: str


DETECTORS: Mapping[str, Detector] = MappingProxyType(
    {
        "python/hardcoded-credentials": Detector(
            name="Hardcoded credentials",
            cwes=("CWE-798",),
            tags=("secrets", "security", "owasp-top10", "top25-cwes", "cwe-798", "Python"),
            severity="CRITICAL",
            rule_id="python-detect-hardcoded-aws-credentials",
            description=(
                "Credentials are written into the source code, where anyone with access to "
                "the code or its history can read them."
            ),
            remediation=(
                "Load the credentials from the execution role, environment variables or AWS "
                "Secrets Manager, and rotate the exposed key."
            ),
        ),
        "javascript/hardcoded-credentials": Detector(
            name="Hardcoded credentials",
            cwes=("CWE-798",),
            tags=("secrets", "security", "owasp-top10", "top25-cwes", "cwe-798", "JavaScript"),
            severity="CRITICAL",
            rule_id=None,
            description="A secret is embedded in the function source.",
            remediation=(
                "Move the secret to AWS Secrets Manager or an encrypted environment variable and "
                "rotate it."
            ),
        ),
        "python/log-injection": Detector(
            name="Log injection",
            cwes=("CWE-117",),
            tags=("data-integrity", "injection", "owasp-top10", "cwe-117", "Python"),
            severity="HIGH",
            rule_id=None,
            description=(
                "User-controlled data is written to the log without "
                "neutralising line breaks, so an "
                "attacker can forge log entries."
            ),
            remediation="Sanitise or encode untrusted values before logging them.",
        ),
        "javascript/log-injection": Detector(
            name="Log injection",
            cwes=("CWE-117",),
            tags=("data-integrity", "injection", "owasp-top10", "cwe-117", "JavaScript"),
            severity="HIGH",
            rule_id=None,
            description=(
                "Request data reaches console output unsanitised, allowing forged log lines."
            ),
            remediation="Strip or encode CR/LF characters from untrusted input before logging.",
        ),
        "python/sql-injection": Detector(
            name="SQL injection",
            cwes=("CWE-89",),
            tags=("injection", "sql", "owasp-top10", "top25-cwes", "cwe-89", "Python"),
            severity="HIGH",
            rule_id=None,
            description="A SQL statement is built from untrusted input by string formatting.",
            remediation=(
                "Use parameterised queries instead of formatting values into the statement."
            ),
        ),
        "javascript/os-command-injection": Detector(
            name="OS command injection",
            cwes=("CWE-77", "CWE-78", "CWE-88"),
            tags=("injection", "subprocess", "owasp-top10", "top25-cwes", "cwe-78", "JavaScript"),
            severity="HIGH",
            rule_id=None,
            description="An operating-system command is assembled from request parameters.",
            remediation=(
                "Pass arguments as an array to a non-shell API and validate "
                "them against an allow list."
            ),
        ),
    }
)


def filesystem(distro: Distro) -> str:
    if distro.family == "windows":
        return "ntfs"
    if distro.family == "macos":
        return "apfs"
    return "xfs" if distro.arch_style == "rpm" else "ext4"


def instance_filesystem(inst: Instance) -> str:
    return inst.volume_fs or filesystem(distro_of(inst.distro))


# --------------------------------------------------------------------------------------
# Machine images (AMIs): continuous AMI scanning and on-demand scans (docs/facts.md#ami)
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MachineImage:
    """An AMI the estate's accounts own, and how Inspector scanned it.

    Ids derive from the name (no RNG), so adding images changes nothing else.
    ``on_demand`` is the outcome of a ``StartOnDemandScan`` (``None``: never requested):
    ``(status, reason)``, e.g. ``("SUCCESSFUL", None)`` or ``("FAILED", "UNSUPPORTED_OS")``.
    """

    name: str
    account: str
    region: str
    platform: str  # MachineImagePlatform: LINUX | WINDOWS
    architecture: str  # x86_64 | arm64
    created: str  # ISO date
    last_launched: str | None  # ISO date, None: never launched
    source: str  # the instance (by name) it was built from, or a description
    on_demand: tuple[str, str | None] | None = None
    tags: tuple[tuple[str, str], ...] = ()


MACHINE_IMAGES: tuple[MachineImage, ...] = (
    MachineImage(
        name="golden-al2023-2026.11.0",
        account="123456789012",
        region="us-east-1",
        platform="LINUX",
        architecture="x86_64",
        created="2026-11-02",
        last_launched="2026-11-20",
        source="image pipeline golden-linux",
        tags=(("Golden", "true"), ("Team", "platform")),
    ),
    MachineImage(
        name="golden-win2022-2026.10.1",
        account="123456789012",
        region="us-east-1",
        platform="WINDOWS",
        architecture="x86_64",
        created="2026-10-14",
        last_launched="2026-11-18",
        source="image pipeline golden-windows",
        tags=(("Golden", "true"), ("Team", "platform")),
    ),
    MachineImage(
        name="legacy-al2-2025.03.2",
        account="123456789012",
        region="us-east-1",
        platform="LINUX",
        architecture="x86_64",
        created="2025-03-10",
        last_launched="2026-02-01",
        source="retired image pipeline",
        on_demand=("SUCCESSFUL", None),
        tags=(("Team", "platform"),),
    ),
    MachineImage(
        name="centos7-base-2023.06",
        account="123456789012",
        region="ap-northeast-1",
        platform="LINUX",
        architecture="x86_64",
        created="2023-06-20",
        last_launched=None,
        source="imported image",
        on_demand=("FAILED", "UNSUPPORTED_OS"),
        tags=(("Team", "legacy-erp"),),
    ),
)
