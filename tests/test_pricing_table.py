"""PriceTable constructors: the bundled data and user price files."""

from __future__ import annotations

import json
import pickle
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from inspector_kit.errors import InspectorKitError
from inspector_kit.pricing import (
    UNPRICED,
    Price,
    PriceFileError,
    PriceNotFoundError,
    PriceTable,
    UsageItem,
)

SEED = 'seed article "Comparing scan modes"'
PRICING_PAGE = "https://aws.amazon.com/inspector/pricing/"
CLI_EXAMPLE = "https://docs.aws.amazon.com/cli/latest/reference/inspector2/list-usage-totals.html"

# ---------------------------------------------------------------------------------------
# bundled()


@pytest.mark.parametrize(
    ("region", "item", "amount"),
    [
        ("us-east-1", UsageItem.EC2_AGENT_BASED, "1.2528"),
        ("us-east-1", UsageItem.EC2_AGENTLESS, "1.7496"),
        ("ap-northeast-1", UsageItem.EC2_AGENT_BASED, "1.512"),
        ("ap-northeast-1", UsageItem.EC2_AGENTLESS, "2.0808"),
    ],
)
def test_bundled_ec2_prices_come_from_the_seed_article(
    region: str, item: UsageItem, amount: str
) -> None:
    price = PriceTable.bundled().price(region, item)
    assert price.amount == Decimal(amount)
    assert str(price.amount) == amount
    assert price.currency == "USD"
    assert SEED in price.source
    assert PRICING_PAGE in price.source
    assert price.as_of == date(2024, 4, 1)


@pytest.mark.parametrize(
    ("item", "amount"),
    [
        (UsageItem.ECR_INITIAL_SCAN, "0.09"),
        (UsageItem.ECR_RESCAN, "0.01"),
        (UsageItem.LAMBDA_STANDARD, "0.30"),
        (UsageItem.LAMBDA_CODE, "0.60"),
    ],
)
def test_bundled_ecr_and_lambda_prices_come_from_the_cli_example(
    item: UsageItem, amount: str
) -> None:
    price = PriceTable.bundled().price("us-east-1", item)
    assert price.amount == Decimal(amount)
    assert str(price.amount) == amount
    assert price.currency == "USD"
    assert CLI_EXAMPLE in price.source
    assert "us-east-1 only" in price.source
    assert price.as_of is None  # the example carries no date


def test_bundled_holds_only_sourced_prices_and_is_cached() -> None:
    table = PriceTable.bundled()
    assert table is PriceTable.bundled()
    assert table.name == "bundled"
    assert table.regions == ("ap-northeast-1", "us-east-1")
    assert set(table.items("us-east-1")) == set(UsageItem) - set(UNPRICED)
    assert set(table.items("ap-northeast-1")) == {
        UsageItem.EC2_AGENT_BASED,
        UsageItem.EC2_AGENTLESS,
    }
    assert len(table.to_records()) == 8
    assert all(row["source"] for row in table.to_records())


@pytest.mark.parametrize(
    ("region", "item"),
    [("eu-west-1", UsageItem.EC2_AGENTLESS), ("ap-northeast-1", UsageItem.ECR_INITIAL_SCAN)],
)
def test_bundled_never_guesses_a_missing_price(region: str, item: UsageItem) -> None:
    with pytest.raises(PriceNotFoundError) as info:
        PriceTable.bundled().price(region, item)
    message = str(info.value)
    assert region in message
    assert item.value in message
    assert "from_file" in message
    assert "fetch_price_table" in message
    assert isinstance(info.value, LookupError)
    assert isinstance(info.value, InspectorKitError)
    assert PriceTable.bundled().get(region, item) is None


def test_merge_user_overrides_win_item_by_item() -> None:
    mine = PriceTable(
        {
            "us-east-1": {"ec2_agentless": Price("1.70", source="my contract")},
            "eu-west-1": {"ec2_agent_based": Price("1.40", source="my contract")},
        },
        name="mine",
    )
    merged = PriceTable.bundled().merge(mine)
    assert merged.price("us-east-1", "ec2_agentless") == Price("1.70", source="my contract")
    assert merged.price("us-east-1", "ec2_agent_based").amount == Decimal("1.2528")
    assert merged.price("eu-west-1", "ec2_agent_based").amount == Decimal("1.40")
    assert merged.price("ap-northeast-1", "ec2_agentless").amount == Decimal("2.0808")
    assert merged.name == "bundled+mine"
    # the cached bundled table is left alone
    assert PriceTable.bundled().price("us-east-1", "ec2_agentless").amount == Decimal("1.7496")


