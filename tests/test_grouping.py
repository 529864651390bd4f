"""Reports grouped by account and by organisational unit (issue 20, part 1, bullet 4).

The truths come from outside the code under test: the sample estate's own expectation
table (``resources.json``: each instance's account and expected status), prices worked out
by hand from the bundled table (us-east-1 agent-based: 1.2528 USD per instance-month), and
accounts files written here line by line.
"""

from __future__ import annotations

import json
import pickle
from collections import Counter
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path

import pytest

import inspector_kit
from inspector_kit import AccountDirectory, AccountGroups, Finding
from inspector_kit._accounts_dir import UNKNOWN_OU, group_items
from inspector_kit.coverage import COVERAGE_GROUP_COLUMNS, Ec2Instance, SsmStatus, analyze
from inspector_kit.errors import AccountDirectoryError, AccountsFileError, InputError
from inspector_kit.formats import to_csv, to_markdown
from inspector_kit.pricing import (
    COST_GROUP_COLUMNS,
    USAGE_GROUP_COLUMNS,
    compare_modes,
    compare_with_aws,
    cost_by_account,
    cost_by_ou,
)
from inspector_kit.sample import (
    sample_accounts,
    sample_accounts_path,
    sample_estate_path,
    sample_inventory,
)
from inspector_kit.testing import finding_payload
from inspector_kit.triage import (
    ACCOUNT_RECORD_COLUMNS,
    TRIAGE_GROUP_COLUMNS,
    BusinessCalendar,
    TriagePolicy,
)

NOW = datetime(2026, 11, 22, tzinfo=timezone.utc)
PROD, STAGING, SECURITY = "111122223333", "444455556666", "123456789012"


def _resources() -> dict[str, object]:
    data: dict[str, object] = json.loads(
        (sample_estate_path() / "resources.json").read_text(encoding="utf-8")
    )
    return data


# --- the directory -----------------------------------------------------------------------


def test_the_directory_is_exported_lazily_from_the_package() -> None:
    assert inspector_kit.AccountDirectory is AccountDirectory
    assert inspector_kit.AccountGroups is AccountGroups
    assert issubclass(AccountDirectoryError, InputError)
    assert issubclass(AccountsFileError, AccountDirectoryError)


def test_from_mappings_trims_paths_and_answers_unknown_accounts() -> None:
    d = AccountDirectory.from_mappings(
        {PROD: " Root / Workloads / Prod "}, names={STAGING: "shop-staging"}
    )
    assert d.ou_of(PROD) == "Root/Workloads/Prod"
    assert d.ou_of(PROD, depth=1) == "Root"
    assert d.ou_of(PROD, depth=9) == "Root/Workloads/Prod"
    # a name without an OU: known by name, grouped under the unknown OU
    assert d.name_of(STAGING) == "shop-staging" and d.ou_of(STAGING) == UNKNOWN_OU
    assert d.ou_of("999999999999") == UNKNOWN_OU == "(unknown OU)"
    assert len(d) == 2 and list(d) == [PROD, STAGING]


def test_directories_and_groups_compare_and_hash_by_value() -> None:
    direct = AccountDirectory(ou_paths={PROD: " Root / A "})
    assert direct == AccountDirectory.from_mappings({PROD: "Root/A"})
    assert hash(direct) == hash(AccountDirectory.from_mappings({PROD: "Root/A"}))
    report = sample_inventory().analyze()
    assert report.by_account() == report.by_account()
    assert report.by_account() != report.by_account(sample_accounts())
    assert isinstance(hash(report.by_account()), int)


@pytest.mark.parametrize(
    ("ou_paths", "names", "message"),
    [
        ({"11112222333": "Root"}, None, "'11112222333' is not 12 digits"),
        ({"11112222333a": "Root"}, None, "is not 12 digits"),
        ({PROD: "Root//Prod"}, None, "OU name '' in 'Root//Prod'"),
        ({PROD: "Root/" + "x" * 129}, None, "129 characters, over AWS's 128"),
        ({PROD: "Root"}, {PROD: ""}, "account name '' is empty"),
        ({PROD: "Root"}, {"1": "x"}, "names: account id '1'"),
    ],
)
def test_from_mappings_rejects_what_organizations_cannot_hold(
    ou_paths: dict[str, str], names: dict[str, str] | None, message: str
) -> None:
    with pytest.raises(AccountDirectoryError, match=message.replace("(", r"\(")):
        AccountDirectory.from_mappings(ou_paths, names)


