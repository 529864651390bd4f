"""Footprint for Lambda: cold import time of what a handler needs, and installed size.

Two measures (issue 18, item 13; the cold-start target is issue 19's, item 7), both against a
baseline taken in the same run:

* **Cold import.** Each statement runs in a fresh interpreter (``python -X importtime -c``),
  ``--runs`` times, the statements interleaved so that a noisy neighbour slows them all alike;
  the median is reported, and its ratio to ``import boto3`` (what every Lambda handler that
  calls AWS pays anyway). The import time is the sum of the top-level ``-X importtime``
  entries of the statement (interpreter start-up excluded); the wall time also counts the
  work the statement does (decoding one event). The modules a statement leaves in
  ``sys.modules`` are checked against the budget, and the package's own modules and attrs
  classes are counted. **Target** (issue 19): the handler's wall time, ``from inspector_kit
  import load_findings`` plus decoding one EventBridge event, at most ``HANDLER_TARGET``
  (0.7x) that of ``import boto3``. The line saying so ends in ``ok`` or ``MISSED``; the script
  exits 0 either way (it is a measure, not a test).
* **Installed size.** The dependency closure of the base install and of each extra, read from
  ``pyproject.toml`` and the installed distributions' metadata (``importlib.metadata``; no
  network, no new venv): each distribution's size is the sum of the files its ``RECORD`` lists
  (as installed, ``__pycache__`` included where pip compiled them). Every distribution of a
  closure must be installed here (``make test`` installs every extra).

The budget (asserted by ``tests/test_footprint.py``, which imports this module):

* ``import inspector_kit`` (with ``load_findings`` and ``Finding``) and ``import
  inspector_kit.triage`` load none of ``HEAVY``: no boto3, no CLI, no tables, no holiday data;
* the handler (``load_findings`` and one event decoded) loads none of ``HANDLER_NOT_LOADED``
  (the models of aggregations, coverage, accounts..., criteria, scoring, pricing, the
  writers, packageurl, cvss), at most ``HANDLER_MODULE_BUDGET`` modules of inspector_kit and
  at most ``HANDLER_ATTRS_CLASS_BUDGET`` attrs classes (61 and 126 before issue 19);
* the base install's closure includes none of ``NOT_IN_BASE``;
* the base install without the AWS SDK (which the Lambda Python runtime provides) stays under
  ``DEPLOY_BUDGET_MB`` on disk.

Usage::

    python benchmarks/footprint.py                # print the report (5 runs per statement)
    python benchmarks/footprint.py --quick        # smoke run: one run per statement
    python benchmarks/footprint.py --runs 11 --write   # also write benchmarks/results/footprint.md
"""

from __future__ import annotations

import argparse
import compileall
import datetime
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from importlib import metadata
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results" / "footprint.md"

#: Top-level modules a handler's imports must not load (checked in ``sys.modules``).
HEAVY = (
    "boto3",
    "botocore",
    "rich",
    "pygments",
    "markdown_it",
    "holidays",
    "pandas",
    "pyarrow",
    "numpy",
    "matplotlib",
    "duckdb",
    "openpyxl",
)
#: What a handler that reads findings (``load_findings`` + one EventBridge event) must not
#: load: a module named here, or any module under it (issue 19, item 7).
HANDLER_NOT_LOADED = (
    "inspector_kit.models._account",
    "inspector_kit.models._aggregations",
    "inspector_kit.models._configuration",
    "inspector_kit.models._coverage",
    "inspector_kit.models._finding_details",
    "inspector_kit.models._free_trial",
    "inspector_kit.models._integrations",
    "inspector_kit.criteria",
    "inspector_kit.scoring",
    "inspector_kit.coverage",
    "inspector_kit.pricing",
    "inspector_kit.triage",
    "inspector_kit.history",
    "inspector_kit.fetch",
    "inspector_kit.sample",
    "inspector_kit.purl",
    "inspector_kit.sbom",
    "inspector_kit.formats._records",
    "inspector_kit.formats._csv",
    "inspector_kit.formats._frames",
    "inspector_kit.formats._cyclonedx",
    "inspector_kit.formats._spdx",
    # The other shapes load_findings reads, imported when a record of theirs comes
    # (formats._foreign), and the notebook views' HTML.
    "inspector_kit._scan_sbom",
    "inspector_kit._sbom_model",
    "inspector_kit.formats._asff",
    "inspector_kit.formats._ocsf",
    "inspector_kit.formats._ecr",
    "inspector_kit._html",
    "packageurl",
    "cvss",
    "yaml",
)
#: The handler's budget: modules of inspector_kit, and attrs classes they define.
HANDLER_MODULE_BUDGET = 25
HANDLER_ATTRS_CLASS_BUDGET = 50
#: Issue 19's target: the handler's wall time / ``import boto3``'s.
HANDLER_TARGET = 0.7
_HANDLER = "handler: import + decode one event"

