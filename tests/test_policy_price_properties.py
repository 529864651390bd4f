"""Property tests for the triage policy and price file parsers (issue 14, "Proof").

Whatever bytes a file holds, generated or mutated from a valid file, only the parser's own
error escapes: [`PolicyFileError`][inspector_kit.triage.PolicyFileError] for policies,
[`PriceFileError`][inspector_kit.pricing.PriceFileError] for price files, each problem naming where
it is and printable on a terminal. A price file's problems name exactly its bad entries: the good
ones are never reported, and once the bad ones are removed the good ones load, every one of them
(the price-file contract is "every problem reported, then nothing loaded", so that is how "every
good entry is kept" shows).

The examples per test come from the hypothesis profile (tests/conftest.py): 100 by default,
2,000 with ``HYPOTHESIS_PROFILE=thorough``.
"""

from __future__ import annotations

import csv
import io
import json
import re
import string
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from inspector_kit.pricing import Price, PriceFileError, PriceTable, UsageItem
from inspector_kit.triage import PolicyFileError, TriagePolicy

# A terminal must never receive these from an error message (newlines separate problems).
CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

POLICY = b"""\
name: operations
rules:
  - name: prod-kev
    queue: urgent
    when:
      severities: [HIGH, CRITICAL]
      rescored_severities: [CRITICAL]
      finding_types: [PACKAGE_VULNERABILITY]
      kev: true
      exploit_available: yes
      fix_available: false
      exposures: [INTERNET, INTERNAL]
      tags: {env: prod, owner: "*"}
      accounts: ["012345678901", "111122223333"]
    deadline:
      business_days: 2
  - name: monthly
    queue: monthly
    deadline:
      monthly: {business_day: 3}
  - name: month-out
    queue: later
    when: {severities: [LOW]}
    deadline: {calendar_days: 30}
  - name: never
    queue: info
    deadline: none
"""

# Fragments an attacker or a careless editor might splice in.
TOKENS = [
    b"[",
    b"{",
    b"]",
    b"}",
    b"[" * 40,
    b"{a: " * 40,
    b"- " * 40,
    b"&a ",
    b"*a",
    b"&b [*a, *a, *a]",
    b"? [x, y]\n: z\n",
    b"? ",
    b"010",
    b"1:30",
    b"0x1F",
    b"0b101",
    b"1_000",
    b"9" * 60,
    b"-" + b"9" * 60,
    b"1000000000000",
    b"1e999999999",
    b"!!int ",
    b"!!bool ",
    b"!!python/object/apply:os.system ['true']",
    b"!!binary ",
    b"---\n",
    b"...\n",
    b"%YAML 1.1\n",
    b'"\\e[2J"',
    b'"\\u202e"',
    b"\x00",
    b"\x07",
    b"\x1b[31m",
    b"\xc2\x85",
    b"\xe2\x80\xae",
    b"\xff",
    b"\xe9",
    b"\t",
    b"'",
    b'"',
    b"\\",
    b"\n",
    b"\r",
    b": ",
    b"#",
    b"~",
    b"yes",
    b"2026-01-01",
    b"none",
]


@st.composite
def mutated(draw: st.DrawFn, seed: bytes) -> bytes:
    data = bytearray(seed)
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(data)))
        kind = draw(st.sampled_from(["insert", "delete", "replace", "repeat", "byte"]))
        if kind == "insert":
            data[at:at] = draw(st.sampled_from(TOKENS))
        elif kind == "delete":
            del data[at : at + draw(st.integers(1, 40))]
        elif kind == "replace":
            data[at : at + draw(st.integers(1, 8))] = draw(st.sampled_from(TOKENS))
        elif kind == "repeat":
            end = min(len(data), at + draw(st.integers(1, 60)))
            data[at:at] = data[at:end] * draw(st.integers(2, 50))
        else:
            data[at:at] = bytes([draw(st.integers(0, 255))])
    return bytes(data)


def _check_problems(problems: tuple[str, ...], text_lines: int) -> None:
    assert problems
    for problem in problems:
        assert not CONTROL.search(problem), problem
        assert len(problem) < 600, problem
        match = re.search(r" line (\d+)", problem)
        if match:
            assert 1 <= int(match.group(1)) <= text_lines + 1, problem


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("hostile")


# ----------------------------------------------------------------------------- policies


def _load_policy(path: Path, data: bytes) -> None:
    path.write_bytes(data)
    try:
        policy = TriagePolicy.load(path)
    except PolicyFileError as err:
        assert err.source == path.name
        _check_problems(err.problems, data.count(b"\n") + data.count(b"\r"))
        assert not CONTROL.search(str(err).replace("\n", " "))
        return
    # What loads is a policy that writes and reads back to itself.
    assert TriagePolicy.from_yaml(policy.to_yaml()) == policy


