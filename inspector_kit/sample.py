"""The bundled sample estate: synthetic Inspector data for demos, docs and tests.

Made-up accounts, instances, images and functions in three regions, with findings of all
three types on EC2, ECR and Lambda. CVE ids and CVSS vectors are real public data; all
else is invented (see ``data/sample_estate/README.md``). No AWS account is needed.
"""

from __future__ import annotations

from pathlib import Path

from .loaders import LoadedFindings, load_findings

__all__ = ["sample_estate_path", "sample_findings"]

_ESTATE = Path(__file__).resolve().parent / "data" / "sample_estate"


def sample_estate_path() -> Path:
    """The directory holding the sample estate (``findings.jsonl``, ``resources.json``).

    Example:
        >>> (sample_estate_path() / "findings.jsonl").is_file()
        True
    """
    return _ESTATE


def sample_findings(*, strict: bool = True) -> LoadedFindings:
    """Load the sample estate's findings (strict by default: the bundled data is valid).

    Example:
        >>> from collections import Counter
        >>> types = Counter(str(f.type) for f in sample_findings())
        >>> sorted(types)
        ['CODE_VULNERABILITY', 'NETWORK_REACHABILITY', 'PACKAGE_VULNERABILITY']
    """
    return load_findings(_ESTATE / "findings.jsonl", strict=strict)
