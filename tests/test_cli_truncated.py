"""The CLI ``summary`` of a file cut off mid-array keeps the findings read before the cut."""

from __future__ import annotations

import io
import json

from inspector_kit._cli.summary import _report
from inspector_kit.loaders import load_findings
from inspector_kit.sample import sample_findings


def test_truncated_file_prints_findings_and_error(tmp_path) -> None:  # type: ignore[no-untyped-def]
    findings = list(sample_findings())[:3]
    text = json.dumps({"findings": [f.to_api() for f in findings]}, default=str)
    cut = text[: text.index(findings[2].finding_arn)]  # mid third finding
    path = tmp_path / "cut.json"
    path.write_text(cut)
    loaded = load_findings(path)
    out, err = io.StringIO(), io.StringIO()
    status = _report(loaded, out, err)
    assert len(list(load_findings(path))) == 2
    assert "2" in out.getvalue().splitlines()[0]
    assert err.getvalue()
    assert status != 0