@given(data=mutated(POLICY))
def test_mutated_policy_files_raise_only_policy_file_errors(folder: Path, data: bytes) -> None:
    _load_policy(folder / "policy.yaml", data)


YAML_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(10**40, 10**60)
    | st.floats()
    | st.text(max_size=20)
    | st.sampled_from(["HIGH", "none", "*", "010", "1:30", "\x1b[2J", "111122223333"]),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                [
                    "name",
                    "rules",
                    "queue",
                    "when",
                    "deadline",
                    "severities",
                    "tags",
                    "accounts",
                    "kev",
                    "business_days",
                    "calendar_days",
                    "monthly",
                    "business_day",
                    "x",
                ]
            ),
            inner,
            max_size=5,
        )
    ),
    max_leaves=25,
)


@given(value=YAML_VALUES)
def test_generated_policy_documents_raise_only_policy_file_errors(folder: Path, value: Any) -> None:
    text = yaml.safe_dump(value, allow_unicode=True)
    _load_policy(folder / "generated.yaml", text.encode("utf-8", "surrogatepass"))


# ----------------------------------------------------------------------------- price files

GOOD_REGIONS = ["us-east-1", "eu-west-1", "ap-northeast-1", "sa-east-1", "us-gov-west-1"]
BAD_REGIONS = ["US East", "", "us_east_1", "\x1b[2J", "a" * 200, "us-east-1.", "\u202eus-east-1"]
ITEMS = [item.value for item in UsageItem]
BAD_ITEMS = ["ec2", "EC2_AGENTLESS", "", "lambda\x00", "ecr_rescan " * 30]
# Raw JSON texts of values that are not prices.
BAD_JSON_VALUES = [
    '"1e999999999"',
    "1e999999999",
    '"-0.01"',
    "-1",
    "NaN",
    "-Infinity",
    '"sNaN"',
    '"%s"' % ("9" * 5000),
    "9" * 5000,
    '"0.%s"' % ("1" * 40),
    '"1e-999999999"',
    '"cheap"',
    "true",
    "null",
    "[]",
    "{}",
    '"1,5"',
]
BAD_CSV_PRICES = [
    "1e999999999",
    "-0.01",
    "NaN",
    "Infinity",
    "9" * 5000,
    "0." + "1" * 40,
    "cheap",
    "",
    "1,5",
    '"quoted"',
    "x" * 140_000,  # over csv.field_size_limit(): csv itself refuses the line
]

GOOD_AMOUNTS = st.integers(0, 12).flatmap(
    lambda places: st.decimals(
        min_value=0, max_value=10**9, places=places, allow_nan=False, allow_infinity=False
    )
)


@st.composite
def price_entries(draw: st.DrawFn) -> list[tuple[str, str, str, bool]]:
    """(region, item, price text, good) with unique (region, item) pairs."""
    entries: list[tuple[str, str, str, bool]] = []
    seen: set[tuple[str, str]] = set()
    for _ in range(draw(st.integers(1, 12))):
        bad = draw(st.sampled_from([None, None, None, "region", "item", "price"]))
        region = draw(st.sampled_from(BAD_REGIONS if bad == "region" else GOOD_REGIONS))
        item = draw(st.sampled_from(BAD_ITEMS if bad == "item" else ITEMS))
        if (region, item) in seen:
            continue
        seen.add((region, item))
        price = draw(st.sampled_from(BAD_CSV_PRICES)) if bad == "price" else str(draw(GOOD_AMOUNTS))
        entries.append((region, item, price, bad is None))
    return entries


def _price_problems(path: Path) -> tuple[str, ...] | PriceTable:
    try:
        return PriceTable.from_file(path)
    except PriceFileError as err:
        assert err.path == str(path)
        assert not CONTROL.search(str(err).replace("\n", " "))
        return err.problems


def _expected_table(good: list[tuple[str, str, str, bool]]) -> dict[tuple[str, str], Decimal]:
    return {(r, i): Decimal(p) for r, i, p, _ in good}


def _loaded(table: PriceTable) -> dict[tuple[str, str], Decimal]:
    return {(r, i.value): p.amount for r, i, p in table}