# ---------------------------------------------------------------------------------------
# from_file()


def test_from_file_json_round_trip(tmp_path: Any) -> None:
    path = tmp_path / "prices.json"
    path.write_text(
        json.dumps(
            {
                "eu-west-1": {
                    "ec2_agent_based": "1.25",
                    "ec2_agentless": "1.75",
                    "ecr_initial_scan": "0.09",
                    "ecr_rescan": "0.01",
                    "lambda_standard": "0.30",
                    "lambda_code": "0.60",
                },
                "us-gov-west-1": {"ec2_agentless": 2},
            }
        )
    )
    table = PriceTable.from_file(path)
    assert table.name == str(path)
    assert table.regions == ("eu-west-1", "us-gov-west-1")
    assert table.price("eu-west-1", "lambda_standard").amount == Decimal("0.30")
    assert str(table.price("eu-west-1", "lambda_code").amount) == "0.60"
    assert table.price("us-gov-west-1", "ec2_agentless").amount == Decimal(2)
    price = table.price("eu-west-1", "ec2_agent_based")
    assert (price.currency, price.source, price.as_of) == ("USD", f"file:{path}", None)
    back = {
        region: {item.value: str(price.amount) for item, price in table.items(region).items()}
        for region in table.regions
    }
    path2 = tmp_path / "again.json"
    path2.write_text(json.dumps(back))
    assert PriceTable.from_file(path2).to_records() == [
        {**row, "source": f"file:{path2}"} for row in table.to_records()
    ]


def test_from_file_json_numbers_are_exact_decimals(tmp_path: Any) -> None:
    path = tmp_path / "prices.json"
    path.write_text('{"eu-west-1": {"ec2_agentless": 1.7496, "lambda_code": 0.1}}')
    table = PriceTable.from_file(path)
    assert str(table.price("eu-west-1", "ec2_agentless").amount) == "1.7496"
    assert table.price("eu-west-1", "lambda_code").amount == Decimal("0.1")  # not 0.1000...0555


def test_from_file_csv_round_trip(tmp_path: Any) -> None:
    path = tmp_path / "prices.csv"
    path.write_text(
        "region,item,price,currency,source,as_of\n"
        "eu-west-1,ec2_agent_based,1.38,USD,https://example.com/quote,2025-01-31\n"
        "\n"
        "eu-west-1,ecr_rescan,0.011,,,\n"
        "cn-north-1,ec2_agentless,12.5,CNY,,\n"
    )
    table = PriceTable.from_file(path)
    quote = table.price("eu-west-1", "ec2_agent_based")
    assert quote == Price(
        "1.38", currency="USD", source="https://example.com/quote", as_of=date(2025, 1, 31)
    )
    rescan = table.price("eu-west-1", "ecr_rescan")
    assert (rescan.amount, rescan.currency, rescan.source) == (
        Decimal("0.011"),
        "USD",
        f"file:{path}",
    )
    assert table.price("cn-north-1", "ec2_agentless").currency == "CNY"

    out = tmp_path / "out.csv"
    lines = ["region,item,price,currency,source,as_of"] + [
        f"{r['region']},{r['item']},{r['amount']},{r['currency']},{r['source']},{r['as_of'] or ''}"
        for r in table.to_records()
    ]
    out.write_text("\n".join(lines) + "\n")
    assert PriceTable.from_file(out).to_records() == table.to_records()


def test_from_file_csv_minimal_header_and_no_suffix(tmp_path: Any) -> None:
    path = tmp_path / "prices.txt"
    path.write_text("Region, Item, Price\nus-east-1,lambda_code,0.6\n")
    assert PriceTable.from_file(path).price("us-east-1", "lambda_code").amount == Decimal("0.6")
    sniffed = tmp_path / "prices"
    sniffed.write_text('  {"us-east-1": {"lambda_code": "0.6"}}')
    assert PriceTable.from_file(sniffed).regions == ("us-east-1",)


