"""Fetch plumbing at unit level: real boto3 clients with botocore's Stubber.

Stubber validates every stubbed response against the service model and every request
against the expected parameters, so these tests pin what we send and what we accept.
"""

from __future__ import annotations

import itertools
import pickle
import re
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import (
    ClientError,
    EndpointConnectionError,
    NoCredentialsError,
    ParamValidationError,
)
from botocore.stub import Stubber

from inspector_kit import (
    AccessDeniedError,
    FetchError,
    Inspector,
    PaginationError,
    PartialResultError,
    ServiceUnavailableError,
    ServiceValidationError,
    ThrottledError,
)
from inspector_kit.fetch._client import (
    DEFAULT_MAX_ATTEMPTS,
    USER_AGENT,
    ClientFactory,
    merge_config,
    resolve_regions,
)
from inspector_kit.fetch._errors import translate
from inspector_kit.fetch._pages import pages
from inspector_kit.testing import finding_payload

REGION = "eu-west-1"


def _client() -> Any:
    return boto3.Session(region_name=REGION).client("inspector2", region_name=REGION)


def _finding(n: int) -> dict[str, Any]:
    arn = f"arn:aws:inspector2:{REGION}:111122223333:finding/{n:032x}"
    return finding_payload(findingArn=arn)


# -- pagination -----------------------------------------------------------------------


def test_first_call_has_no_token_and_paging_continues_past_empty_pages() -> None:
    client = _client()
    base = {"maxResults": 100, "filterCriteria": {}}
    with Stubber(client) as stub:
        # The exact expected params prove: no nextToken first, then each token once.
        stub.add_response("list_findings", {"findings": [_finding(1)], "nextToken": "t1"}, base)
        stub.add_response(
            "list_findings", {"findings": [], "nextToken": "t2"}, {**base, "nextToken": "t1"}
        )
        stub.add_response(
            "list_findings", {"findings": [], "nextToken": "t3"}, {**base, "nextToken": "t2"}
        )
        stub.add_response("list_findings", {"findings": [_finding(2)]}, {**base, "nextToken": "t3"})
        got = list(
            pages(
                client, "ListFindings", "list_findings", base, items_key="findings", region=REGION
            )
        )
        stub.assert_no_pending_responses()
    assert [len(p.items) for p in got] == [1, 0, 0, 1]
    assert [p.number for p in got] == [1, 2, 3, 4]


def test_a_token_given_in_params_is_not_sent_first() -> None:
    client = _client()
    with Stubber(client) as stub:
        stub.add_response("list_findings", {"findings": []}, {"maxResults": 10})
        list(
            pages(
                client,
                "ListFindings",
                "list_findings",
                {"maxResults": 10, "nextToken": ""},
                items_key="findings",
                region=REGION,
            )
        )
        stub.assert_no_pending_responses()


def test_a_repeated_token_ends_with_a_clear_error_not_a_loop() -> None:
    client = _client()
    with Stubber(client) as stub:
        stub.add_response("list_findings", {"findings": [_finding(1)], "nextToken": "same"})
        stub.add_response("list_findings", {"findings": [_finding(2)], "nextToken": "same"})
        got = []
        pager = pages(
            client, "ListFindings", "list_findings", {}, items_key="findings", region=REGION
        )
        with pytest.raises(PaginationError) as info:
            got.extend(pager)
    assert len(got) == 2  # the pages before the repeat were delivered
    assert info.value.region == REGION
    assert info.value.operation == "ListFindings"
    assert info.value.code == "RepeatedNextToken"
    assert "same" in str(info.value)


def test_endless_empty_pages_end_with_an_error() -> None:
    client = _client()
    with Stubber(client) as stub:
        for n in range(5):
            stub.add_response("list_findings", {"findings": [], "nextToken": f"t{n}"})
        with pytest.raises(PaginationError, match="3 empty pages in a row") as info:
            list(
                pages(
                    client,
                    "ListFindings",
                    "list_findings",
                    {},
                    items_key="findings",
                    region=REGION,
                    max_empty_pages=3,
                )
            )
    assert info.value.code == "TooManyEmptyPages"


