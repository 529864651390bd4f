"""Acknowledgements: who reviewed which finding, when, and what they decided.

A [`Review`][inspector_kit.triage.Review] records one decision on one finding (by its ARN):

- ``ACCEPT_RISK`` until a date: the finding leaves the queue until that date; from that
  date the rule's deadline counts again, from that date;
- ``FIX_BY`` a date: the finding is due that date (a CISA KEV due date still tightens it);
- ``FALSE_POSITIVE``: the finding leaves the queue for good, unless it changes (below);
- ``REVIEWED``: looked at; the rule's deadline counts again, from the review.

It also keeps the severity and status the reviewer saw. A finding **re-enters** the queue,
whatever the decision, when Inspector re-opened it (its status is not the one seen at review,
or the review saw it CLOSED and Inspector observed or updated it after the review) or when
its severity rose above the one seen at review. A re-entered finding's deadline counts from
the later of the review and the finding's ``updatedAt`` (when Inspector last changed it).

A [`ReviewLog`][inspector_kit.triage.ReviewLog] holds reviews in memory and in a plain file
that a team can keep in git: JSON Lines, one review per line, in the order they were
appended, each line's keys in one fixed order (so a new review is a one-line diff). Reading
is lenient by default: a malformed line is listed in ``ReviewLog.problems`` with its line
number and the others are read; ``strict=True`` raises
[`ReviewLogError`][inspector_kit.errors.ReviewLogError] instead.

Examples:
    >>> from datetime import date, datetime, timezone
    >>> log = ReviewLog()
    >>> log.append(Review(finding_arn="arn:f1", reviewer="aiko", decision="FIX_BY",
    ...     until=date(2026, 12, 18), reviewed_at=datetime(2026, 12, 7, 1, tzinfo=timezone.utc),
    ...     severity="HIGH", status="ACTIVE"))
    >>> print(log.to_jsonl(), end="")  # doctest: +NORMALIZE_WHITESPACE
    {"finding_arn": "arn:f1", "reviewed_at": "2026-12-07T01:00:00+00:00", "reviewer": "aiko",
     "decision": "FIX_BY", "until": "2026-12-18", "severity": "HIGH", "status": "ACTIVE",
     "note": ""}
"""

from __future__ import annotations

import json
from datetime import date, datetime, timezone
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from inspector_kit.errors import ReviewLogError, TriageError, TriageTypeError
from inspector_kit.models import FindingStatus, Severity, severity_rank

from ._values import _CONTROL, _name, _short, read_text_file

if TYPE_CHECKING:
    import os
    from collections.abc import Iterable, Iterator

    from inspector_kit.models import Finding

__all__ = ["MAX_REVIEW_LOG_BYTES", "Decision", "Review", "ReviewLog", "review_change"]

#: The largest review log read, in bytes (override with ``max_bytes=``): about 100,000 reviews.
MAX_REVIEW_LOG_BYTES = 32 * 1024 * 1024

_KEYS = (
    "finding_arn",
    "reviewed_at",
    "reviewer",
    "decision",
    "until",
    "severity",
    "status",
    "note",
)


class Decision(str, Enum):
    """What a reviewer decided (see the module docs for what each does to the plan).

    Examples:
        >>> [d.value for d in Decision]
        ['ACCEPT_RISK', 'FIX_BY', 'FALSE_POSITIVE', 'REVIEWED']
    """

    ACCEPT_RISK = "ACCEPT_RISK"
    FIX_BY = "FIX_BY"
    FALSE_POSITIVE = "FALSE_POSITIVE"
    REVIEWED = "REVIEWED"


_DATED = (Decision.ACCEPT_RISK, Decision.FIX_BY)


def _decision(value: Decision | str) -> Decision:
    try:
        return Decision(_name(value).upper())
    except ValueError:
        known = ", ".join(d.value for d in Decision)
        shown = _short(_name(value))
        raise TriageError(f"unknown decision {shown} (expected one of: {known})") from None


