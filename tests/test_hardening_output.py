"""Output hardening: data is printed as data, never as markup, control sequences or formulas.

Issue 14, items 6 (rich markup), 7 (terminal escapes), 8 (spreadsheet header cells),
9 (Markdown) and 17 (credentials in debug logs).
"""

from __future__ import annotations

import csv
import html.parser
import io
import json
import logging
import re
import sys
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from inspector_kit import Finding, sample_findings
from inspector_kit import formats as fm
from inspector_kit._cli.common import emit
from inspector_kit.cli import EXIT_OK, EXIT_USAGE, main
from inspector_kit.formats._text import _markdown_text, _printable
from inspector_kit.logs import LIBRARY_LOGGERS, RedactingFilter, configure_logging, redact
from inspector_kit.testing import LoopbackDataset, LoopbackInspector

# An OSC 8 hyperlink, a screen clear, an 8-bit CSI, BEL and a right-to-left override.
ESCAPES = "\x1b]8;;http://evil\x1b\\click\x1b]8;;\x1b\\ \x1b[2J\x9b31m\x07\u202e"
MARKUP = "[link=http://x]y[/link]"
# What must never reach a terminal, as raw characters.
RAW_CONTROLS = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


class Terminal(io.StringIO):
    """A stream that says it is a terminal."""

    def isatty(self) -> bool:
        return True


def hostile_payload(
    *, title: str, vulnerability_id: str, package: str, resource: str, n: int = 0
) -> dict[str, Any]:
    """A sample package finding with attacker-controlled strings where data is printed."""
    base = next(
        f
        for f in sample_findings()
        if f.vulnerable_packages and f.primary_resource.type == "AWS_EC2_INSTANCE"
    )
    payload = base.to_api()
    payload["findingArn"] = payload["findingArn"][:-2] + f"{n:02x}"
    payload["title"] = title
    details = payload["packageVulnerabilityDetails"]
    details["vulnerabilityId"] = vulnerability_id
    details["vulnerablePackages"][0]["name"] = package
    payload["resources"][0]["id"] = resource
    return payload


@pytest.fixture(scope="module")
def hostile_server() -> Iterator[LoopbackInspector]:
    findings = [
        hostile_payload(
            title=MARKUP, vulnerability_id=MARKUP, package="pkg[/]", resource="i-[/]", n=1
        ),
        hostile_payload(
            title="t" + ESCAPES,
            vulnerability_id="CVE-" + ESCAPES,
            package="p" + ESCAPES,
            resource="i-" + ESCAPES,
            n=2,
        ),
    ]
    with LoopbackInspector(LoopbackDataset.from_findings(findings)) as server:
        yield server


def run(server: LoopbackInspector, capsys: pytest.CaptureFixture[str], *argv: str) -> Any:
    region = hostile_payload(title="", vulnerability_id="", package="", resource="")[
        "findingArn"
    ].split(":")[3]
    code = main([*argv, "--endpoint-url", server.endpoint_url, "--regions", region])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


# ----------------------------------------------------------------------------- item 6


