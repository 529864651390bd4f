"""Which shapes were read: ``LoadedFindings.shapes`` and the line ``summary`` prints."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from inspector_kit import load_findings
from inspector_kit._cli.common import EXIT_OK
from inspector_kit._cli.summary import shapes_line
from inspector_kit.cli import main

FIXTURES = Path(__file__).parent / "fixtures"
EVENT = FIXTURES / "aws_examples" / "eventbridge_ec2_package.json"
ASFF = FIXTURES / "asff" / "inspector_get_findings.json"
PAGE = FIXTURES / "multicloud" / "list_findings_azure_gcp.json"


def _json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def _mixed() -> list[Any]:
    """Two EventBridge events, one ASFF page (one Inspector record, one GuardDuty record
    that is skipped) and four bare Inspector findings, in one list."""
    event = _json(EVENT)
    second = json.loads(json.dumps(event))
    second["detail"]["findingArn"] = event["detail"]["findingArn"][:-1] + "0"
    return [event, second, _json(ASFF), *_json(PAGE)["findings"]]


def test_shapes_counts_each_finding_by_the_shape_it_came_from() -> None:
    loaded = load_findings(_mixed())
    findings = list(loaded)
    assert len(findings) == 7
    assert loaded.shapes == {"EventBridge event": 2, "Security Hub ASFF": 1, "Inspector finding": 4}
    assert sum(loaded.shapes.values()) == loaded.count
    assert len(loaded.skipped) == 1  # the GuardDuty record counts nowhere


def test_shapes_leaves_out_bad_records_and_starts_empty() -> None:
    loaded = load_findings(b'[{"findingArn": 1}]')
    assert loaded.shapes == {}
    assert list(loaded) == []
    assert loaded.shapes == {} and len(loaded.errors) == 1


def test_the_line_orders_by_count_then_name() -> None:
    assert shapes_line({"EventBridge event": 2, "Security Hub ASFF": 10}) == (
        "read 12 findings: 10 Security Hub ASFF, 2 EventBridge event"
    )
    assert shapes_line({"b": 1, "a": 1}) == "read 2 findings: 1 a, 1 b"
    assert shapes_line({"Inspector finding": 1}) == "read 1 finding: 1 Inspector finding"
    assert shapes_line({}) == "read 0 findings"
    assert shapes_line({"x\x1b[2J": 1}) == "read 1 finding: 1 x\\x1b[2J"


def test_summary_prints_the_shapes_read(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "mixed.json"
    path.write_text(json.dumps(_mixed()), encoding="utf-8")
    assert main(["summary", str(path)]) == EXIT_OK
    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert lines[0] == f"== {path}"
    assert lines[1].startswith("Findings: 7")
    assert (
        lines[-1]
        == "read 7 findings: 4 Inspector finding, 2 EventBridge event, 1 Security Hub ASFF"
    )
    assert "skipped" in err  # the GuardDuty record


def test_summary_names_the_shape_of_each_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["summary", str(ASFF), str(EVENT)]) == EXIT_OK
    read = [line for line in capsys.readouterr().out.splitlines() if line.startswith("read ")]
    assert read == ["read 1 finding: 1 Security Hub ASFF", "read 1 finding: 1 EventBridge event"]


def test_summary_of_an_empty_file_says_none_were_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "empty.json"
    path.write_text("[]", encoding="utf-8")
    assert main(["summary", str(path)]) == EXIT_OK
    assert capsys.readouterr().out.splitlines() == [f"== {path}", "Findings: 0", "read 0 findings"]
