r"""Which organisational unit (OU) each AWS account is in, and reports grouped that way.

Pure: no AWS call. An [`AccountDirectory`][inspector_kit.AccountDirectory] maps account ids to
a name and an OU path such as ``"Root/Workloads/Prod"``. Build it from two dicts
([`from_mappings`][inspector_kit.AccountDirectory.from_mappings]; what AWS Organizations gives,
gathered by the fetch layer) or load the small YAML or CSV file a team keeps
([`load`][inspector_kit.AccountDirectory.load]). The coverage report, the cost estimate and the
triage plan group by account and by OU with it, each as an
[`AccountGroups`][inspector_kit.AccountGroups] result (records, Markdown, notebook view).

An account the directory does not know is grouped under
``"(unknown OU)"``, never dropped.

Facts (AWS Organizations model, botocore 1.44.8, read 2026-12-04): an account id is 12 digits
(``AccountId`` pattern ``^\d{12}$``); an account name and an OU name are 1 to 128 characters of
any kind (``AccountName``, ``OrganizationalUnitName``). OU paths here separate names with ``/``,
so a name that holds ``/`` cannot be told apart (write it otherwise in the file).

Examples:
    >>> from inspector_kit import AccountDirectory
    >>> d = AccountDirectory.from_mappings({"111122223333": "Root/Workloads/Prod"},
    ...                                    names={"111122223333": "shop-prod"})
    >>> d.ou_of("111122223333"), d.ou_of("111122223333", depth=2), d.ou_of("999999999999")
    ('Root/Workloads/Prod', 'Root/Workloads', '(unknown OU)')
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import ClassVar, Literal, TypeVar

import attrs

from inspector_kit._records import RecordsMixin, RecordValue, html_text
from inspector_kit.errors import AccountDirectoryError, AccountsFileError

__all__ = [
    "ACCOUNT_FILE_COLUMNS",
    "NAME_LENGTH",
    "UNKNOWN_OU",
    "AccountDirectory",
    "AccountGroups",
    "GroupBy",
]

UNKNOWN_OU = "(unknown OU)"
"""The group of an account the directory does not know (never dropped)."""

NAME_LENGTH = 128
"""An account name and an OU name: 1 to 128 characters (``organizations`` model,
``AccountName`` and ``OrganizationalUnitName``, botocore 1.44.8)."""

ACCOUNT_FILE_COLUMNS = ("account_id", "name", "ou")
"""The keys of an accounts file's entries (CSV header, YAML mapping keys); ``name`` optional."""

GroupBy = Literal["account", "ou"]
"""How a report groups: per account, or per OU path."""

_ACCOUNT_ID = re.compile(r"\d{12}")
_T = TypeVar("_T")


def _at(where: str) -> str:
    return f"{where}: " if where else ""


def _check_account(value: object, where: str) -> str:
    if not isinstance(value, str) or not _ACCOUNT_ID.fullmatch(value):
        raise AccountDirectoryError(f"{_at(where)}account id {value!r} is not 12 digits")
    return value


