"""Paging one Inspector list operation in one region, the way every peer should have.

(EC2 and SSM page the same way with ``token_key="NextToken"``; inventory gathering uses it.)

* No ``nextToken`` on the first call (``None`` and ``""`` are both rejected by AWS).
* Keep paging past empty pages: Inspector may return an empty page and a token while
  more results exist.
* Stop with [`PaginationError`][inspector_kit.errors.PaginationError] when a token comes back that
  was already used (an endless loop otherwise), or after ``max_empty_pages`` empty pages
  in a row.
* Count botocore's retries per page (``ResponseMetadata.RetryAttempts``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import attrs

from inspector_kit.errors import PaginationError

from ._errors import translate

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Mapping

__all__ = ["MAX_EMPTY_PAGES", "RawPage", "call", "pages"]

MAX_EMPTY_PAGES = 1000
"""Empty pages in a row (each with a fresh token) before paging gives up with an error."""


@attrs.frozen
class RawPage:
    """One page as botocore parsed it: its items, the retries it took, and the response."""

    items: list[Any]
    retries: int
    number: int
    response: dict[str, Any] = attrs.field(factory=dict, eq=False, repr=False)


def call(
    client: Any,
    operation: str,
    method: str,
    params: Mapping[str, Any],
    *,
    region: str,
    service: str = "inspector2",
) -> dict[str, Any]:
    """Call ``client.<method>(**params)``; failures become ``FetchError``."""
    try:
        response: dict[str, Any] = getattr(client, method)(**params)
    except Exception as exc:
        raise translate(exc, region=region, operation=operation, service=service) from exc
    return response


def pages(
    client: Any,
    operation: str,
    method: str,
    params: Mapping[str, Any],
    *,
    items_key: str,
    region: str,
    stopped: Callable[[], bool] = lambda: False,
    max_empty_pages: int = MAX_EMPTY_PAGES,
    token_key: str = "nextToken",
    service: str = "inspector2",
) -> Iterator[RawPage]:
    """Yield every page of a paginated operation in one region.

    Args:
        client: A boto3 ``inspector2`` client.
        operation: The API name, for errors (``ListFindings``).
        method: The client method (``list_findings``).
        params: Request parameters without ``nextToken``.
        items_key: The response member holding the items (``findings``).
        region: The client's region, for errors.
        stopped: Polled before each call; paging ends quietly when it returns True.
        max_empty_pages: Empty pages in a row tolerated before giving up.
        token_key: The page token member, in requests and responses (``NextToken`` for
            EC2 and SSM).
        service: The IAM service prefix, for the access-denied hint.

    Raises:
        FetchError: A call failed (after botocore's retries).
        PaginationError: A token repeated, or too many empty pages in a row.
    """
    request = dict(params)
    request.pop(token_key, None)
    seen: set[str] = set()
    empty_run = 0
    number = 0
    while not stopped():
        response = call(client, operation, method, request, region=region, service=service)
        number += 1
        items = response.get(items_key) or []
        retries = int(response.get("ResponseMetadata", {}).get("RetryAttempts", 0))
        yield RawPage(items=items, retries=retries, number=number, response=response)
        token = response.get(token_key)
        if not token:
            return
        if token in seen:
            raise PaginationError(
                f"the service returned page token {token[:40]!r} a second time after "
                f"{number} pages; stopped instead of looping (results so far were kept)",
                region=region,
                operation=operation,
                code="RepeatedNextToken",
            )
        seen.add(token)
        empty_run = 0 if items else empty_run + 1
        if empty_run >= max_empty_pages:
            raise PaginationError(
                f"{empty_run} empty pages in a row, each with a new token; stopped after "
                f"{number} pages (results so far were kept)",
                region=region,
                operation=operation,
                code="TooManyEmptyPages",
            )
        request[token_key] = token
