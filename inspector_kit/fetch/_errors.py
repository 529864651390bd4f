"""The one place where botocore's exceptions become inspector_kit's.

Every AWS failure leaves the fetch layer as a [`FetchError`][inspector_kit.errors.FetchError]
subclass naming the region, operation and code, with botocore's exception as
``__cause__``. Permission problems are
[`AccessDeniedError`][inspector_kit.errors.AccessDeniedError], never an empty result.
"""

from __future__ import annotations

from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    CredentialRetrievalError,
    HTTPClientError,
    NoCredentialsError,
    ParamValidationError,
    PartialCredentialsError,
    TokenRetrievalError,
)
from botocore.exceptions import (
    ConnectionError as BotoConnectionError,
)

from inspector_kit.errors import (
    AccessDeniedError,
    ConfigurationError,
    FetchError,
    ServiceUnavailableError,
    ServiceValidationError,
    ThrottledError,
)

from ._retries import failure_kind

__all__ = ["translate"]

_DENIED = frozenset(
    {
        "AccessDeniedException",
        "AccessDenied",
        "UnauthorizedOperation",
        "UnrecognizedClientException",
        "InvalidClientTokenId",
        "InvalidSignatureException",
        "SignatureDoesNotMatch",
        "ExpiredToken",
        "ExpiredTokenException",
        "IncompleteSignature",
        "MissingAuthenticationToken",
        "AuthFailure",
    }
)
_THROTTLED = frozenset(
    {
        "ThrottlingException",
        "Throttling",
        "TooManyRequestsException",
        "RequestLimitExceeded",
        "SlowDown",
        "RequestThrottled",
        "RequestThrottledException",
    }
)
_INVALID = frozenset({"ValidationException", "BadRequestException", "InvalidParameterException"})

_UNAVAILABLE = frozenset({"InternalServerException", "InternalFailure", "ServiceUnavailable"})

_HINTS = {
    AccessDeniedError: "check the credentials and that IAM allows {service}:{op} in {region}",
    ThrottledError: "retry later, or lower max_workers / raise Config retries max_attempts",
}


def translate(
    exc: BaseException,
    *,
    region: str,
    operation: str,
    account: str | None = None,
    service: str = "inspector2",
) -> FetchError:
    """Turn a botocore exception into the matching ``FetchError`` (not raised).

    ``service`` (the IAM prefix: ``inspector2``, ``ec2``, ``ssm``) only words the hint.

    Examples:
        >>> from botocore.exceptions import ClientError
        >>> err = ClientError(
        ...     {"Error": {"Code": "AccessDeniedException", "Message": "nope"},
        ...      "ResponseMetadata": {"HTTPStatusCode": 403}}, "ListFindings")
        >>> fe = translate(err, region="eu-west-1", operation="ListFindings")
        >>> type(fe).__name__, fe.code, fe.status
        ('AccessDeniedError', 'AccessDeniedException', 403)
    """
    if isinstance(exc, FetchError):
        return exc
    cls: type[FetchError]
    status: int | None = None
    if isinstance(exc, ClientError):
        error = exc.response.get("Error", {})
        code = str(error.get("Code") or "Unknown")
        message = str(error.get("Message") or exc)
        raw_status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
        status = int(raw_status) if raw_status is not None else None
        if code in _DENIED or status in (401, 403):
            cls = AccessDeniedError
        elif code in _THROTTLED or status == 429:
            cls = ThrottledError
        elif code in _INVALID:
            cls = ServiceValidationError
        elif code in _UNAVAILABLE or (status is not None and status >= 500):
            cls = ServiceUnavailableError
        else:
            cls = FetchError
    elif isinstance(
        exc,
        (
            NoCredentialsError,
            PartialCredentialsError,
            CredentialRetrievalError,
            TokenRetrievalError,
        ),
    ):
        cls, code = AccessDeniedError, type(exc).__name__
        message = f"{exc} (configure credentials: profile, environment or instance role)"
    elif failure_kind(exc) == "configuration":
        cls, code = ConfigurationError, type(exc).__name__
        message = f"{exc} (a configuration problem: not retried)"
    elif isinstance(exc, ParamValidationError):
        cls, code, message = ServiceValidationError, "ParamValidationError", str(exc)
    elif isinstance(exc, (BotoConnectionError, HTTPClientError)):
        cls, code, message = ServiceUnavailableError, type(exc).__name__, str(exc)
    elif isinstance(exc, BotoCoreError):
        cls, code, message = FetchError, type(exc).__name__, str(exc)
    else:
        cls, code, message = FetchError, type(exc).__name__, str(exc) or type(exc).__name__
    hint = _HINTS.get(cls)
    if hint and isinstance(exc, ClientError):
        message = f"{message} ({hint.format(service=service, op=operation, region=region)})"
    err = cls(
        message, region=region, operation=operation, code=code, account=account, status=status
    )
    err.__cause__ = exc
    return err