@pytest.mark.parametrize("depth", [0, -1, 1.5, True, "2"])
def test_depth_must_be_a_whole_number_of_one_or_more(depth: object) -> None:
    d = AccountDirectory.from_mappings({PROD: "Root/A"})
    with pytest.raises(AccountDirectoryError, match="depth"):
        d.ou_of(PROD, depth=depth)  # type: ignore[arg-type]


def test_grouping_is_by_account_or_ou_only() -> None:
    with pytest.raises(AccountDirectoryError, match="'account' or 'ou', not 'region'"):
        group_items([PROD], str, by="region", directory=None)
    with pytest.raises(AccountDirectoryError, match="depth applies to grouping by OU"):
        group_items([PROD], str, by="account", directory=None, depth=2)


def test_csv_file_is_read_with_comments_empty_names_and_a_bom(tmp_path: Path) -> None:
    path = tmp_path / "accounts.csv"
    path.write_text(
        "\ufeff# our accounts\naccount_id,name,ou\n"
        f"{PROD},shop-prod,Root/Workloads/Prod\n\n{STAGING},,Root/Workloads/Staging\n",
        encoding="utf-8",
    )
    d = AccountDirectory.load(path)
    assert dict(d.ou_paths) == {PROD: "Root/Workloads/Prod", STAGING: "Root/Workloads/Staging"}
    assert dict(d.names) == {PROD: "shop-prod"}


def test_yaml_file_keeps_account_ids_as_written(tmp_path: Path) -> None:
    # Unquoted, 012345678901 would be an int to yaml.safe_load and lose its leading zero.
    path = tmp_path / "accounts.yaml"
    path.write_text(
        "# our accounts\n"
        "- account_id: 012345678901\n  ou: Root/Security\n  name: security\n"
        f"- account_id: '{PROD}'\n  ou: Root/Workloads/Prod\n",
        encoding="utf-8",
    )
    d = AccountDirectory.load(path)
    assert d.ou_of("012345678901") == "Root/Security"
    assert d.name_of("012345678901") == "security"
    assert d.ou_of(PROD) == "Root/Workloads/Prod" and d.name_of(PROD) is None


@pytest.mark.parametrize(
    ("name", "text", "line", "problem"),
    [
        ("a.csv", f"account_id,name,ou\n{PROD},a,Root\n1234,b,Root\n", 3, "'1234' is not 12"),
        (
            "a.csv",
            f"account_id,ou\n{PROD},Root\n{PROD},Root\n",
            3,
            "listed twice (first on line 2)",
        ),
        ("a.csv", f"account_id,name,ou\n{PROD},a\n", 2, "has 2 fields, the header 3"),
        ("a.csv", f"account_id,name,ou\n{PROD},a,\n", 2, f"account {PROD} has no ou"),
        ("a.csv", "id,name,ou\n", 1, "lacks account_id or ou"),
        ("a.csv", f"account_id,ou,team\n{PROD},Root,x\n", 2, "unknown key(s) 'team'"),
        ("a.yaml", f"- account_id: '{PROD}'\n  ou: Root\n- account_id: '12'\n  ou: R\n", 3, "'12'"),
        ("a.yaml", f"- account_id: '{PROD}'\n  ou: [Root]\n", 2, "values must be text"),
        ("a.yaml", "account_id: x\n", 1, "must be a list of entries"),
        ("a.yaml", "- [1, 2]\n", 1, "an entry must be a mapping"),
        ("a.yaml", "- account_id: '1\n", 2, "is not valid YAML"),
    ],
)
def test_a_bad_file_names_the_file_and_the_line(
    tmp_path: Path, name: str, text: str, line: int, problem: str
) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(AccountsFileError) as caught:
        AccountDirectory.load(path)
    err = caught.value
    assert err.source == str(path) and err.line == line, str(err)
    assert problem in err.problem
    assert str(err).startswith(f"{path} line {line}: ")
    again = pickle.loads(pickle.dumps(err))
    assert (again.source, again.line, again.problem) == (err.source, err.line, err.problem)


