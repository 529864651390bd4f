"""The bundled sample estate: synthetic Inspector data for demos, docs and tests.

Made-up accounts, instances, images and functions in three regions, with findings of all
three types on EC2, ECR and Lambda. CVE ids and CVSS vectors are real public data; all
else is invented (see ``data/sample_estate/README.md``). No AWS account is needed.

A pure reader: every file it reads (findings, inventory with machine images and their
on-demand scans, coverage records, settings, usage totals, KEV entries, finding details) is
written by ``scripts/make_sample_estate.py``; nothing is derived at load time. The CLI, the docs and
[`LoopbackDataset.sample`][inspector_kit.testing.LoopbackDataset.sample] all read the estate through
it.

It also ships EventBridge example events for your tests
([`sample_event`][inspector_kit.sample.sample_event], sources in ``sample/events/SOURCES.md``) and
builds ``Inspector2 Finding`` events from any finding
([`finding_event`][inspector_kit.sample.finding_event]), and the review log of the team running
the estate ([`sample_reviews`][inspector_kit.sample.sample_reviews]) for triage plans, and
where its accounts sit in its organisation
([`sample_accounts`][inspector_kit.sample.sample_accounts]) for reports grouped by OU.

Examples:
    >>> from inspector_kit.sample import sample_coverage_records, sample_findings
    >>> len(list(sample_findings())), sum(map(len, sample_coverage_records().values()))
    (274, 57)
"""

from __future__ import annotations

from ._accounts import sample_accounts, sample_accounts_path
from ._events import finding_event, sample_event, sample_event_names, sample_events_path
from ._files import (
    SampleSettings,
    sample_coverage_records,
    sample_estate_path,
    sample_finding_details,
    sample_finding_payloads,
    sample_findings,
    sample_kev,
    sample_machine_images,
    sample_on_demand_scans,
    sample_resources,
    sample_reviews,
    sample_settings,
    sample_usage_totals,
)
from ._inventory import sample_inventory

__all__ = [
    "SampleSettings",
    "finding_event",
    "sample_accounts",
    "sample_accounts_path",
    "sample_coverage_records",
    "sample_estate_path",
    "sample_event",
    "sample_event_names",
    "sample_events_path",
    "sample_finding_details",
    "sample_finding_payloads",
    "sample_findings",
    "sample_inventory",
    "sample_kev",
    "sample_machine_images",
    "sample_on_demand_scans",
    "sample_resources",
    "sample_reviews",
    "sample_settings",
    "sample_usage_totals",
]
