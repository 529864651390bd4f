"""Cost estimates against independent truths: the seed article's prices and the AWS CLI
``list-usage-totals`` example (tests/fixtures/aws_examples/usage/list_usage_totals.json)."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal, localcontext
from pathlib import Path
from typing import Any

import pytest

from inspector_kit.models import UsageTotal
from inspector_kit.pricing import (
    AwsComparison,
    CostEstimate,
    ModeComparison,
    Price,
    PriceNotFoundError,
    PriceTable,
    Usage,
    UsageError,
    UsageItem,
    compare_modes,
    compare_regions,
    compare_with_aws,
    estimate,
)

D = Decimal
FIXTURE = Path(__file__).parent / "fixtures" / "aws_examples" / "usage" / "list_usage_totals.json"


def cli_example() -> list[UsageTotal]:
    data = json.loads(FIXTURE.read_text())
    return [UsageTotal.from_api(t, region="us-east-1") for t in data["totals"]]


def implied() -> PriceTable:
    """The rates the CLI example implies (1.25 and 1.75 per 720 instance-hours, ...)."""
    src = "AWS CLI list-usage-totals example (implied rates)"
    rates = {
        "ec2_agent_based": "1.25",
        "ec2_agentless": "1.75",
        "ecr_initial_scan": "0.09",
        "ecr_rescan": "0.01",
        "lambda_standard": "0.30",
        "lambda_code": "0.60",
    }
    return PriceTable({"us-east-1": {k: Price(v, source=src) for k, v in rates.items()}})


@pytest.mark.parametrize(
    ("region", "usage", "total"),
    [
        ("ap-northeast-1", {"agent_based_hours": 720}, "1.512"),
        ("ap-northeast-1", {"agentless_hours": 720}, "2.0808"),
        ("us-east-1", {"agent_based_hours": 720}, "1.2528"),
        ("us-east-1", {"agentless_hours": 720}, "1.7496"),
        ("us-east-1", {"agent_based_hours": 360}, "0.6264"),  # half a month prorates
        ("ap-northeast-1", {"agentless_hours": 1}, "0.00289"),
        ("us-east-1", {"agent_based_hours": 7200, "agentless_hours": 1440}, "16.0272"),
    ],
)
def test_seed_figures_exactly(region: str, usage: dict[str, Any], total: str) -> None:
    result = estimate(Usage(**usage), region=region)
    assert result.total == D(total)
    assert isinstance(result.total, Decimal)


def test_every_line_shows_its_formula_and_source() -> None:
    e = estimate(Usage(agent_based_hours=1080, agentless_hours=720), region="ap-northeast-1")
    agent = e.line(UsageItem.EC2_AGENT_BASED)
    assert agent is not None
    assert agent.formula == ("1080 instance-hours / 720 x 1.512 USD per instance-month = 2.27 USD")
    assert agent.amount == Decimal("2.268")  # exact in the model, cents in the formula
    assert agent.price.source and agent.price.as_of is not None
    records = e.to_records()
    assert [r["item"] for r in records] == ["ec2_agent_based", "ec2_agentless"]
    assert records[1]["amount"] == D("2.0808") and records[1]["unit"] == "instance-hours"
    assert e.total == D("4.3488")
    text = e.to_text()
    assert text.splitlines()[0] == "Estimated monthly cost in ap-northeast-1: 4.35 USD"


def test_cli_example_reproduced_within_a_cent_with_its_implied_rates() -> None:
    comparison = compare_with_aws(cli_example(), prices=implied())
    assert len(comparison.rows) == 6
    assert not comparison.unpriced
    for row in comparison.rows:
        assert abs(row["difference"]) < D("0.01"), row
    assert abs(comparison.our_total - comparison.aws_total) < D("0.01")
    assert comparison.aws_total == D("33.0035981482")  # the six published figures


def test_bundled_us_east_1_difference_is_reported_not_hidden() -> None:
    comparison = compare_with_aws(cli_example())
    rows = {r["type"]: r for r in comparison.rows}
    agent = rows["EC2_INSTANCE_HOURS"]
    # 10882.050784722222 h / 720 x 1.2528 vs AWS's 18.892449279 (1.25 per month).
    assert agent["ours"] == D("10882.050784722222") / 720 * D("1.2528")
    assert agent["difference"] == agent["ours"] - D("18.892449279")
    assert agent["difference"] > D("0.04")
    assert rows["ECR_INITIAL_SCAN"]["difference"] == 0
    assert "difference" in comparison.to_text() or "ours" in comparison.to_text()


def test_usage_from_totals() -> None:
    usage = Usage.from_usage_totals(cli_example())
    assert usage == Usage(
        agent_based_hours="10882.050784722222",
        agentless_hours="1893.4784083333334",
        ecr_initial_scans=1,
        ecr_rescans=6,
        lambda_hours="9375.379274166668",
        lambda_code_hours="6543.043648333333",
    )
    assert Usage.from_usage_totals(cli_example(), region="eu-west-1") == Usage()


def test_missing_prices_raise_naming_region_and_item() -> None:
    with pytest.raises(PriceNotFoundError, match="no price for ec2_agent_based in eu-west-1"):
        estimate(Usage(agent_based_hours=1), region="eu-west-1")
    with pytest.raises(PriceNotFoundError, match="ecr_rescan in ap-northeast-1"):
        estimate(Usage(ecr_rescans=1), region="ap-northeast-1")
    # An item without usage needs no price.
    assert estimate(Usage(agent_based_hours=720, ecr_rescans=0), region="ap-northeast-1").total
    assert estimate(Usage(), region="eu-west-1").total == 0


def test_unpriced_aws_rows_are_listed_not_zero() -> None:
    totals = [
        UsageTotal.from_api(
            {
                "accountId": "123456789012",
                "usage": [
                    {"type": "EC2_INSTANCE_HOURS", "total": 720.0, "estimatedMonthlyCost": 1.3},
                    {"type": "CODE_REPOSITORY_SAST", "total": 3.0, "estimatedMonthlyCost": 0.5},
                ],
            },
            region="eu-west-1",
        )
    ]
    comparison = compare_with_aws(totals)
    assert [r["type"] for r in comparison.unpriced] == [
        "EC2_INSTANCE_HOURS",
        "CODE_REPOSITORY_SAST",
    ]
    assert "no price for ec2_agent_based in eu-west-1" in comparison.rows[0]["source"]
    # Both totals over the same rows: none here can be compared, so neither counts AWS's 1.8.
    assert comparison.our_total == 0 and comparison.aws_total == 0
    assert len(comparison.not_compared) == 2 and comparison.compared == ()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"agent_based_hours": -1}, "agent_based_hours must be a number >= 0; got -1"),
        ({"agentless_hours": "lots"}, "agentless_hours must be a number >= 0; got 'lots'"),
        ({"ecr_rescans": float("nan")}, "ecr_rescans must be a number >= 0; got nan"),
        ({"lambda_hours": float("inf")}, "lambda_hours must be a number >= 0"),
        ({"lambda_code_hours": None}, "lambda_code_hours must be a number >= 0; got None"),
        ({"ecr_initial_scans": True}, "ecr_initial_scans must be a number >= 0; got True"),
    ],
)
def test_bad_usage_names_the_field(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(UsageError, match=message.replace("(", r"\(")):
        Usage(**kwargs)


def test_free_trial_prorates_the_month() -> None:
    full = estimate(Usage(agent_based_hours=720), region="us-east-1")
    trial = estimate(Usage(agent_based_hours=720), region="us-east-1", free_trial_days=15)
    assert trial.total == full.total / 2 == D("0.6264")
    assert trial.notes[0] == "free trial: 15 of 30 days of ec2_agent_based free, so 15/30 is billed"
    assert estimate(Usage(agent_based_hours=720), region="us-east-1", free_trial_days=30).total == 0
    with pytest.raises(UsageError, match="free_trial_days for ec2_agent_based must be 0 to 30"):
        estimate(Usage(), region="us-east-1", free_trial_days=31)
    # Each scan type has its own trial: only the one given is prorated.
    per_type = estimate(
        Usage(agent_based_hours=720, lambda_code_hours=720),
        region="us-east-1",
        free_trial_days={"lambda_code": 15},
    )
    assert per_type.line("ec2_agent_based").amount == D("1.2528")  # type: ignore[union-attr]
    assert per_type.line("lambda_code").amount == D("0.30")  # type: ignore[union-attr]
    with pytest.raises(ValueError, match="unknown_item"):
        estimate(Usage(), region="us-east-1", free_trial_days={"unknown_item": 1})


def test_compare_regions_tokyo_vs_virginia() -> None:
    usage = Usage(agent_based_hours=720 * 10, agentless_hours=720 * 5)
    by_region = compare_regions(usage, ["us-east-1", "ap-northeast-1"])
    assert by_region["us-east-1"].total == D("12.528") + D("8.748")
    assert by_region["ap-northeast-1"].total == D("15.12") + D("10.404")
    with pytest.raises(PriceNotFoundError):
        compare_regions(usage, ["us-east-1", "eu-west-1"])


def test_merge_overrides_win() -> None:
    mine = PriceTable({"us-east-1": {"ec2_agent_based": Price("1.25", source="our contract")}})
    table = PriceTable.bundled().merge(mine)
    line = estimate(Usage(agent_based_hours=720), region="us-east-1", prices=table).lines[0]
    assert (line.amount, line.price.source) == (D("1.25"), "our contract")


def test_coverage_report_usage_and_mode_comparison() -> None:
    from inspector_kit.coverage import ScanMethod
    from inspector_kit.sample import sample_inventory

    report = sample_inventory().analyze()
    usage = Usage.from_coverage(report)
    billed = [c for c in report if c.billed]
    # The VM scanner is billed as agent-based hours (docs/facts.md#cost, an assumption).
    agent = sum(c.billed_method in (ScanMethod.AGENT_BASED, ScanMethod.VM_SCANNER) for c in billed)
    assert any(c.billed_method is ScanMethod.VM_SCANNER for c in billed)
    agentless = sum(c.billed_method is ScanMethod.AGENTLESS for c in billed)
    assert (usage.agent_based_hours, usage.agentless_hours) == (720 * agent, 720 * agentless)
    assert all(c.status.value not in ("STOPPED", "EXCLUDED") for c in billed)
    modes = compare_modes(report)
    running = [
        c
        for c in report
        if c.instance.state == "running" and c.status.value not in ("STOPPED", "EXCLUDED")
    ]
    priced = [c for c in running if c.region in ("us-east-1", "ap-northeast-1")]
    moved = [c for c in priced if c.method_if_hybrid is ScanMethod.AGENTLESS]
    assert set(modes.instance_ids) == {c.instance_id for c in moved}
    expected_added = sum(
        (D("1.7496") if c.region == "us-east-1" else D("2.0808") for c in moved), D(0)
    )
    assert modes.added == expected_added
    assert modes.hybrid_total - modes.agent_based_total == modes.added
    # eu-west-1 has instances but no bundled price: listed, not priced at zero.
    assert [e.region for e in modes.unpriced] == ["eu-west-1"]
    assert [r["region"] for r in modes.to_records()] == ["ap-northeast-1", "us-east-1"]
    assert "in no total): no price for ec2_agent_based in eu-west-1" in modes.to_text()


def test_compare_with_aws_over_fetched_usage_totals() -> None:
    from inspector_kit import Inspector
    from inspector_kit.testing import LoopbackInspector

    with LoopbackInspector() as server:
        inspector = Inspector(regions="all", endpoint_url=server.endpoint_url)
        stream = inspector.usage_totals(regions=["us-east-1", "ap-northeast-1", "eu-west-1"])
        totals = list(stream)
    assert not stream.errors
    comparison = compare_with_aws(totals)
    priced = [r for r in comparison.rows if r["ours"] is not None]
    assert {r["region"] for r in priced} == {"us-east-1", "ap-northeast-1"}
    assert {r["region"] for r in comparison.unpriced} >= {"eu-west-1"}
    for row in priced:
        assert row["aws"] is not None and abs(row["difference"]) < D("0.01"), row
    lines = comparison.to_text().splitlines()
    assert lines[0].startswith("Ours ") and len(lines) == len(comparison.rows) + 1
    usage = Usage.from_usage_totals(totals, region="us-east-1")
    assert usage.agent_based_hours > 0


# Hostile usage (issue 14, item 14): only UsageError, naming the field or the entry.


@pytest.mark.parametrize(
    "value",
    [
        "1e999999999",
        "9" * 5000,
        "1" * 200_000,
        1e300,
        "1E+999999",
        D("1e999999999"),
        "1e-999999999",
        "0." + "1" * 200_000,
        "1e99999999999999999999",
    ],
)
def test_absurd_usage_is_a_usage_error_naming_the_field(value: Any) -> None:
    with pytest.raises(UsageError, match=r"^agent_based_hours must be ") as info:
        Usage(agent_based_hours=value)
    assert len(str(info.value)) < 300


def test_usage_bound_is_documented_and_overridable(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(UsageError, match=r"at most 1000000000000 \(Usage.MAX_QUANTITY\)"):
        Usage(lambda_hours=10**13)
    monkeypatch.setattr(Usage, "MAX_QUANTITY", D(10**14))
    assert Usage(lambda_hours=10**13).lambda_hours == D(10**13)


def test_the_largest_allowed_values_price_and_print() -> None:
    price = Price(Price.MAX_AMOUNT, source="doc")
    table = PriceTable({"us-east-1": dict.fromkeys(UsageItem, price)})
    most = Usage(**dict.fromkeys(_FIELD_NAMES, Usage.MAX_QUANTITY))
    e = estimate(most, region="us-east-1", prices=table, free_trial_days=7)
    # Independent truth: the same sum at 60 digits; ours must agree to the cent.
    with localcontext() as ctx:
        ctx.prec = 60
        q, p = Usage.MAX_QUANTITY * 23 / 30, Price.MAX_AMOUNT
        exact = 4 * (q / 720 * p) + 2 * (q * p)  # four hourly items, two ECR scan items
    assert abs(e.total - exact) < D("0.01")
    assert len(e.to_text().splitlines()) == 1 + 6 + 6  # the total, six lines, six notes
    assert all(line.formula.endswith(" USD") for line in e)
    with pytest.raises(UsageError, match="at most"):
        most + most


_FIELD_NAMES = (
    "agent_based_hours",
    "agentless_hours",
    "ecr_initial_scans",
    "ecr_rescans",
    "lambda_hours",
    "lambda_code_hours",
)


def test_estimates_ignore_the_callers_decimal_context() -> None:
    from decimal import Inexact, Rounded

    usage = Usage(agent_based_hours=1000, agentless_hours="333.3", ecr_rescans=7)
    expected = estimate(usage, region="us-east-1", free_trial_days=11)
    with localcontext() as ctx:
        ctx.prec = 3
        ctx.traps[Inexact] = ctx.traps[Rounded] = True
        got = estimate(usage, region="us-east-1", free_trial_days=11)
        assert got.total == expected.total
        assert got.to_text() == expected.to_text()
        assert [line.formula for line in got] == [line.formula for line in expected]
        assert (usage + usage).agentless_hours == D("666.6")


def test_compare_with_aws_reports_a_bad_row_and_goes_on() -> None:
    total = UsageTotal.from_api(
        {
            "accountId": "111122223333",
            "usage": [
                {"type": "EC2_INSTANCE_HOURS", "total": -1.0, "estimatedMonthlyCost": 1.0},
                {"type": "EC2_AGENTLESS_INSTANCE_HOURS", "total": 1e300},
                {"type": "ECR_RESCAN", "total": 6.0, "estimatedMonthlyCost": 1e300},
            ],
        },
        region="us-east-1",
    )
    rows = compare_with_aws([total]).rows
    assert [(r["quantity"], r["ours"]) for r in rows[:2]] == [(None, None), (None, None)]
    assert rows[0]["source"] == (
        "EC2_INSTANCE_HOURS for account 111122223333 in us-east-1 must be a number >= 0; got -1.0"
    )
    assert "must be at most 1000000000000" in rows[1]["source"]
    assert rows[2]["ours"] == D("0.06") and rows[2]["aws"] is None
    assert "AWS's estimate 1e+300 is not a usable amount" in rows[2]["source"]
    with pytest.raises(UsageError, match="EC2_INSTANCE_HOURS for account 111122223333"):
        Usage.from_usage_totals([total])


def test_free_trial_for_an_unknown_item_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="unknown usage item 'bogus'"):
        estimate(Usage(ecr_rescans=1), region="us-east-1", free_trial_days={"bogus": 3})


# ---------------------------------------------------------------------------------------
# Records (issue 15, item 5): every result has columns and to_records(), Python values.


def test_estimate_records_follow_the_columns_and_keep_types() -> None:
    e = estimate(Usage(agent_based_hours=720, ecr_rescans=3), region="us-east-1")
    rows = e.to_records()
    assert CostEstimate.columns == (
        "region",
        "item",
        "quantity",
        "unit",
        "price",
        "currency",
        "amount",
        "formula",
        "source",
        "as_of",
    )
    assert [tuple(r) for r in rows] == [CostEstimate.columns] * 2
    ec2, ecr = rows
    assert ec2["amount"] == D("1.2528") and isinstance(ec2["amount"], D)
    assert ec2["quantity"] == D(720) and isinstance(ec2["quantity"], D)
    assert ec2["as_of"] == date(2024, 4, 1)
    assert ecr["amount"] == D("0.03") and ecr["as_of"] is None
    assert estimate(Usage(), region="us-east-1").to_records() == []


def test_comparison_records_follow_the_columns() -> None:
    t = UsageTotal.from_api(
        {
            "accountId": "123456789012",
            "usage": [
                {"type": "ECR_RESCAN", "total": 6.0, "estimatedMonthlyCost": 0.06},
                {"type": "CODE_REPOSITORY_SAST", "total": 1.0},
            ],
        },
        region="us-east-1",
    )
    aws = compare_with_aws([t])
    assert AwsComparison.columns == (
        "account_id",
        "region",
        "type",
        "quantity",
        "aws",
        "ours",
        "difference",
        "source",
    )
    rows = aws.to_records()
    assert [tuple(r) for r in rows] == [AwsComparison.columns] * 2
    assert rows[0]["ours"] == D("0.06") and isinstance(rows[0]["ours"], D)
    assert rows[1]["ours"] is None and rows[1]["aws"] is None
    # rows built by hand: a missing key is None, an extra one is not a column
    hand = AwsComparison(rows=({"region": "us-east-1", "extra": 1},))
    assert hand.to_records() == [dict.fromkeys(AwsComparison.columns) | {"region": "us-east-1"}]


def test_mode_comparison_records_follow_the_columns() -> None:
    from inspector_kit.sample import sample_inventory

    modes = compare_modes(sample_inventory().analyze())
    assert ModeComparison.columns == (
        "region",
        "current",
        "switch",
        "agent_based",
        "hybrid",
        "added",
        "currency",
    )
    rows = modes.to_records()
    assert [r["region"] for r in rows] == ["ap-northeast-1", "us-east-1"]
    assert all(tuple(r) == ModeComparison.columns for r in rows)
    assert all(r["added"] == r["hybrid"] - r["agent_based"] for r in rows)
    assert all(isinstance(r["hybrid"], D) for r in rows)


# -- issue 18 item 8: one switch cost, money to the cent ------------------------------


def test_switch_cost_from_where_we_are_now() -> None:
    from inspector_kit.coverage import ScanMethod
    from inspector_kit.sample import sample_inventory

    report = sample_inventory().analyze()
    modes = compare_modes(report)
    table = PriceTable.bundled()
    priced = {"us-east-1", "ap-northeast-1"}
    # The one definition: the coverage report's hybrid_would_add, in the priced regions.
    adds = [c for c in report.hybrid_would_add if c.region in priced]
    assert modes.switching == tuple(c.instance_id for c in adds)
    assert len(modes.switching) == len(report.hybrid_would_add) == 1  # the sample: all priced
    assert all(c.method_if_hybrid is ScanMethod.AGENTLESS for c in adds)
    by_hand = sum(
        (table.price(c.region, "ec2_agentless").amount for c in adds),  # a full month each
        D(0),
    )
    assert modes.switch_cost() == by_hand == D("1.7496")
    # From now to every-account-hybrid is exactly the switch, in every region.
    assert modes.current_total + modes.switch_cost() == modes.hybrid_total
    for row in modes.to_records():
        assert row["current"] + row["switch"] == row["hybrid"]
    # "Now" prices each instance by its expected method: the same count as the coverage.
    running = [c for c in report if c.region in priced and c.status.value not in ("STOPPED",)]
    now_agentless = sum(1 for c in running if c.expected_method is ScanMethod.AGENTLESS)
    assert sum(e.total for e in modes.current) == sum(
        (
            table.price(c.region, "ec2_agentless").amount
            if c.expected_method is ScanMethod.AGENTLESS
            else table.price(c.region, "ec2_agent_based").amount
            for c in running
            if c.expected_method is not ScanMethod.NONE
        ),
        D(0),
    )
    assert now_agentless == 4  # legacy-app-04, ml-worker-06, app-deb-10, tools-13
    # eu-west-1 has no price: named with how many instances it leaves out.
    assert modes.unpriced_instances == tuple(
        c.instance_id for c in report if c.region == "eu-west-1"
    )


def test_switch_cost_is_zero_when_every_account_is_hybrid() -> None:
    import attrs

    from inspector_kit.sample import sample_inventory

    report = sample_inventory().analyze()
    modes = compare_modes(report, regions=["ap-northeast-1"])  # every account hybrid there
    assert modes.switching == () and modes.switch_cost() == 0
    assert modes.current_total == modes.hybrid_total
    assert "+0.00 USD/month (0 instances scanned agentless)" in modes.to_text()
    assert attrs.evolve(modes).switch_cost() == 0


def test_mode_comparison_text_and_html_show_cents() -> None:
    import re

    from inspector_kit.sample import sample_inventory

    modes = compare_modes(sample_inventory().analyze())
    text = modes.to_text()
    html = modes._repr_html_()
    for shown in (text, html):
        amounts = re.findall(r"\d+\.\d+", shown)
        assert amounts and all(len(a.split(".")[1]) == 2 for a in amounts), amounts
        assert "eu-west-1" in shown  # the unpriced region is named
    assert text.splitlines()[0].startswith(
        "Switching to hybrid scan mode from where we are now: +1.75 USD/month (1 instance"
    )
    # The exact values stay in the model and in the records.
    assert modes.to_records()[1]["switch"] == D("1.7496")


def test_aws_comparison_compares_the_same_scope() -> None:
    from inspector_kit.models import UsageTotal

    totals = [
        UsageTotal.from_api(
            {
                "accountId": "123456789012",
                "usage": [
                    {"type": "ECR_RESCAN", "total": 6.0, "estimatedMonthlyCost": 0.07},
                    {"type": "EC2_INSTANCE_HOURS", "total": 720.0},  # no AWS estimate
                ],
            },
            region="us-east-1",
        ),
        UsageTotal.from_api(
            {
                "accountId": "123456789012",
                "usage": [
                    {"type": "EC2_INSTANCE_HOURS", "total": 720.0, "estimatedMonthlyCost": 9}
                ],
            },
            region="eu-west-1",  # no price of ours
        ),
    ]
    comparison = compare_with_aws(totals)
    # Only the ECR line has both: neither total holds a line the other lacks.
    assert comparison.our_total == D("0.060") and comparison.aws_total == D("0.07")
    assert [r["type"] for r in comparison.compared] == ["ECR_RESCAN"]
    assert len(comparison.not_compared) == 2
    first = comparison.to_text().splitlines()[0]
    assert first.startswith("Ours 0.06 vs AWS 0.07 USD over the same 1 usage line(s); 2 not")
    assert "EC2_INSTANCE_HOURS in eu-west-1" in first and "in us-east-1" in first
    html = comparison._repr_html_()
    assert "0.0600" not in html and ">0.06<" in html and ">-0.01<" in html


def test_formula_shows_cents_and_amount_stays_exact() -> None:
    line = estimate(Usage(agentless_hours=360), region="us-east-1").lines[0]
    assert line.formula.endswith("= 0.87 USD")
    assert line.amount == D("0.87480")
