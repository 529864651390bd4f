"""The pre-built decoders (``models/_decoders.py``, issue 19): used when fresh, never when stale."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import pytest

from inspector_kit.models import Finding, _codec, _decoders
from inspector_kit.models._codec import _compile, _decoder_source, decoder_key
from inspector_kit.sample import sample_findings

ROOT = Path(__file__).resolve().parent.parent


def _script() -> Any:
    path = ROOT / "scripts" / "make_decoders.py"
    spec = importlib.util.spec_from_file_location("make_decoders", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_module_is_what_the_script_writes_now() -> None:
    # The same check as `make test`'s `make_decoders.py --check`, so a stale module fails here too.
    text = (ROOT / "inspector_kit/models/_decoders.py").read_text(encoding="utf-8")
    assert text == _script().render()


def test_every_model_with_members_has_a_prebuilt_decoder() -> None:
    classes = _script().model_classes()
    assert Finding in classes
    keys = {decoder_key(cls) for cls in classes}
    assert keys == set(_decoders.SOURCES) == set(_decoders.FUNCTIONS)


@pytest.fixture
def prebuilt(monkeypatch: pytest.MonkeyPatch) -> None:
    """Use the module whether or not this checkout has its bytecode cached."""
    monkeypatch.setattr(_codec, "_PREBUILT", _decoders)


def test_the_module_is_used_only_with_its_bytecode(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import importlib.util

    cached = tmp_path / "_decoders.cpython.pyc"
    monkeypatch.setattr(importlib.util, "cache_from_source", lambda path: str(cached))
    assert _codec._load_prebuilt() is False  # no .pyc: compiling it would cost more
    cached.write_bytes(b"")
    assert _codec._load_prebuilt() is _decoders


@pytest.mark.usefixtures("prebuilt")
def test_a_fresh_compile_uses_the_prebuilt_code(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_codec, "_DECODERS", {})
    decode = _compile(Finding)
    assert decode.__code__ is _decoders.FUNCTIONS[decoder_key(Finding)].__code__
    assert decode.__code__.co_filename.endswith("_decoders.py")


@pytest.mark.usefixtures("prebuilt")
def test_a_stale_entry_is_compiled_instead(monkeypatch: pytest.MonkeyPatch) -> None:
    key = decoder_key(Finding)
    monkeypatch.setattr(_codec, "_DECODERS", {})
    monkeypatch.setitem(_decoders.SOURCES, key, _decoders.SOURCES[key] + "# changed\n")
    decode = _compile(Finding)
    assert decode.__code__ is not _decoders.FUNCTIONS[key].__code__
    assert decode.__code__.co_filename == "<Finding decoder>"


def test_prebuilt_and_compiled_decoders_agree_on_the_sample_estate(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    payloads = [f.to_api() for f in sample_findings()]
    monkeypatch.setattr(_codec, "_DECODERS", {})
    monkeypatch.setattr(_codec, "_PREBUILT", _decoders)
    prebuilt = [Finding.from_api(p) for p in payloads]
    assert _codec._DECODERS[Finding].__code__.co_filename.endswith("_decoders.py")
    # Without the module every decoder is compiled from the source it would hold.
    monkeypatch.setattr(_codec, "_DECODERS", {})
    monkeypatch.setattr(_codec, "_PREBUILT", False)
    compiled = [Finding.from_api(p) for p in payloads]
    assert _codec._DECODERS[Finding].__code__.co_filename == "<Finding decoder>"
    assert prebuilt == compiled
    assert [p.to_api() for p in prebuilt] == payloads


def test_the_source_holds_no_addresses() -> None:
    # The text must be the same in every process (constants are bound by name, not inlined).
    ns: dict[str, Any] = {}
    source = _decoder_source(Finding, ns)
    assert " at 0x" not in source
    assert source == _decoders.SOURCES[decoder_key(Finding)]
