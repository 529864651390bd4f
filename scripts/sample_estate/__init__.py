"""Generator of the synthetic Amazon Inspector "sample estate" shipped in ``inspector_kit/data``.

This package is the documentation of how the sample data was made. It writes into
``inspector_kit/data/sample_estate/``:

* ``findings.jsonl``  - one Inspector ``Finding`` per line, in the botocore API shape;
* ``resources.json``  - the inventory (accounts with their EC2 scan mode per region, regions,
  EC2 instances with SSM status, volumes, OS and the coverage Inspector reports and an
  analysis should conclude, ECR images, Lambda functions) the findings were generated from;
* ``README.md``       - what the data is, how it was made, counts and conventions;
* derived files, so that no reader derives anything at load time: ``coverage.json``
  (``ListCoverage`` records per region), ``settings.json`` (configuration, deep inspection,
  account status and members per account and region), ``usage.json`` (``ListUsageTotals``
  quantities, unpriced), ``kev.json`` (illustrative CISA KEV entries) and
  ``finding_details.json`` (``BatchGetFindingDetails`` payloads).

The modules, in the order data flows through them:

* ``common`` - the seed, the estate's dates, regions and accounts, small helpers;
* ``vulns`` and ``catalogue`` - the declarative catalogue: CVEs with verified
  vectors, distributions and packages, instances (the 17 with findings and the ten
  findings-free coverage scenarios), images, functions, code detectors;
* ``oracle`` - THE INDEPENDENT ORACLE: each instance's expected coverage, written from
  AWS's documents, not from the library (tests compare the library against it);
* ``inventory`` - pure builders: placement (ids, addresses, dates) into an ``Estate``,
  and ``resources.json``;
* ``findings`` - pure builders of the findings;
* ``derived`` - pure builders of the derived files;
* ``readme`` - the README text;
* ``output`` - ``render()`` (every file in memory), ``write()`` and ``problems()``
  (the ``--check`` comparison);
* ``cli`` - ``main()``, called by ``scripts/make_sample_estate.py``.

No module holds mutable state: the catalogue is frozen dataclasses and constants, and
placement returns new objects.

Everything is SYNTHETIC: accounts, resource ids, IP addresses, package inventories,
statuses and timestamps are made up. The CVE ids and their CVSS vectors are real public
data (each vector was checked against the NVD record, the GitHub advisory, or an AWS
documentation example; see ``VULNS``), and every score is computed from its vector with
the ``cvss`` package, never typed by hand.

The output is byte-identical from run to run: one ``random.Random`` with a fixed seed for
the original inventory and findings, a second one (``SEED + SCENARIO_SEED_OFFSET``) drawn
only after the first is consumed, for the scenario instances (so adding them changed no
existing id, date or finding), fixed dates (never the wall clock), ids derived from SHA-256
of stable keys (volume ids, SSM details), and a stable ordering. Only the standard library
and ``cvss`` are used, on Python 3.10+.
"""

from __future__ import annotations

from .cli import main
from .output import render

__all__ = ["main", "render"]
