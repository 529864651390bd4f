"""Limits of the Amazon Inspector service, in one leaf module that imports nothing.

Each constant is copied from botocore's ``inspector2`` service model (``service-2.json``)
rather than read from it at run time: the pure packages never load botocore, and a
constant cannot disagree with a model that another botocore version ships. The tests
compare every constant with the installed model, so a model change fails the test suite
instead of drifting. Sections are delimited per area.
"""

from __future__ import annotations

# --- criteria: FilterCriteria (ListFindings) and CoverageFilterCriteria (ListCoverage) ---
# tests/test_criteria_limits.py compares each constant with the botocore model.

#: Filters per criterion: every ``*FilterList`` of both criteria shapes is 1-10 long.
FILTER_LIST_MAX = 10
#: ``StringComparison``: the comparisons of a ``StringFilter`` (ListFindings).
STRING_COMPARISONS = ("EQUALS", "PREFIX", "NOT_EQUALS")
#: ``CoverageStringComparison``: the comparisons of a ``CoverageStringFilter`` (no PREFIX).
COVERAGE_STRING_COMPARISONS = ("EQUALS", "NOT_EQUALS")
#: ``StringInput`` and ``CoverageStringInput``: a string filter's value, (min, max) length.
STRING_VALUE_LENGTH = (1, 1024)
#: ``MapComparison`` and ``CoverageMapComparison``: the comparisons of a map (tag) filter.
MAP_COMPARISONS = ("EQUALS",)
#: ``MapKey``: a ``MapFilter`` key, (min, max) length.
MAP_KEY_LENGTH = (1, 128)
#: ``MapValue``: a ``MapFilter`` value, (min, max) length.
MAP_VALUE_LENGTH = (0, 256)
#: ``NonEmptyString``: a ``CoverageMapFilter`` key, (min, max) length; no maximum.
COVERAGE_MAP_KEY_LENGTH: tuple[int, int | None] = (1, None)
#: ``NonEmptyString``: a ``CoverageMapFilter`` value, (min, max) length; no maximum.
COVERAGE_MAP_VALUE_LENGTH: tuple[int, int | None] = (1, None)
#: ``Port``: the bounds of a ``PortRangeFilter``, inclusive.
PORT_RANGE = (0, 65535)
#: ``Long`` (a ``CoverageNumberFilter`` bound): no limit in the model; the wire type's range.
LONG_RANGE = (-(2**63), 2**63 - 1)

# --- end of criteria ---
