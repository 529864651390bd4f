"""The public API is pinned, and every public name documents itself with an example."""

from __future__ import annotations

import inspect

import pytest

import inspector_kit
from inspector_kit import (
    cli,
    coverage,
    errors,
    fetch,
    loaders,
    logs,
    models,
    pricing,
    purl,
    scoring,
    testing,
    triage,
)

PUBLIC = [
    "AccessDeniedError",
    "ConfigurationError",
    "CriteriaError",
    "CvssChoice",
    "FetchError",
    "Finding",
    "FindingCriteria",
    "FindingParseError",
    "FindingStatus",
    "FindingStream",
    "FindingType",
    "FixAvailable",
    "Inspector",
    "InspectorKitError",
    "LoadedFindings",
    "PackageManager",
    "PaginationError",
    "PartialResultError",
    "RecordIssue",
    "Resource",
    "ResourceType",
    "ServiceUnavailableError",
    "ServiceValidationError",
    "Severity",
    "SkippedRecord",
    "SnapshotError",
    "SnapshotQueryError",
    "SourceFormatError",
    "ThrottledError",
    "TimestampError",
    "VulnerablePackage",
    "__version__",
    "load_findings",
    "sample_estate_path",
    "sample_findings",
]


def test_all_is_pinned_and_sorted() -> None:
    assert inspector_kit.__all__ == PUBLIC
    assert sorted(inspector_kit.__all__) == inspector_kit.__all__


@pytest.mark.parametrize(
    "module",
    [
        inspector_kit,
        models,
        errors,
        loaders,
        logs,
        purl,
        fetch,
        scoring,
        coverage,
        pricing,
        triage,
        testing,
    ],
)
def test_all_names_exist(module: object) -> None:
    for name in module.__all__:  # type: ignore[attr-defined]
        assert hasattr(module, name), name


def test_logs_and_cli_names_are_pinned() -> None:
    assert logs.__all__ == [
        "DEFAULT_FORMAT",
        "LIBRARY_LOGGERS",
        "REDACTED",
        "RedactingFilter",
        "configure_logging",
        "redact",
    ]
    for name in ("EXIT_CONFIG", "EXIT_OUTPUT", "EXIT_INTERNAL", "EXIT_INTERRUPTED", "exit_code"):
        assert name in cli.__all__, name


@pytest.mark.parametrize("name", [n for n in PUBLIC if n != "__version__"])
def test_every_public_name_has_a_docstring_with_an_example(name: str) -> None:
    doc = inspect.getdoc(getattr(inspector_kit, name))
    assert doc, name
    assert ">>>" in doc, f"{name} has no example"


@pytest.mark.parametrize(
    "name", [n for n in coverage.__all__ if not n.isupper() and not n.endswith("_CADENCE")]
)
def test_every_coverage_name_has_a_docstring_with_an_example(name: str) -> None:
    doc = inspect.getdoc(getattr(coverage, name))
    assert doc, name
    assert ">>>" in doc, f"coverage.{name} has no example"


@pytest.mark.parametrize("name", [n for n in pricing.__all__ if not n.isupper()])
def test_every_pricing_name_has_a_docstring_with_an_example(name: str) -> None:
    doc = inspect.getdoc(getattr(pricing, name))
    assert doc, name
    assert ">>>" in doc, f"pricing.{name} has no example"


@pytest.mark.parametrize("name", [n for n in triage.__all__ if not n.isupper()])
def test_every_triage_name_has_a_docstring_with_an_example(name: str) -> None:
    doc = inspect.getdoc(getattr(triage, name))
    assert doc, name
    assert ">>>" in doc, f"triage.{name} has no example"


def test_coverage_package_imports_no_boto3() -> None:
    import subprocess
    import sys

    code = (
        "import sys, inspector_kit.coverage; "
        "print(any(m.startswith(('boto3', 'botocore')) for m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_pricing_package_imports_no_boto3() -> None:
    import subprocess
    import sys

    code = (
        "import sys, inspector_kit.pricing; "
        "print(any(m.startswith(('boto3', 'botocore')) for m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


@pytest.mark.parametrize("name", [n for n in models.__all__ if n != "NO_FIX_VERSION"])
def test_every_model_name_is_documented(name: str) -> None:
    assert inspect.getdoc(getattr(models, name)), name


def test_errors_subclass_builtins() -> None:
    assert issubclass(inspector_kit.FindingParseError, ValueError)
    assert issubclass(inspector_kit.SourceFormatError, ValueError)
    assert issubclass(inspector_kit.FindingParseError, inspector_kit.InspectorKitError)


def test_models_package_imports_no_boto3() -> None:
    # models/ is pure: it must not pull boto3/botocore in (only fetch/ may, at run time).
    import subprocess
    import sys

    code = (
        "import sys, inspector_kit, inspector_kit.models, inspector_kit.loaders; "
        "before = any(m.startswith(('boto3', 'botocore')) for m in sys.modules); "
        "inspector_kit.Inspector; "
        "after = any(m.startswith(('boto3', 'botocore')) for m in sys.modules); "
        "print(before, after)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    # Pure modules pull nothing in; the fetch layer loads boto3 when first asked for.
    assert out.stdout.strip() == "False True"


def test_version() -> None:
    assert inspector_kit.__version__.startswith("0.")
