"""Many accounts (issue 20 part 1): Organizations, assumed roles, per-(account, region) outcomes.

Real boto3 clients throughout: STS and Organizations through moto (``mock_aws``; moto's
AssumeRole answers for any account and remembers which account each key belongs to), Inspector
through the loopback server, which acts as the member account a key belongs to
(``accounts=moto.iam.models.get_account_id_from``) and injects faults per account.
"""

from __future__ import annotations

import pickle
from collections import Counter
from datetime import datetime, timedelta, timezone
from typing import Any

import boto3
import pytest
from botocore.awsrequest import AWSResponse
from botocore.config import Config
from moto import mock_aws
from moto.iam.models import get_account_id_from

from inspector_kit.errors import (
    AccessDeniedError,
    AssumeRoleError,
    FetchOptionError,
    InputError,
    OrganizationsError,
    ThrottledError,
)
from inspector_kit.fetch import (
    AccountRegionOutcome,
    MemberRole,
    Organization,
    OrgInspector,
)
from inspector_kit.testing import LoopbackDataset, LoopbackInspector

DATASET = LoopbackDataset.sample()
MEMBERS = [a for a in DATASET.accounts if a != DATASET.administrator_account_id]
REGIONS = list(DATASET.regions)
FAST = Config(retries={"mode": "standard", "max_attempts": 2})


@pytest.fixture
def aws() -> Any:
    with mock_aws():
        yield


@pytest.fixture
def server() -> Any:
    with LoopbackInspector(DATASET, accounts=get_account_id_from) as srv:
        yield srv


def _org(server: LoopbackInspector, accounts: list[str], **kwargs: Any) -> OrgInspector:
    kwargs.setdefault("regions", REGIONS)
    kwargs.setdefault("config", FAST)
    return OrgInspector(
        accounts,
        kwargs.pop("role", "InspectorRead"),
        session=kwargs.pop("session", None) or server.session("us-east-1"),
        endpoint_url=server.endpoint_url,
        **kwargs,
    )


def _deny_assume_role(session: boto3.session.Session, account: str) -> None:
    """STS answers AccessDenied to AssumeRole into ``account`` (botocore short-circuit)."""

    def handler(params: dict[str, Any], **_: Any) -> tuple[AWSResponse, dict[str, Any]] | None:
        if f"::{account}:" not in params["body"]["RoleArn"]:
            return None
        http = AWSResponse("https://sts.amazonaws.com/", 403, {}, None)
        parsed = {
            "Error": {"Code": "AccessDenied", "Message": "not authorized to perform AssumeRole"},
            "ResponseMetadata": {"HTTPStatusCode": 403},
        }
        return http, parsed

    session.events.register("before-call.sts.AssumeRole", handler)


# -- Organization --------------------------------------------------------------------------


def _build_org() -> tuple[Any, dict[str, str]]:
    orgs = boto3.client("organizations", region_name="us-east-1")
    orgs.create_organization(FeatureSet="ALL")
    root = orgs.list_roots()["Roots"][0]["Id"]
    work = orgs.create_organizational_unit(ParentId=root, Name="Workloads")["OrganizationalUnit"]
    prod = orgs.create_organizational_unit(ParentId=work["Id"], Name="Prod")["OrganizationalUnit"]
    ids: dict[str, str] = {}
    for name, parent in (("app", prod["Id"]), ("tools", work["Id"]), ("sandbox", root)):
        made = orgs.create_account(Email=f"{name}@example.com", AccountName=name)
        ids[name] = made["CreateAccountStatus"]["AccountId"]
        if parent != root:
            orgs.move_account(AccountId=ids[name], SourceParentId=root, DestinationParentId=parent)
    ids["work"] = work["Id"]
    ids["prod"] = prod["Id"]
    return orgs, ids


