"""Package URLs for Inspector's vulnerable packages (the one place ``packageurl`` is used).

[`to_purl`][inspector_kit.purl.to_purl] gives the `Package URL
<https://github.com/package-url/purl-spec>`_ of a
[`VulnerablePackage`][inspector_kit.models.VulnerablePackage]. Inspector's own ``purl``
(API ``VulnerablePackage.purl``, in the service model since botocore 1.44.8) wins when it
is present and a valid PURL; otherwise, and for older findings, the PURL is built from
the package's members:

* ``OS`` on an rpm distribution: ``pkg:rpm/<vendor>/<name>@<version>-<release>``
  with ``arch``, ``epoch`` and ``distro`` qualifiers (``arch`` in the distribution's
  spelling: ``x86_64``/``aarch64`` for rpm and apk, ``amd64``/``arm64``/``all`` for deb);
* ``OS`` on Debian or Ubuntu: ``pkg:deb/<vendor>/<name>@<version>-<release>``
  with ``arch``, ``epoch`` and ``distro`` qualifiers;
* ``OS`` on Alpine: ``pkg:apk/alpine/<name>@<version>-<release>`` with ``arch``, ``epoch``,
  ``distro``;
* PIP, POETRY, PIPENV, PYTHONPKG (and PYTHON): ``pkg:pypi/<name>@<version>``;
* NPM, YARN, NODEPKG: ``pkg:npm/[%40scope/]<name>@<version>``;
* JAR, POM (and JAVA): ``pkg:maven/<group>/<artifact>@<version>``, from ``group:artifact``;
* GOBINARY, GOMOD (and GO): ``pkg:golang/<module path>@<version>``;
* Go's standard library (name ``stdlib`` or ``go/stdlib``; GENERIC, GOBINARY, GOMOD, GO):
  ``pkg:golang/stdlib@<version>``, as SBOM tools write it;
* CARGO: ``pkg:cargo/<name>@<version>``;
* GEMSPEC, BUNDLER: ``pkg:gem/<name>@<version>``;
* NUGET, DOTNET_CORE: ``pkg:nuget/<name>@<version>``;
* COMPOSER: ``pkg:composer/<vendor>/<name>@<version>``.

The epoch is always the ``epoch`` qualifier (the purl-spec's rpm and deb definitions, and
Inspector's SBOM export), never ``<epoch>:`` inside the version.

The distribution comes from the resource platform (``AMAZON_LINUX_2`` gives vendor
``amazon`` and ``distro=amazon-2``). ``distro`` is the qualifier the purl-spec's own rpm
and deb examples use; the type definitions list it only as a non-strict qualifier.

``JAVA``, ``PYTHON`` and ``GO`` are not in the service model's enum but appear in real
findings; they map like their enum siblings.

Expected gaps are values, never exceptions: an unknown package manager (``GENERIC``), an
OS package on an unknown or non-Linux platform (Windows KBs, macOS), or a name that cannot
form a valid PURL for its type (a Maven artifact without its group, a Go module without a
path) all give ``None``. Every PURL returned passes ``PackageURL.validate()`` (the purl-spec
type definitions shipped with packageurl-python), except ``pkg:golang/stdlib@<version>``:
the golang definition asks for a namespace, but Go's standard library has none and every
SBOM tool writes it this way (docs/facts.md, "Package URLs").
"""

from __future__ import annotations

import functools
import logging
import re
from typing import TYPE_CHECKING, NamedTuple, Protocol

import attrs
from packageurl import PackageURL

from .models._enums import PackageManager

if TYPE_CHECKING:
    from collections.abc import Iterable

    from .models import VulnerablePackage

__all__ = ["Distro", "distro_for_platform", "purl_key", "to_purl"]

logger = logging.getLogger("inspector_kit.purl")


@attrs.frozen
class Distro:
    """A Linux distribution as a PURL needs it: package type, vendor namespace, version.

    Examples:
        >>> d = distro_for_platform("UBUNTU_22_04")
        >>> d.purl_type, d.namespace, d.version, d.qualifier
        ('deb', 'ubuntu', '22.04', 'ubuntu-22.04')
    """

    purl_type: str
    namespace: str
    version: str | None

    @property
    def qualifier(self) -> str | None:
        """The ``distro`` qualifier value (``amazon-2``), or ``None`` without a version."""
        return f"{self.namespace}-{self.version}" if self.version else None


