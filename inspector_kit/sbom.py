"""Read Amazon Inspector's CycloneDX SBOM exports and join them to findings.

Inspector exports one CycloneDX 1.4 JSON document per resource (``CreateSbomExport``).
[`parse_cyclonedx`][inspector_kit.sbom.parse_cyclonedx] reads one into a
[`SbomDocument`][inspector_kit.sbom.SbomDocument]: the resource it describes (from
``metadata.properties``: ``resourceType``, ``accountId``, ``imageId`` and so on) and its
[`SbomComponent`][inspector_kit.sbom.SbomComponent] list.
[`join_findings`][inspector_kit.sbom.join_findings] says which components carry which findings,
matching Package URLs.

This module is pure: no AWS calls, no optional dependencies.

Errors: a document that cannot be read at all (not JSON, not UTF-8, nested too deeply,
not CycloneDX, a top-level member of the wrong shape) raises
[`SbomFormatError`][inspector_kit.errors.SbomFormatError] naming the JSON path and, when given, the
document (``source``, such as the S3 key). A bad *component* does not reject the document: it is
left out, reported in [`SbomDocument.errors`][inspector_kit.sbom.SbomDocument] with its path, and
one warning is logged on the ``inspector_kit.sbom`` logger; ``strict=True`` raises it instead.

Examples:
    >>> doc = parse_cyclonedx('''{"bomFormat": "CycloneDX", "specVersion": "1.4",
    ...   "metadata": {"properties": [{"name": "resourceType", "value": "AWS_LAMBDA_FUNCTION"}]},
    ...   "components": [{"type": "library", "name": "requests",
    ...                   "purl": "pkg:pypi/requests@2.19.1"}]}''')
    >>> doc.resource_type, [(c.name, c.version) for c in doc.components]
    ('AWS_LAMBDA_FUNCTION', [('requests', '2.19.1')])
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

import attrs

from ._sbom_model import (
    SbomComponent,
    SbomIssue,
    _component,
    _issues,
    _json_object,
    _optional_string,
    _properties,
    _string,
    _type_name,
    _version,
)
from ._scan_sbom import (
    ScanSbomCvss,
    ScanSbomMessage,
    ScanSbomResult,
    ScanSbomVulnerability,
    parse_scan_sbom,
)
from .errors import SbomFormatError
from .errors import _rebuild_sbom_format_error as _rebuild_sbom_format_error  # old pickles
from .models import Finding, FrozenMap

if TYPE_CHECKING:
    from packageurl import PackageURL

__all__ = [
    "SPDX_VERSIONS",
    "SUPPORTED_SPEC_VERSIONS",
    "ComponentFindings",
    "SbomComponent",
    "SbomDocument",
    "SbomFormatError",
    "SbomIssue",
    "ScanSbomCvss",
    "ScanSbomMessage",
    "ScanSbomResult",
    "ScanSbomVulnerability",
    "join_findings",
    "parse_cyclonedx",
    "parse_scan_sbom",
    "parse_spdx",
    "purl_key",
]

logger = logging.getLogger("inspector_kit.sbom")

#: The CycloneDX ``specVersion`` values [`parse_cyclonedx`][inspector_kit.sbom.parse_cyclonedx]
#: reads (Inspector writes 1.4; later versions keep the members read here).
SUPPORTED_SPEC_VERSIONS: tuple[str, ...] = ("1.4", "1.5", "1.6")

# metadata.properties names that identify the resource, in order of preference.
_RESOURCE_ID_KEYS = ("resourceId", "imageId", "instanceId", "functionArn", "functionName")


@attrs.frozen
class SbomDocument:
    """One resource's SBOM, as [`parse_cyclonedx`][inspector_kit.sbom.parse_cyclonedx] reads it.

    Attributes:
        resource_type: ``resourceType`` from ``metadata.properties`` (``AWS_ECR_CONTAINER_IMAGE``).
        resource_id: The first of ``resourceId``, ``imageId``, ``instanceId``,
            ``functionArn``, ``functionName`` in ``metadata.properties``.
        account_id: ``accountId`` from ``metadata.properties``.
        properties: All of ``metadata.properties`` as a name -> value map.
        components: The components, in document order (those that could be read).
        spec_version: The document's ``specVersion``.
        issues: One [`SbomIssue`][inspector_kit.sbom.SbomIssue] per component without a
            name (left out, also in ``errors``) or with an invalid PURL (kept); ``()`` when
            none. Not compared by ``==``.
        errors: The components left out because they could not be read, as
            [`SbomFormatError`][inspector_kit.errors.SbomFormatError] (each with its
            ``$.components[i]...`` path); ``()`` when every component was read. Not compared by
            ``==``.

    Examples:
        >>> doc = SbomDocument(resource_type=None, resource_id=None, account_id=None,
        ...     properties=FrozenMap(), components=())
        >>> len(doc.components)
        0
    """

    resource_type: str | None
    resource_id: str | None
    account_id: str | None
    properties: FrozenMap
    components: tuple[SbomComponent, ...]
    spec_version: str = "1.4"
    errors: tuple[SbomFormatError, ...] = attrs.field(default=(), eq=False, repr=False)
    issues: tuple[SbomIssue, ...] = attrs.field(default=(), eq=False, repr=False)


@attrs.frozen
class ComponentFindings:
    """A component and the findings whose vulnerable packages are that component.

    Examples:
        >>> c = SbomComponent(name="pip", version="22.0.4", purl="pkg:pypi/pip@22.0.4",
        ...     type="library")
        >>> doc = SbomDocument(resource_type=None, resource_id=None, account_id=None,
        ...     properties=FrozenMap(), components=(c,))
        >>> ComponentFindings(document=doc, component=c, findings=()).vulnerability_ids
        ()
    """

    document: SbomDocument
    component: SbomComponent
    findings: tuple[Finding, ...]

    @property
    def vulnerability_ids(self) -> tuple[str, ...]:
        """The distinct vulnerability ids of ``findings``, in order."""
        ids = (f.vulnerability_id for f in self.findings)
        return tuple(dict.fromkeys(i for i in ids if i is not None))


def parse_cyclonedx(
    document: Mapping[str, Any] | str | bytes | bytearray,
    *,
    source: str | None = None,
    strict: bool = False,
) -> SbomDocument:
    """Read a CycloneDX JSON SBOM (an Inspector export) into a ``SbomDocument``.

    Args:
        document: The parsed JSON object, or its JSON text (``str``, or UTF-8 ``bytes``).
        source: What the document is (an S3 key, a file name), for the errors to name.
        strict: Raise on the first component that cannot be read, instead of leaving it
            out and reporting it in [`SbomDocument.errors`][inspector_kit.sbom.SbomDocument].

    Raises:
        SbomFormatError: Not JSON (or nested too deeply, or not UTF-8), not CycloneDX
            (``bomFormat``), a ``specVersion`` not in
            [`SUPPORTED_SPEC_VERSIONS`][inspector_kit.sbom], or ``metadata``/``components`` of the
            wrong shape; the error's ``path`` says where, its ``source`` which document. A bad
            component raises only with ``strict=True``.

    Examples:
        >>> parse_cyclonedx({"bomFormat": "CycloneDX", "specVersion": "1.4"}).components
        ()
        >>> parse_cyclonedx({"bomFormat": "SPDX"})
        Traceback (most recent call last):
        ...
        inspector_kit.errors.SbomFormatError: $.bomFormat: not a CycloneDX document: 'SPDX'
        >>> doc = parse_cyclonedx({"bomFormat": "CycloneDX", "specVersion": "1.4",
        ...     "components": [{"type": "library", "name": "ok"}, {"type": "library"}]})
        >>> [c.name for c in doc.components], [str(e) for e in doc.errors]
        (['ok'], ['$.components[1].name: expected a string, got null'])
    """
    try:
        parsed = _parse(document, strict=strict)
    except SbomFormatError as exc:
        exc.source = source
        raise
    if parsed.errors:
        for error in parsed.errors:
            error.source = source
        logger.warning(
            "%s: %d component(s) could not be read; first: %s",
            source or "CycloneDX document",
            len(parsed.errors),
            parsed.errors[0],
        )
    return parsed


def _read_list(
    data: Mapping[str, Any],
    key: str,
    read_one: Callable[[Any, str], SbomComponent],
    *,
    strict: bool,
    issues: list[SbomIssue] | None = None,
) -> tuple[list[SbomComponent], list[SbomFormatError]]:
    """Read each item of ``data[key]`` (absent: none); a bad item is an error, not fatal."""
    items = data.get(key)
    if items is None:
        items = []
    if not isinstance(items, list):
        raise SbomFormatError(f"{key} must be a list, got {_type_name(items)}", path=f"$.{key}")
    read: list[SbomComponent] = []
    errors: list[SbomFormatError] = []
    name_key, ref_key = ("name", "bom-ref") if key == "components" else ("name", "SPDXID")
    for index, item in enumerate(items):
        path = f"$.{key}[{index}]"
        component: SbomComponent | None = None
        try:
            component = read_one(item, path)
            read.append(component)
        except SbomFormatError as exc:
            if strict:
                raise
            errors.append(exc)
        if issues is not None:
            issues.extend(_issues(item, path, component, name_key=name_key, ref_key=ref_key))
    return read, errors


def _parse(document: Any, *, strict: bool) -> SbomDocument:
    data = _json_object(document)
    if data.get("bomFormat") != "CycloneDX":
        raise SbomFormatError(
            f"not a CycloneDX document: {data.get('bomFormat')!r}", path="$.bomFormat"
        )
    spec = data.get("specVersion")
    if spec not in SUPPORTED_SPEC_VERSIONS:
        raise SbomFormatError(
            f"unsupported specVersion {spec!r}; supported: {', '.join(SUPPORTED_SPEC_VERSIONS)}",
            path="$.specVersion",
        )
    metadata = data.get("metadata")
    if metadata is None:
        metadata = {}
    if not isinstance(metadata, Mapping):
        raise SbomFormatError(f"expected an object, got {_type_name(metadata)}", path="$.metadata")
    properties = _properties(metadata.get("properties"), "$.metadata.properties")
    issues: list[SbomIssue] = []
    read, errors = _read_list(data, "components", _component, strict=strict, issues=issues)
    resource_id = next((properties[k] for k in _RESOURCE_ID_KEYS if properties.get(k)), None)
    return SbomDocument(
        resource_type=properties.get("resourceType"),
        resource_id=resource_id,
        account_id=properties.get("accountId"),
        properties=properties,
        components=tuple(read),
        spec_version=spec,
        errors=tuple(errors),
        issues=tuple(issues),
    )


#: The SPDX ``spdxVersion`` values [`parse_spdx`][inspector_kit.sbom.parse_spdx] reads.
SPDX_VERSIONS: tuple[str, ...] = ("SPDX-2.2", "SPDX-2.3")


def _spdx_package(value: Any, path: str) -> SbomComponent:
    if not isinstance(value, Mapping):
        raise SbomFormatError(f"expected an object, got {_type_name(value)}", path=path)
    name = _string(value.get("name"), f"{path}.name")
    refs = value.get("externalRefs")
    if refs is None:
        refs = []
    if not isinstance(refs, list):
        raise SbomFormatError(
            f"externalRefs must be a list, got {_type_name(refs)}", path=f"{path}.externalRefs"
        )
    purl: str | None = None
    for index, ref in enumerate(refs):
        if isinstance(ref, Mapping) and ref.get("referenceType") == "purl":
            purl = _string(
                ref.get("referenceLocator"), f"{path}.externalRefs[{index}].referenceLocator"
            )
            break
    version = _version(_optional_string(value.get("versionInfo"), f"{path}.versionInfo"), purl)
    return SbomComponent(
        name=name,
        version=version,
        purl=purl,
        type="library",
        bom_ref=_optional_string(value.get("SPDXID"), f"{path}.SPDXID"),
    )


def parse_spdx(
    document: Mapping[str, Any] | str | bytes | bytearray,
    *,
    source: str | None = None,
    strict: bool = False,
) -> SbomDocument:
    """Read an SPDX 2.3 (or 2.2) JSON SBOM into a ``SbomDocument``.

    Each package becomes a component: ``name``, ``versionInfo`` (else the PURL's version),
    the ``PACKAGE-MANAGER``/``purl`` external reference, ``SPDXID`` as ``bom_ref``; ``type``
    is ``library`` (SPDX 2.3 has no component type). The resource fields are ``None``: SPDX
    has no ``metadata.properties``. ``spec_version`` is the ``spdxVersion``. A package that
    cannot be read is left out and reported in ``errors`` (``strict=True`` raises it).

    Raises:
        SbomFormatError: Not JSON, an ``spdxVersion`` not in ``SPDX_VERSIONS``, or
            ``packages`` not a list.

    Examples:
        >>> doc = parse_spdx({"spdxVersion": "SPDX-2.3", "packages": [
        ...     {"SPDXID": "SPDXRef-1", "name": "pip", "externalRefs": [
        ...         {"referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl",
        ...          "referenceLocator": "pkg:pypi/pip@22.0.4"}]},
        ...     {"SPDXID": "SPDXRef-2"}]})
        >>> [(c.name, c.version) for c in doc.components], [str(e) for e in doc.errors]
        ([('pip', '22.0.4')], ['$.packages[1].name: expected a string, got null'])
    """
    try:
        data = _json_object(document)
        spec = data.get("spdxVersion")
        if spec not in SPDX_VERSIONS:
            raise SbomFormatError(
                f"unsupported spdxVersion {spec!r}; supported: {', '.join(SPDX_VERSIONS)}",
                path="$.spdxVersion",
            )
        issues: list[SbomIssue] = []
        read, errors = _read_list(data, "packages", _spdx_package, strict=strict, issues=issues)
        for error in errors:
            error.source = source
    except SbomFormatError as exc:
        exc.source = source
        raise
    if errors:
        logger.warning(
            "%s: %d package(s) could not be read; first: %s",
            source or "SPDX document",
            len(errors),
            errors[0],
        )
    return SbomDocument(
        resource_type=None,
        resource_id=None,
        account_id=None,
        properties=FrozenMap(),
        components=tuple(read),
        spec_version=spec,
        errors=tuple(errors),
        issues=tuple(issues),
    )


_PurlKey = tuple[str, "str | None", str, "str | None"]


def purl_key(purl: PackageURL | str | None) -> _PurlKey | None:
    """The part of a PURL that identifies a package: type, namespace, name, version.

    The same key as [`inspector_kit.purl.purl_key`][inspector_kit.purl.purl_key]: qualifiers
    (``arch``, ``distro``, ``path``...) and the subpath are left out, and Inspector's
    spellings of one OS package (``epoch=`` or ``N:`` in the version, ``pkg:dpkg``, with or
    without a namespace) share a key. ``None`` for ``None`` or an invalid PURL.

    Examples:
        >>> purl_key("pkg:pypi/pip@22.0.4?path=usr/lib")
        ('pypi', None, 'pip', '22.0.4')
        >>> purl_key("pkg:rpm/amazon/curl@8?arch=x86_64&distro=amazon-2023") == purl_key(
        ...     "pkg:rpm/curl@8?distro=2023&arch=x86_64")
        True
    """
    from .purl import purl_key as _key

    return _key(purl)


def join_findings(
    documents: Iterable[SbomDocument], findings: Iterable[Finding]
) -> list[ComponentFindings]:
    """Which components carry which findings, matched by Package URL.

    A finding matches a component when one of its
    [`Finding.purls`][inspector_kit.models.Finding.purls] has the component's type, namespace, name
    and version (see [`purl_key`][inspector_kit.sbom.purl_key]); the resource is not compared.
    Components without a finding are left out.

    Returns:
        One entry per matched component, in document then component order; each entry's
        findings keep their input order, without repeats.

    Examples:
        >>> from inspector_kit import sample_findings
        >>> findings = list(sample_findings())
        >>> doc = parse_cyclonedx({"bomFormat": "CycloneDX", "specVersion": "1.4",
        ...     "components": [{"type": "library", "name": "log4j-core",
        ...         "purl": "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1"}]})
        >>> [(j.component.name, j.vulnerability_ids) for j in join_findings([doc], findings)]
        [('log4j-core', ('CVE-2021-44228', 'CVE-2021-45046'))]
    """
    by_key: dict[_PurlKey, list[Finding]] = {}
    for finding in findings:
        for purl in finding.purls:
            key = purl_key(purl)
            if key is not None:
                bucket = by_key.setdefault(key, [])
                if not bucket or bucket[-1] is not finding:
                    bucket.append(finding)
    joined: list[ComponentFindings] = []
    for document in documents:
        for component in document.components:
            key = purl_key(component.package_url)
            matched = by_key.get(key) if key is not None else None
            if matched:
                joined.append(
                    ComponentFindings(
                        document=document,
                        component=component,
                        findings=tuple(dict.fromkeys(matched)),
                    )
                )
    return joined
