"""``Inspector.findings_at_scale``: a findings report where there are many, ListFindings elsewhere.

The choice per region needs a count (``ListFindingAggregations``). Counting is an
optimisation, never a precondition: when it cannot be done (criteria that aggregations
do not take, the call denied, missing in a partition, a region failing, an answer that
does not decode) the region is read with ``ListFindings`` and the reason is recorded in
``FindingsAtScale.fallbacks`` and logged as a warning. A report that cannot be made
(another report in progress, the bucket or key refused) falls back the same way, as long
as nothing was read from it yet.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any, Literal

from inspector_kit.errors import CriteriaError, FetchError, InspectorKitError, PartialResultError

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Mapping

    from inspector_kit.criteria import FindingCriteria
    from inspector_kit.models import Finding

    from ._exports import FindingsExport
    from ._inspector import Inspector
    from ._stream import ItemIssue

__all__ = ["FindingsAtScale", "Route"]

logger = logging.getLogger("inspector_kit.fetch")

Route = Literal["ListFindings", "CreateFindingsReport"]


class FindingsAtScale:
    """The findings of ``Inspector.findings_at_scale``, and how each region was read.

    Iterate it once for the findings. Afterwards:

    * ``routes``: region -> ``"ListFindings"`` or ``"CreateFindingsReport"``;
    * ``counts``: region -> the ACTIVE findings counted (regions that were counted);
    * ``fallbacks``: region -> why it was read with ListFindings although a report
      was asked for or counting was (counting denied, criteria not countable, a report
      that could not be made...); empty when everything went as planned;
    * ``errors`` / [`item_errors`][inspector_kit.fetch.FindingsAtScale.item_errors] /
      [`raise_for_errors`][inspector_kit.fetch.FindingsAtScale.raise_for_errors]: as for
      [`FindingStream`][inspector_kit.fetch.FindingStream].

    Examples:
        When ``ListFindingAggregations`` is denied, every region is listed instead:

        >>> from inspector_kit import Inspector
        >>> from inspector_kit.testing import Faults, LoopbackInspector
        >>> denied = Faults(deny_regions={"us-east-1"}, operations=["ListFindingAggregations"])
        >>> with LoopbackInspector(faults=denied) as server:
        ...     inspector = server.inspector(regions=["us-east-1"])
        ...     result = inspector.findings_at_scale(
        ...         bucket="reports", kms_key_arn="arn:aws:kms:us-east-1:1:key/k", threshold=0)
        ...     found = list(result)
        >>> result.routes, len(found) > 0, result.errors
        ({'us-east-1': 'ListFindings'}, True, {})
        >>> print(result.fallbacks["us-east-1"])
        counting failed: us-east-1 ListFindingAggregations: AccessDeniedException: ...
    """

    def __init__(
        self,
        inspector: Inspector,
        criteria: FindingCriteria,
        *,
        threshold: int,
        strict: bool,
        export_options: Mapping[str, Any],
        export: Callable[..., FindingsExport] | None = None,
    ) -> None:
        self._inspector = inspector
        self._criteria = criteria
        self._threshold = threshold
        self._strict = strict
        self._export = dict(export_options)
        self._export_findings = export if export is not None else inspector.export_findings
        self._started = False
        self.routes: dict[str, Route] = {}
        self.counts: dict[str, int] = {}
        self.fallbacks: dict[str, str] = {}
        self.errors: dict[str, InspectorKitError] = {}
        self._item_errors: list[ItemIssue] = []

    @property
    def item_errors(self) -> tuple[ItemIssue, ...]:
        """Records that did not decode (from the ListFindings part), with region and path."""
        return tuple(self._item_errors)

    def raise_for_errors(self) -> None:
        """Raise ``PartialResultError`` if a region failed or a record was bad."""
        if self.errors or self._item_errors:
            raise PartialResultError(self.errors, item_errors=self._item_errors)

    def __iter__(self) -> Iterator[Finding]:
        if self._started:
            raise RuntimeError("this FindingsAtScale has already been iterated; call again")
        self._started = True
        return self._run()

    def _fall_back(self, region: str, reason: str) -> None:
        self.fallbacks[region] = reason
        logger.warning("findings_at_scale: %s read with ListFindings: %s", region, reason)

    def _count(self, regions: tuple[str, ...]) -> None:
        try:
            counted = self._inspector.count(self._criteria, regions=regions)
        except CriteriaError as exc:
            for region in regions:
                self._fall_back(
                    region, f"ListFindingAggregations cannot count these criteria ({exc})"
                )
            return
        bad = {e.region for e in counted.item_errors}
        totals = counted.by_region()
        for region in regions:
            error = counted.errors.get(region)
            if error is not None:
                self._fall_back(region, f"counting failed: {error}")
            elif region in bad:
                self._fall_back(region, "the count could not be read (see item_errors)")
                self._item_errors.extend(e for e in counted.item_errors if e.region == region)
            else:
                self.counts[region] = totals.get(region, 0)

    def _run(self) -> Iterator[Finding]:
        regions = self._inspector.regions
        self._count(regions)
        big = [r for r in regions if self.counts.get(r, 0) > self._threshold]
        small = [r for r in regions if r not in big]
        for region in big:
            logger.info(
                "findings_at_scale: %s has %d findings (> %d): reading a findings report",
                region,
                self.counts[region],
                self._threshold,
            )
            read = 0
            try:
                export = self._export_findings(
                    criteria=self._criteria, region=region, **self._export
                )
                for finding in export:
                    read += 1
                    yield finding
            except FetchError as exc:
                if self._strict:
                    raise
                if read:
                    self.errors[region] = exc
                    self.routes[region] = "CreateFindingsReport"
                    continue
                self._fall_back(region, f"the findings report could not be made: {exc}")
                small.append(region)
                continue
            self.routes[region] = "CreateFindingsReport"
        if small:
            order = [r for r in regions if r in small]
            stream = self._inspector.findings(self._criteria, regions=order, strict=self._strict)
            yield from stream
            self.routes.update(dict.fromkeys(order, "ListFindings"))
            self.errors.update(stream.errors)
            self._item_errors.extend(stream.item_errors)