# Platform prefixes in Inspector's spelling, longest first so that AMAZON_LINUX wins over
# AMAZON. The remainder of the platform string is the version, "_" read as ".".
_PLATFORM_PREFIXES: tuple[tuple[str, str, str], ...] = tuple(
    sorted(
        (
            ("AMAZON_LINUX", "rpm", "amazon"),
            ("AMAZONLINUX", "rpm", "amazon"),
            ("AL", "rpm", "amazon"),
            ("RHEL", "rpm", "redhat"),
            ("REDHAT", "rpm", "redhat"),
            ("RED_HAT_ENTERPRISE_LINUX", "rpm", "redhat"),
            ("CENTOS", "rpm", "centos"),
            ("ORACLE_LINUX", "rpm", "oracle"),
            ("ORACLE", "rpm", "oracle"),
            ("OL", "rpm", "oracle"),
            ("ALMA_LINUX", "rpm", "almalinux"),
            ("ALMALINUX", "rpm", "almalinux"),
            ("ROCKY_LINUX", "rpm", "rocky"),
            ("ROCKY", "rpm", "rocky"),
            ("FEDORA", "rpm", "fedora"),
            ("SUSE", "rpm", "suse"),
            ("SLES", "rpm", "suse"),
            ("OPENSUSE_LEAP", "rpm", "opensuse"),
            ("OPENSUSE", "rpm", "opensuse"),
            ("MARINER", "rpm", "mariner"),
            ("CBL_MARINER", "rpm", "mariner"),
            ("AZURE_LINUX", "rpm", "azurelinux"),
            ("DEBIAN", "deb", "debian"),
            ("UBUNTU", "deb", "ubuntu"),
            ("ALPINE_LINUX", "apk", "alpine"),
            ("ALPINE", "apk", "alpine"),
        ),
        key=lambda row: -len(row[0]),
    )
)
_VERSION = re.compile(r"[0-9][0-9_.]*")


def distro_for_platform(platform: str | None) -> Distro | None:
    """The Linux distribution named by an Inspector platform string, if any.

    Returns ``None`` for Windows, macOS, Bottlerocket (its OS packages have no distro
    PURL type) and for strings it does not recognise.

    Examples:
        >>> distro_for_platform("AMAZON_LINUX_2")
        Distro(purl_type='rpm', namespace='amazon', version='2')
        >>> distro_for_platform("WINDOWS_SERVER_2022") is None
        True
    """
    if not platform:
        return None
    key = re.sub(r"[\s.\-]+", "_", platform.strip()).upper()
    for prefix, purl_type, namespace in _PLATFORM_PREFIXES:
        if key == prefix:
            return Distro(purl_type, namespace, None)
        if key.startswith(prefix + "_") or (key.startswith(prefix) and key[len(prefix)].isdigit()):
            rest = key[len(prefix) :].lstrip("_")
            if not _VERSION.fullmatch(rest):
                continue
            return Distro(purl_type, namespace, rest.strip("_").replace("_", "."))
    return None


# Model enum values, plus the out-of-model values real findings carry: JAVA (Inspector's
# EventBridge AMI example), PYTHON and GO (real exports; DefectDojo's inspector2 test data).
_PYPI = frozenset({"PIP", "POETRY", "PIPENV", "PYTHONPKG", "PYTHON"})
_NPM = frozenset({"NPM", "YARN", "NODEPKG"})
_MAVEN = frozenset({"JAR", "POM", "JAVA"})
_GOLANG = frozenset({"GOBINARY", "GOMOD", "GO"})
_GEM = frozenset({"GEMSPEC", "BUNDLER"})
_NUGET = frozenset({"NUGET", "DOTNET_CORE"})


