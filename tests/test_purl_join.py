"""purl_key matches a package across every PURL spelling Inspector and the library use."""

from __future__ import annotations

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
