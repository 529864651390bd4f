"""Typed filter criteria for ``ListFindings`` and ``ListCoverage``, checked before any request.

[`FindingCriteria`][inspector_kit.criteria.FindingCriteria] builds the ``filterCriteria`` argument
of ``ListFindings`` (also taken by ``CreateFilter``, ``UpdateFilter`` and ``CreateFindingsReport``):
the botocore ``FilterCriteria`` shape. [`CoverageCriteria`][inspector_kit.criteria.CoverageCriteria]
builds the one of ``ListCoverage`` and ``ListCoverageStatistics``: ``CoverageFilterCriteria``. Each
has one field per API member, in snake_case (``awsAccountId`` is ``aws_account_id``), holding a
tuple of filters. A field takes a single filter, a plain value (a ``str`` or one of our enum
members, meaning EQUALS), or any
iterable of those:

    >>> from inspector_kit.criteria import FindingCriteria, NumberFilter, StringFilter
    >>> from inspector_kit.models import Severity
    >>> crit = FindingCriteria(
    ...     severity=[Severity.CRITICAL, "HIGH"],
    ...     vulnerability_id="CVE-2024-3094",
    ...     inspector_score=NumberFilter(gte=7),
    ... )
    >>> crit
    FindingCriteria(severity=['CRITICAL', 'HIGH'], inspector_score=NumberFilter(gte=7),
                    vulnerability_id='CVE-2024-3094')
    >>> crit.to_api()["severity"]
    [{'comparison': 'EQUALS', 'value': 'CRITICAL'}, {'comparison': 'EQUALS', 'value': 'HIGH'}]
    >>> FindingCriteria.from_api(crit.to_api()) == crit
    True
    >>> sorted(crit.where(severity="CRITICAL", inspector_score=()).fields_set())
    ['severity', 'vulnerabilityId']

``to_api()`` gives exactly what botocore takes (timestamps stay ``datetime`` objects; botocore
serializes them), so ``client.list_findings(filterCriteria=crit.to_api())`` works with a plain
boto3 client too.

Where the checks happen:

* A filter checks its own shape when it is built, so ``NumberFilter(gte=9, lte=7)`` fails on
  that line. Its error ``path`` is relative to the filter (``lowerInclusive``, ``value``).
* A criteria object checks everything that depends on the field: the number of filters per
  criterion (1-10 in the model; an empty tuple means "not set"), plain values it turns into
  filters, and the limits that differ between the two operations. Its error paths are full
  API paths with list indexes: ``severity``, ``vulnerabilityId[2].value``,
  ``resourceTags[0].key``. [`FindingCriteria.from_api`][inspector_kit.criteria.FindingCriteria]
  reports the same paths.
* A string criterion whose values are a closed set in the service model (``severity``,
  ``findingStatus``, ``findingType``, ``resourceType``, ``fixAvailable``,
  ``exploitAvailable``, ``networkProtocol``, ``lambdaFunctionRuntime``,
  ``codeRepositoryProviderType``; for coverage ``scanType``, ``scanMode``, ``resourceType``,
  ``scanStatusCode``, ``scanStatusReason``, ``lambdaFunctionRuntime``) is checked against
  that set: ``severity="critical"`` or ``resource_type="EC2"`` would silently match nothing
  (a CI gate that goes green), so they raise a [`CriteriaError`][inspector_kit.errors.CriteriaError]
  naming the valid values and the likely one (``'CRITICAL'``, ``'AWS_EC2_INSTANCE'``). EQUALS and
  NOT_EQUALS need a valid value (a NOT_EQUALS with an impossible value excludes nothing, which is as
  surely a mistake); PREFIX needs a prefix of one. The sets are this version's enums, pinned to the
  botocore model by the tests. When AWS adds a value before this library knows it, pass
  ``StringFilter("NEW_VALUE", check=False)`` (see
  [`CLOSED_VALUES`][inspector_kit.criteria.CLOSED_VALUES]). The same holds for the
  ``runtimeReachability`` and ``runtimeReachabilityReason`` parts of a
  [`PackageFilter`][inspector_kit.criteria.PackageFilter] (EQUALS or NOT_EQUALS only) and the key
  of its ``purlQualifier``.

The package is pure: it never imports boto3 or botocore. The limits are constants in
``inspector_kit._limits``, copied from the botocore ``inspector2`` model rather than read
from it at run time, so the classes need no botocore session or data loader and cannot
disagree with limits loaded from another botocore version. The tests assert every
constant, member and filter shape against the installed model, so a model change fails the
test suite instead of drifting. ``inspector_kit.fetch`` re-exports these names (the old
module ``inspector_kit.fetch.criteria`` is a deprecated alias).

How ``ListCoverage`` filters differ from ``ListFindings`` ones (same classes, checked by
[`CoverageCriteria`][inspector_kit.criteria.CoverageCriteria]):

* ``CoverageStringFilter`` has no PREFIX comparison: only EQUALS and NOT_EQUALS.
* ``CoverageMapFilter``'s key and value are ``NonEmptyString`` (at least 1 character, no
  maximum); ``MapFilter``'s key is 1-128 characters and its value 0-256.
* ``CoverageNumberFilter``'s bounds are ``long``: whole numbers only (``3.0`` is sent as ``3``);
  ``NumberFilter``'s are ``double``.
* ``CoverageDateFilter`` is ``DateFilter`` under another name.

Combining criteria (``a & b``) concatenates the filters of each criterion. Different criteria
are ANDed by Inspector; several filters of one criterion are alternatives in the console
(several severities match any of them), which the API reference does not state
(**UNCONFIRMED**), so combining two criteria that both set ``severity`` widens that criterion.
"""

from ._closed import CLOSED_VALUES, check_closed
from ._coverage import CoverageCriteria
from ._filters import (
    DateFilter,
    MapFilter,
    NumberFilter,
    PackageFilter,
    PortRangeFilter,
    StringFilter,
)
from ._finding import FindingCriteria

__all__ = [
    "CLOSED_VALUES",
    "CoverageCriteria",
    "DateFilter",
    "FindingCriteria",
    "MapFilter",
    "NumberFilter",
    "PackageFilter",
    "PortRangeFilter",
    "StringFilter",
    "check_closed",
]