class _PackageFields(Protocol):
    """What the PURL builders read of a package (a ``VulnerablePackage`` or ``_Fields``)."""

    @property
    def name(self) -> str: ...
    @property
    def version(self) -> str: ...
    @property
    def release(self) -> str | None: ...
    @property
    def epoch(self) -> int | None: ...
    @property
    def arch(self) -> str | None: ...
    @property
    def package_manager(self) -> PackageManager | str | None: ...
    @property
    def purl(self) -> str | None: ...


class _Fields(NamedTuple):
    """The fields of a package's cache key, as the builders read them."""

    purl: str | None
    package_manager: str | None
    name: str
    version: str
    release: str | None
    epoch: int | None
    arch: str | None


def _split(name: str, sep: str) -> tuple[str | None, str]:
    """Split ``namespace<sep>name`` at the last separator."""
    if sep in name:
        namespace, _, short = name.rpartition(sep)
        return namespace or None, short
    return None, name


# Inspector spells architectures in upper case and not always the distribution's way
# (X86_64 on Ubuntu EC2 instances, AMD64 on Debian images, AARCH64 on CentOS). PURLs carry
# the distribution's own name for it, as dpkg/rpm/apk print it.
_ARCH = {
    "deb": {"x86_64": "amd64", "aarch64": "arm64", "noarch": "all", "i686": "i386"},
    "rpm": {"amd64": "x86_64", "arm64": "aarch64", "all": "noarch", "i386": "i686"},
    "apk": {"amd64": "x86_64", "arm64": "aarch64"},
}


def _arch(purl_type: str, arch: str) -> str:
    native = arch.strip().lower()
    return _ARCH.get(purl_type, {}).get(native, native)


def _os_purl(
    package: _PackageFields, platform: str | None, epoch_in_version: bool
) -> PackageURL | None:
    distro = distro_for_platform(platform)
    if distro is None:
        return None
    qualifiers: dict[str, str] = {}
    if package.arch:
        qualifiers["arch"] = _arch(distro.purl_type, package.arch)
    version = package.version
    if package.release:
        version = f"{version}-{package.release}"
    if package.epoch and epoch_in_version and distro.purl_type != "rpm":
        version = f"{package.epoch}:{version}"  # the purl-spec deb examples' spelling
    elif package.epoch:  # a qualifier, as Inspector's SBOM export writes it
        qualifiers["epoch"] = str(package.epoch)
    if distro.qualifier:
        qualifiers["distro"] = distro.qualifier
    return PackageURL(
        type=distro.purl_type,
        namespace=distro.namespace,
        name=package.name,
        version=version,
        qualifiers=qualifiers or None,
    )


# Go's standard library: Inspector names it "go/stdlib" (package manager GENERIC) or
# "stdlib"; SBOM tools (Syft, Trivy, Inspector's sbomgen) write pkg:golang/stdlib@<version>.
_GO_STDLIB_NAMES = frozenset({"stdlib", "go/stdlib"})


def _is_go_stdlib(package: _PackageFields, manager: str) -> bool:
    return manager in _GOLANG | {"GENERIC"} and package.name.strip() in _GO_STDLIB_NAMES


def _language_purl(package: _PackageFields, manager: str) -> PackageURL | None:
    name, version = package.name, package.version or None
    if _is_go_stdlib(package, manager):
        return PackageURL(type="golang", name="stdlib", version=version)
    if manager in _PYPI:
        return PackageURL(type="pypi", name=name, version=version)
    if manager in _NPM:
        namespace, short = _split(name, "/") if name.startswith("@") else (None, name)
        return PackageURL(type="npm", namespace=namespace, name=short, version=version)
    if manager in _MAVEN:
        namespace, short = _split(name, ":")
        if namespace is None:
            namespace, short = _split(name, "/")
        return PackageURL(type="maven", namespace=namespace, name=short, version=version)
    if manager in _GOLANG:
        namespace, short = _split(name, "/")
        return PackageURL(type="golang", namespace=namespace, name=short, version=version)
    if manager == "CARGO":
        return PackageURL(type="cargo", name=name, version=version)
    if manager in _GEM:
        return PackageURL(type="gem", name=name, version=version)
    if manager in _NUGET:
        return PackageURL(type="nuget", name=name, version=version)
    if manager == "COMPOSER":
        namespace, short = _split(name, "/")
        return PackageURL(type="composer", namespace=namespace, name=short, version=version)
    return None


