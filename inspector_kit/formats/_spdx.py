"""Findings as an SPDX 2.3 JSON document (no extra needed: plain ``json``)."""

from __future__ import annotations

import hashlib
import json
import re
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import os
    from collections.abc import Iterable

    from inspector_kit.models import Finding

__all__ = ["to_spdx", "write_spdx"]

_NAMESPACE = "https://spdx.org/spdxdocs/inspector-kit-"
_ID_SAFE = re.compile(r"[^A-Za-z0-9.-]")


def _finding_list(findings: Iterable[Finding] | Finding) -> list[Finding]:
    from inspector_kit.models import Finding

    return [findings] if isinstance(findings, Finding) else list(findings)


def _spdx_id(purl: str, taken: set[str]) -> str:
    """An ``SPDXRef-`` id (letters, digits, ``.`` and ``-`` only, spec 2.3 clause 7.2)."""
    base = "SPDXRef-Package-" + _ID_SAFE.sub("-", purl)
    spdx_id, n = base, 1
    while spdx_id in taken:
        n += 1
        spdx_id = f"{base}-{n}"
    taken.add(spdx_id)
    return spdx_id


def _document(findings: list[Finding], created: datetime) -> dict[str, Any]:
    packages: dict[str, dict[str, Any]] = {}
    advisories: dict[str, dict[str, None]] = {}
    taken: set[str] = set()
    for finding in findings:
        details = finding.package_vulnerability_details
        if details is None:
            continue
        for package, purl in zip(finding.vulnerable_packages, finding.purls, strict=True):
            if purl is None:
                continue
            key = purl.to_string()
            if key not in packages:
                packages[key] = {
                    "SPDXID": _spdx_id(key, taken),
                    "name": purl.name,
                    "versionInfo": package.full_version,
                    "downloadLocation": "NOASSERTION",
                    "filesAnalyzed": False,
                    "externalRefs": [
                        {
                            "referenceCategory": "PACKAGE-MANAGER",
                            "referenceType": "purl",
                            "referenceLocator": key,
                        }
                    ],
                }
            urls = advisories.setdefault(key, {})
            for url in (details.source_url, *(details.reference_urls or ())):
                if url:
                    urls[url] = None
            urls.setdefault(f"vulnerability:{details.vulnerability_id}", None)
    for key, entry in packages.items():
        for url in advisories.get(key, {}):
            if url.startswith("vulnerability:"):
                entry["externalRefs"].append(
                    {
                        "referenceCategory": "SECURITY",
                        "referenceType": "advisory",
                        "referenceLocator": f"https://nvd.nist.gov/vuln/detail/{url[14:]}",
                        "comment": f"Amazon Inspector finding: {url[14:]}",
                    }
                )
            else:
                entry["externalRefs"].append(
                    {
                        "referenceCategory": "SECURITY",
                        "referenceType": "url",
                        "referenceLocator": url,
                    }
                )
    digest = hashlib.sha256("\n".join(sorted(packages)).encode()).hexdigest()[:32]
    return {
        "spdxVersion": "SPDX-2.3",
        "dataLicense": "CC0-1.0",
        "SPDXID": "SPDXRef-DOCUMENT",
        "name": "inspector-kit-findings",
        "documentNamespace": f"{_NAMESPACE}{digest}",
        "creationInfo": {
            "created": created.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "creators": ["Tool: inspector-kit"],
        },
        "packages": list(packages.values()),
        "relationships": [
            {
                "spdxElementId": "SPDXRef-DOCUMENT",
                "relationshipType": "DESCRIBES",
                "relatedSpdxElement": entry["SPDXID"],
            }
            for entry in packages.values()
        ],
    }


def to_spdx(findings: Iterable[Finding] | Finding, *, created: datetime | None = None) -> str:
    """Package findings as an SPDX 2.3 JSON document.

    Packages are the distinct vulnerable packages that have a Package URL (an
    ``externalRefs`` entry ``PACKAGE-MANAGER``/``purl``). SPDX 2.3 has no vulnerability
    element, so each vulnerability is a ``SECURITY``/``advisory`` reference on its
    packages (the NVD page of the id, the id in ``comment``) and the finding's source and
    reference URLs are ``SECURITY``/``url`` references. The document ``DESCRIBES`` every
    package. ``created`` defaults to now (UTC); the namespace is derived from the PURLs,
    so equal inputs with equal ``created`` give equal documents.

    Examples:
        >>> import json
        >>> from datetime import datetime, timezone
        >>> from inspector_kit import sample_findings
        >>> when = datetime(2026, 12, 4, tzinfo=timezone.utc)
        >>> doc = json.loads(to_spdx(sample_findings(), created=when))
        >>> doc["spdxVersion"], doc["dataLicense"], doc["creationInfo"]["created"]
        ('SPDX-2.3', 'CC0-1.0', '2026-12-04T00:00:00Z')
    """
    when = created if created is not None else datetime.now(timezone.utc)
    return json.dumps(_document(_finding_list(findings), when), indent=2)


def write_spdx(
    findings: Iterable[Finding] | Finding,
    path: str | os.PathLike[str],
    *,
    created: datetime | None = None,
) -> None:
    """Write ``to_spdx`` to ``path`` (UTF-8, replaced if it exists).

    Examples:
        >>> import json, pathlib, tempfile
        >>> from inspector_kit import sample_findings
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "findings.spdx.json"
        >>> write_spdx(sample_findings(), path)
        >>> json.loads(path.read_text(encoding="utf-8"))["spdxVersion"]
        'SPDX-2.3'
    """
    Path(path).write_text(to_spdx(findings, created=created), encoding="utf-8", newline="")
