"""The sample estate's account directory: ``sample_accounts``."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from inspector_kit._accounts_dir import AccountDirectory

_ACCOUNTS = Path(__file__).parent / "accounts" / "accounts.csv"


def sample_accounts_path() -> Path:
    """The sample estate's accounts file (CSV: ``account_id,name,ou``).

    A team's own file has the same shape; see
    [`AccountDirectory.load`][inspector_kit.AccountDirectory.load].

    Examples:
        >>> sample_accounts_path().read_text().splitlines()[3]
        'account_id,name,ou'
    """
    return _ACCOUNTS


def sample_accounts() -> AccountDirectory:
    """Where the sample estate's three accounts sit in its (made-up) organisation.

    ``111122223333`` shop-prod in ``Root/Workloads/Prod``, ``444455556666`` shop-staging in
    ``Root/Workloads/Staging`` and ``123456789012`` security-tooling (the delegated
    administrator) in ``Root/Security``.

    Examples:
        >>> d = sample_accounts()
        >>> [(a, d.name_of(a), d.ou_of(a)) for a in d]  # doctest: +NORMALIZE_WHITESPACE
        [('111122223333', 'shop-prod', 'Root/Workloads/Prod'),
         ('123456789012', 'security-tooling', 'Root/Security'),
         ('444455556666', 'shop-staging', 'Root/Workloads/Staging')]
    """
    from inspector_kit._accounts_dir import AccountDirectory

    return AccountDirectory.load(_ACCOUNTS)
