"""Detection gaps: the language packages an EC2 scan method misses, and the fix.

Agentless scanning reads every path, agent-based scanning only the deep inspection paths,
so on the same instance the two can report different language findings (docs/facts.md#ec2;
https://docs.aws.amazon.com/inspector/latest/user/deep-inspection.html).
[`detection_gap`][inspector_kit.coverage.detection_gap] says which findings agent-based scanning
would miss, and which paths to add to catch them; ``method=`` judges the same findings against
the VM Scanner (Enhanced EC2 Scanning) or agentless scanning instead (docs/facts.md#vm-scanner).
"""

from __future__ import annotations

import itertools
import posixpath
import re
from typing import TYPE_CHECKING, Any, ClassVar, Literal

import attrs

from inspector_kit._records import RecordsMixin
from inspector_kit.errors import CoverageInputError
from inspector_kit.models import Finding, ResourceType

from ._model import DEFAULT_DEEP_INSPECTION_PATHS, DeepInspectionSettings, ScanMethod
from ._os import _positional_option
from ._paths import (
    _API_PATH,
    MAX_DEEP_INSPECTION_PATH_LENGTH,
    MAX_DEEP_INSPECTION_PATHS,
    _key,
    _within,
)

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

__all__ = ["GAP_COLUMNS", "DetectionGap", "GapItem", "detection_gap"]

GapReason = Literal[
    "OUTSIDE_PATHS",
    "ECOSYSTEM_NOT_SUPPORTED",
    "PLATFORM_NOT_SUPPORTED",
    "DEEP_INSPECTION_OFF",
]

# Agentless findings name the snapshot volume and partition: "vol-0abc:/p1:opt/app/x.jar".
_AGENTLESS = re.compile(r"vol-[0-9A-Za-z]+:(?:/p\d+:)?")

# Ecosystems deep inspection reads (Java, JavaScript, Python), as Inspector names their
# package managers; JAVA and PYTHON appear in real exports outside the model's enum.
_SUPPORTED_MANAGERS = frozenset(
    {
        "JAR",
        "POM",
        "JAVA",
        "NPM",
        "NODEPKG",
        "YARN",
        "PNPM",
        "PIP",
        "PIPENV",
        "POETRY",
        "PYTHONPKG",
        "PYTHON",
    }
)
# The VM Scanner and agentless scanning also read C# (.NET), Go, PHP, Ruby and Rust packages.
_FULL_MANAGERS = _SUPPORTED_MANAGERS | frozenset(
    {"NUGET", "DOTNET_CORE", "GOBINARY", "GOMOD", "COMPOSER", "BUNDLER", "GEMSPEC", "CARGO"}
)
# Directories that hold an ecosystem's packages: a suggestion stops at the first one, so
# it also catches the packages installed there later.
GAP_COLUMNS: tuple[str, ...] = (
    "account_id",
    "region",
    "instance_id",
    "platform",
    "finding_arn",
    "vulnerability_id",
    "severity",
    "package_name",
    "package_version",
    "package_manager",
    "file_path",
    "path",
    "reason",
    "catching_path",
)
"""The columns of ``DetectionGap.to_records`` (and ``GapItem.to_record``), in order."""

_PACKAGE_ROOTS = frozenset({"node_modules", "site-packages", "dist-packages", ".m2", ".gradle"})
_UNSUPPORTED_PLATFORMS = ("WINDOWS", "MACOS")


def _manager_name(value: object) -> str | None:
    if value is None:
        return None
    text = str(getattr(value, "value", value)).strip().upper()
    return text or None


def _normalise(file_path: str | None) -> str | None:
    """The instance-local absolute path, or ``None`` when there is none.

    Agentless ``vol-0abc:/p1:opt/app/x.jar`` becomes ``/opt/app/x.jar``.
    """
    if not file_path:
        return None
    path = file_path.strip()
    match = _AGENTLESS.match(path)
    if match:
        path = "/" + path[match.end() :].lstrip("/")
    if not path.startswith("/"):
        return None
    path = posixpath.normpath(path)
    return "/" + path.lstrip("/")


