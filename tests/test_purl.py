"""Package URLs: one mapping per package manager, valid under the purl-spec type definitions."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from packageurl import PackageURL

from inspector_kit import Finding
from inspector_kit.models import PackageManager, VulnerablePackage
from inspector_kit.purl import Distro, distro_for_platform, to_purl

from .payloads import minimal_payload, package_details


def pkg(**api: Any) -> VulnerablePackage:
    return VulnerablePackage.from_api({"name": "x", "version": "1", **api})


def assert_valid(purl: PackageURL) -> None:
    errors = [m.message for m in purl.validate() if m.severity.value == "error"]
    if str(purl).startswith("pkg:golang/stdlib"):  # the one documented exception (facts #purls)
        errors = [e for e in errors if not e.startswith("Namespace is required")]
    assert not errors, (str(purl), errors)
    assert PackageURL.from_string(str(purl)) == purl  # canonical and re-parsable


@pytest.mark.parametrize(
    ("api", "platform", "expected"),
    [
        # The issue's own example.
        (
            {
                "name": "openssl",
                "version": "1.0.2k",
                "release": "24.amzn2.0.7",
                "epoch": 1,
                "arch": "x86_64",
                "packageManager": "OS",
            },
            "AMAZON_LINUX_2",
            "pkg:rpm/amazon/openssl@1.0.2k-24.amzn2.0.7?arch=x86_64&distro=amazon-2&epoch=1",
        ),
        # Inspector's upper-case arch spellings become the distribution's own (docs/facts.md; from
        # AWS examples: X86_64 on EC2, AMD64 on Debian images, AARCH64 on CentOS).
        (
            {
                "name": "kernel",
                "version": "4.14.355",
                "release": "280.652.amzn2",
                "epoch": 0,
                "arch": "X86_64",
                "packageManager": "OS",
            },
            "AMAZON_LINUX_2",
            "pkg:rpm/amazon/kernel@4.14.355-280.652.amzn2?arch=x86_64&distro=amazon-2",
        ),
        (
            {
                "name": "curl",
                "version": "7.61.1",
                "release": "18.el8",
                "arch": "AARCH64",
                "packageManager": "OS",
            },
            "CENTOS_8",
            "pkg:rpm/centos/curl@7.61.1-18.el8?arch=aarch64&distro=centos-8",
        ),
        (
            {
                "name": "openssl",
                "version": "3.0.13",
                "release": "0ubuntu3.2",
                "arch": "ARM64",
                "packageManager": "OS",
            },
            "UBUNTU_24_04",
            "pkg:deb/ubuntu/openssl@3.0.13-0ubuntu3.2?arch=arm64&distro=ubuntu-24.04",
        ),
        (
            {
                "name": "libxml2",
                "version": "2.9.14+dfsg",
                "release": "1.3~deb12u1",
                "arch": "AMD64",
                "packageManager": "OS",
            },
            "DEBIAN_12",
            "pkg:deb/debian/libxml2@2.9.14%2Bdfsg-1.3~deb12u1?arch=amd64&distro=debian-12",
        ),
        (
            {"name": "bash", "version": "5.1-6ubuntu1", "arch": "X86_64", "packageManager": "OS"},
            "UBUNTU_22_04",
            "pkg:deb/ubuntu/bash@5.1-6ubuntu1?arch=amd64&distro=ubuntu-22.04",
        ),
        (
            {
                "name": "tzdata",
                "version": "2024a",
                "release": "0+deb12u1",
                "arch": "ALL",
                "epoch": 0,
                "packageManager": "OS",
            },
            "DEBIAN_12",
            "pkg:deb/debian/tzdata@2024a-0%2Bdeb12u1?arch=all&distro=debian-12",
        ),
        (
            {
                "name": "attr",
                "version": "2.4.47",
                "release": "2",
                "epoch": 1,
                "packageManager": "OS",
            },
            "DEBIAN_10",
            "pkg:deb/debian/attr@2.4.47-2?distro=debian-10&epoch=1",  # qualifier, not 1:
        ),
        (
            {
                "name": "busybox",
                "version": "1.36.1",
                "release": "r15",
                "arch": "X86_64",
                "packageManager": "OS",
            },
            "ALPINE_LINUX_3_19",
            "pkg:apk/alpine/busybox@1.36.1-r15?arch=x86_64&distro=alpine-3.19",
        ),
        (
            {"name": "glibc", "version": "2.34", "release": "100.el9", "packageManager": "OS"},
            "RHEL_9",
            "pkg:rpm/redhat/glibc@2.34-100.el9?distro=redhat-9",
        ),
        (
            {
                "name": "glibc",
                "version": "2.34",
                "release": "52.amzn2023.0.11",
                "packageManager": "OS",
            },
            "AMAZON_LINUX_2023",
            "pkg:rpm/amazon/glibc@2.34-52.amzn2023.0.11?distro=amazon-2023",
        ),
        # Language ecosystems
        (
            {"name": "Requests_OAuthlib", "version": "1.3.0", "packageManager": "PIP"},
            None,
            "pkg:pypi/requests-oauthlib@1.3.0",
        ),
        (
            {"name": "urllib3", "version": "1.26.4", "packageManager": "PYTHONPKG"},
            "AMAZON_LINUX_2",
            "pkg:pypi/urllib3@1.26.4",
        ),
        (
            {"name": "jinja2", "version": "2.11.2", "packageManager": "PYTHON"},
            None,
            "pkg:pypi/jinja2@2.11.2",
        ),
        (
            {"name": "@babel/traverse", "version": "7.22.5", "packageManager": "NPM"},
            None,
            "pkg:npm/%40babel/traverse@7.22.5",
        ),
        (
            {"name": "semver", "version": "7.5.1", "packageManager": "NODEPKG"},
            None,
            "pkg:npm/semver@7.5.1",
        ),
        (
            {"name": "minimist", "version": "1.2.5", "packageManager": "YARN"},
            None,
            "pkg:npm/minimist@1.2.5",
        ),
        (
            {
                "name": "org.apache.logging.log4j:log4j-core",
                "version": "2.14.1",
                "packageManager": "JAR",
            },
            None,
            "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1",
        ),
        (
            {
                "name": "com.google.protobuf:protobuf-java",
                "version": "3.21.7",
                "packageManager": "JAVA",
            },
            None,
            "pkg:maven/com.google.protobuf/protobuf-java@3.21.7",
        ),
        (
            {"name": "org.yaml/snakeyaml", "version": "1.33", "packageManager": "POM"},
            None,
            "pkg:maven/org.yaml/snakeyaml@1.33",
        ),
        (
            {"name": "golang.org/x/net", "version": "v0.7.0", "packageManager": "GOBINARY"},
            None,
            "pkg:golang/golang.org/x/net@v0.7.0",
        ),
        (
            {
                "name": "github.com/opencontainers/runc",
                "version": "v1.1.11",
                "packageManager": "GOMOD",
            },
            None,
            "pkg:golang/github.com/opencontainers/runc@v1.1.11",
        ),
        (
            {"name": "golang.org/x/crypto", "version": "v0.1.0", "packageManager": "GO"},
            None,
            "pkg:golang/golang.org/x/crypto@v0.1.0",
        ),
        (
            {"name": "tokio", "version": "1.18.1", "packageManager": "CARGO"},
            None,
            "pkg:cargo/tokio@1.18.1",
        ),
        (
            {"name": "rack", "version": "2.2.3", "packageManager": "GEMSPEC"},
            None,
            "pkg:gem/rack@2.2.3",
        ),
        (
            {"name": "nokogiri", "version": "1.13.3", "packageManager": "BUNDLER"},
            None,
            "pkg:gem/nokogiri@1.13.3",
        ),
        (
            {"name": "Newtonsoft.Json", "version": "12.0.1", "packageManager": "NUGET"},
            None,
            "pkg:nuget/Newtonsoft.Json@12.0.1",
        ),
        (
            {
                "name": "System.Text.Encodings.Web",
                "version": "4.5.0",
                "packageManager": "DOTNET_CORE",
            },
            None,
            "pkg:nuget/System.Text.Encodings.Web@4.5.0",
        ),
        (
            {"name": "laravel/framework", "version": "8.0.0", "packageManager": "COMPOSER"},
            None,
            "pkg:composer/laravel/framework@8.0.0",
        ),
    ],
)
def test_mapping(api: dict[str, Any], platform: str | None, expected: str) -> None:
    purl = to_purl(pkg(**api), platform=platform)
    assert purl is not None
    assert str(purl) == expected
    assert_valid(purl)


@pytest.mark.parametrize(
    ("api", "platform"),
    [
        ({"packageManager": "GENERIC", "name": "go/other"}, None),  # GENERIC, not Go's stdlib
        ({"packageManager": "SOMETHING_NEW"}, "AMAZON_LINUX_2"),
        ({}, "AMAZON_LINUX_2"),  # no packageManager at all
        ({"packageManager": "OS"}, None),  # OS package, platform unknown
        ({"packageManager": "OS"}, "WINDOWS_SERVER_2022"),  # KB updates have no purl type
        ({"packageManager": "OS"}, "MACOS_14"),
        ({"packageManager": "OS"}, "BOTTLEROCKET"),
        ({"packageManager": "OS"}, "SOME_FUTURE_OS_1"),
        ({"packageManager": "JAR", "name": "log4j-core"}, None),  # maven needs its group
        ({"packageManager": "GOBINARY", "name": "cobra"}, None),  # golang needs a namespace
        ({"packageManager": "COMPOSER", "name": "framework"}, None),  # composer needs a vendor
        ({"packageManager": "PIP", "name": ""}, None),  # packageurl rejects an empty name
    ],
)
def test_no_valid_purl_gives_none(api: dict[str, Any], platform: str | None) -> None:
    package = VulnerablePackage(
        name=api.get("name", "x"), version="1", package_manager=api.get("packageManager")
    )
    assert to_purl(package, platform=platform) is None


@pytest.mark.parametrize(
    ("platform", "expected"),
    [
        ("AMAZON_LINUX_2", Distro("rpm", "amazon", "2")),
        ("AMAZON_LINUX_2023", Distro("rpm", "amazon", "2023")),
        ("amazon-linux-2", Distro("rpm", "amazon", "2")),
        ("UBUNTU_18_04", Distro("deb", "ubuntu", "18.04")),
        ("DEBIAN_11", Distro("deb", "debian", "11")),
        ("CENTOS_7", Distro("rpm", "centos", "7")),
        ("ORACLE_LINUX_7", Distro("rpm", "oracle", "7")),
        ("ALPINE_LINUX_3_8", Distro("apk", "alpine", "3.8")),
        ("ALMALINUX_9", Distro("rpm", "almalinux", "9")),
        ("ROCKY_LINUX_8", Distro("rpm", "rocky", "8")),
        ("SLES_15_7", Distro("rpm", "suse", "15.7")),
        ("FEDORA_43", Distro("rpm", "fedora", "43")),
        ("AMAZON_LINUX", Distro("rpm", "amazon", None)),
        ("WINDOWS_SERVER_2019", None),
        ("ALTLINUX_10", None),
        ("", None),
        (None, None),
    ],
)
def test_distro_for_platform(platform: str | None, expected: Distro | None) -> None:
    assert distro_for_platform(platform) == expected


def test_finding_purls_follow_packages_and_platform() -> None:
    f = Finding.from_api(
        minimal_payload(
            resources=[
                {
                    "type": "AWS_EC2_INSTANCE",
                    "id": "i-1",
                    "details": {"awsEc2Instance": {"platform": "AMAZON_LINUX_2"}},
                }
            ],
            packageVulnerabilityDetails=package_details(
                vulnerablePackages=[
                    {
                        "name": "curl",
                        "version": "8.3.0",
                        "release": "1.amzn2.0.4",
                        "arch": "X86_64",
                        "packageManager": "OS",
                    },
                    {"name": "thing", "version": "1", "packageManager": "GENERIC"},
                    {"name": "requests", "version": "2.25.0", "packageManager": "PYTHONPKG"},
                ]
            ),
        )
    )
    assert [None if p is None else str(p) for p in f.purls] == [
        "pkg:rpm/amazon/curl@8.3.0-1.amzn2.0.4?arch=x86_64&distro=amazon-2",
        None,
        "pkg:pypi/requests@2.25.0",
    ]
    assert Finding.from_api(minimal_payload()).purls == ()


# ----------------------------------------------------------------------------- Inspector's purl
# botocore 1.44.8 adds VulnerablePackage.purl: Inspector's own PURL wins when it is valid.


def test_finding_purls_prefer_inspectors_own_purl() -> None:
    own = "pkg:rpm/amazon/curl@8.3.0-1.amzn2.0.4?arch=x86_64&distro=amazon-2.0"
    built = "pkg:rpm/amazon/curl@8.3.0-1.amzn2.0.4?arch=x86_64&distro=amazon-2"
    curl = {
        "name": "curl",
        "version": "8.3.0",
        "release": "1.amzn2.0.4",
        "arch": "X86_64",
        "packageManager": "OS",
    }
    payload = minimal_payload(
        resources=[
            {
                "type": "AWS_EC2_INSTANCE",
                "id": "i-1",
                "details": {"awsEc2Instance": {"platform": "AMAZON_LINUX_2"}},
            }
        ],
        packageVulnerabilityDetails=package_details(
            vulnerablePackages=[
                {**curl, "purl": own, "runtimeReachability": "REACHABLE"},
                curl,  # no purl: built as before
                # Inspector knows a PURL where the library has no mapping (GENERIC)
                {
                    "name": "thing",
                    "version": "1",
                    "packageManager": "GENERIC",
                    "purl": "pkg:generic/thing@1",
                },
                # not a valid PURL (no type): built instead
                {**curl, "purl": "curl@8.3.0"},
                {**curl, "purl": "pkg:rpm/amazon"},  # no name
            ]
        ),
    )
    f = Finding.from_api(payload)
    assert [None if p is None else str(p) for p in f.purls] == [
        own,
        built,
        "pkg:generic/thing@1",
        built,
        built,
    ]
    assert f.vulnerable_packages[0].purl == own  # kept as sent, round-trips
    assert Finding.from_api(f.to_api()) == f


def test_an_invalid_inspector_purl_without_a_mapping_gives_none() -> None:
    assert to_purl(pkg(packageManager="GENERIC", purl="pkg:")) is None
    assert to_purl(pkg(packageManager="GENERIC", purl="")) is None
    assert str(to_purl(pkg(packageManager="NPM", purl="not a purl"))) == "pkg:npm/x@1"


def test_runtime_reachability_members_are_open_enums() -> None:
    from inspector_kit.models import RuntimeReachability, RuntimeReachabilityReason

    p = pkg(
        runtimeReachability="NOT_REACHABLE",
        runtimeReachabilityReason="PACKAGE_NOT_IN_DOCKERFILE_WORKLOAD_PATH",
    )
    assert p.runtime_reachability is RuntimeReachability.NOT_REACHABLE
    assert (
        p.runtime_reachability_reason
        is RuntimeReachabilityReason.PACKAGE_NOT_IN_DOCKERFILE_WORKLOAD_PATH
    )
    later = pkg(runtimeReachability="PARTIALLY_REACHABLE")  # a value AWS may add later
    assert later.runtime_reachability == "PARTIALLY_REACHABLE"
    assert not isinstance(later.runtime_reachability, RuntimeReachability)
    assert later.to_api()["runtimeReachability"] == "PARTIALLY_REACHABLE"
    assert pkg().runtime_reachability is None and pkg().purl is None


inspector_purls = st.text(max_size=60) | st.sampled_from(
    ["pkg:npm/a@1", "pkg:rpm/amazon/x@1?arch=x86_64", "pkg:/x", "pkg:npm/@@", "pkg:maven/a@1"]
)


@given(purl=inspector_purls, manager=st.sampled_from(["OS", "NPM", "X"]))
def test_whatever_inspector_sends_the_result_is_valid(purl: str, manager: str) -> None:
    package = pkg(packageManager=manager, purl=purl or None)
    result = to_purl(package, platform="AMAZON_LINUX_2023")
    if result is not None:
        assert_valid(result)


managers = st.sampled_from(
    [m.value for m in PackageManager] + ["GENERIC", "JAVA", "PYTHON", "GO", "X"]
)
platforms = (
    st.none()
    | st.sampled_from(
        [
            "AMAZON_LINUX_2",
            "UBUNTU_22_04",
            "DEBIAN_12",
            "ALPINE_LINUX_3_19",
            "RHEL_9",
            "WINDOWS_SERVER_2022",
        ]
    )
    | st.text(max_size=20)
)


# Found by hypothesis: a "/" where the type has no namespace, and a blank name that
# from_string() rejects.
@example(
    name="0/0", version="", release=None, epoch=None, arch=None, manager="BUNDLER", platform=None
)
@example(
    name=" ", version="", release=None, epoch=None, arch=None, manager="BUNDLER", platform=None
)
@given(
    name=st.text(max_size=40),
    version=st.text(max_size=20),
    release=st.none() | st.text(max_size=10),
    epoch=st.none() | st.integers(-5, 5),
    arch=st.none() | st.text(max_size=8),
    manager=managers,
    platform=platforms,
)
def test_never_raises_and_every_purl_is_valid(
    name: str,
    version: str,
    release: str | None,
    epoch: int | None,
    arch: str | None,
    manager: str,
    platform: str | None,
) -> None:
    package = VulnerablePackage(
        name=name, version=version, release=release, epoch=epoch, arch=arch, package_manager=manager
    )
    purl = to_purl(package, platform=platform)
    if purl is not None:
        assert_valid(purl)