#: Distributions the base install must not bring (normalised names).
NOT_IN_BASE = ("rich", "pygments", "markdown-it-py", "mdurl", "holidays", "pandas", "pyarrow")
#: The AWS SDK and what it brings: the Lambda Python runtime includes them (docs/facts.md).
LAMBDA_PROVIDED = (
    "boto3",
    "botocore",
    "s3transfer",
    "jmespath",
    "python-dateutil",
    "six",
    "urllib3",
)
#: The base install without LAMBDA_PROVIDED, on disk (MB = 10**6 bytes).
DEPLOY_BUDGET_MB = 10.0

#: Statement name -> Python code run in a fresh interpreter; ``EVENT`` is a file path.
STATEMENTS = {
    "import boto3": "import boto3",
    "bare: import inspector_kit": "import inspector_kit",
    "import inspector_kit": (
        "import inspector_kit\nfrom inspector_kit import load_findings, Finding"
    ),
    "import inspector_kit.triage": "import inspector_kit.triage",
    _HANDLER: (
        "from inspector_kit import load_findings\nfindings = list(load_findings(EVENT))\n"
        "assert len(findings) == 1"
    ),
}
#: The extras' heavy imports, for scale (skipped when not installed).
EXTRA_STATEMENTS = {
    "import rich.table (extra cli)": "import rich.console, rich.table",
    "import holidays (extra holidays)": "import holidays",
}
_BASELINE = "import boto3"

_CHILD = """\
import sys, time, json
EVENT = {event!r}
sys.stderr.write("--measured--\\n")
start = time.perf_counter()
{code}
wall = time.perf_counter() - start
ours = sorted(m for m in list(sys.modules) if m.partition(".")[0] == "inspector_kit")
attr = sys.modules.get("attr")
classes = {{
    id(v)
    for m in ours
    for v in vars(sys.modules[m]).values()
    if isinstance(v, type) and attr is not None and attr.has(v) and v.__module__ == m
}}
print(json.dumps({{
    "wall": wall,
    "modules": sorted({{m.split(".")[0] for m in sys.modules}}),
    "all_modules": sorted(sys.modules),
    "ours": ours,
    "attrs_classes": len(classes),
}}))
"""
_COPY = "INSPECTOR_KIT_FOOTPRINT_COPY"  # the directory of ``installed_copy``'s package
_IMPORTTIME = re.compile(r"^import time:\s*(\d+)\s*\|\s*(\d+)\s*\|( *)(\S+)")


def normalise(name: str) -> str:
    """A distribution name in PEP 503 form (``PyYAML`` -> ``pyyaml``)."""
    return re.sub(r"[-_.]+", "-", name).lower()


# --- cold import ---------------------------------------------------------------------------


def run_once(code: str, event: str, env: dict[str, str] | None = None) -> dict[str, Any]:
    # With an environment from ``installed_copy``, run where the copy is: ``python -c`` puts
    # the working directory first on the path, and this checkout's package must not win.
    """Run ``code`` in a fresh ``python -X importtime``; its import and wall time, modules."""
    child = _CHILD.format(event=event, code=code)
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", child],
        capture_output=True,
        text=True,
        check=False,
        env=env,
        cwd=None if env is None else env.get(_COPY),
    )
    if done.returncode != 0:
        raise RuntimeError(f"{code!r} failed:\n{done.stderr[-2000:]}")
    imported_us = count = 0
    measured = False
    for line in done.stderr.splitlines():
        if line == "--measured--":
            measured = True
            continue
        match = _IMPORTTIME.match(line)
        if measured and match:
            count += 1
            if len(match.group(3)) == 1:  # top level: its cumulative time includes its imports
                imported_us += int(match.group(2))
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    result["import"] = imported_us / 1e6
    result["count"] = count
    return result