def test_a_missing_or_unknown_file_is_an_accounts_file_error(tmp_path: Path) -> None:
    with pytest.raises(AccountsFileError, match="cannot be read") as caught:
        AccountDirectory.load(tmp_path / "nope.csv")
    assert caught.value.line is None
    other = tmp_path / "accounts.txt"
    other.write_text("x", encoding="utf-8")
    with pytest.raises(AccountsFileError, match=r"is not \.csv, \.yaml or \.yml"):
        AccountDirectory.load(other)


def test_the_sample_directory_covers_every_account_of_the_estate() -> None:
    accounts = {str(a["account_id"]) for a in _resources()["accounts"]}  # type: ignore[attr-defined]
    d = sample_accounts()
    assert set(d) == accounts
    assert sample_accounts_path().is_file()
    assert all(d.ou_of(a).startswith("Root/") for a in accounts)


# --- the coverage report ------------------------------------------------------------------


def test_coverage_by_account_matches_the_estate_expectation_table() -> None:
    report = sample_inventory().analyze()
    expected = Counter(
        (i["account"], i["expected_status"])
        for i in _resources()["ec2_instances"]  # type: ignore[attr-defined]
    )
    groups = report.by_account(sample_accounts())
    assert groups.columns == (*AccountGroups.GROUP_COLUMNS["account"], *COVERAGE_GROUP_COLUMNS)
    assert groups.keys == (PROD, SECURITY, STAGING)
    for row in groups:
        account = row["account_id"]
        for status in ("COVERED", "PENDING", "NOT_COVERED", "UNSUPPORTED", "EXCLUDED", "STOPPED"):
            assert row[status.lower()] == expected[account, status], (account, status)
        assert row["instances"] == sum(n for (a, _), n in expected.items() if a == account)
        assert row["account_name"] == sample_accounts().name_of(str(account))


def test_coverage_by_ou_adds_up_to_the_whole_report_and_keeps_unknown_accounts() -> None:
    report = sample_inventory().analyze()
    only_prod = AccountDirectory.from_mappings({PROD: "Root/Workloads/Prod"})
    groups = report.by_ou(only_prod)
    assert groups.keys == ("Root/Workloads/Prod", UNKNOWN_OU)  # unknown last, never dropped
    unknown = groups.get(UNKNOWN_OU)
    assert unknown is not None and unknown["accounts"] == 2
    assert sum(r["instances"] for r in groups) == len(report)  # type: ignore[misc]
    statuses = report.counts_by_status()
    for status, n in statuses.items():
        assert sum(r[status.value.lower()] for r in groups) == n  # type: ignore[misc]


def test_coverage_group_ratio_methods_and_reasons_on_a_small_estate() -> None:
    def inst(i: str, account: str, *, managed: bool, state: str = "running") -> Ec2Instance:
        return Ec2Instance(
            i,
            account_id=account,
            region="us-east-1",
            state=state,
            os_name="Ubuntu",
            os_version="22.04",
            ssm=SsmStatus(
                managed=managed,
                ping_status="Online" if managed else None,
                last_inventory_at=NOW if managed else None,
            ),
        )

    report = analyze(
        [
            inst("i-1", PROD, managed=True),
            inst("i-2", PROD, managed=False),
            inst("i-3", PROD, managed=True, state="stopped"),
            inst("i-4", STAGING, managed=True),
        ],
        configuration="EC2_SSM_AGENT_BASED",
        now=NOW,
    )
    rows = {r["account_id"]: r for r in report.by_account()}
    prod = rows[PROD]
    # i-1 covered by the agent, i-2 unmanaged (not covered), i-3 stopped (out of scope)
    assert (prod["covered"], prod["not_covered"], prod["stopped"]) == (1, 1, 1)
    assert prod["coverage"] == 0.5
    assert prod["covered_agent_based"] == 1 and prod["covered_agentless"] == 0
    assert prod["hybrid_would_add"] == 1
    assert prod["reasons"] == "UNMANAGED_EC2_INSTANCE=1"
    assert prod["account_name"] is None and prod["ou"] == UNKNOWN_OU
    assert rows[STAGING]["coverage"] == 1.0 and rows[STAGING]["reasons"] is None