@attrs.frozen(kw_only=True)
class GapItem:
    """One language package on one EC2 instance that agent-based scanning would miss.

    ``reason`` is one of:

    - ``OUTSIDE_PATHS``: a Java, JavaScript or Python package outside every deep
      inspection path; a custom path catches it (``catching_path``, when the free slots
      allow);
    - ``ECOSYSTEM_NOT_SUPPORTED``: Go, Rust, .NET, Ruby, PHP, ``GENERIC``, ...: deep
      inspection never reads these; no path helps (agentless scanning does);
    - ``PLATFORM_NOT_SUPPORTED``: the instance runs Windows or macOS, where there is no
      deep inspection;
    - ``DEEP_INSPECTION_OFF``: deep inspection is deactivated, so the agent reads no
      language package anywhere.

    ``catching_path`` is the directory that would catch the package: a suggested path for
    ``OUTSIDE_PATHS``; for ``DEEP_INSPECTION_OFF``, the configured path that will catch it
    once deep inspection is activated, else a suggested path; ``None`` when nothing within
    the limits does.

    Examples:
        >>> from inspector_kit import Finding
        >>> from inspector_kit.testing import finding_payload
        >>> f = Finding.from_api(finding_payload(packageVulnerabilityDetails={
        ...     "vulnerabilityId": "CVE-2022-25883", "source": "NVD",
        ...     "vulnerablePackages": [{"name": "semver", "version": "7.3.5",
        ...         "packageManager": "NODEPKG",
        ...         "filePath": "/srv/web/node_modules/semver/package.json"}]}))
        >>> item = detection_gap([f]).items[0]
        >>> item.instance_id, item.reason, item.catching_path
        ('i-0123456789abcdef0', 'OUTSIDE_PATHS', '/srv/web/node_modules')
    """

    columns: ClassVar[tuple[str, ...]] = GAP_COLUMNS
    """The keys of [`to_record`][inspector_kit.coverage.GapItem.to_record], in order."""

    finding: Finding
    """The finding that reported the package (the first one, when several did)."""
    instance_id: str
    """The EC2 instance id (the finding resource's ``id``)."""
    account_id: str
    """The finding's ``awsAccountId``."""
    region: str | None
    """The finding's region."""
    platform: str | None
    """The instance's platform as the finding names it (``AMAZON_LINUX_2023``), if given."""
    package_name: str
    """The package's ``name``."""
    package_version: str
    """The package's ``version``."""
    package_manager: str
    """The package's ``packageManager`` (``JAR``, ``NODEPKG``, ``GOBINARY``, ...)."""
    file_path: str | None
    """The package's ``filePath`` as reported."""
    path: str | None
    """``file_path`` as an instance-local absolute path (agentless volume prefix removed)."""
    reason: GapReason
    """Why agent-based scanning misses it (see the class docstring)."""
    catching_path: str | None
    """The directory that would catch it (see the class docstring), or ``None``."""

    def to_record(self) -> dict[str, Any]:
        """One flat row (the columns of ``DetectionGap.to_records``)."""
        return {
            "account_id": self.account_id,
            "region": self.region,
            "instance_id": self.instance_id,
            "platform": self.platform,
            "finding_arn": self.finding.finding_arn,
            "vulnerability_id": self.finding.vulnerability_id,
            "severity": str(getattr(self.finding.severity, "value", self.finding.severity)),
            "package_name": self.package_name,
            "package_version": self.package_version,
            "package_manager": self.package_manager,
            "file_path": self.file_path,
            "path": self.path,
            "reason": self.reason,
            "catching_path": self.catching_path,
        }


