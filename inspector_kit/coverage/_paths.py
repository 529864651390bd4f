"""Deep inspection paths: what is wrong with a configuration's custom paths.

Agent-based EC2 scanning reads language packages (Java, JavaScript, Python) only under the
deep inspection paths: the four defaults plus up to 5 custom paths per account and 5 per
organisation (docs/facts.md#ec2;
https://docs.aws.amazon.com/inspector/latest/user/deep-inspection.html).
[`check_deep_inspection_paths`][inspector_kit.coverage.check_deep_inspection_paths] lints a
[`DeepInspectionSettings`][inspector_kit.coverage.DeepInspectionSettings]; the path rules here (the
API's pattern, "lies under") are shared with the detection-gap analysis.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Literal
from urllib.parse import urlsplit

import attrs

from ._model import DEFAULT_DEEP_INSPECTION_PATHS

if TYPE_CHECKING:
    from collections.abc import Iterable

    from ._model import DeepInspectionSettings

__all__ = [
    "MAX_DEEP_INSPECTION_PATHS",
    "MAX_DEEP_INSPECTION_PATH_LENGTH",
    "PathProblem",
    "check_deep_inspection_paths",
]

MAX_DEEP_INSPECTION_PATHS = 5
"""Custom paths per scope: 5 for the account and 5 for the organisation (10 in all)."""

MAX_DEEP_INSPECTION_PATH_LENGTH = 256
"""Characters per custom path, per the deep inspection user guide (the API allows 512)."""

_API_MAX_PATH_LENGTH = 512

Scope = Literal["account", "organisation"]
ProblemCode = Literal[
    "TOO_MANY_PATHS",
    "EMPTY_PATH",
    "SURROUNDING_WHITESPACE",
    "NOT_LOCAL",
    "NOT_ABSOLUTE",
    "PATH_TOO_LONG",
    "INVALID_PATH",
    "DEFAULT_PATH",
    "DUPLICATE_PATH",
    "REDUNDANT_PATH",
]
_WARNINGS: frozenset[str] = frozenset({"DEFAULT_PATH", "DUPLICATE_PATH", "REDUNDANT_PATH"})

# The Linux half of the botocore ``Path`` pattern (inspector2 service model): one or more
# "/segment", an optional trailing "/". A segment is ".name" or words joined by single
# dots or spaces; so no "*", no "..", no "//", no bare "/". Java's \w is ASCII.
_API_PATH = re.compile(r"(?:/(?:\.[-\w]+|[-\w]+(?:[. ][-\w]+)*))+/?", re.ASCII)
_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*://")
_NFS = re.compile(r"[^/\\\s:]{2,}:/")  # host:/export (2+ characters: "C:/" is a drive)
_DRIVE = re.compile(r"[A-Za-z]:(?:[\\/]|$)")


@attrs.frozen
class PathProblem:
    """One problem with a deep inspection path configuration.

    ``index`` is the path's position in its scope's list (``None`` for a problem with the
    whole list, such as too many paths). ``code`` is stable and upper-snake:

    - errors (Inspector rejects the path, or it cannot work): ``TOO_MANY_PATHS`` (more
      than 5 in a scope), ``EMPTY_PATH``, ``SURROUNDING_WHITESPACE``, ``NOT_LOCAL`` (a
      URL, a UNC/network path or an NFS ``host:/path``), ``NOT_ABSOLUTE``,
      ``PATH_TOO_LONG`` (over 256 characters), ``INVALID_PATH`` (outside the API's path
      pattern, e.g. ``*``, ``..``, ``//`` or a bare ``/``);
    - warnings (a wasted slot): ``DEFAULT_PATH``, ``DUPLICATE_PATH``, ``REDUNDANT_PATH``
      (already covered by a directory above it).

    Examples:
        >>> p = PathProblem("account", 0, "opt/app", "NOT_ABSOLUTE", "...", "Use '/opt/app'")
        >>> p.severity
        'error'
    """

    scope: Scope
    """``"account"`` (``packagePaths``) or ``"organisation"`` (``orgPackagePaths``)."""
    index: int | None
    """Position of the path in its scope's list; ``None`` for the whole list."""
    path: str | None
    """The path as configured; ``None`` for the whole list."""
    code: ProblemCode
    """Stable upper-snake code (see the class docstring)."""
    message: str
    """What is wrong, naming the path and the limit."""
    fix: str
    """What to do about it."""

    @property
    def severity(self) -> Literal["error", "warning"]:
        """``"warning"`` for a wasted slot (default, duplicate, redundant), else ``"error"``."""
        return "warning" if self.code in _WARNINGS else "error"


def _key(path: str) -> str:
    """The comparison form of a well-formed path: no trailing slash."""
    return path.rstrip("/") or "/"


def _within(path: str, base: str) -> bool:
    """Whether ``path`` equals ``base`` or lies beneath it on a ``/`` boundary."""
    base = base.rstrip("/")
    return path == base or path.startswith(base + "/")


def _label(scope: Scope, index: int, path: str) -> str:
    return f"{scope} path {index} {path!r}"


def _form_problems(scope: Scope, index: int, raw: str) -> tuple[list[PathProblem], str | None]:
    """Problems of one path on its own; the comparison form when it is well formed."""
    problems: list[PathProblem] = []
    label = _label(scope, index, raw)

    def add(code: ProblemCode, message: str, fix: str) -> None:
        problems.append(PathProblem(scope, index, raw, code, message, fix))

    path = raw.strip()
    if not path:
        add(
            "EMPTY_PATH",
            f"{label} is empty; Inspector needs a non-empty absolute directory",
            "Remove it, or give the absolute directory to read, e.g. '/opt/app'",
        )
        return problems, None
    if path != raw:
        add(
            "SURROUNDING_WHITESPACE",
            f"{label} has leading or trailing whitespace; the API's path pattern rejects it",
            f"Use {path!r}",
        )
    if len(raw) > MAX_DEEP_INSPECTION_PATH_LENGTH:
        add(
            "PATH_TOO_LONG",
            f"{label} is {len(raw)} characters; the deep inspection guide allows at most "
            f"{MAX_DEEP_INSPECTION_PATH_LENGTH} (the API accepts up to {_API_MAX_PATH_LENGTH})",
            f"Use a parent directory of at most {MAX_DEEP_INSPECTION_PATH_LENGTH} characters",
        )
    well_formed = False
    if _URL.match(path):
        local = urlsplit(path).path
        add(
            "NOT_LOCAL",
            f"{label} is a URL; deep inspection reads directories on the instance's own "
            "file system",
            f"Use the local directory, e.g. {local!r}"
            if local.startswith("/") and local != "/"
            else "Give the directory on the instance where the files are",
        )
    elif path.startswith(("//", "\\\\")):
        add(
            "NOT_LOCAL",
            f"{label} is a UNC/network path; deep inspection reads directories on the "
            "instance's own file system",
            "Give the directory where the share is mounted on the instance, e.g. '/mnt/share'",
        )
    elif _DRIVE.match(path):
        add(
            "NOT_ABSOLUTE",
            f"{label} is a Windows path; deep inspection is for Linux instances and needs "
            "an absolute path starting with '/'",
            "Remove it; Windows instances get no deep inspection",
        )
    elif _NFS.match(path):
        add(
            "NOT_LOCAL",
            f"{label} is a remote host:/path (NFS) location; deep inspection reads "
            "directories on the instance's own file system",
            "Give the directory where the export is mounted on the instance, "
            f"e.g. {path.split(':', 1)[1]!r}",
        )
    elif not path.startswith("/"):
        if path.startswith("~"):
            example = "/home/ec2-user/" + path.lstrip("~/")
        else:
            example = "/" + path.lstrip("./")
        add(
            "NOT_ABSOLUTE",
            f"{label} is relative; deep inspection paths must be absolute (start with '/')",
            f"Use the full path, e.g. {example.rstrip('/')!r}"
            if example.strip("/")
            else "Give an absolute directory, e.g. '/opt/app'",
        )
    elif not _API_PATH.fullmatch(path):
        add(
            "INVALID_PATH",
            f"{label} does not match the API's path pattern: '/'-separated names of letters, "
            "digits, '_', '-', '.' and inner spaces; no wildcards, '..', '//' or bare '/'",
            "Name one existing directory literally, e.g. '/opt/app/lib'",
        )
    else:
        well_formed = True
    if not well_formed or problems:
        return problems, None
    return problems, _key(path)


def _covering(path: str, bases: Iterable[tuple[str, str]]) -> tuple[str, str] | None:
    for key, description in bases:
        if path != key and _within(path, key):
            return key, description
    return None


def check_deep_inspection_paths(config: DeepInspectionSettings) -> tuple[PathProblem, ...]:
    """Check a deep inspection configuration's custom paths; ``()`` when all is well.

    Rules (docs/facts.md#deep-inspection;
    https://docs.aws.amazon.com/inspector/latest/user/deep-inspection.html): at most 5 account paths
    and 5 organisation paths; each at most 256 characters (the guide's limit; the API accepts 512);
    absolute; local (no URL, UNC or ``host:/path``); within the API's path pattern; no empty or
    whitespace-padded path. Wasted slots are warnings: a default path, a duplicate (within a scope,
    or an account path equal to an organisation path), and a path already covered by a default or
    another configured path above it. A trailing ``/`` is ignored when comparing paths.

    An organisation path is never reported as a duplicate of, or redundant under, an
    account path: it serves every member account, so the account path is the wasted one.
    Paths with an error are not compared with others.

    Problems come in a stable order: list-level problems (account, then organisation),
    then each account path in order, then each organisation path.

    Examples:
        >>> from inspector_kit.coverage import DeepInspectionSettings
        >>> c = DeepInspectionSettings(activated=True,
        ...     package_paths=["/opt/app", "/opt/app/lib", "opt/tools", "/usr/lib"])
        >>> [(p.index, p.code) for p in check_deep_inspection_paths(c)]
        [(1, 'REDUNDANT_PATH'), (2, 'NOT_ABSOLUTE'), (3, 'DEFAULT_PATH')]
        >>> check_deep_inspection_paths(DeepInspectionSettings(activated=True))
        ()
    """
    scopes: tuple[tuple[Scope, tuple[str, ...]], ...] = (
        ("account", tuple(config.package_paths)),
        ("organisation", tuple(config.org_package_paths)),
    )
    problems: list[PathProblem] = []
    for scope, paths in scopes:
        if len(paths) > MAX_DEEP_INSPECTION_PATHS:
            extra = len(paths) - MAX_DEEP_INSPECTION_PATHS
            problems.append(
                PathProblem(
                    scope,
                    None,
                    None,
                    "TOO_MANY_PATHS",
                    f"{len(paths)} {scope} paths configured; Inspector allows "
                    f"at most {MAX_DEEP_INSPECTION_PATHS} per {scope}",
                    f"Remove {extra} path{'s' if extra > 1 else ''}, or replace several with "
                    "a common parent directory",
                )
            )

    per_path: dict[tuple[Scope, int], list[PathProblem]] = {}
    keys: dict[Scope, list[tuple[int, str]]] = {"account": [], "organisation": []}
    for scope, paths in scopes:
        for index, raw in enumerate(paths):
            found, key = _form_problems(scope, index, raw)
            per_path[(scope, index)] = found
            if key is not None:
                keys[scope].append((index, key))

    defaults = {_key(p) for p in DEFAULT_DEEP_INSPECTION_PATHS}
    default_bases = [(_key(p), f"the default path {p!r}") for p in DEFAULT_DEEP_INSPECTION_PATHS]
    org_keys = keys["organisation"]
    for scope, paths in scopes:
        mine = keys[scope]
        for position, (index, key) in enumerate(mine):
            raw = paths[index]
            label = _label(scope, index, raw)
            problem: PathProblem | None = None
            earlier = [i for i, k in mine[:position] if k == key]
            same_org = [i for i, k in org_keys if k == key] if scope == "account" else []
            if key in defaults:
                problem = PathProblem(
                    scope,
                    index,
                    raw,
                    "DEFAULT_PATH",
                    f"{label} is a default path, always read; it wastes one of the "
                    f"{MAX_DEEP_INSPECTION_PATHS} {scope} slots",
                    "Remove it",
                )
            elif earlier or same_org:
                if earlier:
                    other = _label(scope, earlier[0], paths[earlier[0]])
                else:
                    other = _label(
                        "organisation", same_org[0], config.org_package_paths[same_org[0]]
                    )
                problem = PathProblem(
                    scope,
                    index,
                    raw,
                    "DUPLICATE_PATH",
                    f"{label} duplicates {other}; it wastes one of the "
                    f"{MAX_DEEP_INSPECTION_PATHS} {scope} slots",
                    "Remove it",
                )
            else:
                bases = list(default_bases)
                bases += [(k, _label(scope, i, paths[i])) for i, k in mine if i != index]
                if scope == "account":
                    bases += [
                        (k, _label("organisation", i, config.org_package_paths[i]))
                        for i, k in org_keys
                    ]
                cover = _covering(key, bases)
                if cover is not None:
                    problem = PathProblem(
                        scope,
                        index,
                        raw,
                        "REDUNDANT_PATH",
                        f"{label} lies under {cover[1]}, which is read already; it wastes "
                        f"one of the {MAX_DEEP_INSPECTION_PATHS} {scope} slots",
                        "Remove it",
                    )
            if problem is not None:
                per_path[(scope, index)].append(problem)

    for scope, paths in scopes:
        for index in range(len(paths)):
            problems.extend(per_path[(scope, index)])
    return tuple(problems)