def test_groups_go_through_every_writer() -> None:
    groups = sample_inventory().analyze().by_ou(sample_accounts(), depth=2)
    csv_lines = to_csv(groups).splitlines()
    assert csv_lines[0].split(",")[:3] == ["ou", "accounts", "instances"]
    assert csv_lines[1].startswith("Root/Security,1,10,")
    assert "| Root/Workloads |" in to_markdown(groups)
    html = groups._repr_html_()
    assert "Root/Workloads" in html and "<table" in html
    assert "EC2 coverage by OU" in html  # the title is the caption
    assert groups.to_text().splitlines()[0].startswith("EC2 coverage by OU")
    assert groups.get("Root/Nowhere") is None


# --- the cost estimate -------------------------------------------------------------------


def test_cost_by_account_prices_each_account_by_hand() -> None:
    # Three agent-based instances in us-east-1: 2 in PROD, 1 in STAGING; 1.2528 USD each.
    def managed(i: str, account: str) -> Ec2Instance:
        return Ec2Instance(
            i,
            account_id=account,
            region="us-east-1",
            os_name="Ubuntu",
            os_version="22.04",
            ssm=SsmStatus(managed=True, ping_status="Online", last_inventory_at=NOW),
        )

    report = analyze(
        [managed("i-1", PROD), managed("i-2", PROD), managed("i-3", STAGING)],
        configuration="EC2_SSM_AGENT_BASED",
        now=NOW,
    )
    groups = cost_by_account(report)
    assert groups.columns[3:] == COST_GROUP_COLUMNS
    rows = {r["account_id"]: r for r in groups}
    assert rows[PROD]["current"] == Decimal("2.5056")
    assert rows[STAGING]["current"] == Decimal("1.2528")
    assert rows[PROD]["currency"] == "USD" and rows[PROD]["unpriced_instances"] == 0
    ou = cost_by_ou(
        report, AccountDirectory.from_mappings({PROD: "Root/A", STAGING: "Root/B"}), depth=1
    )
    assert ou.keys == ("Root",) and ou.rows[0]["current"] == Decimal("3.7584")


def test_cost_groups_add_up_exactly_to_the_estate_estimate() -> None:
    report = sample_inventory().analyze()
    modes = compare_modes(report)
    for groups in (
        cost_by_account(report, sample_accounts()),
        cost_by_ou(report, sample_accounts()),
        cost_by_ou(report, AccountDirectory.from_mappings({})),
    ):
        rows = groups.to_records()
        assert sum(r["current"] for r in rows) == modes.current_total
        assert sum(r["hybrid"] for r in rows) == modes.hybrid_total
        assert sum(r["agent_based"] for r in rows) == modes.agent_based_total
        assert sum(r["switch"] for r in rows) == modes.switch_cost()
        # instances in unpriced regions are counted per group, never priced as zero
        assert sum(r["unpriced_instances"] for r in rows) == len(modes.unpriced_instances)
        assert all(isinstance(r["current"], Decimal) for r in rows)
    eu = sum(1 for c in report if c.region == "eu-west-1")
    assert len(modes.unpriced_instances) == eu > 0