def _problems(purl: PackageURL) -> list[str]:
    """Why ``purl`` is not a valid PURL (empty when it is)."""
    errors = [m.message for m in purl.validate() if m.severity.value == "error"]
    if _stdlib_purl(purl):  # the one documented exception: the golang type wants a namespace
        errors = [e for e in errors if not e.startswith("Namespace is required")]
    if not errors and PackageURL.from_string(purl.to_string()) != purl:
        errors = ["does not re-parse to itself"]  # e.g. "/" in a name with no namespace
    return errors


def _stdlib_purl(purl: PackageURL) -> bool:
    return purl.type == "golang" and not purl.namespace and purl.name == "stdlib"


def _inspector_purl(package: _PackageFields) -> PackageURL | None:
    """Inspector's own ``purl`` parsed, or ``None`` when absent or not a valid PURL."""
    text = package.purl
    if not text:
        return None
    try:
        purl = PackageURL.from_string(text)
        errors = _problems(purl)
    except ValueError as exc:  # packageurl rejects the string or its components
        errors = [str(exc)]
    if errors:
        logger.debug("Inspector's purl %r is not valid: %s; building one", text, "; ".join(errors))
        return None
    return purl


def to_purl(
    package: VulnerablePackage, *, platform: str | None = None, epoch_in_version: bool = False
) -> PackageURL | None:
    """The Package URL of a vulnerable package, or ``None`` when there is no valid one.

    Inspector's own ``purl`` is returned when it is a valid PURL; otherwise one is built
    from the package's name, version, package manager and (for OS packages) ``platform``.

    Results are cached per distinct package (its fields, and ``platform`` for OS packages):
    a PURL is built and validated once, and the ``PackageURL`` returned (an immutable
    named tuple) shares its text parts with every other call's, while its ``qualifiers`` dict
    is a copy of its own, so changing it does not change the cache.

    Args:
        package: The package, as in ``finding.package_vulnerability_details.vulnerable_packages``.
        platform: The resource platform (``finding.primary_resource.platform``), needed for
            OS packages: it names the distribution.
            [`Finding.purls`][inspector_kit.models.Finding.purls] passes it for you.
        epoch_in_version: Write a deb or apk package's epoch as ``<epoch>:`` in the version
            (the purl-spec's deb examples) instead of the ``epoch`` qualifier (Inspector's
            SBOM export, the default). rpm always uses the qualifier. ``purl_key`` matches
            both spellings.

    Examples:
        >>> from inspector_kit.models import VulnerablePackage
        >>> pkg = VulnerablePackage.from_api({"name": "openssl", "version": "1.0.2k",
        ...     "release": "24.amzn2.0.7", "epoch": 1, "arch": "x86_64", "packageManager": "OS"})
        >>> str(to_purl(pkg, platform="AMAZON_LINUX_2"))
        'pkg:rpm/amazon/openssl@1.0.2k-24.amzn2.0.7?arch=x86_64&distro=amazon-2&epoch=1'
        >>> jar = VulnerablePackage.from_api({"name": "org.apache.logging.log4j:log4j-core",
        ...     "version": "2.14.1", "packageManager": "JAR"})
        >>> str(to_purl(jar))
        'pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1'
        >>> to_purl(VulnerablePackage(name="x", version="1", package_manager="GENERIC")) is None
        True
        >>> bash = VulnerablePackage.from_api({"name": "bash", "version": "5.2.15",
        ...     "release": "2", "epoch": 2, "packageManager": "OS"})
        >>> str(to_purl(bash, platform="DEBIAN_12"))
        'pkg:deb/debian/bash@5.2.15-2?distro=debian-12&epoch=2'
        >>> str(to_purl(bash, platform="DEBIAN_12", epoch_in_version=True))
        'pkg:deb/debian/bash@2:5.2.15-2?distro=debian-12'
        >>> go = VulnerablePackage.from_api({"name": "go/stdlib", "version": "v1.24.1",
        ...     "packageManager": "GENERIC"})
        >>> str(to_purl(go))
        'pkg:golang/stdlib@v1.24.1'
        >>> own = VulnerablePackage.from_api({"name": "libcurl", "version": "8.5.0",
        ...     "packageManager": "OS", "purl": "pkg:rpm/amazon/libcurl@8.5.0-1.amzn2023"})
        >>> str(to_purl(own, platform="AMAZON_LINUX_2023"))
        'pkg:rpm/amazon/libcurl@8.5.0-1.amzn2023'
        >>> first = to_purl(pkg, platform="AMAZON_LINUX_2")
        >>> first.qualifiers["arch"] = "changed"  # a copy: the cache keeps its own
        >>> to_purl(pkg, platform="AMAZON_LINUX_2").qualifiers["arch"]
        'x86_64'
        >>> first.name is to_purl(pkg, platform="AMAZON_LINUX_2").name  # shared, immutable
        True
    """
    purl = _cached_purl(_package_key(package, platform, epoch_in_version))
    if purl is None:
        return None
    # A copy: the cached PURL is shared, and its qualifiers are a (mutable) dict.
    qualifiers = purl.qualifiers
    return purl._replace(qualifiers=dict(qualifiers)) if isinstance(qualifiers, dict) else purl