def test_stopped_pager_sends_nothing_more() -> None:
    client = _client()
    with Stubber(client) as stub:
        stub.add_response("list_findings", {"findings": [_finding(1)], "nextToken": "t1"})
        calls = iter([False, True])
        got = list(
            pages(
                client,
                "ListFindings",
                "list_findings",
                {},
                items_key="findings",
                region=REGION,
                stopped=lambda: next(calls),
            )
        )
        stub.assert_no_pending_responses()
    assert len(got) == 1


def test_client_errors_become_fetch_errors_naming_region_and_operation() -> None:
    client = _client()
    with Stubber(client) as stub:
        stub.add_client_error(
            "list_findings",
            service_error_code="AccessDeniedException",
            service_message="User is not authorized",
            http_status_code=403,
        )
        with pytest.raises(AccessDeniedError) as info:
            list(
                pages(
                    client, "ListFindings", "list_findings", {}, items_key="findings", region=REGION
                )
            )
    err = info.value
    assert (err.region, err.operation, err.code, err.status) == (
        REGION,
        "ListFindings",
        "AccessDeniedException",
        403,
    )
    assert isinstance(err.__cause__, ClientError)
    assert "inspector2:ListFindings" in str(err)  # the hint names the permission


# -- error translation ----------------------------------------------------------------


def _client_error(code: str, status: int) -> ClientError:
    return ClientError(
        {"Error": {"Code": code, "Message": "m"}, "ResponseMetadata": {"HTTPStatusCode": status}},
        "ListFindings",
    )


@pytest.mark.parametrize(
    ("exc", "cls", "code"),
    [
        (_client_error("AccessDeniedException", 403), AccessDeniedError, "AccessDeniedException"),
        (
            _client_error("UnrecognizedClientException", 400),
            AccessDeniedError,
            "UnrecognizedClientException",
        ),
        (_client_error("ExpiredTokenException", 400), AccessDeniedError, "ExpiredTokenException"),
        (_client_error("ThrottlingException", 429), ThrottledError, "ThrottlingException"),
        (_client_error("ValidationException", 400), ServiceValidationError, "ValidationException"),
        (
            _client_error("InternalServerException", 500),
            ServiceUnavailableError,
            "InternalServerException",
        ),
        (_client_error("ServiceUnavailable", 503), ServiceUnavailableError, "ServiceUnavailable"),
        (_client_error("ResourceNotFoundException", 404), FetchError, "ResourceNotFoundException"),
        (_client_error("ConflictException", 409), FetchError, "ConflictException"),
        (NoCredentialsError(), AccessDeniedError, "NoCredentialsError"),
        (
            EndpointConnectionError(endpoint_url="https://x"),
            ServiceUnavailableError,
            "EndpointConnectionError",
        ),
        (ParamValidationError(report="bad"), ServiceValidationError, "ParamValidationError"),
        (RuntimeError("odd"), FetchError, "RuntimeError"),
    ],
)
def test_translate(exc: BaseException, cls: type[FetchError], code: str) -> None:
    err = translate(exc, region="us-east-1", operation="ListFindings", account="111122223333")
    assert type(err) is cls
    assert err.code == code
    assert (err.region, err.operation, err.account) == ("us-east-1", "ListFindings", "111122223333")
    assert err.__cause__ is exc
    assert str(err).startswith("us-east-1 111122223333 ListFindings: ")
    again = pickle.loads(pickle.dumps(err))
    assert type(again) is cls and str(again) == str(err)


def test_partial_result_error_pickles_and_summarises() -> None:
    denied = AccessDeniedError("no", region="eu-west-1", code="AccessDeniedException")
    slow = ThrottledError("slow", region="us-east-1", code="ThrottlingException")
    err = PartialResultError({"us-east-1": slow, "eu-west-1": denied})
    assert str(err) == (
        "2 regions failed: eu-west-1 (AccessDeniedException: no); "
        "us-east-1 (ThrottlingException: slow)"
    )
    again = pickle.loads(pickle.dumps(err))
    assert str(again) == str(err) and set(again.errors) == {"us-east-1", "eu-west-1"}


