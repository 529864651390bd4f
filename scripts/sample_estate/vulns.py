"""Declarative catalogue: real CVE ids with real, verified CVSS vectors, and Windows KBs."""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING

from cvss import CVSS2

from .common import JSON, cvss3_base, score

if TYPE_CHECKING:
    from collections.abc import Mapping

# --------------------------------------------------------------------------------------
# Vulnerability catalogue: real CVE ids and real, verified CVSS vectors
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cvss:
    """One published CVSS vector, as Inspector lists it in ``packageVulnerabilityDetails.cvss``."""

    source: str  # "NVD", "GITHUB", "REDHAT_CVE", "UBUNTU_CVE", "AMAZON_CVE"
    vector: str

    @property
    def version(self) -> str:
        return "3.1" if self.vector.startswith("CVSS:3.1/") else "2.0"

    @property
    def base(self) -> float:
        if self.version == "2.0":
            return score(CVSS2(self.vector).scores()[0])
        return cvss3_base(self.vector)

    def to_api(self) -> JSON:
        return {
            "baseScore": self.base,
            "scoringVector": self.vector,
            "version": self.version,
            "source": self.source,
        }


@dataclass(frozen=True)
class Vuln:
    """A vulnerability and the public facts we use about it."""

    vuln_id: str
    published: str  # real NVD publication date (UTC)
    summary: str  # our own one-line summary (not the NVD text)
    scores: tuple[Cvss, ...]  # NVD / GitHub vectors; vendor vectors live in VENDOR_CVSS
    epss: float  # illustrative EPSS probability (not the live FIRST value)
    exploited: bool = False  # exploitAvailable YES
    advisory: str | None = None  # GitHub advisory id for language packages
    verified_by: str = "NVD record"  # where the vector(s) were checked


def _nvd(vector: str) -> Cvss:
    return Cvss("NVD", "CVSS:3.1/" + vector)


def _gh(vector: str) -> Cvss:
    return Cvss("GITHUB", "CVSS:3.1/" + vector)


_CRIT = "AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"
_DOS = "AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H"

