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
    assert "Example:" in doc and ">>>" in doc, f"{name} has no runnable example"
