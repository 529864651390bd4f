"""Every parser, fed generated and mutated input, raises only inspector_kit's errors.

Issue 14 ("no hang, no injection, no silent loss, no foreign exception"), proof for item 15:
one property test per parser (snapshots, SBOMs, CVSS vectors, timestamps) over generated
and mutated bytes/strings, asserting that only ``InspectorKitError`` subclasses escape; and,
for the batch parsers (a snapshot file's findings, an SBOM's components), that every good
record of a batch holding bad ones is delivered and every bad one reported, in order.

Each test runs 30-100 examples by default (a few seconds in all); with
``HYPOTHESIS_PROFILE=thorough`` (``tests/conftest.py``) each runs 2,000.
"""

from __future__ import annotations

import dataclasses
import gzip
import json
import logging
import tempfile
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from inspector_kit import Finding, FindingParseError, InspectorKitError, SourceFormatError
from inspector_kit.errors import SnapshotError, TimestampError
from inspector_kit.history import Snapshot
from inspector_kit.models import parse_timestamp
from inspector_kit.sbom import (
    SbomDocument,
    SbomFormatError,
    join_findings,
    parse_cyclonedx,
    purl_key,
)
from inspector_kit.scoring import CvssVector, InvalidVectorError, parse_vector
from inspector_kit.testing import finding_payload

from .conftest import examples
from .service_model import json_values, timestamps

UTC = timezone.utc
FIXTURES = Path(__file__).parent / "fixtures"
SBOM = (FIXTURES / "aws_examples" / "sbom" / "cyclonedx_ecr_image.json").read_bytes()

# Files are written to one folder per module: hypothesis runs each test many times, and a
# function-scoped tmp_path would be shared by all of them anyway.
pytestmark = pytest.mark.filterwarnings("error")


@pytest.fixture(scope="module")
def folder() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as name:
        yield Path(name)


@pytest.fixture(autouse=True)
def _quiet(caplog: pytest.LogCaptureFixture) -> None:
    """Bad records are logged at WARNING by design; keep the output short."""
    caplog.set_level(logging.ERROR)


# Example counts are given for the "standard" profile (100 examples) and scaled to the
# profile in use (the fast default, or HYPOTHESIS_PROFILE=thorough); see conftest.examples.


def _examples(n: int, *, files: bool = False) -> settings:
    checks = [HealthCheck.function_scoped_fixture] if files else []
    return settings(max_examples=examples(n), suppress_health_check=checks)


# ----------------------------------------------------------------------------- mutations


@st.composite
def mutated_text(draw: st.DrawFn, text: str, alphabet: str = "") -> str:
    """``text`` after 1-4 edits: insert, delete, replace, duplicate, cut, change case."""
    chars = st.characters() | st.sampled_from(alphabet or " \t\n\x00/:.,-+Z\u202f\ud800")
    for _ in range(draw(st.integers(1, 4))):
        i = draw(st.integers(0, len(text)))
        j = draw(st.integers(i, min(len(text), i + 8)))
        op = draw(st.integers(0, 6))
        if op == 0:
            text = text[:i] + draw(chars) + text[i:]
        elif op == 1:
            text = text[:i] + text[j:]
        elif op == 2:
            text = text[:i] + draw(chars) + text[i + 1 :]
        elif op == 3:
            text = text[:j] + text[i:j] + text[j:]
        elif op == 4:
            text = text[:i]
        elif op == 5:
            text = text[:i] + text[i:j].swapcase() + text[j:]
        else:
            text = text[:i] + draw(st.sampled_from(["9" * 40, "e999", " " * 30, "-"])) + text[i:]
    return text


@st.composite
def mutated_bytes(draw: st.DrawFn, data: bytes) -> bytes:
    """``data`` after 1-4 byte edits: flip, insert, delete, duplicate, cut."""
    out = bytearray(data)
    for _ in range(draw(st.integers(1, 4))):
        i = draw(st.integers(0, len(out)))
        j = draw(st.integers(i, min(len(out), i + 64)))
        op = draw(st.integers(0, 4))
        if op == 0 and i < len(out):
            out[i] ^= draw(st.integers(1, 255))
        elif op == 1:
            out[i:i] = draw(st.binary(min_size=1, max_size=8))
        elif op == 2:
            del out[i:j]
        elif op == 3:
            out[j:j] = out[i:j]
        else:
            del out[i:]
    return bytes(out)