def _check_name(value: object, where: str, what: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise AccountDirectoryError(f"{_at(where)}{what} {value!r} is empty or not text")
    if len(value) > NAME_LENGTH:
        raise AccountDirectoryError(
            f"{_at(where)}{what} is {len(value)} characters, over AWS's {NAME_LENGTH}"
        )
    return value


def _check_ou(value: object, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise AccountDirectoryError(f"{_at(where)}OU path {value!r} is empty or not text")
    parts = [part.strip() for part in value.strip().strip("/").split("/")]
    for part in parts:
        _check_name(part, where, f"OU name {part!r} in {value!r}")
    return "/".join(parts)


def _check_depth(depth: object) -> int | None:
    if depth is None:
        return None
    if isinstance(depth, bool) or not isinstance(depth, int) or depth < 1:
        raise AccountDirectoryError(f"depth must be a whole number of 1 or more, not {depth!r}")
    return depth


def _check_by(by: object) -> GroupBy:
    if by == "account":
        return "account"
    if by == "ou":
        return "ou"
    raise AccountDirectoryError(f"group by 'account' or 'ou', not {by!r}")


def _frozen(mapping: Mapping[str, str]) -> Mapping[str, str]:
    return MappingProxyType(dict(mapping))


def _paths(mapping: Mapping[str, str]) -> Mapping[str, str]:
    """OU paths checked and trimmed (``" Root / A "`` -> ``"Root/A"``), read-only."""
    return MappingProxyType({a: _check_ou(p, f"ou_paths[{a!r}]") for a, p in dict(mapping).items()})


@attrs.frozen(kw_only=True)
class AccountDirectory:
    """Account id -> name and OU path (``"Root/Workloads/Prod"``): who is where.

    Build it with [`from_mappings`][inspector_kit.AccountDirectory.from_mappings] or
    [`load`][inspector_kit.AccountDirectory.load]; both check every account id (12 digits) and
    name. Unknown accounts answer ``"(unknown OU)"`` and no name.

    Examples:
        >>> from inspector_kit import AccountDirectory
        >>> d = AccountDirectory.from_mappings(
        ...     {"111122223333": "Root/Workloads/Prod", "444455556666": "Root/Sandbox"})
        >>> len(d), "444455556666" in d, d.name_of("444455556666")
        (2, True, None)
        >>> d.group_of("444455556666", "ou"), d.group_of("444455556666", "account")
        ('Root/Sandbox', '444455556666')
    """

    ou_paths: Mapping[str, str] = attrs.field(converter=_paths, hash=False)
    """Account id -> OU path, names joined with ``/`` (checked and trimmed)."""
    names: Mapping[str, str] = attrs.field(factory=dict, converter=_frozen, hash=False)
    """Account id -> account name (accounts without a name are absent)."""

    def __attrs_post_init__(self) -> None:
        for account in self.ou_paths:
            _check_account(account, "ou_paths")
        for account, name in self.names.items():
            _check_account(account, "names")
            _check_name(name, f"names[{account!r}]", "account name")

    @classmethod
    def from_mappings(
        cls, ou_paths: Mapping[str, str], names: Mapping[str, str] | None = None
    ) -> AccountDirectory:
        """A directory from account id -> OU path and (optionally) account id -> name.

        The shapes ``Organization.ou_paths()`` and ``Organization.names()`` give. An account
        may have a name and no OU (it groups under the unknown OU), or the reverse.

        Raises:
            AccountDirectoryError: An account id is not 12 digits, or a name or OU path is
                empty or over 128 characters.

        Examples:
            >>> from inspector_kit import AccountDirectory
            >>> AccountDirectory.from_mappings({"1234": "Root"})
            Traceback (most recent call last):
            ...
            inspector_kit.errors.AccountDirectoryError: ou_paths: account id '1234' is not 12 digits
        """
        return cls(ou_paths=ou_paths, names=dict(names or {}))

    @classmethod
    def load(cls, path: str | Path) -> AccountDirectory:
        """Read a team's accounts file: CSV (``.csv``) or YAML (``.yaml``/``.yml``).

        CSV has the header ``account_id,name,ou`` (``name`` may be left empty); YAML is a list
        of mappings with those keys (``name`` optional). Account ids are read as written
        (quote them in YAML or not: a leading zero is kept). Lines starting with ``#`` are
        comments in both.

        Raises:
            AccountsFileError: The file is missing, or an entry is not valid; the message
                names the file and the line.

        Examples:
            >>> from inspector_kit import AccountDirectory
            >>> from inspector_kit.sample import sample_accounts_path
            >>> d = AccountDirectory.load(sample_accounts_path())
            >>> d.ou_of("111122223333"), d.name_of("111122223333")
            ('Root/Workloads/Prod', 'shop-prod')
        """
        file = Path(path)
        try:
            text = file.read_text(encoding="utf-8").removeprefix("\ufeff")
        except (OSError, UnicodeDecodeError) as exc:
            raise AccountsFileError(str(file), None, f"cannot be read: {exc}") from exc
        if file.suffix.lower() in (".yaml", ".yml"):
            entries = _yaml_entries(text, str(file))
        elif file.suffix.lower() == ".csv":
            entries = _csv_entries(text, str(file))
        else:
            raise AccountsFileError(str(file), None, "is not .csv, .yaml or .yml")
        return cls._from_entries(entries, str(file))

    @classmethod
    def _from_entries(
        cls, entries: Iterable[tuple[int, Mapping[str, str | None]]], source: str
    ) -> AccountDirectory:
        ous: dict[str, str] = {}
        names: dict[str, str] = {}
        seen: dict[str, int] = {}
        for line, entry in entries:
            unknown = sorted(set(entry) - set(ACCOUNT_FILE_COLUMNS))
            if unknown:
                raise AccountsFileError(
                    source,
                    line,
                    f"unknown key(s) {', '.join(map(repr, unknown))}; "
                    f"the keys are {', '.join(ACCOUNT_FILE_COLUMNS)}",
                )
            try:
                account = _check_account(entry.get("account_id"), "")
                if account in seen:
                    raise AccountDirectoryError(
                        f"account {account} is listed twice (first on line {seen[account]})"
                    )
                ou = entry.get("ou")
                if ou is None or not ou.strip():
                    raise AccountDirectoryError(f"account {account} has no ou")
                ous[account] = _check_ou(ou, "")
                name = entry.get("name")
                if name is not None and name.strip():
                    names[account] = _check_name(name.strip(), "", "account name")
            except AccountDirectoryError as exc:
                raise AccountsFileError(source, line, str(exc)) from None
            seen[account] = line
        return cls(ou_paths=ous, names=names)

    def __len__(self) -> int:
        return len(set(self.ou_paths) | set(self.names))

    def __contains__(self, account_id: object) -> bool:
        return account_id in self.ou_paths or account_id in self.names

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(set(self.ou_paths) | set(self.names)))

    def name_of(self, account_id: str) -> str | None:
        """The account's name, or ``None`` when the directory has none."""
        return self.names.get(account_id)

    def ou_of(self, account_id: str, *, depth: int | None = None) -> str:
        """The account's OU path, cut to its first ``depth`` names (``None``: whole).

        ``depth`` counts the root: for ``"Root/Workloads/Prod"`` depth 1 is ``"Root"``, 2 is
        ``"Root/Workloads"``. An unknown account gives ``"(unknown OU)"`` at any depth.

        Raises:
            AccountDirectoryError: ``depth`` is not a whole number of 1 or more.
        """
        cut = _check_depth(depth)
        path = self.ou_paths.get(account_id)
        if path is None:
            return UNKNOWN_OU
        return path if cut is None else "/".join(path.split("/")[:cut])

    def group_of(self, account_id: str, by: GroupBy, *, depth: int | None = None) -> str:
        """The group key of an account: the id itself (``"account"``) or its OU (``"ou"``)."""
        return account_id if _check_by(by) == "account" else self.ou_of(account_id, depth=depth)


_EMPTY = AccountDirectory(ou_paths={})


def _csv_entries(text: str, source: str) -> list[tuple[int, dict[str, str | None]]]:
    lines = [(n, line) for n, line in enumerate(text.splitlines(), 1)]
    kept = [(n, line) for n, line in lines if line.strip() and not line.lstrip().startswith("#")]
    if not kept:
        raise AccountsFileError(source, None, "has no header line (account_id,name,ou)")
    rows = [(n, next(csv.reader([line]))) for n, line in kept]
    header = [h.strip() for h in rows[0][1]]
    if "account_id" not in header or "ou" not in header:
        raise AccountsFileError(
            source, rows[0][0], f"the header {','.join(header)!r} lacks account_id or ou"
        )
    out: list[tuple[int, dict[str, str | None]]] = []
    for line, row in rows[1:]:
        if len(row) != len(header):
            raise AccountsFileError(
                source, line, f"has {len(row)} fields, the header {len(header)}"
            )
        out.append((line, {h: (v.strip() or None) for h, v in zip(header, row, strict=True)}))
    return out


def _yaml_entries(text: str, source: str) -> list[tuple[int, dict[str, str | None]]]:
    import yaml

    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = None if mark is None else mark.line + 1
        raise AccountsFileError(source, line, f"is not valid YAML: {exc}") from None
    if root is None:
        return []
    if not isinstance(root, yaml.SequenceNode):
        raise AccountsFileError(
            source, root.start_mark.line + 1, "must be a list of entries (account_id, name, ou)"
        )
    out: list[tuple[int, dict[str, str | None]]] = []
    for node in root.value:
        line = node.start_mark.line + 1
        if not isinstance(node, yaml.MappingNode):
            raise AccountsFileError(source, line, "an entry must be a mapping (account_id, ou)")
        entry: dict[str, str | None] = {}
        for key, value in node.value:
            if not isinstance(key, yaml.ScalarNode) or not isinstance(value, yaml.ScalarNode):
                raise AccountsFileError(source, key.start_mark.line + 1, "values must be text")
            # The scalar as written: an unquoted 012345678901 keeps its leading zero.
            is_null = value.tag == "tag:yaml.org,2002:null"
            entry[str(key.value)] = None if is_null else str(value.value)
        out.append((line, entry))
    return out


# --- grouping --------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class AccountGroups(RecordsMixin):
    """A report grouped by account or by OU: one row of counts (or money) per group.

    The rows start with the group's columns: ``account_id``, ``account_name`` and ``ou`` per
    account; ``ou`` and ``accounts`` (how many accounts the group holds) per OU. Groups are in
    key order, ``"(unknown OU)"`` last. ``to_records``, ``to_text``, ``to_markdown`` and the
    notebook view work as for every result, and every writer of
    [`inspector_kit.formats`][inspector_kit.formats] takes it.

    Examples:
        >>> from inspector_kit import AccountDirectory
        >>> from inspector_kit.sample import sample_accounts, sample_inventory
        >>> groups = sample_inventory().analyze().by_ou(sample_accounts(), depth=2)
        >>> groups.keys
        ('Root/Security', 'Root/Workloads')
        >>> groups.get("Root/Workloads")["instances"]
        21
    """

    GROUP_COLUMNS: ClassVar[Mapping[str, tuple[str, ...]]] = MappingProxyType(
        {"account": ("account_id", "account_name", "ou"), "ou": ("ou", "accounts")}
    )
    """The leading columns per grouping."""

    by: GroupBy
    """``"account"`` or ``"ou"``."""
    columns: tuple[str, ...]
    """The keys of every row, in order: the group's columns, then the counts."""
    rows: tuple[Mapping[str, RecordValue], ...] = attrs.field(hash=False)
    """One row per group, in key order."""
    title: str = ""
    """What was grouped (shown above the text table)."""

    @property
    def keys(self) -> tuple[str, ...]:
        """The group keys, in order (account ids or OU paths)."""
        key = "account_id" if self.by == "account" else "ou"
        return tuple(str(row[key]) for row in self.rows)

    def get(self, key: str) -> dict[str, RecordValue] | None:
        """The row of one group (account id or OU path), or ``None``."""
        for group, row in zip(self.keys, self.rows, strict=True):
            if group == key:
                return dict(row)
        return None

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self) -> Iterator[dict[str, RecordValue]]:
        return (dict(row) for row in self.rows)

    def to_records(self) -> list[dict[str, RecordValue]]:
        """One dict per group, keys ``columns`` in order."""
        return [{c: row.get(c) for c in self.columns} for row in self.rows]

    def to_text(self) -> str:
        """The title, then the table of groups."""
        table = super().to_text()
        return f"{self.title}\n{table}" if self.title else table

    def _repr_html_(self) -> str:
        """The notebook view: the table of groups, the title as its caption."""
        return html_text(self.columns, self.to_records(), caption=self.title or None)


