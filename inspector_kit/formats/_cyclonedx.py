"""Findings as a CycloneDX 1.6 JSON document (extra ``sbom``: cyclonedx-python-lib)."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from ._extras import MissingExtraError

if TYPE_CHECKING:
    import os
    from collections.abc import Iterable

    from inspector_kit.models import Finding

__all__ = ["to_cyclonedx", "write_cyclonedx"]

_FEATURE = "to_cyclonedx"
_EPSS_SOURCE = "FIRST EPSS"
_STRAY_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")


def _uri_text(url: str) -> str:
    """``url`` as cyclonedx-python-lib's ``XsUri`` accepts it, nothing dropped.

    ``XsUri`` rejects a ``%`` not followed by two hex digits and a second ``#`` (with its
    own exception); both are percent-encoded here (``%25``, ``%23``).
    """
    head, sep, fragment = _STRAY_PERCENT.sub("%25", url).partition("#")
    return head + sep + fragment.replace("#", "%23")


def _require() -> None:
    try:
        import cyclonedx.output.json  # noqa: F401
    except ImportError as exc:
        raise MissingExtraError("cyclonedx", "sbom", feature=_FEATURE) from exc


def _finding_list(findings: Iterable[Finding] | Finding) -> list[Finding]:
    from inspector_kit.models import Finding

    return [findings] if isinstance(findings, Finding) else list(findings)


def _bom_json(findings: list[Finding]) -> str:
    from cyclonedx.model import XsUri
    from cyclonedx.model.bom import Bom
    from cyclonedx.model.component import Component, ComponentType
    from cyclonedx.model.vulnerability import (
        BomTarget,
        Vulnerability,
        VulnerabilityAdvisory,
        VulnerabilityRating,
        VulnerabilityScoreSource,
        VulnerabilitySource,
    )
    from cyclonedx.output.json import JsonV1Dot6

    methods = {
        "2.0": VulnerabilityScoreSource.CVSS_V2,
        "3.0": VulnerabilityScoreSource.CVSS_V3,
        "3.1": VulnerabilityScoreSource.CVSS_V3_1,
        "4.0": VulnerabilityScoreSource.CVSS_V4,
    }

    components: dict[str, Component] = {}
    by_id: dict[str, list[Finding]] = {}
    refs: dict[str, dict[str, None]] = {}
    for finding in findings:
        details = finding.package_vulnerability_details
        if details is None:
            continue
        by_id.setdefault(details.vulnerability_id, []).append(finding)
        affected = refs.setdefault(details.vulnerability_id, {})
        for package, purl in zip(finding.vulnerable_packages, finding.purls, strict=True):
            if purl is None:
                continue
            key = purl.to_string()
            if key not in components:
                components[key] = Component(
                    name=purl.name,
                    version=package.full_version,
                    type=ComponentType.LIBRARY,
                    purl=purl,
                    bom_ref=key,
                )
            affected[key] = None

    vulnerabilities: list[Vulnerability] = []
    epss_scores: dict[str, float] = {}
    for vulnerability_id, group in by_id.items():
        first = group[0].package_vulnerability_details
        assert first is not None
        ratings: list[VulnerabilityRating] = []
        seen: set[tuple[str, str, str]] = set()
        urls: dict[str, None] = {}
        for finding in group:
            details = finding.package_vulnerability_details
            assert details is not None
            for cvss in details.cvss or ():
                method = methods.get(cvss.version, VulnerabilityScoreSource.OTHER)
                mark = (cvss.source, cvss.version, cvss.scoring_vector)
                if mark in seen:
                    continue
                seen.add(mark)
                ratings.append(
                    VulnerabilityRating(
                        source=VulnerabilitySource(name=cvss.source),
                        score=Decimal(str(cvss.base_score)),
                        method=method,
                        vector=cvss.scoring_vector,
                    )
                )
            for url in (details.source_url, *(details.reference_urls or ())):
                if url:
                    urls[url] = None
        inspector = [f.inspector_score for f in group if f.inspector_score is not None]
        if inspector:
            ratings.append(
                VulnerabilityRating(
                    source=VulnerabilitySource(name="Amazon Inspector"),
                    score=Decimal(str(max(inspector))),
                    method=VulnerabilityScoreSource.OTHER,
                )
            )
        epss = [f.epss_score for f in group if f.epss_score is not None]
        if epss:
            epss_scores[vulnerability_id] = max(epss)
            ratings.append(
                VulnerabilityRating(
                    source=VulnerabilitySource(
                        name=_EPSS_SOURCE, url=XsUri("https://www.first.org/epss/")
                    ),
                    score=Decimal(str(max(epss))),
                    method=VulnerabilityScoreSource.OTHER,
                )
            )
        source_url = XsUri(_uri_text(first.source_url)) if first.source_url else None
        vulnerabilities.append(
            Vulnerability(
                bom_ref=f"vulnerability:{vulnerability_id}",
                id=vulnerability_id,
                source=VulnerabilitySource(name=first.source, url=source_url),
                ratings=ratings,
                description=group[0].description or None,
                advisories=[VulnerabilityAdvisory(url=XsUri(_uri_text(url))) for url in urls],
                affects=[BomTarget(ref=ref) for ref in refs[vulnerability_id]],
            )
        )

    bom = Bom(components=components.values(), vulnerabilities=vulnerabilities)
    text = JsonV1Dot6(bom).output_as_string(indent=2)
    if not epss_scores:
        return text
    # cyclonedx-python-lib writes every rating score with one decimal ('.1f'), which
    # would turn an EPSS of 0.9447 into 0.9: put the exact value back.
    document = json.loads(text)
    for entry in document.get("vulnerabilities", ()):
        exact = epss_scores.get(entry.get("id"))
        for rating in entry.get("ratings", ()):
            if exact is not None and rating.get("source", {}).get("name") == _EPSS_SOURCE:
                rating["score"] = exact
    return json.dumps(document, indent=2)


def to_cyclonedx(findings: Iterable[Finding] | Finding) -> str:
    """Package findings as a CycloneDX 1.6 JSON document (a vulnerability disclosure).

    Components are the distinct vulnerable packages that have a Package URL (the PURL is
    also the ``bom-ref``). Each vulnerability id gives one vulnerability whose ``affects``
    lists its components, with ``ratings``: every source's CVSS score (method
    ``CVSSv2``/``CVSSv3``/``CVSSv31``/``CVSSv4``), the Inspector score (method ``other``,
    source ``Amazon Inspector``; the highest over the id's findings) and EPSS (method
    ``other``, source ``FIRST EPSS``), and ``advisories`` from the source and reference
    URLs. Network reachability and code findings are left out.

    Raises:
        MissingExtraError: cyclonedx-python-lib is not installed
            (``pip install 'inspector-kit[sbom]'``).

    Examples:
        >>> import json
        >>> from inspector_kit import sample_findings
        >>> bom = json.loads(to_cyclonedx(sample_findings()))
        >>> bom["bomFormat"], bom["specVersion"]
        ('CycloneDX', '1.6')
        >>> log4shell = next(v for v in bom["vulnerabilities"] if v["id"] == "CVE-2021-44228")
        >>> sorted(r["source"]["name"] for r in log4shell["ratings"])
        ['Amazon Inspector', 'FIRST EPSS', 'NVD']
    """
    _require()
    return _bom_json(_finding_list(findings))


def write_cyclonedx(findings: Iterable[Finding] | Finding, path: str | os.PathLike[str]) -> None:
    """Write ``to_cyclonedx`` to ``path`` (UTF-8, replaced if it exists).

    Raises:
        MissingExtraError: cyclonedx-python-lib is not installed.

    Examples:
        >>> import json, pathlib, tempfile
        >>> from inspector_kit import sample_findings
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "findings.cdx.json"
        >>> write_cyclonedx(sample_findings(), path)
        >>> json.loads(path.read_text(encoding="utf-8"))["bomFormat"]
        'CycloneDX'
    """
    Path(path).write_text(to_cyclonedx(findings), encoding="utf-8", newline="")