def _text(value: object, what: str, *, empty: bool = False) -> str:
    if not isinstance(value, str):
        raise TriageTypeError(f"{what} must be a string, got {_short(value)}")
    if not empty and not value.strip():
        raise TriageError(f"{what} must be a non-empty string")
    if what != "note" and _CONTROL.search(value):
        raise TriageError(f"{what} must not hold control characters, got {_short(value)}")
    return value


def _arn(value: object) -> str:
    return _text(value, "finding_arn")


def _reviewer(value: object) -> str:
    return _text(value, "reviewer")


def _note(value: object) -> str:
    return _text(value, "note", empty=True)


def _aware(value: object) -> datetime:
    if not isinstance(value, datetime):
        raise TriageTypeError(f"reviewed_at must be an aware datetime, got {_short(value)}")
    if value.tzinfo is None or value.utcoffset() is None:
        raise TriageError(
            f"reviewed_at must be aware (say its time zone), got the naive {value.isoformat()}"
        )
    return value.astimezone(timezone.utc)


def _until(value: object) -> date | None:
    if value is None:
        return None
    if isinstance(value, datetime) or not isinstance(value, date):
        raise TriageTypeError(f"until must be a date, got {_short(value)}")
    return value


def _seen_severity(value: Severity | str | None) -> Severity | str | None:
    if value is None:
        return None
    name = _name(value).upper()
    return Severity(name) if name in Severity.__members__ else name


def _seen_status(value: FindingStatus | str | None) -> FindingStatus | str | None:
    if value is None:
        return None
    name = _name(value).upper()
    return FindingStatus(name) if name in FindingStatus.__members__ else name


def _check_until(instance: Review, _attribute: object, value: date | None) -> None:
    if instance.decision in _DATED and value is None:
        raise TriageError(f"a {instance.decision.value} review needs until= (a date)")
    if instance.decision not in _DATED and value is not None:
        raise TriageError(
            f"a {instance.decision.value} review takes no until= (only ACCEPT_RISK and FIX_BY do)"
        )