def test_from_file_csv_reports_every_problem_with_its_line(tmp_path: Any) -> None:
    path = tmp_path / "prices.csv"
    path.write_text(
        "region,item,price,as_of\n"
        "us-east-1,ec2_agent_based,1.25,\n"  # fine
        "us-east-1,ec2_agentles,1.75,\n"  # unknown item
        "us-east-1,ecr_rescan,-0.01,\n"  # negative
        "us-east-1,ecr_initial_scan,cheap,\n"  # non-numeric
        "US East 1,lambda_code,0.60,\n"  # region format
        "us-east-1,lambda_standard,0.30,yesterday\n"  # bad date
        "us-east-1,ec2_agent_based,1.26,\n"  # duplicate of line 2
        "us-east-1,lambda_code\n"  # short row
    )
    with pytest.raises(PriceFileError) as info:
        PriceTable.from_file(path)
    err = info.value
    assert isinstance(err, ValueError)
    assert isinstance(err, InspectorKitError)
    assert err.path == str(path)
    assert len(err.problems) == 7
    message = str(err)
    assert message.startswith(f"{path}: 7 problems:")
    assert "line 3: unknown item 'ec2_agentles'" in message
    assert "line 4: price '-0.01' must be a finite number >= 0" in message
    assert "line 5: price 'cheap' is not a number" in message
    assert "line 6: region 'US East 1' is not an AWS region name" in message
    assert "line 7: as_of 'yesterday' is not a date" in message
    assert "line 8: ec2_agent_based for us-east-1 again (first on line 2)" in message
    assert "line 9: expected 4 fields, got 2" in message
    again = pickle.loads(pickle.dumps(err))
    assert (type(again), again.problems, str(again)) == (PriceFileError, err.problems, message)


def test_from_file_csv_missing_and_unknown_columns(tmp_path: Any) -> None:
    path = tmp_path / "prices.csv"
    path.write_text("region,item,cost,note\nus-east-1,ec2_agentless,1.75,x\n")
    with pytest.raises(PriceFileError) as info:
        PriceTable.from_file(path)
    assert info.value.problems == (
        "line 1: missing column 'price'; the header must be "
        "region,item,price[,currency][,source][,as_of]",
        "line 1: unknown column 'cost'; the header must be "
        "region,item,price[,currency][,source][,as_of]",
        "line 1: unknown column 'note'; the header must be "
        "region,item,price[,currency][,source][,as_of]",
    )
    empty = tmp_path / "empty.csv"
    empty.write_text("\n\n")
    with pytest.raises(PriceFileError, match="empty file"):
        PriceTable.from_file(empty)


def test_from_file_json_reports_every_problem_with_its_key(tmp_path: Any) -> None:
    path = tmp_path / "prices.json"
    path.write_text(
        json.dumps(
            {
                "us-east-1": {
                    "ec2_agent_based": "1.25",
                    "ec2_agentles": "1.75",
                    "ecr_rescan": "-1",
                    "lambda_code": "free",
                    "lambda_standard": True,
                    "ecr_initial_scan": None,
                },
                "Europe": {"ec2_agentless": "1.9"},
                "eu-west-1": "1.9",
            }
        )
    )
    with pytest.raises(PriceFileError) as info:
        PriceTable.from_file(path)
    assert info.value.problems == (
        "key us-east-1.ec2_agentles: unknown item 'ec2_agentles'; known: "
        + ", ".join(item.value for item in UsageItem),
        "key us-east-1.ecr_rescan: price '-1' must be a finite number >= 0",
        "key us-east-1.lambda_code: price 'free' is not a number",
        "key us-east-1.lambda_standard: price True must be a string or a number",
        "key us-east-1.ecr_initial_scan: price None must be a string or a number",
        "key Europe: region 'Europe' is not an AWS region name such as us-east-1",
        'key eu-west-1: expected an object {"<item>": "<price>"}',
    )


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ('{"us-east-1": {"ec2_agentless": "1.75",}}', "line 1 column 40: not valid JSON"),
        ('["us-east-1"]', "top level: expected an object"),
    ],
)
def test_from_file_json_shape_errors(tmp_path: Any, text: str, problem: str) -> None:
    path = tmp_path / "prices.json"
    path.write_text(text)
    with pytest.raises(PriceFileError, match=problem):
        PriceTable.from_file(path)


# ---------------------------------------------------------------------------------------
# Hostile price files (issue 14, item 14): only PriceFileError, naming file, entry and column.

_GOOD_AND = '{"us-east-1": {"ec2_agent_based": "1.25", "ec2_agentless": %s}}'