def test_organization_ou_paths_and_names(aws: None) -> None:
    orgs, ids = _build_org()
    org = Organization(client=orgs)
    paths = org.ou_paths()
    assert paths[ids["app"]] == "Root/Workloads/Prod"
    assert paths[ids["tools"]] == "Root/Workloads"
    assert paths[ids["sandbox"]] == "Root"
    assert org.names()[ids["tools"]] == "tools"
    # the management account is an account of the organization too
    management = orgs.describe_organization()["Organization"]["MasterAccountId"]
    assert set(org.account_ids()) == {ids["app"], ids["tools"], ids["sandbox"], management}


def test_organization_under_ous_recurses(aws: None) -> None:
    orgs, ids = _build_org()
    org = Organization(client=orgs, ous=[ids["work"]])
    assert org.ou_paths() == {ids["app"]: "Root/Workloads/Prod", ids["tools"]: "Root/Workloads"}
    assert Organization(client=orgs, ous=[ids["prod"]]).account_ids() == (ids["app"],)


def test_organization_keeps_only_active_accounts(aws: None) -> None:
    orgs, ids = _build_org()
    orgs.close_account(AccountId=ids["sandbox"])
    org = Organization(client=orgs)
    states = {a.account_id: a.state for a in org.all_accounts()}
    assert states[ids["sandbox"]] != "ACTIVE"
    assert ids["sandbox"] not in org.account_ids()
    assert ids["app"] in org.account_ids()


def test_organization_errors_are_typed(aws: None) -> None:
    orgs = boto3.client("organizations", region_name="us-east-1")  # no organization exists
    with pytest.raises(OrganizationsError) as info:
        Organization(client=orgs).accounts()
    assert info.value.operation == "ListRoots"
    assert info.value.code == "AWSOrganizationsNotInUseException"
    with pytest.raises(FetchOptionError):
        Organization(client=orgs, ous=["Workloads"])