@attrs.frozen(kw_only=True)
class Review:
    """One reviewer's decision on one finding.

    Attributes:
        finding_arn: The finding's ARN.
        reviewer: Who reviewed it (a name or an email; free text without control characters).
        reviewed_at: When (aware; kept in UTC).
        decision: A [`Decision`][inspector_kit.triage.Decision] (or its name).
        until: ``ACCEPT_RISK``: the risk is accepted until this date; ``FIX_BY``: the date
            it is due. ``None`` for the other decisions.
        severity: The severity the reviewer saw (``None``: not recorded, so a rise cannot be
            told).
        status: The status the reviewer saw (``None``: not recorded).
        note: Free text.

    Raises:
        TriageError: an unknown decision, a naive ``reviewed_at``, ``until`` missing for
            ACCEPT_RISK or FIX_BY (or given for the others), an empty ARN or reviewer.

    Examples:
        >>> from datetime import date, datetime, timezone
        >>> r = Review(finding_arn="arn:f1", reviewer="aiko", decision="ACCEPT_RISK",
        ...     until=date(2027, 1, 31), reviewed_at=datetime(2026, 12, 7, tzinfo=timezone.utc))
        >>> r.decision.value, str(r)
        ('ACCEPT_RISK', 'ACCEPT_RISK until 2027-01-31 by aiko on 2026-12-07')
    """

    finding_arn: str = attrs.field(converter=_arn)
    reviewer: str = attrs.field(converter=_reviewer)
    reviewed_at: datetime = attrs.field(converter=_aware)
    decision: Decision = attrs.field(converter=_decision)
    until: date | None = attrs.field(default=None, converter=_until, validator=_check_until)
    severity: Severity | str | None = attrs.field(default=None, converter=_seen_severity)
    status: FindingStatus | str | None = attrs.field(default=None, converter=_seen_status)
    note: str = attrs.field(default="", converter=_note)

    @classmethod
    def of(
        cls,
        finding: Finding,
        *,
        reviewer: str,
        decision: Decision | str,
        at: datetime,
        until: date | None = None,
        note: str = "",
    ) -> Review:
        """A review of ``finding`` at ``at``, recording the severity and status seen then.

        Examples:
            >>> from datetime import datetime, timezone
            >>> from inspector_kit import Finding
            >>> from inspector_kit.testing import finding_payload
            >>> f = Finding.from_api(finding_payload(severity="HIGH"))
            >>> r = Review.of(f, reviewer="aiko", decision="REVIEWED",
            ...     at=datetime(2026, 12, 7, tzinfo=timezone.utc))
            >>> r.severity, r.status
            (<Severity.HIGH: 'HIGH'>, <FindingStatus.ACTIVE: 'ACTIVE'>)
        """
        return cls(
            finding_arn=finding.finding_arn,
            reviewer=reviewer,
            reviewed_at=at,
            decision=decision,
            until=until,
            severity=finding.severity,
            status=finding.status,
            note=note,
        )

    def __str__(self) -> str:
        until = f" until {self.until}" if self.decision is Decision.ACCEPT_RISK else ""
        by = f" {self.until}" if self.decision is Decision.FIX_BY else ""
        return f"{self.decision.value}{until}{by} by {self.reviewer} on {self.reviewed_at.date()}"

    def to_dict(self) -> dict[str, str | None]:
        """The review as one JSON-ready mapping, keys in the file's fixed order.

        Examples:
            >>> from datetime import datetime, timezone
            >>> Review(finding_arn="arn:f1", reviewer="aiko", decision="REVIEWED",
            ...     reviewed_at=datetime(2026, 12, 7, tzinfo=timezone.utc)).to_dict()["reviewed_at"]
            '2026-12-07T00:00:00+00:00'
        """
        return {
            "finding_arn": self.finding_arn,
            "reviewed_at": self.reviewed_at.isoformat(),
            "reviewer": self.reviewer,
            "decision": self.decision.value,
            "until": None if self.until is None else self.until.isoformat(),
            "severity": None if self.severity is None else _name(self.severity),
            "status": None if self.status is None else _name(self.status),
            "note": self.note,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Review:
        """The review [`to_dict`][inspector_kit.triage.Review.to_dict] gave.

        Raises:
            TriageError: a missing or unknown key, or a value that cannot be used.

        Examples:
            >>> from datetime import datetime, timezone
            >>> r = Review(finding_arn="arn:f1", reviewer="aiko", decision="REVIEWED",
            ...     reviewed_at=datetime(2026, 12, 7, tzinfo=timezone.utc))
            >>> Review.from_dict(r.to_dict()) == r
            True
        """
        unknown = sorted(set(data) - set(_KEYS))
        if unknown:
            raise TriageError(f"unknown key {_short(unknown[0])} (expected: {', '.join(_KEYS)})")
        for key in ("finding_arn", "reviewed_at", "reviewer", "decision"):
            if data.get(key) is None:
                raise TriageError(f"{key} is required")
        at = data["reviewed_at"]
        until = data.get("until")
        try:
            moment = datetime.fromisoformat(at) if isinstance(at, str) else at
            day = date.fromisoformat(until) if isinstance(until, str) else until
        except ValueError as exc:
            raise TriageError(f"not an ISO 8601 date or time: {exc}") from None
        return cls(
            finding_arn=data["finding_arn"],
            reviewer=data["reviewer"],
            reviewed_at=moment,
            decision=data["decision"],
            until=day,
            severity=data.get("severity"),
            status=data.get("status"),
            note=data.get("note") or "",
        )


def review_change(finding: Finding, review: Review) -> str | None:
    """Why ``finding`` re-enters the queue despite ``review``, or ``None`` when it does not.

    Examples:
        >>> from datetime import datetime, timezone
        >>> from inspector_kit import Finding
        >>> from inspector_kit.testing import finding_payload
        >>> f = Finding.from_api(finding_payload(severity="HIGH"))
        >>> r = Review(finding_arn=f.finding_arn, reviewer="aiko", decision="FALSE_POSITIVE",
        ...     reviewed_at=datetime(2026, 12, 7, tzinfo=timezone.utc), severity="MEDIUM")
        >>> review_change(f, r)
        'severity rose from MEDIUM to HIGH since the review'
    """
    status = _name(finding.status)
    if review.status is not None and status != _name(review.status):
        return f"status changed from {_name(review.status)} to {status} since the review"
    if review.status is not None and _name(review.status) == "CLOSED":
        seen = (("observed", finding.last_observed_at), ("updated", finding.updated_at))
        for what, moment in seen:
            if moment is not None and moment > review.reviewed_at:
                return f"Inspector {what} it at {moment.isoformat()}, after it was reviewed CLOSED"
    if review.severity is not None and severity_rank(finding.severity) > severity_rank(
        review.severity
    ):
        return (
            f"severity rose from {_name(review.severity)} to {_name(finding.severity)} "
            "since the review"
        )
    return None


class ReviewLog:
    """Reviews in memory, in append order; load and save them as JSON Lines.

    Attributes:
        problems: The malformed entries met when reading (``"<source> line N: ..."``);
            empty for a log built in memory.

    Examples:
        >>> from datetime import datetime, timedelta, timezone
        >>> at = datetime(2026, 12, 7, tzinfo=timezone.utc)
        >>> log = ReviewLog([
        ...     Review(finding_arn="arn:f1", reviewer="aiko", decision="REVIEWED", reviewed_at=at),
        ...     Review(finding_arn="arn:f1", reviewer="ken", decision="FALSE_POSITIVE",
        ...            reviewed_at=at + timedelta(days=1)),
        ... ])
        >>> len(log), log.latest("arn:f1").reviewer, log.latest("arn:other") is None
        (2, 'ken', True)
    """

    __slots__ = ("_latest", "_reviews", "problems")

    def __init__(self, reviews: Iterable[Review] = (), *, problems: Iterable[str] = ()) -> None:
        self._reviews: list[Review] = []
        self._latest: dict[str, Review] = {}
        self.problems: tuple[str, ...] = tuple(problems)
        self.extend(reviews)

    def append(self, review: Review) -> None:
        """Add ``review`` at the end.

        Raises:
            TriageTypeError: ``review`` is not a [`Review`][inspector_kit.triage.Review].

        Examples:
            >>> from datetime import datetime, timezone
            >>> log = ReviewLog()
            >>> log.append(Review(finding_arn="arn:f1", reviewer="aiko", decision="REVIEWED",
            ...     reviewed_at=datetime(2026, 12, 7, tzinfo=timezone.utc)))
            >>> len(log)
            1
        """
        if not isinstance(review, Review):
            raise TriageTypeError(f"a ReviewLog holds Review values, got {_short(review)}")
        self._reviews.append(review)
        current = self._latest.get(review.finding_arn)
        if current is None or review.reviewed_at >= current.reviewed_at:
            self._latest[review.finding_arn] = review

    def extend(self, reviews: Iterable[Review]) -> None:
        """Add every review of ``reviews``, in order.

        Examples:
            >>> log = ReviewLog()
            >>> log.extend([])
            >>> len(log)
            0
        """
        for review in reviews:
            self.append(review)

    def latest(self, finding_arn: str) -> Review | None:
        """The latest review of a finding (by ``reviewed_at``; on a tie, the later appended).

        Examples:
            >>> ReviewLog().latest("arn:f1") is None
            True
        """
        return self._latest.get(finding_arn)

    def __iter__(self) -> Iterator[Review]:
        return iter(self._reviews)

    def __len__(self) -> int:
        return len(self._reviews)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ReviewLog):
            return NotImplemented
        return self._reviews == other._reviews

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        extra = f", {len(self.problems)} problems" if self.problems else ""
        return f"<ReviewLog: {len(self._reviews)} reviews of {len(self._latest)} findings{extra}>"

    # ------------------------------------------------------------------------- files

    def to_jsonl(self) -> str:
        """The log as JSON Lines: one review per line, in append order.

        Examples:
            >>> ReviewLog().to_jsonl()
            ''
        """
        return "".join(json.dumps(r.to_dict(), ensure_ascii=False) + "\n" for r in self._reviews)

    @classmethod
    def from_jsonl(cls, text: str, *, source: str = "<reviews>", strict: bool = False) -> ReviewLog:
        r"""Read JSON Lines text: good lines become reviews, bad ones ``problems``.

        Blank lines and lines starting with ``#`` are skipped (comments).

        Raises:
            ReviewLogError: ``strict=True`` and some line is malformed.

        Examples:
            >>> text = (
            ...     '# reviews of the prod account\n'
            ...     '{"finding_arn": "arn:f1", "reviewed_at": "2026-12-07T09:00:00+09:00", '
            ...     '"reviewer": "aiko", "decision": "REVIEWED"}\n'
            ...     '{"finding_arn": "arn:f2", "reviewer": "ken", "decision": "FIX_BY"}\n'
            ... )
            >>> log = ReviewLog.from_jsonl(text, source="reviews.jsonl")
            >>> len(log), log.problems
            (1, ('reviews.jsonl line 3: reviewed_at is required',))
        """
        reviews: list[Review] = []
        problems: list[str] = []
        for number, line in enumerate(text.splitlines(), start=1):
            stripped = line.strip()
            if not stripped or stripped.startswith("#"):
                continue
            where = f"{source} line {number}"
            try:
                data = json.loads(stripped)
            except ValueError as exc:
                problems.append(f"{where}: not valid JSON: {exc}")
                continue
            except RecursionError:  # thousands of nested brackets on one line
                problems.append(f"{where}: not valid JSON: nested too deeply")
                continue
            if not isinstance(data, dict):
                problems.append(f"{where}: expected a JSON object, got {type(data).__name__}")
                continue
            try:
                reviews.append(Review.from_dict(data))
            except (TriageError, TypeError) as exc:
                problems.append(f"{where}: {exc}")
        if strict and problems:
            raise ReviewLogError(source, problems)
        return cls(reviews, problems=problems)

    @classmethod
    def load(
        cls,
        path: str | os.PathLike[str],
        *,
        strict: bool = False,
        max_bytes: int = MAX_REVIEW_LOG_BYTES,
    ) -> ReviewLog:
        """Read a review log file (UTF-8 JSON Lines, at most ``max_bytes``).

        A missing file is an error, not an empty log: a mistyped path must not plan as if
        nothing had been reviewed (start a new log with ``ReviewLog()`` and ``save``).

        Raises:
            ReviewLogError: the file is missing, unreadable, too large or not UTF-8; or
                ``strict=True`` and some line is malformed.

        Examples:
            >>> import pathlib, tempfile
            >>> with tempfile.TemporaryDirectory() as tmp:
            ...     ReviewLog.load(pathlib.Path(tmp, "reviews.jsonl"))
            Traceback (most recent call last):
            ...
            inspector_kit.errors.ReviewLogError: reviews.jsonl: 1 problem in the review log
              ...reviews.jsonl: cannot read the file: No such file or directory
        """
        file = Path(path)
        where = file.name
        text = read_text_file(file, where, max_bytes, ReviewLogError)
        return cls.from_jsonl(text, source=where, strict=strict)

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write [`to_jsonl`][inspector_kit.triage.ReviewLog.to_jsonl] to ``path`` (UTF-8).

        Examples:
            >>> import pathlib, tempfile
            >>> from datetime import datetime, timezone
            >>> log = ReviewLog([Review(finding_arn="arn:f1", reviewer="aiko",
            ...     decision="REVIEWED", reviewed_at=datetime(2026, 12, 7, tzinfo=timezone.utc))])
            >>> with tempfile.TemporaryDirectory() as tmp:
            ...     log.save(pathlib.Path(tmp, "reviews.jsonl"))
            ...     ReviewLog.load(pathlib.Path(tmp, "reviews.jsonl")) == log
            True
        """
        Path(path).write_text(self.to_jsonl(), encoding="utf-8")
