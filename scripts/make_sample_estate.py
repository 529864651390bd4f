#!/usr/bin/env python3
"""Generate the synthetic Amazon Inspector "sample estate" shipped in ``inspector_kit/data``.

This script is the documentation of how the sample data was made. It writes three files
into ``inspector_kit/data/sample_estate/``:

* ``findings.jsonl``  - one Inspector ``Finding`` per line, in the botocore API shape;
* ``resources.json``  - the inventory (accounts with their EC2 scan mode per region, regions,
  EC2 instances with SSM status, volumes, OS and the coverage Inspector reports and an
  analysis should conclude, ECR images, Lambda functions) the findings were generated from;
* ``README.md``       - what the data is, how it was made, counts and conventions.

Besides the 17 original instances, ten findings-free "coverage scenario" instances
(``SCENARIO_INSTANCES``) exercise every coverage status (COVERED, NOT_COVERED, EXCLUDED,
STOPPED, PENDING, UNSUPPORTED) and both account scan modes; ``expectation()`` holds the
DOMAIN.md section 4 rules that give each instance's expected coverage.

Everything is SYNTHETIC: accounts, resource ids, IP addresses, package inventories,
statuses and timestamps are made up. The CVE ids and their CVSS vectors are real public
data (each vector was checked against the NVD record, the GitHub advisory, or an AWS
documentation example; see ``VULNS``), and every score is computed from its vector with
the ``cvss`` package, never typed by hand.

Usage::

    python scripts/make_sample_estate.py           # (re)write the files
    python scripts/make_sample_estate.py --check   # exit 1 if the files are stale

The output is byte-identical from run to run: one ``random.Random`` with a fixed seed for
the original inventory and findings, a second one (``SEED + SCENARIO_SEED_OFFSET``) drawn
only after the first is consumed, for the scenario instances (so adding them changed no
existing id, date or finding), fixed dates (never the wall clock), ids derived from SHA-256
of stable keys (volume ids, SSM details), and a stable ordering. Only the standard library
and ``cvss`` are used, on Python 3.10+.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import random
import sys
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cvss import CVSS2, CVSS3
from sample_estate import derived

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence
    from decimal import Decimal

JSON = dict[str, Any]

SEED = 20261122
OUT_DIR = Path(__file__).resolve().parent.parent / "inspector_kit" / "data" / "sample_estate"

# "Today" is 2026-11-22; every observation, inventory and scan date lies in this window.
# The only dates outside it are vulnerability-intelligence dates that describe the real
# world (``vendorCreatedAt`` = the CVE's real publication date).
WINDOW_START = datetime(2026, 5, 1, tzinfo=timezone.utc)
WINDOW_END = datetime(2026, 11, 21, 23, 0, 0, tzinfo=timezone.utc)
# Inspector deletes CLOSED findings after a short retention period, so the CLOSED
# findings in an export taken today were all closed recently.
CLOSED_SINCE = datetime(2026, 11, 1, tzinfo=timezone.utc)
# The estate's "now" (resources.json ``as_of``): coverage and SSM inventory are judged here.
AS_OF = datetime(2026, 11, 22, tzinfo=timezone.utc)
# The coverage-scenario instances use random.Random(SEED + SCENARIO_SEED_OFFSET).
SCENARIO_SEED_OFFSET = 18

# Our convention for the (unpublished) adjustment strings, see DOMAIN.md section 2.
ADJUSTMENT_METRIC = "ATTACK_VECTOR"
ADJUSTMENT_REASON = "NO_OPEN_NETWORK_PATH_FROM_INTERNET"

REGIONS: tuple[str, ...] = ("us-east-1", "ap-northeast-1", "eu-west-1")

# ``ec2_scan_mode`` is the account's usual mode; ``ec2_scan_mode_by_region`` is authoritative.
ACCOUNTS: tuple[JSON, ...] = (
    {
        "account_id": "111122223333",
        "alias": "acme-prod",
        "environment": "production",
        "ec2_scan_mode": "EC2_HYBRID",
        # Production switched us-east-1 to agent-only scanning: its unmanaged instance there
        # is not scanned at all (hybrid would scan it agentless).
        "ec2_scan_mode_by_region": {
            **dict.fromkeys(REGIONS, "EC2_HYBRID"),
            "us-east-1": "EC2_SSM_AGENT_BASED",
        },
    },
    {
        "account_id": "444455556666",
        "alias": "acme-dev",
        "environment": "development",
        "ec2_scan_mode": "EC2_HYBRID",
        "ec2_scan_mode_by_region": dict.fromkeys(REGIONS, "EC2_HYBRID"),
    },
    {
        "account_id": "123456789012",
        "alias": "acme-shared",
        "environment": "shared-services",
        "ec2_scan_mode": "EC2_HYBRID",
        "ec2_scan_mode_by_region": dict.fromkeys(REGIONS, "EC2_HYBRID"),
    },
)


# --------------------------------------------------------------------------------------
# Small deterministic helpers
# --------------------------------------------------------------------------------------


def iso(ts: datetime) -> str:
    """Format as ISO-8601 UTC with millisecond precision and a ``Z`` suffix."""
    ts = ts.astimezone(timezone.utc)
    return ts.strftime("%Y-%m-%dT%H:%M:%S.") + f"{ts.microsecond // 1000:03d}Z"


def sha_hex(*parts: str) -> str:
    """Hex SHA-256 of the joined parts: stable ids that do not depend on the RNG."""
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


def rand_between(rng: random.Random, start: datetime, end: datetime) -> datetime:
    """A random instant in ``[start, end]`` with millisecond resolution."""
    span_ms = int((end - start).total_seconds() * 1000)
    return start + timedelta(milliseconds=rng.randint(0, max(span_ms, 0)))


def score(value: Decimal | float) -> float:
    """The ``cvss`` package returns ``Decimal``; the API carries a JSON number."""
    return float(str(value))


def cvss3_base(vector: str) -> float:
    return score(CVSS3(vector).scores()[0])


def cvss3_inspector(vector: str) -> float:
    """Environmental score when environmental metrics are present, base otherwise."""
    keys = [part.split(":")[0] for part in vector.split("/")[1:]]
    has_env = any(k.startswith("M") or k in ("CR", "IR", "AR") for k in keys)
    base, _temporal, environmental = CVSS3(vector).scores()
    return score(environmental if has_env else base)


def severity_for(value: float) -> str:
    """Inspector's documented bands for package findings."""
    if value == 0.0:
        return "INFORMATIONAL"
    if value < 4.0:
        return "LOW"
    if value < 7.0:
        return "MEDIUM"
    if value < 9.0:
        return "HIGH"
    return "CRITICAL"


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
VENDOR_CVSS: dict[tuple[str, str], str] = {
    ("CVE-2023-38545", "REDHAT_CVE"): "CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:H/I:H/A:H",
    ("CVE-2023-38546", "REDHAT_CVE"): "CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:L/I:L/A:L",
    ("CVE-2024-6387", "REDHAT_CVE"): "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H",
    ("CVE-2023-4911", "REDHAT_CVE"): "CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H",
    ("CVE-2024-29069", "UBUNTU_CVE"): "CVSS:3.1/AV:L/AC:L/PR:L/UI:R/S:U/C:L/I:L/A:L",
    ("CVE-2025-38064", "AMAZON_CVE"): "CVSS:3.1/AV:L/AC:H/PR:L/UI:N/S:U/C:H/I:H/A:H",
}