# ----------------------------------------------------------------------------- timestamps

offsets = st.integers(-23 * 60 - 59, 23 * 60 + 59).map(lambda m: timezone(timedelta(minutes=m)))
anything = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(-(10**400), 10**400),
    st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.sampled_from([Decimal("sNaN"), Decimal("-1e999999999"), Decimal("1e-999999999")]),
    st.text(),
    st.binary(max_size=20),
    st.datetimes(timezones=st.none() | offsets),
    st.lists(st.integers(), max_size=2),
    json_values,
)


def _check_timestamp(value: object) -> None:
    try:
        result = parse_timestamp(value)
    except TimestampError as exc:
        assert isinstance(exc, InspectorKitError) and isinstance(exc, ValueError)
        assert exc.value is value and str(exc)
    else:
        assert isinstance(result, datetime) and result.tzinfo is UTC


@given(anything)
def test_timestamps_any_value(value: object) -> None:
    _check_timestamp(value)


@given(timestamps().flatmap(lambda pair: mutated_text(str(pair[0]), "0123456789:-TZ .+")))
def test_timestamps_mutated_strings(text: str) -> None:
    _check_timestamp(text)


# ----------------------------------------------------------------------------- vectors

from inspector_kit.scoring._metrics import SPECS  # noqa: E402 - the grammar under test

VECTOR_CHARS = "/:()ACEHILMNPRSTUVX.0134abcdefg \t"


@st.composite
def vectors(draw: st.DrawFn) -> str:
    """A valid vector of any version, metrics in any order."""
    spec = SPECS[draw(st.sampled_from(["2.0", "3.0", "3.1", "4.0"]))]
    chosen = [m for m in spec.order if m in spec.mandatory or draw(st.booleans())]
    parts = [f"{m}:{draw(st.sampled_from(spec.values[m]))}" for m in draw(st.permutations(chosen))]
    return spec.prefix + "/".join(parts)


versions = st.one_of(
    st.sampled_from([None, "2", "2.0", "3.0", "3.1", "4.0", "4", "3", "", "CVSS:3.1"]),
    st.text(max_size=5),
    st.integers(),
    st.floats(),
    st.binary(max_size=3),
)


def _check_vector(text: object, version: object) -> None:
    try:
        vector = parse_vector(text, version=version)  # type: ignore[arg-type]
    except InvalidVectorError as exc:
        assert isinstance(exc.vector, str) and exc.reason and str(exc)
    else:
        assert isinstance(vector, CvssVector)
        assert parse_vector(str(vector), version=vector.version) == vector


@_examples(60)
@given(
    vectors().flatmap(lambda v: st.tuples(st.just(v), mutated_text(v, VECTOR_CHARS))),
    versions,
    st.dictionaries(st.text(max_size=4), st.none() | st.text(max_size=3) | st.integers()),
)
def test_vectors_generated_mutated_and_changed(
    texts: tuple[str, str], version: object, changes: dict[str, Any]
) -> None:
    """One generated vector: as given, mutated, and changed with ``with_metrics``."""
    text, mutated = texts
    _check_vector(text, version)
    _check_vector(mutated, version)
    vector = parse_vector(text)
    try:
        changed = vector.with_metrics(**changes)
    except InvalidVectorError:
        return
    assert changed.version == vector.version


# ----------------------------------------------------------------------------- SBOMs


def _check_sbom(document: Any) -> SbomDocument | None:
    try:
        doc = parse_cyclonedx(document, source="doc.json")
    except SbomFormatError as exc:
        assert exc.source == "doc.json" and exc.path.startswith("$") and str(exc)
        return None
    assert all(isinstance(e, SbomFormatError) and e.source == "doc.json" for e in doc.errors)
    # What a caller does next must not raise either.
    for component in doc.components:
        purl_key(component.package_url)
    join_findings([doc], FINDINGS)
    hash(doc)
    return doc


