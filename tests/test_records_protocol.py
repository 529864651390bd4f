"""Conformance: every result type of the library is a Records result, and every writer takes it.

One parametrised test over all result types (built from the bundled sample estate or small
hand-built values). For each: it is an instance of [`Records`][inspector_kit.formats.Records];
``columns`` are the keys of every record, in order; every value follows the records value
convention; the plain-text, Markdown and HTML renderings show every column header; the CSV
and JSON writers take it and give one row per record.

A result may define its own, richer ``to_text()``/``to_markdown()``/``_repr_html_()`` (a
summary with totals, a report with sections); a result that does not gets the records'
renderings from ``RecordsMixin``, identical to the functions'.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from enum import Enum
from functools import cache
from typing import Any

import pytest

from inspector_kit import Finding, sample_findings
from inspector_kit import formats as fm
from inspector_kit.history import QueryResult, Snapshot, diff
from inspector_kit.models import AggregationResponse, SeverityCounts

NOW = datetime(2026, 11, 22, tzinfo=timezone.utc)
_FLAT = (str, int, float, bool, Decimal, date, datetime)


@cache
def _findings() -> tuple[Finding, ...]:
    return tuple(sample_findings())


def _active() -> list[Finding]:
    return [f for f in _findings() if f.status == "ACTIVE"]


def _diff() -> Any:
    old, new = _findings()[:12], _findings()[6:18]
    return diff(old, new)


def _query_result() -> QueryResult:
    rows = [
        {"week": "2026-W45", "n": 2, "ids": ["a", "b"], "at": NOW, "span": timedelta(days=1)},
        {"week": "2026-W46", "n": 0, "ids": [], "at": None, "span": None},
    ]
    return QueryResult(rows, columns=("week", "n", "ids", "at", "span"))


def _aggregation(payload: dict[str, Any]) -> Callable[[], AggregationResponse]:
    return lambda: AggregationResponse.from_api(payload, region="us-east-1")


_SEVERITIES = {"all": 7, "critical": 1, "high": 2, "medium": 4}

RESULTS: list[tuple[str, Callable[[], Any]]] = [
    ("FindingRecords", lambda: fm.FindingRecords(_findings()[:20])),
    ("Snapshot", lambda: Snapshot(_findings()[:20], NOW, regions=("us-east-1",))),
    ("FindingsDiff", _diff),
    ("QueryResult", _query_result),
    ("SeverityCounts", lambda: SeverityCounts.from_api(_SEVERITIES)),
    (
        "AggregationResponse[account]",
        _aggregation(
            {
                "accountAggregation": {
                    "accountId": "111122223333",
                    "severityCounts": _SEVERITIES,
                    "fixAvailableCount": 3,
                }
            }
        ),
    ),
    (
        "AggregationResponse[ami]",
        _aggregation(
            {
                "amiAggregation": {
                    "ami": "ami-1",
                    "scanSource": "INSTANCE_SCAN",
                    "cloudProvider": "AWS",
                }
            }
        ),
    ),
    (
        "AggregationResponse[ec2]",
        _aggregation(
            {
                "ec2InstanceAggregation": {
                    "instanceId": "i-1",
                    "instanceTags": {"Name": "web", "env": "prod"},
                    "severityCounts": _SEVERITIES,
                }
            }
        ),
    ),
    (
        "AggregationResponse[ecr]",
        _aggregation(
            {
                "awsEcrContainerAggregation": {
                    "resourceId": "sha256:1",
                    "imageTags": ["latest", "v1"],
                    "lastInUseAt": 1_700_000_000,
                }
            }
        ),
    ),
]


def _usage_total() -> Any:
    from inspector_kit.models import UsageTotal

    usage = [{"type": "EC2_INSTANCE_HOURS", "total": 720.0, "estimatedMonthlyCost": 1.25}]
    payload = {"accountId": "123456789012", "usage": usage}
    return UsageTotal.from_api(payload, region="us-east-1")


def _finding_counts() -> Any:
    from inspector_kit.fetch import CountRow, FindingCounts

    row = CountRow("us-east-1", "111122223333", SeverityCounts.from_api(_SEVERITIES))
    return FindingCounts(rows=(row,), aggregation="ACCOUNT")


def _coverage_statistics() -> Any:
    from inspector_kit.fetch import CoverageStatistics
    from inspector_kit.models import Counts

    counts = (Counts.from_api({"count": 3, "groupKey": "ACTIVE"}),)
    return CoverageStatistics(counts=counts, by_region={"us-east-1": 3})


def _coverage() -> Any:
    from inspector_kit.sample import sample_inventory

    return sample_inventory().analyze()


def _gap() -> Any:
    from inspector_kit.coverage import detection_gap

    return detection_gap(_findings(), deep_inspection=None)


def _plan() -> Any:
    from inspector_kit.triage import BusinessCalendar, TriagePolicy

    return TriagePolicy.default().plan(_active(), calendar=BusinessCalendar("US"), now=NOW)


def _ranked() -> Any:
    from inspector_kit.triage import rank

    return rank(_active())


def _triage(name: str) -> Callable[[], Any]:
    def build() -> Any:
        from inspector_kit import triage

        return getattr(triage, name)(_ranked())

    return build


def _pricing(name: str) -> Callable[[], Any]:
    def build() -> Any:
        from inspector_kit import pricing

        if name == "PriceTable":
            return pricing.PriceTable.bundled()
        if name == "CostEstimate":
            return pricing.estimate(pricing.Usage(agent_based_hours=720), region="us-east-1")
        if name == "ModeComparison":
            return pricing.compare_modes(_coverage())
        return pricing.compare_with_aws([_usage_total()])

    return build


def _rescores() -> Any:
    from inspector_kit.scoring import rescore_all

    return rescore_all(_findings(), default="INTERNAL")


# The results of the other areas (coverage, triage, pricing, scoring, fetch). Their row
# types (InstanceCoverage, GapItem, RankedFinding, CveRollup, ResourceRollup) are rows of
# these results, not results. Streams (LoadedFindings, FindingStream) are not results
# either: they are read once, and every writer takes them as iterables of findings.
AREA_RESULTS: list[tuple[str, Callable[[], Any]]] = [
    ("CoverageReport", _coverage),
    ("DetectionGap", _gap),
    ("TriagePlan", _plan),
    ("Ranking", _ranked),
    ("CveRollups", _triage("rollup_by_cve")),
    ("ResourceRollups", _triage("rollup_by_resource")),
    ("PriceTable", _pricing("PriceTable")),
    ("CostEstimate", _pricing("CostEstimate")),
    ("ModeComparison", _pricing("ModeComparison")),
    ("AwsComparison", _pricing("AwsComparison")),
    ("Rescores", _rescores),
    ("FindingCounts", _finding_counts),
    ("CoverageStatistics", _coverage_statistics),
]

ENABLED = RESULTS + AREA_RESULTS


def _check_value(column: str, value: object) -> None:
    assert value is None or isinstance(value, _FLAT), (column, type(value))
    assert not isinstance(value, Enum), f"{column}: an enum member, not its value"
    if isinstance(value, datetime):
        assert value.tzinfo is not None, f"{column}: a naive datetime"
        assert value.utcoffset() == timedelta(0), f"{column}: not UTC"


@pytest.mark.parametrize(("name", "factory"), ENABLED, ids=[name for name, _ in ENABLED])
def test_result_is_records_and_every_writer_takes_it(name: str, factory: Callable[[], Any]) -> None:
    result = factory()
    assert isinstance(result, fm.Records), name
    columns = result.columns
    assert isinstance(columns, tuple) and all(isinstance(c, str) for c in columns)
    assert len(set(columns)) == len(columns), "a column is named twice"
    records = result.to_records()
    assert isinstance(records, list) and records, "build a result with at least one row"
    for record in records:
        assert tuple(record) == columns
        for column, value in record.items():
            _check_value(column, value)
    assert fm.to_records(result) == records

    # Text, Markdown and HTML show every column header (the functions and the methods).
    text, markdown, html = fm.to_text(result), fm.to_markdown(result), fm.to_html(result)
    assert text.splitlines()[0].split() == list(columns)
    header = markdown.splitlines()[0].strip("| ").split(" | ")
    assert [cell.replace("\\_", "_") for cell in header] == list(columns)
    for column in columns:
        assert f">{column}</th>" in html
    renderings = {"to_text": text, "to_markdown": markdown, "_repr_html_": html}
    for method, rendered in renderings.items():
        own = getattr(type(result), method)
        assert callable(own), f"{name} has no {method}()"
        output = getattr(result, method)()
        if own is getattr(fm.RecordsMixin, method):
            assert output == rendered, f"{name}.{method}()"
        else:  # its own rendering (a summary, a report): still text, and not empty
            assert isinstance(output, str) and output, f"{name}.{method}()"

    # CSV and JSON take it: one row per record, the columns as the header.
    reader = csv.DictReader(fm.to_csv(result).splitlines())
    assert list(reader.fieldnames or ()) == list(columns)
    assert len(list(reader)) == len(records)
    assert len(json.loads(fm.to_json(result))) == len(records)
    assert len(fm.to_jsonl(result).splitlines()) == len(records)
