"""Golden-file test of the *structure* of ``inspector-kit demo``.

Numbers, ids and names in the demo change whenever the sample estate or the analyses do;
this test pins only the sequence of line shapes: each line's leading label ("Findings:",
"EC2 coverage of N instances", ...), or for data rows the kinds of their first two fields
(``<num> <WORD>`` for a finding row, ``<id> <WORD>`` for an instance row, ...), with its
indentation level. Volatile parts (the loopback port, ages like "(45d)", the version) are
normalised first.

When the demo changes on purpose, regenerate the golden file and review its diff::

    UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_demo_golden.py
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from inspector_kit import __version__
from inspector_kit.cli import main

GOLDEN = Path(__file__).parent / "golden" / "demo_structure.txt"

_LABEL_WORD = re.compile(r"^(?:[A-Za-z][A-Za-z0-9_]*|\d+|#\d+|\.\.\.)(:?)$")
_MAX_LABEL_WORDS = 8


def normalise(line: str) -> str:
    """Replace the parts of a demo line that change from run to run."""
    line = line.replace(__version__, "VERSION")
    line = re.sub(r"127\.0\.0\.1:\d+", "127.0.0.1:PORT", line)
    return re.sub(r"\(\d+d\)", "(Nd)", line)


def _kind(token: str) -> str:
    if re.fullmatch(r"[\d.,/%+-]+", token):
        return "<num>"
    if re.fullmatch(r"[A-Z][A-Z_]+", token):
        return "<WORD>"
    if re.fullmatch(r"[a-z]+:\S*", token):  # a URL or a Package URL: keep its scheme
        return token.split(":", 1)[0] + ":"
    return "<id>"


def shape(line: str) -> str:
    """The shape of one line of demo output: indentation level + leading label or kinds."""
    text = normalise(line).rstrip()
    if not text.strip():
        return ""
    indent = len(text) - len(text.lstrip())
    level = "" if indent == 0 else "  " if indent <= 4 else "    "
    label: list[str] = []
    for word in text.split():
        match = _LABEL_WORD.match(word)
        if not match or len(label) == _MAX_LABEL_WORDS:
            break
        label.append(re.sub(r"^(#?)\d+", r"\1N", word))  # counts vary; "EC2" stays
        if match.group(1):  # "Label:" ends the label
            break
    if label:
        return level + " ".join(label)
    return level + " ".join(_kind(t) for t in text.split()[:2])


def demo_structure(capsys: pytest.CaptureFixture[str]) -> str:
    """Run the demo in-process and return the shapes of its lines, one per line."""
    code = main(["demo"])
    out = capsys.readouterr().out
    assert code == 0, out
    return "\n".join(shape(line) for line in out.splitlines()) + "\n"


def test_shape_examples() -> None:
    assert shape("Findings: 274 (ACTIVE 228 · SUPPRESSED 17 · CLOSED 29)") == "Findings:"
    assert shape("Endpoint: http://127.0.0.1:42609  Regions: a") == "Endpoint:"
    assert shape("EC2 coverage of 27 instances (inventory vs ...)") == "EC2 coverage of N instances"
    assert shape("   9.8 CRITICAL KB5041160  x i-1 ap-northeast-1 (146d)") == "  <num> <WORD>"
    assert shape("         pkg:npm/tough-cookie@4.1.2") == "    pkg:"
    assert shape("  archive-17   NOT_COVERED The instance ...") == "  <id> <WORD>"
    assert normalise("x 127.0.0.1:8080 (45d)") == "x 127.0.0.1:PORT (Nd)"


def test_demo_structure_matches_golden(capsys: pytest.CaptureFixture[str]) -> None:
    actual = demo_structure(capsys)
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.parent.mkdir(parents=True, exist_ok=True)
        GOLDEN.write_text(actual, encoding="utf-8")
    expected = GOLDEN.read_text(encoding="utf-8")
    assert actual == expected, (
        f"the demo's structure changed; if that is intended, run "
        f"UPDATE_GOLDEN=1 pytest {Path(__file__).name} and review the diff of {GOLDEN.name}"
    )
