"""The tree drawn in inspector_kit.errors' docstring is the tree of its classes."""

from __future__ import annotations

import builtins
import inspect
import itertools
import re

import pytest

import inspector_kit.errors as errors

# "    │   ├── AccessDeniedError (PermissionError)   AccessDeniedException, ..."
_NODE = re.compile(r"^(?P<indent>[ │├└─]*?)(?P<name>[A-Z]\w*)(?: \((?P<bases>[\w, ]+)\))?(?:\s|$)")


def _drawing() -> list[tuple[int, str, tuple[str, ...]]]:
    """(depth, class name, builtin bases in parentheses) for each line of the drawing."""
    doc = errors.__doc__ or ""
    start = doc.index("::\n") + 3
    lines = doc[start:].strip("\n").split("\n\n", 1)[0].splitlines()
    margin = len(lines[0]) - len(lines[0].lstrip())
    nodes = []
    for line in lines:
        match = _NODE.match(line[margin:])
        assert match, f"cannot read the drawing line {line!r}"
        indent = match["indent"]
        assert len(indent) % 4 == 0, f"odd indentation in {line!r}"
        bases = tuple(b.strip() for b in (match["bases"] or "").split(",") if b.strip())
        nodes.append((len(indent) // 4, match["name"], bases))
    return nodes


def _classes() -> dict[str, type[BaseException]]:
    """The exception classes defined in inspector_kit.errors."""
    return {
        name: cls
        for name, cls in vars(errors).items()
        if inspect.isclass(cls)
        and issubclass(cls, BaseException)
        and cls.__module__ == errors.__name__
    }


def test_drawing_parses_into_a_rooted_tree() -> None:
    nodes = _drawing()
    assert nodes[0] == (0, "InspectorKitError", ("Exception",))
    depths = [depth for depth, _, _ in nodes]
    assert all(d >= 1 for d in depths[1:])
    assert all(b <= a + 1 for a, b in itertools.pairwise(depths))
    names = [name for _, name, _ in nodes]
    assert len(names) == len(set(names)), "a class is drawn twice"


def test_drawing_matches_the_classes_and_their_bases() -> None:
    classes = _classes()
    parents: list[str] = []
    for depth, name, drawn_builtins in _drawing():
        assert name in classes, f"{name} is drawn but not defined in inspector_kit.errors"
        cls = classes[name]
        del parents[depth:]
        library_bases = [b for b in cls.__bases__ if b.__module__ == errors.__name__]
        other_bases = [b for b in cls.__bases__ if b.__module__ != errors.__name__]
        if parents:
            assert [b.__name__ for b in library_bases] == [parents[-1]], (
                f"{name} is drawn under {parents[-1]}, its bases are {cls.__bases__}"
            )
        else:
            assert library_bases == []
        assert all(getattr(builtins, b.__name__, None) is b for b in other_bases)
        assert tuple(b.__name__ for b in other_bases) == drawn_builtins, (
            f"{name}: drawn with ({', '.join(drawn_builtins)}), its builtin bases are "
            f"{[b.__name__ for b in other_bases]}"
        )
        parents.append(name)


def test_every_class_is_drawn_and_exported() -> None:
    drawn = {name for _, name, _ in _drawing()}
    classes = _classes()
    assert set(classes) == drawn, f"not drawn: {set(classes) - drawn}"
    assert sorted(errors.__all__) == sorted(classes)
    assert all(issubclass(cls, errors.InspectorKitError) for cls in classes.values())


@pytest.mark.parametrize("name", sorted(_classes()))
def test_every_class_has_a_docstring_example(name: str) -> None:
    doc = _classes()[name].__doc__ or ""
    assert "Examples:" in doc and ">>>" in doc, f"{name} has no runnable example"


# Exception classes that stay outside inspector_kit.errors: private control flow, raised
# and caught inside one module (or turned into an HTTP response / exit code), never seen by
# a caller of the library. Each entry says why.
_PRIVATE_CONTROL_FLOW = {
    "inspector_kit.loaders._BadJSON": "the reader's JSON scanner; becomes a RecordIssue",
    "inspector_kit.loaders._TooLarge": "the reader's size cap; becomes a RecordIssue",
    "inspector_kit.testing._service.ServiceError": "the loopback's AWS-shaped HTTP error",
    "inspector_kit.triage._policy_file._TooDeepError": "PyYAML's composer hook (a YAMLError)",
}


def _package_exception_classes() -> dict[str, type[BaseException]]:
    """Every exception class defined in a module of the package, by qualified name."""
    import importlib
    import pkgutil
    import warnings

    import inspector_kit

    found: dict[str, type[BaseException]] = {}
    modules = [inspector_kit.__name__] + [
        info.name
        for info in pkgutil.walk_packages(inspector_kit.__path__, prefix="inspector_kit.")
        if not info.name.endswith("__main__")
    ]
    for name in modules:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)  # deprecated alias modules
            module = importlib.import_module(name)
        for value in list(vars(module).values()):
            if (
                inspect.isclass(value)
                and issubclass(value, BaseException)
                and value.__module__ == name
            ):
                found[f"{name}.{value.__qualname__}"] = value
    return found


def test_every_library_error_is_defined_in_errors() -> None:
    outside = {
        name: cls
        for name, cls in _package_exception_classes().items()
        if cls.__module__ != errors.__name__
    }
    assert outside, "the walk found no module's classes: is it walking the package?"
    library = {n for n, c in outside.items() if issubclass(c, errors.InspectorKitError)}
    assert not library, f"InspectorKitError subclasses outside inspector_kit.errors: {library}"
    private = set(outside) - library
    assert private == set(_PRIVATE_CONTROL_FLOW), (
        "an exception class outside errors.py must be private control flow, listed with "
        f"its reason: unlisted {private - set(_PRIVATE_CONTROL_FLOW)}, "
        f"gone {set(_PRIVATE_CONTROL_FLOW) - private}"
    )


def test_the_walk_sees_a_class_defined_outside_errors() -> None:
    # the test above can fail: the walk does find classes defined in other modules
    found = _package_exception_classes()
    assert found["inspector_kit.loaders._BadJSON"].__module__ == "inspector_kit.loaders"
    assert "inspector_kit.errors.InvalidVectorError" in found


@pytest.mark.parametrize(
    ("old", "name"),
    [
        ("inspector_kit.scoring.vectors", "InvalidVectorError"),
        ("inspector_kit.scoring", "InvalidVectorError"),
        ("inspector_kit.sbom", "SbomFormatError"),
        ("inspector_kit.formats._extras", "MissingExtraError"),
    ],
)
def test_moved_classes_are_re_exported_from_their_old_modules(old: str, name: str) -> None:
    import importlib
    import pickle
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # a deprecated alias module
        module = importlib.import_module(old)
        assert getattr(module, name) is getattr(errors, name)
    assert getattr(errors, name).__module__ == "inspector_kit.errors"
    err = {
        "InvalidVectorError": lambda: errors.InvalidVectorError("AV:X", "bad", metric="AV"),
        "SbomFormatError": lambda: errors.SbomFormatError("bad", path="$.x", source="s.json"),
        "MissingExtraError": lambda: errors.MissingExtraError("pandas", "pandas"),
    }[name]()
    copy = pickle.loads(pickle.dumps(err))
    assert type(copy) is type(err) and str(copy) == str(err)
