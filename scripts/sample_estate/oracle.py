"""THE INDEPENDENT ORACLE: what each EC2 instance's coverage should be.

Written from AWS's documents (docs/facts.md#ec2 rules, applied in order), NOT derived
from ``inspector_kit.coverage``. ``resources.json`` records its answers
(``expected_scan_mode``, ``expected_coverage_reason``, ``expected_status``,
``expected_method``) and the tests compare the library's coverage analysis against them;
deriving this table from the library would make those tests compare the library with
itself. Keep it independent: change it only from AWS's documentation.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from .catalogue import UNSUPPORTED_OS, Instance, MachineImage, distro_of, instance_filesystem
from .common import ACCOUNTS, AS_OF

# The method name the coverage analysis gives the Inspector VM Scanner (docs/facts.md#vm-scanner).
VM_SCANNER_METHOD = "VM_SCANNER"


def vm_scanner_of(inst: Instance) -> bool:
    """Whether the account activated Enhanced EC2 Scanning in the instance's region."""
    account = next(a for a in ACCOUNTS if a["account_id"] == inst.account)
    state = account.get("vm_scanner_by_region", {}).get(inst.region)
    return bool(state and state.get("activated"))


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
    method: str  # AGENT_BASED | AGENTLESS | VM_SCANNER | NONE


def expectation(inst: Instance) -> Expectation:
    """The docs/facts.md#ec2 rules, in order: state, exclusion tag, OS, agent, agentless."""
    distro = distro_of(inst.distro)
    if inst.state != "running":
        return Expectation(None, "EC2_INSTANCE_STOPPED", "STOPPED", "NONE")
    if inst.excluded:
        return Expectation(None, "EXCLUDED_BY_TAG", "EXCLUDED", "NONE")
    if inst.distro in UNSUPPORTED_OS:
        return Expectation(None, "UNSUPPORTED_OS", "UNSUPPORTED", "NONE")
    if inst.vm_scanner_manual:
        # Installed by hand: agent-based scanning that needs no SSM (inspector-vm-scanner-using).
        return Expectation("EC2_INSPECTOR_AGENT_BASED", "SUCCESSFUL", "COVERED", VM_SCANNER_METHOD)
    fresh = inst.ssm == "Online" and inst.inventory_days is None
    if fresh and vm_scanner_of(inst):
        # Enhanced EC2 Scanning enabled: Inspector installs and manages the scanner through SSM.
        return Expectation("EC2_INSPECTOR_AGENT_BASED", "SUCCESSFUL", "COVERED", VM_SCANNER_METHOD)
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
    """Expected per-instance coverage scan mode and reason (see ``expectation``)."""
    expected = expectation(inst)
    return expected.scan_mode, expected.reason


_AMI_WINDOWS = {
    "DAYS_7": 7,
    "DAYS_14": 14,
    "DAYS_30": 30,
    "DAYS_60": 60,
    "DAYS_90": 90,
    "DAYS_180": 180,
}


def ami_continuously_scanned(img: MachineImage) -> bool:
    """Continuous AMI scanning covers an AMI of an account and region that turned it on,
    created within the configured window (``createdWithin``) before the estate's date."""
    account = next(a for a in ACCOUNTS if a["account_id"] == img.account)
    state = account.get("ami_scanning_by_region", {}).get(img.region)
    if not state or state.get("status") != "SUCCESS":
        return False
    window = _AMI_WINDOWS[state["createdWithin"]]
    return date.fromisoformat(img.created) >= AS_OF.date() - timedelta(days=window)