# -- MemberRole ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"role": ""}, "role must be"),
        ({"role": "arn:aws:iam::111122223333:role/R"}, "needs '{account}'"),
        ({"role": "R", "session_name": "x"}, "session_name"),
        ({"role": "R", "duration_seconds": 43201}, "between 900 and 43200"),
        ({"role": "R", "via": "HubRole"}, "hub role's ARN"),
        ({"role": "R", "via": "arn:aws:iam::1:role/H", "duration_seconds": 7200}, "at most 3600"),
    ],
)
def test_member_role_rejects_what_sts_would(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(InputError, match=message):
        MemberRole(**kwargs)


# -- OrgInspector --------------------------------------------------------------------------


def test_findings_of_each_member_come_through_its_own_role(aws: None, server: Any) -> None:
    outcomes: list[AccountRegionOutcome] = []
    stream = _org(server, MEMBERS).findings(on_outcome=outcomes.append)
    found = list(stream)
    # independent truth: the dataset's ACTIVE findings of each account
    for account in MEMBERS:
        expected = {
            p["findingArn"]
            for p in DATASET.finding_payloads()
            if p["awsAccountId"] == account and p.get("status", "ACTIVE") == "ACTIVE"
        }
        assert expected
        assert {f.finding_arn for f in found if f.aws_account_id == account} == expected
    assert {f.aws_account_id for f in found} <= set(MEMBERS)
    assert stream.failures == ()
    assert sorted((o.account, o.region) for o in outcomes) == sorted(
        (a, r) for a in MEMBERS for r in REGIONS
    )
    assert sum(o.items for o in outcomes) == len(found) == stream.count


def test_assume_role_denied_is_that_accounts_failure_only(aws: None, server: Any) -> None:
    session = server.session("us-east-1")
    denied, fine = MEMBERS
    _deny_assume_role(session, denied)
    stream = _org(server, MEMBERS, session=session).coverage()
    resources = list(stream)
    assert {(a, r) for a, r in stream.errors} == {(denied, r) for r in REGIONS}
    for error in stream.errors.values():
        assert isinstance(error, AssumeRoleError)
        assert error.account == denied
        assert error.code == "AccessDenied"
        assert error.role_arn == f"arn:aws:iam::{denied}:role/InspectorRead"
        assert pickle.loads(pickle.dumps(error)).role_arn == error.role_arn
    assert resources and {r.account_id for r in resources} == {fine}
    assert stream.pairs == len(MEMBERS) * len(REGIONS)


def test_inspector_denied_and_throttled_per_account(aws: None, server: Any) -> None:
    denied, throttled = MEMBERS
    server.faults.deny_accounts = {denied}
    server.faults.throttle_accounts = {throttled}
    stream = _org(server, MEMBERS).findings()
    assert list(stream) == []
    kinds = {key: type(err) for key, err in stream.errors.items()}
    assert kinds == {
        **{(denied, r): AccessDeniedError for r in REGIONS},
        **{(throttled, r): ThrottledError for r in REGIONS},
    }
    assert all(err.account == key[0] for key, err in stream.errors.items())


def test_a_slow_account_does_not_hold_the_others(aws: None, server: Any) -> None:
    slow, fast = MEMBERS
    server.faults.latency_by_account = {slow: 0.3}
    finished: list[str] = []
    stream = _org(server, MEMBERS, regions=["us-east-1"], max_workers=2).account_status(
        on_outcome=lambda o: finished.append(o.account)
    )
    states = list(stream)
    assert finished == [fast, slow]
    assert {s.account_id for s in states} == {slow, fast}
    assert stream.failures == ()


def test_hub_and_spoke_assumes_members_from_the_hub(aws: None, server: Any) -> None:
    hub = "arn:aws:iam::999988887777:role/InspectorHub"
    session = server.session("us-east-1")
    calls: list[dict[str, Any]] = []
    session.events.register(  # the caller's own AssumeRole calls: the hub's only
        "before-call.sts.AssumeRole", lambda params, **_: calls.append(params["body"])
    )
    org = _org(
        server,
        MEMBERS,
        session=session,
        role=MemberRole("InspectorRead", via=hub, external_id="ext-1"),
    )
    states = list(org.configuration())
    assert len(states) == len(MEMBERS) * len(REGIONS)
    # the STS client members are assumed from signs as the hub role
    sts = org._member_sts()
    identity = sts.get_caller_identity()
    assert identity["Account"] == "999988887777"
    assert ":assumed-role/InspectorHub/" in identity["Arn"]
    assert [c["RoleArn"] for c in calls] == [hub]  # assumed once, whatever the member count
    assert "ExternalId" not in calls[0]  # the external id is the members' trust condition


def test_member_credentials_refresh_before_expiry(aws: None, server: Any) -> None:
    org = _org(server, MEMBERS[:1])
    creds = org.credentials(MEMBERS[0])
    first = creds.get_frozen_credentials().access_key
    assert get_account_id_from(first) == MEMBERS[0]
    # botocore refreshes when the expiry is near (its mandatory window): make it near
    creds._expiry_time = datetime.now(timezone.utc) + timedelta(seconds=30)  # type: ignore[attr-defined]
    second = creds.get_frozen_credentials().access_key
    assert second != first
    assert get_account_id_from(second) == MEMBERS[0]


def test_accounts_are_validated_and_taken_lazily(aws: None, server: Any) -> None:
    taken: list[str] = []

    def accounts() -> Any:
        for a in MEMBERS:
            taken.append(a)
            yield a

    stream = _org(server, [], regions=["us-east-1"])
    stream.accounts = accounts()
    run = stream.account_status()
    assert taken == []  # nothing read before iteration
    assert Counter(s.account_id for s in run) == Counter(MEMBERS)
    with pytest.raises(FetchOptionError, match="12 digits"):
        list(_org(server, ["not-an-account"]).account_status())


# -- delegated-administrator views ---------------------------------------------------------


def test_admin_views_need_no_member_role(aws: None) -> None:
    with LoopbackInspector(DATASET) as srv:  # every key is the delegated administrator
        session = srv.session("us-east-1")
        _deny_assume_role(session, MEMBERS[0])
        _deny_assume_role(session, MEMBERS[1])
        org = _org(srv, MEMBERS, session=session)
        members = {m.account_id for m in org.admin.members()}
        assert set(MEMBERS) <= members
        totals = list(org.admin.usage_totals(account_ids=MEMBERS))
        assert {t.account_id for t in totals} <= set(MEMBERS)
        assert totals
        assert org._sts is None  # no role was assumed (no STS client was even made)


def test_member_deep_inspection_status_batches_by_100(aws: None) -> None:
    from botocore.stub import Stubber

    ids = [f"{100000000000 + i:012d}" for i in range(150)]
    session = boto3.Session(
        aws_access_key_id="a", aws_secret_access_key="b", region_name="us-east-1"
    )
    org = OrgInspector([], "Read", session=session, regions=["us-east-1"])
    client = org.admin.client("us-east-1")
    stub = Stubber(client)
    stub.add_response(
        "batch_get_member_ec2_deep_inspection_status",
        {
            "accountIds": [{"accountId": a, "status": "ACTIVATED"} for a in ids[:99]],
            "failedAccountIds": [
                {"accountId": ids[99], "ec2ScanStatus": "DISABLED", "errorMessage": "not enabled"}
            ],
        },
        {"accountIds": ids[:100]},
    )
    stub.add_response(
        "batch_get_member_ec2_deep_inspection_status",
        {"accountIds": [{"accountId": a, "status": "DEACTIVATED"} for a in ids[100:]]},
        {"accountIds": ids[100:]},
    )
    with stub:
        statuses, errors = org.member_deep_inspection_status(ids)
    stub.assert_no_pending_responses()
    assert errors == {}
    assert len(statuses) == 150
    failed = [s for s in statuses if s.failed]
    assert [(s.account_id, s.status) for s in failed] == [(ids[99], "DISABLED")]
    assert Counter(s.status for s in statuses if not s.failed) == {
        "ACTIVATED": 99,
        "DEACTIVATED": 50,
    }


def test_member_deep_inspection_status_end_to_end_on_the_loopback(aws: None) -> None:
    # Three members in us-east-1: one ACTIVATED, one DEACTIVATED, one whose EC2 scanning is
    # disabled (a failed account with its ec2ScanStatus); plus an account nobody knows.
    from inspector_kit.testing import finding_payload

    a, b, c = "111111111111", "222222222222", "333333333333"
    findings = [
        finding_payload(
            findingArn=f"arn:aws:inspector2:us-east-1:{acct}:finding/{n:032x}",
            awsAccountId=acct,
        )
        for n, acct in enumerate((a, b, c))
    ]
    region = "us-east-1"
    dataset = LoopbackDataset.from_findings(
        findings,
        deep_inspection={(b, region): {"status": "DEACTIVATED"}},
        account_status={(c, region): "DISABLED"},
        administrator_account_id="999999999999",
    )
    unknown = "444444444444"
    with LoopbackInspector(dataset) as srv:
        org = _org(srv, [], regions=[region])
        statuses, errors = org.member_deep_inspection_status([a, b, c, unknown])
    assert errors == {}
    got = {(s.account_id, s.status, s.failed) for s in statuses}
    assert got == {
        (a, "ACTIVATED", False),
        (b, "DEACTIVATED", False),
        (c, "DISABLED", True),
        (unknown, None, True),
    }
    assert all(s.region == region for s in statuses)
    assert next(s for s in statuses if s.account_id == c).error_message == (
        f"EC2 scanning is DISABLED for account {c}"
    )


def test_an_account_where_inspector_is_disabled_is_an_outcome(aws: None) -> None:
    # The service's own answer (BatchGetAccountStatus: state.status DISABLED) makes the pair an
    # InspectorNotEnabledError naming the status, never an empty list; the others go on.
    from inspector_kit.errors import InspectorNotEnabledError
    from inspector_kit.testing import finding_payload

    a, b = "111111111111", "222222222222"
    region = "us-east-1"
    findings = [
        finding_payload(
            findingArn=f"arn:aws:inspector2:{region}:{acct}:finding/{n:032x}", awsAccountId=acct
        )
        for n, acct in enumerate((a, b))
    ]
    dataset = LoopbackDataset.from_findings(
        findings, account_status={(b, region): "SUSPENDED"}, administrator_account_id=a
    )
    with LoopbackInspector(dataset, accounts=get_account_id_from) as srv:
        stream = _org(srv, [a, b], regions=[region]).findings()
        got = list(stream)
        error = stream.errors[(b, region)]
        assert isinstance(error, InspectorNotEnabledError)
        assert (error.inspector_status, error.account, error.region) == ("SUSPENDED", b, region)
        assert [f.aws_account_id for f in got] == [a]
        assert list(stream.errors) == [(b, region)]
        # Without the check the pair reads as the service serves it (here: its findings).
        unchecked = _org(srv, [a, b], regions=[region]).findings(check_enabled=False)
        assert sorted(f.aws_account_id for f in unchecked) == [a, b] and not unchecked.errors
        # A role that may not read the status is not stopped by the check.
        srv.faults.deny_accounts = {b}
        srv.faults.operations = frozenset({"BatchGetAccountStatus"})
        denied = _org(srv, [a, b], regions=[region]).findings()
        assert sorted(f.aws_account_id for f in denied) == [a, b] and not denied.errors
        coverage = _org(srv, [a, b], regions=[region]).coverage()
        list(coverage)
        assert not coverage.errors


def test_inventory_is_read_inside_each_member_account(aws: None, server: Any) -> None:
    made = {account: instance for instance, account in _instances_in_members(MEMBERS).items()}
    outcomes: list[AccountRegionOutcome] = []
    stream = _org(server, MEMBERS, regions=["us-east-1"]).inventory(on_outcome=outcomes.append)
    inventories = list(stream)
    assert stream.failures == ()
    assert len(inventories) == len(MEMBERS)
    seen = {i.instance_id: i.account_id for inv in inventories for i in inv.instances}
    assert seen == {made[a]: a for a in MEMBERS}


# -- command line --------------------------------------------------------------------------


def test_cli_findings_over_accounts(aws: None, server: Any, capsys: Any) -> None:
    import json

    from inspector_kit.cli import main

    server.faults.deny_accounts = {MEMBERS[1]}
    code = main(
        [
            "findings",
            "--accounts", ",".join(MEMBERS),
            "--role", "arn:{partition}:iam::{account}:role/InspectorRead",
            "--external-id", "ext-1",
            "--region", "us-east-1",
            "--endpoint-url", server.endpoint_url,
            "--format", "json",
        ]
    )  # fmt: skip
    captured = capsys.readouterr()
    rows = json.loads(captured.out)
    assert rows
    assert {r["awsAccountId"] for r in rows} == {MEMBERS[0]}
    assert code != 0  # one account failed: a partial result, not a clean one
    assert MEMBERS[1] in captured.err
    assert "access denied in us-east-1 (account 444455556666)" in captured.err


def test_cli_accounts_need_a_role(aws: None, capsys: Any) -> None:
    from inspector_kit.cli import main

    code = main(["findings", "--accounts", MEMBERS[0], "--region", "us-east-1"])
    assert code != 0
    assert "--role" in capsys.readouterr().err


def test_cli_names_a_role_that_cannot_be_assumed(
    aws: None, server: Any, capsys: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from inspector_kit.cli import main

    # moto assumes any role: deny AssumeRole into MEMBERS[0] on every session the command makes
    original = boto3.session.Session.__init__

    def patched(self: Any, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        _deny_assume_role(self, MEMBERS[0])

    monkeypatch.setattr(boto3.session.Session, "__init__", patched)
    code = main(
        ["findings", "--accounts", MEMBERS[0], "--role", "InspectorRead",
         "--region", "us-east-1", "--endpoint-url", server.endpoint_url, "--format", "json"]
    )  # fmt: skip
    err = capsys.readouterr().err
    assert code != 0
    assert f"arn:aws:iam::{MEMBERS[0]}:role/InspectorRead" in err
    assert "trust policy" in err


def test_region_clients_have_a_connection_per_worker(aws: None, server: Any) -> None:
    org = _org(server, MEMBERS, max_workers=24)
    client = org.core.client("us-east-1")
    assert client.meta.config.max_pool_connections == 24
    # the caller's Config still applies: max_attempts=2 retries, 3 attempts in all
    assert client.meta.config.retries["total_max_attempts"] == 3


def _instances_in_members(accounts: list[str]) -> dict[str, str]:
    """One EC2 instance in each member account (moto keeps accounts apart): id -> account."""
    made: dict[str, str] = {}
    sts = boto3.client("sts", region_name="us-east-1")
    for account in accounts:
        c = sts.assume_role(RoleArn=f"arn:aws:iam::{account}:role/Setup", RoleSessionName="setup")[
            "Credentials"
        ]
        ec2 = boto3.client(
            "ec2",
            region_name="us-east-1",
            aws_access_key_id=c["AccessKeyId"],
            aws_secret_access_key=c["SecretAccessKey"],
            aws_session_token=c["SessionToken"],
        )
        image = ec2.describe_images(Owners=["amazon"])["Images"][0]["ImageId"]
        run = ec2.run_instances(ImageId=image, MinCount=1, MaxCount=1)
        made[run["Instances"][0]["InstanceId"]] = account
    return made


def test_cli_coverage_over_accounts(
    aws: None, server: Any, capsys: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import json

    from moto.ssm.responses import SimpleSystemManagerResponse

    from inspector_kit.cli import main

    # moto has no DescribeInstanceInformation: answer "no managed instance", as SSM does for
    # instances without the agent (else every pair would carry that error).
    monkeypatch.setattr(
        SimpleSystemManagerResponse,
        "describe_instance_information",
        lambda self: json.dumps({"InstanceInformationList": []}),
        raising=False,
    )
    made = _instances_in_members(MEMBERS)
    original = boto3.session.Session.__init__
    base = ["--accounts", ",".join(MEMBERS), "--role", "InspectorRead", "--region", "us-east-1",
            "--endpoint-url", server.endpoint_url, "--format", "json"]  # fmt: skip
    code = main(["coverage", *base])
    captured = capsys.readouterr()
    rows = json.loads(captured.out)
    assert code == 0, captured.err
    # Every member's instance, read inside its account with its role.
    assert {r["instance_id"]: r["account_id"] for r in rows} == made
    code = main(["coverage", *base, "--group-by", "account"])
    groups = json.loads(capsys.readouterr().out)
    assert code == 0 and {g["account_id"] for g in groups} == set(MEMBERS)

    # A member whose role cannot be assumed: its pair is an error line, the others are read.
    def patched(self: Any, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        _deny_assume_role(self, MEMBERS[0])

    monkeypatch.setattr(boto3.session.Session, "__init__", patched)
    code = main(["coverage", *base])
    captured = capsys.readouterr()
    assert code != 0  # a partial result, never a clean one
    assert {r["account_id"] for r in json.loads(captured.out)} == set(MEMBERS[1:])
    assert f"arn:aws:iam::{MEMBERS[0]}:role/InspectorRead" in captured.err
    code = main(["coverage", *base, "--sample-inventory"])
    assert code != 0 and "--sample-inventory" in capsys.readouterr().err


def test_cli_usage_totals_over_accounts(aws: None, capsys: Any) -> None:
    import json

    from inspector_kit.cli import main

    # Usage totals are the delegated administrator's view: every key is the administrator.
    with LoopbackInspector(DATASET) as admin:
        code = main(
            ["cost", "--usage-totals", "--accounts", MEMBERS[0], "--role", "InspectorRead",
             "--region", "us-east-1", "--endpoint-url", admin.endpoint_url, "--format", "json"]
        )  # fmt: skip
    captured = capsys.readouterr()
    assert code == 0, captured.err
    rows = json.loads(captured.out)
    assert rows and {r["account_id"] for r in rows} == {MEMBERS[0]}