@given(entries=price_entries())
def test_csv_files_report_exactly_their_bad_lines(
    folder: Path, entries: list[tuple[str, str, str, bool]]
) -> None:
    # Written by hand (RFC 4180, every field quoted): Python 3.10's csv writer cannot write
    # a NUL at all, and the reader must meet one on every version.
    rows = [("region", "item", "price"), *((r, i, p) for r, i, p, _ in entries)]
    text = "".join(",".join('"' + f.replace('"', '""') + '"' for f in row) + "\n" for row in rows)
    path = folder / "prices.csv"
    path.write_text(text)
    found = _price_problems(path)
    bad_lines = {line for line, (*_, good) in enumerate(entries, start=2) if not good}
    good = [e for e in entries if e[3]]
    if not bad_lines:
        assert isinstance(found, PriceTable), found
        assert _loaded(found) == _expected_table(good)
        return
    assert isinstance(found, tuple)
    _check_problems(found, len(entries) + 1)
    reported = {int(re.match(r"line (\d+)", p).group(1)) for p in found}  # type: ignore[union-attr]
    assert reported == bad_lines
    # The good lines alone load, every one of them.
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["region", "item", "price"])
    writer.writerows((r, i, p) for r, i, p, _ in good)
    path.write_text(out.getvalue())
    table = _price_problems(path)
    assert isinstance(table, PriceTable) and _loaded(table) == _expected_table(good)


def _key(text: str) -> str:
    """How a JSON key is named in a problem (escaped like the parser does)."""
    shown = text if text.isprintable() else repr(text)[1:-1]
    return shown if len(shown) <= 60 else shown[:57] + "..."


RAW_REGIONS = ["us-west-1", "us-west-2", "ca-central-1"]  # not in GOOD_REGIONS


def _json_file(rows: dict[str, list[tuple[str, str]]]) -> str:
    """A JSON object written by hand (values are raw JSON texts, so NaN etc. stay as is)."""
    return (
        "{"
        + ", ".join(
            f"{json.dumps(region)}: {{{', '.join(f'{json.dumps(i)}: {v}' for i, v in items)}}}"
            for region, items in rows.items()
        )
        + "}"
    )


@given(entries=price_entries(), raw=st.lists(st.sampled_from(BAD_JSON_VALUES), max_size=3))
def test_json_files_report_exactly_their_bad_keys(
    folder: Path, entries: list[tuple[str, str, str, bool]], raw: list[str]
) -> None:
    rows: dict[str, list[tuple[str, str]]] = {}
    good_rows: dict[str, list[tuple[str, str]]] = {}
    expected: set[str] = set()
    for region, item, price, is_good in entries:
        rows.setdefault(region, []).append((item, json.dumps(price)))
        if is_good:
            good_rows.setdefault(region, []).append((item, json.dumps(price)))
        elif region in BAD_REGIONS:
            expected.add(f"key {_key(region)}")  # reported once, for the region
        else:
            expected.add(f"key {_key(region)}.{_key(item)}")
    for region, value in zip(RAW_REGIONS, raw, strict=False):  # raw JSON values that are no price
        rows[region] = [("ecr_rescan", value)]
        expected.add(f"key {region}.ecr_rescan")
    path = folder / "prices.json"
    path.write_text(_json_file(rows))
    found = _price_problems(path)
    good = [e for e in entries if e[3]]
    if not expected:
        assert isinstance(found, PriceTable), found
        assert _loaded(found) == _expected_table(good)
        return
    assert isinstance(found, tuple)
    _check_problems(found, 1)
    assert {p.split(": ", 1)[0] for p in found} == expected
    # The good keys alone load, every one of them.
    path.write_text(_json_file(good_rows))
    table = _price_problems(path)
    assert isinstance(table, PriceTable) and _loaded(table) == _expected_table(good)


@given(data=mutated(b'{"us-east-1": {"ec2_agentless": "1.75", "ecr_rescan": 0.01}}'))
def test_mutated_json_price_files_raise_only_price_file_errors(folder: Path, data: bytes) -> None:
    path = folder / "mutated.json"
    path.write_bytes(data)
    found = _price_problems(path)
    if isinstance(found, PriceTable):
        assert all(0 <= p.amount <= Price.MAX_AMOUNT for _, _, p in found)
    else:
        _check_problems(found, data.count(b"\n") + data.count(b"\r"))


@given(
    data=mutated(
        b"region,item,price,currency,source,as_of\n"
        b"us-east-1,ec2_agentless,1.75,USD,https://aws.amazon.com/inspector/pricing/,2024-04-01\n"
        b'ap-northeast-1,ec2_agent_based,"1.512",usd,"seed, article",\n'
    ),
    suffix=st.sampled_from([".csv", ".txt", ""]),
)
def test_mutated_csv_price_files_raise_only_price_file_errors(
    folder: Path, data: bytes, suffix: str
) -> None:
    path = folder / f"mutated{suffix}"
    path.write_bytes(data)
    found = _price_problems(path)
    if isinstance(found, PriceTable):
        assert all(0 <= p.amount <= Price.MAX_AMOUNT for _, _, p in found)
        assert all(set(p.currency) <= set(string.ascii_uppercase) for _, _, p in found)
    else:
        _check_problems(found, data.count(b"\n") + data.count(b"\r"))
