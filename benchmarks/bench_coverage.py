"""``coverage.analyze`` on 100,000 instances vs 10,000, in one run: does it scale linearly?

Data: a seeded mix of instances covering every rule (managed and unmanaged, stale
inventory, excluded, stopped, unsupported OS, instance-store roots, too many volumes,
Windows, macOS) over 3 accounts x 4 regions, half of the account-regions agent-based and
half hybrid, with a coverage record for about 90% of them (so records are matched, some
instances are missing and some records are strays).

Target: time(100k) / time(10k) <= 11 (linear, with 10% slack). Each size runs ``--repeat``
times and the best time counts (the machine is noisy; the minimum is the least disturbed).
"""

from __future__ import annotations

import argparse
import gc
import random
import time
from datetime import datetime, timedelta, timezone
from typing import Any

from inspector_kit.coverage import Ec2Instance, SsmStatus, Volume, analyze

NOW = datetime(2026, 11, 22, tzinfo=timezone.utc)
ACCOUNTS = ("111122223333", "444455556666", "123456789012")
REGIONS = ("us-east-1", "ap-northeast-1", "eu-west-1", "us-west-2")
OSES = (
    ("linux", "Amazon Linux", "2023"),
    ("linux", "Ubuntu", "22.04"),
    ("linux", "Red Hat Enterprise Linux", "9.4"),
    ("linux", "CentOS Linux", "7"),
    ("windows", "Microsoft Windows Server 2022 Datacenter", "10.0.20348"),
    ("macos", "macOS", "14.5"),
)


def estate(n: int, seed: int = 5) -> tuple[list[Ec2Instance], list[dict[str, Any]]]:
    rng = random.Random(seed)
    instances: list[Ec2Instance] = []
    records: list[dict[str, Any]] = []
    for i in range(n):
        platform, name, version = rng.choice(OSES)
        fs = {"windows": "ntfs"}.get(platform, rng.choice(("xfs", "ext4", "btrfs", None)))
        managed = rng.random() < 0.6
        age = timedelta(hours=rng.choice((1, 2, 30 * 24, 200)))
        ssm = SsmStatus(managed=True, ping_status="Online", last_inventory_at=NOW - age)
        instance = Ec2Instance(
            f"i-{i:017x}",
            account_id=rng.choice(ACCOUNTS),
            region=rng.choice(REGIONS),
            state=rng.choice(("running",) * 8 + ("stopped", "pending")),
            platform=platform,
            os_name=name,
            os_version=version,
            tags={"Name": f"host-{i}"}
            | ({"InspectorEc2Exclusion": "1"} if rng.random() < 0.05 else {}),
            root_device_type=rng.choice(("ebs",) * 9 + ("instance-store",)),
            volumes=tuple(
                Volume(f"vol-{i:012x}{v:05x}", rng.choice((8, 30, 200, 500)), fs)
                for v in range(rng.choice((1, 1, 2, 3, 8)))
            ),
            ssm=ssm if managed else None,
            launched_at=NOW - timedelta(days=rng.randint(0, 400)),
        )
        instances.append(instance)
        if rng.random() < 0.9:
            records.append(
                {
                    "resourceType": "AWS_EC2_INSTANCE",
                    "resourceId": instance.instance_id,
                    "accountId": instance.account_id,
                    "scanType": "PACKAGE",
                    "scanMode": "EC2_SSM_AGENT_BASED" if managed else "EC2_AGENTLESS",
                    "scanStatus": {"statusCode": "ACTIVE", "reason": "SUCCESSFUL"},
                }
            )
    return instances, records


def configuration() -> dict[tuple[str, str], str]:
    modes = ("EC2_SSM_AGENT_BASED", "EC2_HYBRID")
    return {
        (account, region): modes[(a + r) % 2]
        for a, account in enumerate(ACCOUNTS)
        for r, region in enumerate(REGIONS)
    }


def timed(instances: list[Ec2Instance], records: list[Any]) -> float:
    config = configuration()
    gc.collect()
    start = time.perf_counter()
    report = analyze(instances, configuration=config, coverage=records, now=NOW)
    took = time.perf_counter() - start
    assert len(report) == len(instances)
    assert not report.errors
    return took


def decoded(n: int) -> tuple[list[Ec2Instance], list[Any]]:
    from inspector_kit.models import CoveredResource

    # Decode the records outside the timing: the fetcher hands analyze() models.
    instances, records = estate(n)
    return instances, [CoveredResource.from_api(r, region=None) for r in records]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=10_000)
    parser.add_argument("--large", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    small = decoded(args.small)
    large = decoded(args.large)
    # Interleave the sizes so drift in machine speed hits both; keep each size's best.
    runs = [(timed(*small), timed(*large)) for _ in range(args.repeat)]
    t_small = min(r[0] for r in runs)
    t_large = min(r[1] for r in runs)
    ratio = t_large / t_small
    size_ratio = args.large / args.small
    for n, took in ((args.small, t_small), (args.large, t_large)):
        print(f"analyze {n:>7,} instances: {took:.3f} s ({took / n * 1e6:.1f} us each)")
    print(
        f"ratio {ratio:.2f} for {size_ratio:.0f}x the instances "
        f"(target <= {size_ratio * 1.1:.0f}): {'PASS' if ratio <= size_ratio * 1.1 else 'FAIL'}"
    )


if __name__ == "__main__":
    main()