@attrs.frozen(kw_only=True)
class DetectionGap(RecordsMixin):
    """What agent-based scanning misses among EC2 language-package findings, and the fix.

    Iterate it (or use [`items`][inspector_kit.coverage.DetectionGap.items]) for the
    [`GapItem`][inspector_kit.coverage.GapItem] values; ``len()`` counts them.
    [`suggested_paths`][inspector_kit.coverage.DetectionGap.suggested_paths] fits the account's free
    slots; organisation paths are set by the delegated administrator and have their own 5 slots, so
    they are not suggested here. [`notes`][inspector_kit.coverage.DetectionGap.notes] states
    assumptions and limits in plain words.

    Examples:
        >>> gap = detection_gap([], deep_inspection=DeepInspectionSettings(activated=True,
        ...                                                     package_paths=["/opt/app"]))
        >>> len(gap), gap.free_slots, gap.suggested_paths
        (0, 4, ())
    """

    columns: ClassVar[tuple[str, ...]] = GAP_COLUMNS
    """The keys of [`to_records`][inspector_kit.coverage.DetectionGap.to_records], in order."""

    items: tuple[GapItem, ...]
    """The missed packages, one per (instance, path, package), in finding order."""
    suggested_paths: tuple[str, ...]
    """Directories to add as account custom paths (sorted), at most ``free_slots``."""
    free_slots: int
    """Account slots left: 5 minus the account's custom paths (never below 0)."""
    deep_inspection: DeepInspectionSettings
    """The configuration the findings were judged against."""
    assumed_defaults: bool
    """``True`` when no configuration was given and defaults were assumed."""
    notes: tuple[str, ...] = ()
    """Assumptions and limits, in plain words."""
    method: ScanMethod = ScanMethod.AGENT_BASED
    """The scan method the findings were judged against (``detection_gap(method=...)``)."""

    @property
    def uncaught(self) -> tuple[GapItem, ...]:
        """Items nothing within the limits catches (``catching_path is None``)."""
        return tuple(item for item in self.items if item.catching_path is None)

    def by_instance(self) -> dict[str, tuple[GapItem, ...]]:
        """Items grouped by instance id, instances in first-seen order.

        Examples:
            >>> detection_gap([]).by_instance()
            {}
        """
        groups: dict[str, list[GapItem]] = {}
        for item in self.items:
            groups.setdefault(item.instance_id, []).append(item)
        return {key: tuple(value) for key, value in groups.items()}

    def to_records(self) -> list[dict[str, Any]]:
        """One flat dict per item with the keys of ``columns``, for CSV or a DataFrame.

        Columns: account_id, region, instance_id, platform, finding_arn,
        vulnerability_id, severity, package_name, package_version, package_manager,
        file_path, path, reason, catching_path (``GAP_COLUMNS``).

        Examples:
            >>> detection_gap([]).to_records()
            []
        """
        return [item.to_record() for item in self.items]

    def __len__(self) -> int:
        return len(self.items)

    def __iter__(self) -> Iterator[GapItem]:
        return iter(self.items)


def _acceptable(directory: str) -> bool:
    """Whether a directory could be configured as a custom path as it stands."""
    return (
        directory != "/"
        and len(directory) <= MAX_DEEP_INSPECTION_PATH_LENGTH
        and _API_PATH.fullmatch(directory) is not None
    )


def _anchor(path: str) -> str | None:
    """The directory to suggest for one file: its package root, else its parent.

    The package root is the first ``node_modules``/``site-packages``/``dist-packages``/
    ``.m2``/``.gradle`` directory on the way down. Walks up until the directory is a
    valid custom path; ``None`` when only ``/`` is left.
    """
    parts = path.strip("/").split("/")[:-1]  # the file's directories
    for position, part in enumerate(parts):
        if part in _PACKAGE_ROOTS:
            parts = parts[: position + 1]
            break
    while parts:
        directory = "/" + "/".join(parts)
        if _acceptable(directory):
            return directory
        parts = parts[:-1]
    return None


def _lcp(a: tuple[str, ...], b: tuple[str, ...]) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def _merge(clusters: list[tuple[str, ...]], slots: int, floor: int) -> list[tuple[str, ...]]:
    """Merge sorted, prefix-free clusters into common ancestors of depth >= ``floor``."""
    clusters = sorted(clusters)
    while len(clusters) > slots:
        best: tuple[int, int, tuple[str, ...]] | None = None  # (-depth, -absorbed, ancestor)
        for a, b in itertools.pairwise(clusters):
            depth = _lcp(a, b)
            if depth < floor:
                continue
            ancestor = a[:depth]
            absorbed = sum(1 for c in clusters if c[:depth] == ancestor)
            key = (-depth, -absorbed, ancestor)
            if best is None or key < best:
                best = key
        if best is None:
            break
        ancestor = best[2]
        depth = len(ancestor)
        clusters = sorted([c for c in clusters if c[:depth] != ancestor] + [ancestor])
    return clusters