def test_table_prints_markup_as_literal_text(
    hostile_server: LoopbackInspector, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(hostile_server, capsys, "findings", "--format", "table")
    assert code == EXIT_OK, err  # "[/]" used to crash rich: MarkupError, traceback, exit 1
    assert MARKUP in out  # shown as typed, not turned into a link reading "y"
    assert "i-[/]" in out
    assert not RAW_CONTROLS.search(out)
    assert "CVE-\\x1b]8;;http://evil" in out


def test_name_tag_is_literal_in_a_terminal_table() -> None:
    out = Terminal()
    rows = [{"instance_id": "i-1", "name": MARKUP}, {"instance_id": "i-2", "name": "[/]"}]
    emit(out, "table", None, (("instance_id", "Instance"), ("name", "Name")), rows)
    text = out.getvalue()
    assert "\x1b]8;" not in text  # no OSC 8 hyperlink was made
    assert MARKUP in text and "[/]" in text


# ----------------------------------------------------------------------------- item 7


def test_summary_escapes_control_characters(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "hostile.json"
    payload = hostile_payload(
        title="t" + ESCAPES,
        vulnerability_id="CVE-" + ESCAPES,
        package="p" + ESCAPES,
        resource="i-" + ESCAPES,
    )
    path.write_text(fm.to_json([Finding.from_api(payload)]), encoding="utf-8")
    assert main(["summary", str(path)]) == EXIT_OK
    out = capsys.readouterr().out
    assert not RAW_CONTROLS.search(out), repr(out)
    assert "CVE-\\x1b]8;;http://evil" in out
    lines = fm.to_records([Finding.from_api(payload)])  # the data itself is kept
    assert lines[0]["title"] == "t" + ESCAPES


def test_triage_and_rescore_tables_escape_control_characters(
    hostile_server: LoopbackInspector, capsys: pytest.CaptureFixture[str]
) -> None:
    for command in ("triage", "rescore"):
        code, out, err = run(hostile_server, capsys, command, "--format", "table")
        assert code == EXIT_OK, err
        assert not RAW_CONTROLS.search(out), (command, out)
    code, out, _ = run(hostile_server, capsys, "triage", "--format", "table")
    assert "i-\\x1b]8;;http://evil" in out


def test_csv_and_markdown_are_escaped_on_a_terminal_and_exact_in_a_pipe(
    hostile_server: LoopbackInspector,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for fmt in ("csv", "md", "json"):
        terminal = Terminal()
        with monkeypatch.context() as patch:
            patch.setattr(sys, "stdout", terminal)
            code, _, err = run(hostile_server, capsys, "findings", "--format", fmt)
        assert code == EXIT_OK, err
        assert ("\\u001b" if fmt == "json" else "\\x1b") in terminal.getvalue()  # shown
        assert not RAW_CONTROLS.search(terminal.getvalue()), fmt
    # Piped (or redirected to a file): the data exactly.
    code, out, _ = run(hostile_server, capsys, "findings", "--format", "csv")
    titles = {row["title"] for row in csv.DictReader(io.StringIO(out, newline=""))}
    assert "t" + ESCAPES in titles
    code, out, _ = run(hostile_server, capsys, "findings", "--format", "json")
    assert "t" + ESCAPES in {f["title"] for f in json.loads(out)}


def test_error_lines_are_single_escaped_lines(capsys: pytest.CaptureFixture[str]) -> None:
    main(["summary", "missing\x1b[2J\nfake line.json"])
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1 and not RAW_CONTROLS.search(err)
    assert "missing\\x1b[2J\\nfake line.json" in err
    # argparse echoes what was typed: escaped as well.
    assert main(["findings", "--regions", "us-east-1", "stray\x1b[2J"]) == EXIT_USAGE
    err = capsys.readouterr().err
    assert "stray\\x1b[2J" in err and not RAW_CONTROLS.search(err)


_UNPRINTABLE_CATEGORIES = {"Cc", "Cs", "Zl", "Zp"}
_BIDI = {
    "\u061c",
    "\u200e",
    "\u200f",
    *map(chr, range(0x202A, 0x202F)),
    *"\u2066\u2067\u2068\u2069",
}


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec=None, exclude_categories=())))
def test_printable_leaves_nothing_a_terminal_acts_on(text: str) -> None:
    shown = _printable(text)
    assert not any(unicodedata.category(c) in _UNPRINTABLE_CATEGORIES or c in _BIDI for c in shown)
    assert _printable(shown) == shown  # escaping twice changes nothing more
    if not any(unicodedata.category(c) in _UNPRINTABLE_CATEGORIES or c in _BIDI for c in text):
        assert shown == text
    shown.encode("utf-8")  # always printable: no lone surrogate is left


# ----------------------------------------------------------------------------- item 8


FORMULA = '=HYPERLINK("http://evil","x")'


def test_csv_header_cells_are_neutralised() -> None:
    text = fm.to_csv([{FORMULA: 1, "+cmd": "=1+2", "plain": "ok"}])
    header, row = list(csv.reader(io.StringIO(text, newline="")))
    assert header == ["'" + FORMULA, "'+cmd", "plain"]
    assert row == ["1", "'=1+2", "ok"]


