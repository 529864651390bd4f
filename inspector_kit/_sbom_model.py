"""The SBOM component model and the readers' shared helpers (a leaf: no cycle, cheap import).

[`SbomComponent`][inspector_kit.sbom.SbomComponent] and
[`SbomIssue`][inspector_kit.sbom.SbomIssue] are public from ``inspector_kit.sbom``; they live
here so that ``inspector_kit.sbom`` and ``inspector_kit._scan_sbom`` (the Scan API reader, which
``load_findings`` reaches at ``import inspector_kit``) share them without an import cycle.
``packageurl`` is imported only when a PURL is parsed.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import attrs

from .errors import SbomFormatError
from .models import FrozenMap

if TYPE_CHECKING:
    from packageurl import PackageURL

__all__ = ["SbomComponent", "SbomIssue"]


@attrs.frozen
class SbomComponent:
    """One CycloneDX component: a package found on the resource.

    Attributes:
        name: ``name``.
        version: ``version``, else the version in the PURL (Inspector's exports often put
            it only there), else ``None``.
        purl: ``purl`` as written, or ``None``.
        type: ``type`` (``library``, ``application``, ...).
        properties: ``properties`` as a name -> value map (a repeated name keeps its last value).
        bom_ref: ``bom-ref``, or ``None``.

    Examples:
        >>> c = SbomComponent(name="pip", version="22.0.4", purl="pkg:pypi/pip@22.0.4",
        ...     type="library")
        >>> c.package_url.name, c.properties
        ('pip', FrozenMap({}))
    """

    name: str
    version: str | None
    purl: str | None
    type: str
    properties: FrozenMap = attrs.field(factory=FrozenMap)
    bom_ref: str | None = None

    @property
    def package_url(self) -> PackageURL | None:
        """``purl`` parsed, or ``None`` when absent or not a valid PURL."""
        return _parse_purl(self.purl)


@attrs.frozen
class SbomIssue:
    """One component of an SBOM that is not what a component should be.

    AWS emits such components (the Scan API marks them "Component skipped: invalid purl");
    each is reported on its own and never rejects the document.

    Attributes:
        path: Where, as a JSON path with the component's index (``$.components[3]``,
            ``$.packages[0]``), down to the member at fault (``...purl``).
        bom_ref: The component's ``bom-ref`` (SPDX: ``SPDXID``), when it has one.
        name: The component's name, when it has one.
        problem: What is wrong (``no name``, ``not a valid PURL: 'pkg:...'``).
        kept: Whether the component was read anyway (an invalid PURL: the component is
            kept, its ``package_url`` is ``None``) or left out (no name).

    Examples:
        >>> from inspector_kit.sbom import parse_cyclonedx
        >>> doc = parse_cyclonedx({"bomFormat": "CycloneDX", "specVersion": "1.5",
        ...     "components": [{"type": "library", "name": "x", "bom-ref": "comp-1",
        ...                     "purl": "not a purl"}, {"type": "library"}]})
        >>> [(i.path, i.bom_ref, i.problem, i.kept) for i in doc.issues]
        ... # doctest: +NORMALIZE_WHITESPACE
        [('$.components[0].purl', 'comp-1', "not a valid PURL: 'not a purl'", True),
         ('$.components[1].name', None, 'no name', False)]
    """

    path: str
    bom_ref: str | None
    name: str | None
    problem: str
    kept: bool = False

    def __str__(self) -> str:
        who = f" ({self.bom_ref})" if self.bom_ref else ""
        return f"{self.path}{who}: {self.problem}"


def _type_name(value: Any) -> str:
    return "null" if value is None else type(value).__name__


def _string(value: Any, path: str) -> str:
    if not isinstance(value, str):
        raise SbomFormatError(f"expected a string, got {_type_name(value)}", path=path)
    return value


def _optional_string(value: Any, path: str) -> str | None:
    return None if value is None else _string(value, path)


def _properties(value: Any, path: str) -> FrozenMap:
    if value is None:
        return FrozenMap()
    if not isinstance(value, list):
        raise SbomFormatError(f"expected a list, got {_type_name(value)}", path=path)
    data: dict[str, Any] = {}
    for index, item in enumerate(value):
        item_path = f"{path}[{index}]"
        if not isinstance(item, Mapping):
            raise SbomFormatError(f"expected an object, got {_type_name(item)}", path=item_path)
        name = _string(item.get("name"), f"{item_path}.name")
        data[name] = _optional_string(item.get("value"), f"{item_path}.value")
    return FrozenMap(data)


def _parse_purl(text: str | None) -> PackageURL | None:
    if not text:
        return None
    from packageurl import PackageURL

    try:
        return PackageURL.from_string(text)
    except ValueError:
        return None


def _component(value: Any, path: str) -> SbomComponent:
    if not isinstance(value, Mapping):
        raise SbomFormatError(f"expected an object, got {_type_name(value)}", path=path)
    name = _string(value.get("name"), f"{path}.name")
    kind = _string(value.get("type"), f"{path}.type")
    purl = _optional_string(value.get("purl"), f"{path}.purl")
    version = _version(_optional_string(value.get("version"), f"{path}.version"), purl)
    return SbomComponent(
        name=name,
        version=version,
        purl=purl,
        type=kind,
        properties=_properties(value.get("properties"), f"{path}.properties"),
        bom_ref=_optional_string(value.get("bom-ref"), f"{path}.bom-ref"),
    )


def _issues(
    item: Any, path: str, read: SbomComponent | None, *, name_key: str, ref_key: str
) -> list[SbomIssue]:
    """What is wrong with one component, per the rules of ``SbomIssue``."""
    if not isinstance(item, Mapping):
        return [SbomIssue(path, None, None, f"not an object: {_type_name(item)}")]
    ref = item.get(ref_key) if isinstance(item.get(ref_key), str) else None
    name = item.get(name_key) if isinstance(item.get(name_key), str) and item[name_key] else None
    if read is None:
        if name is None:
            return [SbomIssue(f"{path}.{name_key}", ref, None, "no name")]
        return [SbomIssue(path, ref, name, "could not be read")]
    if read.purl is not None and _parse_purl(read.purl) is None:
        where = f"{path}.purl" if ref_key == "bom-ref" else f"{path}.externalRefs"
        return [SbomIssue(where, ref, name, f"not a valid PURL: {read.purl!r}", kept=True)]
    return []


def _component_or_issue(item: Any, path: str) -> tuple[SbomComponent | None, list[SbomIssue]]:
    """One CycloneDX component and its issues; a component that cannot be read is ``None``."""
    try:
        component: SbomComponent | None = _component(item, path)
    except SbomFormatError:
        component = None
    return component, _issues(item, path, component, name_key="name", ref_key="bom-ref")


def _json_object(document: Any) -> Mapping[str, Any]:
    """``document`` as a JSON object: decoded from text or bytes, or as given."""
    data: Any = document
    if isinstance(document, (str, bytes, bytearray)):
        try:
            data = json.loads(document)
        except UnicodeDecodeError as exc:
            raise SbomFormatError(f"not JSON: not UTF-8 text ({exc.reason})") from None
        except RecursionError:
            raise SbomFormatError("not JSON: nested too deeply") from None
        except ValueError as exc:
            raise SbomFormatError(f"not JSON: {exc}") from None
    if not isinstance(data, Mapping):
        raise SbomFormatError(f"expected a JSON object, got {_type_name(data)}")
    return data


def _version(version: str | None, purl: str | None) -> str | None:
    """A component's version, else the one its PURL holds."""
    if version is None:
        parsed = _parse_purl(purl)
        version = parsed.version if parsed is not None else None
    return version