VULNS: dict[str, Vuln] = {
    v.vuln_id: v
    for v in (
        # --- operating-system packages ---------------------------------------------------
        Vuln(
            vuln_id="CVE-2023-38545",
            published="2023-10-18T04:15:11.077Z",
            summary="curl/libcurl can overflow a heap buffer during a slow SOCKS5 proxy handshake "
            "when asked to pass a host name longer than 255 bytes to the proxy.",
            scores=(_nvd(_CRIT),),
            epss=0.2391,
            exploited=True,
            verified_by="NVD record; Red Hat vector from a public Trivy report",
        ),
        Vuln(
            vuln_id="CVE-2023-38546",
            published="2023-10-18T04:15:11.137Z",
            summary="libcurl can load cookies from a file named 'none' after an easy handle with "
            "cookies enabled is duplicated.",
            scores=(_nvd("AV:N/AC:H/PR:N/UI:N/S:U/C:N/I:L/A:N"),),
            epss=0.0021,
            verified_by="NVD record; Red Hat vector from a public Trivy report",
        ),
        Vuln(
            vuln_id="CVE-2024-3094",
            published="2024-03-29T17:15:21.150Z",
            summary="Malicious code in the upstream xz 5.6.0 and 5.6.1 tarballs modifies liblzma "
            "and can interfere with software linked against it.",
            scores=(_nvd("AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H"),),
            epss=0.8512,
            exploited=True,
        ),
        Vuln(
            vuln_id="CVE-2024-6387",
            published="2024-07-01T13:15:06.467Z",
            summary="A signal-handler race in the OpenSSH server (regreSSHion) may let an "
            "unauthenticated remote attacker run code as root.",
            scores=(_nvd("AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H"),),
            epss=0.3824,
            exploited=True,
        ),
        Vuln(
            vuln_id="CVE-2023-4911",
            published="2023-10-03T18:15:10.463Z",
            summary="A buffer overflow in the glibc dynamic loader while parsing GLIBC_TUNABLES "
            "lets a local user gain root through SUID binaries.",
            scores=(),
            epss=0.7104,
            exploited=True,
            verified_by="NVD record (Red Hat CNA vector)",
        ),
        Vuln(
            vuln_id="CVE-2023-0286",
            published="2023-02-08T20:15:24.267Z",
            summary="Type confusion in OpenSSL X.400 address processing can leak memory or crash "
            "a process that checks CRLs.",
            scores=(_nvd("AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:N/A:H"),),
            epss=0.0068,
        ),
        Vuln(
            vuln_id="CVE-2021-3156",
            published="2021-01-26T21:15:12.987Z",
            summary=(
                "An off-by-one heap overflow in sudo (Baron Samedit) lets a local user become root."
            ),
            scores=(_nvd("AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H"),),
            epss=0.7412,
            exploited=True,
        ),
        Vuln(
            vuln_id="CVE-2022-0778",
            published="2022-03-15T17:15:08.513Z",
            summary="OpenSSL BN_mod_sqrt() can loop forever on crafted certificates, a denial of "
            "service for anything that parses them.",
            scores=(_nvd(_DOS),),
            epss=0.0519,
        ),
        Vuln(
            vuln_id="CVE-2023-48795",
            published="2023-12-18T16:15:10.897Z",
            summary="The Terrapin attack lets a network attacker drop SSH extension-negotiation "
            "messages and downgrade connection security.",
            scores=(),
            epss=0.6412,
            verified_by="NVD record had no score in our snapshot (UNTRIAGED)",
        ),
        Vuln(
            vuln_id="CVE-2023-44487",
            published="2023-10-10T14:15:10.883Z",
            summary="HTTP/2 Rapid Reset: clients that open and cancel streams quickly can exhaust "
            "server resources.",
            scores=(_nvd(_DOS),),
            epss=0.9433,
            exploited=True,
        ),
        Vuln(
            vuln_id="CVE-2022-37434",
            published="2022-08-05T07:15:07.240Z",
            summary=(
                "zlib inflate() can overflow a heap buffer on a gzip header with a large extra "
                "field."
            ),
            scores=(_nvd(_CRIT),),
            epss=0.0312,
        ),
        Vuln(
            vuln_id="CVE-2024-45490",
            published="2024-08-30T03:15:03.757Z",
            summary="libexpat does not reject a negative length passed to XML_ParseBuffer.",
            scores=(_nvd(_DOS),),
            epss=0.0011,
        ),
        Vuln(
            vuln_id="CVE-2023-52425",
            published="2024-02-04T20:15:46.063Z",
            summary=(
                "libexpat re-parses large tokens many times, a resource-exhaustion denial of "
                "service."
            ),
            scores=(_nvd(_DOS),),
            epss=0.0043,
        ),
        Vuln(
            vuln_id="CVE-2024-29069",
            published="2024-07-25T20:15:00.000Z",
            summary="snapd may follow symbolic links while extracting a snap and copy the target's "
            "contents into a world-readable directory.",
            scores=(_nvd("AV:L/AC:L/PR:L/UI:R/S:U/C:H/I:H/A:H"),),
            epss=0.0004,
            verified_by="AWS EventBridge finding example (NVD and UBUNTU_CVE vectors)",
        ),
        Vuln(
            vuln_id="CVE-2024-6119",
            published="2024-09-03T00:00:00.000Z",
            summary=(
                "OpenSSL X.509 name checks can read invalid memory and crash (denial of service)."
            ),
            scores=(),
            epss=0.0005,
            verified_by="AWS EventBridge ECR example (vendor severity, no CVSS)",
        ),
        Vuln(
            vuln_id="CVE-2025-38064",
            published="2025-06-18T00:00:00.000Z",
            summary=(
                "A Linux kernel virtio issue fixed by breaking and resetting virtio devices on "
                "shutdown."
            ),
            scores=(),
            epss=0.0002,
            verified_by="AWS Image Builder API example (AMAZON_CVE vector)",
        ),
        Vuln(
            vuln_id="CVE-2005-2541",
            published="2005-08-10T04:00:00.000Z",
            summary=(
                "tar does not warn when extracting setuid or setgid files (documented behaviour)."
            ),
            scores=(Cvss("NVD", "AV:N/AC:L/Au:N/C:C/I:C/A:C"),),
            epss=0.0187,
            verified_by="NVD record (CVSS v2 only)",
        ),
        Vuln(
            vuln_id="CVE-2023-42363",
            published="2023-11-27T22:15:07.940Z",
            summary="A use-after-free in BusyBox xasprintf().",
            scores=(),
            epss=0.0004,
            verified_by="NVD record had no score in our snapshot (UNTRIAGED)",
        ),
        Vuln(
            vuln_id="CVE-2022-48174",
            published="2023-08-22T19:16:31.080Z",
            summary="A stack overflow in the BusyBox ash shell can lead to code execution.",
            scores=(_nvd(_CRIT),),
            epss=0.0026,
        ),
        Vuln(
            vuln_id="CVE-2023-29383",
            published="2023-04-14T22:15:07.680Z",
            summary="shadow's chfn accepts control characters, so /etc/passwd can be made to look "
            "as if it contained a rogue user.",
            scores=(_nvd("AV:L/AC:L/PR:L/UI:N/S:U/C:N/I:L/A:N"),),
            epss=0.0004,
        ),
        Vuln(
            vuln_id="CVE-2022-48303",
            published="2023-01-30T04:15:08.030Z",
            summary="GNU tar reads one byte out of bounds on a crafted V7 archive.",
            scores=(_nvd("AV:L/AC:L/PR:N/UI:R/S:U/C:N/I:N/A:H"),),
            epss=0.0009,
        ),
        Vuln(
            vuln_id="CVE-2023-7104",
            published="2023-12-29T10:15:13.890Z",
            summary="A heap buffer overflow in the SQLite session extension (sessionReadRecord).",
            scores=(_nvd("AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:L/A:L"),),
            epss=0.0016,
        ),
        Vuln(
            vuln_id="CVE-2023-5363",
            published="2023-10-25T18:17:43.613Z",
            summary="OpenSSL 3.0/3.1 apply key and IV length changes too late, which can truncate "
            "the IV and break confidentiality in some cipher modes.",
            scores=(_nvd("AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N"),),
            epss=0.0021,
        ),
        Vuln(
            vuln_id="CVE-2024-0727",
            published="2024-01-26T09:15:07.637Z",
            summary="OpenSSL can dereference NULL while parsing a malformed PKCS12 file.",
            scores=(),
            epss=0.0013,
            verified_by="NVD record had no score in our snapshot (UNTRIAGED)",
        ),
        Vuln(
            vuln_id="CVE-2024-38063",
            published="2024-08-13T18:15:10.007Z",
            summary="Windows TCP/IP remote code execution through crafted IPv6 packets.",
            scores=(_nvd(_CRIT),),
            epss=0.0493,
            verified_by="NVD record (Microsoft CNA vector)",
        ),
        # --- language packages -----------------------------------------------------------
        Vuln(
            vuln_id="CVE-2021-44228",
            published="2021-12-10T10:15:09.143Z",
            summary="Log4Shell: JNDI lookups in Log4j 2 log messages let an attacker load and run "
            "remote code.",
            scores=(_nvd("AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H"),),
            epss=0.9447,
            exploited=True,
            advisory="GHSA-jfh8-c2jp-5v3q",
        ),
        Vuln(
            vuln_id="CVE-2021-45046",
            published="2021-12-14T19:15:07.733Z",
            summary="The Log4j 2.15.0 fix for Log4Shell was incomplete for some non-default "
            "pattern layouts.",
            scores=(_nvd("AV:N/AC:H/PR:N/UI:N/S:C/C:H/I:H/A:H"),),
            epss=0.9436,
            exploited=True,
            advisory="GHSA-7rjr-3q55-vv33",
        ),
        Vuln(
            vuln_id="CVE-2022-42889",
            published="2022-10-13T13:15:10.113Z",
            summary="Text4Shell: Apache Commons Text default interpolators can execute scripts or "
            "contact remote servers.",
            scores=(_nvd(_CRIT),),
            epss=0.9401,
            exploited=True,
            advisory="GHSA-599f-7c49-w659",
        ),
        Vuln(
            vuln_id="CVE-2023-32681",
            published="2023-05-26T18:15:14.147Z",
            summary="requests forwards Proxy-Authorization headers to the destination server on "
            "redirects to HTTPS.",
            scores=(
                _nvd("AV:N/AC:H/PR:N/UI:R/S:C/C:H/I:N/A:N"),
                _gh("AV:N/AC:H/PR:N/UI:R/S:C/C:H/I:N/A:N"),
            ),
            epss=0.0615,
            advisory="GHSA-j8r2-6x86-q33q",
        ),
        Vuln(
            vuln_id="CVE-2024-35195",
            published="2024-05-20T21:15:09.990Z",
            summary="A requests Session keeps skipping certificate verification for a host after "
            "a first request made with verify=False.",
            scores=(_gh("AV:L/AC:H/PR:H/UI:R/S:U/C:H/I:H/A:N"),),
            epss=0.0011,
            advisory="GHSA-9wx4-h78v-vm56",
            verified_by="NVD record (GitHub CNA vector only)",
        ),
        Vuln(
            vuln_id="CVE-2023-43804",
            published="2023-10-04T17:15:10.163Z",
            summary="urllib3 does not strip a user-set Cookie header on cross-origin redirects.",
            scores=(
                _nvd("AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:N"),
                _gh("AV:N/AC:H/PR:H/UI:N/S:U/C:H/I:H/A:N"),
            ),
            epss=0.0081,
            advisory="GHSA-v845-jxx5-vc9f",
        ),
        Vuln(
            vuln_id="CVE-2024-37891",
            published="2024-06-17T20:15:13.450Z",
            summary="urllib3 does not strip Proxy-Authorization on cross-origin redirects when the "
            "header is set without its proxy support.",
            scores=(_gh("AV:N/AC:H/PR:H/UI:N/S:U/C:H/I:N/A:N"),),
            epss=0.0007,
            advisory="GHSA-34jh-p97f-mpxf",
            verified_by="NVD record (GitHub CNA vector only)",
        ),
        Vuln(
            vuln_id="CVE-2023-30861",
            published="2023-05-02T18:15:52.000Z",
            summary="Flask may send one client's session cookie to others behind a caching proxy "
            "that keeps Set-Cookie headers.",
            scores=(_nvd("AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N"),),
            epss=0.0021,
            exploited=True,
            advisory="GHSA-m2qf-hxjv-5gpq",
            verified_by="AWS EventBridge Lambda example",
        ),
        Vuln(
            vuln_id="CVE-2022-25883",
            published="2023-06-21T05:15:09.060Z",
            summary="semver's Range parsing is vulnerable to regular-expression denial of service.",
            scores=(_nvd(_DOS),),
            epss=0.0057,
            advisory="GHSA-c2qf-rxjj-qqgw",
        ),
        Vuln(
            vuln_id="CVE-2023-26136",
            published="2023-07-01T05:15:16.103Z",
            summary="tough-cookie allows prototype pollution when rejectPublicSuffixes is false.",
            scores=(_nvd(_CRIT),),
            epss=0.0072,
            advisory="GHSA-72xf-g2v4-qvf3",
        ),
        Vuln(
            vuln_id="CVE-2024-29041",
            published="2024-03-25T21:15:46.847Z",
            summary="Express res.location()/res.redirect() encode malformed URLs in a way that can "
            "bypass redirect allow lists (open redirect).",
            scores=(_gh("AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N"),),
            epss=0.0009,
            advisory="GHSA-rv95-896h-c2vc",
            verified_by="NVD record (GitHub CNA vector only)",
        ),
        Vuln(
            vuln_id="CVE-2024-21626",
            published="2024-01-31T22:15:53.780Z",
            summary="runc leaks a host file descriptor into the container, allowing a container "
            "escape through the working directory.",
            scores=(_gh("AV:L/AC:L/PR:N/UI:R/S:C/C:H/I:H/A:H"),),
            epss=0.0395,
            exploited=True,
            advisory="GHSA-xr7r-f8xq-vfvv",
            verified_by="GitHub advisory",
        ),
        Vuln(
            vuln_id="CVE-2023-39325",
            published="2023-10-11T22:15:09.880Z",
            summary="Go net/http and golang.org/x/net/http2 servers can be overloaded by rapidly "
            "reset HTTP/2 streams.",
            scores=(_nvd(_DOS),),
            epss=0.0142,
            advisory="GHSA-4374-p667-p6c8",
        ),
        Vuln(
            vuln_id="CVE-2024-24790",
            published="2024-06-05T16:15:10.560Z",
            summary="Go net/netip Is* methods misclassify IPv4-mapped IPv6 addresses.",
            scores=(),
            epss=0.0031,
            verified_by="NVD record had no score in our snapshot (UNTRIAGED)",
        ),
    )
}

# Vendor CVSS v3.1 vectors, only where we could verify them (see README).
VENDOR_CVSS: Mapping[tuple[str, str], str] = MappingProxyType(
    {
        ("CVE-2023-38545", "REDHAT_CVE"): "CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:H/I:H/A:H",
        ("CVE-2023-38546", "REDHAT_CVE"): "CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:L/I:L/A:L",
        ("CVE-2024-6387", "REDHAT_CVE"): "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H",
        ("CVE-2023-4911", "REDHAT_CVE"): "CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H",
        ("CVE-2024-29069", "UBUNTU_CVE"): "CVSS:3.1/AV:L/AC:L/PR:L/UI:R/S:U/C:L/I:L/A:L",
        ("CVE-2025-38064", "AMAZON_CVE"): "CVSS:3.1/AV:L/AC:H/PR:L/UI:N/S:U/C:H/I:H/A:H",
    }
)

# Windows findings are per Microsoft KB and carry the highest score of their CVEs.
WINDOWS_KB = MappingProxyType(
    {
        "kb": "KB5041160",
        "cves": ("CVE-2024-38063",),
        "published": "2024-08-13T17:00:00.000Z",
        "installed": "10.0.20348.2582",
        "fixed": "10.0.20348.2655",
    }
)