# Windows findings are per Microsoft KB and carry the highest score of their CVEs.
WINDOWS_KB = {
    "kb": "KB5041160",
    "cves": ("CVE-2024-38063",),
    "published": "2024-08-13T17:00:00.000Z",
    "installed": "10.0.20348.2582",
    "fixed": "10.0.20348.2655",
}


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
OS_NAMES: dict[str, tuple[str, str]] = {
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
}
# Operating systems Inspector does not scan (DOMAIN.md 4): coverage reason UNSUPPORTED_OS.
UNSUPPORTED_OS = frozenset({"centos7", "windows2012r2"})
# SSM Agent releases the instances run (plausible 2025-2026 version strings).
SSM_AGENT_VERSIONS = ("3.3.1142.0", "3.3.1230.0", "3.3.1345.0", "3.3.1611.0")

# Packages that exist on hosts but not in container images.
HOST_ONLY_PACKAGES = frozenset(
    {"kernel", "sudo", "snapd", "openssh", "openssh-server", "openssh-client", "nginx-core"}
)

# Vendor severity vocabularies (our mapping from the vendor score, see README).
VENDOR_WORDS: dict[str, tuple[str, str, str, str]] = {  # low, medium, high, critical
    "AMAZON_CVE": ("Low", "Medium", "Important", "Critical"),
    "REDHAT_CVE": ("Low", "Moderate", "Important", "Critical"),
    "UBUNTU_CVE": ("low", "medium", "high", "critical"),
    "DEBIAN_CVE": ("low", "medium", "high", "high"),
    "NVD": ("LOW", "MEDIUM", "HIGH", "CRITICAL"),
    "GITHUB": ("LOW", "MODERATE", "HIGH", "CRITICAL"),
}
UNTRIAGED_WORDS = {
    "AMAZON_CVE": "Pending",
    "REDHAT_CVE": "Pending",
    "UBUNTU_CVE": "needs-triage",
    "DEBIAN_CVE": "not yet assigned",
}
NEGLIGIBLE_WORDS = {"UBUNTU_CVE": "negligible", "DEBIAN_CVE": "unimportant"}


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
    # Coverage facts (DOMAIN.md 4). The defaults describe the original 17 instances.
    root_device: str = "ebs"  # ebs | instance-store
    volume_fs: str | None = None  # the volumes' file system when not the distro's default
    volume_sizes: tuple[int, ...] = ()  # explicit sizes in GiB (default: split volume_gib)
    inventory_days: int | None = None  # SSM inventory this many days old (None: fresh)
    launched_hours_ago: int | None = None  # launched this long before AS_OF (None: random)
    scenario: str | None = None  # the coverage scenario a late (findings-free) instance shows
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