def _purl_strings(packages: Iterable[VulnerablePackage], platform: str | None) -> list[str]:
    """The text of each package's PURL, in order, leaving out packages without one.

    What ``to_records`` writes in the ``purls`` column: ``str(to_purl(p, platform=platform))``
    for each package whose PURL is not ``None``, from the same cache (printing a PURL costs
    as much as building it).

    Examples:
        >>> from inspector_kit.models import VulnerablePackage
        >>> pkgs = [VulnerablePackage(name="requests", version="2.31.0", package_manager="PIP"),
        ...         VulnerablePackage(name="x", version="1", package_manager="GENERIC")]
        >>> _purl_strings(pkgs, None)
        ['pkg:pypi/requests@2.31.0']
    """
    out = []
    for package in packages:
        text = _cached_text(_package_key(package, platform, False))
        if text is not None:
            out.append(text)
    return out


def _purl_text(package: VulnerablePackage, platform: str | None) -> str | None:
    """``str(to_purl(package, platform=platform))`` or ``None``: one of ``_purl_strings``."""
    return _cached_text(_package_key(package, platform, False))


def _reads_platform(package: VulnerablePackage) -> bool:
    """Whether the package's PURL depends on the platform (an OS package); else any will do."""
    return package.package_manager == "OS"  # PackageManager.OS is the str "OS" too


# Everything to_purl reads of a package and its arguments: two packages with the same key
# have the same PURL. Inspector repeats packages massively across findings (one openssl
# per instance), so a PURL is built, validated and printed once per distinct key.
_PackageKey = tuple[
    "str | None", "str | None", str, str, "str | None", "int | None", "str | None", "str | None",
    bool,
]  # fmt: skip

#: Distinct (package, platform) PURLs kept; an estate has a few thousand distinct packages.
_CACHE_SIZE = 16_384


def _package_key(
    package: VulnerablePackage, platform: str | None, epoch_in_version: bool
) -> _PackageKey:
    manager = package.package_manager
    manager_name = manager._value_ if isinstance(manager, PackageManager) else manager
    return (
        package.purl,
        None if manager_name is None else str(manager_name),
        package.name,
        package.version,
        package.release,
        package.epoch,
        package.arch,
        platform if manager_name == "OS" else None,  # only OS packages read the platform
        epoch_in_version,
    )


@functools.lru_cache(maxsize=_CACHE_SIZE)
def _cached_purl(key: _PackageKey) -> PackageURL | None:
    return _build_purl(*key)


@functools.lru_cache(maxsize=_CACHE_SIZE)
def _cached_text(key: _PackageKey) -> str | None:
    purl = _cached_purl(key)
    return None if purl is None else purl.to_string()


def _clear_cache() -> None:
    """Forget every cached PURL (benchmarks and tests measure or compare a cold cache)."""
    _cached_purl.cache_clear()
    _cached_text.cache_clear()


