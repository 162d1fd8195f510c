"""The layering the project keeps (LAYERS, lowest first): every module imports only from its own layer or below,
modules import one another without cycles, only ``optimize`` imports OR-Tools, and only
``topologies`` names a family.

Every ``import`` and ``from ... import`` counts, wherever it stands: at the top, inside a function
(a lazy import is still a dependency) and under ``if TYPE_CHECKING:`` (an annotation is a dependency
too, so it respects the same order; a type a lower layer needs is declared there as a Protocol).
The implicit import of a package's ``__init__`` when a submodule is imported is not counted.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from repo_paths import REPO

PACKAGE = REPO / "topoctl"

# Lowest first. A module belongs to the layer of the longest prefix that names it.
LAYERS: list[tuple[str, tuple[str, ...]]] = [
    ("errors, spec, request, budget, parallel", (
        "topoctl", "topoctl.errors", "topoctl.spec", "topoctl.request", "topoctl.budget", "topoctl.parallel")),
    ("topologies", ("topoctl.topologies",)),
    ("catalog, cost, requirement", ("topoctl.catalog", "topoctl.cost", "topoctl.requirement")),
    ("physical", ("topoctl.physical",)),
    ("design", ("topoctl.design",)),
    ("metrics", ("topoctl.metrics",)),
    # above metrics and design; below optimize, whose sizing checks a rebuilt design against the report
    ("report", ("topoctl.report",)),
    ("optimize", ("topoctl.optimize",)),
    ("export", ("topoctl.export",)),
    ("sweep", ("topoctl.sweep",)),  # many designs sized or built, as rows
    ("figures", ("topoctl.figures",)),  # plots and the HTML report, drawn from rows
    ("api", ("topoctl.api",)),
    ("cli", ("topoctl.cli", "topoctl.__main__")),
]
LAYER_OF_PREFIX = {prefix: (index, name) for index, (name, prefixes) in enumerate(LAYERS) for prefix in prefixes}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def source_files() -> list[Path]:
    """Every module of the package (the ``specs`` link holds data, not code)."""
    return sorted(p for p in PACKAGE.rglob("*.py") if "specs" not in p.relative_to(PACKAGE).parts)


MODULES = {module_name(path): path for path in source_files()}


def layer(module: str) -> tuple[int, str]:
    parts = module.split(".")
    for end in range(len(parts), 0, -1):
        found = LAYER_OF_PREFIX.get(".".join(parts[:end]))
        if found is not None and (end > 1 or module == "topoctl"):
            return found
    raise AssertionError(f"{module} is in no layer: add it to LAYERS in tests/test_layers.py")


def imports(path: Path) -> Iterator[tuple[int, str]]:
    """(line, imported module) of every import statement in ``path``; ``from a import b`` names the
    module ``a.b`` when that is a module of the package, else ``a``."""
    module = module_name(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[tuple[int, str]] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.update((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            for alias in node.names:
                found.add((node.lineno, f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base))
    yield from sorted(found)


def internal_edges() -> Iterator[tuple[str, int, str]]:
    """(importer, line, imported) for every import of a topoctl module by a topoctl module."""
    for importer, path in MODULES.items():
        for line, target in imports(path):
            if target == "topoctl" or target.startswith("topoctl."):
                yield importer, line, target


def test_every_module_has_a_layer():
    for module in MODULES:
        layer(module)


def test_imports_only_point_down():
    upward = []
    for importer, line, target in internal_edges():
        (mine, my_name), (theirs, their_name) = layer(importer), layer(target)
        if theirs > mine:
            rel = MODULES[importer].relative_to(REPO)
            upward.append(f"{rel}:{line}: {importer} (layer {mine + 1}, {my_name}) imports {target} "
                          f"(layer {theirs + 1}, {their_name}), a layer above it")
    assert not upward, "upward imports:\n" + "\n".join(upward)


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module, or a module importing itself (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1 or v in graph.get(v, ()):
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_tarjan_finds_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycles():
    graph: dict[str, set[str]] = {}
    where: dict[tuple[str, str], int] = {}
    for importer, line, target in internal_edges():
        graph.setdefault(importer, set()).add(target)
        where.setdefault((importer, target), line)
    messages = []
    for component in _cycles(graph):
        members = set(component)
        links = [f"{MODULES[a].relative_to(REPO)}:{where[a, b]}: {a} imports {b}"
                 for a in component for b in sorted(graph.get(a, ())) if b in members]
        messages.append("cycle between " + ", ".join(component) + ":\n  " + "\n  ".join(links))
    assert not messages, "\n".join(messages)


def test_only_optimize_imports_ortools():
    found = [
        f"{path.relative_to(REPO)}:{line}: imports {target}"
        for module, path in MODULES.items()
        if layer(module)[1] != "optimize"
        for line, target in imports(path)
        if target == "ortools" or target.startswith("ortools.")
    ]
    assert not found, "OR-Tools outside topoctl/optimize:\n" + "\n".join(found)


def family_names() -> list[str]:
    """Every registry name and family class name (the class names of the registry's values and of
    their family-specific bases), longest first."""
    from topoctl.topologies import FAMILIES
    from topoctl.topologies.base import Topology

    names = set(FAMILIES)
    for cls in FAMILIES.values():
        names.update(c.__name__ for c in cls.__mro__ if c.__module__.startswith("topoctl.topologies.")
                     and c is not Topology and issubclass(c, Topology))
    return sorted(names, key=lambda name: (-len(name), name))


def test_family_names_come_from_the_registry():
    names = family_names()
    assert len(names) > 4 and all(names)


@pytest.mark.parametrize("path", [p for p in source_files() if "topologies" not in p.relative_to(PACKAGE).parts],
                         ids=lambda p: str(p.relative_to(REPO)))
def test_no_family_named_outside_topologies(path: Path):
    """Only topoctl/topologies/ knows a family: no other module names one, in code, comments or
    docstrings, case-insensitively (a measured design is named by its spec, e.g. Table 3's DF). The
    general terms, such as Leiserson's fat-trees or a multi-plane fabric, are not family names."""
    pattern = re.compile("|".join(re.escape(name) for name in family_names()), re.IGNORECASE)
    hits = [
        f"{path.relative_to(REPO)}:{number}: {match.group(0)!r} in {line.strip()[:100]!r}"
        for number, line in enumerate(path.read_text().splitlines(), 1)
        for match in [pattern.search(line)]
        if match
    ]
    assert not hits, "family named outside topoctl/topologies/:\n" + "\n".join(hits)


def test_exceptions_live_in_errors():
    """One exception hierarchy: every exception class topoctl defines is in topoctl/errors.py."""
    found = []
    for module, path in MODULES.items():
        if module == "topoctl.errors":
            continue
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.ClassDef) and any(
                isinstance(base, ast.Name) and (base.id.endswith(("Error", "Exception")) or base.id == "TopoctlError")
                for base in node.bases
            ):
                found.append(f"{path.relative_to(REPO)}:{node.lineno}: class {node.name}")
    assert not found, "exception classes outside topoctl/errors.py:\n" + "\n".join(found)
