"""The CLI ``summary`` of a file cut off mid-array keeps the findings read before the cut."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from inspector_kit._cli.common import EXIT_PARTIAL
from inspector_kit.cli import main
from inspector_kit.sample import sample_findings


def test_truncated_file_prints_findings_and_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    findings = list(sample_findings())[:3]
    text = json.dumps({"findings": [f.to_api() for f in findings]}, default=str)
    path = tmp_path / "cut.json"
    path.write_text(text[: text.index(findings[2].finding_arn)])  # cut inside the third finding
    status = main(["summary", str(path)])
    out, err = capsys.readouterr()
    assert status == EXIT_PARTIAL
    assert "\nFindings: 2 (ACTIVE 2)\n" in out, out  # the two read before the cut
    assert "error:" in err and "cut.json" in err, err
