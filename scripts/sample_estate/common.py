"""Constants of the estate (seed, dates, regions, accounts) and small deterministic helpers."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any

from cvss import CVSS3

if TYPE_CHECKING:
    import random
    from decimal import Decimal

JSON = dict[str, Any]

SEED = 20261122

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

# Our convention for the (unpublished) adjustment strings, see docs/facts.md#exposure.
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
        # Development opted eu-west-1 in to Enhanced EC2 Scanning (Ec2Configuration
        # activateVMScanner): GetConfiguration's ec2Configuration.vmScannerState.
        "vm_scanner_by_region": {
            "eu-west-1": {"activated": True, "activatedAt": "2026-10-05T09:00:00.000Z"}
        },
    },
    {
        "account_id": "123456789012",
        "alias": "acme-shared",
        "environment": "shared-services",
        "ec2_scan_mode": "EC2_HYBRID",
        "ec2_scan_mode_by_region": dict.fromkeys(REGIONS, "EC2_HYBRID"),
        # The golden-image account scans its AMIs continuously in us-east-1
        # (GetConfiguration's amiConfiguration): every AMI created in the last 90 days.
        "ami_scanning_by_region": {
            "us-east-1": {
                "createdWithin": "DAYS_90",
                "scanModeConfiguration": {"scanMode": "SCAN_ALL"},
                "status": "SUCCESS",
                "updatedAt": "2026-09-01T08:00:00.000Z",
            }
        },
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
