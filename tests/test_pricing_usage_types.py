"""Every usage type Inspector bills is a UsageItem with a formula, priced or unpriced with a reason.

The independent truths: the botocore model's ``UsageType`` enum (walked, so a new type
cannot fall through), and arithmetic done here by hand with fractions, not by the library.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import botocore.session
import pytest

from inspector_kit.errors import PriceNotFoundError, UsageError
from inspector_kit.models import FreeTrialType, UsageTotal, UsageType
from inspector_kit.pricing import (
    PRICE_LIST_MAPPING,
    UNPRICED,
    Price,
    PriceTable,
    Usage,
    UsageItem,
    compare_with_aws,
    estimate,
)
from inspector_kit.pricing._estimate import _FIELDS

D = Decimal
MODEL_USAGE_TYPES = tuple(
    botocore.session.get_session().get_service_model("inspector2").shape_for("UsageType").enum
)


def test_the_model_and_the_public_enum_agree() -> None:
    assert set(MODEL_USAGE_TYPES) == {t.value for t in UsageType}


@pytest.mark.parametrize("usage_type", MODEL_USAGE_TYPES)
def test_every_usage_type_maps_to_an_item_that_is_priced_or_says_why_not(usage_type: str) -> None:
    item = UsageItem.from_usage_type(usage_type)
    assert item is not None, f"{usage_type} falls through: add a UsageItem"
    assert item.usage_type == usage_type
    bundled = any(PriceTable.bundled().get(r, item) for r in PriceTable.bundled().regions)
    # Priced somewhere in the bundled table, or unpriced with a reason: exactly one.
    assert bundled != (item in UNPRICED), item
    if item in UNPRICED:
        assert "docs/facts.md#cost" in UNPRICED[item]
    # Usage has a field for it, and from_usage_totals fills it.
    total = UsageTotal.from_api(
        {"accountId": "111122223333", "usage": [{"type": usage_type, "total": 7.0}]},
        region="us-east-1",
    )
    assert Usage.from_usage_totals([total]).quantity(item) == 7


def test_every_item_has_one_usage_field_and_a_price_list_rule() -> None:
    assert sorted(_FIELDS.values(), key=str) == sorted(UsageItem, key=str)
    assert {rule.item for rule in PRICE_LIST_MAPPING} == set(UsageItem)
    # CIS is the one item without a usage type (ListUsageTotals does not meter it).
    assert [i for i in UsageItem if i.usage_type is None] == [UsageItem.EC2_CIS_ASSESSMENT]


def test_free_trial_types_are_the_models() -> None:
    kinds = {item.free_trial[0] for item in UsageItem if item.free_trial is not None}
    assert kinds == {t.value for t in FreeTrialType}
    # CIS assessments: no FreeTrialType covers them (no free trial).
    assert UsageItem.EC2_CIS_ASSESSMENT.free_trial is None


# Made-up prices, one per new item: the formulas are checked, not AWS's figures.
_PRICES = {
    UsageItem.EC2_AMI: "0.75",
    UsageItem.EC2_AMI_ONE_SHOT_SCAN: "0.04",
    UsageItem.EC2_CIS_ASSESSMENT: "0.03",
    UsageItem.CODE_REPOSITORY_SAST: "0.002",
    UsageItem.CODE_REPOSITORY_IAC: "0.001",
    UsageItem.CODE_REPOSITORY_SCA: "0.0015",
    UsageItem.AZURE_CONTAINER_INITIAL_SCAN: "0.09",
    UsageItem.AZURE_CONTAINER_RESCAN: "0.01",
    UsageItem.AZURE_VM_AGENT_BASED: "1.30",
    UsageItem.AZURE_SERVERLESS_FUNCTION: "0.33",
    UsageItem.GCP_VM_AGENT_BASED: "1.31",
    UsageItem.GCP_CLOUD_RUN: "0.35",
    UsageItem.GCP_CONTAINER_INITIAL_SCAN: "0.095",
    UsageItem.GCP_CONTAINER_RESCAN: "0.011",
}
_TABLE = PriceTable(
    {"us-east-1": {item: Price(p, source="test") for item, p in _PRICES.items()}}, name="test"
)


@pytest.mark.parametrize("item", list(_PRICES))
def test_each_new_item_is_priced_by_its_formula(item: UsageItem) -> None:
    quantity = "1234.5"
    field = next(name for name, mapped in _FIELDS.items() if mapped is item)
    line = estimate(Usage(**{field: quantity}), region="us-east-1", prices=_TABLE).lines[0]
    q, p = Fraction(quantity), Fraction(_PRICES[item])
    expected = q / 720 * p if item.hourly else q * p
    assert abs(Fraction(line.amount) - expected) < Fraction(1, 10**20)  # 28-digit decimals
    per = "720" if item.hourly else ""
    assert (" / 720 x " in line.formula) == bool(per)
    cents = round(expected * 100)  # the formula shows money to the cent (half even)
    assert line.formula.endswith(f"per {item.unit} = {cents // 100:,}.{cents % 100:02d} USD")


def test_hourly_units_and_counts() -> None:
    assert {i.unit for i in UsageItem if i.hourly} == {
        "instance-month",
        "function-month",
        "image-month",
        "service-month",
    }
    assert {i.unit for i in UsageItem if not i.hourly} == {"scan", "assessment"}
    line = estimate(Usage(cis_assessments=40), region="us-east-1", prices=_TABLE).lines[0]
    assert line.unit == "assessments"
    assert line.formula == "40 assessments x 0.03 USD per assessment = 1.20 USD"


def test_cis_is_billed_per_assessment_per_instance_without_a_trial() -> None:
    # 12 instances assessed weekly over a 30-day period: 12 x 4 assessments (our example).
    usage = Usage(cis_assessments=12 * 4, agent_based_hours=720)
    e = estimate(
        usage, region="us-east-1", prices=PriceTable.bundled().merge(_TABLE), free_trial_days=30
    )
    assert e.line("ec2_cis_assessment") is not None
    assert e.line("ec2_cis_assessment").amount == D("1.44")  # type: ignore[union-attr]
    assert e.line("ec2_agent_based") is None  # the whole month inside the trial
    with pytest.raises(UsageError, match="ec2_cis_assessment has no free trial"):
        estimate(
            usage, region="us-east-1", prices=_TABLE, free_trial_days={"ec2_cis_assessment": 3}
        )


def test_unpriced_items_raise_by_default_and_are_listed_on_request() -> None:
    usage = Usage(agent_based_hours=720, ami_hours=1440, code_sast_scans=10)
    with pytest.raises(PriceNotFoundError) as info:
        estimate(usage, region="us-east-1")
    assert info.value.item is UsageItem.EC2_AMI
    assert "fetch_price_table" in str(info.value)
    e = estimate(usage, region="us-east-1", missing="list")
    assert e.total == D("1.2528")  # only the priced line, the rest never counted as zero
    assert [x.item for x in e.unpriced] == [UsageItem.EC2_AMI, UsageItem.CODE_REPOSITORY_SAST]
    text = e.to_text()
    assert "not priced: no price for ec2_ami in us-east-1" in text
    assert "AMI scanning (continuous)" in text and "fetch_price_table" in text
    with pytest.raises(UsageError, match="missing must be"):
        estimate(usage, region="us-east-1", missing="ignore")  # type: ignore[arg-type]


def test_a_region_without_a_source_stays_unpriced_and_says_how_to_price_it() -> None:
    e = estimate(Usage(agent_based_hours=720), region="eu-west-1", missing="list")
    assert e.lines == () and e.total == 0
    (missing,) = e.unpriced
    assert missing.region == "eu-west-1"
    assert "fetch_price_table" in str(missing) and "from_file" in str(missing)


def test_compare_with_aws_prices_new_types_when_the_table_has_them() -> None:
    total = UsageTotal.from_api(
        {
            "accountId": "111122223333",
            "usage": [
                {"type": "EC2_AMI_ONE_SHOT_SCAN", "total": 25.0, "estimatedMonthlyCost": 1.0},
                {"type": "GCP_CLOUD_RUN_HOURS", "total": 1440.0, "estimatedMonthlyCost": 0.7},
            ],
        },
        region="us-east-1",
    )
    rows = {r["type"]: r for r in compare_with_aws([total], prices=_TABLE).rows}
    assert rows["EC2_AMI_ONE_SHOT_SCAN"]["ours"] == D("1.00")  # 25 x 0.04
    assert rows["GCP_CLOUD_RUN_HOURS"]["ours"] == D("0.70")  # 1440 / 720 x 0.35
    unpriced = compare_with_aws([total]).rows  # the bundled table holds neither
    assert all(r["ours"] is None for r in unpriced)
    assert all("no AWS source" in r["source"] for r in unpriced)


@pytest.mark.parametrize(
    ("usagetype", "item"),
    [
        ("USE1-Inspector-AMI-Hours", UsageItem.EC2_AMI),
        ("USE1-Inspector-AMI-OneShot-Scan", UsageItem.EC2_AMI_ONE_SHOT_SCAN),
        ("USE1-Inspector-EC2-CIS-Assessment", UsageItem.EC2_CIS_ASSESSMENT),
        ("USE1-Inspector-CodeRepository-SAST", UsageItem.CODE_REPOSITORY_SAST),
        ("USE1-Inspector-CodeRepository-IaC", UsageItem.CODE_REPOSITORY_IAC),
        ("USE1-Inspector-CodeRepository-SCA", UsageItem.CODE_REPOSITORY_SCA),
        ("USE1-Inspector-Azure-VM-Hours", UsageItem.AZURE_VM_AGENT_BASED),
        ("USE1-Inspector-GCP-CloudRun-Hours", UsageItem.GCP_CLOUD_RUN),
        ("USE1-Inspector-GCP-Container-Rescan", UsageItem.GCP_CONTAINER_RESCAN),
        ("USE1-Inspector-EC2-Instance-Hours", UsageItem.EC2_AGENT_BASED),
    ],
)
def test_price_list_rules_for_the_new_items(usagetype: str, item: UsageItem) -> None:
    # Made-up names (the real attribute values are UNCONFIRMED): the first match wins.
    rule = next(r for r in PRICE_LIST_MAPPING if r.matches({"usagetype": usagetype}))
    assert rule.item is item


def test_the_html_view_lists_what_is_not_priced() -> None:
    e = estimate(Usage(agent_based_hours=720, gcp_vm_hours=720), region="us-east-1", missing="list")
    html = e._repr_html_()
    assert "not priced: no price for gcp_vm_agent_based in us-east-1" in html