@given(mutated_bytes(SBOM))
def test_sbom_mutated_bytes(data: bytes) -> None:
    _check_sbom(data)


@given(mutated_text(SBOM.decode(), '{}[]":,0123456789.-'))
def test_sbom_mutated_text(text: str) -> None:
    _check_sbom(text)


_SBOM_PLACES = (
    ("bomFormat",),
    ("specVersion",),
    ("metadata",),
    ("metadata", "properties"),
    ("metadata", "properties", 0),
    ("metadata", "properties", 0, "value"),
    ("components",),
    ("components", 0),
    ("components", 0, "name"),
    ("components", 0, "purl"),
    ("components", 0, "version"),
    ("components", 3, "properties"),
    ("components", 3, "properties", 0, "name"),
)


@given(st.sampled_from(_SBOM_PLACES), json_values | st.text(max_size=80))
def test_sbom_wrong_values_anywhere(place: tuple[Any, ...], value: Any) -> None:
    document = json.loads(SBOM)
    target = document
    for step in place[:-1]:
        target = target[step]
    target[place[-1]] = value
    _check_sbom(document)


@_examples(60)
@given(st.lists(st.tuples(st.booleans(), json_values | st.text(max_size=60)), max_size=12))
def test_sbom_good_components_are_delivered_and_bad_ones_reported(
    batch: list[tuple[bool, Any]],
) -> None:
    good_component = json.loads(SBOM)["components"][0]
    components = []
    for n, (good, junk) in enumerate(batch):
        if good:
            components.append({**good_component, "name": f"c{n}"})
        else:
            assume(not _is_component(junk))
            components.append(junk)
    doc = parse_cyclonedx(
        {"bomFormat": "CycloneDX", "specVersion": "1.4", "components": components}
    )
    assert [c.name for c in doc.components] == [f"c{n}" for n, (g, _) in enumerate(batch) if g]
    reported = [int(e.path.split("[")[1].split("]")[0]) for e in doc.errors]
    assert reported == [n for n, (good, _) in enumerate(batch) if not good]


def _is_component(value: Any) -> bool:
    return (
        isinstance(value, dict)
        and isinstance(value.get("name"), str)
        and isinstance(value.get("type"), str)
    )


# ----------------------------------------------------------------------------- snapshots

TAKEN = datetime(2026, 11, 2, tzinfo=UTC)
FINDINGS = tuple(
    Finding.from_api(
        finding_payload(findingArn=f"arn:aws:inspector2:eu-west-1:111122223333:finding/f{n}")
    )
    for n in range(3)
)


def _snapshot_bytes(folder: Path, name: str) -> bytes:
    path = folder / f"good-{name}"
    if not path.exists():
        Snapshot.save(FINDINGS, path, regions=["eu-west-1"], taken_at=TAKEN)
    return path.read_bytes()


def _check_snapshot_file(path: Path) -> Snapshot | None:
    try:
        snap = Snapshot.load(path)
    except InspectorKitError as exc:
        # A whole-file problem is a SnapshotError naming the file.
        assert isinstance(exc, SnapshotError), repr(exc)
        assert exc.source == str(path) and str(exc)
        return None
    held = len(snap.findings) + len(snap.errors)
    assert [e.index for e in snap.errors] == sorted(e.index for e in snap.errors) and (
        not snap.errors or snap.errors[-1].index < held
    )
    assert all(isinstance(e.error, (FindingParseError, SourceFormatError)) for e in snap.errors)
    assert isinstance(snap.taken_at, datetime) and snap.taken_at.tzinfo is not None
    assert snap.regions is None or all(isinstance(r, str) for r in snap.regions)
    return snap


@_examples(40, files=True)
@given(data=st.data(), kind=st.sampled_from(["s.jsonl", "s.jsonl.gz", "s.parquet"]))
def test_snapshot_mutated_files(folder: Path, data: st.DataObject, kind: str) -> None:
    mutated = data.draw(mutated_bytes(_snapshot_bytes(folder, kind)))
    path = folder / f"mutated-{kind}"
    path.write_bytes(mutated)
    _check_snapshot_file(path)