def _suggest(paths: list[str], slots: int) -> tuple[str, ...]:
    """Directories (at most ``slots``) that catch as many of ``paths`` as possible."""
    if slots <= 0:
        return ()
    anchors = {a for a in (_anchor(p) for p in paths) if a is not None}
    # Drop anchors under another anchor: the one above catches them.
    tops = sorted(a for a in anchors if not any(o != a and _within(a, o) for o in anchors))
    clusters = [tuple(a.strip("/").split("/")) for a in tops]
    clusters = _merge(clusters, slots, floor=2)
    clusters = _merge(clusters, slots, floor=1)
    chosen = ["/" + "/".join(c) for c in clusters]
    if len(chosen) > slots:
        # Still too many even at the top level: keep those catching the most packages.
        def weight(directory: str) -> tuple[int, str]:
            return (-sum(1 for p in paths if _within(p, directory)), directory)

        chosen = sorted(chosen, key=weight)[:slots]
    return tuple(sorted(chosen))


def _method(value: ScanMethod | str) -> ScanMethod:
    try:
        method = ScanMethod(value)
    except ValueError:
        method = ScanMethod.NONE
    if method is ScanMethod.NONE:
        scanning = ", ".join(m.value for m in ScanMethod if m is not ScanMethod.NONE)
        raise CoverageInputError(f"method must be one of {scanning}; got {value!r}")
    return method


