"""The command offline: --sample, --sample-inventory, --sort, --columns, summary --format.

Each command here runs with no AWS credentials at all (every credential variable removed,
empty config files) and must finish fast: a hang would be EC2 or SSM called at AWS.
"""

from __future__ import annotations

import csv
import io
import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from inspector_kit import sample_findings
from inspector_kit.cli import EXIT_OK, EXIT_PARTIAL, EXIT_USAGE, main
from inspector_kit.sample import sample_inventory
from inspector_kit.testing import LoopbackInspector

Run = Callable[..., tuple[int, str, str]]
SEVERITY_ORDER = ["CRITICAL", "HIGH", "MEDIUM", "LOW", "INFORMATIONAL", "UNTRIAGED"]
OFFLINE_SECONDS = 10.0


@pytest.fixture(autouse=True)
def _no_credentials(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_DEFAULT_REGION"):
        monkeypatch.delenv(name, raising=False)
    empty = tmp_path / "empty"
    empty.write_text("")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(empty))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(empty))


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str]) -> Run:
    def invoke(*argv: str) -> tuple[int, str, str]:
        code = main(list(argv))
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return invoke


def _timed(run: Run, *argv: str) -> tuple[int, str, str]:
    start = time.monotonic()
    result = run(*argv)
    assert time.monotonic() - start < OFFLINE_SECONDS, argv
    return result


def _expected_statuses() -> dict[str, str]:
    report = sample_inventory().analyze()
    return {c.instance_id: str(c.status.value) for c in report}


def test_coverage_sample_is_offline_fast_and_complete(run: Run) -> None:
    code, out, err = _timed(run, "coverage", "--sample", "--format", "json")
    assert code == EXIT_OK, err
    rows = json.loads(out)
    assert {r["instance_id"]: r["status"] for r in rows} == _expected_statuses()
    assert len(rows) == len(sample_inventory().instances) > 20


def test_cost_coverage_sample_prices_the_sample_estate(run: Run) -> None:
    code, out, err = _timed(run, "cost", "--coverage", "--sample", "--format", "json")
    assert code == EXIT_OK, err
    regions = {r["region"] for r in json.loads(out)}
    assert regions and regions <= {"us-east-1", "eu-west-1", "ap-northeast-1"}
    # The hint for an unpriced region is a flag of this command, not Python.
    hints = [line for line in err.splitlines() if line.startswith("not priced:")]
    assert hints and all("--prices FILE" in line for line in hints)
    assert not any("PriceTable" in line or "(" + ")" in line for line in hints)


def test_cost_table_shows_cents_and_the_switch_cost_json_stays_exact(run: Run) -> None:
    from decimal import Decimal

    from inspector_kit.pricing import compare_modes

    code, out, err = _timed(
        run,
        "cost",
        "--coverage",
        "--sample",
        "--format",
        "json",
        "--columns",
        "region,current,switch",
    )
    exact = {r["region"]: r for r in json.loads(out)}
    modes = compare_modes(sample_inventory().analyze())
    assert {r["region"]: Decimal(r["switch"]) for r in exact.values()} == {
        r["region"]: r["switch"] for r in modes.to_records()
    }
    code, out, err = _timed(run, "cost", "--coverage", "--sample", "--format", "table")
    assert code == EXIT_OK, err
    for region, row in exact.items():
        line = next(line for line in out.splitlines() if region in line)
        cells = [c.strip() for c in line.strip("│ ").split("│")]
        # Every money cell has exactly two decimals and is the exact value rounded half even.
        want = [str(Decimal(row[k]).quantize(Decimal("0.01"))) for k in ("current", "switch")]
        assert cells[1:3] == want, line
    switch = modes.switch_cost()
    assert f"+{switch.quantize(Decimal('0.01'))} USD/month" in out


