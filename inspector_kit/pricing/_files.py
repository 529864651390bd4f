"""Price files: the bundled ``data/prices.json`` and a user's JSON or CSV table.

Every problem of a user's file is collected and raised together in one
[`PriceFileError`][inspector_kit.pricing.PriceFileError], each naming its CSV line (and column) or
JSON key. Bounds (docs/cost.md): a price file is UTF-8, at most ``max_bytes``
(``MAX_PRICE_FILE_BYTES``, 1 MiB), JSON nested at most 32 levels.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from inspector_kit.errors import PriceError, PriceFileError

from ._price import (
    _REGION,
    Price,
    UsageItem,
    _check_amount,
    _currency,
    _escape,
    _show_value,
    _source_problem,
)

if TYPE_CHECKING:
    from collections.abc import Iterator

__all__ = ["MAX_PRICE_FILE_BYTES", "read_bundled", "read_price_file"]

#: The largest price file [`PriceTable.from_file`][inspector_kit.pricing.PriceTable.from_file]
#: reads, in bytes (``max_bytes=``).
MAX_PRICE_FILE_BYTES = 1 << 20
#: How deep a price file's JSON may nest; a valid one nests 2 levels, so this limits none.
_MAX_JSON_DEPTH = 32

Prices = dict[str, dict[str, Price]]
"""Prices by region and usage-item value, as read from a file."""

_BUNDLED = Path(__file__).resolve().parent / "data" / "prices.json"


def read_bundled() -> Prices:
    """The prices of ``pricing/data/prices.json`` (schema: ``inspector_kit.pricing._table``)."""
    data = json.loads(_BUNDLED.read_text(encoding="utf-8"))
    currency = data["currency"]
    prices: Prices = {}
    for region, row in data["regions"].items():
        prices[region] = {
            item: Price(
                entry["amount"],
                currency=entry.get("currency", currency),
                source=entry["source"],
                as_of=date.fromisoformat(entry["as_of"]) if entry.get("as_of") else None,
            )
            for item, entry in row.items()
        }
    return prices


def read_price_file(
    path: str | os.PathLike[str], *, max_bytes: int = MAX_PRICE_FILE_BYTES
) -> Prices:
    """A user's JSON or CSV price file (by suffix; else by content), checked whole.

    Raises:
        PriceFileError: Every problem of the file, or why it cannot be read.
    """
    where = os.fspath(path)
    text = _read_text(Path(path), where, max_bytes)
    suffix = Path(path).suffix.lower()
    as_json = suffix == ".json" or (suffix != ".csv" and text.lstrip().startswith("{"))
    parse = _parse_json if as_json else _parse_csv
    prices, problems = parse(text, f"file:{where}")
    if problems:
        raise PriceFileError(where, problems)
    return prices


_KNOWN_ITEMS = ", ".join(i.value for i in UsageItem)
_CSV_REQUIRED = ("region", "item", "price")
_CSV_COLUMNS = (*_CSV_REQUIRED, "currency", "source", "as_of")


def _check_region(region: str) -> str | None:
    if _REGION.match(region):
        return None
    return f"region {_show_value(region)} is not an AWS region name such as us-east-1"


def _check_item(item: str) -> str | None:
    if item in UsageItem._value2member_map_:
        return None
    return f"unknown item {_show_value(item)}; known: {_KNOWN_ITEMS}"


def _read_text(path: Path, where: str, max_bytes: int) -> str:
    """The file as text with universal newlines; any reading problem is a PriceFileError."""
    try:
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        raise PriceFileError(where, [f"cannot read the file: {exc.strerror or exc}"]) from exc
    if len(data) > max_bytes:
        raise PriceFileError(where, [f"the file is larger than {max_bytes} bytes (max_bytes)"])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        bad = f"byte 0x{data[exc.start]:02x} at column {column}"
        raise PriceFileError(
            where, [f"line {line}: not UTF-8 ({bad}): save the file as UTF-8"]
        ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


# A JSON string (closed or not) or a bracket: enough to measure nesting without parsing.
_JSON_NESTING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"?|[\[\]{}]')


def _too_deep(text: str) -> str | None:
    """Where the JSON nests deeper than _MAX_JSON_DEPTH (before json.loads recurses)."""
    depth = 0
    for match in _JSON_NESTING.finditer(text):
        token = match.group()
        if token in ("[", "{"):
            depth += 1
            if depth > _MAX_JSON_DEPTH:
                at = match.start()
                line = text.count("\n", 0, at) + 1
                column = at - (text.rfind("\n", 0, at) + 1) + 1
                return f"line {line} column {column}: nested deeper than {_MAX_JSON_DEPTH} levels"
        elif token in ("]", "}"):
            depth -= 1
    return None


class _Object(dict[str, Any]):
    """A JSON object that remembers the keys it was given more than once."""

    twice: tuple[str, ...] = ()


def _object(pairs: list[tuple[str, Any]]) -> _Object:
    out = _Object()
    twice: list[str] = []
    for key, value in pairs:
        if key in out and key not in twice:
            twice.append(key)
        out[key] = value
    out.twice = tuple(twice)
    return out


def _parse_json(text: str, source: str) -> tuple[Prices, list[str]]:
    deep = _too_deep(text)
    if deep:
        return {}, [deep]
    try:
        # Numbers as exact decimals, never floats or (unbounded) ints; NaN and Infinity too,
        # so that they are reported as prices, not as JSON errors.
        data = json.loads(
            text,
            parse_float=Decimal,
            parse_int=Decimal,
            parse_constant=Decimal,
            object_pairs_hook=_object,
        )
    except json.JSONDecodeError as exc:
        return {}, [f"line {exc.lineno} column {exc.colno}: not valid JSON: {exc.msg}"]
    if not isinstance(data, dict):
        shape = '{"<region>": {"<item>": "<price>"}}'
        return {}, [f"top level: expected an object {shape}, got {type(data).__name__}"]
    prices: Prices = {}
    problems: list[str] = []
    for region, row in data.items():
        key = _escape(region)
        if isinstance(data, _Object) and region in data.twice:
            problems.append(f"key {key}: given twice")
        region_problem = _check_region(region)
        if region_problem:
            problems.append(f"key {key}: {region_problem}")
        if not isinstance(row, dict):
            problems.append(f'key {key}: expected an object {{"<item>": "<price>"}}')
            continue
        for item, value in row.items():
            found = [_check_item(item), _check_amount(value)]
            if isinstance(row, _Object) and item in row.twice:
                found.insert(0, "given twice")
            problems.extend(f"key {key}.{_escape(item)}: {p}" for p in found if p)
            if region_problem is None and not any(found):
                prices.setdefault(region, {})[item] = Price(value, source=source)
    return prices, problems


_FIELD_LIMIT = "field larger than field limit"


def _long_field(record: str, limit: int) -> int | None:
    """The 1-based column whose field outgrows ``limit`` characters in a CSV ``record``.

    Follows the csv module's default dialect (comma, double quotes, doubled to escape), so
    it names the column csv gave up on.
    """
    column, size, quoted, at_start, index = 1, 0, False, True, 0
    while index < len(record):
        char = record[index]
        index += 1
        if quoted:
            if char == '"':
                if record[index : index + 1] != '"':
                    quoted = False
                    continue
                index += 1
            size += 1
        elif char == '"' and at_start:
            quoted = True
        elif char == ",":
            column, size, at_start = column + 1, 0, True
            continue
        else:
            size += 1
        at_start = False
        if size > limit:
            return column
    return None


def _csv_records(
    text: str, problems: list[str], header: list[str]
) -> Iterator[tuple[int, list[str]]]:
    """(line, cells) of every CSV record; a record csv cannot read becomes a problem."""
    reader = csv.reader(io.StringIO(text))
    lines: list[str] | None = None
    start = 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            end = reader.line_num
            message = f"line {end}: not valid CSV: {exc}"
            if _FIELD_LIMIT in str(exc):
                lines = text.split("\n") if lines is None else lines
                limit = csv.field_size_limit()
                column = _long_field("\n".join(lines[start - 1 : end]), limit)
                where = f"line {end}"
                if column is not None:
                    name = header[column - 1] if column <= len(header) else None
                    where += f", column {column}" + (f" ({name})" if name else "")
                message = (
                    f"{where}: a field longer than {limit} characters (csv.field_size_limit())"
                )
            problems.append(message)
            start = end + 1
            continue
        start = reader.line_num + 1
        yield reader.line_num, row


def _parse_csv(text: str, source: str) -> tuple[Prices, list[str]]:
    usage = f"the header must be {','.join(_CSV_REQUIRED)}[,currency][,source][,as_of]"
    problems: list[str] = []
    header: list[str] = []
    records = _csv_records(text, problems, header)
    head = "line 1"
    for line, row in records:
        if any(cell.strip() for cell in row):
            header.extend(cell.strip().lower() for cell in row)
            head = f"line {line}"
            break
    if not header:
        return {}, [*problems, f"line 1: empty file; {usage}"]
    shown = [_show_value(c) for c in header]
    problems += [f"{head}: missing column {c!r}; {usage}" for c in _CSV_REQUIRED if c not in header]
    problems += [
        f"{head}: unknown column {s}; {usage}"
        for c, s in zip(header, shown, strict=True)
        if c not in _CSV_COLUMNS
    ]
    problems += [
        f"{head}: column {c!r} appears twice" for c in sorted(set(header)) if header.count(c) > 1
    ]
    if problems:
        return {}, problems
    prices: Prices = {}
    first_line: dict[tuple[str, str], int] = {}
    for line, row in records:
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            problems.append(f"line {line}: expected {len(header)} fields, got {len(row)}")
            continue
        record = {key: cell.strip() for key, cell in zip(header, row, strict=True)}
        region, item, price = record["region"], record["item"], record["price"]
        found = [_check_region(region), _check_item(item), _check_amount(price)]
        as_of: date | None = None
        if record.get("as_of"):
            try:
                as_of = date.fromisoformat(record["as_of"])
            except ValueError:
                found.append(f"as_of {_show_value(record['as_of'])} is not a date YYYY-MM-DD")
        currency = record.get("currency") or "USD"
        try:
            _currency(currency)
        except PriceError as exc:
            found.append(str(exc))
        if record.get("source"):
            found.append(_source_problem(record["source"]))
        if (region, item) in first_line:
            found.append(f"{item} for {region} again (first on line {first_line[region, item]})")
        elif not any(found):
            first_line[region, item] = line
        problems.extend(f"line {line}: {p}" for p in found if p)
        if not any(found):
            prices.setdefault(region, {})[item] = Price(
                price, currency=currency, source=record.get("source") or source, as_of=as_of
            )
    return prices, problems
