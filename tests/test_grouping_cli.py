"""``--group-by account|ou``, ``--ou-depth`` and ``--accounts-file`` on coverage, cost and triage.

Driven through the real entry point with ``--sample`` (a loopback Inspector serving the sample
estate; no AWS). The truths: the estate's expectation table (``resources.json``) and the
accounts files written here.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

from inspector_kit import AccountGroups
from inspector_kit._cli import commands
from inspector_kit.cli import EXIT_BAD_SOURCE, EXIT_OK, EXIT_USAGE, main
from inspector_kit.coverage import COVERAGE_GROUP_COLUMNS
from inspector_kit.pricing import COST_GROUP_COLUMNS, USAGE_GROUP_COLUMNS
from inspector_kit.sample import sample_estate_path
from inspector_kit.triage import TRIAGE_GROUP_COLUMNS

Run = Callable[..., tuple[int, str, str]]
PROD, STAGING, SECURITY = "111122223333", "444455556666", "123456789012"


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str]) -> Run:
    def invoke(*argv: str) -> tuple[int, str, str]:
        code = main(list(argv))
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return invoke


@pytest.mark.parametrize(
    ("table", "counts"),
    [
        (commands._COVERAGE_GROUP_COLUMNS, COVERAGE_GROUP_COLUMNS),
        (commands._COST_GROUP_COLUMNS, COST_GROUP_COLUMNS),
        (commands._USAGE_GROUP_COLUMNS, USAGE_GROUP_COLUMNS),
        (commands._TRIAGE_GROUP_COLUMNS, TRIAGE_GROUP_COLUMNS),
    ],
)
def test_the_command_tables_name_the_library_columns(
    table: tuple[tuple[str, str], ...], counts: tuple[str, ...]
) -> None:
    heads = {c for cols in AccountGroups.GROUP_COLUMNS.values() for c in cols}
    keys = [key for key, _ in table]
    assert [k for k in keys if k not in heads] == list(counts)
    assert set(keys) >= heads


def test_coverage_by_account_with_the_sample_directory(run: Run) -> None:
    code, out, err = run("coverage", "--sample", "--group-by", "account", "--format", "csv")
    assert code == EXIT_OK, err
    rows = list(csv.DictReader(io.StringIO(out)))
    resources = json.loads((sample_estate_path() / "resources.json").read_text("utf-8"))
    expected = Counter(i["account"] for i in resources["ec2_instances"])
    assert {r["account_id"]: int(r["instances"]) for r in rows} == dict(expected)
    assert {r["account_id"]: r["account_name"] for r in rows}[STAGING] == "shop-staging"


def test_coverage_by_ou_with_an_accounts_file_keeps_unknown_accounts(
    run: Run, tmp_path: Path
) -> None:
    accounts = tmp_path / "accounts.yaml"
    accounts.write_text(f"- account_id: '{PROD}'\n  ou: Root/Workloads/Prod\n", encoding="utf-8")
    code, out, err = run(
        "coverage",
        "--sample",
        "--group-by",
        "ou",
        "--accounts-file",
        str(accounts),
        "--format",
        "json",
    )
    assert code == EXIT_OK, err
    rows = json.loads(out)
    assert [r["ou"] for r in rows] == ["Root/Workloads/Prod", "(unknown OU)"]
    assert rows[1]["accounts"] == 2
    assert sum(r["instances"] for r in rows) == 31


def test_grouping_by_ou_without_a_file_says_everything_is_unknown(run: Run, tmp_path: Path) -> None:
    # --sample gives its own directory; without --sample and without a file, a note.
    code, out, err = run(
        "triage",
        "--sample",
        "--group-by",
        "ou",
        "--ou-depth",
        "2",
        "--country",
        "none",
        "--format",
        "json",
    )
    assert code == EXIT_OK, err
    assert [r["ou"] for r in json.loads(out)] == ["Root/Security", "Root/Workloads"]
    from inspector_kit._cli.common import account_directory

    class Args:
        accounts_file = None
        sample = False
        group_by = "ou"

    err_stream = io.StringIO()
    assert account_directory(Args(), err_stream) is None  # type: ignore[arg-type]
    assert "(unknown OU)" in err_stream.getvalue()


def test_cost_by_ou_table_rounds_to_the_cent_and_json_stays_exact(run: Run) -> None:
    code, out, err = run("cost", "--sample", "--coverage", "--group-by", "ou", "--format", "json")
    assert code == EXIT_OK, err
    rows = {r["ou"]: r for r in json.loads(out)}
    assert rows["Root/Workloads/Prod"]["current"] == "9.5472"
    assert rows["Root/Security"]["unpriced_regions"] == "eu-west-1"
    code, out, err = run("cost", "--sample", "--coverage", "--group-by", "ou", "--format", "table")
    assert code == EXIT_OK, err
    assert "9.55" in out and "9.5472" not in out


def test_cost_usage_totals_by_account(run: Run) -> None:
    code, out, err = run(
        "cost",
        "--sample",
        "--usage-totals",
        "--group-by",
        "account",
        "--format",
        "json",
        "--columns",
        "account_id,ours",
    )
    assert code == EXIT_OK, err
    rows = json.loads(out)
    assert [sorted(r) for r in rows] == [["account_id", "ours"]] * 3


def test_triage_records_get_account_names_and_ous_from_the_file(run: Run, tmp_path: Path) -> None:
    accounts = tmp_path / "accounts.csv"
    accounts.write_text(f"account_id,name,ou\n{SECURITY},sec,Root/Security\n", encoding="utf-8")
    code, out, err = run(
        "triage",
        "--sample",
        "--country",
        "none",
        "--accounts-file",
        str(accounts),
        "--format",
        "json",
    )
    assert code == EXIT_OK, err
    rows = json.loads(out)
    ous = {(r["aws_account_id"], r["ou"], r["account_name"]) for r in rows}
    assert (SECURITY, "Root/Security", "sec") in ous
    assert (PROD, "(unknown OU)", None) in ous


def test_a_bad_accounts_file_exits_4_naming_the_line(run: Run, tmp_path: Path) -> None:
    accounts = tmp_path / "accounts.csv"
    accounts.write_text("account_id,name,ou\n12,x,Root\n", encoding="utf-8")
    code, _, err = run("coverage", "--sample", "--group-by", "ou", "--accounts-file", str(accounts))
    assert code == EXIT_BAD_SOURCE
    assert f"{accounts} line 2: account id '12' is not 12 digits" in err


def test_a_bad_depth_is_a_usage_error(run: Run) -> None:
    code, _, err = run("coverage", "--sample", "--group-by", "ou", "--ou-depth", "0")
    assert code == EXIT_USAGE
    assert "--ou-depth" in err