def test_usage_totals_by_account_and_ou() -> None:
    from inspector_kit.models import UsageTotal

    def total(account: str, aws: float | None, region: str = "us-east-1") -> UsageTotal:
        usage: dict[str, object] = {"type": "ECR_RESCAN", "total": 6.0}
        if aws is not None:
            usage["estimatedMonthlyCost"] = aws
        return UsageTotal.from_api({"accountId": account, "usage": [usage]}, region=region)

    comparison = compare_with_aws(
        [total(PROD, 0.07), total(PROD, None), total(STAGING, 0.06), total(SECURITY, 0.06)]
    )
    by_account = {r["account_id"]: r for r in comparison.by_account(sample_accounts())}
    assert by_account[PROD]["usage_lines"] == 2 and by_account[PROD]["compared"] == 1
    assert by_account[PROD]["ours"] == Decimal("0.060") and by_account[PROD]["aws"] == Decimal(
        "0.07"
    )
    assert by_account[PROD]["difference"] == Decimal("-0.010")
    assert by_account[PROD]["not_compared"] == 1
    groups = comparison.by_ou(sample_accounts(), depth=2)
    assert groups.columns[2:] == USAGE_GROUP_COLUMNS
    assert sum(r["ours"] for r in groups) == comparison.our_total  # type: ignore[misc]
    assert sum(r["aws"] for r in groups) == comparison.aws_total  # type: ignore[misc]


# --- the triage plan ---------------------------------------------------------------------


def _plan(accounts: list[str], *, now: datetime = datetime(2026, 10, 5, 12, tzinfo=timezone.utc)):  # type: ignore[no-untyped-def]
    findings = [
        Finding.from_api(finding_payload(findingArn=f"arn:{n}", awsAccountId=a))
        for n, a in enumerate(accounts)
    ]
    return TriagePolicy.default().plan(findings, calendar=BusinessCalendar("US"), now=now)


def test_triage_counts_per_account_and_ou_match_the_plan() -> None:
    plan = _plan([PROD, PROD, STAGING, "999999999999"])
    by_account = {r["account_id"]: r for r in plan.counts_by_account(sample_accounts())}
    for account, items in plan.by_account().items():
        assert by_account[account]["queued"] == len(items)
        assert by_account[account]["overdue"] == sum(i.overdue for i in items)
    groups = plan.by_ou(sample_accounts(), depth=2)
    assert groups.columns[2:] == TRIAGE_GROUP_COLUMNS
    assert groups.keys == ("Root/Workloads", UNKNOWN_OU)
    assert [r["queued"] for r in groups] == [3, 1]
    assert sum(r["queued"] for r in groups) == len(plan.items)  # type: ignore[misc]


def test_triage_counts_acknowledged_findings_per_ou_on_the_sample() -> None:
    from inspector_kit.sample import sample_findings, sample_reviews

    plan = TriagePolicy.default().plan(
        list(sample_findings()),
        calendar=BusinessCalendar(None),
        now=NOW,
        reviews=sample_reviews(),
    )
    groups = plan.by_ou(sample_accounts())
    assert sum(r["acknowledged"] for r in groups) == len(plan.acknowledged) > 0  # type: ignore[misc]
    assert sum(r["overdue"] for r in groups) == len(plan.overdue)  # type: ignore[misc]
    assert {str(r["ou"]) for r in groups} == {
        "Root/Security",
        "Root/Workloads/Prod",
        "Root/Workloads/Staging",
    }


def test_triage_records_carry_the_account_name_and_ou() -> None:
    plan = _plan([STAGING, "999999999999"])
    plain = plan.to_records()
    assert tuple(plain[0]) == plan.columns  # unchanged without a directory
    rows = plan.to_records(directory=sample_accounts())
    assert all(tuple(r) == ACCOUNT_RECORD_COLUMNS for r in rows)
    by_account = {r["aws_account_id"]: r for r in rows}
    assert by_account[STAGING]["ou"] == "Root/Workloads/Staging"
    assert by_account[STAGING]["account_name"] == "shop-staging"
    assert by_account["999999999999"]["ou"] == UNKNOWN_OU
    assert by_account["999999999999"]["account_name"] is None
    assert STAGING in plan._repr_html_()  # the notebook view shows the account