# -- configuration --------------------------------------------------------------------


def test_default_config_is_throttling_proof_and_names_the_library() -> None:
    cfg = merge_config(None)
    assert cfg.retries == {"mode": "standard", "max_attempts": DEFAULT_MAX_ATTEMPTS}
    # 30% throttling: every attempt throttled has probability 0.3**n; keep it < 1e-6.
    assert 0.3**DEFAULT_MAX_ATTEMPTS < 1e-6
    assert cfg.user_agent_extra == USER_AGENT


def test_user_config_merges_option_by_option() -> None:
    cfg = merge_config(
        Config(retries={"max_attempts": 3}, user_agent_extra="my-bot/2", connect_timeout=1)
    )
    assert cfg.retries == {"mode": "standard", "max_attempts": 3}
    assert cfg.user_agent_extra == f"my-bot/2 {USER_AGENT}"
    assert cfg.connect_timeout == 1
    assert cfg.read_timeout == 60  # ours, kept


def test_user_agent_reaches_the_wire() -> None:
    client = ClientFactory(boto3.Session(region_name=REGION)).get(REGION)
    seen: list[str] = []

    client.meta.events.register(
        "before-send.inspector2.*", lambda request, **kw: _respond(request, seen)
    )
    client.get_configuration()
    assert USER_AGENT in seen[0]


def _respond(request: Any, seen: list[str]) -> Any:
    from botocore.awsrequest import AWSResponse

    agent = request.headers["User-Agent"]
    seen.append(agent.decode() if isinstance(agent, bytes) else agent)

    class _Raw:
        def stream(self, **_: Any) -> Any:
            yield b"{}"

    return AWSResponse(request.url, 200, {}, _Raw())


