"""Accounts of an AWS Organization: ACTIVE members, their names and OU paths.

[`Organization`][inspector_kit.fetch.Organization] reads the organization once, through the
Organizations paginators of one boto3 client (the management account or a delegated administrator
for Organizations), and hands the ACTIVE accounts to
[`OrgInspector`][inspector_kit.fetch.OrgInspector]. Which accounts count: the ``State`` field of
``Account`` (``PENDING_ACTIVATION | ACTIVE | SUSPENDED | PENDING_CLOSURE | CLOSED``,
https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_accounts_account_state.html,
read 2026-12-04); the older ``Status`` field (``ACTIVE | SUSPENDED | PENDING_CLOSURE``), retired
on 2026-09-09 according to the botocore 1.44.8 model, is read only when ``State`` is missing.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

import attrs

from inspector_kit.errors import FetchOptionError, OrganizationsError

from ._errors import translate

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    import boto3

    from inspector_kit._accounts_dir import AccountDirectory

__all__ = ["OrgAccount", "Organization"]

logger = logging.getLogger("inspector_kit.fetch")

_ACTIVE = "ACTIVE"


@attrs.frozen
class OrgAccount:
    """One account of the organization.

    Attributes:
        account_id: The 12-digit account id (``Id``).
        name: The account's name (``Name``).
        state: ``State`` (or the deprecated ``Status`` when ``State`` is absent).
        ou_path: OU names from the root, ``"Root/Workloads/Prod"``; ``""`` when not read.
        email: ``Email``.

    Examples:
        >>> OrgAccount("111122223333", "prod", "ACTIVE", "Root/Workloads").active
        True
    """

    account_id: str
    name: str = ""
    state: str = _ACTIVE
    ou_path: str = ""
    email: str = ""

    @property
    def active(self) -> bool:
        """True when the account is ACTIVE (the only state whose roles can be assumed)."""
        return self.state == _ACTIVE


def _state(raw: dict[str, Any]) -> str:
    return str(raw.get("State") or raw.get("Status") or "")


class Organization:
    """The accounts of an AWS Organization, ACTIVE only, with names and OU paths.

    Args:
        session: The boto3 session of the management account (or a delegated administrator
            for Organizations); default: a new session.
        ous: Read only the accounts under these OUs (ids ``ou-...`` or the root ``r-...``),
            recursively; default: every account (``ListAccounts``).
        client: An ``organizations`` client to use instead of one from ``session``.

    Raises:
        OrganizationsError: (when reading) an Organizations call failed.

    Examples:
        >>> import boto3
        >>> from moto import mock_aws
        >>> with mock_aws():
        ...     orgs = boto3.client("organizations", region_name="us-east-1")
        ...     _ = orgs.create_organization(FeatureSet="ALL")
        ...     root = orgs.list_roots()["Roots"][0]["Id"]
        ...     ou = orgs.create_organizational_unit(ParentId=root, Name="Prod")
        ...     made = orgs.create_account(Email="a@example.com", AccountName="app")
        ...     acct = made["CreateAccountStatus"]["AccountId"]
        ...     _ = orgs.move_account(AccountId=acct, SourceParentId=root,
        ...                       DestinationParentId=ou["OrganizationalUnit"]["Id"])
        ...     org = Organization(client=orgs)
        ...     print(org.ou_paths()[acct], org.names()[acct])
        ...     print(org.directory().ou_of(acct))
        Root/Prod app
        Root/Prod
    """

    def __init__(
        self,
        session: boto3.session.Session | None = None,
        *,
        ous: Iterable[str] | None = None,
        client: Any = None,
    ) -> None:
        self._ous = tuple(ous) if ous is not None else None
        for ou in self._ous or ():
            if not isinstance(ou, str) or not ou.startswith(("ou-", "r-")):
                raise FetchOptionError(f"an OU id starts with 'ou-' or 'r-', got {ou!r}")
        if client is None:
            import boto3

            client = (session or boto3.session.Session()).client("organizations")
        self._client = client
        self._accounts: tuple[OrgAccount, ...] | None = None

    def _pages(self, operation: str, method: str, key: str, **params: Any) -> Iterator[Any]:
        try:
            for page in self._client.get_paginator(method).paginate(**params):
                yield from page.get(key, ())
        except Exception as exc:
            err = translate(exc, region="", operation=operation, service="organizations")
            raise OrganizationsError(
                err.message, operation=operation, code=err.code, status=err.status
            ) from exc

    def _walk(self, parent: str, path: str) -> Iterator[OrgAccount]:
        for raw in self._pages(
            "ListAccountsForParent", "list_accounts_for_parent", "Accounts", ParentId=parent
        ):
            yield _account(raw, path)
        for ou in self._pages(
            "ListOrganizationalUnitsForParent",
            "list_organizational_units_for_parent",
            "OrganizationalUnits",
            ParentId=parent,
        ):
            yield from self._walk(ou["Id"], f"{path}/{ou.get('Name', ou['Id'])}")

    def _path_of(self, ou: str) -> str:
        # The names from the root down to ``ou`` (ListParents, one level at a time).
        names: list[str] = []
        current = ou
        while current.startswith("ou-"):
            described = self._client.describe_organizational_unit(OrganizationalUnitId=current)
            names.append(described["OrganizationalUnit"].get("Name", current))
            parents = list(self._pages("ListParents", "list_parents", "Parents", ChildId=current))
            current = parents[0]["Id"] if parents else ""
        return "/".join(["Root", *reversed(names)])

    def all_accounts(self) -> tuple[OrgAccount, ...]:
        """Every account read (any state), with OU paths; read once, then kept.

        Examples: see [`Organization`][inspector_kit.fetch.Organization].
        """
        if self._accounts is None:
            if self._ous is None:
                roots = [r["Id"] for r in self._pages("ListRoots", "list_roots", "Roots")]
                starts = [(root, "Root") for root in roots]
            else:
                starts = [(ou, self._path_of(ou)) for ou in self._ous]
            seen: dict[str, OrgAccount] = {}
            for start, path in starts:
                for account in self._walk(start, path):
                    seen.setdefault(account.account_id, account)
            self._accounts = tuple(seen.values())
        return self._accounts

    def accounts(self) -> tuple[OrgAccount, ...]:
        """The ACTIVE accounts (suspended, closing and closed ones are left out, logged).

        Examples: see [`Organization`][inspector_kit.fetch.Organization].
        """
        everyone = self.all_accounts()
        skipped = [a.account_id for a in everyone if not a.active]
        if skipped:
            logger.info("skipping %d accounts that are not ACTIVE: %s", len(skipped), skipped)
        return tuple(a for a in everyone if a.active)

    def account_ids(self) -> tuple[str, ...]:
        """The ids of the ACTIVE accounts."""
        return tuple(a.account_id for a in self.accounts())

    def ou_paths(self) -> dict[str, str]:
        """Account id -> OU path from the root (``"Root/Workloads/Prod"``), ACTIVE accounts."""
        return {a.account_id: a.ou_path for a in self.accounts()}

    def names(self) -> dict[str, str]:
        """Account id -> account name, ACTIVE accounts."""
        return {a.account_id: a.name for a in self.accounts()}

    def directory(self) -> AccountDirectory:
        """The ACTIVE accounts' names and OU paths, to group reports by account or OU.

        What [`CoverageReport.by_ou`][inspector_kit.coverage.CoverageReport.by_ou],
        [`cost_by_ou`][inspector_kit.pricing.cost_by_ou] and
        [`TriagePlan.by_ou`][inspector_kit.triage.TriagePlan.by_ou] take.
        Examples: see [`Organization`][inspector_kit.fetch.Organization].
        """
        from inspector_kit._accounts_dir import AccountDirectory

        accounts = self.accounts()
        return AccountDirectory.from_mappings(
            {a.account_id: a.ou_path for a in accounts},
            names={a.account_id: a.name for a in accounts},
        )


def _account(raw: dict[str, Any], path: str) -> OrgAccount:
    return OrgAccount(
        str(raw["Id"]),
        name=str(raw.get("Name", "")),
        state=_state(raw),
        ou_path=path,
        email=str(raw.get("Email", "")),
    )
