"""``RegionalModel``: a response model that remembers the region it was read from.

Inspector is a regional service, and most of its responses do not say which region they
describe (a ``CoveredResource``, a ``UsageTotal``, an ``AccountState`` carry no region).
A fetcher that fans out over regions attaches it while decoding:
``CoveredResource.from_api(item, region="eu-west-1")`` (or, on a model already built,
``model.with_region("eu-west-1")``). ``region`` is not an API member: ``to_api()`` leaves
it out, so the API shape round-trips unchanged.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import attrs

from ._codec import ApiModel, _decode_struct

if TYPE_CHECKING:
    from collections.abc import Mapping

    from typing_extensions import Self

    from inspector_kit.errors import FindingParseError

__all__ = ["RegionalModel"]


@attrs.frozen(kw_only=True)
class RegionalModel(ApiModel):
    """Base of the response models that carry the region they were fetched from.

    Examples:
        >>> from inspector_kit.models import Member
        >>> m = Member.from_api({"accountId": "111122223333"}, region="eu-west-1")
        >>> m.region, m.to_api()
        ('eu-west-1', {'accountId': '111122223333'})
        >>> Member.from_api({"accountId": "111122223333"}).region is None
        True
    """

    region: str | None = attrs.field(default=None)
    """The AWS region the response was read from: set by the fetcher; not an API member
    (``None`` when unknown, e.g. a model built from a saved payload)."""

    @classmethod
    def from_api(cls, data: Mapping[str, Any], *, region: str | None = None) -> Self:
        """Build the model from an API payload, recording the ``region`` it came from.

        Args:
            data: The API payload (a boto3 response item or parsed JSON).
            region: The region the payload was read from; not an API member, so
                [`to_api`][inspector_kit.models.RegionalModel] leaves it out. Nested models carry no
                region.

        Raises:
            FindingParseError: the payload does not fit the shape; the error names the
                field path and the offending value.
        """
        obj = _decode_struct(cls, data)
        if region is not None:
            # A fresh instance nobody else holds yet: setting the slot is safe, and
            # cheaper than attrs.evolve (which would run every converter again).
            object.__setattr__(obj, "region", region)
        return obj

    @classmethod
    def from_api_lenient(
        cls, data: Mapping[str, Any], *, region: str | None = None
    ) -> tuple[Self, tuple[FindingParseError, ...]]:
        """``ApiModel.from_api_lenient``, recording the ``region`` it came from.

        Examples:
            >>> from inspector_kit.models import Member
            >>> member, problems = Member.from_api_lenient({"accountId": 42}, region="eu-west-1")
            >>> member.account_id, member.region, [str(p) for p in problems]
            (None, 'eu-west-1', ['accountId: expected a string, got int (value: 42)'])
        """
        obj, problems = super().from_api_lenient(data)
        if region is not None:
            object.__setattr__(obj, "region", region)
        return obj, problems

    def with_region(self, region: str | None) -> Self:
        """A copy with ``region`` set (``self`` when it already has that region).

        Prefer ``from_api(data, region=...)`` when decoding; this is for models already
        built. Cheaper than ``attrs.evolve(model, region=...)``, which gives an equal
        result but validates every member again.

        Examples:
            >>> from inspector_kit.models import Counts
            >>> Counts.from_api({"count": 3}).with_region("sa-east-1")
            Counts(count=3, region='sa-east-1')
        """
        if region == self.region:
            return self
        copy = object.__new__(type(self))
        for field in attrs.fields(type(self)):
            object.__setattr__(copy, field.name, getattr(self, field.name))
        object.__setattr__(copy, "region", region)
        return copy