def sample_event(directory: Path) -> str:
    """An ``Inspector2 Finding`` EventBridge event (the first sample finding) in a file."""
    from inspector_kit import sample_findings

    finding = next(iter(sample_findings()))
    event = {
        "version": "0",
        "id": "00000000-0000-0000-0000-000000000000",
        "detail-type": "Inspector2 Finding",
        "source": "aws.inspector2",
        "account": finding.aws_account_id,
        "time": "2026-12-04T00:00:00Z",
        "region": finding.region,
        "resources": [finding.finding_arn],
        "detail": finding.to_api(),
    }
    path = directory / "event.json"
    path.write_text(json.dumps(event, default=str), encoding="utf-8")
    return str(path)


def not_loaded_violations(modules: list[str]) -> list[str]:
    """The modules of ``modules`` that ``HANDLER_NOT_LOADED`` forbids (or lives under)."""
    return sorted(
        m
        for m in modules
        for banned in HANDLER_NOT_LOADED
        if m == banned or m.startswith(banned + ".")
    )


def installed_copy(directory: Path) -> dict[str, str]:
    """A byte-compiled copy of the package in ``directory``, and the environment that imports it.

    pip byte-compiles a wheel's modules when it installs them (and a Lambda package built
    with ``pip install --target`` ships them), as it did boto3's in the virtual environment;
    this checkout, an editable install, has none when ``PYTHONDONTWRITEBYTECODE`` is set (as
    on this machine), so each run would compile every module of ours from source while
    boto3's load from ``.pyc``. The children import this compiled copy instead: both sides
    as installed.
    """
    target = directory / "inspector_kit"
    shutil.copytree(ROOT / "inspector_kit", target, ignore=shutil.ignore_patterns("__pycache__"))
    if not compileall.compile_dir(str(target), quiet=1):
        raise RuntimeError(f"could not byte-compile {target}")
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(directory), env.get("PYTHONPATH")]))
    env[_COPY] = str(directory)
    where = subprocess.run(
        [sys.executable, "-c", "import inspector_kit; print(inspector_kit.__file__)"],
        capture_output=True,
        text=True,
        check=True,
        env=env,
        cwd=directory,
    ).stdout.strip()
    if not where.startswith(str(target)):
        raise RuntimeError(f"the children import {where}, not the compiled copy in {target}")
    return env


def measure_imports(
    runs: int, event: str, extras: bool = True, env: dict[str, str] | None = None
) -> dict[str, dict[str, Any]]:
    """Median (and best) import and wall time per statement over ``runs`` interleaved runs."""
    statements = dict(STATEMENTS)
    for name, code in EXTRA_STATEMENTS.items() if extras else ():
        try:
            run_once(code, event, env)
        except RuntimeError:
            continue
        statements[name] = code
    samples: dict[str, list[dict[str, Any]]] = {name: [] for name in statements}
    for _ in range(runs):
        for name, code in statements.items():
            samples[name].append(run_once(code, event, env))
    return {
        name: {
            "import": statistics.median(s["import"] for s in runs_),
            "wall": statistics.median(s["wall"] for s in runs_),
            "walls": [s["wall"] for s in runs_],
            "count": runs_[-1]["count"],
            "modules": runs_[-1]["modules"],
            "all_modules": runs_[-1]["all_modules"],
            "ours": runs_[-1]["ours"],
            "attrs_classes": runs_[-1]["attrs_classes"],
        }
        for name, runs_ in samples.items()
    }


# --- installed size ------------------------------------------------------------------------


def project_requirements() -> tuple[list[str], dict[str, list[str]]]:
    """The base dependencies and the extras of ``pyproject.toml`` (this checkout's)."""
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib  # type: ignore[no-redef]

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return list(project["dependencies"]), dict(project["optional-dependencies"])


