r"""Logging for inspector_kit, boto3 and botocore, with AWS credentials redacted.

inspector_kit logs through the standard ``logging`` module, under the ``inspector_kit``
logger (``inspector_kit.fetch``, ``inspector_kit.loaders``, ...), and adds no handler of its
own. At ``DEBUG``, botocore logs every request it signs: the canonical request with the
``x-amz-security-token`` header, the ``Authorization`` header with its ``Signature``, and
response bodies that may hold credentials (STS, SSO).
[`configure_logging`][inspector_kit.logs.configure_logging] sets up a handler whose
[`RedactingFilter`][inspector_kit.logs.RedactingFilter] removes them from every record it writes,
from botocore, urllib3, inspector_kit or anyone else; ``inspector-kit --debug`` uses it.

What is redacted ([`redact`][inspector_kit.logs.redact]): access key ids (``AKIA...``, ``ASIA...``),
the values of secret access keys, session and security tokens, SSO bearer and access tokens,
signatures (``Signature=``, ``X-Amz-Signature``, botocore's ``Signature:`` line), the key
part of ``Credential=`` / ``X-Amz-Credential``, and ``Bearer`` tokens, whether they appear
as ``name=value``, ``name: value``, a Python dict or bytes repr, JSON or XML. The rest of the
record (operation, URL, headers' names, status, timings) stays, so the log stays useful.

Examples:
    >>> import io, logging
    >>> from inspector_kit.logs import configure_logging
    >>> stream = io.StringIO()
    >>> handler = configure_logging("DEBUG", stream=stream, fmt="%(name)s: %(message)s")
    >>> logging.getLogger("botocore.auth").debug(
    ...     "CanonicalRequest:\n%s", "x-amz-security-token:FwoGZXIvYXdzEXAMPLE\nhost:x")
    >>> print(stream.getvalue(), end="")
    botocore.auth: CanonicalRequest:
    x-amz-security-token:[REDACTED]
    host:x
    >>> logging.getLogger().removeHandler(handler)
"""

from __future__ import annotations

import logging
import re
import sys
from typing import TYPE_CHECKING

from inspector_kit._deprecated import keyword_only

if TYPE_CHECKING:
    from collections.abc import Iterable
    from typing import TextIO

__all__ = [
    "DEFAULT_FORMAT",
    "LIBRARY_LOGGERS",
    "REDACTED",
    "RedactingFilter",
    "configure_logging",
    "redact",
]

REDACTED = "[REDACTED]"
"""What a redacted value is replaced with."""

LIBRARY_LOGGERS: tuple[str, ...] = ("inspector_kit", "boto3", "botocore", "s3transfer", "urllib3")
"""The loggers [`configure_logging`][inspector_kit.logs.configure_logging] sets the level of."""

DEFAULT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
"""The default record format of [`configure_logging`][inspector_kit.logs.configure_logging]."""

# The names under which AWS credentials travel: HTTP headers and query parameters, botocore's
# and the AWS CLI's configuration keys, and the members of STS, SSO and SSO-OIDC responses
# (camelCase and PascalCase: the match ignores case and separators).
_SECRET_NAMES = (
    r"x-amz-security-token|x-amz-signature|x-amz-sso[-_]bearer[-_]token"
    r"|(?:aws[-_]?)?session[-_]?token|security[-_]?token"
    r"|(?:aws[-_]?)?secret[-_]?access[-_]?key|secret[-_]?key|(?:aws[-_]?)?access[-_]?key[-_]?id"
    r"|access[-_]?token|refresh[-_]?token|client[-_]?secret|signature"
)
_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    # name=value, name: value, 'name': b'value', "name": "value", name:\nvalue (botocore.auth)
    (
        re.compile(
            rf"(?P<key>(?<![\w-])(?:{_SECRET_NAMES})['\"]?\s*[:=]\s*(?:b?['\"])?)"
            r"(?P<value>[^\s'\"&,;<>]+)",
            re.IGNORECASE,
        ),
        rf"\g<key>{REDACTED}",
    ),
    # <SessionToken>value</SessionToken> (STS's XML responses)
    (
        re.compile(
            r"(?P<key><(?:\w+:)?(?:SessionToken|SecretAccessKey|SecurityToken|AccessKeyId"
            r"|Signature)>)[^<]+",
            re.IGNORECASE,
        ),
        rf"\g<key>{REDACTED}",
    ),
    # Credential=AKIA.../20240101/us-east-1/inspector2/aws4_request: the key, not the scope
    (
        re.compile(r"(?P<key>(?<![\w-])(?:X-Amz-)?Credential\s*=\s*)[^/%\s,'\"&]+", re.IGNORECASE),
        rf"\g<key>{REDACTED}",
    ),
    (re.compile(r"(?P<key>\bBearer\s+)[\w.~+/=-]+"), rf"\g<key>{REDACTED}"),
    # Access key ids wherever they appear (long-term AKIA, temporary ASIA, ...).
    (re.compile(r"\b(?P<key>AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\b"), rf"\g<key>{REDACTED}"),
)