def test_sample_inventory_against_a_loopback_endpoint_is_fast(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    # --endpoint-url uses the standard credential chain: a user's own loopback needs some.
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    with LoopbackInspector() as server:
        code, out, err = _timed(
            run, "coverage", "--sample-inventory", "--endpoint-url", server.endpoint_url,
            "--regions", "us-east-1,eu-west-1,ap-northeast-1", "--format", "json",
        )  # fmt: skip
        assert code == EXIT_OK, err
        operations = {r.operation for r in server.requests}
    assert {r["instance_id"] for r in json.loads(out)} == set(_expected_statuses())
    assert operations <= {"ListCoverage", "BatchGetAccountStatus"}


def test_endpoint_url_without_sample_inventory_says_where_ec2_goes(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    # No network: EC2 and SSM calls fail at once (an unusable endpoint), and the command
    # says why the table is empty and what to do, in flags.
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_ENDPOINT_URL_EC2", "http://127.0.0.1:9")
    monkeypatch.setenv("AWS_ENDPOINT_URL_SSM", "http://127.0.0.1:9")
    with LoopbackInspector() as server:
        code, out, err = _timed(
            run, "coverage", "--endpoint-url", server.endpoint_url, "--regions", "us-east-1",
            "--format", "json",
        )  # fmt: skip
    assert code == EXIT_PARTIAL
    assert json.loads(out) == []
    assert "add --sample-inventory" in err and "try --sample" in err
    assert "DescribeInstances" in err


def test_sample_excludes_endpoint_url(run: Run) -> None:
    code, _, err = run("findings", "--sample", "--endpoint-url", "http://127.0.0.1:1")
    assert code == EXIT_USAGE and "not allowed with" in err


def test_sample_findings_are_the_sample_estate(run: Run) -> None:
    code, out, err = _timed(run, "findings", "--sample", "--format", "json")
    assert code == EXIT_OK, err
    active = {f.finding_arn for f in sample_findings() if f.status == "ACTIVE"}
    assert {r["findingArn"] for r in json.loads(out)} == active


# -- --sort and --columns --------------------------------------------------------------


def test_sort_by_severity_puts_critical_first_in_every_format(run: Run) -> None:
    code, out, _ = run("findings", "--sample", "--format", "json", "--sort", "severity")
    assert code == EXIT_OK
    ranks = [SEVERITY_ORDER.index(r["severity"]) for r in json.loads(out)]
    assert ranks == sorted(ranks) and ranks[0] == 0 and len(set(ranks)) > 2
    _, out, _ = run("findings", "--sample", "--format", "csv", "--sort", "Severity:desc")
    rows = list(csv.DictReader(io.StringIO(out)))
    ranks = [SEVERITY_ORDER.index(r["severity"]) for r in rows]
    assert ranks == sorted(ranks, reverse=True)


def test_sort_numbers_descending_with_empty_cells_last(run: Run) -> None:
    code, out, _ = run(
        "findings", "--sample", "--format", "csv", "--sort=-score", "--columns", "score,Region"
    )
    assert code == EXIT_OK
    rows = list(csv.DictReader(io.StringIO(out)))
    assert list(rows[0]) == ["score", "region"]
    scores = [r["score"] for r in rows]
    numbers = [float(s) for s in scores if s]
    assert numbers == sorted(numbers, reverse=True)
    assert scores[len(numbers) :] == [""] * (len(scores) - len(numbers))  # empty last


def test_columns_choose_and_order_table_columns(run: Run) -> None:
    code, out, _ = run(
        "coverage", "--sample", "--format", "table", "--columns", "status,instance_id",
        "--sort", "instance",
    )  # fmt: skip
    assert code == EXIT_OK
    header = next(line for line in out.splitlines() if "Status" in line)
    assert header.index("Status") < header.index("Instance")
    assert "Method" not in header and "Fix" not in header
    ids = [line.split("│")[2].strip() for line in out.splitlines() if line.startswith("│ ")]
    assert ids == sorted(_expected_statuses())


def test_columns_in_json_are_the_table_cells(run: Run) -> None:
    code, out, _ = run("rescore", "--sample", "--format", "json", "--columns", "after,base")
    assert code == EXIT_OK
    rows = json.loads(out)
    assert rows and all(list(r) == ["after", "base"] for r in rows)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("findings", "--sort", "nope"), "no column 'nope'"),
        (("findings", "--columns", "severity,bogus"), "no column 'bogus'"),
        (("findings", "--sort", "score:up"), "COLUMN:desc"),
        (("coverage", "--columns", ","), "at least one column"),
    ],
)
def test_bad_sort_or_columns_is_a_usage_error_before_any_call(
    run: Run, argv: tuple[str, ...], message: str
) -> None:
    code, out, err = run(*argv, "--sample")
    assert code == EXIT_USAGE and out == ""
    assert message in err