def _build_purl(
    own_text: str | None,
    manager_name: str | None,
    name: str,
    version: str,
    release: str | None,
    epoch: int | None,
    arch: str | None,
    platform: str | None,
    epoch_in_version: bool,
) -> PackageURL | None:
    """``to_purl`` of the package these fields describe, uncached (the slow path)."""
    package = _Fields(own_text, manager_name, name, version, release, epoch, arch)
    return _uncached_purl(package, platform=platform, epoch_in_version=epoch_in_version)


def _uncached_purl(
    package: _PackageFields, *, platform: str | None, epoch_in_version: bool
) -> PackageURL | None:
    """``to_purl`` without the cache: build, validate, print and re-parse."""
    own = _inspector_purl(package)
    if own is not None:
        return own
    manager = package.package_manager
    if manager is None:
        return None
    manager_name = manager.value if isinstance(manager, PackageManager) else str(manager)
    try:
        if manager_name == "OS":
            purl = _os_purl(package, platform, epoch_in_version)
        else:
            purl = _language_purl(package, manager_name)
        if purl is None:
            return None
        errors = _problems(purl)
    except ValueError as exc:  # packageurl rejects the components or their string form
        errors = [str(exc)]
    if errors:
        logger.debug("no valid PURL for %s %r: %s", manager_name, package.name, "; ".join(errors))
        return None
    return purl


PurlKey = tuple[str, "str | None", str, "str | None"]

# OS package types whose spellings differ between Inspector's SBOM export, its SBOM
# generator and the library: "dpkg" is the export documentation's name for "deb".
_TYPE_ALIASES = {"dpkg": "deb"}
_OS_TYPES = frozenset({"deb", "rpm", "apk"})


def purl_key(purl: PackageURL | str | None) -> PurlKey | None:
    """The part of a PURL that identifies a package, the same across Inspector's spellings.

    The key is ``(type, namespace, name, version)`` with qualifiers and subpath left out.
    For OS packages (``deb``, ``rpm``, ``apk``, and ``dpkg`` read as ``deb``) the
    namespace is dropped (Inspector's export examples write ``pkg:rpm/<name>``) and the
    epoch is folded into the version as ``<epoch>:<version>`` whether it came as the
    ``epoch`` qualifier or in the version; epoch ``0`` counts as no epoch. Go's standard
    library (``pkg:golang/stdlib``, also ``pkg:golang/go/stdlib``) keys its version without
    the ``go`` or ``v`` prefix tools put in front of it. ``None`` for ``None`` or an
    invalid PURL.

    Examples:
        >>> purl_key("pkg:deb/debian/bash@2:5.2-1?distro=bookworm") == purl_key(
        ...     "pkg:dpkg/bash@5.2-1?epoch=2&distro=debian-12")
        True
        >>> purl_key("pkg:rpm/amazon/curl@8.5.0-1.amzn2023?epoch=0")
        ('rpm', None, 'curl', '8.5.0-1.amzn2023')
        >>> purl_key("pkg:pypi/pip@22.0.4?path=usr/lib")
        ('pypi', None, 'pip', '22.0.4')
        >>> purl_key("pkg:golang/stdlib@go1.21.5") == purl_key("pkg:golang/stdlib@v1.21.5")
        True
        >>> purl_key("not a purl") is None
        True
    """
    if purl is None:
        return None
    try:
        parsed = PackageURL.from_string(purl if isinstance(purl, str) else purl.to_string())
    except ValueError:
        return None
    purl_type = _TYPE_ALIASES.get(parsed.type.lower(), parsed.type.lower())
    namespace = parsed.namespace or None
    version = parsed.version or None
    if purl_type in _OS_TYPES:
        namespace = None
        qualifiers = parsed.qualifiers if isinstance(parsed.qualifiers, dict) else {}
        epoch = str(qualifiers.get("epoch") or "").strip()
        if version and re.match(r"^[0-9]+:", version):
            in_version, _, version = version.partition(":")
            epoch = epoch or in_version
        if epoch.lstrip("0") and version:
            version = f"{int(epoch)}:{version}"
    elif purl_type == "golang" and parsed.name == "stdlib" and namespace in (None, "go"):
        namespace = None
        if version:
            version = re.sub(r"^(go|v)(?=[0-9])", "", version)
    return (purl_type, namespace, parsed.name, version)