def closure(requirements: list[str], extras: dict[str, list[str]]) -> set[str]:
    """Every distribution ``requirements`` install here (markers evaluated, extras followed).

    ``inspector-kit[x,y]`` names this project's own extras, which are expanded from
    ``extras``; any other requirement is followed through its installed metadata.
    """
    from packaging.requirements import Requirement

    seen: set[str] = set()
    todo = [(Requirement(text), "") for text in requirements]
    while todo:
        req, extra = todo.pop()
        if req.marker is not None and not req.marker.evaluate({"extra": extra}):
            continue
        name = normalise(req.name)
        if name == "inspector-kit":
            for wanted in req.extras:
                todo += [(Requirement(text), "") for text in extras[wanted]]
            continue
        for wanted in ("", *sorted(req.extras)):
            key = f"{name}[{wanted}]"
            if key in seen:
                continue
            seen.add(key)
            try:
                requires = metadata.distribution(name).requires or []
            except metadata.PackageNotFoundError:
                raise RuntimeError(f"{name} is not installed: install the dev extra") from None
            todo += [(Requirement(text), wanted) for text in requires]
    return {key.split("[", 1)[0] for key in seen}


def installed_size(name: str) -> int:
    """Bytes on disk of the files the distribution's ``RECORD`` lists."""
    dist = metadata.distribution(name)
    total = 0
    for file in dist.files or ():
        try:
            total += os.path.getsize(str(dist.locate_file(file)))
        except OSError:
            continue
    return total


def package_size() -> int:
    """Bytes of this checkout's ``inspector_kit`` package (sources and data, no caches)."""
    return sum(
        path.stat().st_size
        for path in (ROOT / "inspector_kit").rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    )


def measure_sizes() -> dict[str, Any]:
    """The closure and size of the base install, of the base for Lambda, and of each extra.

    ``inspector-kit`` itself counts as this checkout's package (it may be installed editable).
    """
    base_reqs, extras = project_requirements()
    base = closure(base_reqs, extras)
    sizes = {name: installed_size(name) for name in base}
    sizes["inspector-kit"] = package_size()
    base.add("inspector-kit")
    groups: dict[str, Any] = {
        "base": {"dists": sorted(base), "bytes": sum(sizes.values())},
    }
    deploy = base - set(LAMBDA_PROVIDED)
    groups["base without the AWS SDK (Lambda)"] = {
        "dists": sorted(deploy),
        "bytes": sum(sizes[d] for d in deploy),
    }
    for extra in ("cli", "holidays", "pandas", "arrow", "plot", "excel", "duckdb", "sbom"):
        if extra not in extras:
            continue
        try:
            added = closure(extras[extra], extras) - base
        except RuntimeError:
            continue
        groups[f"extra {extra} (added)"] = {
            "dists": sorted(added),
            "bytes": sum(installed_size(d) for d in added),
        }
    before = closure([*base_reqs, "inspector-kit[cli,holidays]"], extras) | {"inspector-kit"}
    groups["base before issue 18 (rich and holidays in it)"] = {
        "dists": sorted(before),
        "bytes": sum(sizes.get(d) or installed_size(d) for d in before),
    }
    return groups


# --- report --------------------------------------------------------------------------------