def test_a_column_of_the_other_cost_table_is_refused(run: Run) -> None:
    code, _, err = run("cost", "--coverage", "--sample", "--sort", "quantity")
    assert code == EXIT_USAGE
    assert "no column 'quantity'" in err and "agent_based" in err


# -- summary --format ------------------------------------------------------------------


def _saved_sample(tmp_path: Path) -> Path:
    from inspector_kit.formats import to_json

    path = tmp_path / "sample.json"
    path.write_text(to_json(list(sample_findings())))
    return path


def _counts(rows: list[dict[str, Any]], group: str) -> dict[str, int]:
    return {r["value"]: int(r["count"]) for r in rows if r["group"] == group}


def test_summary_format_json_counts_match_the_findings(run: Run, tmp_path: Path) -> None:
    path = _saved_sample(tmp_path)
    code, out, _ = run("summary", str(path), "--format", "json")
    assert code == EXIT_OK
    rows = json.loads(out)
    findings = list(sample_findings())
    active = [f for f in findings if f.status == "ACTIVE"]
    assert {r["file"] for r in rows} == {str(path)}
    assert _counts(rows, "findings") == {"all": len(findings)}
    assert sum(_counts(rows, "status").values()) == len(findings)
    by_severity = _counts(rows, "active_severity")
    assert by_severity["CRITICAL"] == sum(1 for f in active if f.severity == "CRITICAL")
    assert next(iter(by_severity)) == "CRITICAL"
    assert _counts(rows, "shape") == {"Inspector finding": len(findings)}


def test_summary_format_csv_and_md_hold_the_same_rows(run: Run, tmp_path: Path) -> None:
    path = _saved_sample(tmp_path)
    _, as_json, _ = run("summary", str(path), str(path), "--format", "json")
    _, as_csv, _ = run("summary", str(path), str(path), "--format", "csv")
    _, as_md, _ = run("summary", str(path), "--format", "md")
    rows = json.loads(as_json)
    from_csv = list(csv.DictReader(io.StringIO(as_csv)))
    assert len(from_csv) == len(rows) and from_csv[0] == {k: str(v) for k, v in rows[0].items()}
    assert as_md.startswith("| file | group | value | count |")
    assert as_md.count("\n") == len(rows) // 2 + 2


def test_summary_default_is_still_text_when_piped(run: Run, tmp_path: Path) -> None:
    code, out, _ = run("summary", str(_saved_sample(tmp_path)))
    assert code == EXIT_OK and out.startswith("== ") and "Findings: 274" in out


# -- hints in the command's own syntax --------------------------------------------------


def test_no_region_hint_names_flags_not_python(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    code, _, err = run("findings")
    assert code == EXIT_USAGE
    assert "--region REGION" in err and "--regions all" in err
    assert "regions=[" not in err and "regions='all'" not in err


def test_price_hint_names_the_prices_flag() -> None:
    from inspector_kit._cli.common import explain
    from inspector_kit.errors import PriceNotFoundError

    line = explain(PriceNotFoundError("eu-west-1", "ec2_agent_based"))
    assert line.startswith("no price for ec2_agent_based in eu-west-1: give one with --prices")
    assert '{"eu-west-1": {"ec2_agent_based": "<USD>"}}' in line
    assert "PriceTable" not in line and "merge(" not in line


def test_demo_points_to_the_command_not_the_module(run: Run) -> None:
    code, out, _ = run("demo")
    assert code == EXIT_OK
    assert "each with its fix (inspector-kit coverage --sample)" in out
    assert "(inspector_kit." not in out