def redact(text: str) -> str:
    """``text`` with AWS credentials and signatures replaced by ``[REDACTED]``.

    Examples:
        >>> print(redact("Authorization: AWS4-HMAC-SHA256 "
        ...     "Credential=ASIAIOSFODNN7EXAMPLE/20260101/us-east-1/inspector2/aws4_request, "
        ...     "SignedHeaders=host;x-amz-date;x-amz-security-token, Signature=fe5f80f77d5fa3be"))
        Authorization: AWS4-HMAC-SHA256 Credential=[REDACTED]/20260101/us-east-1/inspector2/aws4_request, SignedHeaders=host;x-amz-date;x-amz-security-token, Signature=[REDACTED]
        >>> redact('{"accessKeyId":"ASIAIOSFODNN7EXAMPLE","secretAccessKey":"wJalrXUtnFEMI/K7MDENG"}')
        '{"accessKeyId":"[REDACTED]","secretAccessKey":"[REDACTED]"}'
        >>> redact("ListFindings in eu-west-1: 200 OK")
        'ListFindings in eu-west-1: 200 OK'
    """  # noqa: E501
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


class RedactingFilter(logging.Filter):
    """A ``logging.Filter`` that redacts credentials from every record it sees.

    The record's message is formatted (``msg % args``) and redacted, then stored back as
    ``msg`` with no ``args``; the traceback text (``exc_text``) and ``stack_info`` are
    redacted too. Nothing is dropped. Put it on a *handler*
    (``handler.addFilter(RedactingFilter())``): a handler's filters see the records of
    every logger that propagates to it, a logger's filters only the records logged on
    that very logger.

    Examples:
        >>> import logging
        >>> record = logging.LogRecord("botocore.endpoint", logging.DEBUG, __file__, 1,
        ...     "Sending http request: %s", ({"X-Amz-Security-Token": b"FwoGZXIvYXdzEXAMPLE"},),
        ...     None)
        >>> RedactingFilter().filter(record), record.getMessage()
        (True, "Sending http request: {'X-Amz-Security-Token': b'[REDACTED]'}")
    """

    def filter(self, record: logging.LogRecord) -> bool:
        """Redact ``record`` in place; always keep it."""
        try:
            message = record.getMessage()
        except Exception:  # a malformed record: keep what it holds, redacted, not the error
            message = f"{record.msg!s} {record.args!r}"
        record.msg = redact(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


if TYPE_CHECKING:
    _StreamHandler = logging.StreamHandler[TextIO]
else:
    _StreamHandler = logging.StreamHandler


class _Handler(_StreamHandler):
    """The handler ``configure_logging`` installs (recognised to be replaced)."""


@keyword_only("stream", positional=1)
def configure_logging(
    level: int | str = logging.INFO,
    *,
    stream: TextIO | None = None,
    fmt: str = DEFAULT_FORMAT,
    loggers: Iterable[str] = LIBRARY_LOGGERS,
) -> logging.Handler:
    r"""Log inspector_kit, boto3, botocore and urllib3 to ``stream``, credentials redacted.

    Sets ``level`` on each of ``loggers`` (default
    [`LIBRARY_LOGGERS`][inspector_kit.logs.LIBRARY_LOGGERS]) and adds one handler to the root
    logger, writing to ``stream`` (default: ``sys.stderr``) in ``fmt``, with a
    [`RedactingFilter`][inspector_kit.logs.RedactingFilter]; a handler added by an earlier call is
    replaced, so calling it again changes the set-up rather than doubling every line. Records of
    other loggers that reach the root logger go through the same handler, redacted too.

    ``level="DEBUG"`` shows every request botocore makes (operation, URL, headers,
    response bodies) with the credentials redacted. If you log through handlers of your
    own, add ``RedactingFilter()`` to each of them as well.

    Returns:
        The handler; ``logging.getLogger().removeHandler(handler)`` undoes the set-up
        (the loggers keep their new level).

    Examples:
        >>> import io, logging
        >>> stream = io.StringIO()
        >>> handler = configure_logging("WARNING", stream=stream, fmt="%(levelname)s %(message)s")
        >>> logging.getLogger("inspector_kit.fetch").warning(
        ...     "eu-west-1 failed: AccessDenied for Credential=AKIAIOSFODNN7EXAMPLE/2026")
        >>> stream.getvalue()
        'WARNING eu-west-1 failed: AccessDenied for Credential=[REDACTED]/2026\n'
        >>> logging.getLogger().removeHandler(handler)
    """
    root = logging.getLogger()
    for old in [h for h in root.handlers if isinstance(h, _Handler)]:
        root.removeHandler(old)
    handler = _Handler(sys.stderr if stream is None else stream)
    handler.setFormatter(logging.Formatter(fmt))
    handler.addFilter(RedactingFilter())
    for name in loggers:
        logging.getLogger(name).setLevel(level)
    root.addHandler(handler)
    return handler
