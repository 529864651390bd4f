"""pricing is pure: its public API runs without boto3 or botocore (issue 15, item 2).

Importing is not enough: a lazy ``import botocore`` inside a function passes an import
test and still breaks the rule, so the public API is exercised in a fresh interpreter
and ``sys.modules`` is checked afterwards. A static check then names the one module that
may reach ``inspector_kit.fetch``: ``pricing/_compat.py`` (the deprecated
``PriceTable.from_price_list``).
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import inspector_kit.pricing

_PRICING = Path(inspector_kit.pricing.__file__).parent

#: Modules pricing may never import, at any level of any function.
_FORBIDDEN = ("boto3", "botocore", "inspector_kit.fetch", "inspector_kit.testing")
#: The deprecated alias that delegates to inspector_kit.fetch (and only it).
_EXEMPT = {"_compat.py": {"inspector_kit.fetch"}}

_EXERCISE = r"""
import datetime, decimal, json, pathlib, pickle, sys, tempfile
import inspector_kit.pricing as p
from inspector_kit.coverage import Ec2Instance, SsmStatus, analyze
from inspector_kit.models import UsageTotal

bundled = p.PriceTable.bundled()
folder = pathlib.Path(tempfile.mkdtemp())
(folder / "p.json").write_text('{"eu-west-1": {"ec2_agentless": "1.9", "ec2_agent_based": 1.3}}')
(folder / "p.csv").write_text("region,item,price,as_of\nsa-east-1,ecr_rescan,0.02,2024-05-01\n")
mine = p.PriceTable.from_file(folder / "p.json").merge(p.PriceTable.from_file(folder / "p.csv"))
doc = {"product": {"sku": "S1", "attributes": {"regionCode": "eu-west-1",
       "location": "EU (Ireland)", "usagetype": "EUW1-Inspector-ECR-Rescan"}},
       "terms": {"OnDemand": {"T": {"effectiveDate": "2024-04-01T00:00:00Z",
       "priceDimensions": {"D": {"unit": "Images", "pricePerUnit": {"USD": "0.011"}}}}}}}
listed = p.PriceTable.from_price_list_documents([json.dumps(doc)], regions=["eu-west-1"])
offer = p.PriceTable.from_price_list_documents(
    {"products": {"S1": doc["product"]}, "terms": {"OnDemand": {"S1": doc["terms"]["OnDemand"]}}})
table = bundled.merge(mine).merge(listed).merge(offer)
for bad in (lambda: table.price("xx-nowhere-1", "ec2_agentless"),
            lambda: p.Usage(agent_based_hours=-1),
            lambda: p.Price(1.5, source="x"),
            lambda: p.PriceTable.from_file(folder / "missing.json")):
    try:
        bad()
    except (p.PriceNotFoundError, p.UsageError, TypeError, p.PriceFileError) as exc:
        pickle.loads(pickle.dumps(exc))
    else:
        raise AssertionError("no error")

usage = p.Usage(agent_based_hours=720, agentless_hours="360", ecr_rescans=10)
e = p.estimate(usage, region="us-east-1", prices=table, free_trial_days={"ec2_agentless": 15})
by_region = p.compare_regions(usage, ["us-east-1", "eu-west-1"], prices=table)
total = UsageTotal.from_api({"accountId": "123456789012", "usage": [
    {"type": "EC2_INSTANCE_HOURS", "total": 720.0, "estimatedMonthlyCost": 1.25},
    {"type": "ECR_RESCAN", "total": 4.0, "estimatedMonthlyCost": 0.04}]}, region="us-east-1")
aws = p.compare_with_aws([total], prices=table)
p.Usage.from_usage_totals([total])
now = datetime.datetime(2026, 11, 22, tzinfo=datetime.timezone.utc)
instances = [
    Ec2Instance("i-1", account_id="111122223333", region="us-east-1", os_name="Ubuntu",
                os_version="22.04", ssm=SsmStatus(managed=True, ping_status="Online",
                last_inventory_at=now)),
    Ec2Instance("i-2", account_id="111122223333", region="us-east-1"),
]
report = analyze(instances, configuration="EC2_HYBRID", now=now)
modes = p.compare_modes(report, prices=table)
p.Usage.from_coverage(report)
for result in (table, e, aws, modes, *by_region.values()):
    rows = result.to_records()
    assert all(tuple(row) == result.columns for row in rows), type(result)
    for method in ("to_text", "_repr_html_"):
        if hasattr(result, method):
            getattr(result, method)()
print(json.dumps({
    "loaded": sorted(m for m in sys.modules if m.split(".")[0] in ("boto3", "botocore")
                     or m.startswith(("inspector_kit.fetch", "inspector_kit.testing"))),
    "rows": len(table.to_records()),
    "estimate": str(e.total),
    "modes": [len(modes.agent_based), modes.moved],
}))
"""


def test_the_public_api_runs_without_boto3_or_botocore() -> None:
    out = subprocess.run(
        [sys.executable, "-c", _EXERCISE], capture_output=True, text=True, check=False
    )
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["loaded"] == []
    # the exercise did run the API (8 bundled + 3 from files + 1 from documents)
    assert result["rows"] == 12
    # 720 h agent-based 1.2528 + 180 h agentless (15 trial days) x 1.7496/720 + 10 x 0.01
    assert Decimal(result["estimate"]) == Decimal("1.7902")
    assert result["modes"] == [1, 1]


def _imports(path: Path) -> set[str]:
    """Every module a file imports, at any depth (relative imports resolved)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(["inspector_kit", "pricing", *([base] if base else [])])
            found.add(base)
    return found


def test_no_pricing_module_names_boto3_or_fetch_except_the_deprecated_alias() -> None:
    files = sorted(_PRICING.glob("*.py"))
    assert {f.name for f in files} >= {"_table.py", "_files.py", "_pricelist.py", "_compat.py"}
    for path in files:
        allowed = _EXEMPT.get(path.name, set())
        bad = {
            name
            for name in _imports(path)
            if any(name == f or name.startswith(f + ".") for f in _FORBIDDEN)
            and name not in allowed
        }
        assert not bad, f"pricing/{path.name} imports {sorted(bad)}"
    assert "inspector_kit.fetch" in _imports(_PRICING / "_compat.py")
