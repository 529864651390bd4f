"""The triage package surface: pinned names, private modules, pure at run time."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import inspector_kit.triage as triage

TRIAGE_ALL = [
    "ACCOUNT_RECORD_COLUMNS",
    "DEFAULT_MORNING",
    "MAX_POLICY_BYTES",
    "MAX_REVIEW_LOG_BYTES",
    "RANK_TABLE_INPUT_COLUMNS",
    "TRIAGE_GROUP_COLUMNS",
    "Action",
    "BusinessCalendar",
    "CalendarError",
    "Component",
    "Condition",
    "CveRollup",
    "CveRollups",
    "Deadline",
    "Decision",
    "Digest",
    "PolicyFileError",
    "RankedFinding",
    "Ranking",
    "ResourceRollup",
    "ResourceRollups",
    "Review",
    "ReviewLog",
    "ReviewLogError",
    "Route",
    "Rule",
    "TriageItem",
    "TriagePlan",
    "TriagePolicy",
    "Weights",
    "digest",
    "rank",
    "rank_table",
    "records",
    "rollup_by_cve",
    "rollup_by_resource",
    "route",
]


def test_all_is_pinned_and_sorted() -> None:
    assert triage.__all__ == TRIAGE_ALL
    assert all(hasattr(triage, name) for name in triage.__all__)


def test_implementation_modules_are_private() -> None:
    modules = sorted(m.name for m in pkgutil.iter_modules(triage.__path__))
    assert modules == [
        "_calendar",
        "_engine",
        "_plan",
        "_policy",
        "_policy_file",
        "_rank",
        "_reviews",
        "_route",
        "_table",
        "_values",
    ]


def test_errors_are_the_ones_in_the_error_module() -> None:
    from inspector_kit import errors

    assert triage.PolicyFileError is errors.PolicyFileError
    assert triage.CalendarError is errors.CalendarError
    assert triage.ReviewLogError is errors.ReviewLogError
    assert issubclass(errors.ReviewLogError, errors.TriageError)
    assert issubclass(errors.PolicyFileError, errors.InputError)


def test_planning_and_ranking_load_no_boto3() -> None:
    code = (
        "import sys; from datetime import datetime, timezone; "
        "from inspector_kit import sample_findings; "
        "from inspector_kit.triage import BusinessCalendar, TriagePolicy, rank, rollup_by_cve; "
        "fs = list(sample_findings()); "
        "p = TriagePolicy.from_yaml(TriagePolicy.default().to_yaml()).plan(fs, "
        "now=datetime(2026, 11, 22, tzinfo=timezone.utc), calendar=BusinessCalendar('JP')); "
        "rollup_by_cve(rank(fs)).to_records(); p.to_records(); "
        "print(len(p.items) > 0, any(m.startswith(('boto3', 'botocore')) for m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["True", "False"]
