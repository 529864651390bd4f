"""No import cycles among inspector_kit's modules (issue 15).

The graph is read statically from every module's source with ``ast``: module-level and
function-level imports alike (a function-level import still runs, only later), except
those under ``if TYPE_CHECKING:`` (never executed). An edge goes to the module imported:
``from .x import name`` to ``x``, and ``from . import x`` to ``x`` when ``x`` is a module.
Edges to parent packages are not added (importing ``a.b`` runs ``a/__init__`` first, but
every module would then be in a cycle with its package's ``__init__``). A lazy package surface
(``_EXPORTS``, a dict literal read by ``inspector_kit._lazy.lazy_surface``: module -> names)
imports its modules on first use of a name, so its keys are edges too, like a function-level
import.
"""

from __future__ import annotations

import ast
import importlib
import pkgutil
from pathlib import Path

import inspector_kit

ROOT = Path(inspector_kit.__file__).parent
PACKAGE = "inspector_kit"


def _modules() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for path in sorted(ROOT.rglob("*.py")):
        parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


MODULES = _modules()


def _is_package(name: str) -> bool:
    return MODULES[name].name == "__init__.py"


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(tree: ast.AST) -> list[ast.Import | ast.ImportFrom]:
    """Every import statement that can run: all but those under ``if TYPE_CHECKING:``."""
    found: list[ast.Import | ast.ImportFrom] = []

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            for branch in node.orelse:
                visit(branch)
            return
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            found.append(node)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


def _lazy_exports(tree: ast.Module) -> list[str]:
    """The modules (relative names) of a module-level ``_EXPORTS = {...}`` literal."""
    for node in tree.body:
        if (
            isinstance(node, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == "_EXPORTS" for t in node.targets)
            and isinstance(node.value, ast.Dict)
        ):
            return [k.value for k in node.value.keys if isinstance(k, ast.Constant)]
    return []


def _edges(name: str) -> set[str]:
    tree = ast.parse(MODULES[name].read_text(encoding="utf-8"))
    package = name if _is_package(name) else name.rpartition(".")[0]
    targets: set[str] = {package + relative for relative in _lazy_exports(tree)}
    for node in _imports(tree):
        if isinstance(node, ast.Import):
            targets.update(alias.name for alias in node.names)
            continue
        if node.level:
            base = package.split(".")
            base = base[: len(base) - node.level + 1]
            source = ".".join([*base, node.module] if node.module else base)
        else:
            source = node.module or ""
        for alias in node.names:
            child = f"{source}.{alias.name}"
            targets.add(child if child in MODULES else source)
    return {t for t in targets if t in MODULES and t != name}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []

    def connect(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
            if target not in index:
                connect(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                components.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            connect(node)
    return components


def test_the_graph_covers_every_module_and_every_module_imports() -> None:
    on_disk = {m.name for m in pkgutil.walk_packages([str(ROOT)], prefix=f"{PACKAGE}.")} | {PACKAGE}
    assert set(MODULES) == on_disk
    for name in sorted(MODULES):
        if name.endswith("__main__"):
            continue
        importlib.import_module(name)


def test_the_reader_sees_what_it_must() -> None:
    # Relative imports of names and of modules, absolute and function-level imports are
    # all read; TYPE_CHECKING-only imports are not (the areas take the Core as a value).
    graph = {name: _edges(name) for name in MODULES}
    assert "inspector_kit.fetch._records" in graph["inspector_kit.fetch._findings"]
    assert "inspector_kit.fetch._core" not in graph["inspector_kit.fetch._findings"]
    assert "inspector_kit.fetch._account" in graph["inspector_kit.fetch._inventory"]
    assert "inspector_kit._limits" in graph["inspector_kit.fetch._inventory"]
    assert "inspector_kit.fetch._core" in graph["inspector_kit.fetch._inspector"]
    assert "inspector_kit.purl" in graph["inspector_kit.models._finding"]  # function-level
    assert "inspector_kit.models._aggregations" in graph["inspector_kit.models"]  # lazy
    assert "inspector_kit.loaders" in graph["inspector_kit"]  # lazy
    assert _cycles({"a": {"b"}, "b": {"a"}, "c": set()}) == [["a", "b"]]


def test_fetch_areas_depend_on_the_core_never_on_the_facade() -> None:
    graph = {name: _edges(name) for name in MODULES}
    facade = "inspector_kit.fetch._inspector"
    users = sorted(name for name, targets in graph.items() if facade in targets)
    # the old module path resolves it by name, lazily; OrgInspector (many accounts) is a
    # facade over per-account Inspectors (its admin view and inventory), not an area
    assert users == ["inspector_kit.fetch", "inspector_kit.fetch._accounts"]


# The one edge allowed to close a cycle, with its reason. It goes when the alias goes.
ALLOWED_BACK_EDGES = {
    # The deprecated PriceTable.from_price_list() delegates, when called, to the I/O call
    # that replaced it (inspector_kit.fetch.fetch_price_table).
    ("inspector_kit.pricing._compat", "inspector_kit.fetch"),
}


def test_no_import_cycles() -> None:
    graph = {name: _edges(name) for name in MODULES}
    for source, target in ALLOWED_BACK_EDGES:
        assert target in graph[source], f"{source} -> {target} is gone: drop the exemption"
        graph[source].discard(target)
    cycles = _cycles(graph)
    assert cycles == [], "import cycles:\n" + "\n".join(" <-> ".join(c) for c in cycles)


def _reach(graph: dict[str, set[str]], start: str) -> set[str]:
    """Every module ``start`` imports, directly or not."""
    seen: set[str] = set()
    todo = [start]
    while todo:
        for target in graph[todo.pop()]:
            if target not in seen:
                seen.add(target)
                todo.append(target)
    return seen


def test_the_records_protocol_is_a_leaf_and_formats_depend_on_it_one_way() -> None:
    # The protocol and its renderers import only leaves, so any result class (the models'
    # aggregations among them) can render itself without reaching inspector_kit.formats.
    graph = {name: _edges(name) for name in MODULES}
    leaves = {"inspector_kit._html", "inspector_kit._values", "inspector_kit.errors"}
    assert _reach(graph, "inspector_kit._records") == leaves
    assert "inspector_kit._records" in graph["inspector_kit.models._aggregations"]
    for name in ("inspector_kit.models", "inspector_kit.purl", "inspector_kit.formats._interface"):
        assert not {m for m in _reach(graph, name) if m.startswith("inspector_kit.formats")}, name
