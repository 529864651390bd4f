"""Deep inspection paths: the configuration check and the agent-based detection gap.

Decision tables with exact expectations; the rules are docs/facts.md#ec2 and
https://docs.aws.amazon.com/inspector/latest/user/deep-inspection.html.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from inspector_kit import Finding, sample_findings
from inspector_kit.coverage import (
    DEFAULT_DEEP_INSPECTION_PATHS,
    DeepInspectionSettings,
    DetectionGap,
    GapItem,
    PathProblem,
    check_deep_inspection_paths,
    detection_gap,
)
from inspector_kit.testing import finding_payload

from .payloads import package_details


def config(
    account: list[str] | None = None, org: list[str] | None = None, *, activated: bool = True
) -> DeepInspectionSettings:
    return DeepInspectionSettings(
        activated=activated, package_paths=account or [], org_package_paths=org or []
    )


def codes(problems: tuple[PathProblem, ...]) -> list[tuple[str, int | None, str]]:
    return [(p.scope, p.index, p.code) for p in problems]


# ===================================================================== path check


def test_no_custom_paths_is_fine() -> None:
    assert check_deep_inspection_paths(config()) == ()
    assert check_deep_inspection_paths(config(activated=False)) == ()


def test_five_account_and_five_organisation_paths_are_fine() -> None:
    account = [f"/opt/app{i}" for i in range(5)]
    org = [f"/srv/svc{i}" for i in range(5)]
    assert check_deep_inspection_paths(config(account, org)) == ()


def test_six_account_paths_are_too_many() -> None:
    problems = check_deep_inspection_paths(config([f"/opt/app{i}" for i in range(6)]))
    assert problems == (
        PathProblem(
            "account",
            None,
            None,
            "TOO_MANY_PATHS",
            "6 account paths configured; Inspector allows at most 5 per account",
            "Remove 1 path, or replace several with a common parent directory",
        ),
    )
    assert problems[0].severity == "error"


def test_six_organisation_paths_are_too_many() -> None:
    problems = check_deep_inspection_paths(config(org=[f"/srv/s{i}" for i in range(7)]))
    assert problems == (
        PathProblem(
            "organisation",
            None,
            None,
            "TOO_MANY_PATHS",
            "7 organisation paths configured; Inspector allows at most 5 per organisation",
            "Remove 2 paths, or replace several with a common parent directory",
        ),
    )


def _path_of_length(n: int) -> str:
    path = "/opt/" + "a" * (n - 5)
    assert len(path) == n
    return path


def test_256_characters_are_fine() -> None:
    assert check_deep_inspection_paths(config([_path_of_length(256)])) == ()


@pytest.mark.parametrize("length", [257, 512, 513])
def test_over_256_characters_is_too_long(length: int) -> None:
    path = _path_of_length(length)
    assert check_deep_inspection_paths(config(org=[path])) == (
        PathProblem(
            "organisation",
            0,
            path,
            "PATH_TOO_LONG",
            f"organisation path 0 {path!r} is {length} characters; the deep inspection "
            "guide allows at most 256 (the API accepts up to 512)",
            "Use a parent directory of at most 256 characters",
        ),
    )


#: path -> (code, fix): every single-path form rule.
FORM_TABLE: dict[str, tuple[str, str]] = {
    # relative
    "opt/app": ("NOT_ABSOLUTE", "Use the full path, e.g. '/opt/app'"),
    "./opt/app": ("NOT_ABSOLUTE", "Use the full path, e.g. '/opt/app'"),
    "~/app": ("NOT_ABSOLUTE", "Use the full path, e.g. '/home/ec2-user/app'"),
    "C:\\app\\lib": ("NOT_ABSOLUTE", "Remove it; Windows instances get no deep inspection"),
    # URLs
    "https://example.com/opt/app": ("NOT_LOCAL", "Use the local directory, e.g. '/opt/app'"),
    "file:///opt/app": ("NOT_LOCAL", "Use the local directory, e.g. '/opt/app'"),
    "s3://bucket": ("NOT_LOCAL", "Give the directory on the instance where the files are"),
    # UNC / network
    "//fileserver/share/app": (
        "NOT_LOCAL",
        "Give the directory where the share is mounted on the instance, e.g. '/mnt/share'",
    ),
    "\\\\fileserver\\share": (
        "NOT_LOCAL",
        "Give the directory where the share is mounted on the instance, e.g. '/mnt/share'",
    ),
    # NFS host:/path
    "nfs-server:/exports/app": (
        "NOT_LOCAL",
        "Give the directory where the export is mounted on the instance, e.g. '/exports/app'",
    ),
    "10.0.0.5:/exports": (
        "NOT_LOCAL",
        "Give the directory where the export is mounted on the instance, e.g. '/exports'",
    ),
    # empty
    "": ("EMPTY_PATH", "Remove it, or give the absolute directory to read, e.g. '/opt/app'"),
    "   ": ("EMPTY_PATH", "Remove it, or give the absolute directory to read, e.g. '/opt/app'"),
    # whitespace around an otherwise good path
    "/opt/app ": ("SURROUNDING_WHITESPACE", "Use '/opt/app'"),
    # outside the API's pattern
    "/": ("INVALID_PATH", "Name one existing directory literally, e.g. '/opt/app/lib'"),
    "/opt/*": ("INVALID_PATH", "Name one existing directory literally, e.g. '/opt/app/lib'"),
    "/opt/../etc": ("INVALID_PATH", "Name one existing directory literally, e.g. '/opt/app/lib'"),
    "/opt//app": ("INVALID_PATH", "Name one existing directory literally, e.g. '/opt/app/lib'"),
}


@pytest.mark.parametrize(("path", "expected"), FORM_TABLE.items(), ids=repr)
def test_form_rules(path: str, expected: tuple[str, str]) -> None:
    for scope, cfg in (("account", config([path])), ("organisation", config(org=[path]))):
        problems = check_deep_inspection_paths(cfg)
        assert [(p.scope, p.index, p.path, p.code, p.fix) for p in problems] == [
            (scope, 0, path, *expected)
        ]
        assert problems[0].severity == "error"
        assert f"{scope} path 0 {path!r}" in problems[0].message


def test_form_messages() -> None:
    problems = check_deep_inspection_paths(
        config(["opt/app", "https://example.com/x", "//nas/share", "nas:/export", "/opt/*"])
    )
    assert [p.message for p in problems] == [
        "account path 0 'opt/app' is relative; deep inspection paths must be absolute "
        "(start with '/')",
        "account path 1 'https://example.com/x' is a URL; deep inspection reads directories "
        "on the instance's own file system",
        "account path 2 '//nas/share' is a UNC/network path; deep inspection reads "
        "directories on the instance's own file system",
        "account path 3 'nas:/export' is a remote host:/path (NFS) location; deep inspection "
        "reads directories on the instance's own file system",
        "account path 4 '/opt/*' does not match the API's path pattern: '/'-separated names "
        "of letters, digits, '_', '-', '.' and inner spaces; no wildcards, '..', '//' or "
        "bare '/'",
    ]


@pytest.mark.parametrize(
    "path", ["/opt/app", "/opt/app/", "/home/ec2-user/.local", "/opt/my app/lib", "/opt/a-b_c.d"]
)
def test_well_formed_paths_pass(path: str) -> None:
    assert check_deep_inspection_paths(config([path])) == ()


def test_too_long_and_relative_are_both_reported() -> None:
    path = "a" * 300
    assert codes(check_deep_inspection_paths(config([path]))) == [
        ("account", 0, "PATH_TOO_LONG"),
        ("account", 0, "NOT_ABSOLUTE"),
    ]


#: (account, organisation) -> expected (scope, index, code): the comparison rules.
COMPARISON_TABLE: list[tuple[list[str], list[str], list[tuple[str, int | None, str]]]] = [
    # duplicates within a scope: the later one is flagged
    (["/opt/app", "/opt/app"], [], [("account", 1, "DUPLICATE_PATH")]),
    ([], ["/srv/x", "/srv/y", "/srv/x"], [("organisation", 2, "DUPLICATE_PATH")]),
    # a trailing slash does not make a new path
    (["/opt/app", "/opt/app/"], [], [("account", 1, "DUPLICATE_PATH")]),
    # duplicates across scopes: the account path is the wasted one
    (["/opt/app"], ["/opt/app"], [("account", 0, "DUPLICATE_PATH")]),
    # default paths, in either scope, with or without a trailing slash
    (["/usr/lib"], [], [("account", 0, "DEFAULT_PATH")]),
    ([], ["/usr/local/lib64/"], [("organisation", 0, "DEFAULT_PATH")]),
    # nested: under a default, another path of the scope, or an organisation path
    (["/usr/lib/jvm"], [], [("account", 0, "REDUNDANT_PATH")]),
    (["/opt/app/lib", "/opt/app"], [], [("account", 0, "REDUNDANT_PATH")]),
    (["/opt/app", "/opt/app/lib"], [], [("account", 1, "REDUNDANT_PATH")]),
    ([], ["/srv", "/srv/web"], [("organisation", 1, "REDUNDANT_PATH")]),
    (["/srv/web/node_modules"], ["/srv/web"], [("account", 0, "REDUNDANT_PATH")]),
    # an organisation path under an account path serves other accounts: not flagged
    (["/srv"], ["/srv/web"], []),
    # a parent of a default path is not redundant (defaults take no slot)
    (["/usr"], [], []),
    # boundaries: /opt/application is not under /opt/app, /usr/lib64x not under /usr/lib64
    (["/opt/app", "/opt/application"], [], []),
    (["/usr/lib64x", "/usr/libexec"], [], []),
    # a path with an error is not compared
    (["/opt/app", "/opt/app "], [], [("account", 1, "SURROUNDING_WHITESPACE")]),
]


@pytest.mark.parametrize(("account", "org", "expected"), COMPARISON_TABLE, ids=repr)
def test_comparison_rules(
    account: list[str], org: list[str], expected: list[tuple[str, int | None, str]]
) -> None:
    problems = check_deep_inspection_paths(config(account, org))
    assert codes(problems) == expected
    for problem in problems:
        if problem.code in ("DUPLICATE_PATH", "DEFAULT_PATH", "REDUNDANT_PATH"):
            assert problem.severity == "warning"
            assert problem.fix == "Remove it"


def test_comparison_messages() -> None:
    problems = check_deep_inspection_paths(
        config(["/usr/lib", "/opt/app", "/opt/app", "/srv/web/lib"], ["/srv/web"])
    )
    assert [p.message for p in problems] == [
        "account path 0 '/usr/lib' is a default path, always read; it wastes one of the 5 "
        "account slots",
        "account path 2 '/opt/app' duplicates account path 1 '/opt/app'; it wastes one of "
        "the 5 account slots",
        "account path 3 '/srv/web/lib' lies under organisation path 0 '/srv/web', which is "
        "read already; it wastes one of the 5 account slots",
    ]


def test_problems_come_in_a_stable_order() -> None:
    account = ["/opt/a", "rel", "/opt/a", "/opt/b", "/opt/c", "/opt/d"]
    org = ["/usr/lib", "http://x/y"]
    assert codes(check_deep_inspection_paths(config(account, org))) == [
        ("account", None, "TOO_MANY_PATHS"),
        ("account", 1, "NOT_ABSOLUTE"),
        ("account", 2, "DUPLICATE_PATH"),
        ("organisation", 0, "DEFAULT_PATH"),
        ("organisation", 1, "NOT_LOCAL"),
    ]


# ===================================================================== detection gap

_ARN = "arn:aws:inspector2:eu-west-1:111122223333:finding/{:032x}"
_counter = iter(range(1, 1_000_000))


def pkg(
    path: str | None, manager: str = "JAR", name: str | None = None, version: str = "1.0"
) -> dict[str, Any]:
    package: dict[str, Any] = {"name": name or (path or "x").rsplit("/", 1)[-1], "version": version}
    if manager:
        package["packageManager"] = manager
    if path is not None:
        package["filePath"] = path
    return package


def ec2(
    *packages: dict[str, Any],
    instance: str = "i-0aaa",
    platform: str | None = None,
    resource_type: str = "AWS_EC2_INSTANCE",
) -> Finding:
    resource: dict[str, Any] = {"type": resource_type, "id": instance}
    if platform is not None:
        resource["details"] = {"awsEc2Instance": {"platform": platform}}
    return Finding.from_api(
        finding_payload(
            findingArn=_ARN.format(next(_counter)),
            resources=[resource],
            packageVulnerabilityDetails=package_details(vulnerablePackages=list(packages)),
        )
    )


def rows(gap: DetectionGap) -> list[tuple[str, str | None, str, str | None]]:
    return [(i.instance_id, i.path, i.reason, i.catching_path) for i in gap]


def test_path_boundary() -> None:
    gap = detection_gap(
        [
            ec2(
                pkg("/opt/app/lib/a.jar"),
                pkg("/opt/app"),
                pkg("/opt/application/lib/b.jar"),
                pkg("/opt/app-old/c.jar"),
            )
        ],
        deep_inspection=config(["/opt/app"]),
    )
    assert rows(gap) == [
        ("i-0aaa", "/opt/application/lib/b.jar", "OUTSIDE_PATHS", "/opt/application/lib"),
        ("i-0aaa", "/opt/app-old/c.jar", "OUTSIDE_PATHS", "/opt/app-old"),
    ]
    assert gap.suggested_paths == ("/opt/app-old", "/opt/application/lib")
    assert gap.free_slots == 4
    assert gap.uncaught == ()


def test_configured_path_with_trailing_slash_still_contains() -> None:
    gap = detection_gap([ec2(pkg("/opt/app/lib/a.jar"))], deep_inspection=config(org=["/opt/app/"]))
    assert len(gap) == 0


@pytest.mark.parametrize(
    ("raw", "normalised"),
    [
        ("vol-0123456789abcdef0:/p1:opt/app/lib/x.jar", "/opt/app/lib/x.jar"),
        ("vol-0123456789abcdef0:/p12:/srv/web/x.jar", "/srv/web/x.jar"),
        ("vol-0abc:/opt/tools/x.jar", "/opt/tools/x.jar"),
        ("/opt//app/./lib/x.jar", "/opt/app/lib/x.jar"),
    ],
)
def test_agentless_paths_are_normalised(raw: str, normalised: str) -> None:
    gap = detection_gap([ec2(pkg(raw))], deep_inspection=None)
    assert [(i.file_path, i.path) for i in gap] == [(raw, normalised)]


def test_agentless_path_under_a_default_is_not_a_gap() -> None:
    finding = ec2(
        pkg("vol-0123456789abcdef0:/p1:usr/lib/python3.9/site-packages/x/METADATA", "PYTHONPKG")
    )
    assert len(detection_gap([finding], deep_inspection=None)) == 0


def test_no_configuration_assumes_defaults_and_says_so() -> None:
    gap = detection_gap(
        [ec2(pkg("/usr/local/lib/app/a.jar"), pkg("/usr/lib64/b.jar"), pkg("/srv/c.jar"))],
        deep_inspection=None,
    )
    assert gap.assumed_defaults is True
    assert gap.deep_inspection == DeepInspectionSettings(activated=True)
    assert gap.free_slots == 5
    assert rows(gap) == [("i-0aaa", "/srv/c.jar", "OUTSIDE_PATHS", "/srv")]
    assert gap.notes[0] == (
        "Deep inspection settings unknown; assumed activated with the default paths only "
        "(/usr/lib, /usr/lib64, /usr/local/lib, /usr/local/lib64). Read them with "
        "Inspector.deep_inspection_configuration()"
    )
    assert detection_gap([], deep_inspection=config()).assumed_defaults is False


SUPPORTED = ["JAR", "POM", "JAVA", "NPM", "NODEPKG", "YARN", "PNPM", "PIP", "PIPENV", "POETRY"]
SUPPORTED += ["PYTHONPKG", "PYTHON"]
UNSUPPORTED = ["GOBINARY", "GOMOD", "GO", "CARGO", "NUGET", "DOTNET_CORE", "GEMSPEC", "BUNDLER"]
UNSUPPORTED += ["COMPOSER", "GENERIC"]


@pytest.mark.parametrize("manager", SUPPORTED)
def test_supported_ecosystems_are_judged_by_path(manager: str) -> None:
    gap = detection_gap(
        [ec2(pkg("/opt/x/lib/a", manager), pkg("/usr/lib/x/b", manager.lower()))],
        deep_inspection=config(),
    )
    assert rows(gap) == [("i-0aaa", "/opt/x/lib/a", "OUTSIDE_PATHS", "/opt/x/lib")]


@pytest.mark.parametrize("manager", UNSUPPORTED)
def test_unsupported_ecosystems_are_missed_wherever_they_are(manager: str) -> None:
    gap = detection_gap(
        [ec2(pkg("/usr/lib/x/a", manager), pkg("/opt/tools/bin/b", manager), pkg(None, manager))],
        deep_inspection=config(),
    )
    assert rows(gap) == [
        ("i-0aaa", "/usr/lib/x/a", "ECOSYSTEM_NOT_SUPPORTED", None),
        ("i-0aaa", "/opt/tools/bin/b", "ECOSYSTEM_NOT_SUPPORTED", None),
        ("i-0aaa", None, "ECOSYSTEM_NOT_SUPPORTED", None),
    ]
    assert gap.suggested_paths == ()
    assert len(gap.uncaught) == 3


def test_os_packages_other_resources_and_unknown_managers_are_skipped() -> None:
    findings = [
        ec2(pkg("/opt/x/a.jar", "OS"), pkg("/opt/x/b.jar", manager="")),
        ec2(pkg("/opt/x/c.jar"), resource_type="AWS_ECR_CONTAINER_IMAGE", instance="arn:ecr"),
        ec2(pkg("/opt/x/d.jar"), resource_type="AWS_LAMBDA_FUNCTION", instance="arn:lambda"),
        Finding.from_api(finding_payload()),  # no packages at all
    ]
    assert len(detection_gap(findings, deep_inspection=config())) == 0


def test_supported_package_without_a_path_is_not_judged_and_counted() -> None:
    gap = detection_gap(
        [ec2(pkg(None), pkg("lib/relative.jar"), pkg("/opt/a/x.jar"))], deep_inspection=config()
    )
    assert rows(gap) == [("i-0aaa", "/opt/a/x.jar", "OUTSIDE_PATHS", "/opt/a")]
    assert (
        "2 Java, JavaScript or Python package(s) on EC2 had no absolute file path and could "
        "not be judged"
    ) in gap.notes


def test_deactivated_deep_inspection_misses_every_language_package() -> None:
    gap = detection_gap(
        [
            ec2(
                pkg("/usr/lib/app/a.jar"),
                pkg("/opt/custom/lib/b.jar"),
                pkg("/srv/web/lib/c.jar"),
                pkg("/usr/local/bin/tool", "GOBINARY"),
                pkg(None, "PIP"),
                pkg("/usr/lib/libssl.so", "OS"),
            )
        ],
        deep_inspection=config(["/opt/custom"], activated=False),
    )
    assert rows(gap) == [
        ("i-0aaa", "/usr/lib/app/a.jar", "DEEP_INSPECTION_OFF", "/usr/lib"),
        ("i-0aaa", "/opt/custom/lib/b.jar", "DEEP_INSPECTION_OFF", "/opt/custom"),
        ("i-0aaa", "/srv/web/lib/c.jar", "DEEP_INSPECTION_OFF", "/srv/web/lib"),
        ("i-0aaa", "/usr/local/bin/tool", "ECOSYSTEM_NOT_SUPPORTED", None),
        ("i-0aaa", None, "DEEP_INSPECTION_OFF", None),
    ]
    assert gap.suggested_paths == ("/srv/web/lib",)
    assert gap.free_slots == 4
    assert (
        "Deep inspection is deactivated: agent-based scanning reads no Java, JavaScript or "
        "Python packages at all. Activate it (UpdateEc2DeepInspectionConfiguration)"
    ) in gap.notes


@pytest.mark.parametrize("platform", ["WINDOWS_SERVER_2022", "MACOS_14", "windows"])
def test_windows_and_macos_have_no_deep_inspection(platform: str) -> None:
    gap = detection_gap([ec2(pkg("/opt/a/x.jar"), platform=platform)], deep_inspection=config())
    assert rows(gap) == [("i-0aaa", "/opt/a/x.jar", "PLATFORM_NOT_SUPPORTED", None)]
    assert gap.items[0].platform == platform


def test_linux_platform_is_judged_by_path() -> None:
    gap = detection_gap(
        [ec2(pkg("/opt/a/x.jar"), platform="AMAZON_LINUX_2023")], deep_inspection=config()
    )
    assert rows(gap) == [("i-0aaa", "/opt/a/x.jar", "OUTSIDE_PATHS", "/opt/a")]


def test_identical_items_are_deduplicated() -> None:
    first = ec2(pkg("/opt/a/x.jar", version="1"), pkg("/opt/a/x.jar", version="1"))
    second = ec2(pkg("vol-0123:/p1:opt/a/x.jar", version="1"))  # same file, agentless form
    other_instance = ec2(pkg("/opt/a/x.jar", version="1"), instance="i-0bbb")
    other_version = ec2(pkg("/opt/a/x.jar", version="2"))
    gap = detection_gap([first, second, other_instance, other_version], deep_inspection=config())
    assert [(i.instance_id, i.package_version, i.finding.finding_arn) for i in gap] == [
        ("i-0aaa", "1", first.finding_arn),
        ("i-0bbb", "1", other_instance.finding_arn),
        ("i-0aaa", "2", other_version.finding_arn),
    ]


def test_suggestions_stop_at_package_roots() -> None:
    gap = detection_gap(
        [
            ec2(
                pkg("/srv/web/node_modules/semver/package.json", "NODEPKG"),
                pkg("/srv/web/node_modules/a/node_modules/b/package.json", "NODEPKG"),
                pkg(
                    "/opt/etl/lib/python3.9/site-packages/requests-2.25.0.dist-info/METADATA",
                    "PYTHONPKG",
                ),
                pkg("/home/u/.local/lib/python3.12/site-packages/flask/__init__.py", "PIP"),
                pkg("/home/u/.m2/repository/org/apache/x/1.0/x-1.0.jar", "POM"),
                pkg("/opt/app/lib/log4j-core-2.14.1.jar"),
            )
        ],
        deep_inspection=config(),
    )
    assert gap.suggested_paths == (
        "/home/u/.local/lib/python3.12/site-packages",
        "/home/u/.m2",
        "/opt/app/lib",
        "/opt/etl/lib/python3.9/site-packages",
        "/srv/web/node_modules",
    )
    assert gap.uncaught == ()
    assert [i.catching_path for i in gap][:2] == ["/srv/web/node_modules"] * 2


def test_suggestion_walks_up_past_names_the_api_rejects() -> None:
    gap = detection_gap(
        [ec2(pkg("/opt/apps/@scope/lib/x.jar"), pkg("/x.jar"))], deep_inspection=config()
    )
    assert rows(gap) == [
        ("i-0aaa", "/opt/apps/@scope/lib/x.jar", "OUTSIDE_PATHS", "/opt/apps"),
        ("i-0aaa", "/x.jar", "OUTSIDE_PATHS", None),  # never "/"
    ]
    assert gap.suggested_paths == ("/opt/apps",)


SEVEN_DIRS = [
    "/opt/app1/lib/a.jar",
    "/opt/app1/plugins/b.jar",
    "/opt/app2/lib/c.jar",
    "/srv/web/node_modules/x/package.json",
    "/home/ec2-user/svc/lib/d.jar",
    "/home/ec2-user/tools/lib/e.jar",
    "/data/jobs/lib/f.jar",
]


def test_seven_directories_generalise_into_five_slots() -> None:
    gap = detection_gap(
        [ec2(*(pkg(p, "NPM" if "node" in p else "JAR") for p in SEVEN_DIRS))],
        deep_inspection=config(),
    )
    assert gap.free_slots == 5
    # Deepest common parents first: /home/ec2-user and /opt/app1 (depth 2); /opt (depth 1)
    # is not needed.
    assert gap.suggested_paths == (
        "/data/jobs/lib",
        "/home/ec2-user",
        "/opt/app1",
        "/opt/app2/lib",
        "/srv/web/node_modules",
    )
    assert gap.uncaught == ()
    assert [i.catching_path for i in gap] == [
        "/opt/app1",
        "/opt/app1",
        "/opt/app2/lib",
        "/srv/web/node_modules",
        "/home/ec2-user",
        "/home/ec2-user",
        "/data/jobs/lib",
    ]
    assert not any(n.startswith("Top-level") for n in gap.notes)


def test_no_generalising_when_the_directories_fit() -> None:
    # Organisation paths catch two of the seven; the five directories left fit the five
    # free account slots as they are.
    gap = detection_gap(
        [ec2(*(pkg(p) for p in SEVEN_DIRS))], deep_inspection=config(org=["/data/jobs", "/srv/web"])
    )
    assert gap.suggested_paths == (
        "/home/ec2-user/svc/lib",
        "/home/ec2-user/tools/lib",
        "/opt/app1/lib",
        "/opt/app1/plugins",
        "/opt/app2/lib",
    )


def test_account_using_four_slots_gets_one_suggestion() -> None:
    used = ["/a1/x", "/a2/x", "/a3/x", "/a4/x"]
    gap = detection_gap(
        [ec2(pkg("/opt/app/lib/a.jar"), pkg("/opt/app/plugins/b.jar"), pkg("/opt/app/c.jar"))],
        deep_inspection=config(
            used, org=["/srv/org1", "/srv/org2"]
        ),  # org paths do not use account slots
    )
    assert gap.free_slots == 1
    assert gap.suggested_paths == ("/opt/app",)
    assert gap.uncaught == ()


def test_top_level_only_when_unavoidable_then_the_heaviest_directories() -> None:
    used = ["/a1/x", "/a2/x", "/a3/x", "/a4/x"]
    findings = [
        ec2(pkg("/opt/app1/lib/a.jar"), pkg("/opt/app2/lib/b.jar")),
        ec2(pkg("/opt/app2/lib/b.jar"), instance="i-0bbb"),
        ec2(pkg("/srv/web/lib/c.jar")),
    ]
    gap = detection_gap(findings, deep_inspection=config(used))
    # No depth-2 parent joins /opt/app1/lib, /opt/app2/lib and /srv/web/lib; the
    # top-level /opt joins two and catches three packages; /srv/web/lib stays uncaught.
    assert gap.suggested_paths == ("/opt",)
    assert [(i.path, i.catching_path) for i in gap.uncaught] == [("/srv/web/lib/c.jar", None)]
    assert (
        "Top-level suggestion(s) /opt: broad paths risk the deep inspection limits (5,000 "
        "packages per instance, 15 minutes of collection)"
    ) in gap.notes
    assert (
        "1 package(s) outside the deep inspection paths are not caught by the suggestions: "
        "the account has 1 free slot(s) of 5"
    ) in gap.notes


def test_no_free_slots_means_no_suggestions() -> None:
    gap = detection_gap(
        [ec2(pkg("/opt/app/lib/a.jar"))], deep_inspection=config([f"/srv/s{i}" for i in range(6)])
    )
    assert gap.free_slots == 0
    assert gap.suggested_paths == ()
    assert rows(gap) == [("i-0aaa", "/opt/app/lib/a.jar", "OUTSIDE_PATHS", None)]
    assert len(gap.uncaught) == 1


def test_grouping_records_and_sequence_protocol() -> None:
    a = ec2(pkg("/opt/a/x.jar", name="g:x", version="1.0"), instance="i-0aaa")
    b = ec2(pkg("/usr/bin/tool", "GOBINARY", name="golang.org/x/net"), instance="i-0bbb")
    c = ec2(pkg("/opt/a/y.jar", name="g:y", version="2.0"), instance="i-0aaa")
    gap = detection_gap([a, b, c], deep_inspection=config())
    assert len(gap) == 3
    assert list(gap) == list(gap.items)
    assert all(isinstance(i, GapItem) for i in gap)
    groups = gap.by_instance()
    assert list(groups) == ["i-0aaa", "i-0bbb"]
    assert [i.package_name for i in groups["i-0aaa"]] == ["g:x", "g:y"]
    records = gap.to_records()
    assert list(records[0]) == [
        "account_id",
        "region",
        "instance_id",
        "platform",
        "finding_arn",
        "vulnerability_id",
        "severity",
        "package_name",
        "package_version",
        "package_manager",
        "file_path",
        "path",
        "reason",
        "catching_path",
    ]
    assert records[1] == {
        "account_id": "111122223333",
        "region": "eu-west-1",
        "instance_id": "i-0bbb",
        "platform": None,
        "finding_arn": b.finding_arn,
        "vulnerability_id": "CVE-2023-38545",
        "severity": "HIGH",
        "package_name": "golang.org/x/net",
        "package_version": "1.0",
        "package_manager": "GOBINARY",
        "file_path": "/usr/bin/tool",
        "path": "/usr/bin/tool",
        "reason": "ECOSYSTEM_NOT_SUPPORTED",
        "catching_path": None,
    }


# ============================================================== the sample estate

_SUPPORTED = {
    "JAR", "POM", "JAVA", "NPM", "NODEPKG", "YARN", "PNPM",
    "PIP", "PIPENV", "POETRY", "PYTHONPKG", "PYTHON",
}  # fmt: skip


def _brute_force(
    findings: list[Finding], paths: tuple[str, ...]
) -> set[tuple[str, str | None, str, str, str]]:
    """The gap by the plainest reading of the rules: a prefix check per package."""
    expected = set()
    for finding in findings:
        for resource in finding.resources:
            if str(resource.type) != "AWS_EC2_INSTANCE":
                continue
            for package in finding.vulnerable_packages:
                manager = str(package.package_manager or "").upper()
                if manager in ("", "OS"):
                    continue
                path = package.file_path
                if path is not None:
                    path = re.sub(r"^vol-\w+:(/p\d+:)?/?", "/", path)
                judged = path is not None and path.startswith("/")
                inside = judged and any(
                    path == p or str(path).startswith(p.rstrip("/") + "/") for p in paths
                )
                if manager not in _SUPPORTED:
                    reason = "ECOSYSTEM_NOT_SUPPORTED"
                elif not judged or inside:
                    continue
                else:
                    reason = "OUTSIDE_PATHS"
                expected.add((resource.id, path, package.name, package.version, reason))
    return expected


@pytest.mark.parametrize(
    "deep",
    [None, config(["/opt/app", "/home/ec2-user/app"], ["/srv"])],
    ids=["defaults", "custom"],
)
def test_sample_estate_gap_matches_a_brute_force_prefix_check(
    deep: DeepInspectionSettings | None,
) -> None:
    findings = list(sample_findings())
    paths = (deep or config()).paths
    assert set(DEFAULT_DEEP_INSPECTION_PATHS) <= set(paths)
    gap = detection_gap(findings, deep_inspection=deep)
    got = [(i.instance_id, i.path, i.package_name, i.package_version, i.reason) for i in gap]
    assert len(got) == len(set(got))  # no duplicates
    assert set(got) == _brute_force(findings, paths)
    assert any(i.reason == "OUTSIDE_PATHS" for i in gap)
    # Every suggestion catches something, is never "/" and passes the path check.
    outside = [i for i in gap if i.reason == "OUTSIDE_PATHS"]
    assert len(gap.suggested_paths) <= gap.free_slots
    for suggestion in gap.suggested_paths:
        assert suggestion != "/"
        assert any(i.catching_path == suggestion for i in outside)
    assert check_deep_inspection_paths(config(list(gap.suggested_paths))) == ()
    for item in outside:
        if item.catching_path is not None:
            assert item.path is not None
            assert item.path.startswith(item.catching_path + "/")


def test_findings_from_several_accounts_are_flagged() -> None:
    one = ec2(pkg("/opt/a/x.jar"))
    other = Finding.from_api(
        {
            **one.to_api(),
            "findingArn": "arn:aws:inspector2:us-east-1:444455556666:finding/" + "f" * 32,
            "awsAccountId": "444455556666",
            "resources": [{"type": "AWS_EC2_INSTANCE", "id": "i-0ccc"}],
        }
    )
    note = (
        "The findings span 2 account/region pairs, judged against one configuration; deep "
        "inspection paths are set per account and region, so judge each pair's findings "
        "against its own configuration"
    )
    assert note in detection_gap([one, other], deep_inspection=config()).notes
    assert not any(
        "account/region" in n for n in detection_gap([one], deep_inspection=config()).notes
    )


# -- renamed names, keyword-only options and records (issue 15) ---------------------------


def test_old_settings_name_warns_and_gives_the_new_class() -> None:
    import inspector_kit.coverage as coverage
    import inspector_kit.models as models

    with pytest.warns(DeprecationWarning, match=r"coverage\.DeepInspectionConfiguration is dep"):
        old = coverage.DeepInspectionConfiguration
    assert old is DeepInspectionSettings
    assert old is not models.DeepInspectionConfiguration
    assert "DeepInspectionConfiguration" not in coverage.__all__
    with pytest.raises(AttributeError):
        coverage.NoSuchName  # noqa: B018


def test_no_library_module_uses_the_old_name() -> None:
    # The library itself uses DeepInspectionSettings: reading the old name anywhere in
    # inspector_kit would warn (and fail under -W error) for every user.
    import subprocess
    import sys

    code = (
        "import inspector_kit.coverage as c, inspector_kit.fetch as f, inspector_kit.sample as s; "
        "import inspector_kit.fetch._inventory as inv; "
        "print(inv.DeepInspectionSettings is c.DeepInspectionSettings, "
        "len(s.sample_inventory().deep_inspection) > 0)"
    )
    out = subprocess.run(
        [sys.executable, "-W", "error::DeprecationWarning", "-c", code],
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.split() == ["True", "True"]


def test_deep_inspection_is_keyword_only_and_positional_is_deprecated() -> None:
    findings = [ec2(pkg("/opt/app/lib/a.jar"))]
    expected = detection_gap(findings, deep_inspection=config())
    with pytest.warns(DeprecationWarning, match=r"deep_inspection to detection_gap\(\) posit"):
        assert detection_gap(findings, config()) == expected
    assert detection_gap(findings) == detection_gap(findings, deep_inspection=None)
    with pytest.raises(TypeError, match="by keyword"):
        detection_gap(findings, config(), deep_inspection=config())  # type: ignore[misc]


def test_gap_columns_match_its_records() -> None:
    gap = detection_gap([ec2(pkg("/opt/app/lib/a.jar"), pkg("/srv/x/b.jar"))])
    assert len(gap) == 2
    assert [tuple(r) for r in gap.to_records()] == [gap.columns] * 2
    assert gap.columns == GapItem.columns
    assert gap.columns[:3] == ("account_id", "region", "instance_id")
