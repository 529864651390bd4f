"""Rendering every output file in memory, writing them, and the ``--check`` comparison."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import derived
from .common import SCENARIO_SEED_OFFSET, SEED
from .findings import build_findings
from .inventory import build_inventory, build_scenarios, resources_document
from .readme import readme
from .reviews import readme_section, reviews_jsonl

if TYPE_CHECKING:
    from collections.abc import Mapping

OUT_DIR = Path(__file__).resolve().parent.parent.parent / "inspector_kit" / "data" / "sample_estate"


def _dump(document: Any) -> bytes:
    return (json.dumps(document, indent=2) + "\n").encode()


def render() -> dict[str, bytes]:
    """Build every output file in memory: file name -> exact bytes."""
    rng = random.Random(SEED)
    estate = build_inventory(rng)
    findings = build_findings(rng, estate)
    # The coverage scenarios draw from their own RNG, after the main stream is consumed.
    estate = build_scenarios(random.Random(SEED + SCENARIO_SEED_OFFSET), estate)
    resources = resources_document(estate)
    jsonl = "".join(json.dumps(f, separators=(",", ":")) + "\n" for f in findings)
    return {
        "findings.jsonl": jsonl.encode(),
        "resources.json": _dump(resources),
        "README.md": readme(findings, resources, readme_section(findings)).encode(),
        # Derived files: what the library would otherwise derive at load time.
        "coverage.json": _dump(derived.coverage_document(resources, findings)),
        "settings.json": _dump(derived.settings_document(resources)),
        "usage.json": _dump(derived.usage_document(resources)),
        "kev.json": _dump(derived.kev_document()),
        "finding_details.json": _dump(derived.finding_details(findings)),
        # The team's review log as of the estate's today, written by the library itself.
        "reviews.jsonl": reviews_jsonl(findings),
    }


def problems(outputs: Mapping[str, bytes], out_dir: Path = OUT_DIR) -> list[str]:
    """Each file of ``outputs`` missing from ``out_dir`` or different there."""
    found = []
    for name, data in outputs.items():
        path = out_dir / name
        if not path.is_file():
            found.append(f"missing: {path}")
        elif path.read_bytes() != data:
            found.append(f"stale: {path} differs from the generator output")
    return found


def write(outputs: Mapping[str, bytes], out_dir: Path = OUT_DIR) -> None:
    """Write every file of ``outputs`` into ``out_dir``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, data in outputs.items():
        (out_dir / name).write_bytes(data)
