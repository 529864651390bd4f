"""The OS table and the end-of-life tail (issue 16, section 2).

Truths: docs/facts.md#supported-os. Amazon Linux 2 was discontinued on 2026-06-30; a
discontinued OS is still scanned and billed for 12 calendar months after its date, with a
CRITICAL end-of-life finding (the boundary reading is the documented assumption
``END_OF_LIFE_SCAN_TAIL_MONTHS``: through the same day 12 months later, inclusive). The dates
below are written out by hand, not computed with the code under test.
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime, timezone
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from inspector_kit.coverage import (
    END_OF_LIFE_SCAN_TAIL_MONTHS,
    CoverageStatus,
    DeepInspectionSettings,
    Ec2Instance,
    OsStatus,
    OsSupport,
    ReasonKind,
    ScanMethod,
    SsmStatus,
    Volume,
    _os,
    analyze,
    os_support,
)
from inspector_kit.pricing import Usage

SUPPORTED, TAIL = OsStatus.SUPPORTED, OsStatus.END_OF_LIFE_TAIL
DISCONTINUED, UNSUPPORTED = OsStatus.DISCONTINUED, OsStatus.UNSUPPORTED
READ = date(2026, 12, 4)
TODAY = datetime(2026, 12, 4, 12, 0, tzinfo=timezone.utc)


def at(day: str) -> datetime:
    return datetime.fromisoformat(day).replace(hour=12, tzinfo=timezone.utc)


# --- the end-of-life tail: decision table --------------------------------------------------

# Amazon Linux 2: discontinued 2026-06-30; last day in the tail 2027-06-30; stops 2027-07-01.
AL2_ROWS = [
    ("2026-06-29", SUPPORTED, True),  # before the date
    ("2026-06-30", SUPPORTED, True),  # the date itself: still on the list
    ("2026-07-01", TAIL, True),  # the day after: the tail begins
    ("2026-12-04", TAIL, True),  # today
    ("2027-06-30", TAIL, True),  # +12 months: the last day of the tail
    ("2027-07-01", DISCONTINUED, False),  # the day after: scanning has stopped
]


@pytest.mark.parametrize(("day", "status", "scanned"), AL2_ROWS, ids=[r[0] for r in AL2_ROWS])
def test_end_of_life_tail_boundaries(day: str, status: OsStatus, scanned: bool) -> None:
    s = os_support("linux", "Amazon Linux", "2", now=at(day))
    assert (s.status, s.supported) == (status, scanned)
    assert s.discontinued == date(2026, 6, 30)
    if status is SUPPORTED:
        assert s.ends == date(2026, 6, 30) and s.scanning_stops is None
        assert s.end_of_life_finding is None
    else:
        assert s.scanning_stops == date(2027, 7, 1)
    if status is TAIL:
        assert s.code == "OS_END_OF_LIFE_TAIL"
        assert "2027-07-01" in str(s.message) and "CRITICAL" in str(s.message)
        assert "billed" in str(s.message)
        assert s.end_of_life_finding is not None and "CRITICAL" in s.end_of_life_finding
        assert s.agentless  # still scanned by both methods
    if status is DISCONTINUED:
        assert s.code == "DISCONTINUED_OS" and not s.agentless
        assert s.fix is not None and "Amazon Linux 2023" in s.fix


def test_the_tail_length_is_the_documented_twelve_months_and_a_keyword() -> None:
    assert END_OF_LIFE_SCAN_TAIL_MONTHS == 12
    # Six months after 2026-06-30: the last day in the tail is 2026-12-30.
    six = {"tail_months": 6}
    s = os_support("linux", "Amazon Linux", "2", now=at("2026-12-30"), **six)
    assert (s.status, s.scanning_stops) == (TAIL, date(2026, 12, 31))
    s = os_support("linux", "Amazon Linux", "2", now=at("2026-12-31"), **six)
    assert (s.status, s.supported) == (DISCONTINUED, False)
    s = os_support("linux", "Amazon Linux", "2", now=at("2026-07-01"), tail_months=0)
    assert s.status is DISCONTINUED


@pytest.mark.parametrize(
    ("start", "months", "end"),
    [
        (date(2026, 6, 30), 12, date(2027, 6, 30)),
        (date(2025, 8, 31), 6, date(2026, 2, 28)),  # clamped to the shorter month
        (date(2024, 2, 29), 12, date(2025, 2, 28)),  # leap day
        (date(2026, 11, 15), 1, date(2026, 12, 15)),
        (date(2026, 12, 15), 1, date(2027, 1, 15)),  # across the year
    ],
)
def test_calendar_months(start: date, months: int, end: date) -> None:
    assert _os._add_months(start, months) == end


def test_analysis_reports_the_tail_as_covered_billed_and_warned() -> None:
    def judged(day: str) -> Any:
        return analyze([_instance(at(day))], configuration="EC2_HYBRID", now=at(day))[0]

    on_date = judged("2026-06-30")
    assert on_date.status is CoverageStatus.COVERED
    assert "OS_SUPPORT_ENDING" in _codes(on_date, ReasonKind.WARNING)

    tail = judged("2027-06-30")
    assert (tail.status, tail.expected_status) == (CoverageStatus.COVERED,) * 2
    assert tail.billed and tail.billed_method is ScanMethod.AGENT_BASED
    warning = next(r for r in tail.reasons if r.code == "OS_END_OF_LIFE_TAIL")
    assert warning.kind is ReasonKind.WARNING
    assert "2027-07-01" in warning.message and "CRITICAL" in warning.message
    assert not tail.blockers

    after = judged("2027-07-01")
    assert after.status is CoverageStatus.UNSUPPORTED and not after.billed
    assert [r.code for r in after.blockers] == ["DISCONTINUED_OS"]
    assert "2027-07-01" in after.blockers[0].message


def test_a_tail_instance_is_billed_by_pricing() -> None:
    tail = analyze([_instance(at("2027-06-30"))], configuration="EC2_HYBRID", now=at("2027-06-30"))
    after = analyze([_instance(at("2027-07-01"))], configuration="EC2_HYBRID", now=at("2027-07-01"))
    assert Usage.from_coverage(tail).agent_based_hours == Decimal(720)
    assert Usage.from_coverage(after).agent_based_hours == Decimal(0)


# --- the rows the issue names ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "version"),
    [
        ("Debian GNU/Linux", "11"),
        ("Ubuntu", "16.04"),
        ("SLES", "15.6"),
        ("SUSE Linux Enterprise Server", "15 SP6"),
        ("Fedora Linux", "42"),
        ("openSUSE Leap", "15.6"),
    ],
)
def test_discontinued_without_a_read_date_are_assumed_in_their_tail(
    name: str, version: str
) -> None:
    s = os_support("linux", name, version, now=TODAY)
    assert (s.status, s.supported) == (TAIL, True)
    assert s.discontinued is None and s.scanning_stops is None
    assert "unknown" in str(s.message)
    off = os_support("linux", name, version, now=TODAY, undated_in_tail=False)
    assert (off.status, off.supported, off.code) == (DISCONTINUED, False, "DISCONTINUED_OS")


LTS = ["18.04", "20.04", "22.04", "24.04", "26.04"]
INTERIM = ["20.10", "21.04", "21.10", "22.10", "23.04", "23.10", "24.10", "25.04", "25.10"]


@pytest.mark.parametrize("version", LTS)
def test_ubuntu_lts_releases_are_supported(version: str) -> None:
    s = os_support("linux", "Ubuntu", version, now=TODAY)
    assert (s.status, s.supported, s.discontinued) == (SUPPORTED, True, None)


@pytest.mark.parametrize("version", INTERIM)
def test_ubuntu_interim_releases_are_discontinued(version: str) -> None:
    s = os_support("linux", "Ubuntu", version, now=TODAY)
    assert s.status is TAIL  # discontinued; dates not read, so the assumption applies
    assert os_support("linux", "Ubuntu", version, now=TODAY, undated_in_tail=False).status is (
        DISCONTINUED
    )


@pytest.mark.parametrize("version", ["14.04", "26.10"])
def test_ubuntu_releases_off_the_table_are_unsupported(version: str) -> None:
    s = os_support("linux", "Ubuntu", version, now=TODAY)
    assert (s.status, s.supported, s.code) == (UNSUPPORTED, False, "UNSUPPORTED_OS")
    assert s.fix is not None and "LTS" in s.fix


def test_bottlerocket_has_no_deep_inspection() -> None:
    assert os_support("linux", "Bottlerocket", "1.20.0", now=TODAY).deep_inspection is False
    assert os_support("linux", "Amazon Linux", "2023", now=TODAY).deep_inspection is True
    on = DeepInspectionSettings(activated=True)
    bottlerocket = analyze(
        [_instance(TODAY, os_name="Bottlerocket", os_version="1.20.0")],
        configuration="EC2_HYBRID",
        deep_inspection=on,
        now=TODAY,
    )[0]
    assert bottlerocket.status is CoverageStatus.COVERED
    assert bottlerocket.deep_inspection is False and bottlerocket.language_package_paths == ()
    assert "DEEP_INSPECTION_UNSUPPORTED_OS" in _codes(bottlerocket)
    al2023 = analyze(
        [_instance(TODAY, os_version="2023")],
        configuration="EC2_HYBRID",
        deep_inspection=on,
        now=TODAY,
    )[0]
    assert al2023.deep_inspection is True
    assert "DEEP_INSPECTION_UNSUPPORTED_OS" not in _codes(al2023)


def test_old_constructor_and_fields_keep_working() -> None:
    assert OsSupport("x", True, True).status is SUPPORTED
    assert OsSupport("x", False, False).status is UNSUPPORTED
    assert OsSupport("x", None, True).status is OsStatus.UNKNOWN
    s = os_support("linux", "Amazon Linux", "2", now=at("2027-07-01"))
    assert s.ends == date(2026, 6, 30)  # as before: the last day on the list


# --- the table file -------------------------------------------------------------------------


def _raw_rows() -> list[dict[str, Any]]:
    path = resources.files("inspector_kit").joinpath("data/os_support.json")
    rows: list[dict[str, Any]] = json.loads(path.read_text("utf-8"))["rows"]
    return rows


def test_the_table_ships_inside_the_package() -> None:
    package = Path(_os.__file__).resolve().parent.parent
    assert (package / "data" / "os_support.json").is_file()
    pyproject = (package.parent / "pyproject.toml").read_text()
    assert 'packages = ["inspector_kit"]' in pyproject  # the wheel takes the whole package
    ignored = (package.parent / ".gitignore").read_text().split()
    assert not any(p in ignored for p in ("*.json", "data/", "inspector_kit/data/"))


def test_every_row_has_a_source_and_a_read_date() -> None:
    rows = _raw_rows()
    assert rows
    for row in rows:
        assert re.fullmatch(r"https://docs\.aws\.amazon\.com/inspector/\S+\.html", row["source"])
        read = date.fromisoformat(row["read"])
        assert date(2026, 1, 1) <= read <= READ, row
        assert row["status"] in {"supported", "discontinued", "unsupported"}, row
        for key in ("agent", "agentless", "deep_inspection"):
            assert isinstance(row[key], bool), (key, row)
        if row["discontinued"] is not None:
            date.fromisoformat(row["discontinued"])
        elif row["status"] == "discontinued":
            assert "Assumption" in row.get("note", ""), row  # no date read: say so


def test_rows_parse_and_do_not_overlap() -> None:
    rows = _os._table()
    assert len(rows) == len(_raw_rows())
    for row in rows:
        if row.low is not None and row.high is not None:
            assert row.low <= row.high, row
    by_family: dict[str, list[Any]] = {}
    for row in rows:
        by_family.setdefault(row.family, []).append(row)
    for family, members in by_family.items():
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                overlap = (a.low is None or b.high is None or a.low <= b.high) and (
                    b.low is None or a.high is None or b.low <= a.high
                )
                assert not overlap, (family, a, b)


def test_every_family_in_the_code_has_rows_and_no_row_is_orphaned() -> None:
    families = {f.label for f in _os._FAMILIES}
    in_rows = {row.family for row in _os._table()}
    assert families == in_rows


def test_the_table_is_read_once() -> None:
    assert _os._table() is _os._table()


# --- helpers --------------------------------------------------------------------------------


def _instance(now: datetime, **changes: Any) -> Ec2Instance:
    base: dict[str, Any] = {
        "account_id": "111122223333",
        "region": "us-east-1",
        "state": "running",
        "platform": "linux",
        "os_name": "Amazon Linux",
        "os_version": "2",
        "root_device_type": "ebs",
        "volumes": (Volume("vol-0123456789abcdef0", 30, "xfs"),),
        "launched_at": datetime(2026, 1, 1, tzinfo=timezone.utc),
        "ssm": SsmStatus(managed=True, ping_status="Online", last_inventory_at=now),
    }
    base.update(changes)
    return Ec2Instance("i-0123456789abcdef0", **base)


def _codes(c: Any, kind: ReasonKind | None = None) -> list[str]:
    return [r.code for r in c.reasons if kind is None or r.kind is kind]
