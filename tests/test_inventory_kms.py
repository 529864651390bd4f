"""Inventory gathering reads the KMS key tags of encrypted volumes (issue 16 §3).

EC2 and KMS through moto (``mock_aws``: real boto3 clients, moto's ``ListResourceTags``),
SSM through Stubber, Inspector through the loopback server, as in ``test_inventory.py``.
Faults (a denied key) are injected with a botocore ``before-call`` hook on the real KMS
client; paging is checked with botocore's Stubber, which validates every response against
the KMS service model.

Truth: AWS's agentless service-linked role page (docs/facts.md#coverage-details) says a
volume whose KMS key carries the ``InspectorEc2Exclusion`` tag is not read; KMS
``ListResourceTags`` is not cross-account and pages with ``Marker``/``NextMarker``.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws

from inspector_kit import AccessDeniedError, FetchError, PaginationError
from inspector_kit.coverage import Volume
from inspector_kit.fetch import _inventory as inventory_module
from inspector_kit.testing import LoopbackInspector

from .test_inventory import (
    AMZN1_AMI,
    EAST,
    Stubs,
    dataset,
    inspector,
    launch,
    register,
    volume_ids,
)

TAG = "InspectorEc2Exclusion"
FOREIGN_KEY = "arn:aws:kms:us-east-1:999999999999:key/0f0f0f0f-1111-2222-3333-444444444444"


@pytest.fixture
def aws() -> Iterator[None]:
    with mock_aws():
        yield


def kms_client(region: str = EAST) -> Any:
    return boto3.client("kms", region_name=region)


def new_key(region: str = EAST, tags: dict[str, str] | None = None) -> str:
    kw: dict[str, Any] = {}
    if tags:
        kw["Tags"] = [{"TagKey": k, "TagValue": v} for k, v in tags.items()]
    return str(kms_client(region).create_key(**kw)["KeyMetadata"]["Arn"])


def encrypted(*keys: str | None) -> list[dict[str, Any]]:
    """Block devices: one volume per key (``None``: unencrypted)."""
    devices = ["/dev/sda1", "/dev/sdf", "/dev/sdg", "/dev/sdh"]
    mappings = []
    for device, key in zip(devices, keys, strict=False):
        ebs: dict[str, Any] = {"VolumeSize": 8}
        if key is not None:
            ebs.update(Encrypted=True, KmsKeyId=key)
        mappings.append({"DeviceName": device, "Ebs": ebs})
    return mappings


class KeyCalls:
    """Records every ListResourceTags call's KeyId on a real client; can deny some keys."""

    def __init__(self, client: Any, deny: set[str] | None = None) -> None:
        self.client = client
        self.deny = deny or set()
        self.keys: list[str] = []
        self.params: list[dict[str, Any]] = []
        client.meta.events.register("before-call.kms.ListResourceTags", self.before_call)

    def before_call(self, params: dict[str, Any], **_: Any) -> Any:
        body = json.loads(params["body"])
        self.params.append(body)
        self.keys.append(body["KeyId"])
        if body["KeyId"] not in self.deny:
            return None
        error = {
            "Error": {
                "Code": "AccessDeniedException",
                "Message": "User is not authorized to perform: kms:ListResourceTags",
            },
            "ResponseMetadata": {"HTTPStatusCode": 400},
        }
        return _Http(400), error


class _Http:
    def __init__(self, status_code: int) -> None:
        self.status_code = status_code
        self.headers: dict[str, str] = {}


def gather(stubs: Stubs, regions: tuple[str, ...] = (EAST,)) -> Any:
    for region in regions:
        stubs.ssm_silent(region)
    with LoopbackInspector(dataset()) as server:
        inv = inspector(server, regions).inventory(clients=stubs)
    stubs.done()
    return inv


def by_volume(inv: Any) -> dict[str, Volume]:
    return {v.volume_id: v for i in inv.instances for v in i.volumes}


def test_tagged_untagged_unencrypted_and_a_shared_key_read_once(aws: None) -> None:
    excluding = new_key(tags={TAG: "", "team": "storage"})
    plain = new_key(tags={"team": "storage", "inspectorec2exclusion": "case differs"})
    al2023 = register(EAST, "al2023-ami-2023.6.20241010.0-kernel-6.1-x86_64")
    web = launch(EAST, al2023, BlockDeviceMappings=encrypted(excluding, plain, None))
    db = launch(EAST, al2023, BlockDeviceMappings=encrypted(excluding))
    stubs = Stubs()
    calls = KeyCalls(kms_client())
    stubs.clients[("kms", EAST)] = calls.client

    inv = gather(stubs)

    assert inv.errors == ()
    web_root, web_data, web_clear = volume_ids(EAST, web)
    (db_root,) = volume_ids(EAST, db)
    volumes = by_volume(inv)
    assert volumes[web_root].kms_key_excluded is True
    assert volumes[web_data].kms_key_excluded is False
    assert volumes[web_clear].kms_key_excluded is None  # not encrypted: no KMS key to read
    assert volumes[db_root].kms_key_excluded is True
    # The excluding key encrypts two volumes of two instances: it is read once.
    assert Counter(calls.keys) == {excluding: 1, plain: 1}
    assert all(p["Limit"] == 50 and "Marker" not in p for p in calls.params)
    # The analysis sees it: the unmanaged instances are scanned agentless (hybrid), and
    # agentless scans skip the excluded volumes.
    report = {c.instance.instance_id: c for c in inv.analyze().instances}
    assert {c.method.value for c in report.values()} == {"AGENTLESS"}
    assert report[web].agentless_skipped_volumes == (web_root,)
    assert report[db].agentless_skipped_volumes == (db_root,)