def detection_gap(
    findings: Iterable[Finding],
    *args: DeepInspectionSettings | None,
    deep_inspection: DeepInspectionSettings | None = None,
    method: ScanMethod | str = ScanMethod.AGENT_BASED,
) -> DetectionGap:
    """Language-package findings on EC2 that a scan method would miss, and the fix.

    ``method`` (keyword-only) is the method judged: ``AGENT_BASED`` (the default, the SSM
    plugin: Java, JavaScript and Python on Linux, deep inspection paths only), ``VM_SCANNER``
    (Enhanced EC2 Scanning: C#, Go, Java, JavaScript, PHP, Python, Ruby and Rust on Linux,
    Windows and macOS, on the deep inspection paths, whether or not deep inspection is activated;
    both assumptions, docs/facts.md#vm-scanner) or ``AGENTLESS`` (the same languages on every
    path; never macOS).

    Considers each vulnerable package with a package manager other than ``OS`` on each
    ``AWS_EC2_INSTANCE`` resource of ``findings`` (other resources are skipped, and so are
    Azure/GCP ones whatever their type says). Agentless paths (``vol-0abc:/p1:opt/app/x.jar``)
    become ``/opt/app/x.jar``. A path is inside a configured path when it equals it or lies
    beneath it on a ``/`` boundary (``/opt/app`` does not contain ``/opt/application``).
    Identical (instance, path, package) items are reported once. See
    [`GapItem`][inspector_kit.coverage.GapItem] for the reasons.

    Judge findings of one account and region against that account's configuration.
    ``deep_inspection`` is keyword-only, as in [`analyze`][inspector_kit.coverage.analyze]
    (passing it positionally still works, with a ``DeprecationWarning``);
    ``deep_inspection=None`` (the default) assumes deep inspection is activated with the
    default paths only; ``activated=False`` means every language package is missed.

    Suggested paths fill the account's free slots (5 minus its custom paths; organisation
    paths are the delegated administrator's, with their own 5 slots):

    1. each missed file gives a directory: its package root (the first ``node_modules``,
       ``site-packages``, ``dist-packages``, ``.m2`` or ``.gradle`` directory), else its
       parent directory; walking up while the directory is not a valid custom path
       (256 characters, the API's pattern), never ``/``;
    2. directories under another one are dropped;
    3. while there are more directories than free slots, the two whose common parent is
       deepest are replaced, with every directory under that parent, by the parent (ties:
       the parent absorbing the most directories, then the first in sort order). Parents
       at depth 2 (``/opt/app``) are tried first; a top-level parent (``/opt``) only when
       that is not enough; ``/`` never;
    4. if still too many, the directories catching the most packages are kept.

    Items no suggestion catches are in
    [`DetectionGap.uncaught`][inspector_kit.coverage.DetectionGap.uncaught]. Note that Inspector
    does not scan virtual-environment directories even on a deep inspection path
    (https://docs.aws.amazon.com/inspector/latest/user/scanning-ec2.html), so a path suggested for a
    venv's ``site-packages`` may still find nothing.

    Examples:
        >>> from inspector_kit import Finding
        >>> from inspector_kit.testing import finding_payload
        >>> f = Finding.from_api(finding_payload(packageVulnerabilityDetails={
        ...     "vulnerabilityId": "CVE-2021-44228", "source": "NVD",
        ...     "vulnerablePackages": [{"name": "org.apache.logging.log4j:log4j-core",
        ...         "version": "2.14.1", "packageManager": "JAR",
        ...         "filePath": "vol-0123456789abcdef0:/p1:opt/app/lib/log4j-core-2.14.1.jar"}]}))
        >>> gap = detection_gap([f], deep_inspection=DeepInspectionSettings(activated=True))
        >>> [(i.path, i.reason, i.catching_path) for i in gap]
        [('/opt/app/lib/log4j-core-2.14.1.jar', 'OUTSIDE_PATHS', '/opt/app/lib')]
        >>> gap.suggested_paths
        ('/opt/app/lib',)
        >>> len(detection_gap([f], method="AGENTLESS")), gap.method.value
        (0, 'AGENT_BASED')
    """
    deep_inspection = _positional_option("detection_gap", "deep_inspection", args, deep_inspection)
    judged = _method(method)
    managers = _SUPPORTED_MANAGERS if judged is ScanMethod.AGENT_BASED else _FULL_MANAGERS
    if judged is ScanMethod.AGENT_BASED:
        unsupported_platforms: tuple[str, ...] = _UNSUPPORTED_PLATFORMS
    elif judged is ScanMethod.AGENTLESS:
        unsupported_platforms = ("MACOS",)
    else:
        from ._analysis import VM_SCANNER_WINDOWS_LANGUAGES

        unsupported_platforms = () if VM_SCANNER_WINDOWS_LANGUAGES else ("WINDOWS",)
    assumed = deep_inspection is None and judged is not ScanMethod.AGENTLESS
    config = DeepInspectionSettings(activated=True) if deep_inspection is None else deep_inspection
    configured = [p.strip() for p in config.paths if p.strip().startswith("/")]
    free = max(0, MAX_DEEP_INSPECTION_PATHS - len(config.package_paths))

    def covering(path: str) -> str | None:
        if judged is ScanMethod.AGENTLESS:
            return "/"  # agentless reads every path
        for base in configured:
            if _within(path, _key(base)):
                return base
        return None

    pending: list[tuple[GapItem, str | None]] = []  # (item without catching path, inside)
    seen: set[tuple[str, str | None, str, str, str]] = set()
    unjudged = 0
    for finding in findings:
        packages = finding.vulnerable_packages
        if not packages:
            continue
        for resource in finding.resources:
            # An Azure/GCP VM is never an EC2 instance, whatever its type says.
            if resource.type != ResourceType.AWS_EC2_INSTANCE or resource.is_other_cloud:
                continue
            platform = resource.platform
            for package in packages:
                manager = _manager_name(package.package_manager)
                if manager is None or manager == "OS":
                    continue
                path = _normalise(package.file_path)
                key = (resource.id, path, package.name, package.version, manager)
                if key in seen:
                    continue
                seen.add(key)
                inside = None if path is None else covering(path)
                reason: GapReason
                if (
                    unsupported_platforms
                    and platform
                    and platform.upper().startswith(unsupported_platforms)
                ):
                    reason = "PLATFORM_NOT_SUPPORTED"
                elif manager not in managers:
                    reason = "ECOSYSTEM_NOT_SUPPORTED"
                elif judged is ScanMethod.AGENTLESS:
                    continue  # agentless reads every path: no gap
                elif not config.activated and judged is ScanMethod.AGENT_BASED:
                    reason = "DEEP_INSPECTION_OFF"
                elif path is None:
                    unjudged += 1
                    continue
                elif inside is not None:
                    continue  # read by agent-based scanning: no gap
                else:
                    reason = "OUTSIDE_PATHS"
                item = GapItem(
                    finding=finding,
                    instance_id=resource.id,
                    account_id=finding.aws_account_id,
                    region=finding.region,
                    platform=platform,
                    package_name=package.name,
                    package_version=package.version,
                    package_manager=manager,
                    file_path=package.file_path,
                    path=path,
                    reason=reason,
                    catching_path=None,
                )
                pending.append((item, inside))

    def needs_path(item: GapItem, inside: str | None) -> bool:
        return (
            item.reason in ("OUTSIDE_PATHS", "DEEP_INSPECTION_OFF")
            and item.path is not None
            and inside is None
        )

    outside = [item.path for item, inside in pending if item.path and needs_path(item, inside)]
    suggested = _suggest(outside, free)

    items: list[GapItem] = []
    missed = 0
    for item, inside in pending:
        catching: str | None = None
        if item.reason == "DEEP_INSPECTION_OFF" and inside is not None:
            catching = inside
        elif item.path is not None and needs_path(item, inside):
            catching = next((s for s in suggested if _within(item.path, s)), None)
            missed += catching is None
        items.append(attrs.evolve(item, catching_path=catching))

    notes: list[str] = []
    if assumed:
        notes.append(
            "Deep inspection settings unknown; assumed activated with the default paths only "
            f"({', '.join(DEFAULT_DEEP_INSPECTION_PATHS)}). Read them with "
            "Inspector.deep_inspection_configuration()"
        )
    if judged is ScanMethod.VM_SCANNER:
        notes.append(
            "Judged against the VM Scanner (Enhanced EC2 Scanning): C#, Go, Java, JavaScript, "
            "PHP, Python, Ruby and Rust on the deep inspection paths, activated or not "
            "(assumptions, docs/facts.md#vm-scanner)"
        )
    elif judged is ScanMethod.AGENTLESS:
        notes.append(
            "Judged against agentless scanning: every path is read, so only languages and "
            "platforms it does not scan are gaps"
        )
    if not config.activated and judged is ScanMethod.AGENT_BASED:
        notes.append(
            "Deep inspection is deactivated: agent-based scanning reads no Java, JavaScript "
            "or Python packages at all. Activate it (UpdateEc2DeepInspectionConfiguration)"
        )
    if unjudged:
        notes.append(
            f"{unjudged} Java, JavaScript or Python package(s) on EC2 had no absolute file "
            "path and could not be judged"
        )
    scopes = sorted({(item.account_id, item.region or "?") for item, _ in pending})
    if len(scopes) > 1:
        notes.append(
            f"The findings span {len(scopes)} account/region pairs, judged against one "
            "configuration; deep inspection paths are set per account and region, so judge "
            "each pair's findings against its own configuration"
        )
    if missed:
        notes.append(
            f"{missed} package(s) outside the deep inspection paths are not caught by the "
            f"suggestions: the account has {free} free slot(s) of {MAX_DEEP_INSPECTION_PATHS}"
        )
    broad = [s for s in suggested if s.count("/") < 2]
    if broad:
        notes.append(
            f"Top-level suggestion(s) {', '.join(broad)}: broad paths risk the deep "
            "inspection limits (5,000 packages per instance, 15 minutes of collection)"
        )
    if outside:
        notes.append(
            "Suggestions use the account's free custom-path slots; organisation paths are "
            f"set by the delegated administrator and have their own {MAX_DEEP_INSPECTION_PATHS}"
        )
    return DetectionGap(
        items=tuple(items),
        suggested_paths=suggested,
        free_slots=free,
        deep_inspection=config,
        assumed_defaults=assumed,
        notes=tuple(notes),
        method=judged,
    )