def report(imports: dict[str, dict[str, Any]], sizes: dict[str, Any], runs: int) -> str:
    """The results as Markdown, with the budget checks."""
    base_import = imports[_BASELINE]["import"]
    base_wall = imports[_BASELINE]["wall"]
    today = datetime.date.today().isoformat()
    lines = [
        "# Footprint for Lambda",
        "",
        f"{today}, {os.cpu_count()}-core machine, Python {platform.python_version()}, "
        f"medians of {runs} fresh interpreters per statement (interleaved); "
        "written by `python benchmarks/footprint.py --write`. The children import a "
        "byte-compiled copy of the package, as pip installs it (boto3's `.pyc` are in the "
        "environment too; this checkout has none where `PYTHONDONTWRITEBYTECODE` is set).",
        "",
        "## Cold import",
        "",
        "| Statement | import (ms) | / `import boto3` | wall (ms) | / `import boto3` "
        "| modules | inspector_kit modules | attrs classes | heavy modules loaded |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for name, m in imports.items():
        heavy = sorted(set(m["modules"]) & set(HEAVY))
        lines.append(
            f"| `{name}` | {m['import'] * 1e3:.0f} | {m['import'] / base_import:.2f}x "
            f"| {m['wall'] * 1e3:.0f} | {m['wall'] / base_wall:.2f}x | {m['count']} "
            f"| {len(m['ours'])} | {m['attrs_classes']} | {', '.join(heavy) or 'none'} |"
        )
    handler = imports[_HANDLER]
    banned = not_loaded_violations(handler["all_modules"])
    lines += [
        "",
        handler_line(imports),
        "",
        "The ratio of the medians of each statement's wall time; the median of the "
        f"{runs} rounds' own ratios (each round runs the statements back to back): "
        f"{round_ratio(imports):.2f}x. The handler loads "
        f"{len(handler['ours'])} modules of inspector_kit (budget {HANDLER_MODULE_BUDGET}) and "
        f"{handler['attrs_classes']} attrs classes (budget {HANDLER_ATTRS_CLASS_BUDGET}); "
        f"of the modules it must not load: {', '.join(banned) or 'none'}.",
        "",
        "Budgets: the handler statements load none of "
        f"{', '.join(f'`{h}`' for h in HEAVY)}, and the handler none of "
        f"{', '.join(f'`{h}`' for h in HANDLER_NOT_LOADED)} "
        "(asserted by `tests/test_footprint.py`).",
        "",
        "## Installed size",
        "",
        "| Install | MB on disk | distributions |",
        "|---|---|---|",
    ]
    for name, group in sizes.items():
        lines.append(
            f"| {name} | {group['bytes'] / 1e6:.1f} | {', '.join(group['dists']) or '-'} |"
        )
    deploy = sizes["base without the AWS SDK (Lambda)"]["bytes"] / 1e6
    verdict = "ok" if deploy <= DEPLOY_BUDGET_MB else "OVER BUDGET"
    lines += [
        "",
        f"Budget: the base install without the AWS SDK (the Lambda Python runtime includes "
        f"it) <= {DEPLOY_BUDGET_MB:.0f} MB: {deploy:.1f} MB, {verdict}. Lambda's own limit is "
        "250 MB unzipped, layers included (docs/facts.md).",
        "",
    ]
    return "\n".join(lines)


def round_ratio(imports: dict[str, dict[str, Any]]) -> float:
    """The median over rounds of the handler's wall time / ``import boto3``'s in that round."""
    pairs = zip(imports[_HANDLER]["walls"], imports[_BASELINE]["walls"], strict=True)
    return float(statistics.median(ours / base for ours, base in pairs))


def handler_line(imports: dict[str, dict[str, Any]]) -> str:
    """The target's line: the handler's ratio to ``import boto3``, ``ok`` or ``MISSED``."""
    ratio = imports[_HANDLER]["wall"] / imports[_BASELINE]["wall"]
    verdict = "ok" if ratio <= HANDLER_TARGET else "MISSED"
    return (
        f"handler (import + decode one event) / `import boto3`: {ratio:.2f}x "
        f"(target <= {HANDLER_TARGET}x) {verdict}"
    )


def main(argv: list[str] | None = None) -> int:
    """Measure, print the report, and write it with ``--write``."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--runs", type=int, default=5, help="fresh interpreters per statement")
    parser.add_argument("--write", action="store_true", help=f"write {RESULTS.relative_to(ROOT)}")
    parser.add_argument(
        "--quick", action="store_true", help="smoke run: one run per statement, no extras"
    )
    args = parser.parse_args(argv)
    runs = 1 if args.quick else args.runs
    with tempfile.TemporaryDirectory() as directory:
        event = sample_event(Path(directory))
        env = installed_copy(Path(directory) / "site")
        imports = measure_imports(runs, event, extras=not args.quick, env=env)
    sizes = measure_sizes()
    text = report(imports, sizes, runs)
    print(text)
    print(handler_line(imports))  # last, where a smoke run's reader looks
    if args.write:
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        RESULTS.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