def test_no_encrypted_volume_means_no_kms_call(aws: None) -> None:
    launch(EAST, AMZN1_AMI, BlockDeviceMappings=encrypted(None, None))
    stubs = Stubs()
    calls = KeyCalls(kms_client())
    stubs.clients[("kms", EAST)] = calls.client
    inv = gather(stubs)
    assert (inv.errors, calls.keys) == ((), [])
    assert all(v.kms_key_excluded is None for v in by_volume(inv).values())


def test_denied_and_foreign_keys_are_unknown_with_an_error_naming_key_and_region(
    aws: None,
) -> None:
    denied = new_key(tags={TAG: "yes"})  # tagged, but we may not read it: unknown, not True
    readable = new_key(tags={TAG: "yes"})
    instance = launch(EAST, AMZN1_AMI, BlockDeviceMappings=encrypted(denied, FOREIGN_KEY, readable))
    stubs = Stubs()
    calls = KeyCalls(kms_client(), deny={denied})
    stubs.clients[("kms", EAST)] = calls.client

    inv = gather(stubs)

    root, foreign, data = volume_ids(EAST, instance)
    volumes = by_volume(inv)
    assert (volumes[root].kms_key_excluded, volumes[foreign].kms_key_excluded) == (None, None)
    assert volumes[data].kms_key_excluded is True  # the others are still read
    errors = sorted(inv.errors, key=lambda e: e.code)
    assert [type(e) for e in errors] == [AccessDeniedError, FetchError]
    access, missing = errors
    for error, key, volume, account in (
        (access, denied, root, "123456789012"),
        (missing, FOREIGN_KEY, foreign, "999999999999"),
    ):
        assert isinstance(error, FetchError)
        assert (error.region, error.operation, error.account) == (
            EAST,
            "ListResourceTags",
            account,
        )
        assert key in str(error) and volume in str(error) and EAST in str(error)
        assert "kms_key_excluded=None" in str(error)
        assert "works only on keys of the calling account" in str(error)
    assert (access.code, missing.code) == ("AccessDeniedException", "NotFoundException")
    assert "kms:ListResourceTags" in str(access)
    assert Counter(calls.keys) == {denied: 1, FOREIGN_KEY: 1, readable: 1}


def _stubbed_kms(stubs: Stubs, pages: list[dict[str, Any]], key: str, limit: int = 50) -> None:
    stub = stubs.stub("kms", EAST)
    marker: str | None = None
    for page in pages:
        expected: dict[str, Any] = {"KeyId": key, "Limit": limit}
        if marker is not None:
            expected["Marker"] = marker
        stub.add_response("list_resource_tags", page, expected)
        marker = page.get("NextMarker")


def test_tags_are_paged_with_marker_until_the_tag_is_found(aws: None) -> None:
    key = new_key()
    instance = launch(EAST, AMZN1_AMI, BlockDeviceMappings=encrypted(key))
    stubs = Stubs()
    other = [{"TagKey": f"k{n}", "TagValue": "v"} for n in range(3)]
    _stubbed_kms(
        stubs,
        [
            {"Tags": other, "Truncated": True, "NextMarker": "m2"},
            {"Tags": [], "Truncated": True, "NextMarker": "m3"},  # an empty page: go on
            {"Tags": [{"TagKey": TAG, "TagValue": ""}], "Truncated": True, "NextMarker": "m4"},
        ],
        key,
    )
    inv = gather(stubs)  # stubs.done(): exactly these three calls, with these markers
    assert inv.errors == ()
    (root,) = volume_ids(EAST, instance)
    assert by_volume(inv)[root].kms_key_excluded is True


def test_truncated_without_a_marker_is_unknown_not_false(
    aws: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(inventory_module, "KMS_TAGS_PAGE", 7)  # the module's page size is sent
    key = new_key()
    instance = launch(EAST, AMZN1_AMI, BlockDeviceMappings=encrypted(key))
    stubs = Stubs()
    _stubbed_kms(stubs, [{"Tags": [{"TagKey": "a", "TagValue": ""}], "Truncated": True}], key, 7)
    inv = gather(stubs)
    (root,) = volume_ids(EAST, instance)
    assert by_volume(inv)[root].kms_key_excluded is None
    (error,) = inv.errors
    assert isinstance(error, PaginationError)
    assert (error.region, error.operation, error.code) == (
        EAST,
        "ListResourceTags",
        "MissingNextMarker",
    )
    assert key in str(error)