DETECTORS: dict[str, Detector] = {
    "python/hardcoded-credentials": Detector(
        name="Hardcoded credentials",
        cwes=("CWE-798",),
        tags=("secrets", "security", "owasp-top10", "top25-cwes", "cwe-798", "Python"),
        severity="CRITICAL",
        rule_id="python-detect-hardcoded-aws-credentials",
        description="Credentials are written into the source code, where anyone with access to the "
        "code or its history can read them.",
        remediation=(
            "Load the credentials from the execution role, environment variables or AWS Secrets "
            "Manager, and rotate the exposed key."
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
            "User-controlled data is written to the log without neutralising line breaks, so an "
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
        description="Request data reaches console output unsanitised, allowing forged log lines.",
        remediation="Strip or encode CR/LF characters from untrusted input before logging.",
    ),
    "python/sql-injection": Detector(
        name="SQL injection",
        cwes=("CWE-89",),
        tags=("injection", "sql", "owasp-top10", "top25-cwes", "cwe-89", "Python"),
        severity="HIGH",
        rule_id=None,
        description="A SQL statement is built from untrusted input by string formatting.",
        remediation="Use parameterised queries instead of formatting values into the statement.",
    ),
    "javascript/os-command-injection": Detector(
        name="OS command injection",
        cwes=("CWE-77", "CWE-78", "CWE-88"),
        tags=("injection", "subprocess", "owasp-top10", "top25-cwes", "cwe-78", "JavaScript"),
        severity="HIGH",
        rule_id=None,
        description="An operating-system command is assembled from request parameters.",
        remediation=(
            "Pass arguments as an array to a non-shell API and validate them against an allow list."
        ),
    ),
}


# --------------------------------------------------------------------------------------
# Building the inventory (ids, network, dates)
# --------------------------------------------------------------------------------------


def hex_id(rng: random.Random, prefix: str, length: int = 17) -> str:
    return prefix + "".join(rng.choice("0123456789abcdef") for _ in range(length))


Vpcs = Mapping[tuple[str, str], tuple[str, str, str]]


@dataclass(frozen=True)
class Estate:
    """The catalogue placed: every resource with its ids, addresses and dates."""

    instances: tuple[Instance, ...]  # the original 17 (they have findings)
    images: tuple[Image, ...]
    functions: tuple[Function, ...]
    # (account, region) -> (VPC, network ACL, internet gateway)
    vpcs: Vpcs
    scenarios: tuple[Instance, ...] = ()  # the findings-free coverage scenarios

    @property
    def all_instances(self) -> tuple[Instance, ...]:
        return self.instances + self.scenarios


def place_vpcs(rng: random.Random) -> dict[tuple[str, str], tuple[str, str, str]]:
    """One VPC, network ACL and internet gateway per (account, region)."""
    return {
        (account["account_id"], region): (
            hex_id(rng, "vpc-"),
            hex_id(rng, "acl-"),
            hex_id(rng, "igw-"),
        )
        for account in ACCOUNTS
        for region in REGIONS
    }


def place_instance(rng: random.Random, inst: Instance, n: int, vpcs: Vpcs) -> Instance:
    """``inst`` with ids, addresses and launch time (the ``n``-th instance of the estate)."""
    vpc, acl, igw = vpcs[(inst.account, inst.region)]
    instance_id = hex_id(rng, "i-")
    image_id = hex_id(rng, "ami-")
    subnet_id = hex_id(rng, "subnet-")
    eni_id = hex_id(rng, "eni-")
    sg_id = hex_id(rng, "sg-")
    private_ip = f"10.{20 + n}.{rng.randint(0, 15)}.{rng.randint(10, 250)}"
    public_ip = None
    if inst.exposure == "internet":
        # Public addresses come from the RFC 5737 documentation ranges.
        public_ip = f"{rng.choice(['192.0.2', '198.51.100', '203.0.113'])}.{rng.randint(10, 250)}"
    if inst.launched_hours_ago is not None:
        launched_at = AS_OF - timedelta(hours=inst.launched_hours_ago)
    else:
        launched_at = rand_between(rng, WINDOW_START, datetime(2026, 9, 30, tzinfo=timezone.utc))
    return replace(
        inst,
        instance_id=instance_id,
        image_id=image_id,
        vpc_id=vpc,
        acl_id=acl,
        subnet_id=subnet_id,
        eni_id=eni_id,
        sg_id=sg_id,
        gateway_id=igw,
        private_ip=private_ip,
        public_ip=public_ip,
        launched_at=launched_at,
    )


def place_image(rng: random.Random, img: Image) -> Image:
    return replace(
        img,
        digest="sha256:" + sha_hex("image", img.account, img.repository, img.tags[0]),
        pushed_at=rand_between(rng, WINDOW_START, datetime(2026, 10, 31, tzinfo=timezone.utc)),
        last_in_use_at=rand_between(rng, datetime(2026, 11, 15, tzinfo=timezone.utc), WINDOW_END),
        in_use_count=rng.randint(1, 6),
    )


def place_function(rng: random.Random, fn: Function) -> Function:
    return replace(
        fn,
        code_sha256=base64.b64encode(
            hashlib.sha256(f"{fn.account}/{fn.name}".encode()).digest()
        ).decode(),
        last_modified_at=rand_between(
            rng, WINDOW_START, datetime(2026, 10, 31, tzinfo=timezone.utc)
        ),
    )


def build_inventory(rng: random.Random) -> Estate:
    """Assign ids, addresses and dates, in a fixed order so the RNG stream is stable."""
    vpcs = place_vpcs(rng)
    # Each comprehension runs in order: the draws happen exactly as listed.
    instances = tuple(place_instance(rng, inst, n, vpcs) for n, inst in enumerate(INSTANCES))
    images = tuple(place_image(rng, img) for img in IMAGES)
    functions = tuple(place_function(rng, fn) for fn in FUNCTIONS)
    return Estate(instances=instances, images=images, functions=functions, vpcs=vpcs)


def build_scenarios(rng: random.Random, estate: Estate) -> Estate:
    """``estate`` with the coverage-scenario instances placed, from their own RNG.

    Called after the main stream is consumed; it reads nothing from that stream, so the
    original instances, images, functions and findings are unchanged by these instances.
    """
    start = len(estate.instances)
    scenarios = tuple(
        place_instance(rng, inst, n, estate.vpcs)
        for n, inst in enumerate(SCENARIO_INSTANCES, start=start)
    )
    return replace(estate, scenarios=scenarios)


def filesystem(distro: Distro) -> str:
    if distro.family == "windows":
        return "ntfs"
    if distro.family == "macos":
        return "apfs"
    return "xfs" if distro.arch_style == "rpm" else "ext4"


def instance_filesystem(inst: Instance) -> str:
    return inst.volume_fs or filesystem(distro_of(inst.distro))


def volume_sizes(inst: Instance) -> tuple[int, ...]:
    """Sizes in GiB: explicit, or a 30 GiB root (16 or the whole, if smaller) plus equal data."""
    if inst.volume_sizes:
        assert len(inst.volume_sizes) == inst.volumes, inst.name
        assert sum(inst.volume_sizes) == inst.volume_gib, inst.name
        return inst.volume_sizes
    if inst.volumes == 1:
        return (inst.volume_gib,)
    root = min(30, inst.volume_gib // inst.volumes)
    rest, data = inst.volume_gib - root, inst.volumes - 1
    base, extra = divmod(rest, data)
    return (root, *(base + (1 if i >= data - extra else 0) for i in range(data)))


def volume_list(inst: Instance) -> list[JSON]:
    """The EBS volumes; ids derive from the instance, not the RNG (the root volume first)."""
    fs = instance_filesystem(inst)
    return [
        {
            "volume_id": "vol-" + sha_hex("volume", inst.account, inst.name, str(i))[:17],
            "size_gib": size,
            "filesystem": fs,
        }
        for i, size in enumerate(volume_sizes(inst))
    ]


def inventory_at(inst: Instance) -> datetime:
    """When SSM last collected inventory (every 30 minutes while the agent answers)."""
    minutes = int(sha_hex("inventory", inst.account, inst.name), 16) % 30
    if inst.inventory_days is not None:
        days = inst.inventory_days
    elif inst.state != "running":
        days = 37  # stopped a while ago: nothing since
    elif inst.ssm != "Online":
        days = 19  # the agent lost its connection: inventory went stale
    elif inst.launched_hours_ago is not None:
        return inst.launched_at + timedelta(minutes=10 + minutes)
    else:
        return AS_OF - timedelta(minutes=6 + minutes)
    return AS_OF - timedelta(days=days, hours=3, minutes=minutes)


def ssm_document(inst: Instance) -> JSON | None:
    """What SSM reports (DescribeInstanceInformation and inventory); None when unmanaged."""
    if inst.ssm is None:
        return None
    name, version = OS_NAMES[inst.distro]
    pick = int(sha_hex("agent", inst.account, inst.name), 16) % len(SSM_AGENT_VERSIONS)
    return {
        "managed": True,
        "ping_status": inst.ssm,
        "platform_name": name,
        "platform_version": version,
        "last_inventory_at": iso(inventory_at(inst)),
        "agent_version": SSM_AGENT_VERSIONS[pick],
    }


def scan_mode_of(inst: Instance) -> str:
    """The account's EC2 scan mode in the instance's region."""
    account = next(a for a in ACCOUNTS if a["account_id"] == inst.account)
    return str(account["ec2_scan_mode_by_region"].get(inst.region, account["ec2_scan_mode"]))


@dataclass(frozen=True)
class Expectation:
    """What Inspector reports for an instance (coverage) and what an analysis concludes."""

    scan_mode: str | None  # coverage scanMode
    reason: str  # coverage scanStatus.reason
    status: str  # COVERED | NOT_COVERED | EXCLUDED | STOPPED | PENDING | UNSUPPORTED
    method: str  # AGENT_BASED | AGENTLESS | NONE


def expectation(inst: Instance) -> Expectation:
    """The DOMAIN.md 4 rules, in order: state, exclusion tag, OS, agent, agentless."""
    distro = distro_of(inst.distro)
    if inst.state != "running":
        return Expectation(None, "EC2_INSTANCE_STOPPED", "STOPPED", "NONE")
    if inst.excluded:
        return Expectation(None, "EXCLUDED_BY_TAG", "EXCLUDED", "NONE")
    if inst.distro in UNSUPPORTED_OS:
        return Expectation(None, "UNSUPPORTED_OS", "UNSUPPORTED", "NONE")
    fresh = inst.ssm == "Online" and inst.inventory_days is None
    if fresh:  # SSM-managed with current inventory: the agent scans it, in either mode
        if inst.launched_hours_ago is not None and inst.launched_hours_ago < 24:
            return Expectation(
                "EC2_SSM_AGENT_BASED", "PENDING_INITIAL_SCAN", "PENDING", "AGENT_BASED"
            )
        return Expectation("EC2_SSM_AGENT_BASED", "SUCCESSFUL", "COVERED", "AGENT_BASED")
    if scan_mode_of(inst) != "EC2_HYBRID":  # agent-based mode: nothing else scans it
        reason = "UNMANAGED_EC2_INSTANCE" if inst.ssm is None else "STALE_INVENTORY"
        return Expectation(None, reason, "NOT_COVERED", "NONE")
    storage_ok = inst.volumes < 8 and inst.volume_gib <= 1200
    platform_ok = (
        distro.family == "linux"
        and inst.root_device == "ebs"
        and instance_filesystem(inst) in ("ext3", "ext4", "xfs")
    )
    if storage_ok and platform_ok:
        return Expectation("EC2_AGENTLESS", "SUCCESSFUL", "COVERED", "AGENTLESS")
    # Our convention for the reason: the storage limit when that is what fails, else the
    # instance is reported unmanaged (Inspector publishes no reason for file system,
    # instance-store or platform misfits).
    reason = (
        "AGENTLESS_INSTANCE_STORAGE_LIMIT_EXCEEDED" if not storage_ok else "UNMANAGED_EC2_INSTANCE"
    )
    return Expectation(None, reason, "NOT_COVERED", "NONE")


def expected_scan(inst: Instance) -> tuple[str | None, str]:
    """Expected per-instance coverage scan mode and reason (see :func:`expectation`)."""
    expected = expectation(inst)
    return expected.scan_mode, expected.reason


def instance_tags(inst: Instance) -> dict[str, str]:
    tags = {
        "Name": inst.name,
        "Environment": next(a["environment"] for a in ACCOUNTS if a["account_id"] == inst.account),
    }
    tags.update(inst.extra_tags)
    if inst.excluded:
        tags["InspectorEc2Exclusion"] = "true"
    return dict(sorted(tags.items()))


def image_arn(img: Image) -> str:
    return f"arn:aws:ecr:{img.region}:{img.account}:repository/{img.repository}/{img.digest}"


def function_arn(fn: Function) -> str:
    return f"arn:aws:lambda:{fn.region}:{fn.account}:function:{fn.name}:$LATEST"


def resources_document(estate: Estate) -> JSON:
    ec2 = []
    for inst in estate.all_instances:
        distro = distro_of(inst.distro)
        expected = expectation(inst)
        mode, reason = expected.scan_mode, expected.reason
        os_name, os_version = OS_NAMES[inst.distro]
        volumes = volume_list(inst)
        ec2.append(
            {
                "account": inst.account,
                "region": inst.region,
                "instance_id": inst.instance_id,
                "name": inst.name,
                "instance_type": inst.instance_type,
                "architecture": inst.arch,
                "image_id": inst.image_id,
                "platform": distro.platform,
                "os_family": distro.family,
                "state": inst.state,
                "ssm_managed": inst.ssm is not None,
                "ssm_ping_status": inst.ssm,
                "expected_scan_mode": mode,
                "expected_coverage_reason": reason,
                "has_findings": mode is not None and inst.scenario is None,
                "tags": instance_tags(inst),
                "root_device_type": inst.root_device,
                "volume_count": len(volumes),
                "total_volume_gib": sum(v["size_gib"] for v in volumes),
                "filesystem": instance_filesystem(inst),
                "internet_exposure": inst.exposure,
                "vpc_id": inst.vpc_id,
                "subnet_id": inst.subnet_id,
                "private_ip": inst.private_ip,
                "public_ip": inst.public_ip,
                "launch_time": iso(inst.launched_at),
                "os_name": os_name,
                "os_version": os_version,
                "ssm": ssm_document(inst),
                "volumes": volumes,
                "expected_status": expected.status,
                "expected_method": expected.method,
                "scenario": inst.scenario,
            }
        )
    ecr = [
        {
            "account": img.account,
            "region": img.region,
            "repository": img.repository,
            "image_digest": img.digest,
            "image_arn": image_arn(img),
            "tags": list(img.tags),
            "platform": DISTROS[img.distro].platform,
            "architecture": img.architecture,
            "pushed_at": iso(img.pushed_at),
            "last_in_use_at": iso(img.last_in_use_at),
            "in_use_count": img.in_use_count,
        }
        for img in estate.images
    ]
    lam = [
        {
            "account": fn.account,
            "region": fn.region,
            "function_name": fn.name,
            "function_arn": function_arn(fn),
            "runtime": fn.runtime,
            "version": "$LATEST",
            "architectures": [fn.architecture],
            "package_type": "ZIP",
            "layers": list(fn.layers),
            "in_vpc": fn.in_vpc,
            "last_modified_at": iso(fn.last_modified_at),
            "code_scanning": True,
        }
        for fn in estate.functions
    ]
    return {
        "generated_by": "scripts/make_sample_estate.py",
        "synthetic": True,
        "as_of": "2026-11-22",
        "accounts": list(ACCOUNTS),
        "regions": list(REGIONS),
        "ec2_instances": ec2,
        "ecr_images": ecr,
        "lambda_functions": lam,
    }


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
    """The ``cvss`` list for a finding and the v3.1 entry Inspector starts from (DOMAIN.md 2)."""
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


PATH_KINDS = {
    "igw": ("AWS::EC2::InternetGateway", "an Internet Gateway", "internet gateway", "MEDIUM"),
    "pcx": ("AWS::EC2::VPCPeeringConnection", "a Peered VPC", "VPC peering connection", "LOW"),
    "vgw": ("AWS::EC2::VPNGateway", "a Virtual Private Gateway", "virtual private gateway", "LOW"),
}


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


def build_findings(rng: random.Random, estate: Estate) -> list[JSON]:
    findings: list[JSON] = []
    for inst in estate.instances:
        if expected_scan(inst)[0] is None:
            continue  # excluded, stopped or agentless-ineligible: Inspector reports nothing
        target = ec2_target(inst)
        distro = DISTROS[inst.distro]
        if distro.family == "windows":
            findings.append(windows_finding(rng, target, inst.launched_at))
        for vuln_id, pkgs in distro.hits:
            findings.append(
                package_finding(
                    rng,
                    target,
                    inst.launched_at,
                    VULNS[vuln_id],
                    pkgs,
                    distro,
                    inst.arch,
                    vendor=True,
                )
            )
        for vuln_id, lang_pkgs in group_lang(inst.lang).items():
            findings.append(
                package_finding(
                    rng,
                    target,
                    inst.launched_at,
                    VULNS[vuln_id],
                    lang_pkgs,
                    None,
                    inst.arch,
                    vendor=False,
                )
            )
        for port, protocol, kind in inst.ports:
            findings.append(network_finding(rng, target, inst, port, protocol, kind))
    for img in estate.images:
        target = ecr_target(img)
        distro = DISTROS[img.distro]
        os_hits = [
            (v, tuple(p for p in pkgs if p.name not in HOST_ONLY_PACKAGES))
            for v, pkgs in distro.hits + img.extra_os
            if v not in img.drop_os
        ]
        lang = group_lang(img.lang)
        for vuln_id, pkgs in os_hits:
            extra = lang.pop(vuln_id, [])  # e.g. a GENERIC copy of an OS package
            if pkgs or extra:
                findings.append(
                    package_finding(
                        rng,
                        target,
                        img.pushed_at,
                        VULNS[vuln_id],
                        list(pkgs) + extra,
                        distro,
                        img.architecture,
                        vendor=True,
                    )
                )
        for vuln_id, lang_pkgs in lang.items():
            findings.append(
                package_finding(
                    rng,
                    target,
                    img.pushed_at,
                    VULNS[vuln_id],
                    lang_pkgs,
                    None,
                    img.architecture,
                    vendor=False,
                )
            )
    for fn in estate.functions:
        target = lambda_target(fn)
        for vuln_id, lang_pkgs in group_lang(fn.lang).items():
            findings.append(
                package_finding(
                    rng,
                    target,
                    fn.last_modified_at,
                    VULNS[vuln_id],
                    lang_pkgs,
                    None,
                    fn.architecture,
                    vendor=False,
                )
            )
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


# --------------------------------------------------------------------------------------
# README
# --------------------------------------------------------------------------------------


def table(title: str, counter: Counter[str]) -> str:
    rows = "\n".join(f"| {k} | {v} |" for k, v in sorted(counter.items()))
    return f"| {title} | findings |\n|---|---|\n{rows}\n"


def readme(findings: list[JSON], resources: JSON) -> str:
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

### Coverage scenarios

{len(scenarios)} instances exist to exercise every coverage status and both scan modes. They
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
- `expected_status` / `expected_method`: what a coverage analysis should conclude (DOMAIN.md
  section 4 rules, applied in order): STOPPED (not running), EXCLUDED (tag
  `InspectorEc2Exclusion`), UNSUPPORTED (OS not supported), then AGENT_BASED when SSM manages
  the instance, its agent is Online and its inventory is at most 7 days old (PENDING when
  launched in the last 24 hours and not scanned yet, else COVERED); else, in `EC2_HYBRID`
  regions only, AGENTLESS (COVERED) when it is Linux, EBS-backed, ext3/ext4/xfs, with fewer
  than 8 volumes and at most 1200 GiB; else NOT_COVERED. The method is NONE whenever nothing
  scans the instance.
- `scenario`: what a coverage-scenario instance demonstrates (`null` for the others).

Coverage reasons that are **our convention**: an unmanaged instance that agentless scanning
cannot read for a reason other than storage (instance-store root, btrfs, macOS/Windows) is
reported `UNMANAGED_EC2_INSTANCE`; Inspector publishes no more specific reason. SSM's
`platform_name` for macOS (`macOS`) and SLES (`SLES`), and the platform strings of the
scenario-only operating systems (`CENTOS_7`, `SLES_15_7`, `WINDOWS_SERVER_2012_R2`,
`MACOS_14`), are UNCONFIRMED. `stopped-16` keeps the ping status it had before it stopped
(SSM does not list stopped instances).

Amazon Linux 2 (`batch-prod-03`, `legacy-app-04`): DOMAIN.md section 4 says Inspector's
support for it ended on 2026-06-30, before this estate's "today". The estate still shows both
scanned, with findings observed in November, and their expected status follows that coverage
(COVERED); an analysis that applies the end date will call them UNSUPPORTED and flag the
mismatch.

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


# --------------------------------------------------------------------------------------
# Entry point
# --------------------------------------------------------------------------------------


def render() -> dict[str, bytes]:
    """Build every output file in memory."""
    rng = random.Random(SEED)
    estate = build_inventory(rng)
    findings = build_findings(rng, estate)
    # The coverage scenarios draw from their own RNG, after the main stream is consumed.
    estate = build_scenarios(random.Random(SEED + SCENARIO_SEED_OFFSET), estate)
    resources = resources_document(estate)
    jsonl = "".join(json.dumps(f, separators=(",", ":")) + "\n" for f in findings)
    return {
        "findings.jsonl": jsonl.encode(),
        "resources.json": (json.dumps(resources, indent=2) + "\n").encode(),
        "README.md": readme(findings, resources).encode(),
        "coverage.json": _dump(derived.coverage_document(resources, findings)),
        "settings.json": _dump(derived.settings_document(resources)),
        "usage.json": _dump(derived.usage_document(resources)),
        "kev.json": _dump(derived.kev_document()),
        "finding_details.json": _dump(derived.finding_details(findings)),
    }


def _dump(document: Any) -> bytes:
    return (json.dumps(document, indent=2) + "\n").encode()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check",
        action="store_true",
        help="regenerate in memory and exit 1 if the files on disk differ",
    )
    args = parser.parse_args(argv)
    outputs = render()
    if args.check:
        problems = []
        for name, data in outputs.items():
            path = OUT_DIR / name
            if not path.is_file():
                problems.append(f"missing: {path}")
            elif path.read_bytes() != data:
                problems.append(f"stale: {path} differs from the generator output")
        for problem in problems:
            print(problem, file=sys.stderr)
        if problems:
            print("run: python scripts/make_sample_estate.py", file=sys.stderr)
        return 1 if problems else 0
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    for name, data in outputs.items():
        (OUT_DIR / name).write_bytes(data)
    return 0


if __name__ == "__main__":
    sys.exit(main())