def test_endpoint_override_from_the_environment_keeps_working(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL_INSPECTOR2", "http://127.0.0.1:9")
    client = ClientFactory(boto3.Session(region_name=REGION)).get(REGION)
    assert client.meta.endpoint_url == "http://127.0.0.1:9"
    explicit = ClientFactory(
        boto3.Session(region_name=REGION), endpoint_url="http://127.0.0.1:10"
    ).get(REGION)
    assert explicit.meta.endpoint_url == "http://127.0.0.1:10"


def test_one_client_per_region_reused() -> None:
    factory = ClientFactory(boto3.Session(region_name=REGION))
    a, b = factory.get("us-east-1"), factory.get("eu-west-1")
    assert a is factory.get("us-east-1") and a is not b
    assert (a.meta.region_name, b.meta.region_name) == ("us-east-1", "eu-west-1")


def test_resolve_regions() -> None:
    session = boto3.Session(region_name="ap-northeast-1")
    assert resolve_regions(session, None) == ("ap-northeast-1",)
    assert resolve_regions(session, "eu-west-1") == ("eu-west-1",)
    every = resolve_regions(session, "all")
    assert {"us-east-1", "eu-west-1", "ap-northeast-1"} <= set(every)
    with pytest.raises(ValueError, match="not an AWS region name: 'eu_west_1'"):
        resolve_regions(session, ["eu_west_1"])
    with pytest.raises(ValueError, match="regions is empty"):
        resolve_regions(session, [])


def test_no_region_anywhere_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("AWS_REGION", "AWS_DEFAULT_REGION"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", "/nonexistent")
    with pytest.raises(ValueError, match="no AWS region"):
        resolve_regions(boto3.Session(), None)


# -- service limits (inspector_kit._limits) ----------------------------------------------


def _limit_docs() -> dict[str, str]:
    """Constant -> its docstring, read from the source (docstrings of constants are not kept)."""
    import ast
    import inspect

    from inspector_kit import _limits

    tree = ast.parse(inspect.getsource(_limits))
    docs: dict[str, str] = {}
    body = tree.body
    for node, following in itertools.pairwise(body):
        if (
            isinstance(node, ast.AnnAssign)
            and isinstance(node.target, ast.Name)
            and isinstance(following, ast.Expr)
            and isinstance(following.value, ast.Constant)
        ):
            docs[node.target.id] = str(following.value.value)
    return docs


def test_every_limit_names_its_source() -> None:
    from inspector_kit import _limits

    docs = _limit_docs()
    assert sorted(docs) == sorted(_limits.__all__)
    for name, doc in docs.items():
        assert re.match(r"``(inspector2|ec2|ssm|kms)\.[A-Z]\w+\.\w+``", doc) or "https://" in doc, (
            name
        )


def test_limits_are_the_bounds_the_service_model_states() -> None:
    import botocore.session

    from inspector_kit import _limits

    session = botocore.session.get_session()
    checked = 0
    for name, doc in _limit_docs().items():
        match = re.match(r"``(inspector2|ec2|ssm|kms)\.([A-Z]\w+)\.(\w+)``", doc)
        if match is None:
            continue
        service, operation, member = match.groups()
        if operation not in session.get_service_model(service).operation_names:
            continue  # a shape's member (criteria): tests/test_criteria_limits.py checks those
        shape = session.get_service_model(service).operation_model(operation).input_shape
        bound = shape.members[member].metadata.get("max")
        if bound is None:  # EC2's model states no bound; the docstring cites the API page
            assert "https://docs.aws.amazon.com/" in doc, name
            continue
        if "between 1 and 50" in doc:  # KMS: the member's documentation is tighter than its bound
            assert "between 1 and 50, inclusive" in shape.members[member].documentation, name
            assert 1 <= getattr(_limits, name) == 50 <= bound, name
            checked += 1
            continue
        assert getattr(_limits, name) == bound, f"{name}: model says {service}.{operation}"
        checked += 1
    assert checked >= 10  # the seven inspector2 limits, the two SSM page sizes and KMS's


def test_the_areas_use_the_limits_module() -> None:
    from inspector_kit import _limits

    inspector = Inspector(regions=["us-east-1"])
    arns = [f"arn:aws:inspector2:us-east-1:111122223333:finding/{n}" for n in range(12)]
    client = inspector.client()
    with Stubber(client) as stub:
        for batch in (arns[: _limits.FINDING_DETAILS_BATCH], arns[_limits.FINDING_DETAILS_BATCH :]):
            stub.add_response(
                "batch_get_finding_details",
                {"findingDetails": [{"findingArn": a} for a in batch], "errors": []},
                {"findingArns": batch},
            )
        details = inspector.finding_details(arns)
        stub.assert_no_pending_responses()
    assert len(details) == 12 and details.errors == {}


# -- the core's one fan-out mechanism ---------------------------------------------------


def test_per_region_runs_on_the_stream_workers_and_keeps_region_order() -> None:
    import threading

    from inspector_kit.fetch._core import Core

    core = Core(boto3.Session(region_name=REGION), regions=["us-east-1", "eu-west-1", "sa-east-1"])
    threads: dict[str, str] = {}

    def one(region: str) -> str:
        threads[region] = threading.current_thread().name
        if region != "eu-west-1":
            raise ThrottledError("slow", region=region, code="ThrottlingException")
        return region.upper()

    results, errors = core.per_region(core.regions, one, strict=False)
    assert results == {"eu-west-1": "EU-WEST-1"}
    assert list(errors) == ["us-east-1", "sa-east-1"]  # region order, whatever finished first
    assert all(name.startswith("inspector-kit-fetch-") for name in threads.values())
    with pytest.raises(ThrottledError) as info:
        core.per_region(core.regions, one, strict=True)
    assert info.value.region == "us-east-1"  # the first in region order

    def bug(region: str) -> str:
        raise KeyError(region)

    with pytest.raises(KeyError):  # not an AWS failure: raised as is, never a region error
        core.per_region(core.regions, bug, strict=False)
