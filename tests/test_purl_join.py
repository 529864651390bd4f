"""purl_key matches a package across every PURL spelling Inspector and the library use."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from inspector_kit.models import VulnerablePackage
from inspector_kit.purl import purl_key, to_purl

# Each group spells one package in the ways issue 17 lists: the library's built PURL,
# Inspector's SBOM export (epoch qualifier, codename distro) and the export docs' examples
# (pkg:dpkg, namespace-less pkg:rpm).
SAME = [
    (
        "pkg:deb/debian/bash@2:5.2.15-2?arch=amd64&distro=debian-12",
        "pkg:deb/debian/bash@5.2.15-2?arch=amd64&distro=bookworm&epoch=2",
        "pkg:dpkg/bash@5.2.15-2?epoch=2",
    ),
    (
        "pkg:deb/ubuntu/libc6@2.35-0ubuntu3.1?arch=amd64&distro=ubuntu-22.04",
        "pkg:deb/ubuntu/libc6@2.35-0ubuntu3.1?distro=jammy",
        "pkg:dpkg/libc6@2.35-0ubuntu3.1",
    ),
    (
        "pkg:rpm/amazon/openssl@1.0.2k-24.amzn2.0.7?arch=x86_64&distro=amazon-2&epoch=1",
        "pkg:rpm/amazon/openssl@1:1.0.2k-24.amzn2.0.7?distro=2",
        "pkg:rpm/openssl@1.0.2k-24.amzn2.0.7?epoch=1",
    ),
    (
        "pkg:rpm/amazon/curl@8.5.0-1.amzn2023?distro=amazon-2023",
        "pkg:rpm/amazon/curl@8.5.0-1.amzn2023?distro=2023&epoch=0",
        "pkg:rpm/curl@0:8.5.0-1.amzn2023",
    ),
]


@pytest.mark.parametrize("spellings", SAME)
def test_every_spelling_shares_one_key(spellings: tuple[str, ...]) -> None:
    keys = {purl_key(s) for s in spellings}
    assert len(keys) == 1
    assert None not in keys


def test_key_values() -> None:
    assert purl_key("pkg:dpkg/bash@5.2.15-2?epoch=2") == ("deb", None, "bash", "2:5.2.15-2")
    assert purl_key("pkg:maven/org.a/b@1") == ("maven", "org.a", "b", "1")


def test_different_packages_differ() -> None:
    assert purl_key("pkg:deb/debian/bash@5.2-1?epoch=2") != purl_key("pkg:deb/debian/bash@5.2-1")
    assert purl_key("pkg:rpm/amazon/a@1?epoch=1") != purl_key("pkg:rpm/amazon/a@1?epoch=2")
    assert purl_key("pkg:pypi/a@1") != purl_key("pkg:pypi/a@2")
    assert purl_key("pkg:npm/a@1") != purl_key("pkg:npm/b@1")


def test_invalid_is_none() -> None:
    assert purl_key(None) is None
    assert purl_key("not a purl") is None


_TOKEN = st.from_regex(r"[a-z][a-z0-9+]{0,8}", fullmatch=True)
_VER = st.from_regex(r"[0-9]{1,3}(\.[0-9]{1,3}){0,2}", fullmatch=True)

DEB = ("DEBIAN_12", "debian", "bookworm", "deb")
RPM = ("AMAZON_LINUX_2023", "amazon", "2023", "rpm")


@given(
    name=_TOKEN,
    version=_VER,
    release=_VER,
    epoch=st.integers(min_value=0, max_value=9),
    distro=st.sampled_from([DEB, RPM]),
)
def test_finding_purl_and_sbom_component_share_a_key(
    name: str, version: str, release: str, epoch: int, distro: tuple[str, str, str, str]
) -> None:
    platform, vendor, codename, purl_type = distro
    package = VulnerablePackage.from_api(
        {
            "name": name,
            "version": version,
            "release": release,
            "epoch": epoch,
            "arch": "X86_64",
            "packageManager": "OS",
        }
    )
    built = to_purl(package, platform=platform)
    assert built is not None
    # The SBOM export's spelling: codename distro, epoch qualifier, version without epoch.
    qualifiers = f"?distro={codename}" + (f"&epoch={epoch}" if epoch else "")
    export = f"pkg:{purl_type}/{vendor}/{name}@{version}-{release}{qualifiers}"
    docs_type = "dpkg" if purl_type == "deb" else purl_type
    docs = f"pkg:{docs_type}/{name}@{version}-{release}" + (f"?epoch={epoch}" if epoch else "")
    assert purl_key(built) == purl_key(export) == purl_key(docs)
    assert purl_key(built) is not None


# --- published examples (tests/fixtures/purl/SOURCES.md) -------------------------------

_FIXTURE = Path(__file__).parent / "fixtures" / "purl" / "published_spellings.json"
_CASES = json.loads(_FIXTURE.read_text())["cases"]


@pytest.mark.parametrize(
    "case", _CASES, ids=[f"{c['source']}-{c['package']['name']}" for c in _CASES]
)
def test_published_spellings_share_the_key_of_our_purl(case: dict[str, Any]) -> None:
    package = VulnerablePackage.from_api(case["package"])
    built = to_purl(package, platform=case["platform"])
    assert built is not None
    for published in case["published"]:
        assert purl_key(published) is not None, published
        assert purl_key(built) == purl_key(published), (str(built), published)


def test_the_epoch_is_a_qualifier_for_deb_and_rpm() -> None:
    api = {"name": "bash", "version": "5.2.15", "release": "2", "epoch": 2, "packageManager": "OS"}
    package = VulnerablePackage.from_api(api)
    deb = to_purl(package, platform="DEBIAN_12")
    rpm = to_purl(package, platform="AMAZON_LINUX_2023")
    assert str(deb) == "pkg:deb/debian/bash@5.2.15-2?distro=debian-12&epoch=2"
    assert str(rpm) == "pkg:rpm/amazon/bash@5.2.15-2?distro=amazon-2023&epoch=2"
    spec = to_purl(package, platform="DEBIAN_12", epoch_in_version=True)
    assert str(spec) == "pkg:deb/debian/bash@2:5.2.15-2?distro=debian-12"
    rpm_spec = to_purl(package, platform="AMAZON_LINUX_2023", epoch_in_version=True)
    assert rpm_spec == rpm  # rpm keeps the qualifier: its type definition says so
    assert purl_key(deb) == purl_key(spec) == ("deb", None, "bash", "2:5.2.15-2")


@pytest.mark.parametrize(
    ("manager", "name"),
    [
        ("GENERIC", "go/stdlib"),
        ("GENERIC", "stdlib"),
        ("GOMOD", "stdlib"),
        ("GOBINARY", "go/stdlib"),
    ],
)
def test_go_stdlib_gets_the_stdlib_purl(manager: str, name: str) -> None:
    package = VulnerablePackage(name=name, version="v1.24.1", package_manager=manager)
    assert str(to_purl(package)) == "pkg:golang/stdlib@v1.24.1"


def test_other_generic_packages_still_have_no_purl() -> None:
    assert (
        to_purl(VulnerablePackage(name="go/other", version="1", package_manager="GENERIC")) is None
    )
    assert to_purl(VulnerablePackage(name="stdlib", version="1", package_manager="NPM")) is not None
    assert purl_key("pkg:golang/stdlib@1.2") != purl_key("pkg:golang/stdlib@1.3")
    assert purl_key("pkg:golang/github.com/x/stdlib@v1.2") != purl_key("pkg:golang/stdlib@1.2")


@given(
    major=st.integers(1, 2),
    minor=st.integers(0, 40),
    patch=st.integers(0, 20),
    ours=st.sampled_from(["", "v", "go"]),
    theirs=st.sampled_from(["", "v", "go"]),
    name=st.sampled_from(["stdlib", "go/stdlib"]),
    manager=st.sampled_from(["GENERIC", "GOMOD", "GOBINARY", "GO"]),
)
def test_go_stdlib_finding_and_sbom_component_share_a_key(
    major: int, minor: int, patch: int, ours: str, theirs: str, name: str, manager: str
) -> None:
    version = f"{major}.{minor}.{patch}"
    package = VulnerablePackage(name=name, version=ours + version, package_manager=manager)
    built = to_purl(package)
    assert built is not None
    assert purl_key(built) == purl_key(f"pkg:golang/stdlib@{theirs}{version}")
    assert purl_key(built) == ("golang", None, "stdlib", version)


_APK = ("ALPINE_LINUX_3_19", "alpine", "3.19", "apk")


@given(
    name=_TOKEN,
    version=_VER,
    release=st.from_regex(r"r[0-9]{1,2}", fullmatch=True),
    epoch=st.integers(min_value=0, max_value=9),
    vendor_in_export=st.booleans(),
)
def test_alpine_finding_purl_and_sbom_component_share_a_key(
    name: str, version: str, release: str, epoch: int, vendor_in_export: bool
) -> None:
    platform, vendor, codename, purl_type = _APK
    package = VulnerablePackage.from_api(
        {
            "name": name,
            "version": version,
            "release": release,
            "epoch": epoch,
            "packageManager": "OS",
        }
    )
    built = to_purl(package, platform=platform)
    assert built is not None
    namespace = f"{vendor}/" if vendor_in_export else ""
    epoch_q = f"&epoch={epoch}" if epoch else ""
    export = f"pkg:{purl_type}/{namespace}{name}@{version}-{release}?distro={codename}{epoch_q}"
    assert purl_key(built) == purl_key(export)
    assert purl_key(built) is not None