def _problems(path: Any, **kwargs: Any) -> tuple[str, ...]:
    with pytest.raises(PriceFileError) as info:
        PriceTable.from_file(path, **kwargs)
    assert info.value.path == str(path)
    assert str(info.value).startswith(f"{path}: ")
    return info.value.problems


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ('"1e999999999"', "price '1e999999999' must be at most 1000000000"),
        ("1e999999999", "price 1E+999999999 must be at most 1000000000"),
        ('"%s"' % ("1" * 200_000), "price '1111111111"),
        ("1" * 200_000, "must be at most 1000000000"),
        ("9" * 5000, "must be at most 1000000000"),
        ('"0.%s"' % ("1" * 200_000), "has more than 30 decimal places"),
        ('"1e-999999999"', "price '1e-999999999' has more than 30 decimal places"),
        ('"1e99999999999999999999"', "price '1e99999999999999999999' is not a number"),
        ("NaN", "price NaN must be a finite number >= 0"),
        ("-Infinity", "price -Infinity must be a finite number >= 0"),
    ],
)
def test_json_absurd_prices_are_reported_for_their_entry(
    tmp_path: Any, value: str, problem: str
) -> None:
    path = tmp_path / "prices.json"
    path.write_text(_GOOD_AND % value)
    (found,) = _problems(path)
    assert found.startswith("key us-east-1.ec2_agentless: price "), found
    assert problem in found
    assert len(found) < 300


@pytest.mark.parametrize(
    ("price", "problem"),
    [
        ("1e999999999", "line 3: price '1e999999999' must be at most 1000000000"),
        ("9" * 5000, "line 3: price '9999999999"),
        ("0.0000000000000000000000000000001", "line 3: price '0.00000000000"),
    ],
)
def test_csv_absurd_prices_are_reported_for_their_line(
    tmp_path: Any, price: str, problem: str
) -> None:
    path = tmp_path / "prices.csv"
    path.write_text(
        f"region,item,price\nus-east-1,ec2_agent_based,1.25\nus-east-1,ec2_agentless,{price}\n"
    )
    (found,) = _problems(path)
    assert found.startswith(problem), found
    assert len(found) < 300


def test_csv_fields_over_the_csv_limit_name_line_and_column(tmp_path: Any) -> None:
    path = tmp_path / "prices.csv"
    path.write_text(
        "region,item,price,source\n"
        f'us-east-1,ec2_agentless,1.75,"{"x" * 140_000}"\n'
        "us-east-1,ecr_rescan,-1,doc\n"
        f"us-east-1,ecr_initial_scan,{'1' * 140_000},doc\n"
        "us-east-1,ec2_agent_based,1.25,doc\n"
    )
    assert _problems(path) == (
        "line 2, column 4 (source): a field longer than 131072 characters (csv.field_size_limit())",
        "line 3: price '-1' must be a finite number >= 0",
        "line 4, column 3 (price): a field longer than 131072 characters (csv.field_size_limit())",
    )


def test_deep_json_is_a_price_file_error(tmp_path: Any) -> None:
    path = tmp_path / "prices.json"
    path.write_text('{"us-east-1": ' + "[" * 100_000 + "]" * 100_000 + "}")
    assert _problems(path) == ("line 1 column 46: nested deeper than 32 levels",)
    brackets = "[" * 36  # inside a string, brackets do not nest
    path.write_text(json.dumps({"us-east-1": {"ec2_agentless": brackets}}))
    assert _problems(path) == (f"key us-east-1.ec2_agentless: price '{brackets}' is not a number",)


def test_unreadable_price_files_are_price_file_errors(tmp_path: Any) -> None:
    missing = tmp_path / "missing.json"
    assert _problems(missing) == ("cannot read the file: No such file or directory",)
    assert _problems(tmp_path) == ("cannot read the file: Is a directory",)
    latin1 = tmp_path / "prices.csv"
    latin1.write_bytes(b"region,item,price,source\nus-east-1,ec2_agentless,1.75,caf\xe9\n")
    assert _problems(latin1) == (
        "line 2: not UTF-8 (byte 0xe9 at column 33): save the file as UTF-8",
    )
    big = tmp_path / "big.csv"
    big.write_text("region,item,price\n" + "\n" * (1 << 20))
    assert _problems(big) == ("the file is larger than 1048576 bytes (max_bytes)",)
    small = tmp_path / "small.csv"
    small.write_text("region,item,price\nus-east-1,ecr_rescan,0.01\n")
    assert _problems(small, max_bytes=10) == ("the file is larger than 10 bytes (max_bytes)",)
    assert PriceTable.from_file(small, max_bytes=len(small.read_bytes())).regions == ("us-east-1",)