def group_items(
    items: Iterable[_T],
    account_of: Callable[[_T], str],
    *,
    by: object,
    directory: AccountDirectory | None,
    depth: int | None = None,
) -> list[tuple[dict[str, RecordValue], list[_T]]]:
    """Items per group, each with its leading columns; keys sorted, the unknown OU last.

    ``directory`` ``None`` is an empty directory: every account in the unknown OU.

    Examples:
        >>> d = AccountDirectory.from_mappings({"111122223333": "Root/A"})
        >>> [(h["ou"], h["accounts"], n) for h, n in group_items(
        ...     ["111122223333", "444455556666", "111122223333"], str, by="ou", directory=d)]
        [('Root/A', 1, ['111122223333', '111122223333']), ('(unknown OU)', 1, ['444455556666'])]
    """
    grouping = _check_by(by)
    cut = _check_depth(depth)
    if grouping == "account" and cut is not None:
        raise AccountDirectoryError("depth applies to grouping by OU, not by account")
    known = directory if directory is not None else _EMPTY
    groups: dict[str, list[_T]] = {}
    accounts: dict[str, set[str]] = {}
    for item in items:
        account = account_of(item)
        key = known.group_of(account, grouping, depth=cut)
        groups.setdefault(key, []).append(item)
        accounts.setdefault(key, set()).add(account)
    order = sorted(groups, key=lambda k: (k == UNKNOWN_OU, k))
    out: list[tuple[dict[str, RecordValue], list[_T]]] = []
    for key in order:
        head: dict[str, RecordValue]
        if grouping == "account":
            head = {"account_id": key, "account_name": known.name_of(key), "ou": known.ou_of(key)}
        else:
            head = {"ou": key, "accounts": len(accounts[key])}
        out.append((head, groups[key]))
    return out


def grouped(
    items: Iterable[_T],
    account_of: Callable[[_T], str],
    count: Callable[[list[_T]], Mapping[str, RecordValue]],
    count_columns: tuple[str, ...],
    *,
    by: object,
    directory: AccountDirectory | None,
    depth: int | None = None,
    title: str = "",
) -> AccountGroups:
    """An [`AccountGroups`][inspector_kit.AccountGroups]: ``count`` of each group's items.

    Examples:
        >>> g = grouped(["111122223333", "111122223333"], str, lambda xs: {"n": len(xs)},
        ...             ("n",), by="account", directory=None)
        >>> g.to_records()
        [{'account_id': '111122223333', 'account_name': None, 'ou': '(unknown OU)', 'n': 2}]
    """
    groups = group_items(items, account_of, by=by, directory=directory, depth=depth)
    grouping = _check_by(by)
    rows = tuple({**head, **count(members)} for head, members in groups)
    columns = (*AccountGroups.GROUP_COLUMNS[grouping], *count_columns)
    return AccountGroups(by=grouping, columns=columns, rows=rows, title=title)