def test_excel_header_cells_are_text_not_formulas(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    fm.write_excel([{FORMULA: 1, "@x": 2, "plain": 3}], tmp_path / "x.xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "x.xlsx")["records"]
    assert [c.value for c in sheet[1]] == ["'" + FORMULA, "'@x", "plain"]
    assert all(c.data_type == "s" for c in sheet[1])
    assert [c.value for c in sheet[2]] == [1, 2, 3]


# ----------------------------------------------------------------------------- item 9


class _Cells(html.parser.HTMLParser):
    """The rows of the tables in rendered HTML, ``<br>`` as a line feed; other tags noted."""

    TABLE_TAGS = frozenset({"table", "thead", "tbody", "tr", "th", "td", "br"})
    # What our own Markdown holds outside tables (CoverageReport's headings and bullets).
    OWN_TAGS = frozenset({"h2", "h3", "ul", "li", "p"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: list[list[str]] = []
        self.other_tags: list[str] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = []
        elif tag == "br" and self._cell is not None:
            self._cell.append("\n")
        elif tag not in self.TABLE_TAGS and (self._cell is not None or tag not in self.OWN_TAGS):
            self.other_tags.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append("".join(self._cell))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def render(markdown: str) -> _Cells:
    """GFM tables rendered by markdown-it (raw HTML allowed, as GitHub's renderer does)."""
    from markdown_it import MarkdownIt

    html = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
    cells = _Cells()
    cells.feed(html.render(markdown))
    return cells


HOSTILE_MD = '<img src=x onerror="alert(1)"> [a](http://x) a\\|b *em* `c` ~~s~~ x\ry &amp;'


def test_markdown_table_renders_data_as_literal_text() -> None:
    rows = [{"title": HOSTILE_MD, "<b>key</b>": "-2 | # 1. x"}]
    cells = render(fm.to_markdown(rows))
    assert cells.other_tags == []  # no <img>, <a>, <em>, <code>, <s>, <b>
    assert cells.rows == [
        ["title", "<b>key</b>"],
        [HOSTILE_MD.replace("\r", "\n"), "-2 | # 1. x"],
    ]


def test_coverage_markdown_uses_the_same_escaper() -> None:
    from datetime import datetime, timezone

    from inspector_kit.coverage import Ec2Instance, analyze

    name = "web\\|01 <img src=x onerror=alert(1)>\rX"
    instance = Ec2Instance(
        instance_id="i-0123456789abcdef0",
        account_id="111122223333",
        region="eu-west-1",
        tags={"Name": name},
    )
    now = datetime(2026, 11, 22, tzinfo=timezone.utc)
    report = analyze([instance], configuration="EC2_SSM_AGENT_BASED", now=now)
    cells = render(report.to_markdown())
    assert cells.other_tags == []
    assert len(cells.rows) == 2 and all(len(r) == 7 for r in cells.rows)
    assert cells.rows[1][0] == "i-0123456789abcdef0 (" + name.replace("\r", "\n") + ")"
    text = report.to_text()
    assert "\r" not in text and "web\\|01 <img src=x onerror=alert(1)>\\rX" in text


# Markdown's own characters, often; any other letter, number, punctuation or symbol too.
_MD_ALPHABET = st.one_of(
    st.sampled_from(list("\\`*_[]()|~<>&;#!-+=.:/ \n\r1a")),
    st.characters(
        codec="utf-8",
        categories=("L", "N", "P", "S", "Zs"),
        exclude_characters="\x00\u00a0",
    ),
)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=_MD_ALPHABET, min_size=1))
def test_markdown_cells_render_as_their_text(text: str) -> None:
    expected = re.sub("\r\n|\r", "\n", text)
    if not expected.strip(" \n"):
        return  # an empty cell
    cells = render("| h |\n| --- |\n| " + _markdown_text(text) + " |\n")
    assert cells.other_tags == []
    assert [r[0].strip(" ") for r in cells.rows] == ["h", expected.strip(" ")]


# ----------------------------------------------------------------------------- item 17

TOKEN = "IQoJb3JpZ2luX2VjEXAMPLESESSIONTOKENvalue/with+base64=="
SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
ACCESS_KEY = "ASIAIOSFODNN7EXAMPLE"


@pytest.fixture
def restore_logging() -> Iterator[None]:
    root = logging.getLogger()
    handlers = list(root.handlers)
    levels = {name: logging.getLogger(name).level for name in LIBRARY_LOGGERS}
    yield
    root.handlers[:] = handlers
    for name, level in levels.items():
        logging.getLogger(name).setLevel(level)


def _list_findings(server: LoopbackInspector) -> None:
    session = boto3.Session(
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET,
        aws_session_token=TOKEN,
        region_name="us-east-1",
    )
    client = session.client("inspector2", endpoint_url=server.endpoint_url)
    client.list_findings(maxResults=1)


def test_botocore_debug_log_is_redacted(restore_logging: None) -> None:
    with LoopbackInspector() as server:
        endpoint = server.endpoint_url
        # Without the filter, botocore's DEBUG log holds the session token: the threat is real.
        plain = io.StringIO()
        handler = logging.StreamHandler(plain)
        logging.getLogger("botocore").setLevel(logging.DEBUG)
        logging.getLogger().addHandler(handler)
        _list_findings(server)
        logging.getLogger().removeHandler(handler)
        assert TOKEN in plain.getvalue()

        stream = io.StringIO()
        configure_logging("DEBUG", stream=stream)
        _list_findings(server)
    log = stream.getvalue()
    assert TOKEN not in log and SECRET not in log and ACCESS_KEY not in log
    # Still useful: what was called, where, with which headers, and the answer.
    assert "ListFindings" in log and endpoint in log
    assert "x-amz-security-token" in log.lower() and "Signature=[REDACTED]" in log
    assert "Response headers" in log and "200" in log


def test_debug_flag_shows_botocore_log_without_credentials(
    restore_logging: None,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", ACCESS_KEY)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET)
    monkeypatch.setenv("AWS_SESSION_TOKEN", TOKEN)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    with LoopbackInspector() as server:
        code = main(
            [
                "findings",
                "--debug",
                "--limit",
                "1",
                "--regions",
                "us-east-1",
                "--endpoint-url",
                server.endpoint_url,
            ]
        )
    err = capsys.readouterr().err
    assert code == EXIT_OK
    assert "botocore" in err and "Signature=[REDACTED]" in err
    assert TOKEN not in err and SECRET not in err and ACCESS_KEY not in err


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("<Credentials><AccessKeyId>ASIAIOSFODNN7EXAMPLE</AccessKeyId>", ACCESS_KEY),
        (f"<SecretAccessKey>{SECRET}</SecretAccessKey>", SECRET),
        (f"<SessionToken>{TOKEN}</SessionToken>", TOKEN),
        (f'b\'{{"roleCredentials":{{"secretAccessKey":"{SECRET}"', SECRET),
        (f'{{"sessionToken": "{TOKEN}", "expiration": 1}}', TOKEN),
        (f"aws_secret_access_key = {SECRET}", SECRET),
        (f"https://b.s3.amazonaws.com/k?X-Amz-Security-Token={TOKEN}&X-Amz-Date=1", TOKEN),
        (
            "?X-Amz-Signature=0123456789abcdef0123&X-Amz-Credential=AKIDEXAMPLE%2F2026",
            "0123456789abcdef",
        ),
        ("?X-Amz-Credential=AKIDEXAMPLE%2F2026", "AKIDEXAMPLE"),
        (f"'x-amz-sso_bearer_token': b'{TOKEN}'", TOKEN),
        (f"Authorization: Bearer {TOKEN}", TOKEN),
        (
            "Signature:\nfe5f80f77d5fa3beca038a248ff027d0445342fe2855ddc963176630326f1024",
            "fe5f80f7",
        ),
    ],
)
def test_redact_known_credential_forms(text: str, secret: str) -> None:
    assert secret not in redact(text) and "[REDACTED]" in redact(text)


def test_filter_redacts_arguments_and_tracebacks() -> None:
    try:
        raise RuntimeError(f"failed: X-Amz-Security-Token={TOKEN}")
    except RuntimeError:
        record = logging.LogRecord(
            "botocore.endpoint",
            logging.DEBUG,
            __file__,
            1,
            "request: %s",
            ({"SessionToken": TOKEN},),
            sys.exc_info(),
        )
    assert RedactingFilter().filter(record)
    formatted = logging.Formatter().format(record)
    assert "request: {'SessionToken': '[REDACTED]'}" in formatted
    assert "Traceback" in formatted and f"X-Amz-Security-Token={TOKEN}" not in formatted