def test_json_keys_given_twice_are_reported_not_silently_dropped(tmp_path: Any) -> None:
    path = tmp_path / "prices.json"
    path.write_text(
        '{"us-east-1": {"ec2_agentless": "1", "ec2_agentless": "2"},'
        ' "eu-west-1": {"ecr_rescan": "1"}, "eu-west-1": {"ecr_rescan": "1"}}'
    )
    assert _problems(path) == (
        "key us-east-1.ec2_agentless: given twice",
        "key eu-west-1: given twice",
    )


def test_currencies_are_ascii_and_sources_hold_no_control_characters(tmp_path: Any) -> None:
    path = tmp_path / "prices.csv"
    path.write_text(
        "region,item,price,currency,source\n"
        "us-east-1,ec2_agentless,1.75,ÄÖÜ,doc\n"
        "us-east-1,ec2_agent_based,1.25,USD,\x1b[2Jdoc\n"
    )
    assert _problems(path) == (
        "line 2: currency must be a 3-letter code such as USD; got 'ÄÖÜ'",
        "line 3: source '\\x1b[2Jdoc' holds control characters",
    )
    with pytest.raises(ValueError, match="control characters"):
        Price("1", source="\x1b[2J")


def test_json_keys_with_control_characters_are_shown_escaped(tmp_path: Any) -> None:
    path = tmp_path / "prices.json"
    path.write_text(json.dumps({"\x1b[2J": {"ec2_agentless": "1"}}))
    (found,) = _problems(path)
    assert "\x1b" not in found and "\\x1b[2J" in found


# ---------------------------------------------------------------------------------------
# Errors live in inspector_kit.errors (issue 15, item 4); pricing re-exports the old names.


def test_pricing_errors_are_the_ones_in_inspector_kit_errors() -> None:
    from inspector_kit import errors, pricing

    assert pricing.PriceNotFoundError is errors.PriceNotFoundError
    assert pricing.PriceFileError is errors.PriceFileError
    assert pricing.UsageError is errors.UsageError
    assert issubclass(errors.PriceFileError, errors.InputError)
    assert issubclass(errors.UsageError, errors.InputError)
    assert issubclass(errors.PriceNotFoundError, LookupError)
    assert not issubclass(errors.PriceNotFoundError, errors.InputError)


@pytest.mark.parametrize(
    ("make", "kind", "message"),
    [
        (lambda: Price("-1", source="doc"), "PriceError", "must be a finite number >= 0"),
        (lambda: Price("abc", source="doc"), "PriceError", "'abc' is not a number"),
        (lambda: Price("1", currency="dollars", source="doc"), "PriceError", "3-letter code"),
        (lambda: Price("1", source=""), "PriceError", "every price needs a source"),
        (lambda: Price(1.5, source="doc"), "PriceTypeError", "is a float"),  # type: ignore[arg-type]
        (lambda: PriceTable({"us-east-1": {"ecr_rescan": "0.01"}}), "PriceTypeError", "a Price"),
        (lambda: PriceTable.bundled().get("us-east-1", "ec2"), "PriceError", "unknown usage item"),
    ],
)
def test_bad_prices_raise_input_errors(make: Any, kind: str, message: str) -> None:
    from inspector_kit import errors

    with pytest.raises(errors.InputError, match=message) as info:
        make()
    assert type(info.value).__name__ == kind
    assert isinstance(info.value, ValueError)  # as before the move
    assert isinstance(info.value, TypeError) == (kind == "PriceTypeError")


# ---------------------------------------------------------------------------------------
# Records (issue 15, item 5): columns + to_records(), values as Python types.


def test_price_table_records_follow_its_columns_and_keep_types() -> None:
    table = PriceTable.bundled()
    rows = table.to_records()
    assert PriceTable.columns == table.columns
    assert table.columns == ("region", "item", "unit", "amount", "currency", "source", "as_of")
    assert [tuple(row) for row in rows] == [table.columns] * 8
    first = rows[0]
    assert first["region"] == "ap-northeast-1"
    assert first["item"] == "ec2_agent_based"
    assert first["amount"] == Decimal("1.512") and type(first["amount"]) is Decimal
    assert first["as_of"] == date(2024, 4, 1) and type(first["as_of"]) is date
    assert {row["as_of"] for row in rows if row["item"].startswith(("ecr", "lambda"))} == {None}
    assert PriceTable().to_records() == []
