"""Lenient, per-record decoding of one region's answers, shared by the areas."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from inspector_kit.errors import FindingParseError
from inspector_kit.models import RegionalModel

from ._stream import ItemIssue

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

__all__ = ["Records", "regional", "strip_metadata"]


def regional(cls: Any) -> Callable[[Any, str], tuple[Any, tuple[FindingParseError, ...]]]:
    """Lenient decoding of one response item, with the region it came from."""

    def decode(raw: Any, region: str) -> tuple[Any, tuple[FindingParseError, ...]]:
        decoded: tuple[Any, tuple[FindingParseError, ...]] = cls.from_api_lenient(
            raw, region=region
        )
        return decoded

    return decode


def strip_metadata(response: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in response.items() if k != "ResponseMetadata"}


class Records:
    """Lenient, per-record decoding of one region's answers, collecting what was wrong.

    One record that does not fit the service model never fails its region: it is kept
    without the broken members, or skipped when it cannot be kept, and each problem
    becomes an [`ItemIssue`][inspector_kit.fetch.ItemIssue] (see ``ApiModel.from_api_lenient``).
    With ``strict`` the first problem is raised instead.
    """

    def __init__(self, region: str, *, strict: bool) -> None:
        self.region = region
        self.strict = strict
        self.errors: list[ItemIssue] = []

    def decode(self, cls: type[Any], raws: Any, page: int) -> list[Any]:
        """The records of one response member (a list, or absent) that could be kept."""
        if raws is None:
            return []
        if not isinstance(raws, list):
            self.skip(FindingParseError(f"expected a list of {cls.__name__}", raws), page, 0)
            return []
        out = []
        for index, raw in enumerate(raws):
            item = self.one(cls, raw, page, index)
            if item is not None:
                out.append(item)
        return out

    def one(self, cls: type[Any], raw: Any, page: int, index: int, *, path: str = "") -> Any:
        """One record, or ``None`` when it could not be kept (reported either way)."""
        regional = issubclass(cls, RegionalModel)
        try:
            if regional:
                item, problems = cls.from_api_lenient(raw, region=self.region)
            else:
                item, problems = cls.from_api_lenient(raw)
        except FindingParseError as exc:
            if path:
                exc._prepend(path)
            self.skip(exc, page, index)
            return None
        for problem in problems:
            if path:
                problem._prepend(path)
            self._report(ItemIssue(self.region, page, index, problem, kept=True))
        return item

    def integer(self, raw: Any, default: int, page: int) -> int:
        """A count from a response (``totalCounts``); a bad one is reported, not raised."""
        if raw is None:
            return default
        if isinstance(raw, int) and not isinstance(raw, bool):
            return raw
        self.skip(FindingParseError("expected an integer", raw), page, 0)
        return default

    def skip(self, error: FindingParseError, page: int, index: int) -> None:
        """Report a record that could not be kept."""
        self._report(ItemIssue(self.region, page, index, error))

    def _report(self, item_error: ItemIssue) -> None:
        if self.strict:
            raise item_error.error
        self.errors.append(item_error)