_HEADER_FIELDS = (
    "format",
    "format_version",
    "taken_at",
    "regions",
    "accounts",
    "criteria",
    "inspector_kit_version",
    "finding_count",
)


@_examples(50, files=True)
@given(field=st.sampled_from(_HEADER_FIELDS), value=json_values | st.text(max_size=40))
def test_snapshot_wrong_header_values_name_the_field(folder: Path, field: str, value: Any) -> None:
    lines = _snapshot_bytes(folder, "s.jsonl").decode().splitlines()
    header = json.loads(lines[0])
    header["snapshot"][field] = value
    path = folder / "header.jsonl"
    path.write_text("\n".join([json.dumps(header), *lines[1:]]) + "\n", encoding="utf-8")
    try:
        snap = Snapshot.load(path)
    except SnapshotError as exc:
        assert exc.source == str(path) and exc.line == 1
        assert exc.field is not None and exc.field.split("[")[0] == field
    else:
        assert snap.findings == FINDINGS


bad_records = st.one_of(
    json_values.filter(lambda v: not (isinstance(v, dict) and "findingArn" in v)),
    st.binary(min_size=1, max_size=30).filter(lambda b: b"\n" not in b and b.strip()),
    st.just(b"[" * 5000),
)


@dataclasses.dataclass(frozen=True)
class Good:
    """A good record in a generated batch: ``FINDINGS[n]``."""

    n: int


def _record_line(record: Any) -> bytes:
    return record if isinstance(record, bytes) else json.dumps(record).encode()


@_examples(40, files=True)
@given(
    batch=st.lists(st.one_of(st.integers(0, 2).map(Good), bad_records), min_size=1, max_size=10),
    gzipped=st.booleans(),
)
def test_snapshot_good_findings_are_delivered_and_bad_ones_reported(
    folder: Path, batch: list[Any], gzipped: bool
) -> None:
    # The header must not be mistaken for a bad first record, so it is always there.
    meta = Snapshot((), TAKEN).metadata()
    meta["finding_count"] = len(batch)
    lines = [json.dumps({"snapshot": meta}).encode()]
    lines += [
        FINDINGS[item.n].to_json().encode() if isinstance(item, Good) else _record_line(item)
        for item in batch
    ]
    body = b"\n".join(lines) + b"\n"
    path = folder / ("batch.jsonl.gz" if gzipped else "batch.jsonl")
    path.write_bytes(gzip.compress(body) if gzipped else body)
    snap = Snapshot.load(path)
    good = [n for n, item in enumerate(batch) if isinstance(item, Good)]
    assert snap.findings == tuple(FINDINGS[batch[n].n] for n in good)
    assert [e.index for e in snap.errors] == [n for n in range(len(batch)) if n not in good]
    assert [e.line for e in snap.errors] == [n + 2 for n in range(len(batch)) if n not in good]


@_examples(30, files=True)
@given(
    batch=st.lists(
        st.one_of(st.integers(0, 2), st.none(), json_values.map(json.dumps), st.text(max_size=20)),
        min_size=1,
        max_size=10,
    )
)
def test_parquet_snapshot_good_findings_are_delivered_and_bad_ones_reported(
    folder: Path, batch: list[Any]
) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    column = [FINDINGS[x].to_json() if isinstance(x, int) else x for x in batch]
    good = [n for n, text in enumerate(column) if text is not None and _is_finding_json(text)]
    meta = Snapshot((), TAKEN).metadata() | {"finding_count": len(batch)}
    table = pa.table({"finding": pa.array(column, pa.string())})
    path = folder / "batch.parquet"
    pq.write_table(
        table.replace_schema_metadata({b"inspector_kit.snapshot": json.dumps(meta).encode()}), path
    )
    snap = Snapshot.load(path)
    assert len(snap.findings) == len(good)
    assert [e.index for e in snap.errors] == [n for n in range(len(batch)) if n not in good]


def _is_finding_json(text: str) -> bool:
    try:
        Finding.from_api(json.loads(text))
    except (ValueError, RecursionError, InspectorKitError):
        return False
    return True
